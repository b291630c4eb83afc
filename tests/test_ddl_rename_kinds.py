"""RENAME of triggers, policies, types, domains and routines, followed as PostgreSQL follows
them by OID; ALTER TYPE ... ADD VALUE / RENAME VALUE with PostgreSQL's errors (issue 11)."""

from __future__ import annotations

import pytest

import pgdrift
from pgdrift import model

BASE = """\
CREATE TYPE mood AS ENUM ('calm', 'angry');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TABLE t (m mood DEFAULT 'calm'::mood, ms mood[], p positive);
CREATE FUNCTION score(m mood) RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY t_read ON t USING (score(m) > 0);
"""


def _ids(schema: pgdrift.Schema) -> set[str]:
    return {str(oid) for oid in schema.objects}


def test_a_renamed_type_is_renamed_in_columns_signatures_and_casts() -> None:
    schema = pgdrift.loads(BASE + "ALTER TYPE mood RENAME TO feeling;")
    table = schema.tables["public.t"]
    assert [str(c.type) for c in table.columns.ordered] == [
        "public.feeling", "public.feeling[]", "public.positive"]  # fmt: skip
    # The default's cast is stored qualified, as pg_dump prints it.
    assert table.columns["m"].default.sql == "'calm'::public.feeling"  # type: ignore[union-attr]
    assert {"enum:public.feeling", "function:public.score(public.feeling)"} <= _ids(schema)
    assert "enum:public.mood" not in _ids(schema)


def test_a_renamed_domain_is_renamed_in_its_columns() -> None:
    schema = pgdrift.loads(BASE + "ALTER DOMAIN positive RENAME TO above_zero;")
    assert str(schema.tables["public.t"].columns["p"].type) == "public.above_zero"


@pytest.mark.parametrize(
    ("statement", "error", "message"),
    [
        ("ALTER TYPE nope RENAME TO x;", pgdrift.UndefinedObjectError,
         'type "public.nope" does not exist'),
        ("ALTER TYPE mood RENAME TO positive;", pgdrift.DuplicateObjectError,
         'type "positive" already exists'),
        ("ALTER TYPE mood RENAME TO t;", pgdrift.DuplicateObjectError,
         'type "t" already exists'),  # a table's row type takes the name
    ],
)  # fmt: skip
def test_type_renames_fail_as_postgresql_does(
    statement: str, error: type[pgdrift.Error], message: str
) -> None:
    with pytest.raises(error, match=message):
        pgdrift.loads(BASE + statement)


def test_a_renamed_function_is_followed_by_its_triggers_and_callers() -> None:
    schema = pgdrift.loads(
        BASE + "ALTER FUNCTION touch() RENAME TO stamp; ALTER FUNCTION score(mood) RENAME TO rate;"
    )
    trigger = schema.objects[next(o for o in schema.objects if o.kind == "trigger")]
    assert isinstance(trigger, model.Trigger)
    assert trigger.function == "public.stamp"
    policy = schema.objects[next(o for o in schema.objects if o.kind == "policy")]
    assert isinstance(policy, model.Policy)
    assert policy.using.sql == "public.rate(m) > 0"  # type: ignore[union-attr]
    with pytest.raises(pgdrift.DuplicateObjectError, match=r"function stamp\(\) already exists"):
        pgdrift.loads(
            BASE + "CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql "
            "AS 'BEGIN RETURN NEW; END'; ALTER FUNCTION touch() RENAME TO stamp;"
        )


def test_renaming_one_overload_that_an_expression_calls_is_not_guessed() -> None:
    schema = pgdrift.loads(
        BASE + "CREATE FUNCTION score(n integer) RETURNS integer LANGUAGE sql AS 'SELECT 2';"
        "ALTER FUNCTION score(mood) RENAME TO rate;"
    )
    assert [u.reason for u in schema.unsupported] == [
        "pgdrift does not model this statement: RENAME of function:public.score(public.mood), "
        "whose name other overloads share, called in an expression"
    ]


def test_triggers_and_policies_are_renamed_on_their_table() -> None:
    schema = pgdrift.loads(
        BASE + "ALTER TRIGGER t_touch ON t RENAME TO t_stamp; ALTER POLICY t_read ON t RENAME TO r;"
    )
    assert {"trigger:public.t.t_stamp", "policy:public.t.r"} <= _ids(schema)
    with pytest.raises(pgdrift.UndefinedObjectError, match='trigger "nope" for table "t" does'):
        pgdrift.loads(BASE + "ALTER TRIGGER nope ON t RENAME TO x;")
    with pytest.raises(pgdrift.DuplicateObjectError, match='policy "t_read" for table "t" alr'):
        pgdrift.loads(BASE + "CREATE POLICY p2 ON t USING (true);"
                      "ALTER POLICY p2 ON t RENAME TO t_read;")  # fmt: skip


