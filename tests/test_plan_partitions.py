"""What the planner writes for partitioned tables: one statement on the parent for what
PostgreSQL carries down to the partitions, ``ON ONLY`` plus ``ATTACH PARTITION`` for what has a
name of its own in each partition (offline; the fixture pairs ``partition_*`` prove the same
on a real PostgreSQL)."""

from __future__ import annotations

import pgdrift
from pgdrift.differ import diff
from pgdrift.planner import plan

# The shape pg_dump writes: each partition a table of its own, attached afterwards, with its
# copy of every column and CHECK constraint.
PARENT = """
CREATE TABLE public.m (id bigint NOT NULL, taken_on date NOT NULL, value numeric{extra})
    PARTITION BY RANGE (taken_on);
CREATE TABLE public.m_2024 (id bigint NOT NULL, taken_on date NOT NULL, value numeric{extra});
ALTER TABLE ONLY public.m ATTACH PARTITION public.m_2024
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
"""


def statements(a_sql: str, b_sql: str) -> list[str]:
    return list(plan(diff(pgdrift.loads(a_sql), pgdrift.loads(b_sql))).statements())


def test_a_column_added_to_a_partitioned_table_is_added_once() -> None:
    steps = statements(PARENT.format(extra=""), PARENT.format(extra=", unit text"))
    assert steps == ["ALTER TABLE public.m ADD COLUMN unit text"]


def test_a_check_dropped_from_a_partitioned_table_is_dropped_once() -> None:
    check = ", CONSTRAINT m_value_check CHECK (value >= 0)"
    steps = statements(PARENT.format(extra=check), PARENT.format(extra=""))
    assert steps == ["ALTER TABLE public.m DROP CONSTRAINT m_value_check"]


def test_a_partition_keeps_the_column_changes_its_parent_does_not_make() -> None:
    # The type change recurses from the parent; the partition's own default does not.
    a = PARENT.format(extra=", unit text")
    b = PARENT.format(extra=", unit varchar(10)") + (
        "ALTER TABLE ONLY public.m_2024 ALTER COLUMN unit SET DEFAULT 'kg';"
    )
    steps = statements(a, b)
    assert steps.count("ALTER TABLE public.m ALTER COLUMN unit TYPE character varying(10)") == 1
    assert not any("m_2024 ALTER COLUMN unit TYPE" in s for s in steps)
    # The default as PostgreSQL stores it for the varchar column (issue 11).
    default = "ALTER TABLE public.m_2024 ALTER COLUMN unit SET DEFAULT 'kg'::character varying"
    assert default in steps


def test_a_primary_key_on_a_partitioned_table_is_built_on_only_and_attached() -> None:
    key = """
    ALTER TABLE ONLY public.m ADD CONSTRAINT m_pkey PRIMARY KEY (id, taken_on);
    ALTER TABLE ONLY public.m_2024 ADD CONSTRAINT m_2024_pkey PRIMARY KEY (id, taken_on);
    ALTER INDEX public.m_pkey ATTACH PARTITION public.m_2024_pkey;
    """
    steps = statements(PARENT.format(extra=""), PARENT.format(extra="") + key)
    assert steps == [
        "ALTER TABLE ONLY public.m ADD CONSTRAINT m_pkey PRIMARY KEY (id, taken_on)",
        "ALTER TABLE public.m_2024 ADD CONSTRAINT m_2024_pkey PRIMARY KEY (id, taken_on)",
        "ALTER INDEX public.m_pkey ATTACH PARTITION public.m_2024_pkey",
    ]


