"""One answer for a column type change: the classifier (pgdrift.pg.type_changes), the plan's
step (its USING clause and hazards) and the Markdown report's critical issues agree, for every
ordered pair of common types; and the classifier's claims hold on a real PostgreSQL.

(pgdrift.testing makes no claim about type changes: its drift report lists the change only.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import pgdrift
from pgdrift.differ import diff
from pgdrift.pg.hazards import Hazard
from pgdrift.pg.quoting import quote_literal
from pgdrift.pg.type_changes import Conversion, foreign_key_compatible, type_change
from pgdrift.planner import plan
from pgdrift.renderer.markdown import render_markdown
from pgdrift.schema import domain_lookup
from pgdrift.types import parse_type

TYPES = [
    "smallint", "integer", "bigint", "numeric", "numeric(10,2)", "numeric(12,2)", "real",
    "double precision", "text", "varchar", "varchar(50)", "varchar(100)", "char(10)", "boolean",
    "date", "timestamp", "timestamptz", "time", "timetz", "interval", "uuid", "json", "jsonb",
    "bytea", "inet", "cidr", "macaddr", "money", "bit(8)", "varbit", "integer[]", "text[]",
    "public.mood", "public.plain_text", "public.positive",
]  # fmt: skip
TYPE_DEFINITIONS = (
    "CREATE TYPE public.mood AS ENUM ('sad', 'ok');\n"
    "CREATE DOMAIN public.plain_text AS text;\n"
    "CREATE DOMAIN public.positive AS integer CHECK (VALUE > 0);\n"
)
PAIRS = [(old, new) for old in TYPES for new in TYPES if old != new]


def _column(old: str, new: str) -> str:
    return f"c{TYPES.index(old)}_{TYPES.index(new)}"


@pytest.fixture(scope="module")
def compared() -> tuple[Any, Any, str]:
    """Every pair at once: one table whose column ``c<i>_<j>`` has type i, then type j."""
    old = ", ".join(f"{_column(a, b)} {a}" for a, b in PAIRS)
    new = ", ".join(f"{_column(a, b)} {b}" for a, b in PAIRS)
    changes = diff(pgdrift.loads(f"{TYPE_DEFINITIONS}CREATE TABLE public.t ({old});"),
                   pgdrift.loads(f"{TYPE_DEFINITIONS}CREATE TABLE public.t ({new});"))  # fmt: skip
    return changes, plan(changes), render_markdown(changes)


def _classify(old: str, new: str, changes: Any) -> Conversion:
    return type_change(parse_type(old), parse_type(new),
                       domains=domain_lookup(changes.new, changes.old)).conversion  # fmt: skip


def _plan_answer(steps: Any, column: str) -> Conversion:
    [step] = [s for s in steps if f"ALTER COLUMN {column} TYPE" in s.sql]
    if " USING " in step.sql:
        return Conversion.NEEDS_USING
    if Hazard.MAY_FAIL in step.hazards:
        return Conversion.MAY_FAIL
    if Hazard.REWRITES_TABLE in step.hazards:
        return Conversion.REWRITE
    return Conversion.BINARY_COERCIBLE


def _report_answer(report: str, column: str) -> str:
    issues = [line for line in report.splitlines() if line.split(" ", 1)[-1].startswith(
        (f"**Data loss**: `{column}` ", f"**Incompatible**: `{column}` "))]  # fmt: skip
    if not issues:
        return "safe"
    [issue] = issues
    if "needs a USING cast" in issue:
        return Conversion.NEEDS_USING
    assert "values that do not fit are cut or refused" in issue
    return Conversion.MAY_FAIL


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_the_plan_and_the_report_agree_with_the_classifier(
    compared: tuple[Any, Any, str], old: str, new: str
) -> None:
    changes, steps, report = compared
    column = _column(old, new)
    expected = _classify(old, new, changes)
    assert _plan_answer(steps, column) == expected
    safe = expected in (Conversion.BINARY_COERCIBLE, Conversion.REWRITE)
    assert _report_answer(report, column) == ("safe" if safe else expected)


@pytest.mark.parametrize(
    ("old", "new", "expected", "using"),
    [
        # An assignment cast through the I/O functions: no USING, cannot fail (docs: CREATE
        # CAST, "automatic I/O conversion casts ... to string types are assignment casts").
        ("integer", "text", Conversion.REWRITE, None),
        ("public.mood", "text", Conversion.REWRITE, None),
        # Implicit casts, every value fits.
        ("date", "timestamp", Conversion.REWRITE, None),
        ("timestamp", "timestamptz", Conversion.REWRITE, None),
        # An assignment cast; the result depends on the session TimeZone, but nothing fails.
        ("timestamptz", "timestamp", Conversion.REWRITE, None),
        # Binary coercible (pg_cast.castmethod 'b'), or a limit that only grows.
        ("cidr", "inet", Conversion.BINARY_COERCIBLE, None),
        ("varchar", "text", Conversion.BINARY_COERCIBLE, None),
        ("varchar(50)", "varchar(100)", Conversion.BINARY_COERCIBLE, None),
        ("numeric(10,2)", "numeric(12,2)", Conversion.BINARY_COERCIBLE, None),
        ("text", "public.plain_text", Conversion.BINARY_COERCIBLE, None),
        ("public.positive", "integer", Conversion.BINARY_COERCIBLE, None),
        # Narrowing: an assignment cast that refuses or cuts values.
        ("bigint", "integer", Conversion.MAY_FAIL, None),
        ("varchar(100)", "varchar(50)", Conversion.MAY_FAIL, None),
        ("numeric(12,2)", "numeric(10,2)", Conversion.MAY_FAIL, None),
        ("timestamp", "date", Conversion.MAY_FAIL, None),
        ("integer", "public.positive", Conversion.MAY_FAIL, None),
        # No implicit or assignment cast: USING, through text when there is no cast at all.
        ("text", "integer", Conversion.NEEDS_USING, "c::integer"),
        ("boolean", "integer", Conversion.NEEDS_USING, "c::integer"),
        ("integer", "public.mood", Conversion.NEEDS_USING, "c::text::public.mood"),
        ("uuid", "integer", Conversion.NEEDS_USING, "c::text::integer"),
        ("text[]", "integer[]", Conversion.NEEDS_USING, "c::integer[]"),
    ],
)
def test_disputed_and_typical_pairs(
    compared: tuple[Any, Any, str], old: str, new: str, expected: Conversion, using: str | None
) -> None:
    changes = compared[0]
    how = type_change(parse_type(old), parse_type(new),
                      domains=domain_lookup(changes.new, changes.old))  # fmt: skip
    assert (how.conversion, how.using("c")) == (expected, using)


def test_a_type_change_that_only_rewrites_is_not_a_critical_issue() -> None:
    old = pgdrift.loads("CREATE TABLE public.t (a integer, b date, c timestamp, d cidr);")
    new = pgdrift.loads("CREATE TABLE public.t (a text, b timestamp, c timestamptz, d inet);")
    report = render_markdown(diff(old, new))
    assert "None: nothing is lost, nothing breaks, no access widens." in report


# On a real PostgreSQL -------------------------------------------------------------------------


# Values at the edges of each type's range (or typical ones), that a change said not to fail
# must convert.
SAMPLES = {
    "smallint": ["32767", "-32768"], "integer": ["2147483647", "-2147483648"],
    "bigint": ["9223372036854775807", "-9223372036854775808"],
    "numeric": ["-123456789012345678901234567890.123456789", "NaN"],
    "numeric(10,2)": ["99999999.99", "-0.01"], "numeric(12,2)": ["9999999999.99"],
    "real": ["3.4e38", "-1.5e-45", "NaN", "Infinity"],
    "double precision": ["1.7976931348623157e308", "-Infinity"],
    "text": ["x" * 200, "a b  "], "varchar": ["x" * 200], "varchar(50)": ["y" * 50],
    "varchar(100)": ["z" * 100], "char(10)": ["abcdefghij", "ab"], "boolean": ["true", "false"],
    "date": ["9999-12-31", "0001-01-01"], "timestamp": ["9999-12-31 23:59:59.999999"],
    "timestamptz": ["0001-01-01 00:00:00+00", "2024-06-30 12:00:00.123456+02"],
    "time": ["24:00:00", "00:00:00.000001"], "timetz": ["23:59:59.999999-15:59"],
    "interval": ["178000000 years", "-1 day 00:00:00.000001"],
    "uuid": ["ffffffff-ffff-ffff-ffff-ffffffffffff"], "json": ['{"a": 1, "a": [2.50]}'],
    "jsonb": ['{"a": [1, 2.50, null, "\\u00e9"]}'], "bytea": ["\\x00ff"],
    "inet": ["192.168.1.5/24", "::1"], "cidr": ["10.0.0.0/8"], "macaddr": ["08:00:2b:01:02:03"],
    "money": ["92233720368547758.07", "-92233720368547758.08"], "bit(8)": ["10101010"],
    "varbit": ["1" * 100], "integer[]": ["{1,NULL,-2147483648}"], "text[]": ['{"a,b",NULL}'],
    "public.mood": ["ok"], "public.plain_text": ["plain"], "public.positive": ["2147483647"],
}  # fmt: skip


def _probe(old: str, new: str, using: str | None) -> str:
    """A DO block recording, for one pair, whether ALTER without USING works and keeps the
    relfilenode, and whether the ALTER the plan writes converts the sample values."""
    values = ", ".join(f"({quote_literal(v)})" for v in SAMPLES[old])
    name = f"{old}->{new}".replace("'", "''")
    alter = f"ALTER TABLE probe ALTER c TYPE {new}" + (f" USING {using}" if using else "")
    return f"""DO $probe$
