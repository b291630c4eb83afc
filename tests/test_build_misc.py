"""Schemas, extensions, operators, collations, text search, policies, publications, foreign
data, casts, operator classes and families, languages, access methods, transforms and
statistics, built from SQL written the way pg_dump 15 prints it. Also: every statement of the
fixture dumps that these builders handle builds without falling back to Unsupported."""

# ruff: noqa: E501 - the SQL is kept on one line where pg_dump prints it on one line

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pglast.parser import ParseError as PglastParseError
from pglast.parser import parse_sql_json

import pgdrift
from pgdrift import ids, model
from pgdrift.builder import BUILDERS
from pgdrift.builder.nodes import node_type
from pgdrift.differ import diff
from pgdrift.expr import parse_expr
from pgdrift.ids import ObjectId
from pgdrift.reader import Statement, databases_in, read_source, split_statements
from pgdrift.schema import Schema
from pgdrift.types import parse_type

HEADER = "SELECT pg_catalog.set_config('search_path', '', false);\n"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

TABLE = """
CREATE TABLE sales.orders (
    id integer NOT NULL,
    customer_id integer,
    status text,
    total numeric
);
"""


def load(sql: str) -> Schema:
    return pgdrift.loads(HEADER + sql)


# Schemas and extensions ----------------------------------------------------------------------


def test_schema_with_authorization_is_owned_by_that_role() -> None:
    schema = load("CREATE SCHEMA sales AUTHORIZATION app_owner;\nCREATE SCHEMA AUTHORIZATION bob;")
    assert schema["schema:sales"] == model.Namespace(
        id=ObjectId(ids.SCHEMA, None, "sales"),
        owner="app_owner",
        privileges=schema["schema:sales"].privileges,
    )
    assert schema["schema:bob"].owner == "bob"  # the schema is named after the role


def test_create_schema_if_not_exists_repeated_is_one_schema() -> None:
    # Supabase CLI dumps write CREATE SCHEMA IF NOT EXISTS.
    schema = load('CREATE SCHEMA IF NOT EXISTS "private";\nCREATE SCHEMA IF NOT EXISTS "private";')
    assert [o.name for o in schema if o.kind == ids.SCHEMA] == ["private", "public"]


def test_schema_elements_are_created_in_the_schema() -> None:
    schema = pgdrift.loads("CREATE SCHEMA crm CREATE TABLE contacts (id integer);")
    assert "table:crm.contacts" in schema


def test_extension_schema_as_pg_dump_writes_it() -> None:
    schema = load("""
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA extensions;
COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';
""")
    oid = ObjectId(ids.EXTENSION, None, "citext")
    assert schema[oid] == model.Extension(
        id=oid,
        in_schema="extensions",
        comment="data type for case-insensitive character strings",
    )


def test_extension_without_schema_lands_in_the_creation_schema() -> None:
    source = pgdrift.loads("CREATE EXTENSION hstore VERSION '1.8';")
    dumped = load("CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public;")
    extension = source["extension:hstore"]
    assert (extension.in_schema, extension.version) == ("public", "1.8")
    assert dumped["extension:hstore"].in_schema == "public"


# Operators and collations --------------------------------------------------------------------


def test_operator_id_has_its_operand_types_and_none_for_a_prefix_operator() -> None:
    schema = load("""
CREATE OPERATOR public.=== (
    FUNCTION = public.ci_equal,
    LEFTARG = text,
    RIGHTARG = text,
    COMMUTATOR = OPERATOR(public.===)
);
ALTER OPERATOR public.=== (text, text) OWNER TO app_owner;
CREATE OPERATOR public.!! (
    FUNCTION = factorial,
    RIGHTARG = bigint
);
ALTER OPERATOR public.!! (NONE, bigint) OWNER TO app_owner;
""")
    infix = schema[ObjectId(ids.OPERATOR, "public", "===", args=("text", "text"))]
    prefix = schema[ObjectId(ids.OPERATOR, "public", "!!", args=("NONE", "bigint"))]
    assert (infix.owner, prefix.owner) == ("app_owner", "app_owner")
    assert infix.definition.sql == (
        "CREATE OPERATOR public.===(commutator = OPERATOR(public.===), "
        "function = public.ci_equal, leftarg = text, rightarg = text)"
    )


def test_operator_definition_ignores_option_order_and_the_procedure_spelling() -> None:
    dumped = load(
        "CREATE OPERATOR public.=== (FUNCTION = public.ci_equal, LEFTARG = text, RIGHTARG = text);"
    )
    source = pgdrift.loads(
        "CREATE OPERATOR === (rightarg = text, leftarg = text, procedure = public.ci_equal);"
    )
    assert dumped == source


