"""What every kind of object carries besides its definition: owner, comment, privileges and
security labels, for a new object and for a changed one.

Privileges are planned from the effective access control lists the model holds: revoke what
disappeared, grant what appeared. A new object starts with PostgreSQL's default ACL for its
kind and owner plus the default privileges (``ALTER DEFAULT PRIVILEGES``) the old schema gives
its owner, which assumes the script runs as the owner of what it creates, or as a superuser
creating objects for a role that has no default privileges of its own (then the new objects
get just the built-in defaults). Default privileges themselves change last, as pg_dump
restores them, so they never apply to what the script creates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from pgdrift import ids, model
from pgdrift.differ.changes import Change
from pgdrift.ids import ObjectId
from pgdrift.pg.extensions import control_comment
from pgdrift.pg.privileges import (
    DEFAULT_PRIVILEGE_KIND,
    DEFAULT_PRIVILEGE_TYPES,
    OWNER_DEFAULT,
    PUBLIC_DEFAULT,
    UNOWNED_KINDS,
)
from pgdrift.pg.quoting import quote_ident, quote_literal, quote_role
from pgdrift.planner import names
from pgdrift.planner.context import CREATE_PHASE, DROP_PHASE, LAST_PHASE, Action, PlanContext

_OWNER_DEFAULT = OWNER_DEFAULT
_PUBLIC_DEFAULT = PUBLIC_DEFAULT
_DEFAULT_PRIVILEGE_KIND = DEFAULT_PRIVILEGE_KIND
_DEFAULT_PRIVILEGE_TYPES = DEFAULT_PRIVILEGE_TYPES
_NO_OWNER = UNOWNED_KINDS


def owner_id(oid: ObjectId) -> ObjectId:
    """A stand-in id meaning "``oid`` belongs to its final owner", for ordering."""
    return ObjectId(f"owner of {oid.kind}", oid.schema, oid.name, oid.parent, oid.args)


def default_acl(kind: str, owner: str | None) -> set[model.Privilege]:
    """The ACL PostgreSQL gives a new object of ``kind`` owned by ``owner``."""
    acl = {model.Privilege("PUBLIC", p) for p in _PUBLIC_DEFAULT.get(kind, ())}
    if owner is not None:
        acl |= {model.Privilege(owner, p) for p in _OWNER_DEFAULT.get(kind, ())}
    return acl


def initial_acl(ctx: PlanContext, obj: model.DbObject) -> set[model.Privilege]:
    """The ACL ``obj`` has right after the script creates it (see the module docstring)."""
    kind = obj.kind
    owner = obj.owner
    acl = default_acl(kind, owner)
    object_type = _DEFAULT_PRIVILEGE_TYPES.get(kind)
    if object_type is None or owner is None:
        return acl
    defaults = ctx.old.objects
    # Global default privileges replace the built-in defaults; per-schema ones add to them.
    found = defaults.get(_default_privileges_id(owner, None, object_type))
    if found is not None:
        acl = set(found.privileges)
    schema = obj.schema if kind != ids.SCHEMA else None
    if schema is not None:
        found = defaults.get(_default_privileges_id(owner, schema, object_type))
        if found is not None:
            acl |= set(found.privileges)
    return acl


def _default_privileges_id(role: str, schema: str | None, object_type: str) -> ObjectId:
    return ObjectId(ids.DEFAULT_PRIVILEGES, None, f"{role}:{schema or ''}:{object_type}")


def has_owner(obj: model.DbObject) -> bool:
    if obj.kind in _NO_OWNER or obj.owner is None:
        return False
    # An identity sequence always belongs to its table's owner (ALTER SEQUENCE ... OWNER TO
    # refuses it); ALTER TABLE ... OWNER TO carries it along.
    return not (isinstance(obj, model.Sequence) and obj.identity_of is not None)


# New objects ---------------------------------------------------------------------------------


def emit_new(ctx: PlanContext, obj: model.DbObject, change: Change | None) -> None:
    """Owner, comment, security labels and privileges of an object the script creates."""
    oid = obj.id
    owner_step: Action | None = None
    if has_owner(obj):
        assert obj.owner is not None
        owner_step = ctx.emit(
            f"ALTER {names.owner_target(oid, obj)} OWNER TO {quote_role(obj.owner)}",
            change=change, anchor=oid, needs=(oid,), makes=(owner_id(oid),),
        )  # fmt: skip
    if obj.comment is not None:
        emit_comment(ctx, oid, obj, obj.comment, change)
    elif isinstance(obj, model.Extension) and control_comment(obj.name) is not None:
        # CREATE EXTENSION comments it from its control file; the target has no comment.
        emit_comment(ctx, oid, obj, None, change)
    for label in obj.security_labels:
        emit_label(ctx, oid, obj, label, change)
    before = initial_acl(ctx, obj) if obj.kind in _OWNER_DEFAULT else set()
    emit_privileges(ctx, oid, obj, before, set(obj.privileges), change=change,
                    owner_step=owner_step)  # fmt: skip


def emit_comment(
    ctx: PlanContext,
    oid: ObjectId,
    obj: model.DbObject | None,
    comment: str | None,
    change: Change | None,
    *,
    phase: int = CREATE_PHASE,
    needs: tuple[ObjectId, ...] | None = None,
) -> Action:
    text = "NULL" if comment is None else quote_literal(comment)
    return ctx.emit(f"COMMENT ON {names.target(oid, obj)} IS {text}", change=change,
                    anchor=oid, needs=(oid,) if needs is None else needs,
                    phase=phase)  # fmt: skip


def emit_label(
    ctx: PlanContext,
    oid: ObjectId,
    obj: model.DbObject | None,
    label: model.SecurityLabel,
    change: Change | None,
) -> Action:
    provider = f" FOR {quote_ident(label.provider)}" if label.provider else ""
    text = "NULL" if label.label is None else quote_literal(label.label)
    return ctx.emit(f"SECURITY LABEL{provider} ON {names.target(oid, obj)} IS {text}",
                    change=change, anchor=oid, needs=(oid,))  # fmt: skip


# Changed objects -----------------------------------------------------------------------------


def emit_altered(
    ctx: PlanContext,
    change: Change,
    before: model.DbObject,
    after: model.DbObject,
    fields: set[str],
) -> None:
    """The owner, comment, label and privilege parts of an alteration (``fields`` names the
    top-level fields that differ)."""
    oid = after.id
    owner_step: Action | None = None
    old_acl = set(before.privileges)
    carrier = _owner_carrier(ctx, before, after) if "owner" in fields else None
    if carrier is not None:
        # The table's ALTER TABLE ... OWNER TO hands this sequence (and its ACL entries) to the
        # new owner; an ALTER SEQUENCE ... OWNER TO of its own is refused ("cannot change owner
        # of sequence ...: Sequence is linked to table").
        old_acl = _with_new_owner(old_acl, before.owner, after.owner)
    elif "owner" in fields and has_owner(after):
        assert after.owner is not None
        owner_step = ctx.emit(
            f"ALTER {names.owner_target(oid, after)} OWNER TO {quote_role(after.owner)}",
            change=change, anchor=oid, needs=(oid,), makes=(owner_id(oid),),
        )  # fmt: skip
        # ALTER ... OWNER TO hands the old owner's ACL entries to the new owner (acl.c,
        # aclnewowner): plan the grants from the ACL as it is then.
        old_acl = _with_new_owner(old_acl, before.owner, after.owner)
    if "comment" in fields:
        emit_comment(ctx, oid, after, after.comment, change)
    if "security_labels" in fields:
        old_labels = {label.provider: label for label in before.security_labels}
        new_labels = {label.provider: label for label in after.security_labels}
        for provider in sorted(old_labels.keys() | new_labels.keys(), key=lambda p: p or ""):
            label = new_labels.get(provider, model.SecurityLabel(provider, None))
            if old_labels.get(provider) != label:
                emit_label(ctx, oid, after, label, change)
    if ("privileges" in fields or owner_step is not None) and not isinstance(
        after, model.DefaultPrivileges
    ):
        emit_privileges(ctx, oid, after, old_acl, set(after.privileges), change=change,
                        owner_step=owner_step,
                        owner_ready=owner_id(carrier) if carrier is not None else None)  # fmt: skip
        _regrant_columns(ctx, change, before, after, old_acl)
    if isinstance(after, model.DefaultPrivileges) and "privileges" in fields:
        assert isinstance(before, model.DefaultPrivileges)
        emit_default_privileges(ctx, after, set(before.privileges), set(after.privileges), change)


def _owner_carrier(
    ctx: PlanContext, before: model.DbObject, after: model.DbObject
) -> ObjectId | None:
    """The table whose owner change carries sequence ``after`` to its new owner: ALTER TABLE
    ... OWNER TO recurses to the sequences linked to the table, by identity or ``OWNED BY``
    (tablecmds.c, change_owner_recurse_to_sequences), giving them the table's new owner."""
    if not isinstance(before, model.Sequence) or not isinstance(after, model.Sequence):
        return None
    column = after.identity_of or after.owned_by
    if column is None or column != (before.identity_of or before.owned_by):
        return None
    old_table, new_table = ctx.container(column, 0), ctx.container(column, 1)
    if old_table is None or new_table is None or old_table.id != new_table.id:
        return None
    if old_table.owner == new_table.owner or new_table.owner != after.owner:
        return None
    return new_table.id


