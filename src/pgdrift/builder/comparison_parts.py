"""The operator sets and parse-tree pieces the comparison rules share (builder/comparisons.py):
which operators compare, match patterns, concatenate or compute, the string and JSON types
they read, and the casts they print."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pgdrift import ids
from pgdrift.builder.nodes import Node
from pgdrift.pg.constants import (
    BIGINT,
    INTEGER,
    NUMERIC,
    TEXT,
    type_name_node,
)
from pgdrift.types import TypeRef, type_from_node

if TYPE_CHECKING:
    from pgdrift.builder.domains import TypeFacts

_COMPARISONS = frozenset({"=", "<>", "<", ">", "<=", ">="})
# LIKE, ILIKE, regular expressions: defined on text (and on bpchar with a text pattern).
_PATTERNS = frozenset({"~~", "~~*", "!~~", "!~~*", "~", "~*", "!~", "!~*"})
_CONCAT = "||"
# Array containment and overlap (anyarray @> anyarray...): a literal is of the other's type.
_ARRAY_OPERATORS = frozenset({"@>", "<@", "&&"})
# + - * / between numbers: the integer types have operators across each other (int48pl...),
# numeric and double precision only with themselves, so an integer (or numeric) operand
# beside a numeric (or double precision) one is cast to it ("Operator Type Resolution").
_ARITHMETIC = frozenset({"+", "-", "*", "/"})
_INTEGERS = frozenset({"smallint", "integer", "bigint"})
_FLOATS = frozenset({"real", "double precision"})
_JSON = TypeRef(None, "json")
_JSONB = TypeRef(None, "jsonb")
_NULL = {"A_Const": {"isnull": True}}
#: The types a numeric constant takes: integer if it fits, else bigint, else numeric
#: ("Numeric Constants" in the docs).
_NUMBER_TYPES = (INTEGER, BIGINT, NUMERIC)
_VARCHAR = TypeRef(None, "character varying")
_BPCHAR = TypeRef(None, "character")
_NAME = TypeRef(None, "name")
# The types || reads as text (textcat): the string category, name included.
_CONCAT_STRINGS = frozenset({TEXT, _VARCHAR, _BPCHAR, _NAME})
_CIDR = TypeRef(None, "cidr")
_INET = TypeRef(None, "inet")


def _a_expr(op: str, left: Node, right: Node, kind: str = "AEXPR_OP") -> Node:
    return {"A_Expr": {"kind": kind, "name": [{"String": {"sval": op}}],
                       "lexpr": left, "rexpr": right}}  # fmt: skip


def type_cast(node: Node, to: TypeRef) -> Node:
    """``(node)::to`` as JSON."""
    return {"TypeCast": {"arg": node, "typeName": type_name_node(to)}}


def results_of(node: Node) -> list[Any] | None:
    """The arguments of a COALESCE, GREATEST or LEAST, the results of a CASE (its ELSE
    included), else None."""
    coalesce = node.get("CoalesceExpr") or node.get("MinMaxExpr")
    if coalesce is not None:
        return list(coalesce.get("args") or [])
    case = node.get("CaseExpr")
    if case is None:
        return None
    results = [when["CaseWhen"].get("result") for when in case.get("args") or []]
    return [*results, case.get("defresult")]


def routine_result(call: Node, facts: TypeFacts) -> TypeRef | None:
    """The result type of a call of a function the schema defines (qualified, as stored),
    when one function of that name takes that many arguments."""
    names = [n.get("String", {}).get("sval") for n in call.get("funcname") or ()]
    if len(names) != 2 or names[0] in (None, "pg_catalog") or names[1] is None:
        return None
    return facts.result(names[0], names[1], len(call.get("args") or ()))


def plain_element(ref: TypeRef, base_of: TypeFacts) -> bool:
    """Whether an array of ``ref``'s element type is one pgdrift types: built in, or an enum."""
    return ref.is_builtin or base_of.kind(TypeRef(ref.schema, ref.name)) == ids.ENUM


def cast_type(node: Any) -> TypeRef | None:
    """The type ``node`` is cast to, when it is a cast (``x::t``), else None."""
    try:
        return type_from_node(node["TypeCast"]["typeName"])
    except (ValueError, KeyError, TypeError):
        return None


def _plain(ref: TypeRef) -> TypeRef:
    """The type without length or precision: what operator resolution looks at."""
    return TypeRef(ref.schema, ref.name, array_dims=ref.array_dims) if ref.modifiers else ref


def _unknown(node: Any) -> str | None:
    const = node.get("A_Const") if isinstance(node, dict) else None
    if const is None or "sval" not in const:
        return None
    return str(const["sval"].get("sval", ""))


def _as(node: Node, declared: TypeRef, input_type: TypeRef) -> Node:
    """An operand of ``declared`` type given to an operator taking ``input_type``."""
    return node if declared == input_type else type_cast(node, input_type)


def read_as(base: TypeRef) -> TypeRef:
    """The type an operand of ``base`` is given to a built-in operator as: varchar as text
    (texteq...), cidr as inet (pg_operator has no cidr operators; network_eq and the like
    take inet, to which cidr is binary-coercible)."""
    return TEXT if base == _VARCHAR else _INET if base == _CIDR else base


def _column_side(column: Node, declared: TypeRef, input_type: TypeRef) -> Node:
    """The column as an operator input of ``input_type``: cast when it is of another type
    (varchar read as text, a domain read as its base type); shown because ruleutils prints
    an operator's arguments with their implicit casts."""
    return column if _plain(declared) == input_type else type_cast(column, input_type)
