"""Expressions compared by meaning, deparsed only for display.

:func:`canonical` turns libpg_query's JSON for any node (an expression or a whole statement) into
a hashable tree of tuples with every source position dropped, then normalises the spellings that
different pg_dump versions (or a dump/restore cycle) print for the same expression. Parentheses
and whitespace never reach the tree, so they cannot make two expressions differ. :class:`Expr`
wraps a tree: equal trees, equal expressions; ``.sql`` prints it back for people to read.

The tree mirrors the JSON one to one, so it can be turned back into pglast's AST and printed:

* a node is ``(class_name, ((field, value), ...))`` with fields in libpg_query's order;
* a list is a tuple of nodes (JSON lists only hold nodes, a nested list being a ``List`` node,
  and ``{}`` for a NULL item, which becomes None);
* anything else is a JSON scalar (str, int, float, bool).

JSON leaves out the node wrapper where a field's node type is fixed (``"typeName": {...}``) and
flattens ``A_Const``; the tree names the class of every node either way.

>>> from pgdrift.expr import parse_expr
>>> parse_expr("pg_catalog.lower((name)::text)") == parse_expr("lower(name::text)")
True
>>> parse_expr("(amount > 0)").sql
'amount > 0'
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from sys import intern
from typing import TYPE_CHECKING, Any, cast

import attrs
from pglast import ast
from pglast.keywords import COL_NAME_KEYWORDS
from pglast.parser import ParseError as PglastParseError
from pglast.parser import parse_sql_json
from pglast.precedence import ExprPrec, Side
from pglast.printers import NODE_PRINTERS, SPECIAL_FUNCTIONS
from pglast.stream import RawStream

from pgdrift._nesting import recursion_room
from pgdrift.errors import ParseError
from pgdrift.pg.quoting import split_qualified_name
from pgdrift.types import TypeRef, quote_ident, type_from_parts

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = [
    "RULES",
    "Expr",
    "Tree",
    "canonical",
    "deparse",
    "expr_from_node",
    "parse_expr",
    "runtime_equivalent",
    "to_json",
    "type_from_tree",
    "walk",
]

#: A canonical tree: ``(class_name, ((field, value), ...))``; see the module docstring.
Tree = tuple[Any, ...]
#: A normalisation pass: a pure function from a node to its normal form.
Rule = Callable[[Tree], Tree]


# --- What the JSON leaves implicit, read once from pglast's AST classes ----------------------


def _node_classes() -> dict[str, type[ast.Node]]:
    return {
        name: cls
        for name, cls in vars(ast).items()
        if isinstance(cls, type)
        and issubclass(cls, ast.Node)
        and isinstance(vars(cls).get("__slots__"), dict)
    }


_CLASSES = _node_classes()
# Each concrete class's fields with pglast's SlotTypeInfo(c_type, py_type, adaptor).
_SLOTS: dict[str, dict[str, Any]] = {name: vars(cls)["__slots__"] for name, cls in _CLASSES.items()}


def _bare_fields() -> dict[str, dict[str, str]]:
    # A field typed as one specific node struct (RangeVar*, TypeName*) is written without the
    # {"Class": ...} wrapper; Node*, Expr* and List* items always carry it (pg_query outfuncs).
    fields: dict[str, dict[str, str]] = {}
    for name, slots in _SLOTS.items():
        for field, info in slots.items():
            base = info.c_type.rstrip("*")
            if base in _CLASSES and base not in ("Node", "Expr", "List", "ValUnion"):
                fields.setdefault(name, {})[field] = base
    # A_Const's value union is flattened: {"ival": {"ival": 1}}, {"sval": {"sval": "x"}}...
    fields["A_Const"] = {
        "ival": "Integer",
        "sval": "String",
        "fval": "Float",
        "boolval": "Boolean",
        "bsval": "BitString",
    }
    return fields


_BARE = _bare_fields()

# Source positions: every ParseLoc field plus the statement length. CreateTableSpaceStmt has a
# text field called "location" (the directory), so only integers are dropped.
_POSITIONS = frozenset(
    {"stmt_len"}
    | {
        field
        for slots in _SLOTS.values()
        for field, info in slots.items()
        if info.c_type == "ParseLoc"
    }
)


def _defaults() -> dict[str, tuple[tuple[str, Any], ...]]:
    # libpg_query omits zero, false and empty values; pglast's printers expect them set.
    out: dict[str, tuple[tuple[str, Any], ...]] = {}
    for name, slots in _SLOTS.items():
        pairs: list[tuple[str, Any]] = []
        for field, info in slots.items():
            py_type = info.py_type
            if info.c_type == "bool":
                pairs.append((field, False))
            elif info.c_type == "char":
                pairs.append((field, "\x00"))
            elif py_type is int and info.c_type != "ParseLoc":
                pairs.append((field, 0))
            elif py_type is float:
                pairs.append((field, 0.0))
            elif name == "String" and field == "sval":
                pairs.append((field, ""))
        out[name] = tuple(pairs)
    return out


_DEFAULTS = _defaults()

# pglast renames fields that are Python keywords ("def" -> "def_").
_RENAMED = {
    name: {field[:-1]: field for field in slots if field.endswith("_")}
    for name, slots in _SLOTS.items()
    if any(field.endswith("_") for field in slots)
}


# --- JSON -> tree ----------------------------------------------------------------------------

_SHARED_TREES: ContextVar[dict[Tree, Tree] | None] = ContextVar("_SHARED_TREES", default=None)


def _convert(name: str, body: Mapping[str, Any], rules: Mapping[str, tuple[Rule, ...]]) -> Tree:
    bare = _BARE.get(name)
    pairs: list[tuple[str, Any]] = []
    for json_key, value in body.items():
        # json.loads makes new key and name strings for every statement; a dump repeats the
        # same few thousand of them in tens of thousands of trees, so share one copy of each.
        key = intern(json_key)
        kind = type(value)
        if kind is dict:
            if bare is not None and key in bare:
                pairs.append((key, _convert(bare[key], value, rules)))
            else:
                ((inner, inner_body),) = value.items()
                pairs.append((key, _convert(inner, inner_body, rules)))
        elif kind is list:
            items = [_convert(*_only_item(item), rules) if item else None for item in value]
            pairs.append((key, tuple(items)))
        elif kind is str:
            pairs.append((key, intern(value)))
        elif kind is not int or key not in _POSITIONS:
            pairs.append((key, value))
    node = (intern(name), tuple(pairs))
    for rule in rules.get(name, ()):
        node = rule(node)
    return _share(node)


def _share(node: Tree) -> Tree:
    """While a load runs (:func:`sharing_trees`), one object for each distinct subtree: a dump
    repeats the same type names, column references and literals tens of thousands of times."""
    shared = _SHARED_TREES.get()
    if shared is None:
        return node
    return shared.setdefault(node, node)


def _only_item(wrapped: Mapping[str, Any]) -> tuple[str, Any]:
    ((name, body),) = wrapped.items()
    return name, body


_RAW_STMT_KEYS = frozenset({"stmt", "stmt_len", "stmt_location"})


def _root(node: Any) -> tuple[str, Any]:
    if isinstance(node, dict):
        if "stmt" in node and node.keys() <= _RAW_STMT_KEYS:
            return _root(node["stmt"])  # a RawStmt as listed in a parse result's "stmts"
        if len(node) == 1:
            name, body = next(iter(node.items()))
            if name in _CLASSES:
                return name, body
    raise TypeError(f"not a libpg_query node: {str(node)[:80]}")


def canonical(node: Any) -> Tree:
    """The canonical tree of a JSON node (``{"A_Expr": {...}}``, a parse result's
    ``{"stmt": ...}`` entry, or a list of nodes): positions dropped, :data:`RULES` applied.

    >>> canonical(json.loads(parse_sql_json("SELECT 1"))["stmts"][0])[0]
    'SelectStmt'
    """
    if isinstance(node, (list, tuple)):
        return tuple(canonical(item) for item in node)
    return _convert(*_root(node), _RULES_BY_NODE)


def _raw_tree(node: Any) -> Tree:
    """The tree of a JSON node without normalisation (for deparsing what was written)."""
    if isinstance(node, (list, tuple)):
        return tuple(_raw_tree(item) for item in node)
    return _convert(*_root(node), {})


# --- Normalisation rules ---------------------------------------------------------------------


def _get(node: Tree, field: str) -> Any:
    for key, value in node[1]:
        if key == field:
            return value
    return None


def _put(node: Tree, field: str, value: Any) -> Tree:
    return (node[0], tuple((k, value if k == field else v) for k, v in node[1]))


def _string(value: str) -> Tree:
    return ("String", (("sval", value),))


_PG_CATALOG = _string("pg_catalog")


def _int_const(value: int) -> Tree:
    return ("A_Const", (("ival", ("Integer", (("ival", value),) if value else ())),))


def _str_const(value: str) -> Tree:
    return ("A_Const", (("sval", ("String", (("sval", value),))),))


def _type_tree(ref: TypeRef, node: Tree) -> Tree:
    """The TypeName tree of ``ref`` (keeping ``node``'s %TYPE name list)."""
    names = (
        _get(node, "names")
        if ref.pct_type
        else tuple(_string(part) for part in ref.catalog_names())
    )
    pairs: list[tuple[str, Any]] = [("names", names)]
    if ref.setof:
        pairs.append(("setof", True))
    if ref.pct_type:
        pairs.append(("pct_type", True))
    else:
        mods = ref.typmod_values()
        if mods:
            pairs.append(
                (
                    "typmods",
                    tuple(_int_const(m) if isinstance(m, int) else _str_const(m) for m in mods),
                )
            )
    pairs.append(("typemod", -1))
    if ref.array_dims:
        pairs.append(("arrayBounds", (("Integer", (("ival", -1),)),)))
    return ("TypeName", tuple(pairs))


def _typmod_of(item: Tree) -> int | str:
    name, pairs = item
    if name == "A_Const" and pairs:
        field, value = pairs[0]
        inner = value[1]
        raw = inner[0][1] if inner else (0 if field == "ival" else "")
        return int(raw) if field == "ival" else str(raw)
    if name == "ColumnRef":
        (field,) = _get(item, "fields")
        return str(_get(field, "sval"))
    raise ValueError(f"unsupported type modifier {item!r}")


def type_from_tree(node: Tree) -> TypeRef:
    """The :class:`TypeRef` of a TypeName tree."""
    return type_from_parts(
        [str(_get(n, "sval")) for n in _get(node, "names")],
        [_typmod_of(m) for m in _get(node, "typmods") or ()],
        array_dims=len(_get(node, "arrayBounds") or ()),
        setof=bool(_get(node, "setof")),
        pct_type=bool(_get(node, "pct_type")),
    )


def canonical_type_name(node: Tree) -> Tree:
    """Type names by their canonical TypeRef: int/int4/integer, varchar/character varying,
    ``int[3]``/``int[]`` and ``pg_catalog.`` or not all give one tree (types.py)."""
    try:
        ref = type_from_tree(node)
    except ValueError:  # a typmod PostgreSQL itself would reject: leave the node as written
        return node
    return _type_tree(ref, node)


def _strip_pg_catalog(field: str) -> Rule:
    def rule(node: Tree) -> Tree:
        names = _get(node, field)
        if names and len(names) > 1 and names[0] == _PG_CATALOG:
            return _put(node, field, names[1:])
        return node

    rule.__name__ = f"strip_pg_catalog_{field}"
    return rule


# pg_dump (search_path = '') and ruleutils qualify a pg_catalog function, operator, collation or
# operator class only when another schema's object of that name could win, and the choice varied
# between versions; pg_catalog is searched first for an unqualified name ("The Schema Search
# Path").
strip_pg_catalog_funcname = _strip_pg_catalog("funcname")
strip_pg_catalog_operator = _strip_pg_catalog("name")
strip_pg_catalog_subquery_operator = _strip_pg_catalog("operName")
strip_pg_catalog_collation = _strip_pg_catalog("collname")
strip_pg_catalog_index_collation = _strip_pg_catalog("collation")
strip_pg_catalog_index_opclass = _strip_pg_catalog("opclass")


def explicit_call_format(node: Tree) -> Tree:
    """FuncCall.funcformat only records how to display a call (``EXTRACT(x FROM y)``,
    ``x AT TIME ZONE y``, ``SUBSTRING(a FROM b)`` vs plain calls): PostgreSQL 14 started
    printing COERCE_SQL_SYNTAX calls in SQL syntax where 13 printed ``timezone(y, x)``."""
    if _get(node, "funcformat") == "COERCE_SQL_SYNTAX":
        return _put(node, "funcformat", "COERCE_EXPLICIT_CALL")
    return node


# LIKE, ILIKE and SIMILAR TO are the ~~, ~~* and ~ operators (gram.y builds them with those
# names and parse analysis treats them as plain operators); ruleutils prints the operators.
_OPERATOR_KINDS = frozenset({"AEXPR_LIKE", "AEXPR_ILIKE", "AEXPR_SIMILAR"})


def like_as_operator(node: Tree) -> Tree:
    """``a LIKE b`` is ``a ~~ b``: one tree for both."""
    if _get(node, "kind") in _OPERATOR_KINDS:
        return _put(node, "kind", "AEXPR_OP")
    return node


def flatten_bool(node: Tree) -> Tree:
    """``a AND (b AND c)`` is ``a AND b AND c`` (AND and OR are associative in SQL's
    three-valued logic; the grammar only flattens the left-nested form)."""
    op = _get(node, "boolop")
    if op == "NOT_EXPR":
        return node
    args = _get(node, "args")
    if not any(arg[0] == "BoolExpr" and _get(arg, "boolop") == op for arg in args):
        return node
    flat: list[Tree] = []
    for arg in args:
        if arg[0] == "BoolExpr" and _get(arg, "boolop") == op:
            flat.extend(_get(arg, "args"))
        else:
            flat.append(arg)
    return _put(node, "args", tuple(flat))


_TEXT = _type_tree(TypeRef(None, "text"), ("TypeName", ()))
_VARCHAR = _type_tree(TypeRef(None, "character varying"), ("TypeName", ()))
_TEXT_ARRAY = _type_tree(TypeRef(None, "text", array_dims=1), ("TypeName", ()))


def _is_string_const(node: Tree) -> bool:
    return node[0] == "A_Const" and bool(node[1]) and node[1][0][0] == "sval"


def _cast(arg: Tree, type_name: Tree) -> Tree:
    return ("TypeCast", (("arg", arg), ("typeName", type_name)))


def varchar_literal_as_text(node: Tree) -> Tree:
    """``('a'::character varying)::text`` is ``'a'::text``: varchar without a length never
    changes a value and casts to text as a relabel. A dump/restore cycle turns
    ``(ARRAY['a'::character varying])::text[]`` into ``ARRAY[('a'::character varying)::text]``
    (checked on PostgreSQL 15: parse analysis pushes an array cast into ARRAY[] elements)."""
    arg = _get(node, "arg")
    if (
        _get(node, "typeName") == _TEXT
        and arg[0] == "TypeCast"
        and _get(arg, "typeName") == _VARCHAR
        and _is_string_const(_get(arg, "arg"))
        and len(arg[1]) == 2
    ):
        return _put(node, "arg", _get(arg, "arg"))
    return node


_REGCLASS = ("TypeName", (("names", (_string("pg_catalog"), _string("regclass"))), ("typemod", -1)))


def regclass_literal_quoting(node: Tree) -> Tree:
    """``'"public"."seq"'::regclass`` is ``'public.seq'::regclass``: the string is a relation
    name read with identifier rules, so quotes that are not needed do not change it
    (``pg_dump --quote-all-identifiers`` quotes them; regclass output quotes only as needed)."""
    if _get(node, "typeName") != _REGCLASS:
        return node
    arg = _get(node, "arg")
    if not _is_string_const(arg):
        return node
    text = _get(_get(arg, "sval"), "sval")
    parts = split_qualified_name(text, fold_case=True)
    if parts is None:
        return node
    normal = ".".join(quote_ident(p) for p in parts)
    if normal == text:
        return node
    return _put(node, "arg", ("A_Const", (("sval", _string(normal)),)))


def text_array_literal(node: Tree) -> Tree:
    """``(ARRAY['a'::character varying, 'b'])::text[]`` is ``ARRAY['a'::text, 'b'::text]``:
    the cast applies to each string literal (varchar without length, text or untyped), which
    then is text. This is how ``varchar_col IN ('a', 'b')`` is stored and printed."""
    arg = _get(node, "arg")
    if _get(node, "typeName") != _TEXT_ARRAY or arg[0] != "A_ArrayExpr":
        return node
    elements = _get(arg, "elements") or ()
    texts = []
    for element in elements:
        if _is_string_const(element):
            texts.append(_cast(element, _TEXT))
        elif (
            element[0] == "TypeCast"
            and _get(element, "typeName") in (_TEXT, _VARCHAR)
            and _is_string_const(_get(element, "arg"))
            and len(element[1]) == 2
        ):
            texts.append(_cast(_get(element, "arg"), _TEXT))
        else:
            return node
    if not texts:
        return node
    return _put(arg, "elements", tuple(texts))


#: The normalisation passes, in order; each is ``(node class, pure function of a node)`` and
#: runs on every node of that class once its children are canonical.
RULES: tuple[tuple[str, Rule], ...] = (
    ("TypeName", canonical_type_name),
    ("FuncCall", strip_pg_catalog_funcname),
    ("FuncCall", explicit_call_format),
    ("A_Expr", strip_pg_catalog_operator),
    ("A_Expr", like_as_operator),
    ("SubLink", strip_pg_catalog_subquery_operator),
    ("CollateClause", strip_pg_catalog_collation),
    ("IndexElem", strip_pg_catalog_index_collation),
    ("IndexElem", strip_pg_catalog_index_opclass),
    ("BoolExpr", flatten_bool),
    ("TypeCast", varchar_literal_as_text),
    ("TypeCast", text_array_literal),
    ("TypeCast", regclass_literal_quoting),
)


def _rules_by_node(rules: tuple[tuple[str, Rule], ...]) -> dict[str, tuple[Rule, ...]]:
    out: dict[str, tuple[Rule, ...]] = {}
    for name, rule in rules:
        out[name] = (*out.get(name, ()), rule)
    return out


_RULES_BY_NODE = _rules_by_node(RULES)


# --- Expr ------------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class Expr:
    """An expression (or statement) by its canonical tree; equality and hash use only the tree.

    >>> parse_expr("now()") == parse_expr("pg_catalog.now()")
    True
    >>> parse_expr("now()") == parse_expr("CURRENT_TIMESTAMP")
    False
    """

    tree: Tree
    # Caches, filled on first use; a frozen class sets them with object.__setattr__.
    _sql: str | None = attrs.field(default=None, init=False, repr=False)
    _hash: int | None = attrs.field(default=None, init=False, repr=False)

    @property
    def sql(self) -> str:
        """The tree printed as SQL, for display (computed once)."""
        if self._sql is None:
            object.__setattr__(self, "_sql", deparse(self.tree))
        return cast("str", self._sql)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expr):
            return NotImplemented
        return self is other or (hash(self) == hash(other) and self.tree == other.tree)

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(self.tree))
        return cast("int", self._hash)

    def __repr__(self) -> str:
        try:
            return f"Expr({self.sql!r})"
        except Exception:  # repr must not fail on a tree pglast cannot print
            return f"Expr(tree={self.tree!r})"


