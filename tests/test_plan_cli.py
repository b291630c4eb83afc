"""``pgdrift diff --format sql`` and ``--fail-on-hazard``, and the "sql" renderer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import pgdrift
from pgdrift import cli
from pgdrift.differ import HAZARDS, diff
from pgdrift.planner import plan
from pgdrift.renderer import render, render_plan_sql

OLD = "CREATE TABLE public.t (a integer, b text);\n"
NEW = "CREATE TABLE public.t (a bigint);\n"


@pytest.fixture
def dumps(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "old.sql", tmp_path / "new.sql"
    old.write_text(OLD)
    new.write_text(NEW)
    return str(old), str(new)


def test_format_sql_prints_the_migration_script(
    dumps: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["diff", "--format", "sql", *dumps]) == cli.EXIT_DIFFERENCES
    out = capsys.readouterr().out
    assert out == render_plan_sql(plan(diff(pgdrift.loads(OLD), pgdrift.loads(NEW))))
    assert "ALTER TABLE public.t DROP COLUMN b;" in out
    assert "ALTER TABLE public.t ALTER COLUMN a TYPE bigint;" in out


def test_fail_on_hazard_exits_3_and_prints_no_script(
    dumps: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["diff", "--format", "sql", "--fail-on-hazard", "deletes_data,not_transactional"]
    assert cli.main([*argv, *dumps]) == cli.EXIT_HAZARD == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "pgdrift: deletes_data: ALTER TABLE public.t DROP COLUMN b\n"


def test_fail_on_hazard_lets_a_safe_migration_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old.sql", tmp_path / "new.sql"
    old.write_text(OLD)
    new.write_text(OLD.replace("b text", "b text, c text"))
    argv = ["diff", "--format", "sql", "--fail-on-hazard", "deletes_data", str(old), str(new)]
    assert cli.main(argv) == cli.EXIT_DIFFERENCES
    assert "ADD COLUMN c text;" in capsys.readouterr().out


def test_fail_on_hazard_applies_to_every_format(
    dumps: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["diff", "--fail-on-hazard", "rewrites_table", *dumps]) == cli.EXIT_HAZARD
    assert capsys.readouterr().out == ""


def test_an_unknown_hazard_is_a_usage_error(
    dumps: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["diff", "--fail-on-hazard", "deletes_everything", *dumps])
    assert exit_.value.code == 2
    assert "unknown hazard 'deletes_everything'; known: deletes_data" in capsys.readouterr().err


def test_the_cli_knows_every_hazard() -> None:
    assert cli.HAZARD_KINDS == HAZARDS


def test_the_sql_renderer_is_the_plan_printed() -> None:
    changes = diff(pgdrift.loads(OLD), pgdrift.loads(NEW))
    assert render(changes, "sql") == render_plan_sql(plan(changes))
    assert render(changes, "sql", not_valid=True) == render_plan_sql(plan(changes, not_valid=True))


def test_plan_is_exported_from_the_package() -> None:
    changes = pgdrift.diff(pgdrift.loads(OLD), pgdrift.loads(NEW))
    assert isinstance(pgdrift.plan(changes), pgdrift.Plan)


def test_the_other_formats_do_not_load_the_planner() -> None:
    # The planner (and networkx) more than doubles the import time of pgdrift.renderer: only
    # the sql format, which plans, may load it.
    code = "import sys, pgdrift.renderer; print('pgdrift.planner' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    assert result.stdout.strip() == "False"
