"""ALTER TABLE subcommands that undo a setting, and OWNER TO with what it carries along:
``RESET (storage parameter)``, ``ALTER COLUMN ... RESET (attribute option)``,
``SET WITHOUT CLUSTER`` (docs: ALTER TABLE). pg_dump writes only the settings themselves.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.tables import alters_table, role_name
from pgdrift.ids import ObjectId

__all__: list[str] = []


def _names(cmd: Node) -> set[str]:
    return {item["DefElem"]["defname"] for item in cmd["def"]["List"]["items"]}


@alters_table("AT_ResetRelOptions")
def reset_options(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """RESET (name, ...): the parameters go back to their defaults (unset ones are fine)."""
    relation = ctx.require(oid, "ALTER ... RESET")
    gone = _names(cmd)
    options = tuple(kv for kv in getattr(relation, "options", ()) if kv[0] not in gone)
    ctx.update(oid, options=options)


@alters_table("AT_ResetOptions")
def reset_column_options(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """ALTER COLUMN c RESET (n_distinct, ...)."""
    name: str = cmd["name"]
    relation = ctx.require_column(oid, name)
    gone = _names(cmd)
    column: model.Column = relation.columns[name]  # type: ignore[attr-defined]
    ctx.update_column(oid, name, options=tuple(kv for kv in column.options if kv[0] not in gone))


@alters_table("AT_DropCluster")
def drop_cluster(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """SET WITHOUT CLUSTER: no index is marked for CLUSTER any more."""
    ctx.require(oid, "ALTER TABLE SET WITHOUT CLUSTER")
    ctx.update(oid, clustered_on=None)


@alters_table("AT_ChangeOwner")
def change_owner(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """OWNER TO role. A table's new owner also owns the sequences its columns own (serial
    and identity): PostgreSQL changes them with it (ATExecChangeOwner; its indexes too, but
    an index's owner is not modelled: pg_dump never writes one)."""
    ctx.require(oid, "ALTER ... OWNER TO")
    owner = role_name(cmd["newowner"])
    ctx.update(oid, owner=owner)
    if oid.kind not in (ids.TABLE, ids.FOREIGN_TABLE, ids.MATERIALIZED_VIEW):
        return
    for other in list(ctx.objects.values()):
        if isinstance(other, model.Sequence):
            column = other.owned_by or other.identity_of
            if column is not None and (column.schema, column.parent) == (oid.schema, oid.name):
                ctx.update(other.id, owner=owner)
