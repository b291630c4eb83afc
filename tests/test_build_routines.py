"""Functions, procedures, aggregates, triggers and event triggers, built from SQL written the
way pg_dump 15 prints it."""

# ruff: noqa: E501 - the SQL is kept on one line where pg_dump prints it on one line

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift import ids, model
from pgdrift.errors import DuplicateObjectError, UndefinedObjectError
from pgdrift.expr import parse_expr
from pgdrift.ids import ObjectId
from pgdrift.schema import Schema
from pgdrift.types import TypeRef, parse_type

ROUTINES_DUMP = Path(__file__).resolve().parent.parent / "fixtures" / "routines" / "dump.sql"

# pg_dump empties the search_path and qualifies every name it writes.
HEADER = "SELECT pg_catalog.set_config('search_path', '', false);\n"

ACCOUNTS = """
CREATE TABLE public.accounts (
    id integer NOT NULL,
    balance numeric(12,2) DEFAULT 0 NOT NULL,
    status text
);
"""

AUDIT_FUNCTION = """
CREATE FUNCTION public.audit() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NEW; END $$;
"""


def load(sql: str) -> Schema:
    return pgdrift.loads(HEADER + sql)


def arg(
    mode: str, type_text: str, name: str | None = None, default: str | None = None
) -> model.Argument:
    return model.Argument(
        mode=mode,
        type=parse_type(type_text),
        name=name,
        default=parse_expr(default) if default is not None else None,
    )


def fid(name: str, *args: str, schema: str = "public") -> ObjectId:
    return ObjectId(ids.FUNCTION, schema, name, args=args)


# CREATE FUNCTION -----------------------------------------------------------------------------


def test_function_attributes_come_from_the_statement() -> None:
    schema = load("""
CREATE FUNCTION public.add(a integer, b integer DEFAULT 1) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT a + b $$;
""")
    oid = fid("add", "integer", "integer")
    function = schema[oid]
    assert function.id == oid
    assert function == model.Function(
        id=oid,
        arguments=(arg("in", "integer", "a"), arg("in", "integer", "b", "1")),
        returns=parse_type("integer"),
        language="sql",
        body=" SELECT a + b ",
        volatility="immutable",
        strict=True,
        parallel="safe",
        privileges=function.privileges,  # PostgreSQL's defaults, applied by acl.py
    )
    assert function.signature == "public.add(integer, integer)"


def test_overloads_are_distinct_objects_keyed_by_argument_types() -> None:
    schema = load("""
CREATE FUNCTION public.add(a integer, b integer) RETURNS integer
    LANGUAGE sql
    AS $$ SELECT a + b $$;
CREATE FUNCTION public.add(text, text) RETURNS text
    LANGUAGE sql
    AS $_$ SELECT $1 || $2 $_$;
""")
    assert sorted(str(o.id) for o in schema if o.kind == ids.FUNCTION) == [
        "function:public.add(integer, integer)",
        "function:public.add(text, text)",
    ]
    assert schema[fid("add", "text", "text")].body == " SELECT $1 || $2 "


def test_output_arguments_are_not_part_of_a_functions_identity() -> None:
    schema = load("""
CREATE FUNCTION public.f(a integer, INOUT b text DEFAULT 'x'::text, OUT c integer, VARIADIC d integer[] DEFAULT '{}'::integer[]) RETURNS record
    LANGUAGE plpgsql
    AS $$ begin end $$;
ALTER FUNCTION public.f(a integer, INOUT b text, OUT c integer, VARIADIC d integer[]) OWNER TO app_owner;
""")
    function = schema[fid("f", "integer", "text", "integer[]")]
    assert function.arguments == (
        arg("in", "integer", "a"),
        arg("inout", "text", "b", "'x'::text"),
        arg("out", "integer", "c"),
        arg("variadic", "integer[]", "d", "'{}'::integer[]"),
    )
    assert [a.name for a in function.input_arguments] == ["a", "b", "d"]
    assert function.returns == parse_type("record")
    assert function.owner == "app_owner"  # ALTER FUNCTION found the same id


