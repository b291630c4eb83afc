"""From a change set to the statements of a plan, before they are ordered.

Each change goes to the builders registered for its object's class (CREATE, DROP, ALTER, or a
special replacement), through :mod:`pgdrift.planner.objects`, which also handles owners,
comments, privileges and security labels for every kind alike. Three things cut across
changes:

* **Replacements cascade.** When an object must be dropped and created again (a view whose
  columns change, a function whose return type changes, an enum that loses a label), every
  object that depends on it, found through the old schema's dependency graph, is dropped
  first and created again after, from its new definition. A column type change does the same
  for the views, rules, policies, triggers and routine bodies that use the column, which
  PostgreSQL refuses to keep across the change. A table that depends on a replaced type or
  function keeps its data: its columns are converted and its defaults set again (see
  :mod:`pgdrift.planner.cascades`).
* **A rename carries its dependents.** The constraints, triggers and policies of a renamed
  table, the indexes on it, and every definition naming a renamed column follow the rename
  (see :mod:`pgdrift.planner.renames`); they are not dropped and created again.
* **Drops implied by other drops disappear.** DROP TABLE takes the table's indexes,
  constraints, triggers, policies and owned sequences with it; their own DROP statements are
  left out, unless one must run earlier to free something else being dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift._gc_pause import gc_paused
from pgdrift.differ.changes import (
    NOT_TRANSACTIONAL,
    Altered,
    Change,
    ChangeSet,
    Created,
    Dropped,
    Renamed,
    Replaced,
)
from pgdrift.errors import PlanError
from pgdrift.ids import ObjectId
from pgdrift.pg.hazards import ordered_hazards
from pgdrift.planner.attachments import reattach_through_rebuilds
from pgdrift.planner.cascades import cascade as find_cascade
from pgdrift.planner.catalog import republish_tables
from pgdrift.planner.column_order import warn_column_order
from pgdrift.planner.columns import (
    add_column,
    alter_column,
    drop_column,
    rename_column,
    through_type,
)
from pgdrift.planner.context import (
    DROP_PHASE,
    TABLE_KINDS,
    Action,
    PlanContext,
)
from pgdrift.planner.handlers import REPLACE, lookup
from pgdrift.planner.objects import alter_object, create_object, drop_object, rename_object
from pgdrift.planner.order import order_actions
from pgdrift.planner.partitions import (
    detached_id,
    partition_detached,
    rebuilt_for_key_types,
    without_inherited,
)
from pgdrift.planner.renames import unneeded_changes
from pgdrift.planner.sequences import keep_owned_sequences
from pgdrift.planner.steps import Plan, Step
from pgdrift.planner.tables import column_extras
from pgdrift.planner.user_types import domains_rebuilt_for_containers
from pgdrift.schema import Schema


def plan_changes(
    changes: ChangeSet, *, concurrently: bool = False, not_valid: bool = False
) -> Plan:
    # Planning allocates tens of thousands of small objects while two whole schemas sit in
    # memory: each full garbage collection walks all of them, for nothing (planning makes no
    # reference cycles worth collecting). Without it, a 5,000-table plan takes a third as long.
    # Not frozen afterwards: planning leaves short-lived garbage behind, unlike loading.
    with gc_paused(freeze=False):
        return _plan(changes, concurrently=concurrently, not_valid=not_valid)


def _plan(changes: ChangeSet, *, concurrently: bool, not_valid: bool) -> Plan:
    old = changes.old if isinstance(changes.old, Schema) else _schema_of(changes, "before")
    new = changes.new if isinstance(changes.new, Schema) else _schema_of(changes, "after")
    ctx = PlanContext(changes, old, new, concurrently=concurrently, not_valid=not_valid,
                      added_enum_labels=_added_enum_labels(changes))  # fmt: skip
    listed = list(changes)
    # Changes that ALTER cannot make in place here become replacements (a domain first: a
    # partition key column of one replaced rebuilds its table).
    for rebuilt_for in (domains_rebuilt_for_containers, rebuilt_for_key_types):
        rebuilds = rebuilt_for(listed, old, new)
        swapped = {c.id for c in rebuilds}
        listed = [*(c for c in listed if c.id not in swapped), *rebuilds]
    for change in listed:
        if isinstance(change, Renamed):
            ctx.renamed[change.id] = change.new_id
            if change.kind in TABLE_KINDS:
                ctx.column_tables.update((change.id, change.new_id))
        if change.kind == ids.COLUMN:
            ctx.column_tables.update(ObjectId(kind, change.id.schema, change.id.parent or "")
                                     for kind in TABLE_KINDS)  # fmt: skip
        if change.kind in TABLE_KINDS and isinstance(change, (Created, Replaced)):
            ctx.created_tables.add(change.id)
        if change.kind in TABLE_KINDS and isinstance(change, (Dropped, Replaced)):
            ctx.dropped_tables.add(change.id)
    # A rebuilt table's column changes go first, so that a partition it keeps (detached and
    # attached again) changes its own columns rather than leave it to the parent's ALTER.
    rebuilt = _made_by_rebuilds(listed)
    rebuilt_tables = frozenset(c.id for c in listed
                               if isinstance(c, Replaced) and c.kind in TABLE_KINDS)  # fmt: skip
    ctx.rebuilt_tables = rebuilt_tables
    planned = without_inherited([c for c in listed if id(c) not in rebuilt], old, new,
                                rebuilt_tables)  # fmt: skip
    skipped = unneeded_changes(planned, ctx.renamed)
    cascade = find_cascade(ctx, [c for c in planned if id(c) not in skipped])
    warn_column_order(ctx, planned)
    handled: set[ObjectId] = set()
    for change in sorted(planned, key=lambda c: _emission_key(ctx, c)):
        if id(change) in skipped:
            continue
        handled.add(change.id)
        start = len(ctx.actions)
        _plan_change(ctx, change, cascade)
        _note_enum_labels(ctx, start, change.after)
    for oid in sorted(cascade, key=ObjectId.sort_key):
        if oid not in handled:
            start = len(ctx.actions)
            _recreate(ctx, oid, None, cascade[oid])
            _note_enum_labels(ctx, start, ctx.new.objects.get(oid))
    republish_tables(ctx)
    reattach_through_rebuilds(ctx)
    ordered = _order(ctx.actions)
    _commit_new_enum_labels(ordered)
    return _finish(changes, ordered, ctx.warnings)


def _made_by_rebuilds(changes: list[Change]) -> set[int]:
    """The column changes of tables the plan drops and creates again (a partition key that
    changes, a plain table that becomes partitioned): DROP TABLE takes the old columns and
    CREATE TABLE writes the new ones. Planned alone they would run against the old table, where
    PostgreSQL refuses some outright ("cannot drop column ... because it is part of the
    partition key"), or add a column the new table already has."""
    rebuilt = {(c.id.schema, c.id.name) for c in changes
               if isinstance(c, Replaced) and c.kind in TABLE_KINDS}  # fmt: skip
    return {id(c) for c in changes
            if c.kind == ids.COLUMN and (c.id.schema, c.id.parent) in rebuilt}  # fmt: skip


def _added_enum_labels(changes: ChangeSet) -> frozenset[str]:
    """The labels ``ALTER TYPE ... ADD VALUE`` adds to enums that stay (see
    :func:`pgdrift.planner.user_types.alter_enum`)."""
    added: set[str] = set()
    for change in changes:
        if isinstance(change, (Altered, Renamed)) and isinstance(change.before, model.Enum) and (
            isinstance(change.after, model.Enum)
        ):
            added.update(set(change.after.labels) - set(change.before.labels))
    return frozenset(added)


def _note_enum_labels(ctx: PlanContext, start: int, obj: model.DbObject | None) -> None:
    """Record on the statements emitted since ``start`` which new enum labels the definition
    they write, ``obj``'s, uses (what is dropped uses nothing new)."""
    used = ctx.enum_labels_in(obj) if obj is not None else frozenset()
    if used:
        for action in ctx.actions[start:]:
            if action.phase != DROP_PHASE:
                action.uses_enum_labels = action.uses_enum_labels | used


def _emission_key(ctx: PlanContext, change: Change) -> tuple[Any, ...]:
    """Changes in id order, except that a table's column changes follow its new column order
    (ties between statements are broken by emission order, so ADD COLUMN keeps it)."""
    if change.kind == ids.COLUMN and not isinstance(change, Dropped):
        new_id = _new_id(change)
        container = ctx.container(new_id, 1)
        columns = getattr(container, "columns", None)
        if isinstance(columns, model.Columns) and new_id.name in columns:
            return (*change.id.sort_key()[:3], "", columns.position(new_id.name))
    return (*change.id.sort_key()[:3], change.id.name, 0)


def _schema_of(changes: ChangeSet, side: str) -> Schema:
    objects = {}
    for change in changes:
        obj = getattr(change, side)
        if obj is not None and obj.kind != ids.COLUMN:
            objects[obj.id] = obj
    return Schema(objects)


# One change ----------------------------------------------------------------------------------


def _plan_change(ctx: PlanContext, change: Change, cascade: dict[ObjectId, str]) -> None:
    if change.kind == ids.COLUMN:
        _plan_column(ctx, change)
        return
    if isinstance(change, Created):
        assert change.after is not None
        create_object(ctx, change.after, change)
    elif isinstance(change, Dropped):
        assert change.before is not None
        drop_object(ctx, change.before, change)
    elif isinstance(change, Replaced):
        assert change.before is not None
        assert change.after is not None
        replace = lookup(REPLACE, change.after)
        if replace is None or not replace(ctx, change, change.before, change.after):
            _recreate(ctx, change.id, change, f"{change.reason}: dropped and created again")
    elif change.id in cascade:
        _recreate(ctx, change.id, change, cascade[change.id])
    elif isinstance(change, Renamed):
        assert change.before is not None
        assert change.after is not None
        rename_object(ctx, change)
        alter_object(ctx, change, change.before, change.after)
    else:
        assert change.before is not None
        assert change.after is not None
        alter_object(ctx, change, change.before, change.after)


def _recreate(ctx: PlanContext, oid: ObjectId, change: Change | None, why: str) -> None:
    """DROP the old definition and CREATE the new one."""
    before = change.before if change is not None else ctx.old.objects.get(oid)
    after = change.after if change is not None else ctx.new.objects.get(oid)
    if before is None or after is None:
        return
    if isinstance(before, model.Unsupported) or isinstance(after, model.Unsupported):
        ctx.warn(f"{oid}: a statement pgdrift does not model changed; apply it by hand")
        return
    # A domain over a replaced type (changing itself or not): its columns are converted
    # (replace_type) rather than dropped with it.
    replace = lookup(REPLACE, after)
    if replace is not None and replace(ctx, change, before, after):
        return
    if before.kind in TABLE_KINDS:
        ctx.dropped_tables.add(before.id)
        keep_owned_sequences(ctx, before, after, change)
    drop_object(ctx, before, change, comment=why if change is None else None)
    create_object(ctx, after, change, comment=why)


# Columns ---------------------------------------------------------------------------------------


def _plan_column(ctx: PlanContext, change: Change) -> None:
    side = 0 if isinstance(change, Dropped) else 1
    # A column of a renamed table keeps the old table's name in its change id.
    column = change.before if side == 0 else change.after
    container = ctx.container(column.id if column is not None else change.id, side)
    if container is None:
        ctx.warn(f"{change.id}: the table it belongs to is not in the schema")
        return
    start = len(ctx.actions)
    _plan_column_steps(ctx, change, container)
    if isinstance(container, model.Table) and partition_detached(
        container.id, ctx.old, ctx.new, ctx.rebuilt_tables
    ):
        # A partition refuses ADD, DROP and ALTER COLUMN of what it inherits: its own column
        # changes wait until it is detached (and its ATTACH waits for them, needing its columns).
        waits = frozenset({detached_id(container.id)})
        for action in ctx.actions[start:]:
            action.needs |= waits


def _plan_column_steps(ctx: PlanContext, change: Change, container: model.DbObject) -> None:
    if isinstance(change, Created):
        assert isinstance(change.after, model.Column)
        if not through_type(ctx, container):
            add_column(ctx, container, change.after, change)
        elif isinstance(container, model.Table):  # added by the type's ADD ATTRIBUTE CASCADE
            column_extras(ctx, container, change.after, change)
    elif isinstance(change, Dropped):
        assert isinstance(change.before, model.Column)
        if not through_type(ctx, container):  # else by the type's DROP ATTRIBUTE CASCADE
            drop_column(ctx, container, change.before, change)
    else:
        before, after = change.before, change.after
        assert isinstance(before, model.Column)
        assert isinstance(after, model.Column)
        renamed = None
        if isinstance(change, Renamed):
            renamed = rename_column(ctx, container, before, after, change)
        alter_column(ctx, container, before, after, change.details, change=change,
                     renamed=renamed)  # fmt: skip


def _new_id(change: Change) -> ObjectId:
    return change.new_id if isinstance(change, Renamed) else change.id


# Implied drops ------------------------------------------------------------------------------


def _order(actions: list[Action]) -> list[Action]:
    """Leave out every implied drop and order the rest; if that leaves a cycle (a child that
    must go before something else its parent's DROP would have to wait for), keep the drops
    that free anything else explicit, and order again."""
    saved = [(a.frees, a.removes, a.dropped) for a in actions]
    _leave_out_implied_drops(actions, strict=False)
    try:
        return order_actions(actions)
    except PlanError:
        for action, (frees, removes, dropped) in zip(actions, saved, strict=True):
            action.frees, action.removes, action.dropped = frees, removes, dropped
        _leave_out_implied_drops(actions, strict=True)
        return order_actions(actions)


def _leave_out_implied_drops(actions: list[Action], *, strict: bool) -> None:
    removed_by: dict[ObjectId, Action] = {}
    for action in actions:
        if not action.dropped and action.destroys:  # a rename takes nothing with it
            # A step that makes again what it removes (ALTER COLUMN ... TYPE) keeps it, and
            # what dropping it would take along (the column's sequence) stays.
            for oid in action.removes - action.makes:
                removed_by.setdefault(oid, action)
    pending = [a for a in actions if a.implied_by and not a.dropped]
    changed = True
    while changed:
        changed = False
        for action in pending:
            if action.dropped:
                continue
            owners = [removed_by[oid] for oid in action.implied_by if oid in removed_by]
            owners = [o for o in owners if o is not action and not o.dropped]
            if not owners:
                continue
            owner = owners[0]
            allowed = {id(o) for o in owners} | {id(action)}
            if strict and any(oid in removed_by and id(removed_by[oid]) not in allowed
                              and oid not in owner.frees for oid in action.frees):  # fmt: skip
                continue  # it must run earlier, to free something else that goes
            action.dropped = True
            owner.frees = owner.frees | (action.frees - owner.removes)
            owner.removes = owner.removes | action.removes
            for oid in action.removes:
                removed_by[oid] = owner
            changed = True


# Finishing ------------------------------------------------------------------------------------


def _commit_new_enum_labels(ordered: list[Action]) -> None:
    """A label added with ALTER TYPE ... ADD VALUE cannot be used before the transaction that
    added it commits (docs: ALTER TYPE, Notes): such a step runs on its own when a later
    statement uses the label."""
    used_later: set[str] = set()
    for action in reversed(ordered):
        if action.adds_enum_label in used_later:
            action.transactional = False
            action.hazards = (*action.hazards, NOT_TRANSACTIONAL)
        used_later.update(action.uses_enum_labels)


def _finish(changes: ChangeSet, ordered: list[Action], warnings: Iterable[str]) -> Plan:
    hazards: dict[int, set[str]] = {}
    for action in ordered:
        if action.change is not None:
            hazards.setdefault(id(action.change), set()).update(action.hazards)
    filled: dict[int, Any] = {}
    new_changes = []
    for change in changes:
        found = hazards.get(id(change))
        updated = change
        if found:
            updated = attrs.evolve(change, hazards=ordered_hazards(found))
        filled[id(change)] = updated
        new_changes.append(updated)
    steps = tuple(
        Step(sql=a.sql, change=filled.get(id(a.change)) if a.change is not None else None,
             hazards=a.hazards, transactional=a.transactional, comment=a.comment,
             adds_enum_label=a.adds_enum_label, uses_enum_labels=a.uses_enum_labels,
             creates_routine_body=a.creates_routine_body)
        for a in ordered if a.sql
    )  # fmt: skip
    settings: tuple[str, ...] = ()
    if any(step.creates_routine_body for step in steps):
        # The body of a LANGUAGE sql routine is checked against the tables it reads when it is
        # created, unless check_function_bodies is off (docs: check_function_bodies).
        settings = ("SET check_function_bodies = false",)
    return Plan(steps, attrs.evolve(changes, changes=tuple(new_changes)), tuple(warnings),
                settings)  # fmt: skip

