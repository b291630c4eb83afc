"""The columns a ``JOIN ... USING (k)`` merges, and how ruleutils prints each of them.

A merged column is one column of the join (``SELECT *`` lists the merged ones first, then
each side's others: transformFromClauseItem). Its value is built by buildMergedJoinVar
(parse_clause.c) from both sides coerced to their common type: an inner join prefers a side
that needs no coercion, a left join keeps the left side and a right join the right side
(coerced if need be), and a full join takes COALESCE of both. Where the result is a plain
column it is printed as that side's (``a.id``); a coerced side or a COALESCE is no plain
column, and ruleutils prints the join's column by its bare name (``id``), even under
``USING (k) AS j``. Each side still has its own column: ``b.*`` lists ``b.id`` too.
"""

from __future__ import annotations

import attrs

from pgdrift.builder.query_scope import Item
from pgdrift.pg.type_categories import type_common
from pgdrift.types import TypeRef

__all__ = ["merge_using", "visible_columns"]


def visible_columns(items: list[Item]) -> list[str]:
    """The names ``SELECT *`` lists for ``items``, in order."""
    return [name for item in items for name, _ in item.columns if name not in item.hidden]


def merge_using(
    left: list[Item], right: list[Item], using: list[str], kind: str, alias: str | None
) -> list[Item] | None:
    """The FROM entries of ``left JOIN right USING (using)`` of join type ``kind``, the merged
    columns an entry of their own before both sides; None when pgdrift cannot tell them."""
    merged: list[tuple[str, TypeRef | None]] = []
    printed: dict[str, str | None] = {}
    for name in using:
        lside, rside = _holder(left, name), _holder(right, name)
        if lside is None or rside is None:
            return None
        ltype, rtype = lside.type_of(name), rside.type_of(name)
        common = ltype if ltype == rtype else None
        if common is None and ltype is not None and rtype is not None:
            common = _common(ltype, rtype)
            if common is None:
                return None
        # A type pgdrift does not know is taken as the other side's: joins are almost
        # always on columns of one type.
        lplain = ltype is None or rtype is None or ltype == common
        rplain = ltype is None or rtype is None or rtype == common
        lname, rname = lside.merged.get(name, lside.alias), rside.merged.get(name, rside.alias)
        if kind == "JOIN_INNER":
            printed[name] = lname if lplain else rname if rplain else None
        elif kind == "JOIN_LEFT":
            printed[name] = lname if lplain else None
        elif kind == "JOIN_RIGHT":
            printed[name] = rname if rplain else None
        elif kind == "JOIN_FULL":
            printed[name] = None
        else:
            return None
        merged.append((name, common or ltype or rtype))
    hidden = frozenset(using)
    sides = [attrs.evolve(i, hidden=i.hidden | hidden) for i in (*left, *right)]
    return [Item("", merged, printed, using_alias=alias), *sides]


def _common(left: TypeRef, right: TypeRef) -> TypeRef | None:
    """The merged column's type: the sides' common type, with their typmod where they share
    one (select_common_typmod). A side of another typmod is relabelled, so no plain column:
    varchar(10) beside text is merged as varchar."""
    common = type_common(attrs.evolve(left, modifiers=()), attrs.evolve(right, modifiers=()))
    if common is None or left.modifiers != right.modifiers:
        return common
    return attrs.evolve(common, modifiers=left.modifiers)


def _holder(items: list[Item], name: str) -> Item | None:
    """The one entry of ``items`` whose column ``name`` is visible unqualified."""
    found = [item for item in items if item.has(name)]
    return found[0] if len(found) == 1 else None
