"""The hooks of ``.pre-commit-hooks.yaml``, run as pre-commit runs them: the hook's entry, then
its args, then the staged files its ``files`` pattern matches — on the fixtures.

pre-commit runs the entry inside the hook's own virtualenv, where ``python`` and ``pgdrift`` are
that environment's; here they are this interpreter running this source tree.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HOOKS = {hook["id"]: hook for hook in
         yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}  # fmt: skip
DEV = "fixtures/liveconvo/dev/dump.sql"
PROD = "fixtures/liveconvo/prod/dump.sql"
FLYWAY = "fixtures/ddl/folder_flyway"


def run_hook(hook_id: str, args: list[str], staged: list[str]) -> subprocess.CompletedProcess[str]:
    """The hook on the staged files its pattern selects, as pre-commit would call it."""
    hook = HOOKS[hook_id]
    files = [f for f in staged if re.search(hook["files"], f)]
    entry = shlex.split(hook["entry"])
    if entry[0] == "python":
        command = [sys.executable, *entry[1:]]
    else:
        assert entry[0] == "pgdrift"
        command = [sys.executable, "-m", "pgdrift.cli", *entry[1:]]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    return subprocess.run([*command, *hook.get("args", []), *args, *files], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


def test_hooks_are_python_hooks_that_pre_commit_can_install() -> None:
    assert set(HOOKS) == {"pgdrift-drift", "pgdrift-lint"}
    for hook in HOOKS.values():
        assert hook["language"] == "python"
        assert {"id", "name", "entry", "files", "description"} <= set(hook)
        assert re.search(hook["files"], "db/schema.sql")
        assert re.search(hook["files"], "db/schema.sql.gz")
        assert not re.search(hook["files"], "README.md")


def test_drift_hook_passes_a_dump_that_matches(tmp_path: Path) -> None:
    other = tmp_path / "dev.sql"
    other.write_bytes((ROOT / DEV).read_bytes())
    result = run_hook("pgdrift-drift", ["--against", str(other)], [DEV, "README.md"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"no differences between {DEV} and {other}\n"
    # The file it is checked against is no dump to check: nothing to do.
    result = run_hook("pgdrift-drift", ["--against", DEV], [DEV])
    assert (result.returncode, result.stdout) == (0, "")


def test_drift_hook_fails_a_dump_that_drifted_and_shows_the_report() -> None:
    result = run_hook("pgdrift-drift", ["--against", PROD], [DEV])
    assert result.returncode == 1
    assert result.stdout.rstrip().endswith(
        f"82 differences between {DEV} and {PROD}: 24 created, 53 dropped, 5 altered; "
        "1 security-relevant; 3 probable renames not confirmed"
    )
    assert "\npublic.user_referrals\n" in result.stdout


def test_drift_hook_takes_diff_options_and_a_migrations_folder() -> None:
    folder = f"{FLYWAY}/migrations"
    dump = f"{FLYWAY}/dump.sql"
    staged = [dump, f"{folder}/V2__status.sql"]
    # Run as app_owner, the migrations make app_owner's objects; the dump's are postgres's.
    assert run_hook("pgdrift-drift", ["--against", folder, "--role", "app_owner"],
                    staged).returncode == 1  # fmt: skip
    # Without a role the migrations leave owners unknown, and an unknown owner is no drift.
    result = run_hook("pgdrift-drift", ["--against", folder, "--quiet"], staged)
    # The migration file is inside --against: it is not a dump to check.
    assert (result.returncode, result.stdout) == (0, f"no differences between {dump} and "
                                                     f"{folder}\n")  # fmt: skip


def test_drift_hook_with_dump_checks_it_when_only_a_migration_is_staged() -> None:
    folder = f"{FLYWAY}/migrations"
    args = ["--against", folder, "--dump", DEV, "--quiet"]
    result = run_hook("pgdrift-drift", args, [f"{folder}/V2__status.sql"])
    assert result.returncode == 1
    assert f"between {DEV} and {folder}" in result.stdout


def test_drift_hook_reports_bad_input_in_one_line() -> None:
    result = run_hook("pgdrift-drift", ["--against", "no/such/dump.sql"], [DEV])
    assert result.returncode == 2
    assert result.stderr.startswith("pgdrift: ")
    assert result.stderr.count("\n") == 1
    result = run_hook("pgdrift-drift", ["--against", DEV, "--no-such-option"], [DEV])
    assert result.returncode == 2
    assert "unrecognized arguments: --no-such-option" in result.stderr


@pytest.mark.parametrize(
    ("args", "status"), [([], 1), (["--fail-on", "error"], 0), (["--select", "PD101"], 1)]
)
def test_lint_hook_lints_the_staged_dumps(args: list[str], status: int) -> None:
    result = run_hook("pgdrift-lint", args, [PROD, "README.md"])
    assert result.returncode == status, result.stderr
    assert result.stdout.startswith(f"{PROD}\n")
    assert "PD101 foreign key referral_fraud_checks_user_id_fkey" in result.stdout