def test_operator_definition_resolves_its_names_along_the_search_path() -> None:
    # DefineOperator looks the function up with the operand types, the commutator with them
    # swapped (else a shell is made in the creation schema); pg_dump prints both qualified.
    schema = pgdrift.loads("""
CREATE SCHEMA s;
SET search_path = s, public;
CREATE TYPE ty AS (a int);
CREATE FUNCTION gt(ty, int) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR >>> (LEFTARG = ty, RIGHTARG = int, PROCEDURE = gt, COMMUTATOR = <<<,
                     NEGATOR = <=, RESTRICT = scalargtsel);
""")
    operator = schema[ObjectId(ids.OPERATOR, "s", ">>>", args=("s.ty", "integer"))]
    assert operator.definition.sql == (
        "CREATE OPERATOR s.>>>(commutator = OPERATOR(s.<<<), function = s.gt, "
        "leftarg = s.ty, negator = OPERATOR(s.<=), restrict = scalargtsel, rightarg = integer)"
    )


def test_a_bare_commutator_of_built_in_types_and_name_is_left_as_written() -> None:
    # pg_catalog is searched first: int = int may be the commutator found there.
    schema = pgdrift.loads(
        "CREATE FUNCTION e(int, int) RETURNS boolean LANGUAGE sql AS 'SELECT true';"
        "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = e, COMMUTATOR = =);"
    )
    operator = schema[ObjectId(ids.OPERATOR, "public", "===", args=("integer", "integer"))]
    assert "commutator = =," in operator.definition.sql


def test_collation_attributes() -> None:
    schema = load("""
CREATE COLLATION public.case_insensitive (provider = icu, deterministic = false, locale = 'und-u-ks-level2');
CREATE COLLATION public.c_utf8 (provider = libc, locale = 'C.UTF-8');
""")
    oid = ObjectId(ids.COLLATION, "public", "case_insensitive")
    assert schema[oid] == model.Collation(
        id=oid, provider="icu", locale="und-u-ks-level2", deterministic=False
    )
    c_utf8 = schema["collation:public.c_utf8"]
    assert (c_utf8.provider, c_utf8.locale, c_utf8.deterministic) == ("libc", "C.UTF-8", True)


def test_collation_spellings_pg_dump_rewrites_compare_equal() -> None:
    # pg_dump 15 prints provider and locale for what was FROM "POSIX", or lc_collate and
    # lc_ctype when they were equal.
    source = pgdrift.loads("""
CREATE COLLATION posix_copy FROM "POSIX";
CREATE COLLATION same (lc_collate = 'C', lc_ctype = 'C');
CREATE COLLATION base (provider = icu, locale = 'de-u-co-phonebk');
CREATE COLLATION copy_of_base FROM base;
""")
    dumped = load("""
CREATE COLLATION public.posix_copy (provider = libc, locale = 'POSIX');
CREATE COLLATION public.same (provider = libc, locale = 'C');
CREATE COLLATION public.base (provider = icu, locale = 'de-u-co-phonebk');
CREATE COLLATION public.copy_of_base (provider = icu, locale = 'de-u-co-phonebk');
""")
    assert source == dumped


def test_collation_from_an_unknown_collation_keeps_its_name() -> None:
    schema = load('CREATE COLLATION public.german FROM pg_catalog."de_DE";')
    assert schema["collation:public.german"].from_collation == "de_DE"


# Text search ---------------------------------------------------------------------------------


def test_text_search_objects_and_mappings() -> None:
    schema = load("""
CREATE TEXT SEARCH PARSER search.prs (
    START = prsd_start,
    GETTOKEN = prsd_nexttoken,
    END = prsd_end,
    HEADLINE = prsd_headline,
    LEXTYPES = prsd_lextype );
CREATE TEXT SEARCH TEMPLATE search.tmpl (
    INIT = dsimple_init,
    LEXIZE = dsimple_lexize );
CREATE TEXT SEARCH DICTIONARY search.english_stem_nostop (
    TEMPLATE = pg_catalog.snowball,
    language = 'english' );
CREATE TEXT SEARCH CONFIGURATION search.products (
    PARSER = pg_catalog."default" );
ALTER TEXT SEARCH CONFIGURATION search.products
    ADD MAPPING FOR word WITH search.english_stem_nostop, simple;
ALTER TEXT SEARCH CONFIGURATION search.products
    ADD MAPPING FOR asciiword WITH simple;
""")
    assert schema["text_search_parser:search.prs"].options == (
        ("end", "prsd_end"),
        ("gettoken", "prsd_nexttoken"),
        ("headline", "prsd_headline"),
        ("lextypes", "prsd_lextype"),
        ("start", "prsd_start"),
    )
    assert schema["text_search_template:search.tmpl"].options == (
        ("init", "dsimple_init"),
        ("lexize", "dsimple_lexize"),
    )
    dictionary = schema["text_search_dictionary:search.english_stem_nostop"]
    assert (dictionary.template, dictionary.options) == ("snowball", (("language", "english"),))
    config = schema["text_search_configuration:search.products"]
    assert config.parser == "default"
    assert config.mappings == (
        ("asciiword", ("simple",)),
        ("word", ("search.english_stem_nostop", "simple")),
    )


