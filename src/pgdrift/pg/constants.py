"""Constants as PostgreSQL stores and prints them.

A literal in DDL becomes a ``Const`` node when the statement is analysed: a number takes the
type the parser gives it (``make_const`` in parse_node.c: ``integer`` if it fits four bytes,
else ``bigint`` for an integer that fits eight, else ``numeric``), a quoted string is of type
unknown until it is coerced to the type its place needs, and ``'text'::type`` is folded into a
``Const`` of that type at once. The value kept is what the type's input function made of the
text, so it prints back as the type's output function writes it. pg_dump prints stored
expressions with ruleutils' ``get_const_expr``: a non-negative ``integer`` bare, a ``numeric``
bare when it looks like a decimal literal, a boolean as ``true``/``false``, and anything else
quoted with a cast to its type (``'-1'::integer``, ``'1'::numeric``, ``'a'::public.s``). Each
rule here was checked against PostgreSQL 15 (tests/test_stored_expressions.py).

Numbers, booleans, bit strings, ISO dates and timestamps, times, intervals
(pgdrift.pg.intervals), bytea, inet, cidr and uuid (pgdrift.pg.addresses), the built-in
ranges and multiranges (pgdrift.pg.ranges), tsquery (pgdrift.pg.tsquery) and jsonpath
(pgdrift.pg.jsonpath) are printed as their output functions print them; values whose output
form pgdrift does not compute offline (jsonb, geometric types, ...) keep the text as written:
such a literal compares equal to its dump only if it was written the way the server prints it,
and never equal to a different value.

>>> print(const_sql(literal_const({"A_Const": {"ival": {"ival": -1}}})))
'-1'::integer
>>> print(const_sql(coerce_unknown("0010", TypeRef(None, "integer"))))
10
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

import attrs

from pgdrift.errors import ParseError
from pgdrift.pg.addresses import inet_out, uuid_out
from pgdrift.pg.arrays import array_out
from pgdrift.pg.datetimes import datetime_out, time_out
from pgdrift.pg.extensions import EXTENSION_OWN_TYPES
from pgdrift.pg.hstore import hstore_out
from pgdrift.pg.intervals import interval_out
from pgdrift.pg.jsonb import jsonb_out
from pgdrift.pg.jsonpath import jsonpath_out
from pgdrift.pg.numeric_text import DECIMAL_TEXT, numeric_out
from pgdrift.pg.quoting import quote_literal
from pgdrift.pg.ranges import multirange_out, range_out
from pgdrift.pg.tsquery import tsquery_out
from pgdrift.types import TypeRef, parse_type

__all__ = [
    "BIGINT",
    "BOOLEAN",
    "INTEGER",
    "NUMERIC",
    "RANGE_SUBTYPES",
    "TEXT",
    "Const",
    "coerce_unknown",
    "const_node",
    "const_sql",
    "length_coerce",
    "literal_const",
    "printed_unknown",
    "regtype_out",
    "type_name_node",
    "unknown_label",
]

INTEGER = TypeRef(None, "integer")
BIGINT = TypeRef(None, "bigint")
NUMERIC = TypeRef(None, "numeric")
BOOLEAN = TypeRef(None, "boolean")
TEXT = TypeRef(None, "text")
BIT = TypeRef(None, "bit")

#: The built-in range types (each has a constructor of its name) and their subtypes (pg_range).
RANGE_SUBTYPES = {
    "int4range": INTEGER, "int8range": BIGINT, "numrange": NUMERIC,
    "tsrange": TypeRef(None, "timestamp without time zone"),
    "tstzrange": TypeRef(None, "timestamp with time zone"), "daterange": TypeRef(None, "date"),
}  # fmt: skip
#: The built-in multirange types and the subtypes of their ranges (pg_range.rngmultitypid).
_MULTIRANGE_SUBTYPES = {
    name.replace("range", "multirange"): subtype for name, subtype in RANGE_SUBTYPES.items()
}

_INT_RANGES = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}
# int2in/int4in/int8in: optional blanks around an optional sign and decimal digits.
_INTEGER_TEXT = re.compile(r"\s*([-+]?[0-9]+)\s*\Z")
# boolin accepts any unambiguous prefix of these words, in any case, with blanks around.
_BOOLEAN_WORDS = {"true": True, "false": False, "yes": True, "no": False}
_BOOLEAN_EXACT = {"on": True, "off": False, "1": True, "0": False, "t": True, "f": False,
                  "y": True, "n": False}  # fmt: skip
# Float output (PostgreSQL 12+: the shortest text that reads back exactly) matches Python's
# repr for values printed without an exponent; beyond these it switches to exponents.
_FLOAT_DIGITS = {"double precision": 15, "real": 6}
# Read and printed by pgdrift.pg.datetimes (ISO forms; a timestamptz in UTC).
_DATETIMES = frozenset({"date", "timestamp without time zone", "timestamp with time zone"})
# Types whose output is their input (no length given: a literal is coerced with typmod -1).
_VERBATIM = frozenset({"text", "character varying", "character", "json"})


@attrs.frozen
class Const:
    """A constant as stored: its type (without typmod, as ``consttypmod`` is -1 for a coerced
    literal) and its value as the type's output function writes it."""

    type: TypeRef
    text: str


