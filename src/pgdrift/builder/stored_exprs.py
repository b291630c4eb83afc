"""Expressions of source SQL as PostgreSQL stores them, so that a script equals its dump.

PostgreSQL does not keep an expression as it was written: parse analysis types every literal
and coerces it to the type its place needs, and pg_dump prints the result. A column default
``'a'`` on an enum column is dumped as ``'a'::public.s``, ``DEFAULT -1`` as
``'-1'::integer``, ``lower('X')`` as ``lower('X'::text)``. The facts about constants are in
:mod:`pgdrift.pg.constants`; this module applies them to the expressions a statement stores,
with the catalogue built so far to resolve types and names.

Only statements of source SQL go through here: what pg_dump wrote (a statement with a TOC
header) is already in this form, and reading it stays as fast as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, overload

import attrs

from pgdrift import ids, model
from pgdrift._nesting import recursion_room
from pgdrift.builder.aggregate_order import argument_keys, order_by_arguments
from pgdrift.builder.builtin_args import NUMERIC_TYPES as _NUMERIC_TYPES
from pgdrift.builder.builtin_args import resolved_params, type_builtin_args
from pgdrift.builder.builtin_calls import type_builtin_call
from pgdrift.builder.call_signatures import signatures, variadic_signature
from pgdrift.builder.citext_calls import citext_call
from pgdrift.builder.common_types import (
    as_text,
    case_results,
    case_values,
    coerced_fields,
    coerced_number,
    join_common,
)
from pgdrift.builder.common_types import unknown_text as _unknown_text
from pgdrift.builder.comparisons import (
    Typer,
    expression_type,
    type_cast,
    type_comparison,
)
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import SchemaTypes, base_type
from pgdrift.builder.extension_operators import extension_operator
from pgdrift.builder.indirection import flat_fields
from pgdrift.builder.nodes import Node, put_field, strings
from pgdrift.builder.null_defaults import is_null, no_typmod, stored_null
from pgdrift.builder.parser_forms import distinct_from_null, not_distinct, sublink_form
from pgdrift.builder.queries import name_columns, qualify_queries, relation_scope
from pgdrift.builder.row_comparisons import row_comparison
from pgdrift.builder.run_time_literals import warn_read_when_run
from pgdrift.builder.search_path import REG_KINDS, reg_output
from pgdrift.builder.subscripts import jsonb_subscripts
from pgdrift.builder.view_types import row_type_columns
from pgdrift.expr import Expr, expr_from_node
from pgdrift.ids import ObjectId
from pgdrift.pg.constants import (
    BIGINT,
    INTEGER,
    NUMERIC,
    RANGE_SUBTYPES,
    TEXT,
    Const,
    coerce_unknown,
    const_node,
    literal_const,
    undecorated_const_node,
)
from pgdrift.pg.overloads import Overload
from pgdrift.types import TypeRef, type_from_node

__all__ = [
    "columns_typer", "fold_typed", "from_source", "stored_default", "stored_expr", "stored_query"
]

# Operators that, between two string literals, resolve to their text form (the preferred
# type of the string category wins, "Operator Type Resolution").
_TEXT_OPERATORS = frozenset({"||"})


def from_source(ctx: BuildContext) -> bool:
    """Whether the statement being built is source SQL (no pg_dump TOC header above it)."""
    return ctx.statement is not None and ctx.statement.toc is None


@overload
def stored_expr(
    ctx: BuildContext,
    node: Node,
    relation: ObjectId | None = ...,
    *,
    value_type: TypeRef | None = ...,
) -> Expr: ...
@overload
def stored_expr(
    ctx: BuildContext,
    node: Node | None,
    relation: ObjectId | None = ...,
    *,
    value_type: TypeRef | None = ...,
) -> Expr | None: ...
def stored_expr(
    ctx: BuildContext,
    node: Node | None,
    relation: ObjectId | None = None,
    *,
    value_type: TypeRef | None = None,
) -> Expr | None:
    """An expression (CHECK, index, policy, trigger WHEN...) as PostgreSQL stores it; its
    bare column names are ``relation``'s; in a domain's CHECK, VALUE is of ``value_type``."""
    if node is None:
        return None
    if not from_source(ctx):
        return expr_from_node(node)
    typer: Typer | None = None
    typers: dict[int, Typer] = {}
    if relation is not None:
        typer = relation_typer(ctx, relation)
        qualify_queries(ctx, node, relation_scope(ctx, relation), typers)
    elif value_type is not None:
        # VALUE is of the type the domain is declared over (another domain: cast to its base).
        typer = _value_typer(value_type)
    return expr_from_node(_fold(_Folder(ctx, typer, typers), node))


def stored_query(
    ctx: BuildContext, node: Node, column_names: tuple[str, ...] = ()
) -> tuple[Expr, tuple[str, ...]]:
    """A view's or materialized view's query as pg_get_viewdef prints it (builder.queries),
    and the column names still to keep apart from it (those it could not take in)."""
    if not from_source(ctx):
        return expr_from_node(node), column_names
    typers: dict[int, Typer] = {}
    qualify_queries(ctx, node, None, typers, view=True)
    if column_names and name_columns(node, list(column_names)):
        column_names = ()
    return expr_from_node(_fold(_Folder(ctx, None, typers), node)), column_names


def fold_typed(
    ctx: BuildContext, node: Node, typer: Typer | None, typers: dict[int, Typer]
) -> Node:
    """``node`` (changed in place) with its literals typed as parse analysis types them: its
    names outside any SELECT by ``typer``, each SELECT's by ``typers`` (builder.queries)."""
    return _fold(_Folder(ctx, typer, typers), node)


