"""What LiveConvo's production schema must look like, checked against the committed dump.

This is how a team would use pgdrift instead of pgTAP: no database, just ``pg_dump
--schema-only`` output in the repository and ``pytest``. ``pytest.ini`` next to this file points
the ``pgdrift_schema`` fixture at the dump.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pgdrift import Schema
from pgdrift.testing import (
    assert_column_default,
    assert_column_type,
    assert_enum_labels,
    assert_foreign_key,
    assert_function,
    assert_index,
    assert_no_drift,
    assert_no_privilege,
    assert_not_exists,
    assert_objects_are,
    assert_policies_are,
    assert_policy,
    assert_privilege,
    assert_rls_enabled,
    assert_trigger,
    expect,
)

# Found from this file, so the suite runs from any directory.
DEV_DUMP = Path(__file__).resolve().parent.parent / "fixtures/liveconvo/dev/dump.sql"
TABLES = ["users", "subscriptions", "sessions", "user_referrals", "referral_fraud_checks"]


def test_public_schema_holds_exactly_our_tables(pgdrift_schema: Schema) -> None:
    assert_objects_are(pgdrift_schema, "table", TABLES)


def test_dev_only_tables_never_reached_prod(pgdrift_schema: Schema) -> None:
    for table in ("custom_reports", "email_notifications", "user_preferences"):
        assert_not_exists(pgdrift_schema, "table", table)


def test_referral_codes_are_short_and_required(pgdrift_schema: Schema) -> None:
    (
        expect(pgdrift_schema)
        .table("user_referrals")
        .column("referral_code")
        .has_type("varchar(10)")
        .is_not_null()
        .has_no_default()
    )
    # users.referral_code is filled in by a trigger after insert, so it may be NULL at first.
    users = expect(pgdrift_schema).table("users")
    users.column("referral_code").has_type("varchar(10)").is_nullable().is_unique()


def test_referral_status_labels_in_lifecycle_order(pgdrift_schema: Schema) -> None:
    assert_enum_labels(
        pgdrift_schema, "referral_status", ["pending", "completed", "rewarded", "expired"]
    )
    assert_column_type(pgdrift_schema, "user_referrals", "status", "referral_status")
    assert_column_default(pgdrift_schema, "user_referrals", "status", "'pending'")


@pytest.mark.parametrize(
    ("table", "column", "on_delete"),
    [
        ("subscriptions", "user_id", "cascade"),
        ("sessions", "user_id", "cascade"),
        ("user_referrals", "referrer_user_id", "cascade"),
        ("user_referrals", "referee_user_id", "set null"),
        ("referral_fraud_checks", "user_id", "set null"),
        ("users", "referred_by_user_id", "set null"),
    ],
)
def test_user_references_say_what_happens_when_a_user_is_deleted(
    pgdrift_schema: Schema, table: str, column: str, on_delete: str
) -> None:
    assert_foreign_key(pgdrift_schema, table, column, "users", "id", on_delete=on_delete)


def test_referrals_are_looked_up_by_code_and_referrer(pgdrift_schema: Schema) -> None:
    assert_index(
        pgdrift_schema, "user_referrals", "idx_user_referrals_referral_code",
        columns="referral_code", method="btree",
    )  # fmt: skip
    expect(pgdrift_schema).table("user_referrals").is_indexed("referrer_user_id")


def test_process_referral_code_runs_as_owner_with_a_pinned_search_path(
    pgdrift_schema: Schema,
) -> None:
    signature = "process_referral_code(text, uuid, inet, text)"
    assert_function(
        pgdrift_schema, signature, returns="jsonb", language="plpgsql", security_definer=True
    )
    # SECURITY DEFINER without SET search_path lets a caller's objects shadow ours: the model
    # is there for checks the assertion helpers do not cover.
    assert pgdrift_schema.functions[signature].search_path_pinned
    assert_privilege(pgdrift_schema, "function", signature, "authenticated", "EXECUTE")


def test_new_users_get_a_referral_code_from_a_trigger(pgdrift_schema: Schema) -> None:
    assert_trigger(
        pgdrift_schema, "users", "on_user_created_referral",
        function="handle_new_user_referral", timing="after", events="insert",
        for_each_row=True,
    )  # fmt: skip
    assert_function(pgdrift_schema, "generate_referral_code", ["uuid"], returns="text")


@pytest.mark.parametrize("table", TABLES)
def test_row_level_security_is_on_for_every_table(pgdrift_schema: Schema, table: str) -> None:
    assert_rls_enabled(pgdrift_schema, table)


def test_users_can_only_read_and_update_their_own_profile(pgdrift_schema: Schema) -> None:
    assert_policies_are(
        pgdrift_schema, "users", ["Users can view own profile", "Users can update own profile"]
    )
    assert_policy(
        pgdrift_schema, "users", "Users can view own profile",
        command="select", roles=["authenticated"],
    )  # fmt: skip
    assert_policy(
        pgdrift_schema, "users", "Users can update own profile",
        command="update", roles=["authenticated"],
    )  # fmt: skip


def test_anonymous_callers_cannot_touch_user_data(pgdrift_schema: Schema) -> None:
    for table in ("users", "subscriptions", "sessions"):
        assert_no_privilege(pgdrift_schema, "table", table, "anon", "ALL")
    users = expect(pgdrift_schema).table("users")
    users.grants("authenticated", ["SELECT", "UPDATE"]).does_not_grant("authenticated", "DELETE")


def test_tables_shared_with_dev_are_identical(
    pgdrift_schema: Schema, pgdrift_load: Callable[..., Schema]
) -> None:
    dev = pgdrift_load(DEV_DUMP)
    # The referral triggers on users differ on purpose; everything else of these tables is
    # created by the same DDL on both sides.
    assert_no_drift(
        dev, pgdrift_schema,
        include=["public.users*", "public.subscriptions*", "public.sessions*"],
        exclude_kinds=["trigger"],
    )  # fmt: skip
