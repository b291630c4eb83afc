"""What a column type change costs in a plan: its ``USING`` clause and its hazards.

The classification itself is :func:`pgdrift.pg.type_changes.type_change`, shared with the
reports; this module applies it to one column and finds the domains a change names in the
schemas being compared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs

from pgdrift._expr_tree import get_field
from pgdrift.expr import parse_expr
from pgdrift.pg.hazards import Hazard
from pgdrift.pg.quoting import quote_ident
from pgdrift.pg.type_changes import DomainLookup, TypeChange
from pgdrift.pg.type_changes import type_change as classify_type_change
from pgdrift.types import TypeRef

if TYPE_CHECKING:
    from pgdrift.model import Constraint, Domain

__all__ = ["ColumnTypeChange", "DomainRules", "domain_rules", "not_null_proven", "type_change"]


@attrs.frozen
class ColumnTypeChange:
    """How ``ALTER COLUMN ... TYPE`` from one type to another goes for one column."""

    #: The USING expression (None when an implicit or assignment cast does the job).
    using: str | None
    rewrites: bool
    may_fail: bool
    #: Some values are changed silently (rounded, truncated): see TypeChange.cuts.
    cuts: bool = False

    def hazards(self) -> tuple[Hazard, ...]:
        """The hazards of the ALTER on a table that has rows (the classifier's rule)."""
        return TypeChange(rewrites=self.rewrites, may_fail=self.may_fail, cuts=self.cuts).hazards()


def type_change(
    column: str, old: TypeRef, new: TypeRef, *, domains: DomainLookup | None = None
) -> ColumnTypeChange:
    """The USING clause and hazards of changing ``column`` from ``old`` to ``new``.

    >>> type_change("n", TypeRef(None, "integer"), TypeRef(None, "bigint"))
    ColumnTypeChange(using=None, rewrites=True, may_fail=False, cuts=False)
    >>> type_change("s", TypeRef(None, "text"), TypeRef(None, "integer")).using
    's::integer'
    """
    how = classify_type_change(old, new, domains=domains)
    return ColumnTypeChange(how.using(column), how.rewrites, how.may_fail, how.cuts)


@attrs.frozen
class DomainRules:
    """What a column whose type is a domain gets from it and the domains it is over."""

    #: A NOT NULL or CHECK constraint somewhere in the chain (PostgreSQL's
    #: ``DomainHasConstraints``): every stored value of the column is checked against it.
    constrained: bool
    #: NOT NULL somewhere in the chain.
    not_null: bool
    #: A default somewhere in the chain, which a new column without its own default takes.
    default: bool


def domain_rules(ref: TypeRef, domains: Callable[[TypeRef], Domain | None]) -> DomainRules | None:
    """The rules a column of type ``ref`` gets from its domain, or None when ``ref`` is not a
    known domain (an array of a domain is an array type: it has no constraints of its own).

    >>> import pgdrift
    >>> from pgdrift.schema import domain_lookup
    >>> find = domain_lookup(pgdrift.loads(
    ...     "CREATE DOMAIN public.d AS integer NOT NULL; CREATE DOMAIN public.e AS public.d;"))
    >>> domain_rules(TypeRef("public", "e"), find), domain_rules(TypeRef(None, "integer"), find)
    (DomainRules(constrained=True, not_null=True, default=False), None)
    """
    chain: list[Domain] = []
    while not ref.is_builtin and not ref.array_dims and len(chain) < 32:  # 32: a cycle guard
        domain = domains(ref)
        if domain is None:
            break
        chain.append(domain)
        ref = domain.base_type
    if not chain:
        return None
    return DomainRules(constrained=any(d.not_null or d.checks for d in chain),
                       not_null=any(d.not_null for d in chain),
                       default=any(d.default is not None for d in chain))  # fmt: skip


def not_null_proven(column: str, kept: Iterable[Constraint]) -> bool:
    """Whether a validated CHECK among ``kept`` (the table's constraints the plan leaves as
    they are) says ``column IS NOT NULL``, alone or ANDed with other terms: SET NOT NULL then
    skips its scan of the table, so it neither blocks for long nor fails (tablecmds.c
    NotNullImpliedByRelConstraints; docs: ALTER TABLE, SET NOT NULL).

    >>> import pgdrift
    >>> table = pgdrift.loads("CREATE TABLE public.t (a int, b int, CONSTRAINT c CHECK "
    ...                       "(a IS NOT NULL AND b > 0));")
    >>> checks = table.constraints_of("public.t")
    >>> not_null_proven("a", checks), not_null_proven("b", checks)
    (True, False)
    """
    wanted = parse_expr(f"{quote_ident(column)} IS NOT NULL").tree
    for constraint in kept:
        if constraint.type != "check" or constraint.not_valid or constraint.expression is None:
            continue
        tree = constraint.expression.tree
        anded = tree[0] == "BoolExpr" and get_field(tree, "boolop") == "AND_EXPR"
        if wanted in (get_field(tree, "args") if anded else (tree,)):
            return True
    return False
