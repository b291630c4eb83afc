"""What a ``DO`` block's expressions are worth offline, for ``EXECUTE`` and its loops.

``EXECUTE`` runs the text an expression makes as it runs. That text is known offline when the
expression is made of constants: a string, ``||`` of strings and integers, ``format()`` (``%s``,
``%I``, ``%L``, ``%%``, argument positions ``%2$I`` and widths), ``quote_ident()``,
``quote_literal()``, ``quote_nullable()``, ``concat()``, ``concat_ws()``, integer ``+ - *``,
casts to text, name and the integer types, and the block's variables whose values are known
(see :class:`Variables`). Anything else (a query, another function, a parameter) is
:data:`UNKNOWN`, and the block is left not interpreted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final

import pglast.parser

from pgdrift.builder.nodes import Node, const_value, strings
from pgdrift.pg.quoting import quote_ident, quote_literal

__all__ = ["UNKNOWN", "Unknown", "Value", "Variables", "evaluate", "evaluate_array",
           "expression_node", "format_text"]  # fmt: skip


class Unknown:
    """The value of an expression that only running it tells."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown()
#: A value known offline: text, an integer, or SQL's NULL (None).
Value = str | int | None
Known = Mapping[str, "Value | Unknown"]
Elements = list[Value] | Unknown

_INT4 = range(-(2**31), 2**31)
_INT_TYPES = {"int2": range(-(2**15), 2**15), "int4": _INT4, "int8": range(-(2**63), 2**63),
              "smallint": range(-(2**15), 2**15), "integer": _INT4, "int": _INT4,
              "bigint": range(-(2**63), 2**63)}  # fmt: skip
_TEXT_TYPES = frozenset({"text", "varchar"})
_NAME_BYTES = 63  # NAMEDATALEN - 1: a longer name is cut
_INTEGER_TEXT = re.compile(r"\s*[-+]?[0-9]+\s*\Z")


def evaluate(expression: str, variables: Known) -> Value | Unknown:
    """The value of a PL/pgSQL expression (the text of a ``PLpgSQL_expr``), or UNKNOWN."""
    node = expression_node(expression)
    return UNKNOWN if node is None else _value(node, variables)


def evaluate_array(
    expression: str, variables: Known, arrays: Mapping[str, list[Value]]
) -> Elements:
    """The elements of a one-dimensional array expression (``ARRAY['a', 'b']``, or a variable
    of ``arrays``), or UNKNOWN.

    The elements take the type they resolve to together (select_common_type): all text, or
    all integers; another mix has no common type here."""
    node = expression_node(expression)
    return UNKNOWN if node is None else _array(node, variables, arrays)


def _array(node: Node, variables: Known, arrays: Mapping[str, list[Value]]) -> Elements:
    kind, body = next(iter(node.items()))
    if kind == "TypeCast":  # ARRAY['a', 'b']::text[], '{a,b}'::text[]
        type_name = body["typeName"]
        if len(type_name.get("arrayBounds") or ()) != 1 or type_name.get("typmods"):
            return UNKNOWN
        arg = body["arg"]
        elements = (
            array_literal(arg["A_Const"]["sval"].get("sval", ""))
            if "sval" in arg.get("A_Const", {}) else _array(arg, variables, arrays)
        )  # fmt: skip
        return coerce_elements(elements, _type_name(type_name, array=True))
    if kind == "ColumnRef":
        fields = body.get("fields") or ()
        names = strings(fields)
        known = arrays.get(names[0]) if len(fields) == len(names) == 1 else None
        return UNKNOWN if known is None else list(known)
    if kind != "A_ArrayExpr":
        return UNKNOWN
    values = [_value(e, variables) for e in body.get("elements") or ()]
    known_values = [v for v in values if not isinstance(v, Unknown)]
    if len(known_values) != len(values):
        return UNKNOWN  # an element not known, or an array of arrays
    kinds = {type(v) for v in known_values if v is not None}
    return known_values if len(kinds) <= 1 else UNKNOWN


def coerce_elements(elements: Elements, type_name: str) -> Elements:
    """Each element converted to ``type_name``, or UNKNOWN if one cannot be."""
    if isinstance(elements, Unknown):
        return UNKNOWN
    coerced = [coerce(e, type_name) for e in elements]
    known = [e for e in coerced if not isinstance(e, Unknown)]
    return known if len(known) == len(coerced) else UNKNOWN


