"""Comparisons of the object identifier types (regclass, regtype, regproc... and oid) as
PostgreSQL 15 resolves them: pg_operator has no operator on a reg* type, each reaches oid's
(``oideq``, ``oidlt``...) by its implicit binary cast to oid, so ``pg_typeof(x) =
'integer'::regtype`` is stored ``(pg_typeof(x))::oid = ('integer'::regtype)::oid`` and
``c.oid = 'public.t'::regclass`` as ``c.oid = ('public.t'::regclass)::oid``. Beside one, an
integer or bigint is cast to oid (``(0)::oid``; pg_cast, implicit) and a string literal is an oid
constant; an operand of a type pgdrift does not know (a catalog column) is taken to be an oid,
as nothing else compares with a reg* value. Each rule was checked against PostgreSQL 15
(fixtures/ddl/reg_type_comparisons).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pgdrift.builder.comparison_parts import type_cast
from pgdrift.builder.nodes import Node
from pgdrift.pg.constants import BIGINT, INTEGER, Const, const_node
from pgdrift.types import OID_ALIASES, TypeRef

__all__ = ["reg_comparison"]

_OID = TypeRef(None, "oid")
_INTEGERS = (INTEGER, BIGINT)  # cast to oid implicitly (pg_cast)
_OID_TEXT = re.compile(r"\s*\+?([0-9]+)\s*\Z")  # oidin, as far as pgdrift reads it

#: What an operand is, as builder.comparisons._operand says: ("column", (declared type, base
#: type)), ("number", Const), ("unknown", text) or ("other", None).
Operand = Callable[[Any], tuple[str, Any]]


def _reg(kind: str, value: Any) -> bool:
    return kind == "column" and value[1].is_builtin and not value[1].array_dims and (
        value[1].name in OID_ALIASES)  # fmt: skip


def reg_comparison(left: Any, right: Any, operand: Operand) -> tuple[Node, Node] | None:
    """``left`` and ``right`` of a comparison as stored when one is of a reg* type or oid;
    None when neither is, or the other is one pgdrift does not follow (a bigint, a text...)."""
    sides = [operand(left), operand(right)]
    if not any(_reg(kind, value) or (kind == "column" and value[1] == _OID)
               for kind, value in sides):  # fmt: skip
        return None
    typed: list[Node] = []
    for node, (kind, value) in zip((left, right), sides, strict=True):
        if _reg(kind, value) or (kind == "column" and value[1] in _INTEGERS):
            typed.append(type_cast(node, _OID))  # the implicit cast, shown
        elif kind == "number" and value.type in _INTEGERS:
            typed.append(type_cast(node, _OID))
        elif kind == "unknown" and _OID_TEXT.match(value):
            number = int(_OID_TEXT.match(value)[1])  # type: ignore[index]
            if number >= 2**32:
                return None
            typed.append(const_node(Const(_OID, str(number))))
        elif kind == "other" or (kind == "column" and value[1] == _OID):
            typed.append(node)
        else:
            return None
    return typed[0], typed[1]
