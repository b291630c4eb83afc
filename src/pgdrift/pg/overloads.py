"""Which built-in function a call with string literals resolves to: Function Type Resolution
(PostgreSQL 15 documentation, section 10.3; func_select_candidate in parse_func.c) over the
signatures pg_proc lists (:mod:`pgdrift.pg.builtin_signatures`), as far as pgdrift can follow it
offline. A literal (or NULL) is of type unknown until the chosen function's parameter types it.

Of the functions of a name that take that many arguments, those each argument pgdrift knows
is of, or cast to implicitly (pg_cast, :data:`pgdrift.pg.builtin_results.IMPLICIT_CASTS`), are
kept; of them the most exact matches win, then those taking the preferred type of the most
arguments' categories; if several remain, each position of an unknown argument selects the
type category its candidates accept (the string category if any does), and its preferred type
if one of them is that. Where an argument's type is not known where the candidates differ, or
the rules leave more than one, pgdrift does not say (None): PostgreSQL's last step (unknown
arguments taken as of the known ones' type) and polymorphic parameters given an argument of
another type are not followed. tools/builtin_signatures.py checks the answers against
PostgreSQL for every overloaded name, with unknown arguments and with arguments of other types.

>>> [t.name for t in resolve_overload(candidates("date_bin", 3),
...      [UNKNOWN, TypeRef(None, "timestamp with time zone"), UNKNOWN]).params]
['interval', 'timestamp with time zone', 'timestamp with time zone']
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

import attrs

from pgdrift.pg.builtin_results import IMPLICIT_CASTS, RESULTS
from pgdrift.pg.builtin_signatures import CATEGORIES, SIGNATURES, VARIADIC
from pgdrift.types import TypeRef

__all__ = [
    "ARRAY", "ENUM", "MULTIRANGE", "RANGE", "UNKNOWN", "Overload", "candidates", "modelled",
    "polymorphic_params", "resolve_overload", "result_of", "spelled", "written_variadic",
]

#: The type of a string literal or NULL before it is coerced.
UNKNOWN = TypeRef(None, "unknown")
#: What a polymorphic parameter looks at in an argument's type (:func:`_polymorphic_kind`).
ARRAY, ENUM, RANGE, MULTIRANGE = "array", "enum", "range", "multirange"
#: Polymorphic pseudo-type -> the kind of argument it takes ("any": any; "nonarray").
_POLYMORPHIC = {
    "anyelement": "any", "anycompatible": "any", "anynonarray": "nonarray",
    "anycompatiblenonarray": "nonarray", "anyenum": ENUM, "anyarray": ARRAY,
    "anycompatiblearray": ARRAY, "anyrange": RANGE, "anycompatiblerange": RANGE,
    "anymultirange": MULTIRANGE, "anycompatiblemultirange": MULTIRANGE,
}  # fmt: skip
_RANGES = frozenset({"int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange"})
_MULTIRANGES = frozenset(name.replace("range", "multirange") for name in _RANGES)


class Overload(NamedTuple):
    """A function a call can resolve to: its parameter types for that call, and whether its
    trailing arguments (after the ``fixed`` first) are packed into its VARIADIC array."""

    params: tuple[TypeRef, ...]
    variadic: bool = False
    fixed: int = 0


#: ``name(parameter types)`` -> the function's result type (pgdrift.pg.builtin_results).
_RESULT_OF = {function: result for result, functions in RESULTS.items() for function in functions}


@functools.cache
def _ref(name: str) -> TypeRef:
    return TypeRef(None, name.replace("[]", ""), array_dims=name.count("[]"))


def spelled(ref: TypeRef) -> str:
    """A type as the module of signatures spells it."""
    return ref.name + "[]" * ref.array_dims


@functools.cache
def candidates(name: str, count: int) -> tuple[Overload, ...]:
    """The built-in functions ``name`` a call of ``count`` arguments can resolve to; a VARIADIC
    one with its array expanded to the arguments it takes, unless an ordinary function has the
    same parameter types (FuncnameGetCandidates prefers that one)."""
    if not count:  # now(), pi()...: pg_proc lists their result types only
        return (Overload(()),) if f"{name}()" in _RESULT_OF else ()
    found = tuple(
        Overload(tuple(map(_ref, sig.split(",")))) for sig in SIGNATURES.get((name, count), ())
    )
    variadic = VARIADIC.get(name)
    if variadic is not None and count > len(variadic[0]):
        fixed, element = variadic
        params = (*map(_ref, fixed), *(_ref(element),) * (count - len(fixed)))
        if all(overload.params != params for overload in found):
            found += (Overload(params, variadic=True, fixed=len(fixed)),)
    return found


@functools.cache
def written_variadic(name: str, count: int) -> tuple[Overload, ...]:
    """The built-in function ``name`` a call of ``count`` arguments whose last is written
    ``VARIADIC`` resolves to: one whose VARIADIC array parameter takes that argument."""
    variadic = VARIADIC.get(name)
    if variadic is None or count != len(variadic[0]) + 1 or variadic[1] == "any":
        return ()
    return (Overload((*map(_ref, variadic[0]), _ref(variadic[1] + "[]"))),)


def modelled(ref: TypeRef | None) -> TypeRef | None:
    """``ref``, or None for a pseudo-type (anyelement, record...): an argument given to one
    takes the type of another, or keeps its own."""
    return None if ref is None or _category(ref)[0] == "P" or ref == UNKNOWN else ref


def resolve_overload(
    overloads: Sequence[Overload],
    arg_types: Sequence[TypeRef | None],
    kinds: Sequence[str | None] = (),
) -> Overload | None:
    """The one of ``overloads`` a call resolves to, given its arguments' types (:data:`UNKNOWN`
    for a string literal or NULL, None where pgdrift cannot tell; a domain as its base type)
    and, for a type of the schema, its kind (``ENUM``, ``RANGE``); None where pgdrift
    does not say."""
    if len(overloads) < 2:
        return overloads[0] if overloads else None
    count = len(arg_types)
    apart = [i for i in range(count) if len({o.params[i] for o in overloads}) > 1]
    if any(arg_types[i] is None for i in apart):
        return None
    types = [attrs.evolve(t, modifiers=()) if t is not None and t.is_builtin else t
             for t in arg_types]  # fmt: skip
    kinds = [*kinds, *(None,) * (count - len(kinds))]
    known = [i for i in apart if types[i] != UNKNOWN]
    # Those each known argument is of, or cast to implicitly (func_match_argtypes), or that a
    # polymorphic parameter accepts (can_coerce_type); of them, the most exact matches win,
    # then those taking the most arguments' preferred types.
    kept = [
        o for o in overloads
        if all(_coerces(types[i], o.params[i], kinds[i]) for i in known)
        and _consistent(o, types, kinds)
    ]  # fmt: skip
    for score in (_exact, _exact_or_preferred):
        if len(kept) > 1:
            best = max(sum(score(types[i], o.params[i]) for i in known) for o in kept)
            kept = [o for o in kept if sum(score(types[i], o.params[i]) for i in known) == best]
    unknown = [i for i in apart if types[i] == UNKNOWN]
    if len(kept) > 1 and unknown:
        kept = _by_category(kept, unknown)
    return kept[0] if len(kept) == 1 else None


def _coerces(arg: TypeRef | None, param: TypeRef, kind: str | None = None) -> bool:
    """Whether an argument of type ``arg`` (of ``kind`` if a type of the schema) is given to
    ``param`` as it is, by an implicit cast (pg_cast), or to a polymorphic pseudo-type that
    takes it (anyenum an enum, anyarray an array, anynonarray anything else...)."""
    if arg == param:
        return True
    if arg is None or param.array_dims:
        return False
    accepts = _POLYMORPHIC.get(param.name)
    if accepts is not None:
        return accepts == _polymorphic_kind(arg, kind) or accepts == "any" or (
            accepts == "nonarray" and not arg.array_dims)  # fmt: skip
    if arg.array_dims or not arg.is_builtin:
        return False
    return param.name in IMPLICIT_CASTS.get(arg.name, ())


def _polymorphic_kind(arg: TypeRef, kind: str | None) -> str | None:
    """What of ``arg`` a polymorphic parameter looks at: an array, an enum, a range, a
    multirange (built in, or a type of the schema of that ``kind``), else None."""
    if arg.array_dims:
        return ARRAY
    if arg.is_builtin:
        return RANGE if arg.name in _RANGES else MULTIRANGE if arg.name in _MULTIRANGES else None
    return kind


def _consistent(
    overload: Overload, types: Sequence[TypeRef | None], kinds: Sequence[str | None]
) -> bool:
    """check_generic_type_consistency, as far as pgdrift follows it: the arguments given to
    anyelement, anynonarray, anyenum and to the elements of anyarray are all of one type."""
    found = _family_elements(overload, types, kinds).get("any")
    return found is not _CONFLICT


def _exact(arg: TypeRef | None, param: TypeRef) -> bool:
    return arg == param


def _exact_or_preferred(arg: TypeRef | None, param: TypeRef) -> bool:
    """An exact match, or the preferred type of the argument's category (IsPreferredType of
    the argument's TypeCategory, func_select_candidate)."""
    if arg == param:
        return True
    if arg is None or arg.array_dims or param.array_dims:
        return False
    category = CATEGORIES.get(arg.name, ("X", False))[0]
    return _category(param) == (category, True)


