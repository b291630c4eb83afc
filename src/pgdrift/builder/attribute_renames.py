"""Field selections following ALTER TYPE ... RENAME ATTRIBUTE. A stored expression selects a
composite value's field by number (FieldSelect.fieldnum), so after the rename every ``(x).old``
of a value of that type prints ``(x).new``: in a view's query, a CHECK constraint, an index,
a policy, a trigger's WHEN, a default. Here each field selection whose value pgdrift can type
is followed: a column of a table (bare in the table's own expressions, ``alias.column`` in a
query, the alias looked up in the FROM lists in scope), then each field selected in turn and
each array subscript. A selection it cannot type (of a function's result, a sub-select's
column) is left as it is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.types import TypeRef

__all__ = ["rename_field_selections"]

Tree = Any
#: The type of a column reference (its name list) in scope, or None.
_Typer = Callable[[list[str]], "TypeRef | None"]
_RELATIONS = (ids.TABLE, ids.FOREIGN_TABLE)


def rename_field_selections(ctx: BuildContext, composite: ObjectId, old: str, new: str) -> None:
    """Every selection of field ``old`` of a value of ``composite`` (already renamed) in the
    catalogue's expressions, renamed ``new``."""
    renamer = _Renamer(ctx, TypeRef(composite.schema, composite.name), old, new)
    changed: dict[ObjectId, Any] = {}
    for oid, obj in ctx.objects.items():
        table = getattr(obj, "table", None)
        if isinstance(obj, (model.View, model.MaterializedView)) and obj.query is not None:
            query = renamer.expr(obj.query, [])
            if query is not None and query is not obj.query:
                changed[oid] = attrs.evolve(obj, query=query)
        elif isinstance(obj, model.Table):
            own = renamer.own_scope(oid)
            columns = tuple(
                attrs.evolve(c, default=renamer.expr(c.default, own),
                             generated=renamer.expr(c.generated, own))
                for c in obj.columns.ordered
            )  # fmt: skip
            if any(a is not b for a, b in zip(columns, obj.columns.ordered, strict=True)):
                changed[oid] = attrs.evolve(obj, columns=model.Columns(columns))
        elif isinstance(table, ObjectId):
            part = _in_part(obj, functools.partial(renamer.expr, scopes=renamer.own_scope(table)))
            if part is not obj:
                changed[oid] = part
    for oid, obj in changed.items():
        ctx.objects[oid] = obj


def _in_part(obj: Any, rewrite: Callable[[Expr | None], Expr | None]) -> Any:
    """A constraint, index, trigger, policy... of a table with its expressions rewritten."""
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        if isinstance(value, Expr):
            found = rewrite(value)
            if found is not value:
                changes[field.name] = found
        elif field.name == "elements" and isinstance(value, tuple):
            elements = tuple(
                attrs.evolve(e, expression=rewrite(e.expression))
                if isinstance(getattr(e, "expression", None), Expr) else e
                for e in value
            )  # fmt: skip
            if any(a is not b for a, b in zip(elements, value, strict=True)):
                changes[field.name] = elements
    return attrs.evolve(obj, **changes) if changes else obj


def _fields(tree: Tree) -> dict[str, Any]:
    return dict(tree[1]) if isinstance(tree, tuple) and len(tree) == 2 else {}


def _sval(tree: Tree) -> str | None:
    if isinstance(tree, tuple) and tree and tree[0] == "String":
        value = _fields(tree).get("sval")
        return value if isinstance(value, str) else None
    return None


