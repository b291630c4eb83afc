"""The dependency graph built from the model: an edge a -> b means a depends on b."""

from __future__ import annotations

import pgdrift
from pgdrift import ids
from pgdrift.graph import OWNERSHIP, dependencies_of
from pgdrift.ids import ObjectId

SQL = """
CREATE TYPE public.mood AS ENUM ('ok', 'sad');
CREATE TABLE public.parent (id integer NOT NULL, m public.mood) PARTITION BY RANGE (id);
CREATE TABLE public.child (id integer NOT NULL, m public.mood);
ALTER TABLE ONLY public.parent ATTACH PARTITION public.child FOR VALUES FROM (0) TO (10);
CREATE TABLE public.t (id integer NOT NULL, p integer);
CREATE SEQUENCE public.t_id_seq;
ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;
ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT nextval('public.t_id_seq'::regclass);
CREATE TABLE public.u (id integer NOT NULL);
ALTER TABLE ONLY public.u ADD CONSTRAINT u_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.t ADD CONSTRAINT t_p_fkey FOREIGN KEY (p) REFERENCES public.u(id);
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE FUNCTION public.allowed(integer) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE TRIGGER t_touch BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE VIEW public.v AS SELECT t.id FROM public.t;
CREATE POLICY p ON public.t USING (public.allowed(id));
CREATE INDEX t_p_idx ON public.t USING btree (p);
"""


def edges() -> dict[tuple[str, str], str]:
    graph = pgdrift.loads(SQL).graph
    return {(str(a), str(b)): data["reason"] for a, b, data in graph.edges(data=True)}


def test_foreign_key_depends_on_both_tables_and_the_referenced_key() -> None:
    found = edges()
    fk = "constraint:public.t.t_p_fkey"
    assert found[(fk, "table:public.t")] == "table"
    assert found[(fk, "table:public.u")] == "foreign key"
    assert found[(fk, "constraint:public.u.u_pkey")] == "referenced key"


def test_column_types_defaults_and_ownership() -> None:
    found = edges()
    assert found[("table:public.parent", "enum:public.mood")] == "column type"
    assert found[("table:public.t", "sequence:public.t_id_seq")] == "default"
    assert found[("sequence:public.t_id_seq", "column:public.t.id")] == OWNERSHIP


def test_views_triggers_policies_indexes_partitions() -> None:
    found = edges()
    assert found[("view:public.v", "table:public.t")] == "query"
    assert found[("trigger:public.t.t_touch", "function:public.touch()")] == "trigger function"
    assert found[("policy:public.t.p", "function:public.allowed(integer)")] == "calls"
    assert found[("index:public.t_p_idx", "table:public.t")] == "table"
    assert found[("table:public.child", "table:public.parent")] == "partition of"
    assert found[("table:public.t", "schema:public")] == "schema"


def test_dependencies_of_one_object_match_the_graph() -> None:
    schema = pgdrift.loads(SQL)
    view = schema.views["public.v"]
    assert (ObjectId(ids.TABLE, "public", "t"), "query") in dependencies_of(view, schema)


COLLATED = """
CREATE COLLATION public.c1 (provider = icu, locale = 'en-US');
CREATE TABLE public.t (a text COLLATE public.c1, b integer, c text);
-- A key's COLLATE that is its column's own is not kept (pg_dump leaves it out): name another.
CREATE INDEX t_a_idx ON public.t USING btree (c COLLATE public.c1);
CREATE DOMAIN public.d AS text COLLATE public.c1;
CREATE TYPE public.pair AS (x text COLLATE public.c1);
CREATE FUNCTION public.f(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT 1 $$;
CREATE STATISTICS public.t_stats ON (public.f(b)), a FROM public.t;
"""


def test_collations_named_by_columns_index_keys_domains_and_attributes() -> None:
    graph = pgdrift.loads(COLLATED).graph
    found = {(str(a), str(b)): data["reason"] for a, b, data in graph.edges(data=True)}
    for user in ("table:public.t", "index:public.t_a_idx", "domain:public.d",
                 "composite_type:public.pair"):  # fmt: skip
        assert found[(user, "collation:public.c1")] == "collation", user


def test_statistics_depend_on_the_functions_in_their_expressions() -> None:
    graph = pgdrift.loads(COLLATED).graph
    found = {(str(a), str(b)): data["reason"] for a, b, data in graph.edges(data=True)}
    assert found[("statistics:public.t_stats", "function:public.f(integer)")] == "calls"


