"""The order of SET LOGGED / SET UNLOGGED among tables that reference each other."""

from __future__ import annotations

from pgdrift import model
from pgdrift.ids import ObjectId
from pgdrift.planner.context import PlanContext, persistence_id

__all__ = ["persistence_waits"]


def persistence_waits(ctx: PlanContext, table: model.Table) -> list[ObjectId]:
    """The persistence changes of other tables that ``table``'s must wait for. PostgreSQL
    keeps a permanent table from referencing an unlogged one (ATPrepChangePersistence): SET
    LOGGED needs the tables it references logged first, SET UNLOGGED needs the tables that
    reference it unlogged first. (A self-reference does not count; two tables referencing
    each other cannot change at all while both foreign keys stay, so neither waits.)"""
    logged = table.persistence != "unlogged"
    edges: set[tuple[ObjectId, ObjectId]] = set()
    for schema in (ctx.old, ctx.new):
        for fk in schema.constraints.values():
            if fk.type == model.Constraint.FOREIGN_KEY and fk.references is not None:
                edges.add((fk.table, fk.references))
    waits = {referenced if logged else referencing for referencing, referenced in edges
             if (referencing if logged else referenced) == table.id}  # fmt: skip
    waits.discard(table.id)
    return [persistence_id(other) for other in sorted(waits, key=ObjectId.sort_key)
            if (table.id, other) not in edges or (other, table.id) not in edges]
