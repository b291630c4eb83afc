"""The arguments of a built-in call as parse analysis coerces them to the parameters of the
function it resolves to ("Function Type Resolution"), so that source SQL equals its dump:
``jsonb_set(j, '{a}', '1')`` is stored as ``jsonb_set(j, '{a}'::text[], '1'::jsonb)``,
``date_bin('15 minutes', ts, '2000-01-01')`` with the interval and the timestamp printed by
their output functions, ``jsonb_extract_path_text(j, 'a', 'b')`` as
``jsonb_extract_path_text(j, VARIADIC ARRAY['a'::text, 'b'::text])``.

The parameters come from the signatures pg_proc lists (:mod:`pgdrift.pg.overloads`, which
picks the overload) and from :data:`pgdrift.pg.functions.BUILTIN_ARGUMENTS`, kept by hand for
what those rules do not settle (a literal given to ``length``, whose overloads take text,
bytea, bit...; ``format``'s VARIADIC "any"), which wins where it names a type. A string literal
becomes a constant of its parameter's type where pgdrift prints that type as its output function
does (:func:`pgdrift.pg.constants.printed_unknown`), and is left as written elsewhere; a NULL
takes the type too; a varchar column given to text, and a number given to another numeric
type, are cast.
"""

from __future__ import annotations

from pgdrift.builder.array_comparisons import array_column_type
from pgdrift.builder.builtin_calls import domain_as_base
from pgdrift.builder.call_types import type_kind
from pgdrift.builder.common_types import (
    as_text,
    coerced_number,
    enum_const,
    null_of,
    unknown_text,
)
from pgdrift.builder.comparison_parts import type_cast
from pgdrift.builder.comparisons import Typer, expression_type, result_type
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import TypeFacts
from pgdrift.builder.nodes import Node, put_field
from pgdrift.builder.search_path import REG_KINDS, reg_output
from pgdrift.pg.builtin_results import IMPLICIT_CASTS
from pgdrift.pg.constants import TEXT, Const, const_node, printed_unknown
from pgdrift.pg.functions import BPCHAR_OVERLOADS, BUILTIN_ARGUMENTS, CITEXT_OVERLOADS
from pgdrift.pg.overloads import (
    UNKNOWN,
    Overload,
    candidates,
    modelled,
    polymorphic_params,
    resolve_overload,
    written_variadic,
)
from pgdrift.types import TypeRef

__all__ = ["NUMERIC_TYPES", "resolved_params", "type_builtin_args"]

#: The numeric types a number literal can be of, or be cast to implicitly.
NUMERIC_TYPES = (
    TypeRef(None, "smallint"), TypeRef(None, "integer"), TypeRef(None, "bigint"),
    TypeRef(None, "numeric"), TypeRef(None, "real"), TypeRef(None, "double precision"),
)  # fmt: skip

# Functions in SQL syntax with an argument that is a keyword, a text constant ruleutils prints
# bare (get_func_sql_syntax): EXTRACT(epoch FROM x), NORMALIZE(s, NFC), s IS NFC NORMALIZED.
_KEYWORD_ARGUMENTS = {"extract": 0, "normalize": 1, "is_normalized": 1}