def literal_const(node: dict[str, Any]) -> Const | None:
    """The Const the parser makes of a number or boolean literal (JSON ``A_Const``); None for a
    string literal (type unknown) or NULL.

    >>> literal_const({"A_Const": {"fval": {"fval": "3000000000"}}})
    Const(type=TypeRef(schema=None, name='bigint', ...), text='3000000000')
    """
    const = node.get("A_Const")
    if const is None:
        return None
    if "ival" in const:
        return Const(INTEGER, str(const["ival"].get("ival", 0)))
    if "boolval" in const:
        return Const(BOOLEAN, "t" if const["boolval"].get("boolval") else "f")
    if "fval" in const:
        text = const["fval"]["fval"]
        if _INTEGER_TEXT.match(text):
            low, high = _INT_RANGES["bigint"]
            if low <= int(text) <= high:
                return Const(BIGINT, str(int(text)))
        value = numeric_out(text)
        return None if value is None else Const(NUMERIC, value)
    if "bsval" in const:
        # B'1010' and X'F' (the parser's "b1010", "xF") are bit constants; the hex form is
        # four bits a digit (bitin), and the value prints back as its binary digits.
        text = const["bsval"].get("bsval", "")
        if text[:1] in ("b", "B"):
            return Const(BIT, text[1:])
        try:
            return Const(BIT, "".join(f"{int(digit, 16):04b}" for digit in text[1:]))
        except ValueError:
            return None
    return None


def unknown_label(to: TypeRef) -> TypeRef:
    """The type a literal of unknown type (or NULL) coerced to ``to`` is printed with."""
    # consttypmod is -1 (coerce_type passes -1 to the input function except for interval,
    # and applies a length coercion on top that pg_dump does not print).
    keep_typmod = to.is_builtin and to.name == "interval" and not to.array_dims
    return to if keep_typmod else attrs.evolve(to, modifiers=())


def coerce_unknown(text: str, to: TypeRef) -> Const | None:
    """The Const a string literal of unknown type becomes when coerced to ``to`` (a domain's
    base type, already resolved); None where the input function would reject the text.

    >>> coerce_unknown(" yes", BOOLEAN)
    Const(type=TypeRef(schema=None, name='boolean', ...), text='t')
    >>> coerce_unknown("1e3", NUMERIC).text
    '1000'
    """
    label = unknown_label(to)
    if not to.array_dims and to.schema is not None and to.name in EXTENSION_OWN_TYPES["hstore"]:
        # The hstore extension's type, in the schema it was installed in.
        printed = hstore_out(text)
        return Const(label, printed if printed is not None else text)
    if to.array_dims and to.is_builtin:
        # As array_out prints it back where pgdrift prints each element; else as written.
        return printed_unknown(text, to) or Const(label, text)
    if to.array_dims or not to.is_builtin:
        return Const(label, text)
    name = to.name
    if name in _INT_RANGES:
        match = _INTEGER_TEXT.match(text)
        if match is None:
            return None
        low, high = _INT_RANGES[name]
        value = int(match[1])
        return Const(label, str(value)) if low <= value <= high else None
    if name == "numeric":
        value_text = numeric_out(text)
        return None if value_text is None else Const(label, value_text)
    if name == "boolean":
        truth = _boolean(text)
        return None if truth is None else Const(label, "t" if truth else "f")
    printed = _printed(text, to)
    return Const(label, printed if printed is not None else text)


