"""Assertions on user-defined types: an enum's labels, a domain's base type and constraints."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pgdrift import ids, model
from pgdrift.expr import Expr, parse_expr, runtime_equivalent
from pgdrift.schema import Schema
from pgdrift.testing._lookups import _expr_equal, _fail_mismatches, _require, _type


def assert_enum_labels(schema: Schema, name: str, labels: Sequence[str]) -> None:
    """The enum's labels are exactly ``labels``, in this order (pgTAP ``enum_has_labels``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');")
        >>> assert_enum_labels(s, "mood", ["sad", "ok", "happy"])
        >>> assert_enum_labels(s, "mood", ["sad", "happy"])
        Traceback (most recent call last):
        ...
        AssertionError: enum public.mood: expected labels 'sad', 'happy', found 'sad', 'ok', 'happy'
    """
    enum = _require(schema, ids.ENUM, name)
    assert isinstance(enum, model.Enum)
    wanted = tuple(labels)
    if enum.labels != wanted:
        found = ", ".join(f"'{label}'" for label in enum.labels)
        if sorted(enum.labels) == sorted(wanted):
            found += " (the same labels in another order)"
        _fail_mismatches(
            f"enum {enum.qualified_name}",
            [("labels " + ", ".join(f"'{label}'" for label in wanted), found)],
        )


def assert_domain(
    schema: Schema,
    name: str,
    *,
    base_type: str | None = None,
    not_null: bool | None = None,
    default: str | None = None,
    checks: Iterable[str] | None = None,
) -> None:
    """The domain exists (pgTAP ``has_domain``) with, where given, this base type
    (``domain_type_is``), NOT NULL, DEFAULT, and exactly these CHECK expressions.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE DOMAIN public.pos AS int NOT NULL CHECK (VALUE > 0);")
        >>> assert_domain(s, "pos", base_type="integer", not_null=True, checks=["VALUE > 0"])
        >>> assert_domain(s, "pos", checks=[])
        Traceback (most recent call last):
        ...
        AssertionError: domain public.pos: expected no CHECK, found CHECK (value > 0)
    """
    domain = _require(schema, ids.DOMAIN, name)
    assert isinstance(domain, model.Domain)
    mismatches: list[tuple[str, str]] = []
    if base_type is not None and _type(base_type) != domain.base_type:
        mismatches.append((f"type {_type(base_type)}", f"type {domain.base_type}"))
    if not_null is not None and not_null != domain.not_null:
        words = {True: "NOT NULL", False: "nullable"}
        mismatches.append((words[not_null], words[domain.not_null]))
    if default is not None and not _expr_equal(default, domain.default):
        found = f"DEFAULT {domain.default.sql}" if domain.default is not None else "no default"
        mismatches.append((f"DEFAULT {parse_expr(default).sql}", found))
    if checks is not None:
        wanted = sorted(parse_expr(c).sql for c in checks)
        have = sorted(c.expression.sql for c in domain.checks)
        if not _same_expressions([parse_expr(c) for c in checks],
                                 [c.expression for c in domain.checks]):  # fmt: skip
            mismatches.append(
                (
                    " ".join(f"CHECK ({w})" for w in wanted) or "no CHECK",
                    " ".join(f"CHECK ({h})" for h in have) or "no CHECK",
                )
            )
    _fail_mismatches(f"domain {domain.qualified_name}", mismatches)


def _same_expressions(wanted: list[Expr], found: list[Expr]) -> bool:
    remaining = list(found)
    for expr in wanted:
        match = next((f for f in remaining if runtime_equivalent(expr, f)), None)
        if match is None:
            return False
        remaining.remove(match)
    return not remaining
