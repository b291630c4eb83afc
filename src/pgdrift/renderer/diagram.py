"""Entity-relationship diagrams of a schema's tables: what to draw, then Mermaid or Graphviz dot.

A diagram shows tables with their key columns (primary key, foreign key and unique columns,
the partition key) or all of them, and each foreign key as a relation with its cardinality:
the referenced side is exactly one row when every referencing column is NOT NULL and at most
one otherwise; the referencing side is at most one row when its columns are also a primary key
or unique (a one-to-one link), and any number otherwise. A foreign key whose columns lie in
the table's primary key identifies its rows (drawn solid; others dashed).

Partitions are folded into their partitioned table: their foreign keys become the parent's, and
the parent's partition key says how many partitions it has. A large schema is cut to
``max_tables`` tables, the most connected first (or, with ``include``, the chosen tables and
their neighbours up to ``depth`` foreign keys away, nearest first), and the diagram says in a
note what it left out and how to draw it. Everything is sorted: the same schema gives the same
text; :mod:`~pgdrift.renderer.diagram_text` writes it.
"""

from __future__ import annotations

import fnmatch
from collections import deque
from collections.abc import Iterable, Mapping, Sequence

import attrs

from pgdrift import ids, model
from pgdrift.errors import Error
from pgdrift.ids import ObjectId
from pgdrift.schema import Schema

__all__ = [
    "DEFAULT_MAX_TABLES",
    "Diagram",
    "DiagramColumn",
    "DiagramTable",
    "Relation",
    "plan_diagram",
    "relations_of",
    "table_columns",
]

#: Tables drawn at most by default: past a few dozen boxes a diagram is no longer read, and
#: Mermaid refuses a diagram text over 50,000 characters (its ``maxTextSize``).
DEFAULT_MAX_TABLES = 40
TABLE_KINDS = frozenset({ids.TABLE, ids.FOREIGN_TABLE})
#: How many left-out tables a note names before it counts the rest.
_NAMED_IN_NOTE = 5


@attrs.frozen
class DiagramColumn:
    """A column as drawn: its type for display, its keys (``PK``, ``FK``, ``UK``) and a note."""

    name: str
    type: str
    keys: tuple[str, ...] = ()
    note: str | None = None


@attrs.frozen
class DiagramTable:
    """A table as drawn. ``status`` marks it in a drift diagram: ``created``, ``dropped`` or
    ``altered`` (None for a table drawn for context)."""

    id: ObjectId
    columns: tuple[DiagramColumn, ...] = ()
    status: str | None = None
    partitions: int = 0

    @property
    def name(self) -> str:
        return self.id.qualified_name


@attrs.frozen
class Relation:
    """A foreign key from ``child`` (the referencing table) to ``parent``.

    ``nullable``: some referencing column may be NULL (the parent side is "zero or one");
    ``unique``: the referencing columns are a primary key or unique (the child side is "zero
    or one" too); ``identifying``: they lie in the child's primary key.
    """

    child: ObjectId
    parent: ObjectId
    name: str
    columns: tuple[str, ...]
    nullable: bool = False
    unique: bool = False
    identifying: bool = False
    note: str | None = None

    @property
    def label(self) -> str:
        text = ", ".join(self.columns) or self.name
        return f"{text} ({self.note})" if self.note else text


@attrs.frozen
class Diagram:
    """The tables and relations to draw, in drawing order, and a note of what was left out."""

    tables: tuple[DiagramTable, ...]
    relations: tuple[Relation, ...]
    note: str | None = None


def plan_diagram(
    schema: Schema,
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    all_columns: bool = False,
    max_tables: int = DEFAULT_MAX_TABLES,
    depth: int = 1,
) -> Diagram:
    """What :func:`~pgdrift.renderer.diagram_text.erd` draws: the chosen tables, their
    relations and the note."""
    if max_tables < 1:
        raise Error("the diagram needs room for at least one table (max_tables >= 1)")
    include, exclude = tuple(include), tuple(exclude)
    roots = roots_of(schema)
    tables = {
        t.id: t for t in _tables(schema) if roots[t.id] == t.id and not _matches(t.id, exclude)
    }
    keys = TableKeys(schema)
    relations = [
        r for r in relations_of(schema, roots, keys) if r.child in tables and r.parent in tables
    ]
    neighbours = _neighbours(relations)
    if include:
        focus = {roots[t.id] for t in _tables(schema) if _matches(t.id, include)} & set(tables)
        if not focus:
            raise Error(
                f"--include {' '.join(include)}: no table matches (the globs match "
                "qualified names, such as 'public.users' or 'public.user_*')"
            )
        distance = _distances(focus, neighbours, depth)
        order = sorted(
            distance, key=lambda t: (distance[t], -len(neighbours.get(t, ())), t.sort_key())
        )
    else:
        order = sorted(tables, key=lambda t: (-len(neighbours.get(t, ())), t.sort_key()))
    shown = set(order[:max_tables])
    left_out = sorted(order[max_tables:], key=ObjectId.sort_key)
    partitions = _partition_counts(schema, roots)
    drawn = tuple(
        DiagramTable(
            oid,
            table_columns(
                schema,
                tables[oid],
                all_columns=all_columns,
                partitions=partitions.get(oid, 0),
                keys=keys,
            ),
            partitions=partitions.get(oid, 0),
        )
        for oid in sorted(shown, key=ObjectId.sort_key)
    )
    kept = tuple(r for r in relations if r.child in shown and r.parent in shown)
    note = _note(len(order), left_out, bool(include)) if left_out else None
    return Diagram(drawn, kept, note)


