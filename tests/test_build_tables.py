"""Tables, columns, constraints, indexes, sequences, views and ALTER TABLE, built from the
statements exactly as pg_dump 15 prints them."""

from __future__ import annotations

import pytest

import pgdrift
from pgdrift import ids, model
from pgdrift.ids import ObjectId
from pgdrift.types import parse_type


def table(sql: str, name: str = "public.t") -> model.Table:
    return pgdrift.loads(sql).tables[name]


def test_columns_keep_order_type_and_not_null() -> None:
    t = table("CREATE TABLE public.t (id integer NOT NULL, name character varying(255), "
              "tags text[]);")  # fmt: skip
    assert t.columns.names() == ("id", "name", "tags")
    assert t.columns["id"].not_null
    assert t.columns["name"].type == parse_type("varchar(255)")
    assert str(t.columns["tags"].type) == "text[]"
    assert t.columns.position("tags") == 3


def test_column_default_collation_storage_compression() -> None:
    t = table(
        "CREATE TABLE public.t (a text COLLATE pg_catalog.\"C\" DEFAULT 'x'::text, "
        "b text COMPRESSION pglz);\n"
        "ALTER TABLE ONLY public.t ALTER COLUMN a SET STORAGE EXTERNAL;\n"
        "ALTER TABLE ONLY public.t ALTER COLUMN a SET STATISTICS 500;\n"
        "ALTER TABLE ONLY public.t ALTER COLUMN b SET (n_distinct=100);"
    )
    a, b = t.columns["a"], t.columns["b"]
    assert a.collation == "C"
    assert a.default is not None
    assert a.default.sql == "'x'::text"
    assert a.storage == "external"
    assert a.statistics == 500
    assert b.compression == "pglz"
    assert b.options == (("n_distinct", "100"),)


def test_default_set_by_alter_table_like_pg_dump_writes_serial_defaults() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (id integer NOT NULL);\n"
        "CREATE SEQUENCE public.t_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE "
        "NO MAXVALUE CACHE 1;\n"
        "ALTER SEQUENCE public.t_id_seq OWNED BY public.t.id;\n"
        "ALTER TABLE ONLY public.t ALTER COLUMN id SET DEFAULT "
        "nextval('public.t_id_seq'::regclass);"
    )
    column = schema.tables["public.t"].columns["id"]
    assert column.default is not None
    assert column.default.sql == "nextval('public.t_id_seq'::regclass)"
    sequence = schema.sequences["public.t_id_seq"]
    assert sequence.owned_by == ObjectId(ids.COLUMN, "public", "id", parent="t")
    assert str(sequence.options.data_type) == "integer"


def test_identity_column_creates_its_sequence() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (id bigint NOT NULL);\n"
        "ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (\n"
        "    SEQUENCE NAME public.t_id_seq START WITH 1000 INCREMENT BY 10 NO MINVALUE "
        "NO MAXVALUE CACHE 5);"
    )
    identity = schema.tables["public.t"].columns["id"].identity
    assert identity is not None
    assert identity.always
    assert identity.options is not None
    assert identity.options.start == 1000
    assert identity.options.increment == 10
    assert identity.options.cache == 5
    sequence = schema.sequences["public.t_id_seq"]
    assert sequence.identity_of == ObjectId(ids.COLUMN, "public", "id", parent="t")


def test_generated_column_expression() -> None:
    t = table("CREATE TABLE public.t (w numeric, h numeric, "
              "a numeric GENERATED ALWAYS AS ((w * h)) STORED);")  # fmt: skip
    assert t.columns["a"].generated is not None
    assert t.columns["a"].generated.sql == "w * h"


def test_table_level_attributes() -> None:
    t = table(
        "CREATE UNLOGGED TABLE public.t (id integer) WITH (fillfactor='70', "
        "autovacuum_enabled='false');\n"
        "ALTER TABLE public.t OWNER TO app_owner;\n"
        "ALTER TABLE ONLY public.t REPLICA IDENTITY FULL;\n"
        "ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;\n"
        "ALTER TABLE public.t FORCE ROW LEVEL SECURITY;"
    )
    assert t.persistence == "unlogged"
    assert t.options == (("autovacuum_enabled", "false"), ("fillfactor", "70"))
    assert t.owner == "app_owner"
    assert t.replica_identity == "full"
    assert t.rls_enabled
    assert t.rls_forced


