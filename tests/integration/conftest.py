"""The tests that run SQL on a real PostgreSQL live in this directory and share one throwaway
cluster for the whole session; the proof count is printed at the end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pg import pgcluster, server_bindir


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    """A private server (unix socket only) with the roles every fixture dump may name.

    Tests create a database of their own in it and drop it when done.
    """
    with pgcluster.Cluster(bindir=server_bindir()) as server:
        pgcluster.create_fixture_roles(server)
        yield server


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """``migration proofs: N of M passed``: how many (pair, direction) migrations PostgreSQL
    accepted and left identical to their target."""
    outcomes: dict[str, set[str]] = {}
    for outcome in ("passed", "failed", "error", "xfailed", "xpassed", "skipped"):
        outcomes[outcome] = {
            report.nodeid
            for report in terminalreporter.stats.get(outcome, [])
            if _MIGRATION_TEST in getattr(report, "nodeid", "")
        }
    total = len(set().union(*outcomes.values()))
    if not total:
        return
    others = ", ".join(f"{len(ids)} {o}" for o, ids in outcomes.items() if ids and o != "passed")
    summary = f"migration proofs: {len(outcomes['passed'])} of {total} passed"
    terminalreporter.write_line(summary + (f" ({others})" if others else ""))


_MIGRATION_TEST = "test_migrations.py::test_migration_reaches_target["
