"""A :class:`~pgdrift.renderer.diagram.Diagram` written as Mermaid ``erDiagram`` or Graphviz dot.

Mermaid reads entity names in double quotes (any character but ``"``, ``%``, ``\\`` and line
breaks), attribute types and names as words (letters, digits, ``_ - . , ( ) [ ]``), and
``PK``/``FK``/``UK`` as keys: names are written so that each survives that grammar and no two
tables share a name. Dot reads quoted ids and HTML-like labels, escaped as such.

Example:
    >>> import pgdrift
    >>> schema = pgdrift.loads('''
    ...     CREATE TABLE public.teams (id integer PRIMARY KEY, name text);
    ...     CREATE TABLE public.people (id integer PRIMARY KEY,
    ...                                 team_id integer NOT NULL REFERENCES public.teams);
    ... ''')
    >>> print(erd(schema), end="")
    erDiagram
        "public.people" {
            integer id PK
            integer team_id FK
        }
        "public.teams" {
            integer id PK
        }
        "public.teams" ||..o{ "public.people" : "team_id"
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pgdrift.errors import Error
from pgdrift.ids import ObjectId
from pgdrift.renderer.diagram import (
    DEFAULT_MAX_TABLES,
    Diagram,
    DiagramTable,
    Relation,
    plan_diagram,
)
from pgdrift.schema import Schema

__all__ = [
    "DIAGRAM_FORMATS",
    "STATUS_STYLES",
    "erd",
    "mermaid_names",
    "render_diagram",
    "render_dot",
    "render_mermaid",
]

#: The formats :func:`erd` writes.
DIAGRAM_FORMATS = ("dot", "mermaid")
#: Fill and stroke of a table by its status in a drift diagram (GitHub's diff colours).
STATUS_STYLES = {
    "created": ("#dafbe1", "#1a7f37"),
    "dropped": ("#ffebe9", "#cf222e"),
    "altered": ("#fff8c5", "#9a6700"),
}
_INDENT = "    "


def erd(
    schema: Schema,
    format: str = "mermaid",
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    all_columns: bool = False,
    max_tables: int = DEFAULT_MAX_TABLES,
    depth: int = 1,
) -> str:
    """The entity-relationship diagram of ``schema``'s tables as Mermaid (``erDiagram``) or
    Graphviz ``dot`` text.

    ``include`` and ``exclude`` are globs on qualified names (``public.user_*``): with
    ``include`` the diagram shows the matching tables and their neighbours up to ``depth``
    foreign keys away. ``all_columns`` draws every column rather than the key columns. At most
    ``max_tables`` tables are drawn, and a comment in the text says what was left out.

    Raises:
        Error: an ``include`` glob matches no table, or ``format`` is unknown.

    Example:
        >>> import pgdrift
        >>> schema = pgdrift.loads('''
        ...     CREATE TABLE public.a (id integer PRIMARY KEY);
        ...     CREATE TABLE public.b (id integer PRIMARY KEY REFERENCES public.a);
        ...     CREATE TABLE public.c (b_id integer REFERENCES public.b);
        ... ''')
        >>> lines = erd(schema, include=["public.a"], max_tables=1).splitlines()
        >>> for line in lines:
        ...     print(line[:70])
        erDiagram
            %% 1 of 2 tables shown (the chosen tables first, then their neighb
            "public.a" {
                integer id PK
            }
        >>> for part in lines[1].split("; ")[1].split(". "):
        ...     print(part)
        1 left out: public.b
        Draw one with its neighbours with --include 'public.b', or raise --max-tables.
    """
    if format not in DIAGRAM_FORMATS:
        raise Error(f"unknown diagram format {format!r}; known: {', '.join(DIAGRAM_FORMATS)}")
    plan = plan_diagram(
        schema,
        include=include,
        exclude=exclude,
        all_columns=all_columns,
        max_tables=max_tables,
        depth=depth,
    )
    return render_diagram(plan, format)


def render_diagram(diagram: Diagram, format: str) -> str:
    return render_dot(diagram) if format == "dot" else render_mermaid(diagram)


# --- Mermaid -------------------------------------------------------------------------------


def render_mermaid(diagram: Diagram) -> str:
    """The diagram as Mermaid ``erDiagram`` text, ending with a newline."""
    names = mermaid_names(t.id for t in diagram.tables)
    lines = ["erDiagram"]
    if diagram.note:
        lines.append(f"{_INDENT}%% {_one_line(diagram.note)}")
    statuses = sorted({t.status for t in diagram.tables if t.status})
    for status in statuses:
        fill, stroke = STATUS_STYLES[status]
        lines.append(f"{_INDENT}classDef {status} fill:{fill},stroke:{stroke}")
    for table in diagram.tables:
        lines += _entity(table, names[table.id])
    for relation in diagram.relations:
        lines.append(_relation_line(relation, names))
    return "\n".join(lines) + "\n"


def mermaid_names(tables: Iterable[ObjectId]) -> dict[ObjectId, str]:
    """Each table -> its quoted Mermaid entity name, unique among ``tables``."""
    names: dict[ObjectId, str] = {}
    taken: set[str] = set()
    for oid in sorted(tables, key=ObjectId.sort_key):
        base = re.sub(r'["%\\\x00-\x1f\x7f]', "_", oid.qualified_name)
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base} ({n})"
        taken.add(name)
        names[oid] = f'"{name}"'
    return names


def _entity(table: DiagramTable, name: str) -> list[str]:
    head = f"{name}:::{table.status}" if table.status else name
    if not table.columns:
        return [f"{_INDENT}{head}"]
    lines = [f"{_INDENT}{head} {{"]
    for column in table.columns:
        text = f"{_word(column.type)} {_word(column.name)}"
        if column.keys:
            text += " " + ", ".join(column.keys)
        if column.note:
            text += f' "{_comment(column.note)}"'
        lines.append(f"{_INDENT}{_INDENT}{text}")
    lines.append(f"{_INDENT}}}")
    return lines


def _relation_line(relation: Relation, names: dict[ObjectId, str]) -> str:
    # Crow's foot: the marks beside the parent say how many parents a child row has, the ones
    # beside the child how many children a parent row has.
    parent_end = "|o" if relation.nullable else "||"
    child_end = "o|" if relation.unique else "o{"
    line = "--" if relation.identifying else ".."
    return (
        f"{_INDENT}{names[relation.parent]} {parent_end}{line}{child_end} "
        f'{names[relation.child]} : "{_comment(relation.label)}"'
    )


def _word(text: str) -> str:
    """``text`` as one Mermaid attribute word: spaces become ``_``, other characters outside
    the word's alphabet ``_`` too; it starts with a letter or ``_``, and never with ``PK``,
    ``FK`` or ``UK`` standing alone (inside an entity block those are keys, in any case)."""
    word = re.sub(r"[^A-Za-z0-9_\-.,()\[\]]", "_", text.replace(" ", "_")) or "_"
    if not re.match(r"[A-Za-z_]", word) or re.match(r"(?i)(pk|fk|uk)\b", word):
        return f"_{word}"
    return word


def _comment(text: str) -> str:
    return _one_line(text).replace('"', "'")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- Graphviz dot --------------------------------------------------------------------------


def render_dot(diagram: Diagram) -> str:
    """The diagram as a Graphviz ``digraph`` (tables as HTML-like labels), ending with a
    newline; ``dot -Tsvg`` draws it."""
    lines = [
        "digraph erd {",
        f'{_INDENT}graph [rankdir=LR, fontname="Helvetica", fontsize=10'
        + (f', labelloc=b, label="{_dot_string(diagram.note)}"' if diagram.note else "")
        + "];",
        f'{_INDENT}node [shape=plain, fontname="Helvetica", fontsize=10];',
        f'{_INDENT}edge [fontname="Helvetica", fontsize=9];',
    ]
    for table in diagram.tables:
        lines.append(f"{_INDENT}{_dot_id(table)} [label=<{_dot_label(table)}>];")
    ids = {t.id: _dot_id(t) for t in diagram.tables}
    for r in diagram.relations:
        head = "teeodot" if r.nullable else "teetee"
        tail = "teeodot" if r.unique else "crowodot"
        style = "" if r.identifying else ", style=dashed"
        lines.append(
            f"{_INDENT}{ids[r.child]} -> {ids[r.parent]} "
            f'[label="{_dot_string(r.label)}", dir=both, arrowhead={head}, '
            f"arrowtail={tail}{style}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_id(table: DiagramTable) -> str:
    return f'"{_dot_string(table.name)}"'


def _dot_string(text: str) -> str:
    return _one_line(text).replace("\\", "\\\\").replace('"', '\\"')


def _dot_label(table: DiagramTable) -> str:
    fill = STATUS_STYLES[table.status][0] if table.status else "#eeeeee"
    words = [table.status] if table.status else []
    if table.partitions:
        words.append(f"{table.partitions} partition{'s' * (table.partitions != 1)}")
    rows = [
        f'<tr><td colspan="3" bgcolor="{fill}"><b>{_html(table.name)}</b>'
        + (f" ({_html(', '.join(words))})" if words else "")
        + "</td></tr>"
    ]
    for c in table.columns:
        keys = ", ".join(c.keys) + (f" {c.note}" if c.note else "")
        rows.append(
            f'<tr><td align="left">{_html(c.name)}</td><td align="left">'
            f'{_html(c.type)}</td><td align="left">{_html(keys.strip())}</td></tr>'
        )
    return (
        '<table border="0" cellborder="1" cellspacing="0" cellpadding="3">'
        + "".join(rows)
        + "</table>"
    )


def _html(text: str) -> str:
    return (
        _one_line(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )
