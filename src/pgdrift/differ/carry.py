"""Carry confirmed renames into the objects that refer to what was renamed.

PostgreSQL tracks dependents by oid and column number, so ``ALTER TABLE ... RENAME`` rewrites
every index, constraint, view, policy and trigger that refers to the renamed table or column
(docs: ALTER TABLE, "RENAME"). A dump taken after the rename shows the new names in all of
them. To compare dependents by meaning, the old side's dependents are rewritten as the rename
would have rewritten them; what still differs afterwards is a real change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

import attrs

from pgdrift import ids, model
from pgdrift.differ.changes import RenameCandidate
from pgdrift.expr import Expr, Tree
from pgdrift.ids import ObjectId

_TABLE_KINDS = (ids.TABLE, ids.FOREIGN_TABLE)


@attrs.frozen
class Renames:
    """Confirmed table renames (old id -> new name) and column renames per table id."""

    tables: Mapping[ObjectId, str]
    columns: Mapping[ObjectId, Mapping[str, str]]
    #: Other renamed objects (indexes, sequences) by old id -> new name: a reference to one
    #: by id (a partition's index ``attached_to`` its parent's, an identity's sequence)
    #: follows it.
    others: Mapping[ObjectId, str] = attrs.field(factory=dict)

    def __bool__(self) -> bool:
        return bool(self.tables or self.columns or self.others)

    @classmethod
    def of(
        cls, candidates: Iterable[RenameCandidate], objects: Mapping[ObjectId, model.DbObject]
    ) -> Renames:
        tables: dict[ObjectId, str] = {}
        columns: dict[ObjectId, dict[str, str]] = {}
        others: dict[ObjectId, str] = {}
        for candidate in candidates:
            if not candidate.confirmed:
                continue
            if candidate.old.kind in _TABLE_KINDS:
                tables[candidate.old] = candidate.new.name
            elif candidate.old.kind == ids.COLUMN and candidate.old.parent is not None:
                table = _relation(objects, candidate.old.schema, candidate.old.parent)
                columns.setdefault(table, {})[candidate.old.name] = candidate.new.name
            elif candidate.old.kind in (ids.INDEX, ids.SEQUENCE):
                others[candidate.old] = candidate.new.name
        return cls(tables, columns, others)


def _relation(
    objects: Mapping[ObjectId, model.DbObject], schema: str | None, name: str
) -> ObjectId:
    for kind in (*_TABLE_KINDS, ids.VIEW, ids.MATERIALIZED_VIEW, ids.COMPOSITE_TYPE):
        oid = ObjectId(kind, schema, name)
        if oid in objects:
            return oid
    return ObjectId(ids.TABLE, schema, name)


def carry_renames(
    objects: Mapping[ObjectId, model.DbObject], renames: Renames
) -> tuple[dict[ObjectId, model.DbObject], dict[ObjectId, model.DbObject]]:
    """The old side's objects with dependents rewritten for the confirmed renames, and the
    original of every rewritten object by its new id. Renamed tables keep their old ids (they
    are matched as renames); their children move under the new table name."""
    carrier = _Carrier(renames)
    result: dict[ObjectId, model.DbObject] = {}
    origins: dict[ObjectId, model.DbObject] = {}
    for oid, obj in objects.items():
        if oid in renames.tables or isinstance(obj, model.Table):
            keyed = carrier.table(obj) if isinstance(obj, model.Table) else obj
            result[oid] = keyed
            if keyed is not obj:
                origins[oid] = obj
            continue
        moved = carrier.object(obj)
        result[moved.id] = moved
        if moved is not obj:
            origins[moved.id] = obj
    return result, origins


class _Carrier:
    def __init__(self, renames: Renames) -> None:
        self.renames = renames
        # (schema, old table name) -> new table name, for names inside expressions.
        self.table_names = {(t.schema, t.name): new for t, new in renames.tables.items()}

    # Ids and references ------------------------------------------------------------------
    def table_id(self, oid: ObjectId) -> ObjectId:
        new = self.renames.tables.get(oid)
        return attrs.evolve(oid, name=new) if new is not None else oid

    def own_id(self, oid: ObjectId) -> ObjectId:
        """A child's id (constraint, trigger, policy, rule) moves under the new table name."""
        if oid.parent is None:
            return oid
        new = self.table_names.get((oid.schema, oid.parent))
        return attrs.evolve(oid, parent=new) if new is not None else oid

    def column_id(self, oid: ObjectId) -> ObjectId:
        table_new = self.table_names.get((oid.schema, oid.parent or ""))
        name = oid.name
        for table, mapping in self.renames.columns.items():
            if table.schema == oid.schema and table.name == oid.parent:
                name = mapping.get(name, name)
        return attrs.evolve(oid, name=name, parent=table_new or oid.parent)

    def columns_of(self, table: ObjectId | None) -> Mapping[str, str]:
        return self.renames.columns.get(table, {}) if table is not None else {}

    # Objects ------------------------------------------------------------------------------
    def table(self, table: model.Table) -> model.Table:
        """``table`` as the renames left it: its partition key and identity sequences."""
        return self.identity_sequences(self.partition_key(table))

    def identity_sequences(self, table: model.Table) -> model.Table:
        """``table`` with its identity columns naming their renamed sequences (an identity
        keeps its sequence by oid through ``ALTER SEQUENCE ... RENAME``)."""
        changed: dict[str, model.Column] = {}
        for column in table.columns.ordered:
            identity = column.identity
            sequence = identity.sequence if identity is not None else None
            new = self.renames.others.get(sequence) if sequence is not None else None
            if identity is not None and sequence is not None and new is not None:
                renamed = attrs.evolve(identity, sequence=attrs.evolve(sequence, name=new))
                changed[column.name] = attrs.evolve(column, identity=renamed)
        if not changed:
            return table
        ordered = tuple(changed.get(c.name, c) for c in table.columns.ordered)
        return attrs.evolve(table, columns=model.Columns(ordered))

    def partition_key(self, table: model.Table) -> model.Table:
        """``table`` with its partition key naming its renamed columns (the key follows the
        column by number; the table itself keeps its id and columns, matched as they are)."""
        key = table.partition_key
        columns = self.columns_of(table.id)
        if key is None or not columns:
            return table
        elements = tuple(
            attrs.evolve(e, column=columns.get(e.column, e.column) if e.column else None,
                         expression=self.expression(e.expression, columns))
            for e in key.elements
        )  # fmt: skip
        if elements == key.elements:
            return table
        return attrs.evolve(table, partition_key=attrs.evolve(key, elements=elements))

    def object(self, obj: model.DbObject) -> model.DbObject:
        changes: dict[str, Any] = {}
        new_id = self.own_id(obj.id)
        if new_id != obj.id:
            changes["id"] = new_id
        table = getattr(obj, "table", None)
        columns = self.columns_of(table) if isinstance(table, ObjectId) else {}
        for field in attrs.fields(type(obj)):
            if field.name in ("id", "span", "toc"):
                continue
            value = getattr(obj, field.name)
            new = self.value(field.name, value, obj, columns)
            if new is not value and new != value:
                changes[field.name] = new
        return attrs.evolve(obj, **changes) if changes else obj

    def value(self, name: str, value: Any, obj: model.DbObject, columns: Mapping[str, str]) -> Any:
        if isinstance(value, ObjectId):
            if value.kind in _TABLE_KINDS:
                return self.table_id(value)
            if value.kind == ids.COLUMN:
                return self.column_id(value)
            other = self.renames.others.get(value)
            return attrs.evolve(value, name=other) if other is not None else value
        if isinstance(value, Expr):
            return self.expression(value, columns)
        if isinstance(value, model.IndexElement):
            return attrs.evolve(
                value,
                column=columns.get(value.column, value.column) if value.column else None,
                expression=self.expression(value.expression, columns),
            )
        if isinstance(value, model.PublicationTable):
            mapping = self.columns_of(value.table)
            return attrs.evolve(
                value,
                table=self.table_id(value.table),
                columns=tuple(mapping.get(c, c) for c in value.columns),
                where=self.expression(value.where, mapping),
            )
        if isinstance(value, tuple):
            if name in ("columns", "include", "update_columns") and all(
                isinstance(v, str) for v in value
            ):
                return tuple(columns.get(v, v) for v in value)
            if name == "referenced_columns" and isinstance(obj, model.Constraint):
                mapping = self.columns_of(obj.references)
                return tuple(mapping.get(v, v) for v in value)
            items = tuple(self.value(name, v, obj, columns) for v in value)
            return items if items != value else value
        return value

    def expression(self, expr: Expr | None, columns: Mapping[str, str]) -> Expr | None:
        if expr is None:
            return None
        tree = _Rewriter(self, columns).rewrite(expr.tree)
        return expr if tree == expr.tree else Expr(tree)


