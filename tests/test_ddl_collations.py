"""Collations named in source SQL as PostgreSQL catalogues them: an unqualified name resolved
along the search_path (pg_dump qualifies it), an index or partition key COLLATE that is the
column's own left out (pg_get_indexdef omits it), and ALTER COLLATION ... RENAME followed by
every use (checked against PostgreSQL 15's dump)."""

from __future__ import annotations

import pytest

import pgdrift
from pgdrift import model
from pgdrift.errors import DuplicateObjectError, UndefinedObjectError

SOURCE = """
CREATE COLLATION co (provider = icu, locale = 'de-DE');
CREATE TABLE t (a text COLLATE co, b text, c int) PARTITION BY RANGE (a COLLATE co);
CREATE INDEX i ON t (a COLLATE co, b COLLATE "C");
CREATE VIEW v AS SELECT a COLLATE co AS x FROM t;
CREATE DOMAIN d AS text COLLATE co;
"""


def _objects(sql: str) -> dict[str, model.DbObject]:
    schema = pgdrift.loads(sql)
    return {str(oid): obj for oid, obj in schema.objects.items()}


def test_an_unqualified_collation_is_the_one_the_search_path_finds() -> None:
    objects = _objects(SOURCE)
    table = objects["table:public.t"]
    assert isinstance(table, model.Table)
    assert table.columns["a"].collation == "public.co"
    assert getattr(objects["domain:public.d"], "collation", None) == "public.co"
    assert "COLLATE public.co" in str(getattr(objects["view:public.v"], "query", ""))


def test_a_key_collate_that_is_the_columns_own_is_not_kept() -> None:
    objects = _objects(SOURCE)
    index = objects["index:public.i"]
    assert isinstance(index, model.Index)
    assert [e.collation for e in index.elements] == [None, "C"]
    table = objects["table:public.t"]
    assert isinstance(table, model.Table)
    assert table.partition_key is not None
    assert table.partition_key.elements[0].collation is None


def test_rename_collation_is_followed_by_every_use() -> None:
    objects = _objects(SOURCE + "ALTER COLLATION co RENAME TO co2;")
    assert "collation:public.co2" in objects
    assert "collation:public.co" not in objects
    table = objects["table:public.t"]
    assert isinstance(table, model.Table)
    assert table.columns["a"].collation == "public.co2"
    assert getattr(objects["domain:public.d"], "collation", None) == "public.co2"
    assert "COLLATE public.co2" in str(getattr(objects["view:public.v"], "query", ""))


def test_rename_collation_is_refused_as_postgresql_refuses_it() -> None:
    with pytest.raises(UndefinedObjectError):
        pgdrift.loads("ALTER COLLATION nope RENAME TO other;")
    with pytest.raises(DuplicateObjectError):
        pgdrift.loads(
            "CREATE COLLATION a (locale = 'C'); CREATE COLLATION b (locale = 'C');"
            "ALTER COLLATION a RENAME TO b;"
        )