def type_builtin_args(
    ctx: BuildContext, call: Node, name: str, typer: Typer, base_of: TypeFacts
) -> None:
    """``call`` (a FuncCall of the built-in ``name``) with its arguments coerced to the
    parameters of the function it resolves to, in place; left alone where pgdrift cannot tell
    which, or (for a VARIADIC one) cannot print a packed literal as PostgreSQL does."""
    params = _params(call, name, typer, base_of)
    if params is None:
        return
    args = call.get("args") or []
    # ruleutils prints the arguments of a call in SQL syntax (POSITION(a IN b)) without
    # their implicit casts (get_func_sql_syntax): only literals show their type there.
    shown = call.get("funcformat") != "COERCE_SQL_SYNTAX"
    keyword = -1 if shown else _KEYWORD_ARGUMENTS.get(name, -1)
    for index, (arg, param) in enumerate(zip(args, params, strict=True)):
        text = unknown_text(arg)
        if param is None or index == keyword or (text is None and not shown):
            continue
        if param in NUMERIC_TYPES:
            # A number of the parameter's type is given as it is (a domain relabelled).
            exact = text is None and result_type(arg, typer, base_of) == param
            args[index] = (domain_as_base(arg, frozenset({param.name}), typer, base_of) if exact
                           else coerced_number(arg, param, typer, base_of))  # fmt: skip
        elif text is not None:
            args[index] = _literal(ctx, arg, text, param, base_of)
        elif _bare_null(arg):
            args[index] = null_of(param)
        elif param == TEXT:  # a varchar, char or name column or expression, cast to text
            cast = as_text(arg, typer, base_of, bpchar=name in BPCHAR_OVERLOADS,
                           citext=name in CITEXT_OVERLOADS)  # fmt: skip
            args[index] = domain_as_base(cast, frozenset({"text"}), typer, base_of)
        elif not param.array_dims:  # a domain given to its base type: relabelled
            args[index] = _implicit(arg, param, typer, base_of) or domain_as_base(
                arg, frozenset({param.name}), typer, base_of)  # fmt: skip


def _params(
    call: Node, name: str, typer: Typer, base_of: TypeFacts
) -> tuple[TypeRef | None, ...] | None:
    """The parameter type each argument of ``call`` is coerced to (None where pgdrift does not
    say), the trailing arguments of a VARIADIC function packed first; None for none at all."""
    args = call.get("args") or []
    count = len(args)
    hand = BUILTIN_ARGUMENTS.get((name, count))
    overloads = written_variadic(name, count) if call.get("func_variadic") else candidates(
        name, count)  # fmt: skip
    if not overloads:
        return hand
    # Arguments named (f(x => 1)) are matched by name: only those before them are followed.
    named = next((i for i, arg in enumerate(args) if "NamedArgExpr" in arg), count)
    chosen = None
    found: list[TypeRef | None] = []
    if named == count:
        types = [_arg_type(arg, typer, base_of) for arg in args]
        kinds = [type_kind(t, base_of.kind) for t in types]
        chosen = resolve_overload(overloads, types, kinds)
        if chosen is not None:
            found = list(
                _settled(chosen, args, types=types, kinds=kinds, typer=typer, base_of=base_of)
            )
    if chosen is not None and chosen.variadic and modelled(chosen.params[-1]) is not None:
        return _packed(call, chosen, typer, base_of)
    # The overload chosen wins; else what every overload says, and the hand-kept table first.
    found = found or [modelled(t) for t in _agreed(overloads)[:named]]
    kept = hand or (None,) * count
    return tuple(
        found[i] if i < named and (chosen or kept[i] is None) and found[i] else kept[i]
        for i in range(count)
    )


def _settled(
    chosen: Overload,
    args: list[Node],
    *,
    types: list[TypeRef | None],
    kinds: list[str | None],
    typer: Typer,
    base_of: TypeFacts,
) -> tuple[TypeRef | None, ...]:
    """The parameters of ``chosen``, a polymorphic one given a string literal or NULL taking
    the type the other arguments of its family settle (enforce_generic_type_consistency:
    ``array_append(moods, 'ok')`` types ``'ok'`` as the enum mood). Not where an argument of
    a polymorphic parameter is a domain (anyelement keeps it; pgdrift reads it as its base)."""
    params = tuple(modelled(t) for t in chosen.params)
    for arg, param in zip(args, chosen.params, strict=True):
        declared = expression_type(arg, typer, base_of) if modelled(param) is None else None
        if declared is not None and base_of(TypeRef(declared.schema, declared.name)) != TypeRef(
            declared.schema, declared.name
        ):
            return params
    resolved = polymorphic_params(chosen, types, kinds)
    return tuple(
        resolved[i] if types[i] == UNKNOWN and resolved[i] is not None else params[i]
        for i in range(len(params))
    )


