"""SQL clauses several statement builders write: option lists, collations, sequence options,
``SET`` settings, expressions in parentheses."""

from __future__ import annotations

import functools
import re
from typing import Any

from pglast.printers import SPECIAL_FUNCTIONS

from pgdrift import model
from pgdrift.expr import Expr, type_from_tree
from pgdrift.pg.quoting import quote_ident, quote_literal

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")
_WORD = re.compile(r"[a-z_][a-z0-9_]*\Z")
# Settings whose value is a list (GUC_LIST_INPUT): the model joins the items with ", ".
_LIST_SETTINGS = frozenset({"search_path", "temp_tablespaces", "session_preload_libraries",
                            "shared_preload_libraries", "local_preload_libraries"})  # fmt: skip


def dotted(text: str) -> str:
    """A qualified name kept as ``schema.name`` text (collations, operator classes), quoted
    part by part: ``pg_catalog.default`` is ``pg_catalog."default"``."""
    return ".".join(quote_ident(part) for part in text.split("."))


def collate(collation: str | None) -> str:
    return f" COLLATE {dotted(collation)}" if collation else ""


@functools.lru_cache(maxsize=1 << 16)
def sql(expr: Expr) -> str:
    """An expression's SQL, printed once per distinct expression (defaults such as ``now()``
    or ``0`` repeat across thousands of tables); constants, column references and casts of
    constants, the bulk of defaults, are printed here without going through pglast."""
    simple = _simple_sql(expr.tree)
    return simple if simple is not None else expr.sql


def _simple_sql(tree: Any) -> str | None:
    name, fields = tree[0], dict(tree[1])
    if name == "A_Const":
        if fields.get("isnull"):
            return "NULL"
        if not tree[1]:
            return "0"  # libpg_query leaves out an integer 0
        key, value = tree[1][0]
        inner = dict(value[1]) if isinstance(value, tuple) and len(value) == 2 else {}
        if key == "ival":
            return str(inner.get("ival", 0))
        if key == "sval":
            return quote_literal(str(inner.get("sval", "")))
        if key == "boolval":
            return "true" if inner.get("boolval") else "false"
        return None
    if name == "ColumnRef":
        parts = fields.get("fields") or ()
        if parts and all(p[0] == "String" for p in parts):
            return ".".join(quote_ident(str(dict(p[1]).get("sval", ""))) for p in parts)
        return None
    if name == "TypeCast":
        arg = fields.get("arg")
        if arg is not None and arg[0] == "A_Const" and dict(arg[1]).get("sval") is not None:
            literal = _simple_sql(arg)
            type_node = fields.get("typeName")
            if literal is not None and type_node is not None:
                return f"{literal}::{type_from_tree(type_node)}"
        return None
    return None


def paren(expr: Expr) -> str:
    return f"({sql(expr)})"


# Functions pglast prints in SQL syntax (``x AT TIME ZONE y``, ``SUBSTRING(a FROM b)``...).
_SQL_SYNTAX_CALLS = frozenset(name.rpartition(".")[2] for name in SPECIAL_FUNCTIONS)
_BARE_NODES = frozenset({"A_Const", "ColumnRef", "SQLValueFunction", "ParamRef"})


def b_expr(expr: Expr) -> str:
    """An expression where the grammar takes only a ``b_expr`` (``DEFAULT`` in CREATE TABLE
    and CREATE DOMAIN): in parentheses unless it is a constant, a cast constant or a plain
    function call, since ``now() AT TIME ZONE 'utc'`` or ``a + b IS NULL`` do not parse there
    bare (docs: CREATE TABLE, "DEFAULT default_expr")."""
    tree = expr.tree
    name = tree[0] if tree and isinstance(tree[0], str) else ""
    fields = dict(tree[1]) if name else {}
    if name in _BARE_NODES:
        return sql(expr)
    if name == "TypeCast" and fields.get("arg", ("",))[0] == "A_Const":
        return sql(expr)
    if is_plain_call(expr):
        return sql(expr)
    return paren(expr)