def _category(ref: TypeRef) -> tuple[str, bool]:
    if ref.array_dims:
        return "A", False
    return CATEGORIES.get(ref.name, ("X", False))


def _by_category(overloads: list[Overload], unknown: list[int]) -> list[Overload]:
    """Of ``overloads``, those accepting at each unknown position the category its candidates
    accept (string first), and its preferred type where one of them accepts that; all of them
    when a position accepts two categories and no string one, or none would remain."""
    selected: dict[int, tuple[str, bool]] = {}
    for i in unknown:
        category, preferred, conflict = "", False, False
        for overload in overloads:
            current, is_preferred = _category(overload.params[i])
            if not category:
                category, preferred = current, is_preferred
            elif current == category:
                preferred = preferred or is_preferred
            elif current == "S":  # the string category wins where a candidate accepts it
                category, preferred = current, is_preferred
            else:
                conflict = True
        if conflict and category != "S":
            return overloads
        selected[i] = (category, preferred)
    kept = [
        overload for overload in overloads
        if all(_category(overload.params[i])[0] == selected[i][0]
               and (not selected[i][1] or _category(overload.params[i])[1]) for i in unknown)
    ]  # fmt: skip
    return kept or overloads


# The polymorphic families (PostgreSQL 15 documentation, section 38.2.5): an element type and
# its array; anyrange and anymultirange settle only themselves here (all the ranges given to
# them one type), their element types and results are left to the hand-kept rules (call_types).
_ELEMENTS = {
    "anyelement": "any", "anynonarray": "any", "anyenum": "any",
    "anycompatible": "anycompatible", "anycompatiblenonarray": "anycompatible",
}  # fmt: skip
_ARRAYS = {"anyarray": "any", "anycompatiblearray": "anycompatible"}
_WHOLE = {"anyrange": RANGE, "anycompatiblerange": RANGE, "anymultirange": MULTIRANGE,
          "anycompatiblemultirange": MULTIRANGE}  # fmt: skip
