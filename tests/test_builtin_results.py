"""The result types of built-in calls come from pg_proc (pgdrift.pg.builtin_results, which
tools/builtin_signatures.py generates): the function PostgreSQL resolves a call to gives its
type, a polymorphic one resolved from the arguments of its family."""

from __future__ import annotations

import pytest

from pgdrift.pg.builtin_results import RESULTS
from pgdrift.pg.builtin_signatures import SIGNATURES
from pgdrift.pg.overloads import (
    UNKNOWN,
    Overload,
    candidates,
    polymorphic_params,
    resolve_overload,
    result_of,
)
from pgdrift.types import TypeRef

INT = TypeRef(None, "integer")
INTS = TypeRef(None, "integer", array_dims=1)
NUMERIC = TypeRef(None, "numeric", ("12", "2"))


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("jsonb_set", [TypeRef(None, "jsonb"), UNKNOWN, UNKNOWN], "jsonb"),
        ("encode", [TypeRef(None, "bytea"), UNKNOWN], "text"),
        ("age", [TypeRef(None, "timestamp with time zone")], "interval"),
        ("ts_rank", [TypeRef(None, "tsvector"), TypeRef(None, "tsquery")], "real"),
        ("round", [NUMERIC, INT], "numeric"),  # without the argument's precision
        ("abs", [INT], "integer"),
        ("length", [TypeRef(None, "lseg")], "double precision"),
        ("now", [], "timestamp with time zone"),
        ("array_append", [INTS, INT], "integer[]"),
        ("array_remove", [INTS, UNKNOWN], "integer[]"),
        ("array_fill", [INT, INTS], "integer[]"),
        ("unnest", [UNKNOWN], None),  # anyarray of an unknown: PostgreSQL's error
        ("array_append", [INTS, TypeRef(None, "bigint")], None),  # a common type: not followed
    ],
)
def test_result_types_are_the_chosen_functions(
    name: str, args: list[TypeRef], expected: str | None
) -> None:
    chosen = resolve_overload(candidates(name, len(args)), args)
    found = result_of(name, chosen, args) if chosen is not None else None
    assert (str(found) if found is not None else None) == expected


def test_every_signature_has_a_result_type() -> None:
    listed = {f for functions in RESULTS.values() for f in functions}
    missing = [f"{name}({sig})" for (name, _), sigs in SIGNATURES.items() for sig in sigs
               if f"{name}({sig})" not in listed]  # fmt: skip
    assert not missing


_MOOD = TypeRef("public", "mood")
_MOODS = TypeRef("public", "mood", array_dims=1)


@pytest.mark.parametrize(
    ("name", "args", "kinds", "expected"),
    [
        # each as PostgreSQL 15 resolves it (enforce_generic_type_consistency)
        ("max", [_MOOD], ["enum"], _MOOD),  # max(anyenum)
        ("min", [_MOOD], ["enum"], _MOOD),
        ("max", [_MOOD], [None], None),  # not known to be an enum: anyenum does not take it
        ("max", [TypeRef(None, "integer", array_dims=1)], [None],
         TypeRef(None, "integer", array_dims=1)),  # max(anyarray)
        ("enum_range", [_MOOD], ["enum"], _MOODS),  # anyenum -> anyarray
        ("enum_first", [_MOOD], ["enum"], _MOOD),
        ("array_agg", [_MOOD], ["enum"], _MOODS),  # anynonarray -> anyarray
        ("unnest", [_MOODS], [None], _MOOD),  # anyarray -> anyelement
        ("array_length", [_MOODS, TypeRef(None, "integer")], [None, None],
         TypeRef(None, "integer")),
    ],
)
def test_polymorphic_calls_of_schema_types(
    name: str, args: list[TypeRef], kinds: list[str | None], expected: TypeRef | None
) -> None:
    chosen = resolve_overload(candidates(name, len(args)), args, kinds)
    found = result_of(name, chosen, args, kinds) if chosen is not None else None
    assert found == expected


def test_a_literal_given_to_a_polymorphic_parameter_takes_its_family_type() -> None:
    chosen = resolve_overload(candidates("array_position", 2), [_MOODS, UNKNOWN], [None, None])
    assert chosen is not None
    assert polymorphic_params(chosen, [_MOODS, UNKNOWN])[1] == _MOOD
    # the family's arguments disagree: not settled, the literal stays as written
    mixed = [TypeRef(None, "integer"), TypeRef(None, "bigint")]
    assert polymorphic_params(Overload((_ANYELEMENT, _ANYELEMENT, _ANYELEMENT)),
                              [*mixed, UNKNOWN])[2] is None  # fmt: skip


_ANYELEMENT = TypeRef(None, "anyelement")