# The white space array_in skips (scanner_isspace).
_SPACE = " \t\n\r\v\f"


def array_literal(text: str) -> Elements:
    r"""The elements of a one-dimensional array constant as array_in reads it, or UNKNOWN
    (another form, or an error): ``{a, "b c", NULL, "\"q\""}``.

    >>> array_literal('{a, "b c",NULL,"\\"q\\""}')
    ['a', 'b c', None, '"q"']
    """
    text = text.strip(_SPACE)
    if not (text.startswith("{") and text.endswith("}")):
        return UNKNOWN  # a dimension decoration ([1:2]={...}), or not an array
    inner, i = text[1:-1], 0
    if not inner.strip(_SPACE):
        return []
    elements: list[Value] = []
    value: Value
    while True:
        while i < len(inner) and inner[i] in _SPACE:
            i += 1
        if inner[i : i + 1] == '"':
            chars, i = [], i + 1
            while i < len(inner) and inner[i] != '"':
                i += inner[i] == "\\"  # a backslash takes the next character as it is
                chars.append(inner[i : i + 1])
                i += 1
            if i >= len(inner):
                return UNKNOWN
            value, i = "".join(chars), i + 1
            while i < len(inner) and inner[i] in _SPACE:
                i += 1
        else:
            end = inner.find(",", i)
            end = len(inner) if end < 0 else end
            word = inner[i:end].strip(_SPACE)
            if not word or any(c in word for c in '"{}\\'):
                return UNKNOWN  # an empty element is an error; escapes are not followed
            value, i = (None if word.upper() == "NULL" else word), end
        elements.append(value)
        if i == len(inner):
            return elements
        if inner[i] != ",":
            return UNKNOWN
        i += 1


def expression_node(expression: str) -> Node | None:
    """The parse tree of an expression alone (``SELECT <expression>`` of one target)."""
    try:
        parsed = json.loads(pglast.parser.parse_sql_json(f"SELECT {expression}"))
    except pglast.parser.ParseError:
        return None
    statements: list[Node] = parsed.get("stmts") or []
    if len(statements) != 1:
        return None
    select = statements[0]["stmt"].get("SelectStmt") or {}
    targets: list[Node] = select.get("targetList") or []
    if len(targets) != 1 or set(select) - {"targetList", "limitOption", "op"}:
        return None
    target = targets[0]["ResTarget"]
    return None if target.get("name") else target.get("val")


def _value(node: Node, variables: Known) -> Value | Unknown:
    kind, body = next(iter(node.items()))
    if kind == "A_Const":
        if body.get("isnull"):
            return None
        if "sval" in body or "ival" in body or set(body) <= {"location"}:
            value: Value = const_value(node)  # a zero's ival is left out
            return value
        return UNKNOWN  # a number with a fraction, a boolean, a bit string
    if kind == "ColumnRef":
        fields = body.get("fields") or ()
        names = strings(fields)
        if len(fields) != 1 or len(names) != 1:
            return UNKNOWN
        return variables.get(names[0], UNKNOWN)
    if kind == "TypeCast":
        type_name = body["typeName"]
        if type_name.get("arrayBounds") or type_name.get("typmods") or type_name.get("setof"):
            return UNKNOWN
        return coerce(_value(body["arg"], variables), _type_name(type_name))
    if kind == "A_Expr" and body.get("kind") == "AEXPR_OP":
        return _operator(body, variables)
    if kind == "FuncCall":
        return _call(body, variables)
    return UNKNOWN


def _type_name(type_name: Node, *, array: bool = False) -> str:
    names = strings(type_name.get("names"))
    if names[:-1] not in ([], ["pg_catalog"]) or (bool(type_name.get("arrayBounds")) != array):
        return ""
    return names[-1]


def coerce(value: Value | Unknown, type_name: str) -> Value | Unknown:
    """``value`` converted to the built-in type ``type_name`` (PL/pgSQL's assignment, or a
    cast), or UNKNOWN where it would fail or the type is not one followed here."""
    if value is None or isinstance(value, Unknown):
        return value
    if type_name in _TEXT_TYPES:
        return str(value)
    if type_name == "name":
        text = str(value)
        return text if len(text.encode()) <= _NAME_BYTES else UNKNOWN
    if type_name in _INT_TYPES:
        number = value if isinstance(value, int) else (
            int(value) if _INTEGER_TEXT.match(value) else None
        )  # fmt: skip
        return number if number is not None and number in _INT_TYPES[type_name] else UNKNOWN
    return UNKNOWN