def test_procedure_identity_is_its_input_arguments_too() -> None:
    # PostgreSQL 14 accepts OUT arguments of procedures, but input arguments alone tell
    # routines apart; pg_dump's ALTER PROCEDURE lists the OUT ones all the same.
    schema = load("""
CREATE PROCEDURE public.count_accounts(IN flag boolean, OUT total bigint)
    LANGUAGE sql
    AS $$ SELECT count(*) FROM public.accounts $$;
ALTER PROCEDURE public.count_accounts(IN flag boolean, OUT total bigint) OWNER TO app_owner;
""")
    oid = ObjectId(ids.PROCEDURE, "public", "count_accounts", args=("boolean",))
    procedure = schema[oid]
    assert isinstance(procedure, model.Procedure)
    assert procedure == model.Procedure(
        id=oid,
        owner="app_owner",
        arguments=(arg("in", "boolean", "flag"), arg("out", "bigint", "total")),
        returns=None,
        language="sql",
        body=" SELECT count(*) FROM public.accounts ",
        privileges=procedure.privileges,
    )


def test_returns_table_columns_are_table_arguments_of_a_setof_record() -> None:
    schema = load("""
CREATE FUNCTION public.account_summary(min_balance numeric DEFAULT 0) RETURNS TABLE(account_id integer, balance numeric)
    LANGUAGE sql STABLE
    AS $$ SELECT id, balance FROM public.accounts WHERE balance >= min_balance $$;
""")
    function = schema[fid("account_summary", "numeric")]
    assert function.arguments == (
        arg("in", "numeric", "min_balance", "0"),
        arg("table", "integer", "account_id"),
        arg("table", "numeric", "balance"),
    )
    assert function.returns == parse_type("SETOF record")
    assert function.volatility == "stable"


def test_routine_types_keep_no_typmod() -> None:
    # pg_proc, pg_aggregate, pg_operator and pg_cast hold type oids only: a written typmod is
    # dropped, and so is the char(1) the grammar gives a bare "character" in pg_dump's output.
    schema = pgdrift.loads("""
CREATE FUNCTION f(a numeric(10,2), b varchar(20)[] DEFAULT '{}') RETURNS TABLE(x character, y interval day)
    LANGUAGE sql AS $$ SELECT 'a'::text, interval '1 day' $$;
CREATE FUNCTION g() RETURNS SETOF varchar(10) LANGUAGE sql AS $$ SELECT 'a' $$;
COMMENT ON FUNCTION f(numeric(4,1), varchar(2)[]) IS 'found';
CREATE AGGREGATE total(numeric(10,2)) (SFUNC = numeric_add, STYPE = numeric(20,2));
CREATE FUNCTION same(a char(3), b char(3)) RETURNS boolean LANGUAGE sql AS $$ SELECT a = b $$;
CREATE OPERATOR === (LEFTARG = char(3), RIGHTARG = char(3), FUNCTION = same);
""")
    function = schema[fid("f", "numeric", "character varying[]")]
    assert function.arguments == (
        arg("in", "numeric", "a"),
        arg("in", "character varying[]", "b", "'{}'::character varying[]"),
        model.Argument(mode="table", type=TypeRef(None, "character"), name="x"),
        arg("table", "interval", "y"),
    )
    assert function.comment == "found"
    assert schema[fid("g")].returns == parse_type("SETOF character varying")
    aggregate = schema[ObjectId(ids.AGGREGATE, "public", "total", args=("numeric",))]
    assert dict(aggregate.options)["stype"] == "numeric"
    operator = ObjectId(ids.OPERATOR, "public", "===", args=("bpchar", "bpchar"))
    assert operator in schema


def test_a_column_type_reference_is_the_columns_type_when_created() -> None:
    # users.email%TYPE is resolved once (parse_type.c): the column's type without its typmod,
    # the table found along the search_path; an unknown column is left as written.
    schema = pgdrift.loads("""
CREATE SCHEMA app;
CREATE TABLE users (id serial, email varchar(255));
CREATE TABLE app.users (id bigint);
CREATE FUNCTION f(e users.email%TYPE) RETURNS SETOF users.id%TYPE LANGUAGE sql AS $$ SELECT 1 $$;
SET search_path = app, public;
CREATE FUNCTION public.g(i users.id%TYPE, n users.nothing%TYPE) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
""")
    function = schema[fid("f", "character varying")]
    assert function.returns == parse_type("SETOF integer")
    assert fid("g", "bigint", "users.nothing%TYPE") in schema


