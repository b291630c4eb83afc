"""The migration rules of ``pgdrift lint --migration``, on the plan between the real dumps
fixtures/lint_migration/a and b: each fires on the change named for it in b/source.sql and not
on its near miss (the same change on a table the migration creates, or a safe variant)."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift.differ import diff
from pgdrift.linter import RULES, Finding, lint_plan
from pgdrift.linter.registry import MIGRATION
from pgdrift.planner import Plan, Step, plan

ROOT = Path(__file__).resolve().parent.parent
PAIR = ROOT / "fixtures" / "lint_migration"

EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "PD401": ({"column:public.accounts.tenant_id"}, {"column:public.accounts.region"}),
    "PD402": ({"column:public.accounts.ref"}, {"column:public.accounts.region"}),
    "PD403": ({"column:public.accounts.score"}, {"column:public.accounts.nickname"}),
    "PD404": ({"index:public.accounts_email_idx"}, {"index:public.audit_account_id_idx"}),
    "PD405": ({"constraint:public.orders.orders_account_id_fkey",
               "constraint:public.orders.orders_total_check"},
              {"constraint:public.audit.audit_account_id_fkey",
               "constraint:public.audit.audit_amount_check"}),
    "PD406": ({"constraint:public.orders.orders_code_key"},
              {"constraint:public.audit.audit_code_key", "constraint:public.audit.audit_pkey"}),
    "PD407": ({"column:public.accounts.legacy", "enum:public.status"},
              {"column:public.accounts.score"}),
}  # fmt: skip


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    a = pgdrift.load(PAIR / "a" / "dump.sql")
    b = pgdrift.load(PAIR / "b" / "dump.sql")
    return lint_plan(plan(diff(a, b)))


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_migration_rule_fires_on_its_change_and_not_on_the_near_miss(
    findings: list[Finding], code: str
) -> None:
    fires, near_misses = EXPECTED[code]
    found = {f.object_id for f in findings if f.code == code}
    assert found == fires
    assert not found & near_misses


def test_findings_are_located_in_the_dump_that_defines_the_object(
    findings: list[Finding],
) -> None:
    where = {f.object_id: f.file for f in findings}
    assert where["column:public.accounts.legacy"] == str(PAIR / "a" / "dump.sql")
    assert where["column:public.accounts.tenant_id"] == str(PAIR / "b" / "dump.sql")


def test_every_strong_lock_step_is_reported_when_no_lock_timeout_is_set(
    findings: list[Finding],
) -> None:
    a = pgdrift.load(PAIR / "a" / "dump.sql")
    b = pgdrift.load(PAIR / "b" / "dump.sql")
    the_plan = plan(diff(a, b))
    strong = [s for s in the_plan if "strong_lock" in s.hazards]
    assert len([f for f in findings if f.code == "PD410"]) == len(strong) > 0
    timed = Plan(steps=the_plan.steps, changes=the_plan.changes,
                 settings=("SET lock_timeout = '5s'",))  # fmt: skip
    assert not [f for f in lint_plan(timed) if f.code == "PD410"]


def test_rename_is_reported_when_the_plan_renames() -> None:
    pair = ROOT / "fixtures" / "pairs" / "rename_column"
    a = pgdrift.load(pair / "a" / "dump.sql")
    b = pgdrift.load(pair / "b" / "dump.sql")
    renames = {"public.posts.body": "content"}
    found = lint_plan(plan(diff(a, b, renames=renames)))
    assert [f.code for f in found if f.code == "PD408"] == ["PD408"]
    # Without the rename confirmed, the plan drops and adds: data loss, not a rename.
    unconfirmed = {f.code for f in lint_plan(plan(diff(a, b)))}
    assert "PD408" not in unconfirmed
    assert "PD407" in unconfirmed


def test_enum_value_used_in_the_transaction_that_adds_it() -> None:
    # pgdrift's own plans commit ADD VALUE first; a plan that does not is what the rule is for.
    a = pgdrift.loads("CREATE TYPE public.s AS ENUM ('a'); CREATE TABLE public.t (s public.s);")
    b = pgdrift.loads("CREATE TYPE public.s AS ENUM ('a', 'b');"
                      "CREATE TABLE public.t (s public.s DEFAULT 'b');")  # fmt: skip
    real = plan(diff(a, b))
    assert not [f for f in lint_plan(real) if f.code == "PD409"]
    assert any(s.adds_enum_label == "b" for s in real)
    in_one = Plan(steps=tuple(Step(s.sql, s.change, s.hazards, True, s.comment,
                                   s.adds_enum_label, s.uses_enum_labels)
                              for s in real), changes=real.changes)  # fmt: skip
    found = [f for f in lint_plan(in_one) if f.code == "PD409"]
    assert len(found) == 1
    assert "'b'" in found[0].message


def test_every_migration_rule_is_tested() -> None:
    rules = {code for code, r in RULES.items() if r.scope == MIGRATION}
    assert rules == {*EXPECTED, "PD408", "PD409", "PD410"}
