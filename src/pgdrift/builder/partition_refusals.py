"""What PostgreSQL refuses to do to a partition on its own, with its words (tablecmds.c;
docs: ALTER TABLE, "Table Partitioning"): a partition has exactly its parent's columns, so
columns are added, dropped and retyped on the parent; what it inherited (a CHECK, a NOT
NULL, its place under the parent) is changed there too.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.errors import ModelError
from pgdrift.ids import ObjectId

__all__ = ["refuse_on_partition"]


def refuse_on_partition(ctx: BuildContext, table: ObjectId, cmd: Node) -> None:
    """Raise PostgreSQL's error when ``cmd``, written on a partition, is one it refuses."""
    relation = ctx.get(table)
    if not isinstance(relation, model.Table) or relation.partition_of is None:
        return
    parent = ctx.get(relation.partition_of)
    if not isinstance(parent, model.Table):
        return
    subtype = cmd["subtype"]
    column = cmd.get("name") or ""
    message = ""
    if subtype == "AT_AddColumn":
        message = "cannot add column to a partition"
    elif subtype in ("AT_AddInherit", "AT_DropInherit"):
        message = "cannot change inheritance of a partition"
    elif column in parent.columns:
        if subtype == "AT_DropColumn":
            message = f'cannot drop inherited column "{column}"'
        elif subtype == "AT_AlterColumnType":
            message = f'cannot alter inherited column "{column}"'
        elif subtype == "AT_DropNotNull" and parent.columns[column].not_null:
            message = f'column "{column}" is marked NOT NULL in parent table'
    elif subtype == "AT_DropConstraint" and _inherited_constraint(ctx, relation, parent, column):
        message = f'cannot drop inherited constraint "{column}" of relation "{table.name}"'
    if message:
        raise ModelError(message, span=ctx.statement.span if ctx.statement else None)


def _inherited_constraint(
    ctx: BuildContext, partition: model.Table, parent: model.Table, name: str
) -> bool:
    """A CHECK the parent has under the same name, or a key attached to the parent's."""
    mine = ctx.get(ObjectId(ids.CONSTRAINT, partition.id.schema, name, parent=partition.name))
    if not isinstance(mine, model.Constraint):
        return False
    if mine.attached_to is not None:
        return True
    theirs = ctx.get(ObjectId(ids.CONSTRAINT, parent.id.schema, name, parent=parent.name))
    return isinstance(theirs, model.Constraint) and theirs.type == model.Constraint.CHECK
