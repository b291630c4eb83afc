"""A schema differences report in Markdown, for people.

Shaped like a hand-written environment comparison: an overview with counts and a diagram of
the tables that differ and their neighbours (:mod:`~pgdrift.renderer.markdown_diagram`); the
tables that
exist on one side only, each with its full column list, indexes and constraints; the
differences in the tables both sides have (renames with their evidence, added and dropped
columns, attribute changes side by side, column order), and the tables that are identical;
enums; functions (overloads grouped under their name, body changes as a unified diff); then
views, indexes, constraints, policies, triggers, grants and other objects when they differ;
probable renames left unconfirmed; security-relevant changes; a closing list of critical
issues, data loss first; and the hazards of the migration's steps.

What the migration risks (which changes delete data, may fail, rewrite or lock a table) is read
from the plan :func:`pgdrift.planner.plan` makes of the change set, never judged here.

Everything is sorted and nothing depends on the clock, so a report is a stable golden file.
This module lays out the report; its sections live in :mod:`~pgdrift.renderer.markdown_tables`,
:mod:`~pgdrift.renderer.markdown_objects` and :mod:`~pgdrift.renderer.markdown_risks`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pgdrift import ids
from pgdrift.differ.changes import ChangeSet
from pgdrift.renderer import equivalences
from pgdrift.renderer.markdown_context import (
    TABLE_KINDS,
    VIEW_KINDS,
    ReportContext,
    rename_flag,
)
from pgdrift.renderer.markdown_diagram import changes_diagram
from pgdrift.renderer.markdown_objects import (
    enums,
    functions,
    generic,
    grants,
    unconfirmed_renames,
)
from pgdrift.renderer.markdown_risks import HAZARDS_TITLE, critical, migration_hazards, security
from pgdrift.renderer.markdown_tables import common_tables, one_sided_tables
from pgdrift.renderer.markdown_text import KIND_PLURALS, cell, code, fence, plural
from pgdrift.renderer.registry import renders

if TYPE_CHECKING:
    from pgdrift.planner.steps import Plan

__all__ = ["cell", "code", "fence", "rename_flag", "render_markdown"]


@renders("markdown")
def render_markdown(changes: ChangeSet, *, plan: Plan | None = None) -> str:
    """The whole report as Markdown text (ending with a newline).

    ``plan`` is the migration planned from ``changes`` (made with the planner's defaults when
    not given); the report names the hazards its steps carry. When no plan can be made (a
    dependency cycle), the report says so and is written all the same.

    Example:
        >>> import pgdrift
        >>> from pgdrift.differ import diff
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> report = render_markdown(diff(a, a, labels=("dev", "prod")))
        >>> report.splitlines()[0]
        '# Schema differences: dev vs prod'
        >>> "`public.t` — IDENTICAL, 1 column" in report
        True

        The hazards of a plan's steps, in the words of :class:`~pgdrift.pg.hazards.Hazard`:

        >>> from pgdrift.planner import plan
        >>> changes = diff(a, pgdrift.loads("CREATE TABLE public.t (a bigint);"))
        >>> report = render_markdown(changes, plan=plan(changes))
        >>> last = report.rstrip().splitlines()[-1]
        >>> last.split(": ")[0]
        '- column `public.t.a`'
        >>> for hazard in last.split(": ")[1].split("; "):
        ...     print(hazard)
        rewrites the table
        blocks writes (or all access) while it scans or rewrites an existing table
    """
    return _report(ReportContext.planned(changes, plan))


def _report(r: ReportContext) -> str:
    """The report: title, overview, then the numbered sections, present or always shown."""
    lines = [f"# Schema differences: {r.a} vs {r.b}", ""]
    lines += _overview(r)
    sections: list[tuple[str, list[str]]] = [
        ("Tables existing only in one environment", one_sided_tables(r)),
        ("Differences in common tables", common_tables(r)),
        ("Enum types", enums(r)),
        ("Functions and procedures", functions(r)),
    ]
    optional = [
        ("Views", generic(r, VIEW_KINDS)),
        ("Indexes", generic(r, {ids.INDEX})),
        ("Constraints", generic(r, {ids.CONSTRAINT})),
        ("Row level security policies", generic(r, {ids.POLICY})),
        ("Triggers", generic(r, {ids.TRIGGER})),
        ("Sequences", generic(r, {ids.SEQUENCE})),
        ("Grants", grants(r)),
    ]
    sections += [(title, body) for title, body in optional if body]
    other = generic(r, ids.ALL_KINDS)
    if other:
        sections.append(("Other objects", other))
    renames = unconfirmed_renames(r)
    if renames:
        sections.append(("Probable renames not confirmed", renames))
    treated = equivalences.markdown_lines(r.changes)
    if treated:
        sections.append((equivalences.TITLE, treated))
    sections.append(("Security-relevant changes", security(r)))
    sections.append(("Critical issues", critical(r)))
    sections.append((HAZARDS_TITLE, migration_hazards(r)))
    for number, (title, body) in enumerate(sections, 1):
        lines += [f"## {number}. {title}", "", *body]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _overview(r: ReportContext) -> list[str]:
    """The inputs compared, objects counted per side, and the summary sentence."""
    a, b = r.a, r.b
    lines = ["## Overview", ""]
    sources = [(label, s.source) for label, s in ((a, r.old), (b, r.new)) if s.source]
    if sources:
        lines.append("Compared: " + "; ".join(f"**{label}** = {code(src)}"
                                              for label, src in sources) + ".")  # fmt: skip
        lines.append("")
    rows = _counts(r)
    if rows:
        lines += [f"| Objects | {cell(a)} | {cell(b)} |", "|---|---:|---:|"]
        lines += [f"| {kind} | {n_a} | {n_b} |" for kind, n_a, n_b in rows]
        lines.append("")
    lines.append(_summary_sentence(r))
    lines.append("")
    lines += changes_diagram(r)
    return lines


def _counts(r: ReportContext) -> list[tuple[str, int, int]]:
    """(kind in the plural, count in the first schema, count in the second), per kind present."""
    rows = []
    for kind in ids.ALL_KINDS:
        if kind == ids.UNSUPPORTED:
            continue
        if kind == ids.COLUMN:
            n_a = sum(len(getattr(t, "columns", ())) for t in r.kept(r.old, TABLE_KINDS))
            n_b = sum(len(getattr(t, "columns", ())) for t in r.kept(r.new, TABLE_KINDS))
        else:
            n_a, n_b = len(r.kept(r.old, {kind})), len(r.kept(r.new, {kind}))
        if n_a or n_b:
            rows.append((KIND_PLURALS.get(kind, kind.replace("_", " ") + "s"), n_a, n_b))
    return rows


def _summary_sentence(r: ReportContext) -> str:
    """How many differences, of which operation, and how many widen access."""
    n = len(r.changes)
    if not n:
        return f"**No differences**: {r.a} and {r.b} define the same objects."
    ops = {op: sum(1 for c in r.changes if c.operation == op)
           for op in ("drop", "create", "alter", "rename", "replace")}  # fmt: skip
    words = {"drop": f"only in {r.a}", "create": f"only in {r.b}",
             "alter": "defined differently", "rename": "renamed",
             "replace": "to be dropped and created again"}  # fmt: skip
    parts = [f"{count} {words[op]}" for op, count in ops.items() if count]
    text = (f"**{plural(n, 'difference')}** (every object counted, columns, constraints "
            f"and indexes included): {', '.join(parts)}.")  # fmt: skip
    flagged = sum(1 for c in r.changes if c.security)
    if flagged:
        text += f" {plural(flagged, 'change')} widen{'s' if flagged == 1 else ''} access."
    return text