@contextlib.contextmanager
def sharing_trees() -> Iterator[None]:
    """Inside the block, trees built from JSON share one copy of every equal subtree.

    A dump repeats the same defaults, casts and checks thousands of times; sharing their
    (immutable) trees takes about a third off the memory a load keeps. The table of shared
    trees lives only as long as the block.
    """
    token = _SHARED_TREES.set({})
    try:
        yield
    finally:
        _SHARED_TREES.reset(token)


def expr_from_node(node: Any) -> Expr:
    """The :class:`Expr` of a JSON node (``{"FuncCall": {...}}``)."""
    return Expr(canonical(node))


def parse_expr(text: str) -> Expr:
    """Parse one SQL expression (handy for the API and tests).

    >>> parse_expr("'pending'::public.referral_status").sql
    "'pending'::public.referral_status"
    """
    try:
        stmts = json.loads(parse_sql_json(f"SELECT {text}"))["stmts"]
    except PglastParseError as exc:
        raise ParseError(f"not an expression: {text!r} ({exc.args[0]})", statement=text) from None
    select: dict[str, Any] = stmts[0]["stmt"].get("SelectStmt", {}) if len(stmts) == 1 else {}
    targets = select.get("targetList", ())
    # Anything but "SELECT <one expression>" (FROM, WHERE, a second column...) is refused.
    if len(targets) != 1 or set(select) != {"targetList", "limitOption", "op"}:
        raise ParseError(f"not a single expression: {text!r}", statement=text)
    return expr_from_node(targets[0]["ResTarget"]["val"])


# --- Run-time equivalence --------------------------------------------------------------------

# Before PostgreSQL 10 the grammar rewrote these SQL value functions into calls and casts, and
# pg_dump 9.6 prints those; 10 keeps them as SQLValueFunction nodes (gram.y, "func_expr_common_
# subexpr"). Each pair computes the same value: 'now' read at run time is the transaction start.
_RUNTIME_SPELLINGS = (
    ("CURRENT_TIMESTAMP", "now()"),
    ("transaction_timestamp()", "now()"),
    ("('now'::text)::timestamp with time zone", "now()"),
    ("CURRENT_DATE", "('now'::text)::date"),
    ("CURRENT_TIME", "('now'::text)::time with time zone"),
    ("LOCALTIME", "('now'::text)::time without time zone"),
    ("LOCALTIMESTAMP", "('now'::text)::timestamp without time zone"),
    *(
        (f"{func}({p})", f"('now'::text)::{word}({p}){zone}")
        for p in range(7)
        for func, word, zone in (
            ("CURRENT_TIMESTAMP", "timestamp", " with time zone"),
            ("CURRENT_TIME", "time", " with time zone"),
            ("LOCALTIMESTAMP", "timestamp", " without time zone"),
            ("LOCALTIME", "time", " without time zone"),
        )
    ),
    ("CURRENT_USER", '"current_user"()'),
    ("CURRENT_ROLE", '"current_user"()'),
    ("USER", '"current_user"()'),
    ("SESSION_USER", '"session_user"()'),
    ("CURRENT_CATALOG", "current_database()"),
    ("CURRENT_SCHEMA", '"current_schema"()'),
)
_RUNTIME_FORMS: dict[Tree, Tree] = {}
_RUNTIME_CLASSES = frozenset({"SQLValueFunction", "FuncCall", "TypeCast"})


