"""The operator answers pgdrift types literals with (pgdrift.pg.operator_literals) are
PostgreSQL's: the committed module is what tools/operator_literals.py reads off this server."""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import pytest
from pg import ROOT

pytestmark = pytest.mark.postgres


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "operator_literals_tool", ROOT / "tools" / "operator_literals.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_module_is_what_postgresql_answers(cluster: Any) -> None:
    tool = _tool()
    assert tool.module_text_of(cluster) == tool.MODULE.read_text(encoding="utf-8"), (
        "run: python tools/operator_literals.py"
    )