def test_returns_setof_keeps_the_row_type() -> None:
    schema = load(
        ACCOUNTS
        + """
CREATE FUNCTION public.rich_accounts(threshold numeric) RETURNS SETOF public.accounts
    LANGUAGE sql STABLE ROWS 50
    AS $$ SELECT * FROM public.accounts WHERE balance > threshold $$;
"""
    )
    function = schema[fid("rich_accounts", "numeric")]
    assert function.returns == parse_type("SETOF public.accounts")
    assert function.rows == 50.0


def test_c_function_keeps_object_file_and_link_symbol() -> None:
    schema = load("""
CREATE FUNCTION public.my_hash(text) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT
    AS '$libdir/my_ext', 'my_hash_text';
CREATE FUNCTION public.my_lower(text) RETURNS text
    LANGUAGE internal IMMUTABLE STRICT
    AS $$lower$$;
""")
    c_function = schema[fid("my_hash", "text")]
    assert (c_function.language, c_function.body, c_function.link_symbol) == (
        "c",
        "$libdir/my_ext",
        "my_hash_text",
    )
    internal = schema[fid("my_lower", "text")]
    assert (internal.language, internal.body, internal.link_symbol) == ("internal", "lower", None)


def test_begin_atomic_body_is_a_parse_tree_not_text() -> None:
    schema = load(
        ACCOUNTS
        + """
CREATE PROCEDURE public.reset_balances(IN new_balance numeric DEFAULT 0)
    LANGUAGE sql
    BEGIN ATOMIC
 UPDATE public.accounts SET balance = reset_balances.new_balance;
 DELETE FROM public.accounts WHERE (accounts.balance < (0)::numeric);
END;
"""
    )
    procedure = schema[ObjectId(ids.PROCEDURE, "public", "reset_balances", args=("numeric",))]
    assert procedure.body is None
    assert procedure.sql_body is not None
    assert procedure.sql_body.sql == (
        "UPDATE public.accounts SET balance = reset_balances.new_balance; "
        "DELETE FROM public.accounts WHERE accounts.balance < 0::numeric"
    )
    # Layout and redundant parentheses do not count.
    again = load(
        ACCOUNTS
        + """
CREATE PROCEDURE public.reset_balances(IN new_balance numeric DEFAULT 0) LANGUAGE sql
BEGIN ATOMIC UPDATE public.accounts SET balance = (reset_balances.new_balance);
DELETE FROM public.accounts WHERE accounts.balance < 0::numeric; END;
"""
    )
    assert again[procedure.id] == procedure


def test_return_body_is_a_return_statement_tree() -> None:
    schema = load("""
CREATE FUNCTION public.full_name(first_name text, last_name text) RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN ((first_name || ' '::text) || last_name);
""")
    function = schema[fid("full_name", "text", "text")]
    assert function.body is None
    assert function.sql_body is not None
    assert function.sql_body.sql == "RETURN first_name || ' '::text || last_name"


def test_every_function_option_is_read() -> None:
    schema = load("""
CREATE FUNCTION public.opts(x integer) RETURNS integer
    LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER LEAKPROOF COST 10 SUPPORT public.opts_support WINDOW PARALLEL RESTRICTED
    TRANSFORM FOR TYPE public.hstore, FOR TYPE integer
    AS $$ begin return x; end $$;
""")
    function = schema[fid("opts", "integer")]
    assert function.volatility == "stable"
    assert function.strict
    assert function.security_definer
    assert function.leakproof
    assert function.cost == 10.0
    assert function.support == "public.opts_support"
    assert function.window
    assert function.parallel == "restricted"
    assert function.transforms == (parse_type("public.hstore"), parse_type("integer"))


def test_set_clauses_keep_the_order_written_with_list_values_joined() -> None:
    # PostgreSQL keeps proconfig as written and pg_dump prints it so.
    schema = load("""
CREATE FUNCTION util.heavy_report() RETURNS bigint
    LANGUAGE sql STABLE
    SET work_mem TO '8MB'
    SET statement_timeout TO '5s'
    SET search_path TO 'util', 'public'
    AS $$ SELECT 1::bigint $$;
""")
    function = schema[fid("heavy_report", schema="util")]
    assert function.config == (
        ("work_mem", "8MB"),
        ("statement_timeout", "5s"),
        ("search_path", "util, public"),
    )
    assert function.search_path_pinned


