"""The markdown report: its sections, what each says, and the whole LiveConvo report.

The LiveConvo reports are golden files, ``tests/golden/diff/liveconvo.md`` (with
``--detect-renames``) and ``tests/golden/diff/liveconvo-renames-unconfirmed.md`` (without);
regenerate them with ``pytest --update-goldens`` and review the diff. What the report says a
migration risks is checked against the plan's steps for every migration pair.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

import pgdrift
from pgdrift import ids
from pgdrift.differ import ChangeSet, diff
from pgdrift.errors import PlanError
from pgdrift.ids import ObjectId
from pgdrift.pg.hazards import Hazard
from pgdrift.planner import Plan, plan
from pgdrift.renderer import FORMATS, RENDERERS, render, render_markdown, renders
from pgdrift.renderer.markdown import code, fence

ROOT = Path(__file__).resolve().parent.parent
LIVECONVO = ROOT / "fixtures" / "liveconvo"
PAIRS_DIR = ROOT / "fixtures" / "pairs"


def changes(old: str, new: str, **options: Any) -> ChangeSet:
    return diff(pgdrift.loads(old), pgdrift.loads(new), labels=("dev", "prod"), **options)


def report(old: str, new: str, **options: Any) -> str:
    return render_markdown(changes(old, new, **options))


def section(text: str, title: str) -> str:
    """The body of the ``## N. title`` section."""
    match = re.search(rf"^## \d+\. {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match is not None, f"no section {title!r}"
    return match.group(1)


PEOPLE = """\
CREATE TABLE public.teams (id uuid NOT NULL);
ALTER TABLE ONLY public.teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id);
CREATE TABLE public.people (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    team_id uuid,
    email character varying(255) NOT NULL,
    note text
);
ALTER TABLE ONLY public.people ADD CONSTRAINT people_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.people ADD CONSTRAINT people_email_key UNIQUE (email);
ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id)
    ON DELETE CASCADE;
CREATE INDEX idx_people_team ON public.people USING btree (team_id DESC);
"""
TEAMS = "CREATE TABLE public.teams (id uuid NOT NULL);\n" + (
    "ALTER TABLE ONLY public.teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id);\n"
)


def test_title_names_both_labels_and_overview_counts_objects_per_side() -> None:
    text = report(TEAMS, PEOPLE)
    assert text.startswith("# Schema differences: dev vs prod\n\n## Overview\n")
    overview = text.split("## 1.")[0]
    assert "| tables | 1 | 2 |" in overview
    assert "| columns | 1 | 5 |" in overview
    assert "only in prod" in overview


def test_a_one_sided_table_is_listed_with_every_column_index_and_constraint() -> None:
    one_sided = section(report(TEAMS, PEOPLE), "Tables existing only in one environment")
    assert "### Tables in dev but not in prod (0 tables)\n\nNone." in one_sided
    assert "### Tables in prod but not in dev (1 table)" in one_sided
    assert "#### `public.people`" in one_sided
    columns = re.search(r"```sql\n(.*?)\n *```", one_sided, re.S)
    assert columns is not None
    assert columns.group(1).splitlines() == [
        "  id       uuid PRIMARY KEY DEFAULT gen_random_uuid()",
        "  team_id  uuid (FK to public.teams)",
        "  email    character varying(255) NOT NULL UNIQUE",
        "  note     text",
    ]
    assert "  - Primary key on `id` (`people_pkey`)" in one_sided
    assert "  - Unique constraint on `email` (`people_email_key`)" in one_sided
    assert "  - Index on `team_id DESC` (`idx_people_team`)" in one_sided
    assert ("  - `people_team_id_fkey`: Foreign key (`team_id`) to `public.teams` (`id`) "
            "ON DELETE CASCADE") in one_sided  # fmt: skip


def test_identical_tables_are_listed_with_their_column_count() -> None:
    common = section(report(PEOPLE, PEOPLE), "Differences in common tables")
    assert "- `public.people` — IDENTICAL, 4 columns" in common
    assert "- `public.teams` — IDENTICAL, 1 column\n" in common


def test_a_table_outside_the_compared_schemas_is_not_called_identical() -> None:
    other = "CREATE SCHEMA auth;\nCREATE TABLE auth.users (id uuid);\n"
    common = section(report(other + TEAMS, other + TEAMS, exclude_schemas=["auth"]),
                     "Differences in common tables")  # fmt: skip
    assert "auth.users" not in common
    assert "`public.teams` — IDENTICAL" in common


def test_a_table_whose_triggers_differ_is_identical_and_points_to_triggers() -> None:
    function = ("CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql "
                "AS $$BEGIN RETURN NEW; END$$;\n")  # fmt: skip
    trigger = ("CREATE TRIGGER t_ins BEFORE INSERT ON public.teams "
               "FOR EACH ROW EXECUTE FUNCTION public.f();\n")  # fmt: skip
    text = report(TEAMS + function + trigger, TEAMS + function)
    assert "- `public.teams` — IDENTICAL, 1 column (its triggers differ: see “Triggers”)" in text
    assert "- only in dev: trigger `public.teams.t_ins`" in section(text, "Triggers")


def test_column_differences_are_shown_side_by_side_with_the_other_side_noted() -> None:
    old = "CREATE TABLE public.t (id integer NOT NULL, code character varying(20), gone text);"
    new = "CREATE TABLE public.t (id integer, code character varying(10), added text);"
    text = section(report(old, new), "Differences in common tables")
    assert "### 2.1 `public.t` — DIFFERENT" in text
    assert "| `id` | NOT NULL | yes | no |" in text
    assert "| `code` | type | `character varying(20)` | `character varying(10)` |" in text
    assert "- **Only in dev** (1 column):\n  - `gone` `text`" in text
    assert "- **Only in prod** (1 column):\n  - `added` `text`" in text
    assert re.search(
        r"#### `t` in dev\n\n```sql\nid +integer NOT NULL +-- nullable in prod\n", text
    )
    assert re.search(r"code +character varying\(10\) +-- character varying\(20\) in dev\n", text)


def test_a_column_order_change_is_noted_with_both_orders() -> None:
    text = report("CREATE TABLE public.t (a int, b int, c int);",
                  "CREATE TABLE public.t (b int, a int, c int);")  # fmt: skip
    assert "- **Column order** differs" in text
    assert "  - dev: `a`, `b`, `c`\n  - prod: `b`, `a`, `c`" in text


def test_confirmed_renames_are_shown_with_their_evidence() -> None:
    new = TEAMS.replace("(id uuid", "(team_id uuid").replace("KEY (id)", "KEY (team_id)")
    text = report(TEAMS, new, renames={"teams.id": "team_id"})
    assert (
        "- **Renamed columns** (1):\n  - `id` → `team_id`: confirmed with --rename, score" in text
    )


def test_probable_renames_name_the_flag_that_confirms_them() -> None:
    old = "CREATE TABLE public.t (id integer, referrer_id uuid NOT NULL);"
    new = "CREATE TABLE public.t (id integer, referrer_user_id uuid NOT NULL);"
    text = report(old, new)
    probable = section(text, "Probable renames not confirmed")
    flag = re.search(r"Confirm with `(--rename [^`]+)`", probable)
    assert flag is not None
    assert "`--detect-renames` accepts every candidate scoring at least 0.70." in probable
    assert "probably renamed to `referrer_user_id`" in text
    # The flag the report names does confirm the rename.
    option, value = shlex.split(flag.group(1))
    assert option == "--rename"
    old_name, new_name = value.split("=")
    confirmed = changes(old, new, renames={old_name: new_name})
    assert [c.operation for c in confirmed] == ["rename"]


def test_enum_differences_list_labels_of_each_side() -> None:
    old = "CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');\n"
    new = "CREATE TYPE public.mood AS ENUM ('sad', 'happy');\n"
    same = "CREATE TYPE public.colour AS ENUM ('red');\n"
    enums = section(report(old + same, new + same), "Enum types")
    assert "### Defined differently\n\n- `public.mood`\n  - labels only in dev: `ok`" in enums
    assert "  - dev: `sad`, `ok`, `happy`\n  - prod: `sad`, `happy`" in enums
    assert "- `public.colour` — IDENTICAL, 1 label: `red`" in enums
    critical = section(report(old, new), "Critical issues")
    assert "**Incompatible**: enum `public.mood`: enum labels removed." in critical


def test_overloads_are_grouped_under_the_function_name() -> None:
    old = "CREATE FUNCTION public.code() RETURNS text LANGUAGE sql AS $$SELECT 'x'$$;\n"
    new = "CREATE FUNCTION public.code(p_user uuid) RETURNS text LANGUAGE sql AS $$SELECT 'x'$$;\n"
    functions = section(report(old, new), "Functions and procedures")
    assert "### Only in" not in functions
    assert ("### Signatures that differ (overloads grouped by name)\n\n#### `public.code`\n\n"
            "- only in dev: `public.code()` — returns text; sql, volatile\n"
            "- only in prod: `public.code(p_user uuid)` — returns text; sql, volatile\n"
            ) in functions  # fmt: skip


def test_a_changed_body_is_shown_as_a_unified_diff_between_the_labels() -> None:
    old = "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $$\nSELECT 1\n$$;"
    new = "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $$\nSELECT 2\n$$;"
    functions = section(report(old, new), "Functions and procedures")
    assert "### Defined differently (1)\n\n#### `public.f()`\n\n- body differs:\n" in functions
    assert "  ```diff\n  --- dev\n  +++ prod\n" in functions
    assert "  -SELECT 1\n  +SELECT 2\n" in functions


def test_a_whitespace_only_body_change_is_said_as_such() -> None:
    old = "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $$SELECT 1$$;"
    new = "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $$SELECT  1 -- one$$;"
    functions = section(report(old, new), "Functions and procedures")
    assert "- body differs only in whitespace or comments" in functions
    assert "```diff" not in functions


def test_views_grants_and_other_objects_get_their_own_sections_when_they_differ() -> None:
    # Explicit view column names: pgdrift.expr.output_names, which the differ needs for a view
    # without them, is not written yet.
    old = TEAMS + "CREATE VIEW public.v (one) AS SELECT 1;\nCREATE SEQUENCE public.s;\n"
    new = TEAMS + "CREATE VIEW public.v (one) AS SELECT 2;\nGRANT SELECT ON public.teams TO anon;\n"
    text = report(old, new)
    assert "- defined differently: view `public.v`\n  - query: `SELECT 1 AS one` in dev" in (
        section(text, "Views"))  # fmt: skip
    assert "- table `public.teams`: only in prod: SELECT to anon" in section(text, "Grants")
    assert "- only in dev: sequence `public.s`" in section(text, "Sequences")
    assert "## " + "5. Views" in text  # sections are numbered in order, only when present
    assert "Indexes" not in text


def test_changed_sequence_options_are_listed_one_by_one() -> None:
    old = "CREATE SEQUENCE public.s START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;"
    new = old.replace("INCREMENT BY 1", "INCREMENT BY 5").replace("CACHE 1", "CACHE 20")
    sequences = section(report(old, new), "Sequences")
    assert sequences.startswith("\n- defined differently: sequence `public.s`\n")
    assert "  - options.increment: `1` in dev, `5` in prod\n" in sequences
    assert "  - options.cache: `1` in dev, `20` in prod\n" in sequences


def test_security_changes_are_listed_and_repeated_last_among_critical_issues() -> None:
    text = report(TEAMS, TEAMS + "GRANT SELECT ON public.teams TO anon;\n")
    assert "- table `public.teams` (defined differently): SELECT granted to anon" in section(
        text, "Security-relevant changes"
    )
    assert "1. **Security**: table `public.teams`: SELECT granted to anon." in section(
        text, "Critical issues"
    )
    assert "No change widens access." in report(TEAMS, TEAMS)


def test_critical_issues_put_data_loss_first_then_incompatibilities_then_security() -> None:
    # text -> timestamptz needs USING (timestamp -> timestamptz, an implicit cast, would not).
    old = ("CREATE TABLE public.t (id bigint, name character varying(100), at text);\n"
           "CREATE TABLE public.gone (x integer);\n")  # fmt: skip
    new = ("CREATE TABLE public.t (id integer, name character varying(50), "
           "at timestamp with time zone, must integer NOT NULL);\n"
           "GRANT SELECT ON public.t TO anon;\n")  # fmt: skip
    critical = section(report(old, new), "Critical issues")
    items = re.findall(r"^\d+\. \*\*(\w[\w ]*)\*\*: (.*)$", critical, re.M)
    assert [kind for kind, _ in items] == [
        "Data loss", "Data loss", "Data loss", "Incompatible", "Incompatible", "Security",
    ]  # fmt: skip
    texts = [text for _, text in items]
    assert texts[0].startswith("table `public.gone` (1 column) exists only in dev")
    # Narrowing types lose data: sorted by column name within the list.
    assert texts[1].startswith("`id` of `public.t` is `bigint` in dev, `integer` in prod")
    assert texts[2].startswith("`name` of `public.t` is `character varying(100)` in dev")
    assert texts[3].startswith("column `must` of `public.t` exists only in prod, NOT NULL "
                               "without a default")  # fmt: skip
    assert texts[4].startswith("`at` of `public.t` is `text` in dev")
    assert "None: nothing is lost" in section(report(TEAMS, TEAMS), "Critical issues")


def test_widening_a_type_is_not_a_critical_issue() -> None:
    old = "CREATE TABLE public.t (id integer, code character varying(10));"
    new = "CREATE TABLE public.t (id bigint, code text);"
    assert "None: nothing is lost" in section(report(old, new), "Critical issues")


def test_the_report_is_the_same_text_each_time_and_has_no_timestamp() -> None:
    result = changes(TEAMS, PEOPLE)
    text = render_markdown(result)
    assert text == render_markdown(result)
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}", text)


