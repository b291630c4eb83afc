"""The types of a subscripted array and of a composite's field: ``tags[1]`` is of the array's
element type, ``(p).x`` of the attribute's type (transformIndirection: a FieldSelect is of
its attribute's type, ``(n).p.y`` selecting field after field)."""

from __future__ import annotations

from collections.abc import Callable

from pgdrift.builder.domains import TypeFacts
from pgdrift.builder.nodes import Node, strings
from pgdrift.types import TypeRef

__all__ = ["array_element", "field_names", "field_type", "flat_fields"]


def array_element(node: Node, array_of: Callable[[Node], TypeRef | None]) -> TypeRef | None:
    """The element type of ``a[i]`` (a one-dimensional array, subscripted once, not sliced;
    ``array_of`` tells the type of ``a``, one pgdrift types), else None."""
    indirection = node.get("A_Indirection")
    if indirection is None:
        return None
    subscripts = indirection.get("indirection") or []
    arg = indirection.get("arg")
    if not isinstance(arg, dict) or len(subscripts) != 1:
        return None
    index = subscripts[0].get("A_Indices")
    if index is None or index.get("is_slice"):
        return None
    declared = array_of(arg)
    if declared is None or declared.array_dims != 1:
        return None
    return TypeRef(declared.schema, declared.name, declared.modifiers)


def field_names(node: Node) -> tuple[Node, list[str]] | None:
    """``(arg).a.b`` as its argument and the fields it selects, else None (a subscript)."""
    indirection = node.get("A_Indirection")
    if indirection is None:
        return None
    selected = indirection.get("indirection") or []
    names = strings(selected)
    if not names or len(names) != len(selected) or not isinstance(indirection.get("arg"), dict):
        return None
    arg: Node = indirection["arg"]
    return arg, names


def field_type(ref: TypeRef, names: list[str], types: TypeFacts) -> TypeRef | None:
    """The type of field ``names`` (one after another) of a value of type ``ref``: a domain
    over a composite type selects from its base type's attributes."""
    found: TypeRef | None = ref
    for name in names:
        if found is None:
            return None
        found = types.field(types(found), name)
    return found



def flat_fields(node: Node) -> Node:
    """``((n).m).amount`` and ``(q[1]).a`` as stored and printed: one chain of field
    selections and subscripts, ``(n).m.amount`` and ``(q)[1].a`` (ruleutils prints a
    FieldSelect or SubscriptingRef of another so). A subscript of a subscript stays nested:
    ``(a[1:2])[1]`` is not ``a[1:2][1]``."""
    indirection = node.get("A_Indirection")
    arg = indirection.get("arg") if indirection is not None else None
    inner = arg.get("A_Indirection") if isinstance(arg, dict) else None
    if indirection is None or inner is None:
        return node
    first, then = inner.get("indirection") or [], indirection.get("indirection") or []
    if not first or not then or ("A_Indices" in first[-1] and "A_Indices" in then[0]):
        return node
    if any("A_Star" in step for step in first):
        return node
    return {"A_Indirection": {"arg": inner["arg"], "indirection": [*first, *then]}}
