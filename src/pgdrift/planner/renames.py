"""What a confirmed rename already does: PostgreSQL updates everything that refers to a renamed
table or column (constraints, indexes, triggers, policies, rules, statistics and views keep
working, by object number), so the changes that differ from their old definition only by the
new names need no statement of their own.

A table rename carries its constraints, triggers, policies and rules (whose ids name the table)
and the indexes on it. A column rename rewrites the column in every definition; what is left
different afterwards (a view's output column keeps its old name, for one) still gets planned.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.differ.changes import Altered, Change, Created, Dropped, Renamed, Replaced
from pgdrift.expr import Expr, walk
from pgdrift.ids import ObjectId

#: Fields holding column names of the object's own table.
_OWN_COLUMNS = ("columns", "include", "update_columns")
_TABLE_KINDS = (ids.TABLE, ids.FOREIGN_TABLE)

ColumnRenames = Mapping[ObjectId, Mapping[str, str]]


def unneeded_changes(
    changes: Collection[Change], renamed: Mapping[ObjectId, ObjectId]
) -> set[int]:
    """The ``id()`` of every change a rename in ``renamed`` (old id -> new id) carries out."""
    tables = {old: new for old, new in renamed.items() if old.kind in _TABLE_KINDS}
    columns: dict[ObjectId, dict[str, str]] = {}
    for old, new in renamed.items():
        if old.kind == ids.COLUMN:
            for kind in _TABLE_KINDS:
                table = ObjectId(kind, old.schema, old.parent or "")
                columns.setdefault(table, {})[old.name] = new.name
    if not tables and not columns:
        return set()
    created = {c.id: c for c in changes if isinstance(c, Created)}
    skipped: set[int] = set()
    for change in changes:
        before = change.before
        if before is None or change.kind == ids.COLUMN or isinstance(change, Renamed):
            continue
        moved = follow(before, tables, columns)
        if moved is before:
            continue
        if isinstance(change, (Altered, Replaced)) and moved == change.after:
            skipped.add(id(change))
        elif isinstance(change, Dropped) and change.id.parent is not None:
            owner = getattr(before, "table", None)
            if isinstance(owner, ObjectId) and owner in tables:
                twin = created.get(attrs.evolve(change.id, parent=tables[owner].name))
                if twin is not None and moved == twin.after:
                    skipped.update((id(change), id(twin)))
    return skipped


def follow(
    obj: model.DbObject, tables: Mapping[ObjectId, ObjectId], columns: ColumnRenames
) -> model.DbObject:
    """``obj`` as it is once the renames have run (the same object when none touches it)."""
    changes: dict[str, Any] = {}
    table = getattr(obj, "table", None)
    if isinstance(table, ObjectId):
        own = columns.get(table, {})
        if table in tables:
            changes["table"] = tables[table]
        for field in _OWN_COLUMNS:
            value = getattr(obj, field, None)
            if own and isinstance(value, tuple) and all(isinstance(v, str) for v in value):
                changes[field] = tuple(own.get(v, v) for v in value)
        elements = getattr(obj, "elements", None)
        if own and isinstance(elements, tuple):
            changes["elements"] = tuple(_element(e, own) for e in elements)
    references = getattr(obj, "references", None)
    if isinstance(references, ObjectId):
        if references in tables:
            changes["references"] = tables[references]
        referenced = columns.get(references, {})
        if referenced:
            changes["referenced_columns"] = tuple(
                referenced.get(c, c) for c in getattr(obj, "referenced_columns", ())
            )
    every = {old: new for names in columns.values() for old, new in names.items()}
    if every:
        for field in attrs.fields(type(obj)):
            value = getattr(obj, field.name)
            if isinstance(value, Expr):
                changes[field.name] = Expr(_renamed_tree(value.tree, every))
            elif isinstance(value, tuple) and value and all(isinstance(v, Expr) for v in value):
                changes[field.name] = tuple(Expr(_renamed_tree(v.tree, every)) for v in value)
    changed = {k: v for k, v in changes.items() if getattr(obj, k) != v}
    return attrs.evolve(obj, **changed) if changed else obj


def _element(element: model.IndexElement, names: Mapping[str, str]) -> model.IndexElement:
    if element.column is not None:
        return attrs.evolve(element, column=names.get(element.column, element.column))
    if element.expression is not None:
        return attrs.evolve(element, expression=Expr(_renamed_tree(element.expression.tree, names)))
    return element


def _renamed_tree(tree: Any, names: Mapping[str, str]) -> Any:
    """A tree with column references to renamed columns renamed: the last field of a
    ColumnRef, an IndexElem's column. A bare output column keeps its old name as an alias,
    as PostgreSQL's view would."""
    if type(tree) is not tuple or not tree:
        return tree
    if type(tree[0]) is not str:
        return tuple(_renamed_tree(item, names) for item in tree)
    name: str = tree[0]
    pairs: Any = tree[1]
    if name == "ColumnRef":
        fields = dict(pairs).get("fields") or ()
        last = fields[-1] if fields else None
        if last is not None and last[0] == "String":
            old = dict(last[1]).get("sval", "")
            if old in names:
                field = ("String", (("sval", names[old]),))
                return (name, tuple((k, (*fields[:-1], field) if k == "fields" else v)
                                    for k, v in pairs))  # fmt: skip
        return tree
    if name == "IndexElem":
        pairs = tuple((k, names.get(v, v) if k == "name" and isinstance(v, str) else v)
                      for k, v in pairs)  # fmt: skip
    if name == "ResTarget" and "name" not in dict(pairs):
        old = _column_name(dict(pairs).get("val"))
        if old in names:
            pairs = (("name", old), *pairs)
    renamed: tuple[Any, ...] = (name, tuple((k, _renamed_tree(v, names)) for k, v in pairs))
    if name == "ResTarget":
        # ruleutils prints no alias when it equals the column's name, so neither is there one
        # in the dump: "t.title AS title" reads back as "t.title".
        fields = dict(renamed[1])
        if "name" in fields and fields["name"] == _column_name(fields.get("val")):
            renamed = (name, tuple((k, v) for k, v in renamed[1] if k != "name"))
    return renamed


def columns_referenced(expression: Expr) -> frozenset[str]:
    """The column names an expression's ColumnRefs name (their last field)."""
    found = (_column_name(node) for node in walk(expression.tree))
    return frozenset(name for name in found if name is not None)


def _column_name(node: Any) -> str | None:
    """The column a ColumnRef node names (its last field), if it is one."""
    if not node or node[0] != "ColumnRef":
        return None
    fields = dict(node[1]).get("fields") or ()
    if fields and fields[-1][0] == "String":
        return str(dict(fields[-1][1]).get("sval", ""))
    return None
