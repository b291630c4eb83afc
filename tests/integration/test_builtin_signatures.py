"""The built-in signatures pgdrift resolves calls with (pgdrift.pg.builtin_signatures) are
PostgreSQL's: the committed module is what tools/builtin_signatures.py makes of this server's
pg_proc, and every overloaded call the module resolves with unknown arguments resolves so in
PostgreSQL too."""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import pytest
from pg import ROOT

pytestmark = pytest.mark.postgres


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "builtin_signatures_tool", ROOT / "tools" / "builtin_signatures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_module_is_the_catalogues(cluster: Any) -> None:
    tool = _tool()
    assert tool.module_text(cluster) == tool.MODULE.read_text(encoding="utf-8"), (
        "run: python tools/builtin_signatures.py"
    )
    assert tool.results_text(cluster) == tool.RESULTS_MODULE.read_text(encoding="utf-8"), (
        "run: python tools/builtin_signatures.py"
    )


def test_resolved_overloads_are_the_functions_postgresql_chooses(cluster: Any) -> None:
    assert _tool().check(cluster) == 0
