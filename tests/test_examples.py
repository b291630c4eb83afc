"""The example suite in examples/ runs as a user would run it (``pytest examples/``), with its own
pytest.ini, in a separate pytest process: it must pass against the committed LiveConvo dump."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_example_suite_passes_against_the_liveconvo_prod_dump() -> None:
    # Its own process: examples/pytest.ini is the configuration only when pytest starts there.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "examples", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"^\d+ passed in ", output, re.MULTILINE), output