def _runtime_forms() -> dict[Tree, Tree]:
    if not _RUNTIME_FORMS:
        for spelling, target in _RUNTIME_SPELLINGS:
            _RUNTIME_FORMS[parse_expr(spelling).tree] = parse_expr(target).tree
        for tree in set(_RUNTIME_FORMS.values()):
            _RUNTIME_FORMS.setdefault(tree, tree)
    return _RUNTIME_FORMS


def _runtime_tree(value: Any, forms: Mapping[Tree, Tree]) -> Any:
    if type(value) is not tuple or not value:
        return value
    if type(value[0]) is str:
        if value[0] in _RUNTIME_CLASSES and value in forms:
            return forms[value]
        return (value[0], tuple((k, _runtime_tree(v, forms)) for k, v in value[1]))
    return tuple(_runtime_tree(item, forms) for item in value)


def runtime_equivalent(a: Expr, b: Expr) -> bool:
    """True when ``a`` and ``b`` compute the same value whenever they run, though written
    differently: ``now()``, ``CURRENT_TIMESTAMP`` and ``transaction_timestamp()``;
    ``CURRENT_DATE`` and pg_dump 9.6's ``('now'::text)::date``; ``CURRENT_USER`` and
    ``"current_user"()``... anywhere inside the expressions.

    >>> runtime_equivalent(parse_expr("now()"), parse_expr("CURRENT_TIMESTAMP"))
    True
    >>> runtime_equivalent(parse_expr("now()"), parse_expr("clock_timestamp()"))
    False
    """
    if a == b:
        return True
    forms = _runtime_forms()
    return bool(_runtime_tree(a.tree, forms) == _runtime_tree(b.tree, forms))