def test_set_clauses_record_the_settings_own_name() -> None:
    # GUCArrayAdd records the name from PostgreSQL's table of settings (found ignoring case,
    # old names mapped): timezone is TimeZone, sort_mem work_mem; a repeat replaces the first;
    # RESET finds it under either spelling; a name PostgreSQL does not know is kept.
    schema = load("""
CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql
    SET timezone = 'UTC' SET datestyle = 'ISO, MDY' SET intervalstyle = postgres
    SET sort_mem = '4MB' SET "TimeZone" = 'Europe/Paris' SET myapp.Setting = 'x'
    AS $$ SELECT 1 $$;
CREATE FUNCTION public.g() RETURNS integer LANGUAGE sql SET "TimeZone" = 'UTC'
    AS $$ SELECT 1 $$;
ALTER FUNCTION public.g() RESET timezone;
""")
    assert schema[fid("f")].config == (
        ("TimeZone", "Europe/Paris"),
        ("DateStyle", "ISO, MDY"),
        ("IntervalStyle", "postgres"),
        ("work_mem", "4MB"),
        ("myapp.setting", "x"),
    )
    assert schema[fid("g")].config == ()


def test_set_from_current_has_no_known_value() -> None:
    # FROM CURRENT captures the creating session's value; pg_dump prints the captured value.
    schema = load("""
CREATE FUNCTION public.f() RETURNS integer
    LANGUAGE sql
    SET work_mem FROM CURRENT
    AS $$ SELECT 1 $$;
""")
    assert schema[fid("f")].config == (("work_mem", None),)


def test_set_search_path_from_current_without_a_set_captures_the_boot_value() -> None:
    # Every session starts with search_path "$user", public; set_config(..., false) sets it
    # for the session as SET does.
    schema = pgdrift.loads("""
CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql SET search_path FROM CURRENT
    AS $$ SELECT 1 $$;
SELECT set_config('search_path', 'app, "public"', false);
CREATE FUNCTION public.g() RETURNS integer LANGUAGE sql SET search_path FROM CURRENT
    AS $$ SELECT 1 $$;
""")
    assert schema[fid("f")].config == (("search_path", "$user, public"),)
    assert schema[fid("g")].config == (("search_path", "app, public"),)


def test_default_cost_and_rows_equal_leaving_them_out() -> None:
    # pg_dump omits COST 100 (1 for C and internal functions) and ROWS 1000.
    explicit = load("""
CREATE FUNCTION public.f() RETURNS SETOF integer
    LANGUAGE sql COST 100 ROWS 1000
    AS $$ SELECT 1 $$;
CREATE FUNCTION public.g(text) RETURNS text
    LANGUAGE internal IMMUTABLE STRICT COST 1
    AS $$lower$$;
""")
    implicit = load("""
CREATE FUNCTION public.f() RETURNS SETOF integer
    LANGUAGE sql
    AS $$ SELECT 1 $$;
CREATE FUNCTION public.g(text) RETURNS text
    LANGUAGE internal IMMUTABLE STRICT
    AS $$lower$$;
""")
    assert explicit == implicit
    assert explicit[fid("f")].cost is None
    assert explicit[fid("f")].rows is None


def test_create_or_replace_function_builds_like_create() -> None:
    # Supabase CLI dumps write CREATE OR REPLACE FUNCTION.
    plain = load("""
CREATE FUNCTION public.is_admin() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT true $$;
""")
    replaced = load("""
CREATE OR REPLACE FUNCTION "public"."is_admin"() RETURNS boolean
    LANGUAGE "sql" STABLE
    AS $$ SELECT true $$;
""")
    assert plain == replaced


def test_create_or_replace_redefines_and_keeps_owner_and_comment() -> None:
    schema = load("""
CREATE FUNCTION public.f() RETURNS integer
    LANGUAGE sql
    AS $$ SELECT 1 $$;
ALTER FUNCTION public.f() OWNER TO app_owner;
COMMENT ON FUNCTION public.f() IS 'one';
CREATE OR REPLACE FUNCTION public.f() RETURNS integer
    LANGUAGE sql
    AS $$ SELECT 2 $$;
""")
    function = schema[fid("f")]
    assert (function.body, function.owner, function.comment) == (" SELECT 2 ", "app_owner", "one")


