"""Expressions of source SQL typed as PostgreSQL stores them, where pg_dump shows the implicit
cast of a varchar column to text: generated columns (also in CREATE TABLE, before the table
exists), calls of the schema's own functions (one overload, defaults left out), operands
under COLLATE, a trigger's WHEN on NEW/OLD, extended statistics expressions. Each source must
load equal to the form pg_dump 15 prints (the fixture pairs prove it on a real server)."""

from __future__ import annotations

import pytest

import pgdrift

TABLE = "CREATE TABLE posts (id int, title varchar(200));\n"
FUNCTION = (
    "CREATE FUNCTION f(p text, q integer DEFAULT 0) RETURNS text LANGUAGE sql IMMUTABLE "
    "AS $$ SELECT p $$;\n"
)


@pytest.mark.parametrize(
    ("source", "dumped"),
    [
        ("CREATE TABLE t (title varchar(9), n int GENERATED ALWAYS AS (length(title)) STORED);",
         "CREATE TABLE t (title varchar(9), "
         "n int GENERATED ALWAYS AS (length((title)::text)) STORED);"),
        (TABLE + "ALTER TABLE posts ADD COLUMN n int GENERATED ALWAYS AS "
         "(octet_length(title)) STORED;",
         TABLE + "ALTER TABLE posts ADD COLUMN n int GENERATED ALWAYS AS "
         "(octet_length((title)::text)) STORED;"),
        (TABLE + FUNCTION + "CREATE INDEX i ON posts (public.f(title)) "
         "WHERE public.f(title) <> '';",
         TABLE + FUNCTION + "CREATE INDEX i ON posts (public.f((title)::text)) "
         "WHERE public.f((title)::text) <> ''::text;"),
        (TABLE + "ALTER TABLE posts ADD CONSTRAINT c CHECK ((title COLLATE \"C\") > '');",
         TABLE + "ALTER TABLE posts ADD CONSTRAINT c "
         "CHECK ((((title)::text COLLATE \"C\") > ''::text));"),
        (TABLE + FUNCTION + "CREATE STATISTICS s ON (public.f(title)), id FROM posts;",
         TABLE + FUNCTION + "CREATE STATISTICS s ON (public.f((title)::text)), id FROM posts;"),
        (TABLE + FUNCTION + "CREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql "
         "AS $$ BEGIN RETURN NEW; END $$;"
         "CREATE TRIGGER tr BEFORE UPDATE ON posts FOR EACH ROW "
         "WHEN (public.f(NEW.title) IS DISTINCT FROM public.f(OLD.title)) EXECUTE FUNCTION g();",
         TABLE + FUNCTION + "CREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql "
         "AS $$ BEGIN RETURN NEW; END $$;"
         "CREATE TRIGGER tr BEFORE UPDATE ON posts FOR EACH ROW "
         "WHEN ((public.f((new.title)::text) IS DISTINCT FROM public.f((old.title)::text))) "
         "EXECUTE FUNCTION g();"),
        # An integer column or sum given to a numeric or bigint parameter: the implicit cast.
        ("CREATE TABLE t (q int, s smallint);"
         "CREATE FUNCTION n(v numeric, w bigint) RETURNS text LANGUAGE sql AS $$ SELECT '' $$;"
         "CREATE VIEW v AS SELECT n(q, s) AS a, n(q, q + 1) AS b FROM t;"
         "CREATE VIEW w AS SELECT n(sum(q), 1) AS c FROM t;",
         "CREATE TABLE t (q int, s smallint);"
         "CREATE FUNCTION n(v numeric, w bigint) RETURNS text LANGUAGE sql AS $$ SELECT '' $$;"
         "CREATE VIEW v AS SELECT public.n((t.q)::numeric, (t.s)::bigint) AS a, "
         "public.n((t.q)::numeric, ((t.q + 1))::bigint) AS b FROM public.t;"
         "CREATE VIEW w AS SELECT public.n((sum(t.q))::numeric, (1)::bigint) AS c FROM public.t;"),
    ],
)  # fmt: skip
def test_a_source_expression_is_stored_as_postgresql_prints_it(source: str, dumped: str) -> None:
    assert not pgdrift.diff(pgdrift.loads(source), pgdrift.loads(dumped))


def test_an_overloaded_function_is_not_resolved() -> None:
    overloads = FUNCTION + FUNCTION.replace("p text", "p varchar").replace(
        "RETURNS text", "RETURNS text"
    )
    source = pgdrift.loads(TABLE + overloads + "CREATE INDEX i ON posts (public.f(title));")
    cast = pgdrift.loads(TABLE + overloads + "CREATE INDEX i ON posts (public.f((title)::text));")
    assert pgdrift.diff(source, cast)