# --- Tree -> JSON and pglast AST; display ----------------------------------------------------


def to_json(tree: Tree) -> Any:
    """The libpg_query JSON of a tree (a wrapped node; a tuple of trees gives a list)."""
    if tree and type(tree[0]) is not str:
        return [to_json(item) for item in tree]
    return {tree[0]: _json_body(tree)}


def _json_body(node: Tree) -> dict[str, Any]:
    name, pairs = node
    bare = _BARE.get(name, {})
    body: dict[str, Any] = {}
    for key, value in pairs:
        if type(value) is not tuple:
            body[key] = value
        elif value and type(value[0]) is str:
            body[key] = _json_body(value) if key in bare else {value[0]: _json_body(value)}
        else:
            body[key] = [{} if item is None else {item[0]: _json_body(item)} for item in value]
    return body


# Functions named by a column-name keyword can only be called qualified (or quoted), and pglast
# prints pg_catalog's SQL-syntax functions (EXTRACT, SUBSTRING, AT TIME ZONE...) only qualified.
_QUALIFY_FOR_DISPLAY = frozenset(COL_NAME_KEYWORDS) | frozenset(
    name.split(".", 1)[1] for name in SPECIAL_FUNCTIONS if name.startswith("pg_catalog.")
)


def _pglast_data(node: Tree) -> Any:
    """pglast's serialised form (``{'@': 'A_Expr', ...}``) of a tree node."""
    name, pairs = node
    if name == "List":
        return _pglast_value(_get(node, "items")) or ()
    data: dict[str, Any] = {"@": name}
    renamed = _RENAMED.get(name, {})
    for key, value in pairs:
        data[renamed.get(key, key)] = _pglast_value(value)
    for key, default in _DEFAULTS[name]:
        data.setdefault(key, default)
    if name == "A_Const":
        for key in ("ival", "sval", "fval", "boolval", "bsval"):
            if key in data:
                data["val"] = data.pop(key)
        data.setdefault("isnull", False)
    elif name == "FuncCall":
        _display_funcname(data)
    elif name == "CreateEnumStmt":
        data.setdefault("vals", ())  # pglast cannot print an enum without labels otherwise
    return data


