"""Functions, procedures, aggregates, triggers and event triggers.

A routine's whole definition is rebuilt from the model: arguments with modes, names and
defaults, ``RETURNS`` / ``RETURNS TABLE`` / ``SETOF``, language, volatility, ``STRICT``,
``SECURITY DEFINER``, ``LEAKPROOF``, ``PARALLEL``, ``COST``/``ROWS``, ``SET`` settings, and the
body: dollar-quoted with a tag the body does not contain, or an SQL-standard body (``BEGIN
ATOMIC ... END``, ``RETURN ...``) printed from its parse tree. A changed routine is rewritten
with ``CREATE OR REPLACE``; what that cannot change (the return type, argument names or modes)
the differ marks as a replacement.
"""

from __future__ import annotations

from pgdrift import model
from pgdrift.differ.changes import AttributeChange, Change
from pgdrift.expr import deparse
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import dollar_quote, quote_ident, quote_literal, quote_routine_name
from pgdrift.planner import names
from pgdrift.planner.clauses import paren, setting, sql
from pgdrift.planner.context import DROP_PHASE, Action, PlanContext
from pgdrift.planner.handlers import alters, creates, drops

_MODES = {"in": "", "out": "OUT ", "inout": "INOUT ", "variadic": "VARIADIC "}
_STATES = {"origin": "ENABLE", "disabled": "DISABLE", "replica": "ENABLE REPLICA",
           "always": "ENABLE ALWAYS"}  # fmt: skip
# Languages whose AS clause is not a body but a symbol: an internal function's C name, or a
# C function's library file and symbol (docs: CREATE FUNCTION, "obj_file, link_symbol").
_SYMBOL_LANGUAGES = frozenset({"c", "internal"})
_AGGREGATE_FUNCTIONS = frozenset({"sfunc", "finalfunc", "combinefunc", "serialfunc",
                                  "deserialfunc", "msfunc", "minvfunc", "mfinalfunc"})  # fmt: skip
_AGGREGATE_LITERALS = frozenset({"initcond", "minitcond"})


def argument(arg: model.Argument) -> str:
    text = _MODES.get(arg.mode, "")
    if arg.name:
        text += f"{quote_ident(arg.name)} "
    text += str(arg.type)
    if arg.default is not None:
        text += f" DEFAULT {sql(arg.default)}"
    return text


def body_clause(function: model.Function) -> str:
    if function.sql_body is not None:
        tree = function.sql_body.tree
        if tree and isinstance(tree[0], str):
            return sql(function.sql_body)
        statements = "".join(f"    {deparse(statement)};\n" for statement in tree)
        return f"BEGIN ATOMIC\n{statements}END"
    body = function.body or ""
    if function.language in _SYMBOL_LANGUAGES:
        if function.link_symbol is not None:
            return f"AS {quote_literal(body)}, {quote_literal(function.link_symbol)}"
        return f"AS {quote_literal(body)}"
    return f"AS {dollar_quote(body)}"


def function_definition(function: model.Function, *, replace: bool = False) -> str:
    is_procedure = isinstance(function, model.Procedure)
    head = "CREATE OR REPLACE " if replace else "CREATE "
    head += "PROCEDURE" if is_procedure else "FUNCTION"
    inputs = [argument(a) for a in function.arguments if a.mode != "table"]
    lines = [f"{head} {names.relation(function.id)}({', '.join(inputs)})"]
    table = [a for a in function.arguments if a.mode == "table"]
    if table:
        columns = ", ".join(f"{quote_ident(a.name or '')} {a.type}" for a in table)
        lines.append(f"RETURNS TABLE({columns})")
    elif function.returns is not None and not is_procedure:
        lines.append(f"RETURNS {function.returns}")
    lines.append(f"LANGUAGE {quote_ident(function.language)}")
    if function.transforms:
        lines.append("TRANSFORM " + ", ".join(f"FOR TYPE {t}" for t in function.transforms))
    if not is_procedure:
        if function.window:
            lines.append("WINDOW")
        if function.volatility != "volatile":
            lines.append(function.volatility.upper())
        if function.leakproof:
            lines.append("LEAKPROOF")
        if function.strict:
            lines.append("STRICT")
    if function.security_definer:
        lines.append("SECURITY DEFINER")
    if not is_procedure:
        if function.parallel != "unsafe":
            lines.append(f"PARALLEL {function.parallel.upper()}")
        if function.cost is not None:
            lines.append(f"COST {_number(function.cost)}")
        if function.rows is not None:
            lines.append(f"ROWS {_number(function.rows)}")
        if function.support:
            lines.append(f"SUPPORT {quote_routine_name(function.support)}")
    lines.extend(setting(name, value) for name, value in function.config)
    lines.append(body_clause(function))
    return "\n    ".join(lines)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


