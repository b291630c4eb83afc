"""Semantic equivalences: forms PostgreSQL stores (or pg_dump prints) differently that mean the
same, which pgdrift compares as equal. The one home of the list; a report names each one it
relied on ("Treated as equal"), so "no difference" never hides a difference of form.

Expression forms are made one while an expression is read (:data:`pgdrift.expr.RULES`); the
rule names below are those rules' names. Others are applied by the differ itself
(:data:`OPTIONS_ORDER`).
"""

from __future__ import annotations

#: A function PostgreSQL prints in SQL syntax since version 14 and as a plain call before.
SQL_SYNTAX_CALL = "explicit_call_format"
#: ``x = ANY (ARRAY[...])`` with the casts on the array or on each element.
ARRAY_LITERAL_CASTS = "text_array_literal"
#: ``('a'::character varying)::text`` and ``'a'::text``.
VARCHAR_LITERAL_AS_TEXT = "varchar_literal_as_text"
#: A regclass literal with or without quotes that are not needed.
REGCLASS_QUOTING = "regclass_literal_quoting"
#: Storage parameters and other ``(name, value)`` options in another order.
OPTIONS_ORDER = "options_order"

#: Rule name -> what it treats as equal, as the reports say it.
RULES: dict[str, str] = {
    SQL_SYNTAX_CALL: (
        "a function call in SQL syntax and as a plain call "
        "(x AT TIME ZONE 'utc' and timezone('utc', x), EXTRACT, SUBSTRING...)"
    ),
    ARRAY_LITERAL_CASTS: (
        "= ANY (ARRAY[...]) with the casts on the array or on each element "
        "(how x IN ('a', 'b') is stored, before and after a dump and restore)"
    ),
    VARCHAR_LITERAL_AS_TEXT: "('a'::character varying)::text and 'a'::text",
    REGCLASS_QUOTING: "a regclass literal with and without unneeded quotes",
    OPTIONS_ORDER: "the same storage parameters or options in another order",
}


def describe(rule: str) -> str:
    """What ``rule`` treats as equal (its name when it is not listed)."""
    return RULES.get(rule, rule)


__all__ = [
    "ARRAY_LITERAL_CASTS",
    "OPTIONS_ORDER",
    "REGCLASS_QUOTING",
    "RULES",
    "SQL_SYNTAX_CALL",
    "VARCHAR_LITERAL_AS_TEXT",
    "describe",
]
