"""A directory as input: migration files in the order their tool applies them. The fixture
folders were applied by the real PostgreSQL in that order (their source.sql spells it out)
and dumped; pgdrift reading the folder, finding the order itself, must equal the dump."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift import cli
from pgdrift.reader.migrations import migration_files, migration_key

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# Where each tool keeps its files: migrations/ (Flyway, golang-migrate, Prisma, sqitch),
# db/migrations/ (dbmate), supabase/migrations/ (the Supabase CLI).
LAYOUTS = ("migrations", "db/migrations", "supabase/migrations")
FOLDERS = sorted(
    case
    for case in (FIXTURES / "ddl").glob("folder_*/")
    if any((case / layout).is_dir() for layout in LAYOUTS)
)


def _migrations(case: Path) -> Path:
    return next(case / layout for layout in LAYOUTS if (case / layout).is_dir())


# Folders not read as PostgreSQL made them yet share the list of tests/test_ddl_sources.py
# (their source.sql includes the same files): strict xfails, so the list only shrinks.
KNOWN = {
    line.strip()
    for line in (ROOT / "tests" / "ddl_source_differences.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
}


def _folder(case: Path) -> object:
    if f"ddl/{case.name}" in KNOWN:
        return pytest.param(case, id=case.name, marks=pytest.mark.xfail(
            strict=True, reason="listed in tests/ddl_source_differences.txt"))  # fmt: skip
    return pytest.param(case, id=case.name)


@pytest.mark.parametrize("case", [_folder(c) for c in FOLDERS])
def test_a_migration_folder_loads_equal_to_the_real_dump_of_its_replay(case: Path) -> None:
    # A sqitch project's deploy scripts are ordered by its plan (--order sqitch.plan).
    plan = case / "sqitch.plan"
    folder = pgdrift.load(_migrations(case), order=str(plan) if plan.exists() else None)
    dump = pgdrift.load(case / "dump.sql")
    # Migrations do not say who owns what, the dump does: an owner left unknown is not compared.
    assert not pgdrift.diff(dump, folder)


def test_the_fixture_folders_cover_every_tool_shape() -> None:
    assert len(FOLDERS) >= 30
    shapes = {p.name.split("_")[1] for p in FOLDERS}
    assert shapes >= {"flyway", "golang", "supabase", "prisma", "timestamps", "sqitch", "dbmate"}


def test_flyway_order_is_numeric_repeatables_last_and_undo_never() -> None:
    names = [p.name for p in migration_files(FIXTURES / "ddl" / "folder_flyway" / "migrations")]
    assert names == ["V1__init.sql", "V1.1__order_index.sql", "V2__status.sql",
                     "V10__cleanup.sql", "R__functions.sql"]  # fmt: skip


def test_golang_migrate_reads_up_files_and_skips_down_files() -> None:
    folder = FIXTURES / "ddl" / "folder_golang_migrate" / "migrations"
    assert [p.name for p in migration_files(folder)] == [
        "000001_create_users.up.sql", "000002_posts.up.sql", "000003_drop_drafts.up.sql",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "ordered",
    [
        ["20240101120000_a.sql", "20240102090000_b.sql", "20241231235959_c.sql"],
        ["1_a.up.sql", "2_b.up.sql", "10_c.up.sql"],
        ["V1__a.sql", "V1_1__b.sql", "V1.2__c.sql", "V2__d.sql"],
        ["0001_init.sql", "0002_more.sql", "schema_extra.sql"],
    ],
)
def test_versions_compare_as_numbers_and_unversioned_files_come_last(ordered: list[str]) -> None:
    rotated = [*ordered[1:], ordered[0]]
    assert sorted(rotated, key=migration_key) == ordered


def test_dbmate_files_are_read_up_sections_only(tmp_path: Path) -> None:
    (tmp_path / "20240101000000_users.sql").write_text(
        "-- migrate:up\nCREATE TABLE users (id integer);\n\n-- migrate:down\nDROP TABLE users;\n"
    )
    (tmp_path / "20240102000000_posts.sql").write_text(
        "-- migrate:up\nCREATE TABLE posts (user_id integer);\n-- migrate:down\nDROP TABLE posts;\n"
    )
    schema = pgdrift.load(tmp_path)
    assert sorted(schema.tables) == ["public.posts", "public.users"]


def test_prisma_folders_are_read_through_their_migration_sql(tmp_path: Path) -> None:
    for name, sql in [
        ("20240102000000_rename", "ALTER TABLE t RENAME COLUMN a TO b;"),
        ("20240101000000_init", "CREATE TABLE t (a integer);"),
    ]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "migration.sql").write_text(sql + "\n")
    (tmp_path / "migration_lock.toml").write_text('provider = "postgresql"\n')
    schema = pgdrift.load(tmp_path)
    assert schema.tables["public.t"].columns.names() == ("b",)


def test_an_error_names_the_migration_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "1_a.up.sql").write_text("CREATE TABLE t (a integer);\n")
    (tmp_path / "2_b.up.sql").write_text("\n\nDROP TABLE nothing;\n")
    with pytest.raises(pgdrift.UndefinedObjectError) as raised:
        pgdrift.load(tmp_path)
    assert raised.value.one_line().startswith(f"{tmp_path / '2_b.up.sql'}:3:1: ")


def test_a_directory_without_sql_files_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing\n")
    with pytest.raises(pgdrift.InputError, match=r"no \.sql files"):
        pgdrift.load(tmp_path)


def test_the_cli_diffs_a_folder_against_a_dump(capsys: pytest.CaptureFixture[str]) -> None:
    case = FIXTURES / "ddl" / "folder_golang_migrate"
    status = cli.main(["diff", "--ignore-owners", str(case / "migrations"), str(case / "dump.sql")])
    out = capsys.readouterr().out
    assert status == 0, out
    changed = cli.main(
        ["diff", str(case / "migrations"), str(FIXTURES / "ddl" / "alter" / "dump.sql")]
    )
    assert changed == 1
