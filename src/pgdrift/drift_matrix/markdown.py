"""The drift matrix as a Markdown report: the environments, then a table per schema table
(security-relevant rows in a section of their own, first), each followed by the definitions
of the variants its cells number."""

from __future__ import annotations

from pgdrift.drift_matrix.result import Cell, DriftMatrix, MatrixRow, RowGroup
from pgdrift.drift_matrix.wording import change_text, headline, variant_definitions
from pgdrift.renderer.describe import object_name
from pgdrift.renderer.markdown_text import cell, code

__all__ = ["render_matrix_markdown"]

_SECTIONS = {True: "Security-relevant", False: "Other differences"}
_ABSENT = "—"


def render_matrix_markdown(drift: DriftMatrix, *, detail: bool = False) -> str:
    """The whole report, ending with a newline.

    Example:
        >>> import pgdrift
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);", name="a.sql")
        >>> print(render_matrix_markdown(pgdrift.matrix([a, a])), end="")
        # Schema drift across a and b
        <BLANKLINE>
        | environment | read from |
        |---|---|
        | **a** | `a.sql` |
        | **b** | `a.sql` |
        <BLANKLINE>
        No drift across a, b: every object is the same in all of them.
    """
    lines = [f"# Schema drift across {_names(drift.labels)}", ""]
    if any(drift.sources):
        lines.extend(["| environment | read from |", "|---|---|"])
        for label, source in zip(drift.labels, drift.sources, strict=True):
            lines.append(f"| **{cell(label)}** | {code(source) if source else _ABSENT} |")
        lines.append("")
    if not drift:
        lines.append(headline(drift).capitalize() + ".")
        return "\n".join(lines) + "\n"
    lines.append(f"**{headline(drift)}.** In each cell, a number names the object's definition "
                 "in that environment (1 is the first met, reading left to right; each is "
                 f"written out once, below its table); {_ABSENT} means absent and → "
                 "`name` present under another name (a confirmed rename). Security-relevant: "
                 "making one environment like another widens access, as `pgdrift diff` flags "
                 "it.")  # fmt: skip
    section = None
    for group in drift.groups():
        if group.security != section:
            section = group.security
            lines.extend(["", f"## {_SECTIONS[section]}"])
        lines.extend(["", *_group(group, drift, detail)])
    return "\n".join(lines) + "\n"


def _names(labels: tuple[str, ...]) -> str:
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _group(group: RowGroup, drift: DriftMatrix, detail: bool) -> list[str]:
    within = group.table is not None
    title = code(group.table.qualified_name) if group.table is not None else "Other objects"
    lines = [f"### {title}", ""]
    lines.append("| object | " + " | ".join(cell(label) for label in drift.labels) + " |")
    lines.append("|---|" + ":-:|" * len(drift.labels))
    for row in group.rows:
        cells = " | ".join(_cell(c) for c in row.cells)
        lines.append(f"| {_name(row, within)} | {cells} |")
    lines.append("")
    for row in group.rows:
        lines.extend(_definitions(row, drift, within, detail))
    return lines


def _name(row: MatrixRow, within: bool) -> str:
    return f"{row.kind.replace('_', ' ')} {code(object_name(row.id, within_table=within))}"


def _cell(value: Cell) -> str:
    if value.variant is not None:
        return str(value.variant)
    if value.renamed is not None:
        return "→ " + cell(code(object_name(value.renamed, within_table=True)))
    return _ABSENT


def _definitions(row: MatrixRow, drift: DriftMatrix, within: bool, detail: bool) -> list[str]:
    variants = " · ".join(f"**{k}** {_line(text)}"
                          for k, text in enumerate(variant_definitions(row), start=1))  # fmt: skip
    lines = [f"- {_name(row, within)}: {variants}"]
    lines.extend(f"  - ⚠ {n.source} → {n.target}: {_line(n.reason)}"
                 for n in row.security)  # fmt: skip
    if detail:
        lines.extend(f"  - {d.old} → {d.new}: {_line(change_text(d.change))}"
                     for d in row.differences)  # fmt: skip
    return lines


def _line(text: str) -> str:
    return " ".join(text.split())
