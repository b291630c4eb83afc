"""The schema rules of ``pgdrift lint``, each on the real dump fixtures/lint/dump.sql (made by
PostgreSQL 15 from fixtures/lint/source.sql): where it fires, and a near miss where it must
not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import pgdrift
from pgdrift.errors import ConfigError
from pgdrift.linter import RULES, Finding, LintOptions, Severity, lint, rule
from pgdrift.linter.registry import SCHEMA

ROOT = Path(__file__).resolve().parent.parent
DUMP = ROOT / "fixtures" / "lint" / "dump.sql"

#: Per rule: the objects it must report, and near misses it must not.
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "PD101": (
        {"constraint:private.fk_bad.fk_bad_customer_id_fkey",
         "constraint:private.fk_partial_bad.fk_partial_bad_customer_id_fkey"},
        {"constraint:private.fk_ok.fk_ok_customer_id_fkey",
         "constraint:private.fk_ok.fk_ok_product_id_fkey"},
    ),
    "PD102": ({"table:private.nopk_bad"},
              {"table:private.pk_ok", "table:private.measures_ok", "table:private.measures_2026"}),
    "PD103": (
        {"index:private.dup_email_second_bad", "index:private.dup_id_bad"},
        {"index:private.dup_email_idx", "index:private.dup_email_lower_ok",
         "index:private.dup_email_partial_ok", "index:private.dup_email_hash_ok"},
    ),
    "PD201": ({"table:public.rls_off_bad"}, {"table:private.rls_off_ok", "table:public.notes_ok"}),
    "PD202": ({"table:public.no_policy_bad"}, {"table:public.notes_ok", "table:public.posts"}),
    "PD203": ({"table:private.policy_no_rls_bad"}, {"table:public.notes_ok"}),
    "PD204": ({"policy:public.posts.posts_read_published_bad"},
              {"policy:public.notes_ok.notes_ok_not_empty",
               "policy:public.notes_ok.notes_ok_select"}),
    "PD205": (
        {"policy:public.posts.posts_insert_true_bad", "policy:public.posts.posts_anon_true_bad"},
        {"policy:public.posts.posts_read_all_bad"},
    ),
    "PD206": (
        {"policy:public.posts.posts_read_own_bad", "policy:public.posts.posts_setting_bad"},
        {"policy:public.posts.posts_setting_ok", "policy:public.notes_ok.notes_ok_select"},
    ),
    "PD211": ({"function:private.definer_path_bad()"}, {"function:private.definer_path_ok()"}),
    "PD212": ({"function:private.mutable_path_bad(text)"},
              {"function:private.pinned_path_ok(text)", "function:auth.uid()",
               "function:private.definer_path_bad()"}),
    "PD213": ({"function:public.definer_exec_bad()"},
              {"function:private.definer_path_ok()", "function:private.definer_path_bad()",
               "function:public.definer_trigger_ok()"}),
    "PD221": ({"view:public.view_definer_bad"},
              {"view:public.view_invoker_ok", "view:private.view_private_ok"}),
    "PD222": ({"materialized_view:public.matview_bad"}, {"materialized_view:public.matview_ok"}),
    "PD223": ({"foreign_table:public.remote_bad"}, {"foreign_table:private.remote_ok"}),
    "PD231": ({"extension:pg_trgm"}, {"extension:citext"}),
    "PD232": (
        {"column:private.accounts_bad.email", "sequence:private.accounts_bad_id_seq"},
        {"column:private.accounts_ok.email"},
    ),
    "PD301": ({"column:private.hygiene.at_bad"}, {"column:private.hygiene.at_ok"}),
    "PD302": ({"column:private.hygiene.name_bad"},
              {"column:private.hygiene.name_ok", "column:private.hygiene.note_ok"}),
    "PD303": ({"column:private.serial_bad.id", "column:private.accounts_bad.id"},
              {"column:private.hygiene.id", "column:private.accounts_ok.id"}),
    "PD304": ({"column:private.hygiene.doc_bad"}, {"column:private.hygiene.doc_ok"}),
    "PD305": ({f"table:private.{'long_name_bad_' * 5}"[:77]},
              {f"table:private.{'x' * 62}"}),
}  # fmt: skip


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    schema = pgdrift.load(DUMP)
    return lint(schema, preset="supabase", select=["ALL"])


def _by_code(findings: list[Finding], code: str) -> set[str]:
    return {f.object_id for f in findings if f.code == code}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_rule_fires_on_its_bad_objects_and_not_on_near_misses(
    findings: list[Finding], code: str
) -> None:
    fires, near_misses = EXPECTED[code]
    found = _by_code(findings, code)
    assert found == fires
    assert not found & near_misses


def test_every_schema_rule_has_a_fixture_case() -> None:
    schema_rules = {code for code, r in RULES.items() if r.scope == SCHEMA}
    assert schema_rules == set(EXPECTED)


def test_every_finding_of_the_fixture_is_an_expected_one(findings: list[Finding]) -> None:
    expected = {(code, oid) for code, (fires, _) in EXPECTED.items() for oid in fires}
    assert {(f.code, f.object_id) for f in findings} == expected


def test_findings_point_at_the_line_where_the_object_is_defined(findings: list[Finding]) -> None:
    lines = DUMP.read_text(encoding="utf-8").splitlines()
    for finding in findings:
        assert finding.file == str(DUMP)
        assert finding.line is not None
        assert lines[finding.line - 1].strip(), finding


def test_identifier_at_the_63_byte_limit_in_source_sql_is_reported() -> None:
    # pglast scans identifiers as PostgreSQL does, cutting them to 63 bytes.
    schema = pgdrift.loads(f"CREATE TABLE public.t (id int PRIMARY KEY, {'a' * 70} int, "
                           f"{'b' * 62} int, {'ü' * 40} int);")  # fmt: skip
    found = [f for f in lint(schema, select=["PD305"]) if f.code == "PD305"]
    assert [f.object_id for f in found] == ["table:public.t", "table:public.t"]
    assert {f.message.split("'")[1] for f in found} == {"a" * 63, "ü" * 31}


def test_hygiene_rules_are_off_unless_selected(findings: list[Finding]) -> None:
    schema = pgdrift.load(DUMP)
    default = {f.code for f in lint(schema, preset="supabase")}
    assert not default & {"PD301", "PD302", "PD303", "PD304", "PD305"}
    assert "PD301" in {f.code for f in lint(schema, select=["timestamp-without-time-zone"])}


def test_exposure_rules_need_exposed_schemas_and_api_roles() -> None:
    schema = pgdrift.load(DUMP)
    codes = {f.code for f in lint(schema)}
    assert not codes & {"PD201", "PD221", "PD222", "PD223", "PD213"}
    named = lint(schema, exposed_schemas=["public"], api_roles=["anon", "authenticated"])
    assert {"PD201", "PD221", "PD222", "PD223", "PD213"} <= {f.code for f in named}


def test_ignore_severity_and_exclude_options() -> None:
    schema = pgdrift.load(DUMP)
    base = lint(schema, preset="supabase")
    assert "PD101" not in {f.code for f in lint(schema, preset="supabase", ignore=["PD101"])}
    raised = lint(schema, preset="supabase", severity={"PD101": "error"})
    assert {f.severity for f in raised if f.code == "PD101"} == {Severity.ERROR}
    kept = lint(schema, preset="supabase", exclude=["private.fk_*", "table:public.rls_off_*"])
    removed = {f.object_id for f in base} - {f.object_id for f in kept}
    assert removed == {"constraint:private.fk_bad.fk_bad_customer_id_fkey",
                       "constraint:private.fk_partial_bad.fk_partial_bad_customer_id_fkey",
                       "table:public.rls_off_bad"}  # fmt: skip


def test_unknown_rule_or_preset_is_a_clear_error() -> None:
    schema = pgdrift.loads("CREATE TABLE public.t (id int PRIMARY KEY);")
    with pytest.raises(ConfigError, match="unknown rule 'PD999'"):
        lint(schema, ignore=["PD999"])
    with pytest.raises(ValueError, match="unknown lint preset"):
        LintOptions(preset="firebase")


def test_a_duplicate_rule_code_or_name_is_rejected() -> None:
    def check(_ctx: object) -> Iterator[tuple[None, str]]:
        yield from ()

    settings = {"severity": "info", "summary": "s", "remediation": "r", "bad": "b", "good": "g"}
    with pytest.raises(ValueError, match="PD101 is registered twice"):
        rule(code="PD101", name="something-new", **settings)(check)
    with pytest.raises(ValueError, match="name 'duplicate-index' is registered twice"):
        rule(code="PD999", name="duplicate-index", **settings)(check)
    assert "PD999" not in RULES


def test_every_rule_carries_its_docs() -> None:
    for code, r in RULES.items():
        assert r.summary, code
        assert r.remediation, code
        assert r.bad, code
        assert r.good, code
        assert len(r.doc) > 60, code


def test_lint_is_deterministic() -> None:
    a = lint(pgdrift.load(DUMP), preset="supabase", select=["ALL"])
    b = lint(pgdrift.load(DUMP), preset="supabase", select=["ALL"])
    assert a == b


def test_pgdrift_lint_is_the_function() -> None:
    import pgdrift.linter  # noqa: PLC0415 - importing the package must not replace the name

    assert pgdrift.lint is pgdrift.linter.lint
