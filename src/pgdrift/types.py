"""Canonical type references.

PostgreSQL spells one type many ways: ``int``, ``int4``, ``integer`` and ``pg_catalog.int4`` are
the same type, ``varchar(255)`` is ``character varying(255)``, ``int[3]`` is ``integer[]``. A
:class:`TypeRef` holds the one canonical spelling, so two types are equal exactly when PostgreSQL
would store the same ``atttypid``/``atttypmod``, and ``str()`` prints what ``format_type()``
(and so ``pg_dump``) prints.

>>> str(parse_type("pg_catalog.varchar(255)[]"))
'character varying(255)[]'
>>> parse_type("int4") == parse_type("integer")
True
"""

from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING, Any

import attrs

from pgdrift.errors import ParseError
from pgdrift.pg.quoting import quote_ident as _quote_ident

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

__all__ = [
    "BUILTIN_TYPES",
    "OID_ALIASES",
    "TypeRef",
    "parse_type",
    "quote_ident",
    "type_from_node",
    "type_from_parts",
]

# Names of the types in pg_catalog (PostgreSQL 15's pg_type, plus the ones 9.6 still had), by
# their internal name. An unqualified name in this set is the pg_catalog type: pg_catalog is
# searched before the search_path unless listed in it explicitly (docs: "The Schema Search Path").
#: The object identifier alias types (pg_type: regclass...), each with no operator of its own:
#: compared, each is read as oid (its implicit binary cast).
OID_ALIASES = frozenset({
    "regclass", "regcollation", "regconfig", "regdictionary", "regnamespace", "regoper",
    "regoperator", "regproc", "regprocedure", "regrole", "regtype",
})  # fmt: skip
BUILTIN_TYPES = frozenset(
    """
    aclitem any anyarray anycompatible anycompatiblearray anycompatiblemultirange
    anycompatiblenonarray anycompatiblerange anyelement anyenum anymultirange anynonarray
    anyrange bit bool box bpchar bytea char cid cidr circle cstring date datemultirange
    daterange event_trigger fdw_handler float4 float8 gtsvector index_am_handler inet int2
    int2vector int4 int4multirange int4range int8 int8multirange int8range internal interval
    json jsonb jsonpath language_handler line lseg macaddr macaddr8 money name numeric
    nummultirange numrange oid oidvector path pg_brin_bloom_summary
    pg_brin_minmax_multi_summary pg_ddl_command pg_dependencies pg_lsn pg_mcv_list
    pg_ndistinct pg_node_tree pg_snapshot point polygon record refcursor regclass regcollation
    regconfig regdictionary regnamespace regoper regoperator regproc regprocedure regrole
    regtype table_am_handler text tid time timestamp timestamptz timetz trigger tsm_handler
    tsmultirange tsquery tsrange tstzmultirange tstzrange tsvector txid_snapshot unknown uuid
    varbit varchar void xid xid8 xml
    abstime reltime tinterval smgr opaque
    """.split()  # noqa: SIM905 - a word list reads better than 120 quoted strings
)

# Internal name -> the SQL-standard name format_type() prints (format_type.c).
_SQL_NAMES = {
    "int2": "smallint",
    "int4": "integer",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "bool": "boolean",
    "varchar": "character varying",
    "bpchar": "character",
    "varbit": "bit varying",
    "timestamp": "timestamp without time zone",
    "timestamptz": "timestamp with time zone",
    "time": "time without time zone",
    "timetz": "time with time zone",
}
_INTERNAL_NAMES = {sql: internal for internal, sql in _SQL_NAMES.items()}
_BUILTIN_CANONICAL = frozenset(_SQL_NAMES.get(name, name) for name in BUILTIN_TYPES)

