"""Foreign-data wrappers, foreign servers and user mappings (foreign tables are built
with the other tables)."""

from __future__ import annotations

from typing import Any

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, changed_options, options_of
from pgdrift.builder.registry import handles
from pgdrift.builder.role_specs import role_name
from pgdrift.builder.routines import routine_name
from pgdrift.ids import ObjectId


@handles("CreateFdwStmt")
def build_foreign_data_wrapper(ctx: BuildContext, node: Node) -> None:
    functions: dict[str, str | None] = {}
    for item in node.get("func_options") or ():
        elem = item["DefElem"]
        arg = elem.get("arg")  # absent for NO HANDLER / NO VALIDATOR
        functions[elem["defname"]] = routine_name(ctx, arg["List"]["items"]) if arg else None
    ctx.add(
        model.ForeignDataWrapper(
            id=ObjectId(ids.FOREIGN_DATA_WRAPPER, None, node["fdwname"]),
            handler=functions.get("handler"),
            validator=functions.get("validator"),
            options=options_of(node.get("options")),
            **ctx.span_fields(),
        )
    )


@handles("AlterFdwStmt")
def alter_foreign_data_wrapper(ctx: BuildContext, node: Node) -> None:
    """ALTER FOREIGN DATA WRAPPER w [[NO] HANDLER ...] [[NO] VALIDATOR ...] [OPTIONS (...)]."""
    oid = ObjectId(ids.FOREIGN_DATA_WRAPPER, None, node["fdwname"])
    wrapper = ctx.require(oid, "ALTER FOREIGN DATA WRAPPER")
    changes: dict[str, Any] = {}
    for item in node.get("func_options") or ():
        elem = item["DefElem"]
        arg = elem.get("arg")
        changes[elem["defname"]] = routine_name(ctx, arg["List"]["items"]) if arg else None
    options = getattr(wrapper, "options", ())
    ctx.update(oid, options=changed_options(options, node.get("options")), **changes)


@handles("AlterForeignServerStmt")
def alter_server(ctx: BuildContext, node: Node) -> None:
    """ALTER SERVER s [VERSION 'v'] [OPTIONS (...)]."""
    oid = ObjectId(ids.SERVER, None, node["servername"])
    server = ctx.require(oid, "ALTER SERVER")
    changes: dict[str, Any] = {}
    if node.get("has_version"):
        changes["version"] = node.get("version")
    options = getattr(server, "options", ())
    ctx.update(oid, options=changed_options(options, node.get("options")), **changes)


@handles("AlterUserMappingStmt")
def alter_user_mapping(ctx: BuildContext, node: Node) -> None:
    """ALTER USER MAPPING FOR user SERVER s OPTIONS (...)."""
    user = role_name(node["user"])
    user = "public" if user == "PUBLIC" else user
    oid = ObjectId(ids.USER_MAPPING, None, f"{user}@{node['servername']}")
    mapping = ctx.require(oid, "ALTER USER MAPPING")
    options = getattr(mapping, "options", ())
    ctx.update(oid, options=changed_options(options, node.get("options")))


@handles("CreateForeignServerStmt")
def build_server(ctx: BuildContext, node: Node) -> None:
    oid = ObjectId(ids.SERVER, None, node["servername"])
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    ctx.add(
        model.Server(
            id=oid,
            wrapper=node["fdwname"],
            type=node.get("servertype"),
            version=node.get("version"),
            options=options_of(node.get("options")),
            **ctx.span_fields(),
        )
    )


@handles("CreateUserMappingStmt")
def build_user_mapping(ctx: BuildContext, node: Node) -> None:
    user = role_name(node["user"])
    user = "public" if user == "PUBLIC" else user
    server = node["servername"]
    oid = ObjectId(ids.USER_MAPPING, None, f"{user}@{server}")
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    ctx.add(
        model.UserMapping(
            id=oid,
            user=user,
            server=server,
            options=options_of(node.get("options")),
            **ctx.span_fields(),
        )
    )
