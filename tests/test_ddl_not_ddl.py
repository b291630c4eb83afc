"""What is not DDL stays visible (issue 11): data statements are skipped and counted per file
in the load's warnings (and so in ``pgdrift inspect``); a DO block, a CALL or a SELECT calling
a function that may run DDL is kept as "not interpreted" with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift.cli import main

SCRIPT = """\
CREATE TABLE t (id int);
INSERT INTO t VALUES (1);
INSERT INTO t VALUES (2);
UPDATE t SET id = 3;
DELETE FROM t;
TRUNCATE t;
SELECT count(*) FROM t;
SELECT setval('t_seq', 5);
DO $$ BEGIN EXECUTE 'CREATE TABLE ' || current_setting('app.table'); END $$;
SELECT create_hypertable('t', 'id');
CALL refresh_things();
"""


_UNKNOWN_EXECUTE = "runs a statement built from values known only as it runs (EXECUTE)"


def test_data_statements_are_counted_per_file_in_the_warnings() -> None:
    schema = pgdrift.loads(SCRIPT, name="m.sql")
    assert [str(o) for o in schema.objects if o.kind != "unsupported"] == [
        "schema:public", "table:public.t"]  # fmt: skip
    assert (
        "m.sql: 7 data statements skipped (INSERT 2, UPDATE 1, DELETE 1, TRUNCATE 1, SELECT 2): "
        "pgdrift reads the schema, not rows"
    ) in schema.warnings


def test_maintenance_statements_are_counted_apart_and_cluster_using_marks_the_index() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE t (a int PRIMARY KEY);\nVACUUM t;\nANALYZE t;\nVACUUM (ANALYZE) t;\n"
        "REINDEX TABLE t;\nCLUSTER t USING t_pkey;\nCLUSTER t;\nCLUSTER;\nLOCK TABLE t;\n"
        "CHECKPOINT;\n",
        name="m.sql",
    )
    assert not schema.unsupported
    assert schema.tables["public.t"].clustered_on == "t_pkey"  # as ALTER TABLE ... CLUSTER ON
    assert schema.warnings == (
        "m.sql: 8 maintenance statements skipped (VACUUM 2, ANALYZE 1, REINDEX 1, CLUSTER 2, "
        "LOCK 1, CHECKPOINT 1): they change no schema",
    )


def test_cluster_without_a_clustered_index_fails_as_in_postgresql() -> None:
    with pytest.raises(pgdrift.ModelError, match="no previously clustered index for table"):
        pgdrift.loads("CREATE TABLE t (a int PRIMARY KEY);\nCLUSTER t;\n")


def test_do_call_and_function_selects_are_not_interpreted_with_file_and_line() -> None:
    schema = pgdrift.loads(SCRIPT, name="m.sql")
    assert sorted((u.span.line if u.span else 0, u.reason) for u in schema.unsupported) == [
        (9, f"not interpreted: a DO block that {_UNKNOWN_EXECUTE}"),
        (10, "not interpreted: a SELECT calling create_hypertable() may change the schema"),
        (11, "not interpreted: a CALL of a procedure may change the schema"),
    ]
    assert (
        f"m.sql:9:1: not interpreted: a DO block that {_UNKNOWN_EXECUTE}" in schema.warnings
    )


def test_a_full_dumps_own_data_is_not_counted() -> None:
    # COPY and setval under pg_dump's TOC headers are the dump's data, read as before.
    dump = Path(__file__).resolve().parent.parent / "fixtures" / "full_with_data" / "dump.sql"
    assert not [w for w in pgdrift.load(dump).warnings if "data statement" in w]


def test_inspect_shows_the_count_and_what_was_not_interpreted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.sql"
    path.write_text(SCRIPT)
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"warning: {path}: 7 data statements skipped" in out
    assert f"{path}:9:1: not interpreted: a DO block that runs a statement built" in out


_ROLES_BLOCK = """\
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN
        CREATE ROLE anon NOLOGIN;
    END IF;
    GRANT anon TO authenticator;
    RAISE NOTICE 'roles ready';
