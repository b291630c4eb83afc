"""Dependents dropped and created again around what they use (pgdrift.planner.cascades), and
the order of sequence bounds around their identity column's type. The pairs under
fixtures/pairs (dep_*, sequence_*) prove the same scripts on a real PostgreSQL."""

from __future__ import annotations

import pgdrift
from pgdrift.planner import Plan, plan


def plan_between(a: str, b: str) -> Plan:
    return plan(pgdrift.diff(pgdrift.loads(a), pgdrift.loads(b)))


def position(statements: list[str], start: str) -> int:
    return next(i for i, s in enumerate(statements) if s.startswith(start))


FUNCTION = """
CREATE FUNCTION public.f(a integer{extra}) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$ SELECT a $$;
CREATE TABLE public.t (x integer DEFAULT public.f(1), y integer,
    g integer GENERATED ALWAYS AS (public.f(y)) STORED);
ALTER TABLE public.t ADD CONSTRAINT t_x_check CHECK (public.f(x) > 0);
CREATE VIEW public.v AS SELECT public.f(y) AS fy FROM public.t;
CREATE VIEW public.{other} AS SELECT public.f(x) AS fx FROM public.t;
"""


def test_a_function_whose_signature_changes_takes_unchanged_dependents_along() -> None:
    # f gains an argument with a default: every call reads the same, but PostgreSQL bound
    # each one to f(integer), which it will not drop while they exist.
    the_plan = plan_between(FUNCTION.format(extra="", other="w"),
                            FUNCTION.format(extra=", b integer DEFAULT 0", other="w"))  # fmt: skip
    found = list(the_plan.statements())
    drop = position(found, "DROP FUNCTION public.f(integer)")
    for before in ("DROP VIEW public.v", "DROP VIEW public.w",
                   "ALTER TABLE public.t DROP CONSTRAINT t_x_check",
                   "ALTER TABLE public.t ALTER COLUMN x DROP DEFAULT",
                   "ALTER TABLE public.t DROP COLUMN g"):  # fmt: skip
        assert position(found, before) < drop, before
    create = position(found, "CREATE FUNCTION public.f(a integer, b integer DEFAULT 0)")
    for after in ("CREATE VIEW public.v", "ALTER TABLE public.t ADD CONSTRAINT t_x_check",
                  "ALTER TABLE public.t ALTER COLUMN x SET DEFAULT public.f(1)",
                  "ALTER TABLE public.t ADD COLUMN g integer GENERATED ALWAYS"):  # fmt: skip
        assert position(found, after) > create, after
    # The generated column was last: adding it again keeps the column order, unwarned.
    assert the_plan.warnings == ()


def test_a_dependent_that_changes_itself_is_left_to_its_own_change() -> None:
    # View w is dropped in B (and x2 created): it is not recreated for the signature change.
    the_plan = plan_between(FUNCTION.format(extra="", other="w"),
                            FUNCTION.format(extra=", b integer DEFAULT 0", other="w2"))  # fmt: skip
    found = list(the_plan.statements())
    assert sum(s.startswith("DROP VIEW public.w") for s in found) == 1
    assert not any(s.startswith("CREATE VIEW public.w AS") for s in found)


def test_a_generated_column_in_the_middle_is_rebuilt_with_a_warning() -> None:
    a = """CREATE FUNCTION public.f(a integer) RETURNS integer LANGUAGE sql IMMUTABLE
               AS $$ SELECT a $$;
           CREATE TABLE public.t (y integer, g integer GENERATED ALWAYS AS (public.f(y)) STORED,
                                  z text);"""
    the_plan = plan_between(a, a.replace("RETURNS integer", "RETURNS bigint"))
    assert any("DROP COLUMN g" in s for s in the_plan.statements())
    assert [w for w in the_plan.warnings if "at the end of the table" in w]


COLLATION = """
CREATE COLLATION public.c1 (provider = icu, locale = '{locale}');
CREATE TABLE public.t (a text COLLATE public.c1, b text);
CREATE INDEX t_b_idx ON public.t (b COLLATE public.c1);
CREATE VIEW public.v AS SELECT a FROM public.t;
"""


def test_a_replaced_collation_moves_its_columns_and_recreates_its_other_users() -> None:
    found = list(plan_between(COLLATION.format(locale="en-US"),
                              COLLATION.format(locale="de-DE")).statements())  # fmt: skip
    order = [
        position(found, "DROP VIEW public.v"),
        position(found, "ALTER COLLATION public.c1 RENAME TO c1__pgdrift_old"),
        position(found, "CREATE COLLATION public.c1"),
        position(found, "ALTER TABLE public.t ALTER COLUMN a TYPE text COLLATE public.c1"),
        position(found, "DROP COLLATION public.c1__pgdrift_old"),
        position(found, "CREATE VIEW public.v"),
    ]
    assert order == sorted(order)
    assert position(found, "DROP INDEX public.t_b_idx") < order[-2]
    assert position(found, "CREATE INDEX t_b_idx") > order[2]