class _Renamer:
    def __init__(self, ctx: BuildContext, target: TypeRef, old: str, new: str) -> None:
        self.ctx, self.target, self.old, self.new = ctx, target, old, new

    def expr(self, expr: Expr | None, scopes: list[dict[str, ObjectId | None]]) -> Expr | None:
        if expr is None:
            return None
        tree = self.walk(expr.tree, scopes)
        return expr if tree == expr.tree else Expr(tree)

    def own_scope(self, table: ObjectId) -> list[dict[str, ObjectId | None]]:
        """A table's own expressions: its columns bare, qualified by its name, or (in a
        trigger's WHEN) by OLD and NEW."""
        return [{"": table, table.name: table, "old": table, "new": table}]

    def column_type(self, relation: ObjectId | None, column: str) -> TypeRef | None:
        obj = self.ctx.get(relation) if relation is not None else None
        columns = getattr(obj, "columns", None)
        found = columns.get(column) if columns is not None else None
        return found.type if found is not None else None

    def field_type(self, ref: TypeRef, name: str) -> TypeRef | None:
        if ref.schema is None:
            return None
        composite = ObjectId(ids.COMPOSITE_TYPE, ref.schema, ref.name)
        return self.column_type(composite, name) if composite in self.ctx.objects else None

    def type_of(self, tree: Tree, scopes: list[dict[str, ObjectId | None]]) -> TypeRef | None:
        """The type of a column reference, or of a field selection pgdrift follows."""
        if not isinstance(tree, tuple) or not tree:
            return None
        if tree[0] == "ColumnRef":
            names = [_sval(part) for part in _fields(tree).get("fields") or ()]
            if None in names or not names or len(names) > 2:
                return None
            qualifier, column = ("", names[0]) if len(names) == 1 else (names[0], names[1])
            for scope in reversed(scopes):
                if qualifier in scope:
                    return self.column_type(scope[qualifier], str(column))
                if not qualifier and any(
                    self.column_type(r, str(column)) is not None for r in scope.values()
                ):
                    found = {self.column_type(r, str(column)) for r in scope.values()} - {None}
                    return found.pop() if len(found) == 1 else None
            return None
        if tree[0] == "A_Indirection":
            current = self.type_of(_fields(tree).get("arg"), scopes)
            for step in _fields(tree).get("indirection") or ():
                current = self.step(current, step)
            return current
        return None

    def step(self, current: TypeRef | None, step: Tree) -> TypeRef | None:
        if current is None:
            return None
        name = _sval(step)
        if name is not None:
            if current.array_dims:
                return None
            if TypeRef(current.schema, current.name) == self.target and name == self.old:
                name = self.new  # the composite already has its new attribute name
            return self.field_type(current, name)
        if isinstance(step, tuple) and step and step[0] == "A_Indices":
            if _fields(step).get("is_slice"):
                return current
            return attrs.evolve(current, array_dims=current.array_dims - 1) if (
                current.array_dims) else None  # fmt: skip
        return None

    def walk(self, tree: Tree, scopes: list[dict[str, ObjectId | None]]) -> Tree:
        if not isinstance(tree, tuple) or not tree:
            return tree
        if isinstance(tree[0], str) and len(tree) == 2 and isinstance(tree[1], tuple):
            name, fields = tree
            if name == "SelectStmt":
                scopes = [*scopes, self.from_scope(_fields(tree).get("fromClause") or ())]
            if name == "A_Indirection":
                return self.indirection(tree, scopes)
            return (name, tuple((key, self.walk(value, scopes)) for key, value in fields))
        return tuple(self.walk(item, scopes) for item in tree)

    def indirection(self, tree: Tree, scopes: list[dict[str, ObjectId | None]]) -> Tree:
        fields = _fields(tree)
        arg = self.walk(fields.get("arg"), scopes)
        current = self.type_of(fields.get("arg"), scopes)
        steps = []
        for step in fields.get("indirection") or ():
            name = _sval(step)
            renamed = (
                current is not None and not current.array_dims and name == self.old
                and TypeRef(current.schema, current.name) == self.target
            )  # fmt: skip
            written = (
                ("String", tuple((k, self.new if k == "sval" else v) for k, v in step[1]))
                if renamed else self.walk(step, scopes)
            )  # fmt: skip
            current = self.step(current, written)
            steps.append(written)
        return ("A_Indirection", tuple(
            (key, arg if key == "arg" else tuple(steps) if key == "indirection" else value)
            for key, value in tree[1]
        ))  # fmt: skip

    def from_scope(self, items: Tree) -> dict[str, ObjectId | None]:
        """The aliases a FROM list makes visible: a table's, else unknown (None)."""
        scope: dict[str, ObjectId | None] = {}
        for item in items if isinstance(items, tuple) else ():
            self._from_item(item, scope)
        return scope

    def _from_item(self, item: Tree, scope: dict[str, ObjectId | None]) -> None:
        if not isinstance(item, tuple) or not item:
            return
        fields = _fields(item)
        if item[0] == "JoinExpr":
            self._from_item(fields.get("larg"), scope)
            self._from_item(fields.get("rarg"), scope)
            alias = _fields(fields.get("alias")).get("aliasname")
            if isinstance(alias, str):
                scope[alias] = None
            return
        alias = _fields(fields.get("alias")).get("aliasname")
        if item[0] == "RangeVar":
            name, schema = str(fields.get("relname")), fields.get("schemaname")
            relation = next(
                (ObjectId(kind, schema, name) for kind in _RELATIONS
                 if isinstance(schema, str) and ObjectId(kind, schema, name) in self.ctx.objects),
                None,
            )  # fmt: skip
            scope[alias if isinstance(alias, str) else str(name)] = relation
        elif isinstance(alias, str):
            scope[alias] = None  # a sub-select's or a function's columns: not typed here
