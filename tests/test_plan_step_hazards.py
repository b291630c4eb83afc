"""The hazards of plan steps other than column type changes (those are in test_plan_hazards.py):
each case is a PostgreSQL rule that tests/integration/test_step_hazards.py checks on a server."""

from __future__ import annotations

import pgdrift
from pgdrift.differ import diff
from pgdrift.planner import plan

T = "CREATE TABLE public.t (id integer PRIMARY KEY, a integer, b text);\n"
DOMAINS = (
    "CREATE DOMAIN public.pos AS integer CHECK (VALUE > 0);\n"
    "CREATE DOMAIN public.req AS integer NOT NULL;\n"
    "CREATE DOMAIN public.req_one AS integer NOT NULL DEFAULT 1;\n"
    "CREATE DOMAIN public.over AS public.pos;\n"
    "CREATE DOMAIN public.plain AS integer;\n"
)


def hazards(a: str, b: str) -> dict[str, tuple[str, ...]]:
    return {step.sql: step.hazards for step in plan(diff(pgdrift.loads(a), pgdrift.loads(b)))}


def test_a_new_column_of_a_constrained_domain_rewrites_the_table() -> None:
    # ATExecAddColumn: a domain with constraints is checked on every row, so even without a
    # default the table is rewritten; NOT NULL without any default fails on the first row.
    def added(column: str) -> tuple[str, ...]:
        [found] = hazards(DOMAINS + T, DOMAINS + T.replace("b text", f"b text, {column}")).values()
        return found

    assert added("d public.pos") == ("rewrites_table", "strong_lock")
    assert added("d public.over") == ("rewrites_table", "strong_lock")
    assert added("d public.req") == ("rewrites_table", "strong_lock", "may_fail")
    # The domain's default fills the rows: nothing to fail, even with NOT NULL on the column.
    assert added("d public.req_one NOT NULL") == ("rewrites_table", "strong_lock")
    # No constraint, or an array of the domain: the column is added in the catalog only.
    assert added("d public.plain") == ()
    assert added("d public.pos[]") == ()


def test_a_domain_constraint_checked_on_existing_rows_blocks_their_writes() -> None:
    # validateDomainConstraint scans each table with a column of the domain (or of a domain
    # over it) under a SHARE lock.
    a = DOMAINS + T.replace("a integer", "a public.over")
    tighter = a.replace("integer CHECK (VALUE > 0)", "integer CHECK (VALUE > 1)")
    assert hazards(a, tighter)[
        "ALTER DOMAIN public.pos ADD CONSTRAINT pos_check CHECK (value > 1)"] == (
        "strong_lock", "may_fail")  # fmt: skip
    assert hazards(a, a.replace("public.plain AS integer", "public.plain AS integer NOT NULL"))[
        "ALTER DOMAIN public.plain SET NOT NULL"] == ("may_fail",)  # no column uses it
    used = a.replace("b text", "b public.plain")
    required = used.replace("public.plain AS integer", "public.plain AS integer NOT NULL")
    assert hazards(used, required)[
        "ALTER DOMAIN public.plain SET NOT NULL"] == ("strong_lock", "may_fail")
    not_valid = used + (
        "ALTER DOMAIN public.plain ADD CONSTRAINT small CHECK (VALUE < 9) NOT VALID;")
    assert hazards(used, not_valid)[
        "ALTER DOMAIN public.plain ADD CONSTRAINT small CHECK (value < 9) NOT VALID"] == ()
    assert hazards(not_valid, not_valid.replace(" NOT VALID", ""))[
        "ALTER DOMAIN public.plain VALIDATE CONSTRAINT small"] == ("strong_lock", "may_fail")


def test_an_index_that_computes_on_existing_rows_may_fail() -> None:
    assert hazards(T, T + "CREATE INDEX i ON public.t (a);") == {
        "CREATE INDEX i ON public.t (a)": ("strong_lock",)}
    assert hazards(T, T + "CREATE INDEX i ON public.t ((100 / a));") == {
        "CREATE INDEX i ON public.t ((100 / a))": ("strong_lock", "may_fail")}
    assert hazards(T, T + "CREATE INDEX i ON public.t (b) WHERE 100 / a > 1;") == {
        "CREATE INDEX i ON public.t (b) WHERE (100 / a > 1)": ("strong_lock", "may_fail")}


