"""``pgdrift lint``: exit status, the four formats (SARIF checked against the official SARIF
2.1.0 schema), settings from ``[tool.pgdrift.lint]``, errors as one line, and the reviewed
golden findings of the Supabase and LiveConvo fixtures.

Every test runs in its own empty directory, so no pyproject.toml of the checkout is picked up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import jsonschema
import pytest

from pgdrift import cli, config
from pgdrift.linter import LintOptions
from pgdrift.linter.output import FORMATS

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "fixtures" / "lint" / "dump.sql"
MIGRATION_A = ROOT / "fixtures" / "lint_migration" / "a" / "dump.sql"
MIGRATION_B = ROOT / "fixtures" / "lint_migration" / "b" / "dump.sql"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(autouse=True)
def _in_empty_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)


def run(*argv: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(["lint", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_exit_status_follows_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = _write(tmp_path / "clean.sql", "CREATE TABLE public.t (id int PRIMARY KEY);\n")
    info_only = _write(tmp_path / "info.sql", "CREATE TABLE public.t (id int PRIMARY KEY);\n"
                       "ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;\n")  # fmt: skip
    assert run(clean, capsys=capsys)[0] == 0
    assert run(info_only, capsys=capsys)[0] == 0
    assert run(info_only, "--fail-on", "info", capsys=capsys)[0] == 1
    assert run(LINT, capsys=capsys)[0] == 1
    assert run(LINT, "--fail-on", "never", capsys=capsys)[0] == 0
    # Without the preset, the fixture's only errors are PD211 and PD203.
    assert run(LINT, "--fail-on", "error", "--ignore", "PD211,PD203", capsys=capsys)[0] == 0


def test_trouble_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(tmp_path / "missing.sql", capsys=capsys)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("pgdrift: ")
    status, _, err = run(LINT, "--select", "PD999", capsys=capsys)
    assert status == 2
    assert "unknown rule 'PD999'" in err
    status, _, err = run(LINT, "--migration", capsys=capsys)
    assert status == 2
    assert "needs two schemas" in err


def test_text_is_grouped_by_file_and_coloured_only_when_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(LINT, "--preset", "supabase", capsys=capsys)
    assert out.splitlines()[0] == str(LINT)
    assert "\033[" not in out
    assert out.rstrip().splitlines()[-1].startswith(f"{out.count('(docs/lint.md#')} findings (")
    _, coloured, _ = run(LINT, "--color", "always", capsys=capsys)
    assert "\033[31merror\033[0m PD211" in coloured


def test_json_is_versioned_and_lists_every_finding(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(LINT, "--preset", "supabase", "--format", "json", capsys=capsys)
    data = json.loads(out)
    assert data["version"] == 1
    assert data["tool"]["name"] == "pgdrift"
    first = data["findings"][0]
    assert set(first) == {"code", "name", "severity", "message", "object", "file", "line",
                          "remediation", "docs"}  # fmt: skip
    assert first["docs"] == f"docs/lint.md#{first['code'].lower()}"


def test_sarif_validates_against_the_sarif_2_1_0_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(LINT, "--preset", "supabase", "--select", "ALL", "--format", "sarif",
                    capsys=capsys)  # fmt: skip
    log = json.loads(out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    results = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert results
    lines = LINT.read_text(encoding="utf-8").splitlines()
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        place = result["locations"][0]["physicalLocation"]
        assert place["artifactLocation"]["uri"] == str(LINT)
        assert lines[place["region"]["startLine"] - 1].strip()


def test_sarif_check_would_catch_a_malformed_log() -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema, cls=jsonschema.Draft4Validator)


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(LINT, "--format", "github", "--select", "PD102", capsys=capsys)
    line = next(x for x in out.splitlines() if "PD102" in x)
    assert line.startswith(f"::warning file={LINT},line=")
    assert line.endswith("::table private.nopk_bad has no primary key")


def test_migration_mode_lints_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run("--migration", MIGRATION_A, MIGRATION_B, "--format", "json",
                         capsys=capsys)  # fmt: skip
    assert status == 1
    codes = {f["code"] for f in json.loads(out)["findings"]}
    assert codes == {"PD401", "PD402", "PD403", "PD404", "PD405", "PD406", "PD407", "PD410"}


def test_settings_come_from_tool_pgdrift_lint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "pyproject.toml", """
[tool.pgdrift]
exclude_schemas = ["auth"]

