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


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (what CI runs). Tests that need PostgreSQL start their own."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def integration(session: nox.Session) -> None:
    """The migration proof: apply pgdrift's script for every fixtures/pairs case, both ways,
    on a throwaway PostgreSQL and require the result to equal the target.

    ``nox -s tests`` runs these too; this session runs only them (``-- -k enum_`` narrows).
    """
    session.install("-e", ".[test]")
    session.run("pytest", "tests/integration", "-m", "postgres", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "tools", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package."""
    session.install("-e", ".", "mypy")
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """Check the documentation: every docs page exists and the docstring examples run."""
    session.install("-e", ".[test]")
    session.run("pytest", "--doctest-modules", "src/pgdrift", "-q", "-p", "no:cacheprovider")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: load, diff and plan a generated 5,000-table dump against a parse-only floor.

    Needs PostgreSQL (for pg_dump); dumps are cached in .bench/, figures go to
    .bench/results.json. A quick run: ``nox -s bench -- --tables 1000``.
    """
    session.install("-e", ".")
    session.run("python", "bench/run.py", *session.posargs)
