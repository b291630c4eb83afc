"""Source SQL's expressions as PostgreSQL stores them (issue 11): each case is what PostgreSQL 15
printed in pg_dump for the source form (checked on a real server; the fixtures under
fixtures/ddl/expressions prove them end to end). A comment names the rule."""

from __future__ import annotations

import json

import pytest
from pglast.parser import parse_sql_json

from pgdrift import loads
from pgdrift.expr import Expr, canonical, expr_from_node, parse_expr


def _query(sql: str) -> Expr:
    """A query as pg_dump prints it, read as it is (no folding: this is the dump's side)."""
    return expr_from_node(json.loads(parse_sql_json(sql))["stmts"][0]["stmt"])


TYPES = (
    "CREATE TYPE public.s AS ENUM ('a', 'b');\n"
    "CREATE DOMAIN public.dt AS text;\n"
    "CREATE DOMAIN public.di AS integer;\n"
)


@pytest.mark.parametrize(
    ("column_type", "default", "stored"),
    [
        ("public.s", "'a'", "'a'::public.s"),  # an enum label is cast to the enum
        ("s", "'b'::s", "'b'::public.s"),  # the type name resolves along the search_path
        ("public.dt", "'x'", "'x'::text"),  # a domain's literal is of its base type
        ("public.di", "'4'", "4"),  # ... and printed as that type prints it
        ("varchar(10)", "'x'", "'x'::character varying"),  # no length on the literal
        ("varchar", "'x'::text", "'x'::text"),  # an explicit cast stays, the implicit not
        ("text", "'x'", "'x'::text"),
        ("text", "'it''s'", "'it''s'::text"),
        ("char(2)", "'ab'", "'ab'::bpchar"),  # char without length prints as bpchar
        ("text[]", "'{}'", "'{}'::text[]"),
        ("varchar[]", "'{}'", "'{}'::character varying[]"),
        ("jsonb", "'{}'", "'{}'::jsonb"),
        ("boolean", "'true'", "true"),  # boolin reads it, true/false print bare
        ("boolean", "'yes'", "true"),
        ("boolean", "'t'::boolean", "true"),  # a cast of a literal is folded at once
        ("integer", "'5'", "5"),  # a non-negative integer prints bare
        ("integer", "'  7 '", "7"),  # int4in skips blanks
        ("integer", "'5'::integer", "5"),
        ("integer", "-1", "'-1'::integer"),  # a negative one is quoted and cast
        ("bigint", "-5", "'-5'::integer"),  # an integer literal is int4; the cast is implicit
        ("bigint", "0", "0"),
        ("bigint", "'12'", "'12'::bigint"),  # only int4 prints bare
        ("bigint", "3000000000", "'3000000000'::bigint"),  # too large for int4: bigint
        ("smallint", "'-3'", "'-3'::smallint"),
        ("numeric", "0", "0"),
        ("numeric", "'1'", "'1'::numeric"),  # numeric prints bare only with a point
        ("numeric", "'1.50'", "1.50"),  # numeric keeps its scale
        ("numeric", "1e3", "'1000'::numeric"),  # an exponent is applied
        ("numeric", "-0.5", "'-0.5'::numeric"),
        ("numeric(5,2)", "'0'", "'0'::numeric"),
        ("real", "'2'", "'2'::real"),
        ("double precision", "'1.5'", "'1.5'::double precision"),
        ("double precision", "1.5", "1.5"),
        ("interval", "'1 day'", "'1 day'::interval"),
        # The special inputs 'epoch' and 'infinity' are read as the output functions print them.
        ("timestamp", "'epoch'", "'1970-01-01 00:00:00'::timestamp without time zone"),
        # A cast with a typmod: the literal is read without it, the coercion shows the type.
        ("numeric", "'12.345'::numeric(8,3)", "12.345::numeric(8,3)"),
        ("numeric", "'7'::numeric(5)", "'7'::numeric(5,0)"),
        ("timestamp", "'2024-1-2'::timestamp(0)", "'2024-01-02 00:00:00'::timestamp(0)"),
        ("date", "'Epoch'", "'1970-01-01'::date"),
        ("timestamptz", "' Infinity'", "'infinity'::timestamp with time zone"),
        ("text", "'a' || 'b'", "'a'::text || 'b'::text"),  # unknown || unknown is text
        ("text", "lower('X')", "lower('X'::text)"),
        ("text[]", "ARRAY['a', 'b']", "ARRAY['a'::text, 'b'::text]"),
        ("varchar(3)[]", "ARRAY['a']", "ARRAY['a'::text]"),  # text[], assigned after
        ("bigint", "0::bigint", "0::bigint"),  # a cast of a number is a call: kept
        ("numeric", "1::numeric", "1::numeric"),
        ("public.s", "'a'::text::s", "'a'::text::public.s"),
        ("timestamptz", "now()", "now()"),
        ("integer", "1 + 2", "1 + 2"),
    ],
)
def test_a_source_default_is_stored_coerced_to_its_column_type(
    column_type: str, default: str, stored: str
) -> None:
    schema = loads(TYPES + f"CREATE TABLE t (c {column_type} DEFAULT {default});")
    assert schema.tables["public.t"].columns["c"].default == parse_expr(stored)


def test_a_null_default_is_not_stored() -> None:
    # PostgreSQL keeps no pg_attrdef row for a NULL constant: the dump shows no DEFAULT.
    schema = loads("CREATE TABLE t (a text DEFAULT NULL, b integer DEFAULT NULL::integer);")
    assert [c.default for c in schema.tables["public.t"].columns.values()] == [None, None]


@pytest.mark.parametrize(("column", "stored"), [
    # A length coercion, a cast to another type or a domain coercion wraps the NULL constant.
    ("varchar(10) DEFAULT NULL", "NULL::character varying"),
    ("varchar(10) DEFAULT NULL::varchar(10)", "NULL::character varying(10)"),
    ("numeric(5,2) DEFAULT NULL::numeric", "NULL::numeric"),
    ("integer DEFAULT NULL::bigint", "NULL::bigint"),
    ("varchar DEFAULT NULL::text", "NULL::text"),
    ("public.d DEFAULT NULL", "NULL::integer"),
    # Coerced to a bare NULL constant: nothing is stored (interval takes its typmod at once).
    ("varchar DEFAULT NULL::varchar", None), ("interval hour DEFAULT NULL", None),
    ("integer[] DEFAULT NULL", None), ("public.mood DEFAULT NULL::public.mood", None),
])  # fmt: skip
def test_a_null_default_is_stored_unless_coerced_to_a_bare_null(
    column: str, stored: str | None
) -> None:
    schema = loads("CREATE DOMAIN public.d AS integer DEFAULT 1;\n"
                   "CREATE TYPE public.mood AS ENUM ('a');\n"
                   f"CREATE TABLE t (c {column});")  # fmt: skip
    default = schema.tables["public.t"].columns["c"].default
    assert default == (parse_expr(stored) if stored else None)


def test_a_routine_argument_default_keeps_its_null_as_a_typed_constant() -> None:
    schema = loads(
        "CREATE FUNCTION f(a text DEFAULT NULL, b jsonb DEFAULT '{}') RETURNS int "
        "LANGUAGE sql AS 'SELECT 1';"
    )
    arguments = schema.functions["public.f(text, jsonb)"].arguments
    assert [a.default for a in arguments] == [parse_expr("NULL::text"), parse_expr("'{}'::jsonb")]


def test_nextval_of_a_bare_sequence_name_is_a_qualified_regclass() -> None:
    schema = loads("CREATE SEQUENCE s; CREATE TABLE t (id bigint DEFAULT nextval('s'));")
    default = schema.tables["public.t"].columns["id"].default
    assert default == parse_expr("nextval('public.s'::regclass)")


CHECKS = TYPES + (
    "CREATE TABLE u (n numeric, v varchar(5), st public.s, i integer, bi bigint, tx text,"
    " f double precision, r real, b boolean, j jsonb, bp char(3), dtc public.dt,"
    " va varchar(5)[], ta text[], ia integer[], bpa char(3)[]);\n"
)


