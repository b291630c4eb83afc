"""The names of PostgreSQL 15's built-in operators (``pg_operator`` rows in pg_catalog).

pg_catalog is searched before the schemas of the search_path unless the path names it later
("The Schema Search Path"), so an operator of one of these names written bare may be the
built-in one whatever user operators of the name exist: pgdrift then leaves it as written.
Listed from ``SELECT DISTINCT oprname FROM pg_operator WHERE oprnamespace =
'pg_catalog'::regnamespace`` on PostgreSQL 15.
"""

from __future__ import annotations

from pgdrift.pg.constants import TEXT
from pgdrift.types import TypeRef

__all__ = ["BUILTIN_OPERATOR_NAMES", "JSON_ONLY", "JSON_OPERATORS", "NONARRAY_CONCAT"]

_LISTED = (
    "!! !~ !~* !~~ !~~* # ## #- #> #>> % & && &< &<| &> * *< *<= *<> *= *> *>= + - -> ->> -|- / "
    "< <-> << <<= <<| <= <> <@ <^ = > >= >> >>= >^ ? ?# ?& ?- ?-| ?| ?|| @ @-@ @> @? @@ @@@ ^ "
    "^@ | |&> |/ |>> || ||/ ~ ~* ~<=~ ~<~ ~= ~>=~ ~>~ ~~ ~~*"
)
BUILTIN_OPERATOR_NAMES = frozenset(_LISTED.split())
_TEXT_ARRAY = TypeRef(None, "text", array_dims=1)
_JSONPATH = TypeRef(None, "jsonpath")
#: json and jsonb operators with a string literal on the right: the literal's type
#: (pg_operator: jsonb ? text, jsonb #> text[], jsonb @> jsonb...); json has the first four.
JSON_OPERATORS: dict[str, TypeRef | None] = {
    "->": TEXT, "->>": TEXT, "#>": _TEXT_ARRAY, "#>>": _TEXT_ARRAY,
    "?": TEXT, "?|": _TEXT_ARRAY, "?&": _TEXT_ARRAY, "-": TEXT, "#-": _TEXT_ARRAY,
    "@>": None, "<@": None,  # None: jsonb itself
    "@?": _JSONPATH, "@@": _JSONPATH,  # jsonb @? jsonpath, jsonb @@ jsonpath
}  # fmt: skip
JSON_ONLY = frozenset({"->", "->>", "#>", "#>>"})
#: Built-in types with no || of their own: beside a string literal, || is text || anynonarray
#: (or its mirror), and the literal is text. (jsonb, tsvector, bytea, bit strings and arrays
#: have their own ||; an enum, composite or range type of the schema has none either. name is
#: of the string category, whose preferred type text wins: name || x is textcat, name cast.)
NONARRAY_CONCAT = frozenset({
    "smallint", "integer", "bigint", "numeric", "real", "double precision", "boolean", "date",
    "time without time zone", "time with time zone", "timestamp without time zone",
    "timestamp with time zone", "interval", "uuid", "money", "inet", "cidr",
    # Ranges and multiranges have + - * but no || (pg_operator).
    "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange",
    "int4multirange", "int8multirange", "nummultirange", "tsmultirange", "tstzmultirange",
    "datemultirange",
})  # fmt: skip