def test_a_function_defined_twice_is_an_error() -> None:
    sql = """
CREATE FUNCTION public.f() RETURNS integer
    LANGUAGE sql
    AS $$ SELECT 1 $$;
"""
    with pytest.raises(DuplicateObjectError):
        load(sql + sql)


# CREATE AGGREGATE ----------------------------------------------------------------------------


def test_aggregate_options_are_canonical_text() -> None:
    schema = load("""
CREATE FUNCTION public.avg_accum(state numeric[], value numeric) RETURNS numeric[]
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT ARRAY[state[1] + value, state[2] + 1] $$;
CREATE FUNCTION public.avg_final(state numeric[]) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT state[1] / state[2] $$;
CREATE AGGREGATE public.my_avg(numeric) (
    SFUNC = public.avg_accum,
    STYPE = numeric[],
    INITCOND = '{0,0}',
    FINALFUNC = public.avg_final
);
ALTER AGGREGATE public.my_avg(numeric) OWNER TO app_owner;
""")
    oid = ObjectId(ids.AGGREGATE, "public", "my_avg", args=("numeric",))
    aggregate = schema[oid]
    assert aggregate == model.Aggregate(
        id=oid,
        owner="app_owner",
        privileges=aggregate.privileges,
        arguments=(arg("in", "numeric"),),
        aggregate_kind="normal",
        options=(
            ("finalfunc", "public.avg_final"),
            ("initcond", "{0,0}"),
            ("sfunc", "public.avg_accum"),
            ("stype", "numeric[]"),
        ),
    )


def test_aggregate_defaults_equal_leaving_them_out() -> None:
    explicit = load("""
CREATE AGGREGATE public.concat_all(text) (
    SFUNC = textcat,
    STYPE = text,
    INITCOND = '',
    PARALLEL = unsafe
);
""")
    implicit = load("""
CREATE AGGREGATE public.concat_all(text) (
    SFUNC = textcat,
    STYPE = text,
    INITCOND = ''
);
""")
    assert explicit == implicit
    oid = ObjectId(ids.AGGREGATE, "public", "concat_all", args=("text",))
    assert explicit[oid].options == (("initcond", ""), ("sfunc", "textcat"), ("stype", "text"))


def test_star_aggregate_is_keyed_by_star() -> None:
    schema = load("""
CREATE AGGREGATE public.cnt(*) (
    SFUNC = int8inc,
    STYPE = bigint,
    INITCOND = '0'
);
ALTER AGGREGATE public.cnt(*) OWNER TO app_owner;
""")
    aggregate = schema[ObjectId(ids.AGGREGATE, "public", "cnt", args=("*",))]
    assert aggregate.arguments == ()
    assert aggregate.owner == "app_owner"


def test_ordered_set_aggregate_splits_direct_and_aggregated_arguments() -> None:
    schema = load("""
CREATE AGGREGATE public.pct(double precision ORDER BY double precision) (
    SFUNC = ordered_set_transition,
    STYPE = internal,
    FINALFUNC = percentile_disc_final,
    FINALFUNC_EXTRA
);
ALTER AGGREGATE public.pct(double precision ORDER BY double precision) OWNER TO app_owner;
""")
    oid = ObjectId(ids.AGGREGATE, "public", "pct", args=("double precision", "double precision"))
    aggregate = schema[oid]
    assert aggregate.aggregate_kind == "ordered-set"
    assert aggregate.direct_arguments == (arg("in", "double precision"),)
    assert aggregate.arguments == (arg("in", "double precision"),)
    assert ("finalfunc_extra", None) in aggregate.options
    assert aggregate.owner == "app_owner"


