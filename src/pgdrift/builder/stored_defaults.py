"""Column, domain and argument defaults as PostgreSQL stores them (cookDefault): coerced to
the column's type, and a NULL default stored only where the coercion leaves more than a bare
NULL constant."""

from __future__ import annotations

import attrs

from pgdrift.builder.common_types import unknown_text as _unknown_text
from pgdrift.builder.comparisons import type_cast
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import base_type
from pgdrift.builder.nodes import Node
from pgdrift.builder.stored_exprs import (
    _NO_COLUMNS,
    _fold,
    _Folder,
    _is_null,
    _no_typmod,
    from_source,
)
from pgdrift.expr import Expr, expr_from_node
from pgdrift.pg.constants import (
    Const,
    coerce_unknown,
    const_node,
)
from pgdrift.types import TypeRef, type_from_node

__all__ = ["stored_default"]


def stored_default(
    ctx: BuildContext, node: Node | None, column_type: TypeRef, *, argument: bool = False
) -> Expr | None:
    """A column (or domain) default coerced to ``column_type`` as PostgreSQL stores it; None
    for a NULL default, which PostgreSQL does not store at all (``DEFAULT NULL``). A routine
    ``argument``'s default keeps a NULL, as a Const of its type (``NULL::text``)."""
    if node is None:
        return None
    if not from_source(ctx):
        # pg_dump writes a bare DEFAULT NULL only to keep a child from taking its parent's
        # default; PostgreSQL stores nothing for it (no pg_attrdef row for a NULL constant).
        if not argument and set(node) == {"A_Const"} and node["A_Const"].get("isnull"):
            return None
        return expr_from_node(node)
    # A default names no columns: its literals are typed beside calls and other literals.
    folder = _Folder(ctx, _NO_COLUMNS)
    folded = _fold(folder, node)
    if "RowExpr" in folded:
        # A ROW(...) default of a composite column is coerced to the type field by field
        # (coerce_record_to_complex), with no cast on top.
        folder.cast_row(folded["RowExpr"], column_type)
    if _is_null(folded):
        if not argument:
            stored = _stored_null(ctx, folded, column_type)
            return None if stored is None else expr_from_node(stored)
        return expr_from_node(type_cast({"A_Const": {"isnull": True}}, _no_typmod(column_type)))
    text = _unknown_text(folded)
    if text is not None:
        const = coerce_unknown(text, base_type(ctx, column_type))
        if const is not None:
            folded = const_node(const)
    # A coercion to the column's type on top is implicit, and pg_dump does not print it: an
    # interval Const with fields given to a plain interval column is labelled plain interval.
    cast = folded.get("TypeCast") or {}
    value = _unknown_text(cast.get("arg") or {})
    if value is not None and not column_type.modifiers and "typeName" in cast:
        try:
            label = type_from_node(cast["typeName"])
        except ValueError:
            return expr_from_node(folded)
        if label.is_builtin and label.name == "interval" and label.modifiers:
            folded = const_node(Const(attrs.evolve(label, modifiers=()), value))
    return expr_from_node(folded)


def _stored_null(ctx: BuildContext, folded: Node, column_type: TypeRef) -> Node | None:
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
        return type_cast({"A_Const": {"isnull": True}}, _no_typmod(base))
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
    return _no_typmod(ref).modifiers
