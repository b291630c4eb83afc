"""Procedural languages and the transforms between their values and SQL types.

Both are :class:`~pgdrift.model.DefinedObject`: their ``definition`` is the canonical tree of
the defining statement with ``OR REPLACE`` dropped, so a redefinition compares equal.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, statement_tree
from pgdrift.builder.registry import handles
from pgdrift.ids import ObjectId


@handles("CreatePLangStmt")
def build_language(ctx: BuildContext, node: Node) -> None:
    language = model.Language(
        id=ObjectId(ids.LANGUAGE, None, node["plname"]),
        definition=statement_tree("CreatePLangStmt", node, replace=None),
        **ctx.span_fields(),
    )
    ctx.add_or_replace(language, bool(node.get("replace")))


@handles("CreateTransformStmt")
def build_transform(ctx: BuildContext, node: Node) -> None:
    name = f"{ctx.type(node['type_name'])} LANGUAGE {node['lang']}"
    transform = model.Transform(
        id=ObjectId(ids.TRANSFORM, None, name),
        definition=statement_tree("CreateTransformStmt", node, replace=None),
        **ctx.span_fields(),
    )
    ctx.add_or_replace(transform, bool(node.get("replace")))