def test_code_spans_and_fences_survive_backticks_in_the_text() -> None:
    assert code("a`b") == "`` a`b ``"
    assert code("plain") == "`plain`"
    assert fence("x\n```\ny", "sql") == ["````sql", "x", "```", "y", "````"]


def test_unknown_formats_and_double_registrations_are_refused() -> None:
    assert FORMATS == ("github", "json", "junit", "markdown", "sql", "text")
    with pytest.raises(ValueError, match="unknown format 'html'; known: github, json, junit, "):
        render(changes(TEAMS, TEAMS), "html")
    with pytest.raises(RuntimeError, match="already rendered"):
        renders("markdown")(RENDERERS["markdown"])


@pytest.mark.parametrize(
    ("name", "detect"), [("liveconvo.md", True), ("liveconvo-renames-unconfirmed.md", False)]
)
def test_liveconvo_report_matches_its_golden_file(golden, name: str, detect: bool) -> None:  # type: ignore[no-untyped-def]
    dev = pgdrift.load(LIVECONVO / "dev" / "dump.sql", name="fixtures/liveconvo/dev/dump.sql")
    prod = pgdrift.load(LIVECONVO / "prod" / "dump.sql", name="fixtures/liveconvo/prod/dump.sql")
    result = diff(dev, prod, labels=("dev", "prod"), detect_renames=detect)
    golden(f"diff/{name}", render_markdown(result))