def _note(total: int, left_out: Sequence[ObjectId], focused: bool) -> str:
    shown = total - len(left_out)
    how = (
        "the chosen tables first, then their neighbours, nearest first"
        if focused
        else "the most connected by foreign keys"
    )
    names = ", ".join(t.qualified_name for t in left_out[:_NAMED_IN_NOTE])
    more = len(left_out) - _NAMED_IN_NOTE
    if more > 0:
        names += f" and {more} more"
    first = left_out[0].qualified_name
    return (
        f"{shown} of {total} tables shown ({how}); {len(left_out)} left out: {names}. "
        f"Draw one with its neighbours with --include '{first}', or raise "
        "--max-tables."
    )


def _matches(oid: ObjectId, globs: Sequence[str]) -> bool:
    name = oid.qualified_name
    return any(fnmatch.fnmatchcase(name, glob) for glob in globs)


def _tables(schema: Schema) -> list[model.Table]:
    return sorted(
        (o for o in schema if o.kind in TABLE_KINDS and isinstance(o, model.Table)),
        key=lambda t: t.id.sort_key(),
    )


def roots_of(schema: Schema) -> dict[ObjectId, ObjectId]:
    """Each table -> the table it is drawn as: itself, or the root of its partition tree."""
    parent_of = {t.id: t.partition_of for t in _tables(schema)}
    roots: dict[ObjectId, ObjectId] = {}
    for oid in parent_of:
        root, seen = oid, {oid}
        while (up := parent_of.get(root)) is not None and up in parent_of and up not in seen:
            root = up
            seen.add(up)
        roots[oid] = root
    return roots


def _partition_counts(schema: Schema, roots: Mapping[ObjectId, ObjectId]) -> dict[ObjectId, int]:
    counts: dict[ObjectId, int] = {}
    for oid, root in roots.items():
        if root != oid:
            counts[root] = counts.get(root, 0) + 1
    return counts


def relations_of(
    schema: Schema,
    roots: Mapping[ObjectId, ObjectId] | None = None,
    keys: TableKeys | None = None,
) -> list[Relation]:
    """The foreign keys of ``schema`` as relations between the tables drawn (partitions as
    their root table), one per constraint name and pair, sorted."""
    roots = roots if roots is not None else roots_of(schema)
    keys = keys if keys is not None else TableKeys(schema)
    found: dict[tuple[ObjectId, ObjectId, str], Relation] = {}
    for constraint in schema.constraints.values():
        if constraint.type != model.Constraint.FOREIGN_KEY or constraint.references is None:
            continue
        child_table = find_table(schema, constraint.table)
        parent_table = find_table(schema, constraint.references)
        if child_table is None or parent_table is None:
            continue
        child, parent = roots[child_table.id], roots[parent_table.id]
        columns = constraint.columns
        nullable = any(
            c in child_table.columns and not child_table.columns[c].not_null for c in columns
        )
        primary = keys.primary_key(child_table.id)
        relation = Relation(
            child,
            parent,
            constraint.id.name,
            columns,
            nullable=nullable,
            unique=frozenset(columns) in keys.unique_sets(child_table.id),
            identifying=bool(columns) and set(columns) <= set(primary),
        )
        found.setdefault((child, parent, constraint.id.name), relation)
    return [
        found[key] for key in sorted(found, key=lambda k: (k[0].sort_key(), k[2], k[1].sort_key()))
    ]


