"""Sequences: CREATE SEQUENCE, its ``OWNED BY`` link, ALTER SEQUENCE, DROP SEQUENCE.

An identity column's sequence is made and dropped with the column (``GENERATED ... AS
IDENTITY``, ``DROP IDENTITY``), never by statements of its own; a sequence ``OWNED BY`` a
column goes away with that column or its table.
"""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import ids, model
from pgdrift.differ.changes import DELETES_DATA, MAY_FAIL, AttributeChange, Change
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident, quote_literal
from pgdrift.planner import names
from pgdrift.planner.attributes import owner_id
from pgdrift.planner.clauses import sequence_options
from pgdrift.planner.context import DROP_PHASE, Action, PlanContext
from pgdrift.planner.handlers import alters, creates, drops


def _owning_table(ctx: PlanContext, column: ObjectId, side: int) -> model.DbObject | None:
    return ctx.container(column, side)


@creates(model.Sequence)
def create_sequence(
    ctx: PlanContext, sequence: model.Sequence, change: Change | None
) -> Action | None:
    if sequence.identity_of is not None:
        return None  # made by its identity column

    keyword = "UNLOGGED SEQUENCE" if sequence.persistence == "unlogged" else "SEQUENCE"
    options = sequence_options(sequence.options)
    text = f"CREATE {keyword} {names.relation(sequence.id)}"
    if options:
        text += "\n    " + "\n    ".join(options)
    main = ctx.emit(text, change=change, anchor=sequence.id, makes=(sequence.id,),
                    needs=ctx.new_deps(sequence))  # fmt: skip
    if sequence.owned_by is not None:
        owned_by(ctx, sequence, change)
    return main


def owned_by(ctx: PlanContext, sequence: model.Sequence, change: Change | None) -> Action:
    """``ALTER SEQUENCE s OWNED BY t.c``: the table must exist and have the sequence's owner
    (docs: ALTER SEQUENCE, "OWNED BY"), so this waits for both owners to be set."""
    column = sequence.owned_by
    if column is None:
        return ctx.emit(f"ALTER SEQUENCE {names.relation(sequence.id)} OWNED BY NONE",
                        change=change, anchor=sequence.id, needs=(sequence.id,))  # fmt: skip
    table = _owning_table(ctx, column, 1)
    needs = [sequence.id, column, owner_id(sequence.id)]
    if table is not None:
        needs += [table.id, owner_id(table.id)]
    target = f"{names.parent_relation(column)}.{quote_ident(column.name)}"
    return ctx.emit(f"ALTER SEQUENCE {names.relation(sequence.id)} OWNED BY {target}",
                    change=change, anchor=sequence.id, needs=needs)  # fmt: skip


@drops(model.Sequence)
def drop_sequence(
    ctx: PlanContext, sequence: model.Sequence, change: Change | None
) -> Action | None:
    if sequence.identity_of is not None:
        return None  # dropped with its identity column (DROP IDENTITY, DROP COLUMN)
    action = ctx.emit(f"DROP SEQUENCE {names.relation(sequence.id)}", change=change,
                      anchor=sequence.id, phase=DROP_PHASE, removes=(sequence.id,),
                      frees=ctx.old_deps(sequence))  # fmt: skip
    # Dropping the owning column or table drops the sequence too (docs: CREATE SEQUENCE,
    # "OWNED BY").
    action.implied_by = (sequence.owned_by,) if sequence.owned_by is not None else ()
    return action


@alters(model.Sequence)
def alter_sequence(
    ctx: PlanContext,
    change: Change,
    before: model.Sequence,
    after: model.Sequence,
    details: list[AttributeChange],
) -> None:
    fields = {d.field.split(".")[0] for d in details}
    name = names.relation(after.id)
    if "identity_of" in fields and (before.identity_of is None) != (after.identity_of is None):
        _identity_swap(ctx, change, before, after)
        return
    if "options" in fields and before.options != after.options:
        parts = _changed_options(before.options, after.options)
        if parts:
            _lift_into_range(ctx, change, after, before.options, after.options)
            needs: tuple[ObjectId, ...] = (after.id,)
            frees: tuple[ObjectId, ...] = ()
            column = after.identity_of
            if column is not None and column == before.identity_of:
                # An identity's sequence takes its column's type with ALTER COLUMN ... TYPE.
                # Bounds only a wider type holds ("MAXVALUE (...) is out of range for sequence
                # data type integer") wait for the column; bounds of a narrower type come first.
                wider = _column_size(ctx, column, 1) - _column_size(ctx, column, 0)
                needs, frees = ((after.id, column), ()) if wider > 0 else (
                    (after.id,), (column,) if wider < 0 else ())  # fmt: skip
            ctx.emit(f"ALTER SEQUENCE {name} {' '.join(parts)}", change=change,
                     anchor=after.id, needs=needs, frees=frees,
                     hazards=(MAY_FAIL,) if _narrows(before.options, after.options) else ())
    if "persistence" in fields:
        word = "UNLOGGED" if after.persistence == "unlogged" else "LOGGED"
        ctx.emit(f"ALTER SEQUENCE {name} SET {word}", change=change, anchor=after.id,
                 needs=(after.id,))  # fmt: skip
    if "owned_by" in fields:
        gone = before.owned_by
        if gone is not None and after.owned_by is not None and gone not in ctx.new.objects:
            # Its owning column goes away: the sequence is released first (dropping the
            # column would drop it), and owned again once the new column is there. Moving
            # it in one step would have to wait for both, a cycle when the new table needs
            # what only the old one's drop frees (a type replaced under the same name).
            old_table = ObjectId(ids.TABLE, gone.schema, gone.parent or "")
            ctx.emit(f"ALTER SEQUENCE {name} OWNED BY NONE", change=change, anchor=after.id,
                     phase=DROP_PHASE, frees=(old_table, gone))  # fmt: skip
            owned_by(ctx, after, change)
            return
        step = owned_by(ctx, after, change)
        if gone is not None:
            step.frees = step.frees | {gone}