_CONFLICT = TypeRef(None, "-")  # arguments of one family of different types


def _family_elements(
    chosen: Overload, arg_types: Sequence[TypeRef | None], kinds: Sequence[str | None] = ()
) -> dict[str, TypeRef]:
    """The element type each polymorphic family of ``chosen`` takes from the arguments given
    to it (an array's element for anyarray), :data:`_CONFLICT` where they differ or an
    argument of a family is one pgdrift does not follow (enforce_generic_type_consistency;
    anycompatible's common type of different types is not followed)."""
    found: dict[str, TypeRef] = {}
    for index, (param, arg) in enumerate(zip(chosen.params, arg_types, strict=False)):
        if param.array_dims or arg is None or arg == UNKNOWN:
            continue
        family = _ELEMENTS.get(param.name) or _ARRAYS.get(param.name)
        kind = kinds[index] if index < len(kinds) else None
        if family is None:
            whole = _WHOLE.get(param.name)
            if whole is not None:  # a range (multirange) family: one type for all of them
                settled = arg if _polymorphic_kind(arg, kind) == whole else _CONFLICT
                if found.setdefault(param.name, settled) != settled:
                    found[param.name] = _CONFLICT
            continue
        if param.name == "anyenum" and _polymorphic_kind(arg, kind) != ENUM:
            found[family] = _CONFLICT
            continue
        element = attrs.evolve(arg, modifiers=())
        if param.name in _ARRAYS:
            if not arg.array_dims:
                found[family] = _CONFLICT
                continue
            element = attrs.evolve(element, array_dims=arg.array_dims - 1)
        if found.setdefault(family, element) != element:
            found[family] = _CONFLICT
    return found


