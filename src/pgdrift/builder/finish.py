"""The last step of a build: privileges replayed over PostgreSQL's defaults, the implicit
``public`` schema, and a deterministic object order."""

from __future__ import annotations

import functools

from pgdrift import ids, model
from pgdrift._evolve import evolve
from pgdrift.builder.context import AclOp, BuildContext
from pgdrift.ids import ObjectId
from pgdrift.pg.privileges import (
    COLUMN_PRIVILEGES,
    DEFAULT_PRIVILEGE_KIND,
    OWNER_DEFAULT,
    PUBLIC_DEFAULT,
)

# What ALL means and the owner's defaults per kind; columns have no defaults but ALL.
_ALL: dict[str, tuple[str, ...]] = {**OWNER_DEFAULT, ids.COLUMN: COLUMN_PRIVILEGES}
_PUBLIC_DEFAULT = PUBLIC_DEFAULT
_DEFAULT_PRIVILEGE_KIND = DEFAULT_PRIVILEGE_KIND
_SPELLING = {"TEMP": "TEMPORARY"}

PUBLIC_SCHEMA = ObjectId(ids.SCHEMA, None, "public")


def add_implicit_objects(ctx: BuildContext) -> None:
    """initdb creates schema public; pg_dump never writes CREATE SCHEMA public for it, but
    comments and grants on it. Since PostgreSQL 15 it belongs to pg_database_owner and PUBLIC
    may only USE it."""
    ctx.objects[PUBLIC_SCHEMA] = model.Namespace(
        id=PUBLIC_SCHEMA, owner="pg_database_owner", comment="standard public schema"
    )
    ctx.implicit.add(PUBLIC_SCHEMA)
    ctx.acl_ops.setdefault(PUBLIC_SCHEMA, []).insert(0, AclOp(True, ("USAGE",), ("PUBLIC",), False))


def finish(ctx: BuildContext) -> dict[ObjectId, model.DbObject]:
    objects = ctx.objects
    if PUBLIC_SCHEMA not in ctx.implicit:
        # An explicit CREATE SCHEMA public replaced the implicit one: its ACL starts afresh.
        ops = ctx.acl_ops.get(PUBLIC_SCHEMA, [])
        if ops and ops[0] == AclOp(True, ("USAGE",), ("PUBLIC",), False):
            ops.pop(0)
    _apply_privileges(ctx)
    # Sorted as (key, id, object) triples, the keys being unique: no id is hashed again to
    # find its object (37,000 lookups in a large dump).
    ordered = sorted([(oid.sort_key(), oid, obj) for oid, obj in objects.items()])
    return {oid: obj for _, oid, obj in ordered}


def _apply_privileges(ctx: BuildContext) -> None:
    back_to_default = []
    for oid, obj in ctx.objects.items():
        ops = ctx.acl_ops.get(oid, ())
        kind = _acl_kind(obj)
        if kind is None or (not ops and kind not in _ALL):
            continue
        acl = _default_acl(obj, kind)
        start = set(acl)
        if isinstance(obj, model.DefaultPrivileges):
            kind = _DEFAULT_PRIVILEGE_KIND[obj.object_type]
        owner = getattr(obj, "owner", None)
        for op in ops:
            _apply(acl, op, _ALL.get(kind, ()), owner)
        external = isinstance(obj, model.ExternalObject) and obj.comment is None
        if (external or isinstance(obj, model.DefaultPrivileges)) and acl == start:
            # Default privileges back to what they are without an entry: PostgreSQL deletes
            # the pg_default_acl row (SetDefaultACL); an object the script did not create,
            # known only by its privileges, whose ACL is its default again: nothing to dump.
            back_to_default.append(oid)
        ctx.objects[oid] = evolve(obj, privileges=tuple(sorted(acl, key=_privilege_key)))
    for oid in back_to_default:
        del ctx.objects[oid]
    # Column privileges hang off the columns inside their tables.
    for oid, ops in ctx.acl_ops.items():
        if oid.kind != ids.COLUMN:
            continue
        table = next(
            (t for k in (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW)
             if (t := ObjectId(k, oid.schema, oid.parent or "")) in ctx.objects),
            None,
        )  # fmt: skip
        if table is None:
            ctx.warn(f"privileges on {oid}, whose table is not in the input")
            continue
        column_acl: set[model.Privilege] = set()
        relation = ctx.objects[table]
        for op in ops:
            _apply(column_acl, op, _ALL[ids.COLUMN], relation.owner)
        if isinstance(relation, (model.View, model.MaterializedView)):
            others = tuple(cp for cp in relation.column_privileges if cp[0] != oid.name)
            merged = others + tuple((oid.name, p) for p in sorted(column_acl, key=_privilege_key))
            ctx.update(table, column_privileges=tuple(sorted(merged)))
        else:
            ctx.update_column(
                table, oid.name, privileges=tuple(sorted(column_acl, key=_privilege_key))
            )


