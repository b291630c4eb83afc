"""``CREATE TABLE ... AS`` and ``SELECT ... INTO``: a table whose columns are the query's output
columns (intorel_startup), named as the query names them or as the list given, each of its
expression's type and typmod, without constraints, defaults or NOT NULL. pg_dump prints the
result as a plain CREATE TABLE. A column whose type pgdrift cannot tell keeps the statement
as not modelled (reported with its place), rather than guessing.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, strings
from pgdrift.builder.registry import BUILDERS, NotModelled
from pgdrift.builder.stored_exprs import stored_query
from pgdrift.builder.view_types import view_column_names, view_column_types
from pgdrift.ids import ObjectId
from pgdrift.pg.constants import type_name_node

__all__ = ["build_table_as"]


def build_table_as(ctx: BuildContext, into: Node, query: Node, *, if_not_exists: bool) -> None:
    """The table ``into`` names, made from ``query``'s output columns."""
    schema, name = ctx.relation(into["rel"])
    if if_not_exists and ObjectId(ids.TABLE, schema, name) in ctx.objects:
        return
    given = tuple(strings(into.get("colNames")))
    stored, column_names = stored_query(ctx, query, given)
    shape = model.View(id=ObjectId(ids.VIEW, schema, name), query=stored, column_names=column_names)
    names = view_column_names(shape)
    types = view_column_types(ctx, shape)
    if len(given) > len(types):
        raise NotModelled("CREATE TABLE AS names more columns than its query has")
    unknown = [n for n, t in zip(names, types, strict=False) if t is None]
    if not names or len(names) != len(types) or unknown:
        what = f"column {unknown[0]!r}" if unknown else "its columns"
        raise NotModelled(f"CREATE TABLE AS: pgdrift cannot tell the type of {what}")
    columns = [
        {"ColumnDef": {"colname": column, "typeName": type_name_node(ref), "is_local": True}}
        for column, ref in zip(names, types, strict=True)
        if ref is not None  # (none is: for the type checker)
    ]
    BUILDERS["CreateStmt"](  # builder.tables' CREATE TABLE, as the statement would be read
        ctx,
        {
            "relation": into["rel"],
            "tableElts": columns,
            "options": into.get("options"),
            "tablespacename": into.get("tableSpaceName"),
            "accessMethod": into.get("accessMethod"),
        },
    )
