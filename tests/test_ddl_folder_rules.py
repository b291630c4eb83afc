"""Rules the migration folders (fixtures/ddl/folder_*) found missing, in shapes pg_dump never
writes: ``GRANT ... ON ALL TABLES IN SCHEMA`` (pgdrift.builder.grant_all), ``GROUP BY 1`` /
``ORDER BY 2`` in a view (pgdrift.builder.query_ordinals), ``string_to_array(col, '/')``, a
table renamed under views (pgdrift.builder.query_relation_renames). The proof on PostgreSQL is
fixtures/ddl/folder_dbmate_events (grants on all tables), folder_dbmate_crm (positions),
folder_supabase_saas_long (string_to_array) and folder_flyway_inventory_long (a table renamed
under a view); these pin the rules' edges, the dumps below written by PostgreSQL 15."""

from __future__ import annotations

import pytest

import pgdrift
from pgdrift import model

_SCHEMA = """
create schema r;
create table r.t (id int);
create view r.v as select 1 as x;
create materialized view r.m as select 1 as x;
create sequence r.s;
create function r.f() returns int language sql as 'select 1';
create procedure r.p() language sql as 'select 1';
create table public.elsewhere (id int);
"""


def _grantees(obj: object) -> set[str]:
    assert isinstance(obj, model.DbObject)
    return {p.grantee for p in obj.privileges}


def test_all_tables_in_schema_are_tables_views_and_matviews_then_present() -> None:
    schema = pgdrift.loads(_SCHEMA + """
        grant select on all tables in schema r to app_readonly;
        create table r.later (id int);
    """)  # fmt: skip
    for name in ("table:r.t", "view:r.v", "materialized_view:r.m"):
        assert _grantees(schema[name]) == {"app_readonly"}, name
    # Objects made afterwards are what ALTER DEFAULT PRIVILEGES is for; other schemas and
    # sequences are not tables.
    assert _grantees(schema["table:r.later"]) == set()
    assert _grantees(schema["table:public.elsewhere"]) == set()
    assert _grantees(schema["sequence:r.s"]) == set()


@pytest.mark.parametrize(
    ("what", "expected"),
    [("functions", {"r.f"}), ("procedures", {"r.p"}), ("routines", {"r.f", "r.p"})],
)
def test_all_functions_procedures_or_routines(what: str, expected: set[str]) -> None:
    schema = pgdrift.loads(_SCHEMA + f"grant execute on all {what} in schema r to app_user;")
    granted = {
        f"{oid.schema}.{oid.name}"
        for oid, obj in schema.objects.items()
        if oid.kind in ("function", "procedure") and "app_user" in _grantees(obj)
    }
    assert granted == expected


def test_revoke_on_all_sequences_and_a_missing_schema() -> None:
    schema = pgdrift.loads(_SCHEMA + """
        grant usage on all sequences in schema r to app_user;
        revoke usage on all sequences in schema r from app_user;
    """)  # fmt: skip
    assert _grantees(schema["sequence:r.s"]) == set()
    with pytest.raises(pgdrift.UndefinedObjectError, match='schema "nope" does not exist'):
        pgdrift.loads("grant select on all tables in schema nope to app_user;")


def test_group_by_and_order_by_positions_are_stored_as_the_columns_expressions() -> None:
    source = pgdrift.loads("""
        create table t (a int, at timestamptz);
        create view v as select date_trunc('day', at) as day, a, count(*) as n
          from t group by 1, 2 order by 3 desc, 1;
    """)  # fmt: skip
    dump = pgdrift.loads("""
        CREATE TABLE public.t (a integer, at timestamp with time zone);
        CREATE VIEW public.v AS
         SELECT date_trunc('day'::text, t.at) AS day, t.a, count(*) AS n
           FROM public.t
          GROUP BY (date_trunc('day'::text, t.at)), t.a
          ORDER BY (count(*)) DESC, (date_trunc('day'::text, t.at));
    """)  # fmt: skip
    assert not pgdrift.diff(dump, source)


def test_a_set_operations_order_by_position_and_a_position_out_of_range_stay() -> None:
    schema = pgdrift.loads("""
        create table t (a int);
        create view u as select a from t union select a + 1 from t order by 1;
    """)  # fmt: skip
    assert "ORDER BY 1" in str(schema.views["public.u"].query)


def test_string_to_array_takes_text_arguments() -> None:
    source = pgdrift.loads("create table t (p text, parts text[] generated always as"
                           " (string_to_array(p, '/', '')) stored);")  # fmt: skip
    dump = pgdrift.loads("CREATE TABLE public.t (p text, parts text[] GENERATED ALWAYS AS"
                         " (string_to_array(p, '/'::text, ''::text)) STORED);")  # fmt: skip
    assert not pgdrift.diff(dump, source)


