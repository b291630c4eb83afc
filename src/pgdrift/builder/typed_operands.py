"""The two operands of a comparison (or ``||``) whose types builder.comparisons found, as
stored: a literal beside a column is coerced to the operator's input type (``total >=
(0)::numeric``, ``status = 'x'::text``), two columns are read as the operator they resolve
to reads them (a varchar beside a text as text, an integer beside a numeric as numeric).
Each rule was checked against PostgreSQL 15 and is pinned in tests/test_stored_expressions.py.
"""

from __future__ import annotations

from typing import Any

from pgdrift.builder.comparison_parts import (
    _BPCHAR,
    _CIDR,
    _COMPARISONS,
    _CONCAT,
    _CONCAT_STRINGS,
    _FLOATS,
    _INET,
    _INTEGERS,
    _JSONB,
    _NAME,
    _PATTERNS,
    _VARCHAR,
    _column_side,
    _plain,
    _unknown,
    read_as,
    type_cast,
)
from pgdrift.builder.domains import TypeFacts
from pgdrift.builder.nodes import Node
from pgdrift.pg.constants import NUMERIC, TEXT, Const, coerce_unknown, const_node
from pgdrift.pg.functions import DOUBLE
from pgdrift.pg.numbers import beside_real, wider_number
from pgdrift.pg.operators import NONARRAY_CONCAT
from pgdrift.types import TypeRef

__all__ = ["cidr_in_list", "column_and_value", "no_concat", "two_columns"]


def column_and_value(
    op: str,
    column_side: tuple[Node, tuple[TypeRef, TypeRef]],
    other: tuple[str, Any, Node],
    base_of: TypeFacts,
) -> tuple[Node, Node] | None:
    column, (declared, base) = column_side
    kind, value, node = other
    string_like = base in (TEXT, _VARCHAR, _BPCHAR) or (op == _CONCAT and base == _NAME)
    if kind == "unknown":
        if op in _PATTERNS and base == _NAME:
            return column, const_node(Const(TEXT, value))  # name ~~ text, and the like
        if op == _CONCAT and not string_like:
            # A type without a || of its own: text || anynonarray, the literal is text.
            if no_concat(base, base_of):
                return column, const_node(Const(TEXT, value))
            own = coerce_unknown(value, base) if base == _JSONB else None
            return None if own is None else (column, const_node(own))  # jsonb || jsonb
        if op in _PATTERNS or op == _CONCAT:
            if not string_like:
                return None
            # || is textcat (char is read as text); LIKE has bpchar variants.
            input_type = _BPCHAR if base == _BPCHAR and op != _CONCAT else TEXT
            return _column_side(column, declared, input_type), const_node(Const(TEXT, value))
        input_type = read_as(base)
        if not input_type.is_builtin and input_type.schema is None:
            return None
        const = coerce_unknown(value, input_type)
        if const is None:
            return None
        return _column_side(column, declared, input_type), const_node(const)
    if op == _CONCAT and base in (_VARCHAR, _BPCHAR, _NAME):
        # A number beside a string: text || anynonarray (or its mirror), the string as text.
        return _column_side(column, declared, TEXT), node
    if op not in _COMPARISONS:
        return None
    number: Const = value
    if base.name in _INTEGERS and base.is_builtin:
        if number.type == NUMERIC:
            return type_cast(column, NUMERIC), node
        return _column_side(column, declared, base), node
    if base == NUMERIC:
        literal = node if number.type == NUMERIC else type_cast(node, NUMERIC)
        return _column_side(column, declared, base), literal
    if base.name in _FLOATS and base.is_builtin:
        # real and double precision compare with float8 (float48 operators exist).
        return _column_side(column, declared, base), type_cast(node, DOUBLE)
    return None


