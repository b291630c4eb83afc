"""Arguments of built-in calls coerced as function resolution coerces them, beyond the string
literals typed by their parameters (builder.stored_exprs with pgdrift.pg.functions): a date
given to a function that has only a timestamptz overload is cast to it, lag's and lead's
default joins the value's type (anycompatible), an ordered-set aggregate's fraction (and
percentile_cont's sorted value) is double precision. Each rule was checked against
PostgreSQL 15 and is pinned in tests/test_stored_expressions.py.
"""

from __future__ import annotations

from pgdrift import ids
from pgdrift.builder.array_comparisons import array_column_type
from pgdrift.builder.common_types import (
    coerced_number,
    enum_const,
    join_common,
    null_of,
    unknown_text,
)
from pgdrift.builder.comparisons import (
    Typer,
    common_type,
    expression_type,
    result_type,
    type_cast,
)
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
from pgdrift.types import TypeRef, type_from_node

__all__ = ["domain_as_base", "type_builtin_call"]

_DATE = TypeRef(None, "date")
#: Window functions whose value and default (the first and third arguments) are
#: anycompatible: they join their common type (pg_proc, PostgreSQL 13 and later).
_VALUE_AND_DEFAULT = frozenset({"lag", "lead"})
#: Array functions whose arguments are anycompatiblearray (A) and anycompatible (E), after
#: which any others (array_position's start) are fixed (pg_proc, PostgreSQL 14 and later).
_COMPATIBLE_ARRAYS = {
    "array_append": "AE", "array_prepend": "EA", "array_cat": "AA", "array_position": "AE",
    "array_positions": "AE", "array_remove": "AE", "array_replace": "AEE",
}  # fmt: skip


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
    shape = _COMPATIBLE_ARRAYS.get(name)
    if shape is not None and len(args) >= len(shape):
        _compatible_arrays(args, shape, typer, base_of)
    if name in BASE_TYPE_AGGREGATES and len(args) == 1 and not call.get("agg_star"):
        args[0] = domain_as_base(args[0], BASE_TYPE_AGGREGATES[name], typer, base_of)
    if name in FRACTION_AGGREGATES and call.get("agg_within_group") and len(args) == 1:
        args[0] = coerced_number(args[0], DOUBLE, typer, base_of)
        if name in CONTINUOUS_AGGREGATES:
            for item in call.get("agg_order") or []:
                _continuous(item.get("SortBy") or {}, typer, base_of)


def _compatible_arrays(args: list[Node], shape: str, typer: Typer, base_of: TypeFacts) -> None:
    """The anycompatible arguments of an array function joined to their common type, each
    array's element type taking part (enforce_generic_type_consistency): ``array_append(ints,
    1.5)`` is stored as ``array_append((ints)::numeric[], 1.5)``, an array literal is of the
    common array type. Only arrays that are columns or casts of a built-in type are followed;
    else nothing changes."""
    # Each anycompatible argument, and a NULL of each array's element type, by position.
    elements: dict[int, Node] = {}
    for index, kind in enumerate(shape):
        arg = args[index]
        if kind == "E":
            elements[index] = arg
        elif unknown_text(arg) is None:  # an array literal adds no type, as an unknown
            array = _array_type(arg, typer, base_of)
            if array is None:
                return
            elements[index] = null_of(TypeRef(array.schema, array.name))
    joined = list(elements.values())
    common = common_type(joined, typer, base_of)
    if common is None or common.array_dims:
        return
    if not common.is_builtin and base_of.kind(common) != ids.ENUM:
        return  # of a built-in type, or an enum of the schema (array_append(moods, 'ok'))
    if join_common(joined, typer, base_of) != common:
        return
    array_of = TypeRef(common.schema, common.name, array_dims=1)
    for (index, original), coerced in zip(elements.items(), joined, strict=True):
        if shape[index] == "E":
            args[index] = coerced
        elif coerced is not original:  # the element type is not the common one
            args[index] = type_cast(args[index], array_of)
    for index, kind in enumerate(shape):
        text = unknown_text(args[index])
        if kind == "A" and text is not None:
            const = enum_const(text, array_of, base_of) or coerce_unknown(text, array_of)
            args[index] = type_cast(args[index], array_of) if const is None else const_node(const)


def _array_type(node: Node, typer: Typer, base_of: TypeFacts) -> TypeRef | None:
    """The type of an array column (of a built-in type or an enum) or of a cast to a built-in
    array type, else None."""
    column = array_column_type(node, typer, base_of.kind)
    if column is not None or "TypeCast" not in node:
        return column
    try:
        cast = type_from_node(node["TypeCast"]["typeName"])
    except ValueError:
        return None
    return cast if cast.array_dims and cast.is_builtin else None


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


def domain_as_base(arg: Node, accepted: frozenset[str], typer: Typer, base_of: TypeFacts) -> Node:
    """A domain-typed argument given to an overload of its base type: coerce_type relabels it
    to the base type (without length or precision), which ruleutils prints as a cast."""
    declared = expression_type(arg, typer, base_of)
    if declared is None or declared.array_dims:
        return arg
    if declared.is_builtin and declared.name == "character varying" and "text" in accepted:
        # No overload takes varchar: it goes to the text one, by its implicit cast to text.
        return type_cast(arg, TypeRef(None, "text"))
    if declared.schema is None:
        return arg
    base = base_of(declared)
    if base == declared or not base.is_builtin or base.array_dims or base.name not in accepted:
        return arg
    return type_cast(arg, TypeRef(None, base.name))
