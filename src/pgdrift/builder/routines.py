"""Routines and triggers: CREATE FUNCTION/PROCEDURE, CREATE AGGREGATE (reached through the
``DefineStmt`` dispatcher in :mod:`pgdrift.builder.define`), CREATE TRIGGER and event triggers.

Also the helpers other builders share for what routines are named by: :func:`routine_name`
(a function named without arguments, as triggers and aggregates do), :func:`routine_signature`
(a function named with its argument types, as casts do) and :func:`setting` (``SET name TO
value`` clauses, which functions, roles and databases all carry).
"""

from __future__ import annotations

from typing import Any

import attrs
from pglast.enums import (
    TRIGGER_TYPE_BEFORE,
    TRIGGER_TYPE_DELETE,
    TRIGGER_TYPE_INSERT,
    TRIGGER_TYPE_INSTEAD,
    TRIGGER_TYPE_TRUNCATE,
    TRIGGER_TYPE_UPDATE,
)

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, const_value, strings
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.sql_bodies import stored_sql_body
from pgdrift.builder.stored_exprs import from_source, stored_default, stored_expr
from pgdrift.builder.trigger_when import when_rows
from pgdrift.expr import Expr, canonical, expr_from_node
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import join_qualified_name
from pgdrift.pg.settings import BOOT_VALUES, canonical_setting_name
from pgdrift.types import TypeRef

_MODES = {
    "FUNC_PARAM_DEFAULT": "in", "FUNC_PARAM_IN": "in", "FUNC_PARAM_OUT": "out",
    "FUNC_PARAM_INOUT": "inout", "FUNC_PARAM_VARIADIC": "variadic", "FUNC_PARAM_TABLE": "table",
}  # fmt: skip
# A routine's identity is its input arguments; a procedure's OUT arguments (PostgreSQL 14+)
# do not count: no two routines of one name may share an input-argument list (docs: DROP
# PROCEDURE, Notes).
_IDENTITY_MODES = frozenset({"in", "inout", "variadic"})
# Languages whose functions cost 1 unit by default; every other language costs 100
# (docs: CREATE FUNCTION, "COST"). pg_dump prints COST only when it differs.
CHEAP_LANGUAGES = frozenset({"c", "internal"})
DEFAULT_ROWS = 1000.0
_TRIGGER_EVENTS = (
    (TRIGGER_TYPE_INSERT, "insert"),
    (TRIGGER_TYPE_DELETE, "delete"),
    (TRIGGER_TYPE_UPDATE, "update"),
    (TRIGGER_TYPE_TRUNCATE, "truncate"),
)
_ENABLED = {"O": "origin", "D": "disabled", "R": "replica", "A": "always"}


# Names of routines -----------------------------------------------------------------------------


def routine_name(ctx: BuildContext, names: list[Node]) -> str:
    """``schema.name`` of a routine named without arguments (``EXECUTE FUNCTION f()``,
    ``SFUNC = f``).

    pg_dump qualifies every function outside pg_catalog, so a bare name there is a built-in and
    stays bare; in hand-written SQL a bare name is looked up along the search_path.
    """
    # Parts are quoted where needed (public."a.b") so that a name with a dot stays readable.
    parts = strings(names)
    if len(parts) > 1:
        if parts[0] == "pg_catalog":
            parts = parts[1:]
        return join_qualified_name(parts)
    name = parts[0]
    for schema in ctx.search_path:
        if schema and any(
            oid.schema == schema and oid.name == name
            for oid in ctx.objects.of_kind(*ids.ROUTINE_KINDS)
        ):
            return join_qualified_name([schema, name])
    return join_qualified_name([name])


def routine_signature(ctx: BuildContext, owa: Node) -> str:
    """``schema.name(argtypes)`` of an ObjectWithArgs node (``WITH FUNCTION f(integer)``)."""
    name = routine_name(ctx, owa["objname"])
    return f"{name}({', '.join(ctx.routine_args(owa.get('objargs')))})"


def setting(setstmt: Node) -> tuple[str, str | None] | None:
    """``(name, value)`` of a VariableSetStmt in a SET clause; None for RESET / TO DEFAULT.

    A list value (``search_path TO 'a', 'b'``) is joined with ``", "`` as PostgreSQL stores it.
    ``FROM CURRENT`` gives None: it captures the creating session's value, which a dump
    cannot know (pg_dump itself prints the captured value instead).
    """
    kind = setstmt.get("kind")
    name = setting_name(setstmt)
    if kind == "VAR_SET_VALUE":
        return name, ", ".join(_setting_text(arg) for arg in setstmt.get("args") or ())
    if kind == "VAR_SET_CURRENT":
        return name, None
    return None