def _identity_swap(
    ctx: PlanContext, change: Change, before: model.Sequence, after: model.Sequence
) -> None:
    """A sequence that becomes an identity column's, or stops being one, under the same name.

    ``ADD GENERATED ... AS IDENTITY`` creates the identity's sequence itself, so a serial's
    sequence of that name is dropped first (once its default is gone); ``DROP IDENTITY`` drops
    the identity's sequence (docs: ALTER TABLE), so a sequence that stays is created again.
    Either way the new sequence starts afresh: the plan moves it past the values of the column
    it serves (:func:`continue_past_rows`), and the hazard says the old counter goes."""
    hazard = (f"{after.id.qualified_name} is a new sequence: it starts again, past the "
              "column's values, not where the old one had got to")  # fmt: skip
    if after.identity_of is not None:
        ctx.emit(f"DROP SEQUENCE {names.relation(before.id)}", change=change, anchor=before.id,
                 removes=(before.id,), frees=ctx.old_deps(before), hazards=(DELETES_DATA,),
                 comment=hazard)  # fmt: skip
        return
    # (DROP IDENTITY removes the sequence's id, so this CREATE, which makes it, follows.)
    created = create_sequence(ctx, after, change)
    if created is None:
        return
    created.comment = hazard
    column = after.owned_by
    if column is not None and column.parent is not None:
        table = ObjectId(ids.TABLE, column.schema, column.parent)
        if isinstance(ctx.new.objects.get(table), model.Table) and not ctx.is_new(table):
            _setval_past_rows(ctx, table, column.name, after.id, after.options,
                              needs=(column,), after=(created,),
                              why="is new: continue after the values the rows hold")  # fmt: skip


def keep_owned_sequences(ctx: PlanContext, before: model.DbObject, after: model.DbObject,
                         change: Change | None) -> None:  # fmt: skip
    """A table dropped and created again takes the sequences its columns own with it (docs:
    CREATE SEQUENCE, "OWNED BY"): one that stays is released first and owned again once the
    table is back, so it keeps its value and the new table's defaults find it."""
    for sequence in ctx.old.sequences.values():
        column = sequence.owned_by
        if column is None or sequence.identity_of is not None or column.parent != before.id.name \
                or column.schema != before.id.schema:
            continue
        kept = ctx.new.objects.get(sequence.id)
        if not isinstance(kept, model.Sequence) or kept.owned_by != column:
            continue
        ctx.emit(f"ALTER SEQUENCE {names.relation(sequence.id)} OWNED BY NONE", change=change,
                 anchor=sequence.id, phase=DROP_PHASE, frees=(before.id, column),
                 comment=f"kept while {after.id.qualified_name} is rebuilt")  # fmt: skip
        owned_by(ctx, kept, change)


def resume_identities(ctx: PlanContext, table: ObjectId, waits: list[ObjectId]) -> None:
    """A partitioned table dropped and created again keeps its rows in the partitions it
    attaches again (``waits``), but each identity column's sequence is created afresh and
    would hand out the rows' values again: move it past them (the old sequence's counter goes
    with the old table, the rows say how far it had gone)."""
    before, after = ctx.old.objects.get(table), ctx.new.objects.get(table)
    if not isinstance(before, model.Table) or not isinstance(after, model.Table):
        return
    for column in after.columns.ordered:
        if column.identity is None or column.name not in before.columns:
            continue
        continue_past_rows(ctx, table, column, needs=(table, column.id, *waits),
                           why="is created again: continue after the rows the partitions keep")


def continue_past_rows(
    ctx: PlanContext, table: ObjectId, column: model.Column, *, needs: Iterable[ObjectId],
    why: str, after: Iterable[Action] = (),
) -> None:  # fmt: skip
    """``setval`` the new sequence of identity ``column`` past the values the table's rows
    already hold: a new identity sequence starts at its START value (docs: ALTER TABLE ... ADD
    GENERATED AS IDENTITY) and would hand them out again."""
    identity = column.identity
    if identity is not None and identity.sequence is not None:
        _setval_past_rows(ctx, table, column.name, identity.sequence, identity.options,
                          needs=needs, why=why, after=after)  # fmt: skip


