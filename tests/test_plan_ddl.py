"""The statements the planner writes for each kind of change (offline: no server needed;
tests/integration/test_plan_postgres.py runs such plans on a real PostgreSQL)."""

from __future__ import annotations

import pgdrift
from pgdrift.differ import diff
from pgdrift.planner import Plan, plan
from pgdrift.renderer import render_plan_sql

# An empty dump still has a statement: pg_dump always writes its SET lines.
EMPTY = "SET client_encoding = 'UTF8';"


def planned(a_sql: str, b_sql: str, renames: dict[str, str] | None = None, **options: bool) -> Plan:
    old, new = (pgdrift.loads(sql or EMPTY) for sql in (a_sql, b_sql))
    return plan(diff(old, new, renames=renames or {}), **options)


def statements(a_sql: str, b_sql: str, renames: dict[str, str] | None = None,
               **options: bool) -> list[str]:  # fmt: skip
    return list(planned(a_sql, b_sql, renames, **options).statements())


def position(steps: list[str], prefix: str) -> int:
    matches = [i for i, s in enumerate(steps) if s.startswith(prefix)]
    assert len(matches) == 1, (prefix, steps)
    return matches[0]


USERS = "CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL);"


# Tables and columns ------------------------------------------------------------------------------


def test_a_new_table_is_created_with_its_columns_then_its_constraints() -> None:
    steps = statements("", """
        CREATE TABLE public.t (id int GENERATED ALWAYS AS IDENTITY, name text NOT NULL DEFAULT 'x',
                               total numeric(10,2), CONSTRAINT t_pkey PRIMARY KEY (id));""")
    assert steps[0] == (
        "CREATE TABLE public.t (\n"
        # The start PostgreSQL stores for an identity sequence is explicit in the model.
        "    id integer GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME public.t_id_seq START WITH 1)"
        " NOT NULL,\n"
        "    name text DEFAULT 'x'::text NOT NULL,\n"
        "    total numeric(10,2)\n)"
    )
    assert "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id)" in steps
    assert not any(s.startswith("CREATE SEQUENCE") for s in steps)


def test_tables_that_reference_each_other_get_their_foreign_keys_after_both_exist() -> None:
    steps = statements("", """
        CREATE TABLE public.a (id int PRIMARY KEY, b_id int);
        CREATE TABLE public.b (id int PRIMARY KEY, a_id int REFERENCES public.a);
        ALTER TABLE public.a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES public.b;""")
    tables = max(position(steps, "CREATE TABLE public.a"), position(steps, "CREATE TABLE public.b"))
    assert position(steps, "ALTER TABLE public.a ADD CONSTRAINT a_b_fkey") > tables
    assert position(steps, "ALTER TABLE public.b ADD CONSTRAINT b_a_id_fkey") > tables
    assert position(steps, "ALTER TABLE public.a ADD CONSTRAINT a_b_fkey") > position(
        steps, "ALTER TABLE public.b ADD CONSTRAINT b_pkey")


def test_dropping_a_table_takes_its_indexes_constraints_triggers_and_policies_along() -> None:
    a = USERS + """
        CREATE INDEX users_email ON public.users (email);
        CREATE POLICY p ON public.users USING (true);
        CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
        CREATE TRIGGER trg BEFORE INSERT ON public.users FOR EACH ROW EXECUTE FUNCTION public.f();
        CREATE FUNCTION public.f2() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';"""
    steps = statements(a, "CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS "
                          "'BEGIN RETURN NEW; END';")  # fmt: skip
    assert steps == ["DROP TABLE public.users", "DROP FUNCTION public.f2()"]


def test_a_foreign_key_into_a_dropped_table_is_dropped_first() -> None:
    a = USERS + "CREATE TABLE public.posts (id int, user_id bigint REFERENCES public.users);"
    steps = statements(a, "CREATE TABLE public.posts (id int, user_id bigint);")
    assert steps == ["ALTER TABLE public.posts DROP CONSTRAINT posts_user_id_fkey",
                     "DROP TABLE public.users"]  # fmt: skip


def test_column_additions_follow_the_new_column_order() -> None:
    steps = statements("CREATE TABLE public.t (a int);",
                       "CREATE TABLE public.t (a int, z int, b text NOT NULL DEFAULT '', c int);")
    assert steps == [
        "ALTER TABLE public.t ADD COLUMN z integer",
        "ALTER TABLE public.t ADD COLUMN b text DEFAULT ''::text NOT NULL",
        "ALTER TABLE public.t ADD COLUMN c integer",
    ]


