"""Writing one key of an index, exclusion constraint or partition key, in the order the grammar
reads it (docs: CREATE INDEX, ``index_elem``): the column or expression, ``COLLATE``, the
operator class with its parameters, ``ASC``/``DESC``, ``NULLS FIRST``/``NULLS LAST``.

The migration SQL, the reports and :mod:`pgdrift.testing` all write keys with
:func:`index_element`; they differ only in whether names are quoted (SQL) or shown as the model
holds them (people), and in how the caller prints an expression.
"""

from __future__ import annotations

from typing import Protocol

from pgdrift.pg.quoting import quote_ident

__all__ = ["IndexKey", "index_element", "nulls_order"]


class _Printable(Protocol):
    @property
    def sql(self) -> str: ...


class IndexKey(Protocol):
    """What :func:`index_element` reads (:class:`pgdrift.model.IndexElement` has it)."""

    @property
    def column(self) -> str | None: ...

    @property
    def expression(self) -> _Printable | None: ...

    @property
    def collation(self) -> str | None: ...

    @property
    def opclass(self) -> str | None: ...

    @property
    def descending(self) -> bool: ...

    @property
    def nulls_first(self) -> bool | None: ...


def index_element(
    key: IndexKey, *, quoted: bool = False, expression: str | None = None, parameters: str = ""
) -> str:
    """``key`` as text: for people by default (``lower(email)`` in parentheses, names as
    they are), or as SQL with ``quoted`` (names quoted part by part). ``expression`` replaces
    the parenthesised expression (SQL lets a plain function call stand bare); ``parameters``
    are the operator class's, already written (``siglen=32``).

    >>> from pgdrift.model import IndexElement
    >>> from pgdrift.expr import parse_expr
    >>> key = IndexElement(expression=parse_expr("lower(Name)"), collation="C",
    ...                    opclass="text_pattern_ops", descending=True, nulls_first=False)
    >>> index_element(key)
    '(lower(name)) COLLATE C text_pattern_ops DESC NULLS LAST'
    >>> index_element(IndexElement(column="Name", collation="C"), quoted=True)
    '"Name" COLLATE "C"'
    """
    name = _dotted if quoted else str
    if key.column is not None:
        text = quote_ident(key.column) if quoted else key.column
    elif expression is not None:
        text = expression
    elif key.expression is not None:
        text = f"({key.expression.sql})"
    else:
        text = "?"
    if key.collation:
        text += f" COLLATE {name(key.collation)}"
    if key.opclass:
        text += f" {name(key.opclass)}"
        if parameters:
            text += f" ({parameters})"
    if key.descending:
        text += " DESC"
    if key.nulls_first is not None:
        text += " NULLS FIRST" if key.nulls_first else " NULLS LAST"
    return text


def nulls_order(descending: bool, nulls_first: bool | None) -> bool | None:
    """The NULLS FIRST (True) / NULLS LAST (False) a key keeps, None for its order's default:
    NULLS LAST is ASC's default and NULLS FIRST DESC's, which pg_get_indexdef does not write
    (ruleutils.c), so ``DESC NULLS FIRST`` is the same key as ``DESC``.

    >>> nulls_order(True, True), nulls_order(False, False), nulls_order(True, False)
    (None, None, False)
    """
    return None if nulls_first == descending else nulls_first


def _dotted(text: str) -> str:
    # Collations and operator classes are kept as schema.name text: pg_catalog.default is
    # written pg_catalog."default" ("default" is a reserved word).
    return ".".join(quote_ident(part) for part in text.split("."))
