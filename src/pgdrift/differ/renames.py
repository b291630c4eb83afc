"""Probable renames: dropped/created pairs with compatible definitions and similar names.

A candidate is scored from its evidence; it stays a drop + create unless the caller confirms
it (``renames=``) or accepts every candidate above a threshold (``detect_renames=True``).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence

import attrs

from pgdrift import ids, model
from pgdrift.diff_options import DiffOptions
from pgdrift.differ.changes import Change, RenameCandidate
from pgdrift.ids import ObjectId

_RENAMEABLE = frozenset({ids.COLUMN, ids.TABLE, ids.INDEX, ids.CONSTRAINT, ids.FUNCTION,
                         ids.PROCEDURE, ids.VIEW, ids.SEQUENCE, ids.ENUM, ids.TRIGGER,
                         ids.POLICY})  # fmt: skip


def find_rename_candidates(
    changes: Sequence[Change], options: DiffOptions
) -> tuple[RenameCandidate, ...]:
    dropped = [c.before for c in changes if c.operation == "drop" and c.kind in _RENAMEABLE]
    created = [c.after for c in changes if c.operation == "create" and c.kind in _RENAMEABLE]
    pairs: list[RenameCandidate] = []
    for old in dropped:
        assert old is not None
        for new in created:
            assert new is not None
            if not _same_container(old.id, new.id):
                continue
            score, evidence = _score(old, new)
            pairs.append(RenameCandidate(old.id, new.id, score, evidence))
    explicit = _explicit_renames(options, dropped, created)
    # Best pairs first; each object takes part in at most one rename.
    pairs.sort(key=lambda p: (-p.score, p.old.sort_key(), p.new.sort_key()))
    taken_old: set[ObjectId] = set()
    taken_new: set[ObjectId] = set()
    result: list[RenameCandidate] = []
    for old_id, new_id in explicit:
        taken_old.add(old_id)
        taken_new.add(new_id)
        match = next((p for p in pairs if p.old == old_id and p.new == new_id), None)
        evidence = match.evidence if match else ()
        score = match.score if match else 1.0
        result.append(RenameCandidate(old_id, new_id, score, (*evidence, "confirmed"), True))
    for pair in pairs:
        if pair.old in taken_old or pair.new in taken_new:
            continue
        if pair.score < options.rename_report_threshold:
            continue
        taken_old.add(pair.old)
        taken_new.add(pair.new)
        confirmed = options.detect_renames and pair.score >= options.rename_threshold
        result.append(attrs.evolve(pair, confirmed=confirmed))
    result.sort(key=lambda p: (p.old.sort_key(), p.new.sort_key()))
    return tuple(result)


def with_renamed_tables_constraints(
    candidates: Sequence[RenameCandidate], tables: Collection[ObjectId]
) -> tuple[RenameCandidate, ...]:
    """``candidates`` with each constraint of a table renamed to one of ``tables`` (the new
    ids) confirmed as renamed when its definition is unchanged: PostgreSQL keeps a renamed
    table's constraint names (``orders_pkey`` of a table renamed ``purchases``), a schema
    declared afresh names them after the new table, and dropping and adding a key that a
    foreign key of another table uses fails ("other objects depend on it")."""
    renamed = {(t.schema, t.name) for t in tables}
    if not renamed:
        return tuple(candidates)
    return tuple(
        attrs.evolve(c, confirmed=True, evidence=(*c.evidence, "its table is renamed"))
        if not c.confirmed and c.old.kind == ids.CONSTRAINT
        and (c.old.schema, c.old.parent) in renamed and "same definition" in c.evidence
        else c
        for c in candidates
    )


def _same_container(old: ObjectId, new: ObjectId) -> bool:
    return old.kind == new.kind and old.schema == new.schema and old.parent == new.parent


def _named(oid: ObjectId, old_name: str) -> bool:
    """Whether a rename's OLD (``schema.table.old`` or ``table.old``) names ``oid``."""
    return oid.qualified_name in (old_name, f"public.{old_name}")


def unmatched_renames(
    renames: dict[str, str], candidates: Sequence[RenameCandidate]
) -> list[str]:
    """The OLDs of ``renames`` that confirmed no rename: no object of that name dropped with
    one of the new name created beside it."""
    confirmed = [c.old for c in candidates if c.confirmed]
    return [old for old in renames if not any(_named(oid, old) for oid in confirmed)]


def _explicit_renames(
    options: DiffOptions,
    dropped: Sequence[model.DbObject | None],
    created: Sequence[model.DbObject | None],
) -> list[tuple[ObjectId, ObjectId]]:
    """Renames the caller named: ``{"schema.table.old": "new"}`` or ``{"table.old": "new"}``."""
    result = []
    for old_name, new_name in options.renames.items():
        for old in dropped:
            assert old is not None
            if not _named(old.id, old_name):
                continue
            new_id = attrs.evolve(old.id, name=new_name.split(".")[-1])
            if any(n is not None and n.id == new_id for n in created):
                result.append((old.id, new_id))
    return result


def _score(old: model.DbObject, new: model.DbObject) -> tuple[float, tuple[str, ...]]:
    """Confidence that ``new`` is ``old`` renamed, and why."""
    evidence: list[str] = []
    similarity = difflib.SequenceMatcher(None, old.name, new.name).ratio()
    if isinstance(old, model.Column) and isinstance(new, model.Column):
        score = 0.0
        if old.type == new.type:
            score += 0.4
            evidence.append(f"same type {old.type}")
        if old.not_null == new.not_null:
            score += 0.1
            evidence.append("same nullability")
        if old.default == new.default:
            score += 0.1
            if old.default is not None:
                evidence.append("same default")
        score += 0.3 * similarity
        if similarity >= 0.5:
            evidence.append(f"similar name ({similarity:.0%})")
        if old.comment == new.comment and old.comment is not None:
            score += 0.1
            evidence.append("same comment")
        return round(min(score, 1.0), 3), tuple(evidence)
    # Other objects compare by definition (ids stay out of equality).
    same = _same_definition(old, new)
    score = (0.7 if same else 0.0) + 0.3 * similarity
    if same:
        evidence.append("same definition")
    if similarity >= 0.5:
        evidence.append(f"similar name ({similarity:.0%})")
    return round(min(score, 1.0), 3), tuple(evidence)


def _same_definition(old: model.DbObject, new: model.DbObject) -> bool:
    if isinstance(old, model.Table) and isinstance(new, model.Table):
        old_cols = [(c.name, c.type) for c in old.columns.ordered]
        new_cols = [(c.name, c.type) for c in new.columns.ordered]
        return old_cols == new_cols
    return bool(old == new)
