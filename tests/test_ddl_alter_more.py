"""fixtures/ddl/alter_more is the proof for the statements pg_dump never writes (issue 11):
PostgreSQL 15 ran the script and dumped the result; pgdrift reading the script equals pgdrift
reading the dump, owners included when the role that ran it is named. Also ALTER ... SET
SCHEMA, which moves an object with what PostgreSQL moves along."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift import model

CASE = Path(__file__).resolve().parent.parent / "fixtures" / "ddl" / "alter_more"


def test_the_script_loads_equal_to_its_real_dump() -> None:
    source = pgdrift.load(CASE / "source.sql")
    dump = pgdrift.load(CASE / "dump.sql")
    assert not pgdrift.diff(dump, source)
    assert sorted(map(str, source.objects)) == sorted(map(str, dump.objects))
    assert not source.unsupported


@pytest.mark.parametrize("case", [CASE, CASE.parent / "alter"], ids=lambda p: p.name)
def test_with_the_role_that_ran_it_owners_and_privileges_are_equal_too(case: Path) -> None:
    # tools/pgcluster.py runs source.sql as the cluster's superuser, postgres.
    source = pgdrift.load(case / "source.sql", role="postgres")
    dump = pgdrift.load(case / "dump.sql")
    assert not pgdrift.diff(dump, source)
    for oid, obj in dump.objects.items():
        assert source.objects[oid].owner == obj.owner, oid


def test_the_scripts_data_statements_are_counted() -> None:
    assert pgdrift.load(CASE / "source.sql").warnings == (
        f"{CASE / 'source.sql'}: 3 data statements skipped (INSERT 1, UPDATE 1, DELETE 1): "
        "pgdrift reads the schema, not rows",
        f"{CASE / 'source.sql'}: 2 maintenance statements skipped (VACUUM 1, CLUSTER 1): "
        "they change no schema",
    )


BASE = """\
CREATE SCHEMA b;
CREATE TYPE mood AS ENUM ('calm');
CREATE TABLE t (id serial PRIMARY KEY, m mood DEFAULT 'calm'::mood,
                n integer GENERATED ALWAYS AS IDENTITY);