def current_setting(ctx: BuildContext, name: str) -> str | None:
    """What ``SET name FROM CURRENT`` captures: the value a SET of this session gave, else the
    one every session starts with (``search_path`` is ``"$user", public``), else unknown."""
    return ctx.session_settings.get(name.lower(), BOOT_VALUES.get(name.lower()))


def setting_name(setstmt: Node) -> str:
    """The name a SET / RESET clause's setting is recorded under (``timezone`` is
    ``TimeZone``): see :mod:`pgdrift.pg.settings`."""
    return canonical_setting_name(setstmt.get("name", ""))


def _setting_text(arg: Node) -> str:
    inner = arg.get("A_Const", {})
    if "fval" in inner:
        return str(inner["fval"].get("fval", "0"))
    value = const_value(arg)
    if isinstance(value, bool):
        return "on" if value else "off"
    return "" if value is None else str(value)


# CREATE FUNCTION / PROCEDURE -------------------------------------------------------------------


def argument(ctx: BuildContext, param: Node) -> model.Argument:
    """A FunctionParameter node as an :class:`~pgdrift.model.Argument`."""
    arg_type = ctx.routine_type(param["argType"])
    return model.Argument(
        mode=_MODES[param.get("mode", "FUNC_PARAM_DEFAULT")],
        type=arg_type,
        name=param.get("name") or None,
        default=stored_default(ctx, param.get("defexpr"), arg_type, argument=True),
    )


def identity_args(arguments: tuple[model.Argument, ...]) -> tuple[str, ...]:
    """The argument types that tell overloads of a function or procedure apart."""
    return tuple(str(a.type) for a in arguments if a.mode in _IDENTITY_MODES)


@handles("CreateFunctionStmt")
def build_function(ctx: BuildContext, node: Node) -> None:
    is_procedure = bool(node.get("is_procedure"))
    cls: type[model.Function] = model.Procedure if is_procedure else model.Function
    schema, name = ctx.qualified(node["funcname"])
    arguments = tuple(argument(ctx, p["FunctionParameter"]) for p in node.get("parameters") or ())
    oid = ObjectId(cls.KIND, schema, name, args=identity_args(arguments))
    fields: dict[str, Any] = {"arguments": arguments}
    if not is_procedure:
        fields["returns"] = _returns(ctx, node.get("returnType"), arguments)
    config: dict[str, str | None] = {}
    for option in node.get("options") or ():
        elem = option["DefElem"]
        function_option(ctx, elem["defname"], elem.get("arg"), fields, config)
    # In the order written: PostgreSQL keeps proconfig so, and pg_dump writes it back so.
    fields["config"] = tuple(config.items())
    if node.get("sql_body") is not None:
        body = node["sql_body"]
        if from_source(ctx):
            body = stored_sql_body(ctx, body, name, arguments)
        fields["sql_body"] = _sql_body(body)
    language = fields.get("language", "sql")
    if str(fields.get("returns")) == "opaque":
        fields["returns"] = _opaque_result(ctx, language, arguments)
    if fields.get("cost") == (1.0 if language in CHEAP_LANGUAGES else 100.0):
        fields["cost"] = None
    if fields.get("rows") == DEFAULT_ROWS:
        fields["rows"] = None
    # CREATE OR REPLACE keeps the routine's owner and privileges (docs: CREATE FUNCTION),
    # and its comment and labels, which hang off the same catalog row.
    ctx.add_or_replace(cls(id=oid, **fields, **ctx.span_fields()), bool(node.get("replace")))


def _sql_body(body: Node) -> Expr:
    """``RETURN expr`` is one ReturnStmt; ``BEGIN ATOMIC ... END`` a list (one element: the
    list of statements), kept as the tuple of the statements' trees."""
    if "List" not in body:
        return expr_from_node(body)
    (statements,) = body["List"].get("items") or [{}]
    return Expr(canonical(statements.get("List", {}).get("items", [])))


def _returns(
    ctx: BuildContext, node: Node | None, arguments: tuple[model.Argument, ...]
) -> TypeRef | None:
    if node is not None:
        return ctx.routine_type(node)
    # Without RETURNS the result is the one OUT argument's type, or a record of several
    # (docs: CREATE FUNCTION, "rettype"); pg_dump always prints RETURNS.
    outputs = [a.type for a in arguments if a.mode in ("out", "inout")]
    if len(outputs) == 1:
        return outputs[0]
    if outputs:
        return ctx.type({"names": [{"String": {"sval": "record"}}], "typemod": -1})
    return None


