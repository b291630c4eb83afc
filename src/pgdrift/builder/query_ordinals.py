"""``GROUP BY 1`` and ``ORDER BY 2`` in a stored query, as PostgreSQL keeps them.

Parse analysis turns a position in GROUP BY or ORDER BY into a reference to that result
column (``findTargetlistEntrySQL92``), so a view keeps the column's expression, not the
number, and pg_get_viewdef prints the expression (``GROUP BY (date_trunc('day', t.at)), t.a``).
The exception, a set operation's ORDER BY, is printed by number and is left alone by the
caller. The copy is made before the query's names are qualified, so it is qualified with them.
"""

from __future__ import annotations

import copy

from pgdrift.builder.nodes import Node

__all__ = ["resolve_ordinals"]


def resolve_ordinals(body: Node, targets: list[Node]) -> None:
    """Replace each integer position in ``body``'s GROUP BY and ORDER BY by a copy of that
    result column's expression (``targets`` with ``*`` already expanded). A position out of
    range is PostgreSQL's error to give; it is left as written."""
    groups = body.get("groupClause")
    if groups:
        body["groupClause"] = [_target_at(item, targets) or item for item in groups]
    for sort in body.get("sortClause") or []:
        by = sort.get("SortBy")
        if by is not None and "node" in by:
            by["node"] = _target_at(by["node"], targets) or by["node"]


def _target_at(item: Node, targets: list[Node]) -> Node | None:
    const = item.get("A_Const") if isinstance(item, dict) else None
    if not const or "ival" not in const:
        return None
    position = const["ival"].get("ival", 0)
    if not 1 <= position <= len(targets):
        return None
    value: Node = targets[position - 1]["ResTarget"]["val"]
    return copy.deepcopy(value)
