"""String literals given to built-in functions, typed by the parameter of the overload
Function Type Resolution picks (pgdrift.pg.overloads over pgdrift.pg.builtin_signatures, which
tools/builtin_signatures.py generates from pg_proc and checks against PostgreSQL), and re-printed
by the type's output function (pgdrift.pg.constants.printed_unknown, pgdrift.pg.arrays);
VARIADIC built-ins packing their trailing arguments. fixtures/ddl/builtin_call_literals and
fixtures/ddl/builtin_variadic_calls prove the whole against PostgreSQL 15."""

from __future__ import annotations

import json

import pytest
from pglast.parser import parse_sql_json

from pgdrift import loads
from pgdrift.expr import Expr, expr_from_node
from pgdrift.pg.arrays import array_out
from pgdrift.pg.builtin_signatures import SIGNATURES, VARIADIC
from pgdrift.pg.constants import printed_unknown
from pgdrift.pg.functions import BUILTIN_ARGUMENTS
from pgdrift.pg.overloads import UNKNOWN, candidates, resolve_overload
from pgdrift.types import TypeRef

_TSTZ = TypeRef(None, "timestamp with time zone")
_TS = TypeRef(None, "timestamp without time zone")
_TEXT = TypeRef(None, "text")
_BYTEA = TypeRef(None, "bytea")


def _names(name: str, args: list[TypeRef | None]) -> list[str] | None:
    found = resolve_overload(candidates(name, len(args)), args)
    return None if found is None else [t.name + "[]" * t.array_dims for t in found.params]


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        # the known argument's exact type picks the overload; the literals take its types
        ("date_bin", [UNKNOWN, _TSTZ, UNKNOWN], ["interval", _TSTZ.name, _TSTZ.name]),
        ("date_bin", [UNKNOWN, _TS, UNKNOWN], ["interval", _TS.name, _TS.name]),
        ("string_agg", [_BYTEA, UNKNOWN], ["bytea", "bytea"]),
        # literals alone: the string category first, then the preferred type of a category
        ("has_table_privilege", [UNKNOWN, UNKNOWN], ["text", "text"]),
        ("age", [UNKNOWN, UNKNOWN], [_TSTZ.name, _TSTZ.name]),
        ("to_tsvector", [UNKNOWN, UNKNOWN], ["regconfig", "text"]),
        # one overload: its types, whatever the arguments
        ("jsonb_set", [None, UNKNOWN, UNKNOWN], ["jsonb", "text[]", "jsonb"]),
        # a known type no overload takes exactly: the one it is cast to implicitly (pg_cast)
        ("string_agg", [TypeRef(None, "character varying"), UNKNOWN], ["text", "text"]),
        ("sqrt", [TypeRef(None, "integer")], ["double precision"]),  # the preferred type
        ("mod", [TypeRef(None, "smallint"), TypeRef(None, "integer")], ["integer", "integer"]),
        # a type pgdrift cannot tell
        ("date_bin", [UNKNOWN, None, UNKNOWN], None),
        # timestamp or interval: two categories, no string one
        ("date_trunc", [UNKNOWN, UNKNOWN], None),
    ],
)
def test_overloads_resolve_as_function_type_resolution_does(
    name: str, args: list[TypeRef | None], expected: list[str] | None
) -> None:
    assert _names(name, args) == expected


def test_variadic_built_ins_expand_unless_an_ordinary_function_takes_the_same_types() -> None:
    (found,) = candidates("jsonb_extract_path_text", 3)
    assert found.variadic
    assert found.fixed == 1
    assert [t.name for t in found.params] == ["jsonb", "text", "text"]
    assert not candidates("jsonb_extract_path_text", 1)
    assert VARIADIC["json_extract_path"] == (("json",), "text")


