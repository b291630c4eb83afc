"""Planning the columns of a table, foreign table or composite type: ADD, DROP, RENAME and
ALTER COLUMN (type, default, NOT NULL, identity, generation...), with their hazards."""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import model
from pgdrift.differ.changes import (
    DELETES_DATA,
    MAY_FAIL,
    REWRITES_TABLE,
    STRONG_LOCK,
    AttributeChange,
    Change,
)
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident
from pgdrift.pg.storage import type_storage
from pgdrift.planner import attributes, names
from pgdrift.planner.clauses import (
    collate,
    fdw_option_changes,
    sequence_options,
    sql,
)
from pgdrift.planner.constraints import statistics_targets_again
from pgdrift.planner.context import (
    DROP_PHASE,
    Action,
    PlanContext,
    column_ids,
)
from pgdrift.planner.hazards import domain_rules, not_null_proven, type_change
from pgdrift.planner.inheritance import (
    dropped_with_only,
    kept_by_children,
    local_copies,
    only_dropped_id,
    uninherited_first,
)
from pgdrift.planner.inherited_columns import warn_local_change
from pgdrift.planner.partitions import partition_copies
from pgdrift.planner.renames import columns_referenced
from pgdrift.planner.sequences import continue_past_rows
from pgdrift.planner.tables import (
    column_definition,
    column_extras,
    identity_clause,
    is_volatile,
    set_reset,
)
from pgdrift.schema import domain_lookup


def _prefix(container: model.DbObject) -> str:
    if isinstance(container, model.CompositeType):
        return f"ALTER TYPE {names.relation(container.id)}"
    keyword = "FOREIGN TABLE" if isinstance(container, model.ForeignTable) else "TABLE"
    return f"ALTER {keyword} {names.relation(container.id)}"


def _word(container: model.DbObject) -> str:
    return "ATTRIBUTE" if isinstance(container, model.CompositeType) else "COLUMN"


def _typed_tables(ctx: PlanContext, container: model.DbObject, side: int) -> list[model.Table]:
    """The tables typed OF composite type ``container`` (CREATE TABLE ... OF) on one side."""
    if not isinstance(container, model.CompositeType):
        return []
    schema = ctx.new if side else ctx.old
    oid = container.id
    return [t for t in schema.tables.values() if t.of_type is not None
            and (t.of_type.schema, t.of_type.name) == (oid.schema, oid.name)]  # fmt: skip


def _typed_copies(
    ctx: PlanContext, container: model.DbObject, name: str, side: int
) -> list[ObjectId]:
    """The columns named ``name`` of the tables typed OF ``container`` that ALTER TYPE ...
    CASCADE changes with the attribute, each table existing on both sides."""
    other = ctx.old if side else ctx.new
    return [t.columns[name].id for t in _typed_tables(ctx, container, side)
            if name in t.columns and t.id in other.objects]  # fmt: skip


def _cascade(ctx: PlanContext, container: model.DbObject) -> str:
    # ALTER TYPE refuses to change a composite type a typed table is of ("cannot alter type
    # ... because it is the type of a typed table") unless CASCADE, which changes the tables'
    # columns alike (docs: ALTER TYPE, CASCADE).
    return " CASCADE" if _typed_tables(ctx, container, 0) else ""


def through_type(ctx: PlanContext, container: model.DbObject) -> bool:
    """Whether ``container`` is a table typed OF the same composite type on both sides: its
    columns are added, dropped and retyped only through ALTER TYPE ... CASCADE ("cannot add
    column to typed table")."""
    if not isinstance(container, model.Table) or container.of_type is None:
        return False
    before = ctx.old.objects.get(container.id)
    return isinstance(before, model.Table) and before.of_type == container.of_type


