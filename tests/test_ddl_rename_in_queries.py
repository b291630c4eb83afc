"""RENAME COLUMN under a view or materialized view: the query follows the column (PostgreSQL
keeps it by number) and the view's column keeps its name (``posts.headline AS title``), as
PostgreSQL 15's pg_get_viewdef prints it; a partition key follows too. Where the text cannot
say which column a reference means, the statement stays not modelled."""

from __future__ import annotations

import pytest

import pgdrift
from pgdrift import ids, model
from pgdrift.ids import ObjectId

TABLES = """
CREATE TABLE posts (id int PRIMARY KEY, title text);
CREATE TABLE tags (id int, title text, post_id int);
"""


def _query(sql: str, view: str, kind: str = ids.VIEW) -> str:
    obj = pgdrift.loads(TABLES + sql).objects[ObjectId(kind, "public", view)]
    assert isinstance(obj, (model.View, model.MaterializedView))
    assert obj.query is not None
    return obj.query.sql


RENAME = "ALTER TABLE posts RENAME COLUMN title TO headline;"


@pytest.mark.parametrize(
    ("view", "query"),
    [
        ("SELECT id, title FROM posts",
         "SELECT posts.id, posts.headline AS title FROM public.posts"),
        ("SELECT posts.title AS headline FROM posts", "SELECT posts.headline FROM public.posts"),
        ("SELECT p.title AS name, t.title FROM posts p JOIN tags t ON t.post_id = p.id "
         "ORDER BY p.title",
         "SELECT p.headline AS name, t.title FROM public.posts p JOIN public.tags t "
         "ON t.post_id = p.id ORDER BY p.headline"),
        ("SELECT s.title FROM (SELECT title FROM posts) s",
         "SELECT s.title FROM (SELECT posts.headline AS title FROM public.posts) s"),
    ],
)  # fmt: skip
def test_a_views_query_follows_a_renamed_column(view: str, query: str) -> None:
    renamed_tables = TABLES.replace("id int PRIMARY KEY, title", "id int PRIMARY KEY, headline")
    expected = pgdrift.loads(renamed_tables + f"CREATE VIEW v AS {query};")
    view_id = ObjectId(ids.VIEW, "public", "v")
    assert (
        pgdrift.loads(TABLES + f"CREATE VIEW v AS {view};" + RENAME).objects[view_id]
        == (expected.objects[view_id])
    )


def test_a_materialized_views_query_follows_too() -> None:
    sql = "CREATE MATERIALIZED VIEW m AS SELECT title FROM posts;" + RENAME
    assert "posts.headline AS title" in _query(sql, "m", ids.MATERIALIZED_VIEW)


def test_a_join_using_the_renamed_column_is_not_guessed() -> None:
    schema = pgdrift.loads(
        TABLES + "CREATE VIEW v AS SELECT id FROM posts JOIN tags USING (id, title);" + RENAME,
        strict=False,
    )
    assert "title" in schema.tables["public.posts"].columns


def test_a_partition_key_follows_a_renamed_column() -> None:
    table = pgdrift.loads(
        "CREATE TABLE r (at date, v int) PARTITION BY RANGE (at, (v + 1));"
        "ALTER TABLE r RENAME COLUMN at TO taken_at; ALTER TABLE r RENAME COLUMN v TO val;"
    ).tables["public.r"]
    assert table.partition_key is not None
    first, second = table.partition_key.elements
    assert first.column == "taken_at"
    assert second.expression is not None
    assert second.expression.sql == "val + 1"


def test_a_sql_standard_body_follows_renames_of_what_it_names() -> None:
    # A BEGIN ATOMIC / RETURN body is stored parsed (by OID), so pg_dump prints the new names:
    # of a column (an UPDATE's SET and an INSERT's column list too), the table, its schema.
    schema = pgdrift.loads(
        "CREATE TABLE t (a int, b int);"
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN (SELECT max(a) FROM t);"
        "CREATE PROCEDURE p(x int) LANGUAGE sql BEGIN ATOMIC"
        " UPDATE t SET a = a + 1 WHERE b = x; INSERT INTO t (a) VALUES (x); END;"
        "ALTER TABLE t RENAME COLUMN a TO c; ALTER TABLE t RENAME TO u;"
        "CREATE SCHEMA s; ALTER TABLE u SET SCHEMA s;"
    )
    function = schema[ObjectId(ids.FUNCTION, "public", "f", args=())]
    procedure = schema[ObjectId(ids.PROCEDURE, "public", "p", args=("integer",))]
    assert isinstance(function, model.Function)
    assert isinstance(procedure, model.Function)
    assert function.sql_body is not None
    assert procedure.sql_body is not None
    assert function.sql_body.sql == "RETURN (SELECT max(u.c) AS max FROM s.u)"
    assert procedure.sql_body.sql == (
        "UPDATE s.u SET c = u.c + 1 WHERE u.b = p.x; INSERT INTO s.u (c) VALUES (p.x)"
    )
