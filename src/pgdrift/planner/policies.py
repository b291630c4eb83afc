"""Row level security policies (the RLS switches of a table are table alterations, in
:mod:`pgdrift.planner.tables`)."""

from __future__ import annotations

from pgdrift import model
from pgdrift.differ.changes import AttributeChange, Change
from pgdrift.pg.quoting import quote_ident
from pgdrift.planner import names
from pgdrift.planner.clauses import paren
from pgdrift.planner.context import DROP_PHASE, Action, PlanContext
from pgdrift.planner.handlers import alters, creates, drops


def _roles(roles: tuple[str, ...]) -> str:
    # The model keeps PUBLIC lower-case, as pg_dump prints it; as a role it is the keyword.
    return ", ".join("PUBLIC" if r == "public" else quote_ident(r) for r in roles)


def policy_definition(policy: model.Policy) -> str:
    text = f"CREATE POLICY {quote_ident(policy.name)} ON {names.relation(policy.table)}"
    if not policy.permissive:
        text += " AS RESTRICTIVE"
    if policy.command != "all":
        text += f" FOR {policy.command.upper()}"
    if policy.roles != ("public",):
        text += f" TO {_roles(policy.roles)}"
    if policy.using is not None:
        text += f" USING {paren(policy.using)}"
    if policy.with_check is not None:
        text += f" WITH CHECK {paren(policy.with_check)}"
    return text


@creates(model.Policy)
def create_policy(ctx: PlanContext, policy: model.Policy, change: Change | None) -> Action:
    return ctx.emit(policy_definition(policy), change=change, anchor=policy.id,
                    makes=(policy.id,), needs=ctx.new_deps(policy))  # fmt: skip


@drops(model.Policy)
def drop_policy(ctx: PlanContext, policy: model.Policy, change: Change | None) -> Action:
    action = ctx.emit(f"DROP POLICY {quote_ident(policy.name)} ON {names.relation(policy.table)}",
                      change=change, anchor=policy.id, phase=DROP_PHASE, removes=(policy.id,),
                      uses=(policy.table,), frees=ctx.old_deps(policy))  # fmt: skip
    action.implied_by = (policy.table,)
    return action


@alters(model.Policy)
def alter_policy(
    ctx: PlanContext,
    change: Change,
    before: model.Policy,
    after: model.Policy,
    details: list[AttributeChange],
) -> None:
    fields = {d.field for d in details}
    if (before.using is not None and after.using is None) or (
        before.with_check is not None and after.with_check is None
    ):
        # ALTER POLICY can replace an expression but not remove it (docs: ALTER POLICY).
        drop_policy(ctx, before, change)
        create_policy(ctx, after, change)
        return
    parts = []
    if "roles" in fields:
        parts.append(f"TO {_roles(after.roles)}")
    if "using" in fields and after.using is not None:
        parts.append(f"USING {paren(after.using)}")
    if "with_check" in fields and after.with_check is not None:
        parts.append(f"WITH CHECK {paren(after.with_check)}")
    if parts:
        ctx.emit(f"ALTER POLICY {quote_ident(after.name)} ON {names.relation(after.table)} "
                 f"{' '.join(parts)}", change=change, anchor=after.id,
                 needs=ctx.new_deps(after), frees=ctx.old_deps(before))  # fmt: skip
