"""The GitHub Action: its entry point (``python -m pgdrift.ci.github_action``) run on fixture
pairs with ``GITHUB_STEP_SUMMARY`` and ``GITHUB_OUTPUT`` pointing at temporary files, and
``action.yml``'s own command run by bash as the runner would run it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pgdrift.ci import github_action

ROOT = Path(__file__).resolve().parent.parent
DEV = "fixtures/liveconvo/dev/dump.sql"
PROD = "fixtures/liveconvo/prod/dump.sql"
PAIRS = "fixtures/pairs"


@pytest.fixture
def job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A job's files: the step summary (holding an earlier step's) and the outputs."""
    monkeypatch.chdir(ROOT)
    files = {"summary": tmp_path / "summary.md", "output": tmp_path / "output.txt"}
    files["summary"].write_text("from an earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(files["summary"]))
    monkeypatch.setenv("GITHUB_OUTPUT", str(files["output"]))
    return files


def outputs(job: dict[str, Path]) -> dict[str, str]:
    lines = job["output"].read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = github_action.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_drift_fails_the_step_and_the_job_gets_summary_annotations_and_outputs(
    job: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "--old", DEV, "--new", PROD, "--args=--labels dev,prod",
                           "--fail-on", "drift")  # fmt: skip
    assert status == 1
    assert err == "pgdrift: 82 differences (fail-on: drift)\n"
    lines = out.splitlines()
    assert lines[0] == "::error title=pgdrift::82 differences (fail-on: drift)"
    assert lines[1].startswith(
        f"::warning file={PROD},line=101,title=pgdrift%3A 1 difference%2C "
        "security-relevant::+ function public.handle_new_user_referral()"
    )
    assert all(line.startswith("::warning file=fixtures/liveconvo/") for line in lines[1:])
    summary = job["summary"].read_text(encoding="utf-8")
    assert summary.startswith("from an earlier step\n# Schema differences: dev vs prod\n")
    assert outputs(job) == {"changes": "82", "security": "1", "hazards": "18", "findings": ""}


def test_no_drift_passes_with_zero_counts(
    job: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "--old", DEV, "--new", DEV, "--fail-on", "drift")
    assert (status, out, err) == (0, "", "")
    assert outputs(job) == {"changes": "0", "security": "0", "hazards": "0", "findings": ""}
    assert job["summary"].read_text(encoding="utf-8").endswith("no differences between a and b\n")


def test_report_only_by_default(job: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--old", DEV, "--new", PROD)
    assert status == 0
    assert "::error" not in out


@pytest.mark.parametrize(
    ("pair", "fail_on", "status"),
    [
        ("column_drop", "deletes_data", 1),
        ("column_drop", "rewrites_table,strong_lock", 0),
        ("column_add_nullable", "deletes_data rewrites_table", 0),
        ("column_type_integer_to_bigint", "rewrites_table", 1),
    ],
)
def test_fail_on_hazard_kinds_reads_the_migration_plan(
    job: dict[str, Path], capsys: pytest.CaptureFixture[str], pair: str, fail_on: str, status: int
) -> None:
    got, out, err = run(capsys, "--old", f"{PAIRS}/{pair}/a/dump.sql",
                        "--new", f"{PAIRS}/{pair}/b/dump.sql", "--fail-on", fail_on)  # fmt: skip
    assert got == status, err
    assert int(outputs(job)["hazards"]) >= status
    if status:
        assert re.match(r"pgdrift: 1 migration step carries \w+, the first: ALTER TABLE ", err)
        assert out.startswith("::error title=pgdrift::1 migration step carries ")


def test_lint_adds_its_annotations_summary_section_and_count(
    job: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "--old", PROD, "--new", PROD, "--lint", "true",
                         "--fail-on", "lint:error")  # fmt: skip
    assert status == 0
    assert outputs(job)["findings"] == "10"
    assert f"::warning file={PROD},line=39,title=PD212 function-search-path-mutable::" in out
    summary = job["summary"].read_text(encoding="utf-8")
    assert f"## Lint of {PROD}\n\n10 findings (8 warnings, 2 infos):\n" in summary
    # lint:SEVERITY fails at that severity or above, and turns lint on by itself.
    status, out, err = run(capsys, "--old", PROD, "--new", PROD, "--fail-on", "lint:warning")
    assert status == 1
    assert err == "pgdrift: 8 lint findings at warning or above (fail-on: lint:warning)\n"


def test_old_side_from_git_is_annotated_at_its_path(
    job: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    if subprocess.run(["git", "cat-file", "-e", f"HEAD:{DEV}"], cwd=ROOT,
                      capture_output=True, check=False).returncode:  # fmt: skip
        pytest.skip("needs a git checkout holding the LiveConvo fixtures")
    status, out, _ = run(capsys, "--old", f"HEAD:{DEV}", "--new", PROD)
    assert status == 0
    assert f"::warning file={DEV},line=288," in out
    assert "HEAD:" not in out


def test_bad_inputs_are_one_line_errors(
    job: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "--old", DEV, "--new", PROD, "--fail-on", "drift,everything")
    assert status == 2
    assert err.startswith("pgdrift: fail-on: unknown condition 'everything'; known: drift, ")
    assert err.count("\n") == 1
    status, _, err = run(capsys, "--old", DEV, "--new", "missing.sql")
    assert status == 2
    assert err.count("\n") == 1
    assert "missing.sql" in err
    status, _, err = run(capsys, "--old", DEV, "--new", PROD, "--args=--labels 'dev")
    assert status == 2
    assert err.startswith("pgdrift: args: ")


# action.yml ------------------------------------------------------------------------------------

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_action_declares_the_inputs_and_outputs_the_entry_point_serves() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"old", "new", "args", "fail-on", "lint"}
    assert ACTION["inputs"]["old"]["required"] is True
    for name in ("changes", "security", "hazards", "findings"):
        assert ACTION["outputs"][name]["value"] == f"${{{{ steps.pgdrift.outputs.{name} }}}}"
    install = ACTION["runs"]["steps"][0]
    assert "pip install" in install["run"]
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"


def test_the_actions_command_runs_the_entry_point_as_the_runner_would(tmp_path: Path) -> None:
    """The compare step's script, run by bash with its env resolved from the inputs, and the
    venv the install step makes standing in for this Python."""
    step = ACTION["runs"]["steps"][1]
    assert step["id"] == "pgdrift"
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    inputs.update({"old": DEV, "new": PROD, "args": "--labels 'dev side,prod side'",
                   "fail-on": "drift", "lint": "true"})  # fmt: skip
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path),
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
           "PYTHONPATH": str(ROOT / "src")}  # fmt: skip
    for name, value in step["env"].items():
        match = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", value)
        assert match is not None, value
        env[name] = inputs[match.group(1)]
    python = tmp_path / "pgdrift-action" / "bin" / "python"
    python.parent.mkdir(parents=True)
    # A wrapper rather than a symlink: a symlinked venv interpreter in a folder without
    # pyvenv.cfg starts as the base Python, without the packages this one has.
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    result = subprocess.run(["bash", "-c", step["run"]], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=False)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("::error title=pgdrift::82 differences (fail-on: drift)\n")
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# Schema differences: dev side vs prod side\n")
    assert f"## Lint of {PROD}" in summary
    written = (tmp_path / "output.txt").read_text(encoding="utf-8")
    assert written == "changes=82\nsecurity=1\nhazards=18\nfindings=10\n"


# docs/ci.md stays true ----------------------------------------------------------------------------

CI_DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def test_the_documented_workflow_uses_only_the_actions_inputs_and_outputs() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", CI_DOC, re.S)
    workflow = yaml.safe_load(next(b for b in blocks if "jobs:" in b))
    steps = workflow["jobs"]["pgdrift"]["steps"]
    ours = next(step for step in steps if "/pgdrift@" in step.get("uses", ""))
    assert set(ours["with"]) <= set(ACTION["inputs"])
    used = set(re.findall(r"steps\.schema\.outputs\.(\w+)", yaml.safe_dump(steps)))
    assert used
    assert used <= set(ACTION["outputs"])
    for name in ACTION["inputs"]:
        assert f"`{name}`" in CI_DOC


def test_the_documented_annotations_are_real_output() -> None:
    quoted = [line for line in CI_DOC.splitlines() if line.startswith("::warning")]
    assert quoted
    golden = (ROOT / "tests" / "golden" / "diff" / "liveconvo-github.txt").read_text("utf-8")
    assert all(line in golden.splitlines() for line in quoted)