def resolved_params(
    overloads: tuple[Overload, ...], args: list[Node], typer: Typer, base_of: TypeFacts
) -> tuple[TypeRef | None, ...]:
    """The parameter types the arguments of a call among ``overloads`` (of a shipped
    extension: ``digest(text, text)`` and ``digest(bytea, text)``) are given to: those of the
    overload function resolution picks, else those every overload shares (None elsewhere)."""
    chosen = resolve_overload(overloads, [_arg_type(arg, typer, base_of) for arg in args])
    return chosen.params if chosen is not None else _agreed(overloads)


def _agreed(overloads: tuple[Overload, ...]) -> tuple[TypeRef | None, ...]:
    """The type each position has in every overload (None where they differ): an argument
    there is coerced to it whichever PostgreSQL chooses."""
    first = overloads[0].params
    return tuple(t if all(o.params[i] == t for o in overloads) else None
                 for i, t in enumerate(first))  # fmt: skip


def _arg_type(arg: Node, typer: Typer, base_of: TypeFacts) -> TypeRef | None:
    """The type function resolution sees for an argument: unknown for a string literal or
    NULL, a domain's base type, None where pgdrift cannot tell."""
    if unknown_text(arg) is not None or _bare_null(arg):
        return UNKNOWN
    if "NamedArgExpr" in arg:
        return None
    return result_type(arg, typer, base_of) or array_column_type(arg, typer, base_of.kind)


def _implicit(arg: Node, param: TypeRef, typer: Typer, base_of: TypeFacts) -> Node | None:
    """``(arg)::param`` where ``arg`` is of another built-in type cast to ``param`` implicitly
    (pg_cast; ``host((c)::inet)`` of a cidr ``c``): ruleutils prints a call's arguments with
    their implicit casts. None where it is not, or pgdrift does not know its type."""
    found = result_type(arg, typer, base_of)
    if found is None or found.array_dims or not found.is_builtin or found.name == param.name:
        return None
    return type_cast(arg, param) if param.name in IMPLICIT_CASTS.get(found.name, ()) else None


def _bare_null(arg: Node) -> bool:
    return bool(arg.get("A_Const", {}).get("isnull"))


def _literal(
    ctx: BuildContext, arg: Node, text: str, param: TypeRef, base_of: TypeFacts
) -> Node:
    """A string literal given to a parameter of type ``param``."""
    kinds = REG_KINDS.get(param.name) if not param.array_dims else None
    if kinds is not None:  # a relation (configuration...) name, resolved on the search_path
        return const_node(Const(param, reg_output(ctx, text, kinds)))
    const = enum_const(text, param, base_of) or printed_unknown(text, param)
    return arg if const is None else const_node(const)


def _packed(
    call: Node, chosen: Overload, typer: Typer, base_of: TypeFacts
) -> tuple[TypeRef | None, ...] | None:
    """``f(x, a, b)`` of ``f(x, VARIADIC t[])``: the trailing arguments packed into an array
    of ``t``, each coerced to it, and the call marked VARIADIC (make_fn_arguments;
    funcvariadic), which ruleutils prints ``VARIADIC ARRAY[...]``; the parameters of the
    arguments before, the array's (already coerced) None. None, and the call left as
    written, where a literal element is not one pgdrift prints as PostgreSQL does."""
    args = call.get("args") or []
    element, fixed = chosen.params[-1], chosen.fixed
    elements = []
    for arg in args[fixed:]:
        text = unknown_text(arg)
        const = printed_unknown(text, element) if text is not None else None
        if text is not None and const is None:
            return None
        if const is not None:
            elements.append(const_node(const))
        elif _bare_null(arg):
            elements.append(null_of(element))
        elif element == TEXT:
            elements.append(as_text(arg, typer, base_of))
        elif element in NUMERIC_TYPES:
            elements.append(coerced_number(arg, element, typer, base_of))
        else:
            elements.append(arg)
    call["args"] = [*args[:fixed], {"A_ArrayExpr": {"elements": elements}}]
    put_field(call, "FuncCall", "func_variadic", True)
    return (*map(modelled, chosen.params[:fixed]), None)

