"""What a statement on a partitioned table already does to its partitions.

PostgreSQL applies these to every partition of a partitioned table, at every level, and refuses
most of them on a partition alone ("cannot add column to a partition", "cannot drop inherited
column", "cannot alter inherited column"): ADD and DROP COLUMN; ALTER COLUMN TYPE, SET/DROP NOT
NULL and SET/DROP DEFAULT; ADD and DROP of a CHECK constraint, which the partitions hold under
the parent's name (docs: ALTER TABLE, "Notes" and the descriptions of each form; CREATE TABLE,
"PARTITION OF"). pg_dump writes the partitions' copies anyway, so a change set lists each
partition's copy as a change of its own; planned alone, each would run a second time.

A partition's index and its primary key or unique constraint are different: they carry names
of their own and are tied to the parent's by ``ALTER INDEX ... ATTACH PARTITION``, so the
planner builds the parent's ``ON ONLY`` and attaches each partition's (see
:mod:`pgdrift.planner.constraints`), as pg_dump restores them. Foreign keys are cloned onto
partitions under the parent's name, like CHECK constraints.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

import attrs

from pgdrift import ids, model
from pgdrift.differ.changes import Altered, Change, Dropped, Renamed, Replaced
from pgdrift.ids import ObjectId
from pgdrift.pg.partitions import key_columns
from pgdrift.planner.inheritance import (
    column_renames,
    common_parents,
    kept_by_children,
    renamed_through_parent,
)
from pgdrift.schema import Schema

if TYPE_CHECKING:
    from pgdrift.planner.context import PlanContext

#: Column attributes whose ALTER COLUMN on a partitioned table recurses to its partitions.
#: A generation expression too: DROP EXPRESSION recurses (and is refused on an inherited
#: column), and a new expression is the parent's DROP COLUMN + ADD COLUMN, which reach every
#: descendant, so a descendant's own copy would find its column gone.
RECURSING_COLUMN_FIELDS = frozenset({"type", "collation", "not_null", "default", "generated"})
#: Constraint types a partition inherits under its parent's constraint name.
_SAME_NAME_CONSTRAINTS = frozenset({model.Constraint.CHECK, model.Constraint.FOREIGN_KEY})


def without_inherited(
    changes: Iterable[Change], old: Schema, new: Schema, rebuilt: frozenset[ObjectId] = frozenset()
) -> list[Change]:
    """``changes`` without what the statements on partitioned tables do to their partitions
    by themselves: a partition's copy of a change its parent also makes is left out, and an
    ALTER COLUMN of a partition keeps only the attributes its parent does not change alike. A
    descendant's column renamed with its parent's is left out too
    (:mod:`pgdrift.planner.inheritance`). A partition of a table in ``rebuilt`` (dropped and
    created again) is detached meanwhile: nothing done to the old parent reaches it, so its
    own changes stay."""
    changes = list(changes)
    by_id = {c.id: c for c in changes}
    renamed = column_renames(changes)
    kept: list[Change] = []
    for change in changes:
        if not change.details and renamed_through_parent(change, renamed, old):
            continue
        parent = _parent_change(change, by_id, old, new, rebuilt)
        if parent is None:
            kept.append(change)
        elif isinstance(change, Altered) and change.kind == ids.COLUMN:
            inherited = {(d.field, _key(d.old), _key(d.new)) for d in parent.details
                         if d.field.split(".")[0] in RECURSING_COLUMN_FIELDS}  # fmt: skip
            details = tuple(d for d in change.details
                            if (d.field, _key(d.old), _key(d.new)) not in inherited)  # fmt: skip
            if details:
                kept.append(attrs.evolve(change, details=details))
        elif type(change) is not type(parent):
            # (A partition's CHECK replaced along with its parent's is dropped and added
            # again by the parent's two statements: same type, left out.)
            kept.append(change)
    return kept


def _key(value: object) -> object:
    # Details hold attrs values (hashable) or tuples of them; repr() covers the rest.
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _parent_change(
    change: Change,
    by_id: dict[ObjectId, Change],
    old: Schema,
    new: Schema,
    rebuilt: frozenset[ObjectId],
) -> Change | None:
    """The same change made to the partitioned table ``change``'s table is a partition of
    (on both sides), if the change set holds one and PostgreSQL carries it down."""
    if isinstance(change, Renamed) or change.id.parent is None:
        return None
    if change.kind == ids.CONSTRAINT:
        obj = change.after or change.before
        if not isinstance(obj, model.Constraint) or obj.type not in _SAME_NAME_CONSTRAINTS:
            return None
        if (
            isinstance(change.before, model.Constraint)
            and isinstance(change.after, model.Constraint)
            and change.before.type != change.after.type
        ):
            return None
    elif change.kind != ids.COLUMN:
        return None
    table = ObjectId(ids.TABLE, change.id.schema, change.id.parent)
    if partition_detached(table, old, new, rebuilt):
        return None  # detached meanwhile: nothing done to its parent reaches it
    for parent in common_parents(change, old, new):
        if parent in rebuilt:
            continue
        if _local_copy(change, parent, old, new) or _attached_later(change, parent, old, new):
            continue
        twin = by_id.get(ObjectId(change.kind, parent.schema, change.id.name, parent.name,
                                  change.id.args))  # fmt: skip
        if isinstance(twin, Dropped) and change.kind == ids.COLUMN and kept_by_children(
            parent, change.id.name, old, new
        ):
            continue  # the parent's drop is ONLY: this child drops its copy itself
        if twin is not None and not isinstance(twin, Renamed):
            return twin
    return None


def _attached_later(change: Change, parent: ObjectId, old: Schema, new: Schema) -> bool:
    """Whether ``change``'s table is a partition the plan creates: it is attached by the plan
    once complete, and ATTACH PARTITION requires the parent's CHECKs on it already."""
    table = ObjectId(ids.TABLE, change.id.schema, change.id.parent or "")
    partitioned = getattr(new.objects.get(parent), "partition_key", None)
    return table not in old.objects and bool(partitioned)


