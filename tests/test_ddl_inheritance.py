"""ALTER TABLE and RENAME COLUMN of an inheritance parent reach its children as PostgreSQL
carries them (ADD COLUMN merged with a child's own, DROP COLUMN kept where the child declared
it or has it from another parent, type and NOT NULL changes, renames), and a child's columns
stay in the order its dump restores them."""

from __future__ import annotations

import pytest

import pgdrift
from pgdrift import model
from pgdrift.errors import Error

FAMILY = """
CREATE TABLE vehicles (id bigint NOT NULL, plate text);
CREATE TABLE trucks (payload integer) INHERITS (vehicles);
CREATE TABLE buses (seats integer, note text) INHERITS (vehicles);
CREATE TABLE minibuses (driver text) INHERITS (buses);
"""


def _tables(sql: str) -> dict[str, model.Table]:
    schema = pgdrift.loads(FAMILY + sql)
    return {name.split(".")[-1]: table for name, table in schema.tables.items()}


def _columns(table: model.Table) -> list[tuple[str, bool]]:
    return [(c.name, c.inherited) for c in table.columns.ordered]


def test_add_column_goes_to_every_child_and_grandchild_in_the_parents_place() -> None:
    tables = _tables("ALTER TABLE vehicles ADD COLUMN color text;")
    assert _columns(tables["trucks"]) == [
        ("id", True), ("plate", True), ("color", True), ("payload", False)
    ]  # fmt: skip
    assert ("color", True) in _columns(tables["minibuses"])


def test_add_column_merges_with_a_childs_own_column() -> None:
    tables = _tables("ALTER TABLE vehicles ADD COLUMN note text;")
    assert _columns(tables["buses"]) == [
        ("id", True), ("plate", True), ("note", False), ("seats", False)
    ]  # fmt: skip
    with pytest.raises(Error, match="different type"):
        _tables("ALTER TABLE vehicles ADD COLUMN note integer;")


def test_drop_column_keeps_a_childs_own_column_and_one_another_parent_gives() -> None:
    tables = _tables(
        "CREATE TABLE registered (plate text);"
        "CREATE TABLE vans (plate text) INHERITS (vehicles);"
        "CREATE TABLE taxis () INHERITS (vehicles, registered);"
        "ALTER TABLE vehicles DROP COLUMN plate;"
    )
    assert "plate" not in tables["trucks"].columns
    assert "plate" not in tables["minibuses"].columns
    assert _columns(tables["vans"])[-1] == ("plate", False)
    assert ("plate", True) in _columns(tables["taxis"])


def test_type_and_not_null_changes_reach_the_children() -> None:
    tables = _tables(
        "ALTER TABLE vehicles ALTER COLUMN plate TYPE varchar(20);"
        "ALTER TABLE vehicles ALTER COLUMN plate SET NOT NULL;"
    )
    for name in ("trucks", "buses", "minibuses"):
        column = tables[name].columns["plate"]
        assert (str(column.type), column.not_null) == ("character varying(20)", True)


def test_rename_column_renames_it_in_the_children_and_is_refused_on_a_child() -> None:
    tables = _tables("ALTER TABLE vehicles RENAME COLUMN plate TO registration;")
    for name in ("trucks", "buses", "minibuses"):
        assert "registration" in tables[name].columns
        assert "plate" not in tables[name].columns
    with pytest.raises(Error, match="cannot rename inherited column"):
        _tables("ALTER TABLE trucks RENAME COLUMN plate TO registration;")


def test_drop_column_only_leaves_the_children_their_own_column() -> None:
    tables = _tables("ALTER TABLE ONLY vehicles DROP COLUMN plate;")
    assert _columns(tables["trucks"]) == [("id", True), ("plate", False), ("payload", False)]


def test_add_column_only_is_refused_while_the_parent_has_children() -> None:
    with pytest.raises(Error, match="must be added to child tables too"):
        _tables("ALTER TABLE ONLY vehicles ADD COLUMN color text;")