def _setval_past_rows(
    ctx: PlanContext, table: ObjectId, column: str, sequence: ObjectId,
    options: model.SequenceOptions | None, *, needs: Iterable[ObjectId], why: str,
    after: Iterable[Action] = (),
) -> None:  # fmt: skip
    """``setval`` a new ``sequence`` past the values of ``table``.``column``. Nothing happens
    when no row lies at or past the new sequence's start (an empty table included)."""
    options = options or model.SequenceOptions()
    # Only forward from where the new sequence starts (CREATE SEQUENCE's defaults: its
    # MINVALUE, 1, ascending; its MAXVALUE, -1, descending).
    if options.increment > 0:
        start = options.start if options.start is not None else options.min_value or 1
        edge, test = "max", f">= {start}"
    else:
        start = options.start if options.start is not None else options.max_value or -1
        edge, test = "min", f"<= {start}"
    name = names.relation(sequence)
    value = f"{edge}({quote_ident(column)})"
    step = ctx.emit(
        # Only quoted identifiers and integers go into this query.
        f"SELECT pg_catalog.setval({quote_literal(name)}, {value}) "  # noqa: S608
        f"FROM {names.relation(table)} HAVING {value} {test}",
        change=None, anchor=sequence, needs=(*needs, sequence),
        comment=f"{sequence.qualified_name} {why}",
    )  # fmt: skip
    step.after.extend(after)


def _lift_into_range(
    ctx: PlanContext,
    change: Change,
    sequence: model.Sequence,
    old: model.SequenceOptions,
    new: model.SequenceOptions,
) -> None:
    """ALTER SEQUENCE checks the sequence's current value against its new bounds and fails
    when the value is outside ("RESTART value cannot be less than MINVALUE", or greater than
    MAXVALUE). The value is data, unknowable offline: where it lies behind the way the
    sequence runs (below a raised minimum of an ascending sequence, above a lowered maximum
    of a descending one), it is moved to the new bound first, as the next value to hand out
    (``setval(..., false)``); a value already in range is left alone. A value ahead of the
    new bound (the other end) would mean values already handed out lie outside the new range:
    that is left to fail, with the ``may_fail`` hazard."""
    if new.increment > 0 and new.min_value is not None and (
        old.min_value is None or old.min_value < new.min_value
    ):
        bound, behind, word = new.min_value, "<", "MINVALUE is above"
    elif new.increment < 0 and new.max_value is not None and (
        old.max_value is None or old.max_value > new.max_value
    ):
        bound, behind, word = new.max_value, ">", "MAXVALUE is below"
    else:
        return
    name = names.relation(sequence.id)
    ctx.emit(
        # Only quoted identifiers and integers go into this query.
        f"SELECT pg_catalog.setval({quote_literal(name)}, {bound}, false) "  # noqa: S608
        f"FROM {name} WHERE last_value {behind} {bound}",
        change=change, anchor=sequence.id, needs=(sequence.id,),
        comment=f"the new {word} the sequence's current value: start it there",
    )  # fmt: skip


def _size(options: model.SequenceOptions) -> int:
    """The width in bytes of a sequence's type; a sequence without AS is a bigint one (docs:
    CREATE SEQUENCE, "data_type")."""
    return _SIZES.get(str(options.data_type or "bigint"), 8)


_SIZES = {"smallint": 2, "integer": 4, "bigint": 8}


def _column_size(ctx: PlanContext, column: ObjectId, side: int) -> int:
    """The width of an identity column's type, which its sequence has (pg_dump writes no
    ``AS`` for it)."""
    table = ctx.container(column, side)
    found = table.columns.get(column.name) if isinstance(table, model.Table) else None
    return _SIZES.get(str(found.type), 8) if found is not None else 8


def _narrows(old: model.SequenceOptions, new: model.SequenceOptions) -> bool:
    """Whether the sequence's current value may fall outside the new bounds: ALTER SEQUENCE
    then fails (its value is not changed without RESTART, docs: ALTER SEQUENCE)."""
    raised = new.min_value is not None and (old.min_value is None or new.min_value > old.min_value)
    lowered = new.max_value is not None and (old.max_value is None or new.max_value < old.max_value)
    return raised or lowered or _size(new) < _size(old)


def _changed_options(old: model.SequenceOptions, new: model.SequenceOptions) -> list[str]:
    parts = []
    if old.data_type != new.data_type:
        # A sequence without AS is a bigint one (docs: CREATE SEQUENCE, "data_type").
        parts.append(f"AS {new.data_type or 'bigint'}")
    if old.increment != new.increment:
        parts.append(f"INCREMENT BY {new.increment}")
    if old.min_value != new.min_value:
        parts.append(f"MINVALUE {new.min_value}" if new.min_value is not None else "NO MINVALUE")
    if old.max_value != new.max_value:
        parts.append(f"MAXVALUE {new.max_value}" if new.max_value is not None else "NO MAXVALUE")
    if old.start != new.start and new.start is not None:
        parts.append(f"START WITH {new.start}")
    if old.cache != new.cache:
        parts.append(f"CACHE {new.cache}")
    if old.cycle != new.cycle:
        parts.append("CYCLE" if new.cycle else "NO CYCLE")
    return parts
