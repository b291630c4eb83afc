"""The common type of a list of expressions, as select_common_type (parse_coerce.c) resolves
it, and each expression coerced to it: the arguments of COALESCE, GREATEST and LEAST, a CASE's
results, an ARRAY's elements, a VALUES list's columns, the anycompatible arguments of lag and
lead. ``COALESCE(total, 0)`` on a numeric column is stored as ``COALESCE(total, 0::numeric)``,
``ARRAY[a, b]`` of an integer and a smallint as ``ARRAY[a, b::integer]`` ("UNION, CASE, and
Related Constructs" in the docs; each rule was checked against PostgreSQL 15 and is pinned in
tests/test_stored_expressions.py).

Where an input's type is not known offline, nothing is changed: the list stays as written.
"""

from __future__ import annotations

import attrs

from pgdrift import ids
from pgdrift.builder.comparisons import (
    Typer,
    common_type,
    expression_type,
    result_type,
    type_cast,
    type_comparison,
)
from pgdrift.builder.domains import TypeFacts
from pgdrift.builder.nodes import Node, strings
from pgdrift.pg.arrays import array_out
from pgdrift.pg.constants import (
    TEXT,
    Const,
    coerce_unknown,
    const_node,
)
from pgdrift.pg.functions import VALUE_FUNCTIONS
from pgdrift.pg.type_categories import NUMBER_CHAIN
from pgdrift.types import TypeRef, type_from_node

__all__ = [
    "as_text", "case_results", "case_values", "coerced_fields", "coerced_number", "enum_const",
    "join_common", "null_of", "unknown_text",
]  # fmt: skip


def unknown_text(node: Node) -> str | None:
    """The text of a string literal of type unknown (``'x'`` with no cast)."""
    const = node.get("A_Const")
    if const is None or "sval" not in const:
        return None
    return str(const["sval"].get("sval", ""))


def enum_const(text: str, to: TypeRef, base_of: TypeFacts) -> Const | None:
    """The Const a string literal becomes when coerced to ``to``, an enum of the schema or an
    array of one: a label prints as written (enum_out), an array as array_out prints it; None
    for another type, or an array array_in would reject."""
    if to.is_builtin or base_of.kind(TypeRef(to.schema, to.name)) != ids.ENUM:
        return None
    printed = array_out(text, lambda label: label) if to.array_dims else text
    return None if printed is None else Const(attrs.evolve(to, modifiers=()), printed)


def _unknown(node: Node) -> bool:
    """A string literal or a bare NULL: of type unknown until coerced."""
    const = node.get("A_Const") if isinstance(node, dict) else None
    return const is not None and ("sval" in const or bool(const.get("isnull")))


def null_of(ref: TypeRef) -> Node:
    """A NULL constant of ``ref`` (printed ``NULL::ref``)."""
    return type_cast({"A_Const": {"isnull": True}}, ref)


def join_common(
    nodes: list[Node],
    typer: Typer,
    base_of: TypeFacts,
    *,
    shown: bool = True,
) -> TypeRef | None:
    """``nodes`` (changed in place) coerced to their common type, which is returned; None, and
    nothing changed, when pgdrift cannot tell it. An unknown literal becomes a constant of
    the type (``'x'::text``, ``NULL::integer``); another input of another type is cast, where
    ruleutils shows the implicit cast (``shown``: not in a VALUES list)."""
    common = common_type(nodes, typer, base_of)
    if common is None:
        return None
    coerced: list[Node] = []
    for node in nodes:
        text = unknown_text(node)
        if text is not None:
            const = coerce_unknown(text, common)
            if const is None:
                return None  # the input function would reject it: leave the list as written
            coerced.append(const_node(const))
        elif _unknown(node):
            coerced.append(null_of(common))
        elif not shown or _declared(node, typer, base_of) == common:
            coerced.append(node)
        else:
            coerced.append(type_cast(node, common))
    nodes[:] = coerced
    return common


