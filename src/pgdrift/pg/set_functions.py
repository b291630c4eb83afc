"""Built-in set-returning functions whose rows are one column of a scalar type, whatever the
types of their arguments (pg_proc, PostgreSQL 15).

In FROM, such a function gives its range-table entry one column, named by the function's one
named OUT parameter if it has one, else by the entry's alias, else by the function's name
(parse_relation.c, chooseScalarFunctionAlias): ``FROM jsonb_array_elements(j) e`` has the
column ``e.value``, ``FROM generate_series(1, 3) d`` the column ``d.d``. ``unnest(anyarray)``
is not listed: its column is of the array's element type, which may be composite.

Those of :data:`RECORD_SET_FUNCTIONS` return rows of their OUT parameters, which are the
entry's columns: ``FROM jsonb_each(j) e`` has ``e.key`` and ``e.value``, and ruleutils prints
the entry's alias with them, ``jsonb_each(t.j) e(key, value)``.
"""

from __future__ import annotations

from pgdrift.types import TypeRef

__all__ = ["RECORD_SET_FUNCTIONS", "SCALAR_SET_FUNCTIONS"]

#: Function name -> the name of its OUT parameter (None: it has none).
SCALAR_SET_FUNCTIONS: dict[str, str | None] = {
    "generate_series": None,
    "generate_subscripts": None,
    "jsonb_path_query": None,
    "json_array_elements": "value",
    "json_array_elements_text": "value",
    "jsonb_array_elements": "value",
    "jsonb_array_elements_text": "value",
    "json_object_keys": None,
    "jsonb_object_keys": None,
    "regexp_matches": None,
    "regexp_split_to_table": None,
    "string_to_table": None,
}

_TEXT, _JSON, _JSONB = TypeRef(None, "text"), TypeRef(None, "json"), TypeRef(None, "jsonb")
_INTEGER = TypeRef(None, "integer")

#: Function name -> its OUT parameters (name, type), the same for each of its overloads.
RECORD_SET_FUNCTIONS: dict[str, tuple[tuple[str, TypeRef], ...]] = {
    "json_each": (("key", _TEXT), ("value", _JSON)),
    "json_each_text": (("key", _TEXT), ("value", _TEXT)),
    "jsonb_each": (("key", _TEXT), ("value", _JSONB)),
    "jsonb_each_text": (("key", _TEXT), ("value", _TEXT)),
    "pg_options_to_table": (("option_name", _TEXT), ("option_value", _TEXT)),
    "ts_stat": (("word", _TEXT), ("ndoc", _INTEGER), ("nentry", _INTEGER)),
    "aclexplode": (("grantor", TypeRef(None, "oid")), ("grantee", TypeRef(None, "oid")),
                   ("privilege_type", _TEXT), ("is_grantable", TypeRef(None, "boolean"))),
}  # fmt: skip
