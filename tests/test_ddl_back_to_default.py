"""Statements that put something back to what PostgreSQL has when nothing is set, so that a
dump shows nothing: a sequence AS bigint, COMMENT ... IS NULL on a materialized view's column,
ALTER DEFAULT PRIVILEGES undone (its pg_default_acl row is deleted); and what PostgreSQL sets
without being told: CREATE EXTENSION's comment, from the extension's control file."""

from __future__ import annotations

import pgdrift
from pgdrift import ids, model


def _sequence(sql: str) -> model.Sequence:
    schema = pgdrift.loads(sql)
    found = next(o for oid, o in schema.objects.items() if oid.kind == ids.SEQUENCE)
    assert isinstance(found, model.Sequence)
    return found


def test_a_sequence_as_bigint_has_the_default_type() -> None:
    assert _sequence("CREATE SEQUENCE s AS bigint;").options.data_type is None
    altered = _sequence("CREATE SEQUENCE s AS integer; ALTER SEQUENCE s AS bigint;")
    assert altered.options.data_type is None
    assert str(_sequence("CREATE SEQUENCE s AS integer;").options.data_type) == "integer"


def test_comment_is_null_on_a_materialized_view_column_removes_it() -> None:
    sql = "CREATE MATERIALIZED VIEW m AS SELECT 1 AS n;COMMENT ON COLUMN m.n IS 'count';"
    commented = pgdrift.loads(sql).objects
    removed = pgdrift.loads(sql + "COMMENT ON COLUMN m.n IS NULL;").objects
    matview = ids.ObjectId(ids.MATERIALIZED_VIEW, "public", "m")
    assert getattr(commented[matview], "column_comments", ()) == (("n", "count"),)
    assert getattr(removed[matview], "column_comments", None) == ()


def _default_privileges(sql: str) -> list[str]:
    schema = pgdrift.loads(sql)
    return [str(oid) for oid in schema.objects if oid.kind == ids.DEFAULT_PRIVILEGES]


def test_default_privileges_granted_and_revoked_leave_no_entry() -> None:
    grant = "ALTER DEFAULT PRIVILEGES FOR ROLE app IN SCHEMA public GRANT SELECT ON TABLES TO r;"
    revoke = grant.replace("GRANT SELECT ON TABLES TO", "REVOKE SELECT ON TABLES FROM")
    assert _default_privileges(grant) == ["default_privileges:app:public:tables"]
    assert _default_privileges(grant + revoke) == []


def test_global_default_privileges_back_to_the_builtin_ones_leave_no_entry() -> None:
    revoke = "ALTER DEFAULT PRIVILEGES FOR ROLE app REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;"
    grant = "ALTER DEFAULT PRIVILEGES FOR ROLE app GRANT EXECUTE ON FUNCTIONS TO PUBLIC;"
    assert _default_privileges(revoke) == ["default_privileges:app::functions"]
    assert _default_privileges(revoke + grant) == []


def test_create_extension_comments_it_with_its_control_files_comment() -> None:
    extension = ids.ObjectId(ids.EXTENSION, None, "pgcrypto")
    created = pgdrift.loads("CREATE EXTENSION pgcrypto;").objects[extension]
    assert created.comment == "cryptographic functions"
    uncommented = pgdrift.loads("CREATE EXTENSION pgcrypto; COMMENT ON EXTENSION pgcrypto IS NULL;")
    assert uncommented.objects[extension].comment is None
