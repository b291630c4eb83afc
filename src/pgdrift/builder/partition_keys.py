"""A partitioned table's key (``PARTITION BY``) as PostgreSQL stores it: each element a
column or an expression (analysed as the table's CHECKs are), its collation and its operator
class (the default one left out, see :mod:`pgdrift.builder.opclasses`)."""

from __future__ import annotations

from pgdrift import model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.opclasses import key_opclass
from pgdrift.builder.relations import key_collation
from pgdrift.builder.stored_exprs import columns_typer, fold_typed, from_source
from pgdrift.expr import expr_from_node

__all__ = ["PARTITION_STRATEGY", "partition_key"]

#: The partitioning strategies, by the parser's name.
PARTITION_STRATEGY = {"PARTITION_STRATEGY_RANGE": "range", "PARTITION_STRATEGY_LIST": "list",
                      "PARTITION_STRATEGY_HASH": "hash", "r": "range", "l": "list",
                      "h": "hash"}  # fmt: skip


def partition_key(
    ctx: BuildContext, spec: Node | None, columns: dict[str, model.Column]
) -> model.PartitionKey | None:
    """The partition key of a CREATE TABLE's ``PARTITION BY`` over ``columns``, or None."""
    if spec is None:
        return None
    elements = []
    # A hash partition key's classes are hash ones, the others' btree (ComputePartitionAttrs).
    method = "hash" if PARTITION_STRATEGY[spec["strategy"]] == "hash" else "btree"
    for param in spec.get("partParams") or ():
        elem = param["PartitionElem"]
        column = elem.get("name")
        written = ctx.qualified_text(elem["opclass"]) if elem.get("opclass") else None
        key = columns[column].type if column in columns else None
        expression = elem.get("expr")
        if expression is not None and from_source(ctx):  # analysed as a CHECK of the table is
            expression = fold_typed(ctx, expression, columns_typer(columns), {})
        elements.append(
            model.PartitionKeyElement(
                column=column,
                expression=expr_from_node(expression) if expression else None,
                collation=key_collation(ctx, elem, columns),
                opclass=key_opclass(ctx, written, method, key),
            )
        )
    return model.PartitionKey(
        strategy=PARTITION_STRATEGY[spec["strategy"]], elements=tuple(elements)
    )