def add_column(
    ctx: PlanContext, container: model.DbObject, column: model.Column, change: Change | None
) -> Action:
    existing = not ctx.is_new(container.id) and isinstance(container, model.Table)
    hazards: list[str] = []
    if existing:
        rules = domain_rules(column.type, domain_lookup(ctx.new, ctx.old))
        # A column of a domain with a NOT NULL or CHECK is filled and checked row by row: the
        # table is rewritten even without a default (tablecmds.c ATExecAddColumn,
        # DomainHasConstraints), as for a volatile default, an identity or a generation.
        if column.generated is not None or column.identity is not None or is_volatile(
            column.default
        ) or (rules is not None and rules.constrained):
            hazards += [REWRITES_TABLE, STRONG_LOCK]
        not_null = column.not_null or (rules is not None and rules.not_null)
        if not_null and column.default is None and column.generated is None and (
            column.identity is None
        ) and not (rules is not None and rules.default):
            # NOT NULL without a default (its own or its domain's) fails as soon as the table
            # has a row.
            hazards.append(MAY_FAIL)
    if isinstance(container, model.CompositeType):
        definition = f"{quote_ident(column.name)} {column.type}{collate(column.collation)}"
    else:
        definition = column_definition(column)
    makes = [column.id, *_typed_copies(ctx, container, column.name, 1)]
    if column.identity is not None and column.identity.sequence is not None:
        makes.append(column.identity.sequence)
    merged = local_copies(container.id, column.name, ctx.new)  # added first, then merged into
    action = ctx.emit(
        f"{_prefix(container)} ADD {_word(container)} {definition}{_cascade(ctx, container)}",
        change=change, anchor=container.id, makes=makes,
        needs=(container.id, *ctx.column_deps(container, column, 1), *merged), hazards=hazards,
    )  # fmt: skip
    if isinstance(container, model.Table):
        column_extras(ctx, container, column, change)
        if existing:
            warn_local_change(ctx, container, None, column)
    elif column.comment is not None:
        attributes.emit_comment(ctx, column.id, column, column.comment, change)
    return action


def drop_column(
    ctx: PlanContext, container: model.DbObject, column: model.Column, change: Change | None
) -> Action:
    typed = _typed_copies(ctx, container, column.name, 0)
    removes = [column.id, *partition_copies(ctx, container.id, column.name), *typed]
    if column.identity is not None and column.identity.sequence is not None:
        removes.append(column.identity.sequence)
    existing = (isinstance(container, model.Table) and not ctx.is_new(container.id)) or bool(typed)
    prefix = _prefix(container)
    makes: list[ObjectId] = []
    if isinstance(container, model.Table) and kept_by_children(container.id, column.name,
                                                               ctx.old, ctx.new):  # fmt: skip
        # A child keeps its copy with its data: ONLY leaves every child's its own.
        prefix = f"ALTER TABLE ONLY {names.relation(container.id)}"
        makes.append(only_dropped_id(column.id))
    # A generated column depends on the columns it is computed from: it goes before them.
    sources = [] if column.generated is None else [
        c for c in column_ids(container, columns_referenced(column.generated)) if c != column.id
    ]  # fmt: skip
    return ctx.emit(
        f"{prefix} DROP {_word(container)} {quote_ident(column.name)}{_cascade(ctx, container)}",
        change=change, anchor=container.id, phase=DROP_PHASE, removes=removes, makes=makes,
        frees=(*ctx.column_deps(container, column, 0), *local_copies(container.id, column.name,
               ctx.old), *typed, *sources), uses=(container.id,),
        hazards=(DELETES_DATA,) if existing else (),
        needs=(*uninherited_first(container.id, ctx.old, ctx.new, column=column.name),
               *dropped_with_only(container.id, column.name, ctx.old)),
    )  # fmt: skip


def rename_column(
    ctx: PlanContext, container: model.DbObject, old: model.Column, new: model.Column,
    change: Change,
) -> Action:  # fmt: skip
    action = ctx.emit(
        f"{_prefix(container)} RENAME {_word(container)} {quote_ident(old.name)} "
        f"TO {quote_ident(new.name)}",
        change=change, anchor=container.id, removes=(old.id,), makes=(new.id,),
        needs=(container.id,),
    )  # fmt: skip
    action.destroys = False
    return action


