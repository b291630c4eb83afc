"""The walk behind "treated as equal" (pgdrift.differ.equivalences) skips what cannot hold an
expression, by class and by declared type; it must find exactly what a walk of every
attribute of every value finds. The reference walk below is that plain walk.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

import pgdrift
from pgdrift import model
from pgdrift.differ.changes import TreatedAsEqual
from pgdrift.differ.equivalences import treated_as_equal
from pgdrift.errors import Error
from pgdrift.expr import Expr
from pgdrift.pg import equivalences

ROOT = Path(__file__).resolve().parent.parent
PAIRS = sorted(p for p in (ROOT / "fixtures" / "pairs").iterdir() if (p / "a").is_dir())
_UNORDERED = frozenset({"options", "fdw_options", "index_options", "settings"})


def reference(
    old: Mapping[Any, model.DbObject], new: Mapping[Any, model.DbObject]
) -> tuple[TreatedAsEqual, ...]:
    found: set[TreatedAsEqual] = set()
    for oid in old.keys() & new.keys():
        found.update(_compare(old[oid], new[oid]))
    return tuple(sorted(found, key=lambda t: t.sort_key()))


def _compare(before: model.DbObject, after: model.DbObject) -> Iterator[TreatedAsEqual]:
    if type(before) is not type(after):
        return
    for field in attrs.fields(type(before)):
        if field.name in ("id", "span", "toc") or not field.eq:
            continue
        old, new = getattr(before, field.name), getattr(after, field.name)
        if field.name in _UNORDERED and old != new and _pairs(old) == _pairs(new):
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


def loaded(path: Path) -> pgdrift.Schema | None:
    try:
        return pgdrift.load(path, strict=False)
    except Error:
        return None


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_the_walk_finds_what_walking_everything_finds(pair: Path) -> None:
    sides = {
        name: loaded(pair / side / file)
        for side in ("a", "b")
        for file in ("dump.sql", "source.sql")
        if (pair / side / file).is_file()
        for name in [f"{side}/{file}"]
    }
    schemas = [s for s in sides.values() if s is not None]
    for old in schemas:
        for new in schemas:
            assert_same_walk(old, new)


def assert_same_walk(old: pgdrift.Schema, new: pgdrift.Schema) -> None:
    assert treated_as_equal(old.objects, new.objects) == reference(old.objects, new.objects)


# Each form in every place an expression is kept: a column's default and generation, a check,
# an index's expression and predicate, a view, a policy, a domain, a routine's argument.
_PLACES = """
CREATE SEQUENCE public.s;
CREATE DOMAIN public.d AS timestamp DEFAULT ({ts}) CHECK (VALUE > {ts});
CREATE TABLE public.t (
    x timestamptz, k text, id bigint DEFAULT nextval({seq}),
    y timestamp DEFAULT ({ts}), g timestamp GENERATED ALWAYS AS ({ts}) STORED,
    CONSTRAINT k_check CHECK (k = ANY ({arr})));
CREATE INDEX t_i ON public.t (({ts})) WHERE k = ANY ({arr});
CREATE VIEW public.v AS SELECT {ts} AS z FROM public.t WHERE k = ANY ({arr});
ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON public.t USING (k = ANY ({arr})) WITH CHECK ({ts} IS NOT NULL);
CREATE FUNCTION public.f(a timestamp DEFAULT {ts_const}) RETURNS int LANGUAGE sql AS 'SELECT 1';
"""
_FORMS = [
    {"ts": "x AT TIME ZONE 'utc'", "ts_const": "now() AT TIME ZONE 'utc'",
     "seq": "'\"public\".\"s\"'::regclass",
     "arr": "(ARRAY['a'::character varying, 'b'::character varying])::text[]"},
    {"ts": "timezone('utc', x)", "ts_const": "timezone('utc', now())",
     "seq": "'public.s'::regclass", "arr": "ARRAY['a'::text, 'b'::text]"},
]  # fmt: skip


@pytest.mark.parametrize(("a", "b"), [(0, 1), (1, 0), (0, 0)])
def test_the_walk_finds_every_place_an_expression_is_kept(a: int, b: int) -> None:
    old = pgdrift.loads(_PLACES.format(**_FORMS[a]), strict=False)
    new = pgdrift.loads(_PLACES.format(**_FORMS[b]), strict=False)
    found = treated_as_equal(old.objects, new.objects)
    assert found == reference(old.objects, new.objects)
    if a != b:
        assert {str(t.id) for t in found} >= {"column:public.t.y", "column:public.t.id"}
