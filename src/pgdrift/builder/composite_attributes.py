"""``ALTER TYPE ... ADD / DROP / ALTER ATTRIBUTE`` of a composite type (docs: ALTER TYPE).

PostgreSQL parses them as ALTER TABLE subcommands on the type (``AT_AddColumn``,
``AT_DropColumn``, ``AT_AlterColumnType``), so :mod:`pgdrift.builder.alter_columns` hands a
composite type's here. An attribute has a name, a type and a collation, nothing else.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.errors import DuplicateObjectError, UndefinedObjectError
from pgdrift.ids import ObjectId
from pgdrift.pg.messages import does_not_exist

__all__ = ["add_attribute", "alter_attribute_type", "drop_attribute"]


def _composite(ctx: BuildContext, oid: ObjectId) -> model.CompositeType:
    found = ctx.require(oid, "ALTER TYPE")
    assert isinstance(found, model.CompositeType)  # the kind the statement named
    return found


def _collation(ctx: BuildContext, definition: Node) -> str | None:
    clause = definition.get("collClause")
    return ctx.qualified_text(clause["collname"]) if clause else None


def _missing(ctx: BuildContext, oid: ObjectId, name: str) -> UndefinedObjectError:
    column = ObjectId(ids.COLUMN, oid.schema, name, parent=oid.name)
    return UndefinedObjectError(
        does_not_exist(column), span=ctx.statement.span if ctx.statement else None
    )


def add_attribute(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """ADD ATTRIBUTE name type [COLLATE c]: the attribute goes last."""
    composite = _composite(ctx, oid)
    definition = cmd["def"]["ColumnDef"]
    name = definition["colname"]
    if name in composite.columns:
        if cmd.get("missing_ok"):
            return
        raise DuplicateObjectError(
            f"ALTER TYPE ADD ATTRIBUTE: attribute {name!r} of {oid} already exists",
            span=ctx.statement.span if ctx.statement else None,
        )
    column = model.Column(
        id=ObjectId(ids.COLUMN, oid.schema, name, parent=oid.name),
        type=ctx.type(definition["typeName"]),
        collation=_collation(ctx, definition),
        **ctx.span_fields(),
    )
    ctx.update(oid, columns=model.Columns((*composite.columns.ordered, column)))


def drop_attribute(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """DROP ATTRIBUTE [IF EXISTS] name."""
    composite = _composite(ctx, oid)
    name: str = cmd["name"]
    if name not in composite.columns:
        if cmd.get("missing_ok"):
            return
        raise _missing(ctx, oid, name)
    kept = tuple(c for c in composite.columns.ordered if c.name != name)
    ctx.update(oid, columns=model.Columns(kept))


def alter_attribute_type(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """ALTER ATTRIBUTE name [SET DATA] TYPE type [COLLATE c]: without COLLATE the attribute
    takes the new type's default collation, as a table column does."""
    composite = _composite(ctx, oid)
    name: str = cmd["name"]
    if name not in composite.columns:
        raise _missing(ctx, oid, name)
    definition = cmd["def"]["ColumnDef"]
    ctx.update_column(
        oid, name, type=ctx.type(definition["typeName"]), collation=_collation(ctx, definition)
    )
