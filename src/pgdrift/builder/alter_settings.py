"""ALTER TABLE subcommands that set or undo a setting, and OWNER TO with what it carries
along: ``SET / RESET (storage parameter)``, ``ALTER COLUMN ... RESET (attribute option)``,
``SET WITHOUT CLUSTER`` (docs: ALTER TABLE), and ``CLUSTER ... USING``, which marks the index
as ``CLUSTER ON`` does. pg_dump writes only the settings themselves.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.creation import owner_given
from pgdrift.builder.nodes import Node, reloptions_of
from pgdrift.builder.registry import handles
from pgdrift.builder.role_specs import owner_name
from pgdrift.builder.stored_exprs import from_source
from pgdrift.builder.tables import alters_table
from pgdrift.builder.view_options import view_option_fields
from pgdrift.errors import ModelError
from pgdrift.ids import ObjectId

__all__: list[str] = []


def _names(cmd: Node) -> set[str]:
    return {item["DefElem"]["defname"] for item in cmd["def"]["List"]["items"]}


@alters_table("AT_SetRelOptions")
def set_options(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """SET (name = value, ...): the parameters given replace those of the same name."""
    relation = ctx.require(oid, "ALTER ... SET")
    current = dict(getattr(relation, "options", ()))
    current.update(reloptions_of(cmd["def"]["List"]["items"]))
    _set(ctx, relation, tuple(sorted(current.items(), key=lambda kv: kv[0])))


@alters_table("AT_ResetRelOptions")
def reset_options(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """RESET (name, ...): the parameters go back to their defaults (unset ones are fine)."""
    relation = ctx.require(oid, "ALTER ... RESET")
    gone = _names(cmd)
    options = tuple(kv for kv in getattr(relation, "options", ()) if kv[0] not in gone)
    _set(ctx, relation, options, reset="check_option" in gone)


def _set(
    ctx: BuildContext, relation: model.DbObject, options: model.Options, *, reset: bool = False
) -> None:
    if isinstance(relation, model.View):
        check_option = None if reset else relation.check_option
        ctx.update(relation.id, **view_option_fields(options, check_option))
    else:
        ctx.update(relation.id, options=options)


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


@handles("ClusterStmt")
def build_cluster(ctx: BuildContext, node: Node) -> None:
    """CLUSTER t USING i marks i as the table's clustered index, as ALTER TABLE ... CLUSTER ON
    does (and rewrites the rows, which the schema does not see); CLUSTER t, and CLUSTER alone,
    re-cluster on the marked index and change nothing pg_dump prints."""
    relation = node.get("relation")
    if relation is None:
        ctx.count_data("CLUSTER")
        return
    oid = ctx.relation_id(relation)  # a table or a materialized view
    table = ctx.require(oid, "CLUSTER")
    index = node.get("indexname")
    if index is not None:
        ctx.update(oid, clustered_on=index)
        return
    if getattr(table, "clustered_on", None) is None:
        raise ModelError(
            f'CLUSTER: there is no previously clustered index for table "{oid.name}"',
            span=ctx.statement.span if ctx.statement else None,
        )
    ctx.count_data("CLUSTER")


@alters_table("AT_ChangeOwner")
def change_owner(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """OWNER TO role. A table's new owner also owns the sequences its columns own (serial
    and identity): PostgreSQL changes them with it (ATExecChangeOwner; its indexes too, but
    an index's owner is not modelled: pg_dump never writes one)."""
    previous = getattr(ctx.require(oid, "ALTER ... OWNER TO"), "owner", None)
    owner = owner_name(ctx, cmd["newowner"])
    ctx.update(oid, owner=owner)
    owner_given(ctx, oid, previous)
    table = ctx.objects[oid]
    if not isinstance(table, model.Table) or not from_source(ctx):
        # pg_dump writes a table's OWNER TO with its CREATE, before any sequence is linked to
        # it, and each sequence's owner itself: nothing to carry, and the catalogue's link
        # index (kept up on every later statement once built) is not needed for a dump.
        return
    for sequence in _owned_sequences(ctx, table):
        before = getattr(ctx.objects.get(sequence), "owner", None)
        ctx.update(sequence, owner=owner)
        owner_given(ctx, sequence, before)


def _owned_sequences(ctx: BuildContext, table: model.Table) -> list[ObjectId]:
    """The sequences linked to the table's columns, by identity or OWNED BY (a serial's
    among them): ALTER TABLE ... OWNER TO moves them all (change_owner_recurse_to_sequences).
    Looked up from the columns, not by scanning every sequence (one OWNER TO per table of a
    large dump)."""
    return [s for column in table.columns.ordered for s in ctx.objects.linked_to(column.id)
            if s.kind == ids.SEQUENCE]  # fmt: skip




@alters_table("AT_DropOf")
def not_of(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """NOT OF: the table is no longer typed; it keeps its columns (docs: ALTER TABLE)."""
    del cmd
    table = ctx.require(oid, "ALTER TABLE ... NOT OF")
    if getattr(table, "of_type", None) is None:
        raise ModelError(f'ALTER TABLE ... NOT OF: table "{oid.name}" is not a typed table',
                         span=ctx.statement.span if ctx.statement else None)  # fmt: skip
    ctx.update(oid, of_type=None)


@alters_table("AT_AddOf")
def of_type(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """OF type: the table becomes typed; PostgreSQL requires its columns to be the type's
    attributes, by name and type, in order (ATExecAddOf), and changes none of them."""
    ctx.require(oid, "ALTER TABLE ... OF")
    ref = ctx.type(cmd["def"])
    ctx.require(ObjectId(ids.COMPOSITE_TYPE, ref.schema, ref.name), "OF type")
    ctx.update(oid, of_type=ref)