def alter_column(
    ctx: PlanContext,
    container: model.DbObject,
    before: model.Column,
    after: model.Column,
    details: Iterable[AttributeChange],
    *,
    change: Change | None,
    renamed: Action | None = None,
) -> None:
    """The ALTER COLUMN statements for what differs between two definitions of a column
    (``renamed``: the RENAME COLUMN step that comes first, if any)."""
    fields = {d.field.split(".")[0] for d in details}
    oid = after.id
    prefix = f"{_prefix(container)} ALTER {_word(container)} {quote_ident(after.name)}"
    existing = isinstance(container, model.Table) and not ctx.is_new(container.id)
    table_key = (container.id, after.name)
    if table_key in ctx.rebuilt_columns:
        return  # dropped and added again from ``after`` (cascades.rebuild_generated)
    type_step: Action | None = None
    if fields & {"type", "collation"}:
        if through_type(ctx, container):
            fields -= {"type", "collation"}  # retyped by the type's ALTER ATTRIBUTE ... CASCADE
        elif "generated" in fields and after.generated is not None:
            pass  # the column is dropped and added again below
        else:
            type_step = _change_type(ctx, container, before, after, change=change,
                                     existing=existing, renamed=renamed)  # fmt: skip
    if "generated" in fields:
        if after.generated is None and before.generated is not None:
            # Before any column it reads changes type: PostgreSQL refuses to retype a column
            # a generated column uses.
            # (Of the old table: a column it reads may be dropped in this plan.)
            read = column_ids(ctx.old.objects.get(container.id) or container,
                              columns_referenced(before.generated))  # fmt: skip
            ctx.emit(f"{prefix} DROP EXPRESSION", change=change, anchor=container.id,
                     needs=(oid,),
                     frees=(*ctx.column_deps(container, before, 0), *read))  # fmt: skip
        else:
            # PostgreSQL 15 cannot change a generation expression in place: the column is
            # dropped and added again (its values are computed, so nothing is lost, unless
            # it was a plain column whose values go).
            dropped = drop_column(ctx, container, before, change)
            if before.generated is not None:
                dropped.hazards = ()
            added = add_column(ctx, container, after, change)
            added.after.append(dropped)
            return
    if "default" in fields and table_key not in ctx.defaults_done:
        _change_default(ctx, container, before, after, change=change, prefix=prefix,
                        type_step=type_step)  # fmt: skip
    if "not_null" in fields:
        if after.not_null:
            kept = [c for c in ctx.old.constraints_of(container.id)
                    if ctx.new.objects.get(c.id) == c]  # fmt: skip
            scans = existing and not not_null_proven(after.name, kept)
            ctx.emit(f"{prefix} SET NOT NULL", change=change, anchor=container.id,
                     needs=(oid,), after=[type_step] if type_step else [],
                     hazards=(MAY_FAIL, STRONG_LOCK) if scans else ())  # fmt: skip
        else:
            # A column of a primary key stays NOT NULL while the key is there ("column is in
            # a primary key"): the key's DROP (which removes it) comes first.
            keys = [key.id for key in ctx.old.constraints_of(container.id)
                    if key.type == model.Constraint.PRIMARY_KEY and after.name in key.columns]
            ctx.emit(f"{prefix} DROP NOT NULL", change=change, anchor=container.id,
                     needs=(oid,), makes=keys)  # fmt: skip
    if "identity" in fields:
        _change_identity(ctx, container, before, after, change=change, prefix=prefix)
    if "storage" in fields:
        storage = (after.storage or type_storage(after.type) or "extended").upper()
        ctx.emit(f"{prefix} SET STORAGE {storage}", change=change, anchor=container.id,
                 needs=(oid,))  # fmt: skip
    if "compression" in fields:
        method = quote_ident(after.compression) if after.compression else "DEFAULT"
        ctx.emit(f"{prefix} SET COMPRESSION {method}", change=change, anchor=container.id,
                 needs=(oid,))  # fmt: skip
    if "statistics" in fields:
        target = after.statistics if after.statistics is not None else -1
        ctx.emit(f"{prefix} SET STATISTICS {target}", change=change, anchor=container.id,
                 needs=(oid,))  # fmt: skip
    if "options" in fields:
        set_reset(ctx, change, container.id, prefix, old=before.options, new=after.options)
    if "fdw_options" in fields:
        clause = fdw_option_changes(before.fdw_options, after.fdw_options)
        if clause:
            ctx.emit(f"{prefix} {clause}", change=change, anchor=container.id, needs=(oid,))
    if "comment" in fields:
        attributes.emit_comment(ctx, oid, after, after.comment, change)
    if "privileges" in fields and isinstance(container, model.Table):
        attributes.emit_privileges(ctx, container.id, container, set(before.privileges),
                                   set(after.privileges), change=change,
                                   column=after.name)  # fmt: skip
    if "security_labels" in fields:
        for label in after.security_labels:
            if label not in before.security_labels:
                attributes.emit_label(ctx, oid, after, label, change)
        providers = {label.provider for label in after.security_labels}
        for label in before.security_labels:
            if label.provider not in providers:
                attributes.emit_label(ctx, oid, after, model.SecurityLabel(label.provider, None),
                                      change)  # fmt: skip
    if "inherited" in fields:
        warn_local_change(ctx, container, before, after)
    handled = {"type", "collation", "generated", "default", "not_null", "identity", "storage",
               "compression", "statistics", "options", "fdw_options", "comment", "privileges",
               "security_labels", "inherited"}  # fmt: skip
    for field in sorted(fields - handled):
        ctx.warn(f"{oid}: cannot plan a change of {field}")


