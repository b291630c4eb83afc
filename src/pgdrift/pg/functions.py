"""Built-in functions' argument and result types, as function resolution settles them
(pg_proc of PostgreSQL 15), for typing the literals of source DDL: an unknown literal given to
a parameter takes its type, and a call's result type types the literals beside it.
"""

from __future__ import annotations

from pgdrift.pg.constants import TEXT
from pgdrift.types import TypeRef

__all__ = [
    "BASE_TYPE_AGGREGATES", "BPCHAR_OVERLOADS", "BUILTIN_ARGUMENTS", "CITEXT_OVERLOADS",
    "CITEXT_SIGNATURES", "CONTINUOUS_AGGREGATES", "DATE_AS_TIMESTAMPTZ", "DOUBLE",
    "FRACTION_AGGREGATES", "INTEGER_RESULTS", "INTERVAL", "RANGE_BOUNDS", "REGCONFIG",
    "STRING_OR_BINARY", "TEXT_ARRAY_RESULTS", "TEXT_RESULTS", "TIMESTAMPTZ", "VALUE_FUNCTIONS",
]  # fmt: skip

REGCONFIG = TypeRef(None, "regconfig")
DOUBLE = TypeRef(None, "double precision")
TIMESTAMPTZ = TypeRef(None, "timestamp with time zone")
INTERVAL = TypeRef(None, "interval")

#: Built-in calls whose overload pgdrift does not resolve from pg_proc's signatures
#: (pgdrift.pg.overloads: exact types and unknown literals only) but PostgreSQL settles by
#: implicit casts and preferred types ("Function Type Resolution"): a varchar or char argument,
#: or a literal, goes to the text overload of these (not bytea's, bit's, tsvector's or a
#: range's), concat_ws takes text then VARIADIC "any". (name, argument count) -> the type of
#: each argument, None where pgdrift does not say; a resolved overload's types win.
BUILTIN_ARGUMENTS: dict[tuple[str, int], tuple[TypeRef | None, ...]] = {
    **{(name, 1): (TEXT,) for name in (
        "lower", "upper", "md5", "length", "char_length", "octet_length", "bit_length")},
    **{(name, 2): (TEXT, TEXT) for name in (
        "btrim", "ltrim", "rtrim", "string_agg", "position", "like_escape")},
    ("overlay", 3): (TEXT, TEXT, None), ("overlay", 4): (TEXT, TEXT, None, None),
    ("regexp_replace", 4): (TEXT, TEXT, TEXT, TEXT),  # its flags, not its start (integer)
    ("timezone", 2): (TEXT, None), ("to_tsvector", 2): (REGCONFIG, TEXT),
    **{("concat_ws", count): (TEXT,) + (None,) * (count - 1) for count in range(1, 10)},
}  # fmt: skip
#: Built-ins with no date overload, and the signature function resolution chooses when their
#: TIMESTAMPTZ arguments are dates: of the types a date casts to, the preferred one of the
#: category wins, so each date is cast to timestamptz (builder.builtin_calls); None where
#: pgdrift does not say. date_part has a (text, date) overload.
DATE_AS_TIMESTAMPTZ: dict[tuple[str, int], tuple[TypeRef | None, ...]] = {
    ("date_trunc", 2): (TEXT, TIMESTAMPTZ), ("date_trunc", 3): (TEXT, TIMESTAMPTZ, TEXT),
    ("to_char", 2): (TIMESTAMPTZ, TEXT),
    ("generate_series", 3): (TIMESTAMPTZ, TIMESTAMPTZ, INTERVAL),
}  # fmt: skip
#: Ordered-set aggregates whose direct argument (the fraction) is double precision; of them,
#: the ones whose sorted argument is too, or an interval (pg_aggregate).
FRACTION_AGGREGATES = frozenset({"percentile_cont", "percentile_disc"})
CONTINUOUS_AGGREGATES = frozenset({"percentile_cont"})

_NUMBERS = ("smallint", "integer", "bigint", "numeric", "real", "double precision")
#: Aggregates with an overload of each of these argument types (pg_aggregate, PostgreSQL 15):
#: a domain over one of them is given to it as its base type, a cast ruleutils shows.
BASE_TYPE_AGGREGATES: dict[str, frozenset[str]] = {
    "sum": frozenset({*_NUMBERS, "interval", "money"}),
    "avg": frozenset({*_NUMBERS, "interval"}),
    **{name: frozenset({*_NUMBERS, "interval", "money", "text", "date", "time without time zone",
                        "time with time zone", "timestamp without time zone",
                        "timestamp with time zone"}) for name in ("min", "max")},
}  # fmt: skip
#: Built-in functions returning text[] whatever their arguments (pg_proc).
TEXT_ARRAY_RESULTS = frozenset({"string_to_array", "regexp_match", "regexp_matches",
                                "regexp_split_to_array"})  # fmt: skip
