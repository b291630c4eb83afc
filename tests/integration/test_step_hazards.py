"""The hazards of plan steps, judged by PostgreSQL: each case's plan runs step by step on a
database built from schema A with rows, and what the server did is compared with what the step
says. Column type changes have their own probe (test_type_changes.py).

- ``rewrites_table``: the table's relfilenode changes (docs: 73.1 Database File Layout);
- ``strong_lock``: the step holds a lock that blocks writes (SHARE or stronger, docs 13.3.1)
  on an existing table while it scans or rewrites it (``pg_stat_get_xact_numscans`` counts the
  scans of the step's own transaction);
- ``may_fail``: with the case's bad rows, the step that PostgreSQL refuses carries it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pg import pgcluster

import pgdrift
from pgdrift.differ import diff
from pgdrift.planner import plan

pytestmark = pytest.mark.postgres

T = "CREATE TABLE public.t (id integer PRIMARY KEY, a integer, b text);\n"
ROWS = "INSERT INTO public.t SELECT g, g % 7 + 1, 'x' || g FROM generate_series(1, 50) g;\n"
NULLS = ROWS + "INSERT INTO public.t VALUES (100, NULL, NULL);\n"
ZEROS = ROWS + "INSERT INTO public.t VALUES (100, 0, 'x1');\n"  # also a duplicate b
P = ("CREATE TABLE public.p (id integer PRIMARY KEY);\n"
     "INSERT INTO public.p SELECT generate_series(1, 10);\n")
POS = "CREATE DOMAIN public.pos AS integer CHECK (VALUE > 0);\n"
REQ = "CREATE DOMAIN public.req AS integer NOT NULL;\n"
PLAIN = "CREATE DOMAIN public.plain AS integer;\n"
AM = "CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler;\n"
MV = "CREATE MATERIALIZED VIEW public.mv AS SELECT id, a FROM public.t;\n"
M = ("CREATE TABLE public.m (id integer, d date) PARTITION BY RANGE (d);\n"
     "CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES FROM ('2024-01-01') TO "
     "('2024-02-01');\n")  # fmt: skip
M2 = "CREATE TABLE public.m2 (id integer, d date);\n"
M2_ATTACHED = ("CREATE TABLE public.m2 PARTITION OF public.m FOR VALUES FROM ('2024-02-01') TO "
               "('2024-03-01');\n")  # fmt: skip
M1_ROWS = "INSERT INTO public.m SELECT g, date '2024-01-01' + g FROM generate_series(1, 9) g;\n"
M_ROWS = M1_ROWS + (
    "INSERT INTO public.m2 SELECT g, date '2024-02-01' + g FROM generate_series(1, 9) g;\n")


def _with(table: str, extra: str) -> str:
    return table.replace("b text", f"b text, {extra}")


# (id, A, B, rows, bad rows or None): the plan A -> B runs without error on A with rows (None:
# any row makes it fail), and one of its steps fails on A with the bad rows.
CASES = [
    ("add-column-constant-default", T, _with(T, "c integer DEFAULT 5"), ROWS, None),
    ("add-column-volatile-default", T, _with(T, "c float8 DEFAULT random()"), ROWS, None),
    ("add-column-generated", T, _with(T, "c integer GENERATED ALWAYS AS (a * 2) STORED"), ROWS,
     None),
    ("add-column-identity", T, _with(T, "c integer GENERATED ALWAYS AS IDENTITY"), ROWS, None),
    ("add-column-not-null", T, _with(T, "c integer NOT NULL"), None, ROWS),
    ("add-column-checked-domain", POS + T, POS + _with(T, "c public.pos"), ROWS, None),
    ("add-column-not-null-domain", REQ + T, REQ + _with(T, "c public.req"), None, ROWS),
    ("add-column-plain-domain", PLAIN + T, PLAIN + _with(T, "c public.plain"), ROWS, None),
    ("drop-column", _with(T, "c integer"), T, ROWS, None),
    ("set-not-null", T, T.replace("a integer", "a integer NOT NULL"), ROWS, NULLS),
    ("set-not-null-proven-by-check", T + "ALTER TABLE public.t ADD CHECK (a IS NOT NULL);\n",
     T.replace("a integer", "a integer NOT NULL") + "ALTER TABLE public.t ADD CHECK (a IS NOT "
     "NULL);\n", ROWS, None),
    ("set-not-null-not-proven-by-check", T + "ALTER TABLE public.t ADD CHECK (a > 0);\n",
     T.replace("a integer", "a integer NOT NULL") + "ALTER TABLE public.t ADD CHECK (a > 0);\n",
     ROWS, NULLS),
    ("set-default", T, T.replace("a integer", "a integer DEFAULT 1"), ROWS, None),
    ("set-storage", T, T + "ALTER TABLE public.t ALTER b SET STORAGE EXTERNAL;\n", ROWS, None),
    ("collation-change", T, T.replace("b text", 'b text COLLATE "C"'), ROWS, None),
    ("collation-change-indexed", T + "CREATE INDEX t_b ON public.t (b);\n",
     T.replace("b text", 'b text COLLATE "C"') + "CREATE INDEX t_b ON public.t (b);\n", ROWS,
     None),
    ("type-change-in-place", T.replace("b text", "b varchar(10)"),
     T.replace("b text", "b varchar(20)"), ROWS, None),
    ("type-change-in-place-checked", T.replace("b text", "b varchar(10) CHECK (b <> '')"),
     T.replace("b text", "b varchar(20) CHECK (b <> '')"), ROWS, None),
    ("set-logged", T.replace("TABLE", "UNLOGGED TABLE"), T, ROWS, None),
    ("matview-set-access-method", AM + T + MV, AM + T + MV.replace("mv AS", "mv USING heap2 AS"),
     ROWS + "REFRESH MATERIALIZED VIEW public.mv;\n", None),
    ("set-unlogged", T, T.replace("TABLE", "UNLOGGED TABLE"), ROWS, None),
    ("add-check", T, T + "ALTER TABLE public.t ADD CONSTRAINT t_a CHECK (a > 0);\n", ROWS, ZEROS),
    ("add-foreign-key", P + T, P + T + "ALTER TABLE public.t ADD FOREIGN KEY (a) REFERENCES "
     "public.p;\n", ROWS, ROWS.replace("g % 7 + 1", "g + 10")),
    ("add-unique", T, T + "ALTER TABLE public.t ADD UNIQUE (b);\n", ROWS, ZEROS),
    ("create-index", T, T + "CREATE INDEX t_a ON public.t (a);\n", ROWS, None),
    ("create-expression-index", T, T + "CREATE INDEX t_a ON public.t ((100 / a));\n", ROWS,
     ZEROS),
    ("create-partial-index", T, T + "CREATE INDEX t_b ON public.t (b) WHERE 100 / a > 1;\n",
     ROWS, ZEROS),
    ("domain-add-check", PLAIN + _with(T, "c public.plain"),
     PLAIN.replace("integer", "integer CHECK (VALUE > 0)") + _with(T, "c public.plain"),
     ROWS.replace("'x' || g", "'x' || g, 1"), ROWS.replace("'x' || g", "'x' || g, 0")),
    ("domain-set-not-null", PLAIN + _with(T, "c public.plain"),
     PLAIN.replace("integer", "integer NOT NULL") + _with(T, "c public.plain"),
     ROWS.replace("'x' || g", "'x' || g, 1"), ROWS),
    ("attach-partition", M + M2, M + M2_ATTACHED, M_ROWS,
     M_ROWS.replace("'2024-02-01' +", "'2024-01-01' +")),
    ("index-on-partitioned-table", M, M + "CREATE INDEX m_d ON public.m (d);\n",
     M1_ROWS, None),
]  # fmt: skip

_SNAPSHOT = """SELECT json_object_agg(relname, json_build_array(relfilenode, reltuples > 0))
FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'm')"""
# The tables the open transaction holds a lock on that blocks writes, and those it scanned.
_OBSERVE = """SELECT json_build_object(
  'locked', (SELECT json_agg(DISTINCT c.relname) FROM pg_locks l JOIN pg_class c
             ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND l.granted
             AND c.relnamespace = 'public'::regnamespace AND l.mode IN ('ShareLock',
             'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')),
  'scanned', (SELECT json_agg(relname) FROM pg_class
              WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'm')
              AND pg_stat_get_xact_numscans(oid) > 0))"""


def _run(cluster: Any, a: str, b: str, rows: str) -> list[tuple[Any, dict[str, Any]]]:
    """Each step of the plan with what PostgreSQL did: rewrote, strong_lock, failed. The
    tables ANALYZE found rows in are the ones a scan or a rewrite under a strong lock counts
    for."""
    cluster.create_database("hazards")
    try:
        cluster.psql(a + rows + "ANALYZE;", dbname="hazards")
        seen = []
        for step in plan(diff(pgdrift.loads(a), pgdrift.loads(b))):
            before = json.loads(cluster.psql(_SNAPSHOT, dbname="hazards")) or {}
            try:
                out = cluster.psql(f"BEGIN;\n{step.sql};\n{_OBSERVE};\nCOMMIT;", dbname="hazards")
            except pgcluster.ToolError:
                seen.append((step, {"failed": True}))
                break
            after = json.loads(cluster.psql(_SNAPSHOT, dbname="hazards")) or {}
            found = json.loads(out.strip().splitlines()[-1])
            rewrote = {t for t, was in before.items() if after.get(t, was)[0] != was[0]}
            # Scanning an empty table costs nothing: only tables with rows count.
            busy = (rewrote | set(found["scanned"] or ())) & {t for t, was in before.items()
                                                              if was[1]}  # fmt: skip
            strong = {t for t in found["locked"] or () if t in busy}
            seen.append((step, {"failed": False, "rewrote": bool(rewrote), "strong": bool(strong)}))
        return seen
    finally:
        cluster.drop_database("hazards")


@pytest.mark.parametrize(("a", "b", "rows", "bad"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_step_hazards_match_postgresql(cluster: Any, a: str, b: str, rows: str | None,
                                       bad: str | None) -> None:  # fmt: skip
    wrong = []
    for step, did in _run(cluster, a, b, rows) if rows is not None else []:
        assert not did["failed"], step.sql
        if did["rewrote"] != ("rewrites_table" in step.hazards):
            wrong.append((step.sql, step.hazards, "rewrote" if did["rewrote"] else "no rewrite"))
        if did["strong"] != ("strong_lock" in step.hazards):
            wrong.append((step.sql, step.hazards, "strong lock" if did["strong"] else "no lock"))
    assert not wrong
    if bad is not None:
        step, did = _run(cluster, a, b, bad)[-1]
        assert did["failed"], "the bad rows did not make a step fail"
        assert "may_fail" in step.hazards, step.sql