@creates(model.Function)
def create_function(ctx: PlanContext, function: model.Function, change: Change | None) -> Action:
    return ctx.emit(function_definition(function), change=change, anchor=function.id,
                    makes=(function.id,), needs=ctx.new_deps(function),
                    creates_routine_body=function.sql_body is None)  # fmt: skip


@drops(model.Function)
def drop_function(ctx: PlanContext, function: model.Function, change: Change | None) -> Action:
    return ctx.emit(f"DROP {names.target(function.id, function)}", change=change,
                    anchor=function.id, phase=DROP_PHASE, removes=(function.id,),
                    frees=ctx.old_deps(function))  # fmt: skip


@alters(model.Function)
def alter_function(
    ctx: PlanContext,
    change: Change,
    before: model.Function,
    after: model.Function,
    details: list[AttributeChange],
) -> None:
    ctx.emit(function_definition(after, replace=True), change=change, anchor=after.id,
             needs=ctx.new_deps(after), frees=ctx.old_deps(before),
             creates_routine_body=after.sql_body is None)  # fmt: skip


# Aggregates ----------------------------------------------------------------------------------


def _aggregate_option(key: str, value: str | None) -> str:
    if value is None:
        return key.upper()
    if key in _AGGREGATE_FUNCTIONS:
        return f"{key.upper()} = {quote_routine_name(value)}"
    if key in _AGGREGATE_LITERALS:
        return f"{key.upper()} = {quote_literal(value)}"
    if key == "sortop":
        operator = f"OPERATOR({value})" if "." in value else value
        return f"SORTOP = {operator}"
    return f"{key.upper()} = {value}"


@creates(model.Aggregate)
def create_aggregate(ctx: PlanContext, aggregate: model.Aggregate, change: Change | None) -> Action:
    options = ",\n    ".join(_aggregate_option(k, v) for k, v in aggregate.options)
    if aggregate.aggregate_kind == "hypothetical":
        options += ",\n    HYPOTHETICAL"
    text = (f"CREATE AGGREGATE {names.signature(aggregate.id, aggregate)} (\n"
            f"    {options}\n)")  # fmt: skip
    return ctx.emit(text, change=change, anchor=aggregate.id, makes=(aggregate.id,),
                    needs=ctx.new_deps(aggregate))  # fmt: skip


# Triggers ------------------------------------------------------------------------------------


def trigger_definition(trigger: model.Trigger) -> str:
    head = "CREATE CONSTRAINT TRIGGER" if trigger.constraint else "CREATE TRIGGER"
    events = []
    for event in ("insert", "update", "delete", "truncate"):
        if event in trigger.events:
            text = event.upper()
            if event == "update" and trigger.update_columns:
                text += " OF " + ", ".join(quote_ident(c) for c in trigger.update_columns)
            events.append(text)
    lines = [f"{head} {quote_ident(trigger.name)} {trigger.timing.upper()} "
             f"{' OR '.join(events)} ON {names.relation(trigger.table)}"]  # fmt: skip
    if trigger.constraint_table is not None:
        lines.append(f"FROM {names.relation(trigger.constraint_table)}")
    if trigger.constraint:
        if trigger.deferrable:
            lines.append("DEFERRABLE INITIALLY "
                         + ("DEFERRED" if trigger.initially_deferred else "IMMEDIATE"))
        else:
            lines.append("NOT DEFERRABLE INITIALLY IMMEDIATE")
    transitions = []
    if trigger.old_table:
        transitions.append(f"OLD TABLE AS {quote_ident(trigger.old_table)}")
    if trigger.new_table:
        transitions.append(f"NEW TABLE AS {quote_ident(trigger.new_table)}")
    if transitions:
        lines.append("REFERENCING " + " ".join(transitions))
    lines.append("FOR EACH ROW" if trigger.for_each_row else "FOR EACH STATEMENT")
    if trigger.when is not None:
        lines.append(f"WHEN {paren(trigger.when)}")
    arguments = ", ".join(quote_literal(a) for a in trigger.arguments)
    lines.append(f"EXECUTE FUNCTION {quote_routine_name(trigger.function)}({arguments})")
    return "\n    ".join(lines)