DECLARE before oid; after oid; same boolean;
BEGIN
  BEGIN
    CREATE TABLE probe (c {old});
    SELECT relfilenode INTO before FROM pg_class WHERE relname = 'probe';
    ALTER TABLE probe ALTER c TYPE {new};
    SELECT relfilenode INTO after FROM pg_class WHERE relname = 'probe';
    INSERT INTO results VALUES ('{name}', 'plain', true, before <> after);
    DROP TABLE probe;
  EXCEPTION WHEN others THEN
    INSERT INTO results VALUES ('{name}', 'plain', false, NULL);
  END;
  BEGIN
    CREATE TABLE probe (id serial, c {old});
    INSERT INTO probe (c) VALUES {values};
    CREATE TABLE kept AS SELECT * FROM probe;
    {alter};
    -- "Cut": a converted value that does not read back as the value it was.
    BEGIN
      SELECT count(*) = 0 INTO same FROM probe p JOIN kept k USING (id)
        WHERE p.c::text IS DISTINCT FROM k.c::text AND p.c::{old}::text IS DISTINCT FROM k.c::text;
    EXCEPTION WHEN others THEN
      same := NULL;
    END;
    INSERT INTO results VALUES ('{name}', 'rows', true, NULL, same);
    DROP TABLE probe, kept;
  EXCEPTION WHEN others THEN
    INSERT INTO results VALUES ('{name}', 'rows', false, NULL, NULL);
  END;
