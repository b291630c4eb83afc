"""Partition bounds as PostgreSQL stores them (docs: CREATE TABLE, "partition_bound_spec").

Each value of ``FOR VALUES IN (...)`` / ``FROM (...) TO (...)`` is coerced to the type of its
partition key column and kept as a constant; pg_dump prints it back with ruleutils'
``get_const_expr`` without a type label: a non-negative ``integer`` bare, a ``numeric`` bare
when it has a point or an exponent, a boolean as ``true``/``false``, anything else quoted
(``IN (1, 'x')`` on a text key is ``IN ('1', 'x')``, ``FROM (-5)`` on a bigint is
``FROM ('-5')``). ``MINVALUE``, ``MAXVALUE``, ``NULL``, ``DEFAULT`` and hash bounds stay as
written; a value whose output form pgdrift cannot compute offline keeps its text (see
:mod:`pgdrift.pg.constants`).
"""

from __future__ import annotations

import copy
from typing import Any

from pgdrift import model
from pgdrift._expr_tree import to_json
from pgdrift.builder.comparisons import expression_type
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import SchemaTypes, base_type
from pgdrift.builder.nodes import Node
from pgdrift.builder.stored_exprs import columns_typer, from_source
from pgdrift.errors import ModelError
from pgdrift.expr import Expr, expr_from_node
from pgdrift.pg.constants import coerce_unknown, const_node, length_coerce, literal_const
from pgdrift.types import TypeRef

__all__ = ["stored_bound"]

_STRATEGY = {"l": "list", "r": "range", "h": "hash"}


def stored_bound(ctx: BuildContext, parent: model.Table | None, bound: Node) -> Expr:
    """The bound of a partition of ``parent`` as pg_dump prints it, as a parse tree."""
    if parent is None or parent.partition_key is None or not from_source(ctx):
        return expr_from_node({"PartitionBoundSpec": bound})
    key = parent.partition_key
    if not bound.get("is_default"):
        strategy = _STRATEGY.get(bound.get("strategy", ""), "")
        if strategy != key.strategy:
            raise ModelError(
                f"invalid bound specification for a {key.strategy} partition",
                span=ctx.statement.span if ctx.statement else None,
            )
    elif key.strategy == "hash":
        raise ModelError(
            "a hash-partitioned table may not have a default partition",
            span=ctx.statement.span if ctx.statement else None,
        )
    types = [_key_type(ctx, parent, element) for element in key.elements]
    stored = copy.deepcopy(bound)
    if stored.get("listdatums") and types:
        values: list[Any] = []
        for written in stored["listdatums"]:
            value = _value(written, types[0])
            if value not in values:  # a duplicate value is not added (transformPartitionBound)
                values.append(value)
        stored["listdatums"] = values
    for side in ("lowerdatums", "upperdatums"):
        if stored.get(side):
            stored[side] = [
                _value(v, types[i] if i < len(types) else None) for i, v in enumerate(stored[side])
            ]
    return expr_from_node({"PartitionBoundSpec": stored})


def _key_type(
    ctx: BuildContext, parent: model.Table, element: model.PartitionKeyElement
) -> TypeRef | None:
    """The type (domains resolved) a key element's bounds are coerced to: its column's, or its
    expression's where pgdrift can type it (else None: the bounds stay as written)."""

    def base_of(ref: TypeRef) -> TypeRef:
        return base_type(ctx, ref)

    if element.column is not None:
        column = parent.columns.get(element.column)
        return None if column is None else base_of(column.type)
    if element.expression is None:
        return None
    node = to_json(element.expression.tree)
    found = expression_type(node, columns_typer(parent.columns), SchemaTypes(ctx))
    return None if found is None else base_of(found)


def _value(node: Any, key_type: TypeRef | None) -> Any:
    if key_type is None or not isinstance(node, dict):
        return node
    value = node
    if "TypeCast" in value and "A_Const" in value["TypeCast"]["arg"]:
        # '2024-01-01'::date: the cast is evaluated and the value coerced to the key's type.
        value = value["TypeCast"]["arg"]
    const_fields = value.get("A_Const")
    if const_fields is None or const_fields.get("isnull"):
        return node
    if "sval" in const_fields:
        text = const_fields["sval"].get("sval", "")
    else:
        literal = literal_const(value)
        if literal is None:
            return node
        text = literal.text
    const = coerce_unknown(text, key_type)
    if const is not None:  # the key's typmod applies: (1) on numeric(6,2) is 1.00
        const = length_coerce(const, key_type)
    if const is None:
        return node  # PostgreSQL refuses it; keep what was written
    printed = const_node(const)
    # No type label in a bound (get_const_expr with showtype -1): a quoted value stays bare.
    return printed["TypeCast"]["arg"] if "TypeCast" in printed else printed
