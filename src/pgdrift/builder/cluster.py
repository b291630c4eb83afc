"""Cluster-wide objects from ``pg_dumpall``: roles, role memberships and settings, databases
and tablespaces.

pg_dumpall writes each role as ``CREATE ROLE r;`` followed by ``ALTER ROLE r WITH <every
attribute>``, so the ALTER also works on a role that already exists (the bootstrap superuser,
which ``--binary-upgrade`` dumps do not CREATE). Databases ``postgres`` and ``template1`` exist
in every cluster and are only CREATEd by ``--clean`` dumps. An ALTER of a role or database the
input never created therefore describes one that exists implicitly: it is added with
PostgreSQL's defaults rather than reported as undefined.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, const_value, options_of
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.role_specs import role_name
from pgdrift.builder.routines import current_setting, setting, setting_name
from pgdrift.ids import ObjectId

# Role options (DefElem names) that are plain attributes of the role.
_ROLE_FLAGS = {
    "superuser": "superuser", "createdb": "createdb", "createrole": "createrole",
    "inherit": "inherit", "canlogin": "login", "isreplication": "replication",
    "bypassrls": "bypassrls",
}  # fmt: skip
# CREATE DATABASE options that steer the copy rather than describe the database (docs: CREATE
# DATABASE): which template, which strategy, which OID (binary upgrade).
_CREATE_ONLY = frozenset({"template", "strategy", "oid"})


# Roles -----------------------------------------------------------------------------------------


def _role(ctx: BuildContext, name: str) -> ObjectId:
    """The id of role ``name``, added with the defaults if the input never created it."""
    return _existing(ctx, ObjectId(ids.ROLE, None, name), model.Role)


def _existing(ctx: BuildContext, oid: ObjectId, cls: type[model.DbObject]) -> ObjectId:
    """Make sure ``oid`` is a ``cls``: one the input never created exists implicitly, with
    PostgreSQL's defaults and whatever a GRANT or COMMENT already said about it."""
    found = ctx.get(oid)
    if isinstance(found, cls):
        return oid
    kept = {field: getattr(found, field) for field in _KEPT} if found is not None else {}
    ctx.objects[oid] = cls(id=oid, **kept, **ctx.span_fields())
    ctx.implicit.add(oid)
    return oid


# What an object known only from GRANT or COMMENT (an ExternalObject) already carries.
_KEPT = ("owner", "comment", "privileges", "security_labels")


@handles("CreateRoleStmt")
def build_role(ctx: BuildContext, node: Node) -> None:
    oid = ObjectId(ids.ROLE, None, node["role"])
    # CREATE USER is CREATE ROLE with LOGIN (docs: CREATE USER).
    login = node.get("stmt_type") == "ROLESTMT_USER"
    ctx.add(model.Role(id=oid, login=login, **ctx.span_fields()))
    _apply_role_options(ctx, oid, node.get("options"), adding=True)


@handles("AlterRoleStmt")
def build_alter_role(ctx: BuildContext, node: Node) -> None:
    oid = _role(ctx, role_name(node["role"]))
    # ALTER GROUP g DROP USER u is action -1; everything else adds or sets.
    _apply_role_options(ctx, oid, node.get("options"), adding=node.get("action", 1) != -1)


def _apply_role_options(
    ctx: BuildContext, oid: ObjectId, options: Iterable[Node] | None, *, adding: bool
) -> None:
    changes: dict[str, Any] = {}
    for item in options or ():
        elem = item["DefElem"]
        key = elem["defname"]
        arg = elem.get("arg")
        if key in _ROLE_FLAGS:
            changes[_ROLE_FLAGS[key]] = bool(const_value(arg))
        elif key == "connectionlimit":
            changes["connection_limit"] = int(const_value(arg))
        elif key == "password":
            changes["password"] = const_value(arg)  # PASSWORD NULL has no argument
        elif key == "validUntil":
            changes["valid_until"] = const_value(arg)
        elif key == "addroleto":  # CREATE ROLE r IN ROLE g: r becomes a member of g
            for group in _role_list(arg):
                _grant_membership(ctx, oid.name, group, admin=False)
        elif key in ("rolemembers", "adminmembers"):
            # CREATE ROLE g ROLE m / ADMIN m, ALTER GROUP g ADD|DROP USER m.
            for member in _role_list(arg):
                if adding:
                    _grant_membership(ctx, member, oid.name, admin=key == "adminmembers")
                else:
                    _revoke_membership(ctx, member, oid.name, admin_only=False)
        elif key == "sysid":
            continue  # accepted and ignored since PostgreSQL 8.1
        else:
            raise NotModelled(f"role option {key} is not modelled")
    if changes:
        ctx.update(oid, **changes)