def _printed(text: str, to: TypeRef) -> str | None:
    """What the output function of the built-in type ``to`` (no integer, numeric or boolean)
    prints for ``text``, or None where pgdrift does not compute it."""
    name = to.name
    if name in _FLOAT_DIGITS:
        return _float_out(text, _FLOAT_DIGITS[name])
    if name in _DATETIMES:
        return datetime_out(text, name)
    if name == "interval":  # read by its fields, truncated to them and to its precision
        return interval_out(text, to.modifiers)
    if name == "time without time zone":
        return time_out(text)
    if name == "bytea":
        return bytea_out(text)
    if name == "regtype":
        return regtype_out(text)
    if name == "jsonb":
        return jsonb_out(text)
    if name == "jsonpath":
        return jsonpath_out(text)
    if name in ("inet", "cidr"):
        return inet_out(text, cidr=name == "cidr")
    if name == "uuid":
        return uuid_out(text)
    if name in RANGE_SUBTYPES:  # each bound as its subtype prints it
        subtype = RANGE_SUBTYPES[name]
        return range_out(text, subtype.name, lambda bound: _element_out(bound, subtype))
    if name in _MULTIRANGE_SUBTYPES:  # its ranges sorted and merged, each as range_out prints it
        subtype = _MULTIRANGE_SUBTYPES[name]
        return multirange_out(text, subtype.name, lambda bound: _element_out(bound, subtype))
    if name == "tsquery":
        return tsquery_out(text)
    if name in _VERBATIM:
        return text
    if name == "name":  # cut to NAMEDATALEN - 1 bytes, on a character boundary
        return text.encode()[:63].decode(errors="ignore")
    if name == "char":  # charin keeps the first byte (or reads a \ooo escape: not followed)
        return text[:1] if text[:1].isascii() and not text.startswith("\\") else None
    if name == "xml":  # xml_out may drop the XML declaration (not followed)
        return None if "<?xml" in text else text
    return None


def printed_unknown(text: str, to: TypeRef) -> Const | None:
    """The Const a string literal becomes when given to a parameter of the built-in type
    ``to`` (or an array of one), where pgdrift prints it as the type's output
    function does; None elsewhere, and where the input function would reject it: the literal
    is then left as written rather than typed with a text the server may print otherwise.

    >>> printed_unknown("{a, b}", TypeRef(None, "text", array_dims=1)).text
    '{a,b}'
    >>> printed_unknown("1.5.", NUMERIC), printed_unknown("$.a", TypeRef(None, "jsonpath")).text
    (None, '$."a"')
    """
    if not to.is_builtin:
        return None
    label = unknown_label(to)
    if to.array_dims:  # PostgreSQL ignores the dimensions an array type is written with
        element = attrs.evolve(label, array_dims=0)
        out = array_out(text, lambda item: _element_out(item, element))
        return None if out is None else Const(label, out)
    if to.name in _INT_RANGES or to.name in ("numeric", "boolean"):
        return coerce_unknown(text, to)
    printed = _printed(text, to)
    return None if printed is None else Const(label, printed)


def _element_out(text: str, element: TypeRef) -> str | None:
    const = printed_unknown(text, element)
    return None if const is None else const.text


