"""Operators of shipped extensions, as operator resolution picks them ("Operator Type
Resolution"), in an expression of source DDL.

A column of an extension's base type compared with a string literal (``email LIKE '%@%'`` on
a citext column): when the type's own operators are visible (the type's schema is on the
search_path when the statement runs), the one between two values of the type is chosen, the
literal becomes of the type, and pg_dump, which empties the search_path, prints the operator
qualified: ``email OPERATOR(public.~~) '%@%'::public.citext``. When they are not, the column is
read through its implicit cast (``email::text ~~ '%@%'::text``). Which extensions have such
operators is in :data:`pgdrift.pg.extensions.EXTENSION_TYPES`.

Other operators of extensions (pg_trgm's ``%`` and ``<->`` on text, hstore's ``->`` and ``?``)
between a column and a string literal or another column: the operator is the extension's
when its schema is on the search_path, the literal takes the operator's argument type, and
pg_dump prints ``(name OPERATOR(public.%) 'x'::text)``
(:data:`pgdrift.pg.extensions.EXTENSION_OPERATORS`). Checked on PostgreSQL 15.
"""

from __future__ import annotations

from pgdrift import ids
from pgdrift.builder.comparisons import Typer, type_cast
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, strings
from pgdrift.ids import ObjectId
from pgdrift.pg.constants import Const, coerce_unknown, const_node
from pgdrift.pg.extensions import (
    EXTENSION_OWN_TYPES,
    EXTENSION_TYPES,
    OWN_TYPE_OUTPUTS,
    ExtensionOperator,
)
from pgdrift.pg.extensions import extension_operator as listed_operator
from pgdrift.types import TypeRef, type_from_node

__all__ = ["extension_operator"]


def extension_operator(ctx: BuildContext, expr: Node, typer: Typer) -> bool:
    """Type ``expr`` (an A_Expr, changed in place) if it is such a comparison; whether it was."""
    names = strings(expr.get("name"))
    if expr.get("kind") not in ("AEXPR_OP", "AEXPR_LIKE", "AEXPR_ILIKE") or len(names) != 1:
        return False
    return _own_type_comparison(ctx, expr, typer, names) or _listed(ctx, expr, typer, names[0])


def _own_type_comparison(ctx: BuildContext, expr: Node, typer: Typer, names: list[str]) -> bool:
    left, right = expr.get("lexpr") or {}, expr.get("rexpr") or {}
    literal = (right.get("A_Const") or {}).get("sval")
    fields = strings((left.get("ColumnRef") or {}).get("fields"))
    if literal is None or not fields:
        return False
    declared = typer(fields)
    if declared is None or declared.schema is None or declared.array_dims:
        return False
    facts = EXTENSION_TYPES.get(declared.name)
    if facts is None or names[0] not in facts[1]:
        return False
    extension = ctx.get(ObjectId(ids.EXTENSION, None, facts[0]))
    if getattr(extension, "in_schema", None) != declared.schema:
        return False
    text = str(literal.get("sval", ""))
    plain = TypeRef(declared.schema, declared.name)
    expr["kind"] = "AEXPR_OP"  # LIKE is the ~~ operator
    if declared.schema in ctx.search_path:
        expr["name"] = [{"String": {"sval": declared.schema}}, {"String": {"sval": names[0]}}]
        expr["rexpr"] = const_node(Const(plain, text))
    else:
        target = TypeRef(None, facts[2])
        expr["lexpr"] = type_cast(left, target)
        expr["rexpr"] = const_node(Const(target, text))
    return True


def _listed(ctx: BuildContext, expr: Node, typer: Typer, name: str) -> bool:
    """An operator of :data:`~pgdrift.pg.extensions.EXTENSION_OPERATORS` between a column and
    a string literal or another column: qualified, its literal typed."""
    if expr.get("kind") != "AEXPR_OP":
        return False
    sides = [_operand(expr.get("lexpr"), typer), _operand(expr.get("rexpr"), typer)]
    if any(side is None for side in sides) or all(isinstance(s, str) for s in sides):
        return False
    names = [side.name if isinstance(side, TypeRef) else None for side in sides]
    operator = listed_operator(name, names[0], names[1])
    if operator is None:
        return False
    extension = ctx.get(ObjectId(ids.EXTENSION, None, operator.extension))
    schema = getattr(extension, "in_schema", None)
    if schema is None or schema not in ctx.search_path:
        return False
    # A column's type is the operator's by name; by schema too (a built-in one, or the
    # extension's own in the extension's schema).
    for side, wanted in zip(sides, (operator.left, operator.right), strict=True):
        if isinstance(side, TypeRef) and side.schema != _schema_of(operator, wanted, schema):
            return False
    for key, side, wanted in (("lexpr", sides[0], operator.left),
                              ("rexpr", sides[1], operator.right)):  # fmt: skip
        if isinstance(side, str):
            own = _schema_of(operator, wanted, schema)
            printer = OWN_TYPE_OUTPUTS.get(wanted) if own is not None else None
            if own is not None and (printer is None or printer(side) is None):
                return False  # a literal of the extension's type pgdrift does not print
            const = coerce_unknown(side, TypeRef(own, wanted))
            expr[key] = const_node(const or Const(TypeRef(None, wanted), side))
    expr["name"] = [{"String": {"sval": schema}}, {"String": {"sval": name}}]
    return True


def _operand(node: Node | None, typer: Typer) -> str | TypeRef | None:
    """A string literal's text, a column's declared type, the built-in type an operand is
    cast to, or None for anything else."""
    if not node:
        return None
    literal = (node.get("A_Const") or {}).get("sval")
    if literal is not None:
        return str(literal.get("sval", ""))
    cast = node.get("TypeCast")
    if cast is not None:
        try:
            ref = type_from_node(cast["typeName"])
        except ValueError:
            return None
        return ref if ref.is_builtin and not ref.array_dims and not ref.modifiers else None
    column = node.get("ColumnRef")
    fields = strings((column or {}).get("fields"))
    if not fields or len(fields) != len(column.get("fields") or ()):  # type: ignore[union-attr]
        return None
    declared = typer(fields)
    if declared is None or declared.array_dims or declared.modifiers:
        return None
    return declared


def _schema_of(operator: ExtensionOperator, type_name: str, schema: str) -> str | None:
    """Where a type of ``operator``'s signature lives: the extension's schema for its own
    types, None (pg_catalog) for a built-in one."""
    return schema if type_name in EXTENSION_OWN_TYPES.get(operator.extension, ()) else None
