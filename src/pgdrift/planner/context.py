"""The state of one planning run: the two schemas and their dependency graphs, the statements
emitted so far, and what each statement creates, removes and relies on.

Statement builders call :meth:`PlanContext.emit` with the SQL and four sets of object ids:

* ``makes``: what exists (in its new form) once the statement has run;
* ``removes``: what no longer exists (in its old form) once it has run;
* ``needs``: what must exist, in its new form, before it runs;
* ``frees``: what it stops relying on, so that it must run before those are removed;
* ``uses``: what it names by the old name, so that it must run before those are renamed.

:mod:`pgdrift.planner.order` turns these into the order of the script. Dependencies come from the
graphs of the old schema (``frees``) and of the new one (``needs``); a table's columns are ids of
their own here, so that adding a column is ordered before an index on it and dropping one after
the view that read it is gone.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs

from pgdrift import ids, model
from pgdrift.expr import Expr, walk
from pgdrift.graph import OWNERSHIP
from pgdrift.ids import ObjectId
from pgdrift.pg.hazards import ordered_hazards
from pgdrift.pg.quoting import split_qualified_name
from pgdrift.planner.dependencies import Dependencies
from pgdrift.schema import Schema
from pgdrift.types import TypeRef

if TYPE_CHECKING:
    from pgdrift.differ.changes import Change, ChangeSet

#: Kinds a name in an extension's schema may refer to when the dump defines it itself.
_DEFINED = ids.TYPE_KINDS | ids.ROUTINE_KINDS | {ids.OPERATOR_CLASS, ids.TABLE, ids.VIEW}
#: Kinds whose columns are ids of their own for ordering.
TABLE_KINDS = frozenset({ids.TABLE, ids.FOREIGN_TABLE})

# Phases: what is dropped goes first (in reverse dependency order on the old schema), what is
# created or altered next (in dependency order on the new one), default privileges last, as
# pg_dump restores them, so objects the script creates get the defaults the old schema has.
DROP_PHASE = 0
CREATE_PHASE = 1
LAST_PHASE = 2


@attrs.define(eq=False)
class Action:
    """A statement under construction, with what orders it among the others."""

    sql: str
    change: Change | None
    anchor: ObjectId
    phase: int
    seq: int
    makes: frozenset[ObjectId] = frozenset()
    removes: frozenset[ObjectId] = frozenset()
    needs: frozenset[ObjectId] = frozenset()
    frees: frozenset[ObjectId] = frozenset()
    #: Objects the statement names by their old name: it runs before they are renamed.
    uses: frozenset[ObjectId] = frozenset()
    hazards: tuple[str, ...] = ()
    transactional: bool = True
    comment: str | None = None
    #: False for a rename: what used the old name keeps working (by object number), so the
    #: statements that stop using it need not come first.
    destroys: bool = True
    #: Actions that must run before this one, whatever the ids say.
    after: list[Action] = attrs.Factory(list)
    #: Set when the statement turns out to be unnecessary (a DROP INDEX made redundant by
    #: the DROP TABLE of its table); ``merged_into`` then carries its ``frees``.
    dropped: bool = False
    #: For a DROP of something its parent's DROP removes too: the parents' ids (a partition's
    #: index goes with its table or with the partitioned index it is attached to).
    implied_by: tuple[ObjectId, ...] = ()
    #: For ``ALTER TYPE ... ADD VALUE``: the label, which cannot be used in the transaction
    #: that adds it.
    adds_enum_label: str | None = None
    #: Labels this plan adds to enums that the statement uses: string constants in the
    #: expressions it writes, or the neighbour named by ``ADD VALUE ... BEFORE/AFTER``.
    uses_enum_labels: frozenset[str] = frozenset()
    #: True for ``CREATE [OR REPLACE] FUNCTION/PROCEDURE ... AS``: a body (or C symbol) that
    #: PostgreSQL checks on creation unless check_function_bodies is off.
    creates_routine_body: bool = False


@attrs.define(eq=False, slots=False)
class PlanContext:
    """What the statement builders share during one :func:`pgdrift.planner.plan` call."""

    changes: ChangeSet
    old: Schema
    new: Schema
    concurrently: bool = False
    not_valid: bool = False
    actions: list[Action] = attrs.Factory(list)
    warnings: list[str] = attrs.Factory(list)
    #: Tables the plan creates: what happens to them carries no hazard (nobody uses them yet).
    created_tables: set[ObjectId] = attrs.Factory(set)
    #: Tables the plan drops.
    dropped_tables: set[ObjectId] = attrs.Factory(set)
    #: Old id -> new id of every confirmed rename.
    renamed: dict[ObjectId, ObjectId] = attrs.Factory(dict)
    #: Tables some statement adds, drops, renames or retypes columns of: only their columns
    #: need to be ids of their own (for every other table, the table's id is enough).
    column_tables: set[ObjectId] = attrs.Factory(set)
    #: (table, column) pairs whose default a builder already dropped and set again.
    defaults_done: set[tuple[ObjectId, str]] = attrs.Factory(set)
    #: (table, column) pairs a builder drops and adds again from their new definition, which
    #: leaves the column's own ALTER COLUMN nothing to do.
    rebuilt_columns: set[tuple[ObjectId, str]] = attrs.Factory(set)
    #: Every label the plan adds to an existing enum (``ALTER TYPE ... ADD VALUE``).
    added_enum_labels: frozenset[str] = frozenset()
    #: Tables the plan drops and creates again (replaced): DROP TABLE would take a
    #: partitioned one's partitions with it, so those it keeps are detached meanwhile.
    rebuilt_tables: frozenset[ObjectId] = frozenset()
    #: Publication -> tables (with the reason) whose membership comes off before a column
    #: they publish changes type and goes back after (cascades._republish).
    republished: dict[ObjectId, dict[ObjectId, str]] = attrs.Factory(dict)
    _seq: int = 0
    _names: dict[tuple[int, ObjectId], frozenset[str]] = attrs.Factory(dict)
    _partition_index: dict[int, dict[ObjectId, list[ObjectId]]] = attrs.Factory(dict)
    _extensions: dict[int, tuple[dict[str, list[ObjectId]], set[tuple[str | None, str]]]] = (
        attrs.Factory(dict)
    )

    # Dependencies --------------------------------------------------------------------------
    @functools.cached_property
    def old_dependencies(self) -> Dependencies:
        return Dependencies(self.old)

    @functools.cached_property
    def new_dependencies(self) -> Dependencies:
        return Dependencies(self.new)

    def old_deps(self, obj: model.DbObject) -> frozenset[ObjectId]:
        """What ``obj`` relies on in the old schema (its DROP frees these)."""
        return self._deps(self.old, obj, 0)

    def new_deps(self, obj: model.DbObject) -> frozenset[ObjectId]:
        """What ``obj`` relies on in the new schema (its CREATE needs these)."""
        return self._deps(self.new, obj, 1)

    def _deps(self, schema: Schema, obj: model.DbObject, side: int) -> frozenset[ObjectId]:
        edges = (self.new_dependencies if side else self.old_dependencies).succ(obj.id)
        found: set[ObjectId] = set(self.extension_deps(obj, side))
        names: frozenset[str] | None = None
        for target, reason in edges.items():
            if reason == OWNERSHIP:
                continue
            found.add(target)
            if target.kind in TABLE_KINDS and target in self.column_tables:
                if names is None:
                    names = self.names_in(obj, side)
                found.update(column_ids(schema.objects.get(target), names))
        return frozenset(found)

    def partitions(self, table: ObjectId | None, side: int) -> list[ObjectId]:
        """The partitions of ``table`` (and theirs), in one schema."""
        if table is None:
            return []
        index = self._partition_index.get(side)
        if index is None:
            index = {}
            for obj in (self.new if side else self.old).objects.values():
                parent = getattr(obj, "partition_of", None)
                if isinstance(parent, ObjectId):
                    index.setdefault(parent, []).append(obj.id)
            self._partition_index[side] = index
        found, work = [], [table]
        while work:
            for child in index.get(work.pop(), ()):
                found.append(child)
                work.append(child)
        return found

    def column_deps(
        self, table: model.DbObject, column: model.Column, side: int, *, default: bool = True
    ) -> frozenset[ObjectId]:
        """What one column relies on (its type, default, generation expression, collation):
        the table's dependencies that the column names. ``default=False`` leaves out what
        only its default names (a default taken off around an ALTER COLUMN TYPE)."""
        edges = (self.new_dependencies if side else self.old_dependencies).succ(table.id)
        if not default and column.default is not None:
            column = attrs.evolve(column, default=None)
            names = frozenset(_strings(column))
        else:
            names = self.names_in(column, side)
        found: set[ObjectId] = set(self.extension_deps(column, side))
        for target, reason in edges.items():
            if reason in ("schema", "inherits", "partition of", "server", OWNERSHIP):
                continue
            if target.name in names:
                found.add(target)
        return frozenset(found)

    def extension_deps(self, obj: Any, side: int) -> set[ObjectId]:
        """Extensions whose members ``obj`` uses: a type, function or operator class named in
        an extension's schema that the dump does not define (extension members are not in a
        dump), so ``DROP EXTENSION`` waits for what uses it and ``CREATE EXTENSION`` comes
        first."""
        by_schema, defined = self._extension_index(side)
        if not by_schema:
            return set()
        found: set[ObjectId] = set()
        for schema, name in _qualified_names(obj):
            if schema in by_schema and (schema, name) not in defined:
                found.update(by_schema[schema])
        return found

    def _extension_index(
        self, side: int
    ) -> tuple[dict[str, list[ObjectId]], set[tuple[str | None, str]]]:
        cached = self._extensions.get(side)
        if cached is None:
            schema = self.new if side else self.old
            by_schema: dict[str, list[ObjectId]] = {}
            for extension in schema.extensions.values():
                if extension.in_schema:
                    by_schema.setdefault(extension.in_schema, []).append(extension.id)
            defined: set[tuple[str | None, str]] = set()
            if by_schema:
                defined = {(o.schema, o.name) for o in schema.objects if o.kind in _DEFINED}
            cached = (by_schema, defined)
            self._extensions[side] = cached
        return cached

    def names_in(self, obj: Any, side: int = 1) -> frozenset[str]:
        """Every name-like string an object's definition holds: column lists, identifiers in
        its expressions, type names. A superset of the columns it uses, which is what
        ordering needs (an extra name only adds an ordering constraint)."""
        oid = getattr(obj, "id", None)
        if isinstance(oid, ObjectId):
            key = (side, oid)
            found = self._names.get(key)
            if found is None:
                found = frozenset(_strings(obj))
                self._names[key] = found
            return found
        return frozenset(_strings(obj))

    def enum_labels_in(self, obj: Any) -> frozenset[str]:
        """The labels this plan adds to enums that ``obj`` (a model object or expression)
        holds as string constants: a statement writing ``obj`` may use them."""
        if not self.added_enum_labels:
            return frozenset()
        return self.added_enum_labels.intersection(_string_constants(obj))

    def dependents(
        self, oid: ObjectId, kinds: Collection[str] | None = None
    ) -> Iterator[tuple[ObjectId, str]]:
        """Objects of the old schema (of ``kinds``, or any) that rely on ``oid``, with the
        edge's reason."""
        return self.old_dependencies.pred(oid, kinds)

    # Objects ----------------------------------------------------------------------------------
    def container(self, column: ObjectId, side: int) -> model.DbObject | None:
        """The table, foreign table or composite type a column id belongs to."""
        schema = self.new if side else self.old
        for kind in (ids.TABLE, ids.FOREIGN_TABLE, ids.COMPOSITE_TYPE):
            found = schema.objects.get(ObjectId(kind, column.schema, column.parent or ""))
            if found is not None:
                return found
        return None

    def is_new(self, table: ObjectId | None) -> bool:
        """True for a table this plan creates (or any non-table): no hazard applies."""
        return table is not None and table in self.created_tables

    # Emitting ---------------------------------------------------------------------------------
    def emit(
        self,
        sql: str,
        *,
        change: Change | None,
        anchor: ObjectId,
        phase: int = CREATE_PHASE,
        makes: Iterable[ObjectId] = (),
        removes: Iterable[ObjectId] = (),
        needs: Iterable[ObjectId] = (),
        frees: Iterable[ObjectId] = (),
        uses: Iterable[ObjectId] = (),
        hazards: Iterable[str] = (),
        transactional: bool = True,
        comment: str | None = None,
        after: Iterable[Action] = (),
        adds_enum_label: str | None = None,
        uses_enum_labels: Iterable[str] = (),
        creates_routine_body: bool = False,
    ) -> Action:
        self._seq += 1
        action = Action(
            sql=sql,
            change=change,
            anchor=anchor,
            phase=phase,
            seq=self._seq,
            makes=frozenset(makes),
            removes=frozenset(removes),
            needs=frozenset(needs),
            frees=frozenset(frees),
            uses=frozenset(uses),
            hazards=ordered_hazards(hazards),
            transactional=transactional,
            comment=comment,
            after=list(after),
            adds_enum_label=adds_enum_label,
            uses_enum_labels=frozenset(uses_enum_labels),
            creates_routine_body=creates_routine_body,
        )
        self.actions.append(action)
        return action

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def attached_id(table: ObjectId) -> ObjectId:
    """A stand-in id meaning "``table`` is attached to its partitioned parent", for ordering:
    an index can only join its parent's partitioned index once its table is a partition."""
    return ObjectId("partition", table.schema, table.name)


