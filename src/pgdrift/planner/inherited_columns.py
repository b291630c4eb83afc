"""What an inheritance child's column must be told after CREATE TABLE: a child column takes
its parent's default and NOT NULL when created (MergeAttributes, declared locally or not), so
where the child's differ the plan says so, as pg_dump does (``SET DEFAULT``, ``SET NOT NULL``,
and ``DEFAULT NULL`` for no default of its own, which PostgreSQL stores as none)."""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.differ.changes import Change
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident
from pgdrift.planner import names
from pgdrift.planner.clauses import sql
from pgdrift.planner.context import PlanContext

__all__ = ["inherited_column_settings", "warn_local_change"]


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


def warn_local_change(
    ctx: PlanContext, table: model.DbObject, before: model.Column | None, after: model.Column
) -> None:
    """Warn when a column of an inheritance child is its own (attislocal) on one side and only
    inherited on the other, and the plan cannot make it so (``before`` None: the plan adds it
    to the table with ADD COLUMN, which makes it the table's own). PostgreSQL never makes a
    table's own column inherited-only again; it makes an inherited one its own only when no
    parent gives it any more (NO INHERIT, or the parent's DROP COLUMN with ONLY:
    RemoveInheritance, ATExecDropColumn)."""
    was = before.inherited if before is not None else False
    if not isinstance(table, model.Table) or was == after.inherited:
        return
    old_table = ctx.old.objects.get(ObjectId(ids.TABLE, after.id.schema, after.id.parent or ""))
    if before is not None and before.inherited and isinstance(old_table, model.Table):
        kept = [p for p in table.inherits if p in old_table.inherits]
        if not any(after.name in getattr(ctx.new.objects.get(p), "columns", ()) for p in kept):
            return  # no parent gives it any more: it is the table's own from then on
    side = "only inherited" if after.inherited else "declared by the table itself"
    ctx.warn(f"{after.id}: the target has this column {side} (attislocal), which PostgreSQL "
             "cannot change without rebuilding the table; the plan leaves it as it is")
