"""Object assertions: an object of a kind exists or not, the set of a kind in a schema, owners."""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import ids
from pgdrift.schema import Schema
from pgdrift.testing._lookups import (
    _exactly,
    _fail_mismatches,
    _find,
    _kinds,
    _label,
    _plural,
    _qualified_key,
    _quote,
    _require,
)


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