def two_columns(
    op: str,
    lside: tuple[Node, tuple[TypeRef, TypeRef]],
    rside: tuple[Node, tuple[TypeRef, TypeRef]],
    base_of: TypeFacts,
) -> tuple[Node, Node] | None:
    """text = varchar reads the varchar as text; columns of one type compare as they are."""
    (left, (ldeclared, lbase)), (right, (rdeclared, rbase)) = lside, rside
    if op == _CONCAT and {lbase, rbase} <= _CONCAT_STRINGS:
        return _column_side(left, ldeclared, TEXT), _column_side(right, rdeclared, TEXT)
    for string, other in ((lbase, rbase), (rbase, lbase)):
        if op == _CONCAT and string in _CONCAT_STRINGS and no_concat(other, base_of):
            # text || anynonarray: the string is read as text, the other stays as it is.
            return (
                (_column_side(left, ldeclared, TEXT), right)
                if string is lbase
                else (left, _column_side(right, rdeclared, TEXT))
            )
    if op not in _COMPARISONS and op not in _PATTERNS:
        return None
    # char beside text has no operator of its own: both are read as text.
    if {lbase, rbase} <= {TEXT, _VARCHAR} or (
        op in _COMPARISONS and {lbase, rbase} == {TEXT, _BPCHAR}
    ):
        return _column_side(left, ldeclared, TEXT), _column_side(right, rdeclared, TEXT)
    if (
        op in _COMPARISONS
        and lbase != rbase
        and _NAME in (lbase, rbase)
        and {lbase, rbase} <= {TEXT, _VARCHAR, _BPCHAR, _NAME}
    ):
        # name = text and text = name exist (PostgreSQL 12 and later): a varchar or char beside
        # a name (CURRENT_USER) is read as text, the name stays as it is.
        return (
            left if lbase == _NAME else _column_side(left, ldeclared, TEXT),
            right if rbase == _NAME else _column_side(right, rdeclared, TEXT),
        )
    if op in _COMPARISONS and {lbase, rbase} == {_BPCHAR, _VARCHAR}:
        # bpchar = bpchar matches one side exactly, text = text none: the varchar is bpchar.
        return _column_side(left, ldeclared, _BPCHAR), _column_side(right, rdeclared, _BPCHAR)
    if op in _PATTERNS and lbase == _BPCHAR and rbase in (TEXT, _VARCHAR, _BPCHAR):
        return left, _column_side(right, rdeclared, TEXT)  # bpchar ~~ text (bpcharlike)
    if op in _PATTERNS and rbase == _BPCHAR and lbase in (TEXT, _VARCHAR):
        return _column_side(left, ldeclared, TEXT), _column_side(right, rdeclared, TEXT)
    if op in _PATTERNS and rbase == _NAME and lbase in (TEXT, _VARCHAR):
        # No pattern operator takes a name on the right: text ~~ text, both read as text.
        return _column_side(left, ldeclared, TEXT), _column_side(right, rdeclared, TEXT)
    if (lbase == rbase and lbase.is_builtin) or {lbase, rbase} == {_CIDR, _INET}:
        # A domain has no operators of its own: it is read as its base type (a cidr as inet).
        return (
            _column_side(left, ldeclared, read_as(lbase)),
            _column_side(right, rdeclared, read_as(rbase)),
        )
    if _plain(ldeclared) == _plain(rdeclared):
        return left, right
    mixed = beside_real(lbase, rbase) if op in _COMPARISONS else None
    if mixed is not None:
        return (
            left if mixed[0] is None else _column_side(left, ldeclared, mixed[0]),
            right if mixed[1] is None else _column_side(right, rdeclared, mixed[1]),
        )
    if op in _COMPARISONS:
        wider = wider_number(lbase, rbase)
        if wider is not None:
            return _column_side(left, ldeclared, wider), _column_side(right, rdeclared, wider)
    return None



def cidr_in_list(base: TypeRef, items: list[Any]) -> Node | None:
    """The array of ``cidr_col IN ('a', 'b')``: the literals take the common type cidr, and
    the array is then cast to inet[] for inet = inet (pg_operator has no cidr =), stored
    ``(ARRAY['a'::cidr, 'b'::cidr])::inet[]``; None for anything but string literals."""
    if base != _CIDR:
        return None
    consts = [coerce_unknown(text, _CIDR) if (text := _unknown(item)) else None for item in items]
    if any(const is None for const in consts):
        return None
    array = {"A_ArrayExpr": {"elements": [const_node(c) for c in consts if c is not None]}}
    return type_cast(array, TypeRef(None, "inet", array_dims=1))


def no_concat(base: TypeRef, base_of: TypeFacts) -> bool:
    """Whether ``base`` has no || of its own, so that beside a string || is text ||
    anynonarray (or its mirror): a built-in type of NONARRAY_CONCAT, or an enum, composite
    or range type the schema defines (a domain by its base type)."""
    if base.array_dims:
        return False
    return base.name in NONARRAY_CONCAT if base.is_builtin else base_of.kind(base) is not None