def test_the_hand_kept_arguments_name_parameters_pg_proc_lists() -> None:
    # Each type BUILTIN_ARGUMENTS gives is that of one of the overloads at that position:
    # the table only says which one PostgreSQL's implicit casts and preferred types choose.
    unlisted = set()
    for (name, count), params in BUILTIN_ARGUMENTS.items():
        overloads = candidates(name, count)
        if not overloads:
            unlisted.add(name)
        for index, param in enumerate(params):
            if param is not None and overloads:
                assert param in {o.params[index] for o in overloads}, (name, count, index)
    assert unlisted == {"concat_ws"}  # text, then VARIADIC "any" only
    assert ("regexp_like", 2) in SIGNATURES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # checked against PostgreSQL 15's '...'::text[]
        ("{}", "{}"),
        (" { a , b } ", "{a,b}"),
        ('{ "a" , b c }', '{a,"b c"}'),
        ('{NULL,"NULL",null}', '{NULL,"NULL",NULL}'),
        ("{a\\,b}", '{"a,b"}'),
        ("{a\\\\b}", '{"a\\\\b"}'),
        ('{"",x}', '{"",x}'),
        ("{a\\ }", '{"a "}'),
        # more dimensions, the sub-arrays of one shape (checked on PostgreSQL 15)
        ("{{a},{b}}", "{{a},{b}}"),
        ('{ { a , "b c" } , {NULL, d} }', '{{a,"b c"},{NULL,d}}'),
        # rejected by array_in, or not followed (explicit bounds)
        ("{a,,b}", None),
        ('{ab"c d"e}', None),
        ('{"a}', None),
        ("{a}x", None),
        ("{{a,b},{c}}", None),
        ("{{a},b}", None),
        ("[1:2]={a,b}", None),
    ],
)
def test_text_arrays_print_as_array_out_prints_them(text: str, expected: str | None) -> None:
    assert array_out(text, lambda element: element) == expected


