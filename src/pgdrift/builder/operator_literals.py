"""A built-in operator with a string literal on one side and an operand of a built-in type on
the other, typed as PostgreSQL's Operator Type Resolution types it (:mod:`pgdrift.pg.
operator_literals` holds its answers, read off PostgreSQL 15): ``now() + '30 days'`` is
``timestamp with time zone + interval`` (there is no timestamptz + timestamptz), stored
``now() + '30 days'::interval``; ``ts - '2020-01-01'`` is timestamptz - timestamptz (an
operator of the two types of the known side wins), ``ip << '10.0.0.0/8'`` inet << inet, ``tv
@@ 'cat'`` tsvector @@ tsquery; a cidr is read as inet (``c::inet >>= '10.1.2.3'::inet``).

The literal is typed only where pgdrift prints it as the type's output function does (numbers,
booleans, dates and times, intervals, bytea, text): otherwise the expression is left as written
rather than given a text the server may print otherwise. builder/comparisons.py keeps its own
rules for comparisons, patterns and ``||``, which come first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from pgdrift.builder.comparison_parts import _column_side
from pgdrift.builder.nodes import Node
from pgdrift.pg.constants import const_node, printed_unknown
from pgdrift.pg.operator_literals import EXACT, OTHER_TYPE, SAME_TYPE
from pgdrift.types import TypeRef

__all__ = ["literal_operands", "operator_result"]

#: What an operand is, as builder.comparisons._operand says: ("unknown", text), ("number",
#: Const), ("column", (declared type, base type)) or ("other", None).
Operand = Callable[[Any], tuple[str, Any]]

_BOOLEAN = "boolean"


@functools.cache
def _same_type(name: str) -> frozenset[str]:
    return frozenset(SAME_TYPE.get(name, "").split())


def _listed(ref: TypeRef) -> bool:
    """Whether ``ref`` may be a type of the tables: built-in, no array, length or precision."""
    return ref.is_builtin and not ref.array_dims and not ref.modifiers


def _outcome(known: TypeRef, op: str, side: str) -> tuple[TypeRef, TypeRef, TypeRef] | None:
    """(the literal's type, the result type, the type ``known`` is read as) of ``known op
    'literal'`` (``side`` "r") or ``'literal' op known`` ("l"), or None when PostgreSQL finds
    no one operator (or pgdrift does not list the type)."""
    if not _listed(known):
        return None
    if op in _same_type(known.name):
        return known, TypeRef(None, _BOOLEAN), known
    found = OTHER_TYPE.get((known.name, op, "")) or OTHER_TYPE.get((known.name, op, side))
    if found is None:
        return None
    literal, result, *read = (TypeRef(None, name) for name in found)
    return literal, result, read[0] if read else known


def literal_operands(op: str, left: Any, right: Any, operand: Operand) -> tuple[Node, Node] | None:
    """``left op right`` as stored when one side is a string literal and the other of a built-in
    type (a domain over one is read as it), or None when pgdrift cannot tell or print it."""
    sides = [operand(left), operand(right)]
    kinds = [kind for kind, _ in sides]
    if sorted(kinds) != ["column", "unknown"]:
        return None
    at = kinds.index("column")
    declared, base = sides[at][1]
    outcome = _outcome(base, op, "r" if at == 0 else "l")
    if outcome is None:
        return None
    literal_type, _, read = outcome
    # Typed only where pgdrift prints the literal as the type's output function does.
    const = printed_unknown(sides[1 - at][1], literal_type)
    if const is None:
        return None
    nodes = [left, right]
    nodes[at] = _column_side(nodes[at], declared, read)
    nodes[1 - at] = const_node(const)
    return nodes[0], nodes[1]


def operator_result(op: str, left: Any, right: Any, operand: Operand) -> TypeRef | None:
    """The type of ``left op right`` of a built-in operator the tables list: one side a string
    literal, or both of exactly the types an operator takes (PostgreSQL picks that one)."""
    (lkind, lvalue), (rkind, rvalue) = operand(left), operand(right)
    if lkind == "column" and rkind == "column":
        # Operands of exactly an operator's types (a domain's base type counts) pick it.
        (_, lbase), (_, rbase) = lvalue, rvalue
        found = EXACT.get((op, lbase.name, rbase.name))
        if found is not None and _listed(lbase) and _listed(rbase):
            return TypeRef(None, found)
    for kind, value, other_kind, other, side in (
        (lkind, lvalue, rkind, rvalue, "r"), (rkind, rvalue, lkind, lvalue, "l")
    ):  # fmt: skip
        if kind != "column":
            continue
        outcome = _outcome(value[1], op, side)
        if outcome is None:
            continue
        if other_kind == "unknown":
            return outcome[1]
        if other_kind == "column" and other[1] == outcome[0] and outcome[2] == value[1]:
            return outcome[1]
    return None
