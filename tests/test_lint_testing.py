"""``pgdrift.testing.assert_lint_clean``: passes on a clean schema, fails listing the findings."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift.testing import LintError, assert_lint_clean

ROOT = Path(__file__).resolve().parent.parent


def test_clean_schema_passes() -> None:
    assert_lint_clean(pgdrift.loads("CREATE TABLE public.t (id int PRIMARY KEY);"))


def test_findings_fail_with_every_finding_listed() -> None:
    dump = ROOT / "fixtures" / "lint" / "dump.sql"
    with pytest.raises(LintError) as caught:
        assert_lint_clean(dump, preset="supabase")
    error = caught.value
    assert isinstance(error, AssertionError)
    lines = str(error).splitlines()
    assert lines[0] == f"{len(error.findings)} lint findings:"
    assert len(lines) == len(error.findings) + 1
    assert any("PD201 table public.rls_off_bad" in line for line in lines)


def test_fail_on_and_lint_options_narrow_what_fails() -> None:
    schema = pgdrift.loads("CREATE TABLE public.t (id int PRIMARY KEY);"
                           "ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;")  # fmt: skip
    with pytest.raises(LintError, match="PD202"):
        assert_lint_clean(schema)
    assert_lint_clean(schema, fail_on="warning")
    assert_lint_clean(schema, ignore=["rls-enabled-no-policy"])