CREATE INDEX ON t (m);
CREATE TABLE r (tid integer REFERENCES t);
CREATE FUNCTION f(x mood) RETURNS integer LANGUAGE sql AS 'SELECT 1';
"""


def test_set_schema_moves_a_table_with_its_indexes_constraints_and_sequences() -> None:
    schema = pgdrift.loads(BASE + "ALTER TABLE t SET SCHEMA b;")
    assert {str(o) for o in schema.objects} >= {
        "table:b.t", "constraint:b.t.t_pkey", "index:b.t_m_idx", "sequence:b.t_id_seq",
        "sequence:b.t_n_seq"}  # fmt: skip
    table = schema.tables["b.t"]
    assert table.columns["id"].default.sql == "nextval('b.t_id_seq'::regclass)"  # type: ignore[union-attr]
    fkey = schema.objects[next(o for o in schema.objects if o.name == "r_tid_fkey")]
    assert isinstance(fkey, model.Constraint)
    assert str(fkey.references) == "table:b.t"


def test_set_schema_moves_types_and_routines_and_their_uses_follow() -> None:
    schema = pgdrift.loads(
        BASE + "ALTER TYPE mood SET SCHEMA b; ALTER FUNCTION f(b.mood) SET SCHEMA b;"
    )
    column = schema.tables["public.t"].columns["m"]
    assert str(column.type) == "b.mood"
    assert column.default.sql == "'calm'::b.mood"  # type: ignore[union-attr]
    assert "function:b.f(b.mood)" in {str(o) for o in schema.objects}


@pytest.mark.parametrize(
    ("statement", "error", "message"),
    [
        ("ALTER TABLE t SET SCHEMA nope;", pgdrift.UndefinedObjectError,
         'schema "nope" does not exist'),
        ("ALTER TABLE nope SET SCHEMA b;", pgdrift.UndefinedObjectError,
         'relation "nope" does not exist'),
        ("CREATE TABLE b.t (); ALTER TABLE t SET SCHEMA b;", pgdrift.DuplicateObjectError,
         'relation "t" already exists in schema "b"'),
        ("CREATE TYPE b.mood AS ENUM (); ALTER TYPE mood SET SCHEMA b;",
         pgdrift.DuplicateObjectError, 'type "mood" already exists in schema "b"'),
    ],
)  # fmt: skip
def test_set_schema_fails_as_postgresql_does(
    statement: str, error: type[pgdrift.Error], message: str
) -> None:
    with pytest.raises(error, match=message):
        pgdrift.loads(BASE + statement)
    pgdrift.loads(BASE + "ALTER TABLE IF EXISTS nope SET SCHEMA b;")


def test_set_schema_to_the_schema_it_is_in_does_nothing() -> None:
    # PostgreSQL 15 accepts it for every kind (checked): no error, nothing moves.
    same = BASE + "ALTER TABLE t SET SCHEMA public; ALTER TYPE mood SET SCHEMA public;"
    assert pgdrift.loads(same) == pgdrift.loads(BASE)


def test_set_schema_of_a_table_a_view_names_is_followed_and_a_rules_not_guessed() -> None:
    # The view names the table by OID: it prints the new schema (query_relation_renames).
    schema = pgdrift.loads(BASE + "CREATE VIEW v AS SELECT id FROM t; ALTER TABLE t SET SCHEMA b;")
    assert not schema.unsupported
    assert schema.views["public.v"].query.sql == "SELECT t.id FROM b.t"
    schema = pgdrift.loads(
        BASE + "CREATE RULE k AS ON INSERT TO r DO ALSO DELETE FROM t; ALTER TABLE t SET SCHEMA b;"
    )
    assert "table:public.t" in {str(o) for o in schema.objects}
    assert len(schema.unsupported) == 1


@pytest.mark.parametrize(
    ("script", "error", "message"),
    [
        ("CREATE TABLE t (); CREATE VIEW t AS SELECT 1;", pgdrift.DuplicateObjectError,
         r'<string>:1:20: relation "t" already exists \(view:public\.t\)'),
        ("CREATE TABLE t (); CREATE SEQUENCE t;", pgdrift.DuplicateObjectError,
         'relation "t" already exists'),
        ("CREATE TABLE t (); CREATE TYPE t AS ENUM ();", pgdrift.DuplicateObjectError,
         'type "t" already exists'),
        ("CREATE TABLE t (); CREATE INDEX t ON t ((1));", pgdrift.DuplicateObjectError,
         'relation "t" already exists'),
        ("CREATE SCHEMA s; CREATE SCHEMA s;", pgdrift.DuplicateObjectError,
         'schema "s" already exists'),
        ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';" * 2,
         pgdrift.DuplicateObjectError,
         r"function public\.f\(\) already exists with same argument types"),
        ("CREATE INDEX ON nope (id);", pgdrift.UndefinedObjectError,
         'CREATE INDEX: relation "public.nope" does not exist'),
        ("ALTER TABLE nope ENABLE ROW LEVEL SECURITY;", pgdrift.UndefinedObjectError,
         '<string>:1:1: relation "public.nope" does not exist'),
        ("CREATE TABLE t (id int); ALTER TABLE t VALIDATE CONSTRAINT c;",
         pgdrift.UndefinedObjectError, 'constraint "c" of relation "t" does not exist'),
        ("CREATE TABLE t (id int); ALTER TABLE t ALTER nope SET NOT NULL;",
         pgdrift.UndefinedObjectError, 'column "nope" of relation "t" does not exist'),
    ],
)  # fmt: skip
def test_create_of_an_existing_and_alter_of_a_missing_object_fail_as_postgresql_does(
    script: str, error: type[pgdrift.Error], message: str
) -> None:
    with pytest.raises(error, match=message):
        pgdrift.loads(script)


def test_if_not_exists_skips_whatever_relation_holds_the_name() -> None:
    schema = pgdrift.loads("CREATE TABLE t (id int); CREATE INDEX IF NOT EXISTS t ON t (id);")
    assert "index:public.t" not in {str(o) for o in schema.objects}


def test_alter_function_changes_its_attributes_in_place() -> None:
    schema = pgdrift.loads(
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1' SET work_mem = '8MB';"
        "ALTER FUNCTION f() STABLE PARALLEL SAFE SECURITY DEFINER COST 100 RESET work_mem;"
        "ALTER ROUTINE f SET search_path = '';"
    )
    (routine,) = (o for o in schema.objects.values() if o.kind == "function")
    assert (routine.volatility, routine.parallel, routine.security_definer) == (  # type: ignore[attr-defined]
        "stable", "safe", True)  # fmt: skip
    assert routine.cost is None  # type: ignore[attr-defined]
    assert routine.config == (("search_path", ""),)  # type: ignore[attr-defined]


def test_column_constraint_attributes_and_add_constraint_using_index() -> None:
    # DEFERRABLE after a column constraint belongs to it (transformConstraintAttrs); USING
    # INDEX turns the unique index into the constraint's, renamed after the constraint.
    schema = pgdrift.loads(
        "CREATE TABLE t (a int UNIQUE DEFERRABLE INITIALLY DEFERRED, b int NOT NULL);"
        "CREATE UNIQUE INDEX t_b_idx ON t (b);"
        "ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_b_idx;"
    )
    kinds = {str(o): o for o in schema.objects if o.kind in ("constraint", "index")}
    assert sorted(kinds) == ["constraint:public.t.t_a_key", "constraint:public.t.t_pk"]
    key = schema.objects[kinds["constraint:public.t.t_a_key"]]
    assert (key.deferrable, key.initially_deferred) == (True, True)  # type: ignore[attr-defined]
    assert schema.objects[kinds["constraint:public.t.t_pk"]].columns == ("b",)  # type: ignore[attr-defined]
