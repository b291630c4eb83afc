"""``CREATE TABLE t (LIKE source [INCLUDING | EXCLUDING ...])`` (docs: CREATE TABLE, LIKE).

The new table gets the source's column names, types, collations and NOT NULL, always; the
rest only as an ``INCLUDING`` option says: defaults, generation expressions, identity (with a
sequence of its own), CHECK constraints (under their names), indexes and PRIMARY KEY / UNIQUE
/ EXCLUDE constraints (named for the new table), comments, storage and compression. Foreign
keys are never copied. The copy is independent of the source: the columns are the new
table's own, and pg_dump writes them as such.
"""

from __future__ import annotations

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.partitions import copy_index
from pgdrift.builder.registry import NotModelled
from pgdrift.builder.serial import sequence_name
from pgdrift.ids import ObjectId

__all__ = ["copy_like_objects", "like_columns"]

# CREATE_TABLE_LIKE_* bits of TableLikeClause.options (parsenodes.h, PostgreSQL 15).
_COMMENTS = 1 << 0
_COMPRESSION = 1 << 1
_CONSTRAINTS = 1 << 2
_DEFAULTS = 1 << 3
_GENERATED = 1 << 4
_IDENTITY = 1 << 5
_INDEXES = 1 << 6
_STORAGE = 1 << 8

#: A LIKE clause read while the columns are collected: (source table, options bits).
Like = tuple[model.Table, int]


def like_columns(
    ctx: BuildContext, table: ObjectId, node: Node, likes: list[Like]
) -> list[model.Column]:
    """The columns ``LIKE`` puts where it stands in the column list; the clause is kept in
    ``likes`` for :func:`copy_like_objects`, once the table exists."""
    source = ctx.require(ctx.relation_id(node["relation"]), "CREATE TABLE LIKE")
    if not isinstance(source, model.Table):
        raise NotModelled(f"LIKE {source.id}: only tables are modelled as a LIKE source")
    options = int(node.get("options", 0))
    likes.append((source, options))
    schema = table.schema or ctx.creation_schema
    columns = []
    for column in source.columns.ordered:
        identity = None
        if options & _IDENTITY and column.identity is not None:
            sequence = sequence_name(ctx, schema, table.name, column.name)
            identity = attrs.evolve(
                column.identity, sequence=ObjectId(ids.SEQUENCE, schema, sequence)
            )
        columns.append(
            model.Column(
                id=ObjectId(ids.COLUMN, table.schema, column.name, parent=table.name),
                type=column.type,
                not_null=column.not_null,
                collation=column.collation,
                default=column.default if options & _DEFAULTS else None,
                generated=column.generated if options & _GENERATED else None,
                identity=identity,
                storage=column.storage if options & _STORAGE else None,
                compression=column.compression if options & _COMPRESSION else None,
                comment=column.comment if options & _COMMENTS else None,
                **ctx.span_fields(),
            )
        )
    return columns


def copy_like_objects(ctx: BuildContext, table: ObjectId, likes: list[Like]) -> None:
    """What ``INCLUDING CONSTRAINTS`` and ``INCLUDING INDEXES`` copy onto the new table."""
    for source, options in likes:
        owned = [
            obj
            for obj in ctx.objects.values()
            if isinstance(obj, model.Index | model.Constraint) and obj.table == source.id
        ]
        comments = bool(options & _COMMENTS)
        for obj in owned:
            if (
                options & _CONSTRAINTS
                and isinstance(obj, model.Constraint)
                and obj.type == model.Constraint.CHECK
            ):
                oid = ObjectId(ids.CONSTRAINT, table.schema, obj.name, parent=table.name)
                ctx.add(
                    attrs.evolve(
                        obj,
                        id=oid,
                        table=table,
                        comment=obj.comment if comments else None,
                        **ctx.span_fields(),
                    )
                )
        if not options & _INDEXES:
            continue
        for obj in owned:
            if isinstance(obj, model.Index) or (
                isinstance(obj, model.Constraint)
                and obj.type not in (model.Constraint.FOREIGN_KEY, model.Constraint.CHECK)
            ):
                copy = copy_index(ctx, obj, table)
                if comments and isinstance(obj, model.Index):
                    copy = attrs.evolve(copy, comment=obj.comment)
                elif comments and isinstance(obj, model.Constraint):
                    copy = attrs.evolve(copy, index_comment=obj.index_comment)  # type: ignore[call-arg]
                if isinstance(copy, model.Index):
                    copy = attrs.evolve(copy, only=False)
                ctx.add(copy)