# What the migration risks: the plan's word ------------------------------------------------------

_BY_DESCRIPTION = {hazard.description: hazard for hazard in Hazard}
_BY_VALUE = {hazard.value: hazard for hazard in Hazard}


def _pair_changes(directory: Path, *, backward: bool) -> ChangeSet:
    """A migration pair's change set (``fixtures/pairs/README.md``); backward without renames."""
    config_file = directory / "case.json"
    config = json.loads(config_file.read_text(encoding="utf-8")) if config_file.exists() else {}
    a = pgdrift.load(directory / config.get("a", "a") / "dump.sql")
    b = pgdrift.load(directory / config.get("b", "b") / "dump.sql")
    if backward:
        return diff(b, a, labels=("b", "a"))
    return diff(a, b, labels=("a", "b"), renames=config.get("renames", {}))


def _carried(the_plan: Plan) -> dict[str, set[Hazard]]:
    """``kind `name``` -> the hazards the plan's steps carry for that change."""
    carried: dict[str, set[Hazard]] = {}
    for step in the_plan.steps:
        if step.change is not None and step.hazards:
            name = f"{step.change.kind.replace('_', ' ')} {code(step.change.id.qualified_name)}"
            carried.setdefault(name, set()).update(_BY_VALUE[h] for h in step.hazards)
    return carried