@pytest.mark.parametrize(
    ("check", "stored"),
    [
        ("n >= 0", "n >= 0::numeric"),  # numeric >= numeric: the integer is cast
        ("n >= 0.0", "n >= 0.0"),
        ("n > -1", "n > '-1'::integer::numeric"),
        ("i < 1.5", "i::numeric < 1.5"),  # int against numeric: the column is cast
        ("i > 0", "i > 0"),  # integer operators take every integer width
        ("bi <> 3000000000", "bi <> '3000000000'::bigint"),
        ("f > 0", "f > 0::double precision"),
        ("r > 1.5", "r > 1.5::double precision"),  # real compares with float8 (float48)
        ("v <> ''", "v::text <> ''::text"),  # varchar is read as text
        ("dtc <> 'x'", "dtc::text <> 'x'::text"),  # a domain is read as its base type
        ("st <> 'b'", "st <> 'b'::public.s"),
        ("tx ~ '^x' AND tx LIKE 'a%'", "tx ~ '^x'::text AND tx ~~ 'a%'::text"),
        ("tx ILIKE 'a%'", "tx ~~* 'a%'::text"),
        ("'x' <> tx", "'x'::text <> tx"),
        ("b = 'true'", "b = true"),
        ("bp <> 'x'", "bp <> 'x'::bpchar"),  # bpchar has its own comparisons
        ("bp LIKE 'x%'", "bp ~~ 'x%'::text"),  # ... and LIKE with a text pattern
        ("tx = v", "tx = v::text"),
        ("bp = v", "bp = v::bpchar"),  # bpchar = bpchar matches one side exactly
        ("bp LIKE v AND v LIKE bp", "bp ~~ v::text AND v::text ~~ bp::text"),
        # x op ANY (array column): x op element resolved, the array cast to its input type.
        ("v <> ALL (va)", "v::text <> ALL (va::text[])"),
        ("tx = ANY (va) AND v = ANY (ta)", "tx = ANY (va::text[]) AND v::text = ANY (ta)"),
        ("n = ANY (ia) AND bi = ANY (ia)", "n = ANY (ia::numeric[]) AND bi = ANY (ia)"),
        ("bp = ANY (va) AND v = ANY (bpa)", "bp = ANY (va::bpchar[]) AND v::bpchar = ANY (bpa)"),
        ("v LIKE ANY (bpa)", "v::text ~~ ANY (bpa::text[])"),
        # anycompatible(array) arguments join one common type, arrays by their elements.
        ("array_length(array_append(ia, 1.5), 1) > 0",
         "array_length(array_append(ia::numeric[], 1.5), 1) > 0"),
        ("array_position(va, tx) > 0", "array_position(va, tx::character varying) > 0"),
        ("cardinality(array_cat(ia, '{1}')) > 0",
         "cardinality(array_cat(ia, '{1}'::integer[])) > 0"),
        ("cardinality(array_remove(ia, bi)) > 0",
         "cardinality(array_remove(ia::bigint[], bi)) > 0"),
        ("tx IN ('a', 'b')", "tx = ANY (ARRAY['a'::text, 'b'::text])"),
        ("tx NOT IN ('a', 'b')", "tx <> ALL (ARRAY['a'::text, 'b'::text])"),
        ("tx IN ('a')", "tx = 'a'::text"),  # one element: a plain comparison
        ("v IN ('a', 'b')", "v::text = ANY (ARRAY['a'::text, 'b'::text])"),
        ("n IN (1.5, 2)", "n = ANY (ARRAY[1.5, 2::numeric])"),
        ("i IN (1, 2)", "i = ANY (ARRAY[1, 2])"),
        ("st IN ('a', 'b')", "st = ANY (ARRAY['a'::public.s, 'b'::public.s])"),
        ("i BETWEEN 1 AND 5", "i >= 1 AND i <= 5"),
        ("coalesce(tx, '') <> tx", "COALESCE(tx, ''::text) <> tx"),
        ("j ? 'k' AND j <> '{}'", "j ? 'k'::text AND j <> '{}'::jsonb"),
        ("j ->> 'k' <> ''", "(j ->> 'k'::text) <> ''::text"),  # ->> gives text
        ("(j ->> 'n')::integer > 0", "(j ->> 'n'::text)::integer > 0"),
        ("char_length(v) < 5", "char_length(v::text) < 5"),
        ("length(tx) > 0", "length(tx) > 0"),
    ],
)
def test_a_source_check_is_stored_with_its_operands_typed(check: str, stored: str) -> None:
    schema = loads(CHECKS + f"ALTER TABLE u ADD CONSTRAINT c CHECK ({check});")
    assert schema["constraint:public.u.c"].expression == parse_expr(stored)


def test_a_domain_check_types_value_as_the_type_the_domain_is_over() -> None:
    schema = loads(
        "CREATE DOMAIN amount AS numeric(12,2) CHECK (VALUE >= 0);\n"
        "CREATE DOMAIN small AS amount CHECK (VALUE < 100);\n"
        "CREATE DOMAIN kind AS text CHECK (VALUE IN ('a', 'b'));\n"
    )
    assert schema["domain:public.amount"].checks[0].expression == parse_expr("VALUE >= 0::numeric")
    # VALUE of a domain over a domain is of that domain: read as its numeric base.
    assert schema["domain:public.small"].checks[0].expression == parse_expr(
        "VALUE::numeric < 100::numeric"
    )
    assert schema["domain:public.kind"].checks[0].expression == parse_expr(
        "VALUE = ANY (ARRAY['a'::text, 'b'::text])"
    )


TABLES = (
    "CREATE TABLE u (id int PRIMARY KEY, name text, org int, v varchar(5));\n"
    "CREATE TABLE m (uid int, org int, role text);\n"
)


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("SELECT * FROM u", "SELECT u.id, u.name, u.org, u.v FROM public.u"),
        ("SELECT u.* FROM u", "SELECT u.id, u.name, u.org, u.v FROM public.u"),
        (
            "SELECT * FROM u JOIN m ON u.id = m.uid",
            "SELECT u.id, u.name, u.org, u.v, m.uid, m.org, m.role"
            " FROM public.u JOIN public.m ON u.id = m.uid",
        ),
        (
            # JOIN ... USING: the merged column first, as the left side's
            "SELECT * FROM u JOIN m USING (org)",
            "SELECT u.org, u.id, u.name, u.v, m.uid, m.role"
            " FROM public.u JOIN public.m USING (org)",
        ),
        (
            "SELECT name, count(*) FROM u GROUP BY name HAVING count(*) > 1",
            "SELECT u.name, count(*) AS count FROM public.u GROUP BY u.name HAVING count(*) > 1",
        ),
        (
            # ORDER BY a result name sorts by its expression
            "SELECT id AS ident FROM u ORDER BY ident",
            "SELECT u.id AS ident FROM public.u ORDER BY u.id",
        ),
        (
            # literals meet the columns' types; v is varchar, read as text
            "SELECT id FROM u x WHERE v = 'a' AND name LIKE 'b%'",
            "SELECT x.id FROM public.u x WHERE x.v::text = 'a'::text AND x.name ~~ 'b%'::text",
        ),
        (
            # a correlated name resolves outward; EXISTS' list gets no names
            "SELECT id FROM u WHERE EXISTS (SELECT 1 FROM m WHERE uid = id AND role = 'x')",
            "SELECT u.id FROM public.u WHERE EXISTS (SELECT 1 FROM public.m"
            " WHERE m.uid = u.id AND m.role = 'x'::text)",
        ),
        (
            "SELECT id, (SELECT count(*) FROM m WHERE uid = id) AS c FROM u",
            "SELECT u.id, (SELECT count(*) AS count FROM public.m WHERE m.uid = u.id) AS c"
            " FROM public.u",
        ),
        (
            # a UNION branch takes the first branch's names
            "SELECT id FROM u UNION SELECT uid FROM m",
            "SELECT u.id FROM public.u UNION SELECT m.uid AS id FROM public.m",
        ),
        (
            "WITH x AS (SELECT id FROM u) SELECT * FROM x",
            "WITH x AS (SELECT u.id FROM public.u) SELECT x.id FROM x",
        ),
        (
            "SELECT x.id FROM (SELECT id FROM u) x",
            "SELECT x.id FROM (SELECT u.id FROM public.u) x",
        ),
        (
            # string literals in a SELECT list are text; names from FigureColname
            "SELECT 'a' AS l, 'b', upper(name), coalesce(name, 'none'),"
            " CASE WHEN id > 0 THEN 'p' ELSE 'n' END AS sign FROM u",
            "SELECT 'a'::text AS l, 'b'::text AS \"?column?\", upper(u.name) AS upper,"
            " COALESCE(u.name, 'none'::text) AS \"coalesce\","
            " CASE WHEN u.id > 0 THEN 'p'::text ELSE 'n'::text END AS sign FROM public.u",
        ),
        (
            # a WITH query's and a sub-select's columns keep their types: literals compared
            # with them outside are typed (varchar read as text, count(*) is bigint)
            "WITH w AS (SELECT v, count(*) AS n FROM u GROUP BY v) SELECT v FROM w"
            " WHERE v = 'a' AND n > 1 UNION ALL SELECT s.name FROM (SELECT name FROM u) s"
            " WHERE s.name LIKE 'b%'",
            "WITH w AS (SELECT u.v, count(*) AS n FROM public.u GROUP BY u.v) SELECT w.v FROM w"
            " WHERE w.v::text = 'a'::text AND w.n > 1 UNION ALL SELECT s.name AS v FROM"
            " (SELECT u.name FROM public.u) s WHERE s.name ~~ 'b%'::text",
        ),
        (
            # IS DISTINCT FROM resolves = (operands typed); IS NOT DISTINCT FROM is stored
            # as NOT (... IS DISTINCT FROM ...)
            "SELECT id FROM u WHERE name IS DISTINCT FROM 'a' AND v IS NOT DISTINCT FROM 'b'",
            "SELECT u.id FROM public.u WHERE u.name IS DISTINCT FROM 'a'::text"
            " AND NOT u.v::text IS DISTINCT FROM 'b'::text",
        ),
        (
            # ARRAY[...]::t[] hands t down to the elements; the array keeps no cast, and an
            # element already of type t takes none
            "SELECT id FROM u WHERE org = ANY (ARRAY[1, 2]::bigint[])"
            " AND name = ANY (ARRAY['a', name]::text[]) AND org = ANY (ARRAY[]::int[])",
            "SELECT u.id FROM public.u WHERE u.org = ANY (ARRAY[1::bigint, 2::bigint])"
            " AND u.name = ANY (ARRAY['a'::text, u.name]) AND u.org = ANY (ARRAY[]::integer[])",
        ),
        (
            # a FROM item pgdrift cannot see into leaves the query as written
            "SELECT * FROM pg_get_keywords() k",
            "SELECT * FROM pg_get_keywords() k",
        ),
        (
            # jsonb_each's OUT parameters are its columns, printed with the alias
            "SELECT e.* FROM u, jsonb_each(to_jsonb(u.name)) e",
            "SELECT e.key, e.value FROM public.u,"
            " LATERAL jsonb_each(to_jsonb(u.name)) AS e (key, value)",
        ),
    ],
)
def test_a_source_view_is_stored_as_pg_get_viewdef_prints_it(query: str, stored: str) -> None:
    schema = loads(TABLES + f"CREATE VIEW v AS {query};")
    assert schema.views["public.v"].query == _query(stored)


