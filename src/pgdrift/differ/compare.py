"""Attribute-level comparison of two definitions of the same object."""

from __future__ import annotations

from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.diff_options import DiffOptions
from pgdrift.differ.changes import AttributeChange, body_diff
from pgdrift.expr import Expr, runtime_equivalent
from pgdrift.pg.partitions import key_column_changed
from pgdrift.pg.publications import same_tables

# Fields compared elsewhere or not at all. A table's (or composite type's) ``columns`` are
# compared one change per column; other kinds' ``columns`` (a constraint's key, a statistics
# object's list) are plain attributes.
_SKIP = frozenset({"id", "span", "toc", "with_data"})
# ``with_data``: whether a materialized view holds rows is its data, not its definition.
# pg_dump creates every one WITH NO DATA and fills it with REFRESH MATERIALIZED VIEW in the
# data section, so a schema-only dump never says (docs: pg_dump, REFRESH MATERIALIZED VIEW).
# Fields holding ``(name, value)`` option pairs, compared option by option.
_OPTION_FIELDS = frozenset({"options", "fdw_options", "config", "index_options", "settings"})


def compare_objects(
    before: model.DbObject, after: model.DbObject, options: DiffOptions
) -> list[AttributeChange]:
    """Every attribute that differs, as ``AttributeChange`` records (empty when equal)."""
    if before == after and type(before) is type(after):
        return []
    result: list[AttributeChange] = []
    if type(before) is not type(after):
        result.append(AttributeChange("kind", before.kind, after.kind))
    fields = {f.name: f for f in attrs.fields(type(after)) if f.eq and f.name not in _SKIP}
    for name in fields:
        if not hasattr(before, name):
            continue
        old, new = getattr(before, name), getattr(after, name)
        if old == new or isinstance(new, model.Columns):
            continue
        # An owner that one side does not know (a script that never says who runs it, a
        # dump made with --no-owner) is not a difference: nor are the owner's own privileges.
        owners_unknown = options.ignore_owners or before.owner is None or after.owner is None
        if name == "owner" and owners_unknown:
            continue
        if name == "comment" and options.ignore_comments:
            continue
        if name == "columns" and isinstance(after, model.Statistics) and set(old) == set(new):
            # Extended statistics keep their columns as a set, printed in the table's column
            # order (stxkeys is sorted by attnum): two tables with columns in another order
            # print the same statistics differently.
            continue
        if name == "tables" and isinstance(after, model.Publication) and same_tables(old, new):
            continue  # a column list is a set too (pgdrift.pg.publications)
        if name == "version" and isinstance(after, model.Extension) and None in (old, new):
            # pg_dump never writes an extension's version, and CREATE EXTENSION without
            # VERSION installs the control file's default: one side does not know it.
            continue
        if name == "privileges":
            if options.ignore_privileges:
                continue
            if owners_unknown:
                owners = {before.owner, after.owner} - {None}
                old, new = _without(old, owners), _without(new, owners)
                if old == new:
                    continue
        if isinstance(old, model.SequenceOptions) and isinstance(new, model.SequenceOptions):
            # A sequence's options are one object, not (name, value) pairs: compare each.
            result.extend(
                AttributeChange(f"{name}.{f.name}", getattr(old, f.name), getattr(new, f.name))
                for f in attrs.fields(model.SequenceOptions)
                if getattr(old, f.name) != getattr(new, f.name)
            )
        elif name in _OPTION_FIELDS:
            found = _compare_options(name, old, new)
            if not found and name == "config":
                # A routine's SET clauses are kept (and dumped) in the order written, and the
                # order decides which of two settings applies last: a reorder is a change.
                found = [AttributeChange(name, old, new, note="the same settings reordered")]
            result.extend(found)
        elif name == "body":
            change = _compare_body(old, new, options)
            if change is not None:
                result.append(change)
        elif isinstance(old, Expr) and isinstance(new, Expr) and runtime_equivalent(old, new):
            result.append(AttributeChange(name, old, new, note="equivalent at run time"))
        else:
            result.append(AttributeChange(name, old, new))
    return result