def _declared(node: Node, typer: Typer, base_of: TypeFacts) -> TypeRef | None:
    ref = expression_type(node, typer, base_of) or result_type(node, typer, base_of)
    return attrs.evolve(ref, modifiers=()) if ref is not None and ref.modifiers else ref


def coerced_number(
    node: Node, to: TypeRef, typer: Typer, base_of: TypeFacts
) -> Node:
    """``node`` given to a parameter of the numeric type ``to``: a literal becomes a constant
    of it, a number of a type that casts to it implicitly is cast (``point(1, 2)`` is stored
    as ``point(1::double precision, 2::double precision)``); anything else stays as it is."""
    text = unknown_text(node)
    if text is not None:
        const = coerce_unknown(text, to)
        return node if const is None else const_node(const)
    if _unknown(node):
        return null_of(to)
    numbers = NUMBER_CHAIN
    base = result_type(node, typer, base_of)
    if base not in numbers or to not in numbers or numbers.index(base) > numbers.index(to):
        return node  # not a number, or one with no implicit cast to ``to``
    return node if _declared(node, typer, base_of) == to else type_cast(node, to)


def coerced_fields(
    fields: list[Node], attributes: list[TypeRef], typer: Typer, base_of: TypeFacts
) -> list[Node] | None:
    """``ROW(...)::composite``'s fields coerced to its attributes' types, their length or
    precision included (coerce_record_to_complex): ``ROW(0, 'EUR')::amt`` is stored as
    ``ROW(0::numeric(12,2), 'EUR'::text)::amt``. None when a field's type is not known, or
    an attribute is of a type pgdrift does not coerce to (left as written)."""
    if len(fields) != len(attributes):
        return None
    coerced: list[Node] = []
    for node, to in zip(fields, attributes, strict=True):
        field = _coerced_field(node, to, typer, base_of) if isinstance(node, dict) else None
        if field is None:
            return None
        coerced.append(field)
    return coerced


def _coerced_field(node: Node, to: TypeRef, typer: Typer, base_of: TypeFacts) -> Node | None:
    text = unknown_text(node)
    base = base_of(to)
    if base != to and not to.array_dims:
        # A domain: a literal is a constant of its base type (without length), then cast to
        # the domain (``('ab'::character varying)::code``); another value is cast to the
        # domain directly (``(0)::dn`` over numeric), unless it is of the domain already.
        plain_base = TypeRef(base.schema, base.name)
        if text is not None:
            const = coerce_unknown(text, plain_base) if base.is_builtin else None
            return None if const is None else type_cast(const_node(const), to)
        if _unknown(node):
            return type_cast(null_of(plain_base), to)
        if to in (_declared(node, typer, base_of), _cast_to(node)):
            return node
        return type_cast(node, to)
    if not to.is_builtin:
        if base_of.kind(to) != ids.ENUM:
            return None
        # An enum: a label is a constant of it ('new'::st), NULL a NULL of it.
        if text is not None:
            return const_node(Const(to, text))
        if _unknown(node):
            return null_of(to)
        return node if to in (_declared(node, typer, base_of), _cast_to(node)) else None
    plain = TypeRef(to.schema, to.name, array_dims=to.array_dims)
    const = coerce_unknown(text, plain) if text is not None and not to.modifiers else None
    if const is not None:
        return const_node(const)
    if text is not None or _unknown(node):
        return type_cast(node, to)  # a literal given a length: the cast shows
    # Of the type, length included, already (read again, as a dump is): no coercion.
    declared = expression_type(node, typer, base_of) or result_type(node, typer, base_of)
    if declared is None:
        return None
    same = declared == to or (_declared(node, typer, base_of) == to)
    return node if same else type_cast(node, to)


def _cast_to(node: Node) -> TypeRef | None:
    """The type ``node`` is cast to, if it is a cast (``(0)::dn``, read again as a dump is)."""
    cast = node.get("TypeCast")
    try:
        return None if cast is None else type_from_node(cast["typeName"])
    except ValueError:
        return None


