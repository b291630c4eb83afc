"""Attaching and detaching partitions: ``ATTACH PARTITION`` and ``DETACH PARTITION`` with
what orders them, and the partitions a rebuilt partitioned table keeps (detached while it is
dropped and created again, then attached to the new one with their indexes)."""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.differ.changes import MAY_FAIL, STRONG_LOCK, Change
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident
from pgdrift.planner import names
from pgdrift.planner.clauses import sql
from pgdrift.planner.constraints import attach_index, cloned_foreign_keys, kept_by_detach
from pgdrift.planner.context import DROP_PHASE, Action, PlanContext, all_column_ids, attached_id
from pgdrift.planner.partitions import detached_id, kept_through_rebuild
from pgdrift.planner.sequences import resume_identities

__all__ = [
    "attach_partition", "detach_before_drop", "detach_partition", "reattach_through_rebuilds",
]


def attach_partition(ctx: PlanContext, table: model.Table, change: Change | None) -> Action:
    """``ALTER TABLE parent ATTACH PARTITION child FOR VALUES ...``, after the child's indexes
    exist so that the parent's partitioned indexes adopt them."""
    assert table.partition_of is not None
    assert table.partition_bound is not None
    own_indexes = [  # and its CHECKs: ATTACH PARTITION wants the parent's there already
        o.id for o in ctx.new.objects.values()
        if isinstance(o, (model.Index, model.Constraint)) and o.table == table.id
        and (o.attached_to is not None or getattr(o, "type", "") == model.Constraint.CHECK)
    ]  # fmt: skip
    hazards: tuple[str, ...] = () if ctx.is_new(table.id) else (MAY_FAIL, STRONG_LOCK)
    comment = None
    default = _existing_default(ctx, table)
    if default is not None:
        # The default partition's rows are checked against the new bound, under a lock
        # (check_default_partition_contents); PostgreSQL moves none of them.
        hazards = (MAY_FAIL, STRONG_LOCK)
        comment = (f"fails if the default partition {default.qualified_name} holds rows of "
                   "this bound: move them out first")  # fmt: skip
    return ctx.emit(
        f"ALTER TABLE {names.relation(table.partition_of)} ATTACH PARTITION "
        f"{names.relation(table.id)} {sql(table.partition_bound)}",
        change=change, anchor=table.id,
        needs=(table.id, table.partition_of, *all_column_ids(table), *own_indexes),
        makes=(attached_id(table.id),), hazards=hazards, comment=comment,
    )  # fmt: skip


def _existing_default(ctx: PlanContext, table: model.Table) -> ObjectId | None:
    """The DEFAULT partition that ``table``'s parent already has (in the old schema, still
    its default in the new), when ``table`` is attached with a bound of its own."""
    if table.partition_bound is None or _is_default(table):
        return None
    for oid in ctx.partitions(table.partition_of, 0):
        before, after = ctx.old.objects.get(oid), ctx.new.objects.get(oid)
        if isinstance(before, model.Table) and isinstance(after, model.Table) and (
            before.partition_of == table.partition_of == after.partition_of
            and _is_default(before) and _is_default(after)
        ):
            return oid
    return None


def _is_default(table: model.Table) -> bool:
    return table.partition_bound is not None and table.partition_bound.sql == "DEFAULT"


def detach_partition(ctx: PlanContext, before: model.Table, change: Change | None) -> Action:
    """``ALTER TABLE parent DETACH PARTITION child``, before either loses a column (a detached
    partition keeps its own copies) and before the parent is dropped."""
    assert before.partition_of is not None
    # The foreign keys it keeps as its own (the clones of its parent's) are made here.
    kept = [fk.id for fk in ctx.new.constraints_of(before.id) if kept_by_detach(ctx, fk)]
    cloned = cloned_foreign_keys(ctx, before)
    action = ctx.emit(
        f"ALTER TABLE {names.relation(before.partition_of)} DETACH PARTITION "
        f"{names.relation(before.id)}",
        change=change, anchor=before.id, phase=DROP_PHASE,
        # Before the parent's foreign keys go: dropping one drops the partition's clone too.
        frees=(before.partition_of, *all_column_ids(before),
               *all_column_ids(ctx.old.objects.get(before.partition_of)),
               *(fk.id for fk in cloned)),
        removes=(attached_id(before.id),), makes=(detached_id(before.id), *kept),
    )  # fmt: skip
    after = ctx.new.objects.get(before.id)
    if isinstance(after, model.Table) and after.partition_of != before.partition_of:
        # A clone the target does not keep as it is goes; ATTACH to another parent clones
        # that parent's keys afresh (CloneFkReferencing), so none is needed there either.
        for fk in cloned:
            clone = ObjectId(ids.CONSTRAINT, before.id.schema, fk.name, parent=before.id.name)
            if clone not in kept:
                ctx.emit(f"ALTER TABLE {names.relation(before.id)} DROP CONSTRAINT "
                         f"{quote_ident(fk.name)}", change=change, anchor=before.id,
                         phase=DROP_PHASE, needs=(detached_id(before.id),), removes=(clone,),
                         uses=(before.id,))  # fmt: skip
    return action


def detach_before_drop(
    ctx: PlanContext, table: model.Table, change: Change | None
) -> list[ObjectId]:
    """Detach a partition the plan drops while its partitioned table stays, when a foreign key
    references that table (or one above it): the key has a clone per referenced partition
    (CloneFkReferenced), which DROP TABLE refuses to drop ("other objects depend on it") and
    DETACH PARTITION removes. Returns what the DROP TABLE then needs (a partition of a dropped
    partition waits for the detachment of the highest one dropped)."""
    top = table
    while top.partition_of is not None and top.partition_of not in ctx.new.objects:
        above = ctx.old.objects.get(top.partition_of)
        if not isinstance(above, model.Table):
            return []
        top = above
    parent = top.partition_of
    if parent is None or parent in ctx.rebuilt_tables:
        return []
    referenced = False
    ancestor: ObjectId | None = parent
    while ancestor is not None and not referenced:
        referenced = any(
            getattr(ctx.old.objects.get(oid), "references", None) == ancestor
            for oid, _ in ctx.dependents(ancestor, (ids.CONSTRAINT,))
        )  # fmt: skip
        ancestor = getattr(ctx.old.objects.get(ancestor), "partition_of", None)
    if not referenced:
        return []
    if top is table:
        detach_partition(ctx, table, change)
    return [detached_id(top.id)]


def reattach_through_rebuilds(ctx: PlanContext) -> None:
    """Detach the partitions a rebuilt partitioned table keeps, and attach them to the new
    table (see :func:`pgdrift.planner.partitions.kept_through_rebuild`)."""
    kept = kept_through_rebuild(ctx)
    for before, after in kept:
        if before.partition_bound == after.partition_bound:  # else its own change does it
            detach_partition(ctx, before, None)
            attach_partition(ctx, after, None)
        # Its indexes and keys are its own once detached: each that the plan keeps as it is
        # joins the new table's (one created again is attached by its own CREATE).
        owned: list[model.Index | model.Constraint] = [*ctx.new.indexes_of(after.id),
                                                       *ctx.new.constraints_of(after.id)]
        for obj in owned:
            if obj.attached_to is not None and ctx.old.objects.get(obj.id) == obj:
                attach_index(ctx, obj.attached_to, obj.id, None)
    for parent in sorted(ctx.rebuilt_tables, key=ObjectId.sort_key):
        attached = [attached_id(after.id) for _, after in kept if after.partition_of == parent]
        if attached:
            resume_identities(ctx, parent, attached)
