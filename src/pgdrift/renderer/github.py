"""The report for a GitHub Actions job: a step summary in Markdown and workflow annotations.

The step summary leads with what needs a reviewer's eye — the changes that widen access, the
critical issues, the migration's hazards, the probable renames left unconfirmed — in the words
of the Markdown report's sections (:mod:`~pgdrift.renderer.markdown_risks`); then a collapsible
``<details>`` block per table (with its columns, constraints and indexes) and per kind of other
object, each change written as the Markdown report writes it
(:meth:`~pgdrift.renderer.markdown_context.ReportContext.change_item`).

GitHub refuses a step summary over 1 MiB, so the summary is kept within ``limit`` bytes: the
leading sections take at most half of it and are cut item by item, the blocks are left out whole
from the first that does not fit, and a note at the top says what was cut.

The annotations are ``::warning`` workflow commands (:mod:`pgdrift.workflow_commands`) on the
line where each changed object is defined: the new side's file for what is created or changed,
the old side's for what is dropped. Changes defined by the same statement (a table's columns)
share one annotation. GitHub shows only the first few annotations of a step, so those with
security-relevant changes come first, then those whose migration steps carry hazards.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from pgdrift import ids
from pgdrift.differ.changes import Change, ChangeSet, Dropped
from pgdrift.ids import ObjectId
from pgdrift.renderer.describe import privilege_changes, value_text
from pgdrift.renderer.markdown_context import TABLE_KINDS, TABLE_PARTS, ReportContext
from pgdrift.renderer.markdown_objects import unconfirmed_renames
from pgdrift.renderer.markdown_risks import HAZARDS_TITLE, critical, migration_hazards, security
from pgdrift.renderer.markdown_text import KIND_PLURALS, plural
from pgdrift.renderer.registry import renders
from pgdrift.renderer.text import change_line, counts_line
from pgdrift.workflow_commands import annotation

if TYPE_CHECKING:
    from pgdrift.planner.steps import Plan
    from pgdrift.source import SourceSpan

__all__ = ["SUMMARY_LIMIT", "GithubReport", "github_report", "render_github"]

#: GitHub's limit on one step's summary, in bytes.
SUMMARY_LIMIT = 1024 * 1024
#: Room kept for the note that says what was cut (it names at most _NAMED groups).
_NOTE_ROOM = 8 * 1024
_NAMED = 20


@attrs.frozen
class GithubReport:
    """The two streams of ``--format github``: the step summary (Markdown, for
    ``$GITHUB_STEP_SUMMARY``) and the annotations (workflow commands, for standard output)."""

    summary: str
    annotations: str


@renders("github")
def render_github(
    changes: ChangeSet,
    *,
    plan: Plan | None = None,
    limit: int = SUMMARY_LIMIT,
    paths: Mapping[str, str] | None = None,
) -> str:
    """The annotations, then the step summary: what ``pgdrift diff --format github`` prints
    when the summary has no file of its own (see ``github_report`` in this module).

    Example:
        >>> import pgdrift
        >>> from pgdrift.differ import diff
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);", name="db.sql")
        >>> b = pgdrift.loads("CREATE TABLE public.t (a bigint);", name="db.sql")
        >>> print(render_github(diff(a, b, labels=("main", "pr"))), end="")
        ::warning file=db.sql,line=1,title=pgdrift%3A 1 difference::~ column public.t.a: \
type integer -> bigint (migration: rewrites_table, strong_lock)
        # Schema differences: main vs pr
        <BLANKLINE>
        1 difference between main and pr: 1 altered
        <BLANKLINE>
        ## Security-relevant changes
        <BLANKLINE>
        No change widens access.
        <BLANKLINE>
        ## Critical issues
        <BLANKLINE>
        None: nothing is lost, nothing breaks, no access widens.
        <BLANKLINE>
        ## Migration hazards
        <BLANKLINE>
        What the steps of the migration that makes main's schema match pr's risk, change by change:
        <BLANKLINE>
        - column `public.t.a`: rewrites the table; blocks writes (or all access) while it \
