"""ALTER TYPE ... RENAME ATTRIBUTE: field selections of values of the type follow the new name,
those of other types keep theirs (builder.attribute_renames; PostgreSQL stores a FieldSelect by
field number; fixtures/ddl/renamed_attribute_field_selections proves it on PostgreSQL 15)."""

from __future__ import annotations

from pgdrift import loads

_TYPES = (
    "CREATE TYPE pair AS (a int, b text);\n"
    "CREATE TYPE other AS (a int);\n"
    "CREATE TYPE holder AS (inner_pair pair, pairs pair[]);\n"
    "CREATE TABLE t (id int, p pair, o other, h holder,"
    " CONSTRAINT c CHECK ((p).a > (o).a));\n"
)


def test_selections_of_the_renamed_type_follow_it() -> None:
    schema = loads(
        _TYPES
        + "CREATE VIEW v AS SELECT (x.p).a AS pa, (x.o).a AS oa, ((x.h).inner_pair).a AS ha,"
        " ((x.h).pairs[1]).a AS first FROM t x JOIN t y ON (y.p).a = (x.p).a;\n"
        "ALTER TYPE pair RENAME ATTRIBUTE a TO left_value;"
    )
    assert schema.views["public.v"].query.sql == (
        "SELECT ((x.p)).left_value AS pa, ((x.o)).a AS oa, ((x.h)).inner_pair.left_value AS ha,"
        " ((x.h)).pairs[1].left_value AS first FROM public.t AS x"
        " INNER JOIN public.t AS y ON ((y.p)).left_value = ((x.p)).left_value"
    )
    assert schema.constraints["public.t.c"].expression.sql == "((p)).left_value > ((o)).a"


def test_another_types_field_of_the_same_name_stays() -> None:
    schema = loads(
        _TYPES + "CREATE VIEW v AS SELECT (o).a FROM t;\n"
        "ALTER TYPE pair RENAME ATTRIBUTE a TO left_value;"
    )
    assert schema.views["public.v"].query.sql == "SELECT ((t.o)).a AS a FROM public.t"