def _with_new_owner(
    acl: set[model.Privilege], old: str | None, new: str | None
) -> set[model.Privilege]:
    if old is None or new is None or old == new:
        return acl
    return {attrs.evolve(p, grantee=new) if p.grantee == old else p for p in acl}


def emit_privileges(
    ctx: PlanContext,
    oid: ObjectId,
    obj: model.DbObject,
    old: set[model.Privilege],
    new: set[model.Privilege],
    *,
    change: Change | None,
    owner_step: Action | None = None,
    owner_ready: ObjectId | None = None,
    column: str | None = None,
) -> None:
    """REVOKE what ``old`` has and ``new`` does not, then GRANT what is new (after
    ``owner_step``, or whatever makes ``owner_ready``, has given the object its new owner)."""
    target = names.grant_target(oid, obj)
    # A REVOKE of a table's privilege revokes it from every column too (docs: REVOKE), so a
    # table-level grant swapped for column-level ones must be revoked before they are granted.
    acl = ObjectId("relation privileges", oid.schema, oid.name)
    needs = [oid] if column is None else [oid, _column_id(oid, column), acl]
    if owner_ready is not None:
        needs.append(owner_ready)
    makes = [acl] if column is None else []
    after = [owner_step] if owner_step is not None else []
    for sql in privilege_statements(target, old, new, column=column):
        ctx.emit(sql, change=change, anchor=oid, needs=needs, makes=makes, after=after)