def _reads_every_row(
    ctx: PlanContext, container: model.DbObject, before: model.Column, after: model.Column
) -> bool:
    """Whether an ALTER COLUMN ... TYPE that rewrites nothing still reads every row under its
    ACCESS EXCLUSIVE lock: the CHECK constraints on the column are validated again, and the
    indexes on it are built again when its collation changes (tablecmds.c
    ATPostAlterTypeCleanup; an index is kept only when CheckIndexCompatible finds the same
    operator classes and collations)."""
    if not isinstance(container, model.Table):
        return False
    constraints = ctx.old.constraints_of(container.id)
    if any(c.type == model.Constraint.CHECK and after.name in ctx.names_in(c, 0)
           for c in constraints):  # fmt: skip
        return True
    if before.collation == after.collation:
        return False
    indexed = (*ctx.old.indexes_of(container.id),
               *(c for c in constraints if c.type in (model.Constraint.PRIMARY_KEY,
                 model.Constraint.UNIQUE, model.Constraint.EXCLUSION)))  # fmt: skip
    return any(after.name in ctx.names_in(index, 0) for index in indexed)


def _change_type(
    ctx: PlanContext,
    container: model.DbObject,
    before: model.Column,
    after: model.Column,
    *,
    change: Change | None,
    existing: bool,
    renamed: Action | None,
) -> Action:
    prefix = f"{_prefix(container)} ALTER {_word(container)} {quote_ident(after.name)}"
    how = type_change(after.name, before.type, after.type, domains=domain_lookup(ctx.new, ctx.old))
    statement = f"{prefix} TYPE {after.type}{collate(after.collation)}{_cascade(ctx, container)}"
    if how.using is not None and isinstance(container, model.Table):
        statement += f" USING {how.using}"
    typed = _typed_copies(ctx, container, after.name, 1)
    # The typed tables' columns are rewritten as ALTER TABLE ... ALTER COLUMN TYPE would.
    hazards = how.hazards() if existing or typed else ()
    if existing and not how.rewrites and _reads_every_row(ctx, container, before, after):
        hazards = (*hazards, STRONG_LOCK)
    table_key = (container.id, after.name)
    drop_default: Action | None = None
    # A default handled apart (off before this ALTER, back on after) binds nothing here: its
    # functions may be replaced meanwhile.
    apart = table_key in ctx.defaults_done
    if (before.default is not None and before.type != after.type
            and not apart and isinstance(container, model.Table)):
        # ALTER COLUMN TYPE casts the old default to the new type, which fails when no
        # assignment cast exists (a default 'x'::old_enum): take it off first, put the new one
        # back after.
        ctx.defaults_done.add(table_key)
        apart = True
        drop_default = ctx.emit(f"{prefix} DROP DEFAULT", change=change, anchor=container.id,
                                needs=(container.id,), frees=ctx.column_deps(container, before, 0),
                                after=[renamed] if renamed else [])  # fmt: skip
    step = ctx.emit(
        statement, change=change, anchor=container.id, removes=(before.id, *typed),
        makes=(after.id, *typed),
        needs=(container.id, *ctx.column_deps(container, after, 1, default=not apart)),
        frees=(*ctx.column_deps(container, before, 0, default=not apart),
               *_typed_copies(ctx, container, after.name, 0)), hazards=hazards,
        after=[drop_default] if drop_default else [],
    )  # fmt: skip
    if drop_default is not None and after.default is not None:
        ctx.emit(f"{prefix} SET DEFAULT {sql(after.default)}", change=change,
                 anchor=container.id, after=[step],
                 needs=(after.id, *ctx.column_deps(container, after, 1)))  # fmt: skip
    if existing and isinstance(container, model.Table):
        statistics_targets_again(ctx, container.id, after.name, step)
    return step


