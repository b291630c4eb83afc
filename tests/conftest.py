"""Shared test options.

Golden files (whole reports and serialised schemas under ``tests/golden/``, and the migration
script of every fixture pair, ``fixtures/pairs/<pair>/expected_*.sql``) are compared byte for
byte. Regenerate them all with one command, ``nox -s goldens`` (``pytest --update-goldens``),
and review the diff before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = "nox -s goldens (or pytest --update-goldens)"


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
