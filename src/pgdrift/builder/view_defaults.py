"""``ALTER VIEW v ALTER COLUMN c SET / DROP DEFAULT``: a view column's default, used when an
INSERT through the view leaves the column out. PostgreSQL coerces it to the column's type as
for a table column (``'eu'`` on a text column is stored as ``'eu'::text``); where pgdrift
cannot type the column (:mod:`pgdrift.builder.view_types`), the default stays as written."""

from __future__ import annotations

from pgdrift import model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.stored_exprs import stored_default
from pgdrift.builder.view_types import view_column_names, view_column_types
from pgdrift.expr import Expr, expr_from_node
from pgdrift.ids import ObjectId

__all__ = ["set_view_column_default"]


def set_view_column_default(
    ctx: BuildContext, view: ObjectId, column: str, node: Node | None
) -> None:
    obj = ctx.require(view)
    current = dict(getattr(obj, "column_defaults", ()))
    stored = None if node is None else _stored(ctx, obj, column, node)
    if stored is None:
        # DROP DEFAULT, or a default PostgreSQL does not store (SET DEFAULT NULL on a text
        # column), which takes the old one away as well.
        current.pop(column, None)
    else:
        current[column] = stored
    ctx.update(view, column_defaults=tuple(sorted(current.items(), key=lambda kv: kv[0])))


def _stored(ctx: BuildContext, obj: model.DbObject, column: str, node: Node) -> Expr | None:
    if isinstance(obj, model.View | model.MaterializedView):
        names = view_column_names(obj)
        types = view_column_types(ctx, obj)
        if column in names and names.index(column) < len(types):
            column_type = types[names.index(column)]
            if column_type is not None:
                return stored_default(ctx, node, column_type)
    return expr_from_node(node)
