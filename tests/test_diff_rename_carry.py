"""Confirmed renames are carried into dependents: PostgreSQL rewrites an index, constraint or
view that refers to a renamed table or column, so those are not differences of their own."""

from __future__ import annotations

from pathlib import Path

import pgdrift
from pgdrift.differ import Renamed

PAIRS = Path(__file__).resolve().parent.parent / "fixtures" / "pairs"


def load_pair(name: str) -> tuple[pgdrift.Schema, pgdrift.Schema]:
    return pgdrift.load(PAIRS / name / "a" / "dump.sql"), pgdrift.load(
        PAIRS / name / "b" / "dump.sql"
    )


def test_column_rename_leaves_its_index_and_view_unchanged() -> None:
    a, b = load_pair("rename_column_used_by_view_and_index")
    changes = pgdrift.diff(a, b, renames={"public.posts.title": "headline"})
    assert [(c.operation, str(c.id)) for c in changes] == [("rename", "column:public.posts.title")]


def test_column_rename_back_drops_the_alias_pg_dump_printed() -> None:
    """After RENAME title TO headline the view reads ``posts.headline AS title``; renaming it
    back makes PostgreSQL print ``posts.title`` again."""
    a, b = load_pair("rename_column_used_by_view_and_index")
    changes = pgdrift.diff(b, a, renames={"public.posts.headline": "title"})
    assert [(c.operation, str(c.id)) for c in changes] == [
        ("rename", "column:public.posts.headline")
    ]


def test_table_rename_moves_its_constraints_with_it() -> None:
    a, b = load_pair("rename_table")
    changes = pgdrift.diff(a, b, renames={"public.notes": "memos"})
    assert [(c.operation, str(c.id)) for c in changes] == [("rename", "table:public.notes")]


def test_without_the_rename_the_dependents_differ() -> None:
    a, b = load_pair("rename_column_used_by_view_and_index")
    kinds = {c.kind for c in pgdrift.diff(a, b)}
    assert {"column", "view"} <= kinds


def test_an_index_named_after_a_renamed_column_becomes_a_rename_candidate() -> None:
    schema_a = pgdrift.loads(
        "CREATE TABLE public.t (old_name integer);\n"
        "CREATE INDEX t_old_name_idx ON public.t USING btree (old_name);"
    )
    schema_b = pgdrift.loads(
        "CREATE TABLE public.t (new_name integer);\n"
        "CREATE INDEX t_new_name_idx ON public.t USING btree (new_name);"
    )
    changes = pgdrift.diff(schema_a, schema_b, renames={"public.t.old_name": "new_name"},
                           detect_renames=True)  # fmt: skip
    renamed = sorted((c.kind, c.id.name, c.new_id.name) for c in changes if isinstance(c, Renamed))
    assert renamed == [("column", "old_name", "new_name"),
                       ("index", "t_old_name_idx", "t_new_name_idx")]  # fmt: skip
    (index_change,) = changes.filter(kind="index")
    # The change shows the index as the old dump wrote it.
    assert index_change.before is not None
    assert index_change.before.elements[0].column == "old_name"  # type: ignore[attr-defined]


def test_an_identity_sequence_under_a_new_name_is_renamed_without_asking() -> None:
    """An identity keeps its sequence through ALTER SEQUENCE ... RENAME: the drop and create
    of its sequence are one rename, and the column's identity follows it."""
    a, b = load_pair("sequence_identity_renamed")
    changes = pgdrift.diff(a, b)
    assert [(c.operation, str(c.id)) for c in changes] == [
        ("rename", "sequence:public.tickets_id_seq")
    ]
    (change,) = changes
    assert isinstance(change, Renamed)
    assert change.details == ()


def test_an_identity_dropped_with_its_column_does_not_rename_the_new_one() -> None:
    """A column dropped and another added: two identities, two sequences, no rename."""
    a = pgdrift.loads("CREATE TABLE public.t (a integer GENERATED ALWAYS AS IDENTITY);")
    b = pgdrift.loads("CREATE TABLE public.t (b integer GENERATED ALWAYS AS IDENTITY);")
    changes = pgdrift.diff(a, b)
    assert not any(c.operation == "rename" and c.kind == "sequence" for c in changes)
