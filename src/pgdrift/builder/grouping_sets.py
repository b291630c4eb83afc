"""GROUP BY as parse analysis reads it (``flatten_grouping_sets`` in parse_clause.c).

A parenthesised list ``(a, b)`` in GROUP BY is an implicit row to the grammar, but a list of
grouping columns to parse analysis: at the top of GROUP BY its columns join the list
(``GROUP BY (a, b)`` is ``GROUP BY a, b``); inside ``GROUPING SETS``, ``ROLLUP`` or ``CUBE``
it is one set of columns, which pg_get_viewdef prints ``(t.a, t.b)`` where it prints a row
``ROW(t.a, t.b)``. A ``GROUPING SETS`` inside ``GROUPING SETS`` is spliced into it; an empty
set ``()`` at the top of GROUP BY is dropped when other items are left. A written
``ROW(a, b)`` stays a row.

A set of columns is kept as a ``List`` node, which the expression folding leaves a list and
:mod:`pgdrift.expr` turns back into the row the dump's ``(t.a, t.b)`` reads as.
"""

from __future__ import annotations

from typing import Any

from pgdrift.builder.nodes import Node, equal_key

__all__ = ["drop_repeated_groups", "flatten_grouping"]


def flatten_grouping(body: Node) -> None:
    """``body``'s GROUP BY (a SELECT's), flattened in place as PostgreSQL stores it."""
    items = body.get("groupClause")
    if not items:
        return
    flat: list[Any] = []
    for item in items:
        flat.extend(_flattened(item, toplevel=True))
    # Only the empty sets: GROUP BY () is what is left (the caller supplies it).
    body["groupClause"] = flat or [item for item in items if _is_empty(item)][:1]


def _flattened(item: Any, *, toplevel: bool) -> list[Any]:
    """What ``item`` adds to the list it is in: itself, or the items it splices in."""
    if _is_list(item):
        columns = _columns(item)
        if toplevel or len(columns) == 1:
            return columns
        return [{"List": {"items": columns}}]
    grouping = item.get("GroupingSet") if isinstance(item, dict) else None
    if grouping is None:
        return [item]
    if toplevel and grouping.get("kind") == "GROUPING_SET_EMPTY":
        return []
    content: list[Any] = []
    for part in grouping.get("content") or []:
        flat = _flattened(part, toplevel=False)
        if _is_sets(part):  # GROUPING SETS in GROUPING SETS: its sets join the outer ones
            content.extend(flat[0]["GroupingSet"].get("content") or [])
        else:
            content.extend(flat)
    if content:
        grouping["content"] = content
    return [item]


def _columns(item: Any) -> list[Any]:
    """The columns of a parenthesised list, lists in it spliced in."""
    if not _is_list(item):
        return [item]
    return [c for arg in item["RowExpr"].get("args") or [] for c in _columns(arg)]


def _is_list(item: Any) -> bool:
    row = item.get("RowExpr") if isinstance(item, dict) else None
    return row is not None and row.get("row_format") == "COERCE_IMPLICIT_CAST"


def _is_sets(item: Any) -> bool:
    return _kind(item) == "GROUPING_SET_SETS"


def _is_empty(item: Any) -> bool:
    return _kind(item) == "GROUPING_SET_EMPTY"


def _kind(item: Any) -> str | None:
    """A grouping set's kind (GROUPING_SET_SETS, ...), None for anything else."""
    return item.get("GroupingSet", {}).get("kind") if isinstance(item, dict) else None


def drop_repeated_groups(body: Node) -> None:
    """``GROUP BY a, b, a`` (its names qualified) as stored: an expression already in the
    list is not added again (transformGroupClause). Left as written with grouping sets."""
    items = body.get("groupClause")
    if not items or len(items) < 2 or any("GroupingSet" in item for item in items):
        return
    seen: set[str] = set()
    kept = []
    for item in items:
        key = equal_key(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    body["groupClause"] = kept