def test_heap_access_method_is_the_default() -> None:
    """pg_dump 12+ writes SET default_table_access_method = heap before each table; older
    dumps never do. Both must describe the same table."""
    new = table("SET default_table_access_method = heap;\nCREATE TABLE public.t (id integer);")
    old = table("CREATE TABLE public.t (id integer);")
    assert new == old
    assert new.access_method is None


def test_create_table_marks_its_not_valid_constraints_valid() -> None:
    # A new table has no rows (transformCheckConstraints, transformFKConstraints); a constraint
    # added by ALTER TABLE keeps NOT VALID.
    schema = pgdrift.loads(
        "CREATE TABLE public.p (id integer PRIMARY KEY);\n"
        "CREATE TABLE public.c (a integer, CONSTRAINT c_a CHECK (a > 0) NOT VALID,\n"
        "    CONSTRAINT c_fk FOREIGN KEY (a) REFERENCES public.p NOT VALID);\n"
        "ALTER TABLE public.c ADD CONSTRAINT c_b CHECK (a < 9) NOT VALID;"
    )
    assert {c.name: c.not_valid for c in schema.constraints.values() if c.name.startswith("c_")} \
        == {"c_a": False, "c_fk": False, "c_b": True}


def test_constraints_from_alter_table() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.p (id integer NOT NULL, code text);\n"
        "CREATE TABLE public.c (id integer, p_id integer, CONSTRAINT c_id_check CHECK "
        "((id > 0)) NO INHERIT);\n"
        "ALTER TABLE ONLY public.p ADD CONSTRAINT p_pkey PRIMARY KEY (id);\n"
        "ALTER TABLE ONLY public.p ADD CONSTRAINT p_code_key UNIQUE NULLS NOT DISTINCT (code) "
        "INCLUDE (id);\n"
        "ALTER TABLE ONLY public.c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES "
        "public.p(id) MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL (p_id) DEFERRABLE "
        "INITIALLY DEFERRED NOT VALID;"
    )
    pk = schema.constraints["public.p.p_pkey"]
    assert pk.type == model.Constraint.PRIMARY_KEY
    assert pk.columns == ("id",)
    unique = schema.constraints["public.p.p_code_key"]
    assert unique.nulls_not_distinct
    assert unique.include == ("id",)
    check = schema.constraints["public.c.c_id_check"]
    assert check.no_inherit
    assert check.expression is not None
    assert check.expression.sql == "id > 0"
    fk = schema.constraints["public.c.c_p_id_fkey"]
    assert fk.references == ObjectId(ids.TABLE, "public", "p")
    assert fk.referenced_columns == ("id",)
    assert (fk.on_update, fk.on_delete, fk.on_delete_columns) == ("cascade", "set null", ("p_id",))
    assert fk.match == "full"
    assert fk.deferrable
    assert fk.initially_deferred
    assert fk.not_valid
    assert {c.name for c in schema.constraints_of("public.c")} == {"c_id_check", "c_p_id_fkey"}


def test_exclusion_constraint_elements_and_operators() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.r (room integer, during tsrange);\n"
        "ALTER TABLE ONLY public.r ADD CONSTRAINT r_excl EXCLUDE USING gist "
        "(during WITH &&) WHERE ((room > 0));"
    )
    excl = schema.constraints["public.r.r_excl"]
    assert excl.method == "gist"
    assert [(e.column, e.operator) for e in excl.elements] == [("during", "&&")]
    assert excl.where is not None
    assert excl.where.sql == "room > 0"