def polymorphic_params(
    chosen: Overload, arg_types: Sequence[TypeRef | None], kinds: Sequence[str | None] = ()
) -> tuple[TypeRef | None, ...]:
    """The parameters of ``chosen`` with each polymorphic one of a family the arguments settle
    replaced by its type (anyelement by the element type, anyarray by an array of it), as a
    literal given to it is coerced; None for one they do not settle, or another pseudo-type.

    >>> mood = TypeRef("public", "mood")
    >>> polymorphic_params(Overload((TypeRef(None, "anyarray"), TypeRef(None, "anyelement"))),
    ...                    [TypeRef("public", "mood", array_dims=1), UNKNOWN])[1] == mood
    True
    """
    families = _family_elements(chosen, arg_types, kinds)
    params: list[TypeRef | None] = []
    for param in chosen.params:
        family = _ELEMENTS.get(param.name) or _ARRAYS.get(param.name)
        if param.name in _WHOLE and not param.array_dims:  # anyrange given a literal: the range
            family = param.name
        element = families.get(family) if family is not None and not param.array_dims else None
        if element is None or element is _CONFLICT:
            params.append(modelled(param))
        else:
            params.append(attrs.evolve(element, array_dims=1) if param.name in _ARRAYS
                          else element)  # fmt: skip
    return tuple(params)


def result_of(
    name: str,
    chosen: Overload,
    arg_types: Sequence[TypeRef | None],
    kinds: Sequence[str | None] = (),
) -> TypeRef | None:
    """The result type of the built-in ``name`` resolved to ``chosen`` (a set-returning
    function's rows' type), given its arguments' types (as :func:`resolve_overload` takes
    them); a polymorphic one resolved from the arguments of its family, which must agree
    (an anycompatible one's common type is not followed); None where pgdrift does not say."""
    key = f"{name}({','.join(map(spelled, chosen.params))})"
    if chosen.variadic or (key not in _RESULT_OF and name in VARIADIC):
        key = f"{name}(VARIADIC)"  # its arguments packed, or its array written VARIADIC
    result = _RESULT_OF.get(key)
    if result is None:
        return None
    family = _ELEMENTS.get(result) or _ARRAYS.get(result)
    if family is None:
        ref = _ref(result)
        return None if _category(ref)[0] == "P" else ref
    families = _family_elements(chosen, arg_types, kinds)
    element = families.get(family)
    if element is None or _CONFLICT in families.values():
        return None  # not settled, or a family pgdrift does not follow
    return attrs.evolve(element, array_dims=1) if result in _ARRAYS else element