def test_a_partition_rebounded_is_detached_before_its_parents_key_is_dropped() -> None:
    # DROP CONSTRAINT on the parent drops the partition's attached key with it; the partition's
    # own drop runs after its DETACH, so the DETACH must come before the parent's drop too.
    key = """
    ALTER TABLE ONLY public.m ADD CONSTRAINT m_pkey PRIMARY KEY (id, taken_on);
    ALTER TABLE ONLY public.m_2024 ADD CONSTRAINT m_2024_pkey PRIMARY KEY (id, taken_on);
    ALTER INDEX public.m_pkey ATTACH PARTITION public.m_2024_pkey;
    """
    rebound = PARENT.format(extra="").replace("TO ('2025-01-01')", "TO ('2024-07-01')")
    steps = statements(PARENT.format(extra="") + key, rebound)
    detach = steps.index("ALTER TABLE public.m DETACH PARTITION public.m_2024")
    assert detach < steps.index("ALTER TABLE public.m DROP CONSTRAINT m_pkey")
    assert detach < steps.index("ALTER TABLE public.m_2024 DROP CONSTRAINT m_2024_pkey")


def test_a_partition_kept_through_its_parents_rebuild_is_detached_and_attached_again() -> None:
    # A key column's new type rebuilds the partitioned table; DROP TABLE would take the
    # partition (and its rows) with it, so it is detached first and attached to the new one.
    a = PARENT.format(extra="").replace("taken_on date", "taken_on timestamp")
    b = a.replace("taken_on timestamp", "taken_on timestamp(0)")
    steps = statements(a, b)
    detach = steps.index("ALTER TABLE public.m DETACH PARTITION public.m_2024")
    assert detach < steps.index("DROP TABLE public.m")
    attach = next(i for i, s in enumerate(steps) if s.startswith(
        "ALTER TABLE public.m ATTACH PARTITION public.m_2024"))  # fmt: skip
    assert steps.index(next(s for s in steps if s.startswith("CREATE TABLE public.m "))) < attach
    # The partitioned table holds no rows of its own: with its partition kept, none are lost.
    (drop,) = [s for s in plan(diff(pgdrift.loads(a), pgdrift.loads(b))).steps
               if s.sql == "DROP TABLE public.m"]  # fmt: skip
    assert "deletes_data" not in drop.hazards


def test_a_partition_key_of_a_replaced_enum_rebuilds_the_partitioned_table() -> None:
    # ALTER COLUMN TYPE is refused on a key column: the table is built again with the new
    # enum and its partition, detached meanwhile, is converted by the replacement.
    shape = """
    CREATE TYPE public.s AS ENUM ({labels});
    CREATE TABLE public.t (id bigint NOT NULL, st public.s NOT NULL) PARTITION BY LIST (st);
    CREATE TABLE public.t_a (id bigint NOT NULL, st public.s NOT NULL);
    ALTER TABLE ONLY public.t ATTACH PARTITION public.t_a FOR VALUES IN ('a');
    """
    steps = statements(shape.format(labels="'a', 'b'"), shape.format(labels="'a'"))
    assert not any(s.startswith("ALTER TABLE public.t ALTER COLUMN") for s in steps)
    convert = next(i for i, s in enumerate(steps) if s.startswith(
        "ALTER TABLE public.t_a ALTER COLUMN st TYPE public.s"))  # fmt: skip
    assert steps.index("ALTER TABLE public.t DETACH PARTITION public.t_a") < convert
    assert steps.index("DROP TABLE public.t") < convert
    assert convert < steps.index("ALTER TABLE public.t ATTACH PARTITION public.t_a FOR VALUES "
                                 "IN ('a')")  # fmt: skip


def test_a_partitioned_index_with_new_options_is_built_again() -> None:
    # ALTER INDEX ... SET is refused on a partitioned index; a partition's index takes it.
    index = "CREATE INDEX m_b ON ONLY public.m USING brin (taken_on){};"
    a = PARENT.format(extra="") + index.format("")
    b = PARENT.format(extra="") + index.format(" WITH (pages_per_range='32')")
    (replaced,) = diff(pgdrift.loads(a), pgdrift.loads(b)).filter(operation="replace")
    assert replaced.reason == "index options changed"
    plain = "CREATE TABLE public.p (d date);\nCREATE INDEX p_b ON public.p USING brin (d){};"
    steps = statements(plain.format(""), plain.format(" WITH (pages_per_range='32')"))
    assert steps == ["ALTER INDEX public.p_b SET (pages_per_range=32)"]