def current_acl(ctx: BuildContext, oid: ObjectId) -> set[model.Privilege]:
    """The ACL of ``oid`` with the GRANTs and REVOKEs read so far (a default privileges
    entry's, when an object is created under it)."""
    obj = ctx.objects[oid]
    kind = _acl_kind(obj)
    if kind is None:
        return set()
    acl = _default_acl(obj, kind)
    if isinstance(obj, model.DefaultPrivileges):
        kind = _DEFAULT_PRIVILEGE_KIND[obj.object_type]
    for op in ctx.acl_ops.get(oid, ()):
        _apply(acl, op, _ALL.get(kind, ()), getattr(obj, "owner", None))
    return acl


# Privilege is frozen: one instance per (grantee, privilege, grantable, grantor) serves every
# ACL.
_privilege = functools.lru_cache(maxsize=4096)(model.Privilege)


def builtin_acl(kind: str, owner: str | None) -> set[model.Privilege]:
    """The ACL PostgreSQL gives a new object of ``kind`` when no default privileges apply."""
    acl = {_privilege("PUBLIC", p) for p in _PUBLIC_DEFAULT.get(kind, ())}
    if owner is not None:
        acl |= {_privilege(owner, p) for p in _ALL.get(kind, ())}
    return acl


def _privilege_key(privilege: model.Privilege) -> tuple[str, str, bool, str]:
    # A plain tuple key: attrs' generated ordering is ten times slower on 100,000 entries.
    return (privilege.grantee, privilege.privilege, privilege.grantable, privilege.grantor)


def _acl_kind(obj: model.DbObject) -> str | None:
    if isinstance(obj, model.DefaultPrivileges):
        return ids.DEFAULT_PRIVILEGES
    return obj.kind if obj.kind in _ALL else None


def _default_acl(obj: model.DbObject, kind: str) -> set[model.Privilege]:
    if isinstance(obj, model.DefaultPrivileges):
        # Global default privileges are relative to the built-in defaults for the role;
        # per-schema ones start empty (docs: ALTER DEFAULT PRIVILEGES).
        if obj.in_schema is not None:
            return set()
        target = _DEFAULT_PRIVILEGE_KIND[obj.object_type]
        owner, public = _ALL[target], _PUBLIC_DEFAULT.get(target, ())
        role = obj.role
    else:
        owner, public = _ALL[kind], _PUBLIC_DEFAULT.get(kind, ())
        role = obj.owner  # type: ignore[assignment]
    acl = {_privilege("PUBLIC", p) for p in public}
    if role is not None:
        acl |= {_privilege(role, p) for p in owner}
    return acl


def _apply(
    acl: set[model.Privilege], op: AclOp, all_privileges: tuple[str, ...], owner: str | None
) -> None:
    privileges = [_SPELLING.get(p, p) for p in op.privileges] or list(all_privileges)
    # The owner granting under its own name (SET ROLE owner) grants as the owner.
    grantor = "" if op.grantor == owner else op.grantor
    for grantee in op.grantees:
        for privilege in privileges:
            plain = _privilege(grantee, privilege, False, grantor)
            grantable = _privilege(grantee, privilege, True, grantor)
            if not op.grant and op.cascade and grantable in acl:
                _revoke_granted_by(acl, grantee, privilege)
            if op.grant:
                if op.grant_option:
                    acl.discard(plain)
                    acl.add(grantable)
                elif grantable not in acl:
                    acl.add(plain)
            elif op.grant_option:
                # REVOKE GRANT OPTION FOR keeps the privilege itself.
                if grantable in acl:
                    acl.discard(grantable)
                    acl.add(plain)
            else:
                acl.discard(plain)
                acl.discard(grantable)


def _revoke_granted_by(acl: set[model.Privilege], grantor: str, privilege: str) -> None:
    """REVOKE ... CASCADE: the grants ``grantor`` made with the option it loses go too, and
    theirs in turn (docs: REVOKE, "dependent privileges")."""
    for entry in [p for p in acl if p.grantor == grantor and p.privilege == privilege]:
        acl.discard(entry)
        if entry.grantable:
            _revoke_granted_by(acl, entry.grantee, privilege)
