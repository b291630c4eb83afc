"""``GROUP BY 1``, ``ORDER BY 2`` and ``DISTINCT ON (1)`` in a stored query, as PostgreSQL
keeps them.

Parse analysis turns a position in GROUP BY (``ROLLUP``, ``CUBE`` and ``GROUPING SETS``
included), ORDER BY or DISTINCT ON into a reference to that result column
(``findTargetlistEntrySQL92``), so a view keeps the column's expression, not the number, and
pg_get_viewdef prints the expression (``GROUP BY (date_trunc('day', t.at)), t.a``; a string
constant with its type, ``GROUP BY 'x'::text``). The exception, a set operation's ORDER BY,
is printed by number and is left alone by the caller. The copy is made before the query's
names are qualified, so it is qualified with them.
"""

from __future__ import annotations

import copy
from typing import Any

from pgdrift.builder.nodes import Node
from pgdrift.pg.constants import TEXT, Const, const_node

__all__ = ["resolve_ordinals"]


def resolve_ordinals(body: Node, targets: list[Node]) -> None:
    """Replace each integer position in ``body``'s GROUP BY, ORDER BY and DISTINCT ON by a
    copy of that result column's expression (``targets`` with ``*`` already expanded). A
    position out of range is PostgreSQL's error to give; it is left as written."""
    for clause in ("groupClause", "distinctClause"):
        items = body.get(clause)
        if items:
            body[clause] = [_resolved(item, targets) for item in items]
    for sort in body.get("sortClause") or []:
        by = sort.get("SortBy")
        if by is not None and "node" in by:
            by["node"] = _resolved(by["node"], targets)


def _resolved(item: Any, targets: list[Node]) -> Any:
    if not isinstance(item, dict):
        return item
    grouping = item.get("GroupingSet")
    if grouping is not None and grouping.get("content"):
        grouping["content"] = [_resolved(part, targets) for part in grouping["content"]]
        return item
    columns = item.get("List")  # a set of columns in a grouping set (builder.grouping_sets)
    if columns is not None:
        columns["items"] = [_resolved(part, targets) for part in columns["items"]]
        return item
    const = item.get("A_Const")
    if not const or "ival" not in const:
        return item
    position = const["ival"].get("ival", 0)
    if not 1 <= position <= len(targets):
        return item
    value: Node = copy.deepcopy(targets[position - 1]["ResTarget"]["val"])
    text = value.get("A_Const", {}).get("sval")
    if text is not None:  # a string in the select list is text (and so is its copy)
        return const_node(Const(TEXT, str(text.get("sval", ""))))
    return value
