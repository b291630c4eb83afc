"""The drift matrix as data: a row per object that is not the same in every environment.

Each row has a cell per environment: the number of the object's definition there (variants
are numbered 1, 2, ... in the order the environments first show them) or, when the object is
absent, nothing — or the name it has there by a confirmed rename. Each variant's definition is
kept once, on the row.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from pgdrift import ids, model
from pgdrift.diff_options import DiffOptions
from pgdrift.differ.changes import Change
from pgdrift.ids import ObjectId

__all__ = ["Cell", "DriftMatrix", "MatrixRow", "RowGroup", "SecurityNote", "VariantDifference"]

_PART_ORDER = {kind: i for i, kind in enumerate(ids.TABLE_PART_ORDER)}


@attrs.frozen
class Cell:
    """One environment's side of a row."""

    #: The number of the object's definition in this environment (1-based); None when absent.
    variant: int | None
    #: When absent: the identity the object has here instead, by a confirmed rename.
    renamed: ObjectId | None = None

    @property
    def present(self) -> bool:
        return self.variant is not None


@attrs.frozen
class SecurityNote:
    """Making environment ``source`` like ``target`` widens access, for ``reason`` (one of the
    differ's security reasons, ``pgdrift.differ.security``)."""

    source: str
    target: str
    reason: str


@attrs.frozen
class VariantDifference:
    """What the differ finds between variants ``old`` and ``new`` of a row's object: its
    ``change`` from the first environment holding ``old`` to the first holding ``new``."""

    old: int
    new: int
    change: Change


@attrs.frozen(kw_only=True)
class MatrixRow:
    """One object that is not the same everywhere."""

    id: ObjectId
    #: The table the object belongs to (itself for a table), None for other objects.
    table: ObjectId | None
    #: One per environment, in the matrix's order.
    cells: tuple[Cell, ...]
    #: The definitions: ``variants[k - 1]`` is variant k.
    variants: tuple[model.DbObject, ...]
    security: tuple[SecurityNote, ...] = ()
    #: The differ's changes between each two variants (1 and 2, 1 and 3, 2 and 3...).
    differences: tuple[VariantDifference, ...] = ()

    @property
    def kind(self) -> str:
        return self.id.kind

    @property
    def security_relevant(self) -> bool:
        return bool(self.security)

    def sort_key(self) -> tuple[object, ...]:
        """Security-relevant rows first; then by table (objects of no table last), the table
        before its parts, and identity."""
        table = (1, self.table.sort_key()) if self.table is not None else (2, ())
        return (not self.security, table, _PART_ORDER.get(self.kind, 99), self.id.sort_key())


@attrs.frozen
class RowGroup:
    """The rows of one table (or of no table: ``table`` None) within one section."""

    security: bool
    table: ObjectId | None
    rows: tuple[MatrixRow, ...]


@attrs.frozen(kw_only=True)
class DriftMatrix:
    """Every object that differs between some of the environments, in a deterministic order:
    security-relevant rows first, each section grouped by table.

    Iterable over its rows, falsy when every environment holds the same schema.
    """

    labels: tuple[str, ...]
    #: What each environment was read from (a path, ``<stdin>``, ``REV:path``), or "".
    sources: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    options: DiffOptions = attrs.field(factory=DiffOptions, eq=False, repr=False)

    def __iter__(self) -> Iterator[MatrixRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def row(self, oid: ObjectId | str) -> MatrixRow | None:
        """The row of an object, by identity (``"column:public.users.email"``)."""
        wanted = ObjectId.parse(oid) if isinstance(oid, str) else oid
        return next((r for r in self.rows if r.id == wanted), None)

    def groups(self) -> tuple[RowGroup, ...]:
        """The rows by section (security-relevant first) and table, in row order."""
        result: list[RowGroup] = []
        for row in self.rows:
            last = result[-1] if result else None
            if last is not None and (last.security, last.table) == (row.security_relevant,
                                                                      row.table):  # fmt: skip
                result[-1] = attrs.evolve(last, rows=(*last.rows, row))
            else:
                result.append(RowGroup(row.security_relevant, row.table, (row,)))
        return tuple(result)