# A type name as regtypein reads it: a name of one or two words (double precision), a typmod,
# time zone or interval words, array brackets.
_TYPE_TEXT = re.compile(
    r'\s*(pg_catalog\s*\.\s*)?("?[a-z_][a-z0-9_]*"?)(\s+(varying|precision))?\s*(\([0-9\s,]*\))?'
    r"(\s+with(out)?\s+time\s+zone)?(\s+(year|month|day|hour|minute|second)"
    r"(\s+to\s+(month|hour|minute|second))?)?\s*(\([0-9\s]*\))?(\s*\[\s*\d*\s*\])*\s*\Z",
    re.IGNORECASE,
)


def regtype_out(text: str) -> str | None:
    """regtypein then regtypeout: the type the text names, without its typmod, as format_type
    names it (``'int4'`` is ``integer``, ``'varchar(10)'`` ``character varying``); None for a
    type not built in (its name depends on the search_path) or text pgdrift does not read.

    >>> regtype_out("int4[]"), regtype_out("bpchar"), regtype_out("mood")
    ('integer[]', 'character', None)
    """
    if _TYPE_TEXT.match(text) is None:
        return None  # not only a type name (parse_type reads it inside a statement)
    try:
        ref = parse_type(text)
    except (ValueError, ParseError):
        return None
    if not ref.is_builtin or ref.setof or ref.pct_type:
        return None
    ref = attrs.evolve(ref, modifiers=())
    # format_type without a typmod: "character" and "bit" (str() writes bpchar and "bit").
    if ref.name in ("character", "bit"):
        return ref.name + "[]" * ref.array_dims
    return str(ref)


def length_coerce(const: Const, to: TypeRef) -> Const | None:
    """``const`` (a value of ``to``'s type) through the length coercion of ``to``'s typmod, as
    evaluating an assignment cast does (a partition bound: transformPartitionBoundValue);
    None where PostgreSQL raises an error. Done are numeric() (rounded half away from zero
    to the scale, an error past the precision), bpchar() (padded with blanks; only blanks may
    be cut) and varchar() (only blanks may be cut); other values are returned as they are.

    >>> [length_coerce(Const(NUMERIC, t), TypeRef(None, "numeric", ("6", "2"))) for t in
    ...  ("2.505", "-0.001", "10000")]  # doctest: +ELLIPSIS
    [Const(..., text='2.51'), Const(..., text='0.00'), None]
    >>> length_coerce(Const(TEXT, "a"), TypeRef(None, "character", ("3",))).text
    'a  '
    """
    mods = to.modifiers
    if not to.is_builtin or to.array_dims or not all(m.lstrip("-").isdigit() for m in mods):
        return const
    if to.name == "numeric" and len(mods) == 2:
        precision, scale = int(mods[0]), int(mods[1])
        try:
            value = Decimal(const.text)
        except InvalidOperation:
            return const
        if not value.is_finite():
            return const
        rounded = value.quantize(Decimal(1).scaleb(-scale), ROUND_HALF_UP, Context(prec=2000))
        if abs(rounded) >= Decimal(10) ** (precision - scale):
            return None  # numeric field overflow
        if scale < 0:
            rounded = rounded.quantize(Decimal(1))
        text = format(abs(rounded) if rounded.is_zero() else rounded, "f")
        return attrs.evolve(const, text=text)
    if to.name in ("character", "character varying") and len(mods) == 1:
        length, text = int(mods[0]), const.text
        if len(text) > length:
            if text[length:].strip(" "):
                return None  # value too long for type character(n) / character varying(n)
            return attrs.evolve(const, text=text[:length])
        return attrs.evolve(const, text=text.ljust(length) if to.name == "character" else text)
    return const


_HEX_BYTES = re.compile(r"(?:[0-9A-Fa-f]{2})*")
_OCTAL_BYTE = re.compile(r"[0-3][0-7]{2}")