def test_alter_mapping_replace_and_drop() -> None:
    schema = load("""
CREATE TEXT SEARCH CONFIGURATION search.c (
    PARSER = pg_catalog."default" );
ALTER TEXT SEARCH CONFIGURATION search.c ADD MAPPING FOR word, asciiword, int WITH simple;
ALTER TEXT SEARCH CONFIGURATION search.c ALTER MAPPING REPLACE simple WITH english_stem;
ALTER TEXT SEARCH CONFIGURATION search.c DROP MAPPING FOR int;
""")
    assert schema["text_search_configuration:search.c"].mappings == (
        ("asciiword", ("english_stem",)),
        ("word", ("english_stem",)),
    )


def test_copy_of_a_configuration_in_the_input_copies_parser_and_mappings() -> None:
    schema = load("""
CREATE TEXT SEARCH CONFIGURATION search.a (
    PARSER = pg_catalog."default" );
ALTER TEXT SEARCH CONFIGURATION search.a ADD MAPPING FOR word WITH simple;
CREATE TEXT SEARCH CONFIGURATION search.b (COPY = search.a);
""")
    assert (
        schema["text_search_configuration:search.b"] == schema["text_search_configuration:search.a"]
    )


def test_copy_of_an_unknown_built_in_configuration_warns_that_mappings_are_unknown() -> None:
    # A configuration pgdrift does not know in pg_catalog (an extension's, say).
    schema = load("CREATE TEXT SEARCH CONFIGURATION search.b (COPY = pg_catalog.klingon);")
    config = schema["text_search_configuration:search.b"]
    assert (config.parser, config.mappings) == ("default", ())
    assert any("not known offline" in w for w in schema.warnings)


# Policies ------------------------------------------------------------------------------------


def test_policy_attributes() -> None:
    schema = load(
        TABLE
        + """
CREATE POLICY orders_update ON sales.orders AS RESTRICTIVE FOR UPDATE TO bob, alice USING ((status <> 'closed'::text)) WITH CHECK ((total >= (0)::numeric));
"""
    )
    oid = ObjectId(ids.POLICY, "sales", "orders_update", parent="orders")
    assert schema[oid] == model.Policy(
        id=oid,
        table=ObjectId(ids.TABLE, "sales", "orders"),
        permissive=False,
        command="update",
        roles=("alice", "bob"),
        using=parse_expr("status <> 'closed'::text"),
        with_check=parse_expr("total >= 0::numeric"),
    )


def test_policy_for_public_and_its_alteration() -> None:
    schema = load(
        TABLE
        + """
CREATE POLICY orders_read ON sales.orders FOR SELECT USING (true);
ALTER POLICY orders_read ON sales.orders TO PUBLIC, reporting USING ((customer_id IS NOT NULL));
"""
    )
    policy = schema["policy:sales.orders.orders_read"]
    assert (policy.permissive, policy.command) == (True, "select")
    assert policy.roles == ("public", "reporting")
    assert policy.using == parse_expr("customer_id IS NOT NULL")


# Publications and subscriptions --------------------------------------------------------------


def test_publication_as_pg_dump_15_writes_it() -> None:
    schema = load(
        TABLE
        + """
CREATE PUBLICATION orders_feed WITH (publish = 'insert, update', publish_via_partition_root = true);
ALTER PUBLICATION orders_feed ADD TABLE ONLY sales.orders (id, customer_id, status) WHERE ((status <> 'draft'::text));
CREATE PUBLICATION sales_schema WITH (publish = 'insert, update, delete, truncate');
ALTER PUBLICATION sales_schema ADD TABLES IN SCHEMA sales;
"""
    )
    oid = ObjectId(ids.PUBLICATION, None, "orders_feed")
    assert schema[oid] == model.Publication(
        id=oid,
        tables=(
            model.PublicationTable(
                table=ObjectId(ids.TABLE, "sales", "orders"),
                columns=("id", "customer_id", "status"),
                where=parse_expr("status <> 'draft'::text"),
            ),
        ),
        publish=("insert", "update"),
        publish_via_partition_root=True,
    )
    sales = schema["publication:sales_schema"]
    assert (sales.schemas, sales.tables, sales.all_tables) == (("sales",), (), False)
    assert sales.publish == ("delete", "insert", "truncate", "update")


