"""What every section of the Markdown report shares: the change set with its two schemas and
labels, which changes a section has already reported, where a change belongs, and the bullets
for one change and one attribute difference that several sections write.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from pgdrift import ids, model
from pgdrift.diff_options import DiffOptions
from pgdrift.differ.changes import (
    AttributeChange,
    Change,
    ChangeSet,
    Created,
    Dropped,
    RenameCandidate,
    Renamed,
    Replaced,
)
from pgdrift.errors import PlanError
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.pg.hazards import Hazard, ordered_hazards
from pgdrift.renderer.describe import FIELD_LABELS, describe_object, part_description, value_text
from pgdrift.renderer.markdown_text import code, fence, inline_value, is_long, see
from pgdrift.schema import Schema

if TYPE_CHECKING:
    from pgdrift.planner.steps import Plan

__all__ = [
    "ROUTINE_KINDS", "TABLE_KINDS", "TABLE_PARTS", "VIEW_KINDS", "ReportContext", "as_hazards",
    "part_description", "rename_flag",
]  # fmt: skip

TABLE_KINDS = frozenset({ids.TABLE, ids.FOREIGN_TABLE})
#: Parts of a table reported in its own section (triggers, policies, rules have theirs).
TABLE_PARTS = frozenset({ids.TABLE, ids.FOREIGN_TABLE, ids.COLUMN, ids.CONSTRAINT, ids.INDEX})
ROUTINE_KINDS = frozenset({ids.FUNCTION, ids.PROCEDURE})
VIEW_KINDS = frozenset({ids.VIEW, ids.MATERIALIZED_VIEW})
_WHITESPACE_ONLY = "whitespace or comments only"


class ReportContext:
    """One report being written: the change set and what the sections have taken from it.

    Each change is reported once: a section ``take``s what it shows, and later sections see
    only the ``remaining`` changes of their kinds. ``plan`` is the migration planned from the
    change set, whose steps say what each change risks; None when it could not be made, for
    the reason ``plan_problem`` gives.
    """

    def __init__(
        self, changes: ChangeSet, plan: Plan | None = None, plan_problem: str | None = None
    ) -> None:
        self.changes = changes
        self.plan = plan
        self.plan_problem = plan_problem
        # The hazards of every step carried out for a change, by the change (the plan's
        # changes are copies of these with the hazards filled in, so they are matched by key).
        self._hazards: dict[tuple[str, ObjectId], set[Hazard]] = {}
        for step in plan.steps if plan is not None else ():
            if step.change is not None:
                found = self._hazards.setdefault(_key(step.change), set())
                found.update(as_hazards(step.hazards))
        self.a, self.b = changes.labels
        self.old: Schema = changes.old if isinstance(changes.old, Schema) else Schema({})
        self.new: Schema = changes.new if isinstance(changes.new, Schema) else Schema({})
        self.options: DiffOptions = (
            changes.options if isinstance(changes.options, DiffOptions) else DiffOptions()
        )
        self.candidates = {(c.old, c.new): c for c in changes.rename_candidates}
        # Tables on one side only, tables on both (old id -> new id; a renamed table maps).
        # (Only tables the dump defines: one known only from a grant is an "other object".)
        self.dropped_tables = {c.id: c.before for c in changes if isinstance(c, Dropped)
                               and isinstance(c.before, model.Table)}  # fmt: skip
        self.created_tables = {c.id: c.after for c in changes if isinstance(c, Created)
                               and isinstance(c.after, model.Table)}  # fmt: skip
        self.renamed_tables = {c.new_id: c.id for c in changes
                               if isinstance(c, Renamed) and c.kind in TABLE_KINDS}  # fmt: skip
        self.reported: set[int] = set()

    @classmethod
    def planned(cls, changes: ChangeSet, plan: Plan | None = None) -> ReportContext:
        """A context for ``changes`` with ``plan`` (made with the planner's defaults when not
        given); when no plan can be made (a dependency cycle), the context says why."""
        if plan is not None:
            return cls(changes, plan)
        # The planner (statement builders, networkx) loads when a report is written, not when
        # the renderer is imported; it never imports the renderer, so this is no cycle.
        from pgdrift.planner import plan as make_plan  # noqa: PLC0415 - import cost only

        try:
            return cls(changes, make_plan(changes))
        except PlanError as error:
            return cls(changes, None, " ".join(str(error).split()))

    def hazards(self, change: Change) -> tuple[Hazard, ...]:
        """The hazards the plan's steps carry for ``change``, in :class:`Hazard` order."""
        return as_hazards(self._hazards.get(_key(change), ()))

    def take(self, change: Change) -> Change:
        """Mark ``change`` as reported, so that no later section shows it again."""
        self.reported.add(id(change))
        return change

    def remaining(self, kinds: Iterable[str]) -> list[Change]:
        """The changes of ``kinds`` no section has reported yet, in change-set order."""
        wanted = frozenset(kinds)
        return [c for c in self.changes if c.kind in wanted and id(c) not in self.reported]

    def table_of(self, change: Change) -> ObjectId | None:
        """The table a change belongs to, as the old side names it; None when it belongs to
        no table (a composite type's column belongs to its type)."""
        table = change.table
        if table is None:
            return None
        if self.old.objects or self.new.objects:
            # Parts name their relation with the table kind; a foreign table's keep its name.
            found = [attrs.evolve(table, kind=kind) for kind in (ids.TABLE, ids.FOREIGN_TABLE)]
            found = [t for t in found if t in self.old.objects or t in self.new.objects]
            if not found:
                return None
            table = found[0]
        return self.renamed_tables.get(table, table)

    def on_both_sides(self, table: ObjectId) -> bool:
        """Whether a table (named as the old side names it) exists on both sides."""
        if not (self.old.objects or self.new.objects):
            return True
        new = next((n for n, o in self.renamed_tables.items() if o == table), table)
        return table in self.old.objects and new in self.new.objects

    def kept(self, schema: Schema, kinds: Iterable[str]) -> list[Any]:
        """The objects of ``kinds`` in ``schema`` the diff options keep, sorted by id."""
        wanted = frozenset(kinds)
        return sorted((o for o in schema if o.kind in wanted and self.options.keeps(o)),
                      key=lambda o: o.id.sort_key())  # fmt: skip

    def side(self, change: Change) -> str:
        """The label of the side a one-sided change exists on."""
        return self.a if isinstance(change, Dropped) else self.b

    def evidence(self, old: ObjectId, new: ObjectId) -> str:
        """How a rename was found: confirmed, or detected with its score and evidence."""
        candidate = self.candidates.get((old, new))
        if candidate is None:
            return "confirmed"
        evidence = [e for e in candidate.evidence if e != "confirmed"]
        how = "confirmed with --rename" if "confirmed" in candidate.evidence else ("detected")
        return f"{how}, score {candidate.score:.2f}: {', '.join(evidence) or 'no evidence'}"

    def pending_rename(self, oid: ObjectId) -> RenameCandidate | None:
        """The unconfirmed rename candidate ``oid`` takes part in, on either side."""
        for candidate in self.changes.rename_candidates:
            if not candidate.confirmed and oid in (candidate.old, candidate.new):
                return candidate
        return None

    def candidate_hint(self, change: Change) -> str:
        """A note pointing a one-sided change to the unconfirmed rename it may be."""
        candidate = self.pending_rename(change.id)
        if candidate is None:
            return ""
        where = see("Probable renames not confirmed")
        if candidate.old == change.id:
            return f"probably renamed to {code(candidate.new.name)}: see {where}"
        return f"probably renamed from {code(candidate.old.name)}: see {where}"

    def change_item(self, change: Change, *, within_table: bool = False) -> list[str]:
        """A bullet for one change: where it exists (or what changed), then its definition."""
        name = change.id.name if within_table else change.id.qualified_name
        kind = change.kind.replace("_", " ")
        obj = change.object
        if isinstance(change, (Dropped, Created)):
            description = part_description(obj) if within_table else describe_object(obj)
            text = f"- only in {self.side(change)}: {kind} {code(name)}"
            hint = self.candidate_hint(change)
            if description:
                text += f" — {description}"
            if hint:
                text += f" ({hint})"
            return [text]
        if isinstance(change, Renamed):
            new = change.new_id.name if within_table else change.new_id.qualified_name
            lines = [f"- renamed: {kind} {code(name)} → {code(new)} "
                     f"({self.evidence(change.id, change.new_id)})"]  # fmt: skip
        else:
            lines = [f"- defined differently: {kind} {code(name)}"]
        if isinstance(change, Replaced):
            lines.append(f"  - must be dropped and created again: {change.reason}")
        for d in change.details:
            if d.field == "privileges":
                lines.append(f"  - grants differ (see {see('Grants')})")
            else:
                lines += self.detail_lines(d, indent="  ")
        return lines

    def detail_lines(self, d: AttributeChange, indent: str) -> list[str]:
        """The bullets for one attribute difference: side by side, as blocks when long, a
        unified diff for bodies."""
        label = FIELD_LABELS.get(d.field, d.field.replace("_", " "))
        if d.field in ("body", "statement", "tree"):
            if d.note == _WHITESPACE_ONLY:
                return [f"{indent}- {label} differs only in whitespace or comments"]
            diff = d.note or ""
            diff = re.sub(r"\A--- before\n\+\+\+ after", f"--- {self.a}\n+++ {self.b}", diff)
            block = fence(diff, "diff") if diff else []
            return [f"{indent}- {label} differs:", *(f"{indent}  {x}" for x in block)]
        if is_long(d.old) or is_long(d.new):
            lines = [f"{indent}- {label} differs:"]
            for side, value in ((self.a, d.old), (self.b, d.new)):
                text = value.sql if isinstance(value, Expr) else value_text(value)
                lines.append(f"{indent}  - {side}:")
                lines += [f"{indent}    {x}" for x in fence(text, "sql")]
            return lines
        note = f" ({d.note})" if d.note else ""
        sides = f"{inline_value(d.old)} in {self.a}, {inline_value(d.new)} in {self.b}"
        return [f"{indent}- {label}: {sides}{note}"]

    def detail_inline(self, d: AttributeChange) -> str:
        """One attribute difference in one line."""
        label = FIELD_LABELS.get(d.field, d.field.replace("_", " "))
        return f"{label}: {inline_value(d.old)} in {self.a}, {inline_value(d.new)} in {self.b}"


def as_hazards(kinds: Iterable[str]) -> tuple[Hazard, ...]:
    """The :class:`Hazard` members named by ``kinds`` (a step's hazards), in enum order."""
    return ordered_hazards(kinds)


def _key(change: Change) -> tuple[str, ObjectId]:
    """What identifies a change across the change set and the plan's copy of it."""
    return change.operation, change.id


def rename_flag(candidate: RenameCandidate) -> str:
    """The ``--rename`` option that confirms a candidate, quoted for a POSIX shell."""
    return "--rename " + shlex.quote(f"{candidate.old.qualified_name}={candidate.new.name}")
