"""``diff --format junit``: a test case per object compared, failures for what differs, the
counts as properties; valid against the JUnit schema ``tests/data/junit.xsd`` (which refuses a
malformed report); the LiveConvo golden file ``tests/golden/diff/liveconvo-junit.xml``.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

import pgdrift
from pgdrift import cli
from pgdrift.differ import ChangeSet, diff
from pgdrift.renderer.junit import render_junit

ROOT = Path(__file__).resolve().parent.parent
LIVECONVO = ROOT / "fixtures" / "liveconvo"
JUNIT_XSD = ROOT / "tests" / "data" / "junit.xsd"

OLD = """\
CREATE TABLE public.users (id integer NOT NULL, email text);
CREATE TABLE public.audit (id integer NOT NULL, at timestamp with time zone);
CREATE TYPE public.mood AS ENUM ('ok');
"""
NEW = """\
CREATE TABLE public.users (id bigint NOT NULL, email text, name text);
CREATE TYPE public.mood AS ENUM ('ok');
CREATE FUNCTION public.ping() RETURNS integer LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;
"""


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(JUNIT_XSD))


def changes(old: str = OLD, new: str = NEW, **options: object) -> ChangeSet:
    return diff(pgdrift.loads(old), pgdrift.loads(new), labels=("main", "pr"), **options)  # type: ignore[arg-type]


def cases(xml: str) -> dict[str, ET.Element]:
    return {case.get("name", ""): case for case in ET.fromstring(xml).iter("testcase")}


def test_one_test_case_per_object_compared_named_by_id_with_its_kind_as_class() -> None:
    found = cases(render_junit(changes()))
    assert sorted(found) == [
        "column:public.users.email", "column:public.users.id", "column:public.users.name",
        "enum:public.mood", "function:public.ping()", "schema:public", "table:public.audit",
        "table:public.users",
    ]  # fmt: skip
    assert {name: case.get("classname") for name, case in found.items()}["enum:public.mood"] == (
        "enum"
    )
    # The columns of a table on one side only are part of that table's failure.
    assert "column:public.audit.at" not in found


def test_what_differs_fails_with_the_change_and_what_matches_passes() -> None:
    found = cases(render_junit(changes()))
    failing = {name for name, case in found.items() if case.find("failure") is not None}
    assert failing == {"column:public.users.id", "column:public.users.name",
                       "function:public.ping()", "table:public.audit"}  # fmt: skip
    failure = found["column:public.users.id"].find("failure")
    assert failure is not None
    assert failure.get("type") == "alter"
    assert failure.get("message") == "~ column public.users.id: type integer -> bigint"
    assert failure.text == (
        "- defined differently: column `public.users.id`\n"
        "  - type: `integer` in main, `bigint` in pr\n"
        "migration hazards: rewrites the table; blocks writes (or all access) while it scans or "
        "rewrites an existing table\n"
    )
    ping = found["function:public.ping()"].find("failure")
    assert ping is not None
    assert "widens access: new SECURITY DEFINER function" in (ping.text or "")


def test_the_suite_counts_tests_failures_and_changes() -> None:
    root = ET.fromstring(render_junit(changes()))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("8", "4", "0")
    assert (root.get("tests"), root.get("failures")) == ("8", "4")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props == {
        "pgdrift.old": "main", "pgdrift.new": "pr", "pgdrift.objects": "8",
        "pgdrift.changes": "4", "pgdrift.created": "2", "pgdrift.dropped": "1",
        "pgdrift.altered": "1", "pgdrift.renamed": "0", "pgdrift.replaced": "0",
        "pgdrift.security": "1", "pgdrift.hazards": "2",
    }  # fmt: skip


def test_a_renamed_object_is_one_test_case_under_its_old_id() -> None:
    old = "CREATE TABLE public.t (a integer, b text);\n"
    new = "CREATE TABLE public.t (a integer, c text);\n"
    found = cases(render_junit(changes(old, new, renames={"public.t.b": "c"})))
    assert "column:public.t.c" not in found
    failure = found["column:public.t.b"].find("failure")
    assert failure is not None
    assert failure.get("type") == "rename"


def test_objects_the_options_leave_out_are_not_test_cases() -> None:
    found = cases(render_junit(changes(exclude_kinds=("function",))))
    assert "function:public.ping()" not in found


def test_no_differences_is_a_suite_that_passes() -> None:
    root = ET.fromstring(render_junit(changes(OLD, OLD)))
    assert root.get("failures") == "0"
    assert root.find("testsuite/testcase/failure") is None


def test_reports_validate_against_the_junit_schema(schema: xmlschema.XMLSchema) -> None:
    for xml in (render_junit(changes()), render_junit(changes(OLD, OLD))):
        schema.validate(xml)


def test_the_schema_refuses_a_malformed_report(schema: xmlschema.XMLSchema) -> None:
    xml = render_junit(changes())
    nameless = xml.replace('<testcase classname="enum" name="enum:public.mood"',
                           '<testcase classname="enum"')  # fmt: skip
    assert nameless != xml
    with pytest.raises(xmlschema.XMLSchemaValidationError, match="name"):
        schema.validate(nameless)
    negative = xml.replace('tests="8" failures="4" errors="0" skipped="0"',
                           'tests="-8" failures="4" errors="0" skipped="0"')  # fmt: skip
    assert negative != xml
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(negative)
    misplaced = xml.replace("<properties>", "<testcase name='x' /><properties>", 1)
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(misplaced)


def test_cli_writes_junit_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.sql").write_text(OLD, encoding="utf-8")
    (tmp_path / "b.sql").write_text(NEW, encoding="utf-8")
    target = tmp_path / "report.xml"
    argv = ["diff", "--format", "junit", "-o", str(target), str(tmp_path / "a.sql"),
            str(tmp_path / "b.sql")]  # fmt: skip
    assert cli.main(argv) == 1
    assert capsys.readouterr().out == ""
    assert ET.parse(target).getroot().get("failures") == "4"


def test_liveconvo_junit_report_is_valid_and_matches_its_golden_file(  # type: ignore[no-untyped-def]
    golden, schema: xmlschema.XMLSchema
) -> None:
    dev = pgdrift.load(LIVECONVO / "dev" / "dump.sql", name="fixtures/liveconvo/dev/dump.sql")
    prod = pgdrift.load(LIVECONVO / "prod" / "dump.sql", name="fixtures/liveconvo/prod/dump.sql")
    xml = render_junit(diff(dev, prod, labels=("dev", "prod")))
    schema.validate(xml)
    assert ET.fromstring(xml).get("failures") == "82"
    golden("diff/liveconvo-junit.xml", xml)