def test_publication_column_list_is_in_table_order() -> None:
    # PostgreSQL keeps the column list as sorted attribute numbers.
    one = load(TABLE + "CREATE PUBLICATION p FOR TABLE sales.orders (status, id);")
    other = load(TABLE + "CREATE PUBLICATION p FOR TABLE sales.orders (id, status);")
    assert one == other
    assert one["publication:p"].tables[0].columns == ("id", "status")


def test_publication_for_all_tables() -> None:
    schema = load(
        "CREATE PUBLICATION everything FOR ALL TABLES WITH (publish = 'insert, update, delete, truncate');"
    )
    assert schema["publication:everything"].all_tables


def test_altering_a_publication_never_created_assumes_it_exists() -> None:
    # Supabase CLI dumps leave out CREATE PUBLICATION supabase_realtime.
    schema = load(TABLE + 'ALTER PUBLICATION "supabase_realtime" ADD TABLE ONLY "sales"."orders";')
    publication = schema["publication:supabase_realtime"]
    assert publication.tables == (
        model.PublicationTable(table=ObjectId(ids.TABLE, "sales", "orders")),
    )
    assert any("never created" in w for w in schema.warnings)


def test_subscription_keeps_what_describes_it_not_how_it_was_created() -> None:
    schema = load(
        "CREATE SUBSCRIPTION sub CONNECTION 'host=primary dbname=app' PUBLICATION p2, p1 "
        "WITH (connect = false, slot_name = 'sub_slot', binary = true);"
    )
    oid = ObjectId(ids.SUBSCRIPTION, None, "sub")
    assert schema[oid] == model.Subscription(
        id=oid,
        connection="host=primary dbname=app",
        publications=("p1", "p2"),
        options=(("binary", "true"), ("slot_name", "sub_slot")),
    )


# Foreign data --------------------------------------------------------------------------------


def test_foreign_data_wrapper_server_and_user_mappings() -> None:
    schema = load("""
CREATE FOREIGN DATA WRAPPER dummy_fdw HANDLER public.dummy_handler VALIDATOR public.dummy_validator OPTIONS (
    debug 'true'
);
CREATE SERVER legacy TYPE 'mainframe' VERSION '3.1' FOREIGN DATA WRAPPER dummy_fdw OPTIONS (
    region 'eu-west'
);
CREATE USER MAPPING FOR app_user SERVER legacy OPTIONS (
    password 'not-a-secret',
    "user" 'billing_ro'
);
CREATE USER MAPPING FOR public SERVER legacy;
""")
    fdw = schema["foreign_data_wrapper:dummy_fdw"]
    assert (fdw.handler, fdw.validator, fdw.options) == (
        "public.dummy_handler",
        "public.dummy_validator",
        (("debug", "true"),),
    )
    server = schema["server:legacy"]
    assert (server.wrapper, server.type, server.version, server.options) == (
        "dummy_fdw",
        "mainframe",
        "3.1",
        (("region", "eu-west"),),
    )
    mapping = schema[ObjectId(ids.USER_MAPPING, None, "app_user@legacy")]
    assert (mapping.user, mapping.server) == ("app_user", "legacy")
    assert mapping.options == (("password", "not-a-secret"), ("user", "billing_ro"))
    assert schema[ObjectId(ids.USER_MAPPING, None, "public@legacy")].user == "public"


def test_no_handler_is_none() -> None:
    schema = load("CREATE FOREIGN DATA WRAPPER w NO HANDLER NO VALIDATOR;")
    fdw = schema["foreign_data_wrapper:w"]
    assert (fdw.handler, fdw.validator) == (None, None)


# Casts, conversions, operator classes and families -------------------------------------------


@pytest.mark.parametrize(
    ("sql", "name", "method", "function", "context"),
    [
        ("CREATE CAST (public.mood AS text) WITH INOUT AS IMPLICIT;", "public.mood AS text",
         "inout", None, "implicit"),
        ("CREATE CAST (extensions.citext AS bytea) WITHOUT FUNCTION;",
         "extensions.citext AS bytea", "binary", None, "explicit"),
        ("CREATE CAST (public.temperature AS numeric) WITH FUNCTION public.temperature_to_numeric(public.temperature) AS ASSIGNMENT;",
         "public.temperature AS numeric", "function",
         "public.temperature_to_numeric(public.temperature)", "assignment"),
    ],
)  # fmt: skip
def test_cast(sql: str, name: str, method: str, function: str | None, context: str) -> None:
    cast = load(sql)[ObjectId(ids.CAST, None, name)]
    source, _, target = name.partition(" AS ")
    assert cast == model.Cast(
        id=cast.id,
        source=parse_type(source),
        target=parse_type(target),
        method=method,
        function=function,
        context=context,
    )


