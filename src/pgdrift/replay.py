"""Schemas and plans replayed through pgdrift's own DDL interpreter, with no server.

* :func:`squash`: a schema as one dependency-ordered SQL script (the plan from an empty
  database to it), for a folder of migrations that has grown long.
* :func:`verify`: the offline convergence proof of a plan: the interpreter applies the plan's
  steps to the old schema and the result must equal the new one. The proof on a real
  PostgreSQL stays in the test suite beside it (tests/integration).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from pgdrift.builder import build_schema
from pgdrift.errors import ParseError
from pgdrift.loading import loads
from pgdrift.reader import Source, split_statements
from pgdrift.schema import Schema

if TYPE_CHECKING:
    from pgdrift.differ import Change
    from pgdrift.planner import Plan, Step

__all__ = ["Verification", "empty_schema", "squash", "verify"]


def empty_schema() -> Schema:
    """What a new database holds before any DDL: the ``public`` schema that initdb makes."""
    return build_schema(Source("<empty database>", ""), [])


def squash(schema: Schema) -> str:
    """``schema`` as one SQL script that creates it in an empty database, in dependency order.

    Example:
        >>> import pgdrift
        >>> folder = pgdrift.loads("CREATE TABLE t (id serial PRIMARY KEY);"
        ...                        "ALTER TABLE t ADD COLUMN note text;")
        >>> print(squash(folder))  # doctest: +ELLIPSIS
        BEGIN;
        ...
        CREATE TABLE public.t (
            id integer DEFAULT nextval('public.t_id_seq'::regclass) NOT NULL,
            note text
        );
        ...
    """
    from pgdrift.differ import diff  # noqa: PLC0415 - the differ and planner load on use
    from pgdrift.planner import plan  # noqa: PLC0415
    from pgdrift.renderer.sql import render_plan_sql  # noqa: PLC0415

    return render_plan_sql(plan(diff(empty_schema(), schema)))


@attrs.frozen
class Verification:
    """What replaying a plan through the interpreter gave."""

    #: The steps replayed, in order.
    steps: int
    #: One line per problem: a step the interpreter refused or kept without interpreting, or
    #: a difference left between the replayed schema and the target. Empty when it converges.
    problems: tuple[str, ...] = ()

    @property
    def converged(self) -> bool:
        return not self.problems


def verify(the_plan: Plan, old: Schema, new: Schema, **diff_options: object) -> Verification:
    """Apply ``the_plan``'s steps to ``old`` with the DDL interpreter and compare with ``new``.

    ``old`` is first rebuilt from its own :func:`squash` script (so any input works: a dump, a
    folder, a file from git); if that alone does not give ``old`` back, the problem is
    reported as such, not blamed on a step. ``diff_options`` are those the plan was made with
    (renames, filters), so the comparison sees what the plan was asked to do.
    """
    from pgdrift.differ import diff  # noqa: PLC0415

    base = squash(old)
    rebuilt = loads(base, strict=False, name="<old, rebuilt>")
    problems = [f"rebuilding the old side: {e.one_line()}" for e in rebuilt.errors]
    problems += [f"rebuilding the old side leaves {_change_line(c)}"
                 for c in diff(old, rebuilt, **diff_options)]  # type: ignore[arg-type]  # fmt: skip
    if problems:
        return Verification(len(the_plan.steps), tuple(problems))
    text, starts = _script(base, the_plan.steps)
    replayed = _replay(text)
    for error in replayed.errors:
        line = error.span.line if error.span is not None else None
        step = _step_at(starts, line)
        where = f"step {step}" if step else "the script"
        problems.append(f"{where}: the interpreter refuses it: {error.message}")
    for item in replayed.unsupported:
        line = item.span.line if item.span is not None else None
        step = _step_at(starts, line)
        if step:
            problems.append(f"step {step}: not interpreted ({item.reason}): "
                            f"{_first_line(the_plan.steps[step - 1].sql)}")  # fmt: skip
    for change in diff(replayed, new, **diff_options):  # type: ignore[arg-type]
        if change.kind == "unsupported":
            continue  # reported above, by step
        if _left_as_warned(the_plan, change):
            continue
        touched = _steps_touching(the_plan.steps, change)
        who = f" (steps {', '.join(map(str, touched))})" if touched else " (no step touches it)"
        problems.append(f"after the plan, {_change_line(change)}{who}")
    return Verification(len(the_plan.steps), tuple(problems))


def _replay(text: str) -> Schema:
    """``text`` built as the plan assumes it runs: each object created by the role that owns
    it in the end, so the default privileges of that role apply to it (planner.attributes)."""
    source = Source("<plan replayed>", text)
    errors: list[ParseError] = []
    schema = build_schema(source, split_statements(source, errors=errors), strict=False,
                          owners_create=True)  # fmt: skip
    return attrs.evolve(schema, errors=(*schema.errors, *errors)) if errors else schema


#: What PostgreSQL cannot change in place and a plan leaves as it is, with a warning: the
#: column order, and whether an inheritance child's column is its own (attislocal).
_LEFT_BY_PLANS = frozenset({"column_order", "inherited"})


def _left_as_warned(the_plan: Plan, change: Change) -> bool:
    """A difference the plan said it leaves (its warnings name the object): not a failure."""
    fields = {detail.field for detail in change.details}
    return (change.operation == "alter" and bool(fields) and fields <= _LEFT_BY_PLANS
            and any(str(change.id) in warning for warning in the_plan.warnings))  # fmt: skip


def _script(base: str, steps: Sequence[Step]) -> tuple[str, list[int]]:
    """The old side's script followed by every step, and the line each step starts on."""
    parts = [base.rstrip("\n"), ""]
    starts: list[int] = []
    line = base.rstrip("\n").count("\n") + 3
    for step in steps:
        sql = step.sql.strip().rstrip(";") + ";"
        starts.append(line)
        parts.append(sql)
        parts.append("")
        line += sql.count("\n") + 2
    return "\n".join(parts), starts


def _step_at(starts: list[int], line: int | None) -> int:
    """The number (from 1) of the step holding ``line``; 0 before the first step."""
    if line is None:
        return 0
    return bisect.bisect_right(starts, line)


def _steps_touching(steps: Sequence[Step], change: Change) -> list[int]:
    ids = {change.id, getattr(change, "new_id", change.id)}
    found = []
    for number, step in enumerate(steps, 1):
        made = step.change
        if made is not None and (made.id in ids or getattr(made, "new_id", None) in ids):
            found.append(number)
    return found


def _change_line(change: Change) -> str:
    target = getattr(change, "new_id", None)
    text = f"{change.operation} {change.id}" + (f" -> {target}" if target is not None else "")
    fields = ", ".join(detail.field for detail in change.details)
    return text + (f" ({fields})" if fields else "")


def _first_line(sql: str) -> str:
    stripped = sql.strip()
    return stripped.splitlines()[0][:100] if stripped else ""
