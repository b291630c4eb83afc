"""Golden files: each fixture's Schema serialised to JSON, reviewed and committed. A change in
what the model reads from a dump shows up as a diff of these files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import pgdrift
from pgdrift.serialize import schema_to_data

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# fixtures/clean/<case> is <case> dumped with --clean --if-exists: tests/test_ddl_drop.py
# requires its schema to equal <case>'s, whose golden is here.
CASES = sorted(
    p
    for p in FIXTURES.rglob("dump.sql")
    if not {"pairs", "dumpall", "clean"} & set(p.relative_to(FIXTURES).parts)
)


@pytest.mark.parametrize("dump", CASES, ids=lambda p: str(p.parent.relative_to(FIXTURES)))
def test_schema_json_matches_golden(dump: Path, golden: Callable[[str, str], None]) -> None:
    case = str(dump.parent.relative_to(FIXTURES)).replace("/", "__")
    data = schema_to_data(pgdrift.load(dump, name=case))
    golden(f"schema/{case}.json", json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def test_dumpall_database_json_matches_golden(golden: Callable[[str, str], None]) -> None:
    schema = pgdrift.load(FIXTURES / "dumpall" / "dump.sql", database="inventory", name="dumpall")
    data = schema_to_data(schema)
    golden("schema/dumpall__inventory.json", json.dumps(data, indent=1, ensure_ascii=False) + "\n")
