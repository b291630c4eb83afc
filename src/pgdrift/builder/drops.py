"""DROP statements, applied to the catalogue as PostgreSQL applies them.

A DROP removes the object and what PostgreSQL removes with it (see
:mod:`pgdrift.builder.dependents`); RESTRICT, the default, refuses while other objects depend
on it, naming them.
``DROP ... IF EXISTS`` of an object not defined is a no-op: ``pg_dump --clean --if-exists``
starts with one for every object the script creates further down.
"""

from __future__ import annotations

from pgdrift import ids
from pgdrift.builder.acl import target_id
from pgdrift.builder.alter_columns import drop_column
from pgdrift.builder.context import BuildContext
from pgdrift.builder.dependents import drop_object, parts_dropped_with
from pgdrift.builder.nodes import Node
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.errors import DependentObjectsError, ModelError, UndefinedObjectError
from pgdrift.ids import ObjectId

__all__ = ["build_drop"]

# DROP <kind>: what the statement calls the object, for messages.
_DROP_WORDS = {
    "OBJECT_TABLE": "DROP TABLE", "OBJECT_VIEW": "DROP VIEW", "OBJECT_INDEX": "DROP INDEX",
    "OBJECT_SEQUENCE": "DROP SEQUENCE", "OBJECT_MATVIEW": "DROP MATERIALIZED VIEW",
    "OBJECT_FOREIGN_TABLE": "DROP FOREIGN TABLE", "OBJECT_TYPE": "DROP TYPE",
    "OBJECT_DOMAIN": "DROP DOMAIN", "OBJECT_SCHEMA": "DROP SCHEMA",
    "OBJECT_FUNCTION": "DROP FUNCTION", "OBJECT_PROCEDURE": "DROP PROCEDURE",
    "OBJECT_AGGREGATE": "DROP AGGREGATE", "OBJECT_ROUTINE": "DROP ROUTINE",
    "OBJECT_TRIGGER": "DROP TRIGGER", "OBJECT_POLICY": "DROP POLICY", "OBJECT_RULE": "DROP RULE",
}  # fmt: skip
# Statement kinds whose objects are not in the model at all.
_NOT_MODELLED = frozenset({"OBJECT_LARGEOBJECT"})


@handles("DropStmt")
def build_drop(ctx: BuildContext, node: Node) -> None:
    remove_type: str = node["removeType"]
    what = _DROP_WORDS.get(remove_type, "DROP " + remove_type.removeprefix("OBJECT_"))
    if remove_type in _NOT_MODELLED:
        raise NotModelled(f"{what} is not modelled")
    cascade = node.get("behavior") == "DROP_CASCADE"
    targets = []
    # PostgreSQL checks every name before it drops anything: a missing one fails the whole
    # statement (or, with IF EXISTS, is skipped with a notice).
    for obj in node.get("objects") or ():
        oid = _drop_target(ctx, remove_type, obj, what)
        if oid in ctx.objects:
            targets.append(oid)
        elif not node.get("missing_ok"):
            raise UndefinedObjectError(
                f"{what}: {oid} does not exist",
                span=ctx.statement.span if ctx.statement else None,
            )
    for oid in targets:
        if oid in ctx.objects:  # an earlier name of the same statement may have cascaded to it
            if cascade:
                # The columns and defaults using it go first, with what depends on them.
                columns, defaults = parts_dropped_with(ctx, oid)
                for table, column in defaults:
                    ctx.update_column(table, column, default=None)
                for table, column in columns:
                    cmd = {"name": column, "behavior": "DROP_CASCADE", "missing_ok": True}
                    drop_column(ctx, table, cmd)
            drop_object(ctx, oid, cascade=cascade, what=what)


@handles("DropUserMappingStmt")
def build_drop_user_mapping(ctx: BuildContext, node: Node) -> None:
    from_node = node["user"]
    user = from_node.get("rolename") or from_node.get("roletype", "").removeprefix("ROLESPEC_")
    if user in ("CURRENT_USER", "CURRENT_ROLE", "SESSION_USER", "PUBLIC"):
        user = user.lower() if user != "PUBLIC" else "public"
    oid = ObjectId(ids.USER_MAPPING, None, f"{user}@{node['servername']}")
    if oid not in ctx.objects:
        if node.get("missing_ok"):
            return
        raise UndefinedObjectError(
            f"DROP USER MAPPING: {oid} does not exist",
            span=ctx.statement.span if ctx.statement else None,
        )
    drop_object(ctx, oid, cascade=False, what="DROP USER MAPPING")


def _drop_target(ctx: BuildContext, remove_type: str, obj: Node, what: str) -> ObjectId:
    """The id a DROP names; a relation of another kind under that name is PostgreSQL's
    "is not a table" error (DROP TABLE never drops a view)."""
    if remove_type in ("OBJECT_TYPE", "OBJECT_DOMAIN"):
        oid = target_id(ctx, remove_type, obj)
        if oid not in ctx.objects:
            return oid
        is_domain = oid.kind == ids.DOMAIN
        if oid.kind in (ids.TABLE, ids.VIEW) or is_domain != (remove_type == "OBJECT_DOMAIN"):
            raise ModelError(
                f"{what}: {oid} is not a {'domain' if remove_type == 'OBJECT_DOMAIN' else 'type'}",
                span=ctx.statement.span if ctx.statement else None,
            )
        return oid
    if remove_type == "OBJECT_TABLE":
        relation = target_id(ctx, remove_type, obj)
        wanted = ObjectId(ids.TABLE, relation.schema, relation.name)
    elif remove_type == "OBJECT_INDEX":
        wanted = target_id(ctx, remove_type, obj)
        owner = ctx.find_index(wanted.schema or "", wanted.name)
        if owner is not None and owner.kind == ids.CONSTRAINT:
            raise DependentObjectsError(
                f"{what}: cannot drop index {wanted.schema}.{wanted.name} because {owner} "
                "requires it (drop the constraint instead)",
                dependents=(str(owner),),
                span=ctx.statement.span if ctx.statement else None,
            )
        return wanted
    else:
        wanted = target_id(ctx, remove_type, obj)
    if wanted.kind in (ids.TABLE, ids.VIEW, ids.MATERIALIZED_VIEW, ids.SEQUENCE,
                       ids.FOREIGN_TABLE) and wanted not in ctx.objects:  # fmt: skip
        other = ctx.find_relation(wanted.schema or "", wanted.name)
        if other in ctx.objects:
            raise ModelError(
                f"{what}: {other} is not a {wanted.kind.replace('_', ' ')}",
                span=ctx.statement.span if ctx.statement else None,
            )
    return wanted