def test_a_type_change_across_families_says_using() -> None:
    steps = statements("CREATE TABLE public.t (a text, b int, c varchar(10));",
                       "CREATE TABLE public.t (a integer, b bigint, c text);")
    assert steps == [
        "ALTER TABLE public.t ALTER COLUMN a TYPE integer USING a::integer",
        "ALTER TABLE public.t ALTER COLUMN b TYPE bigint",
        "ALTER TABLE public.t ALTER COLUMN c TYPE text",
    ]


def test_a_type_change_takes_the_default_off_and_puts_it_back() -> None:
    steps = statements("CREATE TABLE public.t (a text DEFAULT '1');",
                       "CREATE TABLE public.t (a integer DEFAULT 1);")
    assert steps == [
        "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT",
        "ALTER TABLE public.t ALTER COLUMN a TYPE integer USING a::integer",
        "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 1",
    ]


def test_not_null_defaults_identity_and_generation_are_altered_in_place() -> None:
    steps = statements(
        "CREATE TABLE public.t (a int, b int DEFAULT 1 NOT NULL, "
        "c int GENERATED ALWAYS AS IDENTITY, d int GENERATED ALWAYS AS (a + 1) STORED);",
        "CREATE TABLE public.t (a int NOT NULL, b int, c int GENERATED BY DEFAULT AS IDENTITY,"
        " d int);",
    )
    assert steps == [
        "ALTER TABLE public.t ALTER COLUMN b DROP DEFAULT",
        "ALTER TABLE public.t ALTER COLUMN a SET NOT NULL",
        "ALTER TABLE public.t ALTER COLUMN b DROP NOT NULL",
        "ALTER TABLE public.t ALTER COLUMN c SET GENERATED BY DEFAULT",
        "ALTER TABLE public.t ALTER COLUMN d DROP EXPRESSION",
    ]


def test_drop_expression_comes_before_a_column_it_read_changes_type() -> None:
    # PostgreSQL refuses to retype a column a generated column uses.
    steps = statements(
        "CREATE TABLE public.t (a int, d int GENERATED ALWAYS AS (a + 1) STORED);",
        "CREATE TABLE public.t (a bigint, d int);",
    )
    assert steps == [
        "ALTER TABLE public.t ALTER COLUMN d DROP EXPRESSION",
        "ALTER TABLE public.t ALTER COLUMN a TYPE bigint",
    ]


def test_a_confirmed_rename_is_an_alter_rename_never_a_drop_and_add() -> None:
    steps = statements("CREATE TABLE public.t (old_name int NOT NULL);",
                       "CREATE TABLE public.t (new_name int);",
                       renames={"public.t.old_name": "new_name"})
    assert steps == [
        "ALTER TABLE public.t RENAME COLUMN old_name TO new_name",
        "ALTER TABLE public.t ALTER COLUMN new_name DROP NOT NULL",
    ]


def test_a_renamed_table_keeps_its_constraints_and_indexes() -> None:
    a = "CREATE TABLE public.t (id int CONSTRAINT pk PRIMARY KEY); CREATE INDEX i ON public.t (id);"
    steps = statements(a, a.replace("public.t ", "public.u "), renames={"public.t": "u"})
    assert steps == ["ALTER TABLE public.t RENAME TO u"]


def test_table_options_rls_and_replica_identity() -> None:
    steps = statements(
        "CREATE TABLE public.t (a int NOT NULL) WITH (fillfactor = 90, autovacuum_enabled = off);",
        "CREATE TABLE public.t (a int NOT NULL) WITH (fillfactor = 70);"
        "ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;"
        "ALTER TABLE public.t FORCE ROW LEVEL SECURITY;"
        "ALTER TABLE public.t REPLICA IDENTITY FULL; ALTER TABLE public.t SET UNLOGGED;",
    )
    assert steps == [
        "ALTER TABLE public.t SET UNLOGGED",
        "ALTER TABLE public.t RESET (autovacuum_enabled)",
        "ALTER TABLE public.t SET (fillfactor=70)",
        "ALTER TABLE public.t ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE public.t FORCE ROW LEVEL SECURITY",
        "ALTER TABLE public.t REPLICA IDENTITY FULL",
    ]


