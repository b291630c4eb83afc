"""Partitions as PostgreSQL makes them (docs: CREATE TABLE ... PARTITION OF, ALTER TABLE ...
ATTACH PARTITION, CREATE INDEX; "Table Partitioning").

A partition gets its parent's columns (with their NOT NULL, defaults and generation
expressions, but not identity), its parent's CHECK constraints under their own names, and a
copy of each of the parent's indexes and PRIMARY KEY / UNIQUE / EXCLUDE constraints, named by
the partition (``<partition>_pkey``, ``<partition>_<cols>_key``, ``<partition>_<cols>_idx``)
and attached to the parent's. An index made on a partitioned table later (without ``ONLY``)
goes down to every partition the same way, and attaching a table takes an index it already
has that matches instead of making one. pg_dump 15 writes the result of all this: each
partition as a whole ``CREATE TABLE``, its indexes, and ``ATTACH PARTITION`` lines. Foreign
keys and row triggers are cloned too, but pg_dump writes only the parent's, which is what the
model keeps.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
from pglast.parser import parse_sql_json

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.dependents import drop_object
from pgdrift.builder.nodes import Node
from pgdrift.builder.stored_exprs import from_source
from pgdrift.errors import ModelError
from pgdrift.ids import ObjectId
from pgdrift.pg.naming import choose_name, column_name_addition, index_column_names

__all__ = [
    "RECURSING_SUBCOMMANDS",
    "attach_partition",
    "clone_from_parent",
    "copy_index",
    "detached",
    "index_created",
    "partition_columns",
    "partitioned_parent",
    "propagate_alter",
    "propagate_created",
    "rename_column_down",
]

_INDEX_BACKED = (model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE, model.Constraint.EXCLUSION)


def _error(ctx: BuildContext, message: str) -> ModelError:
    return ModelError(message, span=ctx.statement.span if ctx.statement else None)


def partitioned_parent(ctx: BuildContext, parent: ObjectId, what: str) -> model.Table:
    """The table named in ``PARTITION OF`` / ``ATTACH PARTITION``, which must be partitioned."""
    relation = ctx.require(parent, what)
    if not isinstance(relation, model.Table) or relation.partition_key is None:
        raise _error(ctx, f'"{parent.name}" is not partitioned')
    return relation


def partition_columns(
    ctx: BuildContext, partition: ObjectId, parent: model.Table
) -> dict[str, model.Column]:
    """The columns a partition takes from its parent, in the parent's order. pg_dump lists
    them in the partition's own CREATE TABLE, so they read as the partition's; an identity
    stays the parent's (PostgreSQL 15), statistics targets and options are not copied."""
    result: dict[str, model.Column] = {}
    for column in parent.columns.ordered:
        result[column.name] = attrs.evolve(
            column,
            id=ObjectId(ids.COLUMN, partition.schema, column.name, parent=partition.name),
            inherited=False, identity=None, comment=None, privileges=(), statistics=None,
            options=(), **ctx.span_fields(),
        )  # fmt: skip
    return result


def _owned(ctx: BuildContext, table: ObjectId) -> list[model.DbObject]:
    """The indexes and constraints of ``table`` in the order they were made."""
    return [
        obj
        for obj in ctx.objects.values()
        if isinstance(obj, model.Index | model.Constraint) and obj.table == table
    ]


def partitions_of(ctx: BuildContext, table: ObjectId) -> list[ObjectId]:
    return [
        obj.id
        for obj in ctx.objects.values()
        if isinstance(obj, model.Table) and obj.partition_of == table
    ]


def clone_from_parent(ctx: BuildContext, partition: ObjectId, parent: ObjectId) -> None:
    """After ``CREATE TABLE ... PARTITION OF``: the parent's CHECK constraints, indexes and
    index-backed constraints, made on the new partition (DefineRelation clones the indexes
    in the parent's index order before the partition's own constraints are made)."""
    owned = _owned(ctx, parent)
    for obj in owned:
        if isinstance(obj, model.Constraint) and obj.type == model.Constraint.CHECK:
            _clone_check(ctx, obj, partition)
    for obj in owned:
        if _is_index_like(obj):
            _clone_index(ctx, obj, partition, match_existing=False)