def _value_typer(value_type: TypeRef) -> Typer:
    def typer(fields: list[str]) -> TypeRef | None:
        return value_type if fields == ["value"] else None

    return typer


def _fold(folder: _Folder, node: Node) -> Node:
    """The statement's own parse tree, folded in place (one Python frame per JSON level, so
    the deepest statement pgdrift reads needs room beyond the default recursion limit)."""
    with recursion_room():
        folded: Node = folder.fold(node)
        warn_read_when_run(folder.ctx, folded)
    return folded


def relation_typer(ctx: BuildContext, relation: ObjectId) -> Typer:
    """The types of ``relation``'s columns, named bare or qualified by the relation's name
    (a view's or materialized view's: its query's outputs', where pgdrift can tell them)."""
    found = ctx.get(relation)
    columns = getattr(found, "columns", None)
    view = isinstance(found, (model.View, model.MaterializedView))
    outputs: list[dict[str, TypeRef | None]] = []  # read off the query when first asked

    def typer(fields: list[str]) -> TypeRef | None:
        if not fields or len(fields) > 2:
            return None
        # NEW.col and OLD.col in a trigger's WHEN are the table's columns too.
        if len(fields) == 2 and fields[0] not in (relation.name, "new", "old"):
            return None
        if columns is None:
            if view and not outputs:
                outputs.append(dict(row_type_columns(ctx, relation.schema, relation.name) or ()))
            return outputs[0].get(fields[-1]) if outputs else None
        return columns[fields[-1]].type if fields[-1] in columns else None

    return typer


def columns_typer(columns: Mapping[str, model.Column]) -> Typer:
    """The types of ``columns`` named bare (a partition key of the table being created)."""

    def typer(fields: list[str]) -> TypeRef | None:
        return columns[fields[0]].type if len(fields) == 1 and fields[0] in columns else None

    return typer


