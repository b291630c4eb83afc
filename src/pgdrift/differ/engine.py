"""Compare two schemas object by object, by meaning."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.cache_objects import LazyObjects, unlike
from pgdrift.diff_options import DiffOptions
from pgdrift.differ import security
from pgdrift.differ.carry import Renames, carry_renames
from pgdrift.differ.changes import (
    Altered,
    AttributeChange,
    Change,
    ChangeSet,
    Created,
    Dropped,
    RenameCandidate,
    Renamed,
    Replaced,
)
from pgdrift.differ.cluster_scope import without_unknown_cluster
from pgdrift.differ.compare import compare_objects, replacement_reason
from pgdrift.differ.equivalences import treated_as_equal
from pgdrift.differ.identity_renames import with_identity_sequence_renames
from pgdrift.differ.inherited_renames import with_inherited_renames
from pgdrift.differ.renames import find_rename_candidates, with_renamed_tables_constraints
from pgdrift.differ.unknown_roles import pair_unknown_roles
from pgdrift.ids import ObjectId
from pgdrift.schema import Schema


def diff_schemas(a: Schema, b: Schema, options: DiffOptions) -> ChangeSet:
    """The changes that turn ``a`` into ``b`` under ``options``: :func:`pgdrift.diff` with its
    options already made into one :class:`DiffOptions`.

    Objects are matched by id; those on both sides are compared attribute by attribute,
    then renames are looked for among the drops and creates, and each change is flagged for
    the access it widens.

    Example:
        >>> import pgdrift
        >>> from pgdrift.differ import DiffOptions
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = pgdrift.loads("CREATE TABLE public.u (a integer);")
        >>> changes = diff_schemas(a, b, DiffOptions(include_kinds=["table"]))
        >>> [(c.operation, str(c.id)) for c in changes]
        [('drop', 'table:public.t'), ('create', 'table:public.u')]
    """
    # Both schemas read from cache entries: the objects with equal digests on both sides are
    # equal, and take part in nothing below but the rename carry (see _Whole, _unsettled).
    split = unlike(a.objects, b.objects)
    old = _kept(a, None if split is None else split[0], options)
    new = _kept(b, None if split is None else split[1], options)
    old, new = pair_unknown_roles(old, new)
    old, new = without_unknown_cluster(a.objects, b.objects, old, new)
    changes = _changes(old, new, options)
    # The inherited renames need only the differing objects: a descendant whose column a
    # parent's rename renames differs itself.
    candidates = _derived_renames(find_rename_candidates(changes, options), changes, old, new)
    same = _same(a, split) if any(c.confirmed for c in candidates) else frozenset()
    whole_old = old if not same else _Whole(old, a, same, options)
    renames = Renames.of(candidates, whole_old)
    origins: dict[ObjectId, model.DbObject] = {}
    if renames:
        # Renamed tables and columns renamed their dependents too (PostgreSQL follows oids):
        # compare the dependents as the rename left them, then look for renames again (an
        # index named after the old column now matches its counterpart by definition).
        carried, origins = carry_renames(whole_old, renames)
        if same:
            carried, new = _unsettled(carried, origins, new, b, same=same, options=options)
        changes = _changes(carried, new, options)
        tables = [c.new for c in candidates
                  if c.confirmed and c.old.kind in (ids.TABLE, ids.FOREIGN_TABLE)]  # fmt: skip
        candidates = with_renamed_tables_constraints(
            _derived_renames(find_rename_candidates(changes, options), changes, old, new), tables
        )
    confirmed = {c.old: c for c in candidates if c.confirmed}
    if confirmed:
        changes = _apply_renames(changes, confirmed, options)
    if origins:
        changes = [_with_original(c, origins) for c in changes]
    changes = security.flag_all(changes)
    changes.sort(key=lambda c: c.sort_key())
    return ChangeSet(tuple(changes), tuple(candidates), options.labels, a, b, options,
                     treated_as_equal(old, new))  # fmt: skip


def _derived_renames(
    candidates: tuple[RenameCandidate, ...],
    changes: list[Change],
    old: Mapping[ObjectId, model.DbObject],
    new: Mapping[ObjectId, model.DbObject],
) -> tuple[RenameCandidate, ...]:
    """The candidates with the renames that follow from others or from PostgreSQL's own
    rules: a parent's column renamed in its descendants, an identity's sequence renamed."""
    candidates = with_inherited_renames(candidates, old, new)
    return with_identity_sequence_renames(candidates, changes)


def _same(a: Schema, split: tuple[list[int], list[int]] | None) -> frozenset[ObjectId]:
    """The ids on both sides whose cached digests are equal (none unless both are cached)."""
    if split is None:
        return frozenset()
    unlike_a = set(split[0])
    return frozenset(oid for n, oid in enumerate(a.objects) if n not in unlike_a)


def _kept(
    schema: Schema, positions: list[int] | None, options: DiffOptions
) -> dict[ObjectId, model.DbObject]:
    """The objects of ``schema`` that the options keep, among those at ``positions`` when given
    (those not equal by digest on the other side; the schema's objects are then lazy)."""
    objects = schema.objects
    if positions is None:
        if options.selects_everything:
            return dict(objects)
        return {oid: obj for oid, obj in objects.items() if options.keeps(obj)}
    assert isinstance(objects, LazyObjects)
    kept = ((objects.id_at(n), objects.at(n)) for n in positions)
    if options.selects_everything:
        return dict(kept)
    return {oid: obj for oid, obj in kept if options.keeps(obj)}


class _Whole(Mapping[ObjectId, model.DbObject]):
    """The old side as the full comparison sees it: ``reduced`` (the objects that differ, as
    paired) with the kept objects of ``same`` from ``schema`` back in their places, read
    only when asked for."""

    def __init__(
        self,
        reduced: dict[ObjectId, model.DbObject],
        schema: Schema,
        same: frozenset[ObjectId],
        options: DiffOptions,
    ) -> None:
        self._reduced, self._objects, self._same, self._options = (
            reduced,
            schema.objects,
            same,
            options,
        )

    def _keeps(self, oid: ObjectId) -> bool:
        return self._options.selects_everything or self._options.keeps(self._objects[oid])

    def __contains__(self, oid: object) -> bool:
        if oid in self._reduced:
            return True
        return oid in self._same and self._keeps(oid)

    def __getitem__(self, oid: ObjectId) -> model.DbObject:
        found = self._reduced.get(oid)
        if found is not None:
            return found
        if oid in self._same and self._keeps(oid):
            return self._objects[oid]
        raise KeyError(oid)

    def __iter__(self) -> Iterator[ObjectId]:
        # The order of the full comparison: the schema's, re-keyed pairs at the end.
        for oid in self._objects:
            if oid in self._reduced or (oid in self._same and self._keeps(oid)):
                yield oid
        yield from (oid for oid in self._reduced if oid not in self._objects)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _unsettled(
    carried: dict[ObjectId, model.DbObject],
    origins: dict[ObjectId, model.DbObject],
    new: dict[ObjectId, model.DbObject],
    b: Schema,
    *,
    same: frozenset[ObjectId],
    options: DiffOptions,
) -> tuple[dict[ObjectId, model.DbObject], dict[ObjectId, model.DbObject]]:
    """What is left to compare after the rename carry: an object of ``same`` still at its id
    and untouched by the carry is equal on both sides; one it rewrote or moved away is not."""
    old = {oid: obj for oid, obj in carried.items() if oid not in same or oid in origins}
    result = dict(new)
    for oid in same:
        if (oid in origins or oid not in carried) and (
            options.selects_everything or options.keeps(b.objects[oid])
        ):
            result[oid] = b.objects[oid]
    return old, result


def _with_original(change: Change, origins: dict[ObjectId, model.DbObject]) -> Change:
    """Show the old side as it was written, not as the rename carry rewrote it for comparing."""
    before = change.before
    if before is None:
        return change
    original = origins.get(before.id)
    return attrs.evolve(change, before=original) if original is not None else change


def _changes(
    old: dict[ObjectId, model.DbObject], new: dict[ObjectId, model.DbObject], options: DiffOptions
) -> list[Change]:
    changes: list[Change] = []
    # One lookup per id: ids hash in Python, and set operations on the key views would hash
    # every id of both sides again (the order does not matter, the caller sorts).
    in_new = new.get
    for oid, before in old.items():
        after = in_new(oid)
        changes.extend(_dropped(before) if after is None else _compare(before, after, options))
    for oid, after in new.items():
        if oid not in old:
            changes.extend(_created(after))
    return changes


def _compare(before: model.DbObject, after: model.DbObject, options: DiffOptions) -> list[Change]:
    if before == after:
        return []
    result: list[Change] = []
    details = compare_objects(before, after, options)
    columns_before = getattr(before, "columns", None)
    columns_after = getattr(after, "columns", None)
    if isinstance(columns_before, model.Columns) and isinstance(columns_after, model.Columns):
        result.extend(_compare_columns(columns_before, columns_after, options))
        order = _column_order_change(columns_before, columns_after)
        if order is not None:
            details.append(order)
    # A partitioned table is rebuilt when a column of its key changes, although the table's
    # own attributes stay the same (pgdrift.pg.partitions).
    if details or isinstance(before, model.Table):
        reason = replacement_reason(before, after, details)
        if reason:
            result.append(Replaced(id=before.id, before=before, after=after,
                                   details=tuple(details), reason=reason))  # fmt: skip
        elif details:
            result.append(Altered(id=before.id, before=before, after=after, details=tuple(details)))
    return result


def _compare_columns(
    before: model.Columns, after: model.Columns, options: DiffOptions
) -> list[Change]:
    result: list[Change] = []
    for name in before:
        old = before[name]
        if name not in after:
            result.append(Dropped(id=old.id, before=old))
            continue
        details = compare_objects(old, after[name], options)
        if details:
            result.append(Altered(id=old.id, before=old, after=after[name], details=tuple(details)))
    for name in after:
        if name not in before:
            result.append(Created(id=after[name].id, after=after[name]))
    return result


def _column_order_change(before: model.Columns, after: model.Columns) -> AttributeChange | None:
    """Column order, reported apart from column definitions: the relative order of the
    columns both sides have (adding or dropping a column is not a reordering)."""
    common_before = [n for n in before if n in after]
    common_after = [n for n in after if n in before]
    if common_before == common_after:
        return None
    return AttributeChange("column_order", tuple(common_before), tuple(common_after))


def _dropped(obj: model.DbObject) -> list[Change]:
    return [Dropped(id=obj.id, before=obj)]


def _created(obj: model.DbObject) -> list[Change]:
    return [Created(id=obj.id, after=obj)]


def _apply_renames(
    changes: list[Change], confirmed: dict[ObjectId, Any], options: DiffOptions
) -> list[Change]:
    by_id: dict[tuple[str, ObjectId], Change] = {(c.operation, c.id): c for c in changes}
    result: list[Change] = []
    consumed: set[tuple[str, ObjectId]] = set()
    for old_id, candidate in confirmed.items():
        dropped = by_id.get(("drop", old_id))
        created = by_id.get(("create", candidate.new))
        if dropped is None or created is None:
            continue
        consumed.add(("drop", old_id))
        consumed.add(("create", candidate.new))
        assert dropped.before is not None
        assert created.after is not None
        details = compare_objects(dropped.before, created.after, options)
        columns_before = getattr(dropped.before, "columns", None)
        columns_after = getattr(created.after, "columns", None)
        if isinstance(columns_before, model.Columns) and isinstance(columns_after, model.Columns):
            # A renamed table's columns are compared like those of a table that kept its name.
            result.extend(_compare_columns(columns_before, columns_after, options))
            order = _column_order_change(columns_before, columns_after)
            if order is not None:
                details.append(order)
        result.append(Renamed(id=old_id, new_id=candidate.new, before=dropped.before,
                              after=created.after, details=tuple(details)))  # fmt: skip
    result.extend(c for c in changes if (c.operation, c.id) not in consumed)
    return result


__all__ = ["diff_schemas"]
