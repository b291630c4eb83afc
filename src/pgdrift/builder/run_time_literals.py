"""Date and time literals read when the statement runs (``'now'``, ``'today'``): a string
literal given to a date or time type is read by the type's input function during parse
analysis, and ``'now'`` is then the moment the DDL ran, stored as a constant. A dump shows
that moment; a source cannot know it, so the literal is kept as written and the load warns.
"""

from __future__ import annotations

from typing import Any

from pgdrift.builder.context import BuildContext
from pgdrift.pg.datetimes import read_when_run
from pgdrift.types import type_from_node

__all__ = ["warn_read_when_run"]


def warn_read_when_run(ctx: BuildContext, node: Any) -> None:
    """Warn about each literal of ``node`` (a folded expression) that is such a moment."""
    if isinstance(node, list):
        for item in node:
            warn_read_when_run(ctx, item)
        return
    if not isinstance(node, dict):
        return
    cast = node.get("TypeCast")
    text = ((cast or {}).get("arg") or {}).get("A_Const", {}).get("sval", {}).get("sval")
    if cast is not None and text is not None:
        try:
            ref = type_from_node(cast["typeName"])
        except ValueError:
            return
        if ref.is_builtin and not ref.array_dims and read_when_run(text, ref.name):
            ctx.warn(
                f"'{text}'::{ref.name} is read once, when the statement runs: PostgreSQL "
                "stores that moment as a constant, which a dump shows and this script cannot "
                f"(kept as written; now() or CURRENT_DATE is read at each use)"
            )
        return
    for value in node.values():
        warn_read_when_run(ctx, value)