@pytest.mark.parametrize(
    ("text", "type_name", "expected"),
    [
        ("15 minutes", "interval", "00:15:00"),
        ("2000-01-01", "timestamp with time zone", "2000-01-01 00:00:00+00"),
        ("abc", "bytea", "\\x616263"),
        ('{"b":1, "a":2}', "jsonb", '{"a": 2, "b": 1}'),
        ("ab", "char", "a"),
        ("<a  x='1'/>", "xml", "<a  x='1'/>"),
        ("{1, 2}", "integer[]", "{1,2}"),
        ("2001:0DB8::0001/128", "inet", "2001:db8::1"),
        ("010.1.0.0/16", "cidr", "10.1.0.0/16"),
        ("{A0EEBC99-9C0B4EF8-BB6D-6BB9BD380A11}", "uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
        # not printed as the server prints it: left as written
        ('<?xml version="1.0"?><a/>', "xml", None),
        ("10.0/8", "inet", None),  # abbreviated: not read
        ("::ffff:1.2.3.4", "inet", None),  # printed with a dotted quad: not followed
        ("10.1.2.3/8", "cidr", None),  # bits beyond the netmask: cidr_in's error
        ("{1, x}", "integer[]", None),
    ],
)
def test_literals_are_printed_only_where_pgdrift_prints_the_type(
    text: str, type_name: str, expected: str | None
) -> None:
    ref = TypeRef(None, type_name.removesuffix("[]"), array_dims=type_name.count("[]"))
    const = printed_unknown(text, ref)
    assert (const.text if const is not None else None) == expected


@pytest.mark.parametrize(
    ("text", "type_name", "expected"),
    [
        # each checked on PostgreSQL 15 (SELECT 'text'::type, timezone UTC)
        (
            "[2020-01-01,2021-01-01)",
            "tstzrange",
            '["2020-01-01 00:00:00+00","2021-01-01 00:00:00+00")',
        ),
        ("(1,5]", "int4range", "[2,6)"),
        (" [ 1, 5] ", "int4range", "[1,6)"),
        ("(1,2)", "int4range", "empty"),
        ("[3,3]", "int8range", "[3,4)"),
        ("(,)", "int8range", "(,)"),
        ("[,5]", "numrange", "(,5]"),
        ("[1.50, 2.0)", "numrange", "[1.50,2.0)"),
        ("[1,1)", "numrange", "empty"),
        ("[1,1]", "numrange", "[1,1]"),
        (" Empty ", "daterange", "empty"),
        ("(2020-01-01,2020-01-31]", "daterange", "[2020-01-02,2020-02-01)"),
        ("(-infinity,infinity]", "daterange", "(-infinity,infinity]"),
        ("[infinity,infinity]", "daterange", "[infinity,infinity]"),
        ('["2020-01-01 10:00",)', "tsrange", '["2020-01-01 10:00:00",)'),
        ('("2024-06-01 12:00+02", infinity]', "tstzrange", '("2024-06-01 10:00:00+00",infinity]'),
        ('[2020-01-01 , 2020-02-01)', "tsrange", '["2020-01-01 00:00:00","2020-02-01 00:00:00")'),
        ('[ "1""",)', "numrange", None),
        ("[3,1)", "int4range", None),
        ("[1,2", "int4range", None),
        ("[1,2)x", "int4range", None),
        ("[2147483647,2147483647]", "int4range", None),  # overflows in canonical
        ("[a,b)", "int4range", None),
    ],
)
def test_ranges_print_as_range_out_prints_them(
    text: str, type_name: str, expected: str | None
) -> None:
    const = printed_unknown(text, TypeRef(None, type_name))
    assert (const.text if const is not None else None) == expected


@pytest.mark.parametrize(
    ("text", "type_name", "expected"),
    [
        # each checked on PostgreSQL 15 (SELECT 'text'::type; None: rejected)
        ('{[1,3), [5,7)}', 'int4multirange', '{[1,3),[5,7)}'),
        ('{[5,7], (1,3), empty}', 'int4multirange', '{[2,3),[5,8)}'),
        ('{}', 'int4multirange', '{}'),
        (' { } ', 'int4multirange', '{}'),
        ('{empty}', 'int4multirange', '{}'),
        ('{EMPTY, [1,2)}', 'int4multirange', '{[1,2)}'),
        ('{[1,2),}', 'int4multirange', None),
        ('{[1,2) [3,4)}', 'int4multirange', None),
        ('{[1,2)} x', 'int4multirange', None),
        ('{[1,5), [2,3)}', 'int4multirange', '{[1,5)}'),
        ('{[1,5), [5,8)}', 'int4multirange', '{[1,8)}'),
        ('{[1,4], [5,8)}', 'int4multirange', '{[1,8)}'),
        ('{(,5), [3,)}', 'int4multirange', '{(,)}'),
        ('{[,)}', 'int4multirange', '{(,)}'),
        ('{(,3), (,1)}', 'int4multirange', '{(,3)}'),
        ('{[3,1)}', 'int4multirange', None),
        ('{ [1 , 2 ) , ( 3,4 ] }', 'int4multirange', '{[1,2),[4,5)}'),
        ('{"[1,2)"}', 'int4multirange', None),
        ('[1,2)', 'int4multirange', None),
        ('{[1,2)', 'int4multirange', None),
        ('{[1,"3")}', 'int4multirange', '{[1,3)}'),
        ('{[0,100]}', 'int4multirange', '{[0,101)}'),
        ('{[1,2), [2,3], (4,5)}', 'nummultirange', '{[1,3],(4,5)}'),
        ('{[1,2], [2,3)}', 'nummultirange', '{[1,3)}'),
        ('{[1,2), (2,3)}', 'nummultirange', '{[1,2),(2,3)}'),
        ('{(1,2], (2,3)}', 'nummultirange', '{(1,3)}'),
        ('{[1.50,2), [1.5,1.7)}', 'nummultirange', '{[1.50,2)}'),
        ('{[1,1], [1,2)}', 'nummultirange', '{[1,2)}'),
        ('{(,1), [1,)}', 'nummultirange', '{(,)}'),
        ('{[1,2), [0,1)}', 'nummultirange', '{[0,2)}'),
        ('{[-1,2.0), [3e1,40]}', 'nummultirange', '{[-1,2.0),[30,40]}'),
        ('{(1,1)}', 'nummultirange', '{}'),
        ('{[1,1]}', 'nummultirange', '{[1,1]}'),
        ('{[3,4), [1,2), [1.5,3)}', 'nummultirange', '{[1,4)}'),
        ('{[2020-01-01,2020-02-01], [2020-01-15,2020-03-01)}', 'datemultirange', '{[2020-01-01,2020-03-01)}'),  # noqa: E501
        ('{[2020-01-01,2020-01-31], [2020-02-01,2020-03-01)}', 'datemultirange', '{[2020-01-01,2020-03-01)}'),  # noqa: E501
        ('{(2020-01-01,infinity], [-infinity,2019-01-01]}', 'datemultirange', '{[-infinity,2019-01-02),[2020-01-02,infinity]}'),  # noqa: E501
        ('{[2024-02-28, 2024-02-29]}', 'datemultirange', '{[2024-02-28,2024-03-01)}'),
        ('{["2020-01-01 10:00+00","2020-01-01 12:00+00"), ["2020-01-01 12:00+00","2020-01-01 13:00+00")}', 'tstzmultirange', '{["2020-01-01 10:00:00+00","2020-01-01 13:00:00+00")}'),  # noqa: E501
        ('{[2020-01-01 10:00+02, 2020-01-01 11:00+00]}', 'tstzmultirange', '{["2020-01-01 08:00:00+00","2020-01-01 11:00:00+00"]}'),  # noqa: E501
    ],
)
def test_multiranges_print_as_multirange_out_prints_them(
    text: str, type_name: str, expected: str | None
) -> None:
    # sorted, empty ranges dropped, overlapping or touching ones merged (multirange_canonicalize)
    const = printed_unknown(text, TypeRef(None, type_name))
    assert (const.text if const is not None else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # each checked on PostgreSQL 15 (SELECT 'text'::tsquery; None: rejected, or empty)
        ('cat & dog', "'cat' & 'dog'"),
        ("!fat:ab* | (rat <2> 'it''s')", "!'fat':*AB | 'rat' <2> 'it''s'"),
        ('a & (b | c)', "'a' & ( 'b' | 'c' )"),
        ('a <-> (b <-> c)', "'a' <-> ( 'b' <-> 'c' )"),
        ('(a <-> b) <-> c', "'a' <-> 'b' <-> 'c'"),
        ('a | b & c', "'a' | 'b' & 'c'"),
        ('(a | b) & c', "( 'a' | 'b' ) & 'c'"),
        ('!(a & b)', "!( 'a' & 'b' )"),
        ('!!a', "!!'a'"),
        ('!a <-> b', "!'a' <-> 'b'"),
        ('a <0> b', "'a' <0> 'b'"),
        ('a <1> b', "'a' <-> 'b'"),
        ('a <01> b', "'a' <-> 'b'"),
        ('a & b | c & d', "'a' & 'b' | 'c' & 'd'"),
        ('a & (b & c)', "'a' & 'b' & 'c'"),
        ('a | (b | c)', "'a' | 'b' | 'c'"),
        ('(a & b) <-> c', "( 'a' & 'b' ) <-> 'c'"),
        ('a <-> (b & c)', "'a' <-> ( 'b' & 'c' )"),
        ('Cat:*', "'Cat':*"),
        ('x:DcBa', "'x':ABCD"),
        ('a\\ b', "'a b'"),
        ("'a b' & c", "'a b' & 'c'"),
        ("it's", "'it''s'"),
        ("'\\\\x'", "'\\\\x'"),
        ('a\\\\b', "'a\\\\b'"),
        (' a ', "'a'"),
        ('a & !(b | !c) & d', "'a' & !( 'b' | !'c' ) & 'd'"),
        ('a <-> !b', "'a' <-> !'b'"),
        ('a:x', None),
        ('a &', None),
        ('(a', None),
        ('a)', None),
        ('', None),
        ('a <-', None),
        ('a <->', None),
        ('a b', None),
        ('a:', "'a'"),
        ('a & b:*A', "'a' & 'b':*A"),
        ("'a':B", "'a':B"),
        ('a <16385> b', None),
        ('a <16384> b', "'a' <16384> 'b'"),
        ('!(a <-> b) <-> c', "!( 'a' <-> 'b' ) <-> 'c'"),
        ('a <2> b <-> c', "'a' <2> 'b' <-> 'c'"),
        ('a <-> (b <2> c)', "'a' <-> ( 'b' <2> 'c' )"),
        ("x'y", "'x''y'"),
        ('a|b', "'a' | 'b'"),
        ('a&b', "'a' & 'b'"),
        ('a&!b|c', "'a' & !'b' | 'c'"),
    ],
)
def test_tsqueries_print_as_tsqueryout_prints_them(text: str, expected: str | None) -> None:
    const = printed_unknown(text, TypeRef(None, "tsquery"))
    assert (const.text if const is not None else None) == expected


