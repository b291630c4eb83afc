"""A view's query from source SQL as PostgreSQL 15 stores it and pg_dump prints it
(pg_get_viewdef): each stored form was printed by a real server, and the fixture
fixtures/ddl/view_queries proves them end to end. A comment names the rule."""

from __future__ import annotations

import json

import pytest
from pglast.parser import parse_sql_json

from pgdrift import loads
from pgdrift.expr import Expr, expr_from_node, parse_expr

TABLES = (
    "CREATE TABLE t (id int, tags text[], j jsonb, n int);\n"
    "CREATE TABLE orders (id int, items jsonb);\n"
    "CREATE FUNCTION f(t) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
)


def _dumped(sql: str) -> Expr:
    """A query as pg_dump prints it, read as it is (the dump's side)."""
    return expr_from_node(json.loads(parse_sql_json(sql))["stmts"][0]["stmt"])


def _stored(query: str) -> Expr:
    return loads(TABLES + f"CREATE VIEW v AS {query};").views["public.v"].query


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        (
            # arguments referring to an earlier FROM entry make a function LATERAL
            # (transformRangeFunction); a scalar function's column is named by its alias
            "SELECT id, tag FROM t, unnest(tags) tag",
            "SELECT t.id, tag.tag FROM public.t, LATERAL unnest(t.tags) tag(tag)",
        ),
        (
            # ... also in a JOIN, whose left side it may read; an OUT parameter names the
            # column (jsonb_array_elements' value)
            "SELECT o.id, e.value FROM orders o JOIN jsonb_array_elements(o.items) e ON true",
            "SELECT o.id, e.value FROM public.orders o"
            " JOIN LATERAL jsonb_array_elements(o.items) e(value) ON true",
        ),
        (
            # a reference to the query around is no lateral reference; without an alias
            # the entry and its column are named by the function
            "SELECT g FROM t, generate_series(1, 3) g"
            " WHERE g < (SELECT count(*) FROM unnest(t.tags))",
            "SELECT g.g FROM public.t, generate_series(1, 3) g(g)"
            " WHERE g.g < (SELECT count(*) AS count FROM unnest(t.tags) unnest(unnest))",
        ),
        (
            # WITH ORDINALITY adds the column ordinality
            "SELECT id, k, i FROM t CROSS JOIN LATERAL unnest(tags) WITH ORDINALITY AS u(k, i)",
            "SELECT t.id, u.k, u.i FROM public.t"
            " CROSS JOIN LATERAL unnest(t.tags) WITH ORDINALITY u(k, i)",
        ),
        (
            # a column definition list gives the columns, printed as written (the NULL given
            # to jsonb_to_record is of its parameter's type)
            "SELECT k FROM jsonb_to_record(NULL) AS x(k text, v int)",
            "SELECT x.k FROM jsonb_to_record(NULL::jsonb) x(k text, v integer)",
        ),
        (
            # a written LATERAL stays; a function pgdrift does not know leaves the query
            "SELECT id FROM t, LATERAL pg_get_keywords() x",
            "SELECT id FROM public.t, LATERAL pg_get_keywords() x",
        ),
        (
            # json_each's OUT parameters are the entry's columns, printed with its alias
            "SELECT id FROM t, LATERAL json_each(t.j::json) x",
            "SELECT t.id FROM public.t, LATERAL json_each(t.j::json) x(key, value)",
        ),
        (
            # a FROM entry's name as a value is its whole row, printed t.*; of a scalar
            # function, its one column (e is e.value)
            "SELECT to_jsonb(t) AS doc, f(x) AS r, e FROM t, t AS x,"
            " jsonb_array_elements(x.j) e WHERE t IS NOT NULL ORDER BY t",
            "SELECT to_jsonb(t.*) AS doc, public.f(x.*) AS r, e.value AS e FROM public.t,"
            " public.t x, LATERAL jsonb_array_elements(x.j) e(value) WHERE t.* IS NOT NULL"
            " ORDER BY t.*",
        ),
    ],
)
def test_functions_in_from_and_whole_rows(query: str, stored: str) -> None:
    assert _stored(query) == _dumped(stored)


