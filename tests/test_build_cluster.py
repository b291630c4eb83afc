"""Roles, memberships, role and database settings, databases and tablespaces, built from SQL
written the way pg_dumpall 15 prints it."""

# ruff: noqa: E501 - the SQL is kept on one line where pg_dumpall prints it on one line

from __future__ import annotations

import pgdrift
from pgdrift import ids, model
from pgdrift.ids import ObjectId
from pgdrift.schema import Schema


def load(sql: str, database: str | None = None) -> Schema:
    return pgdrift.loads(sql, database=database)


def role(schema: Schema, name: str) -> model.Role:
    found = schema[ObjectId(ids.ROLE, None, name)]
    assert isinstance(found, model.Role)
    return found


# Roles ---------------------------------------------------------------------------------------


def test_role_attributes_from_create_and_alter_role() -> None:
    schema = load("""
CREATE ROLE alice;
ALTER ROLE alice WITH NOSUPERUSER NOINHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS CONNECTION LIMIT 5 PASSWORD 'md54a0a68b43b6cd5cf266fa02f196e2371' VALID UNTIL '2030-01-01 00:00:00+00';
""")
    oid = ObjectId(ids.ROLE, None, "alice")
    assert schema[oid] == model.Role(
        id=oid,
        superuser=False,
        inherit=False,
        createrole=True,
        createdb=True,
        login=True,
        replication=True,
        bypassrls=True,
        connection_limit=5,
        password="md54a0a68b43b6cd5cf266fa02f196e2371",
        valid_until="2030-01-01 00:00:00+00",
    )


def test_a_changed_password_is_a_change_but_never_shown() -> None:
    one = load("CREATE ROLE a;\nALTER ROLE a WITH LOGIN PASSWORD 'md5aaa';")
    other = load("CREATE ROLE a;\nALTER ROLE a WITH LOGIN PASSWORD 'md5bbb';")
    assert role(one, "a") != role(other, "a")
    assert "md5aaa" not in repr(role(one, "a"))


def test_create_user_can_log_in() -> None:
    schema = load("CREATE USER u;\nCREATE ROLE r;")
    assert (role(schema, "u").login, role(schema, "r").login) == (True, False)


def test_alter_role_of_a_role_never_created_adds_it() -> None:
    # pg_dumpall --binary-upgrade leaves out CREATE ROLE for the bootstrap superuser.
    schema = load(
        "ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS;"
    )
    postgres = role(schema, "postgres")
    assert (postgres.superuser, postgres.login, postgres.bypassrls) == (True, True, True)


def test_create_role_membership_options() -> None:
    schema = load("""
CREATE ROLE staff;
CREATE ROLE carol;
CREATE ROLE dave;
CREATE ROLE erin IN ROLE staff ROLE carol ADMIN dave;
""")
    assert role(schema, "erin").member_of == (("staff", False),)
    assert role(schema, "carol").member_of == (("erin", False),)
    assert role(schema, "dave").member_of == (("erin", True),)


# Memberships ---------------------------------------------------------------------------------


def test_grant_role_records_membership_and_admin_option_not_grantor() -> None:
    schema = load("""
CREATE ROLE reporting;
CREATE ROLE alice;
CREATE ROLE bob;
GRANT reporting TO alice GRANTED BY postgres;
GRANT reporting TO bob WITH ADMIN OPTION GRANTED BY postgres;
""")
    assert role(schema, "alice").member_of == (("reporting", False),)
    assert role(schema, "bob").member_of == (("reporting", True),)
    other_grantor = load("""
CREATE ROLE reporting;
CREATE ROLE alice;
CREATE ROLE bob;
GRANT reporting TO alice GRANTED BY bob;
GRANT reporting TO bob WITH ADMIN OPTION;
""")
    assert other_grantor == schema


def test_revoke_role_and_revoke_admin_option() -> None:
    schema = load("""
CREATE ROLE g;
CREATE ROLE h;
CREATE ROLE m;
GRANT g, h TO m WITH ADMIN OPTION;
REVOKE ADMIN OPTION FOR g FROM m;
REVOKE h FROM m;
""")
    assert role(schema, "m").member_of == (("g", False),)


# Settings ------------------------------------------------------------------------------------


def test_role_settings_global_and_per_database() -> None:
    schema = load("""
CREATE ROLE alice;
ALTER ROLE alice SET search_path TO 'app', 'public';
ALTER ROLE alice SET statement_timeout TO '5min';
ALTER ROLE alice IN DATABASE crm SET work_mem TO '16MB';
ALTER ROLE alice RESET statement_timeout;
""")
    assert role(schema, "alice").settings == (
        (None, "search_path", "app, public"),
        ("crm", "work_mem", "16MB"),
    )


def test_role_and_database_settings_record_the_settings_own_name() -> None:
    # As in a function's SET: pg_db_role_setting holds TimeZone, DateStyle.
    schema = load("""
CREATE ROLE alice;
ALTER ROLE alice SET timezone = 'UTC';
ALTER ROLE alice IN DATABASE crm SET datestyle = 'ISO, DMY';
ALTER ROLE alice IN DATABASE crm RESET DateStyle;
CREATE DATABASE crm;
ALTER DATABASE crm SET intervalstyle = iso_8601;
""")
    assert role(schema, "alice").settings == ((None, "TimeZone", "UTC"),)
    database = schema[ObjectId(ids.DATABASE, None, "crm")]
    assert isinstance(database, model.Database)
    assert database.settings == (("IntervalStyle", "iso_8601"),)


def test_alter_role_all_set_is_kept_as_unsupported() -> None:
    schema = load("ALTER ROLE ALL SET statement_timeout TO '1min';")
    (kept,) = [o for o in schema if isinstance(o, model.Unsupported)]
    assert "ALTER ROLE ALL" in kept.statement


