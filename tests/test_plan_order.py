"""How a plan is ordered, what it leaves out, and how it reads as a script."""

from __future__ import annotations

import random

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pgdrift
from pgdrift.differ import ChangeSet, diff
from pgdrift.ids import ObjectId
from pgdrift.planner import Plan, Step, plan
from pgdrift.planner.context import Action
from pgdrift.planner.order import order_actions
from pgdrift.planner.renames import follow
from pgdrift.renderer import render_plan_sql

EMPTY = "SET client_encoding = 'UTF8';"

SHOP = """
CREATE SCHEMA shop;
CREATE TYPE shop.status AS ENUM ('new', 'paid');
CREATE FUNCTION shop.total(n int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT n * 2';
CREATE TABLE shop.customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE shop.orders (
    id int PRIMARY KEY,
    customer_id int REFERENCES shop.customers,
    status shop.status DEFAULT 'new',
    amount int DEFAULT shop.total(1) CHECK (amount >= 0)
);
CREATE INDEX orders_customer ON shop.orders (customer_id);
CREATE VIEW shop.paid AS SELECT id, amount FROM shop.orders WHERE status = 'paid';
CREATE VIEW shop.big AS SELECT id FROM shop.paid WHERE amount > 100;
CREATE SEQUENCE shop.numbers;
ALTER SEQUENCE shop.numbers OWNED BY shop.orders.id;
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON shop.orders USING (customer_id > 0);
GRANT SELECT ON shop.paid TO app_readonly;
COMMENT ON TABLE shop.orders IS 'orders';
"""


def statements(the_plan: Plan) -> list[str]:
    return list(the_plan.statements())


def first_words(the_plan: Plan, words: int = 3) -> list[str]:
    return [" ".join(s.split()[:words]) for s in the_plan.statements()]


def test_creating_a_schema_from_nothing_follows_the_dependencies() -> None:
    steps = first_words(plan(diff(pgdrift.loads(EMPTY), pgdrift.loads(SHOP))), 4)
    order = [
        "CREATE SCHEMA shop", "CREATE TYPE shop.status AS", "CREATE FUNCTION shop.total(n integer)",
        "CREATE TABLE shop.customers (", "CREATE TABLE shop.orders (", "CREATE VIEW shop.paid AS",
        "CREATE VIEW shop.big AS",
    ]  # fmt: skip
    positions = [steps.index(s) for s in order]
    assert positions == sorted(positions)
    fk = steps.index("ALTER TABLE shop.orders ADD")
    assert fk > steps.index("CREATE TABLE shop.orders (")


def test_dropping_everything_goes_in_reverse_and_lets_drop_table_take_its_parts() -> None:
    steps = statements(plan(diff(pgdrift.loads(SHOP), pgdrift.loads(EMPTY))))
    assert steps == [
        "DROP VIEW shop.big",
        "DROP VIEW shop.paid",
        "DROP TABLE shop.orders",
        "DROP TABLE shop.customers",
        "DROP FUNCTION shop.total(integer)",
        "DROP TYPE shop.status",
        "DROP SCHEMA shop",
    ]


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_script_does_not_depend_on_the_order_of_the_changes(rng: random.Random) -> None:
    a, b = pgdrift.loads(EMPTY), pgdrift.loads(SHOP)
    changes = diff(a, b)
    shuffled = list(changes.changes)
    rng.shuffle(shuffled)
    again = attrs.evolve(changes, changes=tuple(shuffled))
    assert render_plan_sql(plan(again)) == render_plan_sql(plan(changes))


def test_every_change_gets_the_hazards_of_its_steps() -> None:
    a = SHOP
    b = SHOP.replace("name text NOT NULL", "name varchar(20) NOT NULL").replace(
        "CREATE INDEX orders_customer ON shop.orders (customer_id);", "")
    the_plan = plan(diff(pgdrift.loads(a), pgdrift.loads(b)))
    assert the_plan.changes is not None
    by_id = {str(c.id): c.hazards for c in the_plan.changes}
    assert by_id["column:shop.customers.name"] == ("rewrites_table", "strong_lock", "may_fail")
    assert by_id["index:shop.orders_customer"] == ()
    assert the_plan.hazards == ("rewrites_table", "strong_lock", "may_fail")
    for step in the_plan:
        if step.change is not None:
            assert set(step.hazards) <= set(step.change.hazards)


def test_an_identical_schema_plans_nothing() -> None:
    the_plan = plan(diff(pgdrift.loads(SHOP), pgdrift.loads(SHOP)))
    assert not the_plan
    assert render_plan_sql(the_plan) == ""
    assert the_plan.transactional


def test_the_script_runs_in_one_transaction_with_hazards_above_their_steps() -> None:
    a = "CREATE TABLE public.t (a int, b int);"
    b = "CREATE TABLE public.t (a int);"
    script = render_plan_sql(plan(diff(pgdrift.loads(a), pgdrift.loads(b))))
    assert script == (
        "BEGIN;\n\n"
        "-- hazards: deletes_data (deletes data)\n"
        "ALTER TABLE public.t DROP COLUMN b;\n\n"
        "COMMIT;\n"
    )