def _opaque_result(
    ctx: BuildContext, language: str, arguments: tuple[model.Argument, ...]
) -> TypeRef:
    """What ``RETURNS opaque`` (PostgreSQL 7.2 and older) stands for today.

    7.3 split opaque into trigger, language_handler and cstring, and turned a function's opaque
    into the one its first use needed (CREATE TRIGGER, CREATE LANGUAGE, CREATE TYPE); 13 removed
    it. Only C functions can be language handlers or type I/O, so a function in another language
    without arguments was a trigger function.
    """
    if not arguments and language.lower() not in ("c", "internal"):
        return ctx.type({"names": [{"String": {"sval": "trigger"}}], "typemod": -1})
    ctx.warn(
        "RETURNS opaque (PostgreSQL 7.2 and older) is kept as written: PostgreSQL 7.3 and "
        "later turned it into trigger, language_handler or cstring depending on its use"
    )
    return ctx.type({"names": [{"String": {"sval": "opaque"}}], "typemod": -1})


def function_option(
    ctx: BuildContext,
    name: str,
    arg: Node | None,
    fields: dict[str, Any],
    config: dict[str, str | None],
) -> None:
    value = const_value(arg) if arg is not None else None
    if name == "language":
        fields["language"] = str(value)
    elif name == "as":
        parts = strings(arg["List"]["items"]) if arg is not None else []
        fields["body"] = parts[0] if parts else None
        fields["link_symbol"] = parts[1] if len(parts) > 1 else None
    elif name == "volatility":
        fields["volatility"] = str(value)
    elif name == "strict":
        fields["strict"] = bool(value)
    elif name == "security":
        fields["security_definer"] = bool(value)
    elif name == "leakproof":
        fields["leakproof"] = bool(value)
    elif name == "parallel":
        fields["parallel"] = str(value)
    elif name in ("cost", "rows"):
        fields[name] = float(value) if value is not None else None
    elif name == "support":
        fields["support"] = routine_name(ctx, arg["List"]["items"]) if arg is not None else None
    elif name == "window":
        fields["window"] = bool(value)
    elif name == "set" and arg is not None:
        setstmt = arg["VariableSetStmt"]
        pair = setting(setstmt)
        if pair is None:
            config.pop(setting_name(setstmt), None)
        else:
            config[pair[0]] = pair[1] if pair[1] is not None else current_setting(ctx, pair[0])
    elif name == "transform" and arg is not None:
        fields["transforms"] = tuple(ctx.type(t) for t in arg["List"]["items"])
    else:
        raise NotModelled(f"CREATE FUNCTION option {name} is not modelled")


# CREATE AGGREGATE (from the DefineStmt dispatcher) ---------------------------------------------

# Options naming a support function, a type, or an operator; the rest are words or literals.
_AGGREGATE_FUNCTIONS = frozenset({
    "sfunc", "finalfunc", "combinefunc", "serialfunc", "deserialfunc", "msfunc", "minvfunc",
    "mfinalfunc",
})  # fmt: skip
_AGGREGATE_TYPES = frozenset({"stype", "mstype", "basetype"})
# Values PostgreSQL assumes when the option is left out (docs: CREATE AGGREGATE); pg_dump
# leaves them out too, so a source that spells them compares equal to its dump.
_AGGREGATE_DEFAULTS = {"parallel": "unsafe", "sspace": "0", "msspace": "0"}


def build_aggregate(ctx: BuildContext, node: Node) -> None:
    """``CREATE AGGREGATE`` (a ``DefineStmt`` of kind OBJECT_AGGREGATE)."""
    schema, name = ctx.qualified(node["defnames"])
    definition = {
        d["DefElem"]["defname"]: d["DefElem"].get("arg") for d in node.get("definition") or ()
    }
    direct: tuple[model.Argument, ...] = ()
    aggregated: tuple[model.Argument, ...]
    star = False
    if node.get("oldstyle"):
        # CREATE AGGREGATE name (BASETYPE = t, ...): the pre-8.2 syntax; "any" means (*).
        base = definition.get("basetype")
        base_type = ctx.routine_type(base) if base is not None else None
        star = base_type is None or str(base_type) == "any"
        aggregated = ()
        if base_type is not None and not star:
            aggregated = (model.Argument(mode="in", type=base_type),)
        kind = "normal"
    else:
        arg_list, direct_count = (node.get("args") or [{}, {"Integer": {"ival": -1}}])[:2]
        params = [
            argument(ctx, p["FunctionParameter"]) for p in arg_list.get("List", {}).get("items", ())
        ]
        star = not params and "List" not in arg_list
        count = int(const_value(direct_count))
        if count >= 0:
            # Ordered-set: (direct ORDER BY aggregated). The grammar folds a trailing
            # VARIADIC "any" repeated after ORDER BY into one argument (gram.y,
            # makeOrderedSetArgs), which is also how the catalog stores it.
            direct, aggregated = tuple(params[:count]), tuple(params[count:])
            kind = "hypothetical" if "hypothetical" in definition else "ordered-set"
        else:
            aggregated = tuple(params)
            kind = "normal"
    args = ("*",) if star else tuple(str(a.type) for a in (*direct, *aggregated))
    options = {
        key: _aggregate_option(ctx, key, arg)
        for key, arg in definition.items()
        if key not in ("basetype", "hypothetical")
    }
    for key, default in _AGGREGATE_DEFAULTS.items():
        if options.get(key) == default:
            del options[key]
    ctx.add(
        model.Aggregate(
            id=ObjectId(ids.AGGREGATE, schema, name, args=args),
            arguments=aggregated,
            direct_arguments=direct,
            aggregate_kind=kind,
            options=tuple(sorted(options.items())),
            **ctx.span_fields(),
        )
    )


