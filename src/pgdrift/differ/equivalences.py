"""Which attributes two equal objects hold in different written forms, and the rule that made
them one (:mod:`pgdrift.pg.equivalences`): the "Treated as equal" of a report.

An expression carries the names of the normalisation rules that changed it as it was read
(:attr:`pgdrift.expr.Expr.forms`); two equal expressions whose sets differ were written in two
forms, made equal by the rules in one set and not the other. Options (storage parameters...)
compare as name/value pairs, so the same pairs in another order are equal too.
"""

from __future__ import annotations

import enum
import functools
import typing
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
    in_new = new.get
    for oid, before in old.items():
        after = in_new(oid)
        if after is not None:
            _compare(before, after, found)
    return tuple(sorted(found, key=lambda t: t.sort_key()))


def _compare(before: model.DbObject, after: model.DbObject, found: set[TreatedAsEqual]) -> None:
    if type(before) is not type(after):
        return
    kinds = _KINDS
    for name in _object_fields(type(before)):
        old, new = getattr(before, name), getattr(after, name)
        if old is new:
            continue
        cls = type(old)
        if cls is model.Columns and type(new) is model.Columns:  # (no class derives from it)
            for column in old.keys() & new.keys():
                _compare(old[column], new[column], found)
            continue
        kind = kinds.get(cls) or _kind(cls)
        if kind[0] == _OTHER and name not in _UNORDERED_OPTIONS:
            continue  # a string, a number, None...: no rule makes two of them one
        if name in _UNORDERED_OPTIONS and old != new and _pairs(old) == _pairs(new):
            found.add(TreatedAsEqual(before.id, name, equivalences.OPTIONS_ORDER))
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
# class is looked at once, not each value. Attributes whose declared type cannot hold an
# expression (a type reference, a privilege: the types mypy --strict checks) are not walked.
_OTHER, _EXPR, _TUPLE, _ATTRS = range(4)
_KINDS: dict[type, tuple[int, tuple[str, ...]]] = {}
_OBJECT_FIELDS: dict[type, tuple[str, ...]] = {}
_HOLDS: dict[type, bool] = {}
# Containers _rules does not look into (only tuples and attrs instances are walked).
_NOT_WALKED = (frozenset, set, dict, list)
_ATOMS = (str, int, float, bool, bytes, type(None))


def _object_fields(cls: type) -> tuple[str, ...]:
    """The attributes of a model class compared for rules (its equality's, less its place,
    less those whose declared type cannot hold an expression)."""
    names = _OBJECT_FIELDS.get(cls)
    if names is None:
        hints = _hints(cls)
        names = tuple(
            f.name for f in attrs.fields(cls)
            if f.eq and f.name not in _SKIP and (
                f.name in _UNORDERED_OPTIONS or hints is None
                or _may_hold(hints.get(f.name, Any), top=True))
        )  # fmt: skip
        _OBJECT_FIELDS[cls] = names
    return names


def _kind(cls: type) -> tuple[int, tuple[str, ...]]:
    found = _KINDS.get(cls)
    if found is None:
        if issubclass(cls, Expr):
            found = (_EXPR, ())
        elif issubclass(cls, tuple):
            found = (_TUPLE, ())
        elif attrs.has(cls) and not issubclass(cls, model.DbObject) and _holds(cls):
            hints = _hints(cls)
            found = (_ATTRS, tuple(
                f.name for f in attrs.fields(cls)
                if f.eq and (hints is None or _may_hold(hints.get(f.name, Any)))
            ))  # fmt: skip
        else:
            found = (_OTHER, ())
        _KINDS[cls] = found
    return found


def _hints(cls: type) -> dict[str, Any] | None:
    """The resolved annotations of an attrs class, or None when they cannot be resolved."""
    try:
        return typing.get_type_hints(cls, localns=_annotation_names())
    except Exception:  # an annotation this module cannot resolve: walk every attribute
        return None


@functools.cache
def _annotation_names() -> dict[str, Any]:
    """The names the model's annotations use (imported there only for type checking)."""
    from pgdrift import expr, ids, source, types  # noqa: PLC0415

    names: dict[str, Any] = {}
    for module in (source, ids, types, expr, model):
        names.update(vars(module))
    return names


def _holds(cls: type) -> bool:
    """Whether an instance of attrs class ``cls`` may hold an expression _rules would reach."""
    found = _HOLDS.get(cls)
    if found is None:
        _HOLDS[cls] = False  # a class that holds itself: the other attributes decide
        hints = _hints(cls)
        found = hints is None or any(
            _may_hold(hints.get(f.name, Any)) for f in attrs.fields(cls) if f.eq
        )
        _HOLDS[cls] = found
    return found


def _may_hold(annotation: Any, *, top: bool = False) -> bool:
    """Whether a value of this declared type may hold an expression _rules would reach (at
    the ``top`` of an object, the columns of a table too); True when it cannot tell."""
    if annotation is Any or annotation is object or isinstance(annotation, typing.TypeVar):
        return True
    origin = typing.get_origin(annotation)
    if origin is not None:
        if origin in _NOT_WALKED or origin is typing.Literal:
            return False
        arguments = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        return not arguments or any(_may_hold(a, top=top) for a in arguments)
    if not isinstance(annotation, type):
        return True
    if issubclass(annotation, _ATOMS) or issubclass(annotation, enum.Enum):
        return False
    if issubclass(annotation, Expr) or (top and issubclass(annotation, model.Columns)):
        return True
    if issubclass(annotation, _NOT_WALKED):
        return False
    if attrs.has(annotation):
        return not issubclass(annotation, model.DbObject) and _holds(annotation)
    return True


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