def test_a_view_over_a_view_expands_to_its_result_names() -> None:
    schema = loads(TABLES + "CREATE VIEW a AS SELECT id AS ident FROM u;\n"
                   "CREATE VIEW b AS SELECT * FROM a;\n")  # fmt: skip
    assert schema.views["public.b"].query == _query("SELECT a.ident FROM public.a")


def test_view_column_names_are_taken_into_the_query() -> None:
    schema = loads(TABLES + "CREATE VIEW v (ident, label) AS SELECT id, name FROM u;")
    view = schema.views["public.v"]
    assert view.query == _query("SELECT u.id AS ident, u.name AS label FROM public.u")
    assert view.column_names == ()


def test_a_policy_keeps_its_own_columns_bare_and_qualifies_its_sub_selects() -> None:
    schema = loads(
        TABLES + "CREATE POLICY p ON u USING (org IN (SELECT org FROM m WHERE uid = id)"
        " AND name <> '' AND (current_setting('app.claims', true)::jsonb ->> 'sub') = name);"
    )
    assert schema["policy:public.u.p"].using == parse_expr(
        "org IN (SELECT m.org FROM public.m WHERE m.uid = u.id) AND name <> ''::text"
        " AND (current_setting('app.claims'::text, true)::jsonb ->> 'sub'::text) = name"
    )


def test_index_expressions_and_predicates_are_typed() -> None:
    schema = loads(
        TABLES + "CREATE INDEX ON u (lower(v)) WHERE name = 'x';\n"
        "CREATE INDEX ON u ((name || 'x'));\n"
    )
    first = schema["index:public.u_lower_idx"]
    assert first.elements[0].expression == parse_expr("lower(v::text)")
    assert first.where == parse_expr("name = 'x'::text")
    assert schema["index:public.u_expr_idx"].elements[0].expression == parse_expr(
        "name || 'x'::text"
    )


def test_a_statement_pg_dump_wrote_is_read_as_written() -> None:
    # pg_dump's output is already in this form: statements under a TOC header skip the work.
    schema = loads(
        "--\n-- Name: t; Type: TABLE; Schema: public; Owner: postgres\n--\n\n"
        "CREATE TABLE public.t (a text DEFAULT 'x');\n"
    )
    assert schema.tables["public.t"].columns["a"].default == parse_expr("'x'")


# Checked on PostgreSQL 15: integer operands beside a numeric (or a double precision) one are
# cast to it; the integer types have operators across each other.
ARITHMETIC = "CREATE TABLE t (a int, b numeric, c bigint, d double precision, e smallint);\n"


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("SELECT a * b AS x FROM t", "SELECT t.a::numeric * t.b AS x FROM public.t"),
        (
            "SELECT a + c AS x, e * a AS y FROM t",
            "SELECT t.a + t.c AS x, t.e * t.a AS y FROM public.t",
        ),
        ("SELECT b * d AS x FROM t", "SELECT t.b::double precision * t.d AS x FROM public.t"),
        (
            "SELECT b * 2 AS x, a * 2 AS y FROM t",
            "SELECT t.b * 2::numeric AS x, t.a * 2 AS y FROM public.t",
        ),
        ("SELECT a * b * 0.9 AS x FROM t", "SELECT t.a::numeric * t.b * 0.9 AS x FROM public.t"),
    ],
)
def test_arithmetic_operands_are_cast_to_the_wider_number_type(query: str, stored: str) -> None:
    schema = loads(ARITHMETIC + f"CREATE VIEW v AS {query};")
    assert schema.views["public.v"].query == _query(stored)


def test_a_generated_column_is_typed_with_its_tables_columns() -> None:
    schema = loads(
        "CREATE TABLE g (p numeric, q int, d numeric GENERATED ALWAYS AS (p * q) STORED);"
    )
    assert schema.tables["public.g"].columns["d"].generated == parse_expr("p * q::numeric")


def test_a_view_column_has_its_querys_type_for_what_uses_it() -> None:
    # A view's column is typed through its query (here numeric, via a table and a sum), so a
    # literal compared with it, or its default, is coerced as for a table column.
    schema = loads(
        ARITHMETIC + "CREATE VIEW s AS SELECT sum(b) AS total, a FROM t GROUP BY a;"
        "CREATE VIEW v AS SELECT total FROM s WHERE total > 10;"
        "ALTER VIEW s ALTER COLUMN a SET DEFAULT '4';"
    )
    assert schema.views["public.v"].query == _query(
        "SELECT s.total FROM public.s WHERE s.total > 10::numeric"
    )
    assert schema.views["public.s"].column_defaults == (("a", parse_expr("4")),)


def test_string_functions_with_one_signature_type_their_literals_as_text() -> None:
    schema = loads(
        "CREATE TABLE t (a text, b varchar(5));"
        "CREATE VIEW v AS SELECT string_to_array(a, '/') AS x, octet_length(b) AS y FROM t;"
    )
    assert schema.views["public.v"].query == _query(
        "SELECT string_to_array(t.a, '/'::text) AS x, octet_length(t.b::text) AS y FROM public.t"
    )


def test_a_sql_standard_body_is_stored_as_postgresql_prints_it() -> None:
    # Checked on PostgreSQL 15: a parameter is qualified with the routine's name where a
    # range table is in scope; queries are qualified; literals typed; no AS "?column?".
    schema = loads(
        "CREATE TABLE a (id int, balance numeric);"
        "CREATE FUNCTION f(p int) RETURNS int LANGUAGE sql BEGIN ATOMIC"
        " SELECT p * 3 + (SELECT count(*) FROM a WHERE id = p); END;"
        "CREATE PROCEDURE r(nb numeric) LANGUAGE sql BEGIN ATOMIC"
        " UPDATE a SET balance = nb WHERE id > 0; END;"
        "CREATE FUNCTION t() RETURNS numeric LANGUAGE sql BEGIN ATOMIC"
        " SELECT coalesce(sum(balance), 0) FROM a; END;"
    )
    bodies = {
        o.name: o.sql_body for o in schema.objects.values() if o.kind in ("function", "procedure")
    }  # type: ignore[attr-defined]
    assert bodies["f"] == Expr(canonical([_statement(
        "SELECT p * 3 + (SELECT count(*) AS count FROM public.a WHERE a.id = f.p)")]))  # fmt: skip
    assert bodies["r"] == Expr(canonical([_statement(
        "UPDATE public.a SET balance = r.nb WHERE a.id > 0")]))  # fmt: skip
    assert bodies["t"] == Expr(canonical([_statement(
        "SELECT COALESCE(sum(a.balance), 0::numeric) AS coalesce FROM public.a")]))  # fmt: skip


def _statement(sql: str) -> object:
    return json.loads(parse_sql_json(sql))["stmts"][0]["stmt"]


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        (
            # a sub-select's entry named as an outer one's is numbered, written qualifiers too
            "SELECT u.id, (SELECT count(*) FROM u WHERE u.org = 1) AS c FROM u",
            "SELECT u.id, (SELECT count(*) AS count FROM public.u u_1 WHERE u_1.org = 1) AS c"
            " FROM public.u",
        ),
        (
            # a recursive WITH query reading itself; no AS "?column?" outside the view's list
            "WITH RECURSIVE c(k) AS (VALUES (1) UNION ALL SELECT k + 1 FROM c WHERE k < 3)"
            " SELECT k FROM c",
            "WITH RECURSIVE c(k) AS (VALUES (1) UNION ALL SELECT c_1.k + 1 FROM c c_1"
            " WHERE c_1.k < 3) SELECT c.k FROM c",
        ),
    ],
)
def test_range_table_names_are_made_unique_as_ruleutils_does(query: str, stored: str) -> None:
    schema = loads(TABLES + f"CREATE VIEW v AS {query};")
    assert schema.views["public.v"].query == _query(stored)


@pytest.mark.parametrize(
    ("column_type", "default", "stored"),
    [
        # ISO date and time literals as the output functions print them (DateStyle ISO); a
        # timestamptz read and printed in UTC, as on the fixture clusters
        ("date", "'2020-1-5'", "'2020-01-05'::date"),
        (
            "timestamp",
            "'2020-01-02T03:04:05'",
            "'2020-01-02 03:04:05'::timestamp without time zone",
        ),
        ("timestamptz", "'2020-01-01'", "'2020-01-01 00:00:00+00'::timestamp with time zone"),
        (
            "timestamptz",
            "'2020-01-01 10:30:00.250+02'",
            "'2020-01-01 08:30:00.25+00'::timestamp with time zone",
        ),
        ("timestamptz", "'now'", "'now'::timestamp with time zone"),  # not an ISO form: as written
    ],
)
def test_date_and_time_literals_are_printed_as_postgresql_prints_them(
    column_type: str, default: str, stored: str
) -> None:
    schema = loads(f"CREATE TABLE t (c {column_type} DEFAULT {default});")
    assert schema.tables["public.t"].columns["c"].default == parse_expr(stored)