def column_acls(obj: model.DbObject) -> dict[str, set[model.Privilege]]:
    """Each column's privileges, for tables (on their columns) and views and matviews."""
    acls: dict[str, set[model.Privilege]] = {}
    columns = getattr(obj, "columns", None)
    if isinstance(columns, model.Columns):
        for column in columns.values():
            if column.privileges:
                acls[column.name] = set(column.privileges)
    for name, privilege in getattr(obj, "column_privileges", ()):
        acls.setdefault(name, set()).add(privilege)
    return acls


def _regrant_columns(
    ctx: PlanContext,
    change: Change,
    before: model.DbObject,
    after: model.DbObject,
    old_acl: set[model.Privilege],
) -> None:
    """Grant again the column privileges a table-level REVOKE takes away with it.

    "When revoking privileges on a table, the corresponding column privileges (if any) are
    automatically revoked on each column of the table, as well" (docs: REVOKE); the same goes
    for REVOKE GRANT OPTION FOR. A column privilege held before and after the change is not in
    the column's own diff, so without this it would be lost.
    """
    held_old = {(p.grantee, p.privilege): p.grantable for p in old_acl}
    held_new = {(p.grantee, p.privilege): p.grantable for p in after.privileges}
    revoked = {key for key in held_old if key not in held_new}
    option_revoked = {key for key, option in held_old.items() if option and key in held_new
                      and not held_new[key]}  # fmt: skip
    if not revoked and not option_revoked:
        return
    old_columns = column_acls(before)
    for column, acl in sorted(column_acls(after).items()):
        kept = acl & old_columns.get(column, set())
        lost = {p for p in kept if (p.grantee, p.privilege) in revoked
                or (p.grantable and (p.grantee, p.privilege) in option_revoked)}  # fmt: skip
        if lost:
            emit_privileges(ctx, after.id, after, set(), lost, change=change, column=column)


