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
    # Every expression of a script passes here: walked with a stack, in the tree's order.
    stack = [node]
    pop, extend = stack.pop, stack.extend
    while stack:
        value = pop()
        kind = type(value)
        if kind is dict:
            cast = value.get("TypeCast")
            if cast is not None:
                arg = (cast.get("arg") or {}).get("A_Const") or {}
                text = (arg.get("sval") or {}).get("sval")
                if text is not None:
                    _warn(ctx, cast, text)
                    continue
            extend(reversed(value.values()))
        elif kind is list:
            extend(reversed(value))


def _warn(ctx: BuildContext, cast: dict[str, Any], text: str) -> None:
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
