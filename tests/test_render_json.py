"""The JSON renderer: the versioned layout of docs/json-format.md, deterministic bytes.

The LiveConvo change set is a golden file, ``tests/golden/diff/liveconvo.json``; regenerate it
with ``pytest --update-goldens`` and review the diff.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pgdrift
from pgdrift.differ import ChangeSet, diff
from pgdrift.renderer import render, render_json

ROOT = Path(__file__).resolve().parent.parent
LIVECONVO = ROOT / "fixtures" / "liveconvo"
TABLE = "CREATE TABLE public.t (id integer NOT NULL, name text);\n"


def changes(old: str, new: str, **options: Any) -> ChangeSet:
    return diff(pgdrift.loads(old), pgdrift.loads(new), labels=("dev", "prod"), **options)


def data(result: ChangeSet) -> Any:
    return json.loads(render_json(result))


def test_top_level_keys_come_in_the_documented_order() -> None:
    document = data(changes(TABLE, TABLE))
    assert list(document) == [
        "format", "version", "labels", "sources", "inputs", "summary", "changes",
        "rename_candidates", "treated_as_equal",
    ]  # fmt: skip
    assert document["format"] == "pgdrift.changeset"
    assert document["version"] == 1
    assert document["labels"] == ["dev", "prod"]
    assert document["sources"] == ["<string>", "<string>"]


def test_summary_counts_every_operation_and_kind() -> None:
    new = "CREATE TABLE public.t (id bigint NOT NULL, n int);\nCREATE TABLE public.u (x int);"
    summary = data(changes(TABLE, new))["summary"]
    assert summary == {
        "changes": 4,
        "operations": {"create": 2, "drop": 1, "alter": 1, "replace": 0, "rename": 0},
        "kinds": {"column": 3, "table": 1},
        "security": 0,
        "unconfirmed_renames": 0,
    }


def test_an_alteration_carries_both_definitions_and_its_details() -> None:
    new = "CREATE TABLE public.t (id bigint NOT NULL, name text);"
    (change,) = data(changes(TABLE, new))["changes"]
    assert change == {
        "operation": "alter",
        "id": "column:public.t.id",
        "kind": "column",
        "before": {"id": "column:public.t.id", "kind": "column", "type": "integer",
                   "not_null": True},
        "after": {"id": "column:public.t.id", "kind": "column", "type": "bigint",
                  "not_null": True},
        "details": [{"field": "type", "old": "integer", "new": "bigint", "note": None}],
        "hazards": [],
        "security": [],
    }  # fmt: skip


def test_a_rename_has_new_id_and_a_replacement_has_reason() -> None:
    new = "CREATE TABLE public.t (id integer NOT NULL, full_name text);"
    (renamed,) = data(changes(TABLE, new, renames={"t.name": "full_name"}))["changes"]
    assert renamed["operation"] == "rename"
    assert renamed["new_id"] == "column:public.t.full_name"
    assert list(renamed).index("new_id") == list(renamed).index("kind") + 1
    assert "reason" not in renamed
    old = TABLE + "CREATE INDEX i ON public.t (id);"
    (replaced,) = data(changes(old, TABLE + "CREATE INDEX i ON public.t (name);"))["changes"]
    assert replaced["operation"] == "replace"
    assert replaced["reason"] == "index elements changed"
    assert "new_id" not in replaced


def test_created_and_dropped_objects_have_null_on_the_missing_side() -> None:
    new = TABLE + "CREATE TABLE public.u (x integer);"
    (created,) = data(changes(TABLE, new))["changes"]
    assert created["before"] is None
    assert created["after"]["columns"] == [
        {"id": "column:public.u.x", "kind": "column", "type": "integer"}
    ]
    assert created["details"] == []


def test_security_reasons_are_listed_on_the_change() -> None:
    (change,) = data(changes(TABLE, TABLE + "GRANT SELECT ON public.t TO anon;"))["changes"]
    assert change["security"] == ["SELECT granted to anon"]


def test_rename_candidates_are_listed_with_score_and_evidence() -> None:
    new = "CREATE TABLE public.t (id integer NOT NULL, names text);"
    document = data(changes(TABLE, new))
    (candidate,) = document["rename_candidates"]
    assert candidate["old"] == "column:public.t.name"
    assert candidate["new"] == "column:public.t.names"
    assert candidate["confirmed"] is False
    assert 0.7 <= candidate["score"] <= 1
    assert "same type text" in candidate["evidence"]
    assert document["summary"]["unconfirmed_renames"] == 1


def test_output_is_the_same_bytes_whatever_the_statement_order() -> None:
    one = TABLE + "CREATE TABLE public.a (x integer);\nCREATE TABLE public.b (y integer);"
    two = "CREATE TABLE public.b (y integer);\nCREATE TABLE public.a (x integer);\n" + TABLE
    base = "CREATE TABLE public.t (id integer);"
    assert render_json(changes(base, one)) == render_json(changes(base, two))


def test_indent_none_writes_one_line() -> None:
    text = render(changes(TABLE, TABLE), "json", indent=None)
    assert text.count("\n") == 1
    assert text.endswith("}\n")


def test_every_documented_key_is_written_and_every_written_key_documented() -> None:
    doc = (ROOT / "docs" / "json-format.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(\w+)` \|", doc, re.MULTILINE))
    old = TABLE + "CREATE INDEX i ON public.t (id);"
    new = (
        "CREATE TABLE public.t (id integer NOT NULL, full_name text);\n"
        "CREATE INDEX i ON public.t (full_name);\nGRANT SELECT ON public.t TO anon;"
    )
    document = data(changes(old, new, renames={"t.name": "full_name"}))
    written = set(document) | set(document["summary"])
    for change in document["changes"]:
        written |= set(change)
        for detail in change["details"]:
            written |= set(detail)
    written |= {key for c in document["rename_candidates"] for key in c}
    document = data(changes(TABLE, "CREATE TABLE public.t (id integer NOT NULL, names text);"))
    written |= {key for c in document["rename_candidates"] for key in c}
    a = "CREATE TABLE public.t (x timestamptz, y timestamp DEFAULT (x AT TIME ZONE 'utc'));"
    b = "CREATE TABLE public.t (x timestamptz, y timestamp DEFAULT timezone('utc', x));"
    written |= {key for t in data(changes(a, b))["treated_as_equal"] for key in t}
    assert written == documented


def test_attributes_treated_as_equal_are_listed_with_their_rule() -> None:
    a = "CREATE TABLE public.t (x timestamptz, y timestamp DEFAULT (x AT TIME ZONE 'utc'));"
    b = "CREATE TABLE public.t (x timestamptz, y timestamp DEFAULT timezone('utc', x));"
    document = data(changes(a, b))
    assert document["changes"] == []
    (item,) = document["treated_as_equal"]
    assert (item["id"], item["attribute"], item["rule"]) == (
        "column:public.t.y", "default", "explicit_call_format",
    )  # fmt: skip
    assert "AT TIME ZONE" in item["description"]


def test_liveconvo_json_matches_its_golden_file(golden) -> None:  # type: ignore[no-untyped-def]
    dev = pgdrift.load(LIVECONVO / "dev" / "dump.sql", name="fixtures/liveconvo/dev/dump.sql")
    prod = pgdrift.load(LIVECONVO / "prod" / "dump.sql", name="fixtures/liveconvo/prod/dump.sql")
    result = diff(dev, prod, labels=("dev", "prod"), detect_renames=True)
    golden("diff/liveconvo.json", render_json(result))