def attach_partition(ctx: BuildContext, parent: ObjectId, child: ObjectId) -> None:
    """``ATTACH PARTITION`` of a table written by hand: it must hold the parent's CHECK
    constraints under their names already; each parent index takes a matching index of the
    child, or a new one is made (AttachPartitionEnsureIndexes)."""
    owned = _owned(ctx, parent)
    for obj in owned:
        if isinstance(obj, model.Constraint) and obj.type == model.Constraint.CHECK:
            mine = ObjectId(ids.CONSTRAINT, child.schema, obj.name, parent=child.name)
            if not isinstance(ctx.get(mine), model.Constraint):
                raise _error(ctx, f'child table is missing constraint "{obj.name}"')
    for obj in owned:
        if _is_index_like(obj):
            _clone_index(ctx, obj, child, match_existing=True)


def detached(ctx: BuildContext, parent: ObjectId, child: ObjectId) -> None:
    """``DETACH PARTITION``: the foreign keys cloned from the parent (and its ancestors) stay
    on the table as its own, under their names, and pg_dump then writes them there
    (DetachPartitionFinalize)."""
    ancestor: ObjectId | None = parent
    while ancestor is not None:
        for obj in _owned(ctx, ancestor):
            if isinstance(obj, model.Constraint) and obj.type == model.Constraint.FOREIGN_KEY:
                oid = ObjectId(ids.CONSTRAINT, child.schema, obj.name, parent=child.name)
                if oid not in ctx.objects:
                    ctx.add(attrs.evolve(obj, id=oid, table=child, comment=None,
                                         **ctx.span_fields()))  # fmt: skip
        ancestor = getattr(ctx.get(ancestor), "partition_of", None)


def index_created(ctx: BuildContext, index: ObjectId, *, recurse: bool) -> None:
    """``CREATE INDEX`` on a partitioned table makes a partitioned index (pg_dump writes it
    ``ON ONLY``); without ``ONLY`` it goes down to every partition."""
    obj = ctx.get(index)
    if not isinstance(obj, model.Index):
        return
    table = ctx.get(obj.table)
    if not isinstance(table, model.Table) or table.partition_key is None:
        return
    if not obj.only:
        ctx.update(index, only=True)
    if recurse:
        _clone_down(ctx, ctx.require(index), obj.table)


#: ALTER TABLE subcommands PostgreSQL applies again to each partition of a partitioned table
#: and to each inheritance child (ATSimpleRecursion and the recursing ones of tablecmds.c).
RECURSING_SUBCOMMANDS = frozenset({
    "AT_DropColumn", "AT_AlterColumnType", "AT_SetNotNull", "AT_DropNotNull",
    "AT_ColumnDefault", "AT_SetStorage", "AT_SetCompression", "AT_DropExpression",
    "AT_SetStatistics",
})  # fmt: skip
Apply = Callable[[BuildContext, ObjectId, Node], None]


def propagate_alter(
    ctx: BuildContext,
    table: ObjectId,
    cmd: Node,
    created: Sequence[ObjectId],
    apply: Apply,
    *,
    before: bool = False,
) -> None:
    """``ALTER TABLE`` without ``ONLY`` of a partitioned table: column changes are made on
    every partition too (``apply`` runs one subcommand), an added column is appended to them,
    and the constraints the command made go down (:func:`propagate_created`)."""
    relation = ctx.get(table)
    if not isinstance(relation, model.Table) or relation.partition_key is None:
        return
    subtype = cmd["subtype"]
    # DROP COLUMN drops the partitions' columns first (ATExecDropColumn), so that a sequence
    # the parent's column owns goes last; the others follow the parent.
    if before != (subtype == "AT_DropColumn"):
        return
    if subtype in RECURSING_SUBCOMMANDS:
        for partition in partitions_of(ctx, table):
            propagate_alter(ctx, partition, cmd, (), apply, before=True)
            apply(ctx, partition, cmd)
            propagate_alter(ctx, partition, cmd, (), apply)
    elif subtype == "AT_AddColumn":
        _columns_down(ctx, relation)
    elif subtype == "AT_DropConstraint":
        _drop_down(ctx, table, cmd.get("name") or "")
    if created:
        propagate_created(ctx, table, created)


def rename_column_down(
    ctx: BuildContext, node: Node, rename: Callable[[BuildContext, Node], None]
) -> None:
    """``RENAME COLUMN`` of a partitioned table renames the column in every partition too
    (``rename`` renames one table's); on a partition alone PostgreSQL refuses it."""
    if not from_source(ctx) or node.get("relation") is None:
        return
    schema, name = ctx.relation(node["relation"])
    relation = ctx.get(ObjectId(ids.TABLE, schema, name))
    if not isinstance(relation, model.Table):
        return
    column = node.get("subname") or ""
    parent = ctx.get(relation.partition_of) if relation.partition_of else None
    if isinstance(parent, model.Table) and column in parent.columns:
        raise _error(ctx, f'cannot rename inherited column "{column}"')
    if relation.partition_key is None or column not in relation.columns:
        return
    for partition in walk_partitions(ctx, relation.id):
        rangevar = {"schemaname": partition.schema, "relname": partition.name, "inh": True}
        rename(ctx, {**node, "relation": rangevar})