def test_group_by_a_position_and_date_trunc_of_a_date_are_stored_as_printed() -> None:
    # Checked on PostgreSQL 15: GROUP BY 1 prints the first column's expression, and
    # date_trunc(text, date) resolves to the timestamptz overload with the cast shown.
    schema = loads(
        "CREATE TABLE s (d date, amount numeric);"
        "CREATE VIEW v AS SELECT date_trunc('month', d) AS m, sum(amount) AS t FROM s GROUP BY 1;"
    )
    assert schema.views["public.v"].query == _query(
        "SELECT date_trunc('month'::text, s.d::timestamp with time zone) AS m,"
        " sum(s.amount) AS t FROM public.s"
        " GROUP BY date_trunc('month'::text, s.d::timestamp with time zone)"
    )


def test_a_literal_given_to_a_function_with_one_signature_takes_its_parameters_type() -> None:
    # Checked on PostgreSQL 15: a domain parameter gets the base type's literal cast to it; a
    # name with overloads of that arity is left as written (pgdrift cannot choose offline).
    schema = loads(
        "CREATE DOMAIN d AS text; CREATE FUNCTION f(a text, b int) RETURNS text"
        " LANGUAGE sql AS 'select a'; CREATE FUNCTION g(a d) RETURNS text LANGUAGE sql"
        " AS 'select a'; CREATE FUNCTION h(a text) RETURNS text LANGUAGE sql AS 'select a';"
        " CREATE FUNCTION h(a int) RETURNS text LANGUAGE sql AS 'select 1';"
        " CREATE TABLE t (x text DEFAULT f('q', 1), y text DEFAULT g('r'), z text DEFAULT h('s'));"
    )
    columns = schema.tables["public.t"].columns
    assert columns["x"].default == parse_expr("public.f('q'::text, 1)")
    assert columns["y"].default == parse_expr("public.g('r'::text::public.d)")
    assert columns["z"].default == parse_expr("public.h('s')")


def test_a_citext_column_compared_with_a_literal_uses_its_operator_when_visible() -> None:
    # Checked on PostgreSQL 15: with citext's schema on the search_path its own operator is
    # chosen (printed qualified, pg_dump empties the search_path); off it, the text one.
    schema = loads(
        "CREATE SCHEMA ext; CREATE EXTENSION citext WITH SCHEMA ext;"
        "CREATE TABLE c (e ext.citext CHECK (e LIKE '%@%'));"
        "SET search_path = public, ext;"
        "CREATE TABLE d (e citext CHECK (e = 'x'));"
    )
    checks = {o.name: o.expression for o in schema.objects.values() if o.kind == "constraint"}  # type: ignore[attr-defined]
    assert checks["c_e_check"] == parse_expr("e::text ~~ '%@%'::text")
    assert checks["d_e_check"] == parse_expr("e OPERATOR(ext.=) 'x'::ext.citext")


def test_a_cast_of_a_column_to_its_own_type_is_not_stored() -> None:
    # coerce_type returns the column itself; varchar(10)::varchar changes the typmod and stays.
    schema = loads(
        "CREATE TABLE t (s text, v varchar(10), CHECK (s::text <> ''), CHECK (v::varchar <> 'x'));"
    )
    checks = {c.name: c.expression for c in schema.constraints.values()}
    assert checks["t_s_check"] == parse_expr("s <> ''::text")
    assert checks["t_v_check"] == parse_expr("v::character varying::text <> 'x'::text")


def test_an_array_column_compared_with_a_literal_types_the_literal_as_the_array() -> None:
    schema = loads(
        "CREATE TABLE t (a text[], b varchar(5)[], CHECK (a <> '{}'), CHECK ('{}' <> b));"
    )
    checks = {c.name: c.expression for c in schema.constraints.values()}
    assert checks["t_a_check"] == parse_expr("a <> '{}'::text[]")
    assert checks["t_b_check"] == parse_expr("'{}'::character varying[] <> b")


def test_an_index_expression_that_is_a_column_is_a_column_key() -> None:
    schema = loads("CREATE TABLE t (s text);\nCREATE INDEX i ON t ((t.s::text));")
    (element,) = schema.indexes["public.i"].elements
    assert (element.column, element.expression) == ("s", None)


def test_an_extensions_function_and_operator_class_resolve_to_its_schema() -> None:
    # uuid-ossp's and pg_trgm's names are not pg_catalog's: along the search_path they are
    # found in the schema each extension was installed in (fixtures/ddl/extension_calls).
    schema = loads(
        'CREATE EXTENSION "uuid-ossp";\nCREATE SCHEMA ext;\nCREATE EXTENSION pg_trgm SCHEMA ext;\n'
        "SET search_path = public, ext;\n"
        "CREATE TABLE t (id uuid DEFAULT uuid_generate_v4(), name text);\n"
        "CREATE INDEX i ON t USING gin (name gin_trgm_ops);\n"
        "CREATE VIEW v AS SELECT similarity(name, 'bob') AS s FROM t;\n"
    )
    assert schema.tables["public.t"].columns["id"].default == parse_expr(
        "public.uuid_generate_v4()"
    )
    assert schema.indexes["public.i"].elements[0].opclass == "ext.gin_trgm_ops"
    assert schema.views["public.v"].query == _query(
        "SELECT ext.similarity(t.name, 'bob'::text) AS s FROM public.t"
    )
    # gen_random_uuid is built in since PostgreSQL 13: pgcrypto's does not take it over.
    built_in = loads(
        "CREATE EXTENSION pgcrypto;\nCREATE TABLE t (id uuid DEFAULT gen_random_uuid());\n"
    )
    assert built_in.tables["public.t"].columns["id"].default == parse_expr("gen_random_uuid()")


def test_ltree_intarray_and_cube_functions_resolve_to_their_schema() -> None:
    # Names pg_catalog has none of (pg_proc, PostgreSQL 15; fixtures/ddl/extension_functions_
    # round5); regexp_split_to_array takes text literals.
    schema = loads(
        "CREATE EXTENSION ltree; CREATE EXTENSION intarray; CREATE EXTENSION cube;"
        "CREATE TABLE t (p ltree, a int[], c cube, b text);"
        "CREATE VIEW v AS SELECT nlevel(p) AS n, sort(a) AS s, cube_dim(c) AS d,"
        " regexp_split_to_array(b, ',') AS r FROM t;"
    )
    assert schema.views["public.v"].query == _query(
        "SELECT public.nlevel(t.p) AS n, public.sort(t.a) AS s, public.cube_dim(t.c) AS d,"
        " regexp_split_to_array(t.b, ','::text) AS r FROM public.t"
    )


def test_an_extensions_operators_resolve_to_its_schema_only_for_their_types() -> None:
    # pg_trgm's % takes text: on an integer column % is still pg_catalog's modulo; hstore's
    # -> and ? take a text literal, its - takes hstore (a literal is first taken to be of the
    # other operand's type), whose printed form pgdrift leaves as written
    # (fixtures/ddl/extension_operators).
    schema = loads(
        "CREATE EXTENSION pg_trgm;\nCREATE EXTENSION hstore;\n"
        "CREATE TABLE t (id int CHECK (id % 2 = 0), name text CHECK (name % 'bob'), "
        "h hstore CHECK ((h -> 'k') = 'v'), g hstore CHECK (g - 'k' IS NOT NULL));\n"
    )
    checks = {c.name: c.expression for c in schema.constraints.values()}
    assert checks["t_id_check"] == parse_expr("(id % 2) = 0")
    assert checks["t_name_check"] == parse_expr("name OPERATOR(public.%) 'bob'::text")
    assert checks["t_h_check"] == parse_expr("(h OPERATOR(public.->) 'k'::text) = 'v'::text")
    assert checks["t_g_check"] == parse_expr("(g - 'k') IS NOT NULL")


def test_builtins_taking_text_type_their_literals_and_cast_varchar_columns() -> None:
    schema = loads(
        "CREATE TABLE f (v varchar(9), d date, y int GENERATED ALWAYS AS "
        "(date_part('year', d)::int) STORED);\n"
        "CREATE VIEW w AS SELECT lpad(v, 5, '*') AS l FROM f;\n"
    )
    assert schema.tables["public.f"].columns["y"].generated == parse_expr(
        "date_part('year'::text, d)::integer"
    )
    assert schema.views["public.w"].query == _query(
        "SELECT lpad(f.v::text, 5, '*'::text) AS l FROM public.f"
    )


def test_setweights_weight_is_a_char_literal() -> None:
    # setweight(tsvector, "char" [, text[]]) has one signature per arity (pg_proc): the weight
    # letter is stored 'A'::"char" (fixtures/ddl/text_search_apps, proven on PostgreSQL 15).
    schema = loads(
        "CREATE TABLE p (t text, s tsvector GENERATED ALWAYS AS"
        " (setweight(to_tsvector('english', t), 'A')) STORED);"
        "CREATE VIEW v AS SELECT setweight(s, 'B', '{x}') AS w FROM p;"
    )
    assert schema.tables["public.p"].columns["s"].generated == parse_expr(
        "setweight(to_tsvector('english'::regconfig, t), 'A'::\"char\")"
    )
    assert schema.views["public.v"].query == _query(
        "SELECT setweight(p.s, 'B'::\"char\", '{x}'::text[]) AS w FROM public.p"
    )


