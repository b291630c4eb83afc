"""Who runs the files (issue 11): ``role=`` / ``--role`` / ``[tool.pgdrift] role`` owns what
they create, ``SET ROLE`` and ``SET SESSION AUTHORIZATION`` change that, ``ALTER DEFAULT
PRIVILEGES`` applies to objects created after it; and without a role, owners a script never
names are not compared with a dump's."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift.cli import main


def _acl(schema: pgdrift.Schema, oid: str) -> list[tuple[str, str]]:
    obj = next(o for o in schema.objects.values() if str(o.id) == oid)
    return sorted((p.grantee, p.privilege) for p in obj.privileges)


def _owners(schema: pgdrift.Schema) -> dict[str, str | None]:
    return {str(o.id): o.owner for o in schema.objects.values()
            if o.kind in ("table", "sequence", "schema", "function")}  # fmt: skip


def test_the_role_owns_what_the_files_create_and_set_role_changes_it() -> None:
    schema = pgdrift.loads(
        "CREATE SCHEMA app; CREATE TABLE app.a (id serial);\n"
        "SET ROLE owner2; CREATE TABLE app.b (id int);\n"
        "RESET ROLE; CREATE TABLE app.c (id int);\n"
        "SET SESSION AUTHORIZATION alice; CREATE TABLE app.d (id int);\n"
        "SET ROLE NONE; CREATE TABLE app.e (id int) ; CREATE TABLE app.f (id int);\n"
        "ALTER TABLE app.f OWNER TO bob;",
        role="deployer",
    )
    assert _owners(schema) == {
        "schema:app": "deployer", "sequence:app.a_id_seq": "deployer", "table:app.a": "deployer",
        "table:app.b": "owner2", "table:app.c": "deployer", "table:app.d": "alice",
        "table:app.e": "alice", "table:app.f": "bob", "schema:public": "pg_database_owner",
    }  # fmt: skip


def test_without_a_role_owners_stay_unknown() -> None:
    schema = pgdrift.loads("CREATE TABLE t (id int);")
    assert schema.tables["public.t"].owner is None


def test_a_dump_with_set_session_authorization_names_its_owners() -> None:
    # pg_dump --use-set-session-authorization writes no OWNER TO: the session says who.
    schema = pgdrift.loads('SET SESSION AUTHORIZATION "alice";\nCREATE TABLE public.t (id int);')
    assert schema.tables["public.t"].owner == "alice"


def test_default_privileges_apply_to_objects_created_after_them_only() -> None:
    schema = pgdrift.loads(
        "CREATE SCHEMA app; CREATE TABLE app.before (id int);\n"
        "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO reader;\n"
        "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n"
        "CREATE TABLE app.after (id int); CREATE TABLE public.elsewhere (id int);\n"
        "CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
        "SET ROLE other; CREATE TABLE app.others (id int);",
        role="deployer",
    )
    assert ("reader", "SELECT") in _acl(schema, "table:app.after")
    assert ("reader", "SELECT") not in _acl(schema, "table:app.before")
    assert ("reader", "SELECT") not in _acl(schema, "table:public.elsewhere")
    # Default privileges belong to the role that set them: another role's tables do not get them.
    assert ("reader", "SELECT") not in _acl(schema, "table:app.others")
    assert _acl(schema, "function:app.f()") == [("deployer", "EXECUTE")]


def test_for_role_default_privileges_apply_to_that_roles_objects() -> None:
    schema = pgdrift.loads(
        "ALTER DEFAULT PRIVILEGES FOR ROLE app GRANT USAGE ON SEQUENCES TO web;\n"
        "SET ROLE app; CREATE SEQUENCE s;"
    )
    assert _acl(schema, "sequence:public.s") == [
        ("app", "SELECT"), ("app", "UPDATE"), ("app", "USAGE"), ("web", "USAGE")]  # fmt: skip


DUMP = """\
CREATE TABLE public.t (id integer);
ALTER TABLE public.t OWNER TO postgres;
GRANT SELECT ON TABLE public.t TO reader;
"""


def test_a_script_that_never_names_owners_has_no_owner_noise_against_a_dump() -> None:
    source = pgdrift.loads("CREATE TABLE t (id integer); GRANT SELECT ON t TO reader;")
    assert not pgdrift.diff(source, pgdrift.loads(DUMP))
    assert not pgdrift.diff(pgdrift.loads(DUMP), source)


def test_with_a_role_owners_are_compared() -> None:
    source = pgdrift.loads("CREATE TABLE t (id integer); GRANT SELECT ON t TO reader;",
                           role="deployer")  # fmt: skip
    changes = pgdrift.diff(pgdrift.loads(DUMP), source)
    assert [d.field for c in changes for d in c.details] == ["owner", "privileges"]
    assert not pgdrift.diff(
        pgdrift.loads(DUMP),
        pgdrift.loads("CREATE TABLE t (id integer); GRANT SELECT ON t TO reader;",
                      role="postgres"),
    )  # fmt: skip


def test_role_on_the_command_line_and_in_pyproject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "schema.sql"
    script.write_text("CREATE TABLE t (id integer);\n")
    dump = tmp_path / "dump.sql"
    dump.write_text("CREATE TABLE public.t (id integer);\nALTER TABLE public.t OWNER TO app;\n")
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "--no-cache", str(dump), str(script)]) == 0
    assert main(["diff", "--no-cache", "--role", "other", str(dump), str(script)]) == 1
    assert "owner" in capsys.readouterr().out
    (tmp_path / "pyproject.toml").write_text('[tool.pgdrift]\nrole = "other"\n')
    assert main(["diff", "--no-cache", str(dump), str(script)]) == 1
    assert main(["diff", "--no-cache", "--role", "app", str(dump), str(script)]) == 0


def test_inspect_and_lint_take_the_role_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "schema.sql"
    script.write_text("CREATE TABLE t (id integer PRIMARY KEY);\n")
    assert main(["inspect", "--no-cache", "--format", "json", "--role", "deployer",
                 str(script)]) == 0  # fmt: skip
    assert '"owner": "deployer"' in capsys.readouterr().out
    # lint accepts it (argparse would exit 2 on an unknown flag) and reads the script.
    assert main(["lint", "--no-cache", "--role", "deployer", str(script)]) in (0, 1)


DEFAULTS_DUMP = """\
ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT ON TABLES TO anon;
ALTER DEFAULT PRIVILEGES FOR ROLE postgres REVOKE ALL ON FUNCTIONS FROM PUBLIC;
"""


def test_default_privileges_of_an_unknown_role_pair_with_the_dumps() -> None:
    # Supabase migrations write ALTER DEFAULT PRIVILEGES without FOR ROLE; the dump names it.
    script = pgdrift.loads(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO anon;"
        "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;"
    )
    dump = pgdrift.loads(DEFAULTS_DUMP)
    assert not pgdrift.diff(dump, script)
    assert not pgdrift.diff(script, dump)
    other = pgdrift.loads("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT INSERT ON TABLES "
                          "TO anon;")  # fmt: skip
    changed = pgdrift.diff(dump, other)
    assert [(c.operation, str(c.id)) for c in changed] == [
        ("drop", "default_privileges:postgres::functions"),
        ("alter", "default_privileges:postgres:public:tables"),
    ]


def test_an_unknown_roles_grant_to_itself_by_name_is_one_grant() -> None:
    # Its owner's privileges and GRANT ... TO postgres are one entry once the role is postgres.
    script = pgdrift.loads("ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO postgres, anon;")
    dump = pgdrift.loads(
        "ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT ALL ON TABLES TO postgres;\n"
        "ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT ALL ON TABLES TO anon;\n"
    )
    assert not pgdrift.diff(dump, script)
    assert not pgdrift.diff(script, dump)


def test_drop_owned_refuses_a_dependent_of_another_owner_without_cascade() -> None:
    script = ("CREATE SCHEMA s AUTHORIZATION app_user; SET ROLE app_user;"
              "CREATE TABLE s.t (a int); RESET ROLE;"
              "CREATE VIEW public.v AS SELECT a FROM s.t; DROP OWNED BY app_user")  # fmt: skip
    with pytest.raises(pgdrift.Error, match=r"view:public\.v"):
        pgdrift.loads(script + ";", role="postgres")
    kept = pgdrift.loads(script + " CASCADE;", role="postgres")
    assert sorted(str(o) for o in kept.objects) == ["schema:public"]
