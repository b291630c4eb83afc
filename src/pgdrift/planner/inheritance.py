"""Which changes a statement on a parent table already makes to the tables that inherit from it.

The one home for "PostgreSQL does this to the descendants with the parent": partitions (at
every level) and inheritance children. Per statement kind:

- ``RENAME COLUMN`` on a parent renames the column in every descendant, partitions and
  inheritance children alike, local definitions merged in included; on a descendant alone it
  fails ("cannot rename inherited column"). See :mod:`pgdrift.differ.inherited_renames`,
  which confirms the descendants' renames from the parent's.
- Identity is not inherited in PostgreSQL 15: ``ADD GENERATED ... AS IDENTITY`` on a
  partitioned table gives the parent alone an identity and a sequence, and a partition's column
  can have one of its own (pg_dump writes each). So identity changes are planned per table,
  like any column attribute, and never left out (pairs ``partition_identity_*``).
- ADD/DROP COLUMN, ALTER COLUMN (TYPE, SET/DROP NOT NULL, SET/DROP DEFAULT) and CHECK and
  foreign keys on a parent reach its partitions and inheritance children alike; the rule that
  leaves the descendants' copies out is :func:`pgdrift.planner.partitions.without_inherited`,
  over the parents a table has on both sides (:func:`common_parents`). An inheritance child's
  column declared locally as well (``CREATE TABLE c (a int) INHERITS (p)`` where ``p`` has
  ``a``: attislocal with an inhcount) is the exception: the parent's DROP COLUMN leaves it and
  its ADD COLUMN merges into it, so a child's own column is created or dropped on its own.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.differ.changes import Change, Renamed
from pgdrift.ids import ObjectId
from pgdrift.schema import Schema


def parents(table: ObjectId, schema: Schema) -> tuple[ObjectId, ...]:
    """The tables ``table`` directly inherits from or is a partition of, in ``schema``."""
    obj = schema.objects.get(table)
    if not isinstance(obj, model.Table):
        return ()
    found = [*obj.inherits, *([obj.partition_of] if obj.partition_of else [])]
    return tuple(dict.fromkeys(found))


def local_copies(table: ObjectId, column: str, schema: Schema) -> tuple[ObjectId, ...]:
    """The columns named ``column`` that inheritance children of ``table`` declare themselves
    in ``schema`` (merged with the parent's: attislocal). The parent's ADD COLUMN merges into
    such a column, so it comes after the child's; the parent's DROP COLUMN leaves it, and the
    child's own DROP fails while the parent still has it ("cannot drop inherited column")."""
    found = []
    for child in _inheritance_children(schema).get(table, ()):
        copy = child.columns.get(column)
        if copy is not None and not copy.inherited:
            found.append(copy.id)
    return tuple(found)


# The children index of the last schemas asked about (a plan asks of its old and new side for
# every column it adds or drops): id -> (schema, parent id -> inheritance children).
_CHILDREN: dict[int, tuple[Schema, dict[ObjectId, list[model.Table]]]] = {}


def _inheritance_children(schema: Schema) -> dict[ObjectId, list[model.Table]]:
    cached = _CHILDREN.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    children: dict[ObjectId, list[model.Table]] = {}
    for obj in schema.objects.values():
        if isinstance(obj, model.Table):
            for parent in obj.inherits:
                children.setdefault(parent, []).append(obj)
    if len(_CHILDREN) >= 4:
        _CHILDREN.clear()
    _CHILDREN[id(schema)] = (schema, children)
    return children


def common_parents(change: Change, old: Schema, new: Schema) -> tuple[ObjectId, ...]:
    """The parents of ``change``'s table on both sides: a table attached, detached, given or
    taken a parent by the plan gets its own statements (the parent's do not reach it while it
    does not inherit)."""
    if change.id.parent is None:
        return ()
    table = ObjectId(ids.TABLE, change.id.schema, change.id.parent)
    sides = [parents(table, s) for s in (old, new) if table in s.objects]
    if not sides:
        return ()
    return tuple(p for p in sides[-1] if all(p in side for side in sides))


def renamed_through_parent(change: Change, renamed: set[tuple[ObjectId, str]], old: Schema) -> bool:
    """Whether ``change`` renames a descendant's column that a parent's rename in the same
    change set (``renamed``: (old column id, new name) pairs) already renames."""
    if not isinstance(change, Renamed) or change.kind != ids.COLUMN or change.id.parent is None:
        return False
    table = ObjectId(ids.TABLE, change.id.schema, change.id.parent)
    for parent in parents(table, old):
        column = ObjectId(ids.COLUMN, parent.schema, change.id.name, parent.name)
        if (column, change.new_id.name) in renamed:
            return True
    return False


def column_renames(changes: list[Change]) -> set[tuple[ObjectId, str]]:
    """Every column rename of ``changes`` as (old column id, new name)."""
    return {(c.id, c.new_id.name) for c in changes
            if isinstance(c, Renamed) and c.kind == ids.COLUMN}  # fmt: skip


__all__ = [
    "column_renames",
    "common_parents",
    "local_copies",
    "parents",
    "renamed_through_parent",
]
