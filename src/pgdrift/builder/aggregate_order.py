"""An aggregate's ORDER BY item that is one of its arguments, as parse analysis reads it.

transformAggregateCall sorts the aggregate's (already coerced) arguments: an ORDER BY item
that equals an argument once that argument's implicit coercion is stripped
(findTargetlistEntrySQL99, strip_implicit_coercions) is that argument, coercion and all. So
``string_agg(name, ',' ORDER BY name)`` of a varchar column is stored, and printed by
pg_get_viewdef, as ``string_agg((name)::text, ','::text ORDER BY (name)::text)``; an item that
is no argument (``ORDER BY dept``) keeps its own type.
"""

from __future__ import annotations

import copy

from pgdrift.builder.nodes import Node, equal_key

__all__ = ["argument_keys", "order_by_arguments"]


def argument_keys(call: Node) -> list[str] | None:
    """The arguments of an aggregate call with an ORDER BY, before they are coerced (by
    :func:`~pgdrift.builder.nodes.equal_key`); None for any other call."""
    if not call.get("agg_order"):
        return None
    return [equal_key(arg) for arg in call.get("args") or []]


def order_by_arguments(call: Node, before: list[str] | None) -> None:
    """The ORDER BY items of ``call`` that are arguments coerced since ``before`` (from
    :func:`argument_keys`) become the coerced arguments, in place."""
    if before is None:
        return
    coerced: dict[str, Node] = {}
    for arg, key in zip(call.get("args") or [], before, strict=False):
        cast = arg.get("TypeCast") if isinstance(arg, dict) else None
        # Only a coercion put on top of the argument as written is stripped (an explicit
        # cast the source wrote stays, so ORDER BY name does not match name::text).
        if cast is not None and equal_key(cast.get("arg")) == key:
            coerced.setdefault(key, arg)
    if not coerced:
        return
    for item in call.get("agg_order") or []:
        sort = item.get("SortBy") if isinstance(item, dict) else None
        if sort is None or not isinstance(sort.get("node"), dict):
            continue
        found = coerced.get(equal_key(sort["node"]))
        if found is not None:
            sort["node"] = copy.deepcopy(found)