def test_steps_that_cannot_run_in_a_transaction_split_the_script_and_say_so_at_the_top() -> None:
    concurrently = Step("CREATE INDEX CONCURRENTLY i ON t (a)", transactional=False,
                        hazards=("not_transactional",))  # fmt: skip
    steps = (Step("CREATE TABLE t (a int)"), concurrently, Step("DROP TABLE u"))
    script = render_plan_sql(Plan(steps, warnings=("something to do by hand",)))
    assert script.splitlines()[:2] == [
        "-- WARNING: something to do by hand",
        "-- This script does not run as one transaction: 1 statement cannot run inside a "
        "transaction block (or must be committed before what follows), so it is split into "
        "several transactions.",
    ]
    body = [line for line in script.splitlines() if line and not line.startswith("--")]
    assert body == ["BEGIN;", "CREATE TABLE t (a int);", "COMMIT;",
                    "CREATE INDEX CONCURRENTLY i ON t (a);",
                    "BEGIN;", "DROP TABLE u;", "COMMIT;"]  # fmt: skip


def test_statements_that_need_each_other_in_a_cycle_raise_a_plan_error() -> None:
    t, f = ObjectId("table", "public", "t"), ObjectId("function", "public", "f", args=())
    first = Action("CREATE TABLE t", None, t, 1, 1, makes=frozenset({t}), needs=frozenset({f}))
    second = Action("CREATE FUNCTION f", None, f, 1, 2, makes=frozenset({f}),
                    needs=frozenset({t}))  # fmt: skip
    with pytest.raises(pgdrift.PlanError, match=r"function:public\.f\(\), table:public\.t"):
        order_actions([first, second])


def test_ties_are_broken_by_kind_then_name() -> None:
    b = """CREATE TABLE public.b (a int); CREATE TABLE public.a (a int);
           CREATE VIEW public.v AS SELECT 1 AS one; CREATE SEQUENCE public.z;"""
    steps = first_words(plan(diff(pgdrift.loads(EMPTY), pgdrift.loads(b))))
    assert steps == ["CREATE SEQUENCE public.z", "CREATE TABLE public.a", "CREATE TABLE public.b",
                     "CREATE VIEW public.v"]  # fmt: skip


# Renames -----------------------------------------------------------------------------------------


def test_a_column_rename_carries_the_index_and_view_that_use_the_column() -> None:
    a = """CREATE TABLE public.p (id int, title text);
           CREATE INDEX p_title ON public.p (lower(title)) WHERE title IS NOT NULL;
           CREATE VIEW public.v AS SELECT title FROM public.p;"""
    new = pgdrift.loads(a.replace("title text", "headline text").replace(
        "lower(title)) WHERE title", "lower(headline)) WHERE headline").replace(
        "SELECT title", "SELECT headline AS title"))
    changes = diff(pgdrift.loads(a), new, renames={"public.p.title": "headline"})
    assert statements(plan(changes)) == ["ALTER TABLE public.p RENAME COLUMN title TO headline"]


def test_following_a_rename_rewrites_only_column_references() -> None:
    schema = pgdrift.loads("""CREATE TABLE public.p (title text);
        CREATE VIEW public.v AS SELECT title, 'title' AS label FROM public.p;""")
    view = schema.views["public.v"]
    moved = follow(view, {}, {ObjectId("table", "public", "p"): {"title": "name"}})
    assert moved.query.sql == "SELECT p.name AS title, 'title'::text AS label FROM public.p"


def test_plans_of_a_change_set_without_its_schemas_still_order_what_they_can() -> None:
    changes = diff(pgdrift.loads(EMPTY), pgdrift.loads(SHOP))
    bare = ChangeSet(changes.changes)
    steps = first_words(plan(bare))
    assert steps.index("CREATE SCHEMA shop") < steps.index("CREATE TABLE shop.orders")


PERSISTENCE = """
CREATE {p} TABLE public.k (id int PRIMARY KEY, parent int REFERENCES public.k);
CREATE {p} TABLE public.v (id int PRIMARY KEY, k int REFERENCES public.k);
CREATE {p} TABLE public.w (id int PRIMARY KEY, v int REFERENCES public.v);
"""


def test_persistence_changes_follow_the_foreign_keys() -> None:
    # PostgreSQL keeps a permanent table from referencing an unlogged one: SET UNLOGGED goes
    # from the referencing tables up, SET LOGGED from the referenced tables down.
    logged, unlogged = (pgdrift.loads(PERSISTENCE.format(p=p)) for p in ("", "UNLOGGED"))
    assert statements(plan(diff(logged, unlogged))) == [
        f"ALTER TABLE public.{t} SET UNLOGGED" for t in ("w", "v", "k")]
    assert statements(plan(diff(unlogged, logged))) == [
        f"ALTER TABLE public.{t} SET LOGGED" for t in ("k", "v", "w")]


def test_inherit_waits_for_the_parents_column_types() -> None:
    # INHERIT compares the child's column types with the parent's ("child table has
    # different type for column"): a parent column converted in the same plan goes first.
    # Named so that the child's table sorts before the parent's.
    parent_after = "CREATE TABLE z_item (id int, n int);\n"
    a = "CREATE TABLE z_item (id int, n bigint);\nCREATE TABLE a_child (id int, n int);\n"
    b = parent_after + "CREATE TABLE a_child () INHERITS (z_item);\n"
    steps = statements(plan(diff(pgdrift.loads(a), pgdrift.loads(b))))
    retype = next(i for i, s in enumerate(steps) if "ALTER COLUMN n TYPE" in s)
    inherit = next(i for i, s in enumerate(steps) if "INHERIT public.z_item" in s)
    assert retype < inherit, steps