def test_hand_written_column_constraints_get_postgresql_default_names() -> None:
    schema = pgdrift.loads("CREATE TABLE public.t (id integer PRIMARY KEY, code text UNIQUE);")
    assert "public.t.t_pkey" in schema.constraints
    assert "public.t.t_code_key" in schema.constraints


def test_index_elements_options_and_predicate() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (a text, b text, c integer);\n"
        'CREATE UNIQUE INDEX t_idx ON public.t USING btree (a COLLATE "C" text_pattern_ops '
        "DESC NULLS LAST, lower(b)) INCLUDE (c) WITH (fillfactor='80') WHERE (c > 1);"
    )
    index = schema.indexes["public.t_idx"]
    assert index.unique
    assert index.method == "btree"
    first, second = index.elements
    assert (first.column, first.collation, first.opclass) == ("a", "C", "text_pattern_ops")
    assert first.descending
    assert first.nulls_first is False
    assert second.expression is not None
    assert second.expression.sql == "lower(b)"
    assert index.include == ("c",)
    assert index.options == (("fillfactor", "80"),)
    assert index.where is not None
    assert index.where.sql == "c > 1"
    assert index.table == ObjectId(ids.TABLE, "public", "t")


@pytest.mark.parametrize(("order", "descending", "nulls_first"), [
    ("DESC NULLS FIRST", True, None), ("ASC NULLS LAST", False, None), ("NULLS LAST", False, None),
    ("DESC NULLS LAST", True, False), ("NULLS FIRST", False, True), ("DESC", True, None),
])  # fmt: skip
def test_an_index_key_keeps_only_a_nulls_order_that_is_not_its_orders_default(
    order: str, descending: bool, nulls_first: bool | None
) -> None:
    # pg_get_indexdef writes NULLS FIRST only after ASC and NULLS LAST only after DESC.
    schema = pgdrift.loads(f"CREATE TABLE public.t (a text);\n"
                           f"CREATE INDEX t_idx ON public.t (a {order});")  # fmt: skip
    (key,) = schema.indexes["public.t_idx"].elements
    assert (key.descending, key.nulls_first) == (descending, nulls_first)


def test_partitions_and_index_attachments() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.p (id integer NOT NULL, d date NOT NULL) PARTITION BY RANGE (d);\n"
        "CREATE TABLE public.p_2024 (id integer NOT NULL, d date NOT NULL);\n"
        "ALTER TABLE ONLY public.p ATTACH PARTITION public.p_2024 FOR VALUES FROM "
        "('2024-01-01') TO ('2025-01-01');\n"
        "ALTER TABLE ONLY public.p ADD CONSTRAINT p_pkey PRIMARY KEY (id, d);\n"
        "ALTER TABLE ONLY public.p_2024 ADD CONSTRAINT p_2024_pkey PRIMARY KEY (id, d);\n"
        "CREATE INDEX p_d_idx ON ONLY public.p USING btree (d);\n"
        "CREATE INDEX p_2024_d_idx ON public.p_2024 USING btree (d);\n"
        "ALTER INDEX public.p_pkey ATTACH PARTITION public.p_2024_pkey;\n"
        "ALTER INDEX public.p_d_idx ATTACH PARTITION public.p_2024_d_idx;"
    )
    parent = schema.tables["public.p"]
    assert parent.partition_key is not None
    assert parent.partition_key.strategy == "range"
    assert [e.column for e in parent.partition_key.elements] == ["d"]
    child = schema.tables["public.p_2024"]
    assert child.partition_of == parent.id
    assert child.partition_bound is not None
    assert "2024-01-01" in child.partition_bound.sql
    assert schema.indexes["public.p_d_idx"].only
    assert schema.indexes["public.p_2024_d_idx"].attached_to == ObjectId(
        ids.INDEX, "public", "p_d_idx"
    )
    assert schema.constraints["public.p_2024.p_2024_pkey"].attached_to == schema.constraints[
        "public.p.p_pkey"].id  # fmt: skip