def test_a_string_body_names_nothing_a_sql_standard_body_does() -> None:
    # PostgreSQL records the dependencies of a BEGIN ATOMIC / RETURN body, never those of a
    # body in quotes (it is text until it runs): an enum used only there can be dropped.
    schema = pgdrift.loads("""
        CREATE TYPE public.mood AS ENUM ('ok');
        CREATE FUNCTION public.quoted() RETURNS text LANGUAGE plpgsql
            AS $$ BEGIN RETURN 'ok'::public.mood::text; END $$;
        CREATE FUNCTION public.standard() RETURNS text LANGUAGE sql
            RETURN 'ok'::public.mood::text;
    """)
    graph = schema.graph
    mood = ObjectId(ids.ENUM, "public", "mood")
    assert not graph.has_edge(ObjectId(ids.FUNCTION, "public", "quoted", args=()), mood)
    assert graph.has_edge(ObjectId(ids.FUNCTION, "public", "standard", args=()), mood)


def test_operators_and_collations_named_inside_expressions() -> None:
    schema = pgdrift.loads("""
        CREATE COLLATION public.c1 (provider = icu, locale = 'en-US');
        CREATE FUNCTION public.same(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE
            AS $$ SELECT a = b $$;
        CREATE OPERATOR public.=~= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.same);
        CREATE TABLE public.t (a text);
        CREATE VIEW public.v AS SELECT a COLLATE public.c1 AS a FROM public.t
            WHERE a OPERATOR(public.=~=) 'x';
    """)
    found = {(str(a), str(b)): data["reason"] for a, b, data in schema.graph.edges(data=True)}
    assert found[("view:public.v", "collation:public.c1")] == "collation"
    assert found[("view:public.v", "operator:public.=~=(text, text)")] == "operator"


def test_a_field_of_a_function_result_depends_on_its_composite_type() -> None:
    # (f()).field is a FieldSelect on f's result type: PostgreSQL records the attribute as
    # used, so the view must go before ALTER TYPE ... ALTER ATTRIBUTE ... TYPE.
    schema = pgdrift.loads("""
CREATE TYPE public.money_amount AS (amount numeric(12,2), currency character(3));
CREATE FUNCTION public.zero() RETURNS public.money_amount LANGUAGE sql
    AS $$ SELECT ROW(0, 'EUR')::public.money_amount $$;
CREATE VIEW public.whole AS SELECT public.zero() AS z;
CREATE VIEW public.field AS SELECT (public.zero()).amount AS amount;
""")
    money = ObjectId(ids.COMPOSITE_TYPE, "public", "money_amount")

    def deps(name: str) -> list[tuple[ObjectId, str]]:
        return dependencies_of(schema.objects[ObjectId(ids.VIEW, "public", name)], schema)

    assert (money, "field") in deps("field")
    assert money not in {oid for oid, _ in deps("whole")}


def test_a_grouped_view_depends_on_the_primary_key_it_relies_on() -> None:
    # check_functional_grouping: a column neither grouped nor aggregated is allowed when the
    # GROUP BY holds its table's (non-deferrable) primary key, and the view then depends on
    # that constraint: it must come after it and go before it is dropped.
    schema = pgdrift.loads("""
CREATE TABLE public.t (id integer PRIMARY KEY, title text, rank integer);
CREATE TABLE public.d (id integer PRIMARY KEY DEFERRABLE, title text);
CREATE VIEW public.selected AS SELECT t.id, t.title FROM public.t t GROUP BY t.id;
CREATE VIEW public.ordered AS SELECT count(*) AS n FROM public.t GROUP BY id ORDER BY rank;
CREATE VIEW public.star AS SELECT x.* FROM public.t AS x GROUP BY x.id;
CREATE VIEW public.grouped_only AS SELECT id, count(*) AS n FROM public.t GROUP BY id;
CREATE VIEW public.not_the_key AS SELECT title, count(*) AS n FROM public.t GROUP BY title;
CREATE VIEW public.joined AS SELECT a.id, b.title FROM public.t a JOIN public.t b ON a.id = b.id
    GROUP BY a.id, b.id;
CREATE VIEW public.deferred AS SELECT d.id, count(*) AS n FROM public.d GROUP BY d.id, d.title;
""")
    key = ObjectId(ids.CONSTRAINT, "public", "t_pkey", parent="t")

    def keys(name: str) -> set[ObjectId]:
        view = schema.objects[ObjectId(ids.VIEW, "public", name)]
        return {oid for oid, why in dependencies_of(view, schema) if why == "functional dependency"}

    assert keys("selected") == keys("ordered") == keys("star") == keys("joined") == {key}
    assert keys("grouped_only") == keys("not_the_key") == keys("deferred") == set()
