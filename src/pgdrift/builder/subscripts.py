"""Subscripts typed as the subscripted type's handler types them.

jsonb's (jsonb_subscript_transform, PostgreSQL 14 and later) coerces a subscript of unknown
type, a string literal, to text: ``j['a']`` is stored ``j['a'::text]``, printed so; an integer
stays an integer (``j[0]``).
"""

from __future__ import annotations

from pgdrift.builder.common_types import unknown_text
from pgdrift.builder.comparisons import Typer, json_type
from pgdrift.builder.domains import TypeFacts
from pgdrift.builder.nodes import Node
from pgdrift.pg.constants import TEXT, Const, const_node
from pgdrift.types import TypeRef

__all__ = ["jsonb_subscripts"]

_JSONB = TypeRef(None, "jsonb")


def jsonb_subscripts(indirection: Node, typer: Typer, base_of: TypeFacts) -> None:
    """The string literal subscripts of an A_Indirection on a jsonb value, as text (changed in
    place); anything else is left as it is."""
    arg = indirection.get("arg")
    if not isinstance(arg, dict) or json_type(arg, typer, base_of) != _JSONB:
        return
    for item in indirection.get("indirection") or ():
        index = item.get("A_Indices") if isinstance(item, dict) else None
        text = unknown_text(index.get("uidx")) if index and index.get("uidx") else None
        if text is not None and index is not None:
            index["uidx"] = const_node(Const(TEXT, text))
