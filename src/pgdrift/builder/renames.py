"""RENAME of relations, columns and constraints (``ALTER TABLE/INDEX/VIEW/SEQUENCE ... RENAME``).

PostgreSQL refers to objects by OID, so a rename reaches everything that uses the object:
the table's constraints, indexes, triggers, policies and sequences, the foreign keys that
reference it, its column grants (docs: ALTER TABLE, "RENAME"). The model refers by name, so
each such reference is rewritten here. A view or rule whose query names the renamed object is
not rewritten (PostgreSQL prints it afterwards with aliases pgdrift does not reproduce yet):
such a RENAME is kept as not modelled rather than read wrongly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder import composite_attributes
from pgdrift.builder.catalogue import query_expressions
from pgdrift.builder.context import BuildContext
from pgdrift.builder.inheritance import rename_column_in_children
from pgdrift.builder.nodes import Node
from pgdrift.builder.partitions import rename_column_down
from pgdrift.builder.query_relation_renames import follow_relation_rename, names_relation
from pgdrift.builder.query_renames import rename_column_in_query
from pgdrift.builder.references import (
    RENAMERS,
    replace_references,
    rewrite_fields,
    row_type_renamed,
)
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.stored_exprs import from_source
from pgdrift.builder.view_columns import rename_view_column
from pgdrift.errors import DuplicateObjectError, UndefinedObjectError
from pgdrift.expr import Expr, walk
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident, split_qualified_name

__all__: list[str] = []

_RELATION_KINDS = {
    "OBJECT_TABLE": (ids.TABLE,), "OBJECT_VIEW": (ids.VIEW,),
    "OBJECT_MATVIEW": (ids.MATERIALIZED_VIEW,), "OBJECT_SEQUENCE": (ids.SEQUENCE,),
    "OBJECT_FOREIGN_TABLE": (ids.FOREIGN_TABLE,), "OBJECT_INDEX": (ids.INDEX,),
}  # fmt: skip
# ALTER TABLE may rename any relation but an index (PostgreSQL's RenameRelation).
_ANY_RELATION = (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW, ids.SEQUENCE)
_CHILD_KINDS = (ids.CONSTRAINT, ids.TRIGGER, ids.POLICY, ids.RULE)
_QUERIES = (model.View, model.MaterializedView, model.Rule)
_INDEX_BACKED = (model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE, model.Constraint.EXCLUSION)


def _span(ctx: BuildContext) -> Any:
    return ctx.statement.span if ctx.statement else None


@handles("RenameStmt")
def build_rename(ctx: BuildContext, node: Node) -> None:
    rename_type = node["renameType"]
    if rename_type in _RELATION_KINDS:
        _rename_relation(ctx, node, rename_type)
    elif rename_type == "OBJECT_COLUMN":
        rename_column_down(ctx, node, _rename_column)  # partitions first, as PostgreSQL
        _rename_column_in_children(ctx, node)
        _rename_column(ctx, node)
    elif rename_type == "OBJECT_TABCONSTRAINT":
        _rename_constraint(ctx, node)
    elif rename_type == "OBJECT_ATTRIBUTE":
        composite_attributes.rename_attribute(ctx, node, _rename_typed_table_column)
    elif rename_type in RENAMERS:
        RENAMERS[rename_type](ctx, node)
    else:
        raise NotModelled(f"RENAME of {rename_type.removeprefix('OBJECT_').lower()} objects")


def _find(ctx: BuildContext, node: Node, kinds: tuple[str, ...]) -> ObjectId | None:
    schema, name = ctx.relation(node["relation"])
    for kind in kinds:
        oid = ObjectId(kind, schema, name)
        if oid in ctx.objects:
            return oid
    if ids.INDEX in kinds:
        return ctx.find_index(schema, name)
    return None


def _missing(ctx: BuildContext, node: Node, what: str) -> None:
    schema, name = ctx.relation(node["relation"])
    raise UndefinedObjectError(f"{what}: relation {schema}.{name} does not exist", span=_span(ctx))


def _rename_relation(ctx: BuildContext, node: Node, rename_type: str) -> None:
    kinds = _ANY_RELATION if rename_type == "OBJECT_TABLE" else _RELATION_KINDS[rename_type]
    oid = _find(ctx, node, kinds)
    if oid is None:
        if node.get("missing_ok"):
            return
        _missing(ctx, node, "RENAME")
        return
    if oid.kind == ids.CONSTRAINT:  # ALTER INDEX renames a constraint's index: both names
        _rename_constraint_id(ctx, oid, node["newname"])
        return
    new_name: str = node["newname"]
    schema = oid.schema or ctx.creation_schema
    if ctx.relation_name_taken(schema, new_name):
        raise DuplicateObjectError(
            f"RENAME: relation {schema}.{new_name} already exists", span=_span(ctx)
        )
    follow_relation_rename(ctx, oid, new_name)
    _refuse_named_in_expressions(ctx, oid, lambda e: names_relation(e, oid))
    mapping = {oid: attrs.evolve(oid, name=new_name)}
    for other in ctx.objects:
        if (
            other.schema == oid.schema
            and other.parent == oid.name
            and (other.kind in (*_CHILD_KINDS, ids.COLUMN))
        ):
            mapping[other] = attrs.evolve(other, parent=new_name)
    relation = ctx.objects[oid]
    if oid.kind == ids.SEQUENCE:
        _rename_sequence_uses(ctx, oid, new_name)
    elif oid.kind == ids.INDEX and isinstance(relation, model.Index):
        table = ctx.objects.get(relation.table)
        if isinstance(table, model.Table):
            ctx.objects[relation.table] = attrs.evolve(
                table,
                clustered_on=new_name if table.clustered_on == oid.name else table.clustered_on,
                replica_identity_index=new_name
                if table.replica_identity_index == oid.name
                else table.replica_identity_index,
            )
    for column in getattr(relation, "columns", {}).values():
        mapping[column.id] = attrs.evolve(column.id, parent=new_name)
    for key in ctx.acl_ops:
        if key.kind == ids.COLUMN and key.schema == oid.schema and key.parent == oid.name:
            mapping[key] = attrs.evolve(key, parent=new_name)
    replace_references(ctx, mapping)
    # The relation's row type is renamed with it: signatures and columns of that type follow.
    row_type_renamed(ctx, (schema, oid.name), (schema, new_name))


def _rename_sequence_uses(
    ctx: BuildContext, sequence: ObjectId, new_name: str, new_schema: str | None = None
) -> None:
    """Column defaults name a sequence in a string (``nextval('public.s'::regclass)``) that
    PostgreSQL stores as the sequence's OID and prints with its current name (and schema)."""
    new_text = f"{quote_ident(new_schema or sequence.schema or '')}.{quote_ident(new_name)}"

    def follow(text: str) -> str:
        parts = split_qualified_name(text, fold_case=True)
        if (
            parts
            and parts[-1] == sequence.name
            and (len(parts) == 1 or parts[-2] == sequence.schema)
        ):
            return new_text
        return text

    def default(expr: Expr | None) -> Expr | None:
        if expr is None or not any(
            n == "FuncCall" and _parts(dict(f).get("funcname", ()))[-1:] == ["nextval"]
            for n, f in walk(expr.tree)
        ):
            return expr
        return rewrite_fields(expr, {"String": ("sval", follow)})

    for oid, obj in list(ctx.objects.items()):
        if isinstance(obj, model.Table):
            columns = tuple(
                attrs.evolve(c, default=default(c.default)) for c in obj.columns.ordered
            )
            if any(
                a.default is not b.default
                for a, b in zip(columns, obj.columns.ordered, strict=True)
            ):
                ctx.objects[oid] = attrs.evolve(obj, columns=model.Columns(columns))


