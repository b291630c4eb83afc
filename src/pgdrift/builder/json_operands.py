"""json and jsonb values and the operators on them, typed as PostgreSQL types them: a string
literal key after ``->``, ``->>``, ``?``, ``-`` is text, after ``#>`` or ``?|`` a text[]
(pg_operator), beside ``@>`` a jsonb. The left operand may be any expression pgdrift knows to
be json or jsonb: a column, a cast, a COALESCE or CASE of them, a call of a built-in that
yields one (``to_jsonb(t.*) ->> 'a'``, pgdrift.pg.json_results), or a ``->``, ``#>``, ``||``,
``-`` or ``#-`` of one (``(j || k) ->> 'a'``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pgdrift.builder.comparison_parts import _JSON, _JSONB, _plain, _unknown
from pgdrift.builder.nodes import Node, strings
from pgdrift.pg.constants import Const, coerce_unknown, const_node
from pgdrift.pg.json_results import JSON_RESULTS, JSONB_OPERATORS, JSONB_RESULTS
from pgdrift.pg.operators import JSON_ONLY, JSON_OPERATORS
from pgdrift.types import TypeRef

__all__ = ["json_call_type", "json_key", "json_type"]

#: What an operand is, as builder.comparisons._operand says: ("column", (declared type, base
#: type)) for an expression of known type, else another kind.
Operand = Callable[[Any], tuple[str, Any]]


def json_type(node: Any, operand: Operand) -> TypeRef | None:
    """json or jsonb when ``node`` is known to be of that type (``->>`` gives text)."""
    if not isinstance(node, dict):
        return None
    expr = node.get("A_Expr")
    if expr is not None:
        names = strings(expr.get("name"))
        if expr.get("kind") != "AEXPR_OP" or len(names) != 1 or expr.get("lexpr") is None:
            return None
        left = json_type(expr.get("lexpr"), operand)
        if names[0] in ("->", "#>"):
            return left
        if left != _JSONB or names[0] not in JSONB_OPERATORS:
            return None
        right = expr.get("rexpr")
        if names[0] == "||" and _unknown(right) is None and json_type(right, operand) != _JSONB:
            return None  # jsonb || jsonb (a literal beside a jsonb is one)
        return _JSONB
    call = node.get("FuncCall")
    if call is not None and json_call_type(call) is not None:
        return json_call_type(call)
    kind, types = operand(node)
    if kind != "column" or _plain(types[0]) != types[1]:
        return None  # a domain over json: the cast it needs is not worked out here
    found: TypeRef = types[1]
    return found if found in (_JSON, _JSONB) else None


def json_call_type(call: Node) -> TypeRef | None:
    """json or jsonb for a call of a built-in that yields one, else None."""
    names = strings(call.get("funcname"))
    if not names or len(names) > 2 or (len(names) == 2 and names[0] != "pg_catalog"):
        return None
    return _JSONB if names[-1] in JSONB_RESULTS else _JSON if names[-1] in JSON_RESULTS else None


def json_key(expr: Node, op: str, operand: Operand) -> None:
    """The string literal on the right of a json or jsonb operator ``op``, typed as the
    operator takes it (changed in place)."""
    right = expr.get("rexpr") or {}
    if "A_Const" not in right or "sval" not in right["A_Const"]:
        return
    base = json_type(expr.get("lexpr"), operand)
    if base is None or (base == _JSON and op not in JSON_ONLY):
        return
    to = JSON_OPERATORS[op] or base
    text = str(right["A_Const"]["sval"].get("sval", ""))
    expr["rexpr"] = const_node(coerce_unknown(text, to) or Const(to, text))
