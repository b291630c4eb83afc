"""The one warning about column order: PostgreSQL appends every added column and cannot move
one (docs: ALTER TABLE, ADD COLUMN), so a table whose new column order is not its kept columns
in their old order followed by the added ones ends up in another order than the target's. The
plan leaves it so and says it once per table: a reordering, a column added in the middle, or
both. A partition whose partitioned table is warned about is not warned about again (its
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
    differs: dict[ObjectId, model.DbObject] = {}
    for old_id in sorted(_tables_touched(ctx, changes), key=ObjectId.sort_key):
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
        added = [name for name in new_columns if name not in kept]
        if (getattr(before, "inherits", ()) or getattr(after, "inherits", ())) and (
            old_id not in reordered
        ):
            # An inheritance child lists its parents' columns first, merged or not (on the side
            # where it has parents), so an added column's place is not read off the list: only
            # a reordering counts.
            continue
        if kept + added != list(new_columns) or old_id in reordered:
            differs[after.id] = after
    for table_id, table in differs.items():
        if getattr(table, "partition_of", None) in differs:
            continue
        ctx.warn(f"{table_id}: the column order differs, which PostgreSQL cannot change "
                 "without rebuilding the table; the plan leaves it as it is")  # fmt: skip


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