END $probe$;"""


@pytest.fixture(scope="module")
def server_answers(cluster: Any) -> dict[tuple[str, str], dict[str, Any]]:
    lookup = domain_lookup(pgdrift.loads(TYPE_DEFINITIONS))
    script = [
        # A time zone away from UTC: under UTC, timestamp <-> timestamptz rewrites nothing.
        "SET TimeZone = 'Europe/Paris';", TYPE_DEFINITIONS,
        "CREATE TABLE results (pair text, probe text, ok boolean, rewrote boolean, same boolean);",
    ]  # fmt: skip
    for old, new in PAIRS:
        how = type_change(parse_type(old), parse_type(new), domains=lookup)
        script.append(_probe(old, new, how.using("c")))
    script.append("SELECT json_agg(results) FROM results;")
    rows = _rows(cluster, "type_changes", script)
    answers: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        old, new = row["pair"].split("->")
        answers.setdefault((old, new), {})[row["probe"]] = row
    return answers


def _rows(cluster: Any, database: str, script: list[str]) -> Any:
    """The JSON the last statement of ``script`` prints, run in a throwaway ``database``."""
    cluster.create_database(database)
    try:
        return json.loads(cluster.psql("\n".join(script), dbname=database))
    finally:
        cluster.drop_database(database)


@pytest.mark.postgres
@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_the_classifier_holds_on_postgresql(
    server_answers: dict[tuple[str, str], dict[str, Any]], old: str, new: str
) -> None:
    how = type_change(parse_type(old), parse_type(new),
                      domains=domain_lookup(pgdrift.loads(TYPE_DEFINITIONS)))  # fmt: skip
    plain, rows = server_answers[(old, new)]["plain"], server_answers[(old, new)]["rows"]
    # "Needs USING" exactly when PostgreSQL refuses the ALTER without one.
    assert plain["ok"] is not how.needs_using
    if plain["ok"]:
        # A rewrite gives the table a new relfilenode (docs: 73.1 Database File Layout).
        assert plain["rewrote"] is how.rewrites
    if not how.may_fail:
        # "Cannot fail": the plan's ALTER converts the edge values of the old type.
        assert rows["ok"], f"{old} -> {new} failed on {SAMPLES[old]}"
    if rows["ok"] and not how.cuts and not how.needs_using:
        # "Cuts nothing" (no deletes_data): each converted value reads back as it was.
        assert rows["same"] is not False, f"{old} -> {new} changed {SAMPLES[old]}"


@pytest.fixture(scope="module")
def foreign_key_answers(cluster: Any) -> dict[tuple[str, str], bool]:
    """For every ordered pair of types (the same type included, but not arrays of enum): can a
    column of the first reference a primary key of the second?"""
    script = [TYPE_DEFINITIONS, "CREATE TABLE results (f text, p text, ok boolean);"]
    keyed = [t for t in TYPES if t not in ("json",)]
    for i, key in enumerate(keyed):
        script.append(f"CREATE TABLE pk{i} (k {key} PRIMARY KEY);")
    for i, key in enumerate(keyed):
        for referencing in keyed:
            script.append(f"""DO $probe$ BEGIN
  CREATE TABLE fk (k {referencing} REFERENCES pk{i});
  DROP TABLE fk;
  INSERT INTO results VALUES ('{referencing}', '{key}', true);
