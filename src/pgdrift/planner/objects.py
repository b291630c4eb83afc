"""One object of any kind, created, dropped, altered or renamed: the builder registered for
its class (:mod:`pgdrift.planner.handlers`) plus what every kind shares (owner, comment,
privileges, security labels, see :mod:`pgdrift.planner.attributes`).

Builders that make one object out of others (a type replaced around the columns that use it)
call these too, which is why they sit below :mod:`pgdrift.planner.compose`.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.differ.changes import Change, Renamed
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident
from pgdrift.planner import attributes, names
from pgdrift.planner.context import DROP_PHASE, TABLE_KINDS, Action, PlanContext, all_column_ids
from pgdrift.planner.handlers import ALTER, CREATE, DROP, lookup
from pgdrift.schema import Schema

_GENERIC_FIELDS = frozenset({"owner", "comment", "privileges", "security_labels"})


def create_object(
    ctx: PlanContext, obj: model.DbObject, change: Change | None, comment: str | None = None
) -> Action | None:
    """Every statement that creates ``obj`` as the new schema has it."""
    builder = lookup(CREATE, obj)
    main = None
    if builder is not None:
        main = builder(ctx, obj, change)
    elif not isinstance(obj, model.ExternalObject):
        ctx.warn(f"{obj.id}: pgdrift cannot write the CREATE statement of a {obj.kind}")
    if main is not None and comment:
        main.comment = comment
    if not isinstance(obj, (model.DefaultPrivileges, model.Unsupported)):
        start = len(ctx.actions)
        attributes.emit_new(ctx, obj, change)
        if isinstance(obj, model.ExternalObject):
            for action in ctx.actions[start:]:
                action.needs = action.needs | set(extensions_in(ctx.new, obj.schema))
    return main


def drop_object(
    ctx: PlanContext, obj: model.DbObject, change: Change | None, comment: str | None = None
) -> Action | None:
    """The statement that drops ``obj`` as the old schema has it."""
    builder = lookup(DROP, obj)
    if builder is not None:
        main = builder(ctx, obj, change)
    elif isinstance(obj, model.ExternalObject):
        # Not ours to drop (an extension's member): only its grants and comment go back.
        _reset_external(ctx, obj, change)
        return None
    else:
        main = ctx.emit(f"DROP {names.target(obj.id, obj)}", change=change, anchor=obj.id,
                        phase=DROP_PHASE, removes=(obj.id,), frees=ctx.old_deps(obj))  # fmt: skip
    if main is not None and comment:
        main.comment = comment
    return main


def _reset_external(ctx: PlanContext, obj: model.DbObject, change: Change | None) -> None:
    start = len(ctx.actions)
    default = attributes.default_acl(obj.kind, None)
    attributes.emit_privileges(ctx, obj.id, obj, set(obj.privileges), default, change=change)
    if obj.comment is not None:
        attributes.emit_comment(ctx, obj.id, obj, None, change)
    # The object belongs to an extension (most likely one in its schema): its grants go
    # before the extension does, and not at all when the extension itself is dropped.
    extensions = extensions_in(ctx.old, obj.schema)
    for action in ctx.actions[start:]:
        action.phase = DROP_PHASE
        action.needs = frozenset()
        action.frees = action.frees | set(extensions)
        action.implied_by = extensions


def extensions_in(schema: Schema, name: str | None) -> tuple[ObjectId, ...]:
    """The extensions installed in schema ``name``, sorted."""
    if name is None:
        return ()
    return tuple(sorted((e.id for e in schema.extensions.values() if e.in_schema == name),
                        key=ObjectId.sort_key))  # fmt: skip


def alter_object(
    ctx: PlanContext, change: Change, before: model.DbObject, after: model.DbObject
) -> None:
    """The statements for what ``change`` alters: the kind's own builder for its specific
    fields, the shared statements for owner, comment, privileges and security labels."""
    details = list(change.details)
    fields = {d.field.split(".")[0] for d in details}
    specific = [d for d in details if d.field.split(".")[0] not in _GENERIC_FIELDS]
    if specific:
        builder = lookup(ALTER, after)
        if builder is not None:
            builder(ctx, change, before, after, specific)
        else:
            listed = ", ".join(sorted({d.field.split(".")[0] for d in specific}))
            ctx.warn(f"{after.id}: pgdrift cannot plan a change of {listed}")
    if fields & _GENERIC_FIELDS:
        attributes.emit_altered(ctx, change, before, after, fields & _GENERIC_FIELDS)


def rename_object(ctx: PlanContext, change: Renamed) -> Action | None:
    """``ALTER ... RENAME TO`` for a confirmed rename; a renamed table's columns move along."""
    before, after = change.before, change.after
    assert before is not None
    assert after is not None
    old, new = change.id, change.new_id
    kind = old.kind
    if kind == ids.CONSTRAINT:
        table = names.relation(getattr(after, "table", None) or old)
        sql = (f"ALTER TABLE {table} RENAME CONSTRAINT {quote_ident(old.name)} "
               f"TO {quote_ident(new.name)}")  # fmt: skip
    elif kind in (ids.TRIGGER, ids.POLICY):
        sql = f"ALTER {names.target(old, before)} RENAME TO {quote_ident(new.name)}"
    elif kind in (ids.ENUM, ids.COMPOSITE_TYPE, ids.RANGE_TYPE, ids.BASE_TYPE, ids.DOMAIN):
        sql = f"ALTER {names.owner_target(old, before)} RENAME TO {quote_ident(new.name)}"
    else:
        sql = f"ALTER {names.target(old, before)} RENAME TO {quote_ident(new.name)}"
    makes, removes = [new], [old]
    if kind in TABLE_KINDS:
        makes += all_column_ids(after)
        removes += all_column_ids(before)
    action = ctx.emit(sql, change=change, anchor=new, makes=makes, removes=removes,
                      needs=(old,))  # fmt: skip
    action.destroys = False
    return action
