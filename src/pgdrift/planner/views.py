"""Views, materialized views and rules.

A view whose existing output columns stay as they are is changed with ``CREATE OR REPLACE
VIEW`` (which may only add columns at the end, docs: CREATE VIEW); the differ marks any other
change as a replacement, and the planner then drops and recreates the view and whatever
depends on it.
"""

from __future__ import annotations

from typing import Any

from pgdrift import ids, model
from pgdrift.differ.changes import REWRITES_TABLE, STRONG_LOCK, AttributeChange, Change
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident
from pgdrift.planner import attributes, names
from pgdrift.planner.clauses import paren, sql, storage_options, with_options
from pgdrift.planner.context import DROP_PHASE, Action, PlanContext
from pgdrift.planner.handlers import alters, creates, drops

_RULE_STATES = {"origin": "ENABLE", "disabled": "DISABLE", "replica": "ENABLE REPLICA",
                "always": "ENABLE ALWAYS"}  # fmt: skip


def view_definition(view: model.View, *, replace: bool = False) -> str:
    head = "CREATE OR REPLACE" if replace else "CREATE"
    if view.recursive:
        head += " RECURSIVE"
    text = f"{head} VIEW {names.relation(view.id)}"
    if view.column_names:
        text += f" ({', '.join(quote_ident(c) for c in view.column_names)})"
    text += with_options(view.options)
    text += f" AS\n{sql(view.query)}"
    if view.check_option:
        text += f"\n  WITH {view.check_option.upper()} CHECK OPTION"
    return text


def replacement_reason(before: model.View, after: model.View) -> str:
    """Why ``CREATE OR REPLACE VIEW`` cannot turn ``before`` into ``after`` although the output
    column names allow it: it may add columns at the end but not change an existing column's
    type (docs: CREATE VIEW), which an offline tool can only be sure of when the existing
    columns' expressions and the FROM clause are unchanged."""
    if before.query == after.query:
        return ""
    old, new = _simple_select(before), _simple_select(after)
    if old is None or new is None:
        return "view query changed"
    old_targets, new_targets = old.get("targetList") or (), new.get("targetList") or ()
    if tuple(new_targets[: len(old_targets)]) != tuple(old_targets):
        return "view column expressions changed"
    if old.get("fromClause") != new.get("fromClause"):
        return "view FROM clause changed"
    return ""


def _simple_select(view: model.View) -> dict[str, Any] | None:
    tree = view.query.tree
    if not tree or tree[0] != "SelectStmt":
        return None
    fields = dict(tree[1])
    return fields if fields.get("op", "SETOP_NONE") == "SETOP_NONE" else None


def _column_id(view: ObjectId, column: str) -> ObjectId:
    return ObjectId(ids.COLUMN, view.schema, column, parent=view.name)


@creates(model.View)
def create_view(ctx: PlanContext, view: model.View, change: Change | None) -> Action:
    main = ctx.emit(view_definition(view), change=change, anchor=view.id, makes=(view.id,),
                    needs=ctx.new_deps(view))  # fmt: skip
    _view_columns(ctx, view, None, change)
    return main


def _view_columns(
    ctx: PlanContext,
    view: model.View | model.MaterializedView,
    before: model.View | model.MaterializedView | None,
    change: Change | None,
) -> None:
    """Column defaults, comments and privileges of a view (what its definition cannot say)."""
    relation = names.relation(view.id)
    if isinstance(view, model.View):
        old_defaults = dict(before.column_defaults) if isinstance(before, model.View) else {}
        new_defaults = dict(view.column_defaults)
        for column in sorted(old_defaults.keys() | new_defaults.keys()):
            default = new_defaults.get(column)
            if default == old_defaults.get(column):
                continue
            action = f"SET DEFAULT {sql(default)}" if default is not None else "DROP DEFAULT"
            ctx.emit(f"ALTER VIEW {relation} ALTER COLUMN {quote_ident(column)} {action}",
                     change=change, anchor=view.id, needs=(view.id,))  # fmt: skip
    old_comments = dict(before.column_comments) if before is not None else {}
    for column, comment in view.column_comments:
        if old_comments.get(column) != comment:
            attributes.emit_comment(ctx, _column_id(view.id, column), None, comment, change,
                                    needs=(view.id,))  # fmt: skip
    for column in old_comments:
        if column not in dict(view.column_comments) and old_comments[column] is not None:
            attributes.emit_comment(ctx, _column_id(view.id, column), None, None, change,
                                    needs=(view.id,))  # fmt: skip
    old_privileges = _by_column(before.column_privileges if before is not None else ())
    new_privileges = _by_column(view.column_privileges)
    for column in sorted(old_privileges.keys() | new_privileges.keys()):
        old, new = old_privileges.get(column, set()), new_privileges.get(column, set())
        if old != new:
            attributes.emit_privileges(ctx, view.id, view, old, new, change=change, column=column)


