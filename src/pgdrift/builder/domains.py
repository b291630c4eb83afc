"""The schema's own types as expression typing sees them: what a domain stands for when
PostgreSQL coerces a value to it (its base type), which kind of type a name is, and the
attributes of a composite type (or of a table's row type); and the column types in scope in
each sub-select of the statement being read (a scalar sub-select is of its column's type)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.ids import ObjectId
from pgdrift.types import TypeRef

__all__ = ["DECLARED_TYPES", "SchemaTypes", "TypeFacts", "base_type", "plain_value_type"]

#: The type of a column reference (its name list), or None (builder.comparisons.Typer).
_Typer = Callable[[list[str]], "TypeRef | None"]

#: The kinds of type of the schema :meth:`TypeFacts.kind` tells apart.
_KINDS = (ids.ENUM, ids.COMPOSITE_TYPE, ids.RANGE_TYPE)


class TypeFacts(Protocol):
    """What typing an expression asks of the types: called, a type's base type."""

    def __call__(self, ref: TypeRef, /) -> TypeRef: ...

    def kind(self, ref: TypeRef, /) -> str | None:
        """ids.ENUM, COMPOSITE_TYPE or RANGE_TYPE for such a type the schema defines (a
        table's row type is a COMPOSITE_TYPE), else None."""

    def field(self, ref: TypeRef, name: str, /) -> TypeRef | None:
        """The type of attribute ``name`` of the composite type (or table) ``ref``."""

    def result(self, schema: str, name: str, count: int, /) -> TypeRef | None:
        """The result type of the one function ``schema.name`` that ``count`` arguments call,
        when it returns one value of a built-in type, an enum or a domain over one of them, or
        an array of them (else None)."""

    def query(self, body: Any, /) -> _Typer | None:
        """The column types in scope in ``body``, a SELECT of the statement being read
        (builder.queries typed them), or None."""


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


def plain_value_type(facts: TypeFacts, ref: TypeRef) -> bool:
    """Whether ``ref`` is a type whose values pgdrift types expressions with: a built-in type,
    an enum of the schema (its labels are printed as written), or a domain over one of them (a
    literal coerced to it is of its base type). Composite and range types are not: their
    literals would be printed as their output functions print them."""
    if ref.is_builtin or facts.kind(ref) == ids.ENUM:
        return True
    base = facts(ref)
    return base != ref and (base.is_builtin or facts.kind(base) == ids.ENUM)


class SchemaTypes:
    """:class:`TypeFacts` of the schema built so far."""

    def __init__(self, ctx: BuildContext, queries: Mapping[int, _Typer] | None = None) -> None:
        self.ctx = ctx
        #: The typers of the statement's SELECTs, by ``id()`` of each body (builder.queries).
        self.queries = queries if queries is not None else {}

    def __call__(self, ref: TypeRef, /) -> TypeRef:
        return base_type(self.ctx, ref)

    def kind(self, ref: TypeRef, /) -> str | None:
        if ref.schema is None or ref.array_dims:
            return None
        for kind in _KINDS:
            if ObjectId(kind, ref.schema, ref.name) in self.ctx.objects:
                return kind
        return ids.COMPOSITE_TYPE if self._table(ref) is not None else None

    def field(self, ref: TypeRef, name: str, /) -> TypeRef | None:
        if ref.schema is None or ref.array_dims:
            return None
        found = self.ctx.get(ObjectId(ids.COMPOSITE_TYPE, ref.schema, ref.name))
        owner = found if isinstance(found, model.CompositeType) else self._table(ref)
        column = owner.columns.get(name) if owner is not None else None
        return column.type if column is not None else None

    def result(self, schema: str, name: str, count: int, /) -> TypeRef | None:
        found = [
            obj for oid in self.ctx.objects.of_kind(ids.FUNCTION)
            if oid.schema == schema and oid.name == name
            for obj in [self.ctx.objects[oid]]
            if isinstance(obj, model.Function) and obj.takes(count)
        ]  # fmt: skip
        returns = found[0].returns if len(found) == 1 else None
        if returns is None or returns.setof or returns.name in (
            "void", "record", "trigger", "event_trigger"
        ):
            return None
        return returns if plain_value_type(self, TypeRef(returns.schema, returns.name)) else None

    def query(self, body: Any, /) -> _Typer | None:
        return self.queries.get(id(body))

    def _table(self, ref: TypeRef) -> model.Table | None:
        table = self.ctx.get(ObjectId(ids.TABLE, ref.schema, ref.name))
        return table if isinstance(table, model.Table) else None


class _DeclaredTypes:
    """:class:`TypeFacts` that look at no schema: each type is its own base, of no kind."""

    def __call__(self, ref: TypeRef, /) -> TypeRef:
        return ref

    def kind(self, ref: TypeRef, /) -> str | None:
        return None

    def field(self, ref: TypeRef, name: str, /) -> TypeRef | None:
        return None

    def result(self, schema: str, name: str, count: int, /) -> TypeRef | None:
        return None

    def query(self, body: Any, /) -> _Typer | None:
        return None


#: Types taken as declared (a domain not read as its base type).
DECLARED_TYPES: TypeFacts = _DeclaredTypes()
