"""Several files as one side: a directory, a glob, a list of paths, a directory in git; the
order they apply in (``--order``); and the report of which files were read, in which order."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import pgdrift
from pgdrift import cli
from pgdrift.errors import InputError
from pgdrift.reader.migrations import ordered_files

INIT = "CREATE TABLE public.t (id integer);\n"
MORE = "ALTER TABLE public.t ADD COLUMN note text;\n"
LAST = "CREATE INDEX t_note ON public.t (note);\nCOMMENT ON COLUMN public.t.note IS 'why';\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "V1__init.sql").write_text(INIT, encoding="utf-8")
    (migrations / "V2__more.sql").write_text(MORE, encoding="utf-8")
    (migrations / "V10__last.sql").write_text(LAST, encoding="utf-8")
    return migrations


def names(schema: pgdrift.Schema) -> list[str]:
    return [Path(name).name for name in schema.inputs]


def test_a_directory_says_which_files_it_read_in_version_order(folder: Path) -> None:
    schema = pgdrift.load(folder)
    # Versions compare as numbers: V10 after V2, though "V10" < "V2" as text.
    assert names(schema) == ["V1__init.sql", "V2__more.sql", "V10__last.sql"]
    assert "index:public.t_note" in schema


def test_a_single_file_lists_no_inputs(folder: Path) -> None:
    assert pgdrift.load(folder / "V1__init.sql").inputs == ()


def test_a_glob_reads_what_it_matches_in_version_order(folder: Path) -> None:
    schema = pgdrift.load(str(folder / "V[12]__*.sql"))
    assert names(schema) == ["V1__init.sql", "V2__more.sql"]
    assert schema.tables["public.t"].columns.names() == ("id", "note")
    assert schema.source == str(folder / "V[12]__*.sql")


def test_a_glob_that_matches_nothing_is_an_input_error(folder: Path) -> None:
    with pytest.raises(InputError, match="no file matches this pattern"):
        pgdrift.load(str(folder / "*.psql"))


def test_a_list_of_paths_is_read_in_the_order_given(folder: Path, tmp_path: Path) -> None:
    extra = tmp_path / "seed_schema.sql"
    extra.write_text("CREATE SCHEMA app;\n", encoding="utf-8")
    schema = pgdrift.load([folder, extra])
    assert names(schema) == ["V1__init.sql", "V2__more.sql", "V10__last.sql", "seed_schema.sql"]
    assert "schema:app" in schema
    assert pgdrift.load([extra, folder / "V1__init.sql"]).inputs[0] == str(extra)


def test_an_empty_list_is_an_input_error() -> None:
    with pytest.raises(InputError, match="list of paths is empty"):
        pgdrift.load([])


def test_order_name_is_plain_name_order_and_can_break_a_folder(folder: Path) -> None:
    # By name V10 comes before V1 and V2: the index is made before its table exists.
    assert ordered_files(sorted(folder.iterdir()), "name")[0].name == "V10__last.sql"
    with pytest.raises(pgdrift.Error, match=r'relation "public\.t" does not exist'):
        pgdrift.load(folder, order="name")


def test_an_order_file_lists_the_files(folder: Path, tmp_path: Path) -> None:
    listing = tmp_path / "order.txt"
    listing.write_text("# applied by hand\nV1__init.sql\n\nV2__more\nV10__last.sql extra words\n",
                       encoding="utf-8")  # fmt: skip
    assert names(pgdrift.load(folder, order=str(listing))) == [
        "V1__init.sql", "V2__more.sql", "V10__last.sql"]  # fmt: skip


@pytest.mark.parametrize(
    ("listing", "message"),
    [
        ("V1__init.sql\nV2__more.sql\n", r"does not list .*V10__last\.sql"),
        ("V1__init.sql\nV9__nope.sql\n", r"order\.txt:2: V9__nope\.sql is not one of the files"),
        ("V1__init.sql\nV1__init.sql\n", r"order\.txt:2: V1__init\.sql is listed twice"),
    ],
)
def test_an_order_file_that_does_not_match_the_files_is_an_error(
    folder: Path, tmp_path: Path, listing: str, message: str
) -> None:
    (tmp_path / "order.txt").write_text(listing, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        pgdrift.load(folder, order=str(tmp_path / "order.txt"))


def test_an_order_that_is_neither_a_name_nor_a_file_says_so(folder: Path) -> None:
    with pytest.raises(InputError, match="not version, name, and not a file"):
        pgdrift.load(folder, order="newest")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_text_report_lists_the_files_each_side_read(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "diff", "--labels", "script,migrations",
                         str(folder / "V1__init.sql"), str(folder))  # fmt: skip
    assert status == 1
    head = out.splitlines()[:5]
    assert head == [
        "migrations: 3 files read, in this order:",
        f"  1. {folder / 'V1__init.sql'}",
        f"  2. {folder / 'V2__more.sql'}",
        f"  3. {folder / 'V10__last.sql'}",
        "",
    ]
    # -q prints the counts line only.
    assert run(capsys, "diff", "-q", str(folder / "V1__init.sql"), str(folder))[1].count("\n") == 1


def test_the_json_report_and_inspect_list_the_files(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "diff", "--format", "json", str(folder / "V1__init.sql"), str(folder))
    document = json.loads(out)
    assert document["inputs"][0] == []
    assert [Path(p).name for p in document["inputs"][1]] == [
        "V1__init.sql", "V2__more.sql", "V10__last.sql"]  # fmt: skip
    _, out, _ = run(capsys, "inspect", str(folder))
    assert f"files read, in this order (3):\n  {folder / 'V1__init.sql'}\n" in out
    _, out, _ = run(capsys, "inspect", "--format", "json", str(folder))
    assert len(json.loads(out)["inputs"]) == 3


def test_the_cli_order_option_and_glob(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "diff", "--order", "name", str(folder), str(folder))
    assert status == 2
    assert err.startswith("pgdrift: ")
    assert "V10__last.sql:1:" in err
    status, out, _ = run(capsys, "diff", "-q", str(folder / "V*.sql"), str(folder))
    assert (status, out) == (0, "no differences between a and b\n")


@pytest.fixture
def repo(tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose db/migrations gains a file after the first commit."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path / "repo"
    (work / "db" / "migrations").mkdir(parents=True)
    shutil.copy(folder / "V1__init.sql", work / "db" / "migrations")

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                       cwd=work, check=True, capture_output=True)  # fmt: skip

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "init")
    shutil.copy(folder / "V2__more.sql", work / "db" / "migrations")
    monkeypatch.chdir(work)
    return work


def test_a_directory_at_a_git_revision(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "diff", "HEAD:db/migrations", "db/migrations")
    assert status == 1
    assert out.splitlines()[:2] == ["a: 1 file read, in this order:",
                                    "  1. HEAD:db/migrations/V1__init.sql"]  # fmt: skip
    assert "+ column note" in out
    # git reads REV:path from the top of the work tree, and REV:./path from here, as git show.
    monkeypatch_dir = repo / "db"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(monkeypatch_dir)
        assert run(capsys, "diff", "-q", "HEAD:db/migrations", "migrations")[0] == 1
        assert run(capsys, "diff", "-q", "HEAD:./migrations", "HEAD:db/migrations")[0] == 0


def test_a_git_directory_without_sql_files_names_the_revision(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "diff", "HEAD:db", "db/migrations")
    assert status == 2
    assert err == "pgdrift: HEAD:db: no .sql files to read in this directory\n"


def test_pyproject_sets_the_order(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    (tmp_path / "pyproject.toml").write_text('[tool.pgdrift]\norder = "name"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "diff", "-q", "migrations", "migrations")[0] == 2
    assert run(capsys, "diff", "-q", "--order", "version", "migrations", "migrations")[0] == 0
