"""The routine names a bare call is qualified by (builder.search_path.RoutineNames) follow
renames and moves: the catalogue keeps its order through a rekey, so reading only the objects
appended since last time would miss them (fixtures/ddl/renamed_routines_called_after)."""

from __future__ import annotations

from pgdrift import ids, loads, model
from pgdrift.builder.catalogue import Catalogue
from pgdrift.builder.search_path import RoutineNames
from pgdrift.ids import ObjectId


def test_names_follow_a_rekey_and_a_delete() -> None:
    catalogue = Catalogue()
    old = ObjectId(ids.FUNCTION, "public", "f", args=("integer",))
    other = ObjectId(ids.SCHEMA, None, "app")
    catalogue[old] = model.Namespace(id=old)  # any object will do for the names
    catalogue[other] = model.Namespace(id=other)
    names = RoutineNames()
    names.update(catalogue)
    assert names.names == {("public", "f")}
    catalogue.rekey({old: ObjectId(ids.FUNCTION, "public", "g", args=("integer",))})
    names.update(catalogue)
    assert names.names == {("public", "g")}
    del catalogue[ObjectId(ids.FUNCTION, "public", "g", args=("integer",))]
    names.update(catalogue)
    assert names.names == set()


def test_a_renamed_function_is_called_by_its_new_name() -> None:
    schema = loads(
        "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'select $1';\n"
        "CREATE FUNCTION f(text) RETURNS text LANGUAGE sql AS 'select $1';\n"
        "ALTER FUNCTION f(text) RENAME TO g;\n"
        "CREATE VIEW v AS SELECT g('x') AS a, f(1) AS b;"
    )
    assert schema.views["public.v"].query.sql == (
        "SELECT public.g('x'::text) AS a, public.f(1) AS b"
    )
