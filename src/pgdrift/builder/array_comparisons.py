"""Comparisons with an array column, typed as parse analysis types them (make_scalar_array_op
for ``x op ANY/ALL (array)``, the anyarray operators ``@>``, ``<@`` and ``&&``): the rules that
need only the columns' declared types, apart from builder/comparisons.py's operand typing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pgdrift import ids
from pgdrift.builder.comparison_parts import _VARCHAR, _unknown, type_cast
from pgdrift.builder.nodes import Node, strings
from pgdrift.pg.constants import TEXT, Const, coerce_unknown, const_node
from pgdrift.types import TypeRef

__all__ = [
    "Arrays", "Typer", "array_and_value", "array_column_type", "enum_array_column",
    "literal_in_array",
]

#: The type of a column reference (its name list), or None when it is not known.
Typer = Callable[[list[str]], "TypeRef | None"]
#: The array type of an expression (builder.comparisons.array_type), or None when it is not
#: one pgdrift knows.
Arrays = Callable[[Any], "TypeRef | None"]


def array_column_type(node: Any, typer: Typer) -> TypeRef | None:
    """The declared type of a column of a built-in array type, else None."""
    declared = _column_type(node, typer)
    if declared is None or not declared.array_dims or not declared.is_builtin:
        return None
    return declared


def enum_array_column(
    node: Any, typer: Typer, kind_of: Callable[[TypeRef], str | None]
) -> TypeRef | None:
    """The declared type of a column that is a one-dimensional array of an enum of the schema
    (``kind_of`` tells a type's kind, :data:`pgdrift.ids.ENUM`), else None: ``'web' = ANY
    (channels)`` resolves unknown = enum, so the literal is stored as the enum's
    (``'web'::public.channel``)."""
    declared = _column_type(node, typer)
    if declared is None or declared.array_dims != 1 or declared.schema is None:
        return None
    return declared if kind_of(TypeRef(declared.schema, declared.name)) == ids.ENUM else None


def _column_type(node: Any, typer: Typer) -> TypeRef | None:
    ref = node.get("ColumnRef") if isinstance(node, dict) else None
    if ref is None:
        return None
    fields = strings(ref.get("fields"))
    return typer(fields) if len(fields) == len(ref.get("fields") or ()) else None


def literal_in_array(left: Any, right: Any, arrays: Arrays) -> tuple[Node, Node] | None:
    """A string literal compared with ANY or ALL of an array (a column, a function's result),
    both as stored: the literal is of the array's element type (``'admin' = ANY (roles)`` is
    stored with ``'admin'::text``); varchar has no operators of its own, so beside a varchar[]
    the literal is text and the array is cast to text[] (checked on PostgreSQL 15)."""
    text = _unknown(left)
    declared = arrays(right) if text is not None else None
    if text is None or declared is None or declared.array_dims != 1:
        return None
    if declared.is_builtin and declared.name == _VARCHAR.name:
        array = type_cast(right, TypeRef(None, "text", array_dims=1))
        return const_node(Const(TEXT, text)), array
    const = coerce_unknown(text, TypeRef(declared.schema, declared.name, declared.modifiers))
    return None if const is None else (const_node(const), right)


def array_and_value(left: Any, right: Any, arrays: Arrays) -> tuple[Node, Node] | None:
    """An array (a column, a function's result) compared with a string literal: the array
    operators take two arrays of one type (anyarray), so the literal is of the other's array
    type: ``tags <> '{}'`` is stored as ``tags <> '{}'::text[]``."""
    for array, value, flipped in ((left, right, False), (right, left, True)):
        if _unknown(value) is None or _unknown(array) is not None:
            continue
        declared = arrays(array)
        if declared is None or not declared.array_dims:
            continue
        target = TypeRef(declared.schema, declared.name, array_dims=1)
        const = coerce_unknown(str(_unknown(value)), target)  # printed as array_out prints it
        typed = const_node(const) if const is not None else type_cast(value, target)
        return (typed, array) if flipped else (array, typed)
    return None
