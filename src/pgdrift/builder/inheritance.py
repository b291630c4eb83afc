"""ALTER TABLE and RENAME COLUMN of an inheritance parent, carried down to its children as
PostgreSQL carries them (docs: ALTER TABLE, "ADD COLUMN", "DROP COLUMN"; DDL "Inheritance").

Without ``ONLY``, a column added to a parent is added to every child, or merged with the
child's own column of that name (which must have the same type); a dropped column goes from
each child that has it only from that parent, and stays in a child that declared it too or
inherits it from another parent (ATExecDropColumn's ``attislocal`` / ``attinhcount``); type,
NOT NULL, default, storage and compression changes reach every child, and RENAME COLUMN
renames the child's column with the parent's. The model keeps a child's columns in the order
its dump restores them: the columns its parents give, in their order, then its own
(MergeAttributes; pg_dump writes only the child's own columns and ``INHERITS``).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.partitions import RECURSING_SUBCOMMANDS, partitions_of
from pgdrift.builder.stored_exprs import from_source
from pgdrift.errors import ModelError
from pgdrift.ids import ObjectId

__all__ = [
    "inherited_checks",
    "not_null_below",
    "propagate_to_children",
    "rename_column_in_children",
    "restore_order",
]

Apply = Callable[[BuildContext, ObjectId, Node], None]


def _error(ctx: BuildContext, message: str) -> ModelError:
    return ModelError(message, span=ctx.statement.span if ctx.statement else None)


def _table(ctx: BuildContext, oid: ObjectId) -> model.Table | None:
    found = ctx.get(oid)
    return found if isinstance(found, model.Table) else None


def _from_another_parent(
    ctx: BuildContext, child: model.Table, parent: ObjectId, name: str
) -> bool:
    """Whether a parent of ``child`` other than ``parent`` gives it the column ``name``."""
    for other in child.inherits:
        table = _table(ctx, other)
        if other != parent and table is not None and name in table.columns:
            return True
    return False


def inherited_checks(ctx: BuildContext, parent: ObjectId) -> dict[str, model.Constraint]:
    """The CHECK constraints a child of ``parent`` inherits from it, by name: the parent's own
    but NO INHERIT ones, and those it inherits itself (pg_dump prints them on no child)."""
    found: dict[str, model.Constraint] = {}
    table = _table(ctx, parent)
    for grandparent in table.inherits if table is not None else ():
        found.update(inherited_checks(ctx, grandparent))
    for oid in ctx.objects.linked_to(parent):
        check = ctx.objects[oid]
        if (
            isinstance(check, model.Constraint)
            and check.table == parent
            and check.type == model.Constraint.CHECK
            and not check.no_inherit
        ):
            found[check.id.name] = check
    return found


def propagate_to_children(
    ctx: BuildContext,
    parent: ObjectId,
    cmd: Node,
    apply: Apply,
    *,
    recurse: bool = True,
    before: bool = False,
) -> None:
    """One subcommand of ``ALTER TABLE parent`` on the parent's children, and theirs. DROP
    COLUMN runs ``before`` the parent's (children first, as PostgreSQL drops them), the
    others after it. With ``ONLY`` (not ``recurse``) a dropped column stays in the children
    as their own, and a column cannot be added to the parent alone."""
    children = ctx.objects.inheritors(parent) if from_source(ctx) else []
    subtype = cmd["subtype"]
    if not children:
        return
    if not recurse:
        _only(ctx, parent, children, cmd, before=before)
        return
    if subtype == "AT_DropColumn":
        if before:
            _drop_column(ctx, parent, children, cmd, apply)
        else:
            _restore_order_below(ctx, parent)  # a column kept may move behind the parent's
        return
    if before:
        return
    if subtype == "AT_AddColumn":
        _add_column(ctx, parent, children, cmd)
    elif subtype in RECURSING_SUBCOMMANDS:
        name = cmd.get("name") or ""
        for child in children:
            table = _table(ctx, child)
            if table is not None and name in table.columns:
                apply(ctx, child, cmd)
                propagate_to_children(ctx, child, cmd, apply)


def not_null_below(ctx: BuildContext, table: ObjectId, column: str) -> None:
    """A primary key added to ``table`` makes ``column`` NOT NULL in its inheritance children
    and partitions too, at every level: PostgreSQL 15 adds the key's SET NOT NULL to the same
    ALTER TABLE (transformIndexConstraint), and it recurses like any other (ATPrepSetNotNull;
    with ONLY on a partitioned table it requires the partitions' columns NOT NULL already,
    and a child's inherited column reads back NOT NULL from its dump either way)."""
    below = ctx.objects.inheritors(table)
    if getattr(ctx.objects.get(table), "partition_key", None) is not None:
        below += partitions_of(ctx, table)
    for child in below:
        found = _table(ctx, child)
        if found is not None and column in found.columns:
            ctx.update_column(child, column, not_null=True)
            not_null_below(ctx, child, column)


def _only(
    ctx: BuildContext, parent: ObjectId, children: list[ObjectId], cmd: Node, *, before: bool
) -> None:
    subtype = cmd["subtype"]
    if subtype == "AT_AddColumn" and before:
        name = cmd["def"]["ColumnDef"]["colname"]
        source = _table(ctx, parent)
        if source is not None and name not in source.columns:
            raise _error(ctx, f'column "{name}" must be added to child tables too')
    elif subtype == "AT_DropColumn" and before:
        name = cmd["name"]
        for child in children:
            table = _table(ctx, child)
            if table is not None and name in table.columns:
                ctx.update_column(child, name, inherited=False)  # attislocal = true
    elif subtype == "AT_DropColumn":
        _restore_order_below(ctx, parent)
    elif subtype == "AT_DropConstraint" and before:
        _keep_check_below(ctx, parent, children, cmd.get("name") or "")


def _keep_check_below(
    ctx: BuildContext, parent: ObjectId, children: list[ObjectId], name: str
) -> None:
    """ALTER TABLE ONLY parent DROP CONSTRAINT of an inherited CHECK: each child keeps it as
    its own, also one another parent gives it too (ATExecDropConstraint without recursion:
    coninhcount drops, conislocal is set; checked on PostgreSQL 15), and pg_dump then prints
    it on the child."""
    check = inherited_checks(ctx, parent).get(name)
    if check is None or check.table != parent:
        return
    for child in children:
        mine = ObjectId(ids.CONSTRAINT, child.schema, name, parent=child.name)
        if mine in ctx.objects:
            continue
        ctx.add(attrs.evolve(check, id=mine, table=child, comment=None, **ctx.span_fields()))


def _add_column(ctx: BuildContext, parent: ObjectId, children: list[ObjectId], cmd: Node) -> None:
    source = _table(ctx, parent)
    name = cmd["def"]["ColumnDef"]["colname"]
    if source is None or name not in source.columns:
        return
    column = source.columns[name]
    for child in children:
        table = _table(ctx, child)
        if table is None:
            continue
        mine = table.columns.get(name)
        if mine is not None:
            # Merged with the child's own column, which stays its own (attislocal) and is
            # restored in the parent's column's place.
            if mine.type != column.type:
                raise _error(ctx, f'child table "{child.name}" has different type for column '
                                  f'"{name}"')  # fmt: skip
            _restore_order(ctx, child)
            continue
        copy = attrs.evolve(
            column,
            id=ObjectId(ids.COLUMN, child.schema, name, parent=child.name),
            inherited=True, identity=None, comment=None, privileges=(), statistics=None,
            options=(), **ctx.span_fields(),
        )  # fmt: skip
        ctx.update(child, columns=model.Columns((*table.columns.ordered, copy)))
        _restore_order(ctx, child)
        propagate_to_children(ctx, child, cmd, lambda *_: None)


def _drop_column(
    ctx: BuildContext, parent: ObjectId, children: list[ObjectId], cmd: Node, apply: Apply
) -> None:
    name: str = cmd["name"]
    source = _table(ctx, parent)
    if source is None or name not in source.columns:
        return  # IF EXISTS of a missing column: nothing goes down either
    for child in children:
        table = _table(ctx, child)
        if table is None or name not in table.columns:
            continue
        column = table.columns[name]
        if column.inherited and not _from_another_parent(ctx, table, parent, name):
            propagate_to_children(ctx, child, cmd, apply, before=True)
            apply(ctx, child, cmd)


def _restore_order_below(ctx: BuildContext, parent: ObjectId) -> None:
    for child in ctx.objects.inheritors(parent):
        _restore_order(ctx, child)
        _restore_order_below(ctx, child)


def restore_order(ctx: BuildContext, child: ObjectId) -> None:
    """``child``'s columns (and its children's) in the order its dump restores them, after
    its parents changed (INHERIT, NO INHERIT)."""
    _restore_order(ctx, child)
    _restore_order_below(ctx, child)


def _restore_order(ctx: BuildContext, child: ObjectId) -> None:
    """The child's columns as CREATE TABLE ... INHERITS makes them: its parents' columns in
    their order (a column of the same name merged into one), then its own."""
    table = _table(ctx, child)
    if table is None:
        return
    given: dict[str, None] = {}
    for parent in table.inherits:
        source = _table(ctx, parent)
        if source is not None:
            given.update(dict.fromkeys(n for n in source.columns if n in table.columns))
    ordered = [table.columns[n] for n in given]
    ordered += [c for c in table.columns.ordered if c.name not in given]
    if [c.name for c in ordered] != list(table.columns):
        ctx.update(child, columns=model.Columns(tuple(ordered)))


def rename_column_in_children(
    ctx: BuildContext, table: ObjectId, node: Node, rename: Callable[[BuildContext, Node], None]
) -> None:
    """``RENAME COLUMN`` of an inheritance parent renames the column in every child (each
    child's own children first); of a column a child has from a parent, PostgreSQL refuses
    it (renameatt_internal: ``attinhcount > 0``)."""
    relation = _table(ctx, table)
    column = node.get("subname") or ""
    if relation is None or column not in relation.columns:
        return
    if any(column in getattr(ctx.get(p), "columns", ()) for p in relation.inherits):
        raise _error(ctx, f'cannot rename inherited column "{column}"')
    if not (node.get("relation") or {}).get("inh", False):
        if ctx.objects.inheritors(table):  # RENAME with ONLY: the children would lose it
            raise _error(ctx, f'inherited column "{column}" must be renamed in child tables too')
        return
    _rename_down(ctx, table, node, rename)


def _rename_down(
    ctx: BuildContext, table: ObjectId, node: Node, rename: Callable[[BuildContext, Node], None]
) -> None:
    column = node.get("subname") or ""
    for child in ctx.objects.inheritors(table):
        found = _table(ctx, child)
        if found is None or column not in found.columns:
            continue
        _rename_down(ctx, child, node, rename)
        rangevar = {"schemaname": child.schema, "relname": child.name, "inh": False}
        rename(ctx, {**node, "relation": rangevar})
