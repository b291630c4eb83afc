"""Extended statistics (``CREATE STATISTICS`` / ``ALTER STATISTICS``)."""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, const_value, strings
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.stored_exprs import stored_expr
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId

# Leaving the kinds out builds all of them (docs: CREATE STATISTICS); pg_dump lists them only
# when some are missing.
_ALL_STATISTICS_KINDS = frozenset({"ndistinct", "dependencies", "mcv"})


@handles("CreateStatsStmt")
def build_statistics(ctx: BuildContext, node: Node) -> None:
    relations: list[Node] = node.get("relations") or []
    if len(relations) != 1 or "RangeVar" not in relations[0]:
        raise NotModelled("statistics on anything but one table are not modelled")
    table = ctx.relation_id(relations[0]["RangeVar"])
    ctx.require(table, "CREATE STATISTICS")
    columns: list[str] = []
    expressions: list[Expr] = []
    for item in node.get("exprs") or ():
        elem = item["StatsElem"]
        if elem.get("name"):
            columns.append(elem["name"])
        else:
            expressions.append(stored_expr(ctx, elem["expr"], table))
    if node.get("defnames"):
        schema, name = ctx.qualified(node["defnames"])
    else:
        # Unnamed statistics are called table_col1_col2_stat, "expr" standing for each
        # expression, in the table's schema (statscmds.c, ChooseExtendedStatisticName).
        schema = table.schema or ctx.creation_schema
        parts = [*columns, *("expr" for _ in expressions)]
        name = "_".join([table.name, *parts, "stat"])[:63]
    kinds = set(strings(node.get("stat_types")))
    oid = ObjectId(ids.STATISTICS, schema, name)
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    ctx.add(
        model.Statistics(
            id=oid,
            table=table,
            kinds=() if kinds == _ALL_STATISTICS_KINDS else tuple(sorted(kinds)),
            columns=ctx.ordered_columns(table, columns),
            expressions=tuple(expressions),
            **ctx.span_fields(),
        )
    )


@handles("AlterStatsStmt")
def build_alter_statistics(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["defnames"])
    oid = ObjectId(ids.STATISTICS, schema, name)
    if node.get("missing_ok") and oid not in ctx.objects:
        return
    ctx.require(oid, "ALTER STATISTICS")
    target = const_value(node.get("stxstattarget"))
    # SET STATISTICS -1 (or, since PostgreSQL 17, DEFAULT) returns to the system default.
    ctx.update(oid, target=None if target is None or target < 0 else int(target))