def test_comment_on_cast_finds_it() -> None:
    schema = load(
        "CREATE CAST (public.mood AS text) WITH INOUT;\n"
        "COMMENT ON CAST (public.mood AS text) IS 'print a mood';"
    )
    assert schema["cast:public.mood AS text"].comment == "print a mood"


def test_conversion_definition_ignores_the_pg_catalog_prefix() -> None:
    dumped = load(
        "CREATE CONVERSION public.utf8_to_latin1 FOR 'UTF8' TO 'LATIN1' FROM utf8_to_iso8859_1;"
    )
    source = load(
        "CREATE CONVERSION public.utf8_to_latin1 FOR 'UTF8' TO 'LATIN1' FROM pg_catalog.utf8_to_iso8859_1;"
    )
    assert dumped == source
    assert isinstance(dumped["conversion:public.utf8_to_latin1"], model.Conversion)


def test_operator_class_written_by_hand_equals_its_dump() -> None:
    # Without FAMILY a family of the class's name is created; operand types default to the
    # class's type (operators) or the function's argument types (B-tree comparison).
    source = pgdrift.loads("""
CREATE OPERATOR CLASS int4_reverse_ops FOR TYPE integer USING btree AS
    OPERATOR 1 >, OPERATOR 3 =, FUNCTION 1 public.reverse_int_cmp(integer, integer);
""")
    dumped = load("""
CREATE OPERATOR FAMILY public.int4_reverse_ops USING btree;
CREATE OPERATOR CLASS public.int4_reverse_ops
    FOR TYPE integer USING btree FAMILY public.int4_reverse_ops AS
    OPERATOR 1 >(integer,integer) ,
    OPERATOR 3 =(integer,integer) ,
    FUNCTION 1 (integer, integer) public.reverse_int_cmp(integer,integer);
ALTER OPERATOR CLASS public.int4_reverse_ops USING btree OWNER TO app_owner;
""")
    oid = ObjectId(ids.OPERATOR_CLASS, "public", "int4_reverse_ops", args=("btree",))
    assert source[oid].definition == dumped[oid].definition
    assert dumped[oid].owner == "app_owner"
    assert set(source.objects) == set(dumped.objects)


def test_operator_family_members_added_and_dropped() -> None:
    family = ObjectId(ids.OPERATOR_FAMILY, "public", "text_ci_ops", args=("hash",))
    added = load("""
CREATE OPERATOR FAMILY public.text_ci_ops USING hash;
ALTER OPERATOR FAMILY public.text_ci_ops USING hash ADD
    OPERATOR 1 public.===(text,text) ,
    FUNCTION 1 (text, text) hashtext(text);
""")
    definition = added[family].definition
    assert definition.sql == (
        "ALTER OPERATOR FAMILY public.text_ci_ops USING hash ADD "
        "OPERATOR 1 public.=== (text, text), FUNCTION 1 (text, text) hashtext (text)"
    )
    # Members are a set: the order they are added in does not count.
    reordered = load("""
CREATE OPERATOR FAMILY public.text_ci_ops USING hash;
ALTER OPERATOR FAMILY public.text_ci_ops USING hash ADD FUNCTION 1 (text, text) hashtext(text);
ALTER OPERATOR FAMILY public.text_ci_ops USING hash ADD OPERATOR 1 public.===(text,text);
""")
    assert reordered[family] == added[family]
    dropped = load("""
CREATE OPERATOR FAMILY public.text_ci_ops USING hash;
ALTER OPERATOR FAMILY public.text_ci_ops USING hash ADD FUNCTION 1 (text, text) hashtext(text);
ALTER OPERATOR FAMILY public.text_ci_ops USING hash DROP FUNCTION 1 (text, text);
""")
    assert dropped[family].definition.sql == "CREATE OPERATOR FAMILY public.text_ci_ops USING hash"


# Languages, access methods, transforms -------------------------------------------------------


