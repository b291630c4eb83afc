"""The built-in functions that yield json or jsonb (pg_proc of PostgreSQL 15, whatever their
arguments): a ``->`` or ``->>`` after a call of one reads its key as text, as after a column.
Set-returning ones count too: in a select list, each row is of that type."""

from __future__ import annotations

__all__ = ["JSONB_OPERATORS", "JSONB_RESULTS", "JSON_RESULTS"]

JSONB_RESULTS = frozenset({
    "to_jsonb", "jsonb_build_object", "jsonb_build_array", "jsonb_object", "jsonb_agg",
    "jsonb_object_agg", "jsonb_set", "jsonb_set_lax", "jsonb_insert", "jsonb_strip_nulls",
    "jsonb_extract_path", "jsonb_path_query", "jsonb_path_query_first",
    "jsonb_path_query_array", "jsonb_path_query_tz", "jsonb_path_query_first_tz",
    "jsonb_path_query_array_tz", "jsonb_array_elements",
})  # fmt: skip
JSON_RESULTS = frozenset({
    "to_json", "array_to_json", "row_to_json", "json_build_object", "json_build_array",
    "json_object", "json_agg", "json_object_agg", "json_strip_nulls", "json_extract_path",
    "json_array_elements",
})  # fmt: skip
#: The operators that yield jsonb from a jsonb on their left: jsonb || jsonb, jsonb - text
#: (or integer, or text[]), jsonb #- text[]; -> and #> yield their left operand's type.
JSONB_OPERATORS = frozenset({"||", "-", "#-"})
