"""The migration proof: every pair's script, applied by a real PostgreSQL, reaches its target.

For each pair of ``fixtures/pairs`` in both directions: restore the source dump into a fresh
database, ask ``pgdrift diff --format sql`` for the script, run it with ``psql -v
ON_ERROR_STOP=1 --single-transaction``, ``pg_dump --schema-only`` the result and require
``pgdrift.diff(result, target)`` to be empty; a pair carrying rows (``rows_a.sql``) must keep
them (its ``-- expect:`` queries true afterwards). A failure says whether either dump already
changes in a plain restore + pg_dump round trip (then the plan is not to blame).

The script proven must also be the one committed as the pair's ``expected_*.sql`` golden
(reviewed in the diff; ``test_fixture_pairs.py`` checks it offline), so a reviewed script is a
proven script.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from fixture_pairs import MIGRATIONS, PAIRS, Migration
from migration_proof import (
    describe_changes,
    numbered,
    run_pgdrift,
    runs_in_one_transaction,
    unexplained,
)
from pg import pgcluster

import pgdrift
from pgdrift.differ import Change, diff


@functools.cache
def _load_dump(path: Path) -> pgdrift.Schema:
    return pgdrift.load(path)


def migration_script(migration: Migration) -> str:
    """What ``pgdrift diff --format sql SOURCE TARGET`` prints (exit 0 or 1, as diff(1))."""
    argv = [
        "diff",
        "--format",
        "sql",
        *migration.rename_arguments(),
        str(migration.source),
        str(migration.target),
    ]
    status, out, err = run_pgdrift(argv)
    if status not in (0, 1):
        pytest.fail(f"pgdrift {' '.join(argv)} exited with {status}:\n{err}", pytrace=False)
    return out


@pytest.mark.postgres
@pytest.mark.parametrize("migration", MIGRATIONS, ids=lambda m: m.id)
def test_migration_reaches_target(migration: Migration, cluster: Any, tmp_path: Path) -> None:
    cluster.create_database(migration.database)
    lost: list[str] = []
    try:
        cluster.psql(file=migration.source, dbname=migration.database)
        if migration.rows is not None:
            cluster.psql(file=migration.rows, dbname=migration.database)
        script = migration_script(migration)
        script_file = tmp_path / "migration.sql"
        script_file.write_text(script, encoding="utf-8")
        single = ["--single-transaction"] if runs_in_one_transaction(script) else []
        rejected = None
        try:
            cluster.psql(file=script_file, dbname=migration.database, args=single)
        except pgcluster.ToolError as error:
            rejected = error.stderr
        else:
            dump = cluster.pg_dump(migration.database, "--schema-only")
            lost = [query for query in migration.row_expectations()
                    if cluster.psql(query, dbname=migration.database).strip() != "t"]  # fmt: skip
    finally:
        cluster.drop_database(migration.database)
    if rejected is not None:
        pytest.fail(
            f"PostgreSQL rejected the script for {migration.id}:\n{rejected}\n"
            f"--- script ---\n{numbered(script)}{fixture_notes(cluster, migration)}",
            pytrace=False,
        )
    if lost:
        pytest.fail(
            f"after the script, {migration.id} misses its row checks, not true:\n"
            + "\n".join(lost) + f"\n--- script ---\n{numbered(script)}",
            pytrace=False,
        )
    result = pgdrift.loads(dump, name=f"{migration.id} result")
    remaining = unexplained(
        diff(result, _load_dump(migration.target), renames=migration.renames),
        migration.pair.ignore,
    )
    if remaining:
        pytest.fail(
            f"after the script, {migration.id} still differs from its target "
            f"({len(remaining)} change(s)):\n{describe_changes(remaining)}\n"
            f"--- script ---\n{numbered(script)}{fixture_notes(cluster, migration)}",
            pytrace=False,
        )
    assert script.encode("utf-8") == migration.expected_sql.read_bytes(), (
        f"the proven script is not {migration.expected_sql}: run nox -s goldens and review the diff"
    )


def round_trip_drift(cluster: Any, dump: Path) -> list[Change]:
    """What pgdrift sees change when ``dump`` is restored into a fresh database and dumped
    again: empty for a sound fixture and a sound loader."""
    database = "round_trip"
    cluster.create_database(database)
    try:
        cluster.psql(file=dump, dbname=database)
        again = pgdrift.loads(cluster.pg_dump(database, "--schema-only"), name=f"{dump} again")
    finally:
        cluster.drop_database(database)
    return list(diff(again, _load_dump(dump)))


def fixture_notes(cluster: Any, migration: Migration) -> str:
    """For a failed proof: whether either side fails even without a migration, in which case
    the fault is the fixture's or the loader's rather than the plan's. Checked only on
    failure, since it costs a database and a pg_dump per side."""
    notes = []
    for dump in (migration.source, migration.target):
        drift = round_trip_drift(cluster, dump)
        if drift:
            notes.append(
                f"\nNOTE: {dump} itself changes in a restore + pg_dump round trip:\n"
                + describe_changes(drift)
            )
    return "".join(notes)


@pytest.mark.postgres
def test_a_committed_dump_survives_a_round_trip(cluster: Any) -> None:
    (migration, _) = next(p for p in PAIRS if p.name == "liveconvo").migrations()
    assert round_trip_drift(cluster, migration.source) == []
    assert round_trip_drift(cluster, migration.target) == []
    assert fixture_notes(cluster, migration) == ""


def test_an_accepted_attribute_change_is_not_a_remaining_difference() -> None:
    reordered = diff(
        pgdrift.loads("CREATE TABLE public.t (a integer, b integer);"),
        pgdrift.loads("CREATE TABLE public.t (b integer, a integer);"),
    )
    assert [c.details[0].field for c in reordered] == ["column_order"]
    assert unexplained(reordered, frozenset({"column_order"})) == []
    retyped = diff(
        pgdrift.loads("CREATE TABLE public.t (a integer, b integer);"),
        pgdrift.loads("CREATE TABLE public.t (b integer, a bigint);"),
    )
    assert [str(c.id) for c in unexplained(retyped, frozenset({"column_order"}))] == [
        "column:public.t.a"
    ]


def test_the_script_header_decides_the_transaction() -> None:
    assert runs_in_one_transaction("-- pgdrift migration\nBEGIN;\nCOMMIT;\n")
    assert not runs_in_one_transaction(
        "-- This script cannot run inside a transaction block:\n"
        "-- CREATE INDEX CONCURRENTLY\nCREATE INDEX CONCURRENTLY i ON t (a);\n"
    )
    assert not runs_in_one_transaction("-- non-transactional: run with autocommit\nSELECT 1;\n")
    # The planner's own wording (src/pgdrift/planner/steps.py).
    assert not runs_in_one_transaction(
        "-- WARNING: the column order differs\n"
        "-- This script does not run as one transaction: 1 statement cannot run inside a "
        "transaction block (or must be committed before what follows), so it is split into "
        "several transactions.\n\nBEGIN;\n"
    )
    # Only the leading comments count; a comment further down is about its own step.
    assert runs_in_one_transaction("SELECT 1;\n-- cannot run in a transaction\n")
