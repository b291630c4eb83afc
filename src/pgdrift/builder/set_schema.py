"""``ALTER ... SET SCHEMA``: an object moves to another schema with what PostgreSQL moves along
(docs: ALTER TABLE, "SET SCHEMA": "associated indexes, constraints, and sequences owned by
table columns are moved as well"), and every reference by OID follows: foreign keys, owned
sequences' ``nextval`` defaults, columns of a moved type, casts and calls in expressions.

A view or rule whose query names a moved table is not rewritten (as for RENAME): the
statement is kept as not modelled rather than read wrongly.
"""

from __future__ import annotations

from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder.acl import find_type, routine_id, target_id
from pgdrift.builder.call_signatures import rewrite_calls
from pgdrift.builder.context import BuildContext
from pgdrift.builder.extension_schema import move_extension
from pgdrift.builder.nodes import Node
from pgdrift.builder.operators import move_operator, operators_follow
from pgdrift.builder.query_relation_renames import follow_relation_rename, names_relation
from pgdrift.builder.references import (
    renamed_routine_texts,
    replace_references,
    rewrite_fields,
    row_type_renamed,
    type_renamed,
)
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.rename_collation import move_collation
from pgdrift.builder.rename_objects import MOVABLE, move_object, object_named
from pgdrift.builder.renames import follow_sequence
from pgdrift.errors import DuplicateObjectError, UndefinedObjectError
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.pg.messages import does_not_exist
from pgdrift.pg.quoting import join_qualified_name

__all__: list[str] = []

_RELATIONS = {
    "OBJECT_TABLE": (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW, ids.SEQUENCE),
    "OBJECT_FOREIGN_TABLE": (ids.FOREIGN_TABLE,), "OBJECT_VIEW": (ids.VIEW,),
    "OBJECT_MATVIEW": (ids.MATERIALIZED_VIEW,), "OBJECT_SEQUENCE": (ids.SEQUENCE,),
}  # fmt: skip
_ROUTINES = {"OBJECT_FUNCTION": ids.FUNCTION, "OBJECT_PROCEDURE": ids.PROCEDURE,
             "OBJECT_AGGREGATE": ids.AGGREGATE, "OBJECT_ROUTINE": None}  # fmt: skip
_TABLE_PARTS = (ids.CONSTRAINT, ids.TRIGGER, ids.POLICY, ids.RULE, ids.COLUMN)
_QUERIES = (model.View, model.MaterializedView, model.Rule)


def _span(ctx: BuildContext) -> Any:
    return ctx.statement.span if ctx.statement else None


@handles("AlterObjectSchemaStmt")
def build_set_schema(ctx: BuildContext, node: Node) -> None:
    objtype: str = node["objectType"]
    new_schema: str = node["newschema"]
    if objtype in _RELATIONS:
        schema, name = ctx.relation(node["relation"])
        found = [ObjectId(k, schema, name) for k in _RELATIONS[objtype]]
        oid = next((o for o in found if o in ctx.objects), found[0])
        what = f'relation "{name}"'
    elif objtype in ("OBJECT_TYPE", "OBJECT_DOMAIN"):
        schema, name = ctx.qualified(node["object"]["List"]["items"])
        oid = find_type(ctx, schema, name)
        what = f'type "{schema}.{name}"'
    elif objtype in _ROUTINES:
        oid = routine_id(ctx, _ROUTINES[objtype], node["object"]["ObjectWithArgs"])
        what = f"function {oid.schema}.{oid.name}({', '.join(oid.args or ())})"
    elif objtype == "OBJECT_EXTENSION":
        move_extension(ctx, node)
        return
    elif objtype == "OBJECT_COLLATION":
        schema, name = ctx.qualified(node["object"]["List"]["items"])
        oid = ObjectId(ids.COLLATION, schema, name)
        what = f'collation "{schema}.{name}"'
    elif objtype in MOVABLE:
        oid = object_named(ctx, node, objtype)
        what = does_not_exist(oid).removesuffix(" does not exist")
    elif objtype == "OBJECT_OPERATOR":
        oid = target_id(ctx, objtype, node["object"])
        what = does_not_exist(oid).removesuffix(" does not exist")
    else:
        raise NotModelled(f"SET SCHEMA of {objtype.removeprefix('OBJECT_').lower()} objects")
    if oid not in ctx.objects:
        if node.get("missing_ok"):
            return
        raise UndefinedObjectError(f"{what} does not exist", span=_span(ctx))
    if ObjectId(ids.SCHEMA, None, new_schema) not in ctx.objects:
        raise UndefinedObjectError(f'schema "{new_schema}" does not exist', span=_span(ctx))
    if oid.schema == new_schema:
        # Moving an object into the schema it is in does nothing (checked on PostgreSQL 15,
        # for tables, views, functions, types, domains and extensions alike).
        return
    if oid.kind == ids.COLLATION:
        move_collation(ctx, oid, attrs.evolve(oid, schema=new_schema))
    elif objtype in MOVABLE:
        move_object(ctx, oid, attrs.evolve(oid, schema=new_schema))
    elif oid.kind == ids.OPERATOR:
        move_operator(ctx, oid, new_schema)
    elif oid.kind in ids.TYPE_KINDS:
        _move_type(ctx, oid, new_schema)
    elif oid.kind in ids.ROUTINE_KINDS:
        _move_routine(ctx, oid, new_schema)
    else:
        _move_relation(ctx, oid, new_schema)


