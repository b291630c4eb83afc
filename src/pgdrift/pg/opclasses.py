"""The default operator classes of PostgreSQL 15's built-in access methods.

pg_get_indexdef (ruleutils.c, get_opclass_name) prints an index key's operator class only when it
is not the one GetDefaultOpClass (indexcmds.c) picks for the key's type and the index's access
method, so pg_dump leaves a default operator class out, however it was written. GetDefaultOpClass
looks at a domain's base type, takes the default class of exactly the type, else the one default
class the type is binary-coercible to (IsBinaryCoercible, parse_coerce.c: an implicit binary
pg_cast, any array to anyarray, an enum to anyenum, a range to anyrange, a multirange to
anymultirange, a composite type to record), preferring a class on a preferred type of the type's
category when several are (varchar is text's), else none.

The catalogue rows it reads are in :mod:`pgdrift.pg.opclass_catalog`, generated from
PostgreSQL 15 by ``python tools/opclass_table.py``, which also checks
:func:`default_opclass` against the class PostgreSQL picks for an index on every built-in type.
"""

from __future__ import annotations

from typing import NamedTuple

from pgdrift.pg.opclass_catalog import BINARY_CASTS, DEFAULT_OPCLASSES, TYPES

__all__ = ["KeyType", "default_opclass", "is_default_opclass", "type_info"]


# IsBinaryCoercible's polymorphic targets, by the kind of type they take (parse_coerce.c).
_POLYMORPHIC = {"anyarray": "A", "anycompatiblearray": "A", "anyenum": "e", "anyrange": "r",
                "anycompatiblerange": "r", "anymultirange": "m",
                "anycompatiblemultirange": "m", "record": "c"}  # fmt: skip
_ANY = frozenset({"any", "anyelement", "anycompatible"})
_NONARRAY = frozenset({"anynonarray", "anycompatiblenonarray"})
_BY_METHOD: dict[str, tuple[tuple[str, str], ...]] = {}
for _method, _name, _input in DEFAULT_OPCLASSES:
    _BY_METHOD[_method] = (*_BY_METHOD.get(_method, ()), (_name, _input))
_TYPES = {row[0]: row for row in TYPES}


class KeyType(NamedTuple):
    """The type of an index key, a domain already replaced by its base type."""

    #: pg_type.typname of a pg_catalog type (``int4``, ``_text`` for text[]), or None.
    name: str | None
    #: 'b' base, 'e' enum, 'r' range, 'm' multirange, 'c' composite, 'A' array: what
    #: IsBinaryCoercible asks of a type of the database's own (``name`` None).
    kind: str
    #: pg_type.typcategory ('S' string, 'A' array, 'E' enum, 'R' range, 'C' composite...).
    category: str


def type_info(name: str) -> KeyType | None:
    """The :class:`KeyType` of the pg_catalog type named ``name`` (its typname), or None.

    >>> type_info("varchar")
    KeyType(name='varchar', kind='b', category='S')
    >>> type_info("_int4").kind, type_info("int4range").kind
    ('A', 'r')
    """
    row = _TYPES.get(name)
    if row is None or row[1] == "p":
        return None
    _, typtype, category, _, is_array = row
    return KeyType(name, "A" if is_array else typtype, category)


def _coercible(key: KeyType, target: str) -> bool:
    """IsBinaryCoercible(key, target) for a key that is not of type ``target`` itself."""
    if target in _ANY:
        return True
    if target in _NONARRAY:
        return key.kind != "A"
    if target == "_record":  # a composite array to record[]: no built-in key type is one
        return False
    if target in _POLYMORPHIC:
        return key.kind == _POLYMORPHIC[target]
    return key.name is not None and (key.name, target) in BINARY_CASTS


def default_opclass(method: str, key: KeyType) -> str | None:
    """The operator class GetDefaultOpClass picks for ``key`` in ``method``, None when there is
    none (or several equally good, which PostgreSQL refuses).

    >>> varchar, bpchar = type_info("varchar"), type_info("bpchar")
    >>> default_opclass("btree", varchar), default_opclass("btree", bpchar)
    ('text_ops', 'bpchar_ops')
    >>> default_opclass("gin", KeyType(None, "A", "A")), default_opclass("gist", type_info("inet"))
    ('array_ops', None)
    """
    exact: list[str] = []
    compatible: list[str] = []
    preferred: list[str] = []
    for name, input_type in _BY_METHOD.get(method, ()):
        if input_type == key.name:
            exact.append(name)
        elif not exact and _coercible(key, input_type):
            info = _TYPES.get(input_type)
            # IsPreferredType: a preferred type of the key's category (varchar -> text).
            if info is not None and info[3] and info[2] == key.category:
                preferred.append(name)
            elif not preferred:
                compatible.append(name)
    if len(exact) == 1:
        return exact[0]
    if not exact and len(preferred) == 1:
        return preferred[0]
    if not exact and not preferred and len(compatible) == 1:
        return compatible[0]
    return None


def is_default_opclass(method: str, name: str) -> bool:
    """Whether ``name`` is a default operator class of ``method`` for some type (opcdefault):
    pg_dump leaves such a range type's subtype_opclass out (dumpRangeType)."""
    return any(opclass == name for opclass, _ in _BY_METHOD.get(method, ()))