def find_table(schema: Schema, oid: ObjectId) -> model.Table | None:
    """The table (or foreign table) ``oid`` names; constraints name either with the table kind."""
    for kind in TABLE_KINDS:
        found = schema.get(attrs.evolve(oid, kind=kind))
        if isinstance(found, model.Table):
            return found
    return None


def _neighbours(relations: Iterable[Relation]) -> dict[ObjectId, set[ObjectId]]:
    linked: dict[ObjectId, set[ObjectId]] = {}
    for r in relations:
        if r.child != r.parent:
            linked.setdefault(r.child, set()).add(r.parent)
            linked.setdefault(r.parent, set()).add(r.child)
    return linked


def _distances(
    focus: set[ObjectId], neighbours: Mapping[ObjectId, set[ObjectId]], depth: int
) -> dict[ObjectId, int]:
    """Each table within ``depth`` foreign keys of a focus table -> how many away."""
    distance = dict.fromkeys(focus, 0)
    queue = deque(sorted(focus, key=ObjectId.sort_key))
    while queue:
        here = queue.popleft()
        if distance[here] >= depth:
            continue
        for there in sorted(neighbours.get(here, ()), key=ObjectId.sort_key):
            if there not in distance:
                distance[there] = distance[here] + 1
                queue.append(there)
    return distance


class TableKeys:
    """The keys of a schema's tables, read once: primary key, unique column sets and foreign
    key columns by table (a schema's own lookups scan every constraint each time)."""

    def __init__(self, schema: Schema) -> None:
        self._constraints: dict[tuple[str | None, str], list[model.Constraint]] = {}
        self._indexes: dict[tuple[str | None, str], list[model.Index]] = {}
        for constraint in schema.constraints.values():
            self._constraints.setdefault(_key(constraint.table), []).append(constraint)
        for index in schema.indexes.values():
            self._indexes.setdefault(_key(index.table), []).append(index)

    def primary_key(self, table: ObjectId) -> tuple[str, ...]:
        for constraint in self._constraints.get(_key(table), ()):
            if constraint.type == model.Constraint.PRIMARY_KEY:
                return constraint.columns
        return ()

    def unique_sets(self, table: ObjectId) -> set[frozenset[str]]:
        """The column sets a primary key, a unique constraint or a plain unique index (no
        WHERE, no expression) makes unique: rows agreeing on one are the same row."""
        found = {
            frozenset(c.columns)
            for c in self._constraints.get(_key(table), ())
            if c.type in (model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE) and c.columns
        }
        for index in self._indexes.get(_key(table), ()):
            names = [e.column for e in index.elements]
            if index.unique and index.where is None and names and all(names):
                found.add(frozenset(n for n in names if n))
        return found

    def foreign_columns(self, table: ObjectId) -> set[str]:
        return {
            column
            for c in self._constraints.get(_key(table), ())
            if c.type == model.Constraint.FOREIGN_KEY
            for column in c.columns
        }


def _key(table: ObjectId) -> tuple[str | None, str]:
    # Constraints and indexes name a foreign table with the table kind: match by name.
    return table.schema, table.name


def table_columns(
    schema: Schema,
    table: model.Table,
    *,
    all_columns: bool = False,
    partitions: int = 0,
    notes: Mapping[str, str] | None = None,
    extra: Iterable[DiagramColumn] = (),
    keys: TableKeys | None = None,
) -> tuple[DiagramColumn, ...]:
    """The columns drawn for ``table``: its key columns (or all), with ``PK``/``FK``/``UK``,
    the partition key noted, and ``notes`` by column name (a noted column is always drawn);
    ``extra`` columns (ones the table no longer has) come last."""
    notes = dict(notes or {})
    keys = keys if keys is not None else TableKeys(schema)
    primary = set(keys.primary_key(table.id))
    foreign = keys.foreign_columns(table.id)
    unique = {c for group in keys.unique_sets(table.id) for c in group} - primary
    marked: dict[str, list[str]] = {}
    for name in table.columns:
        marks = [
            key
            for key, names in (("PK", primary), ("FK", foreign), ("UK", unique))
            if name in names
        ]
        if marks:
            marked[name] = marks
    if table.partition_key is not None:
        strategy = table.partition_key.strategy
        words = f"partition key ({strategy}), {partitions} partition{'s' * (partitions != 1)}"
        for element in table.partition_key.elements:
            if element.column is not None and element.column not in notes:
                notes[element.column] = words
    drawn = [
        DiagramColumn(
            column.name,
            column.type.compact(),
            tuple(marked.get(column.name, ())),
            notes.get(column.name),
        )
        for column in table.columns.ordered
        if all_columns or column.name in marked or column.name in notes
    ]
    return (*drawn, *extra)
