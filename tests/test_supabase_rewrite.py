"""tools/supabase_rewrite.py reproduces the sed pipeline of `supabase db dump` line by line."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest


def _load_tool() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "tools" / "supabase_rewrite.py"
    spec = importlib.util.spec_from_file_location("supabase_rewrite", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


supabase_rewrite = _load_tool()


def kept(text: str) -> str:
    """The rewrite with comments kept, without the trailing RESET ALL."""
    out = supabase_rewrite.rewrite_dump(text, keep_comments=True)
    assert out.endswith("RESET ALL;\n")
    return out[: -len("RESET ALL;\n")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('CREATE SCHEMA "private";', 'CREATE SCHEMA IF NOT EXISTS "private";'),
        ('CREATE TABLE "public"."t" (', 'CREATE TABLE IF NOT EXISTS "public"."t" ('),
        ('CREATE SEQUENCE "public"."s"', 'CREATE SEQUENCE IF NOT EXISTS "public"."s"'),
        ('CREATE VIEW "public"."v" AS', 'CREATE OR REPLACE VIEW "public"."v" AS'),
        (
            'CREATE FUNCTION "public"."f"() RETURNS',
            'CREATE OR REPLACE FUNCTION "public"."f"() RETURNS',
        ),
        ('CREATE TRIGGER "t" BEFORE UPDATE', 'CREATE OR REPLACE TRIGGER "t" BEFORE UPDATE'),
    ],
)
def test_create_statements_become_idempotent(line: str, expected: str) -> None:
    assert kept(line + "\n") == expected + "\n"


@pytest.mark.parametrize(
    "line",
    [
        "CREATE TABLE public.t (",  # unquoted: only --quote-all-identifiers output is rewritten
        'CREATE UNLOGGED TABLE "public"."t" (',
        'CREATE MATERIALIZED VIEW "public"."m" AS',
        'CREATE PROCEDURE "public"."p"()',
        'CREATE CONSTRAINT TRIGGER "t" AFTER INSERT',
        '    CREATE TABLE "x" (',  # inside a function body, indented
    ],
)
def test_statements_the_cli_does_not_match_stay_as_they_are(line: str) -> None:
    assert kept(line + "\n") == line + "\n"


def test_event_trigger_is_commented_out_line_by_line() -> None:
    dump = (
        'CREATE EVENT TRIGGER "issue_access" ON "ddl_command_end"\n'
        "         WHEN TAG IN ('CREATE FUNCTION')\n"
        '   EXECUTE FUNCTION "extensions"."grant_access"();\n'
        'ALTER EVENT TRIGGER "issue_access" OWNER TO "postgres";\n'
    )
    assert kept(dump) == "".join("-- " + line + "\n" for line in dump.splitlines())


def test_only_supabase_realtime_underscore_publications_lose_their_alter_statements() -> None:
    dump = (
        "CREATE PUBLICATION \"supabase_realtime\" WITH (publish = 'insert');\n"
        'ALTER PUBLICATION "supabase_realtime" ADD TABLE ONLY "public"."messages";\n'
        'ALTER PUBLICATION "supabase_realtime_messages" OWNER TO "postgres";\n'
        'CREATE PUBLICATION "mine" FOR ALL TABLES;\n'
    )
    assert kept(dump) == (
        "-- CREATE PUBLICATION \"supabase_realtime\" WITH (publish = 'insert');\n"
        'ALTER PUBLICATION "supabase_realtime" ADD TABLE ONLY "public"."messages";\n'
        '-- ALTER PUBLICATION "supabase_realtime_messages" OWNER TO "postgres";\n'
        'CREATE PUBLICATION "mine" FOR ALL TABLES;\n'
    )


def test_grants_on_objects_in_internal_schemas_are_commented_out() -> None:
    dump = (
        'GRANT ALL ON FUNCTION "extensions"."uuid_generate_v4"() TO "anon";\n'
        'REVOKE ALL ON FUNCTION "vault"."f"() FROM PUBLIC;\n'
        'GRANT ALL ON TABLE "public"."todos" TO "anon";\n'
        # The schema must follow a space: a public table named like a schema does not match.
        'GRANT ALL ON TABLE "public"."storage" TO "anon";\n'
    )
    assert kept(dump).splitlines() == [
        '-- GRANT ALL ON FUNCTION "extensions"."uuid_generate_v4"() TO "anon";',
        '-- REVOKE ALL ON FUNCTION "vault"."f"() FROM PUBLIC;',
        'GRANT ALL ON TABLE "public"."todos" TO "anon";',
        'GRANT ALL ON TABLE "public"."storage" TO "anon";',
    ]


def test_pg_star_in_the_grant_pattern_is_a_regex_not_a_wildcard() -> None:
    # In sed's ERE `pg_*` is "pg" and any number of underscores, so "pg" matches, "pg_x" not.
    assert kept('GRANT USAGE ON SCHEMA "pg" TO "anon";\n').startswith("-- ")
    assert not kept('GRANT USAGE ON SCHEMA "pg_x" TO "anon";\n').startswith("-- ")


def test_default_privileges_of_supabase_admin_are_commented_out() -> None:
    dump = (
        'ALTER DEFAULT PRIVILEGES FOR ROLE "supabase_admin" IN SCHEMA "public" GRANT ALL ON '
        'TABLES  TO "anon";\n'
        'ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA "public" GRANT ALL ON '
        'TABLES  TO "anon";\n'
    )
    first, second = kept(dump).splitlines()
    assert first.startswith('-- ALTER DEFAULT PRIVILEGES FOR ROLE "supabase_admin"')
    assert second.startswith('ALTER DEFAULT PRIVILEGES FOR ROLE "postgres"')


@pytest.mark.parametrize("extension", ["pg_tle", "pgsodium", "pgmq"])
def test_managed_extensions_lose_their_schema_clause(extension: str) -> None:
    line = f'CREATE EXTENSION IF NOT EXISTS "{extension}" WITH SCHEMA "{extension}";\n'
    assert kept(line) == f'CREATE EXTENSION IF NOT EXISTS "{extension}";\n'


def test_other_extensions_keep_their_schema_clause_and_lose_their_comment() -> None:
    dump = (
        'CREATE EXTENSION IF NOT EXISTS "pgcrypto" WITH SCHEMA "extensions";\n'
        "COMMENT ON EXTENSION \"pgcrypto\" IS 'cryptographic functions';\n"
    )
    assert kept(dump) == (
        'CREATE EXTENSION IF NOT EXISTS "pgcrypto" WITH SCHEMA "extensions";\n'
        "-- COMMENT ON EXTENSION \"pgcrypto\" IS 'cryptographic functions';\n"
    )


@pytest.mark.parametrize(
    "line",
    [
        "\\restrict 7e72486ce4d021911dfcac1816f3d878",
        "\\unrestrict 7e72486ce4d021911dfcac1816f3d878",
        'ALTER FOREIGN DATA WRAPPER "stripe_wrapper" OWNER TO "postgres";',
        'GRANT ALL ON FOREIGN DATA WRAPPER "stripe_wrapper" TO "postgres" WITH GRANT OPTION;',
        'CREATE POLICY "cron_job_policy" ON "cron"."job" USING (true);',
        'ALTER TABLE "cron"."job" ENABLE ROW LEVEL SECURITY;',
        "SET transaction_timeout = 0;",
    ],
)
def test_platform_statements_are_commented_out(line: str) -> None:
    assert kept(line + "\n") == "-- " + line + "\n"


def test_default_dump_deletes_every_line_starting_with_two_dashes_even_in_bodies() -> None:
    dump = (
        "--\n-- Name: f; Type: FUNCTION; Schema: public; Owner: postgres\n--\n\n"
        'CREATE FUNCTION "public"."f"() RETURNS integer\n'
        "    LANGUAGE plpgsql\n    AS $$\nBEGIN\n-- column-0 comment\n    RETURN 1;\nEND;\n$$;\n"
        'CREATE EVENT TRIGGER "e" ON "ddl_command_end"\n'
    )
    assert supabase_rewrite.rewrite_dump(dump) == (
        '\nCREATE OR REPLACE FUNCTION "public"."f"() RETURNS integer\n'
        "    LANGUAGE plpgsql\n    AS $$\nBEGIN\n    RETURN 1;\nEND;\n$$;\n"
        "RESET ALL;\n"
    )


def test_lines_split_at_newline_only_like_sed() -> None:
    # str.splitlines() would also break at a form feed inside a string literal.
    dump = 'CREATE TABLE "public"."t" ("a" text DEFAULT \'x\fCREATE TABLE "y"\');\n'
    assert kept(dump) == dump.replace(
        'CREATE TABLE "public"', 'CREATE TABLE IF NOT EXISTS "public"'
    )


def test_pg_dump_arguments_exclude_the_platform_schemas_and_quote_everything() -> None:
    args = list(supabase_rewrite.PG_DUMP_ARGS)
    assert "--schema-only" in args
    assert "--quote-all-identifiers" in args
    excluded = args[args.index("--exclude-schema") + 1].split("|")
    for schema in ("auth", "storage", "extensions", "realtime", "graphql", "vault", "pg_*"):
        assert schema in excluded
    assert "public" not in excluded