def persistence_id(table: ObjectId) -> ObjectId:
    """A stand-in id meaning "``table`` has its new persistence (logged or unlogged)", for
    ordering the SET LOGGED / SET UNLOGGED of tables that reference each other."""
    return ObjectId("persistence", table.schema, table.name)


def column_ids(table: model.DbObject | None, names: frozenset[str]) -> Iterator[ObjectId]:
    """The ids of the columns of ``table`` whose names are in ``names``."""
    columns = getattr(table, "columns", None)
    if not isinstance(columns, model.Columns) or table is None:
        return
    for column in columns.ordered:
        if column.name in names:
            yield column.id


def all_column_ids(table: model.DbObject | None) -> Iterator[ObjectId]:
    columns = getattr(table, "columns", None)
    if isinstance(columns, model.Columns):
        for column in columns.ordered:
            yield column.id


def _strings(value: Any) -> Iterator[str]:
    """Name-like strings anywhere in a model value (recursing into attrs objects, tuples and
    expression trees)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Expr):
        for node in walk(value.tree):
            for _, field in node[1]:
                if isinstance(field, str):
                    yield field
                    if "." in field:
                        # nextval('public.seq'::regclass) names its sequence in a string.
                        yield from (part.strip('"') for part in field.split("."))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, model.Columns):
        for column in value.ordered:
            yield column.name
    elif attrs.has(type(value)) and not isinstance(value, ObjectId):
        for field in attrs.fields(type(value)):
            if field.eq and field.name not in ("owner", "comment", "privileges"):
                yield from _strings(getattr(value, field.name))
                if field.name == "collation" and isinstance(getattr(value, field.name), str):
                    # A COLLATE clause is kept as its dotted text (public.title_order): its
                    # last part is the name the collation's object id holds.
                    parts = split_qualified_name(getattr(value, field.name))
                    if parts:
                        yield parts[-1]
    elif isinstance(value, ObjectId):
        yield value.name


def _string_constants(value: Any) -> Iterator[str]:
    """The string constants (``'...'``) of every expression in a model value: where an enum
    label is used as a value."""
    if isinstance(value, Expr):
        for node in walk(value.tree):
            if node[0] == "A_Const":
                constant = dict(node[1]).get("sval")
                if constant is not None and constant[0] == "String":
                    yield dict(constant[1]).get("sval", "")
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _string_constants(item)
    elif isinstance(value, model.Columns):
        for column in value.ordered:
            yield from _string_constants(column)
    elif attrs.has(type(value)) and not isinstance(value, ObjectId):
        for field in attrs.fields(type(value)):
            if field.eq:
                yield from _string_constants(getattr(value, field.name))


def _qualified_names(value: Any) -> Iterator[tuple[str, str]]:
    """``(schema, name)`` of every schema-qualified type, function or operator class a model
    value names."""
    if isinstance(value, TypeRef):
        if value.schema is not None:
            yield value.schema, value.name
    elif isinstance(value, Expr):
        for node in walk(value.tree):
            if node[0] in ("TypeName", "FuncCall"):
                parts = dict(node[1]).get("names" if node[0] == "TypeName" else "funcname") or ()
                strings = [dict(p[1]).get("sval", "") for p in parts if p and p[0] == "String"]
                if len(strings) >= 2:
                    yield strings[-2], strings[-1]
    elif isinstance(value, str):
        if value.count(".") == 1 and " " not in value:
            schema, _, name = value.partition(".")
            yield schema.strip('"'), name.strip('"')
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _qualified_names(item)
    elif isinstance(value, model.Columns):
        for column in value.ordered:
            yield from _qualified_names(column)
    elif attrs.has(type(value)) and not isinstance(value, ObjectId):
        for field in attrs.fields(type(value)):
            if field.eq and field.name not in ("owner", "comment", "privileges"):
                yield from _qualified_names(getattr(value, field.name))
