"""What a DROP takes along without CASCADE, as PostgreSQL 15 does (and where ALTER EXTENSION ...
SET SCHEMA takes an extension's members, and how generic OPTIONS change): a table its own
self-referencing foreign key, a schema its default privileges (pg_default_acl depends on it
automatically); and a grant undone on an object the script never created leaves nothing."""

from __future__ import annotations

import pgdrift
from pgdrift import ids


def _kinds(sql: str) -> set[str]:
    return {oid.kind for oid in pgdrift.loads(sql).objects}


def test_drop_table_takes_its_self_referencing_foreign_key() -> None:
    sql = "CREATE TABLE e (id int PRIMARY KEY, mentor int REFERENCES e); DROP TABLE e;"
    assert ids.CONSTRAINT not in _kinds(sql)


def test_drop_schema_takes_its_default_privileges() -> None:
    sql = (
        "CREATE SCHEMA s; ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO r;"
        "DROP SCHEMA s;"
    )
    assert ids.DEFAULT_PRIVILEGES not in _kinds(sql)


def test_a_grant_undone_on_a_builtin_leaves_nothing() -> None:
    sql = (
        "REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC; GRANT USAGE ON LANGUAGE plpgsql TO PUBLIC;"
        "CREATE TABLE t (id int);"
    )
    assert [str(o) for o in pgdrift.loads(sql).objects] == ["schema:public", "table:public.t"]


def test_alter_extension_set_schema_moves_it_and_its_granted_members() -> None:
    schema = pgdrift.loads(
        "CREATE SCHEMA extensions; CREATE EXTENSION pgcrypto WITH SCHEMA extensions;"
        "GRANT EXECUTE ON FUNCTION extensions.gen_random_bytes(integer) TO r;"
        "ALTER EXTENSION pgcrypto SET SCHEMA public;"
    )
    assert "function:public.gen_random_bytes(integer)" in {str(o) for o in schema.objects}
    extension = schema.objects[ids.ObjectId(ids.EXTENSION, None, "pgcrypto")]
    assert getattr(extension, "in_schema", None) == "public"


def test_generic_options_are_added_set_and_dropped() -> None:
    schema = pgdrift.loads(
        "CREATE FOREIGN DATA WRAPPER w OPTIONS (a '1', c '3');"
        "ALTER FOREIGN DATA WRAPPER w OPTIONS (ADD b '2', SET a '9', DROP c);"
        "CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'x');"
        "ALTER SERVER s VERSION '2' OPTIONS (SET host 'y');"
        "CREATE FOREIGN TABLE ft (id int) SERVER s OPTIONS (t '1');"
        "ALTER FOREIGN TABLE ft OPTIONS (ADD t2 '2');"
    )
    wrapper = schema.objects[ids.ObjectId(ids.FOREIGN_DATA_WRAPPER, None, "w")]
    server = schema.objects[ids.ObjectId(ids.SERVER, None, "s")]
    table = schema.objects[ids.ObjectId(ids.FOREIGN_TABLE, "public", "ft")]
    assert getattr(wrapper, "options", None) == (("a", "9"), ("b", "2"))
    assert (getattr(server, "version", None), getattr(server, "options", None)) == (
        "2", (("host", "y"),)
    )  # fmt: skip
    assert getattr(table, "fdw_options", None) == (("t", "1"), ("t2", "2"))
