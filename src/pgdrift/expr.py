"""Expressions compared by meaning, deparsed only for display.

:func:`canonical` turns libpg_query's JSON for any node (an expression or a whole statement) into
a hashable tree of tuples with every source position dropped (the tree's shape is described in
:mod:`pgdrift._expr_tree`), then normalises the spellings that different pg_dump versions (or a
dump/restore cycle) print for the same expression. Parentheses and whitespace never reach the
tree, so they cannot make two expressions differ. :class:`Expr` wraps a tree: equal trees, equal
expressions; ``.sql`` prints it back for people to read (:mod:`pgdrift._expr_display`).

>>> from pgdrift.expr import parse_expr
>>> parse_expr("pg_catalog.lower((name)::text)") == parse_expr("lower(name::text)")
True
>>> parse_expr("(amount > 0)").sql
'amount > 0'
"""

from __future__ import annotations

import json
import marshal
from typing import TYPE_CHECKING, Any, cast

import attrs

from pgdrift._expr_tree import (
    SHARED_RESULTS,
    Rule,
    Tree,
    get_field,
    recording_rules,
    sharing_trees,
    to_json,
    tree_from_json,
    walk,
)
from pgdrift.errors import ParseError
from pgdrift.pg.quoting import split_qualified_name
from pgdrift.types import OID_ALIASES, TypeRef, quote_ident, type_from_parts

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "RULES",
    "Expr",
    "Rule",
    "Tree",
    "canonical",
    "deparse",
    "expr_from_node",
    "parse_expr",
    "runtime_equivalent",
    "sharing_trees",
    "to_json",
    "type_from_tree",
    "walk",
]


def deparse(node_or_tree: Any) -> str:
    """SQL text for a JSON node or a canonical tree, for display; a JSON node is printed as
    written (no normalisation), a tree as it stands.

    The printer, and pglast's printers beneath it, are imported on the first call: a run that
    shows no expression (a warm diff answered by the schema cache, a quiet diff) never loads them.
    """
    from pgdrift._expr_display import deparse as display  # noqa: PLC0415

    return display(node_or_tree)


# --- Normalisation rules ---------------------------------------------------------------------


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
        get_field(node, "names")
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
        (field,) = get_field(item, "fields")
        return str(get_field(field, "sval"))
    raise ValueError(f"unsupported type modifier {item!r}")


