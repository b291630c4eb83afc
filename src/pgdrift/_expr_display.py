"""Printing canonical trees as SQL, for display only (reports, messages, migration text).

pglast's printer, with casts written ``x::type`` and types named as PostgreSQL's format_type()
names them. Comparison never looks at this text: :class:`pgdrift.expr.Expr` compares trees.
"""

from __future__ import annotations

from typing import Any

from pglast import ast
from pglast.keywords import COL_NAME_KEYWORDS
from pglast.precedence import ExprPrec, Side
from pglast.printers import NODE_PRINTERS, SPECIAL_FUNCTIONS
from pglast.stream import RawStream

from pgdrift._expr_tree import Tree, get_field, node_classes, node_slots, tree_from_json
from pgdrift._nesting import recursion_room
from pgdrift.types import TypeRef, type_from_parts

__all__ = ["deparse"]


# --- What the tree leaves out that pglast's printers expect ----------------------------------


def _defaults() -> dict[str, tuple[tuple[str, Any], ...]]:
    # libpg_query omits zero, false and empty values; pglast's printers expect them set.
    out: dict[str, tuple[tuple[str, Any], ...]] = {}
    for name, slots in node_slots().items():
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
    for name, slots in node_slots().items()
    if any(field.endswith("_") for field in slots)
}


# --- Tree -> pglast AST ----------------------------------------------------------------------

# Functions named by a column-name keyword can only be called qualified (or quoted), and pglast
# prints pg_catalog's SQL-syntax functions (EXTRACT, SUBSTRING, AT TIME ZONE...) only qualified.
_QUALIFY_FOR_DISPLAY = frozenset(COL_NAME_KEYWORDS) | frozenset(
    name.split(".", 1)[1] for name in SPECIAL_FUNCTIONS if name.startswith("pg_catalog.")
)


def _pglast_data(node: Tree) -> Any:
    """pglast's serialised form (``{'@': 'A_Expr', ...}``) of a tree node."""
    name, pairs = node
    if name == "List":
        return _pglast_value(get_field(node, "items")) or ()
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
    return node_classes()[data["@"]](data)


# --- Printing --------------------------------------------------------------------------------


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

    >>> from pgdrift.expr import parse_expr
    >>> deparse(parse_expr("'x'::varchar(3) || 'y'").tree)
    "'x'::character varying(3) || 'y'"
    """
    tree = node_or_tree
    if not isinstance(node_or_tree, tuple):
        tree = tree_from_json(node_or_tree, {})  # no normalisation: print what was written
    if tree and type(tree[0]) is not str:
        return "; ".join(deparse(item) for item in tree)
    # pglast's printer spends several frames per level of the tree.
    with recursion_room():
        return str(_DisplayStream()(_to_ast(tree)))
