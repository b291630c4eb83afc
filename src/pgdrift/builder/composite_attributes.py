"""``ALTER TYPE ... ADD / DROP / ALTER / RENAME ATTRIBUTE`` of a composite type (docs:
ALTER TYPE).

PostgreSQL parses the first three as ALTER TABLE subcommands on the type (``AT_AddColumn``,
``AT_DropColumn``, ``AT_AlterColumnType``), so :mod:`pgdrift.builder.alter_columns` hands a
composite type's here; :mod:`pgdrift.builder.renames` hands RENAME ATTRIBUTE. An attribute has
a name, a type and a collation, nothing else. With CASCADE each change is applied to the typed
tables (``CREATE TABLE t OF type``) as the same command on the table; without it PostgreSQL
refuses when there are any (find_typed_table_dependencies).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from pgdrift import ids, model
from pgdrift.builder.attribute_renames import rename_field_selections
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.errors import DependentObjectsError, DuplicateObjectError, UndefinedObjectError
from pgdrift.ids import ObjectId
from pgdrift.pg.messages import does_not_exist

__all__ = [
    "add_attribute",
    "alter_attribute_type",
    "drop_attribute",
    "rename_attribute",
    "typed_tables",
]

#: Applies an ALTER TABLE subcommand (or a RENAME COLUMN node) to a typed table.
TableCommand = Callable[[BuildContext, ObjectId, Node], None]


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


def typed_tables(ctx: BuildContext, oid: ObjectId) -> list[ObjectId]:
    """The tables created ``OF`` the composite type ``oid``."""
    found = []
    for table in ctx.objects.of_kind(ids.TABLE):
        of_type = getattr(ctx.objects[table], "of_type", None)
        if of_type is not None and (of_type.schema, of_type.name) == (oid.schema, oid.name):
            found.append(table)
    return found


def _typed_tables_too(ctx: BuildContext, oid: ObjectId, behavior: str | None) -> list[ObjectId]:
    """The typed tables a change of the type's attributes reaches: PostgreSQL refuses the
    change without CASCADE when there are any (find_typed_table_dependencies)."""
    tables = typed_tables(ctx, oid)
    if tables and behavior != "DROP_CASCADE":
        raise DependentObjectsError(
            f"ALTER TYPE: cannot alter type {oid} because it is the type of a typed table "
            "(use ALTER ... CASCADE to alter the typed tables too)",
            dependents=sorted(str(t) for t in tables),
            span=ctx.statement.span if ctx.statement else None,
        )
    return tables


def add_attribute(
    ctx: BuildContext, oid: ObjectId, cmd: Node, on_table: TableCommand | None = None
) -> None:
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
    tables = _typed_tables_too(ctx, oid, cmd.get("behavior"))
    column = model.Column(
        id=ObjectId(ids.COLUMN, oid.schema, name, parent=oid.name),
        type=ctx.type(definition["typeName"]),
        collation=_collation(ctx, definition),
        **ctx.span_fields(),
    )
    ctx.update(oid, columns=model.Columns((*composite.columns.ordered, column)))
    _on_tables(ctx, tables, cmd, on_table)


def drop_attribute(
    ctx: BuildContext, oid: ObjectId, cmd: Node, on_table: TableCommand | None = None
) -> None:
    """DROP ATTRIBUTE [IF EXISTS] name."""
    composite = _composite(ctx, oid)
    name: str = cmd["name"]
    if name not in composite.columns:
        if cmd.get("missing_ok"):
            return
        raise _missing(ctx, oid, name)
    tables = _typed_tables_too(ctx, oid, cmd.get("behavior"))
    kept = tuple(c for c in composite.columns.ordered if c.name != name)
    ctx.update(oid, columns=model.Columns(kept))
    _on_tables(ctx, tables, cmd, on_table)


def alter_attribute_type(
    ctx: BuildContext, oid: ObjectId, cmd: Node, on_table: TableCommand | None = None
) -> None:
    """ALTER ATTRIBUTE name [SET DATA] TYPE type [COLLATE c]: without COLLATE the attribute
    takes the new type's default collation, as a table column does."""
    composite = _composite(ctx, oid)
    name: str = cmd["name"]
    if name not in composite.columns:
        raise _missing(ctx, oid, name)
    tables = _typed_tables_too(ctx, oid, cmd.get("behavior"))
    definition = cmd["def"]["ColumnDef"]
    ctx.update_column(
        oid, name, type=ctx.type(definition["typeName"]), collation=_collation(ctx, definition)
    )
    _on_tables(ctx, tables, cmd, on_table)


def rename_attribute(ctx: BuildContext, node: Node, on_table: TableCommand) -> None:
    """RENAME ATTRIBUTE old TO new [CASCADE | RESTRICT] (renameatt on the type's relation)."""
    oid = ObjectId(ids.COMPOSITE_TYPE, *ctx.relation(node["relation"]))
    composite = _composite(ctx, oid)
    old: str = node["subname"]
    new: str = node["newname"]
    if old not in composite.columns:
        raise _missing(ctx, oid, old)
    if new in composite.columns:
        raise DuplicateObjectError(
            f"ALTER TYPE RENAME ATTRIBUTE: attribute {new!r} of {oid} already exists",
            span=ctx.statement.span if ctx.statement else None,
        )
    tables = _typed_tables_too(ctx, oid, node.get("behavior"))
    column = ObjectId(ids.COLUMN, oid.schema, new, parent=oid.name)
    renamed = tuple(
        attrs.evolve(c, id=column) if c.name == old else c for c in composite.columns.ordered
    )
    ctx.update(oid, columns=model.Columns(renamed))
    _on_tables(ctx, tables, node, on_table)
    # (x).old of a value of the type prints (x).new: FieldSelect holds the field's number.
    rename_field_selections(ctx, oid, old, new)


def _on_tables(
    ctx: BuildContext, tables: list[ObjectId], cmd: Node, on_table: TableCommand | None
) -> None:
    # ATTypedTableRecursion: the same subcommand, run on each typed table.
    if on_table is not None:
        for table in tables:
            on_table(ctx, table, cmd)