def _aggregate_option(ctx: BuildContext, key: str, arg: Node | None) -> str | None:
    if arg is None:
        return None  # a flag: FINALFUNC_EXTRA
    if "TypeName" in arg:
        type_name = arg["TypeName"]
        if key in _AGGREGATE_FUNCTIONS:
            return routine_name(ctx, type_name["names"])
        if key in _AGGREGATE_TYPES:
            return str(ctx.routine_type(type_name))
        return ".".join(strings(type_name["names"])).lower()  # PARALLEL = safe, ... = read_only
    if "List" in arg:  # SORTOP = OPERATOR(schema.op)
        return ctx.qualified_text(arg["List"]["items"])
    value = const_value(arg)
    return None if value is None else str(value)


# CREATE TRIGGER --------------------------------------------------------------------------------


@handles("CreateTrigStmt")
def build_trigger(ctx: BuildContext, node: Node) -> None:
    table = ctx.relation_id(node["relation"])
    ctx.require(table, "CREATE TRIGGER")
    oid = ObjectId(ids.TRIGGER, table.schema, node["trigname"], parent=table.name)
    timing_bits = node.get("timing", 0)
    if timing_bits & TRIGGER_TYPE_INSTEAD:
        timing = "instead of"
    elif timing_bits & TRIGGER_TYPE_BEFORE:
        timing = "before"
    else:
        timing = "after"
    event_bits = node.get("events", 0)
    old_table = new_table = None
    for transition in node.get("transitionRels") or ():
        rel = transition["TriggerTransition"]
        if rel.get("isNew"):
            new_table = rel["name"]
        else:
            old_table = rel["name"]
    constraint_table = node.get("constrrel")
    if from_source(ctx):
        when_rows(ctx, node.get("whenClause"), table)
    trigger = model.Trigger(
        id=oid,
        table=table,
        timing=timing,
        events=tuple(sorted(word for bit, word in _TRIGGER_EVENTS if event_bits & bit)),
        update_columns=tuple(strings(node.get("columns"))),
        for_each_row=bool(node.get("row")),
        when=stored_expr(ctx, node.get("whenClause"), table),
        function=routine_name(ctx, node["funcname"]),
        arguments=tuple(strings(node.get("args"))),
        constraint=bool(node.get("isconstraint")),
        deferrable=bool(node.get("deferrable")),
        initially_deferred=bool(node.get("initdeferred")),
        constraint_table=ctx.relation_id(constraint_table) if constraint_table else None,
        old_table=old_table,
        new_table=new_table,
        **ctx.span_fields(),
    )
    previous = ctx.get(oid)
    if node.get("replace") and previous is not None:
        # CREATE OR REPLACE TRIGGER (PostgreSQL 14) redefines it in place.
        ctx.objects[oid] = attrs.evolve(trigger, comment=previous.comment)
        return
    ctx.add(trigger)


# Event triggers --------------------------------------------------------------------------------


@handles("CreateEventTrigStmt")
def build_event_trigger(ctx: BuildContext, node: Node) -> None:
    tags: list[str] = []
    for option in node.get("whenclause") or ():
        elem = option["DefElem"]
        if elem["defname"].lower() != "tag":
            raise NotModelled(f"event trigger filter {elem['defname']} is not modelled")
        # Tags are matched and stored upper-cased (event_trigger.c, filter_list_to_array).
        tags.extend(tag.upper() for tag in strings(elem["arg"]["List"]["items"]))
    ctx.add(
        model.EventTrigger(
            id=ObjectId(ids.EVENT_TRIGGER, None, node["trigname"]),
            event=node["eventname"],
            # As written: PostgreSQL stores the list as given (evtags), and pg_dump prints it.
            tags=tuple(tags),
            function=routine_name(ctx, node["funcname"]),
            **ctx.span_fields(),
        )
    )


@handles("AlterEventTrigStmt")
def build_alter_event_trigger(ctx: BuildContext, node: Node) -> None:
    oid = ObjectId(ids.EVENT_TRIGGER, None, node["trigname"])
    ctx.require(oid, "ALTER EVENT TRIGGER")
    ctx.update(oid, enabled=_ENABLED[node.get("tgenabled", "O")])
