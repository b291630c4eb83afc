"""A NULL default as PostgreSQL stores it, or does not: cookDefault coerces a default to its
column's type and typmod, and a bare NULL constant that results is not stored at all."""

from __future__ import annotations

import attrs

from pgdrift.builder.comparisons import type_cast
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import base_type
from pgdrift.builder.nodes import Node
from pgdrift.types import TypeRef

__all__ = ["is_null", "no_typmod", "stored_null"]


def stored_null(ctx: BuildContext, folded: Node, column_type: TypeRef) -> Node | None:
    """The NULL default (``NULL`` or ``NULL::type``) PostgreSQL stores, or None when it stores
    none. cookDefault coerces a default to the column's type and typmod, and
    AddRelationNewConstraints (DefineDomain for a domain's default) stores nothing only when
    that leaves a bare NULL Const: a domain coercion (which must override the domain's own
    default), a cast to another type or a length coercion keeps it. A NULL literal takes no
    typmod but interval's (coerce_type), so ``varchar(10) DEFAULT NULL`` stores
    ``NULL::character varying``, as does ``NULL::varchar(10)`` anywhere."""
    base = base_type(ctx, column_type)
    cast = folded.get("TypeCast")
    if cast is None:
        if base == column_type and _null_typmod(column_type) == column_type.modifiers:
            return None
        return type_cast({"A_Const": {"isnull": True}}, no_typmod(base))
    try:
        written = ctx.type(cast["typeName"])
    except ValueError:
        return folded
    same_type = (written.schema, written.name, written.array_dims) == (
        column_type.schema, column_type.name, column_type.array_dims)  # fmt: skip
    bare = _null_typmod(written) == written.modifiers
    if base == column_type and same_type and bare and written.modifiers == column_type.modifiers:
        return None
    return folded


def _null_typmod(ref: TypeRef) -> tuple[str, ...]:
    """The typmod a NULL literal coerced to ``ref`` gets: none, but interval's."""
    return no_typmod(ref).modifiers


def no_typmod(ref: TypeRef) -> TypeRef:
    """``ref`` without its typmod, but interval's (which a literal's input function takes)."""
    return ref if ref.is_builtin and ref.name == "interval" else attrs.evolve(ref, modifiers=())


def is_null(node: Node) -> bool:
    """A NULL constant, cast or not."""
    if "TypeCast" in node:
        node = node["TypeCast"]["arg"]
    return bool(node.get("A_Const", {}).get("isnull"))
