"""What a DROP takes along without CASCADE, as PostgreSQL 15 does (and where ALTER EXTENSION ...
SET SCHEMA takes an extension's members): a table its own
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
