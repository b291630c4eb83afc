"""RENAME of triggers, policies, rules, types (enums, domains, composite and range types) and
routines, followed as PostgreSQL follows them by OID (docs: ALTER TRIGGER, ALTER POLICY,
ALTER RULE, ALTER TYPE, ALTER DOMAIN, ALTER FUNCTION). Relations, columns and constraints are in
:mod:`pgdrift.builder.renames`.

A renamed type is renamed in every column, attribute, domain, routine signature and cast
(``'a'::public.mood``) that uses it; a renamed routine in the triggers and expressions that
call it. A PL/pgSQL body is text that PostgreSQL does not rewrite, nor does pgdrift.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder.acl import find_type, routine_id
from pgdrift.builder.call_signatures import rewrite_calls
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.operators import operators_follow
from pgdrift.builder.references import (
    RENAMERS,
    relabelled_by,
    renamed_casts,
    renamed_routine_texts,
    replace_references,
    rewrite_fields,
    type_renamed,
)
from pgdrift.builder.rename_collation import with_collation
from pgdrift.builder.rename_objects import mappings_follow
from pgdrift.builder.renames import follow_sequence
from pgdrift.builder.search_path import REG_KINDS
from pgdrift.errors import DuplicateObjectError, ModelError, UndefinedObjectError
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.pg.messages import already_exists, does_not_exist
from pgdrift.pg.quoting import join_qualified_name, quote_ident
from pgdrift.types import TypeRef

__all__: list[str] = []

_ROUTINE_KINDS = {"OBJECT_FUNCTION": ids.FUNCTION, "OBJECT_PROCEDURE": ids.PROCEDURE,
                  "OBJECT_AGGREGATE": ids.AGGREGATE, "OBJECT_ROUTINE": None}  # fmt: skip


def _span(ctx: BuildContext) -> Any:
    return ctx.statement.span if ctx.statement else None


def _renames(*rename_types: str) -> Callable[[Callable[[BuildContext, Node], None]], Any]:
    def register(func: Callable[[BuildContext, Node], None]) -> Any:
        for rename_type in rename_types:
            RENAMERS[rename_type] = func
        return func

    return register


# Triggers and policies: named per table ---------------------------------------------------------


# (kind, what is looked up, what already has the name) as PostgreSQL words it (trigger.c
# renametrig, policy.c rename_policy, rewriteDefine.c RenameRewriteRule).
_TABLE_CHILDREN = {
    "OBJECT_TRIGGER": (ids.TRIGGER, "trigger", "table", "relation"),
    "OBJECT_POLICY": (ids.POLICY, "policy", "table", "table"),
    "OBJECT_RULE": (ids.RULE, "rule", "relation", "relation"),
}


@_renames(*_TABLE_CHILDREN)
def rename_table_child(ctx: BuildContext, node: Node) -> None:
    """ALTER TRIGGER t ON tbl RENAME TO u, ALTER POLICY p ON tbl RENAME TO q, ALTER RULE r
    ON tbl RENAME TO s."""
    kind, word, missing_in, taken_in = _TABLE_CHILDREN[node["renameType"]]
    schema, table = ctx.relation(node["relation"])
    relation = ctx.find_relation(schema, table)
    ctx.require(relation, f"ALTER {word.upper()}")
    oid = ObjectId(kind, relation.schema, node["subname"], parent=relation.name)
    new = attrs.evolve(oid, name=node["newname"])
    if oid not in ctx.objects:
        raise UndefinedObjectError(
            f'{word} "{oid.name}" for {missing_in} "{table}" does not exist', span=_span(ctx)
        )
    if new in ctx.objects:
        raise DuplicateObjectError(
            f'{word} "{new.name}" for {taken_in} "{table}" already exists', span=_span(ctx)
        )
    replace_references(ctx, {oid: new})


# Types ----------------------------------------------------------------------------------------


@_renames("OBJECT_TYPE", "OBJECT_DOMAIN")
def rename_type(ctx: BuildContext, node: Node) -> None:
    """ALTER TYPE/DOMAIN t RENAME TO u: the type and its array type; every use follows."""
    schema, name = ctx.qualified(node["object"]["List"]["items"])
    oid = find_type(ctx, schema, name)
    if oid not in ctx.objects:
        if node.get("missing_ok"):
            return
        raise UndefinedObjectError(f'type "{schema}.{name}" does not exist', span=_span(ctx))
    if oid.kind in (ids.TABLE, ids.VIEW):
        # The row type of a table is renamed with the table (ALTER TABLE ... RENAME).
        raise ModelError(f"{schema}.{name} is a table's row type", span=_span(ctx))
    new_name: str = node["newname"]
    if ctx.get(find_type(ctx, schema, new_name)) is not None or ctx.relation_name_taken(
        schema, new_name
    ):
        raise DuplicateObjectError(f'type "{new_name}" already exists', span=_span(ctx))
    signatures, retype = type_renamed(ctx, (schema, name), (schema, new_name))

    def rename_in_tree(expr: Expr) -> Expr:
        return _rewrite_names(
            ctx, expr, node="TypeName", field="names", schema=schema, old=name, new=new_name
        )

    mapping = {oid: attrs.evolve(oid, name=new_name), **signatures}
    replace_references(ctx, mapping, types=retype, exprs=rename_in_tree)


# Routines ---------------------------------------------------------------------------------------


@_renames(*_ROUTINE_KINDS)
def rename_routine(ctx: BuildContext, node: Node) -> None:
    """ALTER FUNCTION/PROCEDURE/AGGREGATE/ROUTINE f(args) RENAME TO g: the triggers and
    expressions that call it follow."""
    owa = node["object"]["ObjectWithArgs"]
    oid = routine_id(ctx, _ROUTINE_KINDS[node["renameType"]], owa)
    if oid not in ctx.objects:
        if node.get("missing_ok"):
            return
        raise UndefinedObjectError(
            f"function {oid.schema}.{oid.name}({', '.join(oid.args or ())}) does not exist",
            span=_span(ctx),
        )
    schema = oid.schema or ctx.creation_schema
    new = attrs.evolve(oid, name=node["newname"])
    if any(attrs.evolve(new, kind=kind) in ctx.objects for kind in ids.ROUTINE_KINDS):
        raise DuplicateObjectError(
            f'function {new.name}({", ".join(new.args or ())}) already exists in schema "{schema}"',
            span=_span(ctx),
        )
    overloads = [o for o in ctx.objects.of_kind(*ids.ROUTINE_KINDS) if o.schema == schema
                 and o.name == oid.name and o != oid]  # fmt: skip

    bare_ok = schema in ctx.search_path or schema == ctx.creation_schema

    def rename_in_tree(expr: Expr) -> Expr:
        return rewrite_calls(
            expr, ctx.objects[oid], [ctx.objects[o] for o in overloads],
            lambda names: _renamed(names, schema, oid.name, new.name, bare_ok),
            f"RENAME of {oid}",
        )  # fmt: skip

    old_text = join_qualified_name([schema, oid.name])
    new_text = join_qualified_name([schema, new.name])
    replace_references(ctx, {oid: new}, exprs=rename_in_tree)
    # Triggers and aggregates name the routine without its arguments: a trigger's takes
    # none; an aggregate's support function is followed where it has no overload.
    renamed_routine_texts(ctx, lambda text: new_text if text == old_text else text,
                          triggers=not oid.args, aggregates=not overloads)  # fmt: skip
    operators_follow(ctx, oid, new)


# Schemas ----------------------------------------------------------------------------------------


@_renames("OBJECT_SCHEMA")
def rename_schema(ctx: BuildContext, node: Node) -> None:
    """ALTER SCHEMA s RENAME TO t: every object in it, and every reference to one of them by
    name (types, signatures, casts, calls, relations in queries, ``nextval`` defaults, trigger
    functions, default privileges, publications, extensions), follows."""
    old: str = node["subname"]
    new: str = node["newname"]
    oid = ObjectId(ids.SCHEMA, None, old)
    if oid not in ctx.objects:
        raise UndefinedObjectError(does_not_exist(oid), span=_span(ctx))
    if ObjectId(ids.SCHEMA, None, new) in ctx.objects:
        raise DuplicateObjectError(already_exists(ObjectId(ids.SCHEMA, None, new)), span=_span(ctx))
    old_prefix, new_prefix = f"{quote_ident(old)}.", f"{quote_ident(new)}."

    def moved_text(text: str) -> str:
        return new_prefix + text[len(old_prefix) :] if text.startswith(old_prefix) else text

    for sequence in [o for o in ctx.objects if o.kind == ids.SEQUENCE and o.schema == old]:
        follow_sequence(ctx, sequence, sequence.name, new)
    mapping: dict[ObjectId, ObjectId] = {oid: attrs.evolve(oid, name=new)}
    columns = [c.id for o in ctx.objects.values() if o.id.schema == old
               and isinstance(o, (model.Table, model.CompositeType))
               for c in o.columns.ordered]  # fmt: skip
    for other in [*ctx.objects, *ctx.acl_ops, *columns]:
        if other.schema == old or (
            other.args and any(a.startswith(old_prefix) for a in other.args)
        ):
            mapping[other] = attrs.evolve(
                other,
                schema=new if other.schema == old else other.schema,
                args=tuple(moved_text(a) for a in other.args) if other.args else other.args,
            )
        elif other.kind == ids.DEFAULT_PRIVILEGES and f":{old}:" in other.name:
            role, _, object_type = other.name.split(":")
            mapping[other] = attrs.evolve(other, name=f"{role}:{new}:{object_type}")

    def retype(ref: TypeRef) -> TypeRef:
        return attrs.evolve(ref, schema=new) if ref.schema == old else ref

    def move_names(expr: Expr) -> Expr:
        moved = _moved_tree(expr, old, new)
        # 'old.docs'::regconfig names an object of the schema by OID: its new name shows.
        for reg_type in REG_KINDS:
            moved = relabelled_by(moved, ("pg_catalog", reg_type), moved_text)
        return moved

    mapping.update(renamed_casts(ctx, retype))
    replace_references(ctx, mapping, types=retype, exprs=move_names)
    renamed_routine_texts(ctx, moved_text)
    mappings_follow(ctx, moved_text)
    for other, found in list(ctx.objects.items()):
        obj = with_collation(found, moved_text)  # of columns, domains, index keys...
        changes: dict[str, Any] = {}
        if isinstance(obj, (model.DefaultPrivileges, model.Extension)) and obj.in_schema == old:
            changes["in_schema"] = new
        if isinstance(obj, model.Publication) and old in obj.schemas:
            changes["schemas"] = tuple(sorted(new if s == old else s for s in obj.schemas))
        if changes:
            obj = attrs.evolve(obj, **changes)
        if obj is not found:
            ctx.objects[other] = obj
    ctx.search_path = [new if s == old else s for s in ctx.search_path]


def _moved_tree(expr: Expr, old: str, new: str) -> Expr:
    """``expr`` with its schema-qualified names in ``old`` (relations, types, functions,
    operators) naming ``new``."""

    def names(value: Any) -> Any:
        return _moved_names(value, old, new)

    return rewrite_fields(expr, {
        "RangeVar": ("schemaname", lambda schema: new if schema == old else schema),
        "TypeName": ("names", names), "FuncCall": ("funcname", names), "A_Expr": ("name", names),
        "CollateClause": ("collname", names),
        # CREATE OPERATOR's own name, and the operators it names (COMMUTATOR = OPERATOR(s.~=)).
        "DefineStmt": ("defnames", names), "List": ("items", names),
    })  # fmt: skip


def _moved_names(names: Any, old: str, new: str) -> Any:
    if len(names) >= 2 and names[0] == ("String", (("sval", old),)):
        return (("String", (("sval", new),)), *names[1:])
    return names


# Expression trees ---------------------------------------------------------------------------------


def _rewrite_names(
    ctx: BuildContext, expr: Expr, *, node: str, field: str, schema: str, old: str, new: str
) -> Expr:
    """``expr`` with every ``node`` (TypeName, FuncCall) whose ``field`` names ``schema.old``
    (or bare ``old``, when ``schema`` is where the search_path finds it) naming ``new``."""
    bare_ok = schema in ctx.search_path or schema == ctx.creation_schema
    return rewrite_fields(
        expr, {node: (field, lambda names: _renamed(names, schema, old, new, bare_ok))}
    )


def _renamed(names: Any, schema: str, old: str, new: str, bare_ok: bool) -> Any:
    parts = [dict(n[1]).get("sval") if n[0] == "String" else None for n in names]
    matches = parts[-1:] == [old] and (
        (len(parts) >= 2 and parts[-2] == schema) or (len(parts) == 1 and bare_ok)
    )
    if not matches:
        return names
    return (*names[:-1], ("String", (("sval", new),)))