def type_from_tree(node: Tree) -> TypeRef:
    """The :class:`TypeRef` of a TypeName tree."""
    return type_from_parts(
        [str(get_field(n, "sval")) for n in get_field(node, "names")],
        [_typmod_of(m) for m in get_field(node, "typmods") or ()],
        array_dims=len(get_field(node, "arrayBounds") or ()),
        setof=bool(get_field(node, "setof")),
        pct_type=bool(get_field(node, "pct_type")),
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
        names = get_field(node, field)
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
    if get_field(node, "funcformat") == "COERCE_SQL_SYNTAX":
        return _put(node, "funcformat", "COERCE_EXPLICIT_CALL")
    return node


# LIKE, ILIKE and SIMILAR TO are the ~~, ~~* and ~ operators (gram.y builds them with those
# names and parse analysis treats them as plain operators); ruleutils prints the operators.
_OPERATOR_KINDS = frozenset({"AEXPR_LIKE", "AEXPR_ILIKE", "AEXPR_SIMILAR"})


def like_as_operator(node: Tree) -> Tree:
    """``a LIKE b`` is ``a ~~ b``: one tree for both."""
    if get_field(node, "kind") in _OPERATOR_KINDS:
        return _put(node, "kind", "AEXPR_OP")
    return node


def flatten_bool(node: Tree) -> Tree:
    """``a AND (b AND c)`` is ``a AND b AND c`` (AND and OR are associative in SQL's
    three-valued logic; the grammar only flattens the left-nested form)."""
    op = get_field(node, "boolop")
    if op == "NOT_EXPR":
        return node
    args = get_field(node, "args")
    if not any(arg[0] == "BoolExpr" and get_field(arg, "boolop") == op for arg in args):
        return node
    flat: list[Tree] = []
    for arg in args:
        if arg[0] == "BoolExpr" and get_field(arg, "boolop") == op:
            flat.extend(get_field(arg, "args"))
        else:
            flat.append(arg)
    return _put(node, "args", tuple(flat))


_TEXT = _type_tree(TypeRef(None, "text"), ("TypeName", ()))
_VARCHAR = _type_tree(TypeRef(None, "character varying"), ("TypeName", ()))
_TEXT_ARRAY = _type_tree(TypeRef(None, "text", array_dims=1), ("TypeName", ()))
#: The array type a stored ARRAY of casts is cast to -> (its element type, the casts' types
#: whose elements parse analysis coerces one by one when the form is read back).
_PUSHED_ARRAY_CASTS = {
    _type_tree(TypeRef(None, array, array_dims=1), ("TypeName", ())): (
        _type_tree(TypeRef(None, array), ("TypeName", ())),
        frozenset(_type_tree(TypeRef(None, name), ("TypeName", ())) for name in elements),
    )
    for array, elements in (("inet", frozenset({"cidr"})), ("oid", OID_ALIASES))
}


def _is_string_const(node: Tree) -> bool:
    return node[0] == "A_Const" and bool(node[1]) and node[1][0][0] == "sval"


def _cast(arg: Tree, type_name: Tree) -> Tree:
    return ("TypeCast", (("arg", arg), ("typeName", type_name)))


def varchar_literal_as_text(node: Tree) -> Tree:
    """``('a'::character varying)::text`` is ``'a'::text``: varchar without a length never
    changes a value and casts to text as a relabel. A dump/restore cycle turns
    ``(ARRAY['a'::character varying])::text[]`` into ``ARRAY[('a'::character varying)::text]``
    (checked on PostgreSQL 15: parse analysis pushes an array cast into ARRAY[] elements)."""
    arg = get_field(node, "arg")
    if (
        get_field(node, "typeName") == _TEXT
        and arg[0] == "TypeCast"
        and get_field(arg, "typeName") == _VARCHAR
        and _is_string_const(get_field(arg, "arg"))
        and len(arg[1]) == 2
    ):
        return _put(node, "arg", get_field(arg, "arg"))
    return node


_REGCLASS = ("TypeName", (("names", (_string("pg_catalog"), _string("regclass"))), ("typemod", -1)))


def regclass_literal_quoting(node: Tree) -> Tree:
    """``'"public"."seq"'::regclass`` is ``'public.seq'::regclass``: the string is a relation
    name read with identifier rules, so quotes that are not needed do not change it
    (``pg_dump --quote-all-identifiers`` quotes them; regclass output quotes only as needed)."""
    if get_field(node, "typeName") != _REGCLASS:
        return node
    arg = get_field(node, "arg")
    if not _is_string_const(arg):
        return node
    text = get_field(get_field(arg, "sval"), "sval")
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
    arg = get_field(node, "arg")
    if get_field(node, "typeName") != _TEXT_ARRAY or arg[0] != "A_ArrayExpr":
        return node
    elements = get_field(arg, "elements") or ()
    texts = []
    for element in elements:
        if _is_string_const(element):
            texts.append(_cast(element, _TEXT))
        elif (
            element[0] == "TypeCast"
            and get_field(element, "typeName") in (_TEXT, _VARCHAR)
            and _is_string_const(get_field(element, "arg"))
            and len(element[1]) == 2
        ):
            texts.append(_cast(get_field(element, "arg"), _TEXT))
        else:
            return node
    if not texts:
        return node
    return _put(arg, "elements", tuple(texts))


def pushed_array_cast(node: Tree) -> Tree:
    """``(ARRAY['a'::cidr])::inet[]`` (how ``cidr_col IN ('a', 'b')`` is stored) is
    ``ARRAY[('a'::cidr)::inet]``, and ``(ARRAY['t'::regclass])::oid[]`` (``oid_col = ANY
    (ARRAY['t'::regclass])``) is ``ARRAY[('t'::regclass)::oid]``: restoring it, parse analysis
    pushes the array cast into the ARRAY[] elements (checked on PostgreSQL 15)."""
    pushed = _PUSHED_ARRAY_CASTS.get(get_field(node, "typeName"))
    arg = get_field(node, "arg")
    if pushed is None or arg[0] != "A_ArrayExpr":
        return node
    element_type, casts = pushed
    elements = get_field(arg, "elements") or ()
    for element in elements:
        if not (
            element[0] == "TypeCast"
            and get_field(element, "typeName") in casts
            and _is_string_const(get_field(element, "arg"))
            and len(element[1]) == 2
        ):
            return node
    if not elements:
        return node
    return _put(arg, "elements", tuple(_cast(element, element_type) for element in elements))


def grouping_column_list(node: Tree) -> Tree:
    """A set of columns in GROUPING SETS, ROLLUP or CUBE, kept as a ``List`` by the builder
    (:mod:`pgdrift.builder.grouping_sets`), is the row ``(a, b)`` pg_get_viewdef prints for it;
    a set of one column is printed ``(a)``, the column itself."""
    content = get_field(node, "content")
    if not content or not any(item[0] == "List" for item in content):
        return node
    return _put(node, "content", tuple(_column_set(item) for item in content))


def _column_set(item: Tree) -> Tree:
    if item[0] != "List":
        return item
    columns: tuple[Tree, ...] = get_field(item, "items") or ()
    if len(columns) == 1:
        return columns[0]
    return ("RowExpr", (("args", columns), ("row_format", "COERCE_IMPLICIT_CAST")))


def sort_defaults(node: Tree) -> Tree:
    """``ORDER BY x ASC`` is ``ORDER BY x``, and NULLS LAST after ASC (NULLS FIRST after DESC)
    is the default placement: ruleutils prints neither (get_rule_orderby)."""
    direction = get_field(node, "sortby_dir")
    if direction == "SORTBY_ASC":
        node = _put(node, "sortby_dir", "SORTBY_DEFAULT")
        direction = "SORTBY_DEFAULT"
    placement = (direction, get_field(node, "sortby_nulls"))
    if placement in (
        ("SORTBY_DEFAULT", "SORTBY_NULLS_LAST"), ("SORTBY_DESC", "SORTBY_NULLS_FIRST")
    ):
        node = _put(node, "sortby_nulls", "SORTBY_NULLS_DEFAULT")
    return node


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
    ("TypeCast", pushed_array_cast),
    ("TypeCast", regclass_literal_quoting),
    ("GroupingSet", grouping_column_list),
    ("SortBy", sort_defaults),
)