[tool.pgdrift.lint]
preset = "supabase"
ignore = ["PD102"]
severity = { PD101 = "error" }
exclude = ["private.fk_partial_*"]
format = "json"
fail_on = "error"
""")
    status, out, _ = run(LINT, capsys=capsys)
    found = json.loads(out)["findings"]
    codes = {f["code"] for f in found}
    assert "PD102" not in codes
    assert "PD201" in codes
    assert {f["severity"] for f in found if f["code"] == "PD101"} == {"error"}
    assert not [f for f in found if "fk_partial" in f["object"]]
    assert status == 1
    # The command line wins over the file.
    status, out, _ = run(LINT, "--format", "github", "--fail-on", "never", capsys=capsys)
    assert (status, out[:2]) == (0, "::")


@pytest.mark.parametrize(("table", "message"), [
    ("[tool.pgdrift.lint]\nunknown = 1\n", "unknown key 'unknown'"),
    ("[tool.pgdrift.lint]\nfail_on = \"sometimes\"\n", "fail_on must be one of"),
    ("[tool.pgdrift.lint]\nseverity = { PD101 = \"fatal\" }\n", "severity must map"),
    ("[tool.pgdrift.lint]\nignore = [1]\n", "ignore must be a list of strings"),
])  # fmt: skip
def test_bad_lint_settings_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    _write(tmp_path / "pyproject.toml", table)
    status, _, err = run(LINT, capsys=capsys)
    assert status == 2
    assert message in err
    assert err.count("\n") == 1


def test_lint_keys_are_the_lint_options_and_the_commands_settings() -> None:
    fields = {f.name for f in attrs.fields(LintOptions)}
    assert set(config.LINT_KEYS) == fields | {"fail_on", "format"}
    assert config.LINT_CHOICES["format"] == FORMATS


def test_lint_help_loads_neither_the_parser_nor_the_rules() -> None:
    code = (
        "import sys\n"
        "from pgdrift import cli\n"
        "try:\n"
        "    cli.main(['lint', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'pglast', 'pgdrift.linter', 'pgdrift.model'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=env)


# Golden findings, reviewed: see tests/golden/lint/README.md for the review of each.
GOLDEN_CASES = {
    "supabase": (ROOT / "fixtures" / "supabase" / "dump.sql", ["--preset", "supabase"]),
    "liveconvo_dev": (ROOT / "fixtures" / "liveconvo" / "dev" / "dump.sql",
                      ["--preset", "supabase"]),
    "liveconvo_prod": (ROOT / "fixtures" / "liveconvo" / "prod" / "dump.sql",
                       ["--preset", "supabase"]),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(GOLDEN_CASES))
def test_findings_match_the_reviewed_golden(
    case: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    golden: Callable[[str, str], None],
) -> None:
    dump, flags = GOLDEN_CASES[case]
    monkeypatch.chdir(ROOT)  # paths in the report relative to the checkout
    _, out, _ = run(dump.relative_to(ROOT), *flags, "--color", "never", capsys=capsys)
    golden(f"lint/{case}.txt", out)


def test_output_file_and_standard_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io  # noqa: PLC0415

    target = tmp_path / "lint.json"
    status, out, _ = run(LINT, "--format", "json", "-o", target, capsys=capsys)
    assert (status, out) == (1, "")
    assert json.loads(target.read_text(encoding="utf-8"))["findings"]
    stdin = io.TextIOWrapper(io.BytesIO(b"CREATE TABLE public.t (id int);\n"))
    monkeypatch.setattr("sys.stdin", stdin)
    status, out, _ = run("-", "--format", "github", capsys=capsys)
    assert status == 1
    assert out.startswith("::warning file=<stdin>,line=1,title=PD102")
    status, _, err = run("-", "-", capsys=capsys)
    assert status == 2
    assert "only one SCHEMA can be -" in err
