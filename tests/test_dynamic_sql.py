"""The values of a DO block's expressions known offline (builder/dynamic_sql.py), each as
PostgreSQL 15 gives it (``SELECT <expression>``), or UNKNOWN where it raises an error or depends
on what only running tells."""

from __future__ import annotations

import pglast
import pytest

from pgdrift.builder.dynamic_sql import (
    UNKNOWN,
    Value,
    Variables,
    array_literal,
    evaluate,
    evaluate_array,
)


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("'a' || 'b'", "ab"), ("'a' || 1", "a1"), ("1 || 'a'", "1a"), ("'a' || NULL", None),
        ("format('%I.%I', 'app', 'Users')", 'app."Users"'),
        ("format('%I', 'app.users')", '"app.users"'),  # one identifier holding a dot
        ("format('%I', 'select')", '"select"'), ("format('%I', 'abort')", "abort"),
        ("format('%I', 'a\"b')", '"a""b"'), ("format('%I', '1st')", '"1st"'),
        ("format('%L', 'it''s')", "'it''s'"), ("format('%L', E'a\\\\b')", "E'a\\\\b'"),
        ("format('%L', NULL)", "NULL"), ("format('%s|', NULL)", "|"),
        ("format('%s %s', 1, 'x')", "1 x"),
        ("format('%3$s %2$s %s|%-3s|%3s|', 'a', 'b', 'c', 'd', 'e')", "c b c|d  |  e|"),
        ("format('%1$s %1$I %1$L', 'Ab')", "Ab \"Ab\" 'Ab'"),
        ("format('%%I %% %s', 'x')", "%I % x"), ("format('%-5I|', 'Ab')", '"Ab" |'),
        ("format('%1$-6s|', 'x')", "x     |"), ("format(NULL, 'x')", None),
        ("pg_catalog.format('%s', 'q')", "q"),
        ("quote_ident('Foo')", '"Foo"'), ("quote_literal(5)", "'5'"),
        ("quote_literal(E'c:\\\\x')", "E'c:\\\\x'"), ("quote_nullable(NULL)", "NULL"),
        ("concat('a', NULL, 1, 'b')", "a1b"), ("concat_ws(', ', 'a', NULL, 'b')", "a, b"),
        ("concat_ws(NULL, 'a')", None),
        ("'5'::int + 2", 7), ("2 * 3 - 1", 5), ("-(4)", -4), ("5::text || 'a'", "5a"),
        ("E'tab\\there'", "tab\there"), ("$q$dollar 'quoted'$q$", "dollar 'quoted'"),
    ],
)  # fmt: skip
def test_a_constant_expression_has_postgresqls_value(expression: str, value: Value) -> None:
    assert evaluate(expression, {}) == value


@pytest.mark.parametrize(
    "expression",
    [
        # PostgreSQL's errors: too few arguments, argument 0, a bad type, a NULL identifier.
        "format('%10$s', 'x')", "format('%0$s', 'x')", "format('%x', 'x')", "format('%', 'x')",
        "format('%s %s', 'x')", "format('%I', NULL)", "quote_ident(5)", "1 || 2",
        "2147483647 + 1",
        # What is not followed: a width from an argument, other functions, other types.
        "format('%*s', 3, 'x')", "format('%s', true)", "format('%s', 1.5)", "upper('b')",
        "'a' || v", "current_user", "now()::text", "'x'::regclass", "(SELECT 'a')",
        "format('%s', VARIADIC ARRAY['a'])", "'abc'::varchar(2)", "'a', 'b'",
    ],
)  # fmt: skip
def test_what_only_running_tells_is_unknown(expression: str) -> None:
    assert evaluate(expression, {}) is UNKNOWN


def test_arrays_are_read_as_array_in_reads_them() -> None:
    assert array_literal('{a, "b c",NULL,"\\"q\\""}') == ["a", "b c", None, '"q"']
    assert array_literal("{ a b , c }") == ["a b", "c"]
    assert array_literal("{}") == []
    for text in ("{a,,b}", "[1:2]={a,b}", "{{a}}", '{"a",b', '{"x" y}', "a,b"):
        assert array_literal(text) is UNKNOWN
    assert evaluate_array("'{1,2}'::int[]", {}, {}) == [1, 2]
    assert evaluate_array("ARRAY['a', NULL]::text[]", {}, {}) == ["a", None]
    assert evaluate_array("ARRAY['a', 1]", {}, {}) is UNKNOWN  # 'a' is not an integer
    assert evaluate_array("'{a}'::int[]", {}, {}) is UNKNOWN


def _variables(body: str) -> Variables:
    tree = pglast.parse_plpgsql(
        f"CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $x${body}$x$")
    return Variables(tree[0]["PLpgSQL_function"])


def test_a_variable_never_assigned_keeps_its_default() -> None:
    values = _variables(
        "DECLARE a text := 'x'; b CONSTANT text = a || 'y'; c text; d int := '7'; "
        "e name := repeat('n', 3); f text[] := ARRAY['p', 'q']; g varchar := 5; "
        "h int[] := '{1, 2}'; BEGIN FOR found IN 1..2 LOOP NULL; END LOOP; END"
    )
    assert values.values == {"a": "x", "b": "xy", "c": None, "d": 7, "e": UNKNOWN,
                             "f": UNKNOWN, "g": "5", "h": UNKNOWN,
                             "found": UNKNOWN}  # fmt: skip
    assert values.arrays == {"f": ["p", "q"], "h": [1, 2]}


def test_only_the_outermost_blocks_own_assignments_are_followed() -> None:
    tree = pglast.parse_plpgsql(
        "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $x$"
        "DECLARE a text := 'x'; b text := 'y'; c text := 'z'; BEGIN "
        "a := a || '1'; IF true THEN b := 'w'; END IF; SELECT 'v' INTO c; END$x$"
    )
    function = tree[0]["PLpgSQL_function"]
    values = Variables(function)
    assert values.values == {"a": "x", "b": UNKNOWN, "c": UNKNOWN}
    first = function["action"]["PLpgSQL_stmt_block"]["body"][0]
    values.assign(first)
    assert values.values["a"] == "x1"