# The interval field masks the grammar stores as the first typmod: INTERVAL_MASK(b) = 1 << b
# with MONTH=1, YEAR=2, DAY=3, HOUR=10, MINUTE=11, SECOND=12 (datatype/timestamp.h, datetime.h).
_MONTH, _YEAR, _DAY, _HOUR, _MINUTE, _SECOND = (1 << b for b in (1, 2, 3, 10, 11, 12))
_INTERVAL_FULL_RANGE = 0x7FFF
_INTERVAL_FIELDS = {
    _YEAR: "year",
    _MONTH: "month",
    _DAY: "day",
    _HOUR: "hour",
    _MINUTE: "minute",
    _SECOND: "second",
    _YEAR | _MONTH: "year to month",
    _DAY | _HOUR: "day to hour",
    _DAY | _HOUR | _MINUTE: "day to minute",
    _DAY | _HOUR | _MINUTE | _SECOND: "day to second",
    _HOUR | _MINUTE: "hour to minute",
    _HOUR | _MINUTE | _SECOND: "hour to second",
    _MINUTE | _SECOND: "minute to second",
}
_INTERVAL_MASKS = {text: mask for mask, text in _INTERVAL_FIELDS.items()}

_INTEGER = re.compile(r"-?[0-9]+\Z")
_NUMBER = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")


def quote_ident(name: str) -> str:
    """Quote an identifier the way PostgreSQL's ``quote_identifier()`` (and pg_dump) would;
    the one implementation lives in :mod:`pgdrift.pg.quoting`.

    >>> quote_ident("mood"), quote_ident("Mood"), quote_ident("char")
    ('mood', '"Mood"', '"char"')
    """
    return _quote_ident(name)


@attrs.frozen
class TypeRef:
    """A type as PostgreSQL resolves it, in one canonical spelling.

    ``schema`` is None for pg_catalog types (their ``pg_catalog.`` prefix is implied) and for
    user types written without a schema: :attr:`needs_schema` tells the two apart, and
    :meth:`resolve` qualifies the latter against a search_path. ``name`` is the SQL name
    (``'integer'``, ``'character varying'``, ``'timestamp with time zone'``) for built-ins and
    the plain (unquoted) name for user types; for ``%TYPE`` references it is the dotted column
    reference, quoted as needed. ``modifiers`` are the typmods as the type's input function
    receives them, except that interval's field mask is decoded to its words.

    >>> str(TypeRef(None, "timestamp with time zone", ("3",)))
    'timestamp(3) with time zone'
    >>> str(TypeRef("public", "Mood", array_dims=1))
    'public."Mood"[]'
    """

    schema: str | None
    name: str
    modifiers: tuple[str, ...] = ()
    # PostgreSQL ignores declared array sizes and dimension counts ("Arrays" in the docs:
    # "the current implementation ignores any supplied array size limits"), so this is 0 or 1.
    array_dims: int = 0
    setof: bool = False
    pct_type: bool = False

    @property
    def is_builtin(self) -> bool:
        """True for a pg_catalog type."""
        return self.schema is None and not self.pct_type and self.name in _BUILTIN_CANONICAL

    @property
    def needs_schema(self) -> bool:
        """True for a user type written without a schema (pg_dump before 10.3 did this, with
        ``SET search_path = <schema>, pg_catalog``): resolve it with :meth:`resolve`."""
        return self.schema is None and not self.pct_type and not self.is_builtin

    def resolve(self, search_path: Sequence[str], exists: Callable[[str, str], bool]) -> TypeRef:
        """Qualify an unqualified user type with the first ``search_path`` schema where
        ``exists(schema, name)`` says it is defined; anything else is returned unchanged.

        >>> str(TypeRef(None, "mood").resolve(["app", "public"], lambda s, n: s == "public"))
        'public.mood'
        """
        if not self.needs_schema:
            return self
        for schema in search_path:
            if exists(schema, self.name):
                return attrs.evolve(self, schema=schema)
        return self

    @property
    def element(self) -> TypeRef:
        """The type without array dimensions and SETOF."""
        return attrs.evolve(self, array_dims=0, setof=False)

    def catalog_names(self) -> tuple[str, ...]:
        """The qualified name as the parser writes it (``('pg_catalog', 'int4')``)."""
        if self.pct_type:
            raise ValueError("a %TYPE reference has no catalog name")
        if self.schema is None:
            if self.is_builtin:
                return ("pg_catalog", _INTERNAL_NAMES.get(self.name, self.name))
            return (self.name,)
        return (self.schema, self.name)

    def typmod_values(self) -> tuple[int | str, ...]:
        """The modifiers as the parser's typmod constants: integers where they are integers,
        interval fields encoded back to their mask."""
        values: list[int | str] = []
        mods = self.modifiers
        if self.schema is None and self.name == "interval" and mods:
            if mods[0] in _INTERVAL_MASKS:
                values.append(_INTERVAL_MASKS[mods[0]])
                mods = mods[1:]
            else:
                values.append(_INTERVAL_FULL_RANGE)
        values.extend(int(m) if _INTEGER.match(m) else m for m in mods)
        return tuple(values)

    def compact(self) -> str:
        """The type as ``str()`` writes it, except that a built-in SQL name of several words
        takes PostgreSQL's one-word name for it (``varchar(255)``, ``timestamptz``), for
        displays with little room such as a diagram's column list.

        >>> parse_type("character varying(255)[]").compact()
        'varchar(255)[]'
        >>> parse_type("timestamp(3) with time zone").compact(), parse_type("text").compact()
        ('timestamptz(3)', 'text')
        """
        internal = _INTERNAL_NAMES.get(self.name) if " " in self.name else None
        if internal is None or not self.is_builtin:
            return str(self)
        text = internal + _paren(self.modifiers) + "[]" * self.array_dims
        return f"SETOF {text}" if self.setof else text

    def __str__(self) -> str:
        text = f"{self.name}%TYPE" if self.pct_type else self._base()
        if self.array_dims:
            text += "[]" * self.array_dims
        return f"SETOF {text}" if self.setof else text

    def _base(self) -> str:
        mods = self.modifiers
        if self.schema is not None:
            return f"{quote_ident(self.schema)}.{quote_ident(self.name)}{_paren(mods)}"
        name = self.name
        if not self.is_builtin:
            return quote_ident(name) + _paren(mods)
        if name.startswith(("timestamp ", "time ")):
            word, zone = name.split(" ", 1)
            return f"{word}{_paren(mods)} {zone}"
        if name == "interval":
            if mods and not _is_number(mods[0]):
                return f"interval {mods[0]}{_paren(mods[1:])}"
            return f"interval{_paren(mods)}"
        # format_type() prints bpchar and bit without a length as "bpchar" and '"bit"':
        # a bare "character" or "bit" would read back as length 1.
        if name == "character" and not mods:
            return "bpchar"
        if name == "char" or (name == "bit" and not mods):
            return f'"{name}"'
        return name + _paren(mods)


