"""The result types of built-in calls, as function resolution settles them (pg_proc,
pg_aggregate): what a literal beside a call is compared as (builder.comparisons)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pgdrift.builder.nodes import Node, strings
from pgdrift.pg.constants import BIGINT, INTEGER, NUMERIC, RANGE_SUBTYPES, TEXT
from pgdrift.pg.functions import (
    BASE_TYPE_AGGREGATES,
    DOUBLE,
    DOUBLE_RESULTS,
    INTEGER_RESULTS,
    NUMERIC_RESULTS,
    RANGE_BOUNDS,
    SAME_TYPE_RESULTS,
    STRING_OR_BINARY,
    TEXT_RESULTS,
    TIMESTAMPTZ_RESULTS,
)
from pgdrift.types import TypeRef

__all__ = ["Operand", "call_type"]

#: What an operand is, as builder.comparisons tells it: ("column", (declared, base)) for an
#: expression of known type, ("number", Const), ("unknown", text) or ("other", None).
Operand = Callable[[Any], "tuple[str, Any]"]
_AGGREGATES = frozenset({"sum", "avg", "min", "max", "count"})
_INTEGER_TYPES = (TypeRef(None, "smallint"), INTEGER, BIGINT)
_STRINGS = (TEXT, TypeRef(None, "character varying"), TypeRef(None, "character"))
_FLOATS = frozenset({"real", "double precision"})


def call_type(call: Node, operand: Operand) -> TypeRef | None:
    """The result type of a built-in call pgdrift knows (pg_proc, pg_aggregate): text
    functions, count, and sum/avg/min/max of an expression of a built-in type they take."""
    names = strings(call.get("funcname"))
    if not names or (len(names) > 1 and names[0] != "pg_catalog"):
        return None
    name, args = names[-1], call.get("args") or []
    if call.get("agg_star"):
        return BIGINT if name == "count" else None
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
    if name in DOUBLE_RESULTS and not call.get("over"):
        return DOUBLE
    if name in NUMERIC_RESULTS and not call.get("over"):
        return NUMERIC
    if name in TIMESTAMPTZ_RESULTS and not args:
        return _TIMESTAMPTZ
    if name in RANGE_SUBTYPES and len(args) in (2, 3):
        return TypeRef(None, name)  # daterange(a, b) is a daterange
    if name == "date_trunc" and len(args) in (2, 3):
        return _date_trunc(args, operand)
    if name in SAME_TYPE_RESULTS and args and not call.get("over"):
        kind, types = operand(args[0])
        base = types[1] if kind == "column" else None
        if base is not None and base.is_builtin and not base.array_dims and (
            base.name in ("numeric", "double precision")
            or (name == "abs" and TypeRef(None, base.name) in _INTEGER_TYPES)
        ):
            return TypeRef(None, base.name)  # without the argument's precision
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


_TIMESTAMP = TypeRef(None, "timestamp without time zone")
_TIMESTAMPTZ = TypeRef(None, "timestamp with time zone")
_INTERVAL = TypeRef(None, "interval")


def _date_trunc(args: list[Any], operand: Operand) -> TypeRef | None:
    """date_trunc(text, timestamp | timestamptz | interval) returns its second argument's
    type; a date takes the timestamptz overload, as does the form with a time zone."""
    if len(args) == 3:
        return _TIMESTAMPTZ
    kind, types = operand(args[1])
    if kind != "column" or types[1].schema is not None or types[1].array_dims:
        return None
    base = TypeRef(None, types[1].name)  # without a precision: the result has none
    if base in (_TIMESTAMP, _TIMESTAMPTZ, _INTERVAL):
        return base
    return _TIMESTAMPTZ if base == TypeRef(None, "date") else None


def _is_string(arg: Any, operand: Operand) -> bool:
    """Whether ``arg`` is a string literal or of a string type (a domain by its base)."""
    kind, types = operand(arg)
    return kind == "unknown" or (kind == "column" and types[1] in _STRINGS)