def _view(select: str) -> Expr | None:
    schema = loads(
        "CREATE TABLE t (j jsonb, s varchar(9), x xml, ts timestamptz, b bytea);\n"
        f"CREATE VIEW v AS {select} FROM t;"
    )
    return schema.views["public.v"].query


def _query(sql: str) -> Expr:
    """A query as pg_dump prints it, read as it is (no folding: this is the dump's side)."""
    return expr_from_node(json.loads(parse_sql_json(sql))["stmts"][0]["stmt"])


def test_literals_take_the_types_of_the_chosen_overload() -> None:
    assert _view(
        "SELECT jsonb_set(j, '{a}', NULL) AS a, xpath('/a', x) AS b,"
        " date_bin('15 minutes', ts, '2000-01-01') AS c, string_agg(b, ',') AS d"
    ) == _query(
        "SELECT jsonb_set(t.j, '{a}'::text[], NULL::jsonb) AS a, xpath('/a'::text, t.x) AS b,"
        " date_bin('00:15:00'::interval, t.ts, '2000-01-01 00:00:00+00'::timestamp with time zone)"
        " AS c, string_agg(t.b, '\\x2c'::bytea) AS d FROM public.t"
    )  # fmt: skip


def test_variadic_built_ins_pack_their_trailing_arguments() -> None:
    assert _view(
        "SELECT jsonb_extract_path_text(j, 'a', s) AS a, jsonb_extract_path(j, VARIADIC '{a}') AS b"
    ) == _query(
        "SELECT jsonb_extract_path_text(t.j, VARIADIC ARRAY['a'::text, t.s::text]) AS a,"
        " jsonb_extract_path(t.j, VARIADIC '{a}'::text[]) AS b FROM public.t"
    )  # fmt: skip


