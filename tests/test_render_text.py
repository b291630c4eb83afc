"""The text renderer: one line per change grouped by table, markers, colour, quiet mode.

The whole LiveConvo text report is a golden file, ``tests/golden/diff/liveconvo.txt``;
regenerate it with ``pytest --update-goldens`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift.differ import ChangeSet, diff
from pgdrift.renderer import render, render_text

ROOT = Path(__file__).resolve().parent.parent
LIVECONVO = ROOT / "fixtures" / "liveconvo"


def changes(old: str, new: str, **options: object) -> ChangeSet:
    return diff(pgdrift.loads(old), pgdrift.loads(new), labels=("dev", "prod"), **options)  # type: ignore[arg-type]


TABLE = "CREATE TABLE public.t (id integer NOT NULL, name text);\n"


def test_no_differences_prints_only_the_counts_line() -> None:
    assert render_text(changes(TABLE, TABLE)) == "no differences between dev and prod\n"


def test_quiet_prints_only_the_counts_line() -> None:
    result = changes(TABLE, "CREATE TABLE public.t (id bigint NOT NULL);")
    assert render_text(result, quiet=True) == (
        "2 differences between dev and prod: 1 dropped, 1 altered\n"
    )


@pytest.mark.parametrize(
    ("new", "line"),
    [
        (TABLE + "CREATE TABLE public.u (x integer);", "+ table public.u"),
        ("CREATE TABLE public.t (id integer NOT NULL);", "- column name"),
        ("CREATE TABLE public.t (id bigint NOT NULL, name text);",
         "~ column id: type integer -> bigint"),
    ],
)  # fmt: skip
def test_each_operation_has_its_marker(new: str, line: str) -> None:
    assert f"  {line}\n" in render_text(changes(TABLE, new))


def test_a_confirmed_rename_is_marked_with_an_arrow_to_the_new_name() -> None:
    new = "CREATE TABLE public.t (id integer NOT NULL, full_name text);"
    result = changes(TABLE, new, renames={"t.name": "full_name"})
    assert "  > column name -> full_name\n" in render_text(result)


def test_a_replaced_object_is_marked_with_a_bang_and_says_why() -> None:
    old = TABLE + "CREATE INDEX t_idx ON public.t USING btree (id);"
    new = TABLE + "CREATE INDEX t_idx ON public.t USING btree (name);"
    text = render_text(changes(old, new))
    assert "  ! index public.t_idx: must be dropped and created again (index elements changed)" in (
        text
    )


def test_changes_are_grouped_under_their_table_and_other_objects_come_last() -> None:
    old = TABLE + "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS 'SELECT 1';"
    new = "CREATE TABLE public.t (id integer NOT NULL);"
    lines = render_text(changes(old, new)).splitlines()
    assert lines[:4] == ["public.t", "  - column name", "other objects", "  - function public.f()"]


def test_security_relevant_changes_are_flagged_at_the_end_of_their_line() -> None:
    new = TABLE + "GRANT SELECT ON TABLE public.t TO anon;"
    text = render_text(changes(TABLE, new))
    assert "[security: SELECT granted to anon]" in text
    assert text.rstrip().endswith("1 altered; 1 security-relevant")


def test_body_changes_in_whitespace_only_are_said_to_be_so() -> None:
    old = "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $$SELECT 1$$;"
    new = "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $$SELECT   1 -- one$$;"
    assert "body differs in whitespace or comments only" in render_text(changes(old, new))
    assert render_text(changes(old, new, ignore_body_whitespace=True)) == (
        "no differences between dev and prod\n"
    )


def test_no_ansi_codes_unless_colour_is_asked_for() -> None:
    result = changes(TABLE, "CREATE TABLE public.t (id integer NOT NULL);")
    assert "\x1b[" not in render_text(result)
    coloured = render_text(result, color=True)
    assert "\x1b[31m- column name\x1b[0m" in coloured
    assert "\x1b[1mpublic.t\x1b[0m" in coloured


def test_unconfirmed_renames_are_counted() -> None:
    new = "CREATE TABLE public.t (id integer NOT NULL, names text);"
    assert render_text(changes(TABLE, new), quiet=True) == (
        "2 differences between dev and prod: 1 created, 1 dropped; "
        "1 probable rename not confirmed\n"
    )


def test_render_dispatches_to_the_text_renderer_with_its_options() -> None:
    result = changes(TABLE, "CREATE TABLE public.t (id integer NOT NULL);")
    assert render(result, "text", quiet=True) == render_text(result, quiet=True)


def test_liveconvo_text_report_matches_its_golden_file(golden) -> None:  # type: ignore[no-untyped-def]
    dev = pgdrift.load(LIVECONVO / "dev" / "dump.sql", name="fixtures/liveconvo/dev/dump.sql")
    prod = pgdrift.load(LIVECONVO / "prod" / "dump.sql", name="fixtures/liveconvo/prod/dump.sql")
    golden("diff/liveconvo.txt", render_text(diff(dev, prod, labels=("dev", "prod"))))