def _rules_by_node(rules: tuple[tuple[str, Rule], ...]) -> dict[str, tuple[Rule, ...]]:
    out: dict[str, tuple[Rule, ...]] = {}
    for name, rule in rules:
        out[name] = (*out.get(name, ()), rule)
    return out


_RULES_BY_NODE = _rules_by_node(RULES)


# --- Canonical trees -------------------------------------------------------------------------


def canonical(node: Any) -> Tree:
    """The canonical tree of a JSON node (``{"A_Expr": {...}}``, a parse result's
    ``{"stmt": ...}`` entry, or a list of nodes): positions dropped, :data:`RULES` applied.

    >>> from pglast.parser import parse_sql_json
    >>> canonical(json.loads(parse_sql_json("SELECT 1"))["stmts"][0])[0]
    'SelectStmt'
    """
    return tree_from_json(node, _RULES_BY_NODE)


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
    #: Names of the normalisation rules (:data:`RULES`) that changed the tree as written: two
    #: equal expressions written in different forms were made equal by these (reported as
    #: "treated as equal", :mod:`pgdrift.pg.equivalences`). Not part of equality.
    forms: frozenset[str] = attrs.field(default=frozenset(), repr=False)
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


def expr_from_node(node: Any) -> Expr:
    """The :class:`Expr` of a JSON node (``{"FuncCall": {...}}``)."""
    # While a load runs (sharing_trees), a node read before is not converted again: a dump
    # writes the same defaults and checks thousands of times (2,536 distinct nodes among the
    # 37,545 expressions of the 5,000-table benchmark dump). The key is the node as it is now,
    # locations and any change a builder made to it included, and an Expr is immutable: the
    # result is the same. marshal writes it three times faster than repr; equal bytes are
    # equal values of the same types (a list is not a tuple), though equal values may marshal
    # apart (its back-references follow how objects are shared), which only misses a reuse.
    shared = SHARED_RESULTS.get()
    key = b""
    if shared is not None:
        try:
            key = marshal.dumps(node)
        except ValueError:  # a value marshal cannot write: converted, not shared
            shared = None
        else:
            found = shared.get(key)
            if found is not None:
                return cast("Expr", found)
    with recording_rules() as applied:
        tree = canonical(node)
    forms = frozenset(applied)
    # A few distinct sets for every expression of a load: keep one copy of each.
    expr = Expr(tree, _FORM_SETS.setdefault(forms, forms))
    if shared is not None:
        shared[key] = expr
    return expr


