"""A column of an extension's base type compared with a string literal (``email LIKE '%@%'``
on a citext column), as operator resolution types it ("Operator Type Resolution").

When the type's own operators are visible (the type's schema is on the search_path when the
statement runs), the one between two values of the type is chosen, the literal becomes of
the type, and pg_dump, which empties the search_path, prints the operator qualified:
``email OPERATOR(public.~~) '%@%'::public.citext``. When they are not, the column is read
through its implicit cast (``email::text ~~ '%@%'::text``). Which extensions have such
operators is in :data:`pgdrift.pg.extensions.EXTENSION_TYPES`; checked on PostgreSQL 15.
"""

from __future__ import annotations

from pgdrift import ids
from pgdrift.builder.comparisons import Typer, type_cast
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, strings
from pgdrift.ids import ObjectId
from pgdrift.pg.constants import Const, const_node
from pgdrift.pg.extensions import EXTENSION_TYPES
from pgdrift.types import TypeRef

__all__ = ["extension_operator"]


def extension_operator(ctx: BuildContext, expr: Node, typer: Typer) -> bool:
    """Type ``expr`` (an A_Expr, changed in place) if it is such a comparison; whether it was."""
    names = strings(expr.get("name"))
    if expr.get("kind") not in ("AEXPR_OP", "AEXPR_LIKE", "AEXPR_ILIKE") or len(names) != 1:
        return False
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
