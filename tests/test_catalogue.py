"""The build's catalogue: a dict whose indexes stay true through every insert, replace and
delete, so that a statement can ask for just the objects it concerns."""

from __future__ import annotations

import pickle

import pytest

import pgdrift
from pgdrift import ids, model
from pgdrift.builder.catalogue import Catalogue
from pgdrift.ids import ObjectId

TABLE = ObjectId(ids.TABLE, "public", "t")
OTHER = ObjectId(ids.TABLE, "public", "u")


def _index(name: str, table: ObjectId) -> model.Index:
    return model.Index(id=ObjectId(ids.INDEX, table.schema, name), table=table)


def test_indexes_built_late_see_what_was_there_before() -> None:
    catalogue = Catalogue()
    index = _index("t_a_idx", TABLE)
    catalogue[index.id] = index
    assert catalogue.of_kind(ids.INDEX) == [index.id]
    assert catalogue.linked_to(TABLE) == [index.id]


def test_indexes_follow_replace_and_delete() -> None:
    catalogue = Catalogue()
    index = _index("t_a_idx", TABLE)
    catalogue[index.id] = index
    assert catalogue.linked_to(TABLE) == [index.id]  # the index is built now
    catalogue[index.id] = _index("t_a_idx", OTHER)  # the same id, moved to another table
    assert catalogue.linked_to(TABLE) == []
    assert catalogue.linked_to(OTHER) == [index.id]
    del catalogue[index.id]
    assert catalogue.linked_to(OTHER) == []
    assert catalogue.of_kind(ids.INDEX) == []
    catalogue.update({index.id: index})
    assert catalogue.pop(index.id) == index
    assert catalogue.of_kind(ids.INDEX) == []
    catalogue.setdefault(index.id, index)
    catalogue.clear()
    assert catalogue.of_kind(ids.INDEX) == []
    assert catalogue == {}


def test_a_catalogue_pickles_as_a_catalogue() -> None:
    catalogue = Catalogue({TABLE: model.Table(id=TABLE)})
    copy = pickle.loads(pickle.dumps(catalogue))
    assert isinstance(copy, Catalogue)
    assert copy == catalogue
    assert copy.of_kind(ids.TABLE) == [TABLE]


def test_renamed_column_reaches_the_sequence_it_owns_and_the_table_parts() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (id serial PRIMARY KEY, a integer CHECK (a > 0));\n"
        "CREATE INDEX t_a_idx ON public.t (a);\n"
        "ALTER TABLE public.t RENAME COLUMN id TO key;\n"
        "ALTER TABLE public.t RENAME COLUMN a TO b;\n"
    )
    sequence = schema.objects[ObjectId(ids.SEQUENCE, "public", "t_id_seq")]
    assert isinstance(sequence, model.Sequence)
    assert sequence.owned_by == ObjectId(ids.COLUMN, "public", "key", parent="t")
    index = schema.objects[ObjectId(ids.INDEX, "public", "t_a_idx")]
    assert isinstance(index, model.Index)
    assert [e.column for e in index.elements] == ["b"]


def test_an_unnamed_check_is_numbered_past_a_domain_check_of_the_schema() -> None:
    schema = pgdrift.loads(
        "CREATE DOMAIN public.d AS integer CONSTRAINT t_a_check CHECK (VALUE > 0);\n"
        "CREATE TABLE public.t (a integer CHECK (a > 0));\n"
    )
    assert ObjectId(ids.CONSTRAINT, "public", "t_a_check1", parent="t") in schema.objects


def test_the_relations_a_query_names_follow_its_view() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (a integer, b integer);\n"
        "CREATE TABLE public.u (a integer);\n"
        "CREATE VIEW public.v AS SELECT a FROM public.t;\n"
        "ALTER TABLE public.u DROP COLUMN a;\n"  # v names t, not u: nothing depends on u.a
        "DROP VIEW public.v;\n"
        "CREATE VIEW public.v AS SELECT b FROM public.t;\n"
        "ALTER TABLE public.t DROP COLUMN a;\n",  # the new v no longer uses t.a
        strict=True,
    )
    assert ObjectId(ids.VIEW, "public", "v") in schema.objects
    with pytest.raises(pgdrift.Error, match="depend on it"):
        pgdrift.loads(
            "CREATE TABLE public.t (a integer);\n"
            "CREATE VIEW public.v AS SELECT a FROM public.t;\n"
            "ALTER TABLE public.t DROP COLUMN a;\n",
            strict=True,
        )


def test_rekey_keeps_the_order_and_the_indexes() -> None:
    catalogue = Catalogue()
    index = _index("t_a_idx", TABLE)
    catalogue[TABLE] = model.Table(id=TABLE)
    catalogue[index.id] = index
    catalogue[OTHER] = model.Table(id=OTHER)
    assert catalogue.holding([TABLE]) == [TABLE, index.id]
    renamed = ObjectId(ids.TABLE, "public", "r")
    catalogue[TABLE] = model.Table(id=renamed)
    catalogue.rekey({TABLE: renamed})
    assert list(catalogue) == [renamed, index.id, OTHER]
    assert set(catalogue.of_kind(ids.TABLE)) == {renamed, OTHER}
    assert catalogue.holding([renamed]) == [renamed]
    assert catalogue.holding([TABLE]) == [index.id]  # the index still names the old id


def test_a_renamed_table_is_followed_by_its_parts_and_the_keys_to_it() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (id serial PRIMARY KEY, v integer CHECK (v > 0));\n"
        "CREATE TABLE public.u (t_id integer REFERENCES public.t (id));\n"
        "CREATE INDEX t_v_idx ON public.t (v);\n"
        "ALTER TABLE public.t RENAME TO r;\n"
        "ALTER TABLE public.r RENAME CONSTRAINT t_v_check TO r_v_check;\n"
        "ALTER INDEX public.t_v_idx RENAME TO r_v_idx;\n",
        strict=True,
    )
    r = ObjectId(ids.TABLE, "public", "r")
    index = schema.objects[ObjectId(ids.INDEX, "public", "r_v_idx")]
    assert isinstance(index, model.Index)
    assert index.table == r
    fkey = schema.objects[ObjectId(ids.CONSTRAINT, "public", "u_t_id_fkey", parent="u")]
    assert isinstance(fkey, model.Constraint)
    assert fkey.references == r
    assert ObjectId(ids.CONSTRAINT, "public", "r_v_check", parent="r") in schema.objects
    assert ObjectId(ids.CONSTRAINT, "public", "t_pkey", parent="r") in schema.objects
