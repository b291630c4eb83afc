"""Canonical type references: every alias of a type is one TypeRef, str() is format_type()."""

from __future__ import annotations

import json

import attrs
import pytest
from pglast.parser import parse_sql_json

from pgdrift.errors import ParseError
from pgdrift.types import (
    BUILTIN_TYPES,
    TypeRef,
    parse_type,
    quote_ident,
    type_from_node,
    type_from_parts,
)

# Each pair names one type two ways; PostgreSQL stores the same atttypid and atttypmod for both.
ALIASES = [
    ("int", "integer"),
    ("int4", "integer"),
    ("pg_catalog.int4", "int"),
    ('"int4"', "integer"),
    ("int2", "smallint"),
    ("int8", "bigint"),
    ("float4", "real"),
    ("float8", "double precision"),
    ("float", "double precision"),
    ("float(1)", "real"),
    ("float(24)", "real"),
    ("float(25)", "double precision"),
    ("float(53)", "float8"),
    ("bool", "boolean"),
    ("varchar", "character varying"),
    ("varchar(10)", "character varying(10)"),
    ("pg_catalog.varchar(10)", "varchar(10)"),
    ("char varying(3)", "varchar(3)"),
    ("national character varying(4)", "varchar(4)"),
    ("char", "character"),
    ("char", "char(1)"),
    ("character(1)", "pg_catalog.bpchar(1)"),
    ("bpchar(5)", "character(5)"),
    ("nchar(3)", "char(3)"),
    ("bpchar", "pg_catalog.bpchar"),
    ("decimal", "numeric"),
    ("decimal(10,2)", "numeric(10, 2)"),
    ("dec(5,1)", "numeric(5,1)"),
    ("timestamptz", "timestamp with time zone"),
    ("timestamptz(3)", "timestamp(3) with time zone"),
    ("pg_catalog.timestamptz(3)", "timestamp (3) WITH TIME ZONE"),
    ("timestamp", "timestamp without time zone"),
    ("timestamp(0)", "timestamp(0) without time zone"),
    ("time", "time without time zone"),
    ("timetz", "time with time zone"),
    ("time(2) with time zone", "timetz(2)"),
    ("varbit", "bit varying"),
    ("varbit(8)", "bit varying(8)"),
    ("bit", "bit(1)"),
    ("pg_catalog.bit(1)", "bit"),
    # The grammar stores interval fields as a mask typmod: DAY|HOUR|MINUTE|SECOND = 7176.
    ("interval day to second(3)", "pg_catalog.interval(7176, 3)"),
    ("interval(3)", "pg_catalog.interval(32767, 3)"),
    ("interval year to month", "pg_catalog.interval(6)"),
    ("interval", "pg_catalog.interval"),
    ('"char"', "pg_catalog.char"),
    ("text", "pg_catalog.text"),
    ("uuid", "pg_catalog.uuid"),
    ("jsonb", "pg_catalog.jsonb"),
    ("json", "pg_catalog.json"),
    ("regclass", "pg_catalog.regclass"),
    ("tsvector", "pg_catalog.tsvector"),
    ("bytea", "pg_catalog.bytea"),
    ("inet", "pg_catalog.inet"),
    # PostgreSQL ignores declared array sizes and dimension counts.
    ("int[]", "integer array"),
    ("int[3]", "int[]"),
    ("int[][]", "int[]"),
    ("integer array[4]", "int4[]"),
    ("pg_catalog._int4", "integer[]"),
    ("varchar(255)[]", "character varying(255) ARRAY"),
    ("public.mood", "PUBLIC.MOOD"),
    ('"Foo"."Bar"', '"Foo"."Bar"'),
    ("mydb.public.mood", "public.mood"),
    # Type modifiers reach typmodin as text: an identifier and the same string are one value.
    ("public.geometry(Point, 4326)", "public.geometry('point', '4326')"),
]


@pytest.mark.parametrize(("left", "right"), ALIASES)
def test_aliases_are_the_same_type(left: str, right: str) -> None:
    assert parse_type(left) == parse_type(right)
    assert hash(parse_type(left)) == hash(parse_type(right))
    assert str(parse_type(left)) == str(parse_type(right))


