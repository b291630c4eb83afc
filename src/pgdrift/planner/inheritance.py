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
- A parent's column that a child keeps while the parent loses it is dropped with ``ONLY``
  (:func:`kept_by_children`): the child's copy stays, with its data, as its own.
- ``INHERIT`` needs the child's columns and CHECKs of the parent's names first
  (:func:`merged_first`); what a parent taken away gave the child can be dropped only after
  ``NO INHERIT`` (:func:`uninherited_first`). Whether a column is the child's own (attislocal)
  cannot be undone: planner.inherited_columns warns where the target differs.
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


def kept_by_children(table: ObjectId, column: str, old: Schema, new: Schema) -> list[ObjectId]:
    """The inheritance children that have ``column`` from ``table`` alone and keep it while
    ``table`` loses it. The parent's DROP COLUMN would drop theirs too (with its data), so it
    is ``ALTER TABLE ONLY``, which leaves every child its copy as its own (ATExecDropColumn
    without recursion: attislocal, one inhcount less); the children that lose it drop it then.
    A partitioned table refuses ONLY, but its partitions cannot keep a column it drops."""
    after = new.objects.get(table)
    if isinstance(after, model.Table) and column in after.columns:
        return []
    found = []
    for child in _inheritance_children(old).get(table, ()):
        copy = child.columns.get(column)
        if copy is None or not copy.inherited or any(
            column in getattr(old.objects.get(p), "columns", ()) for p in child.inherits
            if p != table
        ):
            continue  # its own, or from another parent as well: the parent's drop leaves it
        kept = new.objects.get(child.id)
        if isinstance(kept, model.Table) and column in kept.columns and table in kept.inherits:
            found.append(child.id)
    return found


def only_dropped_id(column: ObjectId) -> ObjectId:
    """A stand-in id meaning "the parent's ``column`` is dropped with ONLY": its children's
    copies are their own from then on, and only then can one be dropped alone."""
    return ObjectId("only_dropped", column.schema, column.name, column.parent)


def dropped_with_only(table: ObjectId, column: str, old: Schema) -> list[ObjectId]:
    """The :func:`only_dropped_id` of ``table``'s parents' ``column`` in ``old``, for
    whichever parent a plan may drop it from with ONLY (see :func:`kept_by_children`)."""
    before = old.objects.get(table)
    parents_of = getattr(before, "inherits", ())
    return [only_dropped_id(ObjectId(ids.COLUMN, p.schema, column, p.name)) for p in parents_of]


def local_checks(table: ObjectId, name: str, schema: Schema) -> tuple[ObjectId, ...]:
    """The CHECKs named ``name`` that inheritance children of ``table`` have of their own in
    ``schema`` (the model holds a child's own only, as pg_dump prints them). The parent's ADD
    CONSTRAINT merges into such a CHECK, so it comes after the child's (the child's ADD of a
    name it already inherits fails: constraint already exists); the child's DROP fails while
    the parent's is there (cannot drop inherited constraint), so it comes after the parent's."""
    found = []
    for child in _inheritance_children(schema).get(table, ()):
        oid = ObjectId(ids.CONSTRAINT, child.id.schema, name, child.id.name)
        if oid in schema.objects:
            found.append(oid)
    return tuple(found)


def check_dropped_id(check: ObjectId) -> ObjectId:
    """A stand-in id meaning "the parent's CHECK ``check`` is dropped": its children's own
    copies can be dropped from then on."""
    return ObjectId("check_dropped", check.schema, check.name, check.parent)


def parents_checks_dropped_first(table: ObjectId, name: str, old: Schema) -> list[ObjectId]:
    """The :func:`check_dropped_id` of ``table``'s parents' CHECKs named ``name`` in ``old``."""
    return [check_dropped_id(ObjectId(ids.CONSTRAINT, p.schema, name, p.name))
            for p in getattr(old.objects.get(table), "inherits", ())]  # fmt: skip


# The children index of the last schemas asked about (a plan asks of its old and new side for
# every column it adds, drops or retypes): id -> (schema, parent id -> inheritance children,
# parent id -> partitions).
_Below = tuple[dict[ObjectId, list[model.Table]], dict[ObjectId, list[ObjectId]]]
_CHILDREN: dict[int, tuple[Schema, _Below]] = {}


def _inheritance_children(schema: Schema) -> dict[ObjectId, list[model.Table]]:
    return _below(schema)[0]


def _below(schema: Schema) -> _Below:
    cached = _CHILDREN.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    children: dict[ObjectId, list[model.Table]] = {}
    partitions: dict[ObjectId, list[ObjectId]] = {}
    for obj in schema.objects.values():
        if isinstance(obj, model.Table):
            for parent in obj.inherits:
                children.setdefault(parent, []).append(obj)
            if obj.partition_of is not None:
                partitions.setdefault(obj.partition_of, []).append(obj.id)
    if len(_CHILDREN) >= 4:
        _CHILDREN.clear()
    _CHILDREN[id(schema)] = (schema, (children, partitions))
    return children, partitions


def descendants(table: ObjectId, schema: Schema) -> list[ObjectId]:
    """Every table below ``table`` in ``schema``: its partitions and inheritance children, and
    theirs. What ALTER TABLE of ``table`` does to a column (without ONLY) reaches them all."""
    found: list[ObjectId] = []
    children, partitions = _below(schema)
    work = [table]
    seen: set[ObjectId] = set()
    while work:
        current = work.pop()
        for child in [*partitions.get(current, ()), *(c.id for c in children.get(current, ()))]:
            if child not in seen:
                seen.add(child)
                found.append(child)
                work.append(child)
    return found


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


