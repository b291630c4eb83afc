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

_TEXT, _JSON, _JSONB = TypeRef(None, "text"), TypeRef(None, "json"), TypeRef(None, "jsonb")
_INTEGER = TypeRef(None, "integer")

#: Function name -> the name of its OUT parameter (None: it has none) and the type of its
#: rows, the same for each of its overloads (None: it follows the arguments').
SCALAR_SET_FUNCTIONS: dict[str, tuple[str | None, TypeRef | None]] = {
    "generate_series": (None, None),
    "generate_subscripts": (None, _INTEGER),
    "jsonb_path_query": (None, _JSONB),
    "json_array_elements": ("value", _JSON),
    "json_array_elements_text": ("value", _TEXT),
    "jsonb_array_elements": ("value", _JSONB),
    "jsonb_array_elements_text": ("value", _TEXT),
    "json_object_keys": (None, _TEXT),
    "jsonb_object_keys": (None, _TEXT),
    "regexp_matches": (None, TypeRef(None, "text", array_dims=1)),
    "regexp_split_to_table": (None, _TEXT),
    "string_to_table": (None, _TEXT),
}

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
