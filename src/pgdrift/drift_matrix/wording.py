"""The words every matrix format shares: the headline, a row's name, each variant's one-line
definition, and the differ's changes between variants in the diff report's own words."""

from __future__ import annotations

from pgdrift import model
from pgdrift.differ.changes import Change, Replaced
from pgdrift.drift_matrix.result import DriftMatrix, MatrixRow
from pgdrift.renderer.describe import FIELD_LABELS, object_name, part_description
from pgdrift.renderer.text import change_line, detail_text

__all__ = ["change_text", "headline", "row_name", "variant_definitions"]


def headline(drift: DriftMatrix) -> str:
    """``12 objects differ across dev, staging, prod; 3 security-relevant``."""
    names = ", ".join(drift.labels)
    if not drift:
        return f"no drift across {names}: every object is the same in all of them"
    n = len(drift)
    text = f"{n} object{'s' if n != 1 else ''} differ{'s' if n == 1 else ''} across {names}"
    flagged = sum(1 for row in drift if row.security_relevant)
    if flagged:
        text += f"; {flagged} security-relevant"
    return text


def row_name(row: MatrixRow, *, within_table: bool) -> str:
    """``column device_id`` under its table's heading, ``function public.f(uuid)`` elsewhere."""
    return f"{row.kind.replace('_', ' ')} {object_name(row.id, within_table=within_table)}"


def variant_definitions(row: MatrixRow) -> list[str]:
    """One line per variant, in number order. A variant whose line reads like an earlier
    one's (they differ in owner, grants, comment...) says what sets it apart."""
    lines: list[str] = []
    for number, obj in enumerate(row.variants, start=1):
        text = _definition(obj)
        twin = next((k for k, line in enumerate(lines, start=1) if line == text), None)
        lines.append(text)
        if twin is not None:
            fields = _fields_between(row, twin, number)
            if fields:
                lines[-1] = f"{text} (unlike {twin}: {', '.join(fields)})"
    return lines


def _definition(obj: model.DbObject) -> str:
    if isinstance(obj, model.Table):
        parts = [f"{len(obj.columns)} column{'s' if len(obj.columns) != 1 else ''}"]
        if obj.rls_enabled:
            parts.append("row level security" + (" forced" if obj.rls_forced else ""))
        return ", ".join(parts)
    return part_description(obj) or obj.kind.replace("_", " ")


def _fields_between(row: MatrixRow, old: int, new: int) -> list[str]:
    fields: list[str] = []
    for difference in row.differences:
        if (difference.old, difference.new) == (old, new):
            for detail in difference.change.details:
                label = FIELD_LABELS.get(detail.field, detail.field.replace("_", " "))
                if label not in fields:
                    fields.append(label)
    return fields


def change_text(change: Change) -> str:
    """What the differ says about one change, without the object's name: ``type character
    varying(255) -> text; NOT NULL yes -> no``."""
    parts = [detail_text(d.field, d.old, d.new, d.note) for d in change.details]
    if isinstance(change, Replaced) and change.reason:
        parts.insert(0, f"must be dropped and created again ({change.reason})")
    if not parts:
        return change_line(change, within_table=True)
    return "; ".join(parts)
