"""The columns a function call in FROM gives its range-table entry (addRangeTableEntryForFunction).

A function whose result is a scalar type gives one column, named by its one OUT parameter if
it has one, else by the entry's alias, else by the function (chooseScalarFunctionAlias): the
built-ins of :mod:`pgdrift.pg.set_functions`, ``unnest`` of an array of a built-in type,
another built-in whose scalar result pgdrift types (``to_tsquery(...) AS q``), or a function
of the script returning a built-in, enum, range or domain-over-scalar type. A function of the
script returning a composite gives its columns: its OUT (or RETURNS TABLE) parameters, or the
columns of the table or composite type it returns. Anything else (an overloaded name,
``RETURNS record`` without OUT parameters, a function pgdrift does not know) is not known:
None.
"""

from __future__ import annotations

import attrs

from pgdrift import ids, model
from pgdrift.builder.comparisons import Typer, array_type, expression_type
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import SchemaTypes, base_type
from pgdrift.builder.nodes import Node, strings
from pgdrift.builder.view_types import row_type_columns
from pgdrift.ids import ObjectId
from pgdrift.pg.constants import literal_const
from pgdrift.pg.set_functions import RECORD_SET_FUNCTIONS, SCALAR_SET_FUNCTIONS
from pgdrift.types import TypeRef, type_from_node

__all__ = ["Column", "function_columns"]

#: A column's name (None: the alias or function names it) and type (None: not known).
Column = tuple[str | None, TypeRef | None]

_INPUTS = ("in", "inout", "variadic")
_OUTPUTS = ("out", "inout", "table")
_SCALAR_KINDS = (ids.ENUM, ids.RANGE_TYPE, ids.BASE_TYPE)


def function_columns(
    ctx: BuildContext, call: Node, typer: Typer
) -> tuple[list[Column], bool] | None:
    """The columns of ``call`` (a FuncCall in FROM, its arguments qualified) and whether it
    is one scalar column; ``typer`` types the columns its arguments name. None: not known."""
    names = strings(call.get("funcname"))
    args = call.get("args") or []
    if len(names) == 2 and names[0] != "pg_catalog":
        return _user_function(ctx, names[0], names[1], len(args))
    if len(names) > 2:
        return None
    name = names[-1]
    if len(names) == 1 and any(o.name == name for o in ctx.objects.of_kind(ids.FUNCTION)):
        return None  # a function of the schema may be the one called
    if name in SCALAR_SET_FUNCTIONS:
        return [SCALAR_SET_FUNCTIONS[name]], True
    if name in RECORD_SET_FUNCTIONS:
        return list(RECORD_SET_FUNCTIONS[name]), False
    if name == "unnest" and len(args) == 1:
        # unnest of an array column (qualified by now) of a built-in element type, or of an
        # array expression pgdrift types (string_to_array(...), ARRAY['a'::text, ...]).
        fields = strings((args[0].get("ColumnRef") or {}).get("fields"))
        array = typer(fields) if fields else _array_of(args[0], typer, ctx)
        array = base_type(ctx, array) if array is not None else None
        element = attrs.evolve(array, array_dims=0) if array is not None else None
        if array is not None and array.array_dims and element and _scalar(ctx, element):
            return [(None, element)], True  # not composite
    # Any other built-in of a scalar result pgdrift can type (pg_proc, polymorphic results
    # resolved from the arguments): to_tsquery(...) AS q is one column q of type tsquery.
    result = expression_type({"FuncCall": call}, typer, SchemaTypes(ctx))
    if result is not None and (result.array_dims or _scalar(ctx, result)):
        return [(None, result)], True
    return None


def _array_of(node: Node, typer: Typer, ctx: BuildContext) -> TypeRef | None:
    """The type of an array expression: what pgdrift types it as, or an ARRAY[...] of string
    literals alone (text[], transformArrayExpr) or of number literals of one type (ARRAY[1, 2]
    is an integer[]); else None."""
    found = array_type(node, typer, SchemaTypes(ctx)) or _enum_range(node, ctx)
    elements = (node.get("A_ArrayExpr") or {}).get("elements") or []
    if found is not None or not elements:
        return found
    if all("sval" in (element.get("A_Const") or {}) for element in elements):
        return TypeRef(None, "text", array_dims=1)
    consts = [literal_const(element) for element in elements]
    kinds = {const.type for const in consts if const is not None}
    if None in consts or len(kinds) != 1:
        return None
    return attrs.evolve(kinds.pop(), array_dims=1)


def _enum_range(node: Node, ctx: BuildContext) -> TypeRef | None:
    """``enum_range(NULL::e)`` (or of two bounds) of an enum ``e`` of the schema: an array of
    it (anyenum -> anyarray), the idiom that lists an enum's labels."""
    call = node.get("FuncCall") or {}
    names = strings(call.get("funcname"))
    args = call.get("args") or []
    if names not in (["enum_range"], ["pg_catalog", "enum_range"]) or not 1 <= len(args) <= 2:
        return None
    if names == ["enum_range"] and any(o.name == "enum_range"
                                       for o in ctx.objects.of_kind(ids.FUNCTION)):
        return None  # a function of the schema may be the one called
    cast = args[0].get("TypeCast") or {}
    try:
        ref = type_from_node(cast["typeName"]) if cast else None
    except ValueError:
        return None
    if ref is None or ref.schema is None or ref.array_dims:
        return None
    found = ObjectId(ids.ENUM, ref.schema, ref.name) in ctx.objects
    return attrs.evolve(ref, array_dims=1) if found else None


def _user_function(
    ctx: BuildContext, schema: str, name: str, count: int
) -> tuple[list[Column], bool] | None:
    found = [o for o in ctx.objects.of_kind(ids.FUNCTION) if o.schema == schema and o.name == name]
    function = ctx.objects.get(found[0]) if len(found) == 1 else None
    if not isinstance(function, model.Function) or function.returns is None:
        return None
    inputs = [a for a in function.arguments if a.mode in _INPUTS]
    if len(inputs) != count or any(a.mode == "variadic" for a in inputs):
        return None  # defaults or a variadic call: not resolved here
    outputs = [a for a in function.arguments if a.mode in _OUTPUTS]
    if len(outputs) > 1:
        if any(a.name is None for a in outputs):
            return None
        return [(a.name, a.type) for a in outputs], False
    result = outputs[0].type if outputs else attrs.evolve(function.returns, setof=False)
    if result.array_dims or _scalar(ctx, result):
        return [(outputs[0].name if outputs else None, result)], True
    if result.is_builtin or result.schema is None:
        return None  # record (needs a column definition list), void, a pseudo-type
    columns = row_type_columns(ctx, result.schema, result.name)
    return None if columns is None else (list(columns), False)


def _scalar(ctx: BuildContext, ref: TypeRef) -> bool:
    """Whether ``ref`` is a scalar type: a built-in one of a value, or a user enum, range,
    base type, or a domain over one."""
    if ref.is_builtin:
        return ref.name not in ("record", "void", "trigger", "event_trigger", "internal")
    if ref.schema is None:
        return False
    if any(ObjectId(kind, ref.schema, ref.name) in ctx.objects for kind in _SCALAR_KINDS):
        return True
    base = base_type(ctx, ref)
    return base != ref and _scalar(ctx, base)
