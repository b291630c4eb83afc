"""The report's sections for objects outside tables: enum types, functions and procedures
(overloads grouped under their name, body changes as a unified diff), the kinds listed change
by change (views, indexes, sequences...), grants, and the probable renames left unconfirmed.
"""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import ids, model
from pgdrift.differ.changes import Altered, Change, Created, Dropped, Renamed, Replaced
from pgdrift.renderer.describe import (
    describe_object,
    function_returns,
    function_signature,
    function_traits,
    privilege_changes,
    privilege_text,
)
from pgdrift.renderer.markdown_context import ROUTINE_KINDS, ReportContext, rename_flag
from pgdrift.renderer.markdown_text import cell, code, plural, see

__all__ = ["enums", "functions", "generic", "grants", "unconfirmed_renames"]


def enums(r: ReportContext) -> list[str]:
    """Enum types on one side only, defined differently (labels of each side), and identical."""
    changes = r.remaining({ids.ENUM})
    lines: list[str] = []
    for label, cls in ((r.a, Dropped), (r.b, Created)):
        items = [c for c in changes if isinstance(c, cls)]
        if not items:
            continue
        lines += [f"### Only in {label}", ""]
        for change in items:
            r.take(change)
            enum = change.object
            if not isinstance(enum, model.Enum):
                lines.append(f"- {code(enum.qualified_name)}: {describe_object(enum)}")
                continue
            lines.append(f"- {code(enum.qualified_name)} with "
                         f"{plural(len(enum.labels), 'label')}: "
                         f"{', '.join(code(x) for x in enum.labels)}")  # fmt: skip
        lines.append("")
    changed = [c for c in changes if not isinstance(c, (Dropped, Created))]
    if changed:
        lines += ["### Defined differently", ""]
        for other in changed:
            r.take(other)
            lines += _enum_change(r, other)
        lines.append("")
    different = {c.id for c in changes} | {getattr(c, "new_id", None) for c in changes}
    identical = [e for e in r.kept(r.old, {ids.ENUM})
                 if e.id in r.new.objects and e.id not in different]  # fmt: skip
    if identical:
        lines += ["### Identical", ""]
        for enum in identical:
            lines.append(f"- {code(enum.qualified_name)} — IDENTICAL, "
                         f"{plural(len(enum.labels), 'label')}: "
                         f"{', '.join(code(x) for x in enum.labels)}")  # fmt: skip
        lines.append("")
    return lines or ["No enum types on either side.", ""]


def _enum_change(r: ReportContext, change: Change) -> list[str]:
    """The bullets for one enum both sides have."""
    head = f"- {code(change.id.qualified_name)}"
    if isinstance(change, Renamed):
        head += f" renamed to {code(change.new_id.qualified_name)}"
    lines = [head]
    for d in change.details:
        if d.field == "labels":
            old, new = list(d.old), list(d.new)
            added = [x for x in new if x not in old]
            removed = [x for x in old if x not in new]
            if added:
                lines.append(f"  - labels only in {r.b}: "
                             + ", ".join(code(x) for x in added))  # fmt: skip
            if removed:
                lines.append(f"  - labels only in {r.a}: "
                             + ", ".join(code(x) for x in removed))  # fmt: skip
            lines.append(f"  - {r.a}: " + ", ".join(code(x) for x in old))
            lines.append(f"  - {r.b}: " + ", ".join(code(x) for x in new))
        elif d.field != "privileges":
            lines += r.detail_lines(d, indent="  ")
    if isinstance(change, Replaced):
        lines.append(f"  - must be dropped and created again: {change.reason}")
    return lines