def _pglast_value(value: Any) -> Any:
    if type(value) is not tuple:
        return value
    if not value:
        return None
    if type(value[0]) is str:
        return _pglast_data(value)
    return tuple(_pglast_value(item) for item in value)


def _display_funcname(data: dict[str, Any]) -> None:
    funcname: Any = data.get("funcname") or ()
    if len(funcname) != 1 or funcname[0]["sval"] not in _QUALIFY_FOR_DISPLAY:
        return
    name = funcname[0]["sval"]
    data["funcname"] = ({"@": "String", "sval": "pg_catalog"}, funcname[0])
    args: Any = data.get("args") or ()
    # pglast prints EXTRACT and POSITION in SQL syntax only for calls parsed from it.
    field_first = (
        len(args) == 2
        and args[0]["@"] == "A_Const"
        and (args[0].get("val") or {}).get("@") == "String"
    )
    if (name == "position" and len(args) == 2) or (name == "extract" and field_first):
        data["funcformat"] = "COERCE_SQL_SYNTAX"


def _to_ast(tree: Tree) -> ast.Node:
    data = _pglast_data(tree)
    if isinstance(data, tuple):
        raise TypeError("a bare List cannot be printed")
    return _CLASSES[data["@"]](data)


class _DisplayStream(RawStream):
    """pglast's printer, with casts as ``x::type`` and types as format_type() prints them."""

    def __init__(self) -> None:
        super().__init__(special_functions=True)

    def print_node(self, node: Any, is_name: bool = False, is_symbol: bool = False) -> None:
        if isinstance(node, ast.TypeName):
            self.write(str(_type_from_ast(node)))
            self.separator()
        elif isinstance(node, ast.TypeCast) and not _has_context_printer(node):
            self._print_cast(node)
            self.separator()
        else:
            super().print_node(node, is_name, is_symbol)

    def print_c_expr(self, node: Any) -> None:
        # A cast printed as x::type is a b_expr, not a c_expr: it needs parentheses there.
        if isinstance(node, ast.TypeCast):
            with self.expression(True):
                self.print_node(node)
        else:
            super().print_c_expr(node)

    def _print_cast(self, node: ast.TypeCast) -> None:
        arg = node.arg
        if _is_negative_number(arg):
            # -1::integer would read back as -(1::integer): :: binds tighter than unary minus.
            with self.expression(True):
                self.print_node(arg)
        elif arg is not None:
            self.print_operand(arg, ExprPrec.ATOM, Side.LEFT)
        self.write("::")
        self.print_node(node.typeName)


