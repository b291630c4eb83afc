"""Shared test options.

Golden files (whole reports and serialised schemas under ``tests/golden/``, and the migration
script of every fixture pair, ``fixtures/pairs/<pair>/expected_*.sql``) are compared byte for
byte. Regenerate them all with one command, ``nox -s goldens`` (``pytest --update-goldens``),
and review the diff before committing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = "nox -s goldens (or pytest --update-goldens)"


@pytest.fixture(autouse=True, scope="session")
def _private_schema_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The CLI and the pytest plugin keep loaded dumps in a persistent cache: point it at a
    directory of this session, never at the user's ~/.cache (subprocesses inherit it)."""
    saved = os.environ.get("PGDRIFT_CACHE_DIR")
    os.environ["PGDRIFT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache") / "pgdrift")
    yield
    if saved is None:
        del os.environ["PGDRIFT_CACHE_DIR"]
    else:
        os.environ["PGDRIFT_CACHE_DIR"] = saved


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files (tests/golden/, fixtures/pairs/*/expected_*.sql) from the "
        "current output instead of comparing",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str | Path, str], None]:
    """``golden("schema/tables.json", text)``: compare text, as UTF-8 bytes, with the golden
    file (or write it with --update-goldens). A relative name is under ``tests/golden/``; a
    ``Path`` is used as it is."""
    update = request.config.getoption("--update-goldens")

    def check(name: str | Path, text: str) -> None:
        path = name if isinstance(name, Path) else GOLDEN / name
        data = text.encode("utf-8")
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
            return
        assert path.exists(), f"{path} is missing: run {REGENERATE} and review it"
        assert path.read_bytes() == data, (
            f"{path} differs from what pgdrift writes now: run {REGENERATE} and review the diff"
        )

    return check