def test_language_access_method_and_transform() -> None:
    schema = load("""
CREATE PROCEDURAL LANGUAGE plsample HANDLER public.plsample_call_handler;
CREATE ACCESS METHOD heap_copy TYPE TABLE HANDLER heap_tableam_handler;
CREATE TRANSFORM FOR public.mood LANGUAGE sql (FROM SQL WITH FUNCTION public.mood_from(internal), TO SQL WITH FUNCTION public.mood_to(internal));
""")
    assert isinstance(schema["language:plsample"], model.Language)
    assert schema["access_method:heap_copy"].definition.sql == (
        "CREATE ACCESS METHOD heap_copy TYPE TABLE HANDLER heap_tableam_handler"
    )
    assert isinstance(
        schema[ObjectId(ids.TRANSFORM, None, "public.mood LANGUAGE sql")], model.Transform
    )


def test_create_or_replace_language_compares_equal_to_create() -> None:
    plain = load("CREATE PROCEDURAL LANGUAGE plsample HANDLER public.h;")
    replaced = load("CREATE OR REPLACE PROCEDURAL LANGUAGE plsample HANDLER public.h;")
    assert plain == replaced


# Statistics ----------------------------------------------------------------------------------


def test_statistics_attributes() -> None:
    schema = load(
        TABLE
        + """
CREATE STATISTICS sales.orders_customer_status (ndistinct, dependencies) ON customer_id, status FROM sales.orders;
ALTER STATISTICS sales.orders_customer_status SET STATISTICS 500;
CREATE STATISTICS sales.orders_expr ON customer_id, lower(status) FROM sales.orders;
"""
    )
    oid = ObjectId(ids.STATISTICS, "sales", "orders_customer_status")
    assert schema[oid] == model.Statistics(
        id=oid,
        table=ObjectId(ids.TABLE, "sales", "orders"),
        kinds=("dependencies", "ndistinct"),
        columns=("customer_id", "status"),
        target=500,
    )
    expr = schema["statistics:sales.orders_expr"]
    assert (expr.columns, expr.expressions) == (("customer_id",), (parse_expr("lower(status)"),))


def test_statistics_written_differently_compare_equal() -> None:
    # All kinds listed is no kinds listed; columns are kept in table order.
    one = load(
        TABLE
        + "CREATE STATISTICS sales.s (ndistinct, dependencies, mcv) ON status, id FROM sales.orders;"
    )
    other = load(TABLE + "CREATE STATISTICS sales.s ON id, status FROM sales.orders;")
    assert one == other
    assert one["statistics:sales.s"].kinds == ()


def test_unnamed_statistics_get_postgresqls_name() -> None:
    schema = load(TABLE + "CREATE STATISTICS ON customer_id, status FROM sales.orders;")
    assert "statistics:sales.orders_customer_id_status_stat" in schema


# The fixture dumps -----------------------------------------------------------------------------

_OWN_MODULES = frozenset(
    f"pgdrift.builder.{name}"
    for name in (
        "routines", "types", "cluster", "schemas", "define", "operators", "collations",
        "conversions", "text_search", "policies", "replication", "foreign_data", "languages",
        "statistics",
    )
)  # fmt: skip
OWN_STATEMENTS = frozenset(name for name, f in BUILDERS.items() if f.__module__ in _OWN_MODULES)
DUMPS = sorted(FIXTURES.glob("**/dump*.sql"))


def _node_name(statement: Statement) -> str | None:
    try:
        stmts = json.loads(parse_sql_json(statement.text))["stmts"]
    except PglastParseError:
        return None
    return node_type(stmts[0]["stmt"]) if len(stmts) == 1 else None