def privilege_statements(
    target: str, old: set[model.Privilege], new: set[model.Privilege], *, column: str | None = None
) -> Iterator[str]:
    """``REVOKE``/``GRANT`` statements turning ACL ``old`` into ``new`` on ``target``.

    >>> old = {model.Privilege("app", "SELECT")}
    >>> new = {model.Privilege("app", "SELECT", True), model.Privilege("PUBLIC", "SELECT")}
    >>> for statement in privilege_statements("TABLE public.t", old, new):
    ...     print(statement)
    GRANT SELECT ON TABLE public.t TO PUBLIC
    GRANT SELECT ON TABLE public.t TO app WITH GRANT OPTION
    """
    cols = f" ({quote_ident(column)})" if column is not None else ""
    grantors = sorted({p.grantor for p in old | new} - {""})
    revokes, grants = {}, {}
    for grantor in ["", *grantors]:
        statements = list(_grantor_statements(target, {p for p in old if p.grantor == grantor},
                                               {p for p in new if p.grantor == grantor}, cols))
        if grantor:
            # Only the grantor's own REVOKE takes its entry away, and GRANT records who runs
            # it (docs: GRANT, REVOKE): the statement runs as that role, which the role
            # running the migration must be able to SET ROLE to (a superuser can).
            statements = [f"SET ROLE {quote_role(grantor)};\n{s};\nRESET ROLE"
                          for s in statements]  # fmt: skip
        revokes[grantor] = [s for s in statements if "REVOKE " in s]
        grants[grantor] = [s for s in statements if "REVOKE " not in s]
    # What a grantee passed on goes before the owner revokes its grant option ("dependent
    # privileges exist"), and comes back after the owner gives it again.
    for grantor in [*grantors, ""]:
        yield from revokes[grantor]
    for grantor in ["", *grantors]:
        yield from grants[grantor]


def _grantor_statements(
    target: str, old: set[model.Privilege], new: set[model.Privilege], cols: str
) -> Iterator[str]:
    """The REVOKEs, then the GRANTs, between two ACLs of one grantor."""
    held_old = {(p.grantee, p.privilege): p.grantable for p in old}
    held_new = {(p.grantee, p.privilege): p.grantable for p in new}
    revoke: dict[str, list[str]] = {}
    revoke_option: dict[str, list[str]] = {}
    grant: dict[tuple[str, bool], list[str]] = {}
    for key in sorted(held_old.keys() | held_new.keys()):
        grantee, privilege = key
        if key not in held_new:
            revoke.setdefault(grantee, []).append(privilege)
        elif key not in held_old:
            grant.setdefault((grantee, held_new[key]), []).append(privilege)
        elif held_old[key] and not held_new[key]:
            revoke_option.setdefault(grantee, []).append(privilege)
        elif not held_old[key] and held_new[key]:
            grant.setdefault((grantee, True), []).append(privilege)
    for grantee, privileges in sorted(revoke.items()):
        yield f"REVOKE {_privilege_list(privileges, cols)} ON {target} FROM {quote_role(grantee)}"
    for grantee, privileges in sorted(revoke_option.items()):
        yield (f"REVOKE GRANT OPTION FOR {_privilege_list(privileges, cols)} ON {target} "
               f"FROM {quote_role(grantee)}")  # fmt: skip
    for (grantee, option), privileges in sorted(grant.items()):
        suffix = " WITH GRANT OPTION" if option else ""
        yield (f"GRANT {_privilege_list(privileges, cols)} ON {target} "
               f"TO {quote_role(grantee)}{suffix}")  # fmt: skip