def _without(privileges: tuple[model.Privilege, ...], owners: set[str | None]) -> tuple[Any, ...]:
    return tuple(p for p in privileges if p.grantee not in owners)


def _compare_options(field: str, old: model.Options, new: model.Options) -> list[AttributeChange]:
    before, after = dict(old), dict(new)
    result = []
    for key in sorted(before.keys() | after.keys()):
        if before.get(key) != after.get(key) or (key in before) != (key in after):
            result.append(AttributeChange(f"{field}.{key}", before.get(key), after.get(key)))
    return result


def _compare_body(old: str | None, new: str | None, options: DiffOptions) -> AttributeChange | None:
    if old is not None and new is not None and _same_tokens(old, new):
        if options.ignore_body_whitespace:
            return None
        return AttributeChange("body", old, new, note="whitespace or comments only")
    return AttributeChange("body", old, new, note=body_diff(old or "", new or ""))


def _same_tokens(old: str, new: str) -> bool:
    """Whether two bodies are the same SQL tokens (whitespace and comments aside)."""
    # Without comments, equal tokens mean equal text once whitespace is taken out; texts that
    # differ so need no scan (nor pglast, which a diff from the cache need not import).
    commented = any("--" in body or "/*" in body for body in (old, new))
    if not commented and "".join(old.split()) != "".join(new.split()):
        return False
    tokens = body_tokens(old)
    return tokens is not None and tokens == body_tokens(new)


def body_tokens(body: str) -> tuple[str, ...] | None:
    """The body's SQL tokens without whitespace and comments (None if it does not scan)."""
    from pglast.parser import scan  # noqa: PLC0415

    try:
        tokens = scan(body)
    except Exception:
        return None
    return tuple(
        body[t.start : t.end + 1] for t in tokens if t.name not in ("SQL_COMMENT", "C_COMMENT")
    )


# Which changes cannot be made with ALTER -------------------------------------------------------

_ALTERABLE: dict[str, frozenset[str]] = {
    # Fields each kind can change in place; any other changed field means drop + create.
    ids.INDEX: frozenset({"owner", "comment", "options", "tablespace", "attached_to",
                          "statistics", "security_labels"}),
    ids.CONSTRAINT: frozenset({"comment", "index_comment", "not_valid", "deferrable",
                               "initially_deferred", "attached_to"}),
    ids.TRIGGER: frozenset({"comment", "enabled", "security_labels"}),
    ids.RULE: frozenset({"comment", "enabled"}),
    ids.POLICY: frozenset({"comment", "roles", "using", "with_check"}),
    ids.MATERIALIZED_VIEW: frozenset({"owner", "comment", "privileges", "options", "tablespace",
                                      "clustered_on", "security_labels", "access_method",
                                      "column_comments", "column_privileges"}),
    ids.STATISTICS: frozenset({"owner", "comment", "target"}),
    ids.RANGE_TYPE: frozenset({"owner", "comment", "privileges"}),
    ids.CAST: frozenset({"comment"}),
    ids.COLLATION: frozenset({"owner", "comment", "version"}),
    ids.AGGREGATE: frozenset({"owner", "comment", "privileges", "security_labels"}),
    ids.EVENT_TRIGGER: frozenset({"owner", "comment", "enabled"}),
    # ALTER SERVER changes neither its wrapper nor its TYPE (docs: ALTER SERVER).
    ids.SERVER: frozenset({"owner", "comment", "privileges", "security_labels", "version",
                           "options"}),
    ids.UNSUPPORTED: frozenset(),
}  # fmt: skip
_DEFINED_OBJECT_ALTERABLE = frozenset({"owner", "comment", "privileges"})


