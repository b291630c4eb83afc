"""Expressions the parser rewrites as it analyses them, whatever their types: the forms
PostgreSQL stores, and pg_dump prints, for ``IS [NOT] DISTINCT FROM`` and sub-select tests.
"""

from __future__ import annotations

from typing import Any

from pgdrift.builder.nodes import Node, strings

__all__ = ["distinct_from_null", "not_distinct", "sublink_form"]


def sublink_form(sublink: Node) -> None:
    """A sub-select's test as ruleutils prints it (get_sublink_expr): ``x = ANY (SELECT ...)``
    as ``x IN (SELECT ...)`` (the parser's form of IN has no operator name), and a row
    left of it as ``(a, b)``, not ``ROW(a, b)``."""
    if sublink.get("subLinkType") == "ANY_SUBLINK" and strings(sublink.get("operName")) == ["="]:
        sublink.pop("operName")
    row = (sublink.get("testexpr") or {}).get("RowExpr")
    if row is not None:
        row["row_format"] = "COERCE_IMPLICIT_CAST"


def distinct_from_null(expr: Node) -> Node | None:
    """``x IS [NOT] DISTINCT FROM NULL`` as PostgreSQL stores it: ``x IS [NOT] NULL``, when
    either side is a bare NULL (transformAExprDistinct makes a NullTest of the other); None
    for any other operator."""
    kind = expr.get("kind")
    if kind not in ("AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT"):
        return None
    for null, other in (("rexpr", "lexpr"), ("lexpr", "rexpr")):
        # A row beside the NULL stays a DistinctExpr (checked on PostgreSQL 15).
        if "RowExpr" in (expr.get(other) or {}):
            return None
        if (expr.get(null) or {}).get("A_Const", {}).get("isnull"):
            test = "IS_NULL" if kind == "AEXPR_NOT_DISTINCT" else "IS_NOT_NULL"
            return {"NullTest": {"arg": expr.get(other), "nulltesttype": test}}
    return None


def not_distinct(node: Any) -> Any:
    """``a IS NOT DISTINCT FROM b`` as PostgreSQL stores it: ``NOT (a IS DISTINCT FROM b)``
    (transformAExprDistinct wraps the DistinctExpr in a NOT)."""
    expr = node.get("A_Expr") if isinstance(node, dict) else None
    if expr is None or expr.get("kind") != "AEXPR_NOT_DISTINCT":
        return node
    expr["kind"] = "AEXPR_DISTINCT"
    return {"BoolExpr": {"boolop": "NOT_EXPR", "args": [node]}}