def _operator(body: Node, variables: Known) -> Value | Unknown:
    names = strings(body.get("name"))
    if names[:-1] not in ([], ["pg_catalog"]):
        return UNKNOWN
    op = names[-1]
    right = _value(body["rexpr"], variables)
    if "lexpr" not in body:
        # Unary minus of an integer.
        return -right if op == "-" and type(right) is int and -right in _INT4 else UNKNOWN
    left = _value(body["lexpr"], variables)
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        return UNKNOWN
    if op == "||":
        # text || text, and anynonarray || text either way; int || int has no operator.
        if not (isinstance(left, str) or isinstance(right, str)) and None not in (left, right):
            return UNKNOWN
        return None if left is None or right is None else f"{left}{right}"
    if op in ("+", "-", "*") and type(left) is int and type(right) is int:
        result = left + right if op == "+" else left - right if op == "-" else left * right
        return result if result in _INT4 else UNKNOWN  # int4 overflow is an error
    return UNKNOWN


def _call(body: Node, variables: Known) -> Value | Unknown:
    names = strings(body.get("funcname"))
    if names[:-1] not in ([], ["pg_catalog"]) or set(body) - {
        "funcname", "args", "funcformat", "location"
    }:  # fmt: skip
        return UNKNOWN  # VARIADIC, ORDER BY, FILTER, OVER, *...
    args = [_value(a, variables) for a in body.get("args") or ()]
    known = [a for a in args if not isinstance(a, Unknown)]
    if len(known) != len(args):
        return UNKNOWN
    name = names[-1]
    if name == "format" and known:
        first = known[0]
        if first is None:
            return None
        return format_text(first, known[1:]) if isinstance(first, str) else UNKNOWN
    if name in ("quote_ident", "quote_literal", "quote_nullable") and len(known) == 1:
        [arg] = known
        if arg is None:
            return "NULL" if name == "quote_nullable" else None
        if name == "quote_ident":
            return quote_ident(arg) if isinstance(arg, str) else UNKNOWN  # no int version
        return quote_literal(str(arg))
    if name == "concat":
        return "".join(str(a) for a in known if a is not None)
    if name == "concat_ws" and known:
        if known[0] is None:
            return None
        return str(known[0]).join(str(a) for a in known[1:] if a is not None)
    return UNKNOWN


# format()'s specifiers (varlena.c text_format): %[position$][flags][width]type.
_SPECIFIER = re.compile(r"(?:(?P<position>[0-9]+)\$)?(?P<minus>-*)(?P<width>[0-9]*)(?P<type>.?)",
                        re.S)  # fmt: skip
_BARE_WIDTH = re.compile(r"(?P<width>[0-9]+)(?![0-9$])(?P<type>.?)", re.S)


def format_text(template: str, args: list[Value]) -> str | Unknown:
    """``format(template, args...)`` as PostgreSQL's text_format makes it, or UNKNOWN where it
    raises an error (too few arguments, a NULL for ``%I``, a bad specifier) or takes a width
    from an argument (``%*s``).

    >>> format_text("ALTER TABLE %I.%I OWNER TO %s; -- %L", ["app", "User", "me", None])
    'ALTER TABLE app."User" OWNER TO me; -- NULL'
    >>> format_text("%3$s %2$s %s|%-3s|%3s|", ["a", "b", "c", "d", "e"])
    'c b c|d  |  e|'
    """
    out: list[str] = []
    last = 0  # the argument the previous specifier took (1-based)
    i = 0
    while i < len(template):
        percent = template.find("%", i)
        if percent < 0:
            out.append(template[i:])
            break
        out.append(template[i:percent])
        i = percent + 1
        if template[i : i + 1] == "%":
            out.append("%")
            i += 1
            continue
        # A number first is a width unless a $ follows it (text_format_parse_format).
        spec = _BARE_WIDTH.match(template, i)
        position, minus = None, False
        if spec is None:
            spec = _SPECIFIER.match(template, i)
            assert spec is not None  # every part is optional
            position = int(spec["position"]) if spec["position"] else None
            minus = bool(spec["minus"])
            if position == 0:
                return UNKNOWN  # format specifies argument 0, but arguments are numbered from 1
        width = int(spec["width"]) if spec["width"] else 0
        kind = spec["type"]
        if kind not in ("s", "I", "L"):
            return UNKNOWN  # %*s (a width taken from an argument), or an error
        i = spec.end()
        last = position if position is not None else last + 1
        if last > len(args):
            return UNKNOWN  # too few arguments for format()
        value = args[last - 1]
        if kind == "I":
            if value is None:
                return UNKNOWN  # null values cannot be formatted as an SQL identifier
            text = quote_ident(str(value))
        elif kind == "L":
            text = "NULL" if value is None else quote_literal(str(value))
        else:
            text = "" if value is None else str(value)
        out.append(text.ljust(width) if minus else text.rjust(width))
    return "".join(out)