def functions(r: ReportContext) -> list[str]:
    """Functions and procedures: one side only, overloads grouped by name, changed, identical."""
    changes = r.remaining(ROUTINE_KINDS)
    n_a = len(r.kept(r.old, ROUTINE_KINDS))
    n_b = len(r.kept(r.new, ROUTINE_KINDS))
    lines = [f"{r.a} has {plural(n_a, 'function')}, {r.b} has {n_b} "
             f"(procedures included).", ""]  # fmt: skip
    by_name: dict[tuple[str, str | None, str], list[Change]] = {}
    for change in changes:
        by_name.setdefault((change.kind, change.id.schema, change.id.name), []).append(change)
    overloads = {key: group for key, group in by_name.items()
                 if {c.operation for c in group} >= {"drop", "create"}}  # fmt: skip
    grouped = {id(c) for group in overloads.values() for c in group}
    for label, cls in ((r.a, Dropped), (r.b, Created)):
        items = [c for c in changes if isinstance(c, cls) and id(c) not in grouped]
        if items:
            lines += [f"### Only in {label} ({len(items)})", ""]
            lines += [_function_item(r, c) for c in items]
            lines.append("")
    if overloads:
        lines += ["### Signatures that differ (overloads grouped by name)", ""]
        for (_kind, schema, name), group in sorted(overloads.items(),
                                                  key=lambda kv: (kv[0][0], kv[0][1] or "",
                                                                  kv[0][2])):  # fmt: skip
            qualified = f"{schema}.{name}" if schema else name
            lines += [f"#### {code(qualified)}", ""]
            for change in group:
                if isinstance(change, (Dropped, Created)):
                    lines.append(f"- only in {r.side(change)}: "
                                 + _function_item(r, change, bullet=False))  # fmt: skip
                else:
                    lines += _function_change(r, change)
            lines.append("")
    changed = [c for c in changes if not isinstance(c, (Dropped, Created))
               and id(c) not in grouped]  # fmt: skip
    if changed:
        lines += [f"### Defined differently ({len(changed)})", ""]
        for change in changed:
            lines += _function_change(r, change)
            lines.append("")
    for change in changes:
        r.take(change)
    different = {c.id for c in changes}
    identical = [f for f in r.kept(r.old, ROUTINE_KINDS)
                 if f.id in r.new.objects and f.id not in different]  # fmt: skip
    if identical:
        lines += [f"### Identical ({len(identical)})", ""]
        lines += [f"- {code(f.id.qualified_name)}" for f in identical]
        lines.append("")
    return lines


def _function_item(r: ReportContext, change: Change, *, bullet: bool = True) -> str:
    """A routine in one line: signature, return type, traits, comment."""
    function = change.object
    if not isinstance(function, model.Function):
        text = f"{code(change.id.qualified_name)} — {describe_object(function)}"
        return f"- {text}" if bullet else text
    text = (f"{code(function_signature(function))} — {function_returns(function)}; "
            f"{function_traits(function)}")  # fmt: skip
    if function.comment:
        text += f" — {cell(function.comment)}"
    return f"- {text}" if bullet else text


def _function_change(r: ReportContext, change: Change) -> list[str]:
    """A routine both sides have: what differs, body changes as a unified diff."""
    function = change.before
    if isinstance(function, model.Function):
        head = f"#### {code(function_signature(function))}"
    else:
        head = f"#### {code(change.id.qualified_name)}"
    if isinstance(change, Renamed):
        head += f" → {code(change.new_id.qualified_name)}"
    lines = [head, ""]
    if isinstance(change, Replaced):
        lines.append(f"- must be dropped and created again: {change.reason}")
    for d in change.details:
        if d.field == "privileges":
            lines.append(f"- grants differ (see {see('Grants')})")
        else:
            lines += r.detail_lines(d, indent="")
    return lines


def generic(r: ReportContext, kinds: Iterable[str]) -> list[str]:
    """One bullet list of the remaining changes of ``kinds`` (a change of grants only is left
    to :func:`grants`)."""
    changes = r.remaining(kinds)
    lines: list[str] = []
    for change in changes:
        r.take(change)
        if isinstance(change, Altered) and all(d.field == "privileges" for d in change.details):
            continue  # only grants differ: said in the Grants section
        lines += r.change_item(change)
    if lines:
        lines.append("")
    return lines


def grants(r: ReportContext) -> list[str]:
    """The privileges only one side grants, object by object."""
    lines = []
    for change in r.changes:
        for d in change.details:
            if d.field != "privileges":
                continue
            granted, revoked = privilege_changes(d.old, d.new)
            name = code(change.id.qualified_name)
            parts = []
            if granted:
                parts.append(f"only in {r.b}: "
                             + ", ".join(privilege_text(p) for p in granted))  # fmt: skip
            if revoked:
                parts.append(f"only in {r.a}: "
                             + ", ".join(privilege_text(p) for p in revoked))  # fmt: skip
            lines.append(f"- {change.kind.replace('_', ' ')} {name}: {'; '.join(parts)}")
    if lines:
        lines.append("")
    return lines


def unconfirmed_renames(r: ReportContext) -> list[str]:
    """The rename candidates not confirmed, each with the ``--rename`` that confirms it."""
    pending = [c for c in r.changes.rename_candidates if not c.confirmed]
    if not pending:
        return []
    lines = []
    for candidate in pending:
        lines.append(f"- {candidate.old.kind.replace('_', ' ')} "
                     f"{code(candidate.old.qualified_name)} → {code(candidate.new.name)}: "
                     f"score {candidate.score:.2f} ({', '.join(candidate.evidence)}). "
                     f"Confirm with {code(rename_flag(candidate))}.")  # fmt: skip
    lines += ["", f"`--detect-renames` accepts every candidate scoring at least "
                  f"{r.options.rename_threshold:.2f}.", ""]  # fmt: skip
    return lines