@pytest.mark.parametrize("path", DUMPS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_statements_of_these_kinds_never_fall_back_to_unsupported(path: Path) -> None:
    databases = databases_in(split_statements(read_source(path))) or [None]
    for database in databases:
        schema = pgdrift.load(path, strict=False, database=database)
        unsupported = [
            o.statement
            for o in schema
            if isinstance(o, model.Unsupported)
            and o.tree is not None
            and o.tree.tree[0] in OWN_STATEMENTS
        ]
        assert unsupported == []


def test_fixture_dumps_exercise_these_builders() -> None:
    # What pg_dump 15 and pg_dumpall write for the fixture cases (no tablespaces, languages,
    # transforms or subscriptions there: they need files, C code or a second server).
    found = {
        name
        for path in DUMPS
        for item in split_statements(read_source(path))
        if isinstance(item, Statement) and (name := _node_name(item)) in OWN_STATEMENTS
    }
    assert found >= {
        "AlterDatabaseSetStmt", "AlterDomainStmt", "AlterEventTrigStmt", "AlterOpFamilyStmt",
        "AlterPublicationStmt", "AlterRoleSetStmt", "AlterRoleStmt", "AlterStatsStmt",
        "AlterTSConfigurationStmt", "CompositeTypeStmt", "CreateAmStmt", "CreateCastStmt",
        "CreateConversionStmt", "CreateDomainStmt", "CreateEnumStmt", "CreateEventTrigStmt",
        "CreateExtensionStmt", "CreateFdwStmt", "CreateForeignServerStmt", "CreateFunctionStmt",
        "CreateOpClassStmt", "CreateOpFamilyStmt", "CreatePolicyStmt", "CreatePublicationStmt",
        "CreateRangeStmt", "CreateRoleStmt", "CreateSchemaStmt", "CreateStatsStmt",
        "CreateTrigStmt", "CreateUserMappingStmt", "CreatedbStmt", "DefineStmt", "GrantRoleStmt",
    }  # fmt: skip


_COMMENT_FIRST = """--
-- Name: INDEX i; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.i IS 'why';

--
-- Name: t; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.t (a integer);

--
-- Name: i; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX i ON public.t USING btree (a);
"""


def test_a_dump_may_comment_on_an_index_it_defines_further_down() -> None:
    # A TOC reordered for pg_restore -L, or sections concatenated: the object comes later.
    assert pgdrift.loads(_COMMENT_FIRST)["index:public.i"].comment == "why"


def test_a_deferred_comment_on_an_object_never_defined_is_still_an_error_at_its_line() -> None:
    text = _COMMENT_FIRST.replace("public.i IS", "public.nope IS")
    with pytest.raises(
        pgdrift.Error,
        match=r'^<string>:5:1: comment statement: relation "public\.nope" does not exist',
    ):
        pgdrift.loads(text)
    kept = pgdrift.loads(text, strict=False)
    assert [e.span.line for e in kept.errors if e.span] == [5]
    assert kept["index:public.i"].comment is None


def test_a_script_comment_before_its_object_fails_as_postgresql_does() -> None:
    with pytest.raises(pgdrift.Error, match=r'relation "public\.i" does not exist'):
        pgdrift.loads("COMMENT ON INDEX public.i IS 'x';\nCREATE TABLE public.t (a int);\n"
                      "CREATE INDEX i ON public.t (a);\n")  # fmt: skip


def test_create_extension_in_a_script_gives_the_control_files_comment() -> None:
    # CREATE EXTENSION comments the extension from its control file; pg_dump writes that
    # comment, so a script and its dump agree. An extension pgdrift does not know has none.
    schema = pgdrift.loads("CREATE EXTENSION pgcrypto; CREATE EXTENSION postgis;")
    comments = {o.name: o.comment for o in schema.objects.values() if o.kind == "extension"}
    assert comments == {"pgcrypto": "cryptographic functions", "postgis": None}


def test_an_extension_version_one_side_does_not_know_is_not_a_difference() -> None:
    # pg_dump never writes VERSION: a script that states it equals the dump of it.
    stated = pgdrift.loads("CREATE EXTENSION hstore VERSION '1.8';")
    assert not pgdrift.diff(pgdrift.loads("CREATE EXTENSION hstore;"), stated)
    assert pgdrift.diff(pgdrift.loads("CREATE EXTENSION hstore VERSION '1.7';"), stated)


def test_statements_on_built_ins_no_dump_writes_are_left_out_with_a_warning() -> None:
    schema = pgdrift.loads(
        "COMMENT ON EXTENSION plpgsql IS 'changed';"
        "REVOKE USAGE ON LANGUAGE sql FROM PUBLIC; GRANT USAGE ON LANGUAGE plpgsql TO r;"
    )
    assert [str(o) for o in schema.objects if o.kind in ("extension", "language")] == [
        "language:plpgsql"
    ]
    assert sum("no pg_dump writes it" in w for w in schema.warnings) == 2


def test_copy_of_a_built_in_text_search_configuration_copies_its_mappings() -> None:
    # initdb's snowball_create.sql: words to the language's stemmer, the rest to simple;
    # ASCII words of russian and hindi to english_stem.
    schema = pgdrift.loads(
        "CREATE TEXT SEARCH CONFIGURATION ru (COPY = pg_catalog.russian);"
        "CREATE TEXT SEARCH CONFIGURATION en (COPY = english);"
    )
    configs = {o.name: dict(o.mappings) for o in schema.objects.values()
               if o.kind == "text_search_configuration"}  # type: ignore[attr-defined]  # fmt: skip
    assert configs["ru"]["asciiword"] == ("english_stem",)
    assert configs["ru"]["word"] == ("russian_stem",)
    assert configs["en"]["email"] == ("simple",)
    assert len(configs["en"]) == 19


def test_the_databases_default_tablespace_is_stored_as_none() -> None:
    # heap_create / GetDefaultTablespace store 0 for the database's default tablespace, so
    # pg_dump names none: written or through default_tablespace, table, index or constraint.
    schema = pgdrift.loads(
        "CREATE TABLESPACE fast LOCATION '/x';"
        "CREATE TABLE t (id int, CONSTRAINT t_pk PRIMARY KEY (id) USING INDEX TABLESPACE"
        " pg_default) TABLESPACE pg_default;"
        "CREATE INDEX t_i ON t (id) TABLESPACE pg_default;"
        "CREATE MATERIALIZED VIEW mv TABLESPACE pg_default AS SELECT 1 AS x;"
        "SET default_tablespace = pg_default; CREATE TABLE t2 (id int);"
        "CREATE INDEX t2_i ON t2 (id); RESET default_tablespace;"
        "CREATE TABLE t3 (id int) TABLESPACE fast; ALTER TABLE t3 SET TABLESPACE pg_default;"
        "CREATE TABLE t4 (id int) TABLESPACE fast;"
    )
    spaces = {
        o.name: getattr(o, "tablespace", getattr(o, "index_tablespace", None))
        for o in schema.objects.values()
        if o.kind in ("table", "index", "constraint", "materialized_view")
    }
    assert spaces == {"t": None, "t_pk": None, "t_i": None, "mv": None, "t2": None,
                      "t2_i": None, "t3": None, "t4": "fast"}  # fmt: skip


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE p (id int) PARTITION BY LIST (id) TABLESPACE pg_default;",
        "SET default_tablespace = pg_default; CREATE TABLE p (id int) PARTITION BY LIST (id);",
        "CREATE TABLE p (id int) PARTITION BY LIST (id);"
        "CREATE INDEX ON p (id) TABLESPACE pg_default;",
        "CREATE TABLE p (id int, PRIMARY KEY (id) USING INDEX TABLESPACE pg_default)"
        " PARTITION BY LIST (id);",
    ],
)
def test_a_partitioned_relation_may_not_name_the_default_tablespace(sql: str) -> None:
    with pytest.raises(pgdrift.ModelError, match="default tablespace for partitioned"):
        pgdrift.loads(sql)