def test_literals_pgdrift_does_not_print_and_named_arguments_stay_as_written() -> None:
    assert _view(
        "SELECT jsonb_path_exists(j, '$.a /* c */') AS a, make_interval(days => 1) AS b,"
        " EXTRACT(epoch FROM ts) AS c"
    ) == _query(  # a jsonpath with a comment: not followed
        "SELECT jsonb_path_exists(t.j, '$.a /* c */') AS a, make_interval(days => 1) AS b,"
        " EXTRACT(epoch FROM t.ts) AS c FROM public.t"
    )  # fmt: skip


def test_numbers_are_cast_to_the_parameter_only_when_of_another_type() -> None:
    # a numeric expression given to numeric takes no cast, a domain over it is relabelled
    schema = loads(
        "CREATE DOMAIN amount AS numeric(12,2);\n"
        "CREATE TABLE p (x numeric(12,2), a amount, n int, b boolean);\n"
        "CREATE VIEW v AS SELECT sum(CASE WHEN b THEN x END) AS s, round(x * 2, 1) AS r,"
        " round(a, 1) AS ra, sin(n) AS si FROM p GROUP BY x, a, n;"
    )
    assert schema.views["public.v"].query == _query(
        "SELECT sum(CASE WHEN p.b THEN p.x ELSE NULL::numeric END) AS s,"
        " round((p.x * (2)::numeric), 1) AS r, round((p.a)::numeric, 1) AS ra,"
        " sin((p.n)::double precision) AS si FROM public.p GROUP BY p.x, p.a, p.n"
    )
