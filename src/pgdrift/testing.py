"""Schema assertions for tests: pgTAP's schema checks, run offline against a committed dump.

Each ``assert_*`` function looks something up in a :class:`~pgdrift.schema.Schema` and raises
:class:`AssertionError` when it is not as expected. The message says what was expected, what
was found, and, when a name is not found, the closest name that is (``no column "referrer_id"
in public.user_referrals; did you mean "referrer_user_id"?``). Types are compared by their
canonical names (``varchar(255)`` is ``character varying(255)``), defaults and checks as
expressions (``now()`` is ``CURRENT_TIMESTAMP``). A mistake in the test itself (an unknown
kind, a type that does not parse) raises ``ValueError`` or :class:`pgdrift.ParseError`, not
``AssertionError``, so a broken test never passes for a failed assertion.

Two shapes, one built on the other:

* plain functions (``assert_column_type(schema, "users", "email", "varchar(255)")``) are the
  API: one function per pgTAP check, so a pgTAP suite ports line by line, and each is easy to
  find, document and call from helpers;
* :func:`expect` chains them for the common case of pinning many facts about one table or
  column without repeating its name:
  ``expect(schema).table("users").column("email").has_type("varchar(255)").is_not_null()``.
  Every chain method calls the function of the same meaning, so messages are identical.

Names are written as stored, without quotes; an unqualified name means ``public`` (for indexes,
constraints, triggers and policies, the table's schema).

Example:
    >>> import pgdrift
    >>> schema = pgdrift.loads("CREATE TABLE public.users (email varchar(255) NOT NULL);")
    >>> assert_column_type(schema, "users", "email", "character varying(255)")
    >>> expect(schema).table("users").column("email").has_type("varchar(255)").is_not_null()
    <column public.users.email>
    >>> assert_column_exists(schema, "users", "emial")
    Traceback (most recent call last):
    ...
    AssertionError: no column "emial" in public.users; did you mean "email"?
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from pgdrift import ids, model
from pgdrift.expr import Expr, parse_expr, runtime_equivalent, walk
from pgdrift.pg.indexes import index_element
from pgdrift.pg.privileges import OWNER_DEFAULT
from pgdrift.schema import Schema
from pgdrift.types import TypeRef, parse_type

if TYPE_CHECKING:
    from pgdrift.differ import ChangeSet

__all__ = [
    "DriftError",
    "assert_check",
    "assert_column_default",
    "assert_column_exists",
    "assert_column_has_default",
    "assert_column_no_default",
    "assert_column_not_null",
    "assert_column_nullable",
    "assert_column_type",
    "assert_columns_are",
    "assert_domain",
    "assert_enum_labels",
    "assert_exists",
    "assert_foreign_key",
    "assert_function",
    "assert_index",
    "assert_indexed",
    "assert_indexes_are",
    "assert_no_column",
    "assert_no_drift",
    "assert_no_foreign_key",
    "assert_no_index",
    "assert_no_primary_key",
    "assert_no_privilege",
    "assert_no_trigger",
    "assert_not_exists",
    "assert_objects_are",
    "assert_owner",
    "assert_policies_are",
    "assert_policy",
    "assert_primary_key",
    "assert_privilege",
    "assert_privileges_are",
    "assert_rls_disabled",
    "assert_rls_enabled",
    "assert_trigger",
    "assert_triggers_are",
    "assert_unique",
    "expect",
]

#: One column name or several.
ColumnNames = str | Sequence[str]

#: ``"type"`` stands for every kind of type, as pgTAP's has_type does.
TYPE = "type"
_RELATION_KINDS = (ids.TABLE, ids.FOREIGN_TABLE)
# Kinds named without a schema (cluster-wide, or schemas themselves).
_SCHEMALESS_KINDS = frozenset({
    ids.SCHEMA, ids.EXTENSION, ids.CAST, ids.EVENT_TRIGGER, ids.PUBLICATION, ids.SUBSCRIPTION,
    ids.FOREIGN_DATA_WRAPPER, ids.SERVER, ids.USER_MAPPING, ids.LANGUAGE, ids.ACCESS_METHOD,
    ids.TRANSFORM, ids.DEFAULT_PRIVILEGES, ids.ROLE, ids.DATABASE, ids.TABLESPACE,
})  # fmt: skip
# Kinds whose objects belong to a table and are named per table (or per schema, for indexes).
_CHILD_KINDS = frozenset({ids.COLUMN, ids.CONSTRAINT, ids.TRIGGER, ids.POLICY, ids.RULE})

# TEMP is accepted for TEMPORARY in GRANT; ACLs print it as T.
_PRIVILEGE_ALIASES = {"TEMP": "TEMPORARY"}


class DriftError(AssertionError):
    """Two schemas differ. ``changes`` is the :class:`~pgdrift.differ.ChangeSet`; the message is
    the text report of it."""

    def __init__(self, message: str, changes: ChangeSet) -> None:
        super().__init__(message)
        self.changes = changes


# --- Names, suggestions, lookups ---------------------------------------------------------------


def _quote(name: str) -> str:
    return f'"{name}"'


def _quoted_list(names: Iterable[str]) -> str:
    return ", ".join(_quote(n) for n in names)


def _qualify(name: str, schema: str = "public") -> str:
    return name if "." in name.split("(", 1)[0] else f"{schema}.{name}"


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _plural(kind: str) -> str:
    label = _label(kind)
    if label.endswith("y"):
        return label[:-1] + "ies"
    if label.endswith(("x", "s")):
        return label + "es"
    return label + "s"


def _suggest(word: str, candidates: Iterable[str]) -> str:
    """``; did you mean "x"?`` for the closest candidate, or nothing."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=1)
    return f"; did you mean {_quote(close[0])}?" if close else ""


def _names(names: str | Iterable[str]) -> tuple[str, ...]:
    """One name or several, as a tuple."""
    return (names,) if isinstance(names, str) else tuple(names)


def _paren(items: Iterable[str]) -> str:
    return "(" + ", ".join(items) + ")"


def _kinds(kind: str) -> tuple[str, ...]:
    if kind == TYPE:
        return tuple(sorted(ids.TYPE_KINDS))
    if kind == ids.COLUMN:
        raise ValueError("columns are checked with assert_column_exists(schema, table, column)")
    if kind not in ids.ALL_KINDS:
        raise ValueError(f"unknown kind {kind!r}; known: {', '.join((TYPE, *ids.ALL_KINDS))}")
    return (kind,)


def _qualified_key(kind: str, name: str) -> str:
    if kind in ids.ROUTINE_KINDS:
        base, args = _split_signature(name)
        base = _qualify(base)
        return base if args is None else f"{base}({', '.join(args)})"
    if kind in _CHILD_KINDS:
        return name if name.count(".") >= 2 else _qualify(name)
    if kind in _SCHEMALESS_KINDS:
        return name
    return _qualify(name)


def _split_signature(name: str) -> tuple[str, tuple[str, ...] | None]:
    """``f(varchar(10), int)`` -> ``("f", ("character varying(10)", "integer"))``."""
    base, paren, rest = name.partition("(")
    if not paren:
        return name.strip(), None
    if not rest.rstrip().endswith(")"):
        raise ValueError(f"unbalanced parentheses in {name!r}")
    inner = rest.rstrip()[:-1]
    parts: list[str] = []
    depth, start = 0, 0
    for i, char in enumerate(inner):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return base.strip(), tuple(_canonical_type(p) for p in parts if p.strip())


