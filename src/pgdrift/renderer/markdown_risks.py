"""The report's closing sections: the changes that widen access, the critical issues of making
the first schema match the second (data loss first), and the hazards of the migration's steps.

What a migration risks is the planner's word: every hazard named here is one the plan's steps
carry for the change (:meth:`ReportContext.hazards`), in the words of
:class:`~pgdrift.pg.hazards.Hazard`. What the planner does not judge (a rename breaks queries, a
dropped function breaks its callers, a grant widens access) the report says on its own; a
column type change is classified by :func:`pgdrift.pg.type_changes.type_change`, the rule the
planner uses too.
"""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import ids, model
from pgdrift.differ.changes import Change, Created, Dropped, Renamed, Replaced
from pgdrift.ids import ObjectId
from pgdrift.pg.hazards import Hazard
from pgdrift.pg.type_changes import Conversion, type_change
from pgdrift.renderer.markdown_context import ROUTINE_KINDS, ReportContext, as_hazards
from pgdrift.renderer.markdown_text import code, plural, see
from pgdrift.schema import domain_lookup

__all__ = ["HAZARDS_TITLE", "critical", "migration_hazards", "security"]

#: The title of the section listing the hazards of the migration's steps.
HAZARDS_TITLE = "Migration hazards"


def security(r: ReportContext) -> list[str]:
    """The changes the differ flags as widening access, with its reasons."""
    flagged = [c for c in r.changes if c.security]
    if not flagged:
        return ["No change widens access.", ""]
    lines = []
    for change in flagged:
        lines.append(f"- {change.kind.replace('_', ' ')} {code(change.id.qualified_name)} "
                     f"({_where(r, change)}): {'; '.join(change.security)}")  # fmt: skip
    return [*lines, ""]


def critical(r: ReportContext) -> list[str]:
    """The issues of making the first schema match the second, in order of harm: data loss (as
    the plan carries it), what breaks, then access widened."""
    a, b = r.a, r.b
    issues: list[str] = []
    # Data loss first: what the plan's steps delete, or a type change cuts.
    deleting = [c for c in r.changes if Hazard.DELETES_DATA in r.hazards(c)]
    told: set[int] = set()
    for change in sorted(deleting, key=lambda c: c.id.sort_key()):
        dropped = r.dropped_tables.get(change.id)
        if isinstance(change, Dropped) and isinstance(dropped, model.Table):
            told.add(id(change))
            issues.append(f"**Data loss**: table {code(change.id.qualified_name)} "
                          f"({plural(len(dropped.columns), 'column')}) exists only in {a}; "
                          f"making {a} match {b} drops it with its rows.")  # fmt: skip
    dropped_columns = [c for c in deleting if isinstance(c, Dropped) and c.kind == ids.COLUMN
                       and r.table_of(c) not in (None, *r.dropped_tables)]  # fmt: skip
    told.update(id(c) for c in dropped_columns)
    for table, names in _by_table(r, dropped_columns):
        text = (f"**Data loss**: {plural(len(names), 'column')} of "
                f"{code(table.qualified_name)} exist only in {a} and would be dropped: "
                f"{', '.join(code(n) for n in names)}.")  # fmt: skip
        pending = [f"{code(c.old.name)} → {code(c.new.name)}"
                   for c in r.changes.rename_candidates
                   if not c.confirmed and c.old.kind == ids.COLUMN
                   and r.table_of(Dropped(id=c.old)) == table]  # fmt: skip
        if pending:
            text += (f" Probably renamed, not dropped: {', '.join(pending)}; confirming "
                     f"the renames keeps their data.")  # fmt: skip
        issues.append(text)
    for change in deleting:
        if id(change) not in told:
            issues.append(f"**Data loss**: {change.kind.replace('_', ' ')} "
                          f"{code(change.id.qualified_name)} ({_where(r, change)}): carrying "
                          f"the change out {Hazard.DELETES_DATA.description}.")  # fmt: skip
    narrowing, retyped = _type_changes(r)
    issues += [f"**Data loss**: {text}" for text in narrowing]
    # Then what breaks: names, NOT NULL, types, routines, enums.
    for table, names in _by_table(
        r,
        [c for c in r.changes if isinstance(c, Renamed) and c.kind == ids.COLUMN],
    ):
        issues.append(f"**Incompatible**: renamed columns of {code(table.qualified_name)}: "
                      f"{', '.join(names)}; queries using the {a} names break, and a "
                      f"migration must rename rather than drop and add.")  # fmt: skip
    for change in r.changes:
        # Renamed indexes and constraints break nothing that queries use.
        if isinstance(change, Renamed) and change.kind not in (
            ids.COLUMN, ids.INDEX, ids.CONSTRAINT
        ):  # fmt: skip
            issues.append(f"**Incompatible**: {change.kind.replace('_', ' ')} "
                          f"{code(change.id.qualified_name)} is "
                          f"{code(change.new_id.qualified_name)} in {b}.")  # fmt: skip
    issues += [f"**Incompatible**: {text}" for text in _not_null_issues(r)]
    issues += [f"**Incompatible**: {text}" for text in retyped]
    issues += [f"**Incompatible**: {text}" for text in _routine_issues(r)]
    for change in r.changes:
        if change.kind == ids.ENUM and isinstance(change, Dropped):
            issues.append(f"**Incompatible**: enum {code(change.id.qualified_name)} exists "
                          f"only in {a}; what uses it in {a} has no counterpart in "
                          f"{b}.")  # fmt: skip
        elif change.kind == ids.ENUM and isinstance(change, Replaced):
            issues.append(f"**Incompatible**: enum {code(change.id.qualified_name)}: "
                          f"{change.reason}.")  # fmt: skip
    for change in r.changes:
        if isinstance(change, Replaced) and change.kind not in (ids.ENUM, *ROUTINE_KINDS):
            issues.append(f"**Incompatible**: {change.kind.replace('_', ' ')} "
                          f"{code(change.id.qualified_name)} must be dropped and created "
                          f"again ({change.reason}).")  # fmt: skip
    # Then security widenings.
    for change in r.changes:
        if change.security:
            reasons = "; ".join(change.security)
            issues.append(f"**Security**: {change.kind.replace('_', ' ')} "
                          f"{code(change.id.qualified_name)}: {reasons}.")  # fmt: skip
    lines: list[str] = []
    if r.plan is None:
        lines += [f"The migration could not be planned, so what it would delete or fail on is "
                  f"not known (see {see(HAZARDS_TITLE)}).", ""]  # fmt: skip
        if not issues:
            return lines
    if not issues:
        return ["None: nothing is lost, nothing breaks, no access widens.", ""]
    lines += [f"In order of harm, for making {a}'s schema match {b}'s:", ""]
    lines += [f"{i}. {text}" for i, text in enumerate(issues, 1)]
    return [*lines, ""]


