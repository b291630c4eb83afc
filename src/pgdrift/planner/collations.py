"""Collations: CREATE COLLATION, REFRESH VERSION, and the replacement of one whose definition
changes (PostgreSQL cannot alter a collation but for its version)."""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.differ.changes import STRONG_LOCK, AttributeChange, Change
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident, quote_literal, split_qualified_name
from pgdrift.planner import names
from pgdrift.planner.clauses import collate, dotted
from pgdrift.planner.constraints import statistics_targets_again
from pgdrift.planner.context import DROP_PHASE, Action, PlanContext
from pgdrift.planner.handlers import alters, creates, replaces
from pgdrift.planner.objects import create_object
from pgdrift.planner.partitions import altered_through_parent


@creates(model.Collation)
def create_collation(ctx: PlanContext, collation: model.Collation, change: Change | None) -> Action:
    name = names.relation(collation.id)
    if collation.from_collation is not None:
        text = f"CREATE COLLATION {name} FROM {dotted(collation.from_collation)}"
    else:
        parts = []
        if collation.provider:
            parts.append(f"provider = {quote_ident(collation.provider)}")
        for key in ("locale", "lc_collate", "lc_ctype", "rules", "version"):
            value = getattr(collation, key)
            if value is not None:
                parts.append(f"{key} = {quote_literal(value)}")
        if not collation.deterministic:
            parts.append("deterministic = false")
        text = f"CREATE COLLATION {name} ({', '.join(parts)})"
    return ctx.emit(text, change=change, anchor=collation.id, makes=(collation.id,),
                    needs=ctx.new_deps(collation))  # fmt: skip


@alters(model.Collation)
def alter_collation(
    ctx: PlanContext,
    change: Change,
    before: model.Collation,
    after: model.Collation,
    details: list[AttributeChange],
) -> None:
    if any(d.field == "version" for d in details):
        ctx.emit(f"ALTER COLLATION {names.relation(after.id)} REFRESH VERSION", change=change,
                 anchor=after.id, needs=(after.id,))  # fmt: skip


def columns_collated(
    ctx: PlanContext, collation: ObjectId
) -> list[tuple[model.Table, model.Column]]:
    """Columns of surviving tables that use ``collation`` explicitly on both sides (their new
    definitions)."""
    found = []
    for table_id, _ in sorted(ctx.dependents(collation, (ids.TABLE, ids.FOREIGN_TABLE)),
                              key=lambda d: d[0].sort_key()):  # fmt: skip
        old_table = ctx.old.objects.get(table_id)
        new_table = ctx.new.objects.get(table_id)
        if not isinstance(old_table, model.Table) or not isinstance(new_table, model.Table):
            continue
        for column in old_table.columns.ordered:
            new_column = new_table.columns.get(column.name)
            if new_column is None or not (
                _names_collation(column.collation, collation)
                and _names_collation(new_column.collation, collation)
            ) or altered_through_parent(new_table, column.name, ctx.new):
                continue
            found.append((new_table, new_column))
    return found


def _names_collation(text: str | None, collation: ObjectId) -> bool:
    parts = split_qualified_name(text) if text else None
    return parts is not None and parts[-2:] == [collation.schema, collation.name]


@replaces(model.Collation)
def replace_collation(
    ctx: PlanContext, change: Change | None, before: model.DbObject, after: model.DbObject
) -> bool:
    """A collation cannot be altered (but for its version): when table columns use it, it is
    renamed away, the new one created, the columns moved over (ALTER COLUMN ... TYPE with the
    same type and the new COLLATE: no rewrite, but their indexes are rebuilt), and the old one
    dropped. False (plain DROP and CREATE) when no column uses it; indexes, views and domains
    that use it are dropped and created again around it (:mod:`pgdrift.planner.cascades`)."""
    users = columns_collated(ctx, before.id)
    if not users:
        return False
    old_id = ObjectId(ids.COLLATION, before.id.schema, names.set_aside(before.id.name))
    renamed = ctx.emit(
        f"ALTER COLLATION {names.relation(before.id)} RENAME TO {quote_ident(old_id.name)}",
        change=change, anchor=before.id, phase=DROP_PHASE, removes=(before.id,),
        comment=f"{before.id.qualified_name} is replaced; its columns move to the new one",
    )  # fmt: skip
    create_object(ctx, after, change)
    moved = []
    for table, column in users:
        moved.append(ctx.emit(
            f"ALTER TABLE {names.relation(table.id)} ALTER COLUMN {quote_ident(column.name)} "
            f"TYPE {column.type}{collate(column.collation)}",
            change=change, anchor=table.id, needs=(before.id, table.id), frees=(old_id,),
            makes=(column.id,), removes=(column.id,),
            hazards=() if ctx.is_new(table.id) else (STRONG_LOCK,),
        ))  # fmt: skip
        statistics_targets_again(ctx, table.id, column.name, moved[-1])
    ctx.emit(f"DROP COLLATION {names.relation(old_id)}", change=change, anchor=before.id,
             removes=(old_id,), after=[renamed, *moved])  # fmt: skip
    return True