def test_a_whole_row_result_column_is_left_as_written() -> None:
    # PostgreSQL prints it t.*::t AS t, which pgdrift does not model
    assert _stored("SELECT t FROM t") == _dumped("SELECT t FROM public.t")


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        (
            # a WITH query's columns are seen: an unnamed one is "?column?"; the CTE's columns
            # are qualified where used
            "WITH c(n) AS (SELECT 0) SELECT n FROM c",
            'WITH c(n) AS (SELECT 0 AS "?column?") SELECT c.n FROM c',
        ),
        (
            # only the leftmost branch of a set operation names its columns
            "SELECT 1 UNION SELECT 2 UNION SELECT 3",
            'SELECT 1 AS "?column?" UNION SELECT 2 UNION SELECT 3',
        ),
        (
            # a later branch of the view's query takes the view's names, except "?column?"
            "SELECT id, 1 FROM t UNION ALL SELECT n, 2 FROM t",
            'SELECT t.id, 1 AS "?column?" FROM public.t'
            " UNION ALL SELECT t.n AS id, 2 FROM public.t",
        ),
        (
            # ... a set operation elsewhere keeps each branch's own names
            "WITH c AS (SELECT id FROM t UNION SELECT n FROM t) SELECT * FROM c",
            "WITH c AS (SELECT t.id FROM public.t UNION SELECT t.n FROM public.t)"
            " SELECT c.id FROM c",
        ),
        (
            # a WITH RECURSIVE query reading itself has its non-recursive term's columns,
            # which its recursive term reads (its entry renamed: the outer query's is r)
            "WITH RECURSIVE r AS (SELECT id, 1 AS d FROM t UNION ALL"
            " SELECT r.id, d + 1 FROM r WHERE d < 3) SELECT id, d FROM r",
            "WITH RECURSIVE r AS (SELECT t.id, 1 AS d FROM public.t UNION ALL"
            " SELECT r_1.id, (r_1.d + 1) FROM r r_1 WHERE (r_1.d < 3)) SELECT r.id, r.d FROM r",
        ),
        (
            # ... and one that does not read itself is an ordinary WITH query
            "WITH RECURSIVE c AS (SELECT n FROM t) SELECT n FROM c",
            "WITH RECURSIVE c AS (SELECT t.n FROM public.t) SELECT c.n FROM c",
        ),
        (
            # a sub-select in FROM names its columns; its alias list is printed whole
            "SELECT * FROM (SELECT 1, 2 AS b) s(a)",
            'SELECT s.a, s.b FROM (SELECT 1 AS "?column?", 2 AS b) s(a, b)',
        ),
        (
            # a sub-select in an expression prints no "?column?"
            "SELECT (SELECT 1) AS s, id IN (SELECT 1 UNION SELECT n FROM t) AS i FROM t",
            "SELECT (SELECT 1) AS s, t.id IN (SELECT 1 UNION SELECT t_1.n FROM public.t t_1) AS i"
            " FROM public.t",
        ),
    ],
)
def test_result_column_names(query: str, stored: str) -> None:
    assert _stored(query) == _dumped(stored)


def test_an_empty_select_list_is_no_select_list() -> None:
    # EXISTS (SELECT FROM t): the parser writes no target list, and the dump's has none
    stored = _stored("SELECT EXISTS (SELECT FROM t) AS any_rows")
    assert stored == _dumped("SELECT EXISTS (SELECT FROM public.t) AS any_rows")


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        # make_row_comparison_op: < <= > >= compare rows, printed ROW(...); = is the AND of
        # the columns' comparisons, <> their OR; each pair's literal is typed as its column
        (
            "SELECT (id, n) < (2, 100) AS a, ROW(id, n) >= ROW(n, 1) AS b FROM t",
            "SELECT ROW(t.id, t.n) < ROW(2, 100) AS a, ROW(t.id, t.n) >= ROW(t.n, 1) AS b"
            " FROM public.t",
        ),
        (
            "SELECT (id, n) = (1, 2) AS a, (id, n) <> (1, 2) AS b, ROW(id) = ROW(1) AS c FROM t",
            "SELECT t.id = 1 AND t.n = 2 AS a, t.id <> 1 OR t.n <> 2 AS b, t.id = 1 AS c"
            " FROM public.t",
        ),
    ],
)
def test_row_comparisons(query: str, stored: str) -> None:
    assert _stored(query) == _dumped(stored)


