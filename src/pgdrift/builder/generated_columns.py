"""A generated column's expression as PostgreSQL stores it: typed by the table's columns, so
that a varchar column given to a text parameter shows its cast (``length((title)::text)``),
as for a CHECK or an index expression.

In ``ALTER TABLE ... ADD COLUMN`` the table and its columns exist; in ``CREATE TABLE`` they do
not until every column is read, so the expression is read once untyped and again, typed, when
the table has been added (:func:`retype_generated`).
"""

from __future__ import annotations

import copy

from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.stored_exprs import from_source, stored_expr
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId

__all__ = ["generated_expr", "retype_generated"]


def generated_expr(ctx: BuildContext, node: Node, table: ObjectId) -> Expr:
    """``GENERATED ALWAYS AS (node) STORED`` of a column of ``table``."""
    if table in ctx.objects:
        return stored_expr(ctx, node, table)
    # Folding works in place: the untyped reading leaves the node for the typed one.
    return stored_expr(ctx, copy.deepcopy(node) if from_source(ctx) else node)


def retype_generated(ctx: BuildContext, table: ObjectId, node: Node) -> None:
    """After ``CREATE TABLE`` (``node``) added ``table``: its generated columns' expressions,
    typed by its columns."""
    if not from_source(ctx):
        return
    for element in node.get("tableElts") or ():
        column = element.get("ColumnDef")
        for item in (column or {}).get("constraints") or ():
            constraint = item["Constraint"]
            if constraint["contype"] == "CONSTR_GENERATED":
                typed = stored_expr(ctx, constraint["raw_expr"], table)
                ctx.update_column(table, column["colname"], generated=typed)