def test_inheritance_child_gets_parent_columns_first() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.parent (id integer NOT NULL, name text);\n"
        "CREATE TABLE public.child (extra text) INHERITS (public.parent);\n"
        "ALTER TABLE ONLY public.child ALTER COLUMN name SET DEFAULT 'x'::text;"
    )
    child = schema.tables["public.child"]
    assert child.columns.names() == ("id", "name", "extra")
    assert child.columns["id"].inherited
    assert child.columns["id"].not_null
    assert not child.columns["extra"].inherited
    assert child.columns["name"].default is not None
    assert child.inherits == (ObjectId(ids.TABLE, "public", "parent"),)


def test_typed_table_takes_columns_from_its_type() -> None:
    schema = pgdrift.loads(
        "CREATE TYPE public.person AS (name text, age integer);\n"
        "CREATE TABLE public.people OF public.person (\n    name NOT NULL,\n    age DEFAULT 0\n);"
    )
    people = schema.tables["public.people"]
    assert people.columns.names() == ("name", "age")
    assert people.columns["name"].not_null
    assert people.columns["age"].default is not None
    assert people.columns["age"].default.sql == "0"


def test_trigger_state_on_a_partition_is_kept_with_the_parent_trigger() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.l (id integer) PARTITION BY RANGE (id);\n"
        "CREATE TABLE public.l_1 (id integer);\n"
        "ALTER TABLE ONLY public.l ATTACH PARTITION public.l_1 FOR VALUES FROM (0) TO (10);\n"
        "CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql\n"
        "    AS $$BEGIN RETURN NEW; END$$;\n"
        "CREATE TRIGGER tr AFTER INSERT ON public.l FOR EACH ROW EXECUTE FUNCTION public.f();\n"
        "ALTER TABLE public.l_1 DISABLE TRIGGER tr;"
    )
    trigger = schema.triggers["public.l.tr"]
    assert trigger.enabled == "origin"
    assert trigger.partition_states == ((ObjectId(ids.TABLE, "public", "l_1"), "disabled"),)


def test_views_and_options() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (a integer);\n"
        "CREATE VIEW public.v WITH (security_barrier='true', security_invoker='true') AS\n"
        " SELECT t.a\n   FROM public.t\n  WHERE (t.a > 0)\n  WITH LOCAL CHECK OPTION;\n"
        "CREATE MATERIALIZED VIEW public.m AS\n SELECT t.a\n   FROM public.t\n  WITH NO DATA;"
    )
    view = schema.views["public.v"]
    assert view.security_barrier
    assert view.security_invoker
    assert view.check_option == "local"
    matview = schema.materialized_views["public.m"]
    assert not matview.with_data


def test_view_query_formatting_does_not_matter() -> None:
    a = pgdrift.loads("CREATE VIEW public.v AS SELECT 1 AS x WHERE (1 > 0);").views["public.v"]
    b = pgdrift.loads("CREATE VIEW public.v AS\n  SELECT 1 AS x\n  WHERE 1>0;").views["public.v"]
    assert a == b


def test_view_split_into_table_and_return_rule_is_a_view() -> None:
    """Before PostgreSQL 16 pg_dump breaks view dependency loops with an empty table plus an
    ON SELECT rule named _RETURN."""
    schema = pgdrift.loads(
        "CREATE TABLE public.v (x integer);\n"
        'CREATE RULE "_RETURN" AS ON SELECT TO public.v DO INSTEAD SELECT 1 AS x;'
    )
    assert "public.v" in schema.views
    assert "public.v" not in schema.tables


def test_comments_owner_and_column_privileges() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (a integer, b text);\n"
        "ALTER TABLE public.t OWNER TO app_owner;\n"
        "COMMENT ON TABLE public.t IS 'the table';\n"
        "COMMENT ON COLUMN public.t.a IS 'the column';\n"
        "GRANT SELECT ON TABLE public.t TO app_readonly;\n"
        "GRANT SELECT(b),UPDATE(b) ON TABLE public.t TO app_user;"
    )
    t = schema.tables["public.t"]
    assert t.comment == "the table"
    assert t.columns["a"].comment == "the column"
    assert model.Privilege("app_readonly", "SELECT") in t.privileges
    assert model.Privilege("app_owner", "TRUNCATE") in t.privileges  # the owner's defaults
    assert set(t.columns["b"].privileges) == {
        model.Privilege("app_user", "SELECT"),
        model.Privilege("app_user", "UPDATE"),
    }


