"""``ALTER VIEW v RENAME COLUMN a TO b`` (and ``ALTER TABLE`` / ``ALTER MATERIALIZED VIEW`` on a
view): PostgreSQL renames the output column, and pg_dump then prints the query with the new
name as the target's alias (``SELECT t.a AS b``). The model keeps the query's parse tree, so
the target that produces the column gets that alias; the column's default, comment and grants
follow. A view whose column cannot be found among its top-level targets (``SELECT *``, a
column of a set operation) is kept as not modelled.
"""

from __future__ import annotations

from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.registry import NotModelled
from pgdrift.errors import DuplicateObjectError, UndefinedObjectError
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.pg.messages import already_exists, does_not_exist

__all__ = ["rename_view_column"]

Tree = Any


def rename_view_column(ctx: BuildContext, view: ObjectId, old: str, new: str) -> None:
    obj = ctx.objects[view]
    assert isinstance(obj, (model.View, model.MaterializedView))
    span = ctx.statement.span if ctx.statement else None
    if obj.column_names:
        names = list(obj.column_names)
        if old not in names:
            # Fewer names than targets: the rest keep their targets' names.
            query = _renamed_query(obj.query, view, old, new, skip=len(names), span=span)
            ctx.objects[view] = attrs.evolve(obj, query=query)
        else:
            if new in names:
                raise DuplicateObjectError(
                    already_exists(ObjectId(ids.COLUMN, view.schema, new, view.name)), span=span
                )
            names[names.index(old)] = new
            ctx.objects[view] = attrs.evolve(obj, column_names=tuple(names))
    else:
        ctx.objects[view] = attrs.evolve(
            obj, query=_renamed_query(obj.query, view, old, new, skip=0, span=span)
        )
    obj = ctx.objects[view]
    assert isinstance(obj, (model.View, model.MaterializedView))
    changes: dict[str, Any] = {}
    for field in ("column_defaults", "column_comments", "column_privileges"):
        value = getattr(obj, field, None)
        if value:
            changes[field] = tuple(sorted((new if c == old else c, v) for c, v in value))
    if changes:
        ctx.objects[view] = attrs.evolve(obj, **changes)
    column = ObjectId(ids.COLUMN, view.schema, old, parent=view.name)
    if column in ctx.acl_ops:
        ctx.acl_ops[attrs.evolve(column, name=new)] = ctx.acl_ops.pop(column)


def _renamed_query(
    query: Expr, view: ObjectId, old: str, new: str, *, skip: int, span: Any
) -> Expr:
    kind, fields = query.tree
    body = dict(fields)
    if kind != "SelectStmt" or "targetList" not in body:
        raise NotModelled("RENAME COLUMN of a view whose query is not a plain SELECT")
    targets = list(body["targetList"])
    names = [_output_name(t) for t in targets]
    if any(n is None for n in names[skip:]) and old not in names[skip:]:
        raise NotModelled("RENAME COLUMN of a view column pgdrift cannot name (SELECT *)")
    if old not in names[skip:]:
        raise UndefinedObjectError(
            does_not_exist(ObjectId(ids.COLUMN, view.schema, old, view.name)), span=span
        )
    if new in names:
        raise DuplicateObjectError(
            already_exists(ObjectId(ids.COLUMN, view.schema, new, view.name)), span=span
        )
    index = names.index(old, skip)
    targets[index] = _aliased(targets[index], new)
    # Field order is the parse tree's (equality compares trees as parsed): kept as it was.
    fields = tuple((k, tuple(targets) if k == "targetList" else v) for k, v in fields)
    return Expr((kind, fields))


def _output_name(target: Tree) -> str | None:
    """The column name a target of the select list gives (its alias, or a column's name)."""
    _, fields = target
    values = dict(fields)
    if values.get("name"):
        return str(values["name"])
    val = values.get("val")
    if isinstance(val, tuple) and val[0] == "ColumnRef":
        parts = dict(val[1]).get("fields", ())
        last = parts[-1] if parts else None
        if isinstance(last, tuple) and last[0] == "String":
            return str(dict(last[1]).get("sval"))
    return None


def _aliased(target: Tree, name: str) -> Tree:
    # The parser writes a ResTarget's name before its value.
    kind, fields = target
    return (kind, (("name", name), *((k, v) for k, v in fields if k != "name")))
