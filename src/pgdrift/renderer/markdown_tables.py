"""The report's table sections: the tables on one side only, each with its full listing, and
the differences in the tables both sides have (renames with their evidence, added and dropped
columns, attribute changes side by side, column order), then the tables that are identical.
"""

from __future__ import annotations

from typing import Any

from pgdrift import ids, model
from pgdrift.differ.changes import (
    Altered,
    AttributeChange,
    Change,
    Created,
    Dropped,
    Renamed,
    Replaced,
)
from pgdrift.ids import ObjectId
from pgdrift.renderer.describe import (
    FIELD_LABELS,
    column_constraints,
    column_definition,
    column_lines,
    constraint_summary,
    index_summary,
    policy_summary,
    privileges_by_grantee,
    trigger_summary,
    value_text,
)
from pgdrift.renderer.markdown_context import TABLE_KINDS, TABLE_PARTS, ReportContext
from pgdrift.renderer.markdown_text import (
    KIND_PLURALS,
    cell,
    code,
    fence,
    inline_value,
    plural,
    see,
)
from pgdrift.schema import Schema

__all__ = ["common_tables", "one_sided_tables"]

#: Lists of a table's parts show what one side has, then the other, then what differs.
_SIDE_ORDER = {"drop": 0, "create": 1}
#: The section that reports a kind of table part the table sections leave out.
_KIND_SECTIONS = {
    ids.TRIGGER: "Triggers", ids.POLICY: "Row level security policies", ids.RULE: "Other objects",
    ids.STATISTICS: "Other objects",
}  # fmt: skip


def one_sided_tables(r: ReportContext) -> list[str]:
    """The tables only one side has, each listed in full (columns, keys, indexes, constraints,
    triggers, policies, grants); takes every change to them or their parts."""
    lines: list[str] = []
    for label, tables, schema in ((r.a, r.dropped_tables, r.old),
                                  (r.b, r.created_tables, r.new)):  # fmt: skip
        other = r.b if label == r.a else r.a
        title = f"### Tables in {label} but not in {other} ({plural(len(tables), 'table')})"
        lines += [title, ""]
        if not tables:
            lines += ["None.", ""]
            continue
        for tid in sorted(tables, key=ObjectId.sort_key):
            table = tables[tid]
            if isinstance(table, model.Table):
                lines += _table_listing(r, table, schema)
    for change in r.changes:
        if r.table_of(change) in r.dropped_tables or (
            r.table_of(change) in r.created_tables
        ):
            r.take(change)
    return lines


def _table_listing(r: ReportContext, table: model.Table, schema: Schema) -> list[str]:
    """A one-sided table in full, as ``schema`` defines it."""
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


def common_tables(r: ReportContext) -> list[str]:
    """The tables both sides have: a subsection per table that differs, then the identical."""
    by_table: dict[ObjectId, list[Change]] = {}
    for change in r.changes:
        if change.kind not in TABLE_PARTS or id(change) in r.reported:
            continue
        table = r.table_of(change)
        if table is not None and r.on_both_sides(table):
            by_table.setdefault(table, []).append(change)
    lines: list[str] = []
    for number, tid in enumerate(sorted(by_table, key=ObjectId.sort_key), 1):
        lines += _table_differences(r, number, tid, by_table[tid])
    identical = _identical_tables(r, set(by_table))
    if identical:
        lines += ["### Identical tables", ""]
        lines += identical
        lines.append("")
    if not lines:
        lines = ["No table exists on both sides.", ""]
    return lines


