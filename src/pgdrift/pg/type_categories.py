"""The rule select_common_type (parse_coerce.c) settles the type of a UNION column, a CASE's
results, COALESCE's arguments, an ARRAY's elements by ("UNION, CASE, and Related Constructs"):
inputs all of one type keep it; otherwise, unknown literals aside, of two types of a category
the one the other casts to implicitly wins. Only the categories pgdrift follows are here."""

from __future__ import annotations

from collections.abc import Sequence

from pgdrift.pg.constants import BIGINT, INTEGER, NUMERIC, TEXT
from pgdrift.types import TypeRef

__all__ = ["NUMBER_CHAIN", "select_common", "type_common"]

#: The numeric types in the order of their implicit casts (each casts implicitly to those after
#: it, none to those before); the last is the category's preferred type.
NUMBER_CHAIN = (TypeRef(None, "smallint"), INTEGER, BIGINT, NUMERIC, TypeRef(None, "real"),
                TypeRef(None, "double precision"))  # fmt: skip
_CHAINS = (
    NUMBER_CHAIN,
    (TypeRef(None, "date"), TypeRef(None, "timestamp without time zone"),
     TypeRef(None, "timestamp with time zone")),
)  # fmt: skip
#: text, varchar and char cast implicitly to each other both ways: the first of them stays
#: (text being the preferred type of the category changes nothing then).
_STRINGS = frozenset({TEXT, TypeRef(None, "character varying"), TypeRef(None, "character")})


def select_common(declared: Sequence[TypeRef | None], bases: Sequence[TypeRef]) -> TypeRef | None:
    """The common type of inputs of types ``declared`` (None: an unknown literal, a NULL)
    whose known ones have the base types ``bases`` (a domain's base type, without length or
    precision); None when pgdrift cannot tell. All unknown: text."""
    if not bases:
        return TEXT
    first = declared[0]
    if first is not None and all(ref == first for ref in declared):
        return first
    common = bases[0]
    for ref in bases[1:]:
        joined = type_common(common, ref)
        if joined is None:
            return None
        common = joined
    return common


def type_common(common: TypeRef, other: TypeRef) -> TypeRef | None:
    """The common type of two known types, ``common`` the earlier input; None when pgdrift
    cannot tell."""
    if common == other or {common, other} <= _STRINGS:
        return common
    for chain in _CHAINS:
        if common in chain and other in chain:
            return max(common, other, key=chain.index)
    return None  # another category, or casts pgdrift does not follow
