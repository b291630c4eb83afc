"""docs/lint.md lists every rule as the rules themselves describe it, and is linked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pgdrift.linter import RULES

ROOT = Path(__file__).resolve().parent.parent


def test_lint_reference_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lint_reference.py"), "--check"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_rule_has_an_anchor_and_the_page_is_linked() -> None:
    page = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    for code in RULES:
        assert f'<a id="{code.lower()}"></a>' in page, code
    assert "(lint.md)" in (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