# Constraints and indexes --------------------------------------------------------------------------


def test_constraints_print_every_clause() -> None:
    steps = statements(USERS + "CREATE TABLE public.o (id int, u bigint, r int4range);", USERS + """
        CREATE TABLE public.o (id int, u bigint, r int4range,
            CONSTRAINT o_u FOREIGN KEY (u) REFERENCES public.users (id) MATCH FULL
                ON UPDATE CASCADE ON DELETE SET NULL (u) DEFERRABLE INITIALLY DEFERRED,
            CONSTRAINT o_un UNIQUE NULLS NOT DISTINCT (id) INCLUDE (u) WITH (fillfactor = 80),
            CONSTRAINT o_ex EXCLUDE USING gist (r WITH &&) WHERE (id > 0),
            CONSTRAINT o_ck CHECK (id > 0) NO INHERIT);""")
    assert steps == [
        "ALTER TABLE public.o ADD CONSTRAINT o_ck CHECK (id > 0) NO INHERIT",
        "ALTER TABLE public.o ADD CONSTRAINT o_ex EXCLUDE USING gist (r WITH &&) WHERE (id > 0)",
        "ALTER TABLE public.o ADD CONSTRAINT o_u FOREIGN KEY (u) REFERENCES public.users(id) "
        "MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL (u) DEFERRABLE INITIALLY DEFERRED",
        "ALTER TABLE public.o ADD CONSTRAINT o_un UNIQUE NULLS NOT DISTINCT (id) INCLUDE (u) "
        "WITH (fillfactor=80)",
    ]


def test_the_not_valid_option_adds_then_validates_checks_and_foreign_keys() -> None:
    a = USERS + "CREATE TABLE public.o (u bigint);"
    b = USERS + """CREATE TABLE public.o (u bigint CONSTRAINT o_u REFERENCES public.users
                                           CONSTRAINT o_c CHECK (u > 0));"""
    the_plan = planned(a, b, not_valid=True)
    assert list(the_plan.statements()) == [
        "ALTER TABLE public.o ADD CONSTRAINT o_c CHECK (u > 0) NOT VALID",
        "ALTER TABLE public.o VALIDATE CONSTRAINT o_c",
        # REFERENCES without columns names the primary key, as PostgreSQL resolves it.
        "ALTER TABLE public.o ADD CONSTRAINT o_u FOREIGN KEY (u) REFERENCES public.users(id) "
        "NOT VALID",
        "ALTER TABLE public.o VALIDATE CONSTRAINT o_u",
    ]
    assert [s.hazards for s in the_plan] == [(), ("may_fail",), (), ("may_fail",)]


def test_the_concurrently_option_builds_new_indexes_outside_the_transaction() -> None:
    a = USERS
    b = USERS + "CREATE INDEX users_email ON public.users (lower(email)) WHERE id > 0;"
    the_plan = planned(a, b, concurrently=True)
    (step,) = the_plan
    assert step.sql == ("CREATE INDEX CONCURRENTLY users_email ON public.users (lower(email)) "
                        "WHERE (id > 0)")  # fmt: skip
    assert not step.transactional
    assert not the_plan.transactional
    assert "not_transactional" in step.hazards
    script = render_plan_sql(the_plan)
    assert "BEGIN" not in script
    assert script.startswith("-- This script does not run as one transaction")


def test_new_tables_get_plain_indexes_even_with_concurrently() -> None:
    (create, index) = planned("", USERS.replace("PRIMARY KEY", "") +
                              "CREATE INDEX e ON public.users (email);", concurrently=True)
    assert index.sql == "CREATE INDEX e ON public.users (email)"
    assert index.transactional
    assert create.hazards == index.hazards == ()


def test_a_changed_index_is_dropped_and_created_again() -> None:
    a = USERS + "CREATE INDEX e ON public.users (email);"
    steps = statements(a, a.replace("(email)", "(email DESC NULLS LAST, id) INCLUDE (id)"))
    assert steps == ["DROP INDEX public.e",
                     "CREATE INDEX e ON public.users (email DESC NULLS LAST, id) INCLUDE (id)"]


def test_index_storage_parameters_change_in_place() -> None:
    a = USERS + "CREATE INDEX e ON public.users (email) WITH (fillfactor = 50);"
    steps = statements(a, a.replace("50", "60"))
    assert steps == ["ALTER INDEX public.e SET (fillfactor=60)"]


