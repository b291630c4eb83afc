"""CREATE TABLE ... PARTITION OF, ATTACH PARTITION and indexes on partitioned tables, read as
PostgreSQL 15 catalogues them (builder/partitions.py, builder/partition_bounds.py). Each rule
was checked on the real server by dumping; fixtures/ddl/partitions is the whole proof."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift import model
from pgdrift.errors import ModelError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

PARENT = """
CREATE TABLE s (id int, c text, n numeric DEFAULT 0, g int GENERATED ALWAYS AS (id * 2) STORED,
    PRIMARY KEY (id, c), CHECK (id > 0), UNIQUE (c, id)) PARTITION BY LIST (c);
CREATE INDEX ON s (lower(c));
CREATE INDEX ON s (id) INCLUDE (n);
"""


def test_partitions_source_loads_equal_to_its_real_dump() -> None:
    case = FIXTURES / "ddl" / "partitions"
    source = pgdrift.load(case / "source.sql")
    dump = pgdrift.load(case / "dump.sql")
    assert not pgdrift.diff(dump, source)
    assert sorted(map(str, source.objects)) == sorted(map(str, dump.objects))
    assert not source.unsupported


def _objects(schema: pgdrift.Schema, table: str) -> dict[str, model.DbObject]:
    return {
        oid.name: obj
        for oid, obj in schema.objects.items()
        if getattr(obj, "table", None) is not None and obj.table.name == table  # type: ignore[attr-defined]
    }


def test_a_partition_takes_the_parents_columns_defaults_and_generated_expressions() -> None:
    schema = pgdrift.loads(PARENT + "CREATE TABLE s1 PARTITION OF s FOR VALUES IN ('x');")
    table = schema.objects[pgdrift.ObjectId("table", "public", "s1")]
    assert isinstance(table, model.Table)
    assert table.columns.names() == ("id", "c", "n", "g")
    assert table.columns["id"].not_null
    assert table.columns["c"].not_null
    assert table.columns["n"].default is not None
    assert table.columns["g"].generated is not None
    assert not any(c.inherited for c in table.columns.ordered)


def test_a_partition_gets_the_parents_checks_and_named_clones_of_its_indexes() -> None:
    schema = pgdrift.loads(PARENT + "CREATE TABLE s1 PARTITION OF s FOR VALUES IN ('x');")
    owned = _objects(schema, "s1")
    assert set(owned) == {"s_id_check", "s1_pkey", "s1_c_id_key", "s1_lower_idx", "s1_id_n_idx"}
    assert owned["s1_pkey"].attached_to.name == "s_pkey"  # type: ignore[attr-defined]
    assert owned["s1_lower_idx"].attached_to.name == "s_lower_idx"  # type: ignore[attr-defined]
    parent_index = schema.objects[pgdrift.ObjectId("index", "public", "s_lower_idx")]
    assert parent_index.only  # type: ignore[attr-defined]


def test_an_index_made_later_goes_down_and_attaches_a_matching_one() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE p (a int, b int) PARTITION BY RANGE (a);"
        "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1) TO (10);"
        "CREATE TABLE p2 (a int, b int); CREATE INDEX mine ON p2 (b);"
        "ALTER TABLE p ATTACH PARTITION p2 FOR VALUES FROM (10) TO (20);"
        "CREATE INDEX ON p (b);"
    )
    assert _objects(schema, "p1")["p1_b_idx"].attached_to.name == "p_b_idx"  # type: ignore[attr-defined]
    assert _objects(schema, "p2")["mine"].attached_to.name == "p_b_idx"  # type: ignore[attr-defined]
    assert "p2_b_idx" not in _objects(schema, "p2")


def test_bounds_are_coerced_to_the_key_type_as_pg_dump_prints_them() -> None:
    source = pgdrift.loads(
        "CREATE TABLE r (t text, n numeric, i bigint, k int) PARTITION BY RANGE (n, i, k);"
        "CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (1, -5, 0) TO ('1.50', '7', '10');"
        "CREATE TABLE l (t text) PARTITION BY LIST (t);"
        "CREATE TABLE l1 PARTITION OF l FOR VALUES IN (1, 'x');"
    )
    dump = pgdrift.loads(
        "CREATE TABLE r (t text, n numeric, i bigint, k int) PARTITION BY RANGE (n, i, k);"
        "CREATE TABLE r1 (t text, n numeric, i bigint, k int);"
        "ALTER TABLE ONLY r ATTACH PARTITION r1"
        " FOR VALUES FROM ('1', '-5', 0) TO (1.50, '7', 10);"
        "CREATE TABLE l (t text) PARTITION BY LIST (t); CREATE TABLE l1 (t text);"
        "ALTER TABLE ONLY l ATTACH PARTITION l1 FOR VALUES IN ('1', 'x');"
    )
    assert not pgdrift.diff(dump, source)


def test_bounds_take_the_key_typmod_once_each_and_an_expression_keys_type() -> None:
    # PostgreSQL 15: FROM (1) on numeric(6,2) is stored 1.00 (rounded half away from zero),
    # character(3) pads, a repeated list value is stored once, lower(name) is text.
    source = pgdrift.loads(
        "CREATE TABLE r (n numeric(6,2), t text) PARTITION BY RANGE (n, lower(t));"
        "CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (1, 1) TO (2.505, 'm');"
        "CREATE TABLE l (c char(3)) PARTITION BY LIST (c);"
        "CREATE TABLE l1 PARTITION OF l FOR VALUES IN ('a', 'bb  ', 'a');"
    )
    dump = pgdrift.loads(
        "CREATE TABLE r (n numeric(6,2), t text) PARTITION BY RANGE (n, lower(t));"
        "CREATE TABLE r1 (n numeric(6,2), t text);"
        "ALTER TABLE ONLY r ATTACH PARTITION r1 FOR VALUES FROM (1.00, '1') TO (2.51, 'm');"
        "CREATE TABLE l (c char(3)) PARTITION BY LIST (c); CREATE TABLE l1 (c char(3));"
        "ALTER TABLE ONLY l ATTACH PARTITION l1 FOR VALUES IN ('a  ', 'bb ');"
    )
    assert not pgdrift.diff(dump, source)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("CREATE TABLE x (id int); CREATE TABLE x1 PARTITION OF x FOR VALUES IN (1);",
         '"x" is not partitioned'),
        ("CREATE TABLE h (id int) PARTITION BY HASH (id);"
         "CREATE TABLE h1 PARTITION OF h FOR VALUES FROM (1) TO (2);",
         "invalid bound specification for a hash partition"),
        ("CREATE TABLE h (id int) PARTITION BY HASH (id); CREATE TABLE h1 PARTITION OF h DEFAULT;",
         "a hash-partitioned table may not have a default partition"),
        ("CREATE TABLE r (id int) PARTITION BY RANGE (id);"
         "CREATE TABLE r1 PARTITION OF r FOR VALUES IN (1);",
         "invalid bound specification for a range partition"),
        ("CREATE TABLE s (id int CHECK (id > 0)) PARTITION BY LIST (id);"
         "CREATE TABLE s2 (id int); ALTER TABLE s ATTACH PARTITION s2 FOR VALUES IN (1);",
         'child table is missing constraint "s_id_check"'),
    ],
)  # fmt: skip
def test_what_postgresql_refuses_is_refused_with_its_words(sql: str, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        pgdrift.loads(sql)


def test_a_missing_parent_is_named() -> None:
    with pytest.raises(ModelError, match=r'relation "public\.nope" does not exist'):
        pgdrift.loads("CREATE TABLE x1 PARTITION OF nope FOR VALUES IN (1);")


def test_a_column_change_without_only_goes_down_to_every_partition() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE p (a int, b int) PARTITION BY LIST (a);"
        "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1) PARTITION BY LIST (a);"
        "CREATE TABLE p1a PARTITION OF p1 DEFAULT;"
        "ALTER TABLE p ADD COLUMN c text DEFAULT 'x' NOT NULL, ALTER COLUMN b SET NOT NULL;"
        "ALTER TABLE p DROP COLUMN b;"
    )
    leaf = schema.objects[pgdrift.ObjectId("table", "public", "p1a")]
    assert isinstance(leaf, model.Table)
    assert leaf.columns.names() == ("a", "c")
    assert leaf.columns["c"].not_null


def test_like_copies_what_its_including_options_say() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE src (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " n int DEFAULT 1 CHECK (n > 0), r int REFERENCES src);"
        "CREATE INDEX ON src (lower(n::text));"
        "CREATE TABLE bare (LIKE src);"
        "CREATE TABLE full_copy (LIKE src INCLUDING ALL);"
    )
    bare = schema.objects[pgdrift.ObjectId("table", "public", "bare")]
    assert isinstance(bare, model.Table)
    assert bare.columns["id"].not_null
    assert bare.columns["id"].identity is None
    assert bare.columns["n"].default is None
    assert not _objects(schema, "bare")
    full = schema.objects[pgdrift.ObjectId("table", "public", "full_copy")]
    assert isinstance(full, model.Table)
    assert full.columns["n"].default is not None
    identity = full.columns["id"].identity
    assert identity is not None
    assert identity.sequence is not None
    assert identity.sequence.name == "full_copy_id_seq"
    assert set(_objects(schema, "full_copy")) == {
        "src_n_check",
        "full_copy_pkey",
        "full_copy_lower_idx",
    }


@pytest.mark.parametrize(
    ("alter", "message"),
    [
        ("ALTER TABLE s1 ADD COLUMN z int", "cannot add column to a partition"),
        ("ALTER TABLE s1 DROP COLUMN c", 'cannot drop inherited column "c"'),
        ("ALTER TABLE s1 ALTER COLUMN n TYPE bigint", 'cannot alter inherited column "n"'),
        ("ALTER TABLE s ALTER COLUMN n SET NOT NULL; ALTER TABLE s1 ALTER COLUMN n DROP NOT NULL",
         'column "n" is marked NOT NULL in parent table'),
        ("ALTER TABLE s1 DROP CONSTRAINT s_id_check",
         'cannot drop inherited constraint "s_id_check" of relation "s1"'),
        ("ALTER TABLE s1 INHERIT s", "cannot change inheritance of a partition"),
    ],
)  # fmt: skip
def test_what_a_partition_takes_from_its_parent_is_changed_on_the_parent(
    alter: str, message: str
) -> None:
    with pytest.raises(ModelError, match=message):
        pgdrift.loads(PARENT + f"CREATE TABLE s1 PARTITION OF s FOR VALUES IN ('x'); {alter};")


def test_a_detached_partition_keeps_the_foreign_keys_cloned_from_its_parent() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE t (id int PRIMARY KEY);"
        "CREATE TABLE p (a int, tid int REFERENCES t) PARTITION BY LIST (a);"
        "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);"
        "ALTER TABLE p DETACH PARTITION p1;"
    )
    kept = _objects(schema, "p1")["p_tid_fkey"]
    assert isinstance(kept, model.Constraint)
    assert kept.type == model.Constraint.FOREIGN_KEY


def test_dropping_a_parents_constraint_drops_the_partitions_copies() -> None:
    schema = pgdrift.loads(
        PARENT + "CREATE TABLE s1 PARTITION OF s FOR VALUES IN ('x');"
        "ALTER TABLE s DROP CONSTRAINT s_pkey, DROP CONSTRAINT s_id_check;"
    )
    assert set(_objects(schema, "s1")) == {"s1_c_id_key", "s1_lower_idx", "s1_id_n_idx"}


def test_renaming_a_parents_column_renames_it_in_every_partition() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE p (a int, b int) PARTITION BY LIST (a);"
        "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1) PARTITION BY LIST (a);"
        "CREATE TABLE p1a PARTITION OF p1 DEFAULT;"
        "ALTER TABLE p RENAME COLUMN b TO c;"
    )
    leaf = schema.objects[pgdrift.ObjectId("table", "public", "p1a")]
    assert isinstance(leaf, model.Table)
    assert leaf.columns.names() == ("a", "c")
    with pytest.raises(ModelError, match='cannot rename inherited column "id"'):
        pgdrift.loads(
            PARENT + "CREATE TABLE s1 PARTITION OF s FOR VALUES IN ('x');"
            "ALTER TABLE s1 RENAME COLUMN id TO z;"
        )
