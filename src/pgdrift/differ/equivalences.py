"""Which attributes two equal objects hold in different written forms, and the rule that made
them one (:mod:`pgdrift.pg.equivalences`): the "Treated as equal" of a report.

An expression carries the names of the normalisation rules that changed it as it was read
(:attr:`pgdrift.expr.Expr.forms`); two equal expressions whose sets differ were written in two
forms, made equal by the rules in one set and not the other. Options (storage parameters...)
compare as name/value pairs, so the same pairs in another order are equal too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
        found.update(_compare(old[oid], new[oid]))
    return tuple(sorted(found, key=lambda t: t.sort_key()))


def _compare(before: model.DbObject, after: model.DbObject) -> Iterator[TreatedAsEqual]:
    if type(before) is not type(after):
        return
    for field in attrs.fields(type(before)):
        if field.name in _SKIP or not field.eq:
            continue
        old, new = getattr(before, field.name), getattr(after, field.name)
        if field.name in _UNORDERED_OPTIONS and old != new and _pairs(old) == _pairs(new):
            yield TreatedAsEqual(before.id, field.name, equivalences.OPTIONS_ORDER)
        elif isinstance(old, model.Columns) and isinstance(new, model.Columns):
            for name in old.keys() & new.keys():
                yield from _compare(old[name], new[name])
        else:
            for rule in _rules(old, new):
                yield TreatedAsEqual(before.id, field.name, rule)


def _pairs(value: Any) -> frozenset[Any] | None:
    if isinstance(value, tuple) and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        return frozenset(value)
    return None


def _rules(old: Any, new: Any) -> set[str]:
    """The listed rules that made ``old`` and ``new`` (equal parts of one attribute) equal."""
    if isinstance(old, Expr) and isinstance(new, Expr):
        if old.forms == new.forms or old != new:
            return set()
        return {r for r in old.forms ^ new.forms if r in equivalences.RULES}
    if isinstance(old, tuple) and isinstance(new, tuple) and len(old) == len(new):
        return {r for o, n in zip(old, new, strict=True) for r in _rules(o, n)}
    if attrs.has(type(old)) and type(old) is type(new) and not isinstance(old, model.DbObject):
        return {r for f in attrs.fields(type(old)) if f.eq
                for r in _rules(getattr(old, f.name), getattr(new, f.name))}  # fmt: skip
    return set()


__all__ = ["treated_as_equal"]
