"""Built-in set-returning functions whose rows are one column of a scalar type, whatever the
types of their arguments (pg_proc, PostgreSQL 15).

In FROM, such a function gives its range-table entry one column, named by the function's one
named OUT parameter if it has one, else by the entry's alias, else by the function's name
(parse_relation.c, chooseScalarFunctionAlias): ``FROM jsonb_array_elements(j) e`` has the
column ``e.value``, ``FROM generate_series(1, 3) d`` the column ``d.d``. ``unnest(anyarray)``
is not listed: its column is of the array's element type, which may be composite.
"""

from __future__ import annotations

__all__ = ["SCALAR_SET_FUNCTIONS"]

#: Function name -> the name of its OUT parameter (None: it has none).
SCALAR_SET_FUNCTIONS: dict[str, str | None] = {
    "generate_series": None,
    "generate_subscripts": None,
    "json_array_elements": "value",
    "json_array_elements_text": "value",
    "jsonb_array_elements": "value",
    "jsonb_array_elements_text": "value",
    "json_object_keys": None,
    "jsonb_object_keys": None,
    "regexp_split_to_table": None,
    "string_to_table": None,
}