def test_a_partition_attached_beside_an_existing_default_partition_is_a_hazard() -> None:
    # ATTACH PARTITION scans the default partition for rows of the new bound and fails on one.
    shape = """
    CREATE TABLE public.l (lv text NOT NULL) PARTITION BY LIST (lv);
    CREATE TABLE public.l_rest (lv text NOT NULL);
    ALTER TABLE ONLY public.l ATTACH PARTITION public.l_rest DEFAULT;
    """
    extra = "CREATE TABLE public.l_w (lv text NOT NULL);"
    extra += "ALTER TABLE ONLY public.l ATTACH PARTITION public.l_w FOR VALUES IN ('w');"
    (attach,) = [s for s in plan(diff(pgdrift.loads(shape), pgdrift.loads(shape + extra))).steps
                 if "ATTACH PARTITION public.l_w" in s.sql]  # fmt: skip
    assert "may_fail" in attach.hazards
    assert "public.l_rest" in (attach.comment or "")


def test_an_index_left_behind_by_its_dropped_parent_index_is_built_again() -> None:
    local = "CREATE INDEX m_2024_by_day ON public.m_2024 USING btree (taken_on);"
    attached = """
    CREATE INDEX m_taken_on_idx ON ONLY public.m USING btree (taken_on);
    ALTER INDEX public.m_taken_on_idx ATTACH PARTITION public.m_2024_by_day;
    """
    steps = statements(PARENT.format(extra="") + local + attached, PARENT.format(extra="") + local)
    assert steps == [
        "DROP INDEX public.m_taken_on_idx",
        "CREATE INDEX m_2024_by_day ON public.m_2024 (taken_on)",
    ]


def _renamed(a_sql: str, b_sql: str, renames: dict[str, str]) -> list[str]:
    changes = diff(pgdrift.loads(a_sql), pgdrift.loads(b_sql), renames=renames)
    return list(plan(changes).statements())


def test_a_column_renamed_on_a_partitioned_table_is_renamed_once() -> None:
    # RENAME COLUMN recurses; on the partition alone: "cannot rename inherited column".
    a = PARENT.format(extra="")
    b = PARENT.format(extra="").replace("value numeric", "reading numeric")
    steps = _renamed(a, b, {"public.m.value": "reading"})
    assert steps == ["ALTER TABLE public.m RENAME COLUMN value TO reading"]


def test_a_renamed_partition_key_column_keeps_the_table() -> None:
    a = PARENT.format(extra="")
    b = a.replace("taken_on", "measured_on")
    steps = _renamed(a, b, {"public.m.taken_on": "measured_on"})
    assert steps == ["ALTER TABLE public.m RENAME COLUMN taken_on TO measured_on"]


def test_a_column_renamed_on_an_inheritance_parent_is_renamed_once() -> None:
    # The child's column merged with a local definition is renamed with the parent's too.
    a = """
    CREATE TABLE public.p (id bigint, plate text);
    CREATE TABLE public.c (plate text, seats integer) INHERITS (public.p);
    CREATE TABLE public.d (kg integer) INHERITS (public.p);
    """
    b = a.replace("plate", "registration")
    steps = _renamed(a, b, {"public.p.plate": "registration"})
    assert steps == ["ALTER TABLE public.p RENAME COLUMN plate TO registration"]


INHERITANCE = """
CREATE TABLE public.p (id bigint{extra});
CREATE TABLE public.c (seats integer{local}) INHERITS (public.p);
"""


def test_a_column_added_to_an_inheritance_parent_is_added_once() -> None:
    a = INHERITANCE.format(extra="", local="")
    b = INHERITANCE.format(extra=", note text", local="")
    assert statements(a, b) == ["ALTER TABLE public.p ADD COLUMN note text"]