# Sequences ----------------------------------------------------------------------------------------


def test_a_sequence_is_owned_by_its_column_once_the_table_exists() -> None:
    steps = statements("", """CREATE SEQUENCE public.s INCREMENT 5;
        CREATE TABLE public.t (a int DEFAULT nextval('public.s'));
        ALTER SEQUENCE public.s OWNED BY public.t.a;""")
    assert steps.index("ALTER SEQUENCE public.s OWNED BY public.t.a") > position(
        steps, "CREATE TABLE public.t")
    assert position(steps, "CREATE SEQUENCE public.s") < position(steps, "CREATE TABLE public.t")


def test_an_owned_sequence_goes_with_its_table() -> None:
    steps = statements("CREATE TABLE public.t (a serial);", "")
    assert steps == ["DROP TABLE public.t"]


def test_sequence_options_change_in_place_and_narrowing_may_fail() -> None:
    the_plan = planned("CREATE SEQUENCE public.s;", "CREATE SEQUENCE public.s MAXVALUE 100 CYCLE;")
    (step,) = the_plan
    assert step.sql == "ALTER SEQUENCE public.s MAXVALUE 100 CYCLE"
    assert step.hazards == ("may_fail",)


# Views, routines, types ---------------------------------------------------------------------------


def test_a_view_that_only_gains_columns_is_replaced_in_place() -> None:
    a = USERS + "CREATE VIEW public.v AS SELECT id FROM public.users;"
    steps = statements(a, a.replace("SELECT id", "SELECT id, email"))
    # Read as PostgreSQL stores a view: columns qualified (issue 11).
    assert steps == [
        "CREATE OR REPLACE VIEW public.v AS\nSELECT users.id, users.email FROM public.users"
    ]


def test_a_view_whose_columns_change_is_recreated_with_its_dependents_in_order() -> None:
    a = USERS + """CREATE VIEW public.v AS SELECT id, email FROM public.users;
        CREATE VIEW public.w AS SELECT id FROM public.v;
        CREATE VIEW public.x AS SELECT 1 AS one FROM public.w;"""
    steps = statements(a, a.replace("SELECT id, email FROM", "SELECT email, id FROM"))
    assert [s.split(" AS")[0] for s in steps] == [
        "DROP VIEW public.x", "DROP VIEW public.w", "DROP VIEW public.v",
        "CREATE VIEW public.v", "CREATE VIEW public.w", "CREATE VIEW public.x",
    ]


def test_a_column_type_change_recreates_the_views_that_read_the_column() -> None:
    a = USERS + "CREATE VIEW public.v AS SELECT email FROM public.users;"
    b = a.replace("email text", "email varchar(200)")
    the_plan = planned(a, b)
    steps = [s.sql.split(" AS")[0] for s in the_plan]
    assert steps[:3] == ["DROP VIEW public.v",
                         "ALTER TABLE public.users ALTER COLUMN email TYPE character varying(200)",
                         "CREATE VIEW public.v"]  # fmt: skip
    assert the_plan[0].change is None
    assert "public.users.email changes" in (the_plan[0].comment or "")


def test_a_function_definition_is_rebuilt_from_the_model() -> None:
    b = """CREATE FUNCTION public.f(IN a integer, OUT b text, INOUT c int DEFAULT 3,
                                    VARIADIC d text[] DEFAULT '{}')
        RETURNS record LANGUAGE plpgsql STABLE LEAKPROOF STRICT SECURITY DEFINER PARALLEL SAFE
        COST 7 SET search_path = public, pg_temp SET work_mem = '64MB'
        AS $body$ BEGIN b := 'x$$y'; END $body$;"""
    (create,) = statements("", b)
    assert create == (
        "CREATE FUNCTION public.f(a integer, OUT b text, INOUT c integer DEFAULT 3, "
        "VARIADIC d text[] DEFAULT '{}'::text[])\n"
        "    RETURNS record\n    LANGUAGE plpgsql\n    STABLE\n    LEAKPROOF\n    STRICT\n"
        "    SECURITY DEFINER\n    PARALLEL SAFE\n    COST 7\n"
        "    SET search_path TO 'public', 'pg_temp'\n    SET work_mem TO '64MB'\n"
        "    AS $_$ BEGIN b := 'x$$y'; END $_$"
    )