def _type(text: str | TypeRef) -> TypeRef:
    ref = text if isinstance(text, TypeRef) else parse_type(text)
    # pg_dump qualifies every user type; an unqualified one in a test means public's.
    return attrs.evolve(ref, schema="public") if ref.needs_schema else ref


def _canonical_type(text: str) -> str:
    return str(_type(text.strip()))


def _routines(schema: Schema, name: str, kinds: Sequence[str]) -> list[model.Function]:
    base, args = _split_signature(name)
    base = _qualify(base)
    found = [
        obj
        for kind in kinds
        for obj in schema.of_kind(kind).values()
        if f"{obj.schema}.{obj.name}" == base and (args is None or obj.id.args == args)
    ]
    return sorted(found, key=lambda o: o.id.sort_key())


def _find(schema: Schema, kind: str, name: str) -> model.DbObject | None:
    for k in _kinds(kind):
        if k in ids.ROUTINE_KINDS:
            routines = _routines(schema, name, (k,))
            if routines:
                return routines[0]
            continue
        found = schema.of_kind(k).get(_qualified_key(k, name))
        if found is not None:
            return found  # type: ignore[no-any-return]
    return None


def _not_found(schema: Schema, kind: str, name: str) -> AssertionError:
    """``no table "public.x"; did you mean "public.y"?`` or ``...; public.x is a view``."""
    key = _qualified_key(kind, name)
    message = f"no {_label(kind)} {_quote(key)}"
    if kind not in _CHILD_KINDS:
        for other in ids.ALL_KINDS:
            if other in _kinds(kind) or other in _CHILD_KINDS:
                continue
            if _find(schema, other, key) is not None:
                return AssertionError(f"{message}; {key} is a {_label(other)}")
    candidates = [
        obj.id.qualified_name if kind in ids.ROUTINE_KINDS else k
        for k_kind in _kinds(kind)
        for k, obj in schema.of_kind(k_kind).items()
    ]
    if kind in ids.ROUTINE_KINDS and "(" not in key:
        candidates = [c.split("(", 1)[0] for c in candidates]
    return AssertionError(message + _suggest(key, candidates))


def _require(schema: Schema, kind: str, name: str) -> model.DbObject:
    found = _find(schema, kind, name)
    if found is None:
        raise _not_found(schema, kind, name)
    return found