def _table_differences(
    r: ReportContext, number: int, tid: ObjectId, group: list[Change]
) -> list[str]:
    """Subsection ``2.number``: how table ``tid`` differs, its parts included."""
    for change in group:
        r.take(change)
    a, b = r.a, r.b
    new_tid = next((new for new, old in r.renamed_tables.items() if old == tid), tid)
    before = r.old.objects.get(tid)
    after = r.new.objects.get(new_tid)
    title = f"### 2.{number} {code(tid.qualified_name)}"
    if new_tid != tid:
        title += f" → {code(new_tid.qualified_name)} — RENAMED"
    else:
        title += " — DIFFERENT"
    lines = [title, ""]
    if isinstance(before, model.Table) and isinstance(after, model.Table):
        lines.append(f"{plural(len(before.columns), 'column')} in {a}, "
                     f"{len(after.columns)} in {b}.")  # fmt: skip
        lines.append("")
    table_change = next((c for c in group if c.kind in TABLE_KINDS), None)
    if isinstance(table_change, Renamed):
        lines.append(f"- **Renamed** ({r.evidence(table_change.id, table_change.new_id)})")
    columns = sorted((c for c in group if c.kind == ids.COLUMN),
                     key=lambda c: _column_position(c, before, after))  # fmt: skip
    renamed = [c for c in columns if isinstance(c, Renamed)]
    if renamed:
        lines.append(f"- **Renamed columns** ({len(renamed)}):")
        for change in renamed:
            assert isinstance(change, Renamed)
            text = (f"  - {code(change.id.name)} → {code(change.new_id.name)}: "
                    f"{r.evidence(change.id, change.new_id)}")  # fmt: skip
            also = [r.detail_inline(d) for d in change.details]
            if also:
                text += f"; also {'; '.join(also)}"
            lines.append(text)
    dropped = [c for c in columns if isinstance(c, Dropped)]
    created = [c for c in columns if isinstance(c, Created)]
    for label, items in ((a, dropped), (b, created)):
        if not items:
            continue
        lines.append(f"- **Only in {label}** ({plural(len(items), 'column')}):")
        for change in items:
            column = change.object
            text = f"  - {code(column.name)}"
            if isinstance(column, model.Column):
                text += f" {code(column_definition(column))}"
            hint = r.candidate_hint(change)
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
                old, new = cell(inline_value(d.old)), cell(inline_value(d.new))
                lines.append(f"  | {code(change.id.name)} | {cell(label + note)} | {old} | {new} |")
        lines.append("")
    if table_change is not None:
        for d in table_change.details:
            if d.field == "column_order":
                lines.append("- **Column order** differs (the columns both sides have, in "
                             "each side's order):")  # fmt: skip
                lines.append(f"  - {a}: " + ", ".join(code(n) for n in d.old))
                lines.append(f"  - {b}: " + ", ".join(code(n) for n in d.new))
            elif d.field == "privileges":
                lines.append(f"- **Grants** differ (see {see('Grants')})")
            elif not isinstance(table_change, Renamed):
                lines += r.detail_lines(d, indent="")
        if isinstance(table_change, Replaced):
            lines.append(f"- **Must be dropped and created again**: {table_change.reason}")
    parts = sorted((c for c in group if c.kind in (ids.CONSTRAINT, ids.INDEX)),
                   key=lambda c: (_SIDE_ORDER.get(c.operation, 2), c.sort_key()))  # fmt: skip
    if parts:
        lines.append("- **Constraints and indexes**:")
        for change in parts:
            lines += ["  " + line for line in r.change_item(change, within_table=True)]
    lines.append("")
    if isinstance(before, model.Table) and isinstance(after, model.Table):
        lines += _side_by_side(r, before, after, group)
    return lines


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
    r: ReportContext, before: model.Table, after: model.Table, group: list[Change]
) -> list[str]:
    """Each side's column listing, every differing column noted with the other side's value."""
    a, b = r.a, r.b
    old_notes: dict[str, str] = {}
    new_notes: dict[str, str] = {}
    for change in group:
        if change.kind != ids.COLUMN:
            continue
        if isinstance(change, Renamed):
            old_notes[change.id.name] = f"renamed to {change.new_id.name} in {b}"
            new_notes[change.new_id.name] = f"renamed from {change.id.name} in {a}"
        elif isinstance(change, Dropped):
            pending = r.pending_rename(change.id)
            old_notes[change.id.name] = f"only in {a}" + (
                f", probably renamed to {pending.new.name}" if pending else ""
            )
        elif isinstance(change, Created):
            pending = r.pending_rename(change.id)
            new_notes[change.id.name] = f"only in {b}" + (
                f", probably renamed from {pending.old.name}" if pending else ""
            )
        if isinstance(change, (Altered, Replaced, Renamed)):
            name_b = change.new_id.name if isinstance(change, Renamed) else change.id.name
            old_text = ", ".join(_column_note(d, d.new, b) for d in change.details)
            new_text = ", ".join(_column_note(d, d.old, a) for d in change.details)
            if old_text:
                old_notes[change.id.name] = ", ".join(
                    filter(None, (old_notes.get(change.id.name), old_text))
                )
                new_notes[name_b] = ", ".join(filter(None, (new_notes.get(name_b), new_text)))
    lines = []
    for label, table, notes, schema in ((a, before, old_notes, r.old),
                                        (b, after, new_notes, r.new)):  # fmt: skip
        constraint_notes = column_constraints(table.id, schema.constraints_of(table.id))
        body = column_lines(table.columns.ordered, constraint_notes, notes)
        lines += [f"#### {code(table.name)} in {label}", "", *fence("\n".join(body), "sql"), ""]
    return lines


def _column_note(detail: AttributeChange, other_value: Any, other_label: str) -> str:
    """The other side's value of one column attribute, as a listing comment."""
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


def _identical_tables(r: ReportContext, different: set[ObjectId]) -> list[str]:
    """The tables both sides define alike (pointing to the sections where their triggers or
    policies differ)."""
    old_tables = {t.id: t for t in r.kept(r.old, TABLE_KINDS)}
    new_tables = {t.id: t for t in r.kept(r.new, TABLE_KINDS)}
    touched: dict[ObjectId, set[str]] = {}
    for change in r.changes:
        table = r.table_of(change)
        if table is not None and change.kind not in TABLE_PARTS:
            touched.setdefault(table, set()).add(change.kind)
    lines = []
    for tid in sorted(old_tables.keys() & new_tables.keys(), key=ObjectId.sort_key):
        if tid in different:
            continue
        n = len(old_tables[tid].columns)
        text = f"- {code(tid.qualified_name)} — IDENTICAL, {plural(n, 'column')}"
        kinds = sorted(touched.get(tid, ()))
        if kinds:
            words = ", ".join(KIND_PLURALS.get(k, k + "s") for k in kinds)
            sections = ", ".join(see(_KIND_SECTIONS.get(k, "Other objects"))
                                 for k in kinds)  # fmt: skip
            text += f" (its {words} differ: see {sections})"
        lines.append(text)
    return lines