scans or rewrites an existing table
        <BLANKLINE>
        ## Changes
        <BLANKLINE>
        <details><summary><code>public.t</code>: 1 change</summary>
        <BLANKLINE>
        - defined differently: column `a`
          - type: `integer` in main, `bigint` in pr
        <BLANKLINE>
        </details>
    """
    report = github_report(changes, plan=plan, limit=limit, paths=paths)
    return report.annotations + report.summary


def github_report(
    changes: ChangeSet,
    *,
    plan: Plan | None = None,
    limit: int = SUMMARY_LIMIT,
    paths: Mapping[str, str] | None = None,
) -> GithubReport:
    """The step summary (at most ``limit`` bytes of UTF-8) and the annotations of ``changes``.

    ``plan`` is the migration planned from ``changes`` (made with the planner's defaults when
    not given). ``paths`` maps the file names the sources were loaded under to the paths the
    annotations give (a ``REV:path`` read from git is ``path`` in the checkout); a source with
    no file (``<stdin>``) gets annotations without a place.
    """
    r = ReportContext.planned(changes, plan)
    return GithubReport(_summary(r, limit), _annotations(r, paths or {}))


# The step summary --------------------------------------------------------------------------------


@attrs.frozen
class _Block:
    """A ``<details>`` block: what it is called in the cut note, its size in changes, its text."""

    name: str
    changes: int
    lines: tuple[str, ...]


def _summary(r: ReportContext, limit: int) -> str:
    title = [f"# Schema differences: {r.a} vs {r.b}", "", counts_line(r.changes), ""]
    if not r.changes:
        return "\n".join(title)
    leading = [
        ("Security-relevant changes", security(r)),
        ("Critical issues", critical(r)),
        (HAZARDS_TITLE, migration_hazards(r)),
    ]
    renames = unconfirmed_renames(r)
    if renames:
        leading.append(("Probable renames not confirmed", renames))
    blocks = _blocks(r)
    budget = limit - _size(title) - _NOTE_ROOM
    if budget <= 0:
        raise ValueError(f"a step summary limit of {limit} bytes leaves no room for the report")
    body: list[str] = []
    cut_items: dict[str, int] = {}
    # The leading sections take at most half the room, so that thousands of hazards still
    # leave some tables to look at.
    lead = budget // 2
    for heading, lines in leading:
        head = [f"## {heading}", ""]
        lead -= _size(head)
        body += head
        for number, line in enumerate(lines):
            cost = _size([line])
            if cost > lead:
                cut_items[heading] = sum(1 for x in lines[number:] if x.strip())
                body.append("")
                break
            body.append(line)
            lead -= cost
    budget -= _size(body)
    cut_blocks: list[_Block] = []
    if blocks:
        head = ["## Changes", ""]
        budget -= _size(head)
        body += head
        for block in blocks:
            cost = _size(block.lines)
            if cut_blocks or cost > budget:
                cut_blocks.append(block)
                continue
            body += block.lines
            budget -= cost
    note = _cut_note(cut_items, cut_blocks, limit)
    text = "\n".join(title + note + body)
    text = text.rstrip("\n") + "\n"
    assert len(text.encode("utf-8")) <= limit
    return text


def _size(lines: Iterable[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


def _cut_note(cut_items: dict[str, int], cut_blocks: list[_Block], limit: int) -> list[str]:
    """What was left out to stay within the limit, and where the whole report is."""
    if not cut_items and not cut_blocks:
        return []
    parts = [f"{plural(n, 'more line')} of “{title}”" for title, n in cut_items.items()]
    if cut_blocks:
        n = sum(b.changes for b in cut_blocks)
        named = ", ".join(b.name for b in cut_blocks[:_NAMED])
        more = f" and {len(cut_blocks) - _NAMED} more" if len(cut_blocks) > _NAMED else ""
        parts.append(f"{plural(len(cut_blocks), 'group')} of changes ({plural(n, 'change')}): "
                     f"{named}{more}")  # fmt: skip
    return [f"> **Cut to fit GitHub's step summary limit of {limit:,} bytes.** Left out: "
            f"{'; '.join(parts)}. `pgdrift diff --format markdown` writes the whole report.",
            ""]  # fmt: skip


def _blocks(r: ReportContext) -> list[_Block]:
    """A ``<details>`` block per table, then one per kind of other object."""
    tables: dict[ObjectId, list[Change]] = {}
    others: dict[str, list[Change]] = {}
    for change in r.changes:
        table = r.table_of(change) if change.kind in TABLE_PARTS else None
        if table is not None:
            tables.setdefault(table, []).append(change)
        else:
            others.setdefault(change.kind, []).append(change)
    blocks = []
    for table, group in sorted(tables.items(), key=lambda kv: kv[0].sort_key()):
        # The table's own change first, then its parts in change-set order.
        group.sort(key=lambda c: c.kind not in TABLE_KINDS)
        name = table.qualified_name
        items = [line for c in group
                 for line in _item(r, c, within_table=c.kind not in TABLE_KINDS)]  # fmt: skip
        blocks.append(_details(f"<code>{html.escape(name)}</code>", f"`{name}`", group, items))
    for kind in sorted(others, key=ids.ALL_KINDS.index):
        group = others[kind]
        words = KIND_PLURALS.get(kind, kind.replace("_", " ") + "s")
        items = [line for c in group for line in _item(r, c, within_table=False)]
        blocks.append(_details(html.escape(words), words, group, items))
    return blocks


def _details(summary: str, name: str, group: list[Change], items: list[str]) -> _Block:
    head = f"<details><summary>{summary}: {plural(len(group), 'change')}</summary>"
    # GitHub renders Markdown inside <details> only after a blank line.
    return _Block(name, len(group), (head, "", *items, "", "</details>", ""))


def _item(r: ReportContext, change: Change, *, within_table: bool) -> list[str]:
    """The Markdown report's bullet for a change, with grant changes spelled out here (the
    report points them to a section of its own that the summary does not have)."""
    privileges = change.detail("privileges")
    if privileges is None:
        return r.change_item(change, within_table=within_table)
    others = tuple(d for d in change.details if d.field != "privileges")
    lines = r.change_item(attrs.evolve(change, details=others), within_table=within_table)
    granted, revoked = privilege_changes(privileges.old or (), privileges.new or ())
    for verb, found in (("granted", granted), ("revoked", revoked)):
        if found:
            lines.append(f"  - {verb} in {r.b}: "
                         f"{', '.join(f'`{value_text(p)}`' for p in found)}")  # fmt: skip
    return lines


# The annotations ---------------------------------------------------------------------------------


def _annotations(r: ReportContext, paths: Mapping[str, str]) -> str:
    """One ``::warning`` per place in a file where changed objects are defined."""
    places: dict[tuple[str, int] | None, list[Change]] = {}
    for change in r.changes:
        places.setdefault(_place(change, paths), []).append(change)

    def rank(item: tuple[tuple[str, int] | None, list[Change]]) -> tuple[object, ...]:
        place, group = item
        flagged = any(c.security for c in group)
        risky = any(r.hazards(c) for c in group)
        return (not flagged, not risky, place is None, place or ("", 0))

    lines = []
    for place, group in sorted(places.items(), key=rank):
        title = f"pgdrift: {plural(len(group), 'difference')}"
        if any(c.security for c in group):
            title += ", security-relevant"
        message = "\n".join(_annotation_line(r, c) for c in group)
        file, line = place if place is not None else (None, None)
        lines.append(annotation("warning", message, file=file, line=line, title=title) + "\n")
    return "".join(lines)


def _annotation_line(r: ReportContext, change: Change) -> str:
    text = change_line(change)
    found = r.hazards(change)
    if found:
        text += f" (migration: {', '.join(h.value for h in found)})"
    return text


def _place(change: Change, paths: Mapping[str, str]) -> tuple[str, int] | None:
    """Where the object is defined: the old side for a drop, else the new side."""
    obj = change.before if isinstance(change, Dropped) else change.after
    span: SourceSpan | None = obj.span if obj is not None else None
    if span is None or not span.file or span.file.startswith("<"):
        return None
    return paths.get(span.file, span.file), span.line
