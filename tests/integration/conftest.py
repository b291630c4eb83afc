"""One throwaway PostgreSQL cluster for the whole session, and the proof count at the end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fixture_pairs import pgcluster


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    """A private server (unix socket only) with the roles every fixture dump may name.

    Skipped, with the reason, only when no PostgreSQL server binaries are installed.
    """
    try:
        bindir = pgcluster.find_bindir()
    except pgcluster.ClusterError as error:
        pytest.skip(f"no PostgreSQL server binaries: {error}")
    with pgcluster.Cluster(bindir=bindir) as server:
        # Roles are cluster-wide and pg_dump never writes them: create the fixed set the
        # fixture tool creates before each source.sql, so grants and owners in dumps resolve.
        server.psql(
            "\n".join(
                f"CREATE ROLE {pgcluster.quote_ident(name)} {attributes};"
                for name, attributes in sorted(pgcluster.FIXTURE_ROLES.items())
            )
        )
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