def test_an_index_on_only_a_partitioned_table_builds_nothing() -> None:
    m = ("CREATE TABLE public.m (id integer, d date) PARTITION BY RANGE (d);\n"
         "CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO "
         "('2024-02-01');\n")  # fmt: skip
    found = hazards(m, m + "CREATE INDEX m_d_idx ON public.m (d);")
    assert found["CREATE INDEX m_d_idx ON ONLY public.m (d)"] == ()
    assert found["CREATE INDEX m1_d_idx ON public.m1 (d)"] == ("strong_lock",)


def test_a_type_change_in_place_still_reads_the_rows_it_checks_or_indexes_again() -> None:
    # No rewrite, but ATPostAlterTypeCleanup validates the column's CHECK constraints again,
    # and rebuilds its indexes when the collation changes: a scan under ACCESS EXCLUSIVE.
    short = "CREATE TABLE public.t (id integer PRIMARY KEY, b varchar(10));\n"
    longer = short.replace("varchar(10)", "varchar(20)")
    assert hazards(short, longer) == {
        "ALTER TABLE public.t ALTER COLUMN b TYPE character varying(20)": ()}
    check = "ALTER TABLE public.t ADD CONSTRAINT t_b CHECK (b <> '');\n"
    assert hazards(short + check, longer + check) == {
        "ALTER TABLE public.t ALTER COLUMN b TYPE character varying(20)": ("strong_lock",)}
    index = "CREATE INDEX t_b ON public.t (b);\n"
    collated = short.replace("varchar(10)", 'varchar(10) COLLATE "C"')
    assert hazards(short, collated) == {
        'ALTER TABLE public.t ALTER COLUMN b TYPE character varying(10) COLLATE "C"': ()}
    assert hazards(short + index, collated + index) == {
        'ALTER TABLE public.t ALTER COLUMN b TYPE character varying(10) COLLATE "C"': (
            "strong_lock",)}  # fmt: skip
    # A longer varchar keeps the index as it is (same operator class and collation).
    assert hazards(short + index, longer + index) == {
        "ALTER TABLE public.t ALTER COLUMN b TYPE character varying(20)": ()}


def test_set_not_null_proven_by_a_valid_check_scans_nothing() -> None:
    # NotNullImpliedByRelConstraints: a validated CHECK (a IS NOT NULL), alone or ANDed,
    # spares the scan; one that only compares (NULL > 0 is not false) does not.
    def set_not_null(check: str) -> tuple[str, ...]:
        a = T + f"ALTER TABLE public.t ADD CONSTRAINT t_a CHECK ({check});\n"
        steps = hazards(a, a.replace("a integer", "a integer NOT NULL"))
        return steps["ALTER TABLE public.t ALTER COLUMN a SET NOT NULL"]

    assert set_not_null("a IS NOT NULL") == ()
    assert set_not_null("b <> '' AND a IS NOT NULL") == ()
    assert set_not_null("a > 0") == ("strong_lock", "may_fail")
    assert set_not_null("a IS NOT NULL OR b IS NOT NULL") == ("strong_lock", "may_fail")
    not_valid = T + "ALTER TABLE public.t ADD CONSTRAINT t_a CHECK (a IS NOT NULL) NOT VALID;\n"
    assert hazards(not_valid, not_valid.replace("a integer", "a integer NOT NULL"))[
        "ALTER TABLE public.t ALTER COLUMN a SET NOT NULL"] == ("strong_lock", "may_fail")
    # The CHECK dropped by the same plan proves nothing.
    a = T + "ALTER TABLE public.t ADD CONSTRAINT t_a CHECK (a IS NOT NULL);\n"
    assert hazards(a, T.replace("a integer", "a integer NOT NULL"))[
        "ALTER TABLE public.t ALTER COLUMN a SET NOT NULL"] == ("strong_lock", "may_fail")


def test_a_materialized_views_new_access_method_or_tablespace_rewrites_it() -> None:
    # ALTER MATERIALIZED VIEW ... SET ACCESS METHOD / SET TABLESPACE write its rows anew (a new
    # relfilenode) under ACCESS EXCLUSIVE, as for a table.
    am = "CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler;\n"
    mv = am + T + "CREATE MATERIALIZED VIEW public.m AS SELECT id FROM public.t;\n"
    moved = mv.replace("public.m AS", "public.m USING heap2 AS")
    assert hazards(mv, moved)["ALTER MATERIALIZED VIEW public.m SET ACCESS METHOD heap2"] == (
        "rewrites_table", "strong_lock")  # fmt: skip
    assert hazards(moved, mv)["ALTER MATERIALIZED VIEW public.m SET ACCESS METHOD heap"] == (
        "rewrites_table", "strong_lock")  # fmt: skip
