"""Developer tasks.

``nox`` alone runs what CI runs, each session a stage: lint, typecheck, docs, tests (nox runs
them all and fails if any failed). ``nox -s fixtures`` regenerates the pg_dump fixtures and
``nox -s goldens`` the golden files.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
# The quick stages first, so their verdict shows before the long test run.
nox.options.sessions = ["lint", "typecheck", "docs", "tests"]

# Linters pinned so a new release cannot fail CI on a commit that passed; raise them on purpose.
RUFF = "ruff==0.17.6"
MYPY = "mypy==2.4.1"
# The documentation site's tools, pinned for the same reason. griffelib, mkdocs-autorefs and
# pymdown-extensions are pinned too: tools/docs_griffe.py and mkdocs.yml use their APIs.
DOCS = (
    "mkdocs==1.6.1",
    "mkdocs-material==9.8.1",
    "mkdocstrings[python]==1.0.8",
    "mkdocstrings-python==2.0.11",
    "griffelib==2.4.1",
    "mkdocs-autorefs==1.4.5",
    "pymdown-extensions==13.1.2",
)


def _banner(session: nox.Session, what: str) -> None:
    """A line that marks where a stage's output starts in a long CI log."""
    session.log(f"==== {session.name}: {what} ====")


# Every session below runs pytest through session.run, which fails the session on any non-zero
# status: pytest's 5 ("no tests were collected") fails CI like a failed test does.


@nox.session
def fixtures(session: nox.Session) -> None:
    """Regenerate fixtures/**/dump.sql in fresh PostgreSQL clusters.

    Pass case names to limit it, or --check to only verify: ``nox -s fixtures -- --check``.
    """
    # tools/pgcluster.py uses only the standard library: nothing to install.
    session.run("python", "tools/pgcluster.py", "fixtures", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite. Tests that need PostgreSQL start a throwaway server; they are
    skipped without one unless ``PGDRIFT_REQUIRE_POSTGRES=1`` (CI sets it) makes that a failure.
    """
    # The dask extra: the fleet tests run `pgdrift fleet --scheduler` on a LocalCluster (it
    # adds 23 s to an install with an empty pip cache on the project machine, 5 s with a warm
    # one; dask and distributed are pure-Python wheels).
    session.install("-e", ".[test,dask]")
    _banner(session, "pytest, the whole suite")
    session.run("pytest", *session.posargs)


@nox.session
def goldens(session: nox.Session) -> None:
    """Rewrite every golden file from pgdrift's current output: the reports and schemas under
    tests/golden/, each fixture pair's migration scripts (fixtures/pairs/*/expected_*.sql) and
    the documentation's example pages (docs/examples/, by tools/doc_examples.py).

    Review the diff before committing it; ``nox -s tests`` compares them byte for byte.
    """
    session.install("-e", ".[test]")
    _banner(session, "pytest --update-goldens (tests that need no PostgreSQL)")
    session.run(
        "pytest", "--update-goldens", "-m", "not postgres", "-q", "-p", "no:cacheprovider",
        *session.posargs,
    )  # fmt: skip
    _banner(session, "tools/doc_examples.py (docs/examples/ from the fixtures)")
    session.run("python", "tools/doc_examples.py")


@nox.session
def integration(session: nox.Session) -> None:
    """The tests on a real PostgreSQL: apply pgdrift's script for every fixtures/pairs case,
    both ways, on a throwaway server and require the result to equal the target.

    ``nox -s tests`` runs these too; this session runs only them (``-- -k enum_`` narrows).
    """
    session.install("-e", ".[test,dask]")
    _banner(session, "pytest tests/integration -m postgres")
    session.run("pytest", "tests/integration", "-m", "postgres", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check on every Python file: the package, tests, tools, bench, fuzz and examples."""
    session.install(RUFF)
    _banner(session, "ruff check .")
    session.run("ruff", "--version")
    session.run("ruff", "check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package (configured in pyproject.toml)."""
    # pgdrift.pytest_plugin imports pytest: without the test extra mypy cannot see its types.
    session.install("-e", ".[test]", MYPY)
    _banner(session, "mypy --strict src/pgdrift")
    session.run("mypy", "--version")
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """The docstring examples run (``pytest --doctest-modules src/pgdrift``), then the
    documentation site builds with ``mkdocs build --strict`` into site/ (a broken link, a
    missing page or an unresolved API reference fails). The generated example pages are
    checked by tests/test_docs.py in ``nox -s tests``.
    """
    # mkdocstrings formats the API reference's signatures with ruff (the pinned one).
    session.install("-e", ".[test]", *DOCS, RUFF)
    _banner(session, "pytest --doctest-modules src/pgdrift")
    session.run("pytest", "--doctest-modules", "src/pgdrift", "-q", "-p", "no:cacheprovider")
    _banner(session, "mkdocs build --strict (the documentation site, into site/)")
    # Material prints a banner about its successor on every build unless told not to.
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: load, diff and plan a generated 5,000-table dump against a parse-only floor;
    fleet throughput over 2,000 generated dumps (one process, a pool, a Dask LocalCluster).

    Needs PostgreSQL (for pg_dump); dumps are cached in .bench/, figures go to
    .bench/results.json. A quick run: ``nox -s bench -- --tables 1000 --fleet 200``.
    """
    session.install("-e", ".[dask]")
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
