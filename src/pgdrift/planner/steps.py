"""What a migration plan is made of: ordered :class:`Step` objects and the :class:`Plan` that
holds them and prints them as one SQL script."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import attrs

from pgdrift.differ.changes import HAZARDS
from pgdrift.pg.hazards import Hazard

if TYPE_CHECKING:
    from pgdrift.differ.changes import Change, ChangeSet

#: One line per hazard kind, printed above a step that carries it (the descriptions of
#: :class:`pgdrift.pg.hazards.Hazard`, keyed by the bare kind).
HAZARD_TEXT: dict[str, str] = {hazard.value: hazard.description for hazard in Hazard}


@attrs.frozen
class Step:
    """One SQL statement of a migration.

    ``change`` is the change it carries out (None for a step that only makes another change
    possible, such as dropping and recreating a view around a column type change); ``hazards``
    are kinds from :data:`pgdrift.differ.HAZARDS`; ``transactional`` is False for a statement
    PostgreSQL refuses inside a transaction block (``CREATE INDEX CONCURRENTLY``) or whose
    effect must be committed before a later step uses it; ``comment`` says why the step is
    there when that is not obvious from the statement.
    """

    sql: str
    change: Change | None = None
    hazards: tuple[str, ...] = ()
    transactional: bool = True
    comment: str | None = None


@attrs.frozen
class Plan:
    """The ordered steps that turn one schema into the other.

    Iterating gives the steps; :meth:`to_sql` the script. ``changes`` is the change set the
    plan was made from, with each change's ``hazards`` filled in; ``warnings`` name what the
    plan cannot do by itself (they are printed at the top of the script).

    Example:
        >>> import pgdrift
        >>> from pgdrift.differ import diff
        >>> from pgdrift.planner import plan
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = pgdrift.loads("CREATE TABLE public.t (a integer, b text);")
        >>> print(plan(diff(a, b)).to_sql())
        BEGIN;
        <BLANKLINE>
        ALTER TABLE public.t ADD COLUMN b text;
        <BLANKLINE>
        COMMIT;
        <BLANKLINE>
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
        return tuple(h for h in HAZARDS if h in found)

    def statements(self) -> tuple[str, ...]:
        """The SQL of every step, in order, without comments or transaction control."""
        return tuple(step.sql for step in self.steps)

    def to_sql(self) -> str:
        """The whole script: hazards as comments above their steps, ``BEGIN``/``COMMIT``
        around everything that can share a transaction, and a note at the top when something
        cannot."""
        return render_script(self)


def render_script(plan: Plan) -> str:
    """The SQL script of ``plan`` (see :meth:`Plan.to_sql`)."""
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
