"""ALTER TABLE as migrations write it, applied to the catalogue: ADD COLUMN, DROP COLUMN,
ALTER COLUMN TYPE. fixtures/ddl/alter is the proof: PostgreSQL ran the script and dumped the
result, and pgdrift reading the script must equal pgdrift reading the dump."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift import model
from pgdrift.expr import parse_expr

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

BASE = """\
CREATE TABLE t (id serial PRIMARY KEY, a integer, b text);
CREATE INDEX ON t (a);
CREATE INDEX ON t (lower(b));
CREATE VIEW v AS SELECT id, b FROM t;
"""


def _ids(schema: pgdrift.Schema) -> list[str]:
    return sorted(str(oid) for oid in schema.objects)


def test_alter_source_loads_equal_to_its_real_dump() -> None:
    case = FIXTURES / "ddl" / "alter"
    source = pgdrift.load(case / "source.sql")
    dump = pgdrift.load(case / "dump.sql")
    # The script never says who owns what (the dump does): owners are left out.
    assert not pgdrift.diff(dump, source, ignore_owners=True)
    assert _ids(source) == _ids(dump)
    assert not [o for o in source.objects.values() if isinstance(o, model.Unsupported)]


def test_add_column_goes_last_with_its_constraints_and_sequence() -> None:
    schema = pgdrift.loads(BASE + "ALTER TABLE t ADD COLUMN n bigserial UNIQUE CHECK (n > 0);")
    table = schema.tables["public.t"]
    assert table.columns.names() == ("id", "a", "b", "n")
    assert str(table.columns["n"].type) == "bigint"
    assert {"constraint:public.t.t_n_key", "constraint:public.t.t_n_check",
            "sequence:public.t_n_seq"} <= set(_ids(schema))  # fmt: skip


def test_add_column_of_an_existing_name_fails_unless_if_not_exists() -> None:
    with pytest.raises(pgdrift.DuplicateObjectError, match=r"column 'a' of table:public\.t"):
        pgdrift.loads(BASE + "ALTER TABLE t ADD COLUMN a bigint;")
    schema = pgdrift.loads(BASE + "ALTER TABLE t ADD COLUMN IF NOT EXISTS a bigint;")
    assert str(schema.tables["public.t"].columns["a"].type) == "integer"


def test_drop_column_takes_its_indexes_and_constraints() -> None:
    schema = pgdrift.loads(BASE + "ALTER TABLE t DROP COLUMN a;")
    assert schema.tables["public.t"].columns.names() == ("id", "b")
    assert "index:public.t_a_idx" not in _ids(schema)
    assert "index:public.t_lower_idx" in _ids(schema)


def test_drop_column_a_view_uses_refuses_without_cascade() -> None:
    with pytest.raises(pgdrift.DependentObjectsError, match=r"view:public\.v") as raised:
        pgdrift.loads(BASE + "ALTER TABLE t DROP COLUMN b;", name="m.sql")
    assert raised.value.one_line().startswith("m.sql:5:1: ")
    schema = pgdrift.loads(BASE + "ALTER TABLE t DROP COLUMN b CASCADE;")
    assert "view:public.v" not in _ids(schema)
    assert "index:public.t_lower_idx" not in _ids(schema)


def test_drop_column_of_a_serial_takes_its_sequence_and_key() -> None:
    schema = pgdrift.loads("CREATE TABLE t (id serial PRIMARY KEY, a integer);\n"
                           "ALTER TABLE t DROP COLUMN id;")  # fmt: skip
    assert _ids(schema) == ["schema:public", "table:public.t"]


def test_drop_column_a_foreign_key_needs_refuses_without_cascade() -> None:
    sql = "CREATE TABLE t (id integer PRIMARY KEY);\nCREATE TABLE c (t_id integer REFERENCES t);\n"
    with pytest.raises(pgdrift.DependentObjectsError, match="c_t_id_fkey"):
        pgdrift.loads(sql + "ALTER TABLE t DROP COLUMN id;")
    schema = pgdrift.loads(sql + "ALTER TABLE t DROP COLUMN id CASCADE;")
    assert "constraint:public.c.c_t_id_fkey" not in _ids(schema)
    assert "table:public.c" in _ids(schema)


def test_drop_column_a_generated_column_uses_takes_it_only_with_cascade() -> None:
    # The generated column depends on the column: PostgreSQL refuses without CASCADE, and
    # with it drops the generated column and what is built on that (index, check, view).
    sql = (
        "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED, c int, CHECK (b > 0));"
        "CREATE INDEX ON t (b); CREATE VIEW v AS SELECT b FROM t;"
    )
    with pytest.raises(pgdrift.DependentObjectsError, match=r"column:public\.t\.b"):
        pgdrift.loads(sql + "ALTER TABLE t DROP COLUMN a;")
    schema = pgdrift.loads(sql + "ALTER TABLE t DROP COLUMN a CASCADE;")
    assert schema.tables["public.t"].columns.names() == ("c",)
    assert _ids(schema) == ["schema:public", "table:public.t"]


def test_drop_column_missing_fails_unless_if_exists() -> None:
    with pytest.raises(pgdrift.UndefinedObjectError, match=r"column 'z' of table:public\.t"):
        pgdrift.loads(BASE + "ALTER TABLE t DROP COLUMN z;")
    assert pgdrift.loads(BASE + "ALTER TABLE t DROP COLUMN IF EXISTS z;").tables["public.t"]


def test_alter_column_type_changes_type_and_keeps_the_rest() -> None:
    schema = pgdrift.loads(
        BASE + "ALTER TABLE t ALTER COLUMN a SET DATA TYPE bigint USING a::bigint;"
    )
    column = schema.tables["public.t"].columns["a"]
    assert str(column.type) == "bigint"
    assert "index:public.t_a_idx" in _ids(schema)


def test_alter_column_type_of_a_column_a_view_uses_fails_as_in_postgresql() -> None:
    with pytest.raises(pgdrift.DependentObjectsError, match=r"view:public\.v uses"):
        pgdrift.loads(BASE + "ALTER TABLE t ALTER COLUMN b TYPE varchar(10);")


def test_a_column_a_view_reads_through_an_alias_is_used_by_it() -> None:
    # FROM t x ... x.b: PostgreSQL's dependency is on the column whatever the alias.
    sql = (
        "CREATE TABLE t (id int, b text);\nCREATE VIEW w AS SELECT x.id FROM t x WHERE x.b <> '';\n"
    )
    with pytest.raises(pgdrift.DependentObjectsError, match=r"view:public\.w uses"):
        pgdrift.loads(sql + "ALTER TABLE t ALTER COLUMN b TYPE varchar(10);")
    with pytest.raises(pgdrift.DependentObjectsError, match=r"view:public\.w"):
        pgdrift.loads(sql + "ALTER TABLE t DROP COLUMN b;")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        # checkViewColumns (view.c), each message checked on PostgreSQL 15
        ("SELECT a FROM t", "cannot drop columns from view"),
        ("SELECT a AS x, b, c FROM t", 'cannot change name of view column "a" to "x"'),
        ("SELECT a, b, d AS c FROM t", 'cannot change data type of view column "c" from '
         r"character varying\(5\) to character varying\(9\)"),
        ("SELECT a::bigint AS a, b, c FROM t",
         'cannot change data type of view column "a" from integer to bigint'),
    ],
)  # fmt: skip
def test_create_or_replace_view_refuses_what_postgresql_refuses(query: str, message: str) -> None:
    sql = (
        "CREATE TABLE t (a int, b text, c varchar(5), d varchar(9));\n"
        f"CREATE VIEW v AS SELECT a, b, c FROM t;\nCREATE OR REPLACE VIEW v AS {query};\n"
    )
    with pytest.raises(pgdrift.ModelError, match=message) as raised:
        pgdrift.loads(sql, name="m.sql")
    assert raised.value.one_line().startswith("m.sql:3:1: ")


def test_create_or_replace_view_may_add_columns_at_the_end() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE t (a int, b text);\nCREATE VIEW v AS SELECT a FROM t;\n"
        "CREATE OR REPLACE VIEW v AS SELECT t.a, b, 1 AS n FROM t WHERE a > 0;\n"
    )
    assert "view:public.v" in _ids(schema)


def test_alter_table_on_an_inheritance_parent_reaches_its_children() -> None:
    # ADD COLUMN appends an inherited column (merged with a child's own of that name), a type
    # change and RENAME reach every descendant, DROP COLUMN leaves a child's own column.
    schema = pgdrift.loads(
        "CREATE TABLE p (id int); CREATE TABLE c (note text) INHERITS (p);"
        "CREATE TABLE g () INHERITS (c);"
        "ALTER TABLE p ADD COLUMN note text NOT NULL; ALTER TABLE p ADD COLUMN x int;"
        "ALTER TABLE p ALTER COLUMN x TYPE bigint; ALTER TABLE p RENAME COLUMN x TO y;"
        "ALTER TABLE p DROP COLUMN note;"
    )
    child, grandchild = schema.tables["public.c"], schema.tables["public.g"]
    # Checked on PostgreSQL 15: c.note stays the child's own and nullable (attnotnull f,
    # attislocal t). The server's attnum order is id, note, y; the model keeps the order a
    # restore of pg_dump's output gives (the parents' columns, then the child's own).
    assert [(c.name, c.inherited, c.not_null) for c in child.columns.ordered] == [
        ("id", True, False), ("y", True, False), ("note", False, False)]  # fmt: skip
    assert [c.name for c in grandchild.columns.ordered] == ["id", "y", "note"]
    assert str(grandchild.columns["y"].type) == "bigint"


def test_a_type_change_types_the_checks_and_indexes_on_the_column_again() -> None:
    # ATPostAlterTypeCleanup re-creates them from their printed text: the varchar column's
    # (a)::text casts go once it is text, and come back when it is varchar again.
    sql = (
        "CREATE TABLE r (a varchar(20), CHECK (a <> 'x'));\n"
        "CREATE INDEX ri ON r (a) WHERE a <> 'q';\nALTER TABLE r ALTER COLUMN a TYPE text;\n"
    )
    schema = pgdrift.loads(sql)
    assert schema.constraints["public.r.r_a_check"].expression == parse_expr("a <> 'x'::text")
    assert schema.indexes["public.ri"].where == parse_expr("a <> 'q'::text")
    back = pgdrift.loads(sql + "ALTER TABLE r ALTER COLUMN a TYPE varchar(9);\n")
    assert back.indexes["public.ri"].where == parse_expr("a::text <> 'q'::text")