def test_sql_standard_bodies_and_returns_table() -> None:
    b = USERS + """
        CREATE FUNCTION public.emails() RETURNS TABLE(id bigint, email text) LANGUAGE sql
            BEGIN ATOMIC SELECT id, email FROM public.users; END;
        CREATE FUNCTION public.one() RETURNS int LANGUAGE sql IMMUTABLE RETURN 1;"""
    steps = [s for s in statements(USERS, b) if s.startswith("CREATE")]
    assert steps == [
        "CREATE FUNCTION public.emails()\n    RETURNS TABLE(id bigint, email text)\n"
        # Stored as PostgreSQL 15 stores the body: its column references qualified.
        "    LANGUAGE sql\n    BEGIN ATOMIC\n"
        "    SELECT users.id, users.email FROM public.users;\nEND",
        "CREATE FUNCTION public.one()\n    RETURNS integer\n    LANGUAGE sql\n    IMMUTABLE\n"
        "    RETURN 1",
    ]


def test_a_changed_body_is_create_or_replace() -> None:
    a = "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1';"
    (step,) = statements(a, a.replace("1", "2"))
    assert step.startswith("CREATE OR REPLACE FUNCTION public.f()")


def test_a_return_type_change_drops_dependents_first_and_restores_table_defaults() -> None:
    a = """CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
           CREATE TABLE public.t (a int DEFAULT public.f());
           CREATE VIEW public.v AS SELECT public.f() AS x;"""
    steps = statements(a, a.replace("RETURNS int", "RETURNS bigint"))
    assert steps.index("ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT") < position(
        steps, "DROP FUNCTION public.f()")
    assert position(steps, "DROP VIEW public.v") < position(steps, "DROP FUNCTION public.f()")
    assert position(steps, "CREATE FUNCTION public.f()") < position(steps, "CREATE VIEW public.v")
    assert position(steps, "CREATE FUNCTION public.f()") < steps.index(
        "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT public.f()")


def test_enum_values_are_added_before_or_after_their_neighbours() -> None:
    a = "CREATE TYPE public.e AS ENUM ('b', 'd');"
    steps = statements(a, "CREATE TYPE public.e AS ENUM ('a', 'b', 'c', 'd', 'e');")
    assert steps == [
        "ALTER TYPE public.e ADD VALUE 'a' BEFORE 'b'",
        "ALTER TYPE public.e ADD VALUE 'c' BEFORE 'd'",
        "ALTER TYPE public.e ADD VALUE 'e' AFTER 'd'",
    ]


def test_a_new_enum_value_used_in_the_same_script_is_committed_first() -> None:
    a = "CREATE TYPE public.e AS ENUM ('a'); CREATE TABLE public.t (x public.e);"
    b = ("CREATE TYPE public.e AS ENUM ('a', 'b'); "
         "CREATE TABLE public.t (x public.e DEFAULT 'b');")  # fmt: skip
    the_plan = planned(a, b)
    assert [s.transactional for s in the_plan] == [False, True]
    script = render_plan_sql(the_plan)
    assert script.index("ALTER TYPE public.e ADD VALUE 'b'") < script.index("BEGIN;")


def test_steps_say_which_enum_labels_they_add_and_use() -> None:
    a = "CREATE TYPE public.e AS ENUM ('a'); CREATE TABLE public.t (x public.e);"
    b = ("CREATE TYPE public.e AS ENUM ('a', 'b', 'c'); "
         "CREATE TABLE public.t (x public.e DEFAULT 'b');")  # fmt: skip
    add_b, add_c, default = planned(a, b)
    assert (add_b.adds_enum_label, add_b.uses_enum_labels) == ("b", frozenset())
    # ADD VALUE 'c' AFTER 'b' names the new label 'b' as its neighbour.
    assert (add_c.adds_enum_label, add_c.uses_enum_labels) == ("c", {"b"})
    assert (default.adds_enum_label, default.uses_enum_labels) == (None, {"b"})
    assert [s.transactional for s in (add_b, add_c, default)] == [False, True, True]