DIFFERENT = [
    ('"char"', "char"),  # pg_catalog.char is a one-byte type, not character(1)
    ("bpchar", "char"),  # bpchar has no length limit; char is char(1)
    ('"bit"', "bit"),  # likewise: "bit" has no length, bit is bit(1)
    ("varchar", "varchar(10)"),
    ("numeric(10,2)", "numeric(10,3)"),
    ("numeric", "numeric(1000)"),
    ("timestamp", "timestamptz"),
    ("timestamp", "timestamp(6)"),
    ("time", "timetz"),
    ("int", "bigint"),
    ("real", "double precision"),
    ("text", "public.text"),
    ("mood", "public.mood"),
    ("public.mood", "app.mood"),
    ('"Mood"', "mood"),
    ("interval", "interval day"),
    ("interval(3)", "interval second(3)"),
    ("interval day to second", "interval hour to second"),
    ("text", "text[]"),
    ("setof int", "int"),
    ("json", "jsonb"),
    ("public.geometry('Point')", "public.geometry(Point)"),
]


@pytest.mark.parametrize(("left", "right"), DIFFERENT)
def test_different_types_are_not_equal(left: str, right: str) -> None:
    assert parse_type(left) != parse_type(right)


# What format_type() printed for these on PostgreSQL 15 (pg_attribute of a test table); pg_dump
# prints column types the same way.
FORMAT_TYPE = [
    ("varchar(20)", "character varying(20)"),
    ("text", "text"),
    ("date", "date"),
    ("timestamptz", "timestamp with time zone"),
    ("timestamp(3)", "timestamp(3) without time zone"),
    ("int", "integer"),
    ('"char"', '"char"'),
    ("bit", "bit(1)"),
    ("bit varying(3)", "bit varying(3)"),
    ('"bit"', '"bit"'),
    ("char", "character(1)"),
    ("bpchar", "bpchar"),
    ("interval day to second(3)", "interval day to second(3)"),
    ("interval(2)", "interval(2)"),
    ("json", "json"),
    ("int[][]", "integer[]"),
    ("numeric", "numeric"),
]


@pytest.mark.parametrize(("written", "printed"), FORMAT_TYPE)
def test_str_is_what_format_type_prints(written: str, printed: str) -> None:
    assert str(parse_type(written)) == printed


DISPLAY = [
    ("varchar(255)[]", "character varying(255)[]"),
    ("timestamp(3) with time zone", "timestamp(3) with time zone"),
    ("time(2)", "time(2) without time zone"),
    ("timetz(2)", "time(2) with time zone"),
    ("public.mood", "public.mood"),
    ('public."Mood"', 'public."Mood"'),
    ('public."select"', 'public."select"'),
    ('"My Type"', '"My Type"'),
    ('public."char"', 'public."char"'),
    ("interval second(3)", "interval second(3)"),
    ("interval year to month", "interval year to month"),
    ("bit varying(8)", "bit varying(8)"),
    ("bit(3)", "bit(3)"),
    ("numeric(10,2)", "numeric(10,2)"),
    ("double precision", "double precision"),
    ("setof text", "SETOF text"),
    ("public.t.c%type", "public.t.c%TYPE"),
    ('public."T".c%type', 'public."T".c%TYPE'),
    ("public.geometry(Point,4326)", "public.geometry(point,4326)"),
    ("mood", "mood"),
    ("float(10)", "real"),
]


@pytest.mark.parametrize(("written", "printed"), DISPLAY)
def test_str_quotes_only_where_postgresql_needs_it(written: str, printed: str) -> None:
    assert str(parse_type(written)) == printed


@pytest.mark.parametrize(
    "written", [w for pair in ALIASES + DIFFERENT for w in pair] + [w for w, _ in DISPLAY]
)
def test_str_reads_back_as_the_same_type(written: str) -> None:
    ref = parse_type(written)
    assert parse_type(str(ref)) == ref


def test_canonical_fields() -> None:
    assert parse_type("pg_catalog.varchar(255)[]") == TypeRef(
        None, "character varying", ("255",), array_dims=1
    )
    assert parse_type("interval day to second(3)") == TypeRef(
        None, "interval", ("day to second", "3")
    )
    assert parse_type("interval(3)").modifiers == ("3",)
    assert parse_type("timestamptz").name == "timestamp with time zone"
    assert parse_type('"char"') == TypeRef(None, "char")
    assert parse_type("public.referral_status") == TypeRef("public", "referral_status")
    assert parse_type("setof int").setof
    assert parse_type("setof int").element == parse_type("int")
    pct = parse_type("public.t.c%type")
    assert (pct.pct_type, pct.name, pct.schema) == (True, "public.t.c", None)