def test_revoke_from_public_on_a_function_removes_the_default_execute() -> None:
    schema = pgdrift.loads(
        "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;\n"
        "ALTER FUNCTION public.f() OWNER TO postgres;\n"
        "REVOKE ALL ON FUNCTION public.f() FROM PUBLIC;\n"
        "GRANT ALL ON FUNCTION public.f() TO app_user WITH GRANT OPTION;"
    )
    privileges = schema.functions["public.f()"].privileges
    assert model.Privilege("PUBLIC", "EXECUTE") not in privileges
    assert model.Privilege("app_user", "EXECUTE", grantable=True) in privileges


PASSED_ON = (
    "CREATE TABLE public.t (a integer);\n"
    "ALTER TABLE public.t OWNER TO app_owner;\n"
    "GRANT SELECT ON public.t TO app_user WITH GRANT OPTION;\n"
    "SET SESSION AUTHORIZATION app_user;\n"
    "GRANT SELECT ON public.t TO app_readonly;\n"
    "GRANT SELECT (a) ON public.t TO anon;\n"
    "RESET SESSION AUTHORIZATION;\n"
)


def test_a_grant_made_by_a_grantee_records_its_grantor() -> None:
    """An ACL entry is per grantor: app_user's grant is not the owner's, and the owner granting
    the same privilege adds a second entry rather than merging with it."""
    t = pgdrift.loads(PASSED_ON + "GRANT SELECT ON public.t TO app_readonly;").tables["public.t"]
    assert model.Privilege("app_readonly", "SELECT", grantor="app_user") in t.privileges
    assert model.Privilege("app_readonly", "SELECT") in t.privileges
    assert t.columns["a"].privileges == (model.Privilege("anon", "SELECT", grantor="app_user"),)


def test_only_the_grantor_revokes_and_cascade_takes_what_was_passed_on() -> None:
    kept = pgdrift.loads(PASSED_ON + "REVOKE SELECT ON public.t FROM app_readonly;")
    assert model.Privilege("app_readonly", "SELECT", grantor="app_user") in kept.tables[
        "public.t"].privileges  # fmt: skip
    cascaded = pgdrift.loads(PASSED_ON + "REVOKE SELECT ON public.t FROM app_user CASCADE;")
    assert not [p for p in cascaded.tables["public.t"].privileges
                if p.grantee in ("app_user", "app_readonly")]  # fmt: skip


def test_a_grant_the_owner_makes_under_its_own_role_is_the_owners() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (a integer);\n"
        "ALTER TABLE public.t OWNER TO app_owner;\n"
        "SET ROLE app_owner;\n"
        "GRANT SELECT ON public.t TO app_readonly;\n"
    )
    assert model.Privilege("app_readonly", "SELECT") in schema.tables["public.t"].privileges


def test_grant_on_an_extension_member_is_kept_as_an_external_object() -> None:
    schema = pgdrift.loads("GRANT ALL ON FUNCTION extensions.gen_random_bytes(integer) TO anon;")
    oid = ObjectId(ids.FUNCTION, "extensions", "gen_random_bytes", args=("integer",))
    external = schema[oid]
    assert isinstance(external, model.ExternalObject)
    assert model.Privilege("anon", "EXECUTE") in external.privileges


def test_public_schema_exists_implicitly() -> None:
    schema = pgdrift.loads("COMMENT ON SCHEMA public IS 'app';")
    public = schema.schemas["public"]
    assert public.comment == "app"
    assert public.owner == "pg_database_owner"
    assert model.Privilege("PUBLIC", "USAGE") in public.privileges


