"""hstore literals read as hstore_in reads them and printed as hstore_out prints them; each
case checked on PostgreSQL 15 with ``SELECT ('...'::hstore)::text``."""

from __future__ import annotations

import pytest

from pgdrift.pg.hstore import hstore_out


@pytest.mark.parametrize(
    ("literal", "printed"),
    [
        ("a=>1", '"a"=>"1"'),
        ("b=>2, a=>1", '"a"=>"1", "b"=>"2"'),
        ("", ""),
        (" ", ""),
        ("a=>NULL", '"a"=>NULL'),
        ("a=>null", '"a"=>NULL'),  # an unquoted NULL, in any case, is a null value
        ('a=>"NULL"', '"a"=>"NULL"'),
        ("a=>NULLx", '"a"=>"NULLx"'),
        ("k=>v,", '"k"=>"v"'),  # a trailing comma is allowed
        ('k => "v" , ', '"k"=>"v"'),
        ("a => 1 , bb=>c>d", '"a"=>"1", "bb"=>"c>d"'),
        ('"a"=>"b"  ,  "c"=>d  ', '"a"=>"b", "c"=>"d"'),
        # Keys are kept shorter first, then bytewise (UTF-8).
        ("aa=>1, b=>2, ab=>3, B=>4", '"B"=>"4", "b"=>"2", "aa"=>"1", "ab"=>"3"'),
        ("é=>1, z=>2", '"z"=>"2", "é"=>"1"'),
        ("a\\ b=>c\\,d", '"a b"=>"c,d"'),  # a backslash takes the next character as is
        ('\\"=>\\\\', '"\\""=>"\\\\"'),  # quotes and backslashes printed escaped
        ("a=>b,,c=>d", '"a"=>"b", ",c"=>"d"'),  # a word's first character is its own
    ],
)
def test_an_hstore_literal_is_printed_as_hstore_out_prints_it(literal: str, printed: str) -> None:
    assert hstore_out(literal) == printed


@pytest.mark.parametrize(
    "literal", ["x", "a=>1 b=>2", "a=>", "=>1", 'a=>"x"y', "  ,", 'a=>"', "a=>b c=>d"]
)
def test_what_hstore_in_rejects_is_not_printed(literal: str) -> None:
    assert hstore_out(literal) is None


def test_a_repeated_key_is_left_as_written() -> None:
    # Which of the pairs hstore keeps is not defined (docs: hstore, "hstore External
    # Representation").
    assert hstore_out("a=>1, a=>2") is None