def _by_column(pairs: tuple[tuple[str, model.Privilege], ...]) -> dict[str, set[model.Privilege]]:
    result: dict[str, set[model.Privilege]] = {}
    for column, privilege in pairs:
        result.setdefault(column, set()).add(privilege)
    return result


@drops(model.View)
def drop_view(ctx: PlanContext, view: model.View, change: Change | None) -> Action:
    return ctx.emit(f"DROP VIEW {names.relation(view.id)}", change=change, anchor=view.id,
                    phase=DROP_PHASE, removes=(view.id,), frees=ctx.old_deps(view))  # fmt: skip


@alters(model.View)
def alter_view(
    ctx: PlanContext,
    change: Change,
    before: model.View,
    after: model.View,
    details: list[AttributeChange],
) -> None:
    fields = {d.field.split(".")[0] for d in details}
    relation = names.relation(after.id)
    if fields & {"query", "column_names", "check_option", "recursive"}:
        ctx.emit(view_definition(after, replace=True), change=change, anchor=after.id,
                 needs=ctx.new_deps(after), frees=ctx.old_deps(before))  # fmt: skip
    elif "options" in fields:
        old, new = dict(before.options), dict(after.options)
        removed = sorted(k for k in old if k not in new)
        if removed:
            ctx.emit(f"ALTER VIEW {relation} RESET ({', '.join(quote_ident(k) for k in removed)})",
                     change=change, anchor=after.id, needs=(after.id,))  # fmt: skip
        changed = tuple((k, v) for k, v in after.options if old.get(k, object()) != v)
        if changed:
            ctx.emit(f"ALTER VIEW {relation} SET ({storage_options(changed)})", change=change,
                     anchor=after.id, needs=(after.id,))  # fmt: skip
    if fields & {"column_defaults", "column_comments", "column_privileges"}:
        _view_columns(ctx, after, before, change)


# Materialized views ------------------------------------------------------------------------------


@creates(model.MaterializedView)
def create_materialized_view(
    ctx: PlanContext, view: model.MaterializedView, change: Change | None
) -> Action:
    text = f"CREATE MATERIALIZED VIEW {names.relation(view.id)}"
    if view.column_names:
        text += f" ({', '.join(quote_ident(c) for c in view.column_names)})"
    if view.access_method and view.access_method != "heap":
        text += f" USING {quote_ident(view.access_method)}"
    text += with_options(view.options)
    if view.tablespace:
        text += f" TABLESPACE {quote_ident(view.tablespace)}"
    # A schema-only dump writes every materialized view WITH NO DATA (its REFRESH belongs to
    # the data section), so ``with_data`` cannot say whether the old one was populated: one
    # the plan drops and creates again is filled again, as queries of the old one expect.
    with_data = view.with_data or view.id in ctx.old.objects
    text += f" AS\n{sql(view.query)}\n  WITH {'DATA' if with_data else 'NO DATA'}"
    main = ctx.emit(text, change=change, anchor=view.id, makes=(view.id,),
                    needs=ctx.new_deps(view))  # fmt: skip
    if view.clustered_on:
        _cluster(ctx, view, change)
    _view_columns(ctx, view, None, change)
    return main


def _cluster(ctx: PlanContext, view: model.MaterializedView, change: Change | None) -> None:
    relation = names.relation(view.id)
    if view.clustered_on is None:
        ctx.emit(f"ALTER MATERIALIZED VIEW {relation} SET WITHOUT CLUSTER", change=change,
                 anchor=view.id, needs=(view.id,))  # fmt: skip
        return
    index = ObjectId(ids.INDEX, view.id.schema, view.clustered_on)
    ctx.emit(f"ALTER MATERIALIZED VIEW {relation} CLUSTER ON {quote_ident(view.clustered_on)}",
             change=change, anchor=view.id, needs=(view.id, index))  # fmt: skip