def _has_context_printer(node: ast.Node) -> bool:
    # pglast spells a cast differently in a few places (SET TIME ZONE INTERVAL '1' HOUR, CYCLE
    # ... SET col TO value): keep its printer there.
    parent = abs(node.ancestors)
    return parent is not None and (type(parent.node), type(node)) in NODE_PRINTERS


def _is_negative_number(node: Any) -> bool:
    if not isinstance(node, ast.A_Const) or node.isnull:
        return False
    value = node.val
    if isinstance(value, ast.Integer):
        return (value.ival or 0) < 0
    return isinstance(value, ast.Float) and str(value.fval).startswith("-")


def _type_from_ast(node: ast.TypeName) -> TypeRef:
    mods: list[int | str] = []
    for mod in node.typmods or ():
        if isinstance(mod, ast.A_Const):
            value = mod.val
            if isinstance(value, ast.Integer):
                mods.append(value.ival or 0)
            elif isinstance(value, ast.String):
                mods.append(str(value.sval))
            elif isinstance(value, ast.Float):
                mods.append(str(value.fval))
        elif isinstance(mod, ast.ColumnRef) and mod.fields:
            mods.append(str(mod.fields[0].sval))
    return type_from_parts(
        [str(n.sval) for n in node.names or ()],
        mods,
        array_dims=len(node.arrayBounds or ()),
        setof=bool(node.setof),
        pct_type=bool(node.pct_type),
    )