def _relation(schema: Schema, table: str) -> model.Table:
    key = _qualify(table)
    for kind in _RELATION_KINDS:
        found = schema.of_kind(kind).get(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
    raise _not_found(schema, ids.TABLE, table)


def _column(schema: Schema, table: str, column: str) -> tuple[model.Table, model.Column]:
    rel = _relation(schema, table)
    _check_columns_exist(rel, (column,))
    return rel, rel.columns[column]


def _check_columns_exist(rel: model.Table, columns: Sequence[str]) -> None:
    for column in columns:
        if column not in rel.columns:
            raise AssertionError(
                f"no column {_quote(column)} in {rel.qualified_name}"
                + _suggest(column, rel.columns.names())
            )


def _fail_mismatches(subject: str, mismatches: Sequence[tuple[str, str]]) -> None:
    """Raise one message for every ``(expected, found)`` pair that differs."""
    if mismatches:
        raise AssertionError(
            f"{subject}: " + "; ".join(f"expected {e}, found {f}" for e, f in mismatches)
        )


def _exactly(what: str, expected: Iterable[str], found: Iterable[str]) -> None:
    wanted, have = set(expected), set(found)
    if wanted == have:
        return
    parts = []
    if wanted - have:
        parts.append("missing " + _quoted_list(sorted(wanted - have)))
    if have - wanted:
        parts.append("unexpected " + _quoted_list(sorted(have - wanted)))
    raise AssertionError(f"{what}: " + "; ".join(parts))


def _expr_equal(expected: str | Expr, found: Expr | None) -> bool:
    if found is None:
        return False
    wanted = expected if isinstance(expected, Expr) else parse_expr(expected)
    return runtime_equivalent(wanted, found)


# --- Objects -----------------------------------------------------------------------------------


def assert_exists(schema: Schema, kind: str, name: str) -> None:
    """An object of ``kind`` named ``name`` exists (pgTAP ``has_table``, ``has_view``,
    ``has_function``, ``has_type``, ``has_schema``, ``has_extension``...).

    ``kind`` is an :mod:`pgdrift.ids` kind (``"table"``, ``"materialized_view"``...) or
    ``"type"`` for any type. Functions and procedures may be named with argument types,
    compared canonically: ``"public.f(varchar, int)"``.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE VIEW public.v AS SELECT 1 AS one;")
        >>> assert_exists(s, "view", "v")
        >>> assert_exists(s, "table", "v")
        Traceback (most recent call last):
        ...
        AssertionError: no table "public.v"; public.v is a view
    """
    _require(schema, kind, name)


def assert_not_exists(schema: Schema, kind: str, name: str) -> None:
    """No object of ``kind`` named ``name`` exists (pgTAP ``hasnt_table``...)."""
    found = _find(schema, kind, name)
    if found is not None:
        raise AssertionError(
            f"expected no {_label(kind)} {_quote(_qualified_key(kind, name))}, "
            f"found {_label(found.kind)} {found.qualified_name}"
        )


def assert_objects_are(
    schema: Schema, kind: str, names: Iterable[str], *, in_schema: str = "public"
) -> None:
    """The objects of ``kind`` in schema ``in_schema`` are exactly ``names`` (pgTAP
    ``tables_are``, ``functions_are``, ``enums_are``...). Names are unqualified; overloaded
    routines count once. For schemas and extensions ``in_schema`` does not apply.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.a (); CREATE TABLE public.b ();")
        >>> assert_objects_are(s, "table", ["a", "c"])
        Traceback (most recent call last):
        ...
        AssertionError: tables in schema public: missing "c"; unexpected "b"
    """
    found: set[str] = set()
    schemaless = False
    for k in _kinds(kind):
        for obj in schema.of_kind(k).values():
            if obj.id.schema is None:
                schemaless = True
                found.add(obj.name)
            elif obj.schema == in_schema:
                found.add(obj.name)
    schemaless = schemaless or kind in (ids.SCHEMA, ids.EXTENSION)
    where = "" if schemaless else f" in schema {in_schema}"
    _exactly(f"{_plural(kind)}{where}", names, found)


def assert_owner(schema: Schema, kind: str, name: str, owner: str) -> None:
    """The object is owned by ``owner`` (pgTAP ``table_owner_is``, ``function_owner_is``...).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (); ALTER TABLE public.t OWNER TO app;")
        >>> assert_owner(s, "table", "t", "admin")
        Traceback (most recent call last):
        ...
        AssertionError: table public.t: expected OWNER admin, found OWNER app
    """
    obj = _require(schema, kind, name)
    if obj.owner != owner:
        found = f"OWNER {obj.owner}" if obj.owner is not None else "no OWNER TO statement"
        _fail_mismatches(f"{_label(obj.kind)} {obj.qualified_name}", [(f"OWNER {owner}", found)])


# --- Privileges --------------------------------------------------------------------------------


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


# --- Columns -----------------------------------------------------------------------------------


def assert_column_exists(schema: Schema, table: str, column: str) -> None:
    """The table has the column (pgTAP ``has_column``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.r (referrer_user_id uuid);")
        >>> assert_column_exists(s, "r", "referrer_id")
        Traceback (most recent call last):
        ...
        AssertionError: no column "referrer_id" in public.r; did you mean "referrer_user_id"?
    """
    _column(schema, table, column)


def assert_no_column(schema: Schema, table: str, column: str) -> None:
    """The table has no such column (pgTAP ``hasnt_column``)."""
    rel = _relation(schema, table)
    if column in rel.columns:
        raise AssertionError(
            f"expected no column {_quote(column)} in {rel.qualified_name}, found one"
        )


def assert_columns_are(schema: Schema, table: str, columns: Iterable[str]) -> None:
    """The table's columns are exactly ``columns``, in any order (pgTAP ``columns_are``)."""
    rel = _relation(schema, table)
    _exactly(f"columns of {rel.qualified_name}", columns, rel.columns.names())


def assert_column_type(schema: Schema, table: str, column: str, type: str | TypeRef) -> None:
    """The column's type is ``type``, compared canonically (pgTAP ``col_type_is``):
    ``varchar(255)`` is ``character varying(255)``, ``int4`` is ``integer``.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (code varchar(10));")
        >>> assert_column_type(s, "t", "code", "varchar(10)")
        >>> assert_column_type(s, "t", "code", "text")
        Traceback (most recent call last):
        ...
        AssertionError: public.t.code: expected type text, found type character varying(10)
    """
    wanted = _type(type)
    _rel, col = _column(schema, table, column)
    if col.type != wanted:
        _fail_mismatches(col.qualified_name, [(f"type {wanted}", f"type {col.type}")])


def assert_column_not_null(schema: Schema, table: str, column: str) -> None:
    """The column is NOT NULL (pgTAP ``col_not_null``)."""
    _rel, col = _column(schema, table, column)
    if not col.not_null:
        _fail_mismatches(col.qualified_name, [("NOT NULL", "nullable")])


def assert_column_nullable(schema: Schema, table: str, column: str) -> None:
    """The column allows NULL (pgTAP ``col_is_null``)."""
    _rel, col = _column(schema, table, column)
    if col.not_null:
        _fail_mismatches(col.qualified_name, [("nullable", "NOT NULL")])


def assert_column_has_default(schema: Schema, table: str, column: str) -> None:
    """The column has a DEFAULT (pgTAP ``col_has_default``)."""
    _rel, col = _column(schema, table, column)
    if col.default is None:
        _fail_mismatches(col.qualified_name, [("a DEFAULT", "no default")])


def assert_column_no_default(schema: Schema, table: str, column: str) -> None:
    """The column has no DEFAULT (pgTAP ``col_hasnt_default``)."""
    _rel, col = _column(schema, table, column)
    if col.default is not None:
        _fail_mismatches(col.qualified_name, [("no default", f"DEFAULT {col.default.sql}")])


def _default_matches(expected: str, col: model.Column) -> bool:
    found = col.default
    if found is None:
        return False
    if _expr_equal(expected, found):
        return True
    # PostgreSQL coerces a default to the column's type when it stores it, and pg_dump prints
    # the coercion: DEFAULT 'en' on varchar(10) is dumped as 'en'::character varying (a literal's
    # cast carries no length), on an enum as 'x'::public.mood.
    for target in (col.type, attrs.evolve(col.type, modifiers=())):
        if _expr_equal(f"({expected})::{target}", found):
            return True
    return False


def assert_column_default(schema: Schema, table: str, column: str, default: str) -> None:
    """The column's DEFAULT is ``default``, compared as an expression (pgTAP
    ``col_default_is``). The cast PostgreSQL adds to store a literal may be left out:
    ``'pending'`` matches ``'pending'::public.referral_status``; ``now()`` matches
    ``CURRENT_TIMESTAMP``.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (tz text DEFAULT 'UTC'::text);")
        >>> assert_column_default(s, "t", "tz", "'UTC'")
        >>> assert_column_default(s, "t", "tz", "'GMT'")
        Traceback (most recent call last):
        ...
        AssertionError: public.t.tz: expected DEFAULT 'GMT', found DEFAULT 'UTC'::text
    """
    _rel, col = _column(schema, table, column)
    if not _default_matches(default, col):
        found = f"DEFAULT {col.default.sql}" if col.default is not None else "no default"
        _fail_mismatches(col.qualified_name, [(f"DEFAULT {parse_expr(default).sql}", found)])


# --- Keys and constraints ----------------------------------------------------------------------


def _constraints(schema: Schema, rel: model.Table, type_: str) -> list[model.Constraint]:
    found = [c for c in schema.constraints_of(rel.id) if c.type == type_]
    return sorted(found, key=lambda c: c.name)


def _describe_fk(fk: model.Constraint) -> str:
    target = fk.references.qualified_name if fk.references is not None else "?"
    text = f"FOREIGN KEY {_paren(fk.columns)} REFERENCES {target}{_paren(fk.referenced_columns)}"
    if fk.on_update != "no action":
        text += f" ON UPDATE {fk.on_update.upper()}"
    if fk.on_delete != "no action":
        text += f" ON DELETE {fk.on_delete.upper()}"
    return text


def assert_primary_key(schema: Schema, table: str, columns: ColumnNames | None = None) -> None:
    """The table has a primary key; with ``columns``, on exactly those columns in order
    (pgTAP ``has_pk``, ``col_is_pk``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (id int PRIMARY KEY, code text);")
        >>> assert_primary_key(s, "t", "id")
        >>> assert_primary_key(s, "t", ["code"])
        Traceback (most recent call last):
        ...
        AssertionError: public.t: expected PRIMARY KEY (code), found PRIMARY KEY (id) (t_pkey)
    """
    rel = _relation(schema, table)
    keys = _constraints(schema, rel, model.Constraint.PRIMARY_KEY)
    wanted = None if columns is None else _names(columns)
    if wanted is not None:
        _check_columns_exist(rel, wanted)
    expected = "a PRIMARY KEY" if wanted is None else f"PRIMARY KEY {_paren(wanted)}"
    if not keys:
        _fail_mismatches(rel.qualified_name, [(expected, "no primary key")])
    if wanted is not None and keys[0].columns != wanted:
        pk = keys[0]
        _fail_mismatches(
            rel.qualified_name, [(expected, f"PRIMARY KEY {_paren(pk.columns)} ({pk.name})")]
        )


def assert_no_primary_key(schema: Schema, table: str) -> None:
    """The table has no primary key (pgTAP ``hasnt_pk``)."""
    rel = _relation(schema, table)
    keys = _constraints(schema, rel, model.Constraint.PRIMARY_KEY)
    if keys:
        pk = keys[0]
        _fail_mismatches(
            rel.qualified_name,
            [("no primary key", f"PRIMARY KEY {_paren(pk.columns)} ({pk.name})")],
        )


def assert_foreign_key(
    schema: Schema,
    table: str,
    columns: ColumnNames,
    references: str | None = None,
    referenced_columns: ColumnNames | None = None,
    *,
    on_delete: str | None = None,
    on_update: str | None = None,
) -> None:
    """A foreign key on exactly ``columns`` exists; optionally it references table
    ``references`` (and ``referenced_columns``) with the given actions (pgTAP ``has_fk``,
    ``col_is_fk``, ``fk_ok``). Actions are ``"cascade"``, ``"set null"``, ``"restrict"``...

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads(
        ...     "CREATE TABLE public.u (id int PRIMARY KEY);"
        ...     "CREATE TABLE public.r (uid int REFERENCES public.u (id) ON DELETE CASCADE);")
        >>> assert_foreign_key(s, "r", "uid", "u", "id", on_delete="cascade")
        >>> assert_foreign_key(s, "r", "uid", "u", on_delete="set null")
        Traceback (most recent call last):
        ...
        AssertionError: public.r (uid): expected ON DELETE SET NULL, found ON DELETE CASCADE
    """
    rel = _relation(schema, table)
    wanted = _names(columns)
    _check_columns_exist(rel, wanted)
    fks = _constraints(schema, rel, model.Constraint.FOREIGN_KEY)
    candidates = [fk for fk in fks if fk.columns == wanted]
    if not candidates:
        found = "; ".join(f"{fk.name} {_describe_fk(fk)}" for fk in fks) or "no foreign key"
        _fail_mismatches(rel.qualified_name, [(f"FOREIGN KEY {_paren(wanted)}", found)])
    target = _qualify(references) if references is not None else None
    target_columns = _names(referenced_columns) if referenced_columns is not None else None
    best: list[tuple[str, str]] = []
    for fk in candidates:
        mismatches: list[tuple[str, str]] = []
        found_target = fk.references.qualified_name if fk.references is not None else "?"
        if target is not None and found_target != target:
            mismatches.append((f"REFERENCES {target}", f"REFERENCES {found_target}"))
        if target_columns is not None and fk.referenced_columns != target_columns:
            mismatches.append(
                (
                    f"REFERENCES {found_target}{_paren(target_columns)}",
                    f"REFERENCES {found_target}{_paren(fk.referenced_columns)}",
                )
            )
        for clause, want, have in (
            ("ON DELETE", on_delete, fk.on_delete),
            ("ON UPDATE", on_update, fk.on_update),
        ):
            if want is not None and want.lower() != have:
                mismatches.append((f"{clause} {want.upper()}", f"{clause} {have.upper()}"))
        if not mismatches:
            return
        if not best or len(mismatches) < len(best):
            best = mismatches
    _fail_mismatches(f"{rel.qualified_name} {_paren(wanted)}", best)


def assert_no_foreign_key(schema: Schema, table: str, columns: ColumnNames | None = None) -> None:
    """The table has no foreign key (on exactly ``columns``, if given) (pgTAP ``hasnt_fk``)."""
    rel = _relation(schema, table)
    wanted = None if columns is None else _names(columns)
    fks = [
        fk for fk in _constraints(schema, rel, model.Constraint.FOREIGN_KEY)
        if wanted is None or fk.columns == wanted
    ]  # fmt: skip
    if fks:
        what = "no foreign key" if wanted is None else f"no FOREIGN KEY {_paren(wanted)}"
        _fail_mismatches(rel.qualified_name, [(what, _describe_fk(fks[0]))])


@attrs.frozen
class _IndexShape:
    """An index as PostgreSQL has it: a CREATE INDEX, or the index behind a PRIMARY KEY,
    UNIQUE or EXCLUDE constraint (which takes the constraint's name)."""

    name: str
    elements: tuple[model.IndexElement, ...]
    unique: bool
    method: str
    where: Expr | None
    #: 'index', 'primary key', 'unique' or 'exclusion'
    origin: str

    def describe(self) -> str:
        return f"{self.name} {_paren(_key_text(e) for e in self.elements)}"




def _key_text(element: model.IndexElement) -> str:
    # As a test names a key: an expression without the parentheses it needs in CREATE INDEX.
    sql = element.expression.sql if element.expression is not None else None
    return index_element(element, expression=sql)


def _element_matches(expected: str, element: model.IndexElement) -> bool:
    if element.column is not None:
        return expected.strip() == element.column
    return _expr_equal(expected, element.expression)


def _index_shapes(schema: Schema, rel: model.Table) -> list[_IndexShape]:
    shapes = [
        _IndexShape(i.name, i.elements, i.unique, i.method, i.where, "index")
        for i in schema.indexes_of(rel.id)
    ]
    for c in schema.constraints_of(rel.id):
        if c.type in (model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE):
            elements = tuple(model.IndexElement(column=col) for col in c.columns)
            shapes.append(_IndexShape(c.name, elements, True, "btree", None, c.type))
        elif c.type == model.Constraint.EXCLUSION:
            shapes.append(
                _IndexShape(c.name, c.elements, False, c.method or "gist", c.where, c.type)
            )
    return sorted(shapes, key=lambda s: s.name)


def _shape_columns_match(shape: _IndexShape, columns: Sequence[str]) -> bool:
    return len(shape.elements) == len(columns) and all(
        _element_matches(c, e) for c, e in zip(columns, shape.elements, strict=True)
    )


def assert_unique(schema: Schema, table: str, columns: ColumnNames) -> None:
    """Values of ``columns`` are unique: a PRIMARY KEY, UNIQUE constraint or unique,
    non-partial index covers exactly these columns in any order (pgTAP ``col_is_unique``,
    ``has_unique``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (id int PRIMARY KEY, a int UNIQUE, b int);")
        >>> assert_unique(s, "t", "a")
        >>> assert_unique(s, "t", "b")
        Traceback (most recent call last):
        ...
        AssertionError: public.t: expected UNIQUE (b), found unique keys t_a_key (a); t_pkey (id)
    """
    rel = _relation(schema, table)
    wanted = _names(columns)
    _check_columns_exist(rel, wanted)
    unique = [s for s in _index_shapes(schema, rel) if s.unique and s.where is None]
    for shape in unique:
        names = [e.column for e in shape.elements if e.column is not None]
        if len(names) == len(shape.elements) and sorted(names) == sorted(wanted):
            return
    found = "unique keys " + "; ".join(s.describe() for s in unique) if unique else "no unique key"
    _fail_mismatches(rel.qualified_name, [(f"UNIQUE {_paren(wanted)}", found)])


def _check_constraints(schema: Schema, rel: model.Table) -> list[model.Constraint]:
    return _constraints(schema, rel, model.Constraint.CHECK)


def _references_column(expression: Expr | None, column: str) -> bool:
    if expression is None:
        return False
    for node in walk(expression.tree):
        if node[0] == "ColumnRef":
            fields = dict(node[1]).get("fields", ())
            last = fields[-1] if fields else None
            if last is not None and last[0] == "String" and dict(last[1]).get("sval") == column:
                return True
    return False


def assert_check(
    schema: Schema,
    table: str,
    expression: str | None = None,
    *,
    name: str | None = None,
    column: str | None = None,
) -> None:
    """The table has a CHECK constraint: with ``expression`` (compared as an expression, as
    pg_dump prints it), named ``name``, and/or using ``column`` (pgTAP ``has_check``,
    ``col_has_check``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (n int CONSTRAINT pos CHECK (n > 0));")
        >>> assert_check(s, "t", "n > 0", column="n")
        >>> assert_check(s, "t", "n >= 0")
        Traceback (most recent call last):
        ...
        AssertionError: public.t: expected CHECK (n >= 0), found pos CHECK (n > 0)
    """
    rel = _relation(schema, table)
    if column is not None:
        _check_columns_exist(rel, (column,))
    checks = _check_constraints(schema, rel)
    for check in checks:
        if (
            (expression is None or _expr_equal(expression, check.expression))
            and (name is None or check.name == name)
            and (column is None or _references_column(check.expression, column))
        ):
            return
    parts = []
    if name is not None:
        parts.append(f"named {_quote(name)}")
    if column is not None:
        parts.append(f"on column {_quote(column)}")
    wanted = "a CHECK" if expression is None else f"CHECK ({parse_expr(expression).sql})"
    wanted = " ".join([wanted, *parts])
    found = (
        "; ".join(
            f"{c.name} CHECK ({c.expression.sql if c.expression is not None else '?'})"
            for c in checks
        )
        or "no CHECK constraint"
    )
    if name is not None and expression is None and column is None:
        suggestion = _suggest(name, (c.name for c in checks))
        if suggestion:
            raise AssertionError(
                f"no check constraint {_quote(name)} on {rel.qualified_name}{suggestion}"
            )
    _fail_mismatches(rel.qualified_name, [(wanted, found)])


# --- Indexes -----------------------------------------------------------------------------------


def _index_shape(schema: Schema, rel: model.Table, name: str) -> _IndexShape:
    shapes = _index_shapes(schema, rel)
    bare = name.rsplit(".", maxsplit=1)[-1]
    for shape in shapes:
        if shape.name == bare:
            return shape
    other = schema.indexes.get(_qualify(name, rel.schema or "public"))
    if other is not None:
        raise AssertionError(
            f"index {other.qualified_name} is on {other.table.qualified_name}, "
            f"not {rel.qualified_name}"
        )
    raise AssertionError(
        f"no index {_quote(bare)} on {rel.qualified_name}"
        + _suggest(bare, (s.name for s in shapes))
    )


def assert_index(
    schema: Schema,
    table: str,
    name: str,
    *,
    columns: ColumnNames | None = None,
    unique: bool | None = None,
    method: str | None = None,
    partial: bool | None = None,
    where: str | None = None,
) -> None:
    """The table has index ``name`` (the index of a PRIMARY KEY, UNIQUE or EXCLUDE
    constraint counts, by the constraint's name) and, where given: its key is exactly
    ``columns`` (column names or expressions, in order), it is (not) unique, uses ``method``,
    is (not) partial, has predicate ``where`` (pgTAP ``has_index``, ``index_is_unique``,
    ``index_is_type``, ``is_partial``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (e text, d timestamptz);"
        ...                   "CREATE INDEX t_e ON public.t (lower(e)) WHERE d IS NULL;")
        >>> assert_index(s, "t", "t_e", columns="lower(e)", partial=True, where="d IS NULL")
        >>> assert_index(s, "t", "t_e", method="hash")
        Traceback (most recent call last):
        ...
        AssertionError: index t_e on public.t: expected USING hash, found USING btree
    """
    rel = _relation(schema, table)
    shape = _index_shape(schema, rel, name)
    mismatches: list[tuple[str, str]] = []
    if columns is not None:
        wanted = _names(columns)
        if not _shape_columns_match(shape, wanted):
            found = _paren(_key_text(e) for e in shape.elements)
            mismatches.append((f"key {_paren(wanted)}", f"key {found}"))
    if unique is not None and unique != shape.unique:
        mismatches.append(("UNIQUE", "not unique") if unique else ("not unique", "UNIQUE"))
    if method is not None and method.lower() != shape.method:
        mismatches.append((f"USING {method.lower()}", f"USING {shape.method}"))
    is_partial = shape.where is not None
    found_where = f"WHERE {shape.where.sql}" if shape.where is not None else "no WHERE"
    if partial is not None and partial != is_partial:
        mismatches.append(("a partial index" if partial else "no WHERE", found_where))
    if where is not None and not _expr_equal(where, shape.where):
        mismatches.append((f"WHERE {parse_expr(where).sql}", found_where))
    _fail_mismatches(f"index {shape.name} on {rel.qualified_name}", mismatches)


def assert_no_index(schema: Schema, table: str, name: str) -> None:
    """The table has no index ``name`` (pgTAP ``hasnt_index``)."""
    rel = _relation(schema, table)
    bare = name.rsplit(".", maxsplit=1)[-1]
    if any(s.name == bare for s in _index_shapes(schema, rel)):
        raise AssertionError(f"expected no index {_quote(bare)} on {rel.qualified_name}, found one")


def assert_indexed(schema: Schema, table: str, columns: ColumnNames) -> None:
    """Some index of the table (constraint indexes included) has exactly ``columns`` as its
    key, in order (pgTAP ``is_indexed``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (a int, b int);"
        ...                   "CREATE INDEX i ON public.t (a);")
        >>> assert_indexed(s, "t", "a")
        >>> assert_indexed(s, "t", ["b"])
        Traceback (most recent call last):
        ...
        AssertionError: public.t: expected an index on (b), found indexes i (a)
    """
    rel = _relation(schema, table)
    wanted = _names(columns)
    shapes = _index_shapes(schema, rel)
    if any(_shape_columns_match(s, wanted) for s in shapes):
        return
    found = "indexes " + "; ".join(s.describe() for s in shapes) if shapes else "no index"
    _fail_mismatches(rel.qualified_name, [(f"an index on {_paren(wanted)}", found)])


def assert_indexes_are(schema: Schema, table: str, names: Iterable[str]) -> None:
    """The table's indexes (constraint indexes included) are exactly ``names``
    (pgTAP ``indexes_are``)."""
    rel = _relation(schema, table)
    _exactly(
        f"indexes of {rel.qualified_name}", names, (s.name for s in _index_shapes(schema, rel))
    )


# --- Routines ----------------------------------------------------------------------------------


def assert_function(
    schema: Schema,
    name: str,
    args: Sequence[str] | None = None,
    *,
    returns: str | None = None,
    language: str | None = None,
    security_definer: bool | None = None,
    volatility: str | None = None,
    strict: bool | None = None,
) -> None:
    """A function or procedure exists (pgTAP ``has_function``) with, where given, these
    argument types (``args``, or in the name: ``"f(uuid, text)"``), return type
    (``function_returns``), language (``function_lang_is``), SECURITY DEFINER (``is_definer``),
    volatility (``volatility_is``: ``"immutable"``, ``"stable"``, ``"volatile"``) and
    strictness (``is_strict``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE FUNCTION public.f(a uuid) RETURNS text LANGUAGE sql "
        ...                   "STABLE SECURITY DEFINER AS 'select 1';")
        >>> assert_function(s, "f", ["uuid"], returns="text", security_definer=True)
        >>> assert_function(s, "f(uuid)", language="plpgsql")
        Traceback (most recent call last):
        ...
        AssertionError: public.f(uuid): expected LANGUAGE plpgsql, found LANGUAGE sql
    """
    if args is not None:
        name = f"{_split_signature(name)[0]}({', '.join(args)})"
    kinds = (ids.FUNCTION, ids.PROCEDURE)
    found = _routines(schema, name, kinds)
    if not found:
        base = _qualify(_split_signature(name)[0])
        overloads = _routines(schema, base, kinds)
        if overloads:
            listed = ", ".join(o.id.qualified_name for o in overloads)
            raise AssertionError(
                f"no function {_quote(_qualified_key(ids.FUNCTION, name))}; found {listed}"
            )
        raise _not_found(schema, ids.FUNCTION, name)
    if len(found) > 1 and any(
        v is not None for v in (returns, language, security_definer, volatility, strict)
    ):
        listed = ", ".join(o.id.qualified_name for o in found)
        raise AssertionError(
            f"function {_quote(_qualify(name))} is overloaded ({listed}); give its argument types"
        )
    func = found[0]
    mismatches: list[tuple[str, str]] = []
    if returns is not None:
        have = "no result (a procedure)" if func.returns is None else f"RETURNS {func.returns}"
        if func.returns is None or func.returns != _type(returns):
            mismatches.append((f"RETURNS {_type(returns)}", have))
    if language is not None and language.lower() != func.language:
        mismatches.append((f"LANGUAGE {language.lower()}", f"LANGUAGE {func.language}"))
    if security_definer is not None and security_definer != func.security_definer:
        words = {True: "SECURITY DEFINER", False: "SECURITY INVOKER"}
        mismatches.append((words[security_definer], words[func.security_definer]))
    if volatility is not None and volatility.lower() != func.volatility:
        mismatches.append((volatility.upper(), func.volatility.upper()))
    if strict is not None and strict != func.strict:
        words = {True: "STRICT", False: "CALLED ON NULL INPUT"}
        mismatches.append((words[strict], words[func.strict]))
    _fail_mismatches(func.id.qualified_name, mismatches)


# --- Triggers ----------------------------------------------------------------------------------


def _trigger(schema: Schema, rel: model.Table, name: str) -> model.Trigger | None:
    for trigger in schema.triggers_of(rel.id):
        if trigger.name == name:
            return trigger
    return None


def assert_trigger(
    schema: Schema,
    table: str,
    name: str,
    *,
    function: str | None = None,
    timing: str | None = None,
    events: str | Iterable[str] | None = None,
    for_each_row: bool | None = None,
) -> None:
    """The table has trigger ``name`` (pgTAP ``has_trigger``) calling ``function``
    (``trigger_is``), firing ``timing`` (``"before"``, ``"after"``, ``"instead of"``) on
    ``events`` (``"insert"``, ``"update"``...), for each row or statement.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads(
        ...     "CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS 'begin end';"
        ...     "CREATE TABLE public.t (); CREATE TRIGGER tr AFTER INSERT ON public.t "
        ...     "FOR EACH ROW EXECUTE FUNCTION public.f();")
        >>> assert_trigger(s, "t", "tr", function="f", timing="after", events="insert")
        >>> assert_trigger(s, "t", "tr", for_each_row=False)
        Traceback (most recent call last):
        ...
        AssertionError: trigger tr on public.t: expected FOR EACH STATEMENT, found FOR EACH ROW
    """
    rel = _relation(schema, table)
    trigger = _trigger(schema, rel, name)
    if trigger is None:
        names = [t.name for t in schema.triggers_of(rel.id)]
        raise AssertionError(
            f"no trigger {_quote(name)} on {rel.qualified_name}" + _suggest(name, names)
        )
    mismatches: list[tuple[str, str]] = []
    if function is not None:
        wanted = _qualify(function.removesuffix("()"))
        if wanted != trigger.function:
            mismatches.append(
                (f"EXECUTE FUNCTION {wanted}()", f"EXECUTE FUNCTION {trigger.function}()")
            )
    if timing is not None and timing.lower() != trigger.timing:
        mismatches.append((timing.upper(), trigger.timing.upper()))
    if events is not None:
        wanted_events = tuple(sorted(e.lower() for e in _names(events)))
        if wanted_events != trigger.events:
            mismatches.append(
                (
                    " OR ".join(e.upper() for e in wanted_events),
                    " OR ".join(e.upper() for e in trigger.events),
                )
            )
    if for_each_row is not None and for_each_row != trigger.for_each_row:
        words = {True: "FOR EACH ROW", False: "FOR EACH STATEMENT"}
        mismatches.append((words[for_each_row], words[trigger.for_each_row]))
    _fail_mismatches(f"trigger {trigger.name} on {rel.qualified_name}", mismatches)


def assert_no_trigger(schema: Schema, table: str, name: str) -> None:
    """The table has no trigger ``name`` (pgTAP ``hasnt_trigger``)."""
    rel = _relation(schema, table)
    if _trigger(schema, rel, name) is not None:
        raise AssertionError(
            f"expected no trigger {_quote(name)} on {rel.qualified_name}, found one"
        )


def assert_triggers_are(schema: Schema, table: str, names: Iterable[str]) -> None:
    """The table's triggers are exactly ``names`` (pgTAP ``triggers_are``)."""
    rel = _relation(schema, table)
    _exactly(
        f"triggers of {rel.qualified_name}", names, (t.name for t in schema.triggers_of(rel.id))
    )


# --- Types -------------------------------------------------------------------------------------


def assert_enum_labels(schema: Schema, name: str, labels: Sequence[str]) -> None:
    """The enum's labels are exactly ``labels``, in this order (pgTAP ``enum_has_labels``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');")
        >>> assert_enum_labels(s, "mood", ["sad", "ok", "happy"])
        >>> assert_enum_labels(s, "mood", ["sad", "happy"])
        Traceback (most recent call last):
        ...
        AssertionError: enum public.mood: expected labels 'sad', 'happy', found 'sad', 'ok', 'happy'
    """
    enum = _require(schema, ids.ENUM, name)
    assert isinstance(enum, model.Enum)
    wanted = tuple(labels)
    if enum.labels != wanted:
        found = ", ".join(f"'{label}'" for label in enum.labels)
        if sorted(enum.labels) == sorted(wanted):
            found += " (the same labels in another order)"
        _fail_mismatches(
            f"enum {enum.qualified_name}",
            [("labels " + ", ".join(f"'{label}'" for label in wanted), found)],
        )


def assert_domain(
    schema: Schema,
    name: str,
    *,
    base_type: str | None = None,
    not_null: bool | None = None,
    default: str | None = None,
    checks: Iterable[str] | None = None,
) -> None:
    """The domain exists (pgTAP ``has_domain``) with, where given, this base type
    (``domain_type_is``), NOT NULL, DEFAULT, and exactly these CHECK expressions.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE DOMAIN public.pos AS int NOT NULL CHECK (VALUE > 0);")
        >>> assert_domain(s, "pos", base_type="integer", not_null=True, checks=["VALUE > 0"])
        >>> assert_domain(s, "pos", checks=[])
        Traceback (most recent call last):
        ...
        AssertionError: domain public.pos: expected no CHECK, found CHECK (value > 0)
    """
    domain = _require(schema, ids.DOMAIN, name)
    assert isinstance(domain, model.Domain)
    mismatches: list[tuple[str, str]] = []
    if base_type is not None and _type(base_type) != domain.base_type:
        mismatches.append((f"type {_type(base_type)}", f"type {domain.base_type}"))
    if not_null is not None and not_null != domain.not_null:
        words = {True: "NOT NULL", False: "nullable"}
        mismatches.append((words[not_null], words[domain.not_null]))
    if default is not None and not _expr_equal(default, domain.default):
        found = f"DEFAULT {domain.default.sql}" if domain.default is not None else "no default"
        mismatches.append((f"DEFAULT {parse_expr(default).sql}", found))
    if checks is not None:
        wanted = sorted(parse_expr(c).sql for c in checks)
        have = sorted(c.expression.sql for c in domain.checks)
        if not _same_expressions([parse_expr(c) for c in checks],
                                 [c.expression for c in domain.checks]):  # fmt: skip
            mismatches.append(
                (
                    " ".join(f"CHECK ({w})" for w in wanted) or "no CHECK",
                    " ".join(f"CHECK ({h})" for h in have) or "no CHECK",
                )
            )
    _fail_mismatches(f"domain {domain.qualified_name}", mismatches)


def _same_expressions(wanted: list[Expr], found: list[Expr]) -> bool:
    remaining = list(found)
    for expr in wanted:
        match = next((f for f in remaining if runtime_equivalent(expr, f)), None)
        if match is None:
            return False
        remaining.remove(match)
    return not remaining


# --- Row level security ------------------------------------------------------------------------


def assert_rls_enabled(schema: Schema, table: str, *, forced: bool | None = None) -> None:
    """Row level security is enabled on the table; with ``forced``, FORCE ROW LEVEL SECURITY
    (which applies the policies to the table's owner too) is or is not set.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t ();")
        >>> assert_rls_enabled(s, "t")
        Traceback (most recent call last):
        ...
        AssertionError: public.t: expected ROW LEVEL SECURITY enabled, found disabled
    """
    rel = _relation(schema, table)
    mismatches: list[tuple[str, str]] = []
    if not rel.rls_enabled:
        mismatches.append(("ROW LEVEL SECURITY enabled", "disabled"))
    if forced is not None and forced != rel.rls_forced:
        words = {True: "FORCE ROW LEVEL SECURITY", False: "NO FORCE ROW LEVEL SECURITY"}
        mismatches.append((words[forced], words[rel.rls_forced]))
    _fail_mismatches(rel.qualified_name, mismatches)


def assert_rls_disabled(schema: Schema, table: str) -> None:
    """Row level security is not enabled on the table."""
    rel = _relation(schema, table)
    if rel.rls_enabled:
        _fail_mismatches(rel.qualified_name, [("ROW LEVEL SECURITY disabled", "enabled")])


def assert_policies_are(schema: Schema, table: str, names: Iterable[str]) -> None:
    """The table's policies are exactly ``names`` (pgTAP ``policies_are``)."""
    rel = _relation(schema, table)
    _exactly(
        f"policies of {rel.qualified_name}", names, (p.name for p in schema.policies_of(rel.id))
    )


def assert_policy(
    schema: Schema,
    table: str,
    name: str,
    *,
    command: str | None = None,
    roles: Iterable[str] | None = None,
    permissive: bool | None = None,
    using: str | None = None,
    with_check: str | None = None,
) -> None:
    """The table has policy ``name`` with, where given, this command (``"select"``,
    ``"all"``...; pgTAP ``policy_cmd_is``), exactly these roles (``policy_roles_are``;
    ``"public"`` for everyone), PERMISSIVE or RESTRICTIVE, and USING / WITH CHECK expressions.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (o text);"
        ...                   "CREATE POLICY p ON public.t FOR SELECT TO web"
        ...                   " USING (o = current_user);")
        >>> assert_policy(s, "t", "p", command="select", roles=["web"], using="o = CURRENT_USER")
        >>> assert_policy(s, "t", "p", roles=["web", "anon"])
        Traceback (most recent call last):
        ...
        AssertionError: policy p on public.t: expected TO anon, web, found TO web
    """
    rel = _relation(schema, table)
    policies = schema.policies_of(rel.id)
    policy = next((p for p in policies if p.name == name), None)
    if policy is None:
        raise AssertionError(
            f"no policy {_quote(name)} on {rel.qualified_name}"
            + _suggest(name, (p.name for p in policies))
        )
    mismatches: list[tuple[str, str]] = []
    if command is not None and command.lower() != policy.command:
        mismatches.append((f"FOR {command.upper()}", f"FOR {policy.command.upper()}"))
    if roles is not None:
        wanted = tuple(sorted({r.lower() if r.upper() == "PUBLIC" else r for r in roles}))
        if wanted != policy.roles:
            mismatches.append((f"TO {', '.join(wanted)}", f"TO {', '.join(policy.roles)}"))
    if permissive is not None and permissive != policy.permissive:
        words = {True: "AS PERMISSIVE", False: "AS RESTRICTIVE"}
        mismatches.append((words[permissive], words[policy.permissive]))
    for clause, want, have in (("USING", using, policy.using),
                               ("WITH CHECK", with_check, policy.with_check)):  # fmt: skip
        if want is not None and not _expr_equal(want, have):
            found = f"{clause} ({have.sql})" if have is not None else f"no {clause}"
            mismatches.append((f"{clause} ({parse_expr(want).sql})", found))
    _fail_mismatches(f"policy {policy.name} on {rel.qualified_name}", mismatches)


# --- Drift -------------------------------------------------------------------------------------


def _as_schema(value: Schema | str | os.PathLike[str]) -> Schema:
    if isinstance(value, Schema):
        return value
    from pgdrift.loading import load  # noqa: PLC0415 - only when given a path

    return load(value)


def drift_report(changes: ChangeSet) -> str:
    """The text report of a change set with its counts line first (the line a truncated
    failure summary shows), as :func:`assert_no_drift` and ``assert a == b`` print it."""
    from pgdrift.renderer import render  # noqa: PLC0415 - the renderer loads only on failure

    summary = render(changes, "text", quiet=True).strip("\n")
    body = render(changes, "text").rstrip("\n")
    body = body.removesuffix(summary).rstrip("\n")
    return f"{summary}\n{body}" if body else summary


def assert_no_drift(
    a: Schema | str | os.PathLike[str], b: Schema | str | os.PathLike[str], **diff_options: Any
) -> None:
    """Schemas ``a`` and ``b`` (or the dumps at those paths) define the same objects, as
    :func:`pgdrift.differ.diff` compares them with ``diff_options`` (``ignore_owners=True``,
    ``exclude_schemas=[...]``, ``preset="supabase"``...). Raises :class:`DriftError`, whose
    ``changes`` holds the differences and whose message is their text report.

    Example:
        >>> import pgdrift
        >>> old = pgdrift.loads("CREATE TABLE public.t (id int);")
        >>> assert_no_drift(old, pgdrift.loads("CREATE TABLE public.t (id integer);"))
        >>> try:
        ...     assert_no_drift(old, pgdrift.loads("CREATE TABLE public.t (id bigint);"))
        ... except DriftError as error:
        ...     print(len(error.changes))
        1
    """
    from pgdrift.differ import diff  # noqa: PLC0415 - the differ loads only when used

    left, right = _as_schema(a), _as_schema(b)
    options = dict(diff_options)
    options.setdefault("labels", _labels(left, right))
    changes = diff(left, right, **options)
    if changes:
        raise DriftError(drift_report(changes), changes)


def _labels(a: Schema, b: Schema) -> tuple[str, str]:
    if a.source and b.source and a.source != b.source:
        return (a.source, b.source)
    return ("a", "b")


# --- The fluent chain --------------------------------------------------------------------------


def expect(schema: Schema) -> SchemaExpectation:
    """Start a chain of assertions on ``schema``; see the module docstring.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (id int NOT NULL PRIMARY KEY);")
        >>> expect(s).table("t").has_primary_key("id").column("id").is_not_null()
        <column public.t.id>
    """
    return SchemaExpectation(schema)


@attrs.frozen
class SchemaExpectation:
    """Assertions about a whole schema; each method returns the chain to continue it."""

    schema: Schema

    def has(self, kind: str, name: str) -> SchemaExpectation:
        assert_exists(self.schema, kind, name)
        return self

    def lacks(self, kind: str, name: str) -> SchemaExpectation:
        assert_not_exists(self.schema, kind, name)
        return self

    def objects_are(
        self, kind: str, names: Iterable[str], *, in_schema: str = "public"
    ) -> SchemaExpectation:
        assert_objects_are(self.schema, kind, names, in_schema=in_schema)
        return self

    def table(self, name: str) -> TableExpectation:
        """Continue with a table; fails at once if there is none of that name."""
        return TableExpectation(self.schema, _relation(self.schema, name).qualified_name)

    def function(
        self, name: str, args: Sequence[str] | None = None, **properties: Any
    ) -> SchemaExpectation:
        assert_function(self.schema, name, args, **properties)
        return self

    def enum(self, name: str, labels: Sequence[str]) -> SchemaExpectation:
        assert_enum_labels(self.schema, name, labels)
        return self

    def domain(self, name: str, **properties: Any) -> SchemaExpectation:
        assert_domain(self.schema, name, **properties)
        return self

    def owner(self, kind: str, name: str, owner: str) -> SchemaExpectation:
        assert_owner(self.schema, kind, name, owner)
        return self

    def no_drift_from(self, other: Schema, **diff_options: Any) -> SchemaExpectation:
        assert_no_drift(other, self.schema, **diff_options)
        return self

    def __repr__(self) -> str:
        return f"<schema {self.schema.source or '?'}>"


@attrs.frozen
class TableExpectation:
    """Assertions about one table (``expect(schema).table("users")``)."""

    schema: Schema
    name: str

    def column(self, name: str) -> ColumnExpectation:
        """Continue with a column; fails at once if there is none of that name."""
        _column(self.schema, self.name, name)
        return ColumnExpectation(self.schema, self.name, name)

    def has_column(self, name: str) -> TableExpectation:
        assert_column_exists(self.schema, self.name, name)
        return self

    def lacks_column(self, name: str) -> TableExpectation:
        assert_no_column(self.schema, self.name, name)
        return self

    def columns_are(self, names: Iterable[str]) -> TableExpectation:
        assert_columns_are(self.schema, self.name, names)
        return self

    def has_primary_key(self, columns: ColumnNames | None = None) -> TableExpectation:
        assert_primary_key(self.schema, self.name, columns)
        return self

    def has_foreign_key(
        self,
        columns: ColumnNames,
        references: str | None = None,
        referenced_columns: ColumnNames | None = None,
        **actions: str,
    ) -> TableExpectation:
        assert_foreign_key(
            self.schema, self.name, columns, references, referenced_columns, **actions
        )
        return self

    def has_unique(self, columns: ColumnNames) -> TableExpectation:
        assert_unique(self.schema, self.name, columns)
        return self

    def has_check(self, expression: str | None = None, **where: str) -> TableExpectation:
        assert_check(self.schema, self.name, expression, **where)
        return self

    def has_index(self, name: str, **properties: Any) -> TableExpectation:
        assert_index(self.schema, self.name, name, **properties)
        return self

    def is_indexed(self, columns: ColumnNames) -> TableExpectation:
        assert_indexed(self.schema, self.name, columns)
        return self

    def indexes_are(self, names: Iterable[str]) -> TableExpectation:
        assert_indexes_are(self.schema, self.name, names)
        return self

    def has_trigger(self, name: str, **properties: Any) -> TableExpectation:
        assert_trigger(self.schema, self.name, name, **properties)
        return self

    def triggers_are(self, names: Iterable[str]) -> TableExpectation:
        assert_triggers_are(self.schema, self.name, names)
        return self

    def has_rls_enabled(self, *, forced: bool | None = None) -> TableExpectation:
        assert_rls_enabled(self.schema, self.name, forced=forced)
        return self

    def has_rls_disabled(self) -> TableExpectation:
        assert_rls_disabled(self.schema, self.name)
        return self

    def has_policy(self, name: str, **properties: Any) -> TableExpectation:
        assert_policy(self.schema, self.name, name, **properties)
        return self

    def policies_are(self, names: Iterable[str]) -> TableExpectation:
        assert_policies_are(self.schema, self.name, names)
        return self

    def is_owned_by(self, owner: str) -> TableExpectation:
        assert_owner(self.schema, ids.TABLE, self.name, owner)
        return self

    def grants(self, role: str, privileges: str | Iterable[str]) -> TableExpectation:
        assert_privilege(self.schema, ids.TABLE, self.name, role, privileges)
        return self

    def does_not_grant(self, role: str, privileges: str | Iterable[str]) -> TableExpectation:
        assert_no_privilege(self.schema, ids.TABLE, self.name, role, privileges)
        return self

    def __repr__(self) -> str:
        return f"<table {self.name}>"


@attrs.frozen
class ColumnExpectation:
    """Assertions about one column; ``.column(other)`` moves to a sibling column."""

    schema: Schema
    table: str
    name: str

    def column(self, name: str) -> ColumnExpectation:
        return TableExpectation(self.schema, self.table).column(name)

    def has_type(self, type: str | TypeRef) -> ColumnExpectation:
        assert_column_type(self.schema, self.table, self.name, type)
        return self

    def is_not_null(self) -> ColumnExpectation:
        assert_column_not_null(self.schema, self.table, self.name)
        return self

    def is_nullable(self) -> ColumnExpectation:
        assert_column_nullable(self.schema, self.table, self.name)
        return self

    def has_default(self, default: str | None = None) -> ColumnExpectation:
        if default is None:
            assert_column_has_default(self.schema, self.table, self.name)
        else:
            assert_column_default(self.schema, self.table, self.name, default)
        return self

    def has_no_default(self) -> ColumnExpectation:
        assert_column_no_default(self.schema, self.table, self.name)
        return self

    def is_primary_key(self) -> ColumnExpectation:
        assert_primary_key(self.schema, self.table, self.name)
        return self

    def is_foreign_key(
        self,
        references: str | None = None,
        referenced_columns: ColumnNames | None = None,
        **actions: str,
    ) -> ColumnExpectation:
        assert_foreign_key(
            self.schema, self.table, self.name, references, referenced_columns, **actions
        )
        return self

    def is_unique(self) -> ColumnExpectation:
        assert_unique(self.schema, self.table, self.name)
        return self

    def has_check(self, expression: str | None = None) -> ColumnExpectation:
        assert_check(self.schema, self.table, expression, column=self.name)
        return self

    def __repr__(self) -> str:
        return f"<column {self.table}.{self.name}>"
