"""The command line on bad input: exit status 2, one line per error, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pgdrift import cli
from test_robustness import CATALOGUE, TABLE


@pytest.fixture(autouse=True)
def _in_empty_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml settings from the repository


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, list[str]]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err.splitlines()


@pytest.mark.parametrize(("data", "error", "message"), CATALOGUE)
def test_inspect_exits_2_with_the_one_line_error_of_each_bad_input(
    data: bytes, error: type, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("dump.sql").write_bytes(data)
    status, out, err = run("inspect", "dump.sql", capsys=capsys)
    assert (status, out) == (2, "")
    [line] = err
    assert re.fullmatch("pgdrift: " + message, line)


@pytest.mark.parametrize(("data", "error", "message"), CATALOGUE)
def test_diff_exits_2_with_the_one_line_error_of_each_bad_input(
    data: bytes, error: type, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("dump.sql").write_bytes(data)
    Path("good.sql").write_text(TABLE, encoding="utf-8")
    status, out, err = run("diff", "good.sql", "dump.sql", capsys=capsys)
    assert (status, out) == (2, "")
    [line] = err
    assert re.fullmatch("pgdrift: " + message, line)


def test_keep_going_prints_one_line_per_error_and_the_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("dump.sql").write_text(
        TABLE
        + "CREATE TABLE public.u (a integer integer);\n"
        + "ALTER TABLE public.never OWNER TO app;\n"
        + "COMMENT ON TABLE public.t IS 'cut",
        encoding="utf-8",
    )
    status, out, err = run("inspect", "--keep-going", "dump.sql", capsys=capsys)
    assert status == 2
    assert "table:public.t" in out
    assert err == [
        'pgdrift: dump.sql:2:34: syntax error at or near "integer"',
        'pgdrift: dump.sql:3:1: ALTER ... OWNER TO: relation "public.never" does not exist',
        "pgdrift: dump.sql:4:30: unterminated quoted string starting at line 4",
    ]


def test_keep_going_diff_reports_the_changes_it_could_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("old.sql").write_text(TABLE, encoding="utf-8")
    Path("new.sql").write_text(
        TABLE + "CREATE TABLE public.u (b text);\nCOPY public.u (b) FROM stdin;\nx\n",
        encoding="utf-8",
    )
    status, out, err = run("diff", "--keep-going", "old.sql", "new.sql", capsys=capsys)
    assert status == 2
    assert "public.u" in out
    assert err == ["pgdrift: new.sql:4:1: unterminated COPY data starting at line 4"]


def test_an_encoding_option_reads_latin1(capsys: pytest.CaptureFixture[str]) -> None:
    Path("dump.sql").write_bytes(TABLE.encode() + b"COMMENT ON TABLE public.t IS 'caf\xe9';\n")
    status, _, err = run("inspect", "--encoding", "latin-1", "dump.sql", capsys=capsys)
    assert (status, err) == (0, [])


WORST = {
    "nested.sql": ("CREATE VIEW public.v AS SELECT " + "1 + " * 10_000 + "1;").encode(),
    "image.sql": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)),
    "line.sql": ("SELECT '" + "x" * 1_000_000).encode(),
    "cut.sql": b"CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $$ SELECT 1",
}


@pytest.mark.parametrize("name", sorted(WORST))
def test_the_installed_command_never_shows_a_traceback(name: str, tmp_path: Path) -> None:
    (tmp_path / name).write_bytes(WORST[name])
    (tmp_path / "good.sql").write_text(TABLE, encoding="utf-8")
    for argv in (["inspect", name], ["diff", "good.sql", name], ["inspect", "--keep-going", name]):
        result = subprocess.run(
            [sys.executable, "-m", "pgdrift.cli", *argv],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        assert result.returncode == 2, argv
        assert "Traceback" not in result.stderr
        assert "internal error" not in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert len(result.stderr) < 400


def test_inspect_lists_a_statement_it_does_not_model_with_its_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("dump.sql").write_text(TABLE + "ALTER SYSTEM SET work_mem = '1MB';\n", encoding="utf-8")
    status, out, err = run("inspect", "dump.sql", capsys=capsys)
    assert (status, err) == (0, [])
    assert (
        "  dump.sql:2:1: pgdrift does not model AlterSystemStmt statements: "
        "ALTER SYSTEM SET work_mem = '1MB'"
    ) in out.splitlines()


# pg_dumpall files --------------------------------------------------------------------------------

DUMPALL = Path(__file__).resolve().parent.parent / "fixtures" / "dumpall" / "dump.sql"


def test_inspect_of_a_pg_dumpall_file_without_database_shows_the_cluster(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run("inspect", str(DUMPALL), capsys=capsys)
    assert (status, err) == (0, [])
    assert "a pg_dumpall file of 4 databases" in out.splitlines()[0]
    assert "  alice" in out.splitlines()
    assert "  crm: schema 2, table 1, column 4, constraint 2, sequence 1, function 1, enum 1" in (
        out.splitlines()
    )
    assert "  template1: schema 1" in out.splitlines()


def test_inspect_of_a_pg_dumpall_file_as_json_lists_roles_and_counts_per_database(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run("inspect", "--format", "json", str(DUMPALL), capsys=capsys)
    data = json.loads(out)
    assert status == 0
    assert sorted(data) == ["databases", "roles", "source"]
    assert "reporting" in data["roles"]
    assert data["databases"]["inventory"] == {
        "schema": 1, "table": 1, "column": 3, "constraint": 2, "sequence": 1, "view": 1,
    }  # fmt: skip


def test_inspect_of_a_database_not_in_a_pg_dumpall_file_is_one_line_and_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run("inspect", "--database", "nope", str(DUMPALL), capsys=capsys)
    assert (status, out) == (2, "")
    assert err == [
        "pgdrift: database 'nope' is not in the input; it holds: "
        "template1, crm, inventory, postgres"
    ]