def stored_default(
    ctx: BuildContext, node: Node | None, column_type: TypeRef, *, argument: bool = False
) -> Expr | None:
    """A column (or domain) default coerced to ``column_type`` as PostgreSQL stores it; None
    for a NULL default, which PostgreSQL does not store at all (``DEFAULT NULL``). A routine
    ``argument``'s default keeps a NULL, as a Const of its type (``NULL::text``)."""
    if node is None:
        return None
    if not from_source(ctx):
        # pg_dump writes a bare DEFAULT NULL only to keep a child from taking its parent's
        # default; PostgreSQL stores nothing for it (no pg_attrdef row for a NULL constant).
        if not argument and set(node) == {"A_Const"} and node["A_Const"].get("isnull"):
            return None
        return expr_from_node(node)
    # A default names no columns: its literals are typed beside calls and other literals.
    folder = _Folder(ctx, _NO_COLUMNS)
    folded = _fold(folder, node)
    if "RowExpr" in folded:
        # A ROW(...) default of a composite column is coerced to the type field by field
        # (coerce_record_to_complex), with no cast on top.
        folder.cast_row(folded["RowExpr"], column_type)
    if is_null(folded):
        if not argument:
            stored = stored_null(ctx, folded, column_type)
            return None if stored is None else expr_from_node(stored)
        return expr_from_node(type_cast({"A_Const": {"isnull": True}}, no_typmod(column_type)))
    text = _unknown_text(folded)
    if text is not None:
        const = coerce_unknown(text, base_type(ctx, column_type))
        if const is not None:
            folded = const_node(const)
            warn_read_when_run(ctx, folded)
    # A coercion to the column's type on top is implicit, and pg_dump does not print it: an
    # interval Const with fields given to a plain interval column is labelled plain interval.
    cast = folded.get("TypeCast") or {}
    value = _unknown_text(cast.get("arg") or {})
    if value is not None and not column_type.modifiers and "typeName" in cast:
        try:
            label = type_from_node(cast["typeName"])
        except ValueError:
            return expr_from_node(folded)
        if label.is_builtin and label.name == "interval" and label.modifiers:
            folded = const_node(Const(attrs.evolve(label, modifiers=()), value))
    return expr_from_node(folded)


def _NO_COLUMNS(fields: list[str]) -> TypeRef | None:  # noqa: N802 - a constant typer
    return None


def _text_targets(body: Node) -> None:
    """A string literal in a SELECT list is resolved as text (PostgreSQL 10 and later)."""
    for target in body.get("targetList") or []:
        res = target.get("ResTarget", {})
        text = _unknown_text(res.get("val", {}))
        if text is not None:
            res["val"] = const_node(Const(TEXT, text))