def test_a_childs_local_column_stays_when_its_parent_drops_it() -> None:
    # The child defines the column itself too: DROP COLUMN on the parent leaves it.
    a = INHERITANCE.format(extra=", note text", local=", note text")
    b = INHERITANCE.format(extra="", local=", note text")
    assert statements(a, b) == ["ALTER TABLE public.p DROP COLUMN note"]


def test_a_parents_column_a_child_keeps_is_dropped_with_only() -> None:
    # Without ONLY the child's inherited-only copy would go with its data; with ONLY every
    # child's copy becomes its own, and a child that loses it drops it itself, afterwards.
    a = INHERITANCE.format(extra=", note text", local="") + (
        "CREATE TABLE public.d (kg integer) INHERITS (public.p);"
    )
    b = INHERITANCE.format(extra="", local=", note text") + (
        "CREATE TABLE public.d (kg integer) INHERITS (public.p);"
    )
    assert statements(a, b) == [
        "ALTER TABLE ONLY public.p DROP COLUMN note", "ALTER TABLE public.d DROP COLUMN note"
    ]  # fmt: skip


def test_a_parent_gained_or_lost_orders_the_childs_columns_and_checks_around_it() -> None:
    # INHERIT needs the child's matching column and CHECK first; NO INHERIT comes before the
    # child drops what the parent gave ("cannot drop inherited column / constraint").
    parent = "CREATE TABLE public.p (id bigint, w integer, CONSTRAINT w_pos CHECK (w > 0));"
    alone = parent + "CREATE TABLE public.c (id bigint);"
    child = parent + (
        "CREATE TABLE public.c (id bigint, w integer, CONSTRAINT w_pos CHECK (w > 0));"
        "ALTER TABLE public.c INHERIT public.p;"
    )
    gained = statements(alone, child)
    inherit = gained.index("ALTER TABLE public.c INHERIT public.p")
    assert inherit == len(gained) - 1
    lost = statements(child, alone)
    assert lost[0] == "ALTER TABLE public.c NO INHERIT public.p"
    assert set(lost[1:]) == {
        "ALTER TABLE public.c DROP CONSTRAINT w_pos", "ALTER TABLE public.c DROP COLUMN w"
    }  # fmt: skip


def test_a_column_only_inherited_on_one_side_warns() -> None:
    # PostgreSQL never makes a table's own column inherited-only again (attislocal).
    a = INHERITANCE.format(extra=", note text", local=", note text")
    b = INHERITANCE.format(extra=", note text", local="")
    warnings = plan(diff(pgdrift.loads(a), pgdrift.loads(b))).warnings
    assert any("column:public.c.note" in w and "attislocal" in w for w in warnings)
    assert not plan(diff(pgdrift.loads(b), pgdrift.loads(b))).warnings


def test_a_childs_own_check_comes_before_its_parents_and_goes_after() -> None:
    # The model holds a child's own CHECK only (pg_dump prints no inherited one): the parent's
    # ADD would leave the child an inherited copy, and the child's own ADD after it fails.
    a = INHERITANCE.format(extra=", w integer", local="")
    b = INHERITANCE.format(extra=", w integer, CONSTRAINT w_pos CHECK (w > 0)",
                           local=", CONSTRAINT w_pos CHECK (w > 0)")  # fmt: skip
    assert statements(a, b) == [
        "ALTER TABLE public.c ADD CONSTRAINT w_pos CHECK (w > 0)",
        "ALTER TABLE public.p ADD CONSTRAINT w_pos CHECK (w > 0)",
    ]
    assert statements(b, a) == [
        "ALTER TABLE public.p DROP CONSTRAINT w_pos", "ALTER TABLE public.c DROP CONSTRAINT w_pos"
    ]  # fmt: skip


