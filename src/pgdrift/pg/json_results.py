"""The built-in functions that yield json or jsonb (pg_proc of PostgreSQL 15, whatever their
arguments): a ``->`` or ``->>`` after a call of one reads its key as text, as after a column.
Set-returning ones count too: in a select list, each row is of that type."""

from __future__ import annotations

from pgdrift.pg.builtin_results import RESULTS

__all__ = ["JSONB_OPERATORS", "JSONB_RESULTS", "JSON_RESULTS"]


def _returning(result: str, *hand: str) -> frozenset[str]:
    """The names all of whose functions pg_proc lists return ``result`` (the generated
    pgdrift.pg.builtin_results), and ``hand``: those taking "any" only, which it leaves out."""
    names: dict[str, set[str]] = {}
    for returned, functions in RESULTS.items():
        for function in functions:
            names.setdefault(function.partition("(")[0], set()).add(returned)
    return frozenset(hand).union(name for name, results in names.items() if results == {result})


JSONB_RESULTS = _returning("jsonb", "jsonb_object_agg")  # jsonb_object_agg("any", "any")
JSON_RESULTS = _returning("json", "json_object_agg")
#: The operators that yield jsonb from a jsonb on their left: jsonb || jsonb, jsonb - text
#: (or integer, or text[]), jsonb #- text[]; -> and #> yield their left operand's type.
JSONB_OPERATORS = frozenset({"||", "-", "#-"})
