"""ALTER TABLE subcommands that set how a column is stored and analysed, and ALTER CONSTRAINT:
``SET STATISTICS``, ``SET STORAGE``, ``SET COMPRESSION`` (docs: ALTER TABLE).

Each has a value that means "none set": statistics target -1, the type's own storage
strategy, compression ``DEFAULT``. pg_dump writes none of them, so the model keeps None.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, const_value
from pgdrift.builder.registry import NotModelled
from pgdrift.builder.tables import alters_table
from pgdrift.ids import ObjectId
from pgdrift.pg.storage import type_storage

__all__: list[str] = []


@alters_table("AT_SetStatistics")
def set_statistics(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """ALTER [COLUMN] c SET STATISTICS n; -1 is the system default (none set). On an index
    the column is named by its number (ALTER INDEX ... ALTER COLUMN 2 SET STATISTICS n)."""
    target = const_value(cmd.get("def"))
    if oid.kind == ids.INDEX:
        number = cmd.get("num", 0)
        kept = [s for s in getattr(ctx.require(oid), "statistics", ()) if s[0] != number]
        stats = kept if target == -1 else [*kept, (number, target)]
        ctx.update(oid, statistics=tuple(sorted(stats)))
        return
    ctx.update_column(oid, cmd["name"], statistics=None if target == -1 else target)


@alters_table("AT_SetStorage")
def set_storage(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """ALTER COLUMN c SET STORAGE s: the column's type's own strategy is what a column starts
    with, so setting it is setting none."""
    name: str = cmd["name"]
    relation = ctx.require_column(oid, name)
    column: model.Column = relation.columns[name]  # type: ignore[attr-defined]
    storage = str(const_value(cmd.get("def"))).lower()
    ctx.update_column(oid, name, storage=None if storage == type_storage(column.type) else storage)


@alters_table("AT_SetCompression")
def set_compression(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """ALTER COLUMN c SET COMPRESSION m; ``DEFAULT`` leaves the method to
    default_toast_compression (none set)."""
    method = const_value(cmd.get("def"))
    ctx.update_column(oid, cmd["name"], compression=None if method == "default" else method)


@alters_table("AT_AlterConstraint")
def alter_constraint(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """ALTER CONSTRAINT name [NOT] DEFERRABLE [INITIALLY DEFERRED | IMMEDIATE]: PostgreSQL
    allows it on foreign keys only. Without INITIALLY the constraint is initially immediate,
    and NOT DEFERRABLE cannot be initially deferred."""
    definition = cmd["def"]
    # libpg_query writes ATAlterConstraint (PostgreSQL 18's parse tree), older ones Constraint.
    node = definition.get("ATAlterConstraint") or definition.get("Constraint") or {}
    name: str = node["conname"]
    constraint = ObjectId(ids.CONSTRAINT, oid.schema, name, parent=oid.name)
    found = ctx.require(constraint, "ALTER TABLE ALTER CONSTRAINT")
    if not isinstance(found, model.Constraint) or found.type != model.Constraint.FOREIGN_KEY:
        raise NotModelled(f"ALTER CONSTRAINT of {constraint}, which is not a foreign key")
    deferrable = bool(node.get("deferrable"))
    ctx.update(
        constraint,
        deferrable=deferrable,
        initially_deferred=deferrable and bool(node.get("initdeferred")),
    )