def test_a_new_enum_label_only_mentioned_as_text_is_not_committed_first() -> None:
    # A PL/pgSQL body is not analysed on creation, a comment is only text, and another enum
    # adding the same label does not use this one's: none of them needs the label committed.
    a = "CREATE TYPE public.e AS ENUM ('a'); CREATE TYPE public.f AS ENUM ('z');"
    b = """CREATE TYPE public.e AS ENUM ('a', 'b'); CREATE TYPE public.f AS ENUM ('z', 'b');
        CREATE FUNCTION public.g() RETURNS text LANGUAGE plpgsql AS $$BEGIN RETURN 'b'; END$$;
        COMMENT ON TYPE public.f IS 'b';"""
    the_plan = planned(a, b)
    assert the_plan.transactional
    assert all(not step.uses_enum_labels for step in the_plan)


def test_a_routine_with_a_body_turns_function_body_checks_off() -> None:
    with_body = planned("", "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1';")
    assert [s.creates_routine_body for s in with_body] == [True]
    assert with_body.settings == ("SET check_function_bodies = false",)
    standard = planned("", "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql RETURN 1;")
    assert [s.creates_routine_body for s in standard] == [False]
    assert standard.settings == ()


def test_an_enum_losing_a_label_is_renamed_recreated_and_its_columns_converted() -> None:
    a = """CREATE TYPE public.e AS ENUM ('a', 'b', 'c');
           CREATE TABLE public.t (x public.e DEFAULT 'a');"""
    the_plan = planned(a, a.replace("'b', 'c'", "'c'"))
    assert list(the_plan.statements()) == [
        "ALTER TABLE public.t ALTER COLUMN x DROP DEFAULT",
        "ALTER TYPE public.e RENAME TO e__pgdrift_old",
        "CREATE TYPE public.e AS ENUM ('a', 'c')",
        "ALTER TABLE public.t ALTER COLUMN x TYPE public.e USING x::text::public.e",
        "DROP TYPE public.e__pgdrift_old",
        "ALTER TABLE public.t ALTER COLUMN x SET DEFAULT 'a'::public.e",
    ]
    assert the_plan[4].hazards == ("deletes_data",)
    assert "may_fail" in the_plan[3].hazards


def test_domains_change_in_place() -> None:
    a = "CREATE DOMAIN public.d AS int CONSTRAINT c1 CHECK (VALUE > 0);"
    b = ("CREATE DOMAIN public.d AS int DEFAULT 1 NOT NULL CONSTRAINT c2 CHECK (VALUE < 9);"
         "COMMENT ON CONSTRAINT c2 ON DOMAIN public.d IS 'small';")  # fmt: skip
    assert statements(a, b) == [
        "ALTER DOMAIN public.d DROP CONSTRAINT c1",
        "ALTER DOMAIN public.d SET DEFAULT 1",
        "ALTER DOMAIN public.d SET NOT NULL",
        "ALTER DOMAIN public.d ADD CONSTRAINT c2 CHECK (value < 9)",
        "COMMENT ON CONSTRAINT c2 ON DOMAIN public.d IS 'small'",
    ]


def test_composite_type_attributes_are_altered() -> None:
    steps = statements("CREATE TYPE public.p AS (a int, b text);",
                       "CREATE TYPE public.p AS (a bigint, c text);")
    assert steps == [
        "ALTER TYPE public.p DROP ATTRIBUTE b",
        "ALTER TYPE public.p ALTER ATTRIBUTE a TYPE bigint",
        "ALTER TYPE public.p ADD ATTRIBUTE c text",
    ]


# Security: policies, privileges, owners, comments -------------------------------------------------


def test_policies_are_created_altered_and_recreated() -> None:
    a = USERS + "CREATE POLICY p ON public.users FOR SELECT USING (id > 0) WITH CHECK (true);"
    assert statements(a, a.replace("id > 0", "id > 1")) == [
        "ALTER POLICY p ON public.users USING (id > 1)"]
    assert statements(a, a.replace(" WITH CHECK (true)", "")) == [
        "DROP POLICY p ON public.users",
        "CREATE POLICY p ON public.users FOR SELECT USING (id > 0)",
    ]
    assert statements(USERS, USERS + "CREATE POLICY q ON public.users AS RESTRICTIVE FOR INSERT "
                      "TO app_user, \"Odd\" WITH CHECK (id > 0);") == [
        "CREATE POLICY q ON public.users AS RESTRICTIVE FOR INSERT TO \"Odd\", app_user "
        "WITH CHECK (id > 0)"]  # fmt: skip