def test_a_row_comparison_in_a_check_types_each_pairs_literal() -> None:
    schema = loads("CREATE TABLE r (a int, s text, CONSTRAINT c CHECK ((a, s) > (0, 'x')));")
    assert schema["constraint:public.r.c"].expression == parse_expr("ROW(a, s) > ROW(0, 'x'::text)")


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        (
            # GROUP BY a result column's name stores its expression
            "SELECT n AS prio, count(*) AS c FROM t GROUP BY prio",
            "SELECT t.n AS prio, count(*) AS c FROM public.t GROUP BY t.n",
        ),
        (
            # ... but a column of the FROM list comes first in GROUP BY (SQL99), while
            # ORDER BY takes the result column (SQL92), also an expression
            "SELECT n + 1 AS n, count(*) AS c FROM t GROUP BY n ORDER BY n, c DESC",
            "SELECT t.n + 1 AS n, count(*) AS c FROM public.t GROUP BY t.n"
            " ORDER BY (t.n + 1), (count(*)) DESC",
        ),
    ],
)
def test_group_by_and_order_by_a_result_name(query: str, stored: str) -> None:
    assert _stored(query) == _dumped(stored)


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        (
            # transformAExprDistinct: beside a bare NULL, a NullTest of the other side ...
            "SELECT n IS NOT DISTINCT FROM NULL AS a, NULL IS DISTINCT FROM n AS b FROM t",
            "SELECT t.n IS NULL AS a, t.n IS NOT NULL AS b FROM public.t",
        ),
        (
            # ... not beside a typed NULL, nor for a row
            "SELECT n IS DISTINCT FROM NULL::int AS a, (n, id) IS DISTINCT FROM NULL AS b FROM t",
            "SELECT t.n IS DISTINCT FROM NULL::integer AS a,"
            " ROW(t.n, t.id) IS DISTINCT FROM NULL AS b FROM public.t",
        ),
        (
            # a row prints ROW(...), except left of IN (SELECT ...); = ANY (SELECT ...) is IN
            "SELECT (n, id) IS NULL AS a, ROW(n, id) = ANY (SELECT n, id FROM t) AS b FROM t",
            "SELECT ROW(t.n, t.id) IS NULL AS a,"
            " (t.n, t.id) IN (SELECT t_1.n, t_1.id FROM public.t t_1) AS b FROM public.t",
        ),
    ],
)
def test_null_tests_rows_and_in(query: str, stored: str) -> None:
    assert _stored(query) == _dumped(stored)


def test_is_distinct_from_null_in_a_check_is_a_null_test() -> None:
    schema = loads("CREATE TABLE r (a int, CONSTRAINT c CHECK (a IS DISTINCT FROM NULL));")
    assert schema["constraint:public.r.c"].expression == parse_expr("a IS NOT NULL")


def test_a_natural_join_is_stored_as_join_using_its_common_columns() -> None:
    schema = loads(
        "CREATE TABLE a (k int, x int, j int);\nCREATE TABLE b (y int, j int, k int);\n"
        "CREATE VIEW v AS SELECT * FROM a NATURAL JOIN b;\n"
        "CREATE VIEW w AS SELECT k, x, y FROM a NATURAL LEFT JOIN b WHERE j > 0;"
    )
    # the common columns in the left side's order; * lists them once, first
    assert schema.views["public.v"].query == _dumped(
        "SELECT a.k, a.j, a.x, b.y FROM public.a JOIN public.b USING (k, j)"
    )
    assert schema.views["public.w"].query == _dumped(
        "SELECT a.k, a.x, b.y FROM public.a LEFT JOIN public.b USING (k, j) WHERE a.j > 0"
    )