def test_enum_add_value_and_rename_value_place_labels_as_postgresql_does() -> None:
    schema = pgdrift.loads(
        BASE + "ALTER TYPE mood ADD VALUE 'content' BEFORE 'angry';"
        "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'calm'; ALTER TYPE mood ADD VALUE 'elated';"
        "ALTER TYPE mood ADD VALUE 'bored' AFTER 'calm'; ALTER TYPE mood RENAME VALUE 'angry' "
        "TO 'cross';"
    )
    enum = schema.objects[next(o for o in schema.objects if o.kind == "enum")]
    assert isinstance(enum, model.Enum)
    assert enum.labels == ("calm", "bored", "content", "cross", "elated")


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("ALTER TYPE mood ADD VALUE 'calm';", 'enum label "calm" already exists'),
        ("ALTER TYPE mood ADD VALUE 'x' AFTER 'nope';", '"nope" is not an existing enum label'),
        ("ALTER TYPE mood RENAME VALUE 'nope' TO 'x';", '"nope" is not an existing enum label'),
        ("ALTER TYPE mood RENAME VALUE 'calm' TO 'angry';", 'enum label "angry" already exists'),
        ("ALTER TYPE positive ADD VALUE 'x';", '"public.positive" is not an enum'),
    ],
)
def test_enum_value_errors_are_postgresqls(statement: str, message: str) -> None:
    with pytest.raises(pgdrift.ModelError, match=message) as caught:
        pgdrift.loads(BASE + statement)
    assert caught.value.one_line().startswith("<string>:9:1: ")


SCHEMA_BASE = """\
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('a');
CREATE TABLE app.t (id serial PRIMARY KEY, m app.mood DEFAULT 'a'::app.mood);
CREATE TABLE public.r (tid integer REFERENCES app.t);
CREATE FUNCTION app.f(x app.mood) RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION app.trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER tr BEFORE INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.trg();
CREATE VIEW public.v AS SELECT app.f(t.m) AS f FROM app.t;
ALTER DEFAULT PRIVILEGES FOR ROLE x IN SCHEMA app GRANT SELECT ON TABLES TO reader;
"""


def test_a_renamed_schema_takes_its_objects_and_every_reference_along() -> None:
    schema = pgdrift.loads(SCHEMA_BASE + "ALTER SCHEMA app RENAME TO crm;")
    assert {str(o) for o in schema.objects if o.schema == "crm" or o.name == "crm"} == {
        "schema:crm", "enum:crm.mood", "table:crm.t", "constraint:crm.t.t_pkey",
        "sequence:crm.t_id_seq", "function:crm.f(crm.mood)", "function:crm.trg()",
        "trigger:crm.t.tr"}  # fmt: skip
    table = schema.tables["crm.t"]
    assert table.columns["id"].default.sql == "nextval('crm.t_id_seq'::regclass)"  # type: ignore[union-attr]
    assert table.columns["m"].default.sql == "'a'::crm.mood"  # type: ignore[union-attr]
    view = schema.objects[next(o for o in schema.objects if o.kind == "view")]
    assert isinstance(view, model.View)
    assert view.query.sql == "SELECT crm.f(t.m) AS f FROM crm.t"
    assert "default_privileges:x:crm:tables" in {str(o) for o in schema.objects}
    sequence = schema.objects[next(o for o in schema.objects if o.kind == "sequence")]
    assert str(sequence.owned_by) == "column:crm.t.id"  # type: ignore[attr-defined]


def test_schema_rename_errors_are_postgresqls() -> None:
    with pytest.raises(pgdrift.UndefinedObjectError, match='schema "nope" does not exist'):
        pgdrift.loads("ALTER SCHEMA nope RENAME TO x;")
    with pytest.raises(pgdrift.DuplicateObjectError, match='schema "public" already exists'):
        pgdrift.loads(SCHEMA_BASE + "ALTER SCHEMA app RENAME TO public;")


def _view(schema: pgdrift.Schema) -> model.View:
    view = schema.objects[next(o for o in schema.objects if o.kind == "view")]
    assert isinstance(view, model.View)
    return view


def test_a_renamed_view_column_becomes_its_targets_alias() -> None:
    renamed = pgdrift.loads(
        "CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a, b AS bee, a + 1 AS c FROM t;"
        "GRANT SELECT (c) ON v TO r; ALTER VIEW v RENAME COLUMN a TO x;"
        "ALTER VIEW v RENAME COLUMN bee TO y; ALTER TABLE v RENAME COLUMN c TO z;"
    )
    written = pgdrift.loads(
        "CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a AS x, b AS y, a + 1 AS z FROM t;"
    )
    # The same parse tree as a view written with the aliases, as PostgreSQL prints it.
    assert _view(renamed).query == _view(written).query
    assert [c for c, _ in _view(renamed).column_privileges] == ["z"]


def test_a_view_with_column_names_renames_the_name() -> None:
    view = _view(pgdrift.loads(
        "CREATE TABLE t (a int); CREATE VIEW v (n) AS SELECT a FROM t;"
        "ALTER VIEW v RENAME COLUMN n TO m;"
    ))  # fmt: skip
    # The names of CREATE VIEW v (n) are the query's aliases, as pg_get_viewdef prints them.
    assert view.query is not None
    assert view.query.sql == "SELECT t.a AS m FROM public.t"


def test_view_column_renames_fail_or_give_up_as_they_should() -> None:
    base = "CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a, b FROM t;"
    with pytest.raises(pgdrift.UndefinedObjectError, match='column "q" of relation "v" does'):
        pgdrift.loads(base + "ALTER VIEW v RENAME COLUMN q TO r;")
    with pytest.raises(pgdrift.DuplicateObjectError, match='column "b" of relation "v" already'):
        pgdrift.loads(base + "ALTER VIEW v RENAME COLUMN a TO b;")
    # SELECT * is expanded when the view is made, so the rename is an alias like any other.
    star = pgdrift.loads("CREATE TABLE t (a int); CREATE VIEW v AS SELECT * FROM t;"
                         "ALTER VIEW v RENAME COLUMN a TO b;")  # fmt: skip
    assert star.unsupported == ()
    assert _view(star).query.sql == "SELECT t.a AS b FROM public.t"  # type: ignore[union-attr]
