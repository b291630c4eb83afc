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

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.pg.extensions import EXTENSION_FUNCTIONS
from pgdrift.types import TypeRef, parse_type

__all__ = ["only_signature"]


def only_signature(
    ctx: BuildContext, schema: str, name: str, count: int
) -> tuple[TypeRef, ...] | None:
    """The input parameter types of the one function ``schema.name`` taking ``count``
    arguments, or None."""
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
    for oid in ctx.objects.of_kind(ids.EXTENSION):
        extension = ctx.objects[oid]
        if getattr(extension, "in_schema", None) != schema:
            continue
        for signature in EXTENSION_FUNCTIONS.get(oid.name, {}).get(name, ()):
            if len(signature) == count:
                found.append(tuple(parse_type(t) for t in signature))
    return found[0] if len(found) == 1 else None
