"""Comparisons of two rows written out, as make_row_comparison_op and make_row_distinct_op
(parse_expr.c) store them: ``(a, b) = (c, d)`` is the AND of the columns' comparisons,
``<>`` their OR, ``< <= > >=`` a row comparison (printed ``ROW(a, b) < ROW(c, d)``), and
``(a, b) IS DISTINCT FROM (c, d)`` the OR of ``a IS DISTINCT FROM c`` and the others (IS NOT
DISTINCT FROM: the NOT of that OR). Rows of one column compare that column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pgdrift.builder.nodes import Node, strings

__all__ = ["row_comparison"]

_ORDERINGS = frozenset({"<", "<=", ">", ">="})


def row_comparison(expr: Node, compare: Callable[[Node], Any]) -> Any:
    """``expr`` (an A_Expr) between two rows as stored, each pair of columns compared by
    ``compare`` (given an A_Expr node, it returns the stored comparison); None (nothing done)
    for any other operator, or rows that are not both written out."""
    name = strings(expr.get("name"))
    kind = expr.get("kind")
    sides: list[Node] = [s for s in (expr.get("lexpr"), expr.get("rexpr")) if isinstance(s, dict)]
    distinct = kind in ("AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT")
    if (kind != "AEXPR_OP" and not distinct) or len(name) != 1 or len(sides) != 2:
        return None
    left, right = (side.get("RowExpr") for side in sides)
    if left is None or right is None:
        return None
    pairs = list(zip(left.get("args") or [], right.get("args") or [], strict=False))
    if not pairs or len(pairs) != len(right.get("args") or []):
        return None
    if name[0] not in ("=", "<>", *_ORDERINGS):
        return None
    if distinct and len(pairs) == 1:
        kind = expr["kind"]  # one column: the scalar IS [NOT] DISTINCT FROM
    elif distinct:
        kind = "AEXPR_DISTINCT"
    compared = [compare({"A_Expr": {"kind": kind, "name": expr["name"], "lexpr": a, "rexpr": b}})
                for a, b in pairs]  # fmt: skip
    if name[0] in _ORDERINGS and len(pairs) > 1:
        # Each pair's operands are typed as their own comparison's would be.
        for index, pair in enumerate(compared):
            operands = pair.get("A_Expr") if isinstance(pair, dict) else None
            if operands is not None and strings(operands.get("name")) == name:
                left["args"][index] = operands["lexpr"]
                right["args"][index] = operands["rexpr"]
        return None  # printed ROW(a, b) < ROW(1, 2), as every row
    if len(compared) == 1:
        return compared[0]
    boolop = "AND_EXPR" if name[0] == "=" and not distinct else "OR_EXPR"
    either = {"BoolExpr": {"boolop": boolop, "args": compared}}
    if expr["kind"] == "AEXPR_NOT_DISTINCT":
        return {"BoolExpr": {"boolop": "NOT_EXPR", "args": [either]}}
    return either
