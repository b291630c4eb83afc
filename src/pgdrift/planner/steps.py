"""What a migration plan is made of: ordered :class:`Step` objects and the :class:`Plan` that
holds them. :func:`pgdrift.renderer.render_plan_sql` writes a plan as one SQL script."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import attrs

from pgdrift.pg.hazards import ordered_hazards

if TYPE_CHECKING:
    from pgdrift.differ.changes import Change, ChangeSet



@attrs.frozen
class Step:
    """One SQL statement of a migration.

    ``change`` is the change it carries out (None for a step that only makes another change
    possible, such as dropping and recreating a view around a column type change); ``hazards``
    are kinds from :data:`pgdrift.differ.HAZARDS`; ``transactional`` is False for a statement
    PostgreSQL refuses inside a transaction block (``CREATE INDEX CONCURRENTLY``) or whose
    effect must be committed before a later step uses it; ``comment`` says why the step is
    there when that is not obvious from the statement.

    The planner decides from the other fields, never from ``sql``: ``adds_enum_label`` is the
    label of an ``ALTER TYPE ... ADD VALUE``, ``uses_enum_labels`` the labels the plan adds
    that the statement uses, ``creates_routine_body`` is True for a routine whose body
    PostgreSQL checks on creation unless ``check_function_bodies`` is off.
    """

    sql: str
    change: Change | None = None
    hazards: tuple[str, ...] = ()
    transactional: bool = True
    comment: str | None = None
    adds_enum_label: str | None = None
    uses_enum_labels: frozenset[str] = frozenset()
    creates_routine_body: bool = False


@attrs.frozen
class Plan:
    """The ordered steps that turn one schema into the other.

    Iterating gives the steps; :func:`pgdrift.renderer.render_plan_sql` the script.
    ``changes`` is the change set the plan was made from, with each change's ``hazards``
    filled in; ``warnings`` name what the plan cannot do by itself (the script prints them at
    its top).

    Example:
        >>> import pgdrift
        >>> from pgdrift.differ import diff
        >>> from pgdrift.planner import plan
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = pgdrift.loads("CREATE TABLE public.t (a integer, b text);")
        >>> the_plan = plan(diff(a, b))
        >>> the_plan.statements(), the_plan.transactional, the_plan.hazards
        (('ALTER TABLE public.t ADD COLUMN b text',), True, ())
    """

    steps: tuple[Step, ...] = ()
    changes: ChangeSet | None = attrs.field(default=None, eq=False, repr=False)
    warnings: tuple[str, ...] = ()
    #: Session settings the script makes before its first step (``SET
    #: check_function_bodies = false``, as pg_dump does, so that a routine may be created
    #: before the tables its body reads).
    settings: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __bool__(self) -> bool:
        return bool(self.steps)

    def __getitem__(self, index: int) -> Step:
        return self.steps[index]

    @property
    def transactional(self) -> bool:
        """True when every step can run in the one transaction the script opens."""
        return all(step.transactional for step in self.steps)

    @property
    def hazards(self) -> tuple[str, ...]:
        """Every hazard kind some step carries, in :data:`pgdrift.differ.HAZARDS` order."""
        found = {hazard for step in self.steps for hazard in step.hazards}
        return ordered_hazards(found)

    def statements(self) -> tuple[str, ...]:
        """The SQL of every step, in order, without comments or transaction control."""
        return tuple(step.sql for step in self.steps)
