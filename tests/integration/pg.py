"""The one way tests reach PostgreSQL: ``tools/pgcluster.py``, loaded once, and the one place
that decides whether a missing server skips a test or fails it.

``tools/pgcluster.py`` is a script, not a package, so it is loaded from its path and registered
as ``sys.modules["pgcluster"]``: every test module then sees the same exception classes.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Set (to anything but "" or "0") where PostgreSQL must be there, as in CI: a test that needs a
#: server then fails when none is found, instead of being skipped and passing unnoticed.
REQUIRE_POSTGRES = "PGDRIFT_REQUIRE_POSTGRES"


def _load_pgcluster() -> ModuleType:
    loaded = sys.modules.get("pgcluster")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("pgcluster", ROOT / "tools" / "pgcluster.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["pgcluster"] = module
    spec.loader.exec_module(module)
    return module


pgcluster = _load_pgcluster()


def server_bindir() -> Path:
    """PostgreSQL's server programs. Skips the test when there are none, or fails it when
    ``PGDRIFT_REQUIRE_POSTGRES`` is set (CI sets it, so a lost install cannot pass as skips)."""
    try:
        return Path(pgcluster.find_bindir())
    except pgcluster.ClusterError as error:
        if os.environ.get(REQUIRE_POSTGRES, "") not in ("", "0"):
            pytest.fail(f"{REQUIRE_POSTGRES} is set but {error}", pytrace=False)
        pytest.skip(f"no PostgreSQL server binaries: {error}")
