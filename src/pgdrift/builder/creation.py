"""What PostgreSQL gives an object as it is created: its owner, the role creating it, and the
privileges ``ALTER DEFAULT PRIVILEGES`` set for that role (globally and in the object's
schema) at that moment (docs: ALTER DEFAULT PRIVILEGES). A later ALTER DEFAULT PRIVILEGES
leaves existing objects alone, so this runs after each statement, on what it created.
"""

from __future__ import annotations

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import AclOp, BuildContext
from pgdrift.builder.finish import builtin_acl, current_acl
from pgdrift.ids import ObjectId
from pgdrift.pg.privileges import DEFAULT_PRIVILEGE_TYPES, UNOWNED_KINDS

__all__ = ["give_awaited_defaults", "give_creation_defaults", "owner_given"]

_NEVER_OWNED = UNOWNED_KINDS | {ids.ROLE}


def give_creation_defaults(ctx: BuildContext) -> None:
    """Owner and default privileges of the objects the last statement created."""
    created, ctx.created = ctx.created, []
    role = ctx.current_role
    has_defaults = ctx.default_privileges_set
    for oid in created:
        obj = ctx.objects.get(oid)
        if obj is None or oid.kind in _NEVER_OWNED:
            continue
        if obj.owner is None and role is not None:
            obj = attrs.evolve(obj, owner=role)
            ctx.objects[oid] = obj
        if has_defaults and oid.kind in DEFAULT_PRIVILEGE_TYPES:
            if obj.owner is None and ctx.owners_create:
                ctx.awaiting_owner.add(oid)
            else:
                _apply_default_privileges(ctx, obj)


def owner_given(ctx: BuildContext, oid: ObjectId, previous: str | None = None) -> None:
    """OWNER TO of an object whose default privileges wait for its owner (``owners_create``):
    they are its new owner's. When the owner before (``previous``) is known and another role,
    the old owner's entries become the new owner's and merge with its own (aclnewowner): the
    new owner ends with the owner's privileges, whatever plain GRANTs and REVOKEs named it
    before, so those no longer count in the replay over the final owner's defaults."""
    if oid in ctx.awaiting_owner:
        ctx.awaiting_owner.discard(oid)
        _apply_default_privileges(ctx, ctx.objects[oid])
    owner = getattr(ctx.objects[oid], "owner", None)
    ops = ctx.acl_ops.get(oid)
    if previous is None or owner is None or owner == previous or not ops:
        return
    if any(owner in op.grantees and op.grant_option for op in ops):
        return  # grant options merged in: not followed
    kept = [attrs.evolve(op, grantees=tuple(g for g in op.grantees if g != owner))
            for op in ops]  # fmt: skip
    ctx.acl_ops[oid] = [op for op in kept if op.grantees]


def give_awaited_defaults(ctx: BuildContext) -> None:
    """At the end: objects no OWNER TO named take the defaults of whoever ran the files."""
    for oid in sorted(ctx.awaiting_owner, key=ObjectId.sort_key):
        if oid in ctx.objects:
            _apply_default_privileges(ctx, ctx.objects[oid])
    ctx.awaiting_owner.clear()


def _apply_default_privileges(ctx: BuildContext, obj: model.DbObject) -> None:
    """The object's ACL starts as its owner's default privileges say: the global entry in
    place of the built-in defaults, plus the entry for its schema (pg_default_acl)."""
    object_type = DEFAULT_PRIVILEGE_TYPES[obj.kind]
    # Without a known owner, defaults set by whoever ran the files (CURRENT_USER) apply.
    role = obj.owner or "CURRENT_USER"
    global_entry = ObjectId(ids.DEFAULT_PRIVILEGES, None, f"{role}::{object_type}")
    schema_entry = ObjectId(
        ids.DEFAULT_PRIVILEGES, None, f"{role}:{obj.id.schema or ''}:{object_type}"
    )
    has_global = global_entry in ctx.objects
    has_schema = obj.kind != ids.SCHEMA and schema_entry in ctx.objects
    if not (has_global or has_schema):
        return
    base = builtin_acl(obj.kind, role)
    wanted = current_acl(ctx, global_entry) if has_global else set(base)
    if has_schema:
        wanted |= current_acl(ctx, schema_entry)
    ops = [AclOp(False, (p.privilege,), (p.grantee,), False) for p in sorted(base - wanted)]
    ops += [AclOp(True, (p.privilege,), (p.grantee,), p.grantable) for p in sorted(wanted - base)]
    if obj.owner is None:
        # The owner's own entries follow whoever owns it in the end, not a placeholder.
        ops = [op for op in ops if op.grantees != (role,)]
    ctx.acl_ops[obj.id] = [*ops, *ctx.acl_ops.get(obj.id, ())]