@drops(model.MaterializedView)
def drop_materialized_view(
    ctx: PlanContext, view: model.MaterializedView, change: Change | None
) -> Action:
    return ctx.emit(f"DROP MATERIALIZED VIEW {names.relation(view.id)}", change=change,
                    anchor=view.id, phase=DROP_PHASE, removes=(view.id,),
                    frees=ctx.old_deps(view))  # fmt: skip


@alters(model.MaterializedView)
def alter_materialized_view(
    ctx: PlanContext,
    change: Change,
    before: model.MaterializedView,
    after: model.MaterializedView,
    details: list[AttributeChange],
) -> None:
    fields = {d.field.split(".")[0] for d in details}
    relation = names.relation(after.id)
    if "options" in fields:
        old, new = dict(before.options), dict(after.options)
        removed = sorted(k for k in old if k not in new)
        if removed:
            keys = ", ".join(quote_ident(k) for k in removed)
            ctx.emit(f"ALTER MATERIALIZED VIEW {relation} RESET ({keys})", change=change,
                     anchor=after.id, needs=(after.id,))  # fmt: skip
        changed = tuple((k, v) for k, v in after.options if old.get(k, object()) != v)
        if changed:
            ctx.emit(f"ALTER MATERIALIZED VIEW {relation} SET ({storage_options(changed)})",
                     change=change, anchor=after.id, needs=(after.id,))  # fmt: skip
    # Both write the materialized view's rows anew, as a table's (a new relfilenode).
    rewrite = () if ctx.is_new(after.id) else (REWRITES_TABLE, STRONG_LOCK)
    if "tablespace" in fields:
        space = quote_ident(after.tablespace or "pg_default")
        ctx.emit(f"ALTER MATERIALIZED VIEW {relation} SET TABLESPACE {space}", change=change,
                 anchor=after.id, needs=(after.id,), hazards=rewrite)  # fmt: skip
    if "access_method" in fields:
        attributes.set_access_method(
            ctx, "MATERIALIZED VIEW", before, after, change, hazards=rewrite
        )
    if "clustered_on" in fields:
        _cluster(ctx, after, change)
    if fields & {"column_comments", "column_privileges"}:
        _view_columns(ctx, after, before, change)


# Rules -----------------------------------------------------------------------------------------


@creates(model.Rule)
def create_rule(ctx: PlanContext, rule: model.Rule, change: Change | None) -> Action:
    text = (f"CREATE RULE {quote_ident(rule.name)} AS ON {rule.event.upper()} "
            f"TO {names.relation(rule.table)}")  # fmt: skip
    if rule.where is not None:
        text += f" WHERE {paren(rule.where)}"
    text += " DO INSTEAD" if rule.instead else " DO ALSO"
    if not rule.actions:
        text += " NOTHING"
    elif len(rule.actions) == 1:
        text += f" {sql(rule.actions[0])}"
    else:
        text += " (" + "; ".join(sql(a) for a in rule.actions) + ")"
    main = ctx.emit(text, change=change, anchor=rule.id, makes=(rule.id,),
                    needs=ctx.new_deps(rule))  # fmt: skip
    if rule.enabled != "origin":
        _rule_state(ctx, rule, change)
    return main


def _rule_state(ctx: PlanContext, rule: model.Rule, change: Change | None) -> None:
    ctx.emit(f"ALTER TABLE {names.relation(rule.table)} {_RULE_STATES[rule.enabled]} RULE "
             f"{quote_ident(rule.name)}", change=change, anchor=rule.id,
             needs=(rule.id,))  # fmt: skip


@drops(model.Rule)
def drop_rule(ctx: PlanContext, rule: model.Rule, change: Change | None) -> Action:
    action = ctx.emit(f"DROP RULE {quote_ident(rule.name)} ON {names.relation(rule.table)}",
                      change=change, anchor=rule.id, phase=DROP_PHASE, removes=(rule.id,),
                      uses=(rule.table,), frees=ctx.old_deps(rule))  # fmt: skip
    action.implied_by = (rule.table,)
    return action


@alters(model.Rule)
def alter_rule(
    ctx: PlanContext,
    change: Change,
    before: model.Rule,
    after: model.Rule,
    details: list[AttributeChange],
) -> None:
    if any(d.field == "enabled" for d in details):
        _rule_state(ctx, after, change)
