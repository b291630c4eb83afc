"""``ALTER FUNCTION | PROCEDURE | ROUTINE ... action``: a routine's attributes changed in place
(docs: ALTER FUNCTION): volatility, STRICT, SECURITY, LEAKPROOF, PARALLEL, COST, ROWS, SUPPORT
and ``SET`` / ``RESET`` of settings. pg_dump writes them inside CREATE FUNCTION; migrations
change them afterwards."""

from __future__ import annotations

from typing import Any

from pgdrift import model
from pgdrift.builder.acl import routine_id
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.routines import CHEAP_LANGUAGES, DEFAULT_ROWS, function_option

__all__: list[str] = []

_KINDS = {"OBJECT_FUNCTION": "function", "OBJECT_PROCEDURE": "procedure", "OBJECT_ROUTINE": None}


@handles("AlterFunctionStmt")
def build_alter_function(ctx: BuildContext, node: Node) -> None:
    objtype = node.get("objtype", "OBJECT_FUNCTION")
    if objtype not in _KINDS:
        raise NotModelled(f"ALTER of a {objtype} routine")
    oid = routine_id(ctx, _KINDS[objtype], node["func"])
    routine = ctx.require(oid, "ALTER FUNCTION")
    if not isinstance(routine, model.Function):
        raise NotModelled("ALTER FUNCTION of an aggregate")
    fields: dict[str, Any] = {}
    config: dict[str, str | None] = dict(routine.config)
    for action in node.get("actions") or ():
        elem = action["DefElem"]
        if (
            elem["defname"] == "set"
            and elem["arg"]["VariableSetStmt"].get("kind") == "VAR_RESET_ALL"
        ):
            config.clear()
            continue
        function_option(ctx, elem["defname"], elem.get("arg"), fields, config)
    # The defaults are kept as None, as CREATE FUNCTION keeps them (pg_dump leaves them out).
    if "cost" in fields and fields["cost"] == (
        1.0 if routine.language.lower() in CHEAP_LANGUAGES else 100.0
    ):
        fields["cost"] = None
    if fields.get("rows") == DEFAULT_ROWS:
        fields["rows"] = None
    ctx.update(oid, **fields, config=tuple(config.items()))
