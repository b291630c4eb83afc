"""pgdrift.testing: every assertion passes on what the dump holds and fails with a message that
says what was expected, what was found, and the closest name when a name is wrong.

The schemas are real pg_dump output (``fixtures/*/dump.sql``); the LiveConvo prod dump is the
one a user of these assertions would most likely hold.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

import pgdrift
from pgdrift import testing as t
from pgdrift.schema import Schema

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@functools.cache
def dump(case: str, database: str | None = None) -> Schema:
    return pgdrift.load(FIXTURES / case / "dump.sql", database=database)


def prod() -> Schema:
    return dump("liveconvo/prod")


def crm() -> Schema:
    """Every object kind, in schema crm (the comments fixture)."""
    return dump("comments")


def failure(check: Callable[[], object]) -> str:
    with pytest.raises(AssertionError) as info:
        check()
    return str(info.value)


# -- Each assertion: a passing case and a failing case with its exact message ------------------

PASSING = [
    pytest.param(lambda: t.assert_exists(prod(), "table", "user_referrals"), id="exists-table"),
    pytest.param(lambda: t.assert_exists(crm(), "view", "crm.customers"), id="exists-view"),
    pytest.param(
        lambda: t.assert_exists(crm(), "materialized_view", "crm.stage_counts"), id="exists-matview"
    ),
    pytest.param(lambda: t.assert_exists(crm(), "sequence", "crm.ticket_numbers"), id="exists-seq"),
    pytest.param(
        lambda: t.assert_exists(crm(), "procedure", "crm.purge_churned"), id="exists-proc"
    ),
    pytest.param(lambda: t.assert_exists(crm(), "type", "crm.postal"), id="exists-any-type"),
    pytest.param(lambda: t.assert_exists(crm(), "domain", "crm.score"), id="exists-domain"),
    pytest.param(lambda: t.assert_exists(crm(), "schema", "crm"), id="exists-schema"),
    pytest.param(lambda: t.assert_exists(crm(), "extension", "citext"), id="exists-extension"),
    pytest.param(
        lambda: t.assert_exists(
            prod(), "function", "process_referral_code(text, uuid, inet, text)"
        ),
        id="exists-function-signature",
    ),
    pytest.param(lambda: t.assert_not_exists(prod(), "table", "custom_reports"), id="not-exists"),
    pytest.param(
        lambda: t.assert_objects_are(
            prod(),
            "table",
            ["users", "subscriptions", "sessions", "user_referrals", "referral_fraud_checks"],
        ),
        id="objects-are-tables",
    ),
    pytest.param(
        lambda: t.assert_objects_are(crm(), "type", ["stage", "postal", "score"], in_schema="crm"),
        id="objects-are-types",
    ),
    pytest.param(
        lambda: t.assert_objects_are(crm(), "extension", ["citext"]), id="objects-are-ext"
    ),
    pytest.param(lambda: t.assert_owner(prod(), "table", "users", "postgres"), id="owner"),
    pytest.param(lambda: t.assert_column_exists(prod(), "users", "email"), id="column-exists"),
    pytest.param(
        lambda: t.assert_no_column(prod(), "user_referrals", "referrer_id"), id="no-column"
    ),
    pytest.param(
        lambda: t.assert_columns_are(
            prod(),
            "referral_fraud_checks",
            [
                "id",
                "user_id",
                "device_id",
                "ip_address",
                "card_fingerprint",
                "check_type",
                "flagged",
                "created_at",
            ],
        ),
        id="columns-are",
    ),
    pytest.param(
        lambda: t.assert_column_type(prod(), "user_referrals", "referral_code", "varchar(10)"),
        id="column-type",
    ),
    pytest.param(lambda: t.assert_column_not_null(prod(), "users", "email"), id="not-null"),
    pytest.param(lambda: t.assert_column_nullable(prod(), "users", "full_name"), id="nullable"),
    pytest.param(lambda: t.assert_column_has_default(prod(), "users", "id"), id="has-default"),
    pytest.param(lambda: t.assert_column_no_default(prod(), "users", "email"), id="no-default"),
    pytest.param(
        lambda: t.assert_column_default(prod(), "users", "created_at", "now()"), id="default"
    ),
    pytest.param(lambda: t.assert_primary_key(prod(), "users"), id="has-primary-key"),
    pytest.param(lambda: t.assert_primary_key(prod(), "users", "id"), id="primary-key-columns"),
    pytest.param(
        lambda: t.assert_no_primary_key(dump("partitions"), "public.readings"), id="no-pk"
    ),
    pytest.param(
        lambda: t.assert_foreign_key(
            prod(), "user_referrals", "referrer_user_id", "users", "id", on_delete="cascade"
        ),
        id="foreign-key",
    ),
    pytest.param(lambda: t.assert_no_foreign_key(prod(), "sessions", "id"), id="no-foreign-key"),
    pytest.param(lambda: t.assert_unique(prod(), "users", "email"), id="unique"),
    pytest.param(lambda: t.assert_check(prod(), "subscriptions", "amount_cents >= 0"), id="check"),
    pytest.param(
        lambda: t.assert_check(prod(), "users", name="users_role_check", column="role"),
        id="check-by-name-and-column",
    ),
    pytest.param(
        lambda: t.assert_index(
            prod(),
            "users",
            "idx_users_active_email",
            columns="lower(email::text)",
            unique=False,
            method="btree",
            partial=True,
            where="deleted_at IS NULL",
        ),
        id="index",
    ),
    pytest.param(lambda: t.assert_no_index(prod(), "users", "idx_users_email"), id="no-index"),
    pytest.param(lambda: t.assert_indexed(prod(), "sessions", "user_id"), id="indexed"),
    pytest.param(
        lambda: t.assert_indexes_are(
            prod(), "sessions", ["sessions_pkey", "idx_sessions_user_id", "idx_sessions_created_at"]
        ),
        id="indexes-are",
    ),
    pytest.param(
        lambda: t.assert_function(
            prod(),
            "process_referral_code",
            ["text", "uuid", "inet", "text"],
            returns="jsonb",
            language="plpgsql",
            security_definer=True,
            volatility="volatile",
            strict=False,
        ),
        id="function",
    ),
    pytest.param(
        lambda: t.assert_trigger(
            prod(),
            "users",
            "on_user_created_referral",
            function="handle_new_user_referral",
            timing="after",
            events=["insert"],
            for_each_row=True,
        ),
        id="trigger",
    ),
    pytest.param(lambda: t.assert_no_trigger(prod(), "users", "on_user_created"), id="no-trigger"),
    pytest.param(
        lambda: t.assert_triggers_are(prod(), "users", ["on_user_created_referral"]),
        id="triggers-are",
    ),
    pytest.param(
        lambda: t.assert_enum_labels(
            prod(), "referral_status", ["pending", "completed", "rewarded", "expired"]
        ),
        id="enum-labels",
    ),
    pytest.param(
        lambda: t.assert_domain(
            crm(),
            "crm.score",
            base_type="int4",
            not_null=False,
            checks=["VALUE >= 0 AND VALUE <= 100"],
        ),
        id="domain",
    ),
    pytest.param(lambda: t.assert_rls_enabled(prod(), "users", forced=False), id="rls-enabled"),
    pytest.param(
        lambda: t.assert_rls_enabled(dump("policies"), "documents", forced=True), id="rls-forced"
    ),
    pytest.param(
        lambda: t.assert_rls_disabled(dump("policies"), "organizations"), id="rls-disabled"
    ),
    pytest.param(
        lambda: t.assert_policies_are(
            prod(), "users", ["Users can view own profile", "Users can update own profile"]
        ),
        id="policies-are",
    ),
    pytest.param(
        lambda: t.assert_policy(
            prod(),
            "users",
            "Users can update own profile",
            command="update",
            roles=["authenticated"],
            permissive=True,
            # As pg_dump prints it: PostgreSQL stored the literals with their resolved types.
            using="id = (current_setting('request.jwt.claims'::text, true)::jsonb"
            " ->> 'sub'::text)::uuid",
        ),
        id="policy",
    ),
    pytest.param(
        lambda: t.assert_privilege(prod(), "table", "users", "authenticated", ["select", "update"]),
        id="privilege",
    ),
    pytest.param(
        lambda: t.assert_no_privilege(prod(), "table", "users", "authenticated", "delete"),
        id="no-privilege",
    ),
    pytest.param(
        lambda: t.assert_privileges_are(prod(), "table", "sessions", "service_role", "ALL"),
        id="privileges-are",
    ),
    pytest.param(lambda: t.assert_no_drift(prod(), dump("liveconvo/prod")), id="no-drift"),
]


@pytest.mark.parametrize("check", PASSING)
def test_assertion_passes_when_the_dump_agrees(check: Callable[[], None]) -> None:
    check()


FAILING = [
    pytest.param(
        lambda: t.assert_exists(prod(), "table", "user_referral"),
        'no table "public.user_referral"; did you mean "public.user_referrals"?',
        id="exists-near-miss",
    ),
    pytest.param(
        lambda: t.assert_exists(crm(), "table", "crm.customers"),
        'no table "crm.customers"; crm.customers is a view',
        id="exists-other-kind",
    ),
    pytest.param(
        lambda: t.assert_exists(prod(), "function", "process_referral_codes"),
        'no function "public.process_referral_codes"; did you mean "public.process_referral_code"?',
        id="exists-function-near-miss",
    ),
    pytest.param(
        lambda: t.assert_exists(prod(), "extension", "pgcrypto"),
        'no extension "pgcrypto"',
        id="exists-nothing-close",
    ),
    pytest.param(
        lambda: t.assert_not_exists(prod(), "enum", "referral_status"),
        'expected no enum "public.referral_status", found enum public.referral_status',
        id="not-exists",
    ),
    pytest.param(
        lambda: t.assert_objects_are(prod(), "table", ["users", "sessions", "custom_reports"]),
        'tables in schema public: missing "custom_reports"; unexpected "referral_fraud_checks", '
        '"subscriptions", "user_referrals"',
        id="objects-are",
    ),
    pytest.param(
        lambda: t.assert_objects_are(prod(), "function", ["generate_referral_code"]),
        'functions in schema public: unexpected "check_referral_limits", '
        '"handle_new_user_referral", "process_referral_code"',
        id="objects-are-functions",
    ),
    pytest.param(
        lambda: t.assert_owner(prod(), "function", "generate_referral_code", "supabase_admin"),
        "function public.generate_referral_code(uuid): expected OWNER supabase_admin, "
        "found OWNER postgres",
        id="owner",
    ),
    pytest.param(
        lambda: t.assert_column_exists(prod(), "user_referrals", "referrer_id"),
        'no column "referrer_id" in public.user_referrals; did you mean "referrer_user_id"?',
        id="column-near-miss",
    ),
    pytest.param(
        lambda: t.assert_column_exists(prod(), "user_referral", "referrer_id"),
        'no table "public.user_referral"; did you mean "public.user_referrals"?',
        id="column-table-near-miss",
    ),
    pytest.param(
        lambda: t.assert_no_column(prod(), "users", "email"),
        'expected no column "email" in public.users, found one',
        id="no-column",
    ),
    pytest.param(
        lambda: t.assert_columns_are(
            prod(),
            "referral_fraud_checks",
            [
                "id",
                "user_id",
                "device_id",
                "ip_address",
                "card_fingerprint",
                "check_type",
                "flagged",
                "created_at",
                "updated_at",
            ],
        ),
        'columns of public.referral_fraud_checks: missing "updated_at"',
        id="columns-are",
    ),
    pytest.param(
        lambda: t.assert_column_type(prod(), "user_referrals", "device_id", "varchar(255)"),
        "public.user_referrals.device_id: expected type character varying(255), found type text",
        id="column-type",
    ),
    pytest.param(
        lambda: t.assert_column_not_null(prod(), "user_referrals", "referee_user_id"),
        "public.user_referrals.referee_user_id: expected NOT NULL, found nullable",
        id="not-null",
    ),
    pytest.param(
        lambda: t.assert_column_nullable(prod(), "users", "email"),
        "public.users.email: expected nullable, found NOT NULL",
        id="nullable",
    ),
    pytest.param(
        lambda: t.assert_column_has_default(prod(), "user_referrals", "id"),
        "public.user_referrals.id: expected a DEFAULT, found no default",
        id="has-default",
    ),
    pytest.param(
        lambda: t.assert_column_no_default(prod(), "users", "timezone"),
        "public.users.timezone: expected no default, found DEFAULT 'UTC'::text",
        id="no-default",
    ),
    pytest.param(
        lambda: t.assert_column_default(prod(), "user_referrals", "status", "'completed'"),
        "public.user_referrals.status: expected DEFAULT 'completed', "
        "found DEFAULT 'pending'::public.referral_status",
        id="default",
    ),
    pytest.param(
        lambda: t.assert_primary_key(prod(), "user_referrals", ["id", "referral_code"]),
        "public.user_referrals: expected PRIMARY KEY (id, referral_code), "
        "found PRIMARY KEY (id) (user_referrals_pkey)",
        id="primary-key",
    ),
    pytest.param(
        lambda: t.assert_primary_key(dump("partitions"), "readings"),
        "public.readings: expected a PRIMARY KEY, found no primary key",
        id="has-primary-key",
    ),
    pytest.param(
        lambda: t.assert_no_primary_key(prod(), "users"),
        "public.users: expected no primary key, found PRIMARY KEY (id) (users_pkey)",
        id="no-primary-key",
    ),
    pytest.param(
        lambda: t.assert_foreign_key(prod(), "user_referrals", "referrer_user_id", "sessions"),
        "public.user_referrals (referrer_user_id): expected REFERENCES public.sessions, "
        "found REFERENCES public.users",
        id="foreign-key-target",
    ),
    pytest.param(
        lambda: t.assert_foreign_key(
            prod(),
            "user_referrals",
            "referee_user_id",
            "users",
            "id",
            on_delete="cascade",
            on_update="cascade",
        ),
        "public.user_referrals (referee_user_id): expected ON DELETE CASCADE, "
        "found ON DELETE SET NULL; expected ON UPDATE CASCADE, found ON UPDATE NO ACTION",
        id="foreign-key-actions",
    ),
    pytest.param(
        lambda: t.assert_foreign_key(prod(), "user_referrals", "referral_code"),
        "public.user_referrals: expected FOREIGN KEY (referral_code), found "
        "user_referrals_referee_user_id_fkey FOREIGN KEY (referee_user_id) REFERENCES "
        "public.users(id) ON DELETE SET NULL; user_referrals_referrer_user_id_fkey FOREIGN KEY "
        "(referrer_user_id) REFERENCES public.users(id) ON DELETE CASCADE",
        id="foreign-key-missing",
    ),
    pytest.param(
        lambda: t.assert_foreign_key(prod(), "user_referrals", "referrer_id", "users"),
        'no column "referrer_id" in public.user_referrals; did you mean "referrer_user_id"?',
        id="foreign-key-column-near-miss",
    ),
    pytest.param(
        lambda: t.assert_no_foreign_key(prod(), "sessions"),
        "public.sessions: expected no foreign key, found FOREIGN KEY (user_id) REFERENCES "
        "public.users(id) ON DELETE CASCADE",
        id="no-foreign-key",
    ),
    pytest.param(
        lambda: t.assert_unique(prod(), "user_referrals", "referral_code"),
        "public.user_referrals: expected UNIQUE (referral_code), found unique keys "
        "user_referrals_pkey (id); user_referrals_referee_user_id_key (referee_user_id)",
        id="unique",
    ),
    pytest.param(
        lambda: t.assert_check(prod(), "subscriptions", "amount_cents > 0"),
        "public.subscriptions: expected CHECK (amount_cents > 0), found "
        "subscriptions_amount_cents_check CHECK (amount_cents >= 0); subscriptions_status_check "
        "CHECK (status::text = ANY(ARRAY['trialing'::text, 'active'::text, 'past_due'::text, "
        "'canceled'::text, 'incomplete'::text, 'unpaid'::text]))",
        id="check",
    ),
    pytest.param(
        lambda: t.assert_check(prod(), "users", name="users_role_chk"),
        'no check constraint "users_role_chk" on public.users; did you mean "users_role_check"?',
        id="check-name-near-miss",
    ),
    pytest.param(
        lambda: t.assert_check(prod(), "sessions", column="title"),
        'public.sessions: expected a CHECK on column "title", found sessions_status_check '
        "CHECK (status::text = ANY(ARRAY['draft'::text, 'active'::text, 'completed'::text, "
        "'archived'::text]))",
        id="check-column",
    ),
    pytest.param(
        lambda: t.assert_index(
            prod(),
            "users",
            "idx_users_active_email",
            columns="email",
            unique=True,
            method="gin",
            partial=False,
        ),
        "index idx_users_active_email on public.users: expected key (email), found key "
        "(lower(email::text)); expected UNIQUE, found not unique; expected USING gin, found "
        "USING btree; expected no WHERE, found WHERE deleted_at IS NULL",
        id="index",
    ),
    pytest.param(
        lambda: t.assert_index(prod(), "users", "idx_users_created", method="btree"),
        'no index "idx_users_created" on public.users; did you mean "idx_users_created_at"?',
        id="index-near-miss",
    ),
    pytest.param(
        lambda: t.assert_index(prod(), "users", "idx_sessions_user_id"),
        "index public.idx_sessions_user_id is on public.sessions, not public.users",
        id="index-other-table",
    ),
    pytest.param(
        lambda: t.assert_no_index(prod(), "users", "users_pkey"),
        'expected no index "users_pkey" on public.users, found one',
        id="no-index",
    ),
    pytest.param(
        lambda: t.assert_indexed(prod(), "subscriptions", ["user_id", "status"]),
        "public.subscriptions: expected an index on (user_id, status), found indexes "
        "idx_subscriptions_status (status); idx_subscriptions_user_id (user_id); "
        "subscriptions_pkey (id); subscriptions_stripe_subscription_id_key "
        "(stripe_subscription_id)",
        id="indexed",
    ),
    pytest.param(
        lambda: t.assert_indexes_are(prod(), "sessions", ["sessions_pkey"]),
        'indexes of public.sessions: unexpected "idx_sessions_created_at", "idx_sessions_user_id"',
        id="indexes-are",
    ),
    pytest.param(
        lambda: t.assert_function(
            prod(),
            "generate_referral_code(uuid)",
            returns="varchar(10)",
            language="sql",
            security_definer=True,
            volatility="stable",
            strict=True,
        ),
        "public.generate_referral_code(uuid): expected RETURNS character varying, found "
        "RETURNS text; expected LANGUAGE sql, found LANGUAGE plpgsql; expected SECURITY DEFINER, "
        "found SECURITY INVOKER; expected STABLE, found VOLATILE; expected STRICT, found CALLED "
        "ON NULL INPUT",
        id="function",
    ),
    pytest.param(
        lambda: t.assert_function(prod(), "process_referral_code", ["text", "uuid"]),
        'no function "public.process_referral_code(text, uuid)"; found '
        "public.process_referral_code(text, uuid, inet, text)",
        id="function-signature",
    ),
    pytest.param(
        lambda: t.assert_function(prod(), "generate_referal_code"),
        'no function "public.generate_referal_code"; did you mean "public.generate_referral_code"?',
        id="function-near-miss",
    ),
    pytest.param(
        lambda: t.assert_trigger(
            prod(),
            "users",
            "on_user_created_referral",
            function="generate_referral_code",
            timing="before",
            events=["insert", "update"],
            for_each_row=False,
        ),
        "trigger on_user_created_referral on public.users: expected EXECUTE FUNCTION "
        "public.generate_referral_code(), found EXECUTE FUNCTION "
        "public.handle_new_user_referral(); expected BEFORE, found AFTER; expected INSERT OR "
        "UPDATE, found INSERT; expected FOR EACH STATEMENT, found FOR EACH ROW",
        id="trigger",
    ),
    pytest.param(
        lambda: t.assert_trigger(prod(), "users", "on_user_created"),
        'no trigger "on_user_created" on public.users; did you mean "on_user_created_referral"?',
        id="trigger-near-miss",
    ),
    pytest.param(
        lambda: t.assert_no_trigger(prod(), "users", "on_user_created_referral"),
        'expected no trigger "on_user_created_referral" on public.users, found one',
        id="no-trigger",
    ),
    pytest.param(
        lambda: t.assert_triggers_are(prod(), "users", []),
        'triggers of public.users: unexpected "on_user_created_referral"',
        id="triggers-are",
    ),
    pytest.param(
        lambda: t.assert_enum_labels(
            prod(), "referral_status", ["pending", "rewarded", "completed", "expired"]
        ),
        "enum public.referral_status: expected labels 'pending', 'rewarded', 'completed', "
        "'expired', found 'pending', 'completed', 'rewarded', 'expired' (the same labels in "
        "another order)",
        id="enum-order",
    ),
    pytest.param(
        lambda: t.assert_enum_labels(prod(), "referral_event_type", ["created"]),
        'no enum "public.referral_event_type"; did you mean "public.referral_status"?',
        id="enum-near-miss",
    ),
    pytest.param(
        lambda: t.assert_domain(
            crm(),
            "crm.score",
            base_type="bigint",
            not_null=True,
            default="0",
            checks=["VALUE BETWEEN 0 AND 100"],
        ),
        "domain crm.score: expected type bigint, found type integer; expected NOT NULL, found "
        "nullable; expected DEFAULT 0, found no default; expected CHECK (value BETWEEN 0 AND 100), "
        "found CHECK (value >= 0 AND value <= 100)",
        id="domain",
    ),
    pytest.param(
        lambda: t.assert_rls_enabled(dump("policies"), "organizations"),
        "public.organizations: expected ROW LEVEL SECURITY enabled, found disabled",
        id="rls-enabled",
    ),
    pytest.param(
        lambda: t.assert_rls_enabled(prod(), "users", forced=True),
        "public.users: expected FORCE ROW LEVEL SECURITY, found NO FORCE ROW LEVEL SECURITY",
        id="rls-forced",
    ),
    pytest.param(
        lambda: t.assert_rls_disabled(prod(), "users"),
        "public.users: expected ROW LEVEL SECURITY disabled, found enabled",
        id="rls-disabled",
    ),
    pytest.param(
        lambda: t.assert_policies_are(prod(), "sessions", ["Users can view own sessions"]),
        'policies of public.sessions: missing "Users can view own sessions"; unexpected '
        '"Users can manage own sessions"',
        id="policies-are",
    ),
    pytest.param(
        lambda: t.assert_policy(
            prod(),
            "users",
            "Users can view own profile",
            command="all",
            roles=["authenticated", "anon"],
            permissive=False,
            using="true",
            with_check="true",
        ),
        "policy Users can view own profile on public.users: expected FOR ALL, found FOR SELECT; "
        "expected TO anon, authenticated, found TO authenticated; expected AS RESTRICTIVE, found "
        "AS PERMISSIVE; expected USING (TRUE), found USING (id = (current_setting("
        "'request.jwt.claims'::text, TRUE)::jsonb ->> 'sub'::text)::uuid); expected WITH CHECK "
        "(TRUE), found no WITH CHECK",
        id="policy",
    ),
    pytest.param(
        lambda: t.assert_policy(prod(), "users", "Users can view own profiles"),
        'no policy "Users can view own profiles" on public.users; did you mean '
        '"Users can view own profile"?',
        id="policy-near-miss",
    ),
    pytest.param(
        lambda: t.assert_privilege(prod(), "table", "users", "authenticated", "ALL"),
        "table public.users: expected authenticated to hold DELETE, INSERT, REFERENCES, TRIGGER, "
        "TRUNCATE, found authenticated holds SELECT, UPDATE",
        id="privilege",
    ),
    pytest.param(
        lambda: t.assert_privilege(prod(), "table", "users", "anon", "SELECT"),
        "table public.users: expected anon to hold SELECT, found anon holds nothing",
        id="privilege-none",
    ),
    pytest.param(
        lambda: t.assert_privilege(prod(), "table", "users", "authenticate", "SELECT"),
        'no privileges for role "authenticate" on table public.users; did you mean '
        '"authenticated"?',
        id="privilege-role-near-miss",
    ),
    pytest.param(
        lambda: t.assert_no_privilege(
            prod(), "function", "process_referral_code", "anon", "EXECUTE"
        ),
        "function public.process_referral_code(text, uuid, inet, text): expected anon not to "
        "hold EXECUTE, found EXECUTE granted to PUBLIC",
        id="no-privilege-through-public",
    ),
    pytest.param(
        lambda: t.assert_privileges_are(prod(), "table", "users", "authenticated", ["SELECT"]),
        "table public.users: expected authenticated to be granted SELECT, found SELECT, UPDATE",
        id="privileges-are",
    ),
]


@pytest.mark.parametrize(("check", "message"), FAILING)
def test_assertion_fails_with_expected_found_and_near_miss(
    check: Callable[[], None], message: str
) -> None:
    assert failure(check) == message


# -- Canonical comparison -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["varchar(255)", "character varying(255)", "pg_catalog.varchar(255)", "VARCHAR(255)"],
)
def test_column_type_is_compared_canonically(spelling: str) -> None:
    t.assert_column_type(prod(), "users", "email", spelling)


def test_unqualified_user_type_means_the_public_one() -> None:
    t.assert_column_type(prod(), "user_referrals", "status", "referral_status")


@pytest.mark.parametrize(
    ("column", "default"),
    [
        # pg_dump prints the cast PostgreSQL added when it stored each literal.
        ("timezone", "'UTC'"),  # 'UTC'::text
        ("locale", "'en'"),  # 'en'::character varying, though the column is varchar(10)
        ("role", "'user'::varchar"),
        ("created_at", "CURRENT_TIMESTAMP"),  # now()
        ("referral_credits", "0"),
        ("is_active", "true"),
    ],
)
def test_column_default_accepts_what_postgresql_stores_for_it(column: str, default: str) -> None:
    t.assert_column_default(prod(), "users", column, default)


def test_column_default_on_an_enum_column_needs_no_cast() -> None:
    t.assert_column_default(prod(), "user_referrals", "status", "'pending'")


def test_currency_default_matches_bpchar_cast_of_a_char_column() -> None:
    # character(3) stores DEFAULT 'usd' as 'usd'::bpchar (a cast to character without length).
    t.assert_column_default(prod(), "subscriptions", "currency", "'usd'")


def test_function_signature_types_are_compared_canonically() -> None:
    t.assert_function(prod(), "public.check_referral_limits(uuid, pg_catalog.inet, text)")
    t.assert_exists(dump("routines"), "function", "add(int4, pg_catalog.int4)")
    t.assert_function(dump("routines"), "add", ["numeric", "decimal"])


def test_overloaded_function_needs_argument_types_to_check_properties() -> None:
    schema = pgdrift.loads(
        "CREATE FUNCTION public.f(a integer) RETURNS integer LANGUAGE sql AS 'select 1';\n"
        "CREATE FUNCTION public.f(a text) RETURNS integer LANGUAGE sql AS 'select 1';\n"
    )
    t.assert_function(schema, "f")
    assert failure(lambda: t.assert_function(schema, "f", returns="integer")) == (
        'function "public.f" is overloaded (public.f(integer), public.f(text)); '
        "give its argument types"
    )
    t.assert_function(schema, "f", ["text"], returns="int4")


def test_procedure_passes_for_assert_function_but_returns_nothing() -> None:
    t.assert_function(crm(), "crm.purge_churned", [], language="sql")
    assert failure(lambda: t.assert_function(crm(), "crm.purge_churned", returns="void")) == (
        "crm.purge_churned(): expected RETURNS void, found no result (a procedure)"
    )


# -- Indexes, keys and the constraint indexes behind them -----------------------------------------


def test_primary_key_and_unique_constraints_count_as_indexes() -> None:
    t.assert_index(prod(), "users", "users_pkey", columns="id", unique=True, method="btree")
    t.assert_indexed(prod(), "users", "referral_code")


def test_unique_index_makes_columns_unique_in_any_order() -> None:
    schema = dump("indexes")
    t.assert_unique(schema, "documents", ["slug", "owner_id"])
    t.assert_index(schema, "documents", "documents_slug_hash_idx", method="hash")


def test_partial_unique_index_does_not_make_columns_unique() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.t (a integer, gone boolean);\n"
        "CREATE UNIQUE INDEX t_a ON public.t USING btree (a) WHERE (NOT gone);\n"
    )
    assert failure(lambda: t.assert_unique(schema, "t", "a")) == (
        "public.t: expected UNIQUE (a), found no unique key"
    )


def test_index_names_are_looked_up_in_the_table_schema() -> None:
    t.assert_index(crm(), "crm.contacts", "contacts_stage_idx", columns=["stage"])


# -- Privileges -----------------------------------------------------------------------------------


def test_privilege_granted_to_public_is_held_by_every_role() -> None:
    t.assert_privilege(prod(), "function", "generate_referral_code", "anon", "EXECUTE")


def test_privilege_is_inherited_from_a_role_membership_in_a_dumpall() -> None:
    inventory = dump("dumpall", "inventory")
    # alice is a member of reporting (INHERIT); bob too, but NOINHERIT; postgres is superuser.
    t.assert_privilege(inventory, "view", "low_stock", "alice", "SELECT")
    t.assert_privilege(inventory, "view", "low_stock", "postgres", "SELECT")
    assert failure(lambda: t.assert_privilege(inventory, "view", "low_stock", "bob", "SELECT")) == (
        "view public.low_stock: expected bob to hold SELECT, found bob holds nothing"
    )
    assert failure(
        lambda: t.assert_no_privilege(inventory, "view", "low_stock", "alice", "SELECT")
    ) == (
        # alice owns the view, and is a member of reporting.
        "view public.low_stock: expected alice not to hold SELECT, found SELECT granted to "
        "alice; SELECT granted to reporting"
    )
    assert failure(
        lambda: t.assert_no_privilege(inventory, "view", "low_stock", "postgres", "DELETE")
    ) == (
        "view public.low_stock: expected postgres not to hold DELETE, found postgres is a superuser"
    )


def test_grant_all_means_every_privilege_of_the_kind() -> None:
    t.assert_privileges_are(prod(), "table", "users", "service_role", "ALL")
    t.assert_privileges_are(crm(), "sequence", "crm.ticket_numbers", "postgres", "ALL")
    t.assert_privileges_are(prod(), "table", "users", "anon", [])


def test_grant_all_on_an_aggregate_means_execute() -> None:
    # ALL is what pgdrift.pg.privileges says the kind has; aggregates were missing from a copy,
    # so ALL meant nothing for them and these assertions answered wrongly.
    s = pgdrift.loads("CREATE AGGREGATE public.agg(integer) (SFUNC = int4pl, STYPE = integer);")
    t.assert_privileges_are(s, "aggregate", "agg(integer)", "PUBLIC", "ALL")
    with pytest.raises(AssertionError, match="expected nobody not to hold EXECUTE"):
        t.assert_no_privilege(s, "aggregate", "agg(integer)", "nobody", "ALL")


# -- Mistakes in the test are not assertion failures ----------------------------------------------


def test_a_type_that_does_not_parse_is_a_parse_error() -> None:
    with pytest.raises(pgdrift.ParseError, match="not a type"):
        t.assert_column_type(prod(), "users", "email", "varchar(")


def test_an_unknown_kind_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown kind 'tabel'"):
        t.assert_exists(prod(), "tabel", "users")


# -- Drift ----------------------------------------------------------------------------------------


def test_no_drift_raises_drift_error_with_changes_and_report() -> None:
    dev = FIXTURES / "liveconvo/dev/dump.sql"
    with pytest.raises(t.DriftError) as info:
        t.assert_no_drift(dev, prod(), include="public.users*")
    assert isinstance(info.value, AssertionError)
    assert [str(c.id) for c in info.value.changes] == [
        "trigger:public.users.on_user_created",
        "trigger:public.users.on_user_created_generate_referral_code",
        "trigger:public.users.on_user_created_referral",
    ]
    assert str(info.value).splitlines() == [
        f"3 differences between {dev} and {prod().source}: 1 created, 2 dropped",
        "by kind: 3 triggers",
        f"only in {dev}: triggers public.users.on_user_created, "
        "public.users.on_user_created_generate_referral_code",
        f"only in {prod().source}: trigger public.users.on_user_created_referral",
        "public.users",
        "  - trigger on_user_created",
        "  - trigger on_user_created_generate_referral_code",
        "  + trigger on_user_created_referral",
    ]


def test_no_drift_passes_diff_options_through() -> None:
    dev = dump("liveconvo/dev")
    t.assert_no_drift(dev, prod(), include=["public.sessions", "public.subscriptions"])


# -- The fluent chain -----------------------------------------------------------------------------


def test_chain_pins_many_facts_about_one_table() -> None:
    (
        t.expect(prod())
        .table("user_referrals")
        .has_primary_key("id")
        .has_foreign_key("referrer_user_id", "users", "id", on_delete="cascade")
        .is_indexed("referral_code")
        .has_rls_enabled()
        .column("referral_code")
        .has_type("varchar(10)")
        .is_not_null()
        .has_no_default()
        .column("status")
        .has_type("referral_status")
        .has_default("'pending'")
        .is_nullable()
    )


@pytest.mark.parametrize(
    ("chain", "function"),
    [
        (
            lambda: t.expect(prod()).table("users").column("email").has_type("text"),
            lambda: t.assert_column_type(prod(), "users", "email", "text"),
        ),
        (
            lambda: t.expect(prod()).table("users").has_policy("x", command="all"),
            lambda: t.assert_policy(prod(), "users", "x", command="all"),
        ),
        (
            lambda: t.expect(prod()).table("users").grants("anon", "SELECT"),
            lambda: t.assert_privilege(prod(), "table", "users", "anon", "SELECT"),
        ),
        (
            lambda: t.expect(prod()).enum("referral_status", []),
            lambda: t.assert_enum_labels(prod(), "referral_status", []),
        ),
        (
            lambda: t.expect(prod()).table("user_referrals").column("referrer_id"),
            lambda: t.assert_column_exists(prod(), "user_referrals", "referrer_id"),
        ),
    ],
)
def test_chain_fails_with_the_message_of_the_function(
    chain: Callable[[], object], function: Callable[[], None]
) -> None:
    assert failure(chain) == failure(function)


# -- The documentation's examples -----------------------------------------------------------------


def documented_examples() -> list[str]:
    """The example call of every assertion in docs/testing.md's tables."""
    docs = (FIXTURES.parent / "docs" / "testing.md").read_text(encoding="utf-8")
    examples = []
    for line in docs.splitlines():
        cells = line.split(" | ")
        if line.startswith("| `assert_") and len(cells) >= 2:
            examples.append(cells[1].split("`")[1])
    return examples


def test_every_assertion_is_documented_with_an_example() -> None:
    documented = {example.split("(")[0] for example in documented_examples()}
    assertions = {name for name in t.__all__ if name.startswith("assert_")}
    # assert_no_drift has a section of its own, with its failure output.
    assert documented == assertions - {"assert_no_drift"}


@pytest.mark.parametrize("example", documented_examples())
def test_documented_example_passes(example: str) -> None:
    schema = crm() if "crm." in example else prod()
    namespace = {name: getattr(t, name) for name in t.__all__}
    eval(example, {**namespace, "schema": schema})


# -- The package's public face --------------------------------------------------------------------


def test_every_public_name_is_exported_through_all() -> None:
    # The assertions live in private modules; __init__ is the one place users import them from.
    public = {
        name
        for name, value in vars(t).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert public - {"annotations"} == set(t.__all__)
    assert all(getattr(t, name) is not None for name in t.__all__)


def test_drift_error_is_named_where_it_is_imported_from() -> None:
    # A failing test prints the exception's module and name; users import it from here.
    assert f"{t.DriftError.__module__}.{t.DriftError.__qualname__}" == "pgdrift.testing.DriftError"