def test_default_privileges() -> None:
    schema = pgdrift.loads(
        "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT ALL ON TABLES  TO anon;"
    )
    (defaults,) = schema.of_kind(ids.DEFAULT_PRIVILEGES).values()
    assert (defaults.role, defaults.in_schema, defaults.object_type) == (
        "postgres",
        "public",
        "tables",
    )
    assert model.Privilege("anon", "SELECT") in defaults.privileges


def test_search_path_qualifies_unqualified_names_of_old_dumps() -> None:
    schema = pgdrift.loads(
        "SET search_path = app, pg_catalog;\n"
        "CREATE TABLE t (id integer);\nCREATE INDEX i ON t (id);"
    )
    assert "app.t" in schema.tables
    assert schema.indexes["app.i"].table == ObjectId(ids.TABLE, "app", "t")


def test_create_table_if_not_exists_repeat_is_a_no_op() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE IF NOT EXISTS public.t (id integer);\n"
        "CREATE TABLE IF NOT EXISTS public.t (id integer);"
    )
    assert len(schema.tables) == 1


def test_a_second_create_of_the_same_table_is_an_error_with_both_places() -> None:
    with pytest.raises(
        pgdrift.DuplicateObjectError,
        match=r'relation "t" already exists \(table:public.t, first defined at <string>:1:1\)',
    ):
        pgdrift.loads("CREATE TABLE public.t (id integer);\nCREATE TABLE public.t (id integer);")


def test_alter_of_an_undefined_table_is_an_error_with_its_line() -> None:
    with pytest.raises(pgdrift.UndefinedObjectError) as info:
        pgdrift.loads("\n\nALTER TABLE public.nope OWNER TO x;")
    assert info.value.span is not None
    assert info.value.span.line == 3


def test_unmodelled_statements_are_kept_and_reported() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (id integer);\nALTER SYSTEM SET work_mem = '1MB';"
    )
    (unsupported,) = schema.unsupported
    assert "ALTER SYSTEM" in unsupported.statement
    assert unsupported.span is not None
    assert unsupported.span.line == 2
    assert "AlterSystemStmt" in unsupported.reason


def test_copy_blocks_and_setval_of_full_dumps_are_data_not_schema() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (id integer);\n"
        "COPY public.t (id) FROM stdin;\n1\n2\n\\.\n\n"
        "SELECT pg_catalog.setval('public.s', 5, true);"
    )
    assert not schema.unsupported
    assert list(schema.tables) == ["public.t"]


def test_columns_behave_as_an_ordered_mapping() -> None:
    t = table("CREATE TABLE public.t (b integer, a text);")
    assert list(t.columns) == ["b", "a"]
    assert [(name, str(c.type)) for name, c in t.columns.items()] == [
        ("b", "integer"),
        ("a", "text"),
    ]
    assert "a" in t.columns
    assert "z" not in t.columns
    assert t.columns.get("z") is None
    assert [c.name for c in t.columns.ordered] == ["b", "a"]


def test_primary_key_makes_its_columns_not_null() -> None:
    t = table("CREATE TABLE public.t (id integer PRIMARY KEY, a integer);")
    assert t.columns["id"].not_null
    schema = pgdrift.loads(
        "CREATE TABLE public.u (id integer);\n"
        "ALTER TABLE ONLY public.u ADD CONSTRAINT u_pkey PRIMARY KEY (id);"
    )
    assert schema.tables["public.u"].columns["id"].not_null


def test_schema_repr_is_short() -> None:
    schema = pgdrift.loads("CREATE TABLE public.t (id integer);", name="db.sql")
    assert repr(schema) == f"<Schema db.sql: {len(schema)} objects>"


def test_create_sequence_owned_by_inline() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (id integer);\nCREATE SEQUENCE public.s OWNED BY public.t.id;"
    )
    assert schema.sequences["public.s"].owned_by == ObjectId(ids.COLUMN, "public", "id", parent="t")