_FORM_SETS: dict[frozenset[str], frozenset[str]] = {}


def parse_expr(text: str) -> Expr:
    """Parse one SQL expression (handy for the API and tests).

    >>> parse_expr("'pending'::public.referral_status").sql
    "'pending'::public.referral_status"
    """
    # pglast's parser is imported here, not with the module: see pgdrift._expr_tree.
    from pglast.parser import ParseError as PglastParseError  # noqa: PLC0415
    from pglast.parser import parse_sql_json  # noqa: PLC0415

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
# Every spelling above that is rewritten holds a SQLValueFunction or one of these strings
# (tests/test_expr.py pins it): an expression without any is its own run-time form, known
# without parsing the spellings (nor importing pglast, which a diff from the cache avoids).
_RUNTIME_WORDS = frozenset({"now", "transaction_timestamp"})


def _rewritable(tree: Tree) -> bool:
    """Whether some part of ``tree`` may be one of the rewritten spellings."""
    for node in walk(tree):
        name = node[0]
        if name == "SQLValueFunction" or (
            name == "String" and get_field(node, "sval") in _RUNTIME_WORDS
        ):
            return True
    return False


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
    if not (_rewritable(a.tree) or _rewritable(b.tree)):
        return False
    forms = _runtime_forms()
    return bool(_runtime_tree(a.tree, forms) == _runtime_tree(b.tree, forms))


# --- Output column names ---------------------------------------------------------------------


def output_names(query: Expr) -> tuple[str, ...] | None:
    """The output column names of a SELECT, as PostgreSQL names them (FigureColname), or None
    when they cannot be read off the query (``SELECT *``, an unusual target).

    >>> output_names(parse_expr("(SELECT a, b AS c, lower(d), e::text FROM t)"))
    ('a', 'c', 'lower', 'e')
    """
    node = query.tree
    if node[0] == "SubLink":
        node = get_field(node, "subselect")
    while node is not None and node[0] == "SelectStmt" and get_field(node, "larg") is not None:
        node = get_field(node, "larg")  # UNION/INTERSECT/EXCEPT take the left side's names
    if node is None or node[0] != "SelectStmt":
        return None
    names = []
    for target in get_field(node, "targetList") or ():
        if target[0] != "ResTarget":
            return None
        name = get_field(target, "name") or _figure_name(get_field(target, "val"))
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
        last = (get_field(node, "fields") or ((None,),))[-1]
        return None if last[0] == "A_Star" else get_field(last, "sval")
    if kind == "FuncCall":
        names: tuple[Tree, ...] = get_field(node, "funcname") or ()
        return str(get_field(names[-1], "sval")) if names else None
    if kind == "TypeCast":
        inner = _figure_name(get_field(node, "arg"))
        if inner is not None:
            return inner
        return type_from_tree(get_field(node, "typeName")).name
    if kind == "CaseExpr":
        return "case"
    if kind == "CoalesceExpr":
        return "coalesce"
    if kind in {"A_Expr", "A_Const", "BoolExpr"}:
        return "?column?"
    return None
