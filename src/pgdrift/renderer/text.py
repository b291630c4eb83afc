"""A compact terminal summary: one line per change, grouped by table, then a counts line.

Markers: ``+`` only on the new side (created), ``-`` only on the old side (dropped), ``~``
altered, ``>`` renamed, ``!`` replaced (dropped and created again). Changes that widen access
end with ``[security: ...]``. ANSI colours only when asked for.
"""

from __future__ import annotations

from collections import Counter

from pgdrift import ids
from pgdrift.differ.changes import Change, ChangeSet, Renamed, Replaced
from pgdrift.ids import ObjectId
from pgdrift.renderer import equivalences
from pgdrift.renderer.describe import FIELD_LABELS, privilege_changes, shorten, value_text
from pgdrift.renderer.registry import renders

MARKERS = {"create": "+", "drop": "-", "alter": "~", "rename": ">", "replace": "!"}
_COLORS = {"create": "32", "drop": "31", "alter": "33", "rename": "36", "replace": "35"}
_SECURITY_COLOR = "1;31"
_HEADING_COLOR = "1"
# How a table's own changes are ordered under its heading: the table, then its parts.
_KIND_ORDER = {kind: i for i, kind in enumerate(ids.TABLE_PART_ORDER)}
_PAST = {"create": "created", "drop": "dropped", "alter": "altered", "rename": "renamed",
         "replace": "replaced"}  # fmt: skip


@renders("text")
def render_text(changes: ChangeSet, *, color: bool = False, quiet: bool = False) -> str:
    """One line per change grouped by table, then the counts line; only the counts line when
    ``quiet``.

    Example:
        >>> import pgdrift
        >>> from pgdrift.differ import diff
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = pgdrift.loads("CREATE TABLE public.t (a bigint);")
        >>> print(render_text(diff(a, b, labels=("dev", "prod"))), end="")
        public.t
          ~ column a: type integer -> bigint
        <BLANKLINE>
        1 difference between dev and prod: 1 altered
    """
    paint = _Paint(color)
    counts = counts_line(changes)
    if quiet:
        return counts + "\n"
    lines = files_read(changes)
    if not changes:
        return "\n".join([*lines, *_treated(changes), counts]) + "\n"
    groups = changes.by_table()
    for table, group in groups.items():
        if table is None:
            continue
        lines.append(paint(_HEADING_COLOR, table.qualified_name))
        ordered = sorted(group, key=lambda c: (_KIND_ORDER.get(c.kind, 99), c.sort_key()))
        lines.extend("  " + change_line(c, paint, within_table=True) for c in ordered)
    others = groups.get(None, ())
    if others:
        if lines:
            lines.append(paint(_HEADING_COLOR, "other objects"))
        lines.extend("  " + change_line(c, paint) for c in others)
    lines.append("")
    lines += _treated(changes)
    lines.append(counts)
    return "\n".join(lines) + "\n"


def _treated(changes: ChangeSet) -> list[str]:
    section = equivalences.text_lines(changes)
    return [*section, ""] if section else []


def files_read(changes: ChangeSet) -> list[str]:
    """For each side read from several files (migrations), the files in the order applied,
    then a blank line; nothing when both sides were single files.

    Example:
        >>> import attrs, pgdrift
        >>> from pgdrift.differ import diff
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = attrs.evolve(a, inputs=("m/1_init.sql", "m/2_more.sql"))
        >>> print("\\n".join(files_read(diff(a, b, labels=("prod", "migrations")))))
        migrations: 2 files read, in this order:
          1. m/1_init.sql
          2. m/2_more.sql
        <BLANKLINE>
    """
    lines: list[str] = []
    for label, schema in zip(changes.labels, (changes.old, changes.new), strict=True):
        inputs = getattr(schema, "inputs", ())
        if not inputs:
            continue
        lines.append(f"{label}: {len(inputs)} file{'s' if len(inputs) != 1 else ''} read, "
                     "in this order:")  # fmt: skip
        width = len(str(len(inputs)))
        lines.extend(f"  {n:>{width}}. {name}" for n, name in enumerate(inputs, 1))
        lines.append("")
    return lines


def counts_line(changes: ChangeSet) -> str:
    """``79 differences between dev and prod: 11 created, 57 dropped, ...; 1 security-relevant``"""
    a, b = changes.labels
    if not changes:
        return f"no differences between {a} and {b}"
    by_operation = Counter(c.operation for c in changes)
    parts = [f"{by_operation[op]} {_PAST[op]}" for op in MARKERS if by_operation[op]]
    n = len(changes)
    text = f"{n} difference{'s' if n != 1 else ''} between {a} and {b}: {', '.join(parts)}"
    flagged = sum(1 for c in changes if c.security)
    if flagged:
        text += f"; {flagged} security-relevant"
    unconfirmed = sum(1 for c in changes.rename_candidates if not c.confirmed)
    if unconfirmed:
        text += f"; {unconfirmed} probable rename{'s' if unconfirmed != 1 else ''} not confirmed"
    return text


def change_line(change: Change, paint: _Paint | None = None, *, within_table: bool = False) -> str:
    """``~ column device_id: type character varying(255) -> text``"""
    paint = paint or _Paint(False)
    marker = MARKERS[change.operation]
    name = _name(change.id, within_table)
    text = f"{marker} {change.kind.replace('_', ' ')} {name}"
    if isinstance(change, Renamed):
        text += f" -> {_name(change.new_id, within_table=True)}"
    line = paint(_COLORS[change.operation], text)
    details = [detail_text(d.field, d.old, d.new, d.note) for d in change.details]
    if isinstance(change, Replaced) and change.reason:
        details.insert(0, f"must be dropped and created again ({change.reason})")
    if details:
        line += ": " + "; ".join(details)
    if change.security:
        line += " " + paint(_SECURITY_COLOR, f"[security: {'; '.join(change.security)}]")
    return line


def _name(oid: ObjectId, within_table: bool) -> str:
    if within_table and oid.parent is not None:
        return oid.name
    return oid.qualified_name


def detail_text(field: str, old: object, new: object, note: str | None) -> str:
    """One attribute change in words: ``type integer -> bigint``, ``privileges +SELECT to anon``."""
    label = FIELD_LABELS.get(field, field.replace("_", " "))
    if field in ("body", "statement"):
        if note == "whitespace or comments only":
            return f"{label} differs in whitespace or comments only"
        return f"{label} differs"
    if field == "column_order":
        return "column order differs"
    if field == "privileges" and isinstance(old, tuple) and isinstance(new, tuple):
        granted, revoked = privilege_changes(old, new)
        parts = [f"+{value_text(p)}" for p in granted] + [f"-{value_text(p)}" for p in revoked]
        return f"privileges {', '.join(parts)}"
    text = f"{label} {shorten(value_text(old), 40)} -> {shorten(value_text(new), 40)}"
    if note:
        text += f" ({shorten(note, 40)})"
    return text


class _Paint:
    """Wraps text in an ANSI SGR code when enabled, else leaves it alone."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text