def test_hypothetical_set_aggregate_folds_the_repeated_variadic() -> None:
    schema = load("""
CREATE AGGREGATE public.hyp(VARIADIC "any" ORDER BY VARIADIC "any") (
    SFUNC = ordered_set_transition_multi,
    STYPE = internal,
    FINALFUNC = rank_final,
    FINALFUNC_EXTRA,
    HYPOTHETICAL
);
ALTER AGGREGATE public.hyp(VARIADIC "any" ORDER BY VARIADIC "any") OWNER TO app_owner;
""")
    aggregate = schema[ObjectId(ids.AGGREGATE, "public", "hyp", args=("any",))]
    assert aggregate.aggregate_kind == "hypothetical"
    assert aggregate.direct_arguments == (arg("variadic", '"any"'),)
    assert aggregate.arguments == ()
    assert all(name != "hypothetical" for name, _ in aggregate.options)
    assert aggregate.owner == "app_owner"


# CREATE TRIGGER ------------------------------------------------------------------------------


def test_row_trigger_attributes() -> None:
    schema = load(
        ACCOUNTS
        + AUDIT_FUNCTION
        + """
CREATE TRIGGER accounts_balance_changed BEFORE INSERT OR UPDATE OF balance, status ON public.accounts FOR EACH ROW WHEN ((new.balance < (0)::numeric)) EXECUTE FUNCTION public.audit('balance', '42');
"""
    )
    table = ObjectId(ids.TABLE, "public", "accounts")
    oid = ObjectId(ids.TRIGGER, "public", "accounts_balance_changed", parent="accounts")
    trigger = schema[oid]
    assert trigger.id == oid
    assert trigger == model.Trigger(
        id=oid,
        table=table,
        timing="before",
        events=("insert", "update"),
        update_columns=("balance", "status"),
        for_each_row=True,
        when=parse_expr("new.balance < 0::numeric"),
        function="public.audit",
        arguments=("balance", "42"),
    )


def test_statement_trigger_with_transition_table() -> None:
    schema = load(
        ACCOUNTS
        + AUDIT_FUNCTION
        + """
CREATE TRIGGER accounts_bulk AFTER DELETE OR UPDATE ON public.accounts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.audit();
CREATE TRIGGER accounts_no_truncate BEFORE TRUNCATE ON public.accounts FOR EACH STATEMENT EXECUTE FUNCTION public.audit();
"""
    )
    bulk = schema["trigger:public.accounts.accounts_bulk"]
    assert (bulk.timing, bulk.events, bulk.for_each_row) == ("after", ("delete", "update"), False)
    assert (bulk.old_table, bulk.new_table) == ("old_rows", "new_rows")
    truncate = schema["trigger:public.accounts.accounts_no_truncate"]
    assert (truncate.timing, truncate.events) == ("before", ("truncate",))


def test_instead_of_trigger_belongs_to_the_view() -> None:
    schema = load(
        ACCOUNTS
        + AUDIT_FUNCTION
        + """
CREATE VIEW public.open_accounts AS
 SELECT accounts.id,
    accounts.balance
   FROM public.accounts
  WHERE (accounts.status = 'open'::text);
CREATE TRIGGER open_accounts_insert INSTEAD OF INSERT ON public.open_accounts FOR EACH ROW EXECUTE FUNCTION public.audit();
"""
    )
    trigger = schema["trigger:public.open_accounts.open_accounts_insert"]
    assert trigger.table == ObjectId(ids.VIEW, "public", "open_accounts")
    assert (trigger.timing, trigger.events, trigger.for_each_row) == (
        "instead of",
        ("insert",),
        True,
    )


def test_constraint_trigger_is_deferrable_and_names_its_referenced_table() -> None:
    schema = load(
        ACCOUNTS
        + AUDIT_FUNCTION
        + """
CREATE TABLE public.account_limits (
    account_id integer NOT NULL
);
CREATE CONSTRAINT TRIGGER account_limits_check AFTER INSERT OR UPDATE ON public.account_limits FROM public.accounts DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.audit();
"""
    )
    trigger = schema["trigger:public.account_limits.account_limits_check"]
    assert trigger.constraint
    assert trigger.deferrable
    assert trigger.initially_deferred
    assert trigger.constraint_table == ObjectId(ids.TABLE, "public", "accounts")


def test_built_in_trigger_function_stays_unqualified() -> None:
    # pg_dump qualifies functions outside pg_catalog only; a bare name there is built in.
    schema = load(
        ACCOUNTS
        + """
CREATE TRIGGER accounts_skip_noop BEFORE UPDATE ON public.accounts FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
"""
    )
    assert schema["trigger:public.accounts.accounts_skip_noop"].function == (
        "suppress_redundant_updates_trigger"
    )


