"""Shared test options.

Golden files (whole reports and serialised schemas under ``tests/golden/``) are compared byte
for byte; regenerate them with ``pytest --update-goldens`` and review the diff before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ files from the current output instead of comparing",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """``golden("schema/tables.json", text)``: compare text with the golden file (or write it
    with --update-goldens)."""
    update = request.config.getoption("--update-goldens")

    def check(relative: str, text: str) -> None:
        path = GOLDEN / relative
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"{path} is missing: run pytest --update-goldens and review it"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{path} differs: run pytest --update-goldens and review the diff"

    return check
