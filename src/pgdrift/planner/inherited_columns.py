"""What an inheritance child's column must be told after CREATE TABLE: a child column takes
its parent's default and NOT NULL when created (MergeAttributes, declared locally or not), so
where the child's differ the plan says so, as pg_dump does (``SET DEFAULT``, ``SET NOT NULL``,
and ``DEFAULT NULL`` for no default of its own, which PostgreSQL stores as none)."""

from __future__ import annotations

from pgdrift import model
from pgdrift.differ.changes import Change
from pgdrift.pg.quoting import quote_ident
from pgdrift.planner import names
from pgdrift.planner.clauses import sql
from pgdrift.planner.context import PlanContext

__all__ = ["inherited_column_settings"]


def inherited_column_settings(
    ctx: PlanContext, table: model.Table, column: model.Column, change: Change | None
) -> None:
    """The statements a column of an inheritance child ``table`` needs after its CREATE TABLE
    (none for a table that inherits from nothing)."""
    if column.inherited:
        _inherited_column(ctx, table, column, change)
    elif table.inherits and column.default is None:
        _no_parent_default(ctx, table, column, _parent_column(ctx, table, column), change)


def _inherited_column(
    ctx: PlanContext, table: model.Table, column: model.Column, change: Change | None
) -> None:
    """An inherited column takes its parent's default and NOT NULL; say where it differs."""
    parent_column = _parent_column(ctx, table, column)
    prefix = f"ALTER TABLE {names.relation(table.id)} ALTER COLUMN {quote_ident(column.name)}"
    if column.default is not None and (parent_column is None or
                                       parent_column.default != column.default):  # fmt: skip
        ctx.emit(f"{prefix} SET DEFAULT {sql(column.default)}", change=change, anchor=table.id,
                 needs=(column.id, *ctx.column_deps(table, column, 1)))  # fmt: skip
    _no_parent_default(ctx, table, column, parent_column, change)
    if column.not_null and (parent_column is None or not parent_column.not_null):
        ctx.emit(f"{prefix} SET NOT NULL", change=change, anchor=table.id, needs=(column.id,))


def _parent_column(
    ctx: PlanContext, table: model.Table, column: model.Column
) -> model.Column | None:
    for parent_id in table.inherits:
        parent = ctx.new.objects.get(parent_id)
        columns = getattr(parent, "columns", None)
        if isinstance(columns, model.Columns) and column.name in columns:
            return columns[column.name]
    return None


def _no_parent_default(
    ctx: PlanContext,
    table: model.Table,
    column: model.Column,
    parent_column: model.Column | None,
    change: Change | None,
) -> None:
    # A child column without a default of its own takes its parent's when created (declared
    # or not, MergeAttributes); pg_dump says DEFAULT NULL, which PostgreSQL stores as none.
    if column.default is None and parent_column is not None and parent_column.default:
        ctx.emit(f"ALTER TABLE {names.relation(table.id)} ALTER COLUMN "
                 f"{quote_ident(column.name)} DROP DEFAULT", change=change, anchor=table.id,
                 needs=(column.id,))  # fmt: skip