def _claimed(text: str) -> dict[str, set[Hazard]]:
    """``kind `name``` -> the hazards the report's hazard section names for it."""
    claimed: dict[str, set[Hazard]] = {}
    for line in section(text, "Migration hazards").splitlines():
        if line.startswith("- ") and not line.startswith("- step "):
            name, descriptions = line[2:].rsplit(": ", 1)
            claimed[name] = {_BY_DESCRIPTION[d] for d in descriptions.split("; ")}
    return claimed


def _column_hazards(the_plan: Plan) -> set[tuple[Hazard, str, str]]:
    """(hazard, table as the report names it, column) for every column change with hazards."""
    found = set()
    for step in the_plan.steps:
        change = step.change
        if change is not None and change.kind == ids.COLUMN:
            table = ObjectId(ids.TABLE, change.id.schema, change.id.parent or "")
            found.update((_BY_VALUE[h], table.qualified_name, change.id.name)
                         for h in step.hazards)  # fmt: skip
    return found


def _check_critical_claims(text: str, the_plan: Plan) -> None:
    """Each data loss or failure the critical issues name is one the plan's steps carry."""
    carried = _carried(the_plan)
    columns = _column_hazards(the_plan)
    for item in re.findall(r"^\d+\. (.*)$", section(text, "Critical issues"), re.M):
        spans = re.findall(r"`([^`]+)`", item)
        if item.startswith("**Data loss**: table "):
            assert Hazard.DELETES_DATA in carried[f"table {code(spans[0])}"], item
        elif item.startswith("**Data loss**") and " exist only in " in item:
            table, *names = spans[: 1 + int(item.split()[2])]
            for name in names:
                assert (Hazard.DELETES_DATA, table, name) in columns, item
        elif item.startswith("**Data loss**") and "carrying the change out" in item:
            kind = item.split("**: ", 1)[1].split(" `", 1)[0]
            assert Hazard.DELETES_DATA in carried[f"{kind} {code(spans[0])}"], item
        elif any(claim in item for claim in ("values that do not fit", "may fail", "NOT NULL")):
            # A narrowing type, a USING cast that may fail, a NOT NULL the rows may break.
            assert (Hazard.MAY_FAIL, spans[1], spans[0]) in columns, item
    for name, hazards in carried.items():
        if Hazard.DELETES_DATA in hazards:
            assert "**Data loss**" in text, name


