"""Comparisons of a column with a literal, typed as PostgreSQL's operator resolution types them.

``CHECK (status <> 'x')`` on a text column is stored as ``status <> 'x'::text``, on a
varchar column as ``(status)::text <> 'x'::text`` (varchar has no operators of its own: it is
read as text), ``total >= 0`` on a numeric column as ``total >= (0)::numeric``, and
``kind IN ('a', 'b')`` as ``kind = ANY (ARRAY['a'::text, 'b'::text])`` ("Operator Type
Resolution" and "Row and Array Comparisons" in the docs; each rule below was checked against
PostgreSQL 15 and is pinned in tests/test_stored_expressions.py).

Only a column of a known type compared with a literal or with another column is typed: an
operand whose type pgdrift cannot know offline (a function result, a subquery) leaves the
comparison as written, so it compares equal to its dump only if written that way.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from pgdrift.builder.array_comparisons import (
    Arrays,
    Typer,
    array_and_value,
    array_column_type,
    literal_in_array,
)
from pgdrift.builder.call_types import call_type
from pgdrift.builder.comparison_parts import (
    _ARITHMETIC,
    _ARRAY_OPERATORS,
    _BPCHAR,
    _COMPARISONS,
    _CONCAT,
    _CONCAT_STRINGS,
    _NULL,
    _NUMBER_TYPES,
    _PATTERNS,
    _VARCHAR,
    _a_expr,
    _as,
    _column_side,
    _plain,
    _unknown,
    cast_type,
    plain_element,
    read_as,
    results_of,
    routine_result,
    type_cast,
)
from pgdrift.builder.domains import TypeFacts, plain_value_type
from pgdrift.builder.indirection import array_element, field_names, field_type
from pgdrift.builder.json_operands import json_call_type, json_key
from pgdrift.builder.json_operands import json_type as _json_type
from pgdrift.builder.nodes import Node, strings
from pgdrift.builder.operator_literals import literal_operands, operator_result
from pgdrift.builder.reg_operands import reg_comparison
from pgdrift.builder.typed_operands import cidr_in_list, column_and_value, no_concat, two_columns
from pgdrift.pg.constants import (
    NUMERIC,
    TEXT,
    Const,
    const_node,
    literal_const,
    printed_unknown,
)
from pgdrift.pg.extensions import EXTENSION_OWN_TYPES, extension_operator
from pgdrift.pg.functions import DOUBLE, INTERVAL, TEXT_ARRAY_RESULTS, VALUE_FUNCTIONS
from pgdrift.pg.numbers import INTEGER_TYPES, REAL, beside_real, wider_number
from pgdrift.pg.operators import JSON_OPERATORS
from pgdrift.pg.type_categories import select_common
from pgdrift.types import TypeRef, type_from_node

__all__ = [
    "Typer", "array_type", "common_type", "expression_type", "json_type", "result_type",
    "sub_select_type", "type_cast", "type_comparison",
]  # fmt: skip


def type_comparison(node: Node, typer: Typer, base_of: TypeFacts) -> Node:
    """``node`` (an ``A_Expr``) with its operands typed, or ``node`` itself when pgdrift
    cannot tell what PostgreSQL would store."""
    expr = node["A_Expr"]
    kind = expr.get("kind")
    names = strings(expr.get("name"))
    if len(names) != 1:
        return node
    op = names[0]
    if kind in ("AEXPR_LIKE", "AEXPR_ILIKE", "AEXPR_SIMILAR") and op in _PATTERNS:
        kind = "AEXPR_OP"  # LIKE is the ~~ operator, SIMILAR TO ~ (gram.y): resolved as such
    if kind == "AEXPR_NULLIF":
        kind = "AEXPR_OP"  # NULLIF(a, b) resolves a = b, and keeps its operands so typed
    if kind in ("AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT") and op == "=":
        kind = "AEXPR_OP"  # a IS [NOT] DISTINCT FROM b resolves a = b too (make_distinct_op)
    if kind == "AEXPR_OP" and (op in _COMPARISONS or op in _PATTERNS or op == _CONCAT):
        typed = _binary(op, expr.get("lexpr"), expr.get("rexpr"), typer, base_of)
        if typed is not None:
            expr["lexpr"], expr["rexpr"] = typed
        return node
    if kind == "AEXPR_OP" and op in ("-", "+") and expr.get("lexpr") is None:
        # Prefix - and +: a domain operand is read as its base type (shown cast).
        okind, value = _operand(expr.get("rexpr"), typer, base_of)
        if okind == "column" and _plain(value[1]).is_builtin:
            expr["rexpr"] = _column_side(expr["rexpr"], value[0], _plain(value[1]))
        return node
    if kind == "AEXPR_OP" and op in _ARITHMETIC:
        operands = _arithmetic(expr.get("lexpr"), expr.get("rexpr"), typer, base_of)
        scaled = None
        if operands is None and op in ("*", "/"):
            scaled = _interval_scaled(op, expr.get("lexpr"), expr.get("rexpr"), typer, base_of)
        if operands is not None:
            expr["lexpr"], expr["rexpr"] = operands[0], operands[1]
        elif scaled is not None:
            expr["lexpr"], expr["rexpr"] = scaled
        elif op in JSON_OPERATORS and json_type(expr.get("lexpr"), typer, base_of):
            _json_operator(expr, op, typer, base_of)  # jsonb - 'key': the key is text
        else:
            _by_operator(expr, op, typer, base_of)  # ts + '1 day': the literal is an interval
        return node
    if kind in ("AEXPR_OP_ANY", "AEXPR_OP_ALL") and (op in _COMPARISONS or op in _PATTERNS):
        typed = _any_of_literal(op, expr.get("lexpr"), expr.get("rexpr"), typer, base_of)
        if typed is not None:
            expr["lexpr"], expr["rexpr"] = typed
            return node
    if kind in ("AEXPR_OP_ANY", "AEXPR_OP_ALL") and (op in _COMPARISONS or op in _PATTERNS):
        literal = (
            literal_in_array(expr.get("lexpr"), expr.get("rexpr"), _arrays(typer, base_of))
            if op in _COMPARISONS
            else None
        )
        if literal is not None:
            expr["lexpr"], expr["rexpr"] = literal
        if literal is None and array_column_type(expr.get("rexpr"), typer) is not None:
            # x op ANY (array column): the operator is resolved as x op element, each side
            # cast to its input type, the array to an array of it (make_scalar_array_op).
            typed = _any_of_column(op, expr.get("lexpr"), expr.get("rexpr"), typer, base_of)
            if typed is not None:
                expr["lexpr"], expr["rexpr"] = typed
            return node
        element = _array_type(expr.get("rexpr"), typer, base_of)
        if literal is None and element is not None:
            # x op ANY (array): resolved as x op element, the value read as that side reads
            # it: a varchar against text[] is cast to text.
            typed = _binary(op, expr.get("lexpr"), type_cast(_NULL, element), typer, base_of)
            if typed is not None and _unknown(expr.get("lexpr")) is None:
                expr["lexpr"] = typed[0]
                # The array is cast to an array of the operator's input, as the value is:
                # varchar[] beside a varchar is read as text[] (make_scalar_array_op).
                read_as = cast_type(typed[1])
                if read_as is not None and read_as.is_builtin and read_as.name != element.name:
                    array = TypeRef(None, read_as.name, array_dims=1)
                    expr["rexpr"] = type_cast(expr["rexpr"], array)
        return node
    if kind == "AEXPR_OP" and op in _ARRAY_OPERATORS:
        arrays = array_and_value(expr.get("lexpr"), expr.get("rexpr"), _arrays(typer, base_of))
        if arrays is not None:  # else jsonb's @> and <@, below
            expr["lexpr"], expr["rexpr"] = arrays
            return node
    if kind == "AEXPR_OP" and op in JSON_OPERATORS and json_type(expr.get("lexpr"), typer, base_of):
        _json_operator(expr, op, typer, base_of)
        return node
    if kind == "AEXPR_OP" and expr.get("lexpr") is not None:
        _by_operator(expr, op, typer, base_of)  # ip << '10.0.0.0/8', tv @@ 'cat'
        return node
    if kind == "AEXPR_IN" and op in ("=", "<>"):
        return _in_list(node, op, typer, base_of) or node
    if kind in _BETWEEN:
        # transformAExprBetween: a >= x AND a <= y; NOT BETWEEN: a < x OR a > y. SYMMETRIC
        # is (a >= x AND a <= y) OR (a >= y AND a <= x); NOT BETWEEN SYMMETRIC is
        # (a < x OR a > y) AND (a < y OR a > x).
        (low_op, high_op), boolop, outer = _BETWEEN[kind]
        items = (expr.get("rexpr") or {}).get("List", {}).get("items")
        if not isinstance(items, list) or len(items) != 2:
            return node
        left = expr.get("lexpr")
        orders = [items] if outer is None else [items, items[::-1]]
        groups = []
        for low, high in orders:
            pairs = [
                _binary(low_op, left, low, typer, base_of) or (left, low),
                _binary(high_op, left, high, typer, base_of) or (left, high),
            ]
            groups.append({"BoolExpr": {"boolop": boolop, "args": [
                _a_expr(low_op, *pairs[0]), _a_expr(high_op, *pairs[1])]}})  # fmt: skip
        return groups[0] if outer is None else {"BoolExpr": {"boolop": outer, "args": groups}}
    return node


_BETWEEN = {"AEXPR_BETWEEN": ((">=", "<="), "AND_EXPR", None),
            "AEXPR_NOT_BETWEEN": (("<", ">"), "OR_EXPR", None),
            "AEXPR_BETWEEN_SYM": ((">=", "<="), "AND_EXPR", "OR_EXPR"),
            "AEXPR_NOT_BETWEEN_SYM": (("<", ">"), "OR_EXPR", "AND_EXPR")}  # fmt: skip


def _interval_scaled(
    op: str, left: Any, right: Any, typer: Typer, base_of: TypeFacts
) -> tuple[Node, Node] | None:
    """interval * number, number * interval and interval / number take the number as double
    precision (interval_mul, mul_d_interval, interval_div): ``'1 day' * 3`` is stored with
    ``3::double precision``, an integer column ``days`` as ``(days)::double precision``."""
    sides = [_operand(left, typer, base_of), _operand(right, typer, base_of)]
    for at, (kind, value) in enumerate(sides):
        other_kind, other = sides[1 - at]
        number = other_kind == "number" or (other_kind == "column" and _plain(other[1]) in (
            *INTEGER_TYPES, NUMERIC, DOUBLE, REAL))  # fmt: skip
        if kind != "column" or _plain(value[1]) != INTERVAL or not number:
            continue
        if op == "/" and at == 1:
            return None  # number / interval: no such operator
        nodes = [left, right]
        if other_kind == "number" or other[0] != DOUBLE:
            nodes[1 - at] = type_cast(nodes[1 - at], DOUBLE)
        return nodes[0], nodes[1]
    return None


def _scales_interval(expr: Node, typer: Typer, base_of: TypeFacts) -> bool:
    """Whether ``expr`` is interval * number, number * interval or interval / number (an
    interval)."""
    op = strings(expr.get("name"))
    sides = [_operand(expr.get(key), typer, base_of) for key in ("lexpr", "rexpr")]
    numbers = {*INTEGER_TYPES, NUMERIC, DOUBLE, TypeRef(None, "real")}
    for at, (kind, value) in enumerate(sides):
        other_kind, other = sides[1 - at]
        if kind != "column" or _plain(value[1]) != INTERVAL or (op == ["/"] and at == 1):
            continue
        if other_kind == "number" or (other_kind == "column" and _plain(other[1]) in numbers):
            return op in (["*"], ["/"])
    return False


def _any_of_column(
    op: str, left: Any, right: Node, typer: Typer, base_of: TypeFacts
) -> tuple[Node, Node] | None:
    """``x op ANY (a)`` of an array column ``a``, both sides as stored: ``v <> ALL (tags)`` of
    a varchar and a varchar[] is ``(v)::text <> ALL ((tags)::text[])``."""
    array = array_column_type(right, typer)
    if array is None:
        return None
    element = type_cast(_NULL, TypeRef(array.schema, array.name))
    typed = _binary(op, left, element, typer, base_of)
    if typed is None or _unknown(left) is not None:
        return None
    if typed[1] is element:
        return typed[0], right
    cast = typed[1].get("TypeCast") or {}
    if cast.get("arg") is not element:
        return None
    to = type_from_node(cast["typeName"])
    return typed[0], type_cast(right, TypeRef(to.schema, to.name, array_dims=1))


def _array_type(node: Any, typer: Typer, base_of: TypeFacts) -> TypeRef | None:
    """The element type of an ARRAY[...] of typed elements of one built-in type, or of a
    built-in array cast (``'{a}'::text[]``), else None."""
    if isinstance(node, dict) and "A_ArrayExpr" in node:
        kinds = [_operand(e, typer, base_of) for e in node["A_ArrayExpr"].get("elements") or []]
        if kinds and all(kind == "unknown" for kind, _ in kinds):
            return TEXT  # string literals alone: an array of text (transformArrayExpr)
        found = {_plain(value[0]) if kind == "column" else None for kind, value in kinds}
        return found.pop() if len(found) == 1 else None
    ref = cast_type(node)
    return TypeRef(None, ref.name) if ref and ref.is_builtin and ref.array_dims == 1 else None


def _by_operator(expr: Node, op: str, typer: Typer, base_of: TypeFacts) -> None:
    """A built-in operator with a string literal on one side (builder.operator_literals)."""
    typed = literal_operands(
        op, expr.get("lexpr"), expr.get("rexpr"), lambda n: _operand(n, typer, base_of)
    )
    if typed is not None:
        expr["lexpr"], expr["rexpr"] = typed


def json_type(node: Any, typer: Typer, base_of: TypeFacts) -> TypeRef | None:
    """json or jsonb when ``node`` is known to be of that type (builder.json_operands)."""
    return _json_type(node, lambda n: _operand(n, typer, base_of))


def _json_operator(expr: Node, op: str, typer: Typer, base_of: TypeFacts) -> None:
    json_key(expr, op, lambda n: _operand(n, typer, base_of))


#: The operands typed during the outermost _operand call, by id() (each with its node, which
#: keeps the id from being reused): an expression is typed once however often the rules ask.
_TYPED: ContextVar[dict[int, tuple[Any, tuple[str, Any]]] | None] = ContextVar(
    "_TYPED", default=None
)


def _operand(node: Any, typer: Typer, base_of: TypeFacts) -> tuple[str, Any]:
    """What an operand is: ("unknown", text), ("number", Const), ("column", (declared, base))
    for a column or another expression of known type, or ("other", None)."""
    typed = _TYPED.get()
    if typed is None:
        token = _TYPED.set({})
        try:
            return _operand(node, typer, base_of)
        finally:
            _TYPED.reset(token)
    entry = typed.get(id(node))
    if entry is None or entry[0] is not node:
        entry = typed[id(node)] = (node, _typed_operand(node, typer, base_of))
    return entry[1]


def _typed_operand(node: Any, typer: Typer, base_of: TypeFacts) -> tuple[str, Any]:
    if not isinstance(node, dict):
        return "other", None
    const = node.get("A_Const")
    if const is not None and "sval" in const:
        return "unknown", str(const["sval"].get("sval", ""))
    number = literal_const(node)
    if number is not None and number.type in _NUMBER_TYPES:
        return "number", number
    cast = node.get("TypeCast")
    if cast is not None and "A_Const" in cast.get("arg", {}):
        # A negative or large number is folded to '-1'::integer, '3000000000'::bigint.
        try:
            ref = type_from_node(cast["typeName"])
        except ValueError:
            return "other", None
        text = cast["arg"]["A_Const"].get("sval", {}).get("sval")
        if ref in _NUMBER_TYPES and text is not None:
            return "number", Const(ref, text)
    expr = node.get("A_Expr")
    if (
        expr is not None
        and strings(expr.get("name")) in (["->>"], ["#>>"])
        and json_type(expr.get("lexpr"), typer, base_of) is not None
    ):
        return "column", (TEXT, TEXT)  # json ->> text is text
    json = json_type(node, typer, base_of) if expr is not None else None
    if json is not None:
        return "column", (json, json)  # j -> 'k', j || k
    if expr is not None and expr.get("kind") == "AEXPR_NULLIF":
        kind, first = _operand(expr.get("lexpr"), typer, base_of)  # NULLIF(a, b): a's type
        return ("column", first) if kind == "column" else ("other", None)
    listed = _extension_result(expr, typer) if expr is not None else None
    if listed is not None:
        return "column", (listed, listed)
    if expr is not None and _concat_of_strings(expr, typer, base_of):
        return "column", (TEXT, TEXT)  # textcat, or text || anynonarray: text
    if (
        expr is not None
        and expr.get("kind") == "AEXPR_OP"
        and strings(expr.get("name")) in (["-"], ["+"])
        and expr.get("lexpr") is None
    ):
        # Prefix - and + return their operand's (base) type.
        kind, value = _operand(expr.get("rexpr"), typer, base_of)
        if kind == "column" and _plain(value[1]).is_builtin:
            return "column", (_plain(value[1]), _plain(value[1]))
        return "other", None
    if (
        expr is not None
        and expr.get("kind") == "AEXPR_OP"
        and strings(expr.get("name")) in ([o] for o in _ARITHMETIC)
        and expr.get("lexpr") is not None
    ):
        typed = _arithmetic(expr.get("lexpr"), expr.get("rexpr"), typer, base_of)
        if typed is None and _scales_interval(expr, typer, base_of):
            return "column", (INTERVAL, INTERVAL)
        if typed is not None:
            return "column", (typed[2], typed[2])
    if expr is not None and expr.get("kind") == "AEXPR_OP" and expr.get("lexpr") is not None:
        names = strings(expr.get("name"))
        result = operator_result(
            names[0], expr.get("lexpr"), expr.get("rexpr"), lambda n: _operand(n, typer, base_of)
        ) if len(names) == 1 else None  # fmt: skip
        return ("other", None) if result is None else ("column", (result, result))
    if cast is not None:
        try:
            ref = type_from_node(cast["typeName"])
        except ValueError:
            return "other", None
        if not ref.array_dims and plain_value_type(base_of, ref):
            # An expression cast to a built-in type, an enum or a domain (of its base type).
            return "column", (ref, _plain(base_of(ref)))
    call = node.get("FuncCall")
    if call is not None:
        found = call_type(call, lambda a: _operand(a, typer, base_of), base_of.kind,
                          lambda a: array_type(a, typer, base_of))  # fmt: skip
        found = found or routine_result(call, base_of) or json_call_type(call)
        # A domain result is read as its base type, as a domain column is.
        return ("other", None) if found is None else ("column", (found, _plain(base_of(found))))
    value_function = node.get("SQLValueFunction")
    if value_function is not None and value_function.get("op") in VALUE_FUNCTIONS:
        ref = TypeRef(None, VALUE_FUNCTIONS[value_function["op"]])
        return "column", (ref, ref)
    element = array_element(node, lambda arg: array_type(arg, typer, base_of))
    element = element or _selected_field(node, typer, base_of)
    if element is None and "SubLink" in node:
        element = sub_select_type(node["SubLink"], base_of)
    if element is not None and not element.array_dims:
        return "column", (element, _plain(base_of(element)))
    results = results_of(node)
    common = common_type(results, typer, base_of) if results is not None else None
    if common is not None:
        # COALESCE, GREATEST, LEAST or CASE: of its results' common type (a CASE's are joined
        # to it by builder.common_types; read before that, in a sub-select's column, too).
        return "column", (common, _plain(base_of(common)))
    column = node.get("ColumnRef")
    if column is not None:
        fields = strings(column.get("fields"))
        declared = typer(fields) if len(fields) == len(column.get("fields") or ()) else None
        if declared is not None and not declared.array_dims:
            return "column", (declared, _plain(base_of(declared)))
    return "other", None


def sub_select_type(sublink: Node, base_of: TypeFacts) -> TypeRef | None:
    """The type of a scalar sub-select, ``(SELECT x FROM ...)``: its one column's, typed in its
    own scope (a string literal is text there), or None."""
    body = (sublink.get("subselect") or {}).get("SelectStmt") or {}
    targets = body.get("targetList") or []
    typer = base_of.query(body)
    if sublink.get("subLinkType") != "EXPR_SUBLINK" or typer is None or len(targets) != 1:
        return None
    value = targets[0].get("ResTarget", {}).get("val")
    if isinstance(value, dict) and "SubLink" in value:
        return sub_select_type(value["SubLink"], base_of)  # (SELECT (SELECT ...))
    # Each expression is typed once here: typing a sub-select types the one inside it.
    kind, found = _operand(value, typer, base_of)
    if kind == "unknown":
        return TEXT
    if kind == "number":
        number: Const = found
        return number.type
    return found[0] if kind == "column" else array_type(value, typer, base_of)


def array_type(node: Any, typer: Typer, base_of: TypeFacts) -> TypeRef | None:
    """The type of an array pgdrift can tell: an array column of a built-in type, a cast to
    one, a scalar sub-select of one, or array_agg(x) of a built-in x, an array of x's type (a
    domain read as its base type, anyelement's rule; no length or precision); a built-in
    returning text[], a function of the schema returning an array."""
    found = array_column_type(node, typer, base_of.kind) or cast_type(node)  # or of enums
    if found is not None or not isinstance(node, dict):
        return found if found is not None and found.array_dims and plain_element(
            found, base_of) else None  # fmt: skip
    if "SubLink" in node:
        found = sub_select_type(node["SubLink"], base_of)
        return found if found is not None and found.array_dims else None
    call = node.get("FuncCall") or {}
    names = strings(call.get("funcname"))
    own = routine_result(call, base_of) if call else None
    if own is not None:
        return own if own.array_dims else None  # the schema's own function's result
    if not names or (len(names) == 2 and names[0] != "pg_catalog") or call.get("agg_star"):
        return None
    if names[-1] in TEXT_ARRAY_RESULTS:
        return TypeRef(None, TEXT.name, array_dims=1)
    args = call.get("args") or []
    if names[-1] != "array_agg" or len(args) != 1:
        return None
    kind, types = _operand(args[0], typer, base_of)
    base: TypeRef | None = types[1] if kind == "column" else None
    plain = base is not None and not base.array_dims and plain_element(base, base_of)
    return TypeRef(base.schema, base.name, array_dims=1) if base and plain else None


def _arrays(typer: Typer, base_of: TypeFacts) -> Arrays:
    return lambda node: array_type(node, typer, base_of)


def _selected_field(node: Node, typer: Typer, base_of: TypeFacts) -> TypeRef | None:
    """The type of ``(arg).field``, ``arg`` of a composite type the schema defines."""
    selection = field_names(node)
    if selection is None:
        return None
    kind, types = _operand(selection[0], typer, base_of)
    return field_type(types[0], selection[1], base_of) if kind == "column" else None


def _extension_result(expr: Node, typer: Typer) -> TypeRef | None:
    """The result type of an extension's operator that pgdrift qualified
    (builder.extension_operators: ``attrs OPERATOR(public.->) 'k'::text`` is text)."""
    names = strings(expr.get("name"))
    left = (expr.get("lexpr") or {}).get("ColumnRef")
    if expr.get("kind") != "AEXPR_OP" or len(names) != 2 or left is None:
        return None
    declared = typer(strings(left.get("fields")))
    operator = None if declared is None else extension_operator(names[1], declared.name, None)
    if operator is None:
        return None
    own = EXTENSION_OWN_TYPES.get(operator.extension, frozenset())
    return TypeRef(names[0] if operator.result in own else None, operator.result)


def _concat_of_strings(expr: Node, typer: Typer, base_of: TypeFacts) -> bool:
    """Whether ``expr`` is a || that yields text: a string operand beside another string or
    a type without a || of its own (a string literal is read as text there, as textcat's or
    text || anynonarray's argument)."""
    if expr.get("kind") != "AEXPR_OP" or strings(expr.get("name")) != [_CONCAT]:
        return False
    bases = []
    for side in (expr.get("lexpr"), expr.get("rexpr")):
        kind, types = _operand(side, typer, base_of)
        if kind not in ("column", "unknown", "number"):
            return False
        bases.append(types[1] if kind == "column" else TEXT if kind == "unknown" else types.type)
    strings_ = [b for b in bases if b in _CONCAT_STRINGS]
    return bool(strings_) and all(b in strings_ or no_concat(b, base_of) for b in bases)


def common_type(
    nodes: list[Any], typer: Typer, base_of: TypeFacts
) -> TypeRef | None:
    """The type select_common_type resolves ``nodes`` to (pg.type_categories), or None when
    pgdrift cannot tell: a domain is read as its base type, a string literal or NULL is
    unknown, and so is a CASE's missing ELSE (None: a NULL)."""
    declared: list[TypeRef | None] = []
    bases: list[TypeRef] = []
    for node in nodes:
        const = node.get("A_Const") if isinstance(node, dict) else None
        if node is None or (const is not None and ("sval" in const or const.get("isnull"))):
            declared.append(None)
            continue
        found = _input_type(node, typer, base_of) if isinstance(node, dict) else None
        if found is None:
            return None
        declared.append(found[0])
        bases.append(found[1])
    return select_common(declared, bases)


def _input_type(node: Node, typer: Typer, base_of: TypeFacts) -> tuple[TypeRef, TypeRef] | None:
    """The type of an input of a CASE or COALESCE, without length or precision, and its base
    type; an array (a sub-select of one too) is of its own type. Each input is typed once."""
    value: Any
    if "SubLink" in node:
        found = sub_select_type(node["SubLink"], base_of)
        array = found if found is not None and found.array_dims else None
        kind, value = ("other", None) if found is None else ("column", (found, found))
    else:
        kind, value = _operand(node, typer, base_of)
        array = array_type(node, typer, base_of) if kind == "other" else None
    if array is not None:
        return _plain(array), _plain(array)
    if kind == "number":
        number: Const = value
        return number.type, number.type
    if kind != "column":
        return None
    return _plain(value[0]), _plain(base_of(value[0])) if "SubLink" in node else value[1]


def result_type(node: Any, typer: Typer, base_of: TypeFacts) -> TypeRef | None:
    """The type a CASE branch or a set operation's column resolves as, where pgdrift can tell
    (a domain counts as its base type, without length or precision), or None."""
    kind, value = _operand(node, typer, base_of)
    if kind == "column":
        found: TypeRef = value[1]
        return found
    if kind == "number":
        number: Const = value
        return number.type
    return None


def expression_type(
    node: Node, typer: Typer, base_of: TypeFacts
) -> TypeRef | None:
    """The declared type of an expression pgdrift can type offline (a column, a cast to a
    built-in type, a known built-in call), or None."""
    if isinstance(node, dict) and "SubLink" in node:
        return sub_select_type(node["SubLink"], base_of)  # of an array too
    kind, types = _operand(node, typer, base_of)
    # An array is no operand of the comparisons here, but keeps its type through a WITH query
    # or a sub-select (its elements are typed outside: r.tags[1]).
    found: TypeRef | None = types[0] if kind == "column" else array_type(node, typer, base_of)
    return found


def _binary(
    op: str, left: Any, right: Any, typer: Typer, base_of: TypeFacts
) -> tuple[Node, Node] | None:
    """The two operands as stored, or None when pgdrift cannot tell."""
    # x COLLATE c: the coercion goes under the COLLATE, which stays outermost (coerce_type).
    for collate, inner in ((left, "l"), (right, "r")):
        if isinstance(collate, dict) and "CollateClause" in collate:
            arg = collate["CollateClause"].get("arg")
            pair = (
                _binary(op, arg, right, typer, base_of)
                if inner == "l"
                else _binary(op, left, arg, typer, base_of)
            )
            if pair is None:
                return None
            index = 0 if inner == "l" else 1
            wrapped = {"CollateClause": {**collate["CollateClause"], "arg": pair[index]}}
            return (wrapped, pair[1]) if index == 0 else (pair[0], wrapped)
    if op in _COMPARISONS:
        arrays = array_and_value(left, right, _arrays(typer, base_of))
        arrays = arrays or reg_comparison(left, right, lambda n: _operand(n, typer, base_of))
        if arrays is not None:
            return arrays  # an array and a value; or a reg* value, compared as an oid
    lkind, lvalue = _operand(left, typer, base_of)
    rkind, rvalue = _operand(right, typer, base_of)
    if lkind == "column" and rkind == "column":
        return two_columns(op, (left, lvalue), (right, rvalue), base_of)
    if op == _CONCAT and {lkind, rkind} == {"unknown", "number"}:
        # 'x' || 1: text || anynonarray, the literal resolved as text.
        text = lvalue if lkind == "unknown" else rvalue
        literal = const_node(Const(TEXT, text))
        return (literal, right) if lkind == "unknown" else (left, literal)
    if lkind == "column" and rkind in ("unknown", "number"):
        return column_and_value(op, (left, lvalue), (rkind, rvalue, right), base_of)
    if rkind == "column" and lkind in ("unknown", "number"):
        typed = column_and_value(op, (right, rvalue), (lkind, lvalue, left), base_of)
        return None if typed is None else (typed[1], typed[0])
    return None


def _any_of_literal(
    op: str, left: Any, right: Any, typer: Typer, base_of: TypeFacts
) -> tuple[Node, Node] | None:
    """``x op ANY ('{...}')``: the operator is resolved as ``x op unknown`` and the literal
    is an array of its right operand's type (make_scalar_array_op): ``v = ANY ('{a}')`` of a
    varchar is stored ``(v)::text = ANY ('{a}'::text[])``. None when pgdrift cannot tell."""
    kind, types = _operand(left, typer, base_of)
    if _unknown(right) is not None and kind == "unknown":
        # unknown op unknown: both read as text, the string category's preferred type.
        return const_node(Const(TEXT, types)), type_cast(right, TypeRef(None, "text", array_dims=1))
    if _unknown(right) is None or kind != "column":
        return None
    declared, base = types
    if op in _PATTERNS:
        if base not in (TEXT, _VARCHAR, _BPCHAR):
            return None
        input_type = _BPCHAR if base == _BPCHAR else TEXT  # LIKE has bpchar variants
    else:
        input_type = read_as(base)
        if input_type.array_dims or (not input_type.is_builtin and input_type.schema is None):
            return None
    array = TypeRef(input_type.schema, input_type.name, array_dims=1)
    const = printed_unknown(str(_unknown(right)), array)  # each element as its type prints it
    typed = const_node(const) if const is not None else type_cast(right, array)
    return _column_side(left, declared, input_type), typed


def _arithmetic(
    left: Any, right: Any, typer: Typer, base_of: TypeFacts
) -> tuple[Node, Node, TypeRef] | None:
    """The operands of ``left op right`` as stored, and the result's type; None when pgdrift
    cannot type both (or either is not a number)."""
    sides = []
    for node in (left, right):
        kind, value = _operand(node, typer, base_of)
        if kind == "column":
            # A domain is read as its base type: its operand is cast (shown, ruleutils).
            sides.append((node, _plain(value[1]), _plain(value[0])))
        elif kind == "number":
            sides.append((node, value.type, value.type))
        else:
            return None
    (lnode, ltype, ldeclared), (rnode, rtype, rdeclared) = sides
    integers = set(INTEGER_TYPES)
    if ltype in integers and rtype in integers:
        # Each keeps its own integer type (cross-type operators: int48pl...).
        wider = max(ltype, rtype, key=INTEGER_TYPES.index)
        return _as(lnode, ldeclared, ltype), _as(rnode, rdeclared, rtype), wider
    if ltype == rtype and ltype in (DOUBLE, NUMERIC):
        return _as(lnode, ldeclared, ltype), _as(rnode, rdeclared, rtype), ltype
    mixed = beside_real(ltype, rtype)
    if mixed is not None:
        return (_as(lnode, ldeclared, ltype) if mixed[0] is None else type_cast(lnode, mixed[0]),
                _as(rnode, rdeclared, rtype) if mixed[1] is None else type_cast(rnode, mixed[1]),
                REAL if ltype == rtype else DOUBLE)  # fmt: skip
    wide = wider_number(ltype, rtype)
    if wide is None:
        return None
    return _as(lnode, ldeclared, wide), _as(rnode, rdeclared, wide), wide


def _in_list(
    node: Node, op: str, typer: Typer, base_of: TypeFacts
) -> Node | None:
    """``x IN (a, b)`` is ``x = ANY (ARRAY[a, b])`` (``NOT IN``: ``<> ALL``), each element
    typed as in ``x = a``; with one element, just ``x = a`` (transformAExprIn)."""
    expr = node["A_Expr"]
    items = (expr.get("rexpr") or {}).get("List", {}).get("items")
    if not isinstance(items, list) or not items:
        return None
    left = expr.get("lexpr")
    typed = [_binary(op, left, item, typer, base_of) for item in items]
    if any(t is None for t in typed):
        return None
    pairs: list[tuple[Node, Node]] = typed  # type: ignore[assignment]
    lefts = {repr(p[0]) for p in pairs}
    if len(lefts) != 1:
        return None  # elements of mixed types: the common type needs more than this
    if len(pairs) == 1:
        return _a_expr(op, *pairs[0])
    kind = "AEXPR_OP_ANY" if op == "=" else "AEXPR_OP_ALL"
    left_kind, types = _operand(left, typer, base_of)
    cidrs = cidr_in_list(types[1], items) if left_kind == "column" else None
    array = cidrs or {"A_ArrayExpr": {"elements": [p[1] for p in pairs]}}
    return _a_expr(op, pairs[0][0], array, kind)