# -- the variables of a block ---------------------------------------------------------------

# PL/pgSQL's own variables: FOUND, and an exception handler's SQLSTATE and SQLERRM.
_IMPLICIT = frozenset({"found", "sqlstate", "sqlerrm"})
# The target of an assignment, and what it is given: ``name := value`` (or ``=``); a target with
# a subscript or a field (``a[1] :=``, ``r.f :=``) is matched as well, with its ``rest``.
_ASSIGNMENT = re.compile(
    r'\s*(?P<name>"(?:[^"]|"")+"|[^\W\d]\w*)'
    r'(?P<rest>(?:\s*\[[^\]]*\]|\s*\.\s*(?:"(?:[^"]|"")+"|[^\W\d]\w*))*)'
    r"\s*:?=(?P<value>.*)\Z",
    re.S,
)


def assigned_value(query: str) -> str | None:
    """The expression an assignment statement's text (``v := 'x'``) gives its target."""
    match = _ASSIGNMENT.match(query)
    return None if match is None else match["value"]


def _assigned_name(query: str) -> str | None:
    """The variable a plain assignment (no subscript, no field) sets, as PL/pgSQL folds it."""
    match = _ASSIGNMENT.match(query)
    if match is None or match["rest"]:
        return None
    name = match["name"]
    return name[1:-1].replace('""', '"') if name.startswith('"') else name.lower()