def test_date_trunc_is_of_its_arguments_type_beside_a_literal() -> None:
    # date_trunc(text, timestamp | timestamptz | interval) returns that type (pg_proc); a
    # literal compared with it is read as it (fixtures/ddl/date_trunc_keys, PostgreSQL 15).
    schema = loads(
        "CREATE TABLE s (t timestamp, w interval,"
        " CHECK (date_trunc('day', t) > '2020-01-01'), CHECK (date_trunc('hour', w) < '5 hours'));"
    )
    checks = sorted(str(c.expression) for c in schema.constraints.values())
    assert checks == sorted(str(parse_expr(e)) for e in (
        "date_trunc('day'::text, t) > '2020-01-01 00:00:00'::timestamp without time zone",
        "date_trunc('hour'::text, w) < '05:00:00'::interval",
    ))  # fmt: skip


def test_to_char_of_a_date_casts_it_to_timestamptz() -> None:
    # Checked on PostgreSQL 15 (fixture ddl/expressions): to_char has no date overload; of
    # timestamp and timestamptz, the category's preferred type wins, and the cast is stored.
    # date_part(text, date) exists, so its date argument is left alone.
    schema = loads(
        "CREATE TABLE s (d date, ts timestamp);"
        "CREATE VIEW v AS SELECT to_char(d, 'YYYY') AS y, to_char(ts, 'YYYY') AS z,"
        " date_part('year', d) AS p FROM s;"
    )
    assert schema.views["public.v"].query == _query(
        "SELECT to_char(s.d::timestamp with time zone, 'YYYY'::text) AS y,"
        " to_char(s.ts, 'YYYY'::text) AS z, date_part('year'::text, s.d) AS p FROM public.s"
    )


def test_literals_are_typed_beside_results_pgdrift_can_type() -> None:
    # fixtures/ddl/expression_typing proves each against PostgreSQL 15.
    schema = loads(
        "CREATE TABLE t (id int, w interval, r text[], c char(4), v varchar(9), b boolean,\n"
        "  g text DEFAULT 'v' || 2,\n"
        "  CONSTRAINT k1 CHECK ('admin' = ANY (r)),\n"
        "  CONSTRAINT k2 CHECK (w * 3 < '1 day' AND w / 2 < '1 hour'),\n"
        "  CONSTRAINT k3 CHECK (EXTRACT(epoch FROM w) / 60 < 100),\n"
        "  CONSTRAINT k4 CHECK (c || v <> ''),\n"
        "  CONSTRAINT k5 CHECK (CASE WHEN b THEN v END <> ''),\n"
        "  CONSTRAINT k6 CHECK (id BETWEEN SYMMETRIC 9 AND 1));\n"
    )
    table = schema.tables["public.t"]
    checks = {c.name: c.expression for c in schema.constraints.values()}
    assert table.columns["g"].default == parse_expr("'v'::text || 2")
    assert checks["k1"] == parse_expr("'admin'::text = ANY (r)")
    assert checks["k2"] == parse_expr(
        "w * 3::double precision < '1 day'::interval"
        " AND w / 2::double precision < '01:00:00'::interval"
    )
    assert checks["k3"] == parse_expr("EXTRACT(epoch FROM w) / 60::numeric < 100::numeric")
    assert checks["k4"] == parse_expr("c::text || v::text <> ''::text")
    assert checks["k5"] == parse_expr(
        "(CASE WHEN b THEN v ELSE NULL::character varying END)::text <> ''::text"
    )
    assert checks["k6"] == parse_expr("(id >= 9 AND id <= 1) OR (id >= 1 AND id <= 9)")


def test_function_parameters_and_common_types_type_literals_in_a_view() -> None:
    # fixtures/ddl/expression_typing proves each against PostgreSQL 15.
    schema = loads(
        "CREATE TYPE st AS ENUM ('a', 'b');\n"
        "CREATE TABLE t (s st, n numeric, k text, tags text[], j jsonb);\n"
        "CREATE VIEW v AS SELECT string_agg(k, ', ') AS a, GREATEST(n, 10) AS g,\n"
        "  CASE s WHEN 'a' THEN 1 END AS c, tags[1] = 'x' AS x, j - 'k' AS m FROM t;\n"
    )
    assert schema.views["public.v"].query == _query(
        "SELECT string_agg(t.k, ', '::text) AS a, GREATEST(t.n, 10::numeric) AS g,"
        " CASE t.s WHEN 'a'::public.st THEN 1 ELSE NULL::integer END AS c,"
        " (t.tags)[1] = 'x'::text AS x, t.j - 'k'::text AS m FROM public.t"
    )


def test_ranges_arrays_domains_and_mixed_numbers_are_typed_as_postgresql_types_them() -> None:
    # fixtures/ddl/expression_typing proves each against PostgreSQL 15.
    schema = loads(
        "CREATE DOMAIN price AS numeric;\n"
        "CREATE TABLE t (a date, b date, lo price, hi price, n int, r numeric, tags text[],\n"
        "  c char(2),\n"
        "  CONSTRAINT k1 CHECK (daterange(a, b, '[]') <> 'empty' AND numrange(0, NULL) @> r),\n"
        "  CONSTRAINT k2 CHECK (tags @> '{x}'),\n"
        "  CONSTRAINT k3 CHECK (lo <= hi AND r > n AND upper(c) <> 'XX'));\n"
    )
    checks = {c.name: c.expression for c in schema.constraints.values()}
    assert checks["k1"] == parse_expr(
        "daterange(a, b, '[]'::text) <> 'empty'::daterange"
        " AND numrange(0::numeric, NULL::numeric) @> r"
    )
    assert checks["k2"] == parse_expr("tags @> '{x}'::text[]")
    assert checks["k3"] == parse_expr(
        "lo::numeric <= hi::numeric AND r > n::numeric AND upper(c::text) <> 'XX'::text"
    )


def test_an_insert_in_a_body_gets_its_columns_and_its_values_their_types() -> None:
    # transformInsertStmt: without a column list, the table's first columns, one a value;
    # each VALUES row's literals coerced to their columns (a domain's: its base type).
    schema = loads(
        "CREATE TYPE st AS ENUM ('new', 'old'); CREATE DOMAIN dm AS varchar(9);"
        "CREATE TABLE t (id int, s st, d dm, z numeric, q varchar(3), w text);"
        "CREATE PROCEDURE add(p int) LANGUAGE sql BEGIN ATOMIC"
        " INSERT INTO t VALUES (p, 'old', 'x', '1.50', NULL), (2, 'new', 'y', 3, 'w'); END;"
    )
    body = next(o.sql_body for o in schema.objects.values() if o.kind == "procedure")
    assert body == Expr(canonical([_statement(
        "INSERT INTO public.t (id, s, d, z, q) VALUES (add.p, 'old'::public.st, 'x'::varchar,"
        " 1.50, NULL::varchar), (2, 'new'::public.st, 'y'::varchar, 3, 'w'::varchar)"
    )]))  # fmt: skip


def test_values_arrays_case_and_coalesce_join_their_common_type() -> None:
    # fixtures/ddl/expression_typing_more proves each against PostgreSQL 15.
    schema = loads(
        "CREATE DOMAIN dt AS text;\n"
        "CREATE TABLE t (a int, b smallint, q int, n numeric, v varchar(5), x text, d dt);\n"
        "CREATE VIEW plans AS VALUES ('free'::text, 0), ('pro', NULL), ('max', 1.5);\n"
        "CREATE VIEW mixed AS SELECT ARRAY[a, b] AS pair, ARRAY[v, x] AS names,\n"
        "  ARRAY[1, NULL] AS nums, CASE WHEN q > 1 THEN q ELSE 0.5 END AS c,\n"
        "  CASE WHEN q > 1 THEN v ELSE x END AS e, CASE WHEN q > 1 THEN NULL END AS f,\n"
        "  CASE WHEN q > 1 THEN 1 WHEN q > 2 THEN n END AS g,\n"
        "  COALESCE(d, 'x') AS h, COALESCE(d, d) AS k, COALESCE(b, a, 2.5) AS l FROM t;\n"
    )
    # In VALUES only the literals show their type: the other casts are implicit, unprinted.
    assert schema.views["public.plans"].query == _query(
        "VALUES ('free'::text, 0), ('pro'::text, NULL::numeric), ('max'::text, 1.5)"
    )
    # A CASE's ELSE leads (varchar THEN, text ELSE: text); a domain meeting a literal is
    # read as its base type; text, varchar and char keep the first of them.
    assert schema.views["public.mixed"].query == _query(
        "SELECT ARRAY[t.a, t.b::integer] AS pair, ARRAY[t.v, t.x::character varying] AS names,"
        " ARRAY[1, NULL::integer] AS nums,"
        " CASE WHEN t.q > 1 THEN t.q::numeric ELSE 0.5 END AS c,"
        " CASE WHEN t.q > 1 THEN t.v::text ELSE t.x END AS e,"
        " CASE WHEN t.q > 1 THEN NULL::text ELSE NULL::text END AS f,"
        " CASE WHEN t.q > 1 THEN 1::numeric WHEN t.q > 2 THEN t.n ELSE NULL::numeric END AS g,"
        " COALESCE(t.d::text, 'x'::text) AS h, COALESCE(t.d, t.d) AS k,"
        " COALESCE(t.b::numeric, t.a::numeric, 2.5) AS l FROM public.t"
    )