END
$$;
"""


def test_a_do_block_that_changes_only_roles_is_skipped_with_a_warning() -> None:
    # Roles belong to the cluster: the block cannot change this database's schema.
    schema = pgdrift.loads(_ROLES_BLOCK, name="m.sql")
    assert not schema.unsupported
    assert any("DO block that changes only roles or rows" in w for w in schema.warnings)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("BEGIN CREATE ROLE r; PERFORM make_tables(); END",
         "calls a function that may change the schema"),
        ("DECLARE n int; BEGIN n := create_things(); END",
         "calls a function that may change the schema"),
        ("DECLARE n int := create_things(); BEGIN CREATE TABLE a (); END",
         "calls a function that may change the schema"),
        ("BEGIN CREATE TABLE a (); CREATE TABLE b (); EXCEPTION WHEN duplicate_table THEN NULL;"
         " END", "changes the schema more than once under one exception handler"),
        ("BEGIN CREATE TABLE a (); EXCEPTION WHEN undefined_table THEN NULL; END",
         "handles undefined_table"),
        ("BEGIN IF NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'f') THEN CREATE TABLE a ();"
         " END IF; END", "tests what pgdrift cannot answer offline"),
        ("BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'pg_thing') THEN "
         "CREATE TABLE a (); END IF; END", "tests what pgdrift cannot answer offline"),
        ("BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'x') THEN RAISE EXCEPTION "
         "'missing'; END IF; CREATE TABLE a (); END", "may raise an error"),
        ("BEGIN CREATE TABLE a (); IF random() > 0.5 THEN CREATE TABLE b (); END IF; END",
         "tests what pgdrift cannot answer offline"),
        ("BEGIN LOOP CREATE TABLE a (); EXIT; END LOOP; END", "loops"),
        # EXECUTE of what is known only as the block runs: kept and reported, never dropped.
        ("DECLARE s text; BEGIN SELECT 'CREATE TABLE a ()' INTO s; EXECUTE s; END",
         "stores a query's result"),
        ("DECLARE s text; BEGIN s := (SELECT 'CREATE TABLE a ()'); EXECUTE s; END",
         _UNKNOWN_EXECUTE),
        ("DECLARE s text := current_setting('app.ddl'); BEGIN EXECUTE s; END", _UNKNOWN_EXECUTE),
        ("BEGIN EXECUTE 'CREATE TABLE a (x int DEFAULT $1)' USING 5; END",
         "runs a statement with parameters (EXECUTE ... USING)"),
        ("BEGIN EXECUTE format('CREATE TABLE %I ()', current_user); END", _UNKNOWN_EXECUTE),
        ("BEGIN EXECUTE format('CREATE TABLE %I ()', to_char(now(), 'YYYY')); END",
         _UNKNOWN_EXECUTE),
        ("BEGIN EXECUTE format('CREATE TABLE %I ()', NULL); END", _UNKNOWN_EXECUTE),
        ("BEGIN EXECUTE format('CREATE TABLE %s_%s ()', 'a'); END", _UNKNOWN_EXECUTE),
        ("DECLARE n int; BEGIN EXECUTE 'SELECT 1' INTO n; CREATE TABLE a (); END",
         "stores a query's result"),
        ("DECLARE t text; BEGIN FOREACH t IN ARRAY (SELECT array_agg(tablename) FROM pg_tables)"
         " LOOP EXECUTE format('CREATE TABLE %I ()', t || '_copy'); END LOOP; END",
         "loops over values known only as it runs"),
        ("DECLARE r record; BEGIN FOR r IN SELECT tablename FROM pg_tables LOOP "
         "EXECUTE format('CREATE TABLE %I ()', r.tablename || '_copy'); END LOOP; END",
         "loops over a query's rows"),
        # A variable assigned in a branch, or declared twice, has no value known offline.
        ("DECLARE s text := 'a'; BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'x')"
         " THEN s := 'b'; END IF; EXECUTE 'CREATE TABLE ' || s || ' ()'; END", _UNKNOWN_EXECUTE),
        ("DECLARE s text := 'a'; BEGIN DECLARE s text := 'b'; BEGIN "
         "EXECUTE 'CREATE TABLE ' || s || ' ()'; END; END", _UNKNOWN_EXECUTE),
        ("DECLARE a text[] := ARRAY['x']; BEGIN a[1] := 'y'; "
         "EXECUTE 'CREATE TABLE ' || a[1] || ' ()'; END", _UNKNOWN_EXECUTE),
        ("BEGIN FOR i IN 1..100000 LOOP EXECUTE 'CREATE TABLE t' || i || ' ()'; END LOOP; END",
         "loops more than 10000 times"),
        ("BEGIN FOR i IN 1..3 BY 0 LOOP EXECUTE 'CREATE TABLE t' || i || ' ()'; END LOOP; END",
         "may raise an error"),
        ("DECLARE t text; BEGIN FOREACH t IN ARRAY ARRAY['a', 'b'] LOOP "
         "EXECUTE format('CREATE TABLE %I ()', t); EXIT WHEN t = 'a'; END LOOP; END",
         "runs PL/pgSQL EXIT statements"),
        ("BEGIN EXECUTE 'CREATE TABLE a (); CREATE TABLE b ()'; "
         "EXCEPTION WHEN duplicate_table THEN NULL; END",
         "changes the schema more than once under one exception handler"),
        ("DECLARE t text; BEGIN FOREACH t IN ARRAY ARRAY['a', 'b'] LOOP "
         "EXECUTE format('CREATE TABLE %I ()', t); END LOOP; "
         "EXCEPTION WHEN duplicate_table THEN NULL; END",
         "changes the schema more than once under one exception handler"),
        ("BEGIN EXECUTE 'CREATE TABLE a (); CALL p()'; END", "calls a procedure"),
        ("BEGIN EXECUTE 'not sql'; END", "runs SQL pgdrift cannot read"),
        ("BEGIN EXECUTE 'SELECT create_hypertable(''t'', ''a'')'; END",
         "calls a function that may change the schema"),
        # What PostgreSQL refuses as the block runs.
        ("BEGIN EXECUTE 'SELECT 1 AS a INTO t2'; END", "may raise an error"),
        ("BEGIN EXECUTE 'CREATE INDEX CONCURRENTLY i ON t (a)'; END",
         "runs a statement PostgreSQL refuses in a function"),
        ("BEGIN DISCARD ALL; END", "runs a statement PostgreSQL refuses in a function"),
        ("BEGIN EXECUTE 'COMMIT'; END", "runs a statement PostgreSQL refuses in a function"),
    ],
)  # fmt: skip
def test_a_do_block_pgdrift_cannot_follow_is_kept_and_nothing_of_it_is_run(
    body: str, reason: str
) -> None:
    schema = pgdrift.loads(f"DO $$ {body} $$;")
    assert [u.reason for u in schema.unsupported] == [f"not interpreted: a DO block that {reason}"]
    assert not schema.tables


def test_a_do_block_runs_as_postgresql_runs_it() -> None:
    # fixtures/ddl/do_blocks is the proof on PostgreSQL; here the steps one by one.
    schema = pgdrift.loads(
        "CREATE TYPE mood AS ENUM ('ok');\n"
        "DO $$ BEGIN CREATE TYPE mood AS ENUM ('x'); EXCEPTION WHEN duplicate_object THEN NULL;"
        " END $$;\n"
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN "
        "CREATE TABLE wrong (); ELSE CREATE TABLE t (m mood); END IF;\n"
        "IF EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 't') THEN "
        "CREATE INDEX ON t (m); END IF; END $$;\n"
    )
    assert schema.enums["public.mood"].labels == ("ok",)
    assert sorted(schema.tables) == ["public.t"]
    assert [str(i) for i in schema.indexes] == ["public.t_m_idx"]
    assert not schema.unsupported
    assert not schema.warnings


def test_a_do_block_runs_the_text_its_execute_makes_offline() -> None:
    # fixtures/ddl/do_execute is the proof on PostgreSQL; here the values one by one.
    schema = pgdrift.loads(
        "CREATE SCHEMA app;\n"
        "DO $$ DECLARE s CONSTANT text := 'app'; stmt text; BEGIN\n"
        "  stmt := format('CREATE TABLE %I.%I (id int)', s, 'Users');\n"
        "  EXECUTE stmt;\n"
        "  stmt := 'CREATE TABLE ' || quote_ident(s) || '.' || quote_ident('a.b') || ' ()';\n"
        "  EXECUTE stmt;\n"
        "END $$;\n"
        "DO $$ DECLARE t text; BEGIN FOREACH t IN ARRAY '{x,y}'::text[] LOOP\n"
        "  IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = t) THEN\n"
        "    EXECUTE format('CREATE TABLE app.%s (n int)', t);\n"
        "  END IF; END LOOP; END $$;\n"
        "DO $$ BEGIN FOR i IN REVERSE 5..1 BY 2 LOOP\n"
        "  EXECUTE format('CREATE TABLE app.p%s ()', i * 10); END LOOP; END $$;\n"
        "DO $$ BEGIN EXECUTE 'CREATE TYPE app.mood AS ENUM (''ok'')'; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n"
        "DO $$ BEGIN EXECUTE 'CREATE TYPE app.mood AS ENUM (''no'')'; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n"
    )
    assert sorted(schema.tables) == [
        "app.Users", "app.a.b", "app.p10", "app.p30", "app.p50", "app.x", "app.y"]
    assert schema.enums["app.mood"].labels == ("ok",)
    assert not schema.unsupported
    assert not schema.warnings


def test_an_execute_that_makes_only_role_or_data_statements_is_skipped_with_a_warning() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE t (a int);\n"
        "DO $$ BEGIN EXECUTE format('CREATE ROLE %I', 'r'); "
        "EXECUTE 'INSERT INTO t VALUES (1)'; NOTIFY t; END $$;\n"
    )
    assert not schema.unsupported
    assert any("DO block that changes only roles or rows" in w for w in schema.warnings)


def test_an_error_no_handler_names_fails_the_block_as_in_postgresql() -> None:
    # CREATE TABLE of an existing name raises duplicate_table, which duplicate_object misses.
    with pytest.raises(pgdrift.DuplicateObjectError, match="already exists") as raised:
        pgdrift.loads(
            "CREATE TABLE t ();\nDO $$ BEGIN CREATE TABLE t (); "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n"
        )
    assert raised.value.condition == "duplicate_table"
    assert raised.value.span is not None
    assert raised.value.span.line == 2


def test_roles_are_not_compared_with_a_side_that_holds_none() -> None:
    # A pg_dump of one database writes no role or database: what a script says of them is
    # not a difference; two sides that both know roles compare them.
    script = pgdrift.loads("CREATE ROLE reader; COMMENT ON DATABASE app IS 'x'; CREATE TABLE t ();")
    dump = pgdrift.loads("CREATE TABLE t ();")
    assert not pgdrift.diff(dump, script)
    assert pgdrift.diff(pgdrift.loads("CREATE ROLE other; CREATE TABLE t ();"), script)


def test_transaction_control_and_set_constraints_change_no_schema() -> None:
    # Django's migrations: BEGIN; ... SET CONSTRAINTS ... IMMEDIATE; ... COMMIT;
    schema = pgdrift.loads(
        "BEGIN;\nCREATE TABLE p (id int PRIMARY KEY);\n"
        "CREATE TABLE c (p_id int REFERENCES p DEFERRABLE INITIALLY DEFERRED);\n"
        'SET CONSTRAINTS "c_p_id_fkey" IMMEDIATE;\nSET CONSTRAINTS ALL DEFERRED;\nCOMMIT;\n'
    )
    assert not schema.unsupported
    assert "constraint:public.c.c_p_id_fkey" in [str(o) for o in schema.objects]


def test_a_rollback_is_kept_as_not_modelled_with_its_line() -> None:
    schema = pgdrift.loads("BEGIN;\nCREATE TABLE t (id int);\nROLLBACK;\n", name="m.sql")
    assert [(u.span.line if u.span else 0) for u in schema.unsupported] == [3]
    assert "does not undo" in schema.unsupported[0].reason


def test_an_advisory_lock_keyed_by_a_hash_of_the_database_name_is_data() -> None:
    # Built-in functions that compute a value or take a lock never change the schema.
    schema = pgdrift.loads(
        "SELECT pg_advisory_xact_lock(('x' || encode(sha224((current_database() || '.q')"
        "::bytea), 'hex'))::bit(64)::bigint);\nSELECT pg_try_advisory_lock(hashtext(md5('k')));\n",
        name="m.sql",
    )
    assert not schema.unsupported
    assert schema.warnings == (
        "m.sql: 2 data statements skipped (SELECT 2): pgdrift reads the schema, not rows",)


def test_notifications_are_counted_apart_and_change_no_schema() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE t (a int);\nLISTEN jobs;\nNOTIFY jobs, 'x';\nUNLISTEN jobs;\n"
        "UNLISTEN *;\nDO $$ BEGIN NOTIFY jobs; ALTER TABLE t ADD b int; END $$;\n",
        name="m.sql",
    )
    assert not schema.unsupported
    assert list(schema.tables["public.t"].columns) == ["a", "b"]
    assert schema.warnings == (
        "m.sql: 4 notification statements skipped (LISTEN 1, NOTIFY 1, UNLISTEN 2): they "
        "change no schema",
    )


def test_reset_all_and_discard_reset_the_session() -> None:
    # fixtures/ddl/session_discard_notify is the proof on PostgreSQL.
    schema = pgdrift.loads(
        "CREATE SCHEMA app;\nSET search_path = app;\nRESET ALL;\nCREATE TABLE a ();\n"
        "SET search_path = app;\nDISCARD ALL;\nCREATE TABLE b ();\n"
        "SET search_path = app;\nDISCARD PLANS;\nDISCARD SEQUENCES;\nCREATE TABLE c ();\n"
        "CREATE TEMP TABLE d ();\nDISCARD TEMP;\nCREATE TABLE d (x int);\n"
    )
    assert sorted(schema.tables) == ["app.c", "app.d", "public.a", "public.b"]
    assert not schema.unsupported


def test_a_temporary_table_dropped_leaves_its_name_to_a_permanent_one() -> None:
    schema = pgdrift.loads(
        "CREATE TEMP TABLE x (b text);\nDROP TABLE x;\nCREATE TABLE x (a int);\n")
    assert list(schema.tables["public.x"].columns) == ["a"]


def test_a_catalog_test_may_cast_its_constant_or_use_a_variable() -> None:
    schema = pgdrift.loads(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood'::name) THEN "
        "CREATE TYPE mood AS ENUM ('ok'); END IF; END $$;\n"
        "DO $$ DECLARE n text := 'mood'; BEGIN IF EXISTS (SELECT 1 FROM pg_type "
        "WHERE typname = n) THEN CREATE TABLE t (m mood); END IF; END $$;\n"
    )
    assert "public.mood" in schema.enums
    assert "public.t" in schema.tables
    assert not schema.unsupported
