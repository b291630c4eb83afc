"""``ALTER COLLATION c RENAME TO d`` and ``SET SCHEMA s`` (docs: ALTER COLLATION), followed as
PostgreSQL follows them by OID: every column, attribute, domain, index key, partition key and
``COLLATE`` clause in an expression that used the collation uses it under its new name. The
model keeps those uses as the collation's name, so each is rewritten.
"""

from __future__ import annotations

from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.references import RENAMERS, replace_references, rewrite_fields
from pgdrift.errors import DuplicateObjectError, UndefinedObjectError
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.pg.messages import already_exists, does_not_exist
from pgdrift.types import TypeRef

__all__ = ["move_collation", "with_collation"]


def rename_collation(ctx: BuildContext, node: Node) -> None:
    """ALTER COLLATION [schema.]c RENAME TO d."""
    schema, name = ctx.qualified(node["object"]["List"]["items"])
    oid = ObjectId(ids.COLLATION, schema, name)
    if oid not in ctx.objects:
        if node.get("missing_ok"):
            return
        raise UndefinedObjectError(does_not_exist(oid), span=_span(ctx))
    move_collation(ctx, oid, attrs.evolve(oid, name=node["newname"]))


def move_collation(ctx: BuildContext, oid: ObjectId, new: ObjectId) -> None:
    """The collation ``oid`` renamed or moved to ``new`` (RENAME TO, SET SCHEMA), and every
    use of it with it."""
    if new in ctx.objects:
        raise DuplicateObjectError(already_exists(new), span=_span(ctx))
    schema = oid.schema or ctx.creation_schema
    # A use names it qualified, or bare where the search_path in force found it.
    bare = schema in ctx.search_path or schema == ctx.creation_schema
    old_texts = {f"{schema}.{oid.name}", *([oid.name] if bare else [])}
    new_text = f"{new.schema}.{new.name}"

    def renamed(text: Any) -> Any:
        return new_text if text in old_texts else text

    def in_names(names: Any) -> Any:
        parts = [dict(n[1]).get("sval") if n[0] == "String" else None for n in names]
        text = ".".join(p for p in parts if p is not None)
        if text not in old_texts:
            return names
        if new.schema == schema:  # renamed: as written, qualified or not
            return (*names[:-1], ("String", (("sval", new.name),)))
        return (("String", (("sval", new.schema),)), ("String", (("sval", new.name),)))

    def in_tree(expr: Expr) -> Expr:
        return rewrite_fields(expr, {"CollateClause": ("collname", in_names)})

    replace_references(ctx, {oid: new}, exprs=in_tree)
    for other, obj in list(ctx.objects.items()):
        changed = with_collation(obj, renamed)
        if changed is not obj:
            ctx.objects[other] = changed


def _span(ctx: BuildContext) -> Any:
    return ctx.statement.span if ctx.statement else None


def with_collation(value: Any, renamed: Any) -> Any:
    """``value`` with its ``collation`` fields (and those of its columns, index and partition
    key elements) through ``renamed``; the same object when none changes."""
    if isinstance(value, tuple):
        items = tuple(with_collation(v, renamed) for v in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, model.Columns):
        ordered = with_collation(value.ordered, renamed)
        return value if ordered is value.ordered else model.Columns(ordered)
    if not attrs.has(type(value)) or isinstance(value, (Expr, TypeRef, ObjectId)):
        return value
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(value)):
        if not field.init:
            continue
        current = getattr(value, field.name)
        if field.name == "collation" and isinstance(current, str):
            after = renamed(current)
        elif isinstance(current, (tuple, model.Columns)) or attrs.has(type(current)):
            after = with_collation(current, renamed)
        else:
            continue
        if after is not current:
            changes[field.name] = after
    return attrs.evolve(value, **changes) if changes else value


RENAMERS["OBJECT_COLLATION"] = rename_collation