def test_typmod_values_are_what_the_parser_writes() -> None:
    assert parse_type("interval day to second(3)").typmod_values() == (7176, 3)
    assert parse_type("interval(3)").typmod_values() == (32767, 3)
    assert parse_type("numeric(10,2)").typmod_values() == (10, 2)
    assert parse_type("public.geometry(Point,4326)").typmod_values() == ("point", 4326)
    assert parse_type("int").catalog_names() == ("pg_catalog", "int4")
    assert parse_type("mood").catalog_names() == ("mood",)
    with pytest.raises(ValueError, match="TYPE"):
        parse_type("t.c%type").catalog_names()


def test_builtin_and_user_types() -> None:
    assert parse_type("uuid").is_builtin
    assert parse_type("pg_catalog.uuid").is_builtin
    assert parse_type("timestamptz").is_builtin
    assert not parse_type("public.uuid").is_builtin
    # pg_dump before 10.3 wrote user types of the current schema unqualified.
    mood = parse_type("mood")
    assert (mood.schema, mood.is_builtin, mood.needs_schema) == (None, False, True)
    assert not parse_type("public.mood").needs_schema
    assert not parse_type("text").needs_schema
    # pg_catalog's own composite types keep their schema: they are not in BUILTIN_TYPES.
    assert parse_type("pg_catalog.pg_class").schema == "pg_catalog"
    assert "int4" in BUILTIN_TYPES
    assert "integer" not in BUILTIN_TYPES


def test_resolve_qualifies_an_unqualified_user_type_by_search_path() -> None:
    defined = {("public", "mood"), ("app", "mood"), ("public", "status")}

    def exists(schema: str, name: str) -> bool:
        return (schema, name) in defined

    mood = parse_type("mood[]")
    assert mood.resolve(["app", "public"], exists) == parse_type("app.mood[]")
    assert mood.resolve(["public", "app"], exists) == parse_type("public.mood[]")
    assert parse_type("status").resolve(["app", "public"], exists) == parse_type("public.status")
    # Not found anywhere: unchanged, for the caller to report.
    assert parse_type("missing").resolve(["public"], exists) == parse_type("missing")
    # Built-ins and qualified names never move.
    assert parse_type("text").resolve(["public"], lambda s, n: True) == parse_type("text")
    assert parse_type("app.mood").resolve(["public"], exists) == parse_type("app.mood")


def test_type_from_node_reads_bare_and_wrapped_json() -> None:
    stmt = json.loads(parse_sql_json("CREATE TABLE t (c varchar(255)[])"))["stmts"][0]["stmt"]
    bare = stmt["CreateStmt"]["tableElts"][0]["ColumnDef"]["typeName"]
    assert type_from_node(bare) == parse_type("character varying(255)[]")
    assert type_from_node({"TypeName": bare}) == type_from_node(bare)


def test_type_from_node_reads_a_zero_typmod() -> None:
    # libpg_query leaves zero out: timestamp(0) has "typmods": [{"A_Const": {"ival": {}}}].
    stmt = json.loads(parse_sql_json("CREATE TABLE t (c timestamp(0))"))["stmts"][0]["stmt"]
    node = stmt["CreateStmt"]["tableElts"][0]["ColumnDef"]["typeName"]
    assert node["typmods"][0]["A_Const"]["ival"] == {}
    assert str(type_from_node(node)) == "timestamp(0) without time zone"


def test_type_from_parts() -> None:
    assert type_from_parts(["pg_catalog", "int8"], array_dims=2) == parse_type("bigint[]")
    assert type_from_parts(["numeric"], [12, 4]) == parse_type("numeric(12,4)")


@pytest.mark.parametrize("text", ["", "not a type at all", "int; DROP TABLE x", "int) AS $$"])
def test_parse_type_rejects_what_is_not_a_type(text: str) -> None:
    with pytest.raises(ParseError, match="not a type"):
        parse_type(text)


def test_type_refs_are_frozen_and_hashable() -> None:
    refs = {parse_type(t) for t in ("int", "int4", "integer", "pg_catalog.int4", "bigint")}
    assert refs == {parse_type("integer"), parse_type("bigint")}
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        parse_type("int").name = "bigint"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("mood", "mood"),
        ("Mood", '"Mood"'),
        ("my type", '"my type"'),
        ("select", '"select"'),  # reserved
        ("char", '"char"'),  # column-name keyword: quote_identifier() quotes it
        ("left", '"left"'),  # type/function-name keyword
        ("name", "name"),  # unreserved keyword
        ('a"b', '"a""b"'),
        ("_x1", "_x1"),
        ("1x", '"1x"'),
    ],
)
def test_quote_ident_matches_quote_identifier(name: str, quoted: str) -> None:
    assert quote_ident(name) == quoted
