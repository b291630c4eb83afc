"""Row level security assertions: RLS enabled or forced on a table, and its policies."""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift.expr import parse_expr
from pgdrift.schema import Schema
from pgdrift.testing._lookups import (
    _exactly,
    _expr_equal,
    _fail_mismatches,
    _quote,
    _relation,
    _suggest,
)


def assert_rls_enabled(schema: Schema, table: str, *, forced: bool | None = None) -> None:
    """Row level security is enabled on the table; with ``forced``, FORCE ROW LEVEL SECURITY
    (which applies the policies to the table's owner too) is or is not set.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t ();")
        >>> assert_rls_enabled(s, "t")
        Traceback (most recent call last):
        ...
        AssertionError: public.t: expected ROW LEVEL SECURITY enabled, found disabled
    """
    rel = _relation(schema, table)
    mismatches: list[tuple[str, str]] = []
    if not rel.rls_enabled:
        mismatches.append(("ROW LEVEL SECURITY enabled", "disabled"))
    if forced is not None and forced != rel.rls_forced:
        words = {True: "FORCE ROW LEVEL SECURITY", False: "NO FORCE ROW LEVEL SECURITY"}
        mismatches.append((words[forced], words[rel.rls_forced]))
    _fail_mismatches(rel.qualified_name, mismatches)


def assert_rls_disabled(schema: Schema, table: str) -> None:
    """Row level security is not enabled on the table."""
    rel = _relation(schema, table)
    if rel.rls_enabled:
        _fail_mismatches(rel.qualified_name, [("ROW LEVEL SECURITY disabled", "enabled")])


def assert_policies_are(schema: Schema, table: str, names: Iterable[str]) -> None:
    """The table's policies are exactly ``names`` (pgTAP ``policies_are``)."""
    rel = _relation(schema, table)
    _exactly(
        f"policies of {rel.qualified_name}", names, (p.name for p in schema.policies_of(rel.id))
    )


def assert_policy(
    schema: Schema,
    table: str,
    name: str,
    *,
    command: str | None = None,
    roles: Iterable[str] | None = None,
    permissive: bool | None = None,
    using: str | None = None,
    with_check: str | None = None,
) -> None:
    """The table has policy ``name`` with, where given, this command (``"select"``,
    ``"all"``...; pgTAP ``policy_cmd_is``), exactly these roles (``policy_roles_are``;
    ``"public"`` for everyone), PERMISSIVE or RESTRICTIVE, and USING / WITH CHECK expressions.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (o text);"
        ...                   "CREATE POLICY p ON public.t FOR SELECT TO web"
        ...                   " USING (o = current_user);")
        >>> assert_policy(s, "t", "p", command="select", roles=["web"], using="o = CURRENT_USER")
        >>> assert_policy(s, "t", "p", roles=["web", "anon"])
        Traceback (most recent call last):
        ...
        AssertionError: policy p on public.t: expected TO anon, web, found TO web
    """
    rel = _relation(schema, table)
    policies = schema.policies_of(rel.id)
    policy = next((p for p in policies if p.name == name), None)
    if policy is None:
        raise AssertionError(
            f"no policy {_quote(name)} on {rel.qualified_name}"
            + _suggest(name, (p.name for p in policies))
        )
    mismatches: list[tuple[str, str]] = []
    if command is not None and command.lower() != policy.command:
        mismatches.append((f"FOR {command.upper()}", f"FOR {policy.command.upper()}"))
    if roles is not None:
        wanted = tuple(sorted({r.lower() if r.upper() == "PUBLIC" else r for r in roles}))
        if wanted != policy.roles:
            mismatches.append((f"TO {', '.join(wanted)}", f"TO {', '.join(policy.roles)}"))
    if permissive is not None and permissive != policy.permissive:
        words = {True: "AS PERMISSIVE", False: "AS RESTRICTIVE"}
        mismatches.append((words[permissive], words[policy.permissive]))
    for clause, want, have in (("USING", using, policy.using),
                               ("WITH CHECK", with_check, policy.with_check)):  # fmt: skip
        if want is not None and not _expr_equal(want, have):
            found = f"{clause} ({have.sql})" if have is not None else f"no {clause}"
            mismatches.append((f"{clause} ({parse_expr(want).sql})", found))
    _fail_mismatches(f"policy {policy.name} on {rel.qualified_name}", mismatches)