def deparse(node_or_tree: Any) -> str:
    """SQL text for a JSON node or a canonical tree, for display.

    A JSON node is printed as written (no normalisation); a tree as it stands.

    >>> deparse(parse_expr("'x'::varchar(3) || 'y'").tree)
    "'x'::character varying(3) || 'y'"
    """
    tree = node_or_tree
    if not isinstance(node_or_tree, tuple):
        tree = _raw_tree(node_or_tree)
    if tree and type(tree[0]) is not str:
        return "; ".join(deparse(item) for item in tree)
    # pglast's printer spends several frames per level of the tree.
    with recursion_room():
        return str(_DisplayStream()(_to_ast(tree)))


def walk(tree: Tree) -> Iterator[Tree]:
    """Every node of a tree, parents before children."""
    stack: list[Any] = [tree]
    while stack:
        value = stack.pop()
        if type(value) is not tuple or not value:
            continue
        if type(value[0]) is str:
            yield value
            stack.extend(v for _, v in reversed(value[1]))
        else:
            stack.extend(reversed(value))


def output_names(query: Expr) -> tuple[str, ...] | None:
    """The output column names of a SELECT, as PostgreSQL names them (FigureColname), or None
    when they cannot be read off the query (``SELECT *``, an unusual target).

    >>> output_names(parse_expr("(SELECT a, b AS c, lower(d), e::text FROM t)"))
    ('a', 'c', 'lower', 'e')
    """
    node = query.tree
    if node[0] == "SubLink":
        node = _get(node, "subselect")
    while node is not None and node[0] == "SelectStmt" and _get(node, "larg") is not None:
        node = _get(node, "larg")  # UNION/INTERSECT/EXCEPT take the left side's names
    if node is None or node[0] != "SelectStmt":
        return None
    names = []
    for target in _get(node, "targetList") or ():
        if target[0] != "ResTarget":
            return None
        name = _get(target, "name") or _figure_name(_get(target, "val"))
        if name is None:
            return None
        names.append(name)
    return tuple(names)


def _figure_name(node: Any) -> str | None:
    """PostgreSQL's FigureColname for the common cases; None where it would need more."""
    if not isinstance(node, tuple) or not node:
        return None
    kind = node[0]
    if kind == "ColumnRef":
        last = (_get(node, "fields") or ((None,),))[-1]
        return None if last[0] == "A_Star" else _get(last, "sval")
    if kind == "FuncCall":
        names: tuple[Tree, ...] = _get(node, "funcname") or ()
        return str(_get(names[-1], "sval")) if names else None
    if kind == "TypeCast":
        inner = _figure_name(_get(node, "arg"))
        if inner is not None:
            return inner
        return type_from_tree(_get(node, "typeName")).name
    if kind == "CaseExpr":
        return "case"
    if kind == "CoalesceExpr":
        return "coalesce"
    if kind in {"A_Expr", "A_Const", "BoolExpr"}:
        return "?column?"
    return None
