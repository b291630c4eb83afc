"""Schemas, and the extensions installed into them.

``CREATE SCHEMA s CREATE TABLE t ...`` builds its elements with the builders of their own
statements, inside the new schema.
"""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, node_type, option_text
from pgdrift.builder.registry import BUILDERS, NotModelled, handles
from pgdrift.builder.role_specs import owner_name
from pgdrift.builder.stored_exprs import from_source
from pgdrift.ids import ObjectId
from pgdrift.pg.extensions import control_comment
from pgdrift.pg.initdb import never_dumped


@handles("CreateSchemaStmt")
def build_schema_statement(ctx: BuildContext, node: Node) -> None:
    authrole = node.get("authrole")
    owner = owner_name(ctx, authrole) if authrole else None
    # CREATE SCHEMA AUTHORIZATION r names the schema after the role (docs: CREATE SCHEMA).
    name = node.get("schemaname") or owner
    if name is None:
        raise NotModelled("CREATE SCHEMA without a name")
    oid = ObjectId(ids.SCHEMA, None, name)
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    ctx.add(model.Namespace(id=oid, owner=owner, **ctx.span_fields()))
    elements = node.get("schemaElts") or ()
    if elements:
        _build_schema_elements(ctx, name, elements)


def _build_schema_elements(ctx: BuildContext, schema: str, elements: Iterable[Node]) -> None:
    # CREATE SCHEMA s CREATE TABLE t ...: the elements are created in s whatever the
    # search_path says (docs: CREATE SCHEMA, "schema_element").
    saved = ctx.search_path
    ctx.search_path = [schema]
    try:
        for element in elements:
            name = node_type(element)
            builder = BUILDERS.get(name)
            if builder is None:
                raise NotModelled(f"CREATE SCHEMA element {name} is not modelled")
            builder(ctx, element[name])
    finally:
        ctx.search_path = saved


@handles("CreateExtensionStmt")
def build_extension(ctx: BuildContext, node: Node) -> None:
    oid = ObjectId(ids.EXTENSION, None, node["extname"])
    # pg_dump writes CREATE EXTENSION IF NOT EXISTS: a repeat is a no-op.
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    # initdb installs plpgsql in every database, and no pg_dump of PostgreSQL 11 or later
    # writes it (pgdrift.pg.initdb): a script's or an old dump's CREATE EXTENSION [IF NOT
    # EXISTS] plpgsql finds it there and changes nothing any dump shows.
    if never_dumped(ids.EXTENSION, node["extname"]):
        return
    options = {
        o["DefElem"]["defname"]: option_text(o["DefElem"].get("arg"))
        for o in node.get("options") or ()
    }
    ctx.add(
        model.Extension(
            id=oid,
            # Without WITH SCHEMA the objects go to the creation schema, unless the extension's
            # control file fixes one (docs: CREATE EXTENSION), which only a live server knows.
            in_schema=options.get("schema") or ctx.creation_schema,
            version=options.get("new_version"),
            # A script's CREATE EXTENSION gives it its control file's comment, which pg_dump
            # writes as a COMMENT of its own (so a dump says it, or its removal, itself).
            comment=control_comment(node["extname"]) if from_source(ctx) else None,
            **ctx.span_fields(),
        )
    )


@handles("AlterExtensionStmt")
def build_alter_extension(ctx: BuildContext, node: Node) -> None:
    """``ALTER EXTENSION e UPDATE [TO v]``: the extension's scripts run up to that version (its
    control file's default without TO). What they change is the extension's own; pgdrift
    knows only the version, which no pg_dump prints."""
    oid = ObjectId(ids.EXTENSION, None, node["extname"])
    if never_dumped(ids.EXTENSION, node["extname"]):
        return
    ctx.require(oid, "ALTER EXTENSION")
    options = {
        o["DefElem"]["defname"]: option_text(o["DefElem"].get("arg"))
        for o in node.get("options") or ()
    }
    ctx.update(oid, version=options.get("new_version"))