def bytea_out(text: str) -> str | None:
    r"""byteain then byteaout (``bytea_output`` hex, the default): ``\x`` and the bytes in
    lower-case hex. Read are the hex form (``\x0A 0B``) and the escape form, where ``\\`` is
    a backslash and ``\ooo`` an octal byte (the text is taken as UTF-8, the encoding pg_dump
    and pgdrift read); None for what byteain would reject.

    >>> bytea_out(""), bytea_out("ab"), bytea_out(r"\x0A 0b"), bytea_out(r"a\\b\001")
    ('\\x', '\\x6162', '\\x0a0b', '\\x615c6201')
    """
    if text.startswith("\\x"):
        digits = "".join(text[2:].split())
        return "\\x" + digits.lower() if _HEX_BYTES.fullmatch(digits) else None
    data = bytearray()
    index = 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            data += char.encode("utf-8")
            index += 1
        elif text[index + 1 : index + 2] == "\\":
            data.append(0x5C)
            index += 2
        elif _OCTAL_BYTE.fullmatch(text[index + 1 : index + 4]):
            data.append(int(text[index + 1 : index + 4], 8))
            index += 4
        else:
            return None  # byteain: invalid input syntax for type bytea
    return "\\x" + data.hex()


def _boolean(text: str) -> bool | None:
    word = text.strip().lower()
    if word in _BOOLEAN_EXACT:
        return _BOOLEAN_EXACT[word]
    if len(word) >= 1:
        found = [v for w, v in _BOOLEAN_WORDS.items() if w.startswith(word)]
        if len(found) == 1:
            return found[0]
    return None


def _float_out(text: str, digits: int) -> str | None:
    """float8out/float4out for a plain decimal of few digits; None where pgdrift does not
    know the exact output (exponents, long fractions)."""
    match = DECIMAL_TEXT.match(text)
    if match is None:
        return None
    # The digits written, before any exponent (1e10 is one digit, printed 10000000000).
    significant = re.sub(r"[^0-9]", "", match[1]).lstrip("0")
    value = float(text)
    if len(significant) > digits or not math.isfinite(value) or abs(value) >= 10**digits:
        return None
    out = repr(value)
    if "e" in out:
        return None
    return out.removesuffix(".0")


def type_name_node(ref: TypeRef) -> dict[str, Any]:
    """The JSON TypeName the parser would make of ``ref``."""
    node: dict[str, Any] = {"names": [{"String": {"sval": part}} for part in ref.catalog_names()]}
    mods = ref.typmod_values()
    if mods:
        node["typmods"] = [
            {"A_Const": {"ival": {"ival": m}}} if isinstance(m, int) else
            {"A_Const": {"sval": {"sval": m}}}
            for m in mods
        ]  # fmt: skip
    node["typemod"] = -1
    if ref.array_dims:
        node["arrayBounds"] = [{"Integer": {"ival": -1}}]
    return node


def const_node(const: Const) -> dict[str, Any]:
    """The JSON of ``const`` as pg_dump prints it (ruleutils' get_const_expr, no forced label)."""
    ref, text = const.type, const.text
    if ref == INTEGER and not text.startswith("-"):
        return {"A_Const": {"ival": {"ival": int(text)} if int(text) else {}}}
    if ref == NUMERIC and text[:1].isdigit() and any(c in text for c in ".eE"):
        return {"A_Const": {"fval": {"fval": text}}}
    if ref == BOOLEAN:
        return {"A_Const": {"boolval": {"boolval": True} if text == "t" else {}}}
    return {
        "TypeCast": {"arg": {"A_Const": {"sval": {"sval": text}}}, "typeName": type_name_node(ref)}
    }


def undecorated_const_node(const: Const) -> dict[str, Any]:
    """The JSON of ``const`` as ruleutils prints it with no label of its own, under a length
    coercion that shows the type (``12.345::numeric(8,3)``, ``'1000'::numeric(8,1)``): bare
    where :func:`const_node` prints it bare, else a quoted literal."""
    node = const_node(const)
    if "TypeCast" in node:
        return {"A_Const": {"sval": {"sval": const.text}}}
    return node


def const_sql(const: Const | None) -> str:
    """``const`` as pg_dump prints it, as text (for messages and doctests)."""
    if const is None:
        return "<rejected>"
    node = const_node(const)
    if "TypeCast" in node:
        return f"{quote_literal(const.text)}::{const.type}"
    value = node["A_Const"]
    if "boolval" in value:
        return "true" if value["boolval"] else "false"
    return const.text
