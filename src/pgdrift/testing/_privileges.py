"""Privilege assertions: what a role holds on an object, granted directly, to PUBLIC or (for a
pg_dumpall input) through the roles it inherits from."""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import model
from pgdrift.pg.privileges import OWNER_DEFAULT
from pgdrift.schema import Schema
from pgdrift.testing._lookups import (
    _fail_mismatches,
    _label,
    _names,
    _quote,
    _require,
    _suggest,
)

# TEMP is accepted for TEMPORARY in GRANT; ACLs print it as T.
_PRIVILEGE_ALIASES = {"TEMP": "TEMPORARY"}


def _privilege_names(kind: str, privileges: str | Iterable[str]) -> tuple[str, ...]:
    names: list[str] = []
    for item in _names(privileges):
        word = _PRIVILEGE_ALIASES.get(item.upper().strip(), item.upper().strip())
        if word in ("ALL", "ALL PRIVILEGES"):
            names.extend(OWNER_DEFAULT.get(kind, ()))
        else:
            names.append(word)
    return tuple(sorted(set(names)))


def _roles_of(schema: Schema, role: str) -> tuple[set[str], bool]:
    """The roles whose privileges ``role`` uses, and whether it is a superuser.

    Known only for a pg_dumpall input (which holds the roles); otherwise just ``role``.
    """
    roles = {role, "PUBLIC"}
    found = schema.roles.get(role)
    if found is None:
        return roles, False
    if found.superuser:
        return roles, True
    # A role uses the privileges of the roles it is a member of only while it has INHERIT, and
    # each NOINHERIT role on the way stops the chain (docs: "Role Membership").
    todo = [found] if found.inherit else []
    while todo:
        current = todo.pop()
        for parent, _admin in current.member_of:
            if parent in roles:
                continue
            roles.add(parent)
            parent_role = schema.roles.get(parent)
            if parent_role is not None and parent_role.inherit:
                todo.append(parent_role)
    return roles, False


def _held(schema: Schema, obj: model.DbObject, role: str) -> tuple[set[str], bool]:
    roles, superuser = _roles_of(schema, role)
    return {p.privilege for p in obj.privileges if p.grantee in roles}, superuser


def assert_privilege(
    schema: Schema, kind: str, name: str, role: str, privileges: str | Iterable[str]
) -> None:
    """``role`` holds every one of ``privileges`` on the object, granted to it, to PUBLIC or
    (for a pg_dumpall input) to a role it inherits from, like PostgreSQL's
    ``has_table_privilege()``. ``"ALL"`` means every privilege of the kind.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (); GRANT SELECT ON public.t TO reader;")
        >>> assert_privilege(s, "table", "t", "reader", "select")
        >>> assert_privilege(s, "table", "t", "reader", ["SELECT", "DELETE"])
        Traceback (most recent call last):
        ...
        AssertionError: table public.t: expected reader to hold DELETE, found reader holds SELECT
    """
    obj = _require(schema, kind, name)
    wanted = _privilege_names(obj.kind, privileges)
    held, superuser = _held(schema, obj, role)
    missing = [p for p in wanted if p not in held]
    if missing and not superuser:
        _fail_no_role(obj, role)
        found = f"{role} holds {', '.join(sorted(held))}" if held else f"{role} holds nothing"
        _fail_mismatches(
            f"{_label(obj.kind)} {obj.qualified_name}",
            [(f"{role} to hold {', '.join(missing)}", found)],
        )


def _fail_no_role(obj: model.DbObject, role: str) -> None:
    grantees = {p.grantee for p in obj.privileges}
    if role not in grantees and "PUBLIC" not in grantees:
        close = _suggest(role, grantees)
        if close:
            raise AssertionError(
                f"no privileges for role {_quote(role)} on {_label(obj.kind)} "
                f"{obj.qualified_name}{close}"
            )


def assert_no_privilege(
    schema: Schema, kind: str, name: str, role: str, privileges: str | Iterable[str]
) -> None:
    """``role`` holds none of ``privileges`` on the object (by grant, PUBLIC or inheritance).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (); GRANT ALL ON public.t TO web;")
        >>> assert_no_privilege(s, "table", "t", "web", "DELETE")
        Traceback (most recent call last):
        ...
        AssertionError: table public.t: expected web not to hold DELETE, found DELETE granted to web
    """
    obj = _require(schema, kind, name)
    wanted = _privilege_names(obj.kind, privileges)
    roles, superuser = _roles_of(schema, role)
    if superuser:
        found = f"{role} is a superuser"
    else:
        by_grantee: dict[str, list[str]] = {}
        for p in obj.privileges:
            if p.grantee in roles and p.privilege in wanted:
                by_grantee.setdefault(p.grantee, []).append(p.privilege)
        if not by_grantee:
            return
        found = "; ".join(
            f"{', '.join(sorted(set(privs)))} granted to {grantee}"
            for grantee, privs in sorted(by_grantee.items())
        )
    _fail_mismatches(
        f"{_label(obj.kind)} {obj.qualified_name}",
        [(f"{role} not to hold {', '.join(wanted)}", found)],
    )


def assert_privileges_are(
    schema: Schema, kind: str, name: str, role: str, privileges: str | Iterable[str]
) -> None:
    """The privileges granted to ``role`` itself on the object are exactly ``privileges``
    (pgTAP ``table_privs_are``). An empty list means none.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (); GRANT SELECT, UPDATE ON public.t TO web;")
        >>> assert_privileges_are(s, "table", "t", "web", ["SELECT"])
        Traceback (most recent call last):
        ...
        AssertionError: table public.t: expected web to be granted SELECT, found SELECT, UPDATE
    """
    obj = _require(schema, kind, name)
    wanted = _privilege_names(obj.kind, privileges)
    granted = tuple(sorted({p.privilege for p in obj.privileges if p.grantee == role}))
    if wanted != granted:
        if not granted:
            _fail_no_role(obj, role)
        _fail_mismatches(
            f"{_label(obj.kind)} {obj.qualified_name}",
            [(f"{role} to be granted {', '.join(wanted) or 'nothing'}",
              ", ".join(granted) or "nothing")],
        )  # fmt: skip
