"""A trigger's WHEN condition, read as parse analysis reads it against the OLD and NEW rows.

A bare ``OLD`` or ``NEW`` is the whole row, which ruleutils prints ``old.*``
(``to_jsonb(old.*)``, ``old.* IS DISTINCT FROM new.*``), and ``ROW(OLD.*)`` is a row of each
of the table's columns (transformRowExpr expands the star), so ``ROW(OLD.*) IS DISTINCT
FROM ROW(NEW.*)`` compares column by column (:mod:`pgdrift.builder.row_comparisons`).
"""

from __future__ import annotations

from typing import Any

from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, strings
from pgdrift.ids import ObjectId

__all__ = ["when_rows"]

_ROWS = ("old", "new")


def when_rows(ctx: BuildContext, when: Node | None, table: ObjectId) -> None:
    """``when`` (changed in place) with its whole-row references to OLD and NEW spelled out."""
    columns = getattr(ctx.get(table), "columns", None)
    if when is None or columns is None:
        return
    names = [column.name for column in columns.ordered]
    if any(row in names for row in _ROWS):
        return  # a bare old is then ambiguous, and PostgreSQL refuses it
    _walk(when, names)


def _walk(node: Any, names: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, names)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("ColumnRef")
    fields = strings(ref.get("fields")) if ref is not None else []
    if ref is not None and len(fields) == 1 and len(ref["fields"]) == 1 and fields[0] in _ROWS:
        ref["fields"] = [*ref["fields"], {"A_Star": {}}]
        return
    row = node.get("RowExpr")
    if row is not None and row.get("args"):
        row["args"] = [expanded for arg in row["args"] for expanded in _expand(arg, names)]
    for value in node.values():
        _walk(value, names)


def _expand(arg: Any, names: list[str]) -> list[Any]:
    """A row's item: ``old.*`` as one reference per column, anything else as it is."""
    fields = arg.get("ColumnRef", {}).get("fields") if isinstance(arg, dict) else None
    if not fields or len(fields) != 2 or "A_Star" not in fields[1]:
        return [arg]
    row = strings(fields[:1])
    if len(row) != 1 or row[0] not in _ROWS:
        return [arg]
    return [{"ColumnRef": {"fields": [{"String": {"sval": row[0]}},
                                      {"String": {"sval": name}}]}} for name in names]  # fmt: skip