def case_values(case: Node, typer: Typer, base_of: TypeFacts) -> None:
    """``CASE x WHEN 'a'``: each WHEN value is compared with x (x = 'a'), and typed as
    that comparison types it; the CASE's x stays as written (ruleutils prints the WHEN
    value alone)."""
    arg = case.get("arg")
    if arg is None:
        return
    for when in case.get("args") or []:
        body = when["CaseWhen"]
        test = {"A_Expr": {"kind": "AEXPR_OP", "name": [{"String": {"sval": "="}}],
                           "lexpr": arg, "rexpr": body.get("expr")}}  # fmt: skip
        typed = type_comparison(test, typer, base_of)
        # x cast implicitly (a varchar read as text) is still the CASE's x: ruleutils
        # strips the coercion over the CaseTestExpr and prints the WHEN value alone.
        left = typed.get("A_Expr", {}).get("lexpr")
        cast = left.get("TypeCast", {}) if isinstance(left, dict) else {}
        if left is arg or cast.get("arg") is arg:
            body["expr"] = typed["A_Expr"]["rexpr"]


def case_results(case: Node, typer: Typer, base_of: TypeFacts) -> None:
    """A CASE's results join their common type, its ELSE first (transformCaseExpr puts it
    at the head of the list); a CASE without ELSE is stored with ELSE NULL of that type
    (a NULL constant, of type unknown until then, is its ELSE)."""
    whens = [when["CaseWhen"] for when in case.get("args") or []]
    default = case.get("defresult")
    results = [default or {"A_Const": {"isnull": True}}]
    results += [when.get("result") for when in whens]
    common = join_common(results, typer, base_of)
    if common is None:
        return
    case["defresult"] = results[0] if default is not None else null_of(common)
    for when, result in zip(whens, results[1:], strict=True):
        when["result"] = result


_BPCHAR = TypeRef(None, "character")
_VARCHAR = TypeRef(None, "character varying")
#: CURRENT_USER, SESSION_USER, CURRENT_SCHEMA... and columns of type name.
_NAME = TypeRef(None, "name")


def as_text(
    arg: Node, typer: Typer | None, base_of: TypeFacts, *, bpchar: bool = False,
    citext: bool = False,
) -> Node:
    """A varchar or name column (or a domain over text), or CURRENT_USER and the other
    SQL value functions of type name, given to a text parameter: cast to text, and pg_dump
    shows the cast (``lower((email)::text)``, ``f((CURRENT_USER)::text)``: ruleutils prints a
    call's arguments with their implicit casts). Only where the column's type is known and
    the function has no varchar or name overload (none of BUILTIN_ARGUMENTS has); a char
    column stays char where the function has a ``bpchar`` overload, a citext one citext where
    the citext extension gives it one (``citext``), and is cast to text (its implicit cast)
    elsewhere."""
    value_function = arg.get("SQLValueFunction")
    if value_function is not None:
        known = VALUE_FUNCTIONS.get(value_function.get("op", ""))
        return type_cast(arg, TEXT) if known == _NAME.name else arg
    fields = strings(arg.get("ColumnRef", {}).get("fields"))
    declared = typer(fields) if typer is not None and fields else None
    if declared is None or declared.array_dims:
        return arg
    if declared.name == "citext" and declared.schema is not None:  # the extension's type
        return arg if citext else type_cast(arg, TEXT)
    base = attrs.evolve(base_of(declared), modifiers=())
    plain = attrs.evolve(declared, modifiers=())
    if bpchar and base == _BPCHAR:
        return arg if plain == _BPCHAR else type_cast(arg, _BPCHAR)  # length(bpchar)
    # char is read as text too (bpchar has none of these functions: its cast to text).
    if base in (TEXT, _VARCHAR, _BPCHAR, _NAME) and plain != TEXT:
        return type_cast(arg, TEXT)
    return arg
