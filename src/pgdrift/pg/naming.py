"""The names PostgreSQL gives objects the DDL leaves unnamed.

An unnamed PRIMARY KEY, UNIQUE, EXCLUDE, CHECK or FOREIGN KEY constraint, an unnamed index
and a serial column's sequence are named ``table[_columns]_label``, cut to fit 63 bytes
(the longer part first, at a character boundary) and, if the name is taken, given a number
after the label (``t_a_key1``). This is PostgreSQL 15's ``makeObjectName``,
``ChooseRelationName``, ``ChooseConstraintName`` and ``ChooseIndexColumnNames``
(src/backend/commands/indexcmds.c, catalog/pg_constraint.c, parser/parse_target.c), written
from their documented behaviour.

>>> choose_name("orders", "customer_id", "fkey")
'orders_customer_id_fkey'
>>> choose_name("t", None, "pkey", taken={"t_pkey"})
't_pkey1'
>>> len(choose_name("a" * 40, "b" * 40, "idx").encode())
63
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import Any

__all__ = [
    "MAX_IDENTIFIER_BYTES",
    "choose_name",
    "clip_identifier",
    "column_name_addition",
    "index_column_names",
    "make_object_name",
]

#: NAMEDATALEN - 1: the bytes of an identifier PostgreSQL keeps.
MAX_IDENTIFIER_BYTES = 63


def clip_identifier(name: str, limit: int = MAX_IDENTIFIER_BYTES) -> str:
    """``name`` cut to ``limit`` bytes of UTF-8 without splitting a character (pg_mbcliplen).

    >>> clip_identifier("ü" * 40)  # 80 bytes: 31 whole characters fit in 63
    'üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüü'
    """
    data = name.encode()
    if len(data) <= limit:
        return name
    return data[:limit].decode(errors="ignore")


def make_object_name(name1: str, name2: str | None, label: str | None) -> str:
    """``name1_name2_label`` within 63 bytes: the longer of name1 and name2 loses bytes first,
    the label is never cut.

    >>> make_object_name("t", "a_b", "key")
    't_a_b_key'
    >>> make_object_name("x" * 70, None, "pkey") == "x" * 58 + "_pkey"
    True
    """
    first, second = name1.encode(), (name2 or "").encode()
    overhead = (1 if name2 is not None else 0) + (len(label.encode()) + 1 if label else 0)
    available = MAX_IDENTIFIER_BYTES - overhead
    len1, len2 = len(first), len(second)
    while len1 + len2 > available:
        if len1 > len2:
            len1 -= 1
        else:
            len2 -= 1
    parts = [clip_identifier(name1, len1)]
    if name2 is not None:
        parts.append(clip_identifier(name2, len2))
    if label:
        parts.append(label)
    return "_".join(parts)


def choose_name(
    name1: str,
    name2: str | None,
    label: str,
    taken: Container[str] | Callable[[str], bool] = (),
) -> str:
    """The first of ``name1_name2_label``, ``..._label1``, ``..._label2``... not ``taken``.

    ``taken`` is a set of names or a predicate: for an index (and the constraint it backs) the
    relation names of the schema, plus its constraint names for a constraint's index; for a
    CHECK or FOREIGN KEY constraint the constraint names of the schema.

    >>> choose_name("t", "a", "check", taken=lambda n: n in ("t_a_check", "t_a_check1"))
    't_a_check2'
    """
    is_taken = taken if callable(taken) else taken.__contains__
    modified = label
    number = 0
    while True:
        name = make_object_name(name1, name2, modified)
        if not is_taken(name):
            return name
        number += 1
        modified = f"{label}{number}"


def column_name_addition(columns: Iterable[str]) -> str:
    """Column names joined with ``_``, as far as the first that reaches 64 bytes
    (ChooseIndexNameAddition, ChooseForeignKeyConstraintNameAddition).

    >>> column_name_addition(["tenant_id", "email"])
    'tenant_id_email'
    """
    text = ""
    for column in columns:
        if text:
            text += "_"
        text += column
        if len(text.encode()) >= MAX_IDENTIFIER_BYTES + 1:
            break
    return text


def index_column_names(elements: Iterable[dict[str, Any]]) -> list[str]:
    """The name of each column of a new index, from its ``IndexElem`` parse nodes: the column,
    or for an expression the name a SELECT would give it (``lower(email)`` is ``lower``,
    an operator is ``expr``); a repeat gets a number (``expr``, ``expr1``).

    >>> index_column_names([{"name": "a"}, {"expr": {"FuncCall": {"funcname": [
    ...     {"String": {"sval": "lower"}}]}}}, {"expr": {"A_Expr": {}}}, {"expr": {"A_Expr": {}}}])
    ['a', 'lower', 'expr', 'expr1']
    """
    result: list[str] = []
    for element in elements:
        original = (
            element.get("indexcolname")
            or element.get("name")
            or (expression_column_name(element["expr"]) if element.get("expr") else None)
            or "expr"
        )
        current = original
        number = 0
        while current in result:
            number += 1
            suffix = str(number)
            current = clip_identifier(original, MAX_IDENTIFIER_BYTES - len(suffix)) + suffix
        result.append(current)
    return result


def expression_column_name(node: dict[str, Any]) -> str | None:
    """The column name PostgreSQL gives an expression (FigureColname), None if it has none.

    >>> expression_column_name({"ColumnRef": {"fields": [{"String": {"sval": "t"}},
    ...     {"String": {"sval": "email"}}]}})
    'email'
    >>> expression_column_name({"A_Const": {"ival": {"ival": 1}}}) is None
    True
    """
    name, strength = _figure(node)
    return name if strength > 0 else None


_SQL_FUNCTIONS = {
    "SVFOP_CURRENT_DATE": "current_date", "SVFOP_CURRENT_TIME": "current_time",
    "SVFOP_CURRENT_TIME_N": "current_time", "SVFOP_CURRENT_TIMESTAMP": "current_timestamp",
    "SVFOP_CURRENT_TIMESTAMP_N": "current_timestamp", "SVFOP_LOCALTIME": "localtime",
    "SVFOP_LOCALTIME_N": "localtime", "SVFOP_LOCALTIMESTAMP": "localtimestamp",
    "SVFOP_LOCALTIMESTAMP_N": "localtimestamp", "SVFOP_CURRENT_ROLE": "current_role",
    "SVFOP_CURRENT_USER": "current_user", "SVFOP_USER": "user",
    "SVFOP_SESSION_USER": "session_user", "SVFOP_CURRENT_CATALOG": "current_catalog",
    "SVFOP_CURRENT_SCHEMA": "current_schema",
}  # fmt: skip


def _figure(node: dict[str, Any]) -> tuple[str | None, int]:
    """(name, strength) as parse_target.c's FigureColnameInternal: 2 for a name the
    expression spells (a column, a function), 1 for a fallback (a cast's type, ``case``)."""
    kind, inner = next(iter(node.items()))
    if kind == "ColumnRef":
        fields = [f["String"]["sval"] for f in inner.get("fields", ()) if "String" in f]
        return (fields[-1], 2) if fields else (None, 0)
    if kind == "A_Indirection":
        for item in reversed(inner.get("indirection", ())):
            if "String" in item:
                return item["String"]["sval"], 2
        return _figure(inner["arg"])
    if kind == "FuncCall":
        names = [f["String"]["sval"] for f in inner.get("funcname", ()) if "String" in f]
        return (names[-1], 2) if names else (None, 0)
    if kind == "A_Expr" and inner.get("kind") == "AEXPR_NULLIF":
        return "nullif", 2
    if kind == "TypeCast":
        name, strength = _figure(inner["arg"])
        if strength <= 1:
            names = [f["String"]["sval"] for f in inner["typeName"].get("names", ())]
            if names:
                return names[-1], 1
        return name, strength
    if kind == "CollateClause":
        return _figure(inner["arg"])
    if kind == "CaseExpr":
        return "case", 1
    if kind == "A_ArrayExpr":
        return "array", 2
    if kind == "RowExpr":
        return "row", 2
    if kind == "CoalesceExpr":
        return "coalesce", 2
    if kind == "MinMaxExpr":
        return ("greatest" if inner.get("op") == "IS_GREATEST" else "least"), 2
    if kind == "SQLValueFunction":
        return _SQL_FUNCTIONS.get(inner.get("op", "")), 2
    if kind == "GroupingFunc":
        return "grouping", 2
    return None, 0
