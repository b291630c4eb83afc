"""The one signature a schema-qualified function call can resolve to, when there is one.

PostgreSQL types a string literal given to a function by the parameter it meets ("Function
Type Resolution"): with a single candidate of that name and number of arguments, an unknown
literal takes that parameter's type (``public.f('x')`` is stored as ``public.f('x'::text)``).
The candidates pgdrift knows are the functions the input created and those of the shipped
extensions it installed there (:data:`pgdrift.pg.extensions.EXTENSION_FUNCTIONS`). A name
with overloads of that arity, a candidate with defaults (which could take fewer arguments),
or a schema pgdrift does not know leaves the call as written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.registry import NotModelled
from pgdrift.expr import Expr
from pgdrift.pg.extensions import EXTENSION_FUNCTIONS, EXTENSION_OWN_TYPES
from pgdrift.types import TypeRef, parse_type

__all__ = ["only_signature", "rewrite_calls", "signatures", "variadic_signature"]


def only_signature(
    ctx: BuildContext, schema: str, name: str, count: int
) -> tuple[TypeRef, ...] | None:
    """The input parameter types of the one function ``schema.name`` taking ``count``
    arguments, or None."""
    found = signatures(ctx, schema, name, count)
    return found[0] if found is not None and len(found) == 1 else None


def signatures(
    ctx: BuildContext, schema: str, name: str, count: int
) -> list[tuple[TypeRef, ...]] | None:
    """The input parameter types of each function ``schema.name`` taking ``count`` arguments
    (the schema's own and its shipped extensions'), the candidates function resolution picks
    from; None when one has defaults or a VARIADIC parameter, or the schema's own overload
    another (not followed here: only a shipped extension's overloads are resolved)."""
    found: list[tuple[TypeRef, ...]] = []
    for oid in ctx.objects.of_kind(ids.FUNCTION):
        if oid.schema != schema or oid.name != name:
            continue
        function = ctx.objects[oid]
        if not isinstance(function, model.Function):
            continue
        inputs = [a for a in function.arguments if a.mode in ("in", "inout", "variadic")]
        if any(a.mode == "variadic" or a.default is not None for a in inputs):
            return None
        if len(inputs) == count:
            found.append(tuple(a.type for a in inputs))
    own = len(found)
    for oid in ctx.objects.of_kind(ids.EXTENSION):
        extension = ctx.objects[oid]
        if getattr(extension, "in_schema", None) != schema:
            continue
        types = EXTENSION_OWN_TYPES.get(oid.name, frozenset())  # in the extension's schema
        for signature in EXTENSION_FUNCTIONS.get(oid.name, {}).get(name, ()):
            if len(signature) == count:
                found.append(tuple(TypeRef(schema, t) if t in types else parse_type(t)
                                   for t in signature))  # fmt: skip
    return found if len(found) < 2 or not own else None


def variadic_signature(
    ctx: BuildContext, schema: str, name: str, count: int
) -> tuple[int, TypeRef] | None:
    """``(fixed, element)`` when ``count`` arguments, given without VARIADIC, call the one
    function ``schema.name``, whose last input is VARIADIC of an array of ``element``: the
    arguments after the ``fixed`` first are packed into that array (make_fn_arguments).
    None for any other function, one with defaults, or too few arguments."""
    found = [oid for oid in ctx.objects.of_kind(ids.FUNCTION)
             if oid.schema == schema and oid.name == name]  # fmt: skip
    routine = ctx.objects.get(found[0]) if len(found) == 1 else None
    if not isinstance(routine, model.Function):
        return None
    inputs = [a for a in routine.arguments if a.mode in ("in", "inout", "variadic")]
    if (
        not inputs
        or inputs[-1].mode != "variadic"
        or not inputs[-1].type.array_dims
        or any(a.default is not None for a in inputs)
        or count < len(inputs)
    ):
        return None
    return len(inputs) - 1, attrs.evolve(inputs[-1].type, array_dims=0)


def rewrite_calls(
    expr: Expr, target: model.DbObject, overloads: list[model.DbObject],
    change: Callable[[Any], Any], what: str,
) -> Expr:  # fmt: skip
    """``expr`` with the name list of each call of ``target`` changed (``change`` returns the
    same list for a call it does not match): where ``overloads`` share the name, a call is
    ``target``'s when it alone takes that many arguments; where another takes the same
    count, which PostgreSQL picks is not guessed (:class:`NotModelled`, ``what`` says of
    what)."""

    def calls_target(count: int) -> bool:
        if not overloads:
            return True
        takers = [r for r in (target, *overloads)
                  if not isinstance(r, model.Function) or r.takes(count)]  # fmt: skip
        if target in takers and len(takers) > 1:
            raise NotModelled(f"{what}, whose name other overloads share, called in an expression")
        return takers == [target]

    def rewrite(value: Any) -> Any:
        if type(value) is not tuple or not value:
            return value
        if type(value[0]) is not str:
            return tuple(rewrite(v) for v in value)
        kind, fields = value
        fields = tuple((k, rewrite(v)) for k, v in fields)
        if kind == "FuncCall":
            found = dict(fields)
            names = found.get("funcname")
            changed = change(names)
            if changed is not names and calls_target(len(found.get("args") or ())):
                fields = tuple((k, changed if k == "funcname" else v) for k, v in fields)
        return (kind, fields)

    tree = rewrite(expr.tree)
    return expr if tree == expr.tree else Expr(tree)