def _move_relation(ctx: BuildContext, oid: ObjectId, new_schema: str) -> None:
    follow_relation_rename(ctx, oid, oid.name, schema=new_schema)  # views follow by OID
    for obj in ctx.objects.values():
        if isinstance(obj, _QUERIES) and any(names_relation(e, oid) for e in _queries(obj)):
            raise NotModelled(
                f"SET SCHEMA of {oid}, which {obj.id} names in its query: PostgreSQL follows "
                "it by OID; rewriting the query is not modelled yet"
            )
    old_schema = oid.schema
    moved = [oid]
    for other, obj in ctx.objects.items():
        part = (
            other.schema == old_schema and other.parent == oid.name and other.kind in _TABLE_PARTS
        )
        index = isinstance(obj, model.Index) and obj.table == oid
        owned = isinstance(obj, model.Sequence) and any(
            column is not None and (column.schema, column.parent) == (old_schema, oid.name)
            for column in (obj.owned_by, obj.identity_of)
        )
        if part or index or owned:
            moved.append(other)
    relation = ctx.objects[oid]
    moved += [c.id for c in getattr(relation, "columns", {}).values()]
    moved += [k for k in ctx.acl_ops if k.kind == ids.COLUMN and k.schema == old_schema
              and k.parent == oid.name]  # fmt: skip
    for other in moved:
        taken = other.kind in (*_RELATIONS["OBJECT_TABLE"], ids.INDEX) or (
            other.kind == ids.CONSTRAINT and ctx.find_index(new_schema, other.name) is not None
        )
        if taken and ctx.relation_name_taken(new_schema, other.name):
            raise DuplicateObjectError(
                f'relation "{other.name}" already exists in schema "{new_schema}"',
                span=_span(ctx),
            )
    mapping = {other: attrs.evolve(other, schema=new_schema) for other in moved}
    for sequence in [o for o in moved if o.kind == ids.SEQUENCE]:
        follow_sequence(ctx, sequence, sequence.name, new_schema)
    replace_references(ctx, mapping)
    # The relation's row type moves with it: signatures and columns of that type follow.
    row_type_renamed(ctx, (old_schema or "", oid.name), (new_schema, oid.name))


def _move_type(ctx: BuildContext, oid: ObjectId, new_schema: str) -> None:
    old_schema = oid.schema or ctx.creation_schema
    if ctx.get(find_type(ctx, new_schema, oid.name)) is not None:
        raise DuplicateObjectError(
            f'type "{oid.name}" already exists in schema "{new_schema}"', span=_span(ctx)
        )
    signatures, retype = type_renamed(ctx, (old_schema, oid.name), (new_schema, oid.name))
    mapping = {oid: attrs.evolve(oid, schema=new_schema), **signatures}

    def move_casts(expr: Expr) -> Expr:
        return _requalify(
            ctx,
            expr,
            node="TypeName",
            field="names",
            old_schema=old_schema,
            name=oid.name,
            new=new_schema,
        )

    replace_references(ctx, mapping, types=retype, exprs=move_casts)


def _move_routine(ctx: BuildContext, oid: ObjectId, new_schema: str) -> None:
    old_schema = oid.schema or ctx.creation_schema
    new = attrs.evolve(oid, schema=new_schema)
    if any(attrs.evolve(new, kind=kind) in ctx.objects for kind in ids.ROUTINE_KINDS):
        raise DuplicateObjectError(
            f"function {oid.name}({', '.join(oid.args or ())}) already exists in schema "
            f'"{new_schema}"',
            span=_span(ctx),
        )
    overloads = [o for o in ctx.objects.of_kind(*ids.ROUTINE_KINDS) if o.schema == old_schema
                 and o.name == oid.name and o != oid]  # fmt: skip

    bare_ok = old_schema in ctx.search_path or old_schema == ctx.creation_schema
    target = (("String", (("sval", new_schema),)), ("String", (("sval", oid.name),)))

    def move_calls(expr: Expr) -> Expr:
        return rewrite_calls(
            expr, ctx.objects[oid], [ctx.objects[o] for o in overloads],
            lambda names: target if _names(names, old_schema, oid.name, bare_ok) else names,
            f"SET SCHEMA of {oid}",
        )  # fmt: skip

    old_text = join_qualified_name([old_schema, oid.name])
    new_text = join_qualified_name([new_schema, oid.name])
    replace_references(ctx, {oid: new}, exprs=move_calls)
    # Triggers and aggregates name the routine without its arguments: a trigger's takes
    # none; an aggregate's support function is followed where it has no overload.
    renamed_routine_texts(ctx, lambda text: new_text if text == old_text else text,
                          triggers=not oid.args, aggregates=not overloads)  # fmt: skip
    operators_follow(ctx, oid, new)




def _requalify(
    ctx: BuildContext, expr: Expr, *, node: str, field: str, old_schema: str, name: str, new: str
) -> Expr:
    """``expr`` with each ``node`` whose ``field`` names ``old_schema.name`` (or a bare
    ``name`` the search_path finds there) naming ``new.name``."""
    bare_ok = old_schema in ctx.search_path or old_schema == ctx.creation_schema
    target = (("String", (("sval", new),)), ("String", (("sval", name),)))

    def move(names: Any) -> Any:
        return target if _names(names, old_schema, name, bare_ok) else names

    return rewrite_fields(expr, {node: (field, move)})


def _names(names: Any, schema: str, name: str, bare_ok: bool) -> bool:
    parts = [dict(n[1]).get("sval") if n[0] == "String" else None for n in names]
    return parts == [schema, name] or (parts == [name] and bare_ok)


def _queries(obj: model.DbObject) -> list[Expr]:
    if isinstance(obj, (model.View, model.MaterializedView)):
        return [obj.query]
    if isinstance(obj, model.Rule):
        return [e for e in (obj.where, *obj.actions) if e is not None]
    return []