def test_privileges_revoke_what_disappeared_and_grant_what_appeared() -> None:
    a = USERS + "GRANT SELECT, UPDATE ON public.users TO app_user; GRANT SELECT (email) " \
                "ON public.users TO reporting;"  # fmt: skip
    b = USERS + ("GRANT SELECT ON public.users TO app_user WITH GRANT OPTION; "
                 "GRANT INSERT ON public.users TO PUBLIC; "
                 "GRANT UPDATE (id) ON public.users TO reporting;")
    # The table's own grants first: a table-level REVOKE also takes that privilege off every
    # column, so column-level grants made before it would be lost.
    assert statements(a, b) == [
        "REVOKE UPDATE ON TABLE public.users FROM app_user",
        "GRANT INSERT ON TABLE public.users TO PUBLIC",
        "GRANT SELECT ON TABLE public.users TO app_user WITH GRANT OPTION",
        "GRANT UPDATE (id) ON TABLE public.users TO reporting",
        "REVOKE SELECT (email) ON TABLE public.users FROM reporting",
    ]


def test_a_new_object_gets_only_the_grants_its_default_acl_lacks() -> None:
    b = """CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
           REVOKE EXECUTE ON FUNCTION public.f() FROM PUBLIC;
           GRANT EXECUTE ON FUNCTION public.f() TO app_user;
           ALTER FUNCTION public.f() OWNER TO app_owner;"""
    steps = statements("", b)
    assert steps[1:] == [
        "ALTER FUNCTION public.f() OWNER TO app_owner",
        "REVOKE EXECUTE ON FUNCTION public.f() FROM PUBLIC",
        "GRANT EXECUTE ON FUNCTION public.f() TO app_user",
    ]


def test_default_privileges_change_after_everything_else() -> None:
    b = USERS + """CREATE TABLE public.t2 (a int);
        ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA public
            GRANT SELECT ON TABLES TO app_user;"""
    steps = statements(USERS, b)
    assert steps[-1] == ("ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA public "
                         "GRANT SELECT ON TABLES TO app_user")  # fmt: skip
    assert steps[0].startswith("CREATE TABLE public.t2")


def test_a_removed_default_privilege_goes_after_the_objects_planned_with_it() -> None:
    # The new table's grants are planned from the old defaults, which give app_user SELECT:
    # the REVOKE of that default must not run before the CREATE TABLE.
    a = """CREATE SCHEMA app;
        ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA app
            GRANT SELECT ON TABLES TO app_user;"""
    b = """CREATE SCHEMA app;
        CREATE TABLE app.t (a int); ALTER TABLE app.t OWNER TO app_owner;
        GRANT SELECT ON app.t TO app_user;"""
    steps = statements(a, b)
    assert steps[-1] == ("ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA app "
                         "REVOKE SELECT ON TABLES FROM app_user")  # fmt: skip
    assert not any(s.startswith("GRANT") for s in steps)


def test_a_default_privilege_of_a_dropped_schema_goes_before_the_schema() -> None:
    a = """CREATE SCHEMA app;
        ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA app
            GRANT SELECT ON TABLES TO app_user;"""
    steps = statements(a, USERS)
    assert position(steps, "ALTER DEFAULT PRIVILEGES") < position(steps, "DROP SCHEMA app")
    assert position(steps, "DROP SCHEMA app") < position(steps, "CREATE TABLE public.users")


def test_owners_and_comments() -> None:
    a = USERS + """ALTER TABLE public.users OWNER TO postgres;
        COMMENT ON COLUMN public.users.email IS 'old';"""
    b = USERS + """ALTER TABLE public.users OWNER TO app_owner;
        COMMENT ON TABLE public.users IS 'people''s accounts';"""
    assert statements(a, b) == [
        "ALTER TABLE public.users OWNER TO app_owner",
        "COMMENT ON TABLE public.users IS 'people''s accounts'",
        "COMMENT ON COLUMN public.users.email IS NULL",
    ]


# Everything else ---------------------------------------------------------------------------------