def walk_partitions(ctx: BuildContext, table: ObjectId) -> list[ObjectId]:
    """Every partition below ``table``, each before its own partitions."""
    found: list[ObjectId] = []
    for partition in partitions_of(ctx, table):
        found.append(partition)
        found.extend(walk_partitions(ctx, partition))
    return found


def _drop_down(ctx: BuildContext, table: ObjectId, name: str) -> None:
    """DROP CONSTRAINT of a partitioned table's constraint drops the partitions' copies: a
    CHECK under the same name, a key attached to the dropped one."""
    gone = ObjectId(ids.CONSTRAINT, table.schema, name, parent=table.name)
    if gone in ctx.objects:
        return  # not dropped (IF EXISTS of a missing one)
    for partition in partitions_of(ctx, table):
        for obj in _owned(ctx, partition):
            copy = getattr(obj, "attached_to", None) == gone or (
                isinstance(obj, model.Constraint)
                and obj.type == model.Constraint.CHECK
                and obj.name == name
            )
            if copy and obj.id in ctx.objects:
                drop_object(ctx, obj.id, cascade=True, what="ALTER TABLE DROP CONSTRAINT")
                _drop_down(ctx, partition, obj.name)


def _columns_down(ctx: BuildContext, parent: model.Table) -> None:
    for partition in partitions_of(ctx, parent.id):
        table = ctx.require(partition)
        assert isinstance(table, model.Table)
        copies = partition_columns(ctx, partition, parent)
        added = [copies[name] for name in parent.columns if name not in table.columns]
        if added:
            ctx.update(partition, columns=model.Columns((*table.columns.ordered, *added)))
            _columns_down(ctx, ctx.require(partition))  # type: ignore[arg-type]


def propagate_created(ctx: BuildContext, table: ObjectId, created: Iterable[ObjectId]) -> None:
    """``ALTER TABLE`` (without ``ONLY``) of a partitioned table: the CHECK, PRIMARY KEY,
    UNIQUE and EXCLUDE constraints it added go down to every partition."""
    relation = ctx.get(table)
    if not isinstance(relation, model.Table) or relation.partition_key is None:
        return
    for oid in list(created):
        obj = ctx.get(oid)
        if not isinstance(obj, model.Constraint) or obj.table != table:
            continue
        if obj.type == model.Constraint.CHECK:
            _check_down(ctx, obj, table)
        elif obj.type in _INDEX_BACKED:
            _clone_down(ctx, obj, table)


def _check_down(ctx: BuildContext, check: model.Constraint, table: ObjectId) -> None:
    for partition in partitions_of(ctx, table):
        mine = ObjectId(ids.CONSTRAINT, partition.schema, check.name, parent=partition.name)
        if mine not in ctx.objects:
            _clone_check(ctx, check, partition)
        _check_down(ctx, check, partition)


def _clone_down(ctx: BuildContext, index: model.DbObject, table: ObjectId) -> None:
    for partition in partitions_of(ctx, table):
        _clone_index(ctx, index, partition, match_existing=True)


def _is_index_like(obj: model.DbObject) -> bool:
    if isinstance(obj, model.Constraint):
        return obj.type in _INDEX_BACKED
    return isinstance(obj, model.Index)


def _clone_check(ctx: BuildContext, check: model.Constraint, partition: ObjectId) -> None:
    """pg_dump writes an inherited CHECK in the partition's CREATE TABLE under the parent's
    name (ATTACH PARTITION requires it there)."""
    oid = ObjectId(ids.CONSTRAINT, partition.schema, check.name, parent=partition.name)
    ctx.add(attrs.evolve(check, id=oid, table=partition, comment=None, **ctx.span_fields()))


# Index clones ---------------------------------------------------------------------------------


def _index_key(obj: model.DbObject) -> tuple[Any, ...]:
    """What CompareIndexInfo compares: two indexes with the same key are interchangeable."""
    if isinstance(obj, model.Constraint):
        unique = obj.type != model.Constraint.EXCLUSION
        elements = obj.elements or tuple(model.IndexElement(column=c) for c in obj.columns)
        return ("constraint", obj.type, unique, obj.method or "btree", elements, obj.include,
                obj.where, obj.nulls_not_distinct)  # fmt: skip
    assert isinstance(obj, model.Index)
    return ("index", None, obj.unique, obj.method, obj.elements, obj.include, obj.where,
            obj.nulls_not_distinct)  # fmt: skip