def _paren(mods: Sequence[str]) -> str:
    if not mods:
        return ""
    return "(" + ",".join(m if _is_number(m) else quote_ident(m) for m in mods) + ")"


def _is_number(text: str) -> bool:
    return _NUMBER.match(text) is not None


def type_from_parts(
    names: Sequence[str],
    typmods: Iterable[int | str] = (),
    *,
    array_dims: int = 0,
    setof: bool = False,
    pct_type: bool = False,
) -> TypeRef:
    """Build the canonical :class:`TypeRef` from a TypeName's pieces: its name list, its typmod
    constants (ints, or strings for string and identifier typmods), its array bound count."""
    dims = 1 if array_dims else 0
    if pct_type:
        name = ".".join(quote_ident(part) for part in names)
        return TypeRef(None, name, array_dims=dims, setof=setof, pct_type=True)
    if len(names) == 1:
        schema, name = None, names[0]
    else:
        # A three-part name's catalog part must be the current database: it names nothing.
        schema, name = names[-2], names[-1]
    mods = [str(m) for m in typmods]
    if schema in (None, "pg_catalog"):
        if name.startswith("_") and name[1:] in BUILTIN_TYPES:
            # pg_catalog._int4 is the array type of int4, spelt the internal way.
            name = name[1:]
            dims = 1
        if name in BUILTIN_TYPES:
            schema = None
            if name == "interval" and mods and _INTEGER.match(mods[0]):
                mask = int(mods[0])
                mods = mods[1:]
                if mask != _INTERVAL_FULL_RANGE:
                    mods.insert(0, _INTERVAL_FIELDS.get(mask, str(mask)))
            name = _SQL_NAMES.get(name, name)
            if name == "numeric" and len(mods) == 1 and _INTEGER.match(mods[0]):
                # numeric(p) is numeric(p,0): numerictypmodin stores the scale (docs:
                # Arbitrary Precision Numbers), and format_type prints both.
                mods.append("0")
    return _type_ref(schema, name, tuple(mods), dims, setof, pct_type)


