"""The result types of built-in calls, as function resolution settles them (pg_proc,
pg_aggregate): what a literal beside a call is compared as (builder.comparisons)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pgdrift import ids
from pgdrift.builder.nodes import Node, strings
from pgdrift.pg.constants import BIGINT, INTEGER, NUMERIC, RANGE_SUBTYPES, TEXT
from pgdrift.pg.functions import (
    ANY_ARGUMENT_RESULTS,
    BASE_TYPE_AGGREGATES,
    DOUBLE,
    INTEGER_RESULTS,
    RANGE_BOUNDS,
    STRING_OR_BINARY,
    TEXT_RESULTS,
)
from pgdrift.pg.overloads import (
    ENUM,
    RANGE,
    UNKNOWN,
    candidates,
    resolve_overload,
    result_of,
    written_variadic,
)
from pgdrift.types import TypeRef

__all__ = ["KindOf", "Operand", "call_type", "type_kind"]

#: What an operand is, as builder.comparisons tells it: ("column", (declared, base)) for an
#: expression of known type, ("number", Const), ("unknown", text) or ("other", None).
Operand = Callable[[Any], "tuple[str, Any]"]
#: The kind of a type of the schema (builder.domains.TypeFacts.kind: ids.ENUM...), else None.
KindOf = Callable[[TypeRef], "str | None"]
_KINDS = {ids.ENUM: ENUM, ids.RANGE_TYPE: RANGE}  # as pgdrift.pg.overloads names them
_AGGREGATES = frozenset({"sum", "avg", "min", "max", "count"})
_INTEGER_TYPES = (TypeRef(None, "smallint"), INTEGER, BIGINT)
_STRINGS = (TEXT, TypeRef(None, "character varying"), TypeRef(None, "character"))
_FLOATS = frozenset({"real", "double precision"})


def call_type(
    call: Node,
    operand: Operand,
    kind_of: KindOf | None = None,
    arrays: Callable[[Any], TypeRef | None] | None = None,
) -> TypeRef | None:
    """The result type of a built-in call pgdrift knows: that of the function PostgreSQL
    resolves it to (pg_proc, generated); else by hand where pgdrift does not follow the
    implicit casts that settle it: text functions, count, and sum/avg/min/max of an expression
    of a built-in type they take."""
    names = strings(call.get("funcname"))
    if not names or (len(names) > 1 and names[0] != "pg_catalog"):
        return None
    name, args = names[-1], call.get("args") or []
    if call.get("agg_star"):
        return BIGINT if name == "count" else None
    generated = _generated(call, name, args, operand, (kind_of, arrays))
    if generated is not None:
        return generated
    if name in RANGE_BOUNDS and len(args) == 1:
        kind, types = operand(args[0])
        base = types[1] if kind == "column" else TEXT
        subtype = RANGE_SUBTYPES.get(base.name.replace("multirange", "range"))
        if subtype is not None and base.schema is None and not base.array_dims:
            return subtype  # lower(daterange) is a date (anyrange -> anyelement)
        if base not in _STRINGS:
            return None  # lower(text) is text, of another type pgdrift does not say
    if name in STRING_OR_BINARY and args and _is_string(args[0], operand):
        return TEXT  # substring(text ...), overlay(text ...): text (their bytea, bit overloads)
    if name in TEXT_RESULTS and not call.get("agg_distinct"):
        return TEXT
    if name in INTEGER_RESULTS and not call.get("over"):
        return INTEGER
    if name in ANY_ARGUMENT_RESULTS and not call.get("over"):
        return TypeRef(None, ANY_ARGUMENT_RESULTS[name])  # pg_typeof(x) is a regtype
    if name not in _AGGREGATES or len(args) != 1:
        return None  # an aggregate is of the same type as a window function (OVER)
    if name == "count":
        return BIGINT  # count(x) of any x
    kind, types = operand(args[0])
    if kind != "column":
        return None
    base = types[1]
    if not base.is_builtin or base.array_dims:
        return None
    plain = TypeRef(None, base.name)  # without the argument's length or precision
    if name in ("min", "max"):
        # Of the argument's type; max(varchar) is max(text).
        if plain.name in BASE_TYPE_AGGREGATES[name] or plain == _STRINGS[2]:
            return plain
        return TEXT if plain == _STRINGS[1] else None
    if plain.name not in BASE_TYPE_AGGREGATES[name]:
        return None
    if plain in _INTEGER_TYPES:
        # sum(smallint or integer) is bigint, sum(bigint) numeric, avg of any integer numeric.
        return NUMERIC if name == "avg" or plain == BIGINT else BIGINT
    # avg(real or double precision) is double precision; sum of a float, numeric, interval or
    # money is of its type, and so is avg of numeric or interval (pg_aggregate).
    return DOUBLE if name == "avg" and plain.name in _FLOATS else plain


def _is_string(arg: Any, operand: Operand) -> bool:
    """Whether ``arg`` is a string literal or of a string type (a domain by its base)."""
    kind, types = operand(arg)
    return kind == "unknown" or (kind == "column" and types[1] in _STRINGS)


def _generated(
    call: Node,
    name: str,
    args: list[Any],
    operand: Operand,
    facts: tuple[KindOf | None, Callable[[Any], TypeRef | None] | None],
) -> TypeRef | None:
    """The result type of the function PostgreSQL resolves ``call`` to, from pg_proc
    (:func:`pgdrift.pg.overloads.result_of`); None where pgdrift cannot tell which, or its
    result is polymorphic beyond what the arguments say. An argument may be of a type of the
    schema (``max(mood)`` is max(anyenum), of type mood): a function of the schema of that
    name would have been qualified (builder.search_path), so the call is of a built-in."""
    count = len(args)
    overloads = written_variadic(name, count) if call.get("func_variadic") else candidates(
        name, count)  # fmt: skip
    if not overloads or any("NamedArgExpr" in arg for arg in args):
        return None
    kind_of, arrays = facts
    types = [_arg_type(arg, operand) for arg in args]
    if arrays is not None:  # an array argument (unnest(moods)), of a type pgdrift knows
        types = [t if t is not None else arrays(arg) for t, arg in zip(types, args, strict=True)]
    kinds = [type_kind(t, kind_of) for t in types]
    if any(t is not None and t.schema is not None and not t.array_dims and kind is None
           for t, kind in zip(types, kinds, strict=True)):  # fmt: skip
        return None  # a composite type, or one pgdrift does not know
    chosen = resolve_overload(overloads, types, kinds)
    if chosen is not None:
        return result_of(name, chosen, types, kinds)
    # Whichever PostgreSQL chooses (implicit casts of the arguments are not followed here),
    # where every overload returns the same type: length(varchar) is an integer.
    results = {result_of(name, overload, types) for overload in overloads}
    return results.pop() if len(results) == 1 else None


def type_kind(ref: TypeRef | None, kind_of: KindOf | None) -> str | None:
    """The kind of ``ref`` polymorphic parameters look at, for a type of the schema."""
    if ref is None or ref.schema is None or ref.array_dims or kind_of is None:
        return None
    found = kind_of(ref)
    return _KINDS.get(found) if found is not None else None


def _arg_type(arg: Any, operand: Operand) -> TypeRef | None:
    """An argument's type as function resolution sees it: unknown for a string literal or
    NULL, a domain's base type, None where pgdrift cannot tell."""
    if isinstance(arg, dict) and arg.get("A_Const", {}).get("isnull"):
        return UNKNOWN
    kind, value = operand(arg)
    if kind == "unknown":
        return UNKNOWN
    typed: TypeRef | None = value.type if kind == "number" else (
        value[1] if kind == "column" else None)  # fmt: skip
    return typed
