"""The "Treated as equal" section every report shares: attributes written in two forms that
pgdrift compared as equal, each with the rule (:mod:`pgdrift.pg.equivalences`) that made them
one, so "no difference" never silently covers a difference of form."""

from __future__ import annotations

from typing import Any

from pgdrift.differ.changes import ChangeSet, TreatedAsEqual
from pgdrift.pg.equivalences import describe

TITLE = "Treated as equal"


def object_name(item: TreatedAsEqual) -> str:
    """``constraint public.t.k_check``"""
    return f"{item.id.kind.replace('_', ' ')} {item.id.qualified_name}"


def text_lines(changes: ChangeSet) -> list[str]:
    """The section for the text report (nothing when no rule was needed)."""
    items = changes.treated_as_equal
    if not items:
        return []
    lines = [f"treated as equal ({len(items)}: written in two forms, equal to PostgreSQL):"]
    lines += [f"  = {object_name(t)} {t.attribute}: {describe(t.rule)}" for t in items]
    return lines


def markdown_lines(changes: ChangeSet) -> list[str]:
    """The section body for the Markdown report (nothing when no rule was needed)."""
    items = changes.treated_as_equal
    if not items:
        return []
    lines = ["Written in two forms that PostgreSQL treats as the same; compared as equal:", ""]
    lines += [f"- {t.id.kind.replace('_', ' ')} `{t.id.qualified_name}`, {t.attribute}: "
              f"{describe(t.rule)}" for t in items]  # fmt: skip
    lines.append("")
    return lines


def data(changes: ChangeSet) -> list[dict[str, Any]]:
    """The JSON report's ``treated_as_equal`` list."""
    return [{"id": str(t.id), "attribute": t.attribute, "rule": t.rule,
             "description": describe(t.rule)} for t in changes.treated_as_equal]  # fmt: skip


__all__ = ["TITLE", "data", "markdown_lines", "object_name", "text_lines"]
