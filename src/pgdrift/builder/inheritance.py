"""``ALTER TABLE`` (without ``ONLY``) of an inheritance parent reaches its children, as
PostgreSQL applies it (docs: ALTER TABLE, "Notes"; "Inheritance").

An added column is appended to each child as an inherited one, or merged with a column of
that name the child already has (which then keeps its own definition, NOT NULL added); a
dropped column goes from a child that only inherited it, and stays as the child's own where
the child declared it too; a change of type, NOT NULL, default, storage or compression is
made on every child. Descendants are reached through their parents, depth first. Partitioned
tables are handled by :mod:`pgdrift.builder.partitions`.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.stored_exprs import from_source
from pgdrift.ids import ObjectId

__all__ = ["children_of", "propagate_to_children", "rename_in_children"]

Apply = Callable[[BuildContext, ObjectId, Node], None]

#: Subcommands made again on each child (ATSimpleRecursion and the recursing ones).
_RECURSIVE = frozenset({
    "AT_AlterColumnType", "AT_SetNotNull", "AT_DropNotNull", "AT_ColumnDefault",
    "AT_SetStorage", "AT_SetCompression",
})  # fmt: skip


def children_of(ctx: BuildContext, table: ObjectId) -> list[ObjectId]:
    """The tables that inherit from ``table`` directly (not its partitions)."""
    return [
        obj.id
        for obj in ctx.objects.values()
        if isinstance(obj, model.Table) and table in obj.inherits and obj.partition_of is None
    ]


def propagate_to_children(
    ctx: BuildContext, table: ObjectId, cmd: Node, apply: Apply, *, before: bool = False
) -> None:
    """Make subcommand ``cmd`` of ``ALTER TABLE table`` on every descendant; ``before`` is
    the call made before the parent's own change (a DROP COLUMN goes down first)."""
    relation = ctx.get(table)
    if not isinstance(relation, model.Table) or relation.partition_key is not None:
        return
    subtype = cmd["subtype"]
    if before != (subtype == "AT_DropColumn"):
        return
    for child in children_of(ctx, table):
        if subtype == "AT_AddColumn":
            _add_inherited(ctx, relation, child, cmd["def"]["ColumnDef"]["colname"])
        elif subtype == "AT_DropColumn":
            _drop_inherited(ctx, child, cmd, apply)
            continue
        elif subtype in _RECURSIVE:
            apply(ctx, child, cmd)
        else:
            return
        propagate_to_children(ctx, child, cmd, apply)


def _add_inherited(ctx: BuildContext, parent: model.Table, child: ObjectId, name: str) -> None:
    table = ctx.get(child)
    new = ctx.get(parent.id)
    if not isinstance(table, model.Table) or not isinstance(new, model.Table):
        return
    column = new.columns.get(name)
    if column is None:
        return
    if name in table.columns:
        # Merged with the child's own column (MergeAttributesIntoExisting): it stays local.
        mine = table.columns[name]
        columns = [attrs.evolve(mine, not_null=True) if column.not_null and c.name == name
                   else c for c in table.columns.ordered]  # fmt: skip
    else:
        columns = [*table.columns.ordered, attrs.evolve(
            column,
            id=ObjectId(ids.COLUMN, child.schema, name, parent=child.name),
            inherited=True, identity=None, comment=None, privileges=(), **ctx.span_fields(),
        )]  # fmt: skip
    ctx.update(child, columns=model.Columns(tuple(_restored_order(ctx, table, columns))))


def _restored_order(
    ctx: BuildContext, table: model.Table, columns: list[model.Column]
) -> list[model.Column]:
    """The child's columns in the order a restore of its dump gives them: its parents'
    columns first, in their parents' order, then its own. PostgreSQL appends a column added
    to a parent at the end of each child, but pg_dump cannot write that order (it writes the
    child's own columns and INHERITS), and the model is compared with dumps."""
    # By name: columns compare equal without their ids (two int columns are equal).
    present = {c.name for c in columns}
    first: list[str] = []
    for parent in table.inherits:
        for column in getattr(ctx.get(parent), "columns", model.Columns(())).ordered:
            if column.name in present and column.name not in first:
                first.append(column.name)
    by_name = {c.name: c for c in columns}
    return [by_name[n] for n in first] + [c for c in columns if c.name not in first]


def _drop_inherited(ctx: BuildContext, child: ObjectId, cmd: Node, apply: Apply) -> None:
    table = ctx.get(child)
    name = cmd.get("name") or ""
    if not isinstance(table, model.Table) or name not in table.columns:
        return
    if not table.columns[name].inherited:
        return  # the child's own column outlives the parent's (ATExecDropColumn)
    propagate_to_children(ctx, child, cmd, apply, before=True)
    apply(ctx, child, {**cmd, "missing_ok": True})


def rename_in_children(
    ctx: BuildContext, node: Node, rename: Callable[[BuildContext, Node], None]
) -> None:
    """``RENAME COLUMN`` of an inheritance parent renames the column in every descendant
    that has it (renameatt recurses), each before its own children; ``rename`` renames one
    table's column."""
    if not from_source(ctx) or node.get("relation") is None or not node["relation"].get("inh"):
        return
    schema, name = ctx.relation(node["relation"])
    column = node.get("subname") or ""
    for child in children_of(ctx, ObjectId(ids.TABLE, schema, name)):
        table = ctx.get(child)
        if isinstance(table, model.Table) and column in table.columns:
            rangevar = {"schemaname": child.schema, "relname": child.name, "inh": True}
            rename_in_children(ctx, {**node, "relation": rangevar}, rename)
            rename(ctx, {**node, "relation": rangevar})
