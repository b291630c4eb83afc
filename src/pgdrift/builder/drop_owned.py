"""``DROP OWNED BY role [, ...] [CASCADE | RESTRICT]`` (docs: DROP OWNED).

Every object of the database the roles own is dropped, with its automatic dependents; under
RESTRICT an object of another owner that depends on one of them makes the statement fail, as
DROP would, and under CASCADE it goes too. The default privileges the roles defined
(``ALTER DEFAULT PRIVILEGES FOR ROLE``) go with them, and every privilege granted to the roles
on what is left, default privileges included, is revoked.
"""

from __future__ import annotations

from pgdrift import ids
from pgdrift.builder.context import AclOp, BuildContext
from pgdrift.builder.dependents import drop_object
from pgdrift.builder.nodes import Node
from pgdrift.builder.registry import handles
from pgdrift.builder.role_specs import owner_name
from pgdrift.errors import DependentObjectsError
from pgdrift.ids import ObjectId

__all__: list[str] = []

# Objects of the cluster, not of the database: DROP OWNED leaves them.
_SHARED = frozenset({ids.ROLE, ids.DATABASE, ids.TABLESPACE})


@handles("DropOwnedStmt")
def build_drop_owned(ctx: BuildContext, node: Node) -> None:
    roles = {owner_name(ctx, r["RoleSpec"]) for r in node.get("roles") or ()} - {None}
    cascade = node.get("behavior") == "DROP_CASCADE"
    owned = sorted(
        (oid for oid, obj in ctx.objects.items() if oid.kind not in _SHARED and (
            getattr(obj, "owner", None) in roles or (getattr(obj, "role", None) in roles
            and oid.kind == ids.DEFAULT_PRIVILEGES))),
        key=ObjectId.sort_key,
    )  # fmt: skip
    _drop_all(ctx, owned, cascade=cascade)
    for oid, ops in list(ctx.acl_ops.items()):
        if oid.kind != ids.COLUMN and oid not in ctx.objects:
            continue  # a column's privileges are kept under the column's own id
        granted = {g for op in ops if op.grant for g in op.grantees if g in roles}
        if granted:
            columns = (oid.name,) if oid.kind == ids.COLUMN else ()
            ctx.add_acl(oid, AclOp(False, (), tuple(sorted(granted)), False, columns,
                                   cascade=True))  # fmt: skip


def _drop_all(ctx: BuildContext, owned: list[ObjectId], *, cascade: bool) -> None:
    """Drop ``owned``; without ``cascade``, an object another owned one depends on waits for
    it, and a dependent of another owner is PostgreSQL's error."""
    pending = list(owned)
    while pending:
        waiting: list[ObjectId] = []
        refusal: DependentObjectsError | None = None
        for oid in pending:
            if oid not in ctx.objects:
                continue  # gone with an object dropped before it
            try:
                drop_object(ctx, oid, cascade=cascade, what="DROP OWNED")
            except DependentObjectsError as error:
                waiting.append(oid)
                refusal = error
        if refusal is not None and len(waiting) == len(pending):
            raise refusal  # no progress: a dependent the roles do not own
        pending = waiting
