"""Forms PostgreSQL stores differently but treats as the same are compared as equal, and every
report says which ones it relied on ("Treated as equal", pgdrift.pg.equivalences)."""

from __future__ import annotations

import json

import attrs
import pytest

import pgdrift
from pgdrift.differ import diff
from pgdrift.ids import ObjectId
from pgdrift.pg import equivalences
from pgdrift.renderer import render

TIMEZONE_A = "CREATE TABLE public.t (x timestamptz, y timestamp DEFAULT (x AT TIME ZONE 'utc'));"
TIMEZONE_B = "CREATE TABLE public.t (x timestamptz, y timestamp DEFAULT timezone('utc', x));"


def _treated(a_sql: str, b_sql: str) -> list[tuple[str, str, str]]:
    changes = diff(pgdrift.loads(a_sql), pgdrift.loads(b_sql))
    assert not changes
    return [(str(t.id), t.attribute, t.rule) for t in changes.treated_as_equal]


def test_at_time_zone_and_the_timezone_call_are_equal_and_said_so() -> None:
    assert _treated(TIMEZONE_A, TIMEZONE_B) == [
        ("column:public.t.y", "default", equivalences.SQL_SYNTAX_CALL)
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("(ARRAY['a'::character varying, 'b'::character varying])::text[]",
         "ARRAY['a'::text, 'b'::text]"),
        ("ARRAY[('a'::character varying)::text, ('b'::character varying)::text]",
         "ARRAY['a'::text, 'b'::text]"),
    ],
)  # fmt: skip
def test_any_array_with_casts_in_other_places_is_equal_and_said_so(a: str, b: str) -> None:
    sql = "CREATE TABLE public.t (k text, CONSTRAINT k_check CHECK (k = ANY ({})));"
    found = _treated(sql.format(a), sql.format(b))
    assert [(oid, attribute) for oid, attribute, _ in found] == [
        ("constraint:public.t.k_check", "expression")
    ]
    assert {rule for *_, rule in found} <= {
        equivalences.ARRAY_LITERAL_CASTS, equivalences.VARCHAR_LITERAL_AS_TEXT,
    }  # fmt: skip


def test_a_regclass_literal_quoted_or_not_is_equal_and_said_so() -> None:
    sql = "CREATE SEQUENCE public.s; CREATE TABLE public.t (id bigint DEFAULT nextval({}));"
    found = _treated(sql.format('\'"public"."s"\'::regclass'), sql.format("'public.s'::regclass"))
    assert found == [("column:public.t.id", "default", equivalences.REGCLASS_QUOTING)]


def test_storage_parameters_in_another_order_are_equal_and_said_so() -> None:
    # The order PostgreSQL keeps (reloptions as written), put on the model directly.
    a = pgdrift.loads(
        "CREATE TABLE public.t (id int) WITH (fillfactor=70, autovacuum_enabled=false);"
    )
    table = ObjectId("table", "public", "t")
    obj = a.objects[table]
    reordered = attrs.evolve(obj, options=tuple(reversed(obj.options)))
    b = attrs.evolve(a, objects={**a.objects, table: reordered})
    changes = diff(a, b)
    assert not changes
    assert [(str(t.id), t.attribute, t.rule) for t in changes.treated_as_equal] == [
        ("table:public.t", "options", equivalences.OPTIONS_ORDER)
    ]


def test_the_same_form_on_both_sides_is_not_listed() -> None:
    assert _treated(TIMEZONE_A, TIMEZONE_A) == []
    assert _treated(TIMEZONE_B, TIMEZONE_B) == []


def test_a_real_difference_is_still_one() -> None:
    b = TIMEZONE_B.replace("'utc'", "'UTC'")
    changes = diff(pgdrift.loads(TIMEZONE_A), pgdrift.loads(b))
    assert [str(c.id) for c in changes] == ["column:public.t.y"]


def test_every_rule_is_described() -> None:
    for rule in (equivalences.SQL_SYNTAX_CALL, equivalences.ARRAY_LITERAL_CASTS,
                 equivalences.VARCHAR_LITERAL_AS_TEXT, equivalences.REGCLASS_QUOTING,
                 equivalences.OPTIONS_ORDER):  # fmt: skip
        assert equivalences.describe(rule) != rule


def _changes() -> pgdrift.differ.ChangeSet:
    return diff(pgdrift.loads(TIMEZONE_A), pgdrift.loads(TIMEZONE_B), labels=("dev", "prod"))


def test_the_text_report_has_the_section() -> None:
    text = render(_changes(), "text")
    assert "treated as equal (1: written in two forms, equal to PostgreSQL):" in text
    assert "  = column public.t.y default: a function call in SQL syntax" in text
    assert text.rstrip().endswith("no differences between dev and prod")


def test_the_markdown_report_has_the_section() -> None:
    report = render(_changes(), "markdown")
    assert "Treated as equal" in report
    assert "- column `public.t.y`, default: a function call in SQL syntax" in report


def test_the_json_report_has_the_list() -> None:
    (item,) = json.loads(render(_changes(), "json"))["treated_as_equal"]
    assert item["rule"] == equivalences.SQL_SYNTAX_CALL


def test_reports_without_equivalences_have_no_section() -> None:
    changes = diff(pgdrift.loads(TIMEZONE_A), pgdrift.loads(TIMEZONE_A))
    assert "treated as equal" not in render(changes, "text")
    assert "Treated as equal" not in render(changes, "markdown")