def _clone_index(
    ctx: BuildContext, parent_index: model.DbObject, partition: ObjectId, *, match_existing: bool
) -> None:
    relation = ctx.require(partition)
    sub_partitioned = isinstance(relation, model.Table) and relation.partition_key is not None
    clone: model.DbObject | None = None
    if match_existing:
        wanted = _index_key(parent_index)
        for obj in _owned(ctx, partition):
            if (
                _is_index_like(obj)
                and getattr(obj, "attached_to", None) is None
                and _index_key(obj) == wanted
            ):
                clone = attrs.evolve(obj, attached_to=parent_index.id)  # type: ignore[call-arg]
                ctx.objects[obj.id] = clone
                break
    if clone is None:
        clone = _new_clone(ctx, parent_index, partition, sub_partitioned)
        ctx.add(clone)
    if sub_partitioned:
        _clone_down(ctx, clone, partition)


def _new_clone(
    ctx: BuildContext, parent_index: model.DbObject, partition: ObjectId, sub_partitioned: bool
) -> model.DbObject:
    clone = copy_index(ctx, parent_index, partition, only=sub_partitioned)
    return attrs.evolve(clone, attached_to=parent_index.id)  # type: ignore[call-arg]


def copy_index(
    ctx: BuildContext, index: model.DbObject, table: ObjectId, *, only: bool = False
) -> model.DbObject:
    """A copy of an index, or of a PRIMARY KEY / UNIQUE / EXCLUDE constraint, on ``table``,
    named by the rules for an unnamed one (ChooseIndexName): what a partition and
    ``LIKE ... INCLUDING INDEXES`` make, "regardless of how the originals were named"."""
    parent_index, partition, sub_partitioned = index, table, only
    schema = partition.schema or ctx.creation_schema
    fields: dict[str, Any] = {"table": partition, "attached_to": None,
                              "comment": None, **ctx.span_fields()}  # fmt: skip
    if isinstance(parent_index, model.Constraint):
        name = _constraint_index_name(ctx, schema, partition.name, parent_index)
        oid = ObjectId(ids.CONSTRAINT, schema, name, parent=partition.name)
        return attrs.evolve(parent_index, id=oid, index_comment=None, **fields)
    assert isinstance(parent_index, model.Index)
    names = _element_names(parent_index.elements, parent_index.include)
    name = choose_name(
        partition.name,
        column_name_addition(names),
        "idx",
        lambda n: ctx.relation_name_taken(schema, n),
    )
    return attrs.evolve(
        parent_index,
        id=ObjectId(ids.INDEX, schema, name),
        only=sub_partitioned,
        statistics=(),
        **fields,
    )


def _constraint_index_name(
    ctx: BuildContext, schema: str, table: str, constraint: model.Constraint
) -> str:
    """ChooseIndexName for a constraint's index: ``t_pkey``, ``t_<cols>_key``,
    ``t_<cols>_excl``, free among relations and constraints of the schema."""

    def taken(name: str) -> bool:
        return ctx.relation_name_taken(schema, name) or ctx.constraint_name_taken(schema, name)

    if constraint.type == model.Constraint.PRIMARY_KEY:
        return choose_name(table, None, "pkey", taken)
    elements = constraint.elements or tuple(
        model.IndexElement(column=c) for c in constraint.columns
    )
    names = _element_names(elements, constraint.include)
    label = "key" if constraint.type == model.Constraint.UNIQUE else "excl"
    return choose_name(table, column_name_addition(names), label, taken)


def _element_names(elements: Iterable[model.IndexElement], include: Iterable[str]) -> list[str]:
    nodes: list[dict[str, Any]] = []
    for element in elements:
        if element.column is not None:
            nodes.append({"name": element.column})
        elif element.expression is not None:
            nodes.append({"expr": _raw_expression(element.expression.sql)})
        else:
            nodes.append({})
    nodes.extend({"name": column} for column in include)
    return index_column_names(nodes)


def _raw_expression(sql: str) -> dict[str, Any]:
    """The parse node of an expression printed back, to name it as FigureColname does."""
    try:
        tree = json.loads(parse_sql_json(f"SELECT {sql}"))
        node: dict[str, Any] = tree["stmts"][0]["stmt"]["SelectStmt"]["targetList"][0]
        return node["ResTarget"]["val"]  # type: ignore[no-any-return]
    except Exception:
        return {"A_Expr": {}}