# Databases -----------------------------------------------------------------------------------

DUMPALL = r"""
CREATE ROLE alice;
ALTER ROLE alice WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS;
\connect template1
SET statement_timeout = 0;
\connect postgres
CREATE DATABASE inventory WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C.UTF-8';
\connect inventory
ALTER DATABASE inventory CONNECTION LIMIT = 10;
ALTER DATABASE inventory SET lock_timeout TO '2s';
ALTER ROLE alice IN DATABASE inventory SET work_mem TO '16MB';
CREATE TABLE public.items (id integer);
\connect postgres
CREATE TABLE public.other (id integer);
"""


def test_database_options_and_settings_from_pg_dumpall() -> None:
    schema = load(DUMPALL, database="inventory")
    oid = ObjectId(ids.DATABASE, None, "inventory")
    database = schema[oid]
    assert database == model.Database(
        id=oid,
        privileges=database.privileges,
        # TEMPLATE only steers the copy; LOCALE is LC_COLLATE and LC_CTYPE at once.
        options=(
            ("connection_limit", "10"),
            ("encoding", "UTF8"),
            ("lc_collate", "C.UTF-8"),
            ("lc_ctype", "C.UTF-8"),
        ),
        settings=(("lock_timeout", "2s"),),
    )
    assert role(schema, "alice").settings == (("inventory", "work_mem", "16MB"),)
    assert "table:public.items" in schema
    assert "table:public.other" not in schema


def test_cluster_statements_are_read_whichever_database_is_picked() -> None:
    schema = load(DUMPALL, database="postgres")
    assert schema["database:inventory"].settings == (("lock_timeout", "2s"),)
    assert "table:public.other" in schema


def test_locale_and_lc_settings_compare_equal() -> None:
    # pg_dumpall 15 prints LOCALE when LC_COLLATE and LC_CTYPE agree; older ones print both.
    new = load(
        "CREATE DATABASE d WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C';"
    )
    old = load(
        "CREATE DATABASE d WITH TEMPLATE = template0 ENCODING = 'UTF8' LC_COLLATE = 'C' LC_CTYPE = 'C';"
    )
    assert new == old


def test_settings_of_a_database_pg_dumpall_never_creates() -> None:
    # postgres and template1 exist in every cluster; only --clean dumps CREATE them.
    schema = load("ALTER DATABASE postgres SET work_mem TO '9MB';")
    assert schema["database:postgres"].settings == (("work_mem", "9MB"),)


def test_a_comment_on_a_database_the_dump_never_creates() -> None:
    # pg_dumpall --clean and pg_dump --create of another database comment on postgres, which
    # exists in every cluster; read from a pg_dumpall file, such a statement about another
    # database must not fail the load of the one picked.
    schema = load(
        "COMMENT ON DATABASE postgres IS 'Maintenance only';\nCREATE TABLE public.t (a int);"
    )
    assert schema["database:postgres"].comment == "Maintenance only"


def test_settings_of_a_database_known_only_from_a_grant() -> None:
    # A single-database dump (pg_dump --create) grants on its database without creating it.
    schema = load(
        "GRANT CONNECT ON DATABASE archive TO reader;\nALTER DATABASE archive SET work_mem = '8MB';"
    )
    database = schema["database:archive"]
    assert isinstance(database, model.Database)
    assert database.settings == (("work_mem", "8MB"),)
    assert model.Privilege("reader", "CONNECT") in database.privileges


def test_clean_dump_drops_and_recreates() -> None:
    schema = load("""
DROP DATABASE template1;
CREATE DATABASE template1 WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C';
ALTER DATABASE template1 IS_TEMPLATE = true;
DROP ROLE IF EXISTS alice;
CREATE ROLE alice;
""")
    assert dict(schema["database:template1"].options)["is_template"] == "true"
    assert "role:alice" in schema


# Tablespaces ---------------------------------------------------------------------------------


def test_tablespace_location_owner_and_options() -> None:
    schema = load("""
CREATE TABLESPACE fast OWNER alice LOCATION '/srv/fast';
ALTER TABLESPACE fast SET (random_page_cost=1.1, effective_io_concurrency=200);
ALTER TABLESPACE fast RESET (effective_io_concurrency);
""")
    oid = ObjectId(ids.TABLESPACE, None, "fast")
    tablespace = schema[oid]
    assert tablespace == model.Tablespace(
        id=oid,
        owner="alice",
        privileges=tablespace.privileges,
        location="/srv/fast",
        options=(("random_page_cost", "1.1"),),
    )


def test_a_real_pg_dumpall_clean_loads_any_database_with_every_database_statement() -> None:
    """fixtures/dumpall/clean: pg_dumpall --clean writes postgres and template1 in sections of
    their own (DROP / CREATE DATABASE, COMMENT, SET, GRANT); whichever database is picked, the
    load succeeds and those statements describe their database, not the one picked."""
    from pathlib import Path  # noqa: PLC0415 - only this test reads a fixture file

    dump = Path(__file__).resolve().parent.parent / "fixtures" / "dumpall" / "clean" / "dump.sql"
    for picked, table in (("shop", "shop.items"), ("postgres", "public.maintenance_log")):
        schema = pgdrift.load(dump, database=picked)
        assert list(schema.tables) == [table]
        databases = schema.of_kind(ids.DATABASE)
        postgres = databases["postgres"]
        assert isinstance(postgres, model.Database)
        assert postgres.comment == "maintenance only"
        assert postgres.settings == (("work_mem", "8MB"),)
        assert databases["shop"].comment == "the shop"
        assert databases["template1"].comment == "the default template"
