"""What PostgreSQL makes from DDL that leaves things implicit: the names of unnamed
constraints and indexes (pgdrift.pg.naming), serial columns' sequences and defaults, and
REFERENCES without a column list. fixtures/ddl/inline is the proof: PostgreSQL ran the script
and dumped it, and pgdrift reading the script must equal pgdrift reading the dump."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift import model
from pgdrift.pg.naming import (
    choose_name,
    column_name_addition,
    index_column_names,
    make_object_name,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _names(sql: str) -> list[str]:
    return sorted(str(oid) for oid in pgdrift.loads(sql).objects if oid.kind != "schema")


def test_inline_source_loads_equal_to_its_real_dump() -> None:
    # The script never says who owns what (the dump does): owners are left out of this one.
    case = FIXTURES / "ddl" / "inline"
    source = pgdrift.load(case / "source.sql")
    dump = pgdrift.load(case / "dump.sql")
    assert not pgdrift.diff(dump, source, ignore_owners=True)
    assert sorted(map(str, source.objects)) == sorted(map(str, dump.objects))
    assert not [o for o in source.objects.values() if isinstance(o, model.Unsupported)]


def test_the_longer_part_is_cut_first_and_the_label_never() -> None:
    name = make_object_name("t" * 50, "c" * 20, "key")
    assert len(name) == 63
    assert name == "t" * 38 + "_" + "c" * 20 + "_key"
    # When both parts are too long they end up equally long.
    assert make_object_name("t" * 50, "c" * 50, "key") == "t" * 29 + "_" + "c" * 29 + "_key"


def test_cutting_never_splits_a_character() -> None:
    # Thirty ü are 60 bytes; 51 bytes are left for it, which is 25 whole characters.
    assert make_object_name("ü" * 30, "größe", "key") == "ü" * 25 + "_größe_key"


def test_a_taken_name_gets_the_first_free_number_after_the_label() -> None:
    taken = {"t_a_key", "t_a_key1", "t_a_key3"}
    assert choose_name("t", "a", "key", taken) == "t_a_key2"


def test_a_numbered_name_still_fits_in_63_bytes() -> None:
    long_table = "x" * 70
    first = choose_name(long_table, None, "pkey")
    second = choose_name(long_table, None, "pkey", {first})
    assert second == "x" * 57 + "_pkey1"
    assert len(second) == 63


def test_index_column_names_number_repeats_and_name_expressions() -> None:
    lower = {"FuncCall": {"funcname": [{"String": {"sval": "lower"}}]}}
    plus = {"A_Expr": {"kind": "AEXPR_OP"}}
    cast = {"TypeCast": {"arg": plus, "typeName": {"names": [{"String": {"sval": "text"}}]}}}
    names = index_column_names([{"expr": lower}, {"expr": plus}, {"expr": plus}, {"expr": cast}])
    assert names == ["lower", "expr", "expr1", "text"]


def test_column_name_addition_stops_after_the_name_that_reaches_64_bytes() -> None:
    columns = ["a" * 40, "b" * 40, "c" * 40]
    assert column_name_addition(columns) == "a" * 40 + "_" + "b" * 40


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("CREATE TABLE t (id integer PRIMARY KEY);", "constraint:public.t.t_pkey"),
        ("CREATE TABLE t (a integer, b integer, UNIQUE (a, b));", "constraint:public.t.t_a_b_key"),
        ("CREATE TABLE t (a integer CHECK (a > 0));", "constraint:public.t.t_a_check"),
        # A table-level check on one column is named after it too; on two, after the table.
        ("CREATE TABLE t (a integer, CHECK (a > 0));", "constraint:public.t.t_a_check"),
        ("CREATE TABLE t (a integer, b integer CHECK (a < b));", "constraint:public.t.t_check"),
        ("CREATE TABLE t (id integer PRIMARY KEY, p integer REFERENCES t);",
         "constraint:public.t.t_p_fkey"),
        ("CREATE TABLE t (a integer);\nCREATE INDEX ON t (a);", "index:public.t_a_idx"),
        ("CREATE TABLE t (a integer);\nCREATE INDEX ON t (lower(a::text));",
         "index:public.t_lower_idx"),
    ],
)  # fmt: skip
def test_unnamed_objects_get_postgresqls_names(sql: str, expected: str) -> None:
    assert expected in _names(sql)


def test_an_index_name_skips_a_relation_of_that_name() -> None:
    names = _names("CREATE TABLE t (a integer);\nCREATE TABLE t_a_idx ();\nCREATE INDEX ON t (a);")
    assert "index:public.t_a_idx1" in names


def test_a_check_name_skips_constraint_names_of_other_tables_in_the_schema() -> None:
    names = _names(
        "CREATE TABLE t_a (c integer);\n"
        "CREATE TABLE other (x integer CONSTRAINT t_a_check CHECK (x > 0));\n"
        "CREATE TABLE t (a integer CHECK (a > 0));"
    )
    assert "constraint:public.t.t_a_check1" in names


@pytest.mark.parametrize(
    ("elements", "expected"),
    [
        # transformIndexConstraints keeps one index for equal index constraints...
        ("UNIQUE (a, b), UNIQUE (a, b)", ["t_a_b_key"]),
        # ...the first, named after a later one when it has no name of its own...
        ("UNIQUE (a, b), CONSTRAINT n UNIQUE (a, b), CONSTRAINT m UNIQUE (a, b)", ["n"]),
        ("CONSTRAINT m UNIQUE (a, b), CONSTRAINT n UNIQUE (a, b)", ["m"]),
        # ...the primary key counting as first, wherever it is written...
        ("CONSTRAINT u UNIQUE (a), PRIMARY KEY (a)", ["u"]),
        ("UNIQUE (a), CONSTRAINT p PRIMARY KEY (a)", ["p"]),
        # ...index options and tablespace not compared...
        ("UNIQUE (a) WITH (fillfactor = 50), UNIQUE (a)", ["t_a_key"]),
        ("EXCLUDE USING gist (a WITH =), EXCLUDE USING gist (a WITH =)", ["t_a_excl"]),
        # ...but the column order, INCLUDE, WHERE, operators, NULLS NOT DISTINCT and
        # deferrability are.
        ("UNIQUE (a, b), UNIQUE (b, a)", ["t_a_b_key", "t_b_a_key"]),
        ("UNIQUE (a) INCLUDE (b), UNIQUE (a)", ["t_a_b_key", "t_a_key"]),
        ("EXCLUDE USING gist (a WITH =) WHERE (a > 0), EXCLUDE USING gist (a WITH =)",
         ["t_a_excl", "t_a_excl1"]),
        ("EXCLUDE USING gist (a WITH =), EXCLUDE USING gist (a WITH <>)",
         ["t_a_excl", "t_a_excl1"]),
        ("UNIQUE NULLS NOT DISTINCT (a), UNIQUE (a)", ["t_a_key", "t_a_key1"]),
        ("PRIMARY KEY (a) DEFERRABLE, UNIQUE (a)", ["t_a_key", "t_pkey"]),
    ],
)  # fmt: skip
def test_equal_index_constraints_of_one_create_table_make_one(
    elements: str, expected: list[str]
) -> None:
    schema = pgdrift.loads(f"CREATE TABLE t (a int, b int, {elements});")
    assert sorted(o.name for o in schema.objects if o.kind == "constraint") == expected


def test_equal_index_constraints_of_one_add_column_make_one() -> None:
    names = _names("CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN c int UNIQUE UNIQUE;")
    assert names == ["constraint:public.t.t_c_key", "table:public.t"]


def test_serial_columns_become_integer_default_nextval_and_an_owned_sequence() -> None:
    schema = pgdrift.loads("CREATE TABLE s.t (id bigserial, n smallserial);".replace("s.t", "t"))
    table = schema.tables["public.t"]
    id_column = table.columns["id"]
    assert str(id_column.type) == "bigint"
    assert id_column.not_null
    assert id_column.default is not None
    assert id_column.default.sql == "nextval('public.t_id_seq'::regclass)"
    sequences = {str(o.id): o for o in schema.objects.values() if isinstance(o, model.Sequence)}
    assert set(sequences) == {"sequence:public.t_id_seq", "sequence:public.t_n_seq"}
    small = sequences["sequence:public.t_n_seq"]
    assert str(small.options.data_type) == "smallint"
    assert str(small.owned_by) == "column:public.t.n"


def test_a_serial_sequence_name_that_is_taken_gets_a_number() -> None:
    names = _names("CREATE SEQUENCE t_id_seq;\nCREATE TABLE t (id serial);")
    assert "sequence:public.t_id_seq1" in names
    table = pgdrift.loads("CREATE SEQUENCE t_id_seq;\nCREATE TABLE t (id serial);").tables[
        "public.t"
    ]
    default = table.columns["id"].default
    assert default is not None
    assert default.sql == "nextval('public.t_id_seq1'::regclass)"


def test_references_without_columns_means_the_primary_key() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE p (a integer, b integer, PRIMARY KEY (a, b));\n"
        "CREATE TABLE c (x integer, y integer, FOREIGN KEY (x, y) REFERENCES p);"
    )
    fk = schema.objects[next(o for o in schema.objects if o.name == "c_x_y_fkey")]
    assert isinstance(fk, model.Constraint)
    assert fk.referenced_columns == ("a", "b")