def _change_default(
    ctx: PlanContext,
    container: model.DbObject,
    before: model.Column,
    after: model.Column,
    *,
    change: Change | None,
    prefix: str,
    type_step: Action | None,
) -> None:
    ctx.defaults_done.add((container.id, after.name))
    old_deps = ctx.column_deps(container, before, 0) if before.default is not None else frozenset()
    new_deps = ctx.column_deps(container, after, 1)
    run_after = [type_step] if type_step else []
    if after.default is None:
        ctx.emit(f"{prefix} DROP DEFAULT", change=change, anchor=container.id,
                 needs=(after.id,), frees=old_deps, phase=DROP_PHASE)  # fmt: skip
        return
    if old_deps:
        # The old default calls something: take it off early, so what it called can be
        # dropped before the new default (and whatever it calls) exists.
        dropped = ctx.emit(f"{prefix} DROP DEFAULT", change=change, anchor=container.id,
                           needs=(before.id,), frees=old_deps, phase=DROP_PHASE)  # fmt: skip
        run_after.append(dropped)
    ctx.emit(f"{prefix} SET DEFAULT {sql(after.default)}", change=change, anchor=container.id,
             needs=(after.id, *new_deps), after=run_after)  # fmt: skip


def _change_identity(
    ctx: PlanContext,
    container: model.DbObject,
    before: model.Column,
    after: model.Column,
    *,
    change: Change | None,
    prefix: str,
) -> None:
    old, new = before.identity, after.identity
    if old is None and new is not None:
        makes = (new.sequence,) if new.sequence is not None else ()
        added = ctx.emit(f"{prefix} ADD {identity_clause(new)}", change=change,
                         anchor=container.id, needs=(after.id,), makes=makes)  # fmt: skip
        if isinstance(container, model.Table) and not ctx.is_new(container.id):
            continue_past_rows(ctx, container.id, after, needs=(after.id,), after=(added,),
                               why="is new: continue after the values the rows hold")  # fmt: skip
        return
    if new is None and old is not None:
        removes = (old.sequence,) if old.sequence is not None else ()
        ctx.emit(f"{prefix} DROP IDENTITY", change=change, anchor=container.id,
                 phase=DROP_PHASE, removes=removes)  # fmt: skip
        return
    assert old is not None
    assert new is not None
    parts = []
    if old.always != new.always:
        parts.append("SET GENERATED " + ("ALWAYS" if new.always else "BY DEFAULT"))
    if old.options != new.options and new.options is not None:
        parts.extend(f"SET {option}" for option in sequence_options(new.options, for_alter=True,
                                                                      identity_alter=True))
        if new.options.start is not None and (old.options is None
                                              or old.options.start != new.options.start):
            parts.append(f"SET START WITH {new.options.start}")
    if parts:
        ctx.emit(f"{prefix} {' '.join(parts)}", change=change, anchor=container.id,
                 needs=(after.id,))  # fmt: skip