def is_plain_call(expr: Expr) -> bool:
    """A function call printed as ``name(args)``: no window, no SQL-syntax form."""
    tree = expr.tree
    if not tree or tree[0] != "FuncCall":
        return False
    fields = dict(tree[1])
    parts = fields.get("funcname", ())
    last = dict(parts[-1][1]).get("sval", "") if parts else ""
    return last not in _SQL_SYNTAX_CALLS and not fields.get("over")


def index_expression(expr: Expr) -> str:
    """An expression key of an index: a plain function call may stand bare, anything else
    needs parentheses (docs: CREATE INDEX, "expression")."""
    return sql(expr) if is_plain_call(expr) else paren(expr)


def storage_options(options: model.Options) -> str:
    """``name='value', flag`` for ``WITH (...)`` and ``SET (...)``: values are literals, which
    PostgreSQL accepts for every reloption (docs: CREATE TABLE, "Storage Parameters")."""
    parts = []
    for name, value in options:
        key = ".".join(quote_ident(p) for p in name.split("."))
        parts.append(key if value is None else f"{key}={_option_value(value)}")
    return ", ".join(parts)


def _option_value(value: str) -> str:
    if _NUMBER.match(value) or _WORD.match(value):
        return value
    return quote_literal(value)


def with_options(options: model.Options) -> str:
    return f" WITH ({storage_options(options)})" if options else ""


def fdw_options(options: model.Options) -> str:
    """``OPTIONS (key 'value', ...)`` of foreign-data objects."""
    if not options:
        return ""
    items = ", ".join(f"{quote_ident(k)} {quote_literal(v or '')}" for k, v in options)
    return f" OPTIONS ({items})"


def fdw_option_changes(old: model.Options, new: model.Options) -> str | None:
    """``OPTIONS (SET k 'v', ADD k 'v', DROP k)`` turning ``old`` into ``new``, or None."""
    before, after = dict(old), dict(new)
    items = []
    for key in sorted(before.keys() | after.keys()):
        if key not in after:
            items.append(f"DROP {quote_ident(key)}")
        elif key not in before:
            items.append(f"ADD {quote_ident(key)} {quote_literal(after[key] or '')}")
        elif before[key] != after[key]:
            items.append(f"SET {quote_ident(key)} {quote_literal(after[key] or '')}")
    return f"OPTIONS ({', '.join(items)})" if items else None


def sequence_options(
    options: model.SequenceOptions, *, for_alter: bool = False, identity_alter: bool = False
) -> list[str]:
    """The parameters of ``CREATE SEQUENCE`` (or identity) that differ from the defaults; for
    ALTER, every parameter, since the old value must be overwritten. ``identity_alter`` leaves
    out what ``ALTER COLUMN ... SET`` cannot take: the data type (the column's) and the start
    (set on its own, only when it changes)."""
    parts = []
    if options.data_type is not None and not identity_alter:
        parts.append(f"AS {options.data_type}")
    if options.increment != 1 or for_alter:
        parts.append(f"INCREMENT BY {options.increment}")
    if options.min_value is not None:
        parts.append(f"MINVALUE {options.min_value}")
    elif for_alter:
        parts.append("NO MINVALUE")
    if options.max_value is not None:
        parts.append(f"MAXVALUE {options.max_value}")
    elif for_alter:
        parts.append("NO MAXVALUE")
    if options.start is not None and not identity_alter:
        parts.append(f"START WITH {options.start}")
    if options.cache != 1 or for_alter:
        parts.append(f"CACHE {options.cache}")
    if options.cycle:
        parts.append("CYCLE")
    elif for_alter:
        parts.append("NO CYCLE")
    return parts


def setting(name: str, value: str | None) -> str:
    """``SET name TO value`` of a routine or role; ``FROM CURRENT`` when value is None."""
    if value is None:
        return f"SET {quote_ident(name)} FROM CURRENT"
    if name in _LIST_SETTINGS:
        items = [item.strip() for item in value.split(",")] if value.strip() else [""]
        return f"SET {quote_ident(name)} TO {', '.join(quote_literal(i) for i in items)}"
    return f"SET {quote_ident(name)} TO {quote_literal(value)}"
