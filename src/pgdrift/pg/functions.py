"""Built-in functions' argument and result types, as function resolution settles them
(pg_proc of PostgreSQL 15), for typing the literals of source DDL: an unknown literal given to
a parameter takes its type, and a call's result type types the literals beside it.
"""

from __future__ import annotations

from pgdrift.pg.constants import TEXT
from pgdrift.types import TypeRef

__all__ = [
    "BUILTIN_ARGUMENTS", "DATE_AS_TIMESTAMPTZ", "DOUBLE_RESULTS", "INTEGER_RESULTS",
    "NUMERIC_RESULTS", "REGCLASS", "REGCONFIG", "TEXT_RESULTS",
]  # fmt: skip

REGCLASS = TypeRef(None, "regclass")
REGCONFIG = TypeRef(None, "regconfig")

#: Built-in functions whose string arguments have one type whatever overload is chosen
#: (pg_proc; an unknown literal takes its parameter's type): (name, argument count) -> the
#: type of each argument, None where pgdrift does not say.
BUILTIN_ARGUMENTS: dict[tuple[str, int], tuple[TypeRef | None, ...]] = {
    ("nextval", 1): (REGCLASS,), ("currval", 1): (REGCLASS,),
    ("setval", 2): (REGCLASS, None), ("setval", 3): (REGCLASS, None, None),
    ("current_setting", 1): (TEXT,), ("current_setting", 2): (TEXT, None),
    ("set_config", 3): (TEXT, TEXT, None),
    ("lower", 1): (TEXT,), ("upper", 1): (TEXT,), ("initcap", 1): (TEXT,), ("md5", 1): (TEXT,),
    ("date_trunc", 2): (TEXT, None), ("date_trunc", 3): (TEXT, None, TEXT),
    ("length", 1): (TEXT,), ("char_length", 1): (TEXT,), ("octet_length", 1): (TEXT,),
    ("bit_length", 1): (TEXT,),
    ("btrim", 1): (TEXT,), ("btrim", 2): (TEXT, TEXT), ("ltrim", 1): (TEXT,), ("rtrim", 1): (TEXT,),
    ("timezone", 2): (TEXT, None),
    ("string_to_array", 2): (TEXT, TEXT), ("string_to_array", 3): (TEXT, TEXT, TEXT),
    ("split_part", 3): (TEXT, TEXT, None), ("replace", 3): (TEXT, TEXT, TEXT),
    ("strpos", 2): (TEXT, TEXT), ("left", 2): (TEXT, None), ("right", 2): (TEXT, None),
    ("to_tsvector", 2): (REGCONFIG, TEXT), ("to_tsquery", 2): (REGCONFIG, TEXT),
    ("plainto_tsquery", 2): (REGCONFIG, TEXT), ("websearch_to_tsquery", 2): (REGCONFIG, TEXT),
    # Every overload of these takes text where a literal is given (pg_proc, PostgreSQL 15).
    ("date_part", 2): (TEXT, None), ("to_char", 2): (None, TEXT),
    ("to_date", 2): (TEXT, TEXT), ("to_timestamp", 2): (TEXT, TEXT), ("to_number", 2): (TEXT, TEXT),
    ("regexp_replace", 3): (TEXT, TEXT, TEXT), ("regexp_match", 2): (TEXT, TEXT),
    ("regexp_matches", 2): (TEXT, TEXT), ("starts_with", 2): (TEXT, TEXT),
    ("repeat", 2): (TEXT, None), ("lpad", 2): (TEXT, None), ("lpad", 3): (TEXT, None, TEXT),
    ("rpad", 2): (TEXT, None), ("rpad", 3): (TEXT, None, TEXT),
    ("encode", 2): (None, TEXT), ("decode", 2): (TEXT, TEXT),
    ("regexp_replace", 4): (TEXT, TEXT, TEXT, TEXT),
    ("similar_to_escape", 1): (TEXT,), ("similar_to_escape", 2): (TEXT, TEXT),
    # The text overloads (bytea's and bit's take no string literal beside a text column).
    ("string_agg", 2): (None, TEXT), ("position", 2): (TEXT, TEXT),
    ("overlay", 3): (TEXT, TEXT, None), ("overlay", 4): (TEXT, TEXT, None, None),
    # concat_ws and format take text, then VARIADIC "any" (left as written).
    **{(name, count): (TEXT,) + (None,) * (count - 1)
       for name in ("concat_ws", "format") for count in range(1, 10)},
}  # fmt: skip
#: Built-ins with no date overload, called with a date argument at this position: the date
#: is cast to timestamptz (builder.stored_exprs). date_part has one (text, date).
DATE_AS_TIMESTAMPTZ: dict[tuple[str, int], int] = {("date_trunc", 2): 1, ("to_char", 2): 0}

#: Built-in functions returning text whatever their argument (pg_proc).
TEXT_RESULTS = frozenset({
    "current_setting", "lower", "upper", "btrim", "ltrim", "rtrim", "concat", "concat_ws", "md5",
    "initcap", "to_char", "format", "quote_ident", "quote_literal", "array_to_string", "replace",
    "split_part", "translate", "lpad", "rpad", "left", "right", "repeat", "reverse", "chr",
    "to_hex", "regexp_replace",
})  # fmt: skip
#: Built-ins whose every overload returns integer (pg_proc: length of text, bpchar, bytea, bit
#: or tsvector; array_length; cardinality; strpos).
INTEGER_RESULTS = frozenset({"length", "char_length", "character_length", "octet_length",
                             "bit_length", "array_length", "cardinality", "strpos"})  # fmt: skip
#: Built-ins returning double precision (random(); date_part of any argument) and numeric
#: (EXTRACT, numeric since PostgreSQL 14) whatever their arguments (pg_proc).
DOUBLE_RESULTS = frozenset({"random", "date_part", "pi"})
NUMERIC_RESULTS = frozenset({"extract"})
