"""Routine assertions: a function or procedure by name and argument types, and its properties."""

from __future__ import annotations

from collections.abc import Sequence

from pgdrift import ids
from pgdrift.schema import Schema
from pgdrift.testing._lookups import (
    _fail_mismatches,
    _not_found,
    _qualified_key,
    _qualify,
    _quote,
    _routine_type,
    _routines,
    _split_signature,
)


def assert_function(
    schema: Schema,
    name: str,
    args: Sequence[str] | None = None,
    *,
    returns: str | None = None,
    language: str | None = None,
    security_definer: bool | None = None,
    volatility: str | None = None,
    strict: bool | None = None,
) -> None:
    """A function or procedure exists (pgTAP ``has_function``) with, where given, these
    argument types (``args``, or in the name: ``"f(uuid, text)"``), return type
    (``function_returns``), language (``function_lang_is``), SECURITY DEFINER (``is_definer``),
    volatility (``volatility_is``: ``"immutable"``, ``"stable"``, ``"volatile"``) and
    strictness (``is_strict``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE FUNCTION public.f(a uuid) RETURNS text LANGUAGE sql "
        ...                   "STABLE SECURITY DEFINER AS 'select 1';")
        >>> assert_function(s, "f", ["uuid"], returns="text", security_definer=True)
        >>> assert_function(s, "f(uuid)", language="plpgsql")
        Traceback (most recent call last):
        ...
        AssertionError: public.f(uuid): expected LANGUAGE plpgsql, found LANGUAGE sql
    """
    if args is not None:
        name = f"{_split_signature(name)[0]}({', '.join(args)})"
    kinds = (ids.FUNCTION, ids.PROCEDURE)
    found = _routines(schema, name, kinds)
    if not found:
        base = _qualify(_split_signature(name)[0])
        overloads = _routines(schema, base, kinds)
        if overloads:
            listed = ", ".join(o.id.qualified_name for o in overloads)
            raise AssertionError(
                f"no function {_quote(_qualified_key(ids.FUNCTION, name))}; found {listed}"
            )
        raise _not_found(schema, ids.FUNCTION, name)
    if len(found) > 1 and any(
        v is not None for v in (returns, language, security_definer, volatility, strict)
    ):
        listed = ", ".join(o.id.qualified_name for o in found)
        raise AssertionError(
            f"function {_quote(_qualify(name))} is overloaded ({listed}); give its argument types"
        )
    func = found[0]
    mismatches: list[tuple[str, str]] = []
    if returns is not None:
        have = "no result (a procedure)" if func.returns is None else f"RETURNS {func.returns}"
        if func.returns is None or func.returns != _routine_type(returns):
            mismatches.append((f"RETURNS {_routine_type(returns)}", have))
    if language is not None and language.lower() != func.language:
        mismatches.append((f"LANGUAGE {language.lower()}", f"LANGUAGE {func.language}"))
    if security_definer is not None and security_definer != func.security_definer:
        words = {True: "SECURITY DEFINER", False: "SECURITY INVOKER"}
        mismatches.append((words[security_definer], words[func.security_definer]))
    if volatility is not None and volatility.lower() != func.volatility:
        mismatches.append((volatility.upper(), func.volatility.upper()))
    if strict is not None and strict != func.strict:
        words = {True: "STRICT", False: "CALLED ON NULL INPUT"}
        mismatches.append((words[strict], words[func.strict]))
    _fail_mismatches(func.id.qualified_name, mismatches)
