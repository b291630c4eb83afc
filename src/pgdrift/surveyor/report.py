"""A fleet run as text for people, as one JSON document, or as JSON lines per database.

Everything is sorted (groups by size, members and databases by name), so the same fleet gives
the same bytes whatever order the workers finished in.
"""

from __future__ import annotations

import json
from typing import Any

from pgdrift.renderer.describe import shorten
from pgdrift.surveyor import DriftGroup, FleetReport
from pgdrift.surveyor.signature import DriftItem, Signature
from pgdrift.surveyor.task import DatabaseResult

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "group_phrase", "render_fleet", "report_to_data"]

FORMAT_NAME = "pgdrift.fleet"
FORMAT_VERSION = 1
FORMATS = ("text", "json", "jsonl")

# How a created or dropped object reads in the summary line ("17 missing index public.x_idx");
# any other change reads as its own line ("3 with column public.t.a: type integer -> bigint").
_PHRASES = {"drop": "missing {what}", "create": "with an extra {what}"}
_PHRASE_WIDTH = 80


def group_phrase(signature: Signature) -> str:
    """What a group's databases have in common, in a few words.

    Example:
        >>> group_phrase(Signature.of([DriftItem("drop index:public.t_idx 0f", "- index ...")]))
        'missing index public.t_idx'
        >>> altered = DriftItem("alter column:public.t.a 1e", "~ column public.t.a: type int -> x")
        >>> group_phrase(Signature.of([altered]))
        'with column public.t.a: type int -> x'
        >>> group_phrase(Signature.of([]))
        'identical'
    """
    if not signature:
        return "identical"
    if len(signature.items) > 1:
        return f"with {len(signature.items)} changes"
    item = signature.items[0]
    operation, oid = item.key.split(" ", 2)[:2]
    if operation not in _PHRASES:
        line = item.text.split(" ", 1)[1].split(" [security: ")[0]
        return "with " + shorten(line, _PHRASE_WIDTH)
    kind, _, name = oid.partition(":")
    return _PHRASES[operation].format(what=f"{kind.replace('_', ' ')} {name}")


#: Changes listed per group in the text report (JSON lists them all).
TEXT_CHANGES = 20
#: Groups named in the summary line before "and N other groups".
SUMMARY_GROUPS = 6


def render_fleet(report: FleetReport, fmt: str = "text", *, members: int = 10) -> str:
    """The report in ``fmt`` (``text``, ``json`` or ``jsonl``); text lists at most
    ``members`` names per group (0 for all) and :data:`TEXT_CHANGES` changes."""
    if fmt == "json":
        return json.dumps(report_to_data(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "jsonl":
        return "".join(
            json.dumps(result_to_data(r), ensure_ascii=False) + "\n" for r in report.results
        )
    if fmt == "text":
        return _text(report, members)
    raise ValueError(f"unknown fleet format {fmt!r}; known: {', '.join(FORMATS)}")


def _text(report: FleetReport, cap: int) -> str:
    groups = report.groups
    total = len(report.results)
    lines = [f"{total:,} database{'s' if total != 1 else ''} against {report.baseline}: "
             + summary_line(report), ""]  # fmt: skip
    for group in groups:
        if not group.signature:
            continue
        lines.append(f"{group.size:,} {group_phrase(group.signature)} "
                     f"[signature {group.signature.id}]")  # fmt: skip
        items = group.signature.items
        lines.extend(f"    {item.text}" for item in items[:TEXT_CHANGES])
        if len(items) > TEXT_CHANGES:
            lines.append(f"    ... and {len(items) - TEXT_CHANGES} more changes (--format json "
                         "lists them all)")  # fmt: skip
        lines.append("  " + _members(group, cap))
        lines.append("")
    errors = report.errors
    if errors:
        lines.append(f"{len(errors):,} could not be read:")
        lines.extend(f"  {r.error}" for r in errors)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def summary_line(report: FleetReport) -> str:
    """``4,980 identical, 17 missing index X, 3 with an extra column Y; 2 unreadable``"""
    groups = report.groups
    parts = [f"{g.size:,} {group_phrase(g.signature)}" for g in groups[:SUMMARY_GROUPS]]
    rest = groups[SUMMARY_GROUPS:]
    if rest:
        n = sum(g.size for g in rest)
        parts.append(f"{n:,} in {len(rest):,} other group{'s' if len(rest) != 1 else ''}")
    bad = len(report.errors)
    text = ", ".join(parts) if parts else "nothing read"
    if bad:
        text += f"; {bad:,} unreadable"
    return text


def _members(group: DriftGroup, cap: int) -> str:
    shown = group.members if cap <= 0 else group.members[:cap]
    text = "members: " + ", ".join(shown)
    if len(shown) < group.size:
        text += f" ... and {group.size - len(shown):,} more"
    return text


def result_to_data(result: DatabaseResult) -> dict[str, Any]:
    """One database as a JSON line: name, status, signature id and changes, or its error."""
    signature = result.signature
    return {
        "database": result.name,
        "status": result.status,
        "signature": signature.id if signature is not None else None,
        "changes": [_item(i) for i in signature.items] if signature is not None else [],
        "error": result.error,
    }


def report_to_data(report: FleetReport) -> dict[str, Any]:
    """The whole run: counts, groups (with every member) and errors."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "baseline": report.baseline,
        "summary": {
            "databases": len(report.results),
            "identical": report.count("identical"),
            "drifted": report.count("drifted"),
            "errors": report.count("error"),
            "groups": len(report.groups),
        },
        "groups": [
            {
                "signature": g.signature.id,
                "summary": group_phrase(g.signature),
                "size": g.size,
                "changes": [_item(i) for i in g.signature.items],
                "members": list(g.members),
            }
            for g in report.groups
        ],
        "errors": [{"database": r.name, "error": r.error} for r in report.errors],
    }


def _item(item: DriftItem) -> dict[str, str]:
    return {"key": item.key, "text": item.text}