def _role_list(arg: Node | None) -> list[str]:
    return [role_name(item["RoleSpec"]) for item in (arg or {}).get("List", {}).get("items", ())]


def _grant_membership(ctx: BuildContext, member: str, group: str, *, admin: bool) -> None:
    oid = _role(ctx, member)
    role = ctx.objects[oid]
    assert isinstance(role, model.Role)
    memberships = dict(role.member_of)
    # Granted twice (by different grantors, PostgreSQL 16), the member holds the admin
    # option if either grant gave it; who granted is not compared.
    memberships[group] = memberships.get(group, False) or admin
    ctx.update(oid, member_of=tuple(sorted(memberships.items())))


def _revoke_membership(ctx: BuildContext, member: str, group: str, *, admin_only: bool) -> None:
    oid = _role(ctx, member)
    role = ctx.objects[oid]
    assert isinstance(role, model.Role)
    memberships = dict(role.member_of)
    if group in memberships:
        if admin_only:
            memberships[group] = False
        else:
            del memberships[group]
    ctx.update(oid, member_of=tuple(sorted(memberships.items())))


@handles("GrantRoleStmt")
def build_grant_role(ctx: BuildContext, node: Node) -> None:
    """``GRANT g TO m [WITH ADMIN OPTION] [GRANTED BY r]`` and its REVOKE."""
    admin = admin_named = False
    for item in node.get("opt") or ():
        elem = item["DefElem"]
        if elem["defname"] == "admin":
            # WITH ADMIN OPTION is admin = true; REVOKE ADMIN OPTION FOR says admin = false.
            admin_named = True
            admin = bool(const_value(elem.get("arg"))) if elem.get("arg") else True
        else:
            # INHERIT and SET options of a membership (PostgreSQL 16) are not modelled.
            raise NotModelled(f"role membership option {elem['defname']} is not modelled")
    groups = [g["AccessPriv"]["priv_name"] for g in node.get("granted_roles") or ()]
    members = [role_name(m["RoleSpec"]) for m in node.get("grantee_roles") or ()]
    for member in members:
        for group in groups:
            if node.get("is_grant"):
                _grant_membership(ctx, member, group, admin=admin)
            else:
                # REVOKE ADMIN OPTION FOR g FROM m keeps the membership itself.
                _revoke_membership(ctx, member, group, admin_only=admin_named)


@handles("AlterRoleSetStmt")
def build_alter_role_set(ctx: BuildContext, node: Node) -> None:
    """``ALTER ROLE r [IN DATABASE d] SET name TO value`` (and RESET)."""
    if node.get("role") is None:
        # ALTER ROLE ALL SET: a setting for every role, which the model has no place for.
        raise NotModelled("ALTER ROLE ALL ... SET is not modelled")
    oid = _role(ctx, role_name(node["role"]))
    role = ctx.objects[oid]
    assert isinstance(role, model.Role)
    database = node.get("database")
    settings = {(d, name): value for d, name, value in role.settings}
    setstmt = node["setstmt"]
    pair = setting(setstmt)
    if setstmt.get("kind") == "VAR_RESET_ALL":
        settings = {key: value for key, value in settings.items() if key[0] != database}
    elif pair is None:
        settings.pop((database, setting_name(setstmt)), None)
    else:
        value = pair[1] if pair[1] is not None else current_setting(ctx, pair[0])
        settings[(database, pair[0])] = value or ""
    ordered = sorted(settings.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))
    ctx.update(oid, settings=tuple((d, name, value) for (d, name), value in ordered))


@handles("DropRoleStmt")
def build_drop_role(ctx: BuildContext, node: Node) -> None:
    """``DROP ROLE [IF EXISTS]``: ``pg_dumpall --clean`` drops each role before creating it."""
    for item in node.get("roles") or ():
        _drop(ctx, ObjectId(ids.ROLE, None, role_name(item["RoleSpec"])))


def _drop(ctx: BuildContext, oid: ObjectId) -> None:
    # Dropping what the input never created is no error: pg_dumpall --clean drops template1
    # and postgres, which every cluster has, without IF EXISTS.
    ctx.objects.pop(oid, None)
    ctx.acl_ops.pop(oid, None)
    ctx.implicit.discard(oid)


# Databases -------------------------------------------------------------------------------------