def test_timestamp_literals_are_compared_as_the_values_they_are() -> None:
    # A partition bound or default of timestamptz is an instant, printed in the dump's
    # TimeZone; a plain timestamp prints its seconds (checked on PostgreSQL 15).
    source = pgdrift.loads(
        "CREATE TABLE r (at timestamptz, t timestamp DEFAULT '2025-01-01 7:05') "
        "PARTITION BY RANGE (at);"
        "CREATE TABLE r1 PARTITION OF r FOR VALUES FROM ('2025-01-01 00:00+02') "
        "TO ('2025-06-01 12:30:15.250-03:30');"
    )
    dumped = pgdrift.loads(
        "CREATE TABLE r (at timestamptz, t timestamp DEFAULT '2025-01-01 07:05:00'::timestamp "
        "without time zone) PARTITION BY RANGE (at);"
        "CREATE TABLE r1 PARTITION OF r FOR VALUES FROM ('2024-12-31 22:00:00+00') "
        "TO ('2025-06-01 16:00:15.25+00');"
    )
    assert not pgdrift.diff(source, dumped)


def test_arguments_are_coerced_to_a_routines_or_range_constructors_parameters() -> None:
    types = (
        "CREATE TYPE r AS RANGE (subtype = bigint);"
        "CREATE FUNCTION f(a bigint, c text, d integer DEFAULT 1) RETURNS bigint "
        "LANGUAGE sql IMMUTABLE AS $$ SELECT a $$;"
    )
    source = pgdrift.loads(
        types + "CREATE TABLE t (x r DEFAULT r(0, 10), z bigint DEFAULT f(1, 'x'));"
    )
    dumped = pgdrift.loads(
        types + "CREATE TABLE t (x public.r DEFAULT public.r((0)::bigint, (10)::bigint), "
        "z bigint DEFAULT public.f((1)::bigint, 'x'::text));"
    )
    assert not pgdrift.diff(source, dumped)


def test_a_begin_atomic_body_is_stored_in_pg_dumps_form() -> None:
    # Columns qualified, parameters named function.parameter inside a query with a FROM
    # list (bare elsewhere), a result column named unless it is the "?column?" fallback.
    table = "CREATE TABLE posts (id int, account_id bigint, views int);"
    source = pgdrift.loads(
        table + "CREATE FUNCTION a(p bigint) RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC "
        "SELECT sum(views) FROM posts WHERE account_id = p; END;"
        "CREATE FUNCTION b(x int, y int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT x + y; END;"
    )
    dumped = pgdrift.loads(
        table + "CREATE FUNCTION public.a(p bigint) RETURNS bigint LANGUAGE sql STABLE "
        "BEGIN ATOMIC SELECT sum(posts.views) AS sum FROM public.posts "
        "WHERE (posts.account_id = a.p); END;"
        "CREATE FUNCTION public.b(x integer, y integer) RETURNS integer LANGUAGE sql "
        "BEGIN ATOMIC SELECT (x + y); END;"
    )
    assert not pgdrift.diff(source, dumped)


def test_variadic_arguments_are_packed_into_an_array() -> None:
    # f(a, b) of f(VARIADIC text[]) is stored f(VARIADIC ARRAY[a, b]), each element coerced to
    # the element type (make_fn_arguments; checked on PostgreSQL 15, ddl/routine_call_numeric_args).
    function = (
        "CREATE FUNCTION total(l text, VARIADIC xs numeric[]) RETURNS numeric LANGUAGE sql "
        "AS $$ SELECT 1 $$;"
    )
    source = pgdrift.loads(
        function + "CREATE TABLE t (a int, n numeric DEFAULT total('x', 1, 2.5));"
        "CREATE VIEW v AS SELECT total('t', a) AS s, total('u', VARIADIC ARRAY[1.5]) AS e FROM t;"
    )
    dumped = pgdrift.loads(
        function + "CREATE TABLE t (a int, "
        "n numeric DEFAULT public.total('x'::text, VARIADIC ARRAY[(1)::numeric, 2.5]));"
        "CREATE VIEW v AS SELECT public.total('t'::text, VARIADIC ARRAY[(t.a)::numeric]) AS s,"
        " public.total('u'::text, VARIADIC ARRAY[1.5]) AS e FROM public.t;"
    )
    assert not pgdrift.diff(source, dumped)


def test_a_begin_atomic_bodys_insert_and_returning_lists_are_in_pg_dumps_form() -> None:
    # Checked on PostgreSQL 15 (fixture ddl/routine_bodies_dml): ruleutils names every range
    # table entry uniquely, the statement's target included, so INSERT INTO items SELECT ...
    # FROM items reads items_1; a RETURNING list's columns are the target's, qualified, and
    # RETURNING * is expanded.
    table = "CREATE TABLE items (id int, qty int);"
    source = pgdrift.loads(
        table + "CREATE FUNCTION f(p int) RETURNS SETOF items LANGUAGE sql BEGIN ATOMIC "
        "INSERT INTO items (id) SELECT id FROM items WHERE id = p RETURNING *; "
        "DELETE FROM items WHERE id IN (SELECT id FROM items) RETURNING id; END;"
    )
    dumped = pgdrift.loads(
        table + "CREATE FUNCTION public.f(p integer) RETURNS SETOF public.items LANGUAGE sql "
        "BEGIN ATOMIC INSERT INTO public.items (id) SELECT items_1.id FROM public.items items_1 "
        "WHERE (items_1.id = f.p) RETURNING items.id, items.qty; "
        "DELETE FROM public.items WHERE (items.id IN (SELECT items_1.id "
        "FROM public.items items_1)) RETURNING items.id; END;"
    )
    assert not pgdrift.diff(source, dumped)
