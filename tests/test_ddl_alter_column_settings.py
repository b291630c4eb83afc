"""ALTER TABLE subcommands whose value can mean "none set" (SET STATISTICS -1, SET STORAGE of
the type's own strategy, SET COMPRESSION DEFAULT), ALTER COLUMN TYPE without COLLATE, ALTER
CONSTRAINT of a foreign key, and ALTER TYPE ... ATTRIBUTE of a composite type, as PostgreSQL
catalogues them (checked on PostgreSQL 15)."""

from __future__ import annotations

import pytest

import pgdrift
from pgdrift import model
from pgdrift.errors import UndefinedObjectError


def _column(sql: str, name: str = "b") -> model.Column:
    return pgdrift.loads("CREATE TABLE t (a int, b text);" + sql).tables["public.t"].columns[name]


def test_set_statistics_minus_one_is_no_target_set() -> None:
    assert _column("ALTER TABLE t ALTER a SET STATISTICS 50;", "a").statistics == 50
    assert _column("ALTER TABLE t ALTER a SET STATISTICS 50;"
                   "ALTER TABLE t ALTER a SET STATISTICS -1;", "a").statistics is None  # fmt: skip


def test_set_statistics_of_an_index_column_minus_one_forgets_it() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE t (a int); CREATE INDEX i ON t ((a + 1));"
        "ALTER INDEX i ALTER COLUMN 1 SET STATISTICS 70;"
        "ALTER INDEX i ALTER COLUMN 1 SET STATISTICS -1;"
    )
    index = schema.objects[next(o for o in schema.objects if o.name == "i")]
    assert getattr(index, "statistics", None) == ()


@pytest.mark.parametrize(
    ("sql", "storage"),
    [
        ("ALTER TABLE t ALTER b SET STORAGE EXTERNAL;", "external"),
        ("ALTER TABLE t ALTER b SET STORAGE EXTERNAL; ALTER TABLE t ALTER b SET STORAGE EXTENDED;",
         None),
        ("ALTER TABLE t ALTER b SET STORAGE MAIN;", "main"),
    ],
)  # fmt: skip
def test_set_storage_to_the_types_own_strategy_is_none_set(sql: str, storage: str | None) -> None:
    assert _column(sql).storage == storage


def test_set_storage_plain_of_an_integer_is_its_own_strategy() -> None:
    assert _column("ALTER TABLE t ALTER a SET STORAGE PLAIN;", "a").storage is None


def test_set_compression_default_is_none_set() -> None:
    assert _column("ALTER TABLE t ALTER b SET COMPRESSION pglz;").compression == "pglz"
    pglz = "ALTER TABLE t ALTER b SET COMPRESSION pglz;"
    assert _column(pglz + "ALTER TABLE t ALTER b SET COMPRESSION DEFAULT;").compression is None


def test_alter_column_type_without_collate_takes_the_types_default_collation() -> None:
    # Even when the type stays the same (GetColumnDefCollation of the new definition).
    sql = 'CREATE TABLE t (a varchar(10) COLLATE "C"); ALTER TABLE t ALTER a TYPE varchar(10);'
    assert pgdrift.loads(sql).tables["public.t"].columns["a"].collation is None


def test_alter_constraint_changes_a_foreign_keys_deferrability() -> None:
    base = "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int REFERENCES p);"
    deferred = pgdrift.loads(base + "ALTER TABLE c ALTER CONSTRAINT c_p_fkey DEFERRABLE "
                             "INITIALLY DEFERRED;").constraints["public.c.c_p_fkey"]  # fmt: skip
    assert (deferred.deferrable, deferred.initially_deferred) == (True, True)
    again = pgdrift.loads(
        base + "ALTER TABLE c ALTER CONSTRAINT c_p_fkey DEFERRABLE INITIALLY DEFERRED;"
        "ALTER TABLE c ALTER CONSTRAINT c_p_fkey NOT DEFERRABLE;"
    ).constraints["public.c.c_p_fkey"]
    assert (again.deferrable, again.initially_deferred) == (False, False)


def test_alter_type_attributes_of_a_composite_type() -> None:
    schema = pgdrift.loads(
        "CREATE TYPE m AS (amount numeric(12,2), currency char(3));"
        'ALTER TYPE m ADD ATTRIBUTE note text COLLATE "C";'
        "ALTER TYPE m ALTER ATTRIBUTE amount TYPE numeric(14,2);"
        "ALTER TYPE m DROP ATTRIBUTE currency;"
    )
    composite = schema.objects[next(o for o in schema.objects if o.name == "m")]
    assert isinstance(composite, model.CompositeType)
    columns = composite.columns
    assert [c.name for c in columns.ordered] == ["amount", "note"]
    assert str(columns["amount"].type) == "numeric(14,2)"
    assert columns["note"].collation == "C"


def test_drop_attribute_of_a_missing_attribute_is_refused_unless_if_exists() -> None:
    sql = "CREATE TYPE m AS (a int);"
    pgdrift.loads(sql + "ALTER TYPE m DROP ATTRIBUTE IF EXISTS b;")
    with pytest.raises(UndefinedObjectError):
        pgdrift.loads(sql + "ALTER TYPE m DROP ATTRIBUTE b;")