def replacement_reason(
    before: model.DbObject, after: model.DbObject, details: list[AttributeChange]
) -> str:
    """Why the change needs DROP + CREATE, or '' when ALTER (or CREATE OR REPLACE) will do."""
    fields = {d.field.split(".")[0] for d in details}
    if "kind" in fields:
        return f"{before.kind} became {after.kind}"
    kind = after.kind
    if isinstance(after, model.DefinedObject):
        blocked = fields - _DEFINED_OBJECT_ALTERABLE
        return f"{kind} {', '.join(sorted(blocked))} changed" if blocked else ""
    if kind in _ALTERABLE:
        blocked = fields - _ALTERABLE[kind]
        if isinstance(after, model.Index) and after.only and "options" in fields:
            # ALTER INDEX ... SET/RESET is refused on a partitioned index ("This operation is
            # not supported for partitioned indexes"): it is built again.
            blocked = blocked | {"options"}
        return f"{kind.replace('_', ' ')} {', '.join(sorted(blocked))} changed" if blocked else ""
    if isinstance(after, model.Function) and isinstance(before, model.Function):
        return _function_reason(before, after)
    if isinstance(after, model.View) and isinstance(before, model.View):
        return _view_reason(before, after)
    if isinstance(after, model.Enum) and isinstance(before, model.Enum):
        kept = [label for label in after.labels if label in before.labels]
        if any(label not in after.labels for label in before.labels):
            return "enum labels removed"
        if kept != list(before.labels):
            return "enum labels reordered"
        return ""
    if isinstance(after, model.Domain) and isinstance(before, model.Domain):
        return "domain base type changed" if before.base_type != after.base_type else ""
    if isinstance(after, model.Table) and isinstance(before, model.Table):
        if before.partition_key != after.partition_key:
            # PostgreSQL cannot partition a table in place, nor make a partitioned one plain:
            # the table is built again, its rows not carried over (deletes_data says so).
            if before.partition_key is None:
                return "a plain table becomes partitioned, which needs a new table"
            if after.partition_key is None:
                return "a partitioned table becomes plain, which needs a new table"
            return "partition key changed"
        if before.partition_key is not None and (reason := key_column_changed(before, after)):
            return reason
        # ALTER TABLE ... OF needs the table's columns to be the type's, by name and in order
        # (types are matched after ALTER COLUMN TYPE); NOT OF always works (docs: ALTER TABLE).
        if before.of_type != after.of_type and after.of_type is not None and [
            c.name for c in before.columns.ordered
        ] != [c.name for c in after.columns.ordered]:
            return "typed table type changed"
        return ""
    return ""


def _function_reason(before: model.Function, after: model.Function) -> str:
    # CREATE OR REPLACE FUNCTION cannot change the return type or the names/kinds of OUT
    # parameters, nor rename input parameters (docs: CREATE FUNCTION, Notes).
    if before.returns != after.returns:
        return "return type changed"
    old_args = [(a.mode, a.name, a.type) for a in before.arguments]
    new_args = [(a.mode, a.name, a.type) for a in after.arguments]
    if old_args != new_args:
        return "argument names or modes changed"
    removed_defaults = any(
        old.default is not None and new.default is None
        for old, new in zip(before.arguments, after.arguments, strict=False)
    )
    if removed_defaults:
        return "argument default removed"
    return ""


def _view_reason(before: model.View, after: model.View) -> str:
    # CREATE OR REPLACE VIEW may only append columns: existing output names must stay in place.
    old_cols, new_cols = view_columns(before), view_columns(after)
    if old_cols is None or new_cols is None:
        return "" if before.query == after.query else "query changed"
    if new_cols[: len(old_cols)] != old_cols:
        return "view columns changed"
    if before.recursive != after.recursive:
        return "recursive changed"
    return ""


def view_columns(view: model.View) -> tuple[str, ...] | None:
    """Output column names of a view, when they can be read off its query."""
    if view.column_names:
        return view.column_names
    from pgdrift.expr import output_names  # noqa: PLC0415

    return output_names(view.query)
