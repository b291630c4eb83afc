"""ALTER TABLE subcommands that unlink a table from another, as migrations write them:
``NO INHERIT parent`` and ``DETACH PARTITION child`` (docs: ALTER TABLE). pg_dump writes only
the linking side (``INHERITS``, ``ATTACH PARTITION``), read in :mod:`pgdrift.builder.tables`.
"""

from __future__ import annotations

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.inheritance import inherited_checks, restore_order
from pgdrift.builder.nodes import Node
from pgdrift.builder.partitions import detached
from pgdrift.builder.tables import alters_table
from pgdrift.errors import ModelError
from pgdrift.ids import ObjectId

__all__: list[str] = []


def _span(ctx: BuildContext) -> object:
    return ctx.statement.span if ctx.statement else None


def _as_local(table: model.Table) -> model.Columns:
    # A column no parent gives any more is the table's own (attislocal), as if declared.
    return model.Columns(tuple(attrs.evolve(c, inherited=False) for c in table.columns.ordered))


@alters_table("AT_DropInherit")
def drop_inherit(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """NO INHERIT parent: the parent leaves the table's list; the columns it gave stay."""
    table = ctx.require(oid, "ALTER TABLE NO INHERIT")
    parent = ctx.relation_id(cmd["def"]["RangeVar"], ids.TABLE)
    ctx.require(parent, "ALTER TABLE NO INHERIT")
    inherits = getattr(table, "inherits", ())
    if parent not in inherits:
        raise ModelError(
            f'relation "{parent.name}" is not a parent of relation "{oid.name}"',
            span=_span(ctx),  # type: ignore[arg-type]
        )
    assert isinstance(table, model.Table)
    remaining = tuple(p for p in inherits if p != parent)
    # A column no remaining parent gives is the table's own now (attislocal).
    given = {n for p in remaining for n in getattr(ctx.get(p), "columns", ())}
    columns = model.Columns(tuple(
        c if c.name in given else attrs.evolve(c, inherited=False) for c in table.columns.ordered
    ))  # fmt: skip
    ctx.update(oid, inherits=remaining, columns=columns)
    restore_order(ctx, oid)
    # Its inherited CHECKs stay too, as its own (RemoveInheritance: coninhcount drops, and
    # conislocal is set when no other parent gives the constraint).
    still = {name for p in remaining for name in inherited_checks(ctx, p)}
    for name, check in inherited_checks(ctx, parent).items():
        mine = ObjectId(ids.CONSTRAINT, oid.schema, name, parent=oid.name)
        if name not in still and mine not in ctx.objects:
            # The comment stays with the parent's constraint.
            ctx.add(attrs.evolve(check, id=mine, table=oid, comment=None, **ctx.span_fields()))


@alters_table("AT_AddInherit")
def add_inherit(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """INHERIT parent: the table must have each of the parent's columns already (of the same
    type); they stay its own, merged with the parent's, and its dump restores them first."""
    table = ctx.require(oid, "ALTER TABLE INHERIT")
    parent = ctx.relation_id(cmd["def"]["RangeVar"], ids.TABLE)
    source = ctx.require(parent, "ALTER TABLE INHERIT")
    assert isinstance(table, model.Table)
    for column in getattr(source, "columns", model.Columns()).ordered:
        mine = table.columns.get(column.name)
        if mine is None:
            raise ModelError(
                f'child table is missing column "{column.name}"',
                span=_span(ctx),  # type: ignore[arg-type]
            )
        if mine.type != column.type:
            raise ModelError(
                f'child table "{oid.name}" has different type for column "{column.name}"',
                span=_span(ctx),  # type: ignore[arg-type]
            )
    ctx.update(oid, inherits=(*table.inherits, parent))
    restore_order(ctx, oid)


@alters_table("AT_DetachPartition")
def detach_partition(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """DETACH PARTITION child [CONCURRENTLY | FINALIZE]: the child becomes a table of its
    own with the same columns; the parent's cloned indexes and triggers stay on it."""
    ctx.require(oid, "ALTER TABLE DETACH PARTITION")
    schema, name = ctx.relation(cmd["def"]["PartitionCmd"]["name"])
    child = ctx.find_relation(schema, name)
    partition = ctx.require(child, "ALTER TABLE DETACH PARTITION")
    if getattr(partition, "partition_of", None) != oid:
        raise ModelError(
            f'relation "{name}" is not a partition of relation "{oid.name}"',
            span=_span(ctx),  # type: ignore[arg-type]
        )
    assert isinstance(partition, model.Table)
    ctx.update(child, partition_of=None, partition_bound=None, columns=_as_local(partition))
    detached(ctx, oid, child)
    for part_id, part in list(ctx.objects.items()):
        if getattr(part, "table", None) == child and getattr(part, "attached_to", None):
            # Its indexes and constraints attached to the parent's are detached with it.
            ctx.objects[part_id] = attrs.evolve(part, attached_to=None)  # type: ignore[call-arg]
        elif isinstance(part, model.Trigger) and any(t == child for t, _ in part.partition_states):
            # The parent's triggers cloned onto it are dropped (DetachPartitionFinalize).
            states = tuple((t, s) for t, s in part.partition_states if t != child)
            ctx.objects[part_id] = attrs.evolve(part, partition_states=states)
