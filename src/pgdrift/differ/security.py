"""Which changes widen access. Each reason is a short sentence shown in every report format."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

import attrs

from pgdrift import ids, model
from pgdrift.expr import Expr, parse_expr
from pgdrift.ids import ObjectId

if TYPE_CHECKING:
    # Only a type here: pgdrift.differ.changes imports this module to flag inverted changes.
    from pgdrift.differ.changes import Change

#: Roles whose new privileges matter most: everyone, and Supabase's API roles.
EXPOSED_ROLES = ("PUBLIC", "anon", "authenticated")


@functools.cache
def _true() -> Expr:
    """``true`` as an expression: policies are compared with it by parse tree (``TRUE``,
    ``(true)`` and ``'t'::boolean`` alike), without printing each policy's expression."""
    return parse_expr("true")


def _is_true(expr: Expr) -> bool:
    # ``true`` is a constant node (tests pin it): anything else needs no parse to compare.
    return bool(expr.tree[0] == "A_Const" and expr == _true())


def flag_all(changes: Iterable[Change]) -> list[Change]:
    """Every change with its ``security`` reasons (a drop's own policies are not reasons)."""
    found = list(changes)
    table_kinds = (ids.TABLE, ids.FOREIGN_TABLE)
    dropped_tables = {c.id for c in found if c.operation == "drop" and c.kind in table_kinds}
    return [flag(c, dropped_tables) for c in found]


def flag(change: Change, dropped_tables: Collection[ObjectId] = ()) -> Change:
    """The change with ``security`` filled in. ``dropped_tables``: tables dropped by the same
    change set (a policy that goes with its table opens nothing)."""
    reasons = reasons_for(change, dropped_tables)
    return attrs.evolve(change, security=tuple(reasons)) if reasons else change


def reasons_for(change: Change, dropped_tables: Collection[ObjectId] = ()) -> list[str]:
    before, after = change.before, change.after
    reasons: list[str] = []
    if isinstance(before, model.Table) and isinstance(after, model.Table):
        if before.rls_enabled and not after.rls_enabled:
            reasons.append("row level security disabled")
        if before.rls_forced and not after.rls_forced:
            reasons.append("row level security no longer forced on the table owner")
    if isinstance(before, model.Policy) and after is None and before.table not in dropped_tables:
        what = "restrictive" if not before.permissive else "permissive"
        reasons.append(f"{what} policy dropped")
    if isinstance(before, model.Policy) and isinstance(after, model.Policy):
        reasons.extend(_loosened_policy(before, after))
    if (
        isinstance(after, model.Policy) and before is None and after.permissive
        and after.using is not None and _is_true(after.using)
    ):  # fmt: skip
        reasons.append("new permissive policy allows every row (USING true)")
    if isinstance(before, model.View) and isinstance(after, model.View):
        if before.security_invoker and not after.security_invoker:
            reasons.append("view no longer security_invoker (runs with its owner's rights)")
        if before.security_barrier and not after.security_barrier:
            reasons.append("view no longer security_barrier")
    if isinstance(after, model.Function):
        was_definer = isinstance(before, model.Function) and before.security_definer
        if after.security_definer and not was_definer:
            reasons.append(
                "function is now SECURITY DEFINER" if before is not None
                else "new SECURITY DEFINER function"
            )  # fmt: skip
            if not after.search_path_pinned:
                reasons.append("SECURITY DEFINER function without a pinned search_path")
    if after is not None:
        reasons.extend(_new_grants(before, after))
    return reasons


def _loosened_policy(before: model.Policy, after: model.Policy) -> list[str]:
    reasons = []
    if not before.permissive and after.permissive:
        reasons.append("policy changed from restrictive to permissive")
    new_roles = set(after.roles) - set(before.roles)
    if "public" in after.roles and "public" not in before.roles:
        reasons.append("policy now applies to every role (PUBLIC)")
    elif new_roles:
        reasons.append("policy now applies to " + ", ".join(sorted(new_roles)))
    if before.using is not None and after.using is None:
        reasons.append("policy USING condition removed")
    if before.with_check is not None and after.with_check is None:
        reasons.append("policy WITH CHECK condition removed")
    return reasons


def _new_grants(before: model.DbObject | None, after: model.DbObject) -> list[str]:
    old = set(before.privileges) if before is not None else set()
    if before is None:
        # A new object's default ACL is not a widening; only explicit grants are.
        owner = after.owner
        old |= {p for p in after.privileges if p.grantee == owner}
        if after.kind in ("function", "procedure", "aggregate"):
            old.add(model.Privilege("PUBLIC", "EXECUTE"))
        if after.kind in ("enum", "domain", "composite_type", "range_type", "base_type"):
            old.add(model.Privilege("PUBLIC", "USAGE"))
    granted: dict[str, list[str]] = {}
    for privilege in after.privileges:
        if privilege not in old and privilege.grantee in EXPOSED_ROLES:
            granted.setdefault(privilege.grantee, []).append(privilege.privilege)
    return [
        f"{', '.join(sorted(privs))} granted to {grantee}"
        for grantee, privs in sorted(granted.items())
    ]
