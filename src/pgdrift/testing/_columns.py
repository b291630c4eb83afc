"""Column assertions: existence, type, nullability and DEFAULT."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from pgdrift import model
from pgdrift.expr import parse_expr
from pgdrift.schema import Schema
from pgdrift.testing._lookups import (
    _column,
    _exactly,
    _expr_equal,
    _fail_mismatches,
    _quote,
    _relation,
    _type,
)
from pgdrift.types import TypeRef


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