def test_builtin_calls_coerce_their_arguments_as_function_resolution_does() -> None:
    # fixtures/ddl/expression_typing_more proves each against PostgreSQL 15.
    schema = loads(
        "CREATE TABLE t (n numeric, i int, s smallint, x text, v varchar(5), d date,\n"
        "  w interval, f float8);\n"
        "CREATE VIEW w AS SELECT lag(n, 1, 0) OVER (ORDER BY d) AS a,\n"
        "  lead(i, 1, 0.5) OVER () AS b, lag(x, 1, 'z') OVER () AS c, lag(s, 1, 0) OVER () AS e,\n"
        "  lag(i, 2) OVER () AS g FROM t;\n"
        "CREATE VIEW o AS SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY n) AS a,\n"
        "  percentile_cont(0.5) WITHIN GROUP (ORDER BY w) AS b,\n"
        "  percentile_disc(1) WITHIN GROUP (ORDER BY i) AS c,\n"
        "  percentile_cont(0.5) WITHIN GROUP (ORDER BY f DESC) AS e FROM t;\n"
        "CREATE VIEW g AS SELECT s.d FROM generate_series(date '2024-01-01',\n"
        "  date '2024-01-31', '1 day') AS s(d);\n"
        "CREATE VIEW p AS SELECT x LIKE 'a!%' ESCAPE '!' AS a, v SIMILAR TO 'a%' ESCAPE '!' AS b,\n"
        "  point(1, i) AS c, sin(n) AS e, make_time(1, 2, 3) AS h FROM t;\n"
    )
    views = schema.views
    # lag and lead: the value and the default are anycompatible, joined as COALESCE's are.
    assert views["public.w"].query == _query(
        "SELECT lag(t.n, 1, 0::numeric) OVER (ORDER BY t.d) AS a,"
        " lead(t.i::numeric, 1, 0.5) OVER () AS b, lag(t.x, 1, 'z'::text) OVER () AS c,"
        " lag(t.s::integer, 1, 0) OVER () AS e, lag(t.i, 2) OVER () AS g FROM public.t"
    )
    # The fraction is double precision; percentile_cont sorts double precision or interval.
    assert views["public.o"].query == _query(
        "SELECT percentile_cont(0.5::double precision) WITHIN GROUP"
        " (ORDER BY t.n::double precision) AS a,"
        " percentile_cont(0.5::double precision) WITHIN GROUP (ORDER BY t.w) AS b,"
        " percentile_disc(1::double precision) WITHIN GROUP (ORDER BY t.i) AS c,"
        " percentile_cont(0.5::double precision) WITHIN GROUP (ORDER BY t.f DESC) AS e"
        " FROM public.t"
    )
    # generate_series has no date overload: of those a date casts to, timestamptz wins.
    assert views["public.g"].query == _query(
        "SELECT s.d FROM generate_series('2024-01-01'::date::timestamp with time zone,"
        " '2024-01-31'::date::timestamp with time zone, '1 day'::interval) AS s (d)"
    )
    # LIKE ... ESCAPE is ~~ like_escape(...), of text; numbers meet double precision parameters.
    assert views["public.p"].query == _query(
        "SELECT t.x ~~ like_escape('a!%'::text, '!'::text) AS a,"
        " t.v::text ~ similar_to_escape('a%'::text, '!'::text) AS b,"
        " point(1::double precision, t.i::double precision) AS c,"
        " sin(t.n::double precision) AS e, make_time(1, 2, 3::double precision) AS h"
        " FROM public.t"
    )


def test_a_scalar_sub_select_is_of_its_results_type() -> None:
    # fixtures/ddl/expression_typing_more proves it against PostgreSQL 15.
    schema = loads(
        "CREATE TABLE t (n bigint, i int, s smallint, m numeric);\n"
        "CREATE VIEW v AS SELECT n FROM t WHERE n > (SELECT avg(n) FROM t)\n"
        "  AND i = (SELECT max(s) FROM t) AND m < (SELECT max(i) FROM t);\n"
    )
    assert schema.views["public.v"].query == _query(
        "SELECT t.n FROM public.t WHERE t.n::numeric > (SELECT avg(t_1.n) AS avg"
        " FROM public.t t_1) AND t.i = (SELECT max(t_1.s) AS max FROM public.t t_1)"
        " AND t.m < (SELECT max(t_1.i) AS max FROM public.t t_1)::numeric"
    )


def test_a_row_cast_to_a_composite_type_coerces_its_fields_to_the_attributes() -> None:
    # fixtures/ddl/expression_typing_more proves it against PostgreSQL 15.
    schema = loads(
        "CREATE TYPE amt AS (amount numeric(12,2), cur text, code varchar(3));\n"
        "CREATE TABLE t (n numeric, x text, a amt DEFAULT ROW(0, 'EUR', 'ab')::amt);\n"
        "CREATE VIEW v AS SELECT ROW(n, NULL, x)::amt AS a, ROW(1.5, x, 'x')::amt AS b FROM t;\n"
    )
    assert schema.tables["public.t"].columns["a"].default == parse_expr(
        "ROW(0::numeric(12,2), 'EUR'::text, 'ab'::character varying(3))::public.amt"
    )
    assert schema.views["public.v"].query == _query(
        "SELECT ROW(t.n::numeric(12,2), NULL::text, t.x::character varying(3))::public.amt AS a,"
        " ROW(1.5::numeric(12,2), t.x, 'x'::character varying(3))::public.amt AS b FROM public.t"
    )


def test_range_bounds_substring_and_nullif_are_of_their_arguments_types() -> None:
    # fixtures/ddl/fidelity_round3 proves each against PostgreSQL 15: lower(daterange) is a
    # date (so date_trunc casts it to timestamptz), substring(text ...) is text, NULLIF(a, b)
    # is of a's type.
    schema = loads(
        "CREATE TABLE t (p daterange, n numeric, u text, r int4range,\n"
        "  CONSTRAINT k1 CHECK (substring(u FROM 1 FOR 2) = 'ab'),\n"
        "  CONSTRAINT k2 CHECK (NULLIF(n, 0) IS DISTINCT FROM 100),\n"
        "  CONSTRAINT k3 CHECK (upper(r) < 10 AND lower(u) <> 'x'));\n"
        "CREATE VIEW v AS SELECT date_trunc('month', lower(p)) AS m FROM t;\n"
    )
    checks = {c.name: c.expression for c in schema.constraints.values()}
    assert checks["k1"] == parse_expr("substring(u FROM 1 FOR 2) = 'ab'::text")
    assert checks["k2"] == parse_expr("NULLIF(n, 0::numeric) IS DISTINCT FROM 100::numeric")
    assert checks["k3"] == parse_expr("upper(r) < 10 AND lower(u) <> 'x'::text")
    assert schema.views["public.v"].query == _query(
        "SELECT date_trunc('month'::text, lower(t.p)::timestamp with time zone) AS m"
        " FROM public.t"
    )


def test_a_value_compared_with_any_of_a_typed_array_is_read_as_its_elements_type() -> None:
    # PostgreSQL re-creates a CHECK from its printed form when its column's type changes
    # (ATPostAlterTypeCleanup): varchar = ANY (text[]) then reads the varchar as text.
    schema = loads(
        "CREATE TABLE t (kind text CHECK (kind IN ('a', 'b')), n int, v varchar(3),\n"
        "  CHECK (n = ANY ('{1,2}'::bigint[]) AND v = ANY ('{a,b}'::text[])));\n"
        "ALTER TABLE t ALTER COLUMN kind TYPE varchar(5);\n"
    )
    checks = {c.name: c.expression for c in schema.constraints.values()}
    assert checks["t_kind_check"] == parse_expr("kind::text = ANY (ARRAY['a'::text, 'b'::text])")
    assert checks["t_check"] == parse_expr(  # int = bigint has an operator (int48eq)
        "n = ANY ('{1,2}'::bigint[]) AND v::text = ANY ('{a,b}'::text[])"
    )


def test_an_enum_composite_or_range_beside_a_string_is_text_concatenated() -> None:
    # fixtures/ddl/expression_typing_round4 proves it against PostgreSQL 15: a type of the
    # schema with no || of its own is text || anynonarray (the literals text, a domain over
    # text cast to text, the other operand as it is), and the result is text.
    schema = loads(
        "CREATE TYPE st AS ENUM ('a');\nCREATE DOMAIN dt AS text;\n"
        "CREATE TYPE pt AS (x float8);\nCREATE TYPE fr AS RANGE (subtype = float8);\n"
        "CREATE TABLE t (s st, d dt, p pt, r fr);\n"
        "CREATE VIEW v AS SELECT 'x' || s AS a, (d || s) || 'y' AS b, p || 'z' AS c,"
        " '<' || r || '>' AS e FROM t;\n"
    )
    assert schema.views["public.v"].query == _query(
        "SELECT 'x'::text || t.s AS a, (t.d::text || t.s) || 'y'::text AS b,"
        " t.p || 'z'::text AS c, ('<'::text || t.r) || '>'::text AS e FROM public.t"
    )


