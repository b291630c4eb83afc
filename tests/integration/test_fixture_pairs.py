"""The migration corpus itself: enough pairs, each a real difference of the kind it is named for.

These read only the committed dumps (no PostgreSQL), so they run everywhere. A pair whose two
sides compare equal would prove nothing in ``test_migrations.py``: the empty script would pass.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fixture_pairs import MIGRATIONS, PAIRS, PAIRS_DIR, Pair, PairError, invert_renames

import pgdrift
from pgdrift.differ import Change, ChangeSet, diff

# Pairs pgdrift's differ cannot yet tell apart, each with the bug; strict, so a fix shows.
# (constraint_primary_key_columns_change was one until 824ba47 compared Constraint.columns.)
KNOWN_DIFF_BUGS: dict[str, str] = {}


@functools.cache
def _changes(pair: Pair) -> ChangeSet:
    return diff(pgdrift.load(pair.a), pgdrift.load(pair.b), renames=pair.renames)


def _has(
    kind: str | None = None, operation: str | None = None, field: str | None = None
) -> Callable[[Change], bool]:
    """A change of ``kind``, by ``operation``, touching an attribute whose path starts with
    ``field``; each criterion left out matches anything."""

    def matches(change: Change) -> bool:
        return (
            (kind is None or change.kind == kind)
            and (operation is None or change.operation == operation)
            and (field is None or any(d.field.startswith(field) for d in change.details))
        )

    return matches


def _foreign_key(change: Change) -> bool:
    return change.kind == "constraint" and getattr(change.object, "type", "") == "foreign key"


# What a pair's name promises: every requirement listed must be met by some change. The
# longest matching prefix (or the exact name) decides; a name matching none fails the test.
REQUIREMENTS: dict[str, tuple[Callable[[Change], bool], ...]] = {
    "column_": (_has("column"),),
    "comment_": (_has(field="comment"),),
    "composite_type_": (_has("composite_type"),),
    "composite_type_attribute": (_has("column", operation="create"),),
    "composite_type_attribute_type_change": (_has("column", field="type"),),
    "composite_type_used_by_new_column": (_has("composite_type"), _has("column")),
    "constraint_": (_has("constraint"),),
    "default_privileges": (_has("default_privileges"),),
    "domain_": (_has("domain"),),
    "enum_": (_has("enum"),),
    "extension_": (_has("extension", operation="create"),),
    "function_": (_has("function"),),
    "grant_": (_has(field="privileges"),),
    "identity_": (_has("column", field="identity"),),
    "index_": (_has("index"),),
    "liveconvo": tuple(_has("column", operation="rename") for _ in range(3)),
    "matview_": (_has("materialized_view"),),
    "matview_index_add": (_has("index", operation="create"),),
    "mutual_foreign_keys": (_foreign_key, _has("table", operation="create")),
    "new_enum_new_table_new_view": (
        _has("enum", operation="create"),
        _has("table", operation="create"),
        _has("view", operation="create"),
    ),
    "owner_": (_has(field="owner"),),
    "partition": (_has(field="partition"),),
    "partition_add": (_has("table", operation="create"),),
    "partition_index_add": (_has("index", operation="create"),),
    "partitioned_table_add": (_has("table", operation="create"),),
    "policy_": (_has("policy"),),
    "procedure_": (_has("procedure"),),
    "publication_": (_has("publication"),),
    "quoting_": (_has(),),
    "rename_": (_has(operation="rename"),),
    "revoke_": (_has(field="privileges"),),
    "rls_": (_has("table", field="rls_"),),
    "schema_": (_has("schema", operation="create"),),
    "sequence_": (_has("sequence"),),
    "table_": (_has("table"),),
    "trigger_": (_has("trigger"),),
    "trigger_function_and_policy_drop": (
        _has("trigger", operation="drop"),
        _has("policy", operation="drop"),
        _has("function", operation="drop"),
    ),
    "view_": (_has("view"),),
    # Nothing in the views' own definitions changes: the column under them does.
    "view_on_view_column_type_change": (_has("column", field="type"),),
}


def requirements_for(name: str) -> tuple[Callable[[Change], bool], ...] | None:
    matches = [key for key in REQUIREMENTS if name == key or name.startswith(key)]
    return REQUIREMENTS[max(matches, key=len)] if matches else None


def _param(pair: Pair) -> object:
    marks = []
    if pair.name in KNOWN_DIFF_BUGS:
        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DIFF_BUGS[pair.name]))
    return pytest.param(pair, id=pair.name, marks=marks)


def test_the_corpus_has_at_least_80_pairs_proven_both_ways() -> None:
    assert len(PAIRS) >= 80
    assert len(MIGRATIONS) == 2 * len(PAIRS)
    assert len({m.database for m in MIGRATIONS}) == len(MIGRATIONS)


def test_every_pair_directory_has_both_sides() -> None:
    # A directory that is not a pair (a typo, a half-written case) must not vanish silently.
    names = {p.name for p in PAIRS}
    directories = {
        d.name for d in PAIRS_DIR.iterdir() if d.is_dir() and not d.name.startswith(("_", "."))
    }
    assert directories == names


@pytest.mark.parametrize("pair", [_param(p) for p in PAIRS])
def test_the_two_sides_of_a_pair_differ(pair: Pair) -> None:
    assert _changes(pair), f"{pair.name}: a and b load to the same schema"


@pytest.mark.parametrize("pair", [_param(p) for p in PAIRS])
def test_a_pair_changes_what_its_name_says(pair: Pair) -> None:
    required = requirements_for(pair.name)
    assert required is not None, f"{pair.name}: no entry in REQUIREMENTS covers this name"
    changes = list(_changes(pair))
    unmatched = list(changes)
    for requirement in required:
        # Each requirement consumes a change of its own, so three renames need three changes.
        found = next((c for c in unmatched if requirement(c)), None)
        assert found is not None, (
            f"{pair.name}: no change satisfies a requirement; changes: "
            + ", ".join(f"{c.operation} {c.id}" for c in changes)
        )
        unmatched.remove(found)


@pytest.mark.parametrize("pair", [p for p in PAIRS if p.renames], ids=lambda p: p.name)
def test_a_pairs_renames_are_confirmed_in_both_directions(pair: Pair) -> None:
    forward = _changes(pair).filter(operation="rename")
    assert len(forward) == len(pair.renames)
    backward = diff(
        pgdrift.load(pair.b), pgdrift.load(pair.a), renames=invert_renames(pair.renames)
    ).filter(operation="rename")
    assert len(backward) == len(pair.renames)


def test_renames_invert_by_swapping_the_last_name() -> None:
    assert invert_renames({"public.t.a": "b", "public.old": "new"}) == {
        "public.new": "old",
        "public.t.b": "a",
    }


def test_a_case_json_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    (tmp_path / "case.json").write_text(json.dumps({"rename": {"public.t.a": "b"}}))
    with pytest.raises(PairError, match="unknown keys"):
        Pair.load(tmp_path)


def test_a_side_without_a_dump_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    with pytest.raises(PairError, match=r"no dump\.sql"):
        Pair.load(tmp_path)
