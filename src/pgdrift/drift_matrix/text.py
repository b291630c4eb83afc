"""The drift matrix for a terminal: a line per object with a column per environment.

A cell holds the number of the object's definition in that environment, ``-`` when the object
is absent, ``>`` when it is there under another name (a confirmed rename). Under each line:
each variant's definition, once, then the security reasons (``!``) and, with ``detail``, what
the differ finds between each two variants.
"""

from __future__ import annotations

from pgdrift.drift_matrix.result import Cell, DriftMatrix, MatrixRow
from pgdrift.drift_matrix.wording import change_text, headline, row_name, variant_definitions
from pgdrift.renderer.describe import object_name

__all__ = ["cell_text", "render_matrix_text"]

_SECTIONS = {True: "security-relevant", False: "other differences"}


def cell_text(cell: Cell) -> str:
    if cell.variant is not None:
        return str(cell.variant)
    return ">" if cell.renamed is not None else "-"


def render_matrix_text(drift: DriftMatrix, *, detail: bool = False) -> str:
    """The matrix as aligned text: the headline, the environments, then the rows by section
    and table.

    Example:
        >>> import pgdrift
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);", name="dev.sql")
        >>> b = pgdrift.loads("CREATE TABLE public.t (a bigint);", name="prod.sql")
        >>> print(render_matrix_text(pgdrift.matrix([a, b, b])), end="")
        1 object differs across a, b, c
          a  dev.sql
          b  prod.sql
          c  prod.sql
        <BLANKLINE>
        other differences
          a  b  c
        public.t
          1  2  2  column a
                   1: integer
                   2: bigint
    """
    lines = [headline(drift)]
    if not drift:
        return lines[0] + "\n"
    sources = [pair for pair in zip(drift.labels, drift.sources, strict=True) if pair[1]]
    if sources:
        width = max(len(label) for label, _ in sources)
        lines.extend(f"  {label:<{width}}  {source}" for label, source in sources)
    widths = [max(len(label), *(len(cell_text(r.cells[e])) for r in drift))
              for e, label in enumerate(drift.labels)]  # fmt: skip
    indent = " " * (2 + sum(widths) + 2 * len(widths))
    section = None
    for group in drift.groups():
        if group.security != section:
            section = group.security
            labels = "  ".join(map(str.ljust, drift.labels, widths))
            lines.extend(["", _SECTIONS[section], f"  {labels}".rstrip()])
        lines.append(group.table.qualified_name if group.table is not None else "other objects")
        for row in group.rows:
            cells = "".join(map(_column, map(cell_text, row.cells), widths))
            lines.append(f"  {cells}{row_name(row, within_table=group.table is not None)}")
            lines.extend(indent + line for line in _under(row, drift, detail))
    return "\n".join(lines) + "\n"


def _column(text: str, width: int) -> str:
    return text.ljust(width) + "  "


def _under(row: MatrixRow, drift: DriftMatrix, detail: bool) -> list[str]:
    lines = [f"{k}: {text}" for k, text in enumerate(variant_definitions(row), start=1)]
    for label, cell in zip(drift.labels, row.cells, strict=True):
        if cell.renamed is not None:
            lines.append(f"> {label}: as {object_name(cell.renamed, within_table=True)}")
    lines.extend(f"! {n.source} -> {n.target}: {n.reason}" for n in row.security)
    if detail:
        lines.extend(f"{d.old} -> {d.new}: {change_text(d.change)}" for d in row.differences)
    return lines