def test_rule_with_several_actions_is_one_statement() -> None:
    """psql ends a statement at ';' only outside parentheses; pg_dump prints a rule with
    several actions as DO ( ...; ...; )."""
    schema = pgdrift.loads(
        "CREATE TABLE public.t (a integer);\nCREATE TABLE public.log (a integer);\n"
        "CREATE RULE r AS\n    ON INSERT TO public.t DO ( INSERT INTO public.log (a)\n"
        "  VALUES (new.a);\n DELETE FROM public.log\n  WHERE (log.a = 0);\n);\n"
        "CREATE TABLE public.u (a text DEFAULT ';(');"
    )
    rule = schema.of_kind(ids.RULE)["public.t.r"]
    assert [a.sql for a in rule.actions] == [
        "INSERT INTO public.log (a) VALUES (new.a)",
        "DELETE FROM public.log WHERE log.a = 0",
    ]
    assert "public.u" in schema.tables


@pytest.mark.parametrize(
    "stated",
    [
        "AS bigint MINVALUE 1 MAXVALUE 9223372036854775807",
        "NO MINVALUE NO MAXVALUE",
        "",
    ],
)
def test_sequence_bounds_equal_to_their_defaults_are_the_defaults(stated: str) -> None:
    # pg_dump writes NO MINVALUE / NO MAXVALUE for a bound equal to its default, and no
    # AS bigint: a source stating them loads equal to its dump.
    options = (
        pgdrift.loads(f"CREATE SEQUENCE s {stated};")
        .objects[ObjectId(ids.SEQUENCE, "public", "s")]
        .options
    )  # type: ignore[attr-defined]
    assert (options.data_type, options.min_value, options.max_value) == (None, None, None)


def test_a_descending_sequences_default_bounds_are_the_type_minimum_and_minus_one() -> None:
    options = (
        pgdrift.loads("CREATE SEQUENCE s AS smallint INCREMENT BY -1 MINVALUE -32768 MAXVALUE -1;")
        .objects[ObjectId(ids.SEQUENCE, "public", "s")]
        .options
    )  # type: ignore[attr-defined]
    assert (options.min_value, options.max_value, options.start) == (None, None, -1)


def test_alter_sequence_increment_keeps_the_bounds_the_sequence_had() -> None:
    # Turning a sequence round does not move its bounds: MINVALUE 1 stays (not the default
    # of a descending sequence any more), and MAXVALUE stays the type's maximum.
    options = (
        pgdrift.loads(
            "CREATE SEQUENCE s AS integer; ALTER SEQUENCE s INCREMENT BY -1 START WITH 5;"
        )
        .objects[ObjectId(ids.SEQUENCE, "public", "s")]
        .options
    )  # type: ignore[attr-defined]
    assert (options.min_value, options.max_value) == (1, 2147483647)


def test_numeric_with_a_precision_alone_has_scale_zero() -> None:
    assert str(table("CREATE TABLE t (n numeric(8), d decimal(5));").columns["n"].type) == (
        "numeric(8,0)"
    )


def test_a_typed_tables_columns_are_its_own_whether_named_or_not() -> None:
    t = table("CREATE TYPE p AS (name text, age int); CREATE TABLE t OF p (PRIMARY KEY (name));")
    assert [c.inherited for c in t.columns.ordered] == [False, False]


def test_a_storage_parameter_without_a_value_is_true() -> None:
    # transformRelOptions stores WITH (security_barrier) as security_barrier=true.
    schema = pgdrift.loads(
        "CREATE TABLE t (a int); CREATE VIEW v WITH (security_barrier) AS SELECT a FROM t;"
    )
    assert schema.objects[ObjectId(ids.VIEW, "public", "v")].options == (  # type: ignore[attr-defined]
        ("security_barrier", "true"),
    )


def test_whether_a_materialized_view_holds_rows_is_not_a_difference() -> None:
    # pg_dump creates every materialized view WITH NO DATA (REFRESH is data).
    made = "CREATE TABLE t (a int); CREATE MATERIALIZED VIEW m AS SELECT a FROM t"
    assert not pgdrift.diff(pgdrift.loads(made + " WITH NO DATA;"), pgdrift.loads(made + ";"))
