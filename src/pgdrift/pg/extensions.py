"""Facts about extensions that a schema dump does not carry.

An extension's control file gives the comment ``CREATE EXTENSION`` puts on it (``comment``;
pg_dump writes it as ``COMMENT ON EXTENSION``), and says whether ``ALTER EXTENSION ... SET
SCHEMA`` can move it (``relocatable``; docs: Packaging Related Objects into an Extension). A dump
names only the extension, so the answer is kept here for the extensions PostgreSQL ships
whose control file says ``relocatable = false`` (read from PostgreSQL 15's
``share/extension/*.control``). Another extension is taken as relocatable: if it is not,
PostgreSQL says so ("extension ... does not support SET SCHEMA") and the script stops there.

The control file's ``comment`` is the comment CREATE EXTENSION gives the extension (docs:
Extension Files, ``comment``), which pg_dump then writes as ``COMMENT ON EXTENSION``: a
script that only says ``CREATE EXTENSION`` has it too. Kept for the extensions PostgreSQL 15
ships; another extension's comment is known only to a server that has it installed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from pgdrift.pg.hstore import hstore_out
from pgdrift.pg.ltree import lquery_out, ltree_out

#: Extensions shipped with PostgreSQL that ALTER EXTENSION ... SET SCHEMA cannot move.
NOT_RELOCATABLE = frozenset({"adminpack", "plpgsql", "xml2"})


#: The ``comment`` of the control file of each extension PostgreSQL 15 ships.
CONTROL_COMMENTS = {
    "adminpack": "administrative functions for PostgreSQL",
    "amcheck": "functions for verifying relation integrity",
    "autoinc": "functions for autoincrementing fields",
    "bloom": "bloom access method - signature file based index",
    "btree_gin": "support for indexing common datatypes in GIN",
    "btree_gist": "support for indexing common datatypes in GiST",
    "citext": "data type for case-insensitive character strings",
    "cube": "data type for multidimensional cubes",
    "dblink": "connect to other PostgreSQL databases from within a database",
    "dict_int": "text search dictionary template for integers",
    "dict_xsyn": "text search dictionary template for extended synonym processing",
    "earthdistance": "calculate great-circle distances on the surface of the Earth",
    "file_fdw": "foreign-data wrapper for flat file access",
    "fuzzystrmatch": "determine similarities and distance between strings",
    "hstore": "data type for storing sets of (key, value) pairs",
    "insert_username": "functions for tracking who changed a table",
    "intagg": "integer aggregator and enumerator (obsolete)",
    "intarray": "functions, operators, and index support for 1-D arrays of integers",
    "isn": "data types for international product numbering standards",
    "lo": "Large Object maintenance",
    "ltree": "data type for hierarchical tree-like structures",
    "moddatetime": "functions for tracking last modification time",
    "old_snapshot": "utilities in support of old_snapshot_threshold",
    "pageinspect": "inspect the contents of database pages at a low level",
    "pg_buffercache": "examine the shared buffer cache",
    "pg_freespacemap": "examine the free space map (FSM)",
    "pg_prewarm": "prewarm relation data",
    "pg_stat_statements": "track planning and execution statistics of all SQL statements executed",
    "pg_surgery": "extension to perform surgery on a damaged relation",
    "pg_trgm": "text similarity measurement and index searching based on trigrams",
    "pg_visibility": "examine the visibility map (VM) and page-level visibility info",
    "pg_walinspect": "functions to inspect contents of PostgreSQL Write-Ahead Log",
    "pgcrypto": "cryptographic functions",
    "pgrowlocks": "show row-level locking information",
    "pgstattuple": "show tuple-level statistics",
    "plpgsql": "PL/pgSQL procedural language",
    "postgres_fdw": "foreign-data wrapper for remote PostgreSQL servers",
    "refint": "functions for implementing referential integrity (obsolete)",
    "seg": "data type for representing line segments or floating-point intervals",
    "sslinfo": "information about SSL certificates",
    "tablefunc": "functions that manipulate whole tables, including crosstab",
    "tcn": "Triggered change notifications",
    "tsm_system_rows": "TABLESAMPLE method which accepts number of rows as a limit",
    "tsm_system_time": "TABLESAMPLE method which accepts time in milliseconds as a limit",
    "unaccent": "text search dictionary that removes accents",
    "uuid-ossp": "generate universally unique identifiers (UUIDs)",
    "xml2": "XPath querying and XSLT",
}


def control_comment(extension: str) -> str | None:
    """The comment CREATE EXTENSION gives ``extension`` (None when pgdrift does not know it).

    >>> control_comment("pgcrypto"), control_comment("postgis")
    ('cryptographic functions', None)
    """
    return CONTROL_COMMENTS.get(extension)


#: Functions of shipped extensions that pgdrift types the literal arguments of: name -> the
#: input types of each of its signatures (pg_proc of PostgreSQL 15's extension scripts), with
#: no defaults. Overloads of one number of arguments are resolved as a built-in's are.
EXTENSION_FUNCTIONS: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {
    "pgcrypto": {
        "digest": (("text", "text"), ("bytea", "text")),
        "hmac": (("text", "text", "text"), ("bytea", "bytea", "text")),
        "crypt": (("text", "text"),),
        "gen_salt": (("text",), ("text", "integer")),
        "gen_random_bytes": (("integer",),),
        "pgp_sym_encrypt": (("text", "text"), ("text", "text", "text")),
        "pgp_sym_decrypt": (("bytea", "text"), ("bytea", "text", "text")),
    },
    "pg_trgm": {
        "similarity": (("text", "text"),),
        "show_trgm": (("text",),),
        "word_similarity": (("text", "text"),),
        "strict_word_similarity": (("text", "text"),),
    },
    "unaccent": {"unaccent": (("text",), ("regdictionary", "text"))},
    "ltree": {
        "index": (("ltree", "ltree"), ("ltree", "ltree", "integer")),
        "subltree": (("ltree", "integer", "integer"),),
        "subpath": (("ltree", "integer", "integer"), ("ltree", "integer")),
        "nlevel": (("ltree",),),
        "text2ltree": (("text",),),
        "ltree2text": (("ltree",),),
    },
    "uuid-ossp": {
        "uuid_generate_v3": (("uuid", "text"),),
        "uuid_generate_v5": (("uuid", "text"),),
    },
    "fuzzystrmatch": {
        "soundex": (("text",),),
        "difference": (("text", "text"),),
        "levenshtein": (("text", "text"), ("text", "text", "integer", "integer", "integer")),
        "metaphone": (("text", "integer"),),
        "dmetaphone": (("text",),),
        "dmetaphone_alt": (("text",),),
    },
    # hstore(text, text) beside hstore(text[], text[]): string literals pick the string
    # category's candidate ("Function Type Resolution", step 4.e), so 'k' and 'v' are text.
    "hstore": {"hstore": (("text", "text"),)},
}

#: Text search dictionaries shipped extensions create in the schema they are installed in
#: (PostgreSQL 15's extension scripts): a regdictionary literal naming one resolves there.
EXTENSION_DICTIONARIES: dict[str, frozenset[str]] = {
    "unaccent": frozenset({"unaccent"}), "dict_int": frozenset({"intdict"}),
    "dict_xsyn": frozenset({"xsyn"}),
}

#: Operator classes of shipped extensions (PostgreSQL 15's extension scripts): an unqualified
#: one resolves along the search_path to the extension's schema, as a function does.
EXTENSION_OPCLASSES: dict[str, frozenset[str]] = {
    "pg_trgm": frozenset({"gin_trgm_ops", "gist_trgm_ops"}),
    "hstore": frozenset({"gist_hstore_ops", "gin_hstore_ops"}),
    "intarray": frozenset({"gist__int_ops", "gist__intbig_ops", "gin__int_ops"}),
    "citext": frozenset({"citext_ops", "citext_pattern_ops"}),
}


#: Functions of shipped extensions whose names pg_catalog does not have (PostgreSQL 15's
#: extension scripts), so an unqualified call of one resolves along the search_path to the
#: schema the extension is installed in, and pg_dump prints it qualified
#: (``public.uuid_generate_v4()``). Extensions whose functions overload built-in names (citext's
#: ``replace``, ``split_part``...) and pgcrypto's ``gen_random_uuid`` (built in since 13) are
#: left out: there pg_catalog's candidates take part in the choice.
EXTENSION_FUNCTION_NAMES: dict[str, frozenset[str]] = {
    "uuid-ossp": frozenset({
        "uuid_nil", "uuid_ns_dns", "uuid_ns_url", "uuid_ns_oid", "uuid_ns_x500",
        "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v3", "uuid_generate_v4",
        "uuid_generate_v5",
    }),
    "pgcrypto": frozenset({
        "digest", "hmac", "crypt", "gen_salt", "encrypt", "decrypt", "encrypt_iv", "decrypt_iv",
        "gen_random_bytes", "pgp_sym_encrypt", "pgp_sym_encrypt_bytea", "pgp_sym_decrypt",
        "pgp_sym_decrypt_bytea", "pgp_pub_encrypt", "pgp_pub_encrypt_bytea",
        "pgp_pub_decrypt", "pgp_pub_decrypt_bytea", "pgp_key_id", "armor", "dearmor",
        "pgp_armor_headers",
    }),
    "pg_trgm": frozenset({
        "similarity", "show_trgm", "word_similarity", "strict_word_similarity", "show_limit",
        "set_limit",
    }),
    "unaccent": frozenset({"unaccent"}),
    "fuzzystrmatch": frozenset({
        "soundex", "text_soundex", "difference", "levenshtein", "levenshtein_less_equal",
        "metaphone", "dmetaphone", "dmetaphone_alt",
    }),
    "earthdistance": frozenset({
        "earth", "ll_to_earth", "latitude", "longitude", "earth_distance", "earth_box",
        "gc_to_sec", "sec_to_gc", "geo_distance",
    }),
    "tablefunc": frozenset({"crosstab", "normal_rand", "connectby"}),
    "pg_stat_statements": frozenset({
        "pg_stat_statements", "pg_stat_statements_reset", "pg_stat_statements_info",
    }),
    # Listed from pg_proc of a PostgreSQL 15 database with each installed: its functions
    # whose names pg_catalog has none of (support functions of types and indexes left out).
    "ltree": frozenset({
        "index", "lca", "lt_q_regex", "lt_q_rregex", "ltq_regex", "ltq_rregex", "ltree2text",
        "ltree_addltree", "ltree_addtext", "ltree_eq", "ltree_ge", "ltree_gt",
        "ltree_isparent", "ltree_le", "ltree_lt", "ltree_ne", "ltree_risparent",
        "ltree_textadd", "ltxtq_exec", "ltxtq_rexec", "nlevel", "subltree", "subpath",
        "text2ltree",
    }),
    "hstore": frozenset({
        "akeys", "avals", "defined", "delete", "each", "exist", "exists_all", "exists_any",
        "fetchval", "hs_concat", "hs_contained", "hs_contains", "hstore", "hstore_eq",
        "hstore_ge", "hstore_gt", "hstore_hash", "hstore_hash_extended", "hstore_le",
        "hstore_lt", "hstore_ne", "hstore_to_array", "hstore_to_json", "hstore_to_json_loose",
        "hstore_to_jsonb", "hstore_to_jsonb_loose", "hstore_to_matrix", "hstore_version_diag",
        "isdefined", "isexists", "populate_record", "skeys", "slice", "slice_array", "svals",
        "tconvert",
    }),
    "intarray": frozenset({
        "boolop", "icount", "idx", "intarray_del_elem", "intarray_push_array",
        "intarray_push_elem", "intset", "intset_subtract", "intset_union_elem", "rboolop",
        "sort", "sort_asc", "sort_desc", "subarray", "uniq",
    }),
    "cube": frozenset({
        "cube", "cube_contained", "cube_contains", "cube_coord", "cube_coord_llur", "cube_dim",
        "cube_distance", "cube_enlarge", "cube_eq", "cube_ge", "cube_gt", "cube_inter",
        "cube_is_point", "cube_le", "cube_ll_coord", "cube_lt", "cube_ne", "cube_overlap",
        "cube_size", "cube_subset", "cube_union", "cube_ur_coord", "distance_chebyshev",
        "distance_taxicab",
    }),
}  # fmt: skip


def provides_function(extension: str, name: str) -> bool:
    """Whether the shipped ``extension`` has a function ``name`` that no built-in shares."""
    return name in EXTENSION_FUNCTION_NAMES.get(extension, frozenset())


def provides_opclass(extension: str, name: str) -> bool:
    """Whether the shipped ``extension`` has an operator class ``name``."""
    return name in EXTENSION_OPCLASSES.get(extension, frozenset())


#: Base types of shipped extensions that have operators of their own between two values of
#: the type (pg_operator of PostgreSQL 15's extension scripts), and the type an implicit cast
#: takes them to when those operators are not visible (their schema off the search_path):
#: type name -> (extension, operators, implicit cast target).
EXTENSION_TYPES: dict[str, tuple[str, frozenset[str], str]] = {
    "citext": (
        "citext",
        frozenset({"=", "<>", "<", "<=", ">", ">=", "~~", "~~*", "!~~", "!~~*", "~", "~*",
                   "!~", "!~*"}),
        "text",
    ),
}  # fmt: skip


class ExtensionOperator(NamedTuple):
    """A binary operator of a shipped extension (pg_operator of PostgreSQL 15's scripts):
    its argument and result types are built-in type names, or the extension's own type
    (:data:`EXTENSION_OWN_TYPES`), which lives in the schema the extension is installed in."""

    extension: str
    name: str
    left: str
    right: str
    result: str


#: The types each extension below defines (they live in the extension's schema).
EXTENSION_OWN_TYPES: dict[str, frozenset[str]] = {
    "hstore": frozenset({"hstore"}), "ltree": frozenset({"ltree", "lquery", "ltxtquery"}),
}

#: How a literal of an extension's own type is printed back by its output function (None:
#: rejected, or a form pgdrift does not print): a literal of a type not here stays as written.
OWN_TYPE_OUTPUTS: dict[str, Callable[[str], str | None]] = {
    "hstore": hstore_out, "ltree": ltree_out, "lquery": lquery_out,
}

#: The base types shipped extensions create, by name -> extension (their scripts' CREATE
#: TYPE in PostgreSQL 15): an unqualified name finds one in the schema its extension was
#: installed in, when that schema is on the search_path.
SHIPPED_TYPES: dict[str, str] = {
    "citext": "citext", "hstore": "hstore", "cube": "cube", "seg": "seg",
    "ltree": "ltree", "lquery": "ltree", "ltxtquery": "ltree", "query_int": "intarray",
    **dict.fromkeys(
        ("ean13", "isbn", "isbn13", "ismn", "ismn13", "issn", "issn13", "upc"), "isn"),
}  # fmt: skip

#: Operators of shipped extensions that operator resolution picks for a column of the left
#: (or right) type beside a string literal or a column of the other type, whenever the
#: extension's schema is on the search_path: no built-in operator of the name takes that type
#: (pg_trgm's ``%`` beside the built-in modulo operators, which take numbers), or the
#: extension's own type is an exact match (hstore's ``?`` beside jsonb's). The literal then
#: takes the operator's type at its place, and pg_dump, whose search_path is empty, prints
#: the operator qualified: ``(name OPERATOR(public.%) 'x'::text)``. A literal is first taken
#: to be of the other operand's type ("Operator Type Resolution", step 2.a: hstore's
#: ``meta - 'k'`` is hstore minus hstore, and fails on 'k'); only where no operator takes two
#: of that type does the string category win (step 3.c: hstore's ``->`` and ``?`` take text).
#: A literal of the extension's own type is printed by its output function: an hstore's as
#: :func:`pgdrift.pg.hstore.hstore_out` prints it.
EXTENSION_OPERATORS: tuple[ExtensionOperator, ...] = (
    *(ExtensionOperator("pg_trgm", op, "text", "text", result) for op, result in (
        ("%", "boolean"), ("<%", "boolean"), ("%>", "boolean"), ("<<%", "boolean"),
        ("%>>", "boolean"), ("<->", "real"), ("<<->", "real"), ("<->>", "real"),
        ("<<<->", "real"), ("<->>>", "real"),
    )),
    ExtensionOperator("hstore", "->", "hstore", "text", "text"),
    ExtensionOperator("hstore", "?", "hstore", "text", "boolean"),
    ExtensionOperator("hstore", "-", "hstore", "text", "hstore"),
    ExtensionOperator("hstore", "-", "hstore", "hstore", "hstore"),
    *(ExtensionOperator("hstore", op, "hstore", "hstore", "boolean")
      for op in ("=", "<>", "@>", "<@")),
    ExtensionOperator("hstore", "||", "hstore", "hstore", "hstore"),
    *(ExtensionOperator("ltree", op, "ltree", "ltree", "boolean")
      for op in ("=", "<>", "<", "<=", ">", ">=", "@>", "<@")),
    ExtensionOperator("ltree", "||", "ltree", "ltree", "ltree"),
    ExtensionOperator("ltree", "||", "ltree", "text", "ltree"),
    ExtensionOperator("ltree", "||", "text", "ltree", "ltree"),
    ExtensionOperator("ltree", "~", "ltree", "lquery", "boolean"),
    ExtensionOperator("ltree", "~", "lquery", "ltree", "boolean"),
    ExtensionOperator("ltree", "@", "ltree", "ltxtquery", "boolean"),
    ExtensionOperator("ltree", "@", "ltxtquery", "ltree", "boolean"),
    ExtensionOperator("earthdistance", "<@>", "point", "point", "double precision"),
)  # fmt: skip


def extension_operator(name: str, left: str | None, right: str | None) -> ExtensionOperator | None:
    """The operator of :data:`EXTENSION_OPERATORS` that resolution picks for ``name`` between
    operands of the types ``left`` and ``right``, None standing for a string literal; None
    when none or several remain.

    >>> extension_operator("%", "text", None).extension
    'pg_trgm'
    >>> extension_operator("%", "integer", None) is None
    True
    >>> extension_operator("-", "hstore", None).right  # hstore minus hstore, not text
    'hstore'
    """
    found = [
        operator
        for operator in EXTENSION_OPERATORS
        if operator.name == name
        and left in (None, operator.left)
        and right in (None, operator.right)
    ]
    if (left is None) != (right is None):
        # The literal is first taken to be of the other operand's type (step 2.a).
        other = right if left is None else left
        same = [op for op in found if (op.left if left is None else op.right) == other]
        found = same or found
    return found[0] if len(found) == 1 else None


def can_set_schema(extension: str) -> bool:
    """Whether ``ALTER EXTENSION <extension> SET SCHEMA`` works, as far as pgdrift knows.

    >>> can_set_schema("hstore"), can_set_schema("xml2")
    (True, False)
    """
    return extension not in NOT_RELOCATABLE


#: Operator classes that shipped extensions mark DEFAULT FOR TYPE (PostgreSQL 15's extension
#: scripts, /usr/share/postgresql/15/extension), by (access method, type): a type of pg_catalog
#: by its catalog name, or one the extension creates. GetDefaultOpClass picks them, so pg_dump
#: prints none of them; ``anyenum`` stands for any enum.
EXTENSION_DEFAULT_OPCLASSES: dict[str, dict[tuple[str, str], str]] = {
    "btree_gin": {
        ("gin", "anyenum"): "enum_ops", ("gin", "bit"): "bit_ops", ("gin", "bool"): "bool_ops",
        ("gin", "bpchar"): "bpchar_ops", ("gin", "bytea"): "bytea_ops",
        ("gin", "cidr"): "cidr_ops", ("gin", "date"): "date_ops", ("gin", "float4"): "float4_ops",
        ("gin", "float8"): "float8_ops", ("gin", "inet"): "inet_ops", ("gin", "int2"): "int2_ops",
        ("gin", "int4"): "int4_ops", ("gin", "int8"): "int8_ops",
        ("gin", "interval"): "interval_ops", ("gin", "macaddr"): "macaddr_ops",
        ("gin", "macaddr8"): "macaddr8_ops", ("gin", "money"): "money_ops",
        ("gin", "name"): "name_ops", ("gin", "numeric"): "numeric_ops", ("gin", "oid"): "oid_ops",
        ("gin", "text"): "text_ops", ("gin", "time"): "time_ops",
        ("gin", "timestamp"): "timestamp_ops", ("gin", "timestamptz"): "timestamptz_ops",
        ("gin", "timetz"): "timetz_ops", ("gin", "uuid"): "uuid_ops",
        ("gin", "varbit"): "varbit_ops", ("gin", "varchar"): "varchar_ops",
    },
    "btree_gist": {
        ("gist", "anyenum"): "gist_enum_ops", ("gist", "bit"): "gist_bit_ops",
        ("gist", "bool"): "gist_bool_ops", ("gist", "bpchar"): "gist_bpchar_ops",
        ("gist", "bytea"): "gist_bytea_ops", ("gist", "cidr"): "gist_cidr_ops",
        ("gist", "date"): "gist_date_ops", ("gist", "float4"): "gist_float4_ops",
        ("gist", "float8"): "gist_float8_ops", ("gist", "inet"): "gist_inet_ops",
        ("gist", "int2"): "gist_int2_ops", ("gist", "int4"): "gist_int4_ops",
        ("gist", "int8"): "gist_int8_ops", ("gist", "interval"): "gist_interval_ops",
        ("gist", "macaddr"): "gist_macaddr_ops", ("gist", "macaddr8"): "gist_macaddr8_ops",
        ("gist", "money"): "gist_cash_ops", ("gist", "numeric"): "gist_numeric_ops",
        ("gist", "oid"): "gist_oid_ops", ("gist", "text"): "gist_text_ops",
        ("gist", "time"): "gist_time_ops", ("gist", "timestamp"): "gist_timestamp_ops",
        ("gist", "timestamptz"): "gist_timestamptz_ops", ("gist", "timetz"): "gist_timetz_ops",
        ("gist", "uuid"): "gist_uuid_ops", ("gist", "varbit"): "gist_vbit_ops",
    },
    "citext": {
        ("btree", "citext"): "citext_ops", ("hash", "citext"): "citext_ops",
    },
    "cube": {
        ("btree", "cube"): "cube_ops", ("gist", "cube"): "gist_cube_ops",
    },
    "hstore": {
        ("btree", "hstore"): "btree_hstore_ops", ("gin", "hstore"): "gin_hstore_ops",
        ("gist", "hstore"): "gist_hstore_ops", ("hash", "hstore"): "hash_hstore_ops",
    },
    "isn": {
        ("btree", "ean13"): "ean13_ops", ("btree", "isbn"): "isbn_ops",
        ("btree", "isbn13"): "isbn13_ops", ("btree", "ismn"): "ismn_ops",
        ("btree", "ismn13"): "ismn13_ops", ("btree", "issn"): "issn_ops",
        ("btree", "issn13"): "issn13_ops", ("btree", "upc"): "upc_ops",
        ("hash", "ean13"): "ean13_ops", ("hash", "isbn"): "isbn_ops",
        ("hash", "isbn13"): "isbn13_ops", ("hash", "ismn"): "ismn_ops",
        ("hash", "ismn13"): "ismn13_ops", ("hash", "issn"): "issn_ops",
        ("hash", "issn13"): "issn13_ops", ("hash", "upc"): "upc_ops",
    },
    "ltree": {
        ("btree", "ltree"): "ltree_ops", ("gist", "_ltree"): "gist__ltree_ops",
        ("gist", "ltree"): "gist_ltree_ops",
    },
    "seg": {
        ("btree", "seg"): "seg_ops", ("gist", "seg"): "gist_seg_ops",
    },
}