def _local_copy(change: Change, parent: ObjectId, old: Schema, new: Schema) -> bool:
    """Whether ``change`` creates or drops an inheritance child's column or CHECK of its own
    (declared locally, merged with the parent's): ADD on the parent merges into it rather than
    creating it, and DROP on the parent leaves it. A partition has neither of its own. (An
    inheritance child's CHECK in the model is its own: pg_dump prints only those, conislocal.)"""
    if change.kind not in (ids.COLUMN, ids.CONSTRAINT) or isinstance(change, Altered):
        return False
    if getattr(new.objects.get(parent) or old.objects.get(parent), "partition_key", None):
        return False
    if change.kind == ids.CONSTRAINT:
        return True  # a CHECK is the child's own; a foreign key never reaches a child
    column = change.after or change.before
    return isinstance(column, model.Column) and not column.inherited


def detached_with_table(
    oid: ObjectId, old: Schema, new: Schema, rebuilt: Collection[ObjectId] = ()
) -> bool:
    """Whether ``oid`` is an index (or key constraint) attached to a partitioned index whose
    table leaves its partitioned table (or is detached to be attached with another bound):
    DETACH PARTITION detaches the index too, so nothing that happens to the parent index
    reaches it."""
    obj = old.objects.get(oid)
    if getattr(obj, "attached_to", None) is None:
        return False
    table = getattr(obj, "table", None)
    return isinstance(table, ObjectId) and partition_detached(table, old, new, rebuilt)


def detached_first(ctx: PlanContext, parent: ObjectId, table: ObjectId) -> list[ObjectId]:
    """What dropping the partitioned index (or key constraint) ``parent`` of ``table`` waits
    for: the detaching of each partition whose index is attached to it and which the plan
    detaches. DROP on the parent drops the attached indexes with it, while a partition's own
    drop is planned for after its DETACH (:func:`detached_with_table`), which would then find
    nothing to drop; detached first, its index is its own and the parent's drop leaves it."""
    detached = {p for p in ctx.partitions(table, 0)
                if partition_detached(p, ctx.old, ctx.new, ctx.rebuilt_tables)}  # fmt: skip
    if not detached:
        return []
    found = {detached_id(obj.table) for obj in ctx.old.objects.values()
             if isinstance(obj, (model.Index, model.Constraint))
             and obj.attached_to == parent and obj.table in detached}  # fmt: skip
    return sorted(found, key=ObjectId.sort_key)


