"""Developer tasks. ``nox -s fixtures`` regenerates the pg_dump fixtures."""

from __future__ import annotations

import os
from pathlib import Path

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


@nox.session(name="property")
def properties(session: nox.Session) -> None:
    """Property and robustness tests with many examples, and the 200 MB memory measurement.

    ``nox -s tests`` runs the same properties with 25 examples each; this session runs
    ``PGDRIFT_PROPERTY_EXAMPLES`` (default 1,000) and the opt-in test that loads a generated
    200 MB dump in a fresh process and prints its peak RSS (a few minutes).
    """
    session.install("-e", ".[test]")
    env = {
        "PGDRIFT_PROPERTY_EXAMPLES": os.environ.get("PGDRIFT_PROPERTY_EXAMPLES", "1000"),
        "PGDRIFT_BIG_DUMP": "1",
    }
    session.run(
        "pytest", "tests/test_properties.py", "tests/test_robustness.py", "-s", "-p",
        "no:cacheprovider", *session.posargs, env=env,
    )  # fmt: skip


@nox.session
def fuzz(session: nox.Session) -> None:
    """Fuzz pgdrift.loads with atheris for 10 minutes (not part of CI).

    The corpus starts from every fixture dump and grows in .nox/fuzz/tmp/corpus; crashes,
    timeouts and out-of-memory inputs are written to .nox/fuzz/tmp/artifacts. Pass libFuzzer
    options to change the run: ``nox -s fuzz -- -max_total_time=60``.
    """
    session.install("-e", ".", "atheris")
    tmp = Path(session.create_tmp())
    corpus, artifacts = tmp / "corpus", tmp / "artifacts"
    corpus.mkdir(exist_ok=True)
    artifacts.mkdir(exist_ok=True)
    for dump in sorted(Path("fixtures").rglob("dump.sql")):
        seed = dump.read_bytes()
        name = "-".join(dump.parent.parts[1:])
        # The first byte picks strict and bytes-or-text (fuzz/fuzz_loads.py).
        (corpus / f"seed-{name}-text").write_bytes(b"\0" + seed)
        (corpus / f"seed-{name}-bytes-strict").write_bytes(b"\3" + seed)
    options = session.posargs or ["-max_total_time=600"]
    session.run(
        "python", "fuzz/fuzz_loads.py", str(corpus), f"-artifact_prefix={artifacts}/",
        "-timeout=30", "-rss_limit_mb=4096", "-print_final_stats=1", *options,
    )  # fmt: skip