def _rename_constraint(ctx: BuildContext, node: Node) -> None:
    table = _find(ctx, node, (ids.TABLE, ids.FOREIGN_TABLE))
    if table is None:
        if node.get("missing_ok"):
            return
        _missing(ctx, node, "RENAME CONSTRAINT")
        return
    oid = ObjectId(ids.CONSTRAINT, table.schema, node["subname"], parent=table.name)
    if oid not in ctx.objects:
        raise UndefinedObjectError(
            f"RENAME CONSTRAINT: constraint {oid.name!r} of {table} does not exist",
            span=_span(ctx),
        )
    _rename_constraint_id(ctx, oid, node["newname"])


def _rename_constraint_id(ctx: BuildContext, oid: ObjectId, new_name: str) -> None:
    schema = oid.schema or ctx.creation_schema
    constraint = ctx.objects[oid]
    backed = isinstance(constraint, model.Constraint) and constraint.type in _INDEX_BACKED
    if ObjectId(ids.CONSTRAINT, oid.schema, new_name, parent=oid.parent) in ctx.objects or (
        backed and ctx.relation_name_taken(schema, new_name)
    ):
        raise DuplicateObjectError(
            f"RENAME CONSTRAINT: {new_name!r} already exists for {oid.parent}", span=_span(ctx)
        )
    replace_references(ctx, {oid: attrs.evolve(oid, name=new_name)})
    if ctx.constraint_names.get((oid.schema, oid.name)) == oid:
        del ctx.constraint_names[(oid.schema, oid.name)]
    ctx.constraint_names[(oid.schema, new_name)] = attrs.evolve(oid, name=new_name)