def test_a_composite_field_is_of_its_attributes_type() -> None:
    # fixtures/ddl/expression_typing_round4 proves it against PostgreSQL 15; ((n).m).v is
    # printed (n).m.v.
    schema = loads(
        "CREATE TYPE st AS ENUM ('a');\nCREATE TYPE pt AS (x float8, s st);\n"
        "CREATE TYPE nest AS (p pt, v numeric);\n"
        "CREATE TABLE t (p pt, n nest, CONSTRAINT c CHECK ((p).x > 0 AND (p).s <> 'a'"
        " AND ((n).p).x < 1.5));\n"
    )
    assert schema["constraint:public.t.c"].expression == parse_expr(
        "(p).x > 0::double precision AND (p).s <> 'a'::public.st"
        " AND (n).p.x < 1.5::double precision"
    )


def test_a_composite_parameters_field_in_a_sql_body_is_a_field_selection() -> None:
    # Checked on PostgreSQL 15 (fixtures/ddl/expression_typing_round4): o.total and f.o.total
    # are (o).total, typed by the attribute; an alias o in scope keeps o.total its column.
    schema = loads(
        "CREATE TABLE o (total numeric);\n"
        "CREATE FUNCTION f(o o) RETURNS boolean LANGUAGE sql RETURN f.o.total > 1;\n"
        "CREATE FUNCTION g(o o) RETURNS bigint LANGUAGE sql BEGIN ATOMIC"
        " SELECT count(*) FROM o WHERE o.total > 5; END;\n"
    )
    bodies = {o.name: o.sql_body for o in schema.objects.values() if o.kind == "function"}  # type: ignore[attr-defined]
    assert bodies["f"].sql == "RETURN ((o)).total > 1::numeric"  # as a dump's is printed
    assert bodies["g"] == Expr(canonical([_statement(
        "SELECT count(*) AS count FROM public.o WHERE o.total > 5::numeric")]))  # fmt: skip


def test_a_domain_operand_or_aggregate_argument_is_relabelled_to_its_base_type() -> None:
    # A domain has no operators or aggregates of its own: coerce_type relabels it to its
    # base type, which ruleutils shows as a cast (fixtures/ddl/domain_operands, PostgreSQL 15).
    schema = loads(
        "CREATE DOMAIN m AS numeric(12,2); CREATE DOMAIN q AS integer;"
        "CREATE TABLE t (k int, a q, p m, CHECK (a * 2 < 10), CHECK (k * a > 0));"
        "CREATE VIEW v AS SELECT sum(a * p) AS s, max(p) AS x, count(p) AS c FROM t;"
    )
    checks = {c.name: c.expression for c in schema.constraints.values()}
    assert checks["t_a_check"] == parse_expr("a::integer * 2 < 10")
    assert checks["t_check"] == parse_expr("k * a::integer > 0")
    assert schema.views["public.v"].query == _query(
        "SELECT sum(t.a::numeric * t.p::numeric) AS s, max(t.p::numeric) AS x,"
        " count(t.p) AS c FROM public.t"
    )


def test_a_row_cast_coerces_enum_and_domain_fields() -> None:
    # fixtures/ddl/expression_typing_round4 proves it against PostgreSQL 15: an enum's label
    # is a constant of it, a domain's value is of its base type, then cast to the domain.
    schema = loads(
        "CREATE SCHEMA s;\nSET search_path = s, public;\n"
        "CREATE TYPE st AS ENUM ('new');\nCREATE DOMAIN code AS text;\n"
        "CREATE DOMAIN pos AS integer;\n"
        "CREATE TYPE amt AS (v numeric(12,2), c st, d code, n pos);\n"
        "CREATE TABLE t (a amt DEFAULT ROW(0, 'new', 'x', 1)::amt,"
        " b amt DEFAULT ROW(1.5, NULL, NULL, 2)::amt);\n"
    )
    columns = schema.tables["s.t"].columns
    assert columns["a"].default == parse_expr(
        "ROW(0::numeric(12,2), 'new'::s.st, ('x'::text)::s.code, (1)::s.pos)::s.amt"
    )
    assert columns["b"].default == parse_expr(
        "ROW(1.5::numeric(12,2), NULL::s.st, (NULL::text)::s.code, (2)::s.pos)::s.amt"
    )
    # A literal is of the domain's base type without its length; a number is cast to the
    # domain directly.
    boxed = loads(
        "CREATE DOMAIN dn AS numeric(10,2);\nCREATE DOMAIN dv AS varchar(3);\n"
        "CREATE TYPE c AS (a dn, v dv);\nCREATE TABLE t (x c DEFAULT ROW(0, 'ab')::c);\n"
    )
    assert boxed.tables["public.t"].columns["x"].default == parse_expr(
        "ROW((0)::public.dn, ('ab'::character varying)::public.dv)::public.c"
    )


def test_an_interval_cast_with_fields_is_a_labelled_const_but_not_in_a_plain_default() -> None:
    # fixtures/ddl/constants_round4 proves it against PostgreSQL 15.
    schema = loads(
        "CREATE TABLE t (s interval DEFAULT interval '2:30' hour to minute,\n"
        "  CONSTRAINT k CHECK (s <= interval '5' day));\n"
    )
    table = schema.tables["public.t"]
    assert table.columns["s"].default == parse_expr("'02:30:00'::interval")
    checks = {c.name: c.expression for c in schema.constraints.values()}
    assert checks["k"] == parse_expr("s <= '5 days'::interval day")


def test_a_string_beside_a_name_compares_as_text_and_name() -> None:
    # PostgreSQL 12 added name = text and text = name (and <, <=...): a varchar or char column
    # beside CURRENT_USER is read as text, the name left as it is; LIKE has only text ~~ text
    # and name ~~ text, so a name on the right is read as text (checked on PostgreSQL 15).
    schema = loads(
        "CREATE TABLE m (v varchar(63), t text, c char(10), n name);"
        "CREATE VIEW w AS SELECT v = current_user AS a, session_user < c AS b,"
        " t = current_user AS d, n = v AS e, v LIKE current_user AS f FROM m;"
        "CREATE VIEW x AS SELECT n || 'x' AS a, n || v AS b, n || n AS c, n LIKE 'x%' AS d FROM m;"
    )
    assert schema.views["public.w"].query == _query(
        "SELECT (m.v)::text = CURRENT_USER AS a, SESSION_USER < (m.c)::text AS b,"
        " m.t = CURRENT_USER AS d, m.n = (m.v)::text AS e,"
        " (m.v)::text ~~ (CURRENT_USER)::text AS f FROM public.m"
    )
    # || has no name variant: the string category's preferred type wins (textcat).
    assert schema.views["public.x"].query == _query(
        "SELECT (m.n)::text || 'x'::text AS a, (m.n)::text || (m.v)::text AS b,"
        " (m.n)::text || (m.n)::text AS c, m.n ~~ 'x%'::text AS d FROM public.m"
    )


def test_case_any_of_a_literal_and_jsonb_subscripts_are_typed() -> None:
    # Checked on PostgreSQL 15 (fixture ddl/expression_typing_round5): CASE v WHEN 'a' of a
    # varchar prints the WHEN value alone, typed by v = 'a' (ruleutils strips the coercion
    # over the CASE's value); x op ANY ('{...}') resolves x op unknown and the literal is an
    # array of that operator's right type (make_scalar_array_op); a jsonb subscript written
    # as a string literal is text (jsonb_subscript_transform).
    schema = loads(
        "CREATE TABLE t (v varchar(9), c char(2), n int, j jsonb);"
        "CREATE VIEW w AS SELECT CASE v WHEN 'a' THEN 1 END AS k, j['a']['b'] AS s, j[0] AS z"
        " FROM t WHERE v = ANY ('{a}') AND c <> ALL ('{b}') AND n = ANY ('{1}')"
        " AND v LIKE ANY ('{a%}');"
    )
    assert schema.views["public.w"].query == _query(
        "SELECT CASE t.v WHEN 'a'::text THEN 1 ELSE NULL::integer END AS k,"
        " (t.j)['a'::text]['b'::text] AS s, (t.j)[0] AS z FROM public.t"
        " WHERE (t.v)::text = ANY ('{a}'::text[]) AND t.c <> ALL ('{b}'::bpchar[])"
        " AND t.n = ANY ('{1}'::integer[]) AND (t.v)::text ~~ ANY ('{a%}'::text[])"
    )


def test_a_real_beside_another_number_uses_the_cross_type_float_operators() -> None:
    # real has real-real operators and float48/float84 ones only: beside an integer or numeric,
    # the real stays and the other side is read as double precision (checked on PostgreSQL 15,
    # fixture ddl/expression_typing_round5).
    schema = loads(
        "CREATE TABLE m (r real, d double precision, i int, n numeric);"
        "CREATE VIEW w AS SELECT r * 2 AS a, n + r AS b, r * d AS c, r > i AS e, r = r AS f,"
        " array_to_string(ARRAY[i], ',') AS g FROM m;"
    )
    assert schema.views["public.w"].query == _query(
        "SELECT m.r * (2)::double precision AS a, (m.n)::double precision + m.r AS b,"
        " m.r * m.d AS c, m.r > (m.i)::double precision AS e, m.r = m.r AS f,"
        " array_to_string(ARRAY[m.i], ','::text) AS g FROM public.m"
    )


