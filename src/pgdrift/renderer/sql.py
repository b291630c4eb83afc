"""The change set as a migration script: :func:`pgdrift.planner.plan`, printed.

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

from pgdrift.differ.changes import ChangeSet
from pgdrift.renderer.registry import renders


@renders("sql")
def render_sql(changes: ChangeSet, *, concurrently: bool = False, not_valid: bool = False) -> str:
    """The SQL script that turns the old schema into the new one (see
    :meth:`pgdrift.planner.Plan.to_sql`); ``concurrently`` and ``not_valid`` go to
    :func:`pgdrift.planner.plan`."""
    from pgdrift.planner import plan  # noqa: PLC0415 - the compose loads only when asked for

    return plan(changes, concurrently=concurrently, not_valid=not_valid).to_sql()
