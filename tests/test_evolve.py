"""pgdrift._evolve.evolve must be attrs.evolve, only faster: same result for every class the
model holds, the same refusal of an unknown field, caches reset rather than copied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest

import pgdrift
from pgdrift import model
from pgdrift._evolve import evolve
from pgdrift.expr import parse_expr
from pgdrift.ids import ObjectId

ROOT = Path(__file__).resolve().parent.parent
# The topical fixtures (tables, types, routines, privileges, partitions...) and liveconvo's.
FIXTURES = [
    p for p in sorted((ROOT / "fixtures").glob("*/dump.sql")) if p.parent.name != "dumpall"
] + [
    ROOT / "fixtures" / "liveconvo" / "prod" / "dump.sql",
]


def _instances(value: Any, seen: dict[type, list[Any]]) -> None:
    """Every attrs instance inside ``value`` (a few per class), depth first."""
    if attrs.has(type(value)):
        found = seen.setdefault(type(value), [])
        if len(found) < 5:
            found.append(value)
        for field in attrs.fields(type(value)):
            _instances(getattr(value, field.name), seen)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            _instances(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            _instances(item, seen)


def _model_instances() -> list[Any]:
    seen: dict[type, list[Any]] = {}
    for path in FIXTURES:
        for obj in pgdrift.load(path).objects.values():
            _instances(obj, seen)
    return [value for values in seen.values() for value in values]


INSTANCES = _model_instances()


def test_the_fixtures_hold_many_classes() -> None:
    # The comparison below means something only if it sees the model's variety.
    assert len({type(v) for v in INSTANCES}) >= 40


@pytest.mark.parametrize("value", INSTANCES, ids=lambda v: type(v).__name__)
def test_same_as_attrs_evolve(value: Any) -> None:
    assert evolve(value) == attrs.evolve(value)
    assert type(evolve(value)) is type(value)
    for field in attrs.fields(type(value)):
        if not field.init:
            continue
        current = getattr(value, field.name)
        changed = evolve(value, **{field.alias: current})
        assert changed == attrs.evolve(value, **{field.alias: current})
        assert getattr(changed, field.name) is current


def test_a_changed_field_changes_only_that_field() -> None:
    oid = ObjectId("table", "public", "t")
    renamed = evolve(oid, name="u")
    assert renamed == ObjectId("table", "public", "u")
    assert oid == ObjectId("table", "public", "t")


def test_an_unknown_field_is_refused_as_attrs_refuses_it() -> None:
    oid = ObjectId("table", "public", "t")
    with pytest.raises(TypeError, match="'colour'"):
        evolve(oid, colour="red")
    with pytest.raises(TypeError):
        attrs.evolve(oid, colour="red")


def test_cached_values_are_reset_not_copied() -> None:
    # An Expr caches its SQL text and hash (init=False fields): a copy with another tree must
    # not keep the old ones.
    first, second = parse_expr("a + 1"), parse_expr("b * 2")
    assert first.sql == "a + 1"
    hash(first)
    changed = evolve(first, tree=second.tree)
    assert changed.sql == "b * 2"
    assert changed == second
    assert hash(changed) == hash(second)


def test_a_class_with_a_post_init_still_runs_it() -> None:
    columns = next(
        t.columns for t in pgdrift.load(FIXTURES[0]).objects.values() if isinstance(t, model.Table)
    )
    fewer = evolve(columns, ordered=columns.ordered[:1])
    assert list(fewer) == [columns.ordered[0].name]
    assert fewer[columns.ordered[0].name] is columns.ordered[0]
