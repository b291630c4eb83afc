"""What ``ALTER TABLE ... ALTER COLUMN ... TYPE new`` does to the rows already there.

One classifier, read by the planner (the step's ``USING`` clause and hazards) and the reports
(their critical issues), so the two cannot disagree. For a change from ``old`` to ``new`` it says:

- whether a ``USING`` clause is needed: PostgreSQL converts the column with an implicit or
  assignment cast when one exists, and refuses otherwise ("column cannot be cast automatically";
  docs: ALTER TABLE, ``SET DATA TYPE``). Casts are those of ``pg_cast`` (``castcontext`` 'i' or
  'a'), plus the automatic I/O conversion casts: to a string type they are assignment casts,
  from a string type explicit only (docs: CREATE CAST, Notes);
- whether the table is rewritten: not when the conversion leaves the stored bytes as they are,
  i.e. the old type is binary coercible to the new one (``pg_cast.castmethod`` 'b', or a domain
  to its base type) or an unconstrained domain over it, and a length, precision or field limit
  only grows (the length coercion's support function drops the call: ``varchar_support``,
  ``numeric_support``, ``timestamp_support``...). PostgreSQL checks this in tablecmds.c,
  ``ATColumnChangeRequiresRewrite`` (docs: ALTER TABLE, Notes);
- whether it may fail, or cut values to fit, on existing rows: a narrower range or limit, fewer
  digits, fewer fields, a parse from text. Conversions that keep every value whole are listed in
  :data:`_LOSSLESS`; anything else is assumed to be able to fail;
- whether it silently changes values (``cuts``): PostgreSQL's implicit and assignment casts
  round (numeric to integer, fewer fractional digits or seconds), drop fields (timestamp to
  date) or normalise (json to jsonb) without an error, so the ALTER succeeds and the old values
  are gone (:data:`_CUTS`, :func:`_rounds`).

Every claim here is checked on a real PostgreSQL 15 by ``tests/test_type_changes.py``.

>>> from pgdrift.types import parse_type
>>> type_change(parse_type("integer"), parse_type("text")).conversion
<Conversion.REWRITE: 'rewrite'>
>>> type_change(parse_type("text"), parse_type("integer")).using("n")
'n::integer'
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Protocol

import attrs

from pgdrift.pg.hazards import Hazard
from pgdrift.pg.quoting import quote_ident
from pgdrift.types import TypeRef

__all__ = ["Conversion", "DomainLike", "TypeChange", "foreign_key_compatible", "type_change"]

_INT2, _INT4, _INT8 = "smallint", "integer", "bigint"
_FLOAT4, _FLOAT8 = "real", "double precision"
_TEXT, _VARCHAR, _BPCHAR, _NAME = "text", "character varying", "character", "name"
_TS, _TSTZ = "timestamp without time zone", "timestamp with time zone"
_TIME, _TIMETZ = "time without time zone", "time with time zone"
_BIT, _VARBIT = "bit", "bit varying"
_CHAR = "char"  # the one-byte internal type, written "char" in SQL

#: The string category (``typcategory`` 'S'): every type converts to these by its output
#: function with an assignment cast, and from them by its input function with an explicit one.
_STRING_TYPES = frozenset({_TEXT, _VARCHAR, _BPCHAR, _NAME})

# pg_cast between built-in types other than a type and itself, by castcontext: 'i' implicit,
# 'a' assignment (both convert a column without USING), 'e' explicit (needs USING). PostgreSQL
# 15's catalog: SELECT format_type(castsource, NULL), format_type(casttarget, NULL), castcontext
# FROM pg_cast.
_CASTS: dict[tuple[str, str], str] = {
    (_CHAR, _BPCHAR): "a", (_CHAR, _VARCHAR): "a", (_CHAR, _INT4): "e",
    (_CHAR, _TEXT): "i",
    (_INT2, _INT4): "i", (_INT2, _INT8): "i", (_INT2, "numeric"): "i", (_INT2, _FLOAT4): "i",
    (_INT2, _FLOAT8): "i", (_INT2, "oid"): "i",
    (_INT4, _INT2): "a", (_INT4, _INT8): "i", (_INT4, "numeric"): "i", (_INT4, _FLOAT4): "i",
    (_INT4, _FLOAT8): "i", (_INT4, "money"): "a", (_INT4, "boolean"): "e", (_INT4, _CHAR): "e",
    (_INT4, _BIT): "e", (_INT4, "oid"): "i",
    (_INT8, _INT2): "a", (_INT8, _INT4): "a", (_INT8, "numeric"): "i", (_INT8, _FLOAT4): "i",
    (_INT8, _FLOAT8): "i", (_INT8, "money"): "a", (_INT8, _BIT): "e", (_INT8, "oid"): "i",
    ("numeric", _INT2): "a", ("numeric", _INT4): "a", ("numeric", _INT8): "a",
    ("numeric", _FLOAT4): "i", ("numeric", _FLOAT8): "i", ("numeric", "money"): "a",
    (_FLOAT4, _INT2): "a", (_FLOAT4, _INT4): "a", (_FLOAT4, _INT8): "a",
    (_FLOAT4, "numeric"): "a", (_FLOAT4, _FLOAT8): "i",
    (_FLOAT8, _INT2): "a", (_FLOAT8, _INT4): "a", (_FLOAT8, _INT8): "a",
    (_FLOAT8, "numeric"): "a", (_FLOAT8, _FLOAT4): "a",
    ("money", "numeric"): "a", ("oid", _INT4): "a", ("oid", _INT8): "a",
    ("boolean", _INT4): "e",
    (_BIT, _INT4): "e", (_BIT, _INT8): "e", (_BIT, _VARBIT): "i", (_VARBIT, _BIT): "i",
    (_BPCHAR, _TEXT): "i", (_BPCHAR, _VARCHAR): "i", (_BPCHAR, _NAME): "i",
    (_BPCHAR, _CHAR): "a", (_BPCHAR, "xml"): "e",
    (_VARCHAR, _TEXT): "i", (_VARCHAR, _BPCHAR): "i", (_VARCHAR, _NAME): "i",
    (_VARCHAR, _CHAR): "a", (_VARCHAR, "xml"): "e",
    (_TEXT, _VARCHAR): "i", (_TEXT, _BPCHAR): "i", (_TEXT, _NAME): "i", (_TEXT, _CHAR): "a",
    (_TEXT, "xml"): "e",
    (_NAME, _TEXT): "i", (_NAME, _VARCHAR): "a", (_NAME, _BPCHAR): "a",
    ("xml", _TEXT): "a", ("xml", _VARCHAR): "a", ("xml", _BPCHAR): "a",
    ("date", _TS): "i", ("date", _TSTZ): "i",
    (_TS, "date"): "a", (_TS, _TIME): "a", (_TS, _TSTZ): "i",
    (_TSTZ, "date"): "a", (_TSTZ, _TIME): "a", (_TSTZ, _TIMETZ): "a", (_TSTZ, _TS): "a",
    (_TIME, "interval"): "i", (_TIME, _TIMETZ): "i", (_TIMETZ, _TIME): "a",
    ("interval", _TIME): "a",
    ("json", "jsonb"): "a", ("jsonb", "json"): "a",
    ("jsonb", "boolean"): "e", ("jsonb", _INT2): "e", ("jsonb", _INT4): "e",
    ("jsonb", _INT8): "e", ("jsonb", "numeric"): "e", ("jsonb", _FLOAT4): "e",
    ("jsonb", _FLOAT8): "e",
    ("cidr", "inet"): "i", ("inet", "cidr"): "a",
    ("macaddr", "macaddr8"): "i", ("macaddr8", "macaddr"): "i",
}  # fmt: skip

# The casts of _CASTS with castmethod 'b': the value is stored the same way in both types, so
# converting rewrites nothing (unless a length coercion follows).
_BINARY = frozenset({
    (_VARCHAR, _TEXT), (_TEXT, _VARCHAR), (_TEXT, _BPCHAR), (_VARCHAR, _BPCHAR),
    ("xml", _TEXT), ("xml", _VARCHAR), ("xml", _BPCHAR), ("cidr", "inet"), (_BIT, _VARBIT),
    (_VARBIT, _BIT), (_INT4, "oid"), ("oid", _INT4),
})  # fmt: skip

# Conversions between different types that keep every value whole and cannot raise an error
# (a limit on the new type is checked separately). Integers fit wider integers and numeric;
# a float8 holds any int4 exactly (53-bit mantissa) and a float4 any int2 (24 bits); money is
# an int8 of cents. timestamp <-> timestamptz reads or writes wall-clock time in the session's
# TimeZone: it changes what is stored, but nothing is refused. (Only values at the very ends of
# the ranges are: a date after 294276 AD has no timestamp, and a timestamp within hours of that
# limit none in another zone; these are treated as not occurring.)
_LOSSLESS = frozenset({
    (_INT2, _INT4), (_INT2, _INT8), (_INT4, _INT8), (_INT2, "numeric"), (_INT4, "numeric"),
    (_INT8, "numeric"), (_INT2, _FLOAT4), (_INT2, _FLOAT8), (_INT4, _FLOAT8),
    (_FLOAT4, _FLOAT8), (_INT4, "money"), ("money", "numeric"), (_INT2, "oid"), (_INT4, "oid"),
    ("oid", _INT4), ("oid", _INT8), ("boolean", _INT4), (_CHAR, _INT4),
    ("date", _TS), ("date", _TSTZ), (_TS, _TSTZ), (_TSTZ, _TS), (_TIME, _TIMETZ),
    (_TIME, "interval"), ("cidr", "inet"), (_BIT, _VARBIT), ("jsonb", "json"),
    ("macaddr", "macaddr8"), ("xml", _TEXT), ("xml", _VARCHAR),
})  # fmt: skip

# Casts (implicit or assignment) that change some values without an error: a float, numeric or
# money cast to an integer type rounds; float8 to float4, numeric to a float and an integer to
# a float with a shorter mantissa lose digits, as do float4 and float8 to numeric (they print
# only FLT_DIG / DBL_DIG digits); numeric to money rounds to cents; a timestamp to date or time
# drops fields, timetz to time its zone, interval to time its days; json to jsonb drops
# duplicate keys and whitespace; inet to cidr zeroes the host bits (cidr(inet)); a string to
# name keeps 63 bytes and to "char" its first byte (docs: 8.1.2, 8.3, 8.5, 8.9, 8.14; PostgreSQL
# 15's float4_numeric, float8_numeric, inet_to_cidr, namein, text_char).
_CUTS = frozenset({
    ("numeric", _INT2), ("numeric", _INT4), ("numeric", _INT8),
    (_FLOAT4, _INT2), (_FLOAT4, _INT4), (_FLOAT4, _INT8),
    (_FLOAT8, _INT2), (_FLOAT8, _INT4), (_FLOAT8, _INT8), (_FLOAT8, _FLOAT4),
    ("numeric", _FLOAT4), ("numeric", _FLOAT8), (_FLOAT4, "numeric"), (_FLOAT8, "numeric"),
    (_INT4, _FLOAT4), (_INT8, _FLOAT4), (_INT8, _FLOAT8), ("numeric", "money"),
    (_TS, "date"), (_TSTZ, "date"), (_TS, _TIME), (_TSTZ, _TIME), (_TSTZ, _TIMETZ),
    (_TIMETZ, _TIME), ("interval", _TIME), ("json", "jsonb"), ("inet", "cidr"),
    (_TEXT, _NAME), (_VARCHAR, _NAME), (_BPCHAR, _NAME),
    (_TEXT, _CHAR), (_VARCHAR, _CHAR), (_BPCHAR, _CHAR),
})  # fmt: skip

# Minimum integer digits numeric(p, s) needs (p - s) to hold every value of an integer type.
_INTEGER_DIGITS = {_INT2: 5, _INT4: 10, _INT8: 19}

# Types whose length coercion has a support function that drops the call when the limit does
# not shrink, so such a change rewrites nothing (varchar_support, varbit_support,
# numeric_support, timestamp_support, time_support, interval_support). character (bpchar) and
# bit have none: any change of their length rewrites.
_PRECISION_TYPES = frozenset({_TS, _TSTZ, _TIME, _TIMETZ, "interval"})


class Conversion(str, enum.Enum):
    """The answer in one word: what the change costs, from cheapest to dearest."""

    #: Stored bytes stay as they are: no rewrite, cannot fail.
    BINARY_COERCIBLE = "binary_coercible"
    #: A cast rewrites the table; every value converts.
    REWRITE = "rewrite"
    #: An implicit or assignment cast converts, but some values may be refused or cut.
    MAY_FAIL = "may_fail"
    #: No implicit or assignment cast: the ALTER needs a ``USING`` expression.
    NEEDS_USING = "needs_using"

    def __str__(self) -> str:
        return str.__str__(self)


class DomainLike(Protocol):
    """What the classifier needs of a domain (:class:`pgdrift.model.Domain` has it)."""

    @property
    def base_type(self) -> TypeRef: ...

    @property
    def not_null(self) -> bool: ...

    @property
    def checks(self) -> tuple[object, ...]: ...


#: Finds the domain a user type names, or None when it is not a domain (or not known).
DomainLookup = Callable[[TypeRef], DomainLike | None]


@attrs.frozen
class TypeChange:
    """What changing a column from one type to another does to the table and its rows.

    Example:
        >>> from pgdrift.types import parse_type
        >>> change = type_change(parse_type("varchar(50)"), parse_type("varchar(20)"))
        >>> change.rewrites, change.may_fail, change.needs_using, change.hazards()
        (True, True, False, ('rewrites_table', 'strong_lock', 'may_fail'))
        >>> type_change(parse_type("numeric(10,2)"), parse_type("numeric(10,1)")).hazards()
        ('deletes_data', 'rewrites_table', 'strong_lock', 'may_fail')
    """

    #: The table (and its indexes) is rewritten, under an ACCESS EXCLUSIVE lock.
    rewrites: bool
    #: Some existing value may be refused (the ALTER fails) or cut to fit (rounded, truncated).
    may_fail: bool
    #: The casts a ``USING`` expression applies to the column, in order (``("text",
    #: "public.mood")``); empty when an implicit or assignment cast converts it unaided.
    using_casts: tuple[str, ...] = ()
    #: Some existing value may be changed without an error (rounded, truncated, normalised):
    #: the ALTER succeeds and what was stored is lost.
    cuts: bool = False

    @property
    def needs_using(self) -> bool:
        return bool(self.using_casts)

    @property
    def conversion(self) -> Conversion:
        if self.using_casts:
            return Conversion.NEEDS_USING
        if self.may_fail:
            return Conversion.MAY_FAIL
        return Conversion.REWRITE if self.rewrites else Conversion.BINARY_COERCIBLE

    def using(self, column: str) -> str | None:
        """The ``USING`` expression for ``column``, or None when none is needed."""
        if not self.using_casts:
            return None
        return quote_ident(column) + "".join(f"::{cast}" for cast in self.using_casts)

    def hazards(self) -> tuple[Hazard, ...]:
        """The hazards of the ALTER on a table that has rows: a rewrite and a check of every row
        both hold ACCESS EXCLUSIVE while they scan the table."""
        found: list[Hazard] = [Hazard.DELETES_DATA] if self.cuts else []
        if self.rewrites:
            found += [Hazard.REWRITES_TABLE, Hazard.STRONG_LOCK]
        if self.may_fail:
            found += [Hazard.MAY_FAIL, Hazard.STRONG_LOCK]
        return tuple(dict.fromkeys(found))


_UNCHANGED = TypeChange(rewrites=False, may_fail=False)


def type_change(old: TypeRef, new: TypeRef, *, domains: DomainLookup | None = None) -> TypeChange:
    """How ``ALTER COLUMN ... TYPE`` from ``old`` to ``new`` goes. ``domains`` finds the
    definition of a user type that is a domain; without it, user types are opaque.

    >>> from pgdrift.types import parse_type
    >>> type_change(parse_type("cidr"), parse_type("inet")).conversion
    <Conversion.BINARY_COERCIBLE: 'binary_coercible'>
    >>> type_change(parse_type("public.mood"), parse_type("public.feeling")).using("c")
    'c::text::public.feeling'
    """
    if old == new:
        return _UNCHANGED
    if domains is not None:
        domain = None if old.is_builtin or old.array_dims else domains(old)
        if domain is not None:
            # A domain's values are values of its base type (a binary-coercible relabel).
            return type_change(domain.base_type, new, domains=domains)
        domain = None if new.is_builtin or new.array_dims else domains(new)
        if domain is not None:
            return _to_domain(old, new, domain, domains)
    if old.array_dims != new.array_dims:
        if not new.array_dims and new.is_builtin and new.name in _STRING_TYPES:
            # An array has a text form too: the I/O conversion to a string type.
            return TypeChange(True, not _string_fits(old, new))
        # No cast adds or removes array dimensions; only text input can be tried.
        return TypeChange(True, True, _via_text(old, new))
    if old.array_dims:
        element = type_change(old.element, new.element, domains=domains)
        # An array is converted element by element (ArrayCoerceExpr), which always rewrites.
        casts = element.using_casts
        if casts:
            casts = ("text[]", str(new)) if len(casts) > 1 else (str(new),)
        return TypeChange(True, element.may_fail, casts, element.cuts)
    if old.is_builtin and new.is_builtin and old.name == new.name:
        return _limit_change(old, new)
    return _cast(old, new)


def _to_domain(old: TypeRef, new: TypeRef, domain: DomainLike, domains: DomainLookup) -> TypeChange:
    base = type_change(old, domain.base_type, domains=domains)
    # Coercing to a domain with a constraint (NOT NULL or CHECK) checks every row, which
    # ATColumnChangeRequiresRewrite counts as a rewrite; an unconstrained domain is a relabel.
    constrained = domain.not_null or bool(domain.checks)
    casts: tuple[str, ...] = ()
    if base.using_casts:
        casts = ("text", str(new)) if len(base.using_casts) > 1 else (str(new),)
    return TypeChange(base.rewrites or constrained, base.may_fail or constrained, casts, base.cuts)


def _cast(old: TypeRef, new: TypeRef) -> TypeChange:
    """A change between different types, at least one of them maybe a user type."""
    source = old.name if old.is_builtin else ""
    target = new.name if new.is_builtin else ""
    context = _CASTS.get((source, target), "")
    if context:
        binary = (source, target) in _BINARY
        casts = (str(new),) if context == "e" else ()
        lossless = (source, target) in _LOSSLESS or _integer_fits_numeric(source, new)
    elif target in _STRING_TYPES:
        # The automatic I/O conversion to a string type is an assignment cast, and every value
        # has a text form.
        binary, casts, lossless = False, (), True
    elif source in _STRING_TYPES:
        # ... from a string type, an explicit cast through the new type's input function.
        binary, casts, lossless = False, (str(new),), False
    else:
        # No cast at all (an enum to another enum, a date to an integer...): a USING clause
        # can only go through text, whose input function may refuse the value.
        return TypeChange(True, True, _via_text(old, new))
    if target in _STRING_TYPES or target == _CHAR:
        lossless = _string_fits(old, new)
    elif new.modifiers and not _integer_fits_numeric(source, new):
        lossless = False
    # A limit on the new type (varchar(20), numeric(10,2)) adds a length coercion after the
    # cast, which is a rewrite even after a binary-coercible one.
    rewrites = not binary or bool(new.modifiers)
    cuts = _cuts(old, new) if (source, target) in _CUTS else _rounds(old, new)
    return TypeChange(rewrites, not lossless or cuts, casts, cuts)


def _cuts(old: TypeRef, new: TypeRef) -> bool:
    """A cast of :data:`_CUTS`, except from a numeric(p, s) whose values all survive it: no
    fractional digits into an integer type, at most 2 into money, at most DBL_DIG (15) or
    FLT_DIG (6) digits into double precision or real."""
    mods = _int_modifiers(old) if old.name == "numeric" else None
    if not mods:
        return True
    precision, scale = mods[0], mods[1] if len(mods) > 1 else 0
    if new.name in _INTEGER_DIGITS:
        return scale > 0
    if new.name == "money":
        return scale > 2
    return precision > (15 if new.name == _FLOAT8 else 6)


def _rounds(old: TypeRef, new: TypeRef) -> bool:
    """Whether the length coercion to ``new`` rounds values of ``old``: numeric(p, s) rounds to
    s fractional digits, timestamp(p), time(p) and interval(p) to p fractional seconds (docs:
    8.1.2, 8.5.1), and an interval with fields drops the smaller ones."""
    if not new.is_builtin or new.array_dims:
        return False
    mods = _int_modifiers(new)
    if new.name == "numeric" and mods:
        scale = mods[1] if len(mods) > 1 else 0
        if old.is_builtin and old.name in _INTEGER_DIGITS:
            return False  # (numeric to numeric is _limit_change's)
        return not (old.is_builtin and old.name == "money" and scale >= 2)
    if new.name in _PRECISION_TYPES and new.modifiers:
        digits = [int(m) for m in new.modifiers if m.isdigit()]
        if [m for m in new.modifiers if not m.isdigit()]:
            return True
        if old.is_builtin and (old.name == "date" or old.name in _INTEGER_DIGITS):
            return False
        old_digits = [int(m) for m in old.modifiers if m.isdigit()]
        if old.name not in _PRECISION_TYPES:
            old_digits = []
        return bool(digits) and digits[-1] < (old_digits[-1] if old_digits else 6)
    return False


def _via_text(old: TypeRef, new: TypeRef) -> tuple[str, ...]:
    text = "text[]" if old.array_dims and new.array_dims else "text"
    if old.is_builtin and old.name in _STRING_TYPES and not old.array_dims:
        return (str(new),)
    return (text, str(new))


def _integer_fits_numeric(source: str, new: TypeRef) -> bool:
    """An integer type into a numeric with room for all its digits."""
    if source not in _INTEGER_DIGITS or new.name != "numeric" or not new.is_builtin:
        return False
    mods = _int_modifiers(new)
    if mods is None:
        return False
    if not mods:
        return True
    scale = mods[1] if len(mods) > 1 else 0
    return mods[0] - scale >= _INTEGER_DIGITS[source]


def _string_fits(old: TypeRef, new: TypeRef) -> bool:
    """Whether every value of ``old`` fits the string type ``new`` without being
    cut or refused: text and unbounded varchar hold anything; name keeps 63 bytes, "char" one.
    Trailing spaces of character(n) are insignificant, so dropping them loses nothing."""
    if new.name in (_NAME, _CHAR):
        return False
    limit = _length(new)
    if limit is None:
        return True
    bounded = old.is_builtin and not old.array_dims and old.name in _STRING_TYPES
    source = _length(old) if bounded else None
    return source is not None and source <= limit


def _length(ref: TypeRef) -> int | None:
    """The length limit of a string type, None for none. A bare ``character``
    is ``bpchar``, without a limit (pg_dump prints ``character(1)`` for the one-letter type)."""
    if ref.name == _NAME:
        return 63
    mods = _int_modifiers(ref)
    return mods[0] if mods else None


def _int_modifiers(ref: TypeRef) -> list[int] | None:
    try:
        return [int(m) for m in ref.modifiers]
    except ValueError:
        return None


def _limit_change(old: TypeRef, new: TypeRef) -> TypeChange:
    """A built-in type into itself with another length, precision or interval fields."""
    name = old.name
    if name in _PRECISION_TYPES:
        return _precision_change(old, new)
    old_mods, new_mods = _int_modifiers(old), _int_modifiers(new)
    if old_mods is None or new_mods is None:
        return TypeChange(True, True)
    if name == "numeric":
        if not new_mods:
            return _UNCHANGED
        if not old_mods:
            return TypeChange(True, True, cuts=True)
        old_scale = old_mods[1] if len(old_mods) > 1 else 0
        new_scale = new_mods[1] if len(new_mods) > 1 else 0
        # numeric_support drops the coercion when the scale stays and the precision grows.
        grows = new_scale == old_scale and new_mods[0] >= old_mods[0]
        fits = new_scale >= old_scale and new_mods[0] - new_scale >= old_mods[0] - old_scale
        # Fewer fractional digits round (numeric(10,2) to numeric(10,1): 1.25 becomes 1.3).
        return TypeChange(not grows, not fits, cuts=new_scale < old_scale)
    if name in (_VARCHAR, _VARBIT):
        if not new_mods:
            return _UNCHANGED
        grows = bool(old_mods) and new_mods[0] >= old_mods[0]
        return TypeChange(not grows, not grows)
    if name == _BPCHAR:
        if not new_mods:
            return _UNCHANGED  # to bpchar: no length coercion at all
        # bpchar has no support function: a new length always rewrites (padding the values).
        fits = bool(old_mods) and new_mods[0] >= old_mods[0]
        return TypeChange(True, not fits)
    # bit(n) into bit(m): an assignment refuses any value whose length is not m.
    return TypeChange(True, True)


def _precision_change(old: TypeRef, new: TypeRef) -> TypeChange:
    """timestamp, time and interval with another fractional-second precision (6 when not
    given) or, for interval, other fields (``interval day`` drops hours and smaller)."""
    old_fields = [m for m in old.modifiers if not m.isdigit()]
    new_fields = [m for m in new.modifiers if not m.isdigit()]
    old_digits = [int(m) for m in old.modifiers if m.isdigit()]
    new_digits = [int(m) for m in new.modifiers if m.isdigit()]
    old_precision = old_digits[-1] if old_digits else 6
    new_precision = new_digits[-1] if new_digits else 6
    keeps = (not new_fields or new_fields == old_fields) and new_precision >= old_precision
    # Fewer fractional seconds round, fewer fields drop the smaller ones: both silently.
    return _UNCHANGED if keeps else TypeChange(True, True, cuts=True)


# Built-in btree operator families with cross-type equality operators (pg_amop): integer_ops,
# float_ops, datetime_ops and text_ops (text with name).
_CROSS_TYPE_FAMILIES = (
    frozenset({_INT2, _INT4, _INT8}), frozenset({_FLOAT4, _FLOAT8}),
    frozenset({"date", _TS, _TSTZ}), frozenset({_TEXT, _NAME}),
)  # fmt: skip
# A key type whose default btree operator class takes another input type: varchar keys are
# indexed with text_ops, cidr ones with inet_ops.
_OPCLASS_INPUT = {_VARCHAR: _TEXT, "cidr": "inet"}


def foreign_key_compatible(
    referencing: TypeRef, referenced: TypeRef, *, domains: DomainLookup | None = None
) -> bool:
    """Whether a foreign key column of type ``referencing`` can reference a key column of type
    ``referenced``: ATAddForeignKeyConstraint (tablecmds.c) needs the key's operator family to
    compare the two types, or the referencing type to coerce implicitly to the key's operator
    class input type; otherwise "foreign key constraint ... cannot be implemented". A domain
    counts as its base type. For user types only the same type is known to work.

    >>> from pgdrift.types import parse_type
    >>> foreign_key_compatible(parse_type("integer"), parse_type("bigint"))
    True
    >>> foreign_key_compatible(parse_type("character varying(36)"), parse_type("uuid"))
    False
    """
    if domains is not None:
        for side in (referencing, referenced):
            domain = None if side.is_builtin or side.array_dims else domains(side)
            if domain is not None:
                base = domain.base_type
                return foreign_key_compatible(base if side is referencing else referencing,
                                              base if side is referenced else referenced,
                                              domains=domains)  # fmt: skip
    same = (referencing.schema, referencing.name, referencing.array_dims) == (
        referenced.schema, referenced.name, referenced.array_dims)  # fmt: skip
    if same or referencing.array_dims or referenced.array_dims:
        return same
    if not (referencing.is_builtin and referenced.is_builtin):
        return False
    key = _OPCLASS_INPUT.get(referenced.name, referenced.name)
    source = referencing.name
    if source == key or any(source in f and key in f for f in _CROSS_TYPE_FAMILIES):
        return True
    return _CASTS.get((source, key)) == "i"