def test_temporary_relations_are_gone_at_the_end_of_the_script() -> None:
    # Temporary tables, views and sequences end with the session, with what depends on them
    # (a view over a temporary table is temporary itself): pg_dump never has them. Until then
    # later statements find them.
    schema = pgdrift.loads(
        "CREATE TEMP TABLE tt (a serial PRIMARY KEY); CREATE INDEX ON tt (a);"
        "ALTER TABLE tt ADD COLUMN b int;"
        "CREATE TEMPORARY VIEW tv AS SELECT 1 AS x; CREATE TEMP SEQUENCE ts;"
        "CREATE VIEW over_tt AS SELECT a FROM tt; CREATE TABLE kept (a int);"
    )
    assert sorted(map(str, schema.objects)) == ["schema:public", "table:public.kept"]
    assert not schema.warnings


def test_statistics_over_columns_in_another_table_order_are_no_difference() -> None:
    # stxkeys is sorted by attnum: a column added again at the end of the table moves to the
    # end of the statistics' list as pg_dump prints it; the statistics are the same.
    first = load("CREATE TABLE t (a int, b int, c int); CREATE STATISTICS s ON a, b, c FROM t;")
    moved = load("CREATE TABLE t (a int, c int, b int); CREATE STATISTICS s ON a, b, c FROM t;")
    assert moved["statistics:public.s"].columns == ("a", "c", "b")
    assert [str(c.id) for c in diff(first, moved)] == ["table:public.t"]
    fewer = load("CREATE TABLE t (a int, b int, c int); CREATE STATISTICS s ON a, b FROM t;")
    assert "statistics:public.s" in [str(c.id) for c in diff(first, fewer)]


def test_publication_column_lists_in_another_table_order_are_no_difference() -> None:
    # prattrs is sorted by attnum, like stxkeys: a column added again at the end of the table
    # moves to the end of the column list as pg_dump prints it; the publication is the same.
    first = load("CREATE TABLE t (a int, b int, c int); CREATE PUBLICATION p FOR TABLE t (a, b, c);")
    moved = load("CREATE TABLE t (a int, c int, b int); CREATE PUBLICATION p FOR TABLE t (a, b, c);")
    assert moved["publication:p"].tables[0].columns == ("a", "c", "b")
    assert [str(c.id) for c in diff(first, moved)] == ["table:public.t"]
    fewer = load("CREATE TABLE t (a int, b int, c int); CREATE PUBLICATION p FOR TABLE t (a, b);")
    assert "publication:p" in [str(c.id) for c in diff(first, fewer)]
