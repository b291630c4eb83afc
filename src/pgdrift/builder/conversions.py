"""Casts between types and conversions between encodings.

A conversion is a :class:`~pgdrift.model.DefinedObject`: its ``definition`` is the canonical
tree of its ``CREATE CONVERSION`` with its own and its function's names fully qualified.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, name_list, statement_tree
from pgdrift.builder.registry import handles
from pgdrift.builder.routines import routine_signature
from pgdrift.ids import ObjectId

_CAST_CONTEXTS = {"COERCION_EXPLICIT": "explicit", "COERCION_ASSIGNMENT": "assignment",
                  "COERCION_IMPLICIT": "implicit"}  # fmt: skip


@handles("CreateCastStmt")
def build_cast(ctx: BuildContext, node: Node) -> None:
    source = ctx.routine_type(node["sourcetype"])
    target = ctx.routine_type(node["targettype"])
    function = node.get("func")
    method = "function" if function else "inout" if node.get("inout") else "binary"
    ctx.add(
        model.Cast(
            id=ObjectId(ids.CAST, None, f"{source} AS {target}"),
            source=source,
            target=target,
            method=method,
            function=routine_signature(ctx, function) if function else None,
            context=_CAST_CONTEXTS[node.get("context", "COERCION_EXPLICIT")],
            **ctx.span_fields(),
        )
    )


@handles("CreateConversionStmt")
def build_conversion(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["conversion_name"])
    ctx.add(
        model.Conversion(
            id=ObjectId(ids.CONVERSION, schema, name),
            definition=statement_tree(
                "CreateConversionStmt",
                node,
                conversion_name=name_list(schema, name),
                func_name=name_list(*ctx.qualified_text(node["func_name"]).split(".")),
            ),
            **ctx.span_fields(),
        )
    )