class Variables:
    """The values of a DO block's variables that are known offline, by name, as it runs.

    pglast does not say which block declares a variable, so a value is followed only where
    that cannot matter: a variable never assigned keeps the value of its default (the same
    each time its block starts); one assigned only by statements of the outermost block itself
    (run once, in order) takes each value as it is given; a loop's variable has the element's
    value in the loop's body. Any other variable, a name declared twice (one may hide the
    other), and a variable of a type not followed here, is UNKNOWN.
    """

    def __init__(self, function: dict[str, Any]) -> None:
        datums = [next(iter(d.items())) for d in function.get("datums") or ()]
        action = function["action"]
        self._tracked = {
            id(s) for s in action["PLpgSQL_stmt_block"].get("body") or ()
            if "PLpgSQL_stmt_assign" in s
        }  # fmt: skip
        self._targets = {
            node["PLpgSQL_stmt_assign"].get("varno", 0) for node in _nodes(action, frozenset())
            if id(node) in self._tracked
        }  # fmt: skip
        # How many variables each name has: declared ones, and FOR loops' own integers (which
        # are datums too, not told apart from the others).
        self._declared: dict[str, int] = {}
        for _, body in datums:
            name = body.get("refname")
            if name not in _IMPLICIT and name != "(unnamed row)":
                self._declared[name] = self._declared.get(name, 0) + 1
        self._loops = _loop_names(action)
        for name, loops in self._loops.items():
            self._declared[name] = self._declared.get(name, 0) - loops
        assigned = _assigned(action, self._tracked)
        self._names: dict[int, str] = {}
        self._types: dict[int, str] = {}
        self.values: dict[str, Value | Unknown] = {}
        #: Array variables never assigned, with their defaults' elements (FOREACH ... ARRAY a).
        self.arrays: dict[str, list[Value]] = {}
        constants: dict[str, Value | Unknown] = {}  # never assigned: always their defaults
        for dno, (kind, body) in enumerate(datums):
            name = body.get("refname")
            if self._declared.get(name, 0) == 0:
                continue  # FOUND, SQLSTATE, SQLERRM, a FOR loop's own, an INTO's row
            if self._declared[name] > 1 or name in self._loops or kind != "PLpgSQL_var":
                # Declared twice, or also a FOR loop's (one may hide the other), a record.
                self.values[name] = UNKNOWN
                continue
            self._names[dno] = name
            type_name = str((body.get("datatype") or {}).get("PLpgSQL_type", {}).get("typname"))
            self._types[dno] = type_name
            if dno in assigned:
                self.values[name] = UNKNOWN
                continue
            default = body.get("default_val")
            text = default["PLpgSQL_expr"].get("query", "") if default else None
            if type_name.startswith("_"):
                self.values[name] = UNKNOWN  # not a scalar
                if text is None or dno in self._targets:
                    continue
                literal = evaluate(text, {})  # '{a,b}' given to an array variable
                elements = coerce_elements(
                    array_literal(literal) if isinstance(literal, str)
                    else evaluate_array(text, constants, self.arrays), type_name[1:])  # fmt: skip
                if not isinstance(elements, Unknown):
                    self.arrays[name] = elements
                continue
            # A default may use the variables declared before it that never change.
            value = None if text is None else evaluate(text, constants)
            self.values[name] = coerce(value, type_name)
            if dno not in self._targets:
                constants[name] = self.values[name]

    def copy(self) -> Variables:
        """The variables as they are now, to be followed apart (a check, then a run)."""
        other = object.__new__(Variables)
        other.__dict__.update(self.__dict__)
        other.values = dict(self.values)
        return other

    def value(self, expression: str) -> Value | Unknown:
        return evaluate(expression, self.values)

    def elements(self, expression: str) -> Elements:
        return evaluate_array(expression, self.values, self.arrays)

    def assign(self, statement: dict[str, Any]) -> None:
        """Follow an assignment statement where it is tracked (one of the outermost block's)."""
        if id(statement) not in self._tracked:
            return
        body = statement["PLpgSQL_stmt_assign"]
        dno = body.get("varno", 0)
        query = body["expr"]["PLpgSQL_expr"].get("query", "")
        value = assigned_value(query)
        if dno in self._names:
            self.values[self._names[dno]] = UNKNOWN if (
                value is None or _assigned_name(query) is None
            ) else coerce(self.value(value), self._types[dno])  # fmt: skip

    @contextmanager
    def loop(self, statement: dict[str, Any], value: Value) -> Iterator[None]:
        """A loop's variable has ``value`` in its body: a FOR loop's own integer (which hides
        any other of its name), or the block's variable a FOREACH assigns."""
        if "var" in statement:  # FOR i IN 1..3
            name = statement["var"]["PLpgSQL_var"].get("refname", "")
            known = self._declared.get(name, 0) == 0  # no declared variable of this name
            type_name = "int4"
        else:
            name = self._names.get(statement.get("varno", 0), "")
            known = True
            type_name = self._types.get(statement.get("varno", 0), "")
            if not name:  # a name declared twice: UNKNOWN all along
                yield
                return
        before = self.values.get(name, UNKNOWN)
        self.values[name] = coerce(value, type_name) if known else UNKNOWN
        try:
            yield
        finally:
            # After a FOREACH its variable keeps the last element: not followed.
            self.values[name] = before if "var" in statement else UNKNOWN


def _loop_names(action: Any) -> dict[str, int]:
    """How many FOR loops over integers declare each name (their variables are datums too)."""
    found: dict[str, int] = {}
    for node in _nodes(action, frozenset()):
        if "PLpgSQL_stmt_fori" in node:
            name = node["PLpgSQL_stmt_fori"]["var"]["PLpgSQL_var"].get("refname", "")
            found[name] = found.get(name, 0) + 1
    return found


def _assigned(action: Any, tracked: set[int]) -> set[int]:
    """The variables (datum numbers) set anywhere but by a tracked assignment: an assignment
    elsewhere or of a part (``a[1] :=``), INTO, GET DIAGNOSTICS, FOREACH..."""
    found: set[int] = set()
    for node in _nodes(action, tracked):
        if id(node) in tracked:
            inner = node["PLpgSQL_stmt_assign"]
            if _assigned_name(inner["expr"]["PLpgSQL_expr"].get("query", "")) is None:
                found.add(inner.get("varno", 0))
        elif isinstance(node.get("varno"), int):
            found.add(node["varno"])
    return found


def _nodes(tree: Any, skipped: set[int] | frozenset[int]) -> Iterator[dict[str, Any]]:
    """Every dict in a tree, not looking inside those of ``skipped``."""
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            yield item
            if id(item) not in skipped:
                stack.extend(item.values())