@creates(model.Trigger)
def create_trigger(ctx: PlanContext, trigger: model.Trigger, change: Change | None) -> Action:
    main = ctx.emit(trigger_definition(trigger), change=change, anchor=trigger.id,
                    makes=(trigger.id,), needs=ctx.new_deps(trigger))  # fmt: skip
    if trigger.enabled != "origin":
        _trigger_state(ctx, trigger, trigger.table, trigger.enabled, change)
    for table, state in trigger.partition_states:
        _trigger_state(ctx, trigger, table, state, change)
    return main


def _trigger_state(
    ctx: PlanContext, trigger: model.Trigger, table: ObjectId, state: str, change: Change | None
) -> None:
    ctx.emit(f"ALTER TABLE {names.relation(table)} {_STATES[state]} TRIGGER "
             f"{quote_ident(trigger.name)}", change=change, anchor=trigger.id,
             needs=(trigger.id, table))  # fmt: skip


@drops(model.Trigger)
def drop_trigger(ctx: PlanContext, trigger: model.Trigger, change: Change | None) -> Action:
    action = ctx.emit(f"DROP TRIGGER {quote_ident(trigger.name)} ON "
                      f"{names.relation(trigger.table)}", change=change, anchor=trigger.id,
                      phase=DROP_PHASE, removes=(trigger.id,), uses=(trigger.table,),
                      frees=ctx.old_deps(trigger))  # fmt: skip
    action.implied_by = (trigger.table,)
    return action


@alters(model.Trigger)
def alter_trigger(
    ctx: PlanContext,
    change: Change,
    before: model.Trigger,
    after: model.Trigger,
    details: list[AttributeChange],
) -> None:
    fields = {d.field.split(".")[0] for d in details}
    if "enabled" in fields:
        _trigger_state(ctx, after, after.table, after.enabled, change)
    if "partition_states" in fields:
        old = dict(before.partition_states)
        new = dict(after.partition_states)
        for table in sorted(old.keys() | new.keys(), key=lambda t: t.sort_key()):
            state = new.get(table, after.enabled)
            if old.get(table, before.enabled) != state:
                _trigger_state(ctx, after, table, state, change)


# Event triggers --------------------------------------------------------------------------------


@creates(model.EventTrigger)
def create_event_trigger(
    ctx: PlanContext, trigger: model.EventTrigger, change: Change | None
) -> Action:
    text = f"CREATE EVENT TRIGGER {quote_ident(trigger.name)} ON {quote_ident(trigger.event)}"
    if trigger.tags:
        text += f"\n    WHEN TAG IN ({', '.join(quote_literal(t) for t in trigger.tags)})"
    text += f"\n    EXECUTE FUNCTION {quote_routine_name(trigger.function)}()"
    main = ctx.emit(text, change=change, anchor=trigger.id, makes=(trigger.id,),
                    needs=ctx.new_deps(trigger))  # fmt: skip
    if trigger.enabled != "origin":
        _event_trigger_state(ctx, trigger, change)
    return main


def _event_trigger_state(
    ctx: PlanContext, trigger: model.EventTrigger, change: Change | None
) -> None:
    ctx.emit(f"ALTER EVENT TRIGGER {quote_ident(trigger.name)} {_STATES[trigger.enabled]}",
             change=change, anchor=trigger.id, needs=(trigger.id,))  # fmt: skip


@alters(model.EventTrigger)
def alter_event_trigger(
    ctx: PlanContext,
    change: Change,
    before: model.EventTrigger,
    after: model.EventTrigger,
    details: list[AttributeChange],
) -> None:
    if any(d.field == "enabled" for d in details):
        _event_trigger_state(ctx, after, change)