def _database(ctx: BuildContext, name: str) -> ObjectId:
    """The id of database ``name``, added with the defaults if the input never created it."""
    return _existing(ctx, ObjectId(ids.DATABASE, None, name), model.Database)


def _database_options(options: Iterable[Node] | None) -> dict[str, str | None]:
    result: dict[str, str | None] = {}
    for name, value in options_of(options):
        key = name.lower()
        if key in _CREATE_ONLY:
            continue
        if key == "locale":
            # LOCALE sets LC_COLLATE and LC_CTYPE at once (docs: CREATE DATABASE); pg_dumpall
            # 15 prints it when the two are equal, older versions print both.
            result["lc_collate"] = result["lc_ctype"] = value
            continue
        result[key] = value
    return result


@handles("CreatedbStmt")
def build_database(ctx: BuildContext, node: Node) -> None:
    options = _database_options(node.get("options"))
    owner = options.pop("owner", None)
    # libc is the default locale provider (docs: CREATE DATABASE, "LOCALE_PROVIDER").
    if (options.get("locale_provider") or "libc").lower() == "libc":
        options.pop("locale_provider", None)
    ctx.add(
        model.Database(
            id=ObjectId(ids.DATABASE, None, node["dbname"]),
            owner=owner,
            options=tuple(sorted(options.items())),
            **ctx.span_fields(),
        )
    )


@handles("AlterDatabaseStmt")
def build_alter_database(ctx: BuildContext, node: Node) -> None:
    """``ALTER DATABASE d CONNECTION LIMIT n`` / ``IS_TEMPLATE`` / ``ALLOW_CONNECTIONS`` /
    ``SET TABLESPACE``."""
    oid = _database(ctx, node["dbname"])
    database = ctx.objects[oid]
    assert isinstance(database, model.Database)
    options = dict(database.options)
    options.update(_database_options(node.get("options")))
    ctx.update(oid, options=tuple(sorted(options.items())))


@handles("AlterDatabaseSetStmt")
def build_alter_database_set(ctx: BuildContext, node: Node) -> None:
    oid = _database(ctx, node["dbname"])
    database = ctx.objects[oid]
    assert isinstance(database, model.Database)
    settings = dict(database.settings)
    setstmt = node["setstmt"]
    pair = setting(setstmt)
    if setstmt.get("kind") == "VAR_RESET_ALL":
        settings = {}
    elif pair is None:
        settings.pop(setting_name(setstmt), None)
    else:
        settings[pair[0]] = pair[1] if pair[1] is not None else current_setting(ctx, pair[0])
    ctx.update(oid, settings=tuple(sorted(settings.items())))


@handles("DropdbStmt")
def build_drop_database(ctx: BuildContext, node: Node) -> None:
    """``DROP DATABASE [IF EXISTS]`` (``pg_dumpall --clean``)."""
    _drop(ctx, ObjectId(ids.DATABASE, None, node["dbname"]))


# Tablespaces -----------------------------------------------------------------------------------


@handles("CreateTableSpaceStmt")
def build_tablespace(ctx: BuildContext, node: Node) -> None:
    owner = node.get("owner")
    ctx.add(
        model.Tablespace(
            id=ObjectId(ids.TABLESPACE, None, node["tablespacename"]),
            owner=role_name(owner) if owner else None,
            location=node.get("location", ""),
            options=options_of(node.get("options")),
            **ctx.span_fields(),
        )
    )


@handles("AlterTableSpaceOptionsStmt")
def build_alter_tablespace(ctx: BuildContext, node: Node) -> None:
    """``ALTER TABLESPACE t SET (random_page_cost = 2)``, which is how pg_dumpall writes a
    tablespace's options, and RESET."""
    oid = ObjectId(ids.TABLESPACE, None, node["tablespacename"])
    tablespace = ctx.require(oid, "ALTER TABLESPACE")
    assert isinstance(tablespace, model.Tablespace)
    options = dict(tablespace.options)
    if node.get("isReset"):
        for item in node.get("options") or ():
            options.pop(item["DefElem"]["defname"], None)
    else:
        options.update(options_of(node.get("options")))
    ctx.update(oid, options=tuple(sorted(options.items(), key=lambda kv: kv[0])))


@handles("DropTableSpaceStmt")
def build_drop_tablespace(ctx: BuildContext, node: Node) -> None:
    """``DROP TABLESPACE [IF EXISTS]`` (``pg_dumpall --clean``)."""
    _drop(ctx, ObjectId(ids.TABLESPACE, None, node["tablespacename"]))
