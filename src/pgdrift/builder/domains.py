"""What a domain stands for when PostgreSQL coerces a value to it: its base type."""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.ids import ObjectId
from pgdrift.types import TypeRef

__all__ = ["base_type"]


def base_type(ctx: BuildContext, ref: TypeRef) -> TypeRef:
    """``ref``, or the type a domain (of domains) is over, as a literal is coerced to it."""
    seen = 0
    while ref.schema is not None and not ref.array_dims and seen < 20:
        domain = ctx.get(ObjectId(ids.DOMAIN, ref.schema, ref.name))
        if not isinstance(domain, model.Domain):
            break
        ref = domain.base_type
        seen += 1
    return ref
