"""Row-level security policies (``CREATE POLICY`` / ``ALTER POLICY``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.registry import handles
from pgdrift.builder.role_specs import role_name
from pgdrift.builder.stored_exprs import stored_expr
from pgdrift.ids import ObjectId


def _policy_roles(roles: Iterable[Node] | None) -> tuple[str, ...]:
    names = {role_name(r["RoleSpec"]) for r in roles or ()}
    # PUBLIC is kept lower-case, as pg_dump prints it (docs: CREATE POLICY, "role_name").
    names = {"public" if n == "PUBLIC" else n for n in names}
    return tuple(sorted(names)) or ("public",)


@handles("CreatePolicyStmt")
def build_policy(ctx: BuildContext, node: Node) -> None:
    table = ctx.relation_id(node["table"])
    ctx.require(table, "CREATE POLICY")
    ctx.add(
        model.Policy(
            id=ObjectId(ids.POLICY, table.schema, node["policy_name"], parent=table.name),
            table=table,
            permissive=bool(node.get("permissive")),
            command=node.get("cmd_name", "all"),
            roles=_policy_roles(node.get("roles")),
            using=stored_expr(ctx, node.get("qual"), table),
            with_check=stored_expr(ctx, node.get("with_check"), table),
            **ctx.span_fields(),
        )
    )


@handles("AlterPolicyStmt")
def build_alter_policy(ctx: BuildContext, node: Node) -> None:
    table = ctx.relation_id(node["table"])
    oid = ObjectId(ids.POLICY, table.schema, node["policy_name"], parent=table.name)
    ctx.require(oid, "ALTER POLICY")
    changes: dict[str, Any] = {}
    if node.get("roles"):
        changes["roles"] = _policy_roles(node["roles"])
    if node.get("qual") is not None:
        changes["using"] = stored_expr(ctx, node["qual"], table)
    if node.get("with_check") is not None:
        changes["with_check"] = stored_expr(ctx, node["with_check"], table)
    ctx.update(oid, **changes)
