"""Fold the differ's pairwise change sets into a drift matrix.

Every two environments are diffed with the same options (:func:`pgdrift.differ.diff_schemas`),
so the matrix sees exactly what ``pgdrift diff`` would see between any two of them: filters,
presets, ignore switches and confirmed renames included. An object is a row when some pair
differs on it; two environments hold the same variant of it when their diff has no change on
it. For n environments that is n(n-1)/2 diffs — a few for dev, staging and prod; ``pgdrift
fleet`` is the tool for hundreds of databases against one baseline.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.diff_options import DiffOptions
from pgdrift.differ.changes import Change, ChangeSet, Created, Renamed
from pgdrift.differ.engine import diff_schemas
from pgdrift.drift_matrix.result import (
    Cell,
    DriftMatrix,
    MatrixRow,
    SecurityNote,
    VariantDifference,
)
from pgdrift.ids import ObjectId
from pgdrift.schema import Schema

__all__ = ["matrix", "matrix_labels"]

# Objects that hold columns; a column of one is found through it.
_COLUMN_HOLDERS = (ids.TABLE, ids.FOREIGN_TABLE, ids.COMPOSITE_TYPE)


def matrix(
    schemas: Sequence[Schema],
    *,
    labels: Sequence[str] | None = None,
    options: DiffOptions | None = None,
    **fields: Any,
) -> DriftMatrix:
    """Every object that is not the same in all ``schemas``, one row each, with a cell per
    environment: which variant of the object it holds, or none.

    Args:
        schemas: two or more environments, in the order their columns are shown.
        labels: a distinct name per schema (default ``a``, ``b``, ``c``...).
        options: a :class:`~pgdrift.DiffOptions` to start from; ``**fields`` override its
            fields, as for :func:`pgdrift.diff` (``exclude_schemas``, ``preset``,
            ``renames``, ``detect_renames``, ``ignore_owners``...). Its ``labels`` are not used.

    Raises:
        ValueError: fewer than two schemas, or labels that are not one distinct, non-empty
            name per schema.

    Example:
        >>> import pgdrift
        >>> dev = pgdrift.loads("CREATE TABLE public.t (a integer, b text);")
        >>> staging = pgdrift.loads("CREATE TABLE public.t (a bigint, b text);")
        >>> prod = pgdrift.loads("CREATE TABLE public.t (a bigint);")
        >>> drift = pgdrift.matrix([dev, staging, prod], labels=["dev", "staging", "prod"])
        >>> [(str(row.id), [cell.variant for cell in row.cells]) for row in drift]
        [('column:public.t.a', [1, 2, 2]), ('column:public.t.b', [1, 1, None])]
    """
    environments = list(schemas)
    names = matrix_labels(labels, len(environments))
    if options is None:
        chosen = DiffOptions(**fields)
    else:
        chosen = attrs.evolve(options, **fields) if fields else options
    pairs = _Pairs(environments, names, _renames_both_ways(chosen))
    rows = [_row(oid, pairs) for oid in pairs.touched()]
    rows.sort(key=lambda r: r.sort_key())
    sources = tuple(s.source for s in environments)
    return DriftMatrix(labels=names, sources=sources, rows=tuple(rows), options=chosen)


def matrix_labels(labels: Sequence[str] | None, count: int) -> tuple[str, ...]:
    """The names of ``count`` environments: ``labels`` checked, or ``a``, ``b``, ``c``...

    Raises:
        ValueError: fewer than two environments, or not one distinct, non-empty name each.

    Example:
        >>> matrix_labels(None, 3)
        ('a', 'b', 'c')
        >>> matrix_labels(["dev", "prod"], 3)
        Traceback (most recent call last):
        ...
        ValueError: 3 environments need 3 labels, got 2: dev, prod
    """
    if count < 2:
        raise ValueError(f"a drift matrix compares two environments or more, got {count}")
    if labels is None:
        letters = string.ascii_lowercase
        return tuple(letters[i] if count <= len(letters) else f"env{i + 1}" for i in range(count))
    names = tuple(str(label).strip() for label in labels)
    if len(names) != count:
        raise ValueError(
            f"{count} environments need {count} labels, got {len(names)}: {', '.join(names)}"
        )
    if not all(names):
        raise ValueError(f"labels cannot be empty: {', '.join(names)}")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"labels must differ; repeated: {', '.join(repeated)}")
    return names


def _renames_both_ways(options: DiffOptions) -> DiffOptions:
    """The options with each confirmed rename also confirmed backwards: an environment on the
    left of a pair may hold the new name and one on its right the old."""
    if not options.renames:
        return options
    renames = dict(options.renames)
    for old_name, new_name in options.renames.items():
        container, _, old = old_name.rpartition(".")
        renames.setdefault(f"{container}.{new_name.split('.')[-1]}", old)
    return attrs.evolve(options, renames=renames)


class _Pairs:
    """The change set of every two environments ``i < j`` (from i to j), indexed by the
    identities each change touches; the inverse change sets (j to i) made when needed."""

    def __init__(self, schemas: list[Schema], labels: tuple[str, ...], options: DiffOptions):
        self.schemas = schemas
        self.labels = labels
        self.options = options
        self.count = len(schemas)
        self._forward: dict[tuple[int, int], dict[ObjectId, list[Change]]] = {}
        self._sets: dict[tuple[int, int], ChangeSet] = {}
        self._backward: dict[tuple[int, int], dict[ObjectId, list[Change]]] = {}
        for i in range(self.count):
            for j in range(i + 1, self.count):
                pair_options = attrs.evolve(options, labels=(labels[i], labels[j]))
                changes = diff_schemas(schemas[i], schemas[j], pair_options)
                self._sets[i, j] = changes
                self._forward[i, j] = _by_identity(changes)

    def touched(self) -> list[ObjectId]:
        """Every identity some pair has a change on, sorted."""
        found = {oid for index in self._forward.values() for oid in index}
        return sorted(found, key=lambda oid: oid.sort_key())

    def changes(self, i: int, j: int, oid: ObjectId) -> list[Change]:
        """The changes on ``oid`` from environment i to environment j (either order)."""
        if i < j:
            return self._forward[i, j].get(oid, [])
        if (j, i) not in self._backward:
            self._backward[j, i] = _by_identity(self._sets[j, i].inverse())
        return self._backward[j, i].get(oid, [])

    def first_change(self, oid: ObjectId) -> Change | None:
        """The first change on ``oid`` of the first pair that has one."""
        for index in self._forward.values():
            if oid in index:
                return index[oid][0]
        return None

    def find(self, index: int, oid: ObjectId) -> model.DbObject | None:
        """The object ``oid`` in environment ``index``, if it is there and compared."""
        objects = self.schemas[index].objects
        obj = objects.get(oid)
        if obj is None and oid.kind == ids.COLUMN and oid.parent is not None:
            for kind in _COLUMN_HOLDERS:
                holder = objects.get(ObjectId(kind, oid.schema, oid.parent))
                columns = getattr(holder, "columns", None)
                if holder is not None and isinstance(columns, model.Columns):
                    return columns.get(oid.name) if self.options.keeps(holder) else None
            return None
        if obj is not None and not self.options.keeps(obj):
            return None
        return obj


def _by_identity(changes: ChangeSet) -> dict[ObjectId, list[Change]]:
    index: dict[ObjectId, list[Change]] = {}
    for change in changes:
        index.setdefault(change.id, []).append(change)
        if isinstance(change, Renamed):
            index.setdefault(change.new_id, []).append(change)
    return index


def _row(oid: ObjectId, pairs: _Pairs) -> MatrixRow:
    found = [pairs.find(e, oid) for e in range(pairs.count)]
    representatives: list[int] = []  # the first environment holding each variant
    variants: list[int | None] = []
    for e, obj in enumerate(found):
        number = None
        if obj is not None:
            for k, first in enumerate(representatives):
                if not _own_changes(pairs.changes(first, e, oid), oid):
                    number = k + 1
                    break
            else:
                representatives.append(e)
                number = len(representatives)
        variants.append(number)
    cells = tuple(
        Cell(number, None if number is not None else _renamed_as(oid, e, pairs))
        for e, number in enumerate(variants)
    )
    definitions = []
    for e in representatives:
        obj = found[e]
        assert obj is not None
        definitions.append(obj)
    return MatrixRow(
        id=oid,
        table=_table_of(oid, pairs),
        cells=cells,
        variants=tuple(definitions),
        security=_security(oid, variants, pairs),
        differences=_differences(oid, representatives, pairs),
    )


def _own_changes(changes: list[Change], oid: ObjectId) -> list[Change]:
    """The changes to the object itself (a rename touches its new identity too)."""
    return [c for c in changes if c.id == oid or (isinstance(c, Renamed) and c.new_id == oid)]


def _renamed_as(oid: ObjectId, index: int, pairs: _Pairs) -> ObjectId | None:
    """The identity ``oid`` has in environment ``index`` by a confirmed rename, if any."""
    for other in range(pairs.count):
        if other == index:
            continue
        for change in pairs.changes(other, index, oid):
            if isinstance(change, Renamed) and change.id == oid:
                return change.new_id
    return None


def _table_of(oid: ObjectId, pairs: _Pairs) -> ObjectId | None:
    """The table the differ groups the object under."""
    change = pairs.first_change(oid)
    if isinstance(change, Renamed) and change.new_id == oid:
        return Created(id=oid, after=change.after).table
    return change.table if change is not None else None


def _security(oid: ObjectId, variants: list[int | None], pairs: _Pairs) -> tuple[SecurityNote, ...]:
    """The differ's security reasons between each two environments, in both directions; one
    note per pair of states and reason."""
    notes: list[SecurityNote] = []
    seen: set[tuple[int | None, int | None, str]] = set()
    for i in range(pairs.count):
        for j in range(pairs.count):
            if i == j or variants[i] == variants[j]:
                continue
            for change in _own_changes(pairs.changes(i, j, oid), oid):
                for reason in change.security:
                    key = (variants[i], variants[j], reason)
                    if key not in seen:
                        seen.add(key)
                        notes.append(SecurityNote(pairs.labels[i], pairs.labels[j], reason))
    return tuple(notes)


def _differences(
    oid: ObjectId, representatives: list[int], pairs: _Pairs
) -> tuple[VariantDifference, ...]:
    found: list[VariantDifference] = []
    for a, first in enumerate(representatives):
        for b in range(a + 1, len(representatives)):
            for change in _own_changes(pairs.changes(first, representatives[b], oid), oid):
                found.append(VariantDifference(a + 1, b + 1, change))
    return tuple(found)