#: Built-ins returning text whatever pgdrift knows of their arguments, where the result types
#: pg_proc lists (pgdrift.pg.builtin_results, builder.call_types) do not settle it: concat and
#: concat_ws take VARIADIC "any" (not listed); lower, upper, btrim, ltrim, rtrim and
#: like_escape have other overloads (of a range, of bytea) a varchar argument is not matched
#: to without implicit casts, which pgdrift.pg.overloads does not follow.
TEXT_RESULTS = frozenset({"concat", "concat_ws", "lower", "upper", "btrim", "ltrim", "rtrim",
                          "like_escape"})  # fmt: skip
#: Built-ins of BUILTIN_ARGUMENTS with an overload of their own for char (bpchar): a char
#: argument is not cast to text (pg_proc: bpcharlen, bpcharoctetlen).
BPCHAR_OVERLOADS = frozenset({"length", "char_length", "character_length", "octet_length"})
#: The functions the citext extension defines for citext (citext--1.4.sql), by name and
#: argument count: their parameters, "citext" standing for the extension's type. A citext
#: argument of any other text function is cast to text, its implicit cast, and pg_dump shows
#: the cast.
CITEXT_SIGNATURES: dict[tuple[str, int], tuple[str, ...]] = {
    **{(name, 2): ("citext", "citext") for name in (
        "regexp_match", "regexp_matches", "regexp_split_to_array", "regexp_split_to_table",
        "strpos")},
    **{(name, 3): ("citext", "citext", "text") for name in (
        "regexp_match", "regexp_matches", "regexp_replace", "regexp_split_to_array",
        "regexp_split_to_table", "translate")},
    ("regexp_replace", 4): ("citext", "citext", "text", "text"),
    ("replace", 3): ("citext", "citext", "citext"),
    ("split_part", 3): ("citext", "citext", "integer"),
}  # fmt: skip
CITEXT_OVERLOADS = frozenset(name for name, _ in CITEXT_SIGNATURES)
#: length() of a varchar, char or unknown-typed argument: integer for every string overload
#: (pg_proc: text, bpchar, bytea, bit, tsvector), though length(lseg) and length(path) are
#: double precision, so the generated result types do not settle it without implicit casts.
INTEGER_RESULTS = frozenset({"length"})
#: The result types of the built-ins taking "any" (pg_proc of PostgreSQL 15), which the
#: generated pgdrift.pg.builtin_results leaves out; concat and concat_ws are TEXT_RESULTS.
ANY_ARGUMENT_RESULTS = {
    "pg_typeof": "regtype", "pg_column_size": "integer", "pg_column_compression": "text",
    "pg_collation_for": "text", "num_nulls": "integer", "num_nonnulls": "integer",
    "format": "text",
}  # fmt: skip
#: lower() and upper() of text, or of a range (its bound); substring and overlay of text, bytea
#: or bit strings: of the argument's type (pg_proc).
RANGE_BOUNDS = frozenset({"lower", "upper"})
STRING_OR_BINARY = frozenset({"substring", "overlay"})
#: The types of CURRENT_USER, CURRENT_DATE... (SQLValueFunction, by its op).
VALUE_FUNCTIONS = {
    "SVFOP_CURRENT_DATE": "date",
    "SVFOP_CURRENT_TIME": "time with time zone",
    "SVFOP_CURRENT_TIME_N": "time with time zone",
    "SVFOP_CURRENT_TIMESTAMP": "timestamp with time zone",
    "SVFOP_CURRENT_TIMESTAMP_N": "timestamp with time zone",
    "SVFOP_LOCALTIME": "time without time zone",
    "SVFOP_LOCALTIME_N": "time without time zone",
    "SVFOP_LOCALTIMESTAMP": "timestamp without time zone",
    "SVFOP_LOCALTIMESTAMP_N": "timestamp without time zone",
    "SVFOP_CURRENT_ROLE": "name",
    "SVFOP_CURRENT_USER": "name",
    "SVFOP_USER": "name",
    "SVFOP_SESSION_USER": "name",
    "SVFOP_CURRENT_CATALOG": "name",
    "SVFOP_CURRENT_SCHEMA": "name",
}
