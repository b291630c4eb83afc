"""Developer tasks. ``nox -s fixtures`` regenerates the pg_dump fixtures."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True


@nox.session
def fixtures(session: nox.Session) -> None:
    """Regenerate fixtures/**/dump.sql in fresh PostgreSQL clusters.

    Pass case names to limit it, or --check to only verify: ``nox -s fixtures -- --check``.
    """
    # tools/pgcluster.py uses only the standard library: nothing to install.
    session.run("python", "tools/pgcluster.py", "fixtures", *session.posargs)
