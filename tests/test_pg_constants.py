"""Constants as PostgreSQL 15 reads and prints them (pgdrift.pg.constants, pgdrift.pg.intervals).

Every expected value below is what PostgreSQL 15 printed for ``SELECT 'text'::type::text``.
"""

from __future__ import annotations

import pytest

from pgdrift.pg.constants import NUMERIC, TEXT, Const, length_coerce, regtype_out
from pgdrift.pg.intervals import interval_out
from pgdrift.pg.jsonb import jsonb_out
from pgdrift.types import TypeRef


@pytest.mark.parametrize(
    ("text", "modifiers", "printed"),
    [
        # SQL-standard fields: years-months, and a number left of a time is days.
        ("1-2", (), "1 year 2 mons"),
        ("-1-2", (), "-1 years -2 mons"),
        ("1 2:03:04", (), "1 day 02:03:04"),
        ("-1 2:03:04", (), "-1 days +02:03:04"),
        ("1-2 3 4:05:06", (), "1 year 2 mons 3 days 04:05:06"),
        ("1-12", (), None),  # field overflow
        ("1 2", (), None),  # two bare numbers are both seconds: an error
        ("2:30.5", (), "00:02:30.5"),  # mm:ss.fff
        ("2 days ago 1 hour", (), "-2 days -01:00:00"),
        # ISO 8601, with designators or in the alternative form.
        ("P1Y2M3DT4H5M6S", (), "1 year 2 mons 3 days 04:05:06"),
        ("P0001-02-03T04:05:06", (), "1 year 2 mons 3 days 04:05:06"),
        ("P00010203T040506", (), "1 year 2 mons 3 days 04:05:06"),
        ("P1.5W", (), "10 days 12:00:00"),
        ("PT36H", (), "36:00:00"),
        ("p1dt2h", (), None),  # the designators are upper case
        # The type's fields: what a bare number is, and what is kept.
        ("2:30:40", ("hour to minute",), "02:30:00"),
        ("5", ("day",), "5 days"),
        ("5", ("hour to minute",), "00:05:00"),
        ("2:30", ("minute to second",), "00:02:30"),
        ("1 2", ("day to hour",), "1 day 02:00:00"),
        ("-1 day -2:30:40", ("hour to minute",), "-1 days -02:30:00"),
        ("-25 months", ("year",), "-2 years"),
        ("1 year 2 months 3 days 4:05", ("month",), "1 year 2 mons"),
        ("1.5", ("day",), "1 day"),
        # The precision rounds the seconds half away from zero.
        ("1.5 seconds", ("0",), "00:00:02"),
        ("-1.5 seconds", ("0",), "-00:00:02"),
        ("2:30:40.555", ("day to second", "1"), "02:30:40.6"),
    ],
)
def test_interval_literals_read_as_postgresql_reads_them(
    text: str, modifiers: tuple[str, ...], printed: str | None
) -> None:
    assert interval_out(text, modifiers) == printed


@pytest.mark.parametrize(
    ("value", "to", "coerced"),
    [
        (Const(NUMERIC, "2.505"), TypeRef(None, "numeric", ("6", "2")), "2.51"),
        (Const(NUMERIC, "-1.005"), TypeRef(None, "numeric", ("6", "2")), "-1.01"),
        (Const(NUMERIC, "-0.4"), TypeRef(None, "numeric", ("3", "0")), "0"),
        (Const(NUMERIC, "15"), TypeRef(None, "numeric", ("6", "-1")), "20"),
        (Const(NUMERIC, "10000"), TypeRef(None, "numeric", ("6", "2")), None),
        (Const(TEXT, "a"), TypeRef(None, "character", ("3",)), "a  "),
        (Const(TEXT, "ccc   "), TypeRef(None, "character", ("3",)), "ccc"),
        (Const(TEXT, "abcd"), TypeRef(None, "character varying", ("3",)), None),
        (Const(TEXT, "yy  "), TypeRef(None, "character varying", ("4",)), "yy  "),
    ],
)
def test_a_typmod_applies_as_the_length_coercion_does(
    value: Const, to: TypeRef, coerced: str | None
) -> None:
    result = length_coerce(value, to)
    assert (result.text if result is not None else None) == coerced


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("int4", "integer"),
        (" INT4 ", "integer"),
        ("varchar(10)", "character varying"),
        ("bpchar", "character"),
        ("_int4", "integer[]"),
        ("pg_catalog.float8", "double precision"),
        ("timestamp(3) with time zone", "timestamp with time zone"),
        ('"char"', '"char"'),
        ("mood", None),  # a user type: its name depends on the search_path
        ("int4 language plpgsql", None),
    ],
)
def test_a_regtype_literal_is_the_name_format_type_gives(text: str, printed: str | None) -> None:
    assert regtype_out(text) == printed


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ('{"b":1,"a":2}', '{"a": 2, "b": 1}'),
        ('{"long key":1, "a":2, "bb":3, "a":4}', '{"a": 4, "bb": 3, "long key": 1}'),
        ("[1,[2, {}],[]]", "[1, [2, {}], []]"),
        ("1e2", "100"),
        ("-0", "0"),
        ("1.50", "1.50"),
        ("  true ", "true"),
        ('"\\u00e9\\n\\u0001"', '"é\\n\\u0001"'),
        ('{"é":1,"z":2}', '{"z": 2, "é": 1}'),  # bytewise: é is two bytes, after z
    ],
)
def test_jsonb_literals_print_as_jsonb_out_prints_them(text: str, printed: str) -> None:
    assert jsonb_out(text) == printed


@pytest.mark.parametrize("text", ["NaN", "01", '"\\u0000"', '"\\ud800"', "{,}", "[1] x", "'a'"])
def test_jsonb_literals_jsonb_in_refuses_are_left_as_written(text: str) -> None:
    assert jsonb_out(text) is None
