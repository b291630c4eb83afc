"""The report's diagram: the tables that differ and the tables linked to them by a foreign key,
as a Mermaid ``erDiagram`` (GitHub draws it inline), the differing parts marked.

A table only in the first schema is drawn red, only in the second green, defined differently
yellow (a ``classDef`` each); neighbours are drawn plain. Each table shows its key columns, and
an altered table also the columns that differ, with a comment saying how; a foreign key only
one side has between tables both sides have says so in its label. A large diff is cut to
:data:`REPORT_MAX_TABLES` tables, the differing ones first, and a line under the diagram says
what was left out and how to draw it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import attrs

from pgdrift import ids, model
from pgdrift.differ.changes import Change, Created, Dropped, Renamed
from pgdrift.ids import ObjectId
from pgdrift.renderer.describe import FIELD_LABELS
from pgdrift.renderer.diagram import (
    Diagram,
    DiagramColumn,
    DiagramTable,
    Relation,
    TableKeys,
    find_table,
    relations_of,
    roots_of,
    table_columns,
)
from pgdrift.renderer.diagram_text import render_mermaid
from pgdrift.renderer.markdown_context import ReportContext
from pgdrift.renderer.markdown_text import code, fence, plural
from pgdrift.schema import Schema

__all__ = ["DIAGRAM_TITLE", "REPORT_MAX_TABLES", "changes_diagram"]

DIAGRAM_TITLE = "Tables that differ and their neighbours"
#: Tables the report's diagram draws at most: enough for a large migration's story, few enough
#: to read in a pull request.
REPORT_MAX_TABLES = 30
_STATUS_ORDER = {"dropped": 0, "created": 1, "altered": 2}


def changes_diagram(r: ReportContext, max_tables: int = REPORT_MAX_TABLES) -> list[str]:
    """The ``### Tables that differ and their neighbours`` block, or nothing when no table
    differs."""
    new_of_old = {old: new for new, old in r.renamed_tables.items()}
    old_roots, new_roots = roots_of(r.old), roots_of(r.new)

    def drawn_as(oid: ObjectId) -> ObjectId:
        """A table (as either side names it) -> the table drawn: the new name, the root."""
        oid = new_of_old.get(oid, oid)
        return new_roots.get(oid) or old_roots.get(oid) or oid

    status = _statuses(r, drawn_as)
    if not status:
        return []
    keys = (TableKeys(r.old), TableKeys(r.new))
    relations = _relations(r, drawn_as, status, keys)
    linked: dict[ObjectId, set[ObjectId]] = {}
    for rel in relations:
        for here, there in ((rel.child, rel.parent), (rel.parent, rel.child)):
            if here in status and there not in status:
                linked.setdefault(there, set()).add(here)
    changed = sorted(status, key=lambda t: (_STATUS_ORDER[status[t]], t.sort_key()))
    neighbours = sorted(linked, key=lambda t: (-len(linked[t]), t.sort_key()))
    chosen = (changed + neighbours)[:max_tables]
    shown = set(chosen)
    tables = tuple(
        _table(r, oid, status.get(oid), keys) for oid in sorted(shown, key=ObjectId.sort_key)
    )
    drawn = Diagram(tables, tuple(x for x in relations if x.child in shown and x.parent in shown))
    lines = [f"### {DIAGRAM_TITLE}", "", *fence(render_mermaid(drawn).rstrip("\n"), "mermaid")]
    lines += ["", _legend(r, {t.status for t in tables})]
    left_changed = len([t for t in changed if t not in shown])
    left_neighbours = len([t for t in neighbours if t not in shown])
    if left_changed or left_neighbours:
        parts = [plural(n, f"{word} table") for n, word in
                 ((left_changed, "differing"), (left_neighbours, "neighbouring")) if n]  # fmt: skip
        lines += ["", f"Left out of the diagram to keep it readable: {' and '.join(parts)} "
                  f"(the sections below list every difference). Draw any table with its "
                  f"neighbours with {code('pgdrift erd SCHEMA --include GLOB')}."]  # fmt: skip
    return [*lines, ""]


def _statuses(r: ReportContext, drawn_as: Callable[[ObjectId], ObjectId]) -> dict[ObjectId, str]:
    """Each table drawn for a difference -> ``dropped``, ``created`` or ``altered``."""
    status: dict[ObjectId, str] = {}
    one_sided = [(r.dropped_tables, "dropped"), (r.created_tables, "created")]
    for tables, word in one_sided:
        for oid, table in tables.items():
            # A partition on one side is a difference of its partitioned table.
            if table.partition_of is None:
                status[drawn_as(oid)] = word
    for change in r.changes:
        owner = r.table_of(change)
        if owner is not None:
            status.setdefault(drawn_as(owner), "altered")
    # A change set made without its schemas has no tables to draw.
    return {
        oid: word
        for oid, word in status.items()
        if find_table(r.new, oid) is not None or find_table(r.old, oid) is not None
    }


def _relations(
    r: ReportContext,
    drawn_as: Callable[[ObjectId], ObjectId],
    status: Mapping[ObjectId, str],
    keys: tuple[TableKeys, TableKeys],
) -> list[Relation]:
    """The foreign keys of both sides between the tables drawn; one only one side has, between
    tables both sides have, is labelled with that side."""
    # A foreign key renamed is one relation, named as the second side names it.
    renamed = {(c.id.schema, c.id.parent, c.id.name): c.new_id.name for c in r.changes
               if isinstance(c, Renamed) and c.kind == ids.CONSTRAINT}  # fmt: skip
    sides: list[dict[tuple[ObjectId, ObjectId, str], Relation]] = []
    for schema, side_keys in ((r.old, keys[0]), (r.new, keys[1])):
        found: dict[tuple[ObjectId, ObjectId, str], Relation] = {}
        for rel in relations_of(schema, keys=side_keys):
            if not (r.options.keeps(_stub(rel.child)) and r.options.keeps(_stub(rel.parent))):
                continue
            name = rel.name
            if schema is r.old:
                name = renamed.get((rel.child.schema, rel.child.name, name), name)
            child, parent = drawn_as(rel.child), drawn_as(rel.parent)
            found[(child, parent, name)] = attrs.evolve(rel, child=child, parent=parent, name=name)
        sides.append(found)
    old, new = sides
    merged: dict[tuple[ObjectId, ObjectId, str], Relation] = {}
    for key in sorted({*old, *new}, key=lambda k: (k[0].sort_key(), k[2], k[1].sort_key())):
        rel = new.get(key) or old[key]
        both_sides = all(status.get(end) not in ("created", "dropped") for end in key[:2])
        if both_sides and (key in old) != (key in new):
            rel = attrs.evolve(rel, note=f"only in {r.a if key in old else r.b}")
        merged[key] = rel
    return list(merged.values())


def _stub(oid: ObjectId) -> model.Table:
    """A table standing for ``oid`` when asking the diff options whether it is compared."""
    return model.Table(id=oid)


def _table(
    r: ReportContext, oid: ObjectId, status: str | None, keys: tuple[TableKeys, TableKeys]
) -> DiagramTable:
    on_new = find_table(r.new, oid) is not None
    schema: Schema = r.new if on_new else r.old
    table = find_table(schema, oid)
    assert table is not None  # every table drawn is on one side at least
    notes: dict[str, str] = {}
    extra: list[DiagramColumn] = []
    if status == "altered":
        old_id = next((o for n, o in r.renamed_tables.items() if n == oid), oid)
        for change in r.changes:
            if change.kind == ids.COLUMN and r.table_of(change) in (old_id, oid):
                _column_note(r, change, notes, extra)
    columns = table_columns(
        schema, table, notes=notes, extra=sorted(extra, key=_by_name), keys=keys[on_new]
    )
    return DiagramTable(oid, columns, status)


def _by_name(column: DiagramColumn) -> str:
    return column.name


def _column_note(
    r: ReportContext, change: Change, notes: dict[str, str], extra: list[DiagramColumn]
) -> None:
    name = change.id.name
    if isinstance(change, Dropped) and isinstance(change.before, model.Column):
        extra.append(DiagramColumn(name, change.before.type.compact(), (), f"only in {r.a}"))
    elif isinstance(change, Created):
        notes[name] = f"only in {r.b}"
    elif isinstance(change, Renamed):
        notes[change.new_id.name] = f"renamed from {name}"
    else:
        fields = _field_labels(d.field for d in change.details)
        notes[name] = f"differs: {fields}" if fields else "defined differently"


def _field_labels(fields: Iterable[str]) -> str:
    return ", ".join(FIELD_LABELS.get(f, f.replace("_", " ")) for f in fields)


def _legend(r: ReportContext, statuses: set[str | None]) -> str:
    words = {"dropped": f"red: only in {r.a}", "created": f"green: only in {r.b}",
             "altered": "yellow: defined differently"}  # fmt: skip
    parts = [words[s] for s in ("dropped", "created", "altered") if s in statuses]
    if None in statuses:
        parts.append("plain: the same on both sides, linked to them by a foreign key")
    text = "; ".join(parts)
    return (f"Colours: {text}. Each table shows its key columns, and the columns that differ "
            "with a note.")  # fmt: skip