def partition_detached(
    table: ObjectId, old: Schema, new: Schema, rebuilt: Collection[ObjectId] = ()
) -> bool:
    """Whether the plan detaches the partition ``table`` from its partitioned table, to leave
    it or to attach it again with another bound or to a parent in ``rebuilt`` (dropped and
    created again): from then on what it inherited is its own."""
    before, after = old.objects.get(table), new.objects.get(table)
    parent = getattr(before, "partition_of", None)
    # A partition whose bound changes is detached and attached again (planner.tables).
    return parent is not None and (
        parent != getattr(after, "partition_of", None)
        or getattr(before, "partition_bound", None) != getattr(after, "partition_bound", None)
        or parent in rebuilt
    )


def kept_through_rebuild(ctx: PlanContext) -> list[tuple[model.Table, model.Table]]:
    """(old, new) of each partition of a table the plan drops and creates again that stays
    its partition: DROP TABLE would drop it too (partitions depend on their parent), so it is
    detached first and attached again to the new table (by its own change when its bound
    changes too)."""
    found = []
    for parent in sorted(ctx.rebuilt_tables, key=ObjectId.sort_key):
        for oid in ctx.partitions(parent, 0):
            before, after = ctx.old.objects.get(oid), ctx.new.objects.get(oid)
            if (isinstance(before, model.Table) and isinstance(after, model.Table)
                    and before.partition_of == parent == after.partition_of):  # fmt: skip
                found.append((before, after))
    return found


def rebuilt_for_key_types(changes: Iterable[Change], old: Schema, new: Schema) -> list[Replaced]:
    """A partitioned table to drop and create again because a partition key column is of an
    enum or domain the plan replaces: the replacement converts columns with ALTER COLUMN TYPE,
    which PostgreSQL refuses on a key column ("cannot alter column ... because it is part of
    the partition key"). Its partitions are kept (detached meanwhile) and converted."""
    changes = list(changes)
    replaced = {c.id for c in changes
                if isinstance(c, Replaced) and c.kind in (ids.ENUM, ids.DOMAIN)}  # fmt: skip
    if not replaced:
        return []
    by_id = {c.id: c for c in changes if c.kind == ids.TABLE}
    found = []
    for before in old.tables.values():
        after = new.objects.get(before.id)
        if before.partition_key is None or not isinstance(after, model.Table) or (
            after.partition_key is None or isinstance(by_id.get(before.id), Replaced)
        ):
            continue
        for name in sorted(key_columns(before)):
            column = before.columns.get(name)
            ref = column.type if column is not None else None
            if ref is None or ref.schema is None or not any(
                ObjectId(kind, ref.schema, ref.name) in replaced for kind in (ids.ENUM, ids.DOMAIN)
            ):
                continue
            altered = by_id.get(before.id)
            found.append(Replaced(
                id=before.id, before=before, after=after,
                details=altered.details if altered is not None else (),
                reason=f"partition key column {name} is of {ref.element}, which is replaced",
            ))  # fmt: skip
            break
    return found


def detached_id(table: ObjectId) -> ObjectId:
    """A stand-in id meaning "``table`` has been detached from its partitioned parent": its
    indexes are its own from then on, and only then can one be dropped alone."""
    return ObjectId("detached", table.schema, table.name)


def partition_copies(ctx: PlanContext, table: ObjectId, column: str) -> list[ObjectId]:
    """The partitions' columns that DROP COLUMN on the partitioned ``table`` drops with its
    own (all but those of a partition the plan detaches), so what uses them goes first."""
    found = []
    for partition in ctx.partitions(table, 0):
        columns = getattr(ctx.old.objects.get(partition), "columns", None)
        if isinstance(columns, model.Columns) and column in columns and not partition_detached(
                partition, ctx.old, ctx.new, ctx.rebuilt_tables):  # fmt: skip
            found.append(columns[column].id)
    return found


def altered_through_parent(table: model.Table, column: str, schema: Schema) -> bool:
    """Whether ``ALTER TABLE <parent> ALTER COLUMN <column> TYPE`` on the partitioned table
    ``table`` is a partition of already reaches ``table``'s column: PostgreSQL refuses the
    statement on the partition itself ("cannot alter inherited column")."""
    if column in table.columns and table.columns[column].inherited:
        return True
    parent = schema.objects.get(table.partition_of) if table.partition_of is not None else None
    return isinstance(parent, model.Table) and column in parent.columns


__all__ = [
    "RECURSING_COLUMN_FIELDS",
    "altered_through_parent",
    "detached_first",
    "detached_id",
    "detached_with_table",
    "kept_through_rebuild",
    "partition_copies",
    "partition_detached",
    "rebuilt_for_key_types",
    "without_inherited",
]
