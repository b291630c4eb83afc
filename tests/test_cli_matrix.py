"""``pgdrift matrix``: exit status, formats, labels, the diff options, settings from
pyproject.toml, and errors as one line.

Every test runs in its own empty directory (no pyproject.toml of the checkout is picked up),
except the golden one, which runs from the checkout to print the fixtures' paths as given.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgdrift import cli
from pgdrift.cli import cmd_matrix
from pgdrift.drift_matrix import MATRIX_FORMATS

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "matrix"
DUMPS = [f"fixtures/liveconvo/{env}/dump.sql" for env in ("dev", "staging", "prod")]

BASE = "CREATE TABLE public.t (id integer NOT NULL, name text);\n"
WIDER = "CREATE TABLE public.t (id bigint NOT NULL, name text);\n"


@pytest.fixture(autouse=True)
def _in_empty_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(["matrix", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def write(name: str, text: str) -> str:
    Path(name).write_text(text, encoding="utf-8")
    return name


def test_exit_status_is_0_and_no_drift_when_every_environment_is_the_same(
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, b, c = (write(f"{n}.sql", BASE) for n in "abc")
    status, out, err = run(a, b, c, "--labels", "dev,staging,prod", capsys=capsys)
    assert (status, err) == (0, "")
    assert out == "no drift across dev, staging, prod: every object is the same in all of them\n"


def test_exit_status_is_1_when_some_object_differs(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(write("a.sql", BASE), write("b.sql", WIDER), write("c.sql", BASE),
                         capsys=capsys)  # fmt: skip
    assert status == 1
    assert out.splitlines()[0] == "1 object differs across a, b, c"
    assert "  1  2  1  column id" in out.splitlines()


def test_the_liveconvo_markdown_matrix_is_the_golden_report(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    status, out, err = run(*DUMPS, "--labels", "dev,staging,prod", "--format", "markdown",
                           "--detect-renames", "--detail", "--no-cache", capsys=capsys)  # fmt: skip
    assert (status, err) == (1, "")
    assert out == (GOLDEN / "liveconvo.md").read_text(encoding="utf-8")
    status, out, _ = run(*DUMPS, "--labels", "dev,staging,prod", capsys=capsys)
    assert out == (GOLDEN / "liveconvo.txt").read_text(encoding="utf-8")


def test_json_goes_to_the_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    a, b = write("a.sql", BASE), write("b.sql", WIDER)
    status, out, _ = run(a, b, "--format", "json", "--output", "drift.json", capsys=capsys)
    assert (status, out) == (1, "")
    data = json.loads(Path("drift.json").read_text(encoding="utf-8"))
    assert data["sources"] == ["a.sql", "b.sql"]
    assert [row["cells"] for row in data["rows"]] == [[1, 2]]


def test_detail_adds_what_differs_between_variants(capsys: pytest.CaptureFixture[str]) -> None:
    a, b = write("a.sql", BASE), write("b.sql", WIDER)
    _, plain, _ = run(a, b, capsys=capsys)
    _, detailed, _ = run(a, b, "--detail", capsys=capsys)
    assert "1 -> 2: type integer -> bigint" not in plain
    assert "1 -> 2: type integer -> bigint" in detailed


def test_diff_options_apply(capsys: pytest.CaptureFixture[str]) -> None:
    a = write("a.sql", BASE + "CREATE SCHEMA audit;\nCREATE TABLE audit.log (id bigint);\n")
    b = write("b.sql", BASE)
    assert run(a, b, "--exclude-schema", "audit", capsys=capsys)[0] == 0
    c = write("c.sql", BASE.replace("name text", "full_name text"))
    status, out, _ = run(b, c, "--rename", "t.name=full_name", capsys=capsys)
    assert status == 1
    assert "> b: as full_name" in out


def test_pyproject_diff_options_apply_but_not_its_pair_of_labels(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write("pyproject.toml", '[tool.pgdrift]\nexclude_schemas = ["audit"]\n'
                            'labels = ["old", "new"]\nformat = "sql"\n')  # fmt: skip
    a = write("a.sql", BASE + "CREATE SCHEMA audit;\nCREATE TABLE audit.log (id bigint);\n")
    b = write("b.sql", BASE)
    status, out, _ = run(a, b, b, capsys=capsys)
    assert (status, out) == (0, "no drift across a, b, c: every object is the same in all of "
                                "them\n")  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), [
    (["--labels", "dev,prod"], "pgdrift: --labels: 3 environments need 3 labels, got 2: "
                               "dev, prod\n"),
    (["--labels", "dev,dev,prod"], "pgdrift: --labels: labels must differ; repeated: dev\n"),
    (["--labels", "dev,,prod"], "pgdrift: --labels: labels cannot be empty: dev, , prod\n"),
])  # fmt: skip
def test_wrong_labels_are_one_clear_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    a = write("a.sql", BASE)
    status, out, err = run(a, a, a, *argv, capsys=capsys)
    assert (status, out, err) == (2, "", message)


def test_one_environment_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(write("a.sql", BASE), capsys=capsys)
    assert (status, out) == (2, "")
    assert err == ("pgdrift: matrix compares two environments or more: give at least two "
                   "SCHEMAs\n")  # fmt: skip


def test_a_missing_file_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(write("a.sql", BASE), "missing.sql", capsys=capsys)
    assert (status, out) == (2, "")
    assert err.startswith("pgdrift: ")
    assert "missing.sql" in err
    assert err.count("\n") == 1


def test_only_one_environment_reads_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run("-", "-", capsys=capsys)
    assert (status, err) == (2, "pgdrift: only one SCHEMA can be - (standard input)\n")


def test_keep_going_reports_the_errors_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    copy = "CREATE TABLE public.u (b text);\nCOPY public.u (b) FROM stdin;\nx\n"
    bad = write("bad.sql", BASE + copy)
    status, out, err = run(write("a.sql", BASE), bad, "--keep-going", capsys=capsys)
    assert status == 2
    assert "table public.u" in out
    assert err == "pgdrift: bad.sql:4:1: unterminated COPY data starting at line 4\n"


def test_the_formats_are_in_step_with_the_renderer() -> None:
    assert cmd_matrix.MATRIX_FORMATS == MATRIX_FORMATS


def test_matrix_is_listed_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out, _ = capsys.readouterr()
    assert "compare several environments" in out
