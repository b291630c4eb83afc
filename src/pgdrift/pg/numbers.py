"""How PostgreSQL's operator resolution pairs two numbers of different types (pg_operator,
"Operator Type Resolution"): which side is read as which type.
"""

from __future__ import annotations

from pgdrift.pg.constants import BIGINT, INTEGER, NUMERIC
from pgdrift.pg.functions import DOUBLE
from pgdrift.types import TypeRef

__all__ = ["INTEGER_TYPES", "REAL", "beside_real", "wider_number"]

INTEGER_TYPES = (TypeRef(None, "smallint"), INTEGER, BIGINT)
REAL = TypeRef(None, "real")


def beside_real(left: TypeRef, right: TypeRef) -> tuple[TypeRef | None, TypeRef | None] | None:
    """What each side of a real beside a number is cast to (None: nothing), or None when
    neither is real. real has real-real operators and the cross-type float48 and float84
    ones only: beside an integer or numeric, the real stays and the other side is read as
    double precision, the preferred type of the category (checked on PostgreSQL 15)."""
    if REAL not in (left, right):
        return None
    if left == right or DOUBLE in (left, right):
        return None, None
    other = right if left == REAL else left
    if other not in INTEGER_TYPES and other != NUMERIC:
        return None
    return (None, DOUBLE) if left == REAL else (DOUBLE, None)


def wider_number(left: TypeRef, right: TypeRef) -> TypeRef | None:
    """The type two numbers of different kinds are compared as: an integer beside numeric is
    read as numeric, an integer or numeric beside double precision as double precision (the
    integer types, and real and double precision, compare across each other: None)."""
    integers = set(INTEGER_TYPES)
    if left in integers and right in integers:
        return None
    for wide, narrower in ((DOUBLE, {*integers, NUMERIC}), (NUMERIC, integers)):
        if (left == wide and right in narrower) or (right == wide and left in narrower):
            return wide
    return None
