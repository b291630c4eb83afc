"""A schema differences report in Markdown, for people.

Shaped like a hand-written environment comparison: an overview with counts; the tables that
exist on one side only, each with its full column list, indexes and constraints; the
differences in the tables both sides have (renames with their evidence, added and dropped
columns, attribute changes side by side, column order), and the tables that are identical;
enums; functions (overloads grouped under their name, body changes as a unified diff); then
views, indexes, constraints, policies, triggers, grants and other objects when they differ;
probable renames left unconfirmed; security-relevant changes; and a closing list of critical
issues, data loss first.

Everything is sorted and nothing depends on the clock, so a report is a stable golden file.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.diff_options import DiffOptions
from pgdrift.differ.changes import (
    Altered,
    AttributeChange,
    Change,
    ChangeSet,
    Created,
    Dropped,
    RenameCandidate,
    Renamed,
    Replaced,
)
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.pg.type_changes import Conversion, type_change
from pgdrift.renderer.describe import (
    FIELD_LABELS,
    column_constraints,
    column_definition,
    column_lines,
    constraint_summary,
    describe_object,
    function_returns,
    function_signature,
    function_traits,
    index_summary,
    policy_summary,
    privilege_changes,
    privilege_text,
    privileges_by_grantee,
    trigger_summary,
    value_text,
)
from pgdrift.renderer.registry import renders
from pgdrift.schema import Schema, domain_lookup

_TABLE_KINDS = frozenset({ids.TABLE, ids.FOREIGN_TABLE})
#: Parts of a table reported in its own section (triggers, policies, rules have theirs).
_TABLE_PARTS = frozenset({ids.TABLE, ids.FOREIGN_TABLE, ids.COLUMN, ids.CONSTRAINT, ids.INDEX})
_ROUTINE_KINDS = frozenset({ids.FUNCTION, ids.PROCEDURE})
_VIEW_KINDS = frozenset({ids.VIEW, ids.MATERIALIZED_VIEW})
_WHITESPACE_ONLY = "whitespace or comments only"


@renders("markdown")
def render_markdown(changes: ChangeSet) -> str:
    """The whole report as Markdown text (ending with a newline).

    Example:
        >>> import pgdrift
        >>> from pgdrift.differ import diff
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> report = render_markdown(diff(a, a, labels=("dev", "prod")))
        >>> report.splitlines()[0]
        '# Schema differences: dev vs prod'
        >>> "`public.t` — IDENTICAL, 1 column" in report
        True
    """
    return _Report(changes).render()


# Markdown helpers ------------------------------------------------------------------------------


def code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    if "`" not in text:
        return f"`{text}`"
    longest = max(len(run) for run in re.findall("`+", text))
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}"


def fence(text: str, language: str = "") -> list[str]:
    """A fenced code block longer than any backtick run inside ``text``."""
    runs = re.findall("`{3,}", text)
    ticks = "`" * max([3, *(len(r) + 1 for r in runs)])
    return [f"{ticks}{language}", *text.splitlines(), ticks]


def cell(text: str) -> str:
    """Text for a table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _value(value: Any) -> str:
    """An attribute value inline: code for definitions, words for flags."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return code(value_text(value))


def _long(value: Any) -> bool:
    text = value.sql if isinstance(value, Expr) else value if isinstance(value, str) else ""
    return len(text) > 80 or "\n" in text


# The report ------------------------------------------------------------------------------------


class _Report:
    def __init__(self, changes: ChangeSet) -> None:
        self.changes = changes
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
                               if isinstance(c, Renamed) and c.kind in _TABLE_KINDS}  # fmt: skip
        self.reported: set[int] = set()

    # -- plumbing --------------------------------------------------------------------------

    def _take(self, change: Change) -> Change:
        self.reported.add(id(change))
        return change

    def _remaining(self, kinds: Iterable[str]) -> list[Change]:
        wanted = frozenset(kinds)
        return [c for c in self.changes if c.kind in wanted and id(c) not in self.reported]

    def _table_of(self, change: Change) -> ObjectId | None:
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

    def _on_both_sides(self, table: ObjectId) -> bool:
        """Whether a table (named as the old side names it) exists on both sides."""
        if not (self.old.objects or self.new.objects):
            return True
        new = next((n for n, o in self.renamed_tables.items() if o == table), table)
        return table in self.old.objects and new in self.new.objects

    def _kept(self, schema: Schema, kinds: Iterable[str]) -> list[Any]:
        wanted = frozenset(kinds)
        return sorted((o for o in schema if o.kind in wanted and self.options.keeps(o)),
                      key=lambda o: o.id.sort_key())  # fmt: skip

    def _side(self, change: Change) -> str:
        return self.a if isinstance(change, Dropped) else self.b

    # -- the report ------------------------------------------------------------------------

    def render(self) -> str:
        lines = [f"# Schema differences: {self.a} vs {self.b}", ""]
        lines += self._overview()
        sections: list[tuple[str, list[str]]] = [
            ("Tables existing only in one environment", self._one_sided_tables()),
            ("Differences in common tables", self._common_tables()),
            ("Enum types", self._enums()),
            ("Functions and procedures", self._functions()),
        ]
        optional = [
            ("Views", self._generic(_VIEW_KINDS)),
            ("Indexes", self._generic({ids.INDEX})),
            ("Constraints", self._generic({ids.CONSTRAINT})),
            ("Row level security policies", self._generic({ids.POLICY})),
            ("Triggers", self._generic({ids.TRIGGER})),
            ("Sequences", self._generic({ids.SEQUENCE})),
            ("Grants", self._grants()),
        ]
        sections += [(title, body) for title, body in optional if body]
        other = self._generic(ids.ALL_KINDS)
        if other:
            sections.append(("Other objects", other))
        renames = self._unconfirmed_renames()
        if renames:
            sections.append(("Probable renames not confirmed", renames))
        sections.append(("Security-relevant changes", self._security()))
        sections.append(("Critical issues", self._critical()))
        for number, (title, body) in enumerate(sections, 1):
            lines += [f"## {number}. {title}", "", *body]
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + "\n"

    # -- overview --------------------------------------------------------------------------

    def _overview(self) -> list[str]:
        a, b = self.a, self.b
        lines = ["## Overview", ""]
        sources = [(label, s.source) for label, s in ((a, self.old), (b, self.new)) if s.source]
        if sources:
            lines.append("Compared: " + "; ".join(f"**{label}** = {code(src)}"
                                                  for label, src in sources) + ".")  # fmt: skip
            lines.append("")
        counts = self._counts()
        if counts:
            lines += [f"| Objects | {cell(a)} | {cell(b)} |", "|---|---:|---:|"]
            lines += [f"| {kind} | {n_a} | {n_b} |" for kind, n_a, n_b in counts]
            lines.append("")
        lines.append(self._summary_sentence())
        lines.append("")
        return lines

    def _counts(self) -> list[tuple[str, int, int]]:
        rows = []
        for kind in ids.ALL_KINDS:
            if kind == ids.UNSUPPORTED:
                continue
            if kind == ids.COLUMN:
                n_a = sum(len(t.columns) for t in self._kept(self.old, _TABLE_KINDS))
                n_b = sum(len(t.columns) for t in self._kept(self.new, _TABLE_KINDS))
            else:
                n_a, n_b = len(self._kept(self.old, {kind})), len(self._kept(self.new, {kind}))
            if n_a or n_b:
                rows.append((_KIND_PLURALS.get(kind, kind.replace("_", " ") + "s"), n_a, n_b))
        return rows

    def _summary_sentence(self) -> str:
        n = len(self.changes)
        if not n:
            return f"**No differences**: {self.a} and {self.b} define the same objects."
        ops = {op: sum(1 for c in self.changes if c.operation == op)
               for op in ("drop", "create", "alter", "rename", "replace")}  # fmt: skip
        words = {"drop": f"only in {self.a}", "create": f"only in {self.b}",
                 "alter": "defined differently", "rename": "renamed",
                 "replace": "to be dropped and created again"}  # fmt: skip
        parts = [f"{count} {words[op]}" for op, count in ops.items() if count]
        text = (f"**{_plural(n, 'difference')}** (every object counted, columns, constraints "
                f"and indexes included): {', '.join(parts)}.")  # fmt: skip
        flagged = sum(1 for c in self.changes if c.security)
        if flagged:
            text += f" {_plural(flagged, 'change')} widen{'s' if flagged == 1 else ''} access."
        return text

    # -- 1. one-sided tables ---------------------------------------------------------------

    def _one_sided_tables(self) -> list[str]:
        lines: list[str] = []
        for label, tables, schema in ((self.a, self.dropped_tables, self.old),
                                      (self.b, self.created_tables, self.new)):  # fmt: skip
            other = self.b if label == self.a else self.a
            title = f"### Tables in {label} but not in {other} ({_plural(len(tables), 'table')})"
            lines += [title, ""]
            if not tables:
                lines += ["None.", ""]
                continue
            for tid in sorted(tables, key=ObjectId.sort_key):
                table = tables[tid]
                if isinstance(table, model.Table):
                    lines += self._table_listing(table, schema)
        for change in self.changes:
            if self._table_of(change) in self.dropped_tables or (
                self._table_of(change) in self.created_tables
            ):
                self._take(change)
        return lines

    def _table_listing(self, table: model.Table, schema: Schema) -> list[str]:
        lines = [f"#### {code(table.qualified_name)}", ""]
        if table.kind == ids.FOREIGN_TABLE:
            lines += [f"- **Foreign table** on server {code(getattr(table, 'server', ''))}"]
        if table.comment:
            lines.append(f"- **Comment**: {cell(table.comment)}")
        if table.partition_of is not None:
            lines.append(f"- **Partition of** {code(table.partition_of.qualified_name)}")
        constraints = sorted(schema.constraints_of(table.id), key=lambda c: c.id.sort_key())
        notes = column_constraints(table.id, constraints)
        lines.append(f"- **Columns** ({len(table.columns)}):")
        listing = "\n".join(column_lines(table.columns.ordered, notes))
        lines += ["  " + line for line in fence(listing, "sql")]
        keys = [c for c in constraints if c.type in (model.Constraint.PRIMARY_KEY,
                                                     model.Constraint.UNIQUE)]  # fmt: skip
        indexes = sorted(schema.indexes_of(table.id), key=lambda i: i.id.sort_key())
        if keys or indexes:
            lines.append("- **Indexes**:")
            lines += [f"  - {constraint_summary(c)} ({code(c.name)})" for c in keys]
            lines += [f"  - {index_summary(i)} ({code(i.name)})" for i in indexes]
        others = [c for c in constraints if c not in keys]
        if others:
            lines.append("- **Constraints**:")
            lines += [f"  - {code(c.name)}: {constraint_summary(c)}" for c in others]
        triggers = sorted(schema.triggers_of(table.id), key=lambda t: t.id.sort_key())
        if triggers:
            lines.append("- **Triggers**:")
            lines += [f"  - {code(t.name)}: {trigger_summary(t)}" for t in triggers]
        if table.rls_enabled:
            forced = " (forced for the owner too)" if table.rls_forced else ""
            lines.append(f"- **Row level security**: enabled{forced}")
        policies = sorted(schema.policies_of(table.id), key=lambda p: p.id.sort_key())
        if policies:
            lines.append("- **Policies**:")
            lines += [f"  - {code(p.name)}: {policy_summary(p)}" for p in policies]
        grants = privileges_by_grantee(table.privileges, skip=table.owner)
        if grants:
            text = "; ".join(f"{code(g)}: {', '.join(p)}" for g, p in grants.items())
            lines.append(f"- **Grants**: {text}")
        lines.append("")
        return lines

    # -- 2. common tables ------------------------------------------------------------------

    def _common_tables(self) -> list[str]:
        by_table: dict[ObjectId, list[Change]] = {}
        for change in self.changes:
            if change.kind not in _TABLE_PARTS or id(change) in self.reported:
                continue
            table = self._table_of(change)
            if table is not None and self._on_both_sides(table):
                by_table.setdefault(table, []).append(change)
        lines: list[str] = []
        for number, tid in enumerate(sorted(by_table, key=ObjectId.sort_key), 1):
            lines += self._table_differences(number, tid, by_table[tid])
        identical = self._identical_tables(set(by_table))
        if identical:
            lines += ["### Identical tables", ""]
            lines += identical
            lines.append("")
        if not lines:
            lines = ["No table exists on both sides.", ""]
        return lines

    def _table_differences(self, number: int, tid: ObjectId, group: list[Change]) -> list[str]:
        for change in group:
            self._take(change)
        a, b = self.a, self.b
        new_tid = next((new for new, old in self.renamed_tables.items() if old == tid), tid)
        before = self.old.objects.get(tid)
        after = self.new.objects.get(new_tid)
        title = f"### 2.{number} {code(tid.qualified_name)}"
        if new_tid != tid:
            title += f" → {code(new_tid.qualified_name)} — RENAMED"
        else:
            title += " — DIFFERENT"
        lines = [title, ""]
        if isinstance(before, model.Table) and isinstance(after, model.Table):
            lines.append(f"{_plural(len(before.columns), 'column')} in {a}, "
                         f"{len(after.columns)} in {b}.")  # fmt: skip
            lines.append("")
        table_change = next((c for c in group if c.kind in _TABLE_KINDS), None)
        if isinstance(table_change, Renamed):
            lines.append(f"- **Renamed** ({self._evidence(table_change.id, table_change.new_id)})")
        columns = sorted((c for c in group if c.kind == ids.COLUMN),
                         key=lambda c: self._column_position(c, before, after))  # fmt: skip
        renamed = [c for c in columns if isinstance(c, Renamed)]
        if renamed:
            lines.append(f"- **Renamed columns** ({len(renamed)}):")
            for change in renamed:
                assert isinstance(change, Renamed)
                text = (f"  - {code(change.id.name)} → {code(change.new_id.name)}: "
                        f"{self._evidence(change.id, change.new_id)}")  # fmt: skip
                also = [self._detail_inline(d) for d in change.details]
                if also:
                    text += f"; also {'; '.join(also)}"
                lines.append(text)
        dropped = [c for c in columns if isinstance(c, Dropped)]
        created = [c for c in columns if isinstance(c, Created)]
        for label, items in ((a, dropped), (b, created)):
            if not items:
                continue
            lines.append(f"- **Only in {label}** ({_plural(len(items), 'column')}):")
            for change in items:
                column = change.object
                text = f"  - {code(column.name)}"
                if isinstance(column, model.Column):
                    text += f" {code(column_definition(column))}"
                hint = self._candidate_hint(change)
                if hint:
                    text += f" ({hint})"
                lines.append(text)
        altered = [c for c in columns if isinstance(c, (Altered, Replaced))]
        if altered:
            lines += ["- **Changed columns**:", "",
                      f"  | Column | Attribute | {cell(a)} | {cell(b)} |",
                      "  |---|---|---|---|"]  # fmt: skip
            for change in altered:
                for d in change.details:
                    label = FIELD_LABELS.get(d.field, d.field.replace("_", " "))
                    note = f" ({d.note})" if d.note else ""
                    lines.append(f"  | {code(change.id.name)} | {cell(label + note)} | "
                                 f"{cell(_value(d.old))} | {cell(_value(d.new))} |")  # fmt: skip
            lines.append("")
        if table_change is not None:
            for d in table_change.details:
                if d.field == "column_order":
                    lines.append("- **Column order** differs (the columns both sides have, in "
                                 "each side's order):")  # fmt: skip
                    lines.append(f"  - {a}: " + ", ".join(code(n) for n in d.old))
                    lines.append(f"  - {b}: " + ", ".join(code(n) for n in d.new))
                elif d.field == "privileges":
                    lines.append(f"- **Grants** differ (see {self._see('Grants')})")
                elif not isinstance(table_change, Renamed):
                    lines += self._detail_lines(d, indent="")
            if isinstance(table_change, Replaced):
                lines.append(f"- **Must be dropped and created again**: {table_change.reason}")
        parts = sorted((c for c in group if c.kind in (ids.CONSTRAINT, ids.INDEX)),
                       key=lambda c: (_SIDE_ORDER.get(c.operation, 2), c.sort_key()))  # fmt: skip
        if parts:
            lines.append("- **Constraints and indexes**:")
            for change in parts:
                lines += ["  " + line for line in self._change_item(change, within_table=True)]
        lines.append("")
        if isinstance(before, model.Table) and isinstance(after, model.Table):
            lines += self._side_by_side(before, after, group)
        return lines

    @staticmethod
    def _column_position(change: Change, before: Any, after: Any) -> tuple[int, int]:
        """Where a column stands: its place on the old side (the new side for an added one)."""
        for side, table in ((0, before), (1, after)):
            if (
                isinstance(table, model.Table)
                and change.id.name in table.columns
                and (side == 1 or not isinstance(change, Created))
            ):
                return side, table.columns.position(change.id.name)
        return 2, 0

    def _side_by_side(
        self, before: model.Table, after: model.Table, group: list[Change]
    ) -> list[str]:
        a, b = self.a, self.b
        old_notes: dict[str, str] = {}
        new_notes: dict[str, str] = {}
        for change in group:
            if change.kind != ids.COLUMN:
                continue
            if isinstance(change, Renamed):
                old_notes[change.id.name] = f"renamed to {change.new_id.name} in {b}"
                new_notes[change.new_id.name] = f"renamed from {change.id.name} in {a}"
            elif isinstance(change, Dropped):
                pending = self._pending_rename(change.id)
                old_notes[change.id.name] = f"only in {a}" + (
                    f", probably renamed to {pending.new.name}" if pending else ""
                )
            elif isinstance(change, Created):
                pending = self._pending_rename(change.id)
                new_notes[change.id.name] = f"only in {b}" + (
                    f", probably renamed from {pending.old.name}" if pending else ""
                )
            if isinstance(change, (Altered, Replaced, Renamed)):
                name_b = change.new_id.name if isinstance(change, Renamed) else change.id.name
                old_text = ", ".join(self._column_note(d, d.new, b) for d in change.details)
                new_text = ", ".join(self._column_note(d, d.old, a) for d in change.details)
                if old_text:
                    old_notes[change.id.name] = ", ".join(
                        filter(None, (old_notes.get(change.id.name), old_text))
                    )
                    new_notes[name_b] = ", ".join(filter(None, (new_notes.get(name_b), new_text)))
        lines = []
        for label, table, notes, schema in ((a, before, old_notes, self.old),
                                            (b, after, new_notes, self.new)):  # fmt: skip
            constraint_notes = column_constraints(table.id, schema.constraints_of(table.id))
            body = column_lines(table.columns.ordered, constraint_notes, notes)
            lines += [f"#### {code(table.name)} in {label}", "", *fence("\n".join(body), "sql"), ""]
        return lines

    @staticmethod
    def _column_note(detail: AttributeChange, other_value: Any, other_label: str) -> str:
        if detail.field == "not_null":
            return f"{'NOT NULL' if other_value else 'nullable'} in {other_label}"
        if detail.field == "default":
            shown = (
                f"DEFAULT {value_text(other_value)}" if other_value is not None else ("no default")
            )
            return f"{shown} in {other_label}"
        if detail.field == "type":
            return f"{value_text(other_value)} in {other_label}"
        label = FIELD_LABELS.get(detail.field, detail.field.replace("_", " "))
        return f"{label} {value_text(other_value)} in {other_label}"

    def _identical_tables(self, different: set[ObjectId]) -> list[str]:
        old_tables = {t.id: t for t in self._kept(self.old, _TABLE_KINDS)}
        new_tables = {t.id: t for t in self._kept(self.new, _TABLE_KINDS)}
        touched: dict[ObjectId, set[str]] = {}
        for change in self.changes:
            table = self._table_of(change)
            if table is not None and change.kind not in _TABLE_PARTS:
                touched.setdefault(table, set()).add(change.kind)
        lines = []
        for tid in sorted(old_tables.keys() & new_tables.keys(), key=ObjectId.sort_key):
            if tid in different:
                continue
            n = len(old_tables[tid].columns)
            text = f"- {code(tid.qualified_name)} — IDENTICAL, {_plural(n, 'column')}"
            kinds = sorted(touched.get(tid, ()))
            if kinds:
                words = ", ".join(_KIND_PLURALS.get(k, k + "s") for k in kinds)
                sections = ", ".join(self._see(_KIND_SECTIONS.get(k, "Other objects"))
                                     for k in kinds)  # fmt: skip
                text += f" (its {words} differ: see {sections})"
            lines.append(text)
        return lines

    # -- 3. enums --------------------------------------------------------------------------

    def _enums(self) -> list[str]:
        changes = self._remaining({ids.ENUM})
        lines: list[str] = []
        for label, cls in ((self.a, Dropped), (self.b, Created)):
            items = [c for c in changes if isinstance(c, cls)]
            if not items:
                continue
            lines += [f"### Only in {label}", ""]
            for change in items:
                self._take(change)
                enum = change.object
                if not isinstance(enum, model.Enum):
                    lines.append(f"- {code(enum.qualified_name)}: {describe_object(enum)}")
                    continue
                lines.append(f"- {code(enum.qualified_name)} with "
                             f"{_plural(len(enum.labels), 'label')}: "
                             f"{', '.join(code(x) for x in enum.labels)}")  # fmt: skip
            lines.append("")
        changed = [c for c in changes if not isinstance(c, (Dropped, Created))]
        if changed:
            lines += ["### Defined differently", ""]
            for other in changed:
                self._take(other)
                lines += self._enum_change(other)
            lines.append("")
        different = {c.id for c in changes} | {getattr(c, "new_id", None) for c in changes}
        identical = [e for e in self._kept(self.old, {ids.ENUM})
                     if e.id in self.new.objects and e.id not in different]  # fmt: skip
        if identical:
            lines += ["### Identical", ""]
            for enum in identical:
                lines.append(f"- {code(enum.qualified_name)} — IDENTICAL, "
                             f"{_plural(len(enum.labels), 'label')}: "
                             f"{', '.join(code(x) for x in enum.labels)}")  # fmt: skip
            lines.append("")
        return lines or ["No enum types on either side.", ""]

    def _enum_change(self, change: Change) -> list[str]:
        head = f"- {code(change.id.qualified_name)}"
        if isinstance(change, Renamed):
            head += f" renamed to {code(change.new_id.qualified_name)}"
        lines = [head]
        for d in change.details:
            if d.field == "labels":
                old, new = list(d.old), list(d.new)
                added = [x for x in new if x not in old]
                removed = [x for x in old if x not in new]
                if added:
                    lines.append(f"  - labels only in {self.b}: "
                                 + ", ".join(code(x) for x in added))  # fmt: skip
                if removed:
                    lines.append(f"  - labels only in {self.a}: "
                                 + ", ".join(code(x) for x in removed))  # fmt: skip
                lines.append(f"  - {self.a}: " + ", ".join(code(x) for x in old))
                lines.append(f"  - {self.b}: " + ", ".join(code(x) for x in new))
            elif d.field != "privileges":
                lines += self._detail_lines(d, indent="  ")
        if isinstance(change, Replaced):
            lines.append(f"  - must be dropped and created again: {change.reason}")
        return lines

    # -- 4. functions ----------------------------------------------------------------------

    def _functions(self) -> list[str]:
        changes = self._remaining(_ROUTINE_KINDS)
        n_a = len(self._kept(self.old, _ROUTINE_KINDS))
        n_b = len(self._kept(self.new, _ROUTINE_KINDS))
        lines = [f"{self.a} has {_plural(n_a, 'function')}, {self.b} has {n_b} "
                 f"(procedures included).", ""]  # fmt: skip
        by_name: dict[tuple[str, str | None, str], list[Change]] = {}
        for change in changes:
            by_name.setdefault((change.kind, change.id.schema, change.id.name), []).append(change)
        overloads = {key: group for key, group in by_name.items()
                     if {c.operation for c in group} >= {"drop", "create"}}  # fmt: skip
        grouped = {id(c) for group in overloads.values() for c in group}
        for label, cls in ((self.a, Dropped), (self.b, Created)):
            items = [c for c in changes if isinstance(c, cls) and id(c) not in grouped]
            if items:
                lines += [f"### Only in {label} ({len(items)})", ""]
                lines += [self._function_item(c) for c in items]
                lines.append("")
        if overloads:
            lines += ["### Signatures that differ (overloads grouped by name)", ""]
            for (_kind, schema, name), group in sorted(overloads.items(),
                                                      key=lambda kv: (kv[0][0], kv[0][1] or "",
                                                                      kv[0][2])):  # fmt: skip
                qualified = f"{schema}.{name}" if schema else name
                lines += [f"#### {code(qualified)}", ""]
                for change in group:
                    if isinstance(change, (Dropped, Created)):
                        lines.append(f"- only in {self._side(change)}: "
                                     + self._function_item(change, bullet=False))  # fmt: skip
                    else:
                        lines += self._function_change(change)
                lines.append("")
        changed = [c for c in changes if not isinstance(c, (Dropped, Created))
                   and id(c) not in grouped]  # fmt: skip
        if changed:
            lines += [f"### Defined differently ({len(changed)})", ""]
            for change in changed:
                lines += self._function_change(change)
                lines.append("")
        for change in changes:
            self._take(change)
        different = {c.id for c in changes}
        identical = [f for f in self._kept(self.old, _ROUTINE_KINDS)
                     if f.id in self.new.objects and f.id not in different]  # fmt: skip
        if identical:
            lines += [f"### Identical ({len(identical)})", ""]
            lines += [f"- {code(f.id.qualified_name)}" for f in identical]
            lines.append("")
        return lines

    def _function_item(self, change: Change, *, bullet: bool = True) -> str:
        function = change.object
        if not isinstance(function, model.Function):
            text = f"{code(change.id.qualified_name)} — {describe_object(function)}"
            return f"- {text}" if bullet else text
        text = (f"{code(function_signature(function))} — {function_returns(function)}; "
                f"{function_traits(function)}")  # fmt: skip
        if function.comment:
            text += f" — {cell(function.comment)}"
        return f"- {text}" if bullet else text

    def _function_change(self, change: Change) -> list[str]:
        function = change.before
        if isinstance(function, model.Function):
            head = f"#### {code(function_signature(function))}"
        else:
            head = f"#### {code(change.id.qualified_name)}"
        if isinstance(change, Renamed):
            head += f" → {code(change.new_id.qualified_name)}"
        lines = [head, ""]
        if isinstance(change, Replaced):
            lines.append(f"- must be dropped and created again: {change.reason}")
        for d in change.details:
            if d.field == "privileges":
                lines.append(f"- grants differ (see {self._see('Grants')})")
            else:
                lines += self._detail_lines(d, indent="")
        return lines

    # -- the other kinds -------------------------------------------------------------------

    def _generic(self, kinds: Iterable[str]) -> list[str]:
        changes = self._remaining(kinds)
        lines: list[str] = []
        for change in changes:
            self._take(change)
            if isinstance(change, Altered) and all(d.field == "privileges" for d in change.details):
                continue  # only grants differ: said in the Grants section
            lines += self._change_item(change)
        if lines:
            lines.append("")
        return lines

    def _change_item(self, change: Change, *, within_table: bool = False) -> list[str]:
        """A bullet for one change: where it exists (or what changed), then its definition."""
        name = change.id.name if within_table else change.id.qualified_name
        kind = change.kind.replace("_", " ")
        obj = change.object
        if isinstance(change, (Dropped, Created)):
            description = _part_description(obj) if within_table else describe_object(obj)
            text = f"- only in {self._side(change)}: {kind} {code(name)}"
            hint = self._candidate_hint(change)
            if description:
                text += f" — {description}"
            if hint:
                text += f" ({hint})"
            return [text]
        if isinstance(change, Renamed):
            new = change.new_id.name if within_table else change.new_id.qualified_name
            lines = [f"- renamed: {kind} {code(name)} → {code(new)} "
                     f"({self._evidence(change.id, change.new_id)})"]  # fmt: skip
        else:
            lines = [f"- defined differently: {kind} {code(name)}"]
        if isinstance(change, Replaced):
            lines.append(f"  - must be dropped and created again: {change.reason}")
        for d in change.details:
            if d.field == "privileges":
                lines.append(f"  - grants differ (see {self._see('Grants')})")
            else:
                lines += self._detail_lines(d, indent="  ")
        return lines

    def _detail_lines(self, d: AttributeChange, indent: str) -> list[str]:
        label = FIELD_LABELS.get(d.field, d.field.replace("_", " "))
        if d.field in ("body", "statement", "tree"):
            if d.note == _WHITESPACE_ONLY:
                return [f"{indent}- {label} differs only in whitespace or comments"]
            diff = d.note or ""
            diff = re.sub(r"\A--- before\n\+\+\+ after", f"--- {self.a}\n+++ {self.b}", diff)
            block = fence(diff, "diff") if diff else []
            return [f"{indent}- {label} differs:", *(f"{indent}  {x}" for x in block)]
        if _long(d.old) or _long(d.new):
            lines = [f"{indent}- {label} differs:"]
            for side, value in ((self.a, d.old), (self.b, d.new)):
                text = value.sql if isinstance(value, Expr) else value_text(value)
                lines.append(f"{indent}  - {side}:")
                lines += [f"{indent}    {x}" for x in fence(text, "sql")]
            return lines
        note = f" ({d.note})" if d.note else ""
        sides = f"{_value(d.old)} in {self.a}, {_value(d.new)} in {self.b}"
        return [f"{indent}- {label}: {sides}{note}"]

    def _detail_inline(self, d: AttributeChange) -> str:
        label = FIELD_LABELS.get(d.field, d.field.replace("_", " "))
        return f"{label}: {_value(d.old)} in {self.a}, {_value(d.new)} in {self.b}"

    # -- grants ----------------------------------------------------------------------------

    def _grants(self) -> list[str]:
        lines = []
        for change in self.changes:
            for d in change.details:
                if d.field != "privileges":
                    continue
                granted, revoked = privilege_changes(d.old, d.new)
                name = code(change.id.qualified_name)
                parts = []
                if granted:
                    parts.append(f"only in {self.b}: "
                                 + ", ".join(privilege_text(p) for p in granted))  # fmt: skip
                if revoked:
                    parts.append(f"only in {self.a}: "
                                 + ", ".join(privilege_text(p) for p in revoked))  # fmt: skip
                lines.append(f"- {change.kind.replace('_', ' ')} {name}: {'; '.join(parts)}")
        if lines:
            lines.append("")
        return lines

    # -- renames ---------------------------------------------------------------------------

    def _evidence(self, old: ObjectId, new: ObjectId) -> str:
        candidate = self.candidates.get((old, new))
        if candidate is None:
            return "confirmed"
        evidence = [e for e in candidate.evidence if e != "confirmed"]
        how = "confirmed with --rename" if "confirmed" in candidate.evidence else ("detected")
        return f"{how}, score {candidate.score:.2f}: {', '.join(evidence) or 'no evidence'}"

    def _pending_rename(self, oid: ObjectId) -> RenameCandidate | None:
        """The unconfirmed rename candidate ``oid`` takes part in, on either side."""
        for candidate in self.changes.rename_candidates:
            if not candidate.confirmed and oid in (candidate.old, candidate.new):
                return candidate
        return None

    def _candidate_hint(self, change: Change) -> str:
        candidate = self._pending_rename(change.id)
        if candidate is None:
            return ""
        see = self._see("Probable renames not confirmed")
        if candidate.old == change.id:
            return f"probably renamed to {code(candidate.new.name)}: see {see}"
        return f"probably renamed from {code(candidate.old.name)}: see {see}"

    def _unconfirmed_renames(self) -> list[str]:
        pending = [c for c in self.changes.rename_candidates if not c.confirmed]
        if not pending:
            return []
        lines = []
        for candidate in pending:
            lines.append(f"- {candidate.old.kind.replace('_', ' ')} "
                         f"{code(candidate.old.qualified_name)} → {code(candidate.new.name)}: "
                         f"score {candidate.score:.2f} ({', '.join(candidate.evidence)}). "
                         f"Confirm with {code(rename_flag(candidate))}.")  # fmt: skip
        lines += ["", f"`--detect-renames` accepts every candidate scoring at least "
                      f"{self.options.rename_threshold:.2f}.", ""]  # fmt: skip
        return lines

    # -- security and critical issues --------------------------------------------------------

    def _security(self) -> list[str]:
        flagged = [c for c in self.changes if c.security]
        if not flagged:
            return ["No change widens access.", ""]
        lines = []
        for change in flagged:
            where = {"drop": f"only in {self.a}", "create": f"only in {self.b}"}.get(
                change.operation, "defined differently"
            )
            lines.append(f"- {change.kind.replace('_', ' ')} {code(change.id.qualified_name)} "
                         f"({where}): {'; '.join(change.security)}")  # fmt: skip
        return [*lines, ""]

    def _critical(self) -> list[str]:
        a, b = self.a, self.b
        issues: list[str] = []
        # Data loss first: what making `a` match `b` would drop or cut.
        for tid in sorted(self.dropped_tables, key=ObjectId.sort_key):
            dropped = self.dropped_tables[tid]
            n = len(dropped.columns) if isinstance(dropped, model.Table) else 0
            issues.append(f"**Data loss**: table {code(tid.qualified_name)} "
                          f"({_plural(n, 'column')}) exists only in {a}; making {a} match {b} "
                          f"drops it with its rows.")  # fmt: skip
        dropped_columns = [c for c in self.changes if isinstance(c, Dropped)
                           and c.kind == ids.COLUMN
                           and self._table_of(c) not in self.dropped_tables]  # fmt: skip
        for table, names in self._by_table(dropped_columns):
            text = (f"**Data loss**: {_plural(len(names), 'column')} of "
                    f"{code(table.qualified_name)} exist only in {a} and would be dropped: "
                    f"{', '.join(code(n) for n in names)}.")  # fmt: skip
            pending = [f"{code(c.old.name)} → {code(c.new.name)}"
                       for c in self.changes.rename_candidates
                       if not c.confirmed and c.old.kind == ids.COLUMN
                       and self._table_of(Dropped(id=c.old)) == table]  # fmt: skip
            if pending:
                text += (f" Probably renamed, not dropped: {', '.join(pending)}; confirming "
                         f"the renames keeps their data.")  # fmt: skip
            issues.append(text)
        narrowing, retyped = self._type_changes()
        issues += [f"**Data loss**: {text}" for text in narrowing]
        # Then what breaks: names, NOT NULL, types, routines, enums.
        for table, names in self._by_table(
            c for c in self.changes if isinstance(c, Renamed) and c.kind == ids.COLUMN
        ):
            issues.append(f"**Incompatible**: renamed columns of {code(table.qualified_name)}: "
                          f"{', '.join(names)}; queries using the {a} names break, and a "
                          f"migration must rename rather than drop and add.")  # fmt: skip
        for change in self.changes:
            # Renamed indexes and constraints break nothing that queries use.
            if isinstance(change, Renamed) and change.kind not in (
                ids.COLUMN, ids.INDEX, ids.CONSTRAINT
            ):  # fmt: skip
                issues.append(f"**Incompatible**: {change.kind.replace('_', ' ')} "
                              f"{code(change.id.qualified_name)} is "
                              f"{code(change.new_id.qualified_name)} in {b}.")  # fmt: skip
        issues += [f"**Incompatible**: {text}" for text in self._not_null_issues()]
        issues += [f"**Incompatible**: {text}" for text in retyped]
        issues += [f"**Incompatible**: {text}" for text in self._routine_issues()]
        for change in self.changes:
            if change.kind == ids.ENUM and isinstance(change, Dropped):
                issues.append(f"**Incompatible**: enum {code(change.id.qualified_name)} exists "
                              f"only in {a}; what uses it in {a} has no counterpart in "
                              f"{b}.")  # fmt: skip
            elif change.kind == ids.ENUM and isinstance(change, Replaced):
                issues.append(f"**Incompatible**: enum {code(change.id.qualified_name)}: "
                              f"{change.reason}.")  # fmt: skip
        for change in self.changes:
            if isinstance(change, Replaced) and change.kind not in (ids.ENUM, *_ROUTINE_KINDS):
                issues.append(f"**Incompatible**: {change.kind.replace('_', ' ')} "
                              f"{code(change.id.qualified_name)} must be dropped and created "
                              f"again ({change.reason}).")  # fmt: skip
        # Then security widenings.
        for change in self.changes:
            if change.security:
                reasons = "; ".join(change.security)
                issues.append(f"**Security**: {change.kind.replace('_', ' ')} "
                              f"{code(change.id.qualified_name)}: {reasons}.")  # fmt: skip
        if not issues:
            return ["None: nothing is lost, nothing breaks, no access widens.", ""]
        lines = [f"In order of harm, for making {a}'s schema match {b}'s:", ""]
        lines += [f"{i}. {text}" for i, text in enumerate(issues, 1)]
        return [*lines, ""]

    def _by_table(self, changes: Iterable[Change]) -> list[tuple[ObjectId, list[str]]]:
        groups: dict[ObjectId, list[str]] = {}
        for change in changes:
            table = self._table_of(change)
            if table is None:
                continue
            if isinstance(change, Renamed):
                text = f"{code(change.id.name)} → {code(change.new_id.name)}"
            else:
                text = change.id.name
            groups.setdefault(table, []).append(text)
        return sorted(groups.items(), key=lambda kv: kv[0].sort_key())

    def _type_changes(self) -> tuple[list[str], list[str]]:
        """Column type changes that cut or refuse values (data loss), and those no cast makes
        unaided (incompatible), as the planner classifies them."""
        narrowing: list[str] = []
        retyped: list[str] = []
        domains = domain_lookup(self.new, self.old)
        for change in self.changes:
            if change.kind != ids.COLUMN or isinstance(change, (Dropped, Created)):
                continue
            d = change.detail("type")
            if d is None or d.old is None or d.new is None:
                continue
            table = self._table_of(change)
            where = f"{code(change.id.name)} of {code(table.qualified_name if table else '?')}"
            how = type_change(d.old, d.new, domains=domains)
            text = f"{where} is {code(str(d.old))} in {self.a}, {code(str(d.new))} in {self.b}"
            if how.conversion == Conversion.MAY_FAIL:
                narrowing.append(f"{text}: values that do not fit are cut or refused.")
            elif how.conversion == Conversion.NEEDS_USING:
                fails = " and may fail" if how.may_fail else ""
                retyped.append(f"{text}: converting needs a USING cast{fails}.")
        return narrowing, retyped

    def _not_null_issues(self) -> list[str]:
        issues = []
        for change in self.changes:
            if change.kind != ids.COLUMN:
                continue
            table = self._table_of(change)
            if table is None or table in self.created_tables:
                continue
            column = change.after
            if isinstance(change, Created) and isinstance(column, model.Column):
                # ALTER TABLE ADD COLUMN ... NOT NULL without a default fails on a table with
                # rows (docs: ALTER TABLE, ADD COLUMN).
                if (
                    column.not_null
                    and column.default is None
                    and column.identity is None
                    and (column.generated is None)
                ):
                    issues.append(f"column {code(column.name)} of {code(table.qualified_name)} "
                                  f"exists only in {self.b}, NOT NULL without a default: adding "
                                  f"it fails while the table has rows.")  # fmt: skip
                continue
            d = change.detail("not_null")
            if d is not None and d.new and not d.old:
                name = change.new_id.name if isinstance(change, Renamed) else change.id.name
                issues.append(f"column {code(name)} of {code(table.qualified_name)} is "
                              f"nullable in {self.a}, NOT NULL in {self.b}: existing NULLs "
                              f"must be filled first.")  # fmt: skip
        return issues

    def _routine_issues(self) -> list[str]:
        issues = []
        names: dict[tuple[str, str | None, str], list[Change]] = {}
        for change in self.changes:
            if change.kind in _ROUTINE_KINDS and isinstance(change, (Dropped, Created)):
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
                              f"{self.a}, {new} in {self.b}; callers must change.")  # fmt: skip
            elif drops:
                gone += [code(c.id.qualified_name) for c in drops]
        if gone:
            issues.append(f"functions only in {self.a} (callers break without them): "
                          f"{', '.join(gone)}.")  # fmt: skip
        for change in self.changes:
            if change.kind in _ROUTINE_KINDS and isinstance(change, Replaced):
                issues.append(f"{code(change.id.qualified_name)} must be dropped and created "
                              f"again ({change.reason}).")  # fmt: skip
        return issues

    # -- cross references ------------------------------------------------------------------

    @staticmethod
    def _see(title: str) -> str:
        return f"“{title}”"


def _part_description(obj: model.DbObject) -> str:
    """A table part described without repeating its table."""
    if isinstance(obj, model.Index):
        return index_summary(obj)
    if isinstance(obj, model.Constraint):
        return constraint_summary(obj)
    if isinstance(obj, model.Trigger):
        return trigger_summary(obj)
    if isinstance(obj, model.Policy):
        return policy_summary(obj)
    return describe_object(obj)


def rename_flag(candidate: RenameCandidate) -> str:
    """The ``--rename`` option that confirms a candidate, quoted for a POSIX shell."""
    return "--rename " + shlex.quote(f"{candidate.old.qualified_name}={candidate.new.name}")


#: Lists of a table's parts show what one side has, then the other, then what differs.
_SIDE_ORDER = {"drop": 0, "create": 1}
_KIND_PLURALS = {
    ids.INDEX: "indexes", ids.POLICY: "policies", ids.STATISTICS: "statistics",
    ids.DEFAULT_PRIVILEGES: "default privileges", ids.SCHEMA: "schemas",
    ids.MATERIALIZED_VIEW: "materialized views", ids.UNSUPPORTED: "unsupported statements",
}  # fmt: skip
_KIND_SECTIONS = {
    ids.TRIGGER: "Triggers", ids.POLICY: "Row level security policies", ids.RULE: "Other objects",
    ids.STATISTICS: "Other objects",
}  # fmt: skip

__all__ = ["cell", "code", "fence", "rename_flag", "render_markdown"]
