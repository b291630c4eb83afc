"""Migration planning: the ordered SQL that turns schema A into schema B.

:func:`plan` takes the :class:`~pgdrift.diff.ChangeSet` of ``diff(a, b)`` and returns a
:class:`Plan`: :class:`Step` objects in dependency order (drops in reverse order on A's
dependency graph, creations and alterations in order on B's), each with the hazards it carries.
``Plan.to_sql()`` prints the script.

Example:
    >>> import pgdrift
    >>> from pgdrift.diff import diff
    >>> a = pgdrift.loads("CREATE TABLE public.users (id integer, name text);")
    >>> b = pgdrift.loads("CREATE TABLE public.users (id bigint NOT NULL, name text);")
    >>> for step in plan(diff(a, b)):
    ...     print(step.sql, step.hazards)
    ALTER TABLE public.users ALTER COLUMN id TYPE bigint ('rewrites_table', 'strong_lock')
    ALTER TABLE public.users ALTER COLUMN id SET NOT NULL ('strong_lock', 'may_fail')
"""

from __future__ import annotations

import sys
import types
from typing import Any

from pgdrift.diff.changes import ChangeSet

# The statement builders register themselves when imported.
from pgdrift.plan import (  # noqa: F401
    catalog,
    constraints,
    policies,
    routines,
    sequences,
    tables,
    user_types,
    views,
)
from pgdrift.plan.planner import plan_changes
from pgdrift.plan.steps import HAZARD_TEXT, Plan, Step


def plan(changes: ChangeSet, *, concurrently: bool = False, not_valid: bool = False) -> Plan:
    """The statements that carry out ``changes``, in an order PostgreSQL accepts.

    Args:
        changes: what :func:`pgdrift.diff.diff` found (confirm renames there, with
            ``renames=``, to get ``ALTER ... RENAME`` instead of a drop and a create).
        concurrently: build new indexes on existing tables with ``CREATE INDEX
            CONCURRENTLY`` (those steps then run outside the script's transaction).
        not_valid: add new CHECK and FOREIGN KEY constraints on existing tables ``NOT VALID``
            and validate them in a second statement, which does not block writes.

    Raises:
        pgdrift.PlanError: the changes depend on each other in a cycle no order breaks.
    """
    return plan_changes(changes, concurrently=concurrently, not_valid=not_valid)


class _CallableModule(types.ModuleType):
    """``pgdrift.plan`` is both this package and the function: importing a submodule
    (``pgdrift.plan.steps``) rebinds the package attribute to the module, so the module
    itself answers calls, as ``pgdrift.diff`` does."""

    def __call__(self, changes: ChangeSet, **options: Any) -> Plan:
        return plan(changes, **options)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["HAZARD_TEXT", "Plan", "Step", "plan"]