OPERATORS = (
    "CREATE SCHEMA s; CREATE SCHEMA u;\n"
    "CREATE FUNCTION s.gt(int, int) RETURNS boolean LANGUAGE sql AS 'SELECT $1 > $2';\n"
    "CREATE FUNCTION s.neg(int) RETURNS int LANGUAGE sql AS 'SELECT -$1';\n"
    "CREATE OPERATOR s.>>> (LEFTARG = int, RIGHTARG = int, FUNCTION = s.gt);\n"
    "CREATE OPERATOR s.~~~ (RIGHTARG = int, FUNCTION = s.neg);\n"
    "CREATE OPERATOR u.~~~ (LEFTARG = int, RIGHTARG = int, FUNCTION = s.gt);\n"
    "CREATE OPERATOR u.>>> (LEFTARG = int, RIGHTARG = int, FUNCTION = s.gt);\n"
    "CREATE TABLE t (a int, b int[]);\n"
)


@pytest.mark.parametrize(
    ("path", "query", "stored"),
    [
        # the operator's schema, found on the path, is printed (pg_dump's path is empty);
        # u.>>> has the types of s.>>>, which hides it
        ("s, u, public", "SELECT a >>> 1 AS x, a >>> ANY (b) AS y FROM t",
         "SELECT t.a OPERATOR(s.>>>) 1 AS x, t.a OPERATOR(s.>>>) ANY (t.b) AS y FROM public.t"),
        ("u, s, public", "SELECT a >>> 1 AS x FROM t",
         "SELECT t.a OPERATOR(u.>>>) 1 AS x FROM public.t"),
        # a prefix operator is looked for among prefix operators only
        ("u, s, public", "SELECT ~~~ a AS x FROM t",
         "SELECT OPERATOR(s.~~~) t.a AS x FROM public.t"),
        # a built-in's name stays as written: pg_catalog is searched first
        ("s, public", "SELECT a + 1 AS x FROM t", "SELECT t.a + 1 AS x FROM public.t"),
    ],
)
def test_an_operator_of_the_search_path_is_printed_qualified(
    path: str, query: str, stored: str
) -> None:
    schema = loads(OPERATORS + f"SET search_path = {path};\nCREATE VIEW public.v AS {query};")
    assert schema.views["public.v"].query == _dumped(stored)


def test_a_sampled_tables_columns_are_qualified() -> None:
    # TABLESAMPLE leaves the relation's range-table entry as it is.
    assert _stored("SELECT id FROM t TABLESAMPLE SYSTEM (10) REPEATABLE (1) WHERE n > 0") == (
        _dumped("SELECT t.id FROM public.t TABLESAMPLE system(10) REPEATABLE (1) WHERE t.n > 0")
    )


def test_a_rule_is_stored_analysed() -> None:
    # transformRuleStmt: the actions' bare columns are their target's (old and new are in
    # the range table by name only), an INSERT gets its column list and typed values, and
    # old / new have the relation's column types.
    schema = loads(
        "CREATE TYPE st AS ENUM ('new', 'old');"
        "CREATE TABLE t (id int, qty int, s st); CREATE TABLE log (id int, note text, s st);"
        "CREATE VIEW v AS SELECT id, qty, s FROM t;"
        "CREATE RULE r AS ON DELETE TO v WHERE old.s = 'old' DO INSTEAD"
        " (DELETE FROM t WHERE id = OLD.id AND qty > 0;"
        " INSERT INTO log VALUES (old.id, 'gone', NULL));"
    )
    rule = next(o for o in schema.objects.values() if o.kind == "rule")
    assert rule.where == parse_expr("old.s = 'old'::public.st")
    assert rule.actions == (
        _dumped("DELETE FROM public.t WHERE t.id = old.id AND t.qty > 0"),
        _dumped(
            "INSERT INTO public.log (id, note, s)"
            " VALUES (old.id, 'gone'::text, NULL::public.st)"
        ),
    )


