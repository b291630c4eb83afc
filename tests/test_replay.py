"""The interpreter replaying what pgdrift writes: ``squash`` (a schema as one script) and
``--verify`` (a plan replayed on A must reach B), offline. Their proofs on a real PostgreSQL are
tests/integration/test_squash.py and test_migrations.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import pgdrift
from pgdrift import cli
from pgdrift.replay import empty_schema, squash, verify

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(ROOT / "tests" / "integration"))
from fixture_pairs import MIGRATIONS, Migration  # noqa: E402

DUMPS = sorted(
    p for p in FIXTURES.rglob("dump.sql")
    if not p.is_relative_to(FIXTURES / "pairs") and not p.is_relative_to(FIXTURES / "clean")
    and "dumpall" not in p.relative_to(FIXTURES).parts
)  # fmt: skip
NOT_CONVERGING = {
    line.strip()
    for line in (ROOT / "tests" / "verify_differences.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
}


@pytest.mark.parametrize("dump", DUMPS, ids=lambda p: str(p.parent.relative_to(FIXTURES)))
def test_a_squashed_schema_reads_back_as_itself(dump: Path) -> None:
    schema = pgdrift.load(dump)
    again = pgdrift.loads(squash(schema), name="squashed")
    assert not pgdrift.diff(schema, again)


@pytest.mark.parametrize("dump", DUMPS, ids=lambda p: str(p.parent.relative_to(FIXTURES)))
def test_a_plan_dropping_a_whole_schema_replays_to_the_empty_database(dump: Path) -> None:
    # Every DROP in dependency order, as a plan to an empty database writes them: what goes
    # with a table, a schema or an extension must go offline as it does in PostgreSQL.
    schema, empty = pgdrift.load(dump), empty_schema()
    result = verify(pgdrift.plan(pgdrift.diff(schema, empty)), schema, empty)
    assert result.converged, "\n".join(result.problems)


def test_the_empty_schema_is_what_initdb_leaves() -> None:
    assert [str(o.id) for o in empty_schema()] == ["schema:public"]
    assert squash(empty_schema()) == ""


def _param(migration: Migration) -> object:
    if migration.id in NOT_CONVERGING:
        return pytest.param(migration, id=migration.id, marks=pytest.mark.xfail(
            strict=True, reason="listed in tests/verify_differences.txt"))  # fmt: skip
    return pytest.param(migration, id=migration.id)


def test_the_list_of_migrations_that_do_not_converge_names_real_ones() -> None:
    assert {m.id for m in MIGRATIONS} >= NOT_CONVERGING


@pytest.mark.parametrize("migration", [_param(m) for m in MIGRATIONS])
def test_a_pair_plan_replayed_by_the_interpreter_reaches_its_target(migration: Migration) -> None:
    old, new = pgdrift.load(migration.source), pgdrift.load(migration.target)
    options = {"renames": migration.renames} if migration.renames else {}
    result = verify(pgdrift.plan(pgdrift.diff(old, new, **options)), old, new, **options)
    assert result.converged, "\n".join(result.problems)


def test_verify_names_the_step_the_interpreter_cannot_follow() -> None:
    old = pgdrift.loads("CREATE TABLE public.t (id integer, note text);")
    new = pgdrift.loads("CREATE TABLE public.t (id integer);")
    the_plan = pgdrift.plan(pgdrift.diff(old, new))
    assert verify(the_plan, old, new).converged
    # A plan that is not the one from old to new: the difference it leaves is reported.
    wrong = pgdrift.plan(pgdrift.diff(old, old))
    result = verify(wrong, old, new)
    assert result.problems == ("after the plan, drop column:public.t.note (no step touches it)",)


def test_cli_squash_writes_the_script(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = FIXTURES / "ddl" / "folder_flyway" / "migrations"
    out = tmp_path / "schema.sql"
    assert cli.main(["squash", str(folder), "-o", str(out)]) == 0
    assert cli.main(["diff", "-q", "--ignore-owners", str(folder), str(out)]) == 0
    assert capsys.readouterr().out == "no differences between a and b\n"


def test_cli_squash_reports_errors_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.sql"
    bad.write_text("CREATE TABLE t (id int);\nALTER TABLE nope ADD COLUMN x int;\n", "utf-8")
    assert cli.main(["squash", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"pgdrift: {bad}:2:")


def test_cli_verify_passes_quietly_and_fails_with_the_step(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    passing = next(m for m in MIGRATIONS if m.id not in NOT_CONVERGING and not m.renames)
    status = cli.main(["diff", "--verify", "-q", str(passing.source), str(passing.target)])
    captured = capsys.readouterr()
    assert status == 1  # differences, as without --verify
    assert "reach B" in captured.err
    # A DO block in B is copied into the plan, and the interpreter cannot follow it.
    (tmp_path / "a.sql").write_text("CREATE TABLE t (id int);\n")
    (tmp_path / "b.sql").write_text(
        "CREATE TABLE t (id int);\n"
        "DO $$ BEGIN EXECUTE 'CREATE TABLE ' || current_setting('app.table'); END $$;\n"
    )
    status = cli.main(["diff", "--verify", str(tmp_path / "a.sql"), str(tmp_path / "b.sql")])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert captured.err.startswith("pgdrift: --verify: ")


def test_verify_replays_a_plan_as_run_by_the_owner_of_what_it_creates() -> None:
    # The planner counts on the creator's default privileges being the owner's: a table the
    # plan creates and gives to app_owner gets app_owner's defaults, so only the rest is
    # granted (planner.attributes); the replay must give them too.
    defaults = ("ALTER DEFAULT PRIVILEGES FOR ROLE app_owner IN SCHEMA public "
                "GRANT SELECT ON TABLES TO app_user;")  # fmt: skip
    old = pgdrift.loads(defaults, role="postgres")
    new = pgdrift.loads(
        defaults + "CREATE TABLE public.t (id int); ALTER TABLE public.t OWNER TO app_owner;"
        "GRANT INSERT ON public.t TO app_user;",
        role="postgres",
    )
    the_plan = pgdrift.plan(pgdrift.diff(old, new))
    assert not any("SELECT" in step.sql for step in the_plan.steps if "GRANT" in step.sql)
    assert verify(the_plan, old, new).converged
