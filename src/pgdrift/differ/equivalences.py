"""Which attributes two equal objects hold in different written forms, and the rule that made
them one (:mod:`pgdrift.pg.equivalences`): the "Treated as equal" of a report.

An expression carries the names of the normalisation rules that changed it as it was read
(:attr:`pgdrift.expr.Expr.forms`); two equal expressions whose sets differ were written in two
forms, made equal by the rules in one set and not the other. Options (storage parameters...)
compare as name/value pairs, so the same pairs in another order are equal too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from pgdrift import model
from pgdrift.differ.changes import TreatedAsEqual
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.pg import equivalences

_SKIP = frozenset({"id", "span", "toc"})
# ``(name, value)`` pairs compared as a set of pairs; a routine's SET clauses (``config``)
# are kept in order (the last one wins), so they are not among them.
_UNORDERED_OPTIONS = frozenset({"options", "fdw_options", "index_options", "settings"})


def treated_as_equal(
    old: Mapping[ObjectId, model.DbObject], new: Mapping[ObjectId, model.DbObject]
) -> tuple[TreatedAsEqual, ...]:
    """Every attribute of the objects on both sides that is equal only through a rule."""
    found: set[TreatedAsEqual] = set()
    for oid in old.keys() & new.keys():
        _compare(old[oid], new[oid], found)
    return tuple(sorted(found, key=lambda t: t.sort_key()))


def _compare(before: model.DbObject, after: model.DbObject, found: set[TreatedAsEqual]) -> None:
    if type(before) is not type(after):
        return
    for name in _object_fields(type(before)):
        old, new = getattr(before, name), getattr(after, name)
        if old is new:
            continue
        if name in _UNORDERED_OPTIONS and old != new and _pairs(old) == _pairs(new):
            found.add(TreatedAsEqual(before.id, name, equivalences.OPTIONS_ORDER))
        elif isinstance(old, model.Columns) and isinstance(new, model.Columns):
            for column in old.keys() & new.keys():
                _compare(old[column], new[column], found)
        else:
            rules: set[str] = set()
            _rules(old, new, rules)
            for rule in rules:
                found.add(TreatedAsEqual(before.id, name, rule))


def _pairs(value: Any) -> frozenset[Any] | None:
    if isinstance(value, tuple) and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        return frozenset(value)
    return None


# What _rules does with a value, by its class: a cold diff walks every attribute of every
# object on both sides (millions of values, nearly all strings, numbers and None), so the
# class is looked at once, not each value.
_OTHER, _EXPR, _TUPLE, _ATTRS = range(4)
_KINDS: dict[type, tuple[int, tuple[str, ...]]] = {}
_OBJECT_FIELDS: dict[type, tuple[str, ...]] = {}


def _object_fields(cls: type) -> tuple[str, ...]:
    """The attributes of a model class compared for rules (its equality's, less its place)."""
    names = _OBJECT_FIELDS.get(cls)
    if names is None:
        names = tuple(f.name for f in attrs.fields(cls) if f.eq and f.name not in _SKIP)
        _OBJECT_FIELDS[cls] = names
    return names


def _kind(cls: type) -> tuple[int, tuple[str, ...]]:
    found = _KINDS.get(cls)
    if found is None:
        if issubclass(cls, Expr):
            found = (_EXPR, ())
        elif issubclass(cls, tuple):
            found = (_TUPLE, ())
        elif attrs.has(cls) and not issubclass(cls, model.DbObject):
            found = (_ATTRS, tuple(f.name for f in attrs.fields(cls) if f.eq))
        else:
            found = (_OTHER, ())
        _KINDS[cls] = found
    return found


def _rules(old: Any, new: Any, rules: set[str]) -> None:
    """Add to ``rules`` the listed rules that made ``old`` and ``new`` (equal parts of one
    attribute) equal."""
    if old is new:
        return
    kind, names = _kind(type(old))
    if kind == _OTHER:
        return
    if kind == _EXPR:
        if isinstance(new, Expr) and old.forms != new.forms and old == new:
            rules.update(r for r in old.forms ^ new.forms if r in equivalences.RULES)
    elif kind == _TUPLE:
        if isinstance(new, tuple) and len(old) == len(new):
            for o, n in zip(old, new, strict=True):
                _rules(o, n, rules)
    elif type(old) is type(new):
        for name in names:
            _rules(getattr(old, name), getattr(new, name), rules)


__all__ = ["treated_as_equal"]
