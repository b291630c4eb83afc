"""The one warning about column order: PostgreSQL appends every added column and cannot move
one (docs: ALTER TABLE, ADD COLUMN), so a table whose new column order is not its kept columns
in their old order followed by the added ones ends up in another order than the target's. The
plan leaves it so and says it once per table: a reordering, a column added in the middle, or
both. A generated column the plan drops and adds again (its expression changes, or a column
or routine it reads changes) goes to the end too, after the kept columns and before the added
ones. A partition whose partitioned table is warned about is not warned about again (its
columns follow the parent's statements).
"""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import ids, model
from pgdrift.differ.changes import Change
from pgdrift.ids import ObjectId
from pgdrift.planner.context import TABLE_KINDS, PlanContext


def warn_column_order(ctx: PlanContext, changes: Iterable[Change]) -> None:
    """Warn about each table, among those ``changes`` touch, that the plan leaves in another
    column order than the new schema's."""
    changes = list(changes)
    reordered = {c.id for c in changes if any(d.field == "column_order" for d in c.details)}
    rebuilt = _rebuilt_columns(ctx, changes)
    differs: dict[ObjectId, tuple[model.DbObject, list[str]]] = {}
    touched = _tables_touched(ctx, changes) | {table for table, _ in rebuilt}
    for old_id in sorted(touched, key=ObjectId.sort_key):
        if old_id in ctx.dropped_tables or old_id in ctx.created_tables:
            continue  # built again from its new definition, columns in order
        before = ctx.old.objects.get(old_id)
        after = ctx.new.objects.get(ctx.renamed.get(old_id, old_id))
        old_columns = getattr(before, "columns", None)
        new_columns = getattr(after, "columns", None)
        if after is None or not isinstance(old_columns, model.Columns) or not isinstance(
            new_columns, model.Columns
        ):
            continue
        kept = [ctx.renamed.get(c.id, c.id).name for c in old_columns.ordered]
        kept = [name for name in kept if name in new_columns]
        moved = [name for name in kept if (old_id, name) in rebuilt]
        kept = [name for name in kept if name not in moved] + moved
        added = [name for name in new_columns if name not in kept]
        if (getattr(before, "inherits", ()) or getattr(after, "inherits", ())) and (
            old_id not in reordered
        ):
            # An inheritance child lists its parents' columns first, merged or not (on the side
            # where it has parents), so an added column's place is not read off the list: only
            # a reordering counts.
            continue
        if kept + added != list(new_columns) or old_id in reordered:
            differs[after.id] = (after, moved)
    for table_id, (table, moved) in differs.items():
        if getattr(table, "partition_of", None) in differs:
            continue
        rebuilding = (f"; {', '.join(moved)} {'are' if len(moved) > 1 else 'is'} generated and "
                      "dropped and added again, at the end of the table") if moved else ""
        ctx.warn(f"{table_id}: the column order differs, which PostgreSQL cannot change "
                 f"without rebuilding the table; the plan leaves it as it is{rebuilding}")


def _rebuilt_columns(ctx: PlanContext, changes: Iterable[Change]) -> set[tuple[ObjectId, str]]:
    """(old table id, column name) of the generated columns the plan drops and adds again:
    those the cascade rebuilds, and those whose generation expression changes (PostgreSQL 15
    cannot change one in place; columns.alter_column)."""
    found = set(ctx.rebuilt_columns)
    for change in changes:
        after = change.after
        if change.kind != ids.COLUMN or not isinstance(after, model.Column) or (
            after.generated is None or change.before is None
        ) or not any(d.field.split(".")[0] == "generated" for d in change.details):
            continue
        container = ctx.container(change.id, 0)
        if container is not None:
            found.add((container.id, getattr(change.before, "name", after.name)))
    return found


def _tables_touched(ctx: PlanContext, changes: Iterable[Change]) -> set[ObjectId]:
    """Old ids of the tables whose columns or column order ``changes`` change."""
    touched: set[ObjectId] = set()
    for change in changes:
        if change.kind == ids.COLUMN and change.id.parent is not None:
            for kind in TABLE_KINDS:
                table = ObjectId(kind, change.id.schema, change.id.parent)
                if table in ctx.old.objects:
                    touched.add(table)
        elif change.kind in TABLE_KINDS and any(d.field == "column_order" for d in change.details):
            touched.add(change.id)
    return touched
