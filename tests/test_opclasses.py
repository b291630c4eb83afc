"""Default operator classes: pgdrift.pg.opclasses (GetDefaultOpClass over PostgreSQL 15's
catalog data) and the builder leaving a default class out of source DDL, as pg_get_indexdef,
pg_get_partkeydef and pg_dump's range types do. fixtures/ddl/index_opclasses proves the whole
against PostgreSQL; tools/opclass_table.py checks the table against every built-in type."""

from __future__ import annotations

import pytest

import pgdrift
from pgdrift import model
from pgdrift.pg.opclasses import KeyType, default_opclass, is_default_opclass, type_info

_ARRAY = KeyType(None, "A", "A")


@pytest.mark.parametrize(
    ("method", "key", "expected"),
    [
        ("btree", type_info("text"), "text_ops"),
        # varchar is binary-coercible to text and to bpchar: text is its category's preferred.
        ("btree", type_info("varchar"), "text_ops"),
        ("btree", type_info("bpchar"), "bpchar_ops"),
        ("btree", type_info("cidr"), "inet_ops"),  # cidr -> inet is binary
        ("btree", type_info("_int4"), "array_ops"),
        ("gin", _ARRAY, "array_ops"),
        ("btree", KeyType(None, "e", "E"), "enum_ops"),
        ("gist", type_info("tstzrange"), "range_ops"),
        ("gist", KeyType(None, "m", "R"), "multirange_ops"),
        ("hash", KeyType(None, "c", "C"), "record_ops"),
        ("spgist", type_info("point"), "quad_point_ops"),
        ("spgist", type_info("inet"), "inet_ops"),
        ("brin", type_info("timestamptz"), "timestamptz_minmax_ops"),
        ("brin", type_info("varchar"), "text_minmax_ops"),
        # No default: an index needs the class written.
        ("gist", type_info("inet"), None),
        ("gin", type_info("text"), None),
        ("btree", type_info("point"), None),
        ("btree", type_info("name"), "name_ops"),
    ],
)
def test_default_opclass(method: str, key: KeyType | None, expected: str | None) -> None:
    assert key is not None
    assert default_opclass(method, key) == expected


def test_pseudo_types_are_not_key_types() -> None:
    assert type_info("anyarray") is None
    assert type_info("no_such_type") is None


def test_is_default_opclass_is_opcdefault() -> None:
    assert is_default_opclass("btree", "numeric_ops")
    assert is_default_opclass("btree", "text_ops")
    assert not is_default_opclass("btree", "text_pattern_ops")
    assert not is_default_opclass("hash", "numeric_minmax_ops")


def _opclasses(sql: str, index: str = "public.i") -> list[str | None]:
    return [e.opclass for e in pgdrift.loads(sql).indexes[index].elements]


def test_index_default_opclasses_are_left_out() -> None:
    sql = """
CREATE TYPE mood AS ENUM ('a');
CREATE DOMAIN label AS varchar(20);
CREATE TABLE t (a text, b varchar(9), c mood, d label, e int[], f tstzrange, g char(2));
CREATE INDEX i ON t (a pg_catalog.text_ops, b text_ops, c enum_ops, d text_ops, e array_ops,
                     f range_ops, g bpchar_ops, lower(a) text_ops);
"""
    assert _opclasses(sql) == [None] * 8


def test_index_non_default_opclasses_stay() -> None:
    sql = """
CREATE TABLE t (a text, b varchar(9));
CREATE INDEX i ON t (a text_pattern_ops, b varchar_pattern_ops, lower(a) text_pattern_ops);
"""
    assert _opclasses(sql) == ["text_pattern_ops", "varchar_pattern_ops", "text_pattern_ops"]
    gist = "CREATE TABLE t (c inet, e tsvector);\n"
    gist += "CREATE INDEX i ON t USING gist (c inet_ops, e tsvector_ops (siglen = 32));"
    # gist has no default class for inet; one with parameters is always printed.
    assert _opclasses(gist) == ["inet_ops", "tsvector_ops"]


def test_index_opclass_kept_when_the_key_type_is_unknown() -> None:
    sql = """
CREATE TABLE t (a text);
CREATE INDEX i ON t (some_function(a) text_ops, public.app_ops_thing(a) public.text_ops);
"""
    assert _opclasses(sql) == ["text_ops", "public.text_ops"]


def test_a_user_default_class_of_the_method_keeps_what_is_written() -> None:
    sql = """
CREATE TYPE pair AS (a int);
CREATE OPERATOR CLASS pair_ops DEFAULT FOR TYPE pair USING btree AS OPERATOR 1 <;
CREATE TABLE t (a text);
CREATE INDEX i ON t (a text_ops);
"""
    assert _opclasses(sql) == ["text_ops"]


def test_exclusion_and_partition_key_default_opclasses_are_left_out() -> None:
    sql = """
CREATE TABLE r (room int, during tstzrange,
                EXCLUDE USING gist (during range_ops WITH &&),
                EXCLUDE USING hash (room int4_ops WITH =));
CREATE TABLE p (a varchar(9), b text) PARTITION BY HASH (a text_ops, b text_pattern_ops);
"""
    schema = pgdrift.loads(sql)
    exclusions = [c for c in schema.constraints.values() if c.type == model.Constraint.EXCLUSION]
    assert [e.opclass for c in exclusions for e in c.elements] == [None, None]
    key = schema.tables["public.p"].partition_key
    assert key is not None
    assert [e.opclass for e in key.elements] == [None, "text_pattern_ops"]


def test_range_subtype_opclass_marked_default_is_left_out() -> None:
    schema = pgdrift.loads("""
CREATE TYPE a AS RANGE (subtype = numeric, subtype_opclass = numeric_ops);
CREATE TYPE b AS RANGE (subtype = varchar, subtype_opclass = pg_catalog.text_ops);
CREATE TYPE c AS RANGE (subtype = text, subtype_opclass = text_pattern_ops);
""")
    options = {name: dict(schema[f"range_type:public.{name}"].options) for name in "abc"}
    assert "subtype_opclass" not in options["a"]
    assert "subtype_opclass" not in options["b"]
    assert options["c"]["subtype_opclass"] == "text_pattern_ops"