def migration_hazards(r: ReportContext) -> list[str]:
    """Each change the migration's steps carry hazards for, with those hazards; then the steps
    the plan adds for no change of their own (to make room for one) that carry any."""
    if r.plan is None:
        return [f"The migration could not be planned: {r.plan_problem or 'no plan was made'}.",
                ""]  # fmt: skip
    lines = []
    for change in r.changes:
        found = r.hazards(change)
        if found:
            name = f"{change.kind.replace('_', ' ')} {code(change.id.qualified_name)}"
            lines.append(f"- {name}: {_described(found)}")
    for step in r.plan.steps:
        if step.change is None and step.hazards:
            why = f" ({step.comment.splitlines()[0]})" if step.comment else ""
            statement = code(step.sql.splitlines()[0])
            lines.append(f"- step {statement}{why}: {_described(as_hazards(step.hazards))}")
    if not lines:
        return ["No step of the migration carries a hazard.", ""]
    return [f"What the steps of the migration that makes {r.a}'s schema match {r.b}'s risk, "
            f"change by change:", "", *lines, ""]  # fmt: skip


def _described(hazards: Iterable[Hazard]) -> str:
    return "; ".join(hazard.description for hazard in hazards)


def _where(r: ReportContext, change: Change) -> str:
    return {"drop": f"only in {r.a}", "create": f"only in {r.b}"}.get(
        change.operation, "defined differently"
    )


def _by_table(r: ReportContext, changes: Iterable[Change]) -> list[tuple[ObjectId, list[str]]]:
    """Column names (or renames) grouped by the table they belong to, tables sorted."""
    groups: dict[ObjectId, list[str]] = {}
    for change in changes:
        table = r.table_of(change)
        if table is None:
            continue
        if isinstance(change, Renamed):
            text = f"{code(change.id.name)} → {code(change.new_id.name)}"
        else:
            text = change.id.name
        groups.setdefault(table, []).append(text)
    return sorted(groups.items(), key=lambda kv: kv[0].sort_key())