# TypeRef is frozen: one instance per distinct type serves every column of that type (a
# 5,000-table schema has tens of thousands of columns and a few dozen distinct types).
_type_ref = functools.lru_cache(maxsize=4096)(TypeRef)


def type_from_node(node: dict[str, Any]) -> TypeRef:
    """The :class:`TypeRef` of a TypeName JSON dict, as libpg_query writes it (bare, as in
    ``ColumnDef.typeName``, or wrapped as ``{"TypeName": {...}}``).

    >>> type_from_node({"names": [{"String": {"sval": "pg_catalog"}},
    ...                           {"String": {"sval": "int4"}}], "typemod": -1})
    TypeRef(schema=None, name='integer', modifiers=(), array_dims=0, setof=False, pct_type=False)
    """
    if "TypeName" in node and len(node) == 1:
        node = node["TypeName"]
    names = tuple([item["String"].get("sval", "") for item in node["names"]])
    typmods = node.get("typmods")
    key = (
        names,
        tuple([_typmod_value(item) for item in typmods]) if typmods else (),
        len(node.get("arrayBounds", ())),
        bool(node.get("setof")),
        bool(node.get("pct_type")),
    )
    # A dump names a few dozen distinct types in tens of thousands of columns and casts.
    found = _FROM_NODE.get(key)
    if found is None:
        found = type_from_parts(key[0], key[1], array_dims=key[2], setof=key[3], pct_type=key[4])
        if len(_FROM_NODE) < 4096:
            _FROM_NODE[key] = found
    return found


_FROM_NODE: dict[tuple[Any, ...], TypeRef] = {}


def _typmod_value(item: dict[str, Any]) -> int | str:
    # Typmods reach the type's typmodin function as cstrings: integer, float and string constants
    # and bare identifiers all become their text (parse_type.c, typenameTypeMod).
    if "A_Const" in item:
        const = item["A_Const"]
        if "ival" in const:
            return int(const["ival"].get("ival", 0))
        for key in ("sval", "fval", "bsval"):
            if key in const:
                return str(const[key].get(key, ""))
    if "ColumnRef" in item:
        fields = item["ColumnRef"]["fields"]
        if len(fields) == 1 and "String" in fields[0]:
            return str(fields[0]["String"]["sval"])
    raise ValueError(f"unsupported type modifier: {json.dumps(item)}")


def parse_type(text: str) -> TypeRef:
    """Parse a type as written in SQL, with everything a function's RETURNS accepts
    (``SETOF``, ``tab.col%TYPE``).

    >>> str(parse_type("interval day to second(3)"))
    'interval day to second(3)'
    >>> parse_type("decimal(10, 2)") == parse_type("numeric(10,2)")
    True
    """
    # pglast's parser is imported here, not with the module: see pgdrift._expr_tree.
    from pglast.parser import ParseError as PglastParseError  # noqa: PLC0415
    from pglast.parser import parse_sql_json  # noqa: PLC0415

    sql = f"CREATE FUNCTION pgdrift_type() RETURNS {text} LANGUAGE sql AS ''"
    try:
        stmts = json.loads(parse_sql_json(sql))["stmts"]
    except PglastParseError as exc:
        raise ParseError(f"not a type: {text!r} ({exc.args[0]})", statement=text) from None
    stmt = stmts[0]["stmt"] if len(stmts) == 1 else {}
    func = stmt.get("CreateFunctionStmt", {})
    if len(func.get("options", ())) != 2 or "returnType" not in func:
        raise ParseError(f"not a type: {text!r}", statement=text)
    return type_from_node(func["returnType"])
