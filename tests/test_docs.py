"""The documentation stays true: generated reference pages match the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_object_model_reference_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "model_reference.py"), "--check"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_docs_pages_exist() -> None:
    for page in ("index.md", "getting-started.md", "object-model.md"):
        assert (ROOT / "docs" / page).is_file(), page