PAIRS = sorted(p for p in PAIRS_DIR.iterdir() if p.is_dir() and not p.name.startswith("_"))


@pytest.mark.parametrize("backward", [False, True], ids=["a-to-b", "b-to-a"])
@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_the_report_names_exactly_the_hazards_the_plan_carries(pair: Path, backward: bool) -> None:
    changes = _pair_changes(pair, backward=backward)
    the_plan = plan(changes)
    text = render_markdown(changes, plan=the_plan)
    assert text == render_markdown(changes)  # planned by the report itself: the same plan
    assert _claimed(text) == _carried(the_plan)
    # A step made for no change of its own (recreating a dependent) is listed by itself.
    orphans = [step for step in the_plan.steps if step.change is None and step.hazards]
    assert section(text, "Migration hazards").count("\n- step ") == len(orphans)
    _check_critical_claims(text, the_plan)


def test_the_hazard_section_speaks_in_the_hazards_own_words() -> None:
    old = "CREATE TABLE public.t (id integer, gone text);"
    new = "CREATE TABLE public.t (id integer NOT NULL);"
    hazards = section(report(old, new), "Migration hazards")
    assert "- column `public.t.gone`: deletes data\n" in hazards
    assert f"- column `public.t.id`: {Hazard.STRONG_LOCK.description}; " in hazards
    assert "No step of the migration carries a hazard." in report(TEAMS, TEAMS)


def test_a_dropped_foreign_table_loses_no_data_because_its_rows_live_elsewhere() -> None:
    server = ("CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;\n"
              "CREATE FOREIGN TABLE public.ext (a integer) SERVER files;\n")  # fmt: skip
    text = report(server, "CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;\n")
    assert "**Data loss**" not in text
    assert "table `public.ext`" not in section(text, "Migration hazards")


def test_the_report_is_written_when_no_plan_can_be_made(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(changes: ChangeSet, **options: Any) -> Plan:
        raise PlanError("a cycle:\n  a -> b -> a")

    monkeypatch.setattr("pgdrift.planner.plan", refuse)
    old = "CREATE TABLE public.t (id integer, gone text);"
    text = report(old, "CREATE TABLE public.t (id integer);")
    assert "The migration could not be planned: a cycle: a -> b -> a." in section(
        text, "Migration hazards"
    )
    critical = section(text, "Critical issues")
    assert "could not be planned, so what it would delete or fail on is not known" in critical
    assert "None: nothing is lost" not in critical