def test_unqualified_trigger_function_resolves_along_the_search_path() -> None:
    schema = pgdrift.loads(
        ACCOUNTS.replace("public.", "")
        + AUDIT_FUNCTION.replace("public.", "")
        + "CREATE TRIGGER t AFTER INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION audit();"
    )
    assert schema["trigger:public.accounts.t"].function == "public.audit"


def test_trigger_enable_state_set_by_alter_table() -> None:
    schema = load(
        ACCOUNTS
        + AUDIT_FUNCTION
        + """
CREATE TRIGGER accounts_audit AFTER INSERT ON public.accounts FOR EACH ROW EXECUTE FUNCTION public.audit();
ALTER TABLE public.accounts ENABLE ALWAYS TRIGGER accounts_audit;
"""
    )
    assert schema["trigger:public.accounts.accounts_audit"].enabled == "always"


def test_trigger_on_an_undefined_table_is_an_error() -> None:
    with pytest.raises(UndefinedObjectError):
        load(
            AUDIT_FUNCTION + "CREATE TRIGGER t AFTER INSERT ON public.nowhere FOR EACH ROW "
            "EXECUTE FUNCTION public.audit();"
        )


# Event triggers ------------------------------------------------------------------------------

EVENT_FUNCTION = """
CREATE FUNCTION public.on_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$ BEGIN END $$;
"""


def test_event_trigger_tags_are_upper_cased_in_the_order_written() -> None:
    schema = load(
        EVENT_FUNCTION
        + """
CREATE EVENT TRIGGER audit_ddl ON ddl_command_end
         WHEN TAG IN ('create table', 'ALTER TABLE')
   EXECUTE FUNCTION public.on_ddl();
"""
    )
    oid = ObjectId(ids.EVENT_TRIGGER, None, "audit_ddl")
    assert schema[oid] == model.EventTrigger(
        id=oid,
        event="ddl_command_end",
        tags=("CREATE TABLE", "ALTER TABLE"),
        function="public.on_ddl",
    )


@pytest.mark.parametrize(
    ("clause", "state"),
    [("DISABLE", "disabled"), ("ENABLE REPLICA", "replica"), ("ENABLE ALWAYS", "always"),
     ("ENABLE", "origin")],
)  # fmt: skip
def test_alter_event_trigger_sets_the_enable_state(clause: str, state: str) -> None:
    schema = load(
        EVENT_FUNCTION
        + f"""
CREATE EVENT TRIGGER audit_ddl ON ddl_command_start
   EXECUTE FUNCTION public.on_ddl();
ALTER EVENT TRIGGER audit_ddl DISABLE;
ALTER EVENT TRIGGER audit_ddl {clause};
"""
    )
    assert schema["event_trigger:audit_ddl"].enabled == state


def test_a_grant_on_function_naming_an_aggregate_reaches_the_aggregate() -> None:
    # pg_dump writes an aggregate's ACL as GRANT/REVOKE ... ON FUNCTION (fixtures/routines).
    schema = pgdrift.load(ROUTINES_DUMP)
    aggregate = schema.objects[ObjectId(ids.AGGREGATE, "public", "my_sum", args=("integer",))]
    assert {p.grantee for p in aggregate.privileges} == {"app_user", "postgres"}
    assert ObjectId(ids.FUNCTION, "public", "my_sum", args=("integer",)) not in schema.objects


def test_on_function_does_not_name_a_procedure() -> None:
    # LookupFuncWithArgs refuses a procedure for OBJECT_FUNCTION ("is not a function"), so the
    # grant is about some other routine: the procedure keeps its default privileges.
    schema = pgdrift.loads(
        "CREATE PROCEDURE public.p(a integer) LANGUAGE sql AS 'select 1';\n"
        "REVOKE ALL ON FUNCTION public.p(integer) FROM PUBLIC;\n"
    )
    procedure = schema.objects[ObjectId(ids.PROCEDURE, "public", "p", args=("integer",))]
    assert any(p.grantee == "PUBLIC" for p in procedure.privileges)
