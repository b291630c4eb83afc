"""The comparison as a JUnit XML test report, for CI systems that show test results.

One ``<testsuite>`` (inside ``<testsuites>``); one ``<testcase>`` per object compared — every
object of either side that the diff options keep, columns included — named by its id
(``column:public.users.email``) with its kind as the class name; an object that differs has a
``<failure>`` whose message is the change in a line (as the text format writes it) and whose
text is the change as the Markdown report writes it, with the hazards of its migration steps.
The suite's ``<properties>`` hold the labels and the counts. Nothing depends on the clock
(every ``time`` is 0), so the report is a stable golden file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from pgdrift import model
from pgdrift.differ.changes import Change, ChangeSet, Renamed
from pgdrift.ids import ObjectId
from pgdrift.renderer.markdown_context import ReportContext
from pgdrift.renderer.registry import renders
from pgdrift.renderer.text import change_line
from pgdrift.schema import Schema

if TYPE_CHECKING:
    from pgdrift.planner.steps import Plan

__all__ = ["render_junit"]

_PAST = {"create": "created", "drop": "dropped", "alter": "altered", "rename": "renamed",
         "replace": "replaced"}  # fmt: skip


@renders("junit")
def render_junit(changes: ChangeSet, *, plan: Plan | None = None) -> str:
    """The JUnit XML report (ending with a newline); ``plan`` as for the Markdown report.

    Example:
        >>> import pgdrift
        >>> from pgdrift.differ import diff
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = pgdrift.loads("CREATE TABLE public.t (a bigint);")
        >>> xml = render_junit(diff(a, b, labels=("main", "pr")))
        >>> case = ET.fromstring(xml).find("testsuite/testcase")
        >>> case.attrib
        {'classname': 'column', 'name': 'column:public.t.a', 'time': '0'}
        >>> case.find("failure").get("message")
        '~ column public.t.a: type integer -> bigint'
    """
    r = ReportContext.planned(changes, plan)
    by_id: dict[ObjectId, list[Change]] = {}
    for change in changes:
        by_id.setdefault(change.id, []).append(change)
    renamed_to = {c.new_id for c in changes if isinstance(c, Renamed)}
    compared = (set(_compared(r.old, r.new, r)) | set(_compared(r.new, r.old, r))
                | set(by_id)) - renamed_to  # fmt: skip
    failing = [oid for oid in compared if oid in by_id]
    a, b = changes.labels

    suites = ET.Element("testsuites", name="pgdrift diff", tests=str(len(compared)),
                        failures=str(len(failing)), errors="0", time="0")  # fmt: skip
    suite = ET.SubElement(suites, "testsuite", name=f"pgdrift diff {a} {b}",
                          tests=str(len(compared)), failures=str(len(failing)), errors="0",
                          skipped="0", time="0")  # fmt: skip
    properties = ET.SubElement(suite, "properties")
    operations = Counter(c.operation for c in changes)
    counts = [("old", a), ("new", b), ("objects", str(len(compared))),
              ("changes", str(len(changes))),
              *((_PAST[op], str(operations[op])) for op in _PAST),
              ("security", str(sum(1 for c in changes if c.security))),
              ("hazards", str(sum(1 for c in changes if r.hazards(c))))]  # fmt: skip
    for name, value in counts:
        ET.SubElement(properties, "property", name=f"pgdrift.{name}", value=value)
    for oid in sorted(compared, key=ObjectId.sort_key):
        case = ET.SubElement(suite, "testcase", classname=oid.kind, name=str(oid), time="0")
        for change in by_id.get(oid, ()):
            failure = ET.SubElement(case, "failure", type=change.operation,
                                    message=change_line(change))  # fmt: skip
            failure.text = _failure_text(r, change)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _failure_text(r: ReportContext, change: Change) -> str:
    lines = r.change_item(change)
    if change.security:
        lines.append(f"widens access: {'; '.join(change.security)}")
    found = r.hazards(change)
    if found:
        lines.append(f"migration hazards: {'; '.join(h.description for h in found)}")
    return "\n".join(lines) + "\n"


def _compared(schema: Schema, other: Schema, r: ReportContext) -> Iterator[ObjectId]:
    """The ids of the objects of ``schema`` the diff compares: those its options keep, and the
    columns of the tables and types among them that ``other`` has too (compared one by one;
    the columns of a table on one side only are part of that table's failure)."""
    for obj in schema:
        if not r.options.keeps(obj):
            continue
        yield obj.id
        columns = getattr(obj, "columns", None)
        if isinstance(columns, model.Columns) and obj.id in other.objects:
            yield from (column.id for column in columns.ordered)