def test_schemas_extensions_and_publications() -> None:
    b = USERS + """CREATE SCHEMA ext; CREATE EXTENSION citext WITH SCHEMA ext;
        CREATE PUBLICATION pub FOR TABLE public.users (id) WHERE (id > 0)
            WITH (publish = 'insert');"""
    assert statements(USERS, b) == [
        "CREATE SCHEMA ext",
        "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA ext",
        # CREATE EXTENSION gives it its control file's comment, which the plan states.
        "COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings'",
        "CREATE PUBLICATION pub FOR TABLE public.users (id) WHERE (id > 0) "
        "WITH (publish = 'insert')",
    ]


def test_a_published_column_list_in_another_column_order_stays_published() -> None:
    # The list is a set of column numbers (pgdrift.pg.publications): only users' entry changes.
    a = """CREATE TABLE public.t (id int, b text, a text); CREATE TABLE public.users (id int);
        CREATE PUBLICATION pub FOR TABLE public.t (id, a, b);"""
    b = """CREATE TABLE public.t (id int, a text, b text); CREATE TABLE public.users (id int);
        CREATE PUBLICATION pub FOR TABLE public.t (id, a, b), TABLE public.users;"""
    assert [s for s in statements(a, b) if "PUBLICATION" in s] == [
        "ALTER PUBLICATION pub ADD TABLE public.users",
    ]


def test_partitions_are_created_alone_then_attached_after_their_indexes() -> None:
    # As pg_dump writes them: the partition as a table, the parent's index ON ONLY, the
    # partition's index, then the attachments.
    b = """CREATE TABLE public.m (id int, at date) PARTITION BY RANGE (at);
        CREATE TABLE public.m1 (id int, at date);
        ALTER TABLE ONLY public.m ATTACH PARTITION public.m1
            FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE INDEX m_at ON ONLY public.m (at);
        CREATE INDEX m1_at_idx ON public.m1 (at);
        ALTER INDEX public.m_at ATTACH PARTITION public.m1_at_idx;"""
    steps = statements("", b)
    attach = position(steps, "ALTER TABLE public.m ATTACH PARTITION public.m1 FOR VALUES")
    assert position(steps, "CREATE INDEX m1_at_idx ON public.m1") < attach
    assert position(steps, "ALTER INDEX public.m_at ATTACH PARTITION public.m1_at_idx") > attach
    assert position(steps, "CREATE INDEX m_at ON ONLY public.m") < attach


def test_a_default_calling_a_routine_that_reads_its_table_is_set_apart() -> None:
    # Neither the table nor the routine can come first: as pg_dump does, the default is set
    # after both (and taken off before either goes).
    loop = """CREATE TABLE public.t (a int);
        CREATE FUNCTION public.f() RETURNS int LANGUAGE sql
            BEGIN ATOMIC SELECT count(*) FROM public.t; END;
        ALTER TABLE public.t ALTER COLUMN a SET DEFAULT public.f();"""
    assert [s.split("(")[0] for s in statements("", loop)] == [
        "CREATE TABLE public.t ",
        "CREATE FUNCTION public.f",
        "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT public.f",
    ]
    assert statements(loop, "") == [
        "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT",
        "DROP FUNCTION public.f()",
        "DROP TABLE public.t",
    ]


def test_an_index_built_again_gets_back_the_tables_replica_identity_and_cluster() -> None:
    # Dropping the index took them off, while the table reads unchanged.
    table = ("CREATE TABLE public.t (a int NOT NULL, b int NOT NULL);\n"
             "CREATE UNIQUE INDEX t_idx ON public.t ({keys});\n"
             "ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_idx;\n"
             "ALTER TABLE public.t CLUSTER ON t_idx;")  # fmt: skip
    steps = statements(table.format(keys="a"), table.format(keys="a, b"))
    create = position(steps, "CREATE UNIQUE INDEX t_idx ON public.t (a, b)")
    assert position(steps, "ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_idx") > create
    assert position(steps, "ALTER TABLE public.t CLUSTER ON t_idx") > create


def test_a_plain_column_made_generated_is_dropped_with_its_values() -> None:
    # Dropped and added again either way; only a generated column's values were computed.
    table = "CREATE TABLE public.t (x int, g int{g});"
    generated = " GENERATED ALWAYS AS (x * {n}) STORED"
    for before, lost in (("", True), (generated.format(n=2), False)):
        the_plan = planned(table.format(g=before), table.format(g=generated.format(n=3)))
        [drop] = [s for s in the_plan.steps if s.sql == "ALTER TABLE public.t DROP COLUMN g"]
        assert ("deletes_data" in drop.hazards) is lost, before
