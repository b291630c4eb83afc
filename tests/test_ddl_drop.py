"""DROP and ALTER TABLE ... DROP CONSTRAINT applied to the catalogue as PostgreSQL applies them:
IF EXISTS of what is not defined is a no-op, a DROP takes what PostgreSQL takes with it, and
RESTRICT refuses while other objects depend on the object, naming them."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift import ids
from pgdrift.ids import ObjectId

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CLEAN = sorted(p.parent for p in (FIXTURES / "clean").glob("*/dump.sql"))

BASE = """\
CREATE TABLE public.customers (id integer NOT NULL, email text);
ALTER TABLE ONLY public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);
CREATE SEQUENCE public.orders_id_seq AS integer;
CREATE TABLE public.orders (
    id integer DEFAULT nextval('public.orders_id_seq'::regclass) NOT NULL,
    customer_id integer
);
ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES public.customers(id);
CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id);
CREATE POLICY orders_all ON public.orders USING (true);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders
    FOR EACH ROW EXECUTE FUNCTION public.touch();
GRANT SELECT ON TABLE public.orders TO app_readonly;
GRANT SELECT(customer_id) ON TABLE public.orders TO app_user;
"""


def _ids(schema: pgdrift.Schema) -> set[str]:
    return {str(oid) for oid in schema.objects}


@pytest.mark.parametrize("case", CLEAN, ids=lambda p: p.name)
def test_clean_if_exists_dump_loads_equal_to_the_plain_dump(case: Path) -> None:
    # pg_dump --clean --if-exists starts with a DROP ... IF EXISTS (and ALTER TABLE IF EXISTS
    # ... DROP CONSTRAINT IF EXISTS) of every object it creates further down: all no-ops.
    clean = pgdrift.load(case / "dump.sql")
    plain = pgdrift.load(FIXTURES / case.name / "dump.sql")
    assert "DROP " in (case / "dump.sql").read_text(encoding="utf-8")
    assert not pgdrift.diff(plain, clean)
    assert _ids(clean) == _ids(plain)


def test_the_clean_cases_cover_every_object_kind_case() -> None:
    assert len(CLEAN) >= 14
    assert {p.name for p in CLEAN} >= {"tables", "constraints", "types", "supabase", "misc"}


def test_a_dropped_table_takes_its_constraints_indexes_triggers_policies_and_sequences() -> None:
    schema = pgdrift.loads(BASE + "DROP TABLE public.orders;")
    left = {oid for oid in _ids(schema) if "orders" in oid}
    assert left == set()
    assert "table:public.customers" in _ids(schema)
    assert "function:public.touch()" in _ids(schema)


def test_a_table_created_again_keeps_nothing_of_the_dropped_one() -> None:
    schema = pgdrift.loads(
        BASE + "DROP TABLE public.orders;\n"
        "CREATE TABLE public.orders (id integer, customer_id integer);"
    )
    fresh = pgdrift.loads(
        BASE.split("CREATE SEQUENCE", maxsplit=1)[0]
        + "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql "
        "AS $$BEGIN RETURN NEW; END$$;\n"
        "CREATE TABLE public.orders (id integer, customer_id integer);"
    )
    assert not pgdrift.diff(fresh, schema)


def test_drop_if_exists_of_what_is_not_defined_is_a_no_op() -> None:
    sql = (
        "DROP TABLE IF EXISTS public.nothing, other.nothing;\n"
        "DROP VIEW IF EXISTS public.v;\nDROP FUNCTION IF EXISTS public.f(integer);\n"
        "DROP TYPE IF EXISTS public.mood;\nDROP SCHEMA IF EXISTS gone CASCADE;\n"
        "DROP TRIGGER IF EXISTS tr ON public.t;\nDROP POLICY IF EXISTS p ON public.t;\n"
        "ALTER TABLE IF EXISTS ONLY public.t DROP CONSTRAINT IF EXISTS t_pkey;\n"
        "ALTER TABLE IF EXISTS public.t ALTER COLUMN id DROP DEFAULT;\n"
        "CREATE TABLE public.t (id integer);\n"
        "ALTER TABLE public.t DROP CONSTRAINT IF EXISTS t_pkey;\n"
    )
    schema = pgdrift.loads(sql)
    assert _ids(schema) == {"schema:public", "table:public.t"}


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("DROP TABLE public.nothing;", "DROP TABLE: table:public.nothing does not exist"),
        ("DROP FUNCTION public.f(integer);", r"function:public\.f\(integer\) does not exist"),
        (
            "CREATE TABLE public.t (id integer);\nALTER TABLE public.t DROP CONSTRAINT t_pkey;",
            "constraint 't_pkey' of table:public.t does not exist",
        ),
        ("ALTER TABLE public.t DROP CONSTRAINT c;", 'relation "public.t" does not exist'),
    ],
)
def test_dropping_what_is_not_defined_fails_with_its_place(sql: str, message: str) -> None:
    with pytest.raises(pgdrift.UndefinedObjectError, match=message) as raised:
        pgdrift.loads(sql, name="m.sql")
    assert raised.value.one_line().startswith(f"m.sql:{sql.count(chr(10)) + 1}:1: ")


def test_drop_without_cascade_refuses_and_names_the_dependents() -> None:
    sql = (
        BASE + "CREATE VIEW public.v AS SELECT orders.id FROM public.orders;\n"
        "DROP TABLE public.customers;"
    )
    with pytest.raises(pgdrift.DependentObjectsError) as raised:
        pgdrift.loads(sql, name="m.sql")
    error = raised.value
    assert error.dependents == ("constraint:public.orders.orders_customer_id_fkey",)
    assert "cannot drop table:public.customers because other objects depend on it" in str(error)
    assert error.span is not None
    assert error.span.line == sql.count("\n") + 1


def test_cascade_drops_the_dependents_and_only_them() -> None:
    schema = pgdrift.loads(
        BASE + "CREATE VIEW public.v AS SELECT orders.id FROM public.orders;\n"
        "CREATE VIEW public.vv AS SELECT v.id FROM public.v;\n"
        "DROP TABLE public.customers CASCADE;"
    )
    names = _ids(schema)
    assert "table:public.customers" not in names
    assert "constraint:public.orders.orders_customer_id_fkey" not in names
    # The table holding the foreign key stays; views over it are not dependents of customers.
    assert {"table:public.orders", "view:public.v", "view:public.vv"} <= names


def test_a_view_over_a_table_is_dropped_by_cascade_and_refuses_restrict() -> None:
    sql = BASE + "CREATE VIEW public.v AS SELECT orders.id FROM public.orders;\n"
    with pytest.raises(pgdrift.DependentObjectsError, match=r"view:public\.v"):
        pgdrift.loads(sql + "DROP TABLE public.orders;")
    assert "view:public.v" not in _ids(pgdrift.loads(sql + "DROP TABLE public.orders CASCADE;"))


def test_dropping_a_key_a_foreign_key_needs_refuses_without_cascade() -> None:
    with pytest.raises(pgdrift.DependentObjectsError, match="orders_customer_id_fkey"):
        pgdrift.loads(BASE + "ALTER TABLE public.customers DROP CONSTRAINT customers_pkey;")
    schema = pgdrift.loads(
        BASE + "ALTER TABLE public.customers DROP CONSTRAINT customers_pkey CASCADE;"
    )
    names = _ids(schema)
    assert "constraint:public.customers.customers_pkey" not in names
    assert "constraint:public.orders.orders_customer_id_fkey" not in names
    assert "table:public.orders" in names


def test_a_schema_with_objects_refuses_restrict_and_empties_with_cascade() -> None:
    sql = "CREATE SCHEMA s;\nCREATE TABLE s.t (id integer);\nCREATE TYPE s.e AS ENUM ('a');\n"
    with pytest.raises(pgdrift.DependentObjectsError, match=r"enum:s\.e, table:s\.t"):
        pgdrift.loads(sql + "DROP SCHEMA s;")
    assert _ids(pgdrift.loads(sql + "DROP SCHEMA s CASCADE;")) == {"schema:public"}


def test_a_function_a_default_calls_takes_only_the_default_with_cascade() -> None:
    # PostgreSQL drops just the column default ("drop cascades to default value for column
    # id of table t"); fixtures/ddl/drop_cascade_parts has the dump that shows it.
    sql = (
        "CREATE FUNCTION public.one() RETURNS integer LANGUAGE sql AS 'SELECT 1';\n"
        "CREATE TABLE public.t (id integer DEFAULT public.one(), n integer);\n"
    )
    with pytest.raises(pgdrift.DependentObjectsError, match=r"table:public\.t"):
        pgdrift.loads(sql + "DROP FUNCTION public.one();")
    schema = pgdrift.loads(sql + "DROP FUNCTION public.one() CASCADE;")
    assert _ids(schema) == {"schema:public", "table:public.t"}
    assert schema.tables["public.t"].columns["id"].default is None
    assert schema.tables["public.t"].columns.names() == ("id", "n")


def test_drop_table_of_a_view_and_drop_index_of_a_constraint_fail_as_in_postgresql() -> None:
    with pytest.raises(pgdrift.ModelError, match=r"view:public\.v is not a table"):
        pgdrift.loads("CREATE VIEW public.v AS SELECT 1 AS one;\nDROP TABLE public.v;")
    with pytest.raises(pgdrift.DependentObjectsError, match="requires it"):
        pgdrift.loads(BASE + "DROP INDEX public.orders_pkey;")


def test_drop_with_strict_false_collects_the_error_and_goes_on() -> None:
    schema = pgdrift.loads(
        "DROP TABLE public.nothing;\nCREATE TABLE public.t (id integer);", strict=False
    )
    assert [type(e).__name__ for e in schema.errors] == ["UndefinedObjectError"]
    assert ObjectId(ids.TABLE, "public", "t") in schema.objects


def test_a_dropped_table_leaves_its_publication_which_stays() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.a (id integer);\nCREATE TABLE public.b (id integer);\n"
        "CREATE PUBLICATION pub FOR TABLE public.a, public.b;\nDROP TABLE public.a;"
    )
    publication = schema.objects[ObjectId(ids.PUBLICATION, None, "pub")]
    assert [str(t.table) for t in publication.tables] == ["table:public.b"]  # type: ignore[attr-defined]


def test_source_with_drops_loads_equal_to_its_real_dump() -> None:
    # fixtures/ddl/drops: the real PostgreSQL ran the script and dumped what was left. The
    # script never says who owns what (the dump does), so owners are left out of this one.
    case = FIXTURES / "ddl" / "drops"
    source = pgdrift.load(case / "source.sql")
    dump = pgdrift.load(case / "dump.sql")
    assert not pgdrift.diff(dump, source, ignore_owners=True)
    assert _ids(source) == _ids(dump)


def test_drop_type_cascade_drops_the_columns_of_the_type_with_their_indexes() -> None:
    # PostgreSQL drops each column of the type (or of a domain over it, or an array of it) as
    # DROP COLUMN ... CASCADE does: the indexes and constraints on it go too, the table stays.
    # fixtures/ddl/fidelity_round3 proves it against PostgreSQL 15.
    sql = (
        "CREATE TYPE mood AS ENUM ('ok', 'sad');\n"
        "CREATE DOMAIN happy AS mood CHECK (VALUE <> 'sad');\n"
        "CREATE TABLE t (a int, c mood, h happy, l mood[], CHECK (c <> 'sad' OR a > 0));\n"
        "CREATE INDEX t_ac ON t (a, c);\nCREATE INDEX t_a ON t (a);\n"
    )
    with pytest.raises(pgdrift.DependentObjectsError, match=r"table:public\.t"):
        pgdrift.loads(sql + "DROP TYPE mood;")
    schema = pgdrift.loads(sql + "DROP TYPE mood CASCADE;")
    assert list(schema.tables["public.t"].columns) == ["a"]
    assert _ids(schema) == {"schema:public", "table:public.t", "index:public.t_a"}


def test_drop_column_in_a_publications_column_list_needs_cascade() -> None:
    # pg_publication_rel depends on the columns of its list and row filter.
    base = (
        "CREATE TABLE t (id int PRIMARY KEY, qty int);\n"
        "CREATE PUBLICATION p FOR TABLE t (id, qty);\n"
    )
    with pytest.raises(pgdrift.Error, match=r"publication of table:public.t in publication:p"):
        pgdrift.loads(base + "ALTER TABLE t DROP COLUMN qty;\n")
    schema = pgdrift.loads(base + "ALTER TABLE t DROP COLUMN qty CASCADE;\n")
    assert schema["publication:p"].tables == ()


@pytest.mark.parametrize(
    "body",
    [
        "SELECT count(note) FROM t",
        "UPDATE t SET note = 'x'",
        "INSERT INTO t (id, note) VALUES (1, 'n')",
    ],
)
def test_drop_column_a_sql_standard_body_uses_needs_cascade(body: str) -> None:
    # The body is stored parsed: it depends on the columns it reads or assigns.
    base = (
        "CREATE TABLE t (id int, note text);\n"
        f"CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC {body}; END;\n"
    )
    with pytest.raises(pgdrift.Error, match=r"procedure:public.p\(\)"):
        pgdrift.loads(base + "ALTER TABLE t DROP COLUMN note;\n")
    dropped = pgdrift.loads(base + "ALTER TABLE t DROP COLUMN note CASCADE;\n")
    assert "procedure:public.p()" not in dropped