FUNCTIONS = (
    "CREATE TYPE mood AS ENUM ('ok');\n"
    "CREATE FUNCTION stats() RETURNS TABLE (product text, total numeric) LANGUAGE sql"
    " AS 'SELECT 1, 2';\n"
    "CREATE FUNCTION pair(OUT low int, OUT high int) LANGUAGE sql AS 'SELECT 1, 2';\n"
    "CREATE FUNCTION rows_of() RETURNS SETOF t LANGUAGE sql AS 'SELECT * FROM t';\n"
    "CREATE FUNCTION one_mood(OUT m mood) LANGUAGE sql AS 'SELECT 1';\n"
    "CREATE FUNCTION many(int) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
    "CREATE FUNCTION many(text) RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
)


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        # VALUES names its columns column1, column2... (transformValuesClause)
        ("SELECT * FROM (VALUES (1, 2)) AS p(id)",
         "SELECT p.id, p.column2 FROM (VALUES (1, 2)) p(id, column2)"),
        # a script's function returning a composite: its OUT / TABLE parameters, or the
        # columns of the table it returns rows of (addRangeTableEntryForFunction)
        ("SELECT * FROM stats()",
         "SELECT stats.product, stats.total FROM public.stats() stats(product, total)"),
        ("SELECT * FROM pair() p (a)", "SELECT p.a, p.high FROM public.pair() p(a, high)"),
        ("SELECT * FROM rows_of() WITH ORDINALITY",
         "SELECT rows_of.id, rows_of.tags, rows_of.j, rows_of.n, rows_of.ordinality"
         " FROM public.rows_of() WITH ORDINALITY rows_of(id, tags, j, n, ordinality)"),
        # ... or a scalar: one column, named by its one OUT parameter
        ("SELECT * FROM one_mood()", "SELECT one_mood.m FROM public.one_mood() one_mood(m)"),
        # ROWS FROM of one function is that function (get_from_clause_item)
        ("SELECT * FROM ROWS FROM (generate_series(1, 3)) AS r(n)",
         "SELECT r.n FROM generate_series(1, 3) r(n)"),
        # an overloaded name is not resolved: left as written
        ("SELECT * FROM many(1)", "SELECT * FROM public.many(1)"),
        # (x).* in a result list is one field selection per attribute, named by it
        # (ExpandIndirectionStar); of a FROM entry's whole row, its columns
        ("SELECT (pair()).*", "SELECT (public.pair()).low AS low, (public.pair()).high AS high"),
        ("SELECT (r).* FROM rows_of() r", "SELECT r.id, r.tags, r.j, r.n"
         " FROM public.rows_of() r(id, tags, j, n)"),
        # a field selection is named by its field, a subscript by what it subscripts
        ("SELECT (pair()).low, tags[1] FROM t",
         "SELECT (public.pair()).low AS low, (t.tags)[1] AS tags FROM public.t"),
    ],
)
def test_select_star_over_values_and_functions(query: str, stored: str) -> None:
    assert loads(TABLES + FUNCTIONS + f"CREATE VIEW v AS {query};").views[
        "public.v"
    ].query == _dumped(stored)


def test_a_join_using_alias_names_the_left_sides_column() -> None:
    # JOIN ... USING (k) AS j: j.k is the merged column, for an inner or left join the left
    # side's (buildMergedJoinVar); the alias stays printed.
    schema = loads(
        "CREATE TABLE a (k int, x int); CREATE TABLE b (k int, y int);"
        "CREATE VIEW v AS SELECT j.k, y FROM a LEFT JOIN b USING (k) AS j WHERE j.k > 0;"
    )
    assert schema.views["public.v"].query == _dumped(
        "SELECT a.k, b.y FROM public.a LEFT JOIN public.b USING (k) AS j WHERE a.k > 0"
    )
