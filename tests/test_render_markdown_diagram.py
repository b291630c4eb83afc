"""The Markdown report's diagram of the tables that differ and their neighbours: it reads as
Mermaid (``erd_syntax.parse_mermaid``), shows only tables of the two schemas, marks what
differs, and stays within its limit on a large diff."""

from __future__ import annotations

import re
from pathlib import Path

import attrs

import pgdrift
from erd_syntax import MermaidER, parse_mermaid
from pgdrift.differ import diff
from pgdrift.renderer import render_markdown
from pgdrift.renderer.markdown_diagram import DIAGRAM_TITLE, REPORT_MAX_TABLES

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "diff"
LIVECONVO = ROOT / "fixtures" / "liveconvo"


def diagram_of(report: str) -> MermaidER | None:
    """The report's diagram, read back; None when the report has none."""
    match = re.search(rf"### {DIAGRAM_TITLE}\n\n```mermaid\n(.*?)\n```\n", report, re.S)
    return parse_mermaid(match.group(1) + "\n") if match else None


def report(old: str, new: str, **options: object) -> str:
    changes = diff(pgdrift.loads(old), pgdrift.loads(new), labels=("dev", "prod"), **options)
    return render_markdown(changes)


BASE = """
CREATE TABLE public.teams (id integer PRIMARY KEY, name text);
CREATE TABLE public.people (id integer PRIMARY KEY, team_id integer REFERENCES public.teams,
                            email text, legacy_code text);
CREATE TABLE public.audit (id integer PRIMARY KEY, at timestamptz);
"""
CHANGED = """
CREATE TABLE public.teams (id integer PRIMARY KEY, name text);
CREATE TABLE public.people (id integer PRIMARY KEY, team_id integer REFERENCES public.teams,
                            email character varying(320), nickname text);
CREATE TABLE public.audit (id integer PRIMARY KEY, at timestamptz);
CREATE TABLE public.badges (id integer PRIMARY KEY,
                            person_id integer NOT NULL REFERENCES public.people);
"""


def test_liveconvo_reports_draw_tables_of_the_two_schemas_marked_by_side() -> None:
    dev = pgdrift.load(LIVECONVO / "dev" / "dump.sql")
    prod = pgdrift.load(LIVECONVO / "prod" / "dump.sql")
    tables = {t.id.qualified_name for s in (dev, prod) for t in s.tables.values()}
    for name in ("liveconvo.md", "liveconvo-renames-unconfirmed.md"):
        er = diagram_of((GOLDEN / name).read_text(encoding="utf-8"))
        assert er is not None, name
        assert set(er.entities) <= tables
        assert er.classes["public.custom_reports"] == "dropped"
        assert er.classes["public.referral_fraud_checks"] == "created"
        assert er.classes["public.user_referrals"] == "altered"
        # sessions differs in nothing: it is drawn as a neighbour, unmarked.
        assert "public.sessions" in er.entities
        assert "public.sessions" not in er.classes


def test_differing_columns_and_foreign_keys_are_noted_and_neighbours_drawn_plain() -> None:
    text = report(BASE, CHANGED)
    er = diagram_of(text)
    assert er is not None
    # audit differs in nothing and links to nothing that differs: not drawn.
    assert sorted(er.entities) == ["public.badges", "public.people", "public.teams"]
    assert er.classes == {"public.badges": "created", "public.people": "altered"}
    people = {a.name: (a.type, a.comment) for a in er.entities["public.people"]}
    assert people == {
        "id": ("integer", None), "team_id": ("integer", None),
        "email": ("varchar(320)", "differs: type"), "nickname": ("text", "only in prod"),
        "legacy_code": ("text", "only in dev"),
    }  # fmt: skip
    assert ("public.people", "||..o{", "public.badges", "person_id") in er.relations
    assert "Colours: green: only in prod; yellow: defined differently; plain: " in text


def test_a_foreign_key_one_side_has_between_common_tables_is_labelled_with_it() -> None:
    old = BASE.replace(" REFERENCES public.teams", "")
    er = diagram_of(report(old, BASE))
    assert er is not None
    assert ("public.teams", "|o..o{", "public.people", "team_id (only in prod)") in er.relations


def test_a_renamed_table_is_drawn_under_its_new_name() -> None:
    new = BASE.replace("public.people", "public.persons")
    er = diagram_of(report(BASE, new, renames={"public.people": "persons"}))
    assert er is not None
    assert er.classes.get("public.persons") == "altered"
    assert "public.people" not in er.entities
    # Its foreign key keeps the old table's name in dev: the diff reports it dropped and
    # created under the new one, and the diagram says the same.
    assert [label for a, _, b, label in er.relations if b == "public.persons"] == [
        "team_id (only in dev)", "team_id (only in prod)"]  # fmt: skip


def test_a_partition_that_differs_marks_its_partitioned_table() -> None:
    old = """
        CREATE TABLE public.events (id integer, at date) PARTITION BY RANGE (at);
        CREATE TABLE public.events_2025 PARTITION OF public.events
            FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    """
    new = old + """
        CREATE TABLE public.events_2026 PARTITION OF public.events
            FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
    """
    er = diagram_of(report(old, new))
    assert er is not None
    assert list(er.entities) == ["public.events"]
    assert er.classes == {"public.events": "altered"}


def test_no_table_differs_no_diagram() -> None:
    functions = "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS 'SELECT 1';"
    text = report(BASE + functions, BASE + functions.replace("1", "2"))
    assert DIAGRAM_TITLE not in text
    assert diagram_of(text) is None


def test_a_large_diff_is_cut_to_the_limit_with_a_note_under_the_diagram() -> None:
    tables = "\n".join(
        f"CREATE TABLE public.t{i:03d} (id integer PRIMARY KEY, "
        f"parent_id integer REFERENCES public.t{i // 2:03d});"
        for i in range(1, 120)
    )
    text = report("CREATE TABLE public.t000 (id integer PRIMARY KEY);", "CREATE TABLE "
                  "public.t000 (id integer PRIMARY KEY);\n" + tables)  # fmt: skip
    er = diagram_of(text)
    assert er is not None
    assert len(er.entities) == REPORT_MAX_TABLES
    assert all(cls == "created" for cls in er.classes.values())
    assert ("Left out of the diagram to keep it readable: 89 differing tables and 1 "
            "neighbouring table (the sections below list every difference).") in text  # fmt: skip
    assert len(text.split("```mermaid")[1].split("```")[0]) < 50_000


def test_a_change_set_without_its_schemas_gets_a_report_without_a_diagram() -> None:
    changes = diff(pgdrift.loads(BASE), pgdrift.loads(CHANGED), labels=("dev", "prod"))
    text = render_markdown(attrs.evolve(changes, old=None, new=None))
    assert DIAGRAM_TITLE not in text
    assert "## 1. Tables existing only in one environment" in text