def test_a_row_default_of_a_composite_column_is_coerced_field_by_field() -> None:
    # ROW(0, 'EUR') for a column of a composite type is coerced to it (coerce_record_to_complex)
    # and printed without the cast.
    types = "CREATE TYPE public.ma AS (amount numeric(12,2), currency char(3));"
    schema = loads(types + "CREATE TABLE t (id int); ALTER TABLE t ADD p ma DEFAULT ROW(0, 'EUR');")
    assert schema.tables["public.t"].columns["p"].default == parse_expr(
        "ROW(0::numeric(12,2), 'EUR'::character(3))"
    )


def test_varchar_arrays_sql_syntax_calls_and_string_agg_are_typed() -> None:
    # Checked on PostgreSQL 15 (fixture ddl/expression_typing_round5): 'y' = ANY (v) of a
    # varchar[] compares text with text[] (varchar has no operators of its own); POSITION(a IN
    # b) prints its arguments without their implicit casts (get_func_sql_syntax); string_agg
    # of a varchar reads it as text.
    schema = loads(
        "CREATE TABLE e (k varchar(9), tags varchar(9)[]);"
        "CREATE VIEW w AS SELECT position('x' IN k) AS p, string_agg(DISTINCT k, ',') AS s"
        " FROM e WHERE 'y' = ANY (tags);"
    )
    assert schema.views["public.w"].query == _query(
        "SELECT position('x'::text IN e.k) AS p, string_agg(DISTINCT (e.k)::text, ','::text)"
        " AS s FROM public.e WHERE 'y'::text = ANY ((e.tags)::text[])"
    )


def test_a_date_time_literal_read_when_the_statement_runs_is_kept_with_a_warning() -> None:
    # 'now' given to timestamptz is the moment CREATE TABLE ran, stored as a constant that a
    # dump shows and a script cannot know; ('now'::text)::date (CURRENT_DATE) is read at each
    # use, and 'allballs' is midnight, a fixed value.
    schema = loads(
        "CREATE TABLE ev (a timestamptz DEFAULT 'now', b date DEFAULT 'today',"
        " c time DEFAULT 'allballs', d date DEFAULT CURRENT_DATE, e text DEFAULT 'now',"
        " CHECK (b > 'yesterday'));\n"
    )
    columns = schema.tables["public.ev"].columns
    assert columns["a"].default == parse_expr("'now'::timestamp with time zone")
    assert columns["c"].default == parse_expr("'00:00:00'::time without time zone")
    assert [w.split(": ", 1)[1].split(" is read")[0] for w in schema.warnings] == [
        "'now'::timestamp with time zone", "'today'::date", "'yesterday'::date"]  # fmt: skip


@pytest.mark.parametrize(
    ("check", "stored"),
    [
        # Checked on PostgreSQL 15: a call of the schema's own function is of its result type,
        # an enum, a domain (read as its base type) or an array of them.
        ("role() = 'a'", "public.role() = 'a'::public.s"),
        ("role() IN ('a', 'b')", "public.role() = ANY (ARRAY['a'::public.s, 'b'::public.s])"),
        ("mail() <> ''", "public.mail()::text <> ''::text"),
        ("roles() @> '{a}' AND 'b' = ANY (roles())",
         "public.roles() @> '{a}'::public.s[] AND 'b'::public.s = ANY (public.roles())"),
        ("'x' = ANY (names())", "'x'::text = ANY (public.names()::text[])"),
        ("COALESCE(role(), 'b') = 'a'",
         "COALESCE(public.role(), 'b'::public.s) = 'a'::public.s"),
    ],
)
def test_a_literal_compared_with_a_call_takes_its_enum_domain_or_array_result(
    check: str, stored: str
) -> None:
    schema = loads(
        TYPES + "CREATE FUNCTION role() RETURNS s LANGUAGE sql AS $$ SELECT 'a'::s $$;\n"
        "CREATE FUNCTION mail() RETURNS dt LANGUAGE sql AS $$ SELECT 'a'::dt $$;\n"
        "CREATE FUNCTION roles() RETURNS s[] LANGUAGE sql AS $$ SELECT '{a}'::s[] $$;\n"
        "CREATE FUNCTION names() RETURNS varchar[] LANGUAGE sql AS $$ SELECT '{}'::varchar[] $$;\n"
        f"CREATE TABLE u (i int, CONSTRAINT c CHECK ({check}));"
    )
    assert schema["constraint:public.u.c"].expression == parse_expr(stored)


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        # Checked on PostgreSQL 15 (pgdrift.pg.operator_literals holds its answers): a literal
        # beside a built-in operator takes the type Operator Type Resolution gives it.
        ("now() + '30 days'", "now() + '30 days'::interval"),  # no timestamptz + timestamptz
        ("t.ts - '2020-01-01'", "t.ts - '2020-01-01 00:00:00+00'::timestamp with time zone"),
        ("t.tm + '1 hour'", "t.tm + '01:00:00'::interval"),
        ("t.i + '1'", "t.i + 1"),
        ("t.i ^ '2'", "t.i::double precision ^ '2'::double precision"),
        ("t.iv * '2'", "t.iv * '2'::double precision"),
        ("(t.ts - '2020-01-01') > '1 day'",
         "t.ts - '2020-01-01 00:00:00+00'::timestamp with time zone > '1 day'::interval"),
        ("t.ts - interval '1 day' > '2024-01-01'",
         "t.ts - '1 day'::interval > '2024-01-01 00:00:00+00'::timestamp with time zone"),
        # inet's output is printed as inet_out prints it (pg.addresses); a range's is not.
        ("t.ip << '10.0.0.0/8'", "t.ip << '10.0.0.0/8'::inet"),
        ("t.ip << '10.1.2.3/32'", "t.ip << '10.1.2.3'::inet"),
    ],
)
def test_a_literal_beside_a_built_in_operator_takes_the_type_it_resolves_to(
    query: str, stored: str
) -> None:
    schema = loads(
        "CREATE TABLE t (ts timestamptz, tm time, i int, iv interval, ip inet);\n"
        f"CREATE VIEW v AS SELECT {query} AS x FROM t;"
    )
    assert schema["view:public.v"].query == _query(f"SELECT {stored} AS x FROM public.t")


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        # Checked on PostgreSQL 15: a key after -> or ->> of any jsonb expression is text.
        ("COALESCE(t.j, '{}'::jsonb) ->> 'cpu'", "COALESCE(t.j, '{}'::jsonb) ->> 'cpu'::text"),
        ("to_jsonb(t.n) ->> 'a'", "to_jsonb(t.n) ->> 'a'::text"),
        ("(t.j || t.k) ->> 'a'", "t.j || t.k ->> 'a'::text"),
        ("(CASE WHEN t.n > 0 THEN t.j ELSE t.k END) -> 'z'",
         "CASE WHEN t.n > 0 THEN t.j ELSE t.k END -> 'z'::text"),
        ("(t.j - 'a') ->> 'b'", "t.j - 'a'::text ->> 'b'::text"),
        ("json_build_object('a', 1) -> 'a'", "json_build_object('a', 1) -> 'a'::text"),
    ],
)
def test_a_key_after_a_jsonb_expression_is_text(query: str, stored: str) -> None:
    schema = loads(
        "CREATE TABLE t (n int, j jsonb, k jsonb);\n"
        f"CREATE VIEW v AS SELECT {query} AS x FROM t;"
    )
    assert schema["view:public.v"].query == _query(f"SELECT {stored} AS x FROM public.t")


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        # Checked on PostgreSQL 15: a set operation's column is of its branches' common type,
        # the first branch's between varchar and text; a literal or NULL branch is coerced.
        ("SELECT max(q.v) AS m FROM (SELECT v FROM t UNION SELECT x FROM t) q",
         "SELECT max(q.v::text) AS m FROM (SELECT t.v FROM public.t UNION"
         " SELECT t.x FROM public.t) AS q"),
        ("SELECT q.v FROM (SELECT x AS v FROM t UNION SELECT v FROM t) q WHERE q.v = 'a'",
         "SELECT q.v FROM (SELECT t.x AS v FROM public.t UNION SELECT t.v FROM public.t) AS q"
         " WHERE q.v = 'a'::text"),
        ("SELECT 'a' AS v UNION SELECT v FROM t",
         "SELECT 'a'::character varying AS v UNION SELECT t.v FROM public.t"),
        ("SELECT NULL AS n UNION SELECT i FROM t UNION SELECT '2'",
         "SELECT NULL::integer AS n UNION SELECT t.i AS n FROM public.t UNION SELECT 2 AS n"),
        ("SELECT q.n FROM (SELECT i AS n FROM t UNION SELECT 2.5) q WHERE q.n > 1",
         "SELECT q.n FROM (SELECT t.i AS n FROM public.t UNION SELECT 2.5) AS q"
         " WHERE q.n > 1::numeric"),
    ],
)
def test_a_set_operations_columns_are_of_their_branches_common_type(
    query: str, stored: str
) -> None:
    schema = loads(f"CREATE TABLE t (v varchar(10), x text, i int);\nCREATE VIEW u AS {query};")
    assert schema["view:public.u"].query == _query(stored)
