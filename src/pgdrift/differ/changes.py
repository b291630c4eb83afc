"""The change set: what differs between two schemas, as a closed set of frozen change types.

A change names the object (``id``), holds the object before and after (``None`` on the side
where it does not exist), and for alterations the attribute-level ``details``. ``hazards`` are
filled in by migration planning; ``security`` lists the ways a change widens access.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

import attrs

from pgdrift import ids, model
from pgdrift.diff_options import DiffOptions
from pgdrift.differ import security
from pgdrift.ids import ObjectId
from pgdrift.pg.hazards import Hazard
from pgdrift.schema import Schema

# Hazards a migration step can carry (set by planning): the kinds and their descriptions are
# defined once, by pgdrift.pg.hazards.Hazard; these names are kept for existing importers.
DELETES_DATA = Hazard.DELETES_DATA
REWRITES_TABLE = Hazard.REWRITES_TABLE
STRONG_LOCK = Hazard.STRONG_LOCK
MAY_FAIL = Hazard.MAY_FAIL
NOT_TRANSACTIONAL = Hazard.NOT_TRANSACTIONAL
#: Every hazard kind, in :class:`~pgdrift.pg.hazards.Hazard`'s order.
HAZARDS: tuple[Hazard, ...] = tuple(Hazard)


@attrs.frozen
class AttributeChange:
    """One attribute that differs: ``field`` (a dotted path such as ``type`` or
    ``options.fillfactor``), its ``old`` and ``new`` values, and an optional ``note``
    (e.g. that two defaults are equivalent at run time)."""

    field: str
    old: Any
    new: Any
    note: str | None = None


@attrs.frozen(kw_only=True)
class _Change:
    OPERATION: ClassVar[str] = ""

    id: ObjectId
    before: model.DbObject | None = None
    after: model.DbObject | None = None
    details: tuple[AttributeChange, ...] = ()
    hazards: tuple[str, ...] = ()
    #: Reasons this change widens access (RLS disabled, grant to anon, SECURITY DEFINER...).
    security: tuple[str, ...] = ()

    @property
    def operation(self) -> str:
        return self.OPERATION

    @property
    def kind(self) -> str:
        return self.id.kind

    @property
    def object(self) -> model.DbObject:
        """The object as it is after the change, or before it for a drop."""
        obj = self.after if self.after is not None else self.before
        assert obj is not None
        return obj

    @property
    def table(self) -> ObjectId | None:
        """The table this change belongs to (itself for a table), for grouping."""
        if self.id.kind in (ids.TABLE, ids.FOREIGN_TABLE):
            return self.id
        if self.id.kind == ids.COLUMN and self.id.parent is not None:
            return ObjectId(ids.TABLE, self.id.schema, self.id.parent)
        table = getattr(self.object, "table", None)
        return table if isinstance(table, ObjectId) else None

    def detail(self, field: str) -> AttributeChange | None:
        for item in self.details:
            if item.field == field:
                return item
        return None

    def sort_key(self) -> tuple[Any, ...]:
        return (*self.id.sort_key(), _OPERATION_ORDER[self.OPERATION])


@attrs.frozen(kw_only=True)
class Created(_Change):
    """An object only the new side has: ``after`` holds it, ``before`` is None."""

    OPERATION = "create"


@attrs.frozen(kw_only=True)
class Dropped(_Change):
    """An object only the old side has: ``before`` holds it, ``after`` is None."""

    OPERATION = "drop"


@attrs.frozen(kw_only=True)
class Altered(_Change):
    """An object both sides have under the same id that ``ALTER`` can change in place;
    ``details`` lists each attribute that differs."""

    OPERATION = "alter"


@attrs.frozen(kw_only=True)
class Replaced(_Change):
    """The object exists on both sides but cannot be altered into its new form: it must be
    dropped and created again (``reason`` says why)."""

    OPERATION = "replace"
    reason: str = ""


@attrs.frozen(kw_only=True)
class Renamed(_Change):
    """A confirmed rename from ``id`` to ``new_id``; ``details`` hold any other changes."""

    OPERATION = "rename"
    new_id: ObjectId

    def sort_key(self) -> tuple[Any, ...]:
        return (*self.id.sort_key(), _OPERATION_ORDER[self.OPERATION])


Change = Created | Dropped | Altered | Replaced | Renamed
OPERATIONS = ("create", "drop", "alter", "replace", "rename")
_OPERATION_ORDER = {name: i for i, name in enumerate(OPERATIONS)}


@attrs.frozen
class RenameCandidate:
    """A dropped/created pair that looks like a rename, with a confidence in [0, 1]."""

    old: ObjectId
    new: ObjectId
    score: float
    evidence: tuple[str, ...]
    confirmed: bool = False


@attrs.frozen
class TreatedAsEqual:
    """An attribute compared as equal though written in two forms, and the rule
    (:mod:`pgdrift.pg.equivalences`) that made them one."""

    id: ObjectId
    attribute: str
    rule: str

    def sort_key(self) -> tuple[Any, ...]:
        return (*self.id.sort_key(), self.attribute, self.rule)


@attrs.frozen
class ChangeSet:
    """The differences between two schemas, in a deterministic order.

    Iterable, falsy when empty, filterable (:meth:`filter`), groupable by table
    (:meth:`by_table`), serialisable (:func:`pgdrift.renderer.render_json`).

    Example:
        >>> import pgdrift
        >>> a = pgdrift.loads("CREATE TABLE public.t (id integer);")
        >>> b = pgdrift.loads("CREATE TABLE public.t (id bigint);")
        >>> [str(c.id) for c in pgdrift.diff(a, b)]
        ['column:public.t.id']
    """

    changes: tuple[Change, ...] = ()
    rename_candidates: tuple[RenameCandidate, ...] = ()
    #: Labels of the two sides, e.g. ('dev', 'prod').
    labels: tuple[str, str] = ("a", "b")
    #: The schemas compared (kept for reports: identical tables, column counts).
    old: Schema | None = attrs.field(default=None, eq=False, repr=False)
    new: Schema | None = attrs.field(default=None, eq=False, repr=False)
    #: The DiffOptions used (reports need its filters to tell "identical" from "not compared").
    options: DiffOptions | None = attrs.field(default=None, eq=False, repr=False)
    #: Attributes whose two forms were compared as equal, and by which rule.
    treated_as_equal: tuple[TreatedAsEqual, ...] = attrs.field(default=(), eq=False)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __getitem__(self, index: int) -> Change:
        return self.changes[index]

    def filter(
        self,
        *,
        kind: str | Iterable[str] | None = None,
        operation: str | Iterable[str] | None = None,
        schema: str | Iterable[str] | None = None,
        object: ObjectId | str | None = None,
        where: Callable[[Change], bool] | None = None,
    ) -> ChangeSet:
        """The changes matching every given criterion."""
        kinds = _as_set(kind)
        operations = _as_set(operation)
        schemas = _as_set(schema)
        target = str(object) if object is not None else None

        def keep(change: Change) -> bool:
            if kinds is not None and change.kind not in kinds:
                return False
            if operations is not None and change.operation not in operations:
                return False
            if schemas is not None and change.id.schema not in schemas:
                return False
            if target is not None and target not in (
                str(change.id),
                str(getattr(change, "new_id", "")),
            ):
                return False
            return where is None or where(change)

        return attrs.evolve(self, changes=tuple(c for c in self.changes if keep(c)))

    def by_table(self) -> dict[ObjectId | None, tuple[Change, ...]]:
        """Changes grouped by the table they belong to (None for objects of no table)."""
        groups: dict[ObjectId | None, list[Change]] = {}
        for change in self.changes:
            groups.setdefault(change.table, []).append(change)
        return {k: tuple(v) for k, v in sorted(groups.items(),
                key=lambda kv: kv[0].sort_key() if kv[0] else ("",))}  # fmt: skip

    def ids(self) -> tuple[ObjectId, ...]:
        return tuple(c.id for c in self.changes)

    def inverse(self) -> ChangeSet:
        """The change set of the opposite direction (creates become drops, old becomes new)."""
        # Security reasons depend on the direction: recompute them for the inverted changes.
        inverted = [attrs.evolve(invert_change(c), security=()) for c in self.changes]
        changes = tuple(sorted(security.flag_all(inverted), key=lambda c: c.sort_key()))
        candidates = tuple(attrs.evolve(c, old=c.new, new=c.old) for c in self.rename_candidates)
        return ChangeSet(changes, candidates, (self.labels[1], self.labels[0]), self.new, self.old,
                         self.options, self.treated_as_equal)  # fmt: skip


def _as_set(value: str | Iterable[str] | None) -> set[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {value}
    return set(value)


def invert_change(change: Change) -> Change:
    """The same change seen from the other side."""
    details = tuple(_invert_detail(d) for d in change.details)
    if isinstance(change, Created):
        return Dropped(id=change.id, before=change.after, hazards=(), security=())
    if isinstance(change, Dropped):
        return Created(id=change.id, after=change.before)
    if isinstance(change, Renamed):
        return Renamed(id=change.new_id, new_id=change.id, before=change.after,
                       after=change.before, details=details)  # fmt: skip
    if isinstance(change, Replaced):
        return attrs.evolve(change, before=change.after, after=change.before, details=details,
                            hazards=(), security=())  # fmt: skip
    return Altered(id=change.id, before=change.after, after=change.before, details=details)


def _invert_detail(detail: AttributeChange) -> AttributeChange:
    note = detail.note
    if detail.field == "body" and note and isinstance(detail.old, str) and isinstance(
        detail.new, str
    ) and note != "whitespace or comments only":  # fmt: skip
        # The note of a real body change is its unified diff: draw it the other way round.
        note = body_diff(detail.new, detail.old)
    return AttributeChange(detail.field, detail.new, detail.old, note)


def body_diff(old: str, new: str) -> str:
    """A unified diff of two bodies, for display (the ``note`` of a ``body`` change)."""
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), "before", "after", lineterm="", n=2
    )
    return "\n".join(lines)