_RENAMED_UNDER_VIEWS = """
create schema other;
create table w (id int primary key, code text, parent int);
create table other.w (id int, note text);
create view v1 as select w.code, x.id from w join public.w x on x.id = w.parent
  where exists (select 1 from w y where y.id = w.id);
create view v2 as select * from w;
create view v3 as select a.code from w a;
create view v4 as select w.id, o.note from public.w join other.w o on o.id = w.id;
alter table w rename to s;
"""
# What pg_dump wrote for that script (the unaliased entries print the new name; an alias and
# the other schema's w stay).
_RENAMED_UNDER_VIEWS_DUMP = """
CREATE SCHEMA other;
CREATE TABLE other.w (id integer, note text);
CREATE TABLE public.s (id integer NOT NULL, code text, parent integer);
CREATE VIEW public.v1 AS
 SELECT s.code, x.id FROM (public.s JOIN public.s x ON ((x.id = s.parent)))
  WHERE (EXISTS ( SELECT 1 FROM public.s y WHERE (y.id = s.id)));
CREATE VIEW public.v2 AS SELECT s.id, s.code, s.parent FROM public.s;
CREATE VIEW public.v3 AS SELECT a.code FROM public.s a;
CREATE VIEW public.v4 AS SELECT s.id, o.note FROM (public.s JOIN other.w o ON ((o.id = s.id)));
ALTER TABLE ONLY public.s ADD CONSTRAINT w_pkey PRIMARY KEY (id);
"""


def test_a_table_renamed_under_views_prints_its_new_name_where_it_had_no_alias() -> None:
    source = pgdrift.loads(_RENAMED_UNDER_VIEWS)
    assert not pgdrift.diff(pgdrift.loads(_RENAMED_UNDER_VIEWS_DUMP), source)


@pytest.mark.parametrize(
    "view",
    [
        # The new name is already an alias in the query: ruleutils would invent another.
        "create view v as select w.id from w join t s on s.id = w.id;",
        # A rule's actions are not rewritten.
        "create rule r as on insert to t do also insert into w values (new.id);",
    ],
)
def test_a_rename_that_cannot_be_followed_is_kept_unsupported_and_changes_nothing(
    view: str,
) -> None:
    schema = pgdrift.loads(
        "create table w (id int); create table t (id int);"
        f"create view keep as select w.id from w; {view} alter table w rename to s;",
        strict=False,
    )
    assert "table:public.w" in schema
    assert "table:public.s" not in schema
    assert schema.views["public.keep"].query.sql == "SELECT w.id FROM public.w"
    assert any(oid.kind == "unsupported" for oid in schema.objects)


def test_positions_in_distinct_on_and_grouping_sets_and_a_grouped_constant() -> None:
    source = pgdrift.loads("""
        create table t (a int, b text);
        create view v1 as select distinct on (1) a, b from t order by 1, 2 desc;
        create view v2 as select a, b, count(*) as n from t group by rollup (1, 2);
        create view v3 as select 'x' as k, count(*) from t group by 1;
        create view v4 as select distinct a from t;
    """)  # fmt: skip
    # What pg_dump wrote for it (PostgreSQL 15).
    dump = pgdrift.loads("""
        CREATE TABLE public.t (a integer, b text);
        CREATE VIEW public.v1 AS
         SELECT DISTINCT ON (t.a) t.a, t.b FROM public.t ORDER BY t.a, t.b DESC;
        CREATE VIEW public.v2 AS
         SELECT t.a, t.b, count(*) AS n FROM public.t GROUP BY ROLLUP(t.a, t.b);
        CREATE VIEW public.v3 AS
         SELECT 'x'::text AS k, count(*) AS count FROM public.t GROUP BY 'x'::text;
        CREATE VIEW public.v4 AS SELECT DISTINCT t.a FROM public.t;
    """)  # fmt: skip
    assert not pgdrift.diff(dump, source)


def test_a_table_moved_to_another_schema_under_views_is_followed() -> None:
    source = pgdrift.loads("""
        create schema archive;
        create table w (id int primary key, code text);
        create view v1 as select w.code from w where w.id > 1;
        create view v2 as select x.id from w x;
        alter table w set schema archive;
    """)  # fmt: skip
    # What pg_dump wrote for it (PostgreSQL 15): the name stays, the schema follows.
    dump = pgdrift.loads("""
        CREATE SCHEMA archive;
        CREATE TABLE archive.w (id integer NOT NULL, code text);
        CREATE VIEW public.v1 AS SELECT w.code FROM archive.w WHERE (w.id > 1);
        CREATE VIEW public.v2 AS SELECT x.id FROM archive.w x;
        ALTER TABLE ONLY archive.w ADD CONSTRAINT w_pkey PRIMARY KEY (id);
    """)  # fmt: skip
    assert not pgdrift.diff(dump, source)


def test_length_like_calls_are_integers_and_between_is_two_comparisons() -> None:
    source = pgdrift.loads("""
        create table t (
          name varchar(50) check (length(name) between 1 and 50),
          code text check (char_length(code) > 1.5),
          tags text[] check (array_length(tags, 1) <= 10),
          s text check (strpos(s, '@') not between 0 and 1)
        );
    """)  # fmt: skip
    # What pg_dump wrote for it (PostgreSQL 15).
    dump = pgdrift.loads("""
        CREATE TABLE public.t (
            name character varying(50), code text, tags text[], s text,
            CONSTRAINT t_code_check CHECK (((char_length(code))::numeric > 1.5)),
            CONSTRAINT t_name_check CHECK (((length((name)::text) >= 1)
                                            AND (length((name)::text) <= 50))),
            CONSTRAINT t_s_check CHECK (((strpos(s, '@'::text) < 0) OR (strpos(s, '@'::text) > 1))),
            CONSTRAINT t_tags_check CHECK ((array_length(tags, 1) <= 10))
        );
    """)  # fmt: skip
    assert not pgdrift.diff(dump, source)