def test_a_view_over_a_child_goes_around_its_parents_type_change() -> None:
    # The parent's ALTER COLUMN TYPE reaches the child's copy, which the view uses.
    view = "CREATE VIEW public.v AS SELECT c.note FROM public.c;"
    a = INHERITANCE.format(extra=", note text", local="") + view
    b = INHERITANCE.format(extra=", note varchar(5)", local="") + view
    steps = statements(a, b)
    alter = steps.index("ALTER TABLE public.p ALTER COLUMN note TYPE character varying(5)")
    assert steps.index("DROP VIEW public.v") < alter
    assert alter < next(i for i, s in enumerate(steps) if s.startswith("CREATE VIEW public.v"))


def test_a_type_change_on_an_inheritance_parent_is_made_once() -> None:
    a = INHERITANCE.format(extra=", note text", local="")
    b = INHERITANCE.format(extra=", note varchar(5)", local="")
    steps = statements(a, b)
    assert steps == ["ALTER TABLE public.p ALTER COLUMN note TYPE character varying(5)"]


def test_a_renamed_partitioned_index_keeps_its_partitions_indexes() -> None:
    # The partitions' indexes stay attached (by oid) under their own names.
    index = "CREATE INDEX {} ON ONLY public.m (value); CREATE INDEX m_2024_value_idx ON "
    index += (
        "public.m_2024 (value); ALTER INDEX public.{} ATTACH PARTITION public.m_2024_value_idx;"
    )
    a = PARENT.format(extra="") + index.format("m_value_idx", "m_value_idx")
    b = PARENT.format(extra="") + index.format("m_by_value", "m_by_value")
    steps = _renamed(a, b, {"public.m_value_idx": "m_by_value"})
    assert steps == ["ALTER INDEX public.m_value_idx RENAME TO m_by_value"]


def test_a_table_turned_partitioned_is_rebuilt_and_says_why() -> None:
    plain = "CREATE TABLE public.m (id bigint NOT NULL, taken_on date NOT NULL);"
    changes = diff(pgdrift.loads(plain), pgdrift.loads(PARENT.format(extra="").replace(
        ", value numeric", "")))  # fmt: skip
    (replaced,) = changes.filter(operation="replace")
    assert replaced.reason == "a plain table becomes partitioned, which needs a new table"
    assert any("deletes_data" in s.hazards for s in plan(changes).steps)


def test_a_childs_own_column_comes_before_its_parents_and_goes_after() -> None:
    # ADD on the parent merges into the child's column; the child's DROP fails while the
    # parent still has it ("cannot drop inherited column").
    a = INHERITANCE.format(extra="", local="")
    b = INHERITANCE.format(extra=", note text", local=", note text")
    assert statements(a, b) == [
        "ALTER TABLE public.c ADD COLUMN note text", "ALTER TABLE public.p ADD COLUMN note text",
    ]  # fmt: skip
    assert statements(b, a) == [
        "ALTER TABLE public.p DROP COLUMN note", "ALTER TABLE public.c DROP COLUMN note",
    ]  # fmt: skip


def test_a_column_added_in_the_middle_of_a_partitioned_table_warns_once() -> None:
    partitions = "CREATE TABLE public.m1 PARTITION OF public.m FOR VALUES IN (1);"
    old = pgdrift.loads(f"CREATE TABLE public.m (a int, b int) PARTITION BY LIST (a); {partitions}")
    new = pgdrift.loads(
        f"CREATE TABLE public.m (a int, x int, b int) PARTITION BY LIST (a); {partitions}"
    )
    warnings = pgdrift.plan(pgdrift.diff(old, new)).warnings
    assert [w.split(":", 2)[:2] for w in warnings] == [["table", "public.m"]]
    appended = pgdrift.loads(
        f"CREATE TABLE public.m (a int, b int, x int) PARTITION BY LIST (a); {partitions}"
    )
    assert pgdrift.plan(pgdrift.diff(old, appended)).warnings == ()
