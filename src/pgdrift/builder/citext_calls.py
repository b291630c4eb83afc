"""Calls that function resolution gives to the citext extension's overloads of text functions.

citext defines ``strpos``, ``replace``, ``split_part``, ``translate`` and the ``regexp_*``
functions for citext (:data:`pgdrift.pg.functions.CITEXT_SIGNATURES`). Given a citext column
as the first argument and literals or columns of the parameters' types for the others, the
extension's overload matches more arguments exactly than pg_catalog's (Function Type
Resolution, step 4.c), so PostgreSQL calls it: each string literal takes its parameter's type
(``'x'::public.citext``), and pg_dump, whose search_path is empty, prints the call qualified
by the extension's schema (``public.strpos(c, 'x'::public.citext)``). Any other mix of
arguments is left to the built-in rules, which read the citext column as citext or text.
"""

from __future__ import annotations

from pgdrift.builder.common_types import unknown_text
from pgdrift.builder.comparisons import Typer, type_cast
from pgdrift.builder.nodes import Node, strings
from pgdrift.pg.constants import INTEGER, TEXT, Const, const_node
from pgdrift.pg.functions import CITEXT_SIGNATURES
from pgdrift.types import TypeRef

__all__ = ["citext_call"]

_PARAMETERS = {"text": TEXT, "integer": INTEGER}


def citext_call(call: Node, typer: Typer | None, search_path: list[str]) -> bool:
    """Whether ``call`` (a FuncCall of a bare name) resolves to a citext overload visible on
    ``search_path``; if so, it is qualified and its literals typed, in place."""
    names = strings(call.get("funcname"))
    args = call.get("args") or []
    params = CITEXT_SIGNATURES.get((names[-1], len(args))) if len(names) == 1 else None
    if params is None or typer is None or call.get("agg_star") or call.get("func_variadic"):
        return False
    first = _column_type(args[0], typer)
    if first is None or first.name != "citext" or first.schema is None:
        return False
    if first.schema not in search_path:
        # The overloads are not visible: pg_catalog's is called, with citext's implicit cast.
        args[0] = type_cast(args[0], TEXT)
        return False
    citext = TypeRef(first.schema, "citext")
    typed: list[Node] = []
    for arg, param in zip(args, params, strict=True):
        ref = citext if param == "citext" else _PARAMETERS[param]
        text = unknown_text(arg)
        if text is not None and ref != INTEGER:  # a literal takes its parameter's type
            typed.append(const_node(Const(ref, text)))
        elif _column_type(arg, typer) == ref or (ref == INTEGER and _integer(arg)):
            typed.append(arg)
        else:
            return False  # another type: the choice needs more of function resolution
    call["funcname"] = [{"String": {"sval": first.schema}}, *call["funcname"]]
    call["args"] = typed
    return True


def _column_type(arg: Node, typer: Typer) -> TypeRef | None:
    fields = strings(arg.get("ColumnRef", {}).get("fields"))
    ref = typer(fields) if fields else None
    return None if ref is None or ref.array_dims else ref


def _integer(arg: Node) -> bool:
    """Whether ``arg`` is an integer literal."""
    const = arg.get("A_Const")
    return const is not None and "ival" in const