class _Rewriter:
    """Rewrites column references and relation names inside one expression tree."""

    def __init__(self, carrier: _Carrier, own_columns: Mapping[str, str]) -> None:
        self.carrier = carrier
        # Unqualified column names belong to the object's own table (index, check, policy).
        self.own_columns = own_columns

    def rewrite(self, tree: Tree) -> Tree:
        aliases = self._aliases(tree)
        return cast("Tree", self._walk(tree, aliases, _single_relation(aliases)))

    def _aliases(self, tree: Tree) -> dict[str, ObjectId]:
        """Name or alias in the query -> relation id, for every relation it reads."""
        found: dict[str, ObjectId] = {}
        for node in _nodes(tree):
            if node[0] != "RangeVar":
                continue
            fields = dict(node[1])
            schema = fields.get("schemaname") or "public"
            relname = fields.get("relname", "")
            table = ObjectId(ids.TABLE, schema, relname)
            alias = fields.get("alias")
            alias_name = dict(alias[1]).get("aliasname") if isinstance(alias, tuple) else None
            found[alias_name or relname] = table
        return found

    def _walk(self, node: Any, aliases: dict[str, ObjectId], single: ObjectId | None) -> Any:
        if not isinstance(node, tuple) or not node:
            return node
        if isinstance(node[0], str):
            name, fields = node
            if name == "ColumnRef":
                return self._column_ref(node, aliases, single)
            if name == "RangeVar":
                return self._range_var(node)
            if name == "SelectStmt":
                return self._select(node, aliases, single)
            new_fields = tuple((k, self._walk(v, aliases, single)) for k, v in fields)
            return node if new_fields == fields else (name, new_fields)
        items = tuple(self._walk(v, aliases, single) for v in node)
        return node if items == node else items

    def _column_ref(
        self, node: Tree, aliases: dict[str, ObjectId], single: ObjectId | None
    ) -> Tree:
        fields = dict(node[1]).get("fields") or ()
        names: list[str | None] = [
            dict(f[1]).get("sval") if f[0] == "String" else None for f in fields
        ]
        column = names[-1] if names else None
        if column is None:
            return node
        if len(names) == 1:
            mapping = self.own_columns or (self.carrier.columns_of(single) if single else {})
        else:
            qualifier = names[-2] or ""
            table = aliases.get(qualifier) or ObjectId(ids.TABLE, "public", qualifier)
            mapping = self.carrier.columns_of(table)
        new_column = mapping.get(column, column)
        new_names = list(names)
        new_names[-1] = new_column
        if len(names) >= 2 and names[-2] in {t.name for t in self.carrier.renames.tables}:
            # table.column written with the renamed table's own name
            named = aliases.get(names[-2] or "")
            if named is not None and named.name == names[-2]:
                new_names[-2] = self.carrier.table_names.get((named.schema, named.name), named.name)
        if new_names == names:
            return node
        new_fields = tuple(
            ("String", (("sval", n),)) if f[0] == "String" else f
            for f, n in zip(fields, new_names, strict=True)
        )
        return ("ColumnRef", tuple((k, new_fields if k == "fields" else v) for k, v in node[1]))

    def _select(self, node: Tree, aliases: dict[str, ObjectId], single: ObjectId | None) -> Tree:
        fields = tuple(
            (k, tuple(self._output_column(t, aliases, single) for t in v) if k == "targetList"
             else self._walk(v, aliases, single))
            for k, v in node[1]
        )  # fmt: skip
        return node if fields == node[1] else ("SelectStmt", fields)

    def _output_column(
        self, node: Tree, aliases: dict[str, ObjectId], single: ObjectId | None
    ) -> Tree:
        """An output column keeps its name through a rename of the column it reads:
        PostgreSQL prints ``posts.headline AS title`` after ``RENAME title TO headline``, and
        drops the alias again when the names meet (``posts.title``)."""
        if node[0] != "ResTarget":
            return cast("Tree", self._walk(node, aliases, single))
        fields = dict(node[1])
        value = fields.get("val")
        new_value = self._walk(value, aliases, single)
        if new_value == value:
            return node
        name = fields.get("name")
        if isinstance(value, tuple) and value[0] == "ColumnRef":
            old_column = _last_name(value)
            new_column = _last_name(new_value)
            name = name or old_column
            if name == new_column:
                name = None
        rebuilt = tuple((k, new_value if k == "val" else v) for k, v in node[1] if k != "name")
        return ("ResTarget", ((("name", name),) if name else ()) + rebuilt)

    def _range_var(self, node: Tree) -> Tree:
        fields = dict(node[1])
        key = (fields.get("schemaname") or "public", str(fields.get("relname", "")))
        new = self.carrier.table_names.get(key)
        if new is None:
            return node
        return ("RangeVar", tuple((k, new if k == "relname" else v) for k, v in node[1]))


def _last_name(column_ref: Tree) -> str | None:
    last = dict(column_ref[1])["fields"][-1]
    return dict(last[1]).get("sval") if last[0] == "String" else None


def _single_relation(aliases: dict[str, ObjectId]) -> ObjectId | None:
    relations = set(aliases.values())
    return next(iter(relations)) if len(relations) == 1 else None


def _nodes(tree: Any) -> Iterable[Tree]:
    stack = [tree]
    while stack:
        value = stack.pop()
        if not isinstance(value, tuple) or not value:
            continue
        if isinstance(value[0], str):
            yield value
            stack.extend(v for _, v in value[1])
        else:
            stack.extend(value)
