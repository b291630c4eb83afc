"""Arguments of built-in calls coerced as function resolution coerces them, beyond the string
literals typed by their parameters (builder.stored_exprs with pgdrift.pg.functions): a date
given to a function that has only a timestamptz overload is cast to it, lag's and lead's
default joins the value's type (anycompatible), an ordered-set aggregate's fraction (and
percentile_cont's sorted value) is double precision. Each rule was checked against
PostgreSQL 15 and is pinned in tests/test_stored_expressions.py.
"""

from __future__ import annotations

from pgdrift.builder.common_types import coerced_number, join_common, unknown_text
from pgdrift.builder.comparisons import Typer, expression_type, result_type, type_cast
from pgdrift.builder.domains import TypeFacts
from pgdrift.builder.nodes import Node, strings
from pgdrift.pg.constants import coerce_unknown, const_node
from pgdrift.pg.functions import (
    BASE_TYPE_AGGREGATES,
    CONTINUOUS_AGGREGATES,
    DATE_AS_TIMESTAMPTZ,
    DOUBLE,
    FRACTION_AGGREGATES,
    INTERVAL,
    TIMESTAMPTZ,
)
from pgdrift.types import TypeRef

__all__ = ["type_builtin_call"]

_DATE = TypeRef(None, "date")
#: Window functions whose value and default (the first and third arguments) are
#: anycompatible: they join their common type (pg_proc, PostgreSQL 13 and later).
_VALUE_AND_DEFAULT = frozenset({"lag", "lead"})


def type_builtin_call(call: Node, typer: Typer, base_of: TypeFacts) -> None:
    """``call`` (a FuncCall, its arguments already folded) with the arguments of the built-ins
    below coerced, in place."""
    names = strings(call.get("funcname"))
    if not names or (len(names) == 2 and names[0] != "pg_catalog") or len(names) > 2:
        return
    name, args = names[-1], call.get("args") or []
    signature = DATE_AS_TIMESTAMPTZ.get((name, len(args)))
    if signature is not None:
        _dates_as_timestamptz(args, signature, typer, base_of)
    if name in _VALUE_AND_DEFAULT and len(args) == 3 and call.get("over") is not None:
        pair = [args[0], args[2]]
        if join_common(pair, typer, base_of) is not None:
            args[0], args[2] = pair
    if name in BASE_TYPE_AGGREGATES and len(args) == 1 and not call.get("agg_star"):
        args[0] = _domain_as_base(args[0], BASE_TYPE_AGGREGATES[name], typer, base_of)
    if name in FRACTION_AGGREGATES and call.get("agg_within_group") and len(args) == 1:
        args[0] = coerced_number(args[0], DOUBLE, typer, base_of)
        if name in CONTINUOUS_AGGREGATES:
            for item in call.get("agg_order") or []:
                _continuous(item.get("SortBy") or {}, typer, base_of)


def _continuous(sort: Node, typer: Typer, base_of: TypeFacts) -> None:
    """percentile_cont sorts double precision (or interval) values: a number is cast."""
    value = sort.get("node")
    if isinstance(value, dict) and result_type(value, typer, base_of) != INTERVAL:
        sort["node"] = coerced_number(value, DOUBLE, typer, base_of)


def _dates_as_timestamptz(
    args: list[Node],
    signature: tuple[TypeRef | None, ...],
    typer: Typer,
    base_of: TypeFacts,
) -> None:
    """date_trunc(text, date) is date_trunc(text, timestamp with time zone), to_char(date,
    text) is to_char(timestamptz, text), generate_series(date, date, interval) is of
    timestamptz: there is no date overload, and of the types a date casts to, the preferred
    one of its category wins ("Function Type Resolution"); pg_dump shows the casts. Only
    when every such argument is a date; then a literal elsewhere takes its parameter's type."""
    at = [index for index, param in enumerate(signature) if param == TIMESTAMPTZ]
    if any(result_type(args[index], typer, base_of) != _DATE for index in at):
        return
    for index, param in enumerate(signature):
        text = unknown_text(args[index])
        if index in at:
            args[index] = type_cast(args[index], TIMESTAMPTZ)
        elif text is not None and param is not None:
            const = coerce_unknown(text, param)
            if const is not None:
                args[index] = const_node(const)


def _domain_as_base(arg: Node, accepted: frozenset[str], typer: Typer, base_of: TypeFacts) -> Node:
    """A domain-typed argument given to an overload of its base type: coerce_type relabels it
    to the base type (without length or precision), which ruleutils prints as a cast."""
    declared = expression_type(arg, typer, base_of)
    if declared is None or declared.schema is None or declared.array_dims:
        return arg
    base = base_of(declared)
    if base == declared or not base.is_builtin or base.array_dims or base.name not in accepted:
        return arg
    return type_cast(arg, TypeRef(None, base.name))