def uninherited_id(table: ObjectId, parent: ObjectId) -> ObjectId:
    """A stand-in id meaning "``table`` no longer inherits from ``parent``", for ordering:
    what the child had from that parent alone is its own from then on, and only then can it
    be dropped."""
    return ObjectId("uninherited", table.schema, table.name, None,
                    (parent.schema or "", parent.name))  # fmt: skip


def _left_parents(table: ObjectId, old: Schema, new: Schema) -> list[model.Table]:
    """The parents ``table`` inherits from in ``old`` and no longer in ``new`` (which keeps
    the table), as they are in ``old``."""
    before, after = old.objects.get(table), new.objects.get(table)
    if not isinstance(before, model.Table) or not isinstance(after, model.Table):
        return []
    found = (old.objects.get(p) for p in before.inherits if p not in after.inherits)
    return [p for p in found if isinstance(p, model.Table)]


def uninherited_first(
    table: ObjectId, old: Schema, new: Schema, *, column: str | None = None,
    check: str | None = None,
) -> list[ObjectId]:
    """What dropping a child's ``column`` (or its CHECK named ``check``) waits for: NO INHERIT
    of each parent the plan takes from it that gives it that column (or CHECK). PostgreSQL
    refuses to drop what a parent gives ("cannot drop inherited column", "... constraint");
    NO INHERIT makes it the child's own once no parent gives it (RemoveInheritance)."""
    found = []
    for parent in _left_parents(table, old, new):
        if column is not None and column in parent.columns:
            found.append(uninherited_id(table, parent.id))
        elif check is not None:
            given = old.objects.get(ObjectId(ids.CONSTRAINT, parent.id.schema, check,
                                             parent.id.name))  # fmt: skip
            if isinstance(given, model.Constraint) and given.type == model.Constraint.CHECK:
                found.append(uninherited_id(table, parent.id))
    return found


def merged_first(table: model.Table, parent: ObjectId, new: Schema) -> list[ObjectId]:
    """What ``ALTER TABLE table INHERIT parent`` waits for: the child's columns of the names
    the parent has (and those of the parent), and its CHECKs of the names of the parent's
    inheritable ones, which INHERIT requires ("child table is missing column", "... missing
    constraint") and merges."""
    source = new.objects.get(parent)
    if not isinstance(source, model.Table):
        return []
    found = [table.columns[name].id for name in source.columns if name in table.columns]
    # The parent's columns too: INHERIT compares the types ("child table has different type
    # for column"), so a parent column being converted goes first.
    found += [source.columns[name].id for name in source.columns if name in table.columns]
    given = {c.name for c in inherited_only_checks(parent, table.id, new)}
    for check in new.constraints_of(parent):
        if check.type == model.Constraint.CHECK and not check.no_inherit and (
            check.name not in given
        ):
            found.append(ObjectId(ids.CONSTRAINT, table.id.schema, check.name, table.id.name))
    return found


def inherited_only_checks(
    parent: ObjectId, table: ObjectId, schema: Schema
) -> list[model.Constraint]:
    """The CHECKs ``parent`` gives ``table`` in ``schema`` that ``table`` does not hold of its
    own (conislocal false: pg_dump prints them on the parent alone, and so does the model).
    NO INHERIT leaves each on the child as its own (RemoveInheritance); INHERIT wants the
    child to have each already ("child table is missing constraint") and leaves it the
    child's own (MergeConstraintsIntoExisting), so such a CHECK reaches a child gaining the
    parent only by the parent's ADD CONSTRAINT after the INHERIT."""
    return [check for check in schema.constraints_of(parent)
            if check.type == model.Constraint.CHECK and not check.no_inherit
            and ObjectId(ids.CONSTRAINT, table.schema, check.name, table.name)
            not in schema.objects]  # fmt: skip


def inherited_id(table: ObjectId, parent: ObjectId) -> ObjectId:
    """A stand-in id meaning "``table`` inherits from ``parent``" (its INHERIT has run): a
    CHECK the parent adds then reaches it as inherited only."""
    return ObjectId("inherited", table.schema, table.name, None,
                    (parent.schema or "", parent.name))  # fmt: skip


def inherit_first(table: ObjectId, name: str, old: Schema, new: Schema) -> list[ObjectId]:
    """What the parent ``table``'s ADD of its CHECK ``name`` waits for: the INHERIT of each
    child gaining it that is to hold the CHECK as inherited only (see
    :func:`inherited_only_checks`)."""
    found = []
    for child in _inheritance_children(new).get(table, ()):
        before = old.objects.get(child.id)
        if isinstance(before, model.Table) and table in before.inherits:
            continue
        if ObjectId(ids.CONSTRAINT, child.id.schema, name, child.id.name) not in new.objects:
            found.append(inherited_id(child.id, table))
    return found


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
    "check_dropped_id",
    "column_renames",
    "common_parents",
    "descendants",
    "dropped_with_only",
    "inherit_first",
    "inherited_id",
    "inherited_only_checks",
    "kept_by_children",
    "local_checks",
    "local_copies",
    "merged_first",
    "only_dropped_id",
    "parents",
    "parents_checks_dropped_first",
    "renamed_through_parent",
    "uninherited_first",
    "uninherited_id",
]
