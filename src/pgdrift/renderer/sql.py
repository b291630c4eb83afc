"""A migration plan as an SQL script: :func:`render_plan_sql` writes the script of a
:class:`~pgdrift.planner.Plan`; the ``sql`` format (:func:`render_sql`) plans a change set with
:func:`pgdrift.planner.plan` and writes its script.

The planner decides what runs and in which order, and records on each step what the script
needs to know (hazards, whether it can share a transaction, why it is there); this module only
lays those steps out as text, and never reads the statements back.

Example:
    >>> import pgdrift
    >>> from pgdrift.differ import diff
    >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
    >>> b = pgdrift.loads("CREATE TABLE public.t (a integer, b text);")
    >>> print(render_sql(diff(a, b)), end="")
    BEGIN;
    <BLANKLINE>
    ALTER TABLE public.t ADD COLUMN b text;
    <BLANKLINE>
    COMMIT;
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pgdrift.differ.changes import ChangeSet
from pgdrift.pg.hazards import HAZARD_TEXT
from pgdrift.renderer.registry import renders

if TYPE_CHECKING:
    from pgdrift.planner import Plan


def render_plan_sql(plan: Plan) -> str:
    """The whole script of ``plan``: its warnings and a note when it cannot run as one
    transaction at the top, its session settings, then each step with its comment and hazards
    above it, ``BEGIN``/``COMMIT`` around every run of steps that can share a transaction.

    Example:
        >>> import pgdrift
        >>> from pgdrift.differ import diff
        >>> from pgdrift.planner import plan
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = pgdrift.loads("CREATE TABLE public.u (a integer);")
        >>> print(render_plan_sql(plan(diff(a, b))), end="")
        BEGIN;
        <BLANKLINE>
        -- hazards: deletes_data (deletes data)
        DROP TABLE public.t;
        <BLANKLINE>
        CREATE TABLE public.u (
            a integer
        );
        <BLANKLINE>
        COMMIT;
    """
    out: list[str] = []
    for warning in plan.warnings:
        out.append(f"-- WARNING: {warning}")
    outside = [step for step in plan.steps if not step.transactional]
    if outside:
        out.append(
            f"-- This script does not run as one transaction: {len(outside)} "
            f"{'statement' if len(outside) == 1 else 'statements'} cannot run inside a "
            "transaction block (or must be committed before what follows), so it is split "
            "into several transactions."
        )
    if out:
        out.append("")
    for statement in plan.settings:
        out.extend((statement + ";", ""))
    in_transaction = False
    for step in plan.steps:
        if step.transactional and not in_transaction:
            out.extend(("BEGIN;", ""))
            in_transaction = True
        elif not step.transactional and in_transaction:
            out.extend(("COMMIT;", ""))
            in_transaction = False
        if step.comment:
            out.extend(f"-- {line}" for line in step.comment.splitlines())
        if step.hazards:
            out.append("-- hazards: " + ", ".join(
                f"{hazard} ({HAZARD_TEXT[hazard]})" for hazard in step.hazards
            ))  # fmt: skip
        out.extend((step.sql + ";", ""))
    if in_transaction:
        out.extend(("COMMIT;", ""))
    return "\n".join(out)


@renders("sql")
def render_sql(changes: ChangeSet, *, concurrently: bool = False, not_valid: bool = False) -> str:
    """The SQL script that turns the old schema into the new one: the :func:`render_plan_sql`
    of :func:`pgdrift.planner.plan`, to which ``concurrently`` and ``not_valid`` go."""
    # The planner (statement builders, networkx) loads only when this format is asked for.
    from pgdrift.planner import plan  # noqa: PLC0415 - not a cycle: the planner never renders

    return render_plan_sql(plan(changes, concurrently=concurrently, not_valid=not_valid))
