"""The names ruleutils gives a query's FROM entries when it prints a view (set_rtable_names):
each entry is named by its alias, else its relation's name, and a name already taken by an
entry of a query around it gets a number (``a_1``, ``a_2``...), printed as an alias
(``FROM public.a a_1``) and used to qualify its columns. Checked on PostgreSQL 15: a sub-select
reading the outer query's table, and a recursive WITH query reading itself."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["unique_range_names"]


def unique_range_names(
    items: list[Any], outer: Iterable[set[str]], renamed: dict[str, str]
) -> set[str]:
    """Rename the entries of FROM list ``items`` (in place) whose names the queries around
    (``outer``) use, noting each in ``renamed`` (new name -> name written); the names the
    list then uses."""
    taken: set[str] = set().union(*outer)
    used: set[str] = set()
    for node in _entries(items):
        alias = node.get("alias") or {}
        name = alias.get("aliasname") or node.get("relname") or _function_name(node)
        if not name:
            continue
        if name in taken or name in used:
            written = str(name)
            number = 1
            while f"{written}_{number}" in taken or f"{written}_{number}" in used:
                number += 1
            name = f"{written}_{number}"
            renamed[name] = written
            node["alias"] = {**alias, "aliasname": name}
        used.add(name)
    return used


def _function_name(node: dict[str, Any]) -> str | None:
    """A function in FROM without an alias is named by the function (addRangeTableEntryFor
    Function), when it is one function and not ROWS FROM."""
    functions = node.get("functions") or []
    if len(functions) != 1 or node.get("is_rowsfrom"):
        return None
    call = ((functions[0].get("List") or {}).get("items") or [{}])[0] or {}
    names = (call.get("FuncCall") or {}).get("funcname") or []
    return names[-1].get("String", {}).get("sval") if names else None


def _entries(items: list[Any]) -> list[dict[str, Any]]:
    """The RangeVar, RangeSubselect and RangeFunction bodies of a FROM list, joins looked into."""
    found: list[dict[str, Any]] = []
    stack = list(reversed(items))
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        if "RangeVar" in item:
            found.append(item["RangeVar"])
        elif "RangeSubselect" in item:
            found.append(item["RangeSubselect"])
        elif "RangeFunction" in item:
            found.append(item["RangeFunction"])
        elif "JoinExpr" in item:
            join = item["JoinExpr"]
            stack.extend([join.get("rarg"), join.get("larg")])
    return found