EXCEPTION WHEN others THEN
  INSERT INTO results VALUES ('{referencing}', '{key}', false);
END $probe$;""")
    script.append("SELECT json_agg(results) FROM results;")
    rows = _rows(cluster, "foreign_keys", script)
    return {(row["f"], row["p"]): row["ok"] for row in rows}


@pytest.mark.postgres
def test_foreign_key_compatibility_holds_on_postgresql(
    foreign_key_answers: dict[tuple[str, str], bool],
) -> None:
    lookup = domain_lookup(pgdrift.loads(TYPE_DEFINITIONS))
    wrong = sorted(pair for pair, ok in foreign_key_answers.items()
                   if foreign_key_compatible(parse_type(pair[0]), parse_type(pair[1]),
                                             domains=lookup) is not ok)  # fmt: skip
    assert not wrong
    # Both answers occur: the probe can tell them apart.
    assert set(foreign_key_answers.values()) == {True, False}


# Values an implicit or assignment cast changes without an error: the ALTER succeeds and the
# old value is gone, so the plan's step must carry deletes_data.
CUT_VALUES = [
    ("numeric(10,2)", "numeric(10,1)", "1.25"),  # rounds to 1.3
    ("numeric", "numeric(8,2)", "1.005"),
    ("numeric(10,2)", "integer", "1.5"),
    ("double precision", "integer", "2.5"),
    ("double precision", "real", "1.0000000001"),
    ("real", "numeric", "1.0000001"),  # float4_numeric prints FLT_DIG digits
    ("bigint", "double precision", "9007199254740993"),  # past a 53-bit mantissa
    ("integer", "real", "16777217"),
    ("numeric", "money", "1.005"),
    ("timestamp", "timestamp(0)", "2024-01-01 10:00:00.5"),
    ("timestamptz", "date", "2024-01-01 10:00:00+00"),
    ("timestamp", "time", "2024-01-01 10:00:00"),
    ("time(6)", "time(2)", "10:00:00.123456"),
    ("interval", "interval day", "1 day 02:00:00"),
    ("json", "jsonb", '{"a": 1, "a": 2}'),
    ("inet", "cidr", "192.168.1.5/24"),
    ("text", "name", "x" * 100),
    ("text", '"char"', "abc"),
]  # fmt: skip


@pytest.mark.postgres
def test_changes_that_cut_values_delete_data(cluster: Any) -> None:
    """Each conversion that pgdrift says cuts values does, on PostgreSQL: the plan's ALTER
    succeeds and the value no longer reads back; the step carries deletes_data."""
    script = ["CREATE TABLE results (i integer, ok boolean, same boolean);"]
    for i, (old, new, value) in enumerate(CUT_VALUES):
        how = type_change(parse_type(old), parse_type(new))
        assert how.cuts, (old, new)
        assert Hazard.DELETES_DATA in how.hazards()
        alter = f"ALTER TABLE probe ALTER c TYPE {new}" + (
            f" USING {how.using('c')}" if how.needs_using else "")  # fmt: skip
        script.append(f"""DO $probe$ BEGIN
  CREATE TABLE probe (c {old});
  INSERT INTO probe VALUES ({quote_literal(value)});
  {alter};
  INSERT INTO results SELECT {i}, true, c::text = {quote_literal(value)}::{old}::text FROM probe;
  DROP TABLE probe;
EXCEPTION WHEN others THEN
  INSERT INTO results VALUES ({i}, false, NULL);
END $probe$;""")
    script.append("SELECT json_agg(results ORDER BY i) FROM results;")
    rows = _rows(cluster, "cut_values", script)
    wrong = [CUT_VALUES[row["i"]] for row in rows if not row["ok"] or row["same"]]
    assert not wrong