def test_inherit_takes_the_parents_columns_first_and_needs_them_all() -> None:
    tables = _tables("CREATE TABLE cars (seats int, plate text, id bigint NOT NULL);"
                     "ALTER TABLE cars INHERIT vehicles;")  # fmt: skip
    assert _columns(tables["cars"]) == [("id", False), ("plate", False), ("seats", False)]
    with pytest.raises(Error, match='missing column "plate"'):
        _tables("CREATE TABLE cars (id bigint); ALTER TABLE cars INHERIT vehicles;")


def test_no_inherit_makes_the_columns_only_that_parent_gave_the_tables_own() -> None:
    tables = _tables(
        "CREATE TABLE registered (plate text, region text);"
        "CREATE TABLE taxis (meter int) INHERITS (vehicles, registered);"
        "ALTER TABLE taxis NO INHERIT vehicles;"
    )
    assert _columns(tables["taxis"]) == [
        ("plate", True), ("region", True), ("id", False), ("meter", False)
    ]  # fmt: skip


def test_statistics_targets_recurse_and_attribute_options_do_not() -> None:
    # ATSimpleRecursion for SET STATISTICS; SET (n_distinct) never recurses, and a child or a
    # partition made later takes neither (MergeAttributes), as PostgreSQL 15 dumps them.
    schema = pgdrift.loads(
        FAMILY + "ALTER TABLE vehicles ALTER COLUMN plate SET STATISTICS 300;"
        "ALTER TABLE vehicles ALTER COLUMN plate SET (n_distinct = 5);"
        "CREATE TABLE vans () INHERITS (vehicles);"
    )
    trucks = schema.tables["public.trucks"].columns["plate"]
    vans = schema.tables["public.vans"].columns["plate"]
    assert (trucks.statistics, trucks.options) == (300, ())
    assert (vans.statistics, vans.options) == (None, ())


def test_rename_column_only_is_refused_while_the_parent_has_children() -> None:
    with pytest.raises(Error, match="must be renamed in child tables too"):
        _tables("ALTER TABLE ONLY vehicles RENAME COLUMN plate TO registration;")


def test_a_dumps_default_null_keeps_a_child_from_its_parents_default() -> None:
    # pg_dump writes DEFAULT NULL on a child column that has no default of its own while its
    # parent has one; PostgreSQL stores no default for a NULL constant, so it reads as none,
    # as the script that made it does.
    toc = "--\n-- Name: {0}; Type: {1}; Schema: public; Owner: postgres\n--\n\n"
    dump = (
        "SELECT pg_catalog.set_config('search_path', '', false);\n"
        + toc.format("par", "TABLE")
        + "CREATE TABLE public.par (\n    name text DEFAULT 'p'::text\n);\n\n"
        + toc.format("lone", "TABLE")
        + "CREATE TABLE public.lone (\n    name text DEFAULT NULL\n)\nINHERITS (public.par);\n\n"
        + toc.format("kid", "TABLE")
        + "CREATE TABLE public.kid (\n)\nINHERITS (public.par);\n\n"
        + toc.format("kid name", "DEFAULT")
        + "ALTER TABLE ONLY public.kid ALTER COLUMN name SET DEFAULT NULL;\n"
    )
    source = pgdrift.loads(
        "CREATE TABLE par (name text DEFAULT 'p'); CREATE TABLE lone (name text);"
        "ALTER TABLE lone INHERIT par; CREATE TABLE kid () INHERITS (par);"
        "ALTER TABLE kid ALTER COLUMN name SET DEFAULT NULL;"
    )
    dumped = pgdrift.loads(dump)
    for schema in (source, dumped):
        assert schema.tables["public.lone"].columns["name"].default is None
        assert schema.tables["public.kid"].columns["name"].default is None
        assert schema.tables["public.par"].columns["name"].default is not None
    assert not pgdrift.diff(dumped, source, ignore_owners=True)


def test_a_declared_column_merges_into_its_own_parent_column_not_an_equal_one() -> None:
    # MergeAttributes merges by name; plate and note are alike (nullable text), and the child
    # keeps both, note its own in note's place (fixtures/ddl/inheritance_merged_columns).
    schema = pgdrift.loads(
        "CREATE TABLE p (id int, plate text, note text);"
        "CREATE TABLE c (extra text, note text) INHERITS (p);"
    )
    assert _columns(schema.tables["public.c"]) == [
        ("id", True), ("plate", True), ("note", False), ("extra", False)
    ]  # fmt: skip