def _privilege_list(privileges: Iterable[str], columns: str) -> str:
    return ", ".join(f"{p}{columns}" for p in sorted(privileges))


def _column_id(table: ObjectId, column: str) -> ObjectId:
    return ObjectId(ids.COLUMN, table.schema, column, parent=table.name)


# Default privileges ----------------------------------------------------------------------------


def default_privileges_baseline(obj: model.DefaultPrivileges) -> set[model.Privilege]:
    """What a role's default privileges are when none were ever altered: the built-in defaults
    for global entries, nothing for per-schema ones (docs: ALTER DEFAULT PRIVILEGES)."""
    if obj.in_schema is not None:
        return set()
    return default_acl(_DEFAULT_PRIVILEGE_KIND[obj.object_type], obj.role)


def emit_default_privileges(
    ctx: PlanContext,
    obj: model.DefaultPrivileges,
    old: set[model.Privilege],
    new: set[model.Privilege],
    change: Change | None,
    *,
    dropping: bool = False,
) -> None:
    """``ALTER DEFAULT PRIVILEGES ... GRANT/REVOKE`` turning ``old`` into ``new``: at the end
    of the script, after every object it creates, whether the entry is new, changed or goes
    away (``dropping``): the GRANTs of a new object are planned from the old schema's defaults
    (:func:`initial_acl`), so those must be the ones in force when its CREATE runs. Only an
    entry whose schema is dropped goes with the drops, before DROP SCHEMA."""
    prefix = "ALTER DEFAULT PRIVILEGES"
    if obj.role not in ("CURRENT_USER", "CURRENT_ROLE"):
        prefix += f" FOR ROLE {quote_role(obj.role)}"
    if obj.in_schema is not None:
        prefix += f" IN SCHEMA {quote_ident(obj.in_schema)}"
    target = obj.object_type.upper()
    # ALTER DEFAULT PRIVILEGES IN SCHEMA needs the schema: an entry whose schema the script
    # drops changes before DROP SCHEMA (and nothing is created in that schema meanwhile).
    schema_goes = any(s in ctx.old.objects and s not in ctx.new.objects
                      for s in _schema_need(obj))  # fmt: skip
    for sql in privilege_statements(target, old, new):
        # "REVOKE x ON TABLES FROM r" is written "REVOKE x ON TABLES FROM r" here too: only
        # the object words differ from GRANT on one object.
        if dropping:
            ctx.emit(f"{prefix} {sql}", change=change, anchor=obj.id,
                     phase=DROP_PHASE if schema_goes else LAST_PHASE,
                     frees=_schema_need(obj))  # fmt: skip
        else:
            ctx.emit(f"{prefix} {sql}", change=change, anchor=obj.id, phase=LAST_PHASE,
                     needs=_schema_need(obj))  # fmt: skip


def _schema_need(obj: model.DefaultPrivileges) -> tuple[ObjectId, ...]:
    if obj.in_schema is None:
        return ()
    return (ObjectId(ids.SCHEMA, None, obj.in_schema),)


def set_access_method(
    ctx: PlanContext, keyword: str, before: model.DbObject, after: model.DbObject,
    change: Change | None, *, hazards: tuple[str, ...] = (),
) -> None:  # fmt: skip
    """``ALTER TABLE|MATERIALIZED VIEW ... SET ACCESS METHOD``: None is heap, PostgreSQL's
    default (builder.context), so going back to it names heap. It goes after the new method
    is created and before the old one is dropped ("other objects depend on it")."""
    old, new = getattr(before, "access_method", None), getattr(after, "access_method", None)
    ctx.emit(f"ALTER {keyword} {names.relation(after.id)} SET ACCESS METHOD "
             f"{quote_ident(new or 'heap')}", change=change, anchor=after.id,
             needs=(after.id, *_method_ids(new)), frees=_method_ids(old),
             hazards=hazards)  # fmt: skip


def _method_ids(method: str | None) -> tuple[ObjectId, ...]:
    return (ObjectId(ids.ACCESS_METHOD, None, method),) if method else ()
