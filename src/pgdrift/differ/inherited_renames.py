"""A column renamed on a parent table is renamed in every table that inherits it.

``ALTER TABLE parent RENAME COLUMN a TO b`` recurses to every partition (at every level) and
every inheritance child, whose column of that name is the parent's copy (docs: ALTER TABLE,
"RENAME": "... the column is renamed in all descendant tables"); a child's column merged with a
local definition is renamed too. Renaming it on a child alone fails ("cannot rename inherited
column"). So a confirmed rename of a parent's column confirms the same rename in each
descendant where the old side has the column and the new side has the new name instead: it is
the same PostgreSQL statement, not a drop and a create.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pgdrift import ids, model
from pgdrift.differ.changes import RenameCandidate
from pgdrift.ids import ObjectId

_EVIDENCE = "renamed with its parent table"


def children(objects: Mapping[ObjectId, model.DbObject]) -> dict[ObjectId, list[ObjectId]]:
    """Each table's direct partitions and inheritance children, by table id."""
    result: dict[ObjectId, list[ObjectId]] = {}
    for oid, obj in objects.items():
        if not isinstance(obj, model.Table):
            continue
        parents = [*obj.inherits, *([obj.partition_of] if obj.partition_of else [])]
        for parent in dict.fromkeys(parents):
            result.setdefault(parent, []).append(oid)
    return result


def with_inherited_renames(
    candidates: Sequence[RenameCandidate],
    old: Mapping[ObjectId, model.DbObject],
    new: Mapping[ObjectId, model.DbObject],
) -> tuple[RenameCandidate, ...]:
    """``candidates`` with each confirmed column rename carried to the parent's descendants
    (a descendant's own candidate for the same pair, confirmed or not, is replaced)."""
    below = children(old)
    derived: dict[ObjectId, RenameCandidate] = {}
    pending = [c for c in candidates if c.confirmed and c.old.kind == ids.COLUMN]
    while pending:
        rename = pending.pop()
        table = ObjectId(ids.TABLE, rename.old.schema, rename.old.parent or "")
        for child in below.get(table, ()):
            before, after = old.get(child), new.get(child)
            if not isinstance(before, model.Table) or not isinstance(after, model.Table):
                continue
            if rename.old.name not in before.columns or rename.new.name not in after.columns:
                continue
            if rename.old.name in after.columns:
                continue
            column = before.columns[rename.old.name].id
            if column in derived:
                continue
            carried = RenameCandidate(column, after.columns[rename.new.name].id, 1.0,
                                      (_EVIDENCE,), True)  # fmt: skip
            derived[column] = carried
            pending.append(carried)
    if not derived:
        return tuple(candidates)
    taken = {c.new for c in derived.values()}
    kept = [c for c in candidates if c.old not in derived and c.new not in taken]
    result = [*kept, *derived.values()]
    result.sort(key=lambda p: (p.old.sort_key(), p.new.sort_key()))
    return tuple(result)


__all__ = ["children", "with_inherited_renames"]
