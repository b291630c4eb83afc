"""Migration planning: the ordered SQL that turns schema A into schema B.

:func:`plan` takes the :class:`~pgdrift.differ.ChangeSet` of ``diff(a, b)`` and returns a
:class:`Plan`: :class:`Step` objects in dependency order (drops in reverse order on A's
dependency graph, creations and alterations in order on B's), each with the hazards it carries.
:func:`pgdrift.renderer.render_plan_sql` writes the script.

Example:
    >>> import pgdrift
    >>> from pgdrift.differ import diff
    >>> a = pgdrift.loads("CREATE TABLE public.users (id integer, name text);")
    >>> b = pgdrift.loads("CREATE TABLE public.users (id bigint NOT NULL, name text);")
    >>> for step in plan(diff(a, b)):
    ...     print(step.sql, step.hazards)
    ALTER TABLE public.users ALTER COLUMN id TYPE bigint ('rewrites_table', 'strong_lock')
    ALTER TABLE public.users ALTER COLUMN id SET NOT NULL ('strong_lock', 'may_fail')
"""

from __future__ import annotations

from pgdrift.differ.changes import ChangeSet
from pgdrift.pg.hazards import HAZARD_TEXT

# The statement builders register themselves when imported.
from pgdrift.planner import (  # noqa: F401
    catalog,
    collations,
    constraints,
    policies,
    routines,
    sequences,
    tables,
    user_types,
    views,
)
from pgdrift.planner.compose import plan_changes
from pgdrift.planner.steps import Plan, Step


def plan(changes: ChangeSet, *, concurrently: bool = False, not_valid: bool = False) -> Plan:
    """The statements that carry out ``changes``, in an order PostgreSQL accepts.

    Args:
        changes: what :func:`pgdrift.differ.diff` found (confirm renames there, with
            ``renames=``, to get ``ALTER ... RENAME`` instead of a drop and a create).
        concurrently: build new indexes on existing tables with ``CREATE INDEX
            CONCURRENTLY`` (those steps then run outside the script's transaction).
        not_valid: add new CHECK and FOREIGN KEY constraints on existing tables ``NOT VALID``
            and validate them in a second statement, which does not block writes.

    Raises:
        pgdrift.PlanError: the changes depend on each other in a cycle no order breaks.
    """
    return plan_changes(changes, concurrently=concurrently, not_valid=not_valid)


__all__ = ["HAZARD_TEXT", "Plan", "Step", "plan"]