class _Folder:
    """Literals typed as parse analysis types them, in a JSON expression (in place)."""

    def __init__(
        self, ctx: BuildContext, typer: Typer | None = None, typers: dict[int, Typer] | None = None
    ) -> None:
        self.ctx = ctx
        self.typer = typer
        #: The column types in scope in each SELECT (by id() of its body), from builder.queries.
        self.typers = typers or {}
        #: The SELECTs (by id()) that give an INSERT its rows.
        self.inserted: set[int] = set()
        #: The schema's types: called, a domain's base type.
        self.base = SchemaTypes(ctx, self.typers)

    def fold(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.fold(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "SelectStmt" in node:
            node["SelectStmt"] = self._select(node["SelectStmt"])
            return node
        if "InsertStmt" in node:
            rows = (node["InsertStmt"].get("selectStmt") or {}).get("SelectStmt")
            if rows is not None:
                self.inserted.add(id(rows))
        if "TypeCast" in node:
            pushed = self._cast_into_array(node["TypeCast"])
            if pushed is not None:
                return self.fold(pushed)
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                node[key] = self.fold(value)
        if "A_Const" in node:
            const = literal_const(node)
            return node if const is None else const_node(const)
        if "TypeCast" in node:
            return self._type_cast(node)
        if "FuncCall" in node:
            self._call(node["FuncCall"])
        elif "A_Expr" in node:
            rows = row_comparison(node["A_Expr"], self._a_expr)
            return rows if rows is not None else self._a_expr(node)
        elif "CaseExpr" in node:
            if self.typer is not None:
                case_values(node["CaseExpr"], self.typer, self.base)
            case_results(node["CaseExpr"], self.typer or _NO_COLUMNS, self.base)
        elif "CoalesceExpr" in node or "MinMaxExpr" in node:
            # COALESCE, GREATEST and LEAST: their arguments join their common type.
            expr = node.get("CoalesceExpr") or node["MinMaxExpr"]
            join_common(expr.get("args") or [], self.typer or _NO_COLUMNS, self.base)
        elif "A_ArrayExpr" in node:
            self._array(node["A_ArrayExpr"])
        elif "RowExpr" in node:
            # ruleutils prints every row ROW(...), written so or not ...
            node["RowExpr"]["row_format"] = "COERCE_EXPLICIT_CALL"
        elif "SubLink" in node:
            sublink_form(node["SubLink"])
        elif "A_Indirection" in node:
            if self.typer is not None:
                jsonb_subscripts(node["A_Indirection"], self.typer, self.base)
            return flat_fields(node)
        return node

    def _a_expr(self, node: Node) -> Any:
        """An operator (its operands folded already) with its literals typed."""
        null_test = distinct_from_null(node["A_Expr"])
        if null_test is not None:
            return null_test
        self._operator(node["A_Expr"])
        # In a SELECT pgdrift does not see into (a system catalog's), no column has a type.
        typer = self.typer or _NO_COLUMNS
        if not extension_operator(self.ctx, node["A_Expr"], typer):
            marked = self._mark_user_calls(node["A_Expr"])
            typed = type_comparison(node, typer, self.base)
            return not_distinct(_unmarked(typed, marked) if marked else typed)
        return not_distinct(node)

    def _select(self, body: Node) -> Node:
        """A SELECT's names are its own FROM list's columns (builder.queries typed them), not
        the relation's; a set operation's branches are bodies without the SelectStmt key."""
        outer = self.typer
        self.typer = self.typers.get(id(body))
        _text_targets(body)
        for key, value in body.items():
            if key in ("larg", "rarg") and isinstance(value, dict):
                body[key] = self._select(value)
            elif isinstance(value, (dict, list)):
                body[key] = self.fold(value)
        if id(body) not in self.inserted:
            self._values(body.get("valuesLists") or [])
        self.typer = outer
        return body

    def _values(self, rows: list[Node]) -> None:
        """Each column of a VALUES list joins its common type (transformValuesClause): a later
        row's literal is typed as the first row's value (``('pro'::text, NULL::integer)``);
        the casts of other values are implicit, and ruleutils does not print them there. (An
        INSERT's VALUES are coerced to the target columns instead: not done here.)"""
        lists = [row.get("List", {}).get("items") for row in rows]
        if not lists or any(not isinstance(items, list) for items in lists):
            return
        for index in range(len(lists[0])):
            column = [items[index] for items in lists if index < len(items)]
            if len(column) != len(lists):
                return
            if join_common(column, self.typer or _NO_COLUMNS, self.base, shown=False):
                for items, value in zip(lists, column, strict=True):
                    items[index] = value

    def _array(self, expr: Node) -> None:
        """An ARRAY's elements join their common type: ARRAY['a', 'b'] of nothing but string
        literals is a text[] (pg_dump prints ARRAY['a'::text, 'b'::text] whatever the column's
        type), integers join a numeric (ARRAY[1.5, 2::numeric]), columns too
        (ARRAY[a, b::integer] for an integer and a smallint)."""
        elements = expr.get("elements") or []
        if any(isinstance(e, dict) and "A_ArrayExpr" in e for e in elements):
            return  # a multidimensional ARRAY: its sub-arrays are not typed here
        join_common(elements, self.typer or _NO_COLUMNS, self.base)

    def _cast_into_array(self, cast: Node) -> Node | None:
        """``ARRAY[...]::t[]`` as stored: parse analysis hands the cast's type down to the
        elements (transformTypeCast calls transformArrayExpr with it), so each element is
        coerced to ``t`` and the array has no cast: ``ARRAY[1.0, 0.5]::float8[]`` prints as
        ``ARRAY[(1.0)::double precision, (0.5)::double precision]``. None when an element's
        type is not known offline (the cast then stays as written)."""
        array = cast.get("arg", {}).get("A_ArrayExpr")
        type_name = cast.get("typeName") or {}
        bounds = type_name.get("arrayBounds")
        if array is not None and not array.get("elements") and bounds and type_name.get("typmods"):
            # An empty ARRAY[] is of the array type without the typmod, which a length
            # coercion then applies: (ARRAY[]::character varying[])::character varying(255)[].
            bare = {k: v for k, v in type_name.items() if k != "typmods"}
            return {"TypeCast": {**cast, "arg": {"TypeCast": {**cast, "typeName": bare}}}}
        if array is None or not array.get("elements") or not type_name.get("arrayBounds"):
            return None
        element_name = {k: v for k, v in type_name.items() if k != "arrayBounds"}
        try:
            element = type_from_node(element_name)
        except ValueError:
            return None
        elements: list[Node] = []
        for item in array["elements"]:
            if isinstance(item, dict) and "A_ArrayExpr" in item:
                # A sub-array of a multidimensional ARRAY takes the same array type.
                elements.append({"TypeCast": {"arg": item, "typeName": type_name}})
                continue
            if _unknown_text(item) is None and _const_type(item) is None:
                known = (
                    expression_type(item, self.typer, self.base) if self.typer is not None else None
                )
                if known is None:
                    return None
                if no_typmod(known) == no_typmod(element) and not element.modifiers:
                    elements.append(item)  # already of the element type: no coercion
                    continue
            elements.append({"TypeCast": {"arg": item, "typeName": element_name}})
        return {"A_ArrayExpr": {**array, "elements": elements}}

    def _type_cast(self, node: Node) -> Node:
        """``'text'::type`` is a Const of that type; ``5::integer`` is just ``5``."""
        cast = node["TypeCast"]
        arg = cast.get("arg", {})
        try:
            target = type_from_node(cast["typeName"])
        except ValueError:
            return node
        if "RowExpr" in arg:
            self.cast_row(arg["RowExpr"], target)
        text = _unknown_text(arg)
        if text is not None:
            # A length or precision (varchar(5), numeric(10,2)) is printed with the cast as
            # written; a built-in without one is a plain Const. interval's fields and
            # precision are given to its input function: a Const labelled with them.
            plain = not target.modifiers or target.name == "interval"
            if target.is_builtin and not target.array_dims and plain:
                const = coerce_unknown(text, target)
                return node if const is None else const_node(const)
            if target.is_builtin and not target.array_dims:
                # The literal is read by the type's input function without the typmod, and
                # the length coercion printed on it shows the value bare (12.345::numeric(8,3)).
                const = coerce_unknown(text, attrs.evolve(target, modifiers=()))
                if const is not None:
                    return {"TypeCast": {**cast, "arg": undecorated_const_node(const)}}
            return node
        if _const_type(arg) == target:
            folded: Node = arg  # a coercion to the type the value has is no coercion
            return folded
        column = arg.get("ColumnRef") if isinstance(arg, dict) else None
        if column is not None and self.typer is not None and not target.modifiers:
            # col::t on a column of type t is no coercion either (varchar(5)::varchar is:
            # the typmod changes): coerce_type returns the column itself, no cast is stored.
            fields = strings(column.get("fields"))
            whole = len(fields) == len(column.get("fields") or ())
            if whole and self.typer(fields) == target:
                bare: Node = arg
                return bare
        elif (
            self.typer is not None and not target.modifiers and isinstance(arg, dict)
            and expression_type(arg, self.typer, self.base) == target
        ):  # fmt: skip
            # (n + 1)::numeric, CASE ... END::numeric of that type already: no cast either.
            same: Node = arg
            return same
        return node

    def cast_row(self, row: Node, target: TypeRef) -> None:
        """``ROW(...)::t`` of a composite type of the schema: its fields are coerced to the
        attributes' types (builder.common_types)."""
        found = self.ctx.objects.get(ObjectId(ids.COMPOSITE_TYPE, target.schema, target.name))
        if target.schema is None or target.array_dims or not isinstance(found, model.CompositeType):
            return
        attributes = [column.type for column in found.columns.ordered]
        typer = self.typer or _NO_COLUMNS
        fields = coerced_fields(row.get("args") or [], attributes, typer, self.base)
        if fields is not None:
            row["args"] = fields

    def _call(self, call: Node) -> None:
        names = strings(call.get("funcname"))
        if not names or citext_call(call, self.typer, self.ctx.search_path):
            return
        args = call.get("args") or []
        before = argument_keys(call)
        self._coerce_call(call, names, args)
        order_by_arguments(call, before)

    def _coerce_call(self, call: Node, names: list[str], args: list[Node]) -> None:
        type_builtin_call(call, self.typer or _NO_COLUMNS, self.base)
        if len(names) == 2 and names[0] != "pg_catalog":
            self._pack_variadic(call, names)
            self._user_call(names, call.get("args") or [])
            return
        subtype = RANGE_SUBTYPES.get(names[-1])
        builtin = len(names) == 1 or names[0] == "pg_catalog"
        if subtype is not None and len(args) in (2, 3) and builtin:
            self._range_bounds(args, subtype)
            return
        type_builtin_args(self.ctx, call, names[-1], self.typer or _NO_COLUMNS, self.base)

    def _range_bounds(self, args: list[Node], subtype: TypeRef) -> None:
        """``numrange(0, NULL)``, ``daterange(d, NULL, '[]')``: a range constructor's bounds
        are of its subtype (a NULL or string literal becomes one, an integer is cast to
        numeric), its flags text."""
        for index, arg in enumerate(args[:2]):
            text = _unknown_text(arg)
            if is_null(arg) and "TypeCast" not in arg:
                args[index] = type_cast(arg, subtype)
            elif text is not None:
                const = coerce_unknown(text, subtype)
                if const is not None:
                    args[index] = const_node(const)
            elif subtype == NUMERIC and _const_type(arg) in (INTEGER, BIGINT):
                args[index] = type_cast(arg, NUMERIC)
        if len(args) == 3 and _unknown_text(args[2]) is not None:
            args[2] = const_node(Const(TEXT, _unknown_text(args[2]) or ""))

    def _user_routine(self, call: Node, count: int) -> model.Function | None:
        """The one routine of the schema a qualified call names and can call with ``count``
        arguments; None when it is not known, or overloaded (not resolved here)."""
        names = strings(call.get("funcname"))
        if len(names) != 2 or names[0] == "pg_catalog":
            return None
        found = [oid for oid in self.ctx.objects.of_kind(ids.FUNCTION)
                 if oid.schema == names[0] and oid.name == names[1]]  # fmt: skip
        routine = self.ctx.objects.get(found[0]) if len(found) == 1 else None
        if not isinstance(routine, model.Function) or not routine.takes(count):
            return None
        return routine

    def _mark_user_calls(self, expr: Node) -> set[int]:
        """An operand that calls a routine of the schema is of the type it returns: shown to
        the operator typing as a cast to that type (taken off again by :func:`_unmarked`)."""
        marked: set[int] = set()
        for side in ("lexpr", "rexpr"):
            operand = expr.get(side) if isinstance(expr.get(side), dict) else None
            call = (operand or {}).get("FuncCall")
            if call is None:
                continue
            routine = self._user_routine(call, len(call.get("args") or ()))
            returns = routine.returns if routine is not None else None
            if returns is None or not returns.is_builtin or returns.array_dims or returns.setof:
                continue
            expr[side] = type_cast(expr[side], returns)
            marked.add(id(expr[side]))
        return marked

    def _user_call(self, names: list[str], args: list[Node]) -> None:
        """A call of a routine the schema defines (qualified, as the search_path found it),
        or of a range type's constructor, ``range(lower, upper[, bounds])``: when exactly one
        takes that many arguments, each is coerced to its parameter's type as parse analysis
        coerces it (a string literal read as that type, a number of another numeric type
        cast, a varchar column cast to text). Overloads are not resolved."""
        params = self._user_params(names, args)
        for index, (arg, param) in enumerate(zip(args, params, strict=False)):
            if param is not None:
                args[index] = self._coerced(arg, param)

    def _coerced(self, arg: Node, param: TypeRef) -> Node:
        """``arg`` given to a parameter of type ``param``, as parse analysis coerces it."""
        text = _unknown_text(arg)
        number = _const_type(arg) if text is None else None
        kinds = REG_KINDS.get(param.name) if param.is_builtin and not param.array_dims else None
        if text is not None and kinds is not None:
            # A relation or dictionary name, as regclass (regdictionary...) output prints it.
            return const_node(Const(param, reg_output(self.ctx, text, kinds)))
        if text is not None:
            # A domain parameter: the literal is of its base type, then cast to it.
            base = self.base(param)
            const = coerce_unknown(text, base) if base.is_builtin else None
            node = const_node(const) if const is not None else None
            if node is None:
                return const_node(Const(param, text))
            return node if base == param else type_cast(node, param)
        if number in _NUMERIC_TYPES and param in _NUMERIC_TYPES and number != param:
            return type_cast(arg, param)
        if param in _NUMERIC_TYPES:
            # An integer column given to a numeric parameter: the implicit cast is stored.
            return coerced_number(arg, param, self.typer or _NO_COLUMNS, self.base)
        if param == TEXT:
            return self._as_text(arg)
        return arg

    def _pack_variadic(self, call: Node, names: list[str]) -> None:
        """``f(a, b, c)`` of the schema's one function ``f(x, VARIADIC r t[])``: the trailing
        arguments are packed into an array of ``t``, each coerced to it, and the call marked
        variadic (make_fn_arguments; funcvariadic), which ruleutils prints ``VARIADIC
        ARRAY[...]``. Left alone when written with VARIADIC, or when pgdrift cannot tell."""
        args = call.get("args") or []
        if call.get("func_variadic") or any("NamedArgExpr" in a for a in args):
            return
        found = variadic_signature(self.ctx, names[0], names[1], len(args))
        if found is not None:
            fixed, element = found
            packed = [self._coerced(arg, element) for arg in args[fixed:]]
            call["args"] = [*args[:fixed], {"A_ArrayExpr": {"elements": packed}}]
            put_field(call, "FuncCall", "func_variadic", True)

    def _user_params(self, names: list[str], args: list[Node]) -> Sequence[TypeRef | None]:
        count = len(args)
        call = {"funcname": [{"String": {"sval": n}} for n in names]}
        routine = self._user_routine(call, count)
        if routine is not None:
            inputs = [a for a in routine.arguments if a.mode in ("in", "inout")]
            return [a.type for a in inputs[:count]]
        range_type = self.ctx.objects.get(ObjectId(ids.RANGE_TYPE, names[0], names[1]))
        if isinstance(range_type, model.RangeType) and count in (2, 3):
            return [range_type.subtype, range_type.subtype, TEXT][:count]
        # A function of a shipped extension installed in that schema (pgdrift.pg.extensions),
        # its overloads resolved as a built-in's are.
        found = signatures(self.ctx, names[0], names[1], count) or []
        if len(found) > 1:
            overloads = tuple(Overload(params) for params in found)
            return list(resolved_params(overloads, args, self.typer or _NO_COLUMNS, self.base))
        return list(found[0]) if found else []

    def _as_text(self, arg: Node, *, bpchar: bool = False, citext: bool = False) -> Node:
        return as_text(arg, self.typer, self.base, bpchar=bpchar, citext=citext)

    def _operator(self, expr: Node) -> None:
        if expr.get("kind") != "AEXPR_OP" or strings(expr.get("name")) != ["||"]:
            return
        left, right = expr.get("lexpr"), expr.get("rexpr")
        if left is None or right is None:
            return
        if _unknown_text(left) is not None and _unknown_text(right) is not None:
            for side in ("lexpr", "rexpr"):
                expr[side] = const_node(Const(TEXT, _unknown_text(expr[side]) or ""))


def _unmarked(node: Any, marked: set[int]) -> Any:
    """``node`` with the casts :meth:`_Folder._mark_user_calls` put in taken off again."""
    if isinstance(node, dict):
        if id(node) in marked:
            return node["TypeCast"]["arg"]
        return {key: _unmarked(value, marked) for key, value in node.items()}
    if isinstance(node, list):
        return [_unmarked(item, marked) for item in node]
    return node


def _const_type(node: Node) -> TypeRef | None:
    """The type of a Const already folded: a number, or a string with a built-in's cast."""
    if "A_Const" in node:
        const = literal_const(node)
        return None if const is None else const.type
    cast = node.get("TypeCast")
    if cast is None or _unknown_text(cast.get("arg", {})) is None:
        return None
    try:
        ref = type_from_node(cast["typeName"])
    except ValueError:
        return None
    return ref if ref.is_builtin else None