def _rename_typed_table_column(ctx: BuildContext, table: ObjectId, node: Node) -> None:
    """RENAME ATTRIBUTE ... CASCADE renames the column of a typed table as RENAME COLUMN."""
    as_column = {**node, "relation": {"schemaname": table.schema, "relname": table.name}}
    _rename_column_in_children(ctx, as_column)
    _rename_column(ctx, as_column)


def _rename_column_in_children(ctx: BuildContext, node: Node) -> None:
    table = _find(ctx, node, (ids.TABLE,)) if from_source(ctx) else None
    if table is not None:
        rename_column_in_children(ctx, table, node, _rename_column)


def _rename_column(ctx: BuildContext, node: Node) -> None:
    table = _find(ctx, node, _ANY_RELATION)
    if table is None:
        if node.get("missing_ok"):
            return
        _missing(ctx, node, "RENAME COLUMN")
        return
    old: str = node["subname"]
    new: str = node["newname"]
    if table.kind in (ids.VIEW, ids.MATERIALIZED_VIEW):
        rename_view_column(ctx, table, old, new)
        # Views over the view refer to its column by number too, as to a table's.
        _rename_in_view_queries(ctx, table, old, new)
        return
    relation = ctx.require_column(table, old)
    columns: model.Columns = relation.columns  # type: ignore[attr-defined]
    if new in columns:
        raise DuplicateObjectError(
            f"RENAME COLUMN: column {new!r} of {table} already exists", span=_span(ctx)
        )
    if not isinstance(relation, model.Table):
        raise NotModelled(f"RENAME COLUMN of a {table.kind.replace('_', ' ')}")
    _refuse_named_in_expressions(
        ctx, table, lambda e: _names_column(e, table.name, old, bare=False), rules_only=True
    )
    _rename_in_view_queries(ctx, table, old, new)

    def rename_refs(expr: Expr | None) -> Expr | None:
        return _rewrite_column_refs(expr, table.name, old, new)

    def names(values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if value == old else value for value in values)

    renamed = tuple(
        attrs.evolve(
            c,
            id=attrs.evolve(c.id, name=new) if c.name == old else c.id,
            default=rename_refs(c.default),
            generated=rename_refs(c.generated),
        )
        for c in columns.ordered
    )
    key = relation.partition_key
    if key is not None:  # the partition key names the column by number, so it follows
        key = _rename_in_part(key, names, rename_refs)
    ctx.objects[table] = attrs.evolve(relation, columns=model.Columns(renamed), partition_key=key)
    for oid in ctx.objects.linked_to(table):
        obj = ctx.objects[oid]
        if getattr(obj, "table", None) == table:
            ctx.objects[oid] = _rename_in_part(obj, names, rename_refs)
        elif isinstance(obj, model.Constraint) and obj.references == table:
            ctx.objects[oid] = attrs.evolve(obj, referenced_columns=names(obj.referenced_columns))
    # A publication's column list and row filter name the column by number
    # (pg_publication_rel.prattrs, prqual): they show the new name.
    for oid in ctx.objects.of_kind(ids.PUBLICATION):
        publication = ctx.objects[oid]
        assert isinstance(publication, model.Publication)
        if any(t.table == table for t in publication.tables):
            ctx.update(oid, tables=tuple(
                attrs.evolve(t, columns=names(t.columns), where=rename_refs(t.where))
                if t.table == table else t
                for t in publication.tables
            ))  # fmt: skip
    column = ObjectId(ids.COLUMN, table.schema, old, parent=table.name)
    # A column's id is held by its table and by the sequences it owns (serial, identity);
    # constraints, indexes and the rest name it, and were renamed above.
    replace_references(ctx, {column: attrs.evolve(column, name=new)},
                       within=[table, *ctx.objects.linked_to(column)])  # fmt: skip