def _type_changes(r: ReportContext) -> tuple[list[str], list[str]]:
    """Column type changes that cut or refuse values (data loss: the plan's step may fail), and
    those no cast makes unaided (incompatible), by the classifier the planner uses."""
    narrowing: list[str] = []
    retyped: list[str] = []
    domains = domain_lookup(r.new, r.old)
    for change in r.changes:
        if change.kind != ids.COLUMN or isinstance(change, (Dropped, Created)):
            continue
        d = change.detail("type")
        if d is None or d.old is None or d.new is None:
            continue
        table = r.table_of(change)
        # A composite type's attribute belongs to its type (its columns convert through it).
        owner = table.qualified_name if table else f"{change.id.schema}.{change.id.parent}"
        where = f"{code(change.id.name)} of {code(owner)}"
        how = type_change(d.old, d.new, domains=domains)
        text = f"{where} is {code(str(d.old))} in {r.a}, {code(str(d.new))} in {r.b}"
        may_fail = how.may_fail and Hazard.MAY_FAIL in r.hazards(change)
        if how.conversion == Conversion.MAY_FAIL and may_fail:
            narrowing.append(f"{text}: values that do not fit are cut or refused.")
        elif how.conversion == Conversion.NEEDS_USING:
            fails = " and may fail" if may_fail else ""
            retyped.append(f"{text}: converting needs a USING cast{fails}.")
    return narrowing, retyped


def _not_null_issues(r: ReportContext) -> list[str]:
    """New NOT NULL columns and columns made NOT NULL, where the plan's step may fail."""
    issues = []
    for change in r.changes:
        if change.kind != ids.COLUMN or Hazard.MAY_FAIL not in r.hazards(change):
            continue
        table = r.table_of(change)
        if table is None:
            continue
        column = change.after
        if isinstance(change, Created) and isinstance(column, model.Column):
            # The planner flags ADD COLUMN ... NOT NULL without a default, which fails on a
            # table with rows: the column shows why.
            if column.not_null:
                issues.append(f"column {code(column.name)} of {code(table.qualified_name)} "
                              f"exists only in {r.b}, NOT NULL without a default: adding "
                              f"it fails while the table has rows.")  # fmt: skip
            continue
        d = change.detail("not_null")
        if d is not None and d.new and not d.old:
            name = change.new_id.name if isinstance(change, Renamed) else change.id.name
            issues.append(f"column {code(name)} of {code(table.qualified_name)} is "
                          f"nullable in {r.a}, NOT NULL in {r.b}: existing NULLs "
                          f"must be filled first.")  # fmt: skip
    return issues


def _routine_issues(r: ReportContext) -> list[str]:
    """Routines whose callers break: signatures changed, routines gone, routines replaced."""
    issues = []
    names: dict[tuple[str, str | None, str], list[Change]] = {}
    for change in r.changes:
        if change.kind in ROUTINE_KINDS and isinstance(change, (Dropped, Created)):
            names.setdefault((change.kind, change.id.schema, change.id.name), []).append(change)
    gone = []
    for (_kind, schema, name), group in sorted(names.items(),
                                               key=lambda kv: (kv[0][0], kv[0][1] or "",
                                                               kv[0][2])):  # fmt: skip
        drops = [c for c in group if isinstance(c, Dropped)]
        creates = [c for c in group if isinstance(c, Created)]
        if drops and creates:
            old = ", ".join(code(c.id.qualified_name) for c in drops)
            new = ", ".join(code(c.id.qualified_name) for c in creates)
            issues.append(f"{code(f'{schema}.{name}')} has a different signature: {old} in "
                          f"{r.a}, {new} in {r.b}; callers must change.")  # fmt: skip
        elif drops:
            gone += [code(c.id.qualified_name) for c in drops]
    if gone:
        issues.append(f"functions only in {r.a} (callers break without them): "
                      f"{', '.join(gone)}.")  # fmt: skip
    for change in r.changes:
        if change.kind in ROUTINE_KINDS and isinstance(change, Replaced):
            issues.append(f"{code(change.id.qualified_name)} must be dropped and created "
                          f"again ({change.reason}).")  # fmt: skip
    return issues