def _rename_in_view_queries(ctx: BuildContext, table: ObjectId, old: str, new: str) -> None:
    """Views and materialized views whose query uses the column follow it (by number), and
    routines whose SQL-standard body does (stored parsed, as a view's query is)."""
    changed: dict[ObjectId, Any] = {}
    for oid in ctx.objects.naming(table.name):
        if oid == table:
            continue  # a recursive view names its own WITH RECURSIVE query, not itself
        obj = ctx.objects[oid]
        if isinstance(obj, (model.View, model.MaterializedView)) and obj.query is not None:
            query = rename_column_in_query(obj.query, table, old, new)
            if query is not obj.query:
                changed[oid] = attrs.evolve(obj, query=query)
        elif isinstance(obj, model.Function) and obj.sql_body is not None:
            body = rename_column_in_query(obj.sql_body, table, old, new)
            if body is not obj.sql_body:
                changed[oid] = attrs.evolve(obj, sql_body=body)
    for oid, obj in changed.items():  # all checked before any is changed
        ctx.objects[oid] = obj


def _rename_in_part(
    obj: Any,
    names: Callable[[tuple[str, ...]], tuple[str, ...]],
    refs: Callable[[Expr | None], Expr | None],
) -> Any:
    """A constraint, index, trigger, policy or statistics object of the table (or its
    partition key), with the column's new name wherever it names the column."""
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        if field.name in ("columns", "include", "update_columns", "on_delete_columns"):
            changes[field.name] = names(value)
        elif isinstance(value, Expr):
            changes[field.name] = refs(value)
        elif field.name == "elements":
            changes[field.name] = tuple(
                attrs.evolve(
                    e,
                    column=names((e.column,))[0] if e.column else e.column,
                    expression=refs(e.expression),
                )
                for e in value
            )
    return attrs.evolve(obj, **changes)


def _refuse_named_in_expressions(
    ctx: BuildContext, target: ObjectId, uses: Callable[[Expr], bool], *, rules_only: bool = False
) -> None:
    """A view or rule whose query names the renamed object keeps the statement unmodelled
    (``rules_only``: a rule's; views follow a renamed column, query_renames)."""
    # Either use (of the relation, of one of its columns) needs the query to name it.
    for oid in ctx.objects.naming(target.name):
        obj = ctx.objects[oid]
        if not isinstance(obj, model.Rule if rules_only else _QUERIES):
            continue
        if any(uses(q) for q in query_expressions(obj) if q is not None):
            raise NotModelled(
                f"RENAME of {target}, which {obj.id} names in its query: PostgreSQL follows "
                "it by OID; rewriting the query is not modelled yet"
            )


def _names_relation(expr: Expr, relation: ObjectId) -> bool:
    for name, fields in walk(expr.tree):
        if name == "RangeVar" and dict(fields).get("relname") == relation.name:
            return True
    return False


def _names_column(expr: Expr, table: str, column: str, *, bare: bool) -> bool:
    if not _names_relation(expr, ObjectId(ids.TABLE, None, table)):
        return False
    for name, fields in walk(expr.tree):
        if name == "ColumnRef":
            parts = _parts(dict(fields).get("fields", ()))
            if (parts and parts[-1] == column) or any(p == "*" for p in parts):
                return True
    return bare


def _parts(fields: Any) -> list[str]:
    result = []
    for item in fields:
        if isinstance(item, tuple) and item and item[0] == "String":
            result.append(dict(item[1]).get("sval", ""))
        elif isinstance(item, tuple) and item and item[0] == "A_Star":
            result.append("*")
    return result


def _rewrite_column_refs(expr: Expr | None, table: str, old: str, new: str) -> Expr | None:
    """``old`` and ``table.old`` (and ``NEW.old``/``OLD.old`` in a trigger's WHEN) become
    ``new`` in an expression of the table itself."""
    if expr is None:
        return None
    qualifiers = {table, "new", "old"}

    def rename(fields: Any) -> Any:
        parts = _parts(fields)
        if parts and parts[-1] == old and (len(parts) == 1 or parts[-2] in qualifiers):
            return _renamed_fields(fields, new)
        return fields

    return rewrite_fields(expr, {"ColumnRef": ("fields", rename)})


def _renamed_fields(fields: Any, new: str) -> Any:
    *head, last = fields
    return (*head, ("String", (("sval", new),)) if last[0] == "String" else last)


#: ``nextval('schema.seq'::regclass)`` defaults follow a sequence renamed or moved.
follow_sequence = _rename_sequence_uses
