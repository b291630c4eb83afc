"""The migration corpus itself: enough pairs, each a real difference of exactly the kind it is
named for, and each direction's migration script committed as a golden file.

These read only the committed dumps (no PostgreSQL), so they run everywhere. A pair whose two
sides compare equal would prove nothing in ``test_migrations.py`` (the empty script would pass),
and a pair whose diff is wrong would be "proven" for the wrong change: both fail here, offline.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from created_names import created_twice
from fixture_pairs import MIGRATIONS, PAIRS, PAIRS_DIR, Migration, Pair, PairError, invert_renames

import pgdrift
from pgdrift.differ import Change, ChangeSet, diff
from pgdrift.renderer import render


@functools.cache
def _load(path: Path) -> pgdrift.Schema:
    return pgdrift.load(path)


@functools.cache
def _changes(pair: Pair) -> ChangeSet:
    return diff(_load(pair.a), _load(pair.b), renames=pair.renames)


def describe(change: Change) -> str:
    """One line naming a change: operation, id (``-> new id`` for a rename) and the attributes
    it touches, sorted: ``alter column:public.posts.status (default, type)``."""
    line = f"{change.operation} {change.id}"
    new_id = getattr(change, "new_id", None)
    if new_id is not None:
        line += f" -> {new_id}"
    fields = sorted({detail.field for detail in change.details})
    return line + (f" ({', '.join(fields)})" if fields else "")


# Every change the diff from A to B must hold, and no other, as describe() writes them. Checked
# by hand against each pair's name and source.sql: a change the name promises that goes missing,
# or one nobody asked for, fails here before a server runs any script. Side effects PostgreSQL
# itself makes belong here too (a serial column's sequence, a new owner's default privileges).
EXPECTED_CHANGES: dict[str, tuple[str, ...]] = {
    "collation_drop_after_column_leaves_it": (
        "alter column:public.posts.headline (collation)",
        "drop collation:public.title_order",
    ),
    "column_add_middle_warns": (
        "create column:public.invoices.currency",
    ),
    "column_add_not_null_default": ("create column:public.posts.status",),
    "column_add_nullable": ("create column:public.posts.subtitle",),
    "column_attribute_options": ("alter column:public.posts.score (options.n_distinct)",),
    "column_collation_change": ("alter column:public.accounts.name (collation)",),
    "column_compression_lz4": ("alter column:public.posts.body (compression)",),
    "column_default_add": ("alter column:public.posts.body (default)",),
    "column_default_change": ("alter column:public.posts.score (default)",),
    "column_default_drop": ("alter column:public.accounts.created_at (default)",),
    "column_default_nextval": (
        "alter column:public.posts.ticket (default)",
        "create sequence:public.ticket_seq",
    ),
    "column_drop": ("drop column:public.posts.legacy_flag",),
    "column_drop_not_null": ("alter column:public.posts.title (not_null)",),
    "column_drop_used_by_partition_policy": (
        "alter policy:public.documents_eu.documents_eu_owner (using)",
        "drop column:public.documents.owner_name",
        "drop column:public.documents_eu.owner_name",
    ),
    "column_drop_used_by_view_and_index": (
        "drop column:public.posts.summary",
        "drop index:public.posts_summary_idx",
        "replace view:public.post_summaries (query)",
    ),
    "column_generated_add": ("create column:public.posts.title_length",),
    "column_generated_and_its_source_go": (
        "alter column:public.lines.tax (generated)",
        "drop column:public.lines.price",
        "drop column:public.lines.qty",
        "drop column:public.lines.total",
    ),
    "column_generated_drop_with_source": (
        "drop column:public.line_items.total_cents",
        "drop column:public.line_items.unit_cents",
    ),
    "column_generated_expression_change": ("alter column:public.posts.title_length (generated)",),
    "column_generated_expression_partitioned": (
        "alter column:public.readings.fahrenheit (generated)",
        "alter column:public.readings_2024.fahrenheit (generated)",
        "alter column:public.readings_2025.fahrenheit (generated)",
        "alter column:public.readings_2025_rest.fahrenheit (generated)",
    ),
    "column_generated_to_plain": ("alter column:public.posts.title_length (generated)",),
    "column_generated_to_plain_source_retyped": (
        "alter column:public.prices.cents (type)",
        "alter column:public.prices.dollars (generated)",
    ),
    "column_identity_add": (
        "alter column:public.accounts.member_no (identity)",
        "create sequence:public.accounts_member_no_seq",
    ),
    "column_serial_add": (
        "create column:public.accounts.legacy_id",
        "create sequence:public.accounts_legacy_id_seq",
    ),
    "column_set_not_null": ("alter column:public.posts.body (not_null)",),
    "column_statistics_target": ("alter column:public.posts.account_id (statistics)",),
    "column_storage_external": ("alter column:public.posts.body (storage)",),
    "column_type_change_both_sides_of_foreign_key": (
        "alter column:public.devices.id (type)",
        "alter column:public.folders.id (type)",
        "alter column:public.folders.parent_id (type)",
        "alter column:public.pings.device_id (type)",
    ),
    "column_type_change_used_as_row_type": (
        "alter column:public.addresses.city (type)",
        "alter column:public.invoices.total (default)",
        "alter column:public.money_amount.amount (type)",
    ),
    "column_type_change_used_by_generated": (
        "alter column:public.boxes.area (type)",
        "alter column:public.boxes.w (type)",
    ),
    "column_type_integer_to_bigint": ("alter column:public.posts.score (type)",),
    "column_type_text_to_enum": (
        "alter column:public.posts.status (default, type)",
        "create enum:public.post_status",
    ),
    "column_type_text_to_integer_using": ("alter column:public.posts.rank (type)",),
    "column_type_text_to_jsonb_with_default": (
        "alter column:public.posts.metadata (default, type)",
    ),
    "column_type_text_to_varchar_unique": ("alter column:public.accounts.email (type)",),
    "column_type_timestamp_to_timestamptz": ("alter column:public.posts.published_at (type)",),
    "column_type_varchar_length": ("alter column:public.accounts.name (type)",),
    "column_type_varchar_to_text": ("alter column:public.posts.title (type)",),
    "comment_change_and_drop": (
        "alter column:public.accounts.name (comment)",
        "alter table:public.accounts (comment)",
    ),
    "comment_on_column": ("alter column:public.posts.score (comment)",),
    "comment_on_constraint_index": (
        "alter constraint:public.accounts.accounts_email_key (comment, index_comment)",
        "alter constraint:public.accounts.accounts_pkey (index_comment)",
    ),
    "comment_on_many_kinds": (
        "alter constraint:public.posts.posts_account_id_fkey (comment)",
        "alter enum:public.mood (comment)",
        "alter function:public.post_count(bigint) (comment)",
        "alter index:public.posts_account_id_idx (comment)",
        "alter policy:public.posts.posts_all (comment)",
        "alter schema:api (comment)",
        "alter sequence:public.posts_id_seq (comment)",
        "alter trigger:public.posts.posts_noop (comment)",
        "alter view:public.post_titles (comment)",
    ),
    "comment_on_matview_column": (
        "alter materialized_view:public.account_post_counts (column_comments)",
    ),
    "comment_on_partitioned_key_index": (
        "alter constraint:public.measurements.measurements_pkey (index_comment)",
        "alter constraint:public.measurements_2024.measurements_2024_pkey (index_comment)",
    ),
    "comment_on_table": ("alter table:public.posts (comment)",),
    "composite_attribute_add_used_by_column": ("create column:public.money_amount.rate",),
    "composite_holding_replaced_enum_column": ("replace enum:public.currency (labels)",),
    "composite_attribute_type_change_used_by_function_view": (
        "alter column:public.money_amount.amount (type)",
    ),
    "composite_attribute_type_change_used_by_index_and_check": (
        "alter column:public.money_amount.amount (type)",
    ),
    "composite_typed_table_not_of": (
        "alter column:public.addresses.city (type)",
        "drop composite_type:public.address",
        "alter table:public.addresses (of_type)",
    ),
    "composite_attribute_type_change_inherited_column": (
        "alter column:public.address.zip (type)",
    ),
    "composite_attribute_type_change_partitioned_column": (
        "alter column:public.address.zip (type)",
    ),
    "composite_type_add": ("create composite_type:public.money_amount",),
    "composite_type_attribute": ("create column:public.money_amount.note",),
    "composite_type_attribute_type_change": ("alter column:public.money_amount.amount (type)",),
    "composite_type_used_by_new_column": (
        "create column:public.posts.price",
        "create composite_type:public.money_amount",
    ),
    "composite_typed_table_attribute_add": (
        "create column:public.address.postcode",
        "create column:public.addresses.postcode",
    ),
    "composite_typed_table_attribute_drop": (
        "drop column:public.address.postcode",
        "drop column:public.addresses.postcode",
    ),
    "composite_typed_table_attribute_type_change": (
        "alter column:public.address.city (type)",
        "alter column:public.addresses.city (type)",
    ),
    "constraint_check_add": ("create constraint:public.posts.posts_score_check",),
    "constraint_check_expression_change": (
        "replace constraint:public.posts.posts_score_check (expression)",
    ),
    "constraint_check_not_valid": ("create constraint:public.posts.posts_title_not_blank",),
    "constraint_check_validate": ("alter constraint:public.posts.posts_score_check (not_valid)",),
    "constraint_exclusion_add": ("create constraint:public.bookings.bookings_no_overlap",),
    "constraint_foreign_key_actions_change": (
        "replace constraint:public.posts.posts_account_id_fkey (on_delete, on_update)",
    ),
    "constraint_foreign_key_add": ("create constraint:public.posts.posts_editor_id_fkey",),
    "constraint_foreign_key_deferrable": (
        "alter constraint:public.posts.posts_account_id_fkey (deferrable, initially_deferred)",
    ),
    "constraint_foreign_key_not_valid": ("create constraint:public.posts.posts_editor_id_fkey",),
    "constraint_foreign_key_self_reference": (
        "create column:public.accounts.referred_by",
        "create constraint:public.accounts.accounts_referred_by_fkey",
    ),
    "constraint_primary_key_add": ("create constraint:public.settings.settings_pkey",),
    "constraint_primary_key_columns_change": (
        "replace constraint:public.memberships.memberships_pkey (columns)",
    ),
    "constraint_referenced_key_moves": (
        "create constraint:public.handles.handles_id_key",
        "create constraint:public.handles.handles_slug_key",
        "drop constraint:public.handles.handles_code_key",
        "drop index:public.handles_slug_idx",
        "replace constraint:public.handles.handles_pkey (columns)",
    ),
    "constraint_unique_add": ("create constraint:public.posts.posts_account_title_key",),
    "constraint_unique_nulls_not_distinct": (
        "replace constraint:public.accounts.accounts_name_key (nulls_not_distinct)",
    ),
    "default_privileges": ("create default_privileges:postgres:public:tables",),
    "default_privileges_and_new_tables": (
        "create default_privileges:postgres:public:tables",
        "create table:public.audit_log",
        "create table:public.post_tags",
        "create table:public.tags",
    ),
    "default_privileges_for_role": (
        "create default_privileges:app_owner::functions",
        "create default_privileges:app_owner::sequences",
    ),
    "default_privileges_on_schemas_with_schema_drop": (
        "create default_privileges:postgres::schemas",
        "drop schema:s",
    ),
    "default_privileges_revoked_after_new_table": (
        "create table:app.t",
        "drop default_privileges:postgres:app:tables",
    ),
    "dep_collation_replaced_used_by_column": ("replace collation:public.title_order (locale)",),
    "dep_collation_replaced_used_by_domain": ("replace collation:public.title_order (locale)",),
    "dep_collation_replaced_used_by_index": ("replace collation:public.title_order (locale)",),
    "dep_collation_replaced_used_by_partitioned_column": ("replace collation:public.co (locale)",),
    "dep_collation_replaced_used_by_view_expression": (
        "replace collation:public.title_order (locale)",
    ),
    "dep_enum_only_in_plpgsql_body": ("replace enum:public.post_state (labels)",),
    "dep_enum_replaced_used_by_partitioned_column": ("replace enum:public.st (labels)",),
    "dep_function_arg_added_used_by_check_and_default": (
        "create function:public.score_cap(integer, integer)",
        "drop function:public.score_cap(integer)",
    ),
    "dep_function_arg_added_used_by_domain_check": (
        "create function:public.valid_slug(text, boolean)",
        "drop function:public.valid_slug(text)",
    ),
    "dep_function_arg_added_used_by_generated": (
        "create function:public.title_weight(text, integer)",
        "drop function:public.title_weight(text)",
    ),
    "dep_function_arg_added_used_by_index_and_trigger": (
        "create function:public.title_key(text, boolean)",
        "drop function:public.title_key(text)",
    ),
    "dep_function_arg_added_used_by_retyped_generated": (
        "alter column:public.posts.weight (type)",
        "create function:public.title_weight(text, integer)",
        "drop function:public.title_weight(text)",
    ),
    "dep_function_arg_added_used_by_sql_body_and_matview": (
        "create function:public.weight(integer, integer)",
        "drop function:public.weight(integer)",
    ),
    "dep_function_arg_added_used_by_view_and_policy": (
        "create function:public.visible_score(integer, integer)",
        "drop function:public.visible_score(integer)",
    ),
    "dep_function_return_type_used_by_domain_default": (
        "replace function:public.first_score() (returns)",
    ),
    "dep_function_return_type_used_by_generated": (
        "replace function:public.title_weight(text) (returns)",
    ),
    "dep_operator_replaced_used_by_view": ("replace operator:public.=~=(text, text) (definition)",),
    "dep_range_type_replaced_used_by_column": (
        "alter column:public.posts.band (default)",
        "replace range_type:public.score_range (subtype)",
    ),
    "dep_server_wrapper_change": ("replace server:remote (wrapper)",),
    "dep_statistics_expression_function_replaced": (
        "replace function:public.title_len(text) (returns)",
    ),
    "domain_add": ("create domain:public.email_address",),
    "domain_array_column_enum_label_removed": ("replace enum:public.post_status (labels)",),
    "domain_base_type_change": ("replace domain:public.short_text (base_type)",),
    "domain_base_type_change_default_function_replaced": (
        "replace domain:public.bonus_points (base_type)",
        "replace function:public.initial_bonus() (body, returns)",
    ),
    "domain_check_add": ("alter domain:public.email_address (checks)",),
    "domain_check_change_array_column": ("alter domain:public.tag (checks)",),
    "domain_check_change_composite_column": ("alter domain:public.length_cm (checks)",),
    "domain_check_change_range_column": ("alter domain:public.points (checks)",),
    "domain_check_change_subdomain_array_column": ("alter domain:public.label (checks)",),
    "domain_check_drop_and_validate": ("alter domain:public.score_value (checks)",),
    "domain_check_expression_change_used_by_column": ("alter domain:public.slug (checks)",),
    "domain_check_not_valid": ("alter domain:public.score_value (checks)",),
    "domain_default_and_not_null": ("alter domain:public.score_value (default, not_null)",),
    "domain_not_null_and_check_on_used_column": (
        "alter domain:public.rating (checks, default, not_null)",
    ),
    "domain_over_domain_base_replaced": ("replace domain:public.short_text (base_type)",),
    "domain_over_enum_label_removed": ("replace enum:public.post_status (labels)",),
    "domain_over_enum_label_removed_check_changes": (
        "alter domain:public.warm_color (checks)",
        "replace enum:public.color (labels)",
    ),
    "enum_add": ("create enum:public.mood",),
    "enum_add_label_before_first": ("alter enum:public.priority (labels)",),
    "enum_add_label_end": ("alter enum:public.post_status (labels)",),
    "enum_add_label_middle": ("alter enum:public.post_status (labels)",),
    "enum_add_label_used_by_new_default": (
        "alter column:public.posts.priority (default)",
        "alter enum:public.priority (labels)",
    ),
    "enum_remove_label": ("replace enum:public.post_status (labels)",),
    "enum_remove_label_child_leaves_parent": (
        "alter column:public.child.id (inherited)",
        "alter column:public.child.s (inherited)",
        "alter table:public.child (inherits)",
        "replace enum:public.stage (labels)",
    ),
    "enum_remove_label_inherited_defaults": ("replace enum:public.stage (labels)",),
    "enum_remove_label_key_and_foreign_key": ("replace enum:public.ticket_state (labels)",),
    "enum_remove_label_read_by_generated": ("replace enum:public.shipment_state (labels)",),
    "sequence_owner_moves_while_type_replaced": (
        "replace enum:public.stage (labels)",
        "alter sequence:public.item_seq (owned_by)",
        "drop table:public.item",
        "drop constraint:public.item.item_pkey",
        "create table:public.things",
        "create constraint:public.things.things_pkey",
    ),
    "enum_remove_label_used_by_default_and_view": ("replace enum:public.post_status (labels)",),
    "enum_remove_label_used_by_partial_index": ("replace enum:public.post_status (labels)",),
    "enum_rename_label": (
        "alter column:public.posts.priority (default)",
        "replace enum:public.priority (labels)",
    ),
    "enum_reorder_labels": ("replace enum:public.priority (labels)",),
    "event_trigger_tag_order": ("replace event_trigger:log_ddl (tags)",),
    "extension_add": ("create extension:pgcrypto",),
    "extension_in_own_schema": ("create extension:hstore", "create schema:extensions"),
    "extension_index_opclass": (
        "create extension:pg_trgm",
        "create index:public.posts_title_trgm_idx",
    ),
    "extension_moved_beside_dropped_one": (
        "alter extension:citext (in_schema)",
        "create schema:extensions",
        "drop extension:hstore",
    ),
    "extension_non_relocatable_set_schema": ("alter extension:xml2 (in_schema)",),
    "extension_type_used_by_column": (
        "alter column:public.accounts.email (type)",
        "create extension:citext",
    ),
    "function_add": ("create function:public.post_count(bigint)",),
    "function_argument_name_change": ("replace function:public.double_score(integer) (arguments)",),
    "function_attributes_change": (
        "alter function:public.account_email(bigint)"
        " (config.search_path, cost, parallel, security_definer, strict, volatility)",
    ),
    "function_body_change": ("alter function:public.post_count(bigint) (body)",),
    "function_language_change": ("alter function:public.post_count(bigint) (body, language)",),
    "function_overload_added": ("create function:public.post_count(bigint, integer)",),
    "function_parameter_default_add": (
        "alter function:public.top_posts(bigint, integer) (arguments)",
    ),
    "function_body_reads_replaced_table": (
        "alter function:public.count_users() (sql_body)",
        "alter sequence:public.users_id_seq (identity_of)",
        "create constraint:public.people.users_pkey",
        "create table:public.people",
        "drop constraint:public.users.users_pkey",
        "drop table:public.users",
    ),
    "function_return_type_change": ("replace function:public.post_count(bigint) (body, returns)",),
    "function_return_type_change_used_by_view": (
        "replace function:public.account_label(bigint) (returns)",
    ),
    "function_return_type_under_default_column_type": (
        "alter column:public.posts.ticket (type)",
        "replace function:public.next_ticket() (body, returns)",
    ),
    "function_returns_table_change": (
        "replace function:public.account_posts(bigint) (arguments, body)",
    ),
    "function_set_clause_order": ("alter function:public.post_total(bigint) (config)",),
    "function_sql_body_atomic": ("alter function:public.double_score(integer) (sql_body)",),
    "function_sql_body_depends_on_table": (
        "create column:public.posts.views",
        "create function:public.total_views(bigint)",
    ),
    "function_used_by_column_default_drop": (
        "drop column:public.posts.slug",
        "drop function:public.new_slug()",
    ),
    "grant_column": (
        "alter column:public.posts.id (privileges)",
        "alter column:public.posts.title (privileges)",
    ),
    "grant_column_both_levels": (
        "alter column:public.posts.id (privileges)",
        "alter column:public.posts.title (privileges)",
        "alter table:public.posts (privileges)",
    ),
    "grant_column_partial_revoke": (
        "alter column:public.accounts.email (privileges)",
        "alter column:public.accounts.name (privileges)",
        "alter column:public.posts.body (privileges)",
        "alter column:public.posts.score (privileges)",
        "alter column:public.posts.title (privileges)",
    ),
    "grant_column_matview_to_table_level": (
        "alter materialized_view:public.account_post_counts (column_privileges, privileges)",
    ),
    "grant_column_view_recreated": ("replace view:public.post_titles (query)",),
    "grant_column_view": ("alter view:public.post_titles (column_privileges, privileges)",),
    "grant_matview_column": (
        "alter materialized_view:public.account_post_counts (column_privileges)",
    ),
    "grant_option_passed_on": ("alter table:public.posts (privileges)",),
    "grant_schema_usage": ("alter schema:api (privileges)",),
    "grant_sequence": ("alter sequence:public.posts_id_seq (privileges)",),
    "grant_table": ("alter table:public.posts (privileges)",),
    "grant_table_revoke_keeps_column": ("alter table:public.posts (privileges)",),
    "grant_table_to_column_level": (
        "alter column:public.posts.id (privileges)",
        "alter column:public.posts.title (privileges)",
        "alter table:public.posts (privileges)",
    ),
    "grant_type_usage": ("alter enum:public.mood (privileges)",),
    "grant_view_revoke_keeps_column": ("alter view:public.post_titles (privileges)",),
    "grant_with_grant_option": ("alter table:public.accounts (privileges)",),
    "identity_always_to_by_default": ("alter column:public.accounts.id (identity)",),
    "identity_drop": (
        "alter column:public.posts.id (identity)",
        "drop sequence:public.posts_id_seq",
    ),
    "identity_sequence_options": (
        "alter column:public.posts.id (identity)",
        "alter sequence:public.posts_id_seq (options.cache, options.increment, options.start)",
    ),
    "index_add": ("create index:public.posts_score_idx",),
    "index_columns_change": ("replace index:public.posts_account_id_idx (elements)",),
    "index_include_add": ("replace index:public.posts_score_idx (include)",),
    "index_method_change": ("replace index:public.accounts_created_at_idx (method)",),
    "index_partial_to_full": ("replace index:public.posts_body_idx (where)",),
    "index_rebuilt_keeps_replica_identity_and_cluster": (
        "replace constraint:public.events.events_pkey (columns)",
        "replace index:public.events_at_idx (elements)",
    ),
    "index_storage_parameter": ("alter index:public.posts_account_id_idx (options.fillfactor)",),
    "index_unique_expression_add": ("create index:public.accounts_lower_email_idx",),
    "inherit_check_add": ("create constraint:public.vehicles.vehicles_plate_check",),
    "inherit_check_add_child_own": (
        "create constraint:public.bikes.wheels_positive",
        "create constraint:public.vehicles.wheels_positive",
    ),
    "inherit_column_add": (
        "create column:public.buses.color",
        "create column:public.trucks.color",
        "create column:public.vehicles.color",
    ),
    "inherit_column_add_local_and_parent": (
        "create column:public.buses.note",
        "create column:public.trucks.note",
        "create column:public.vehicles.note",
    ),
    "inherit_column_add_merged": (
        "create column:public.trucks.note",
        "create column:public.vehicles.note",
        "alter table:public.buses (column_order)",
    ),
    "inherit_column_drop_merged": (
        "drop column:public.trucks.plate",
        "drop column:public.vehicles.plate",
    ),
    "inherit_column_moved_to_child": (
        "alter column:public.books.legacy_code (inherited)",
        "drop column:public.base_items.legacy_code",
        "drop column:public.films.legacy_code",
    ),
    "inherit_column_rename": (
        "rename column:public.buses.plate -> column:public.buses.registration",
        "rename column:public.trucks.plate -> column:public.trucks.registration",
        "rename column:public.vehicles.plate -> column:public.vehicles.registration",
    ),
    "inherit_column_set_not_null": (
        "alter column:public.buses.color (not_null)",
        "alter column:public.trucks.color (not_null)",
        "alter column:public.vehicles.color (not_null)",
    ),
    "inherit_column_type_change": (
        "alter column:public.buses.color (type)",
        "alter column:public.trucks.color (type)",
        "alter column:public.vehicles.color (type)",
    ),
    "inherit_removed_check_inherited_only": (
        "alter column:public.cars.id (inherited)",
        "alter column:public.cars.wheels (inherited)",
        "alter table:public.cars (inherits)",
    ),
    "matview_add": (
        "create index:public.account_post_counts_account_id_idx",
        "create materialized_view:public.account_post_counts",
    ),
    "matview_index_add": ("create index:public.account_post_counts_posts_idx",),
    "matview_on_view": ("create materialized_view:public.scored_totals",),
    "matview_query_change": ("replace materialized_view:public.account_post_counts (query)",),
    "mutual_foreign_keys": (
        "create constraint:public.players.players_pkey",
        "create constraint:public.players.players_team_id_fkey",
        "create constraint:public.teams.teams_captain_id_fkey",
        "create constraint:public.teams.teams_pkey",
        "create table:public.players",
        "create table:public.teams",
    ),
    "new_enum_new_table_new_view": (
        "create constraint:public.tickets.tickets_account_id_fkey",
        "create constraint:public.tickets.tickets_pkey",
        "create enum:public.ticket_state",
        "create table:public.tickets",
        "create view:public.open_tickets",
    ),
    "owner_change": (
        "alter sequence:public.posts_id_seq (owner, privileges)",
        "alter table:public.posts (owner, privileges)",
    ),
    "owner_change_of_other_kinds": (
        "alter enum:public.mood (owner, privileges)",
        "alter function:public.post_count(bigint) (owner, privileges)",
        "alter schema:reporting (owner, privileges)",
        "alter view:public.post_titles (owner, privileges)",
    ),
    "owner_change_table_with_serial_sequence": (
        "alter sequence:public.ticket_numbers (owner, privileges)",
        "alter sequence:public.tickets_code_seq (owner, privileges)",
        "alter sequence:public.tickets_id_seq (owner, privileges)",
        "alter table:public.tickets (owner, privileges)",
    ),
    "partition_add": ("create table:public.measurements_2025",),
    "partition_add_beside_default": ("create table:public.logs_warn",),
    "partition_add_keeps_parent_check": (
        "create constraint:public.invoices_2026.invoices_2026_pkey",
        "create constraint:public.invoices_2026.invoices_total_check",
        "create index:public.invoices_2026_total_idx",
        "create table:public.invoices_2026",
    ),
    "partition_attach": ("alter table:public.measurements_2024 (partition_bound, partition_of)",),
    "partition_attach_with_matching_index": (
        "create constraint:public.invoices_2026.invoices_2026_pkey",
        "create constraint:public.invoices_2026.invoices_total_check",
        "create index:public.invoices_2026_total_idx",
        "create table:public.invoices_2026",
    ),
    "partition_attach_with_new_column": (
        "alter table:public.measurements_2024 (partition_bound, partition_of)",
        "create column:public.measurements.unit",
        "create column:public.measurements_2024.unit",
    ),
    "partition_bound_change": ("alter table:public.measurements_2024 (partition_bound)",),
    "partition_bound_change_with_primary_key_drop": (
        "alter table:public.sessions_p0 (partition_bound)",
        "alter table:public.sessions_p1 (partition_bound)",
        "create table:public.sessions_p2",
        "create table:public.sessions_p3",
        "drop constraint:public.sessions.sessions_pkey",
        "drop constraint:public.sessions_p0.sessions_p0_pkey",
        "drop constraint:public.sessions_p1.sessions_p1_pkey",
    ),
    "partition_bound_change_with_column_type_change": (
        "alter column:public.readings.value (type)",
        "alter column:public.readings_eu.value (type)",
        "alter column:public.readings_us.value (type)",
        "alter table:public.readings_eu (partition_bound)",
    ),
    "partition_bound_change_with_index_drop": (
        "alter table:public.measurements_2024 (partition_bound)",
        "drop index:public.measurements_2024_value_idx",
        "drop index:public.measurements_value_idx",
    ),
    "partition_check_add": (
        "create constraint:public.measurements.measurements_value_check",
        "create constraint:public.measurements_2024.measurements_value_check",
        "create constraint:public.measurements_2025.measurements_value_check",
    ),
    "partition_check_and_column_on_sub": (
        "create column:public.orders.channel",
        "create column:public.orders_2024.channel",
        "create column:public.orders_2024_eu.channel",
        "create column:public.orders_2024_us.channel",
        "create column:public.orders_2025.channel",
        "create constraint:public.orders_2024.orders_2024_total_check",
        "create constraint:public.orders_2024_eu.orders_2024_total_check",
        "create constraint:public.orders_2024_us.orders_2024_total_check",
    ),
    "partition_check_drop": (
        "drop constraint:public.measurements.measurements_value_check",
        "drop constraint:public.measurements_2024.measurements_value_check",
        "drop constraint:public.measurements_2025.measurements_value_check",
    ),
    "partition_check_expression_change": (
        "replace constraint:public.sessions.sessions_token_check (expression)",
        "replace constraint:public.sessions_0.sessions_token_check (expression)",
        "replace constraint:public.sessions_1.sessions_token_check (expression)",
        "replace constraint:public.sessions_2.sessions_token_check (expression)",
    ),
    "partition_column_add": (
        "create column:public.measurements.unit",
        "create column:public.measurements_2024.unit",
        "create column:public.measurements_2025.unit",
    ),
    "partition_column_add_not_null_default": (
        "create column:public.audit_log.level",
        "create column:public.audit_log_eu.level",
        "create column:public.audit_log_us.level",
    ),
    "partition_column_add_with_check": (
        "create column:public.invoices.currency",
        "create column:public.invoices_2025.currency",
        "create column:public.invoices_2026.currency",
        "create constraint:public.invoices.invoices_currency_check",
        "create constraint:public.invoices_2025.invoices_currency_check",
        "create constraint:public.invoices_2026.invoices_currency_check",
    ),
    "partition_column_default_add": (
        "alter column:public.audit_log.message (default)",
        "alter column:public.audit_log_eu.message (default)",
        "alter column:public.audit_log_us.message (default)",
    ),
    "partition_column_drop": (
        "drop column:public.measurements.unit",
        "drop column:public.measurements_2024.unit",
        "drop column:public.measurements_2025.unit",
    ),
    "partition_column_drop_indexed": (
        "drop column:public.sessions.agent",
        "drop column:public.sessions_0.agent",
        "drop column:public.sessions_1.agent",
        "drop column:public.sessions_2.agent",
        "drop index:public.sessions_0_agent_idx",
        "drop index:public.sessions_1_agent_idx",
        "drop index:public.sessions_2_agent_idx",
        "drop index:public.sessions_agent_idx",
    ),
    "partition_column_set_not_null": (
        "alter column:public.measurements.value (not_null)",
        "alter column:public.measurements_2024.value (not_null)",
        "alter column:public.measurements_2025.value (not_null)",
    ),
    "partition_column_type_used_by_views_below": (
        "alter column:public.events.score (type)",
        "alter column:public.events_2025.score (type)",
        "alter column:public.gadgets.price (type)",
        "alter column:public.items.price (type)",
    ),
    "partition_column_type_change": (
        "alter column:public.sessions.token (type)",
        "alter column:public.sessions_0.token (type)",
        "alter column:public.sessions_1.token (type)",
        "alter column:public.sessions_2.token (type)",
    ),
    "partition_default_add": ("create table:public.audit_log_other",),
    "partition_default_column_type_change": (
        "alter column:public.shipments.weight (type)",
        "alter column:public.shipments_dhl.weight (type)",
        "alter column:public.shipments_other.weight (type)",
    ),
    "partition_default_drop": ("drop table:public.measurements_other",),
    "partition_default_primary_key_add": (
        "create constraint:public.shipments.shipments_pkey",
        "create constraint:public.shipments_dhl.shipments_dhl_pkey",
        "create constraint:public.shipments_other.shipments_other_pkey",
        "create constraint:public.shipments_ups.shipments_ups_pkey",
    ),
    "partition_default_sub_partitioned": (
        "create table:public.orders_other",
        "create table:public.orders_other_eu",
    ),
    "partition_default_with_index_add": (
        "create constraint:public.measurements_other.measurements_other_pkey",
        "create index:public.measurements_other_value_idx",
        "create table:public.measurements_other",
    ),
    "partition_detach_keeps_foreign_key": (
        "alter constraint:public.events_2024.events_2024_pkey (attached_to)",
        "alter table:public.events_2024 (partition_bound, partition_of)",
        "create constraint:public.events_2024.events_account_id_fkey",
    ),
    "partition_detach_drops_foreign_key": (
        "alter constraint:public.events_2024.events_2024_pkey (attached_to)",
        "alter table:public.events_2024 (partition_bound, partition_of)",
    ),
    "partition_detach": (
        "alter table:public.measurements_default (partition_bound, partition_of)",
    ),
    "partition_detach_with_index": (
        "alter constraint:public.measurements_2025.measurements_2025_pkey (attached_to)",
        "alter index:public.measurements_2025_value_idx (attached_to)",
        "alter table:public.measurements_2025 (partition_bound, partition_of)",
    ),
    "partition_drop_referenced_by_foreign_key": (
        "drop constraint:public.invoices_2025.invoices_2025_pkey",
        "drop table:public.invoices_2025",
    ),
    "partition_drop_with_index": (
        "drop constraint:public.audit_log_ap.audit_log_ap_pkey",
        "drop index:public.audit_log_ap_message_idx",
        "drop table:public.audit_log_ap",
    ),
    "partition_expression_index_add": (
        "create index:public.audit_log_eu_lower_idx",
        "create index:public.audit_log_lower_message_idx",
        "create index:public.audit_log_us_lower_idx",
    ),
    "partition_foreign_key_add": ("create constraint:public.sessions.sessions_account_id_fkey",),
    "partition_hash_check_add": (
        "create constraint:public.devices.devices_serial_check",
        "create constraint:public.devices_0.devices_serial_check",
        "create constraint:public.devices_1.devices_serial_check",
    ),
    "partition_hash_column_default_change": (
        "alter column:public.devices.firmware (default)",
        "alter column:public.devices_0.firmware (default)",
        "alter column:public.devices_1.firmware (default)",
    ),
    "partition_hash_column_drop_not_null": (
        "alter column:public.devices.serial (not_null)",
        "alter column:public.devices_0.serial (not_null)",
        "alter column:public.devices_1.serial (not_null)",
    ),
    "partition_hash_column_rename": (
        "rename column:public.sessions.token -> column:public.sessions.secret",
        "rename column:public.sessions_0.token -> column:public.sessions_0.secret",
        "rename column:public.sessions_1.token -> column:public.sessions_1.secret",
    ),
    "partition_hash_index_add": (
        "create index:public.sessions_0_account_id_idx",
        "create index:public.sessions_1_account_id_idx",
        "create index:public.sessions_2_account_id_idx",
        "create index:public.sessions_account_id_idx",
    ),
    "partition_hash_primary_key_add": (
        "create constraint:public.sessions.sessions_pkey",
        "create constraint:public.sessions_0.sessions_0_pkey",
        "create constraint:public.sessions_1.sessions_1_pkey",
        "create constraint:public.sessions_2.sessions_2_pkey",
    ),
    "partition_identity_add": (
        "alter column:public.tickets.id (identity)",
        "create sequence:public.tickets_id_seq",
    ),
    "partition_identity_add_with_partitions": (
        "alter column:public.tickets.id (identity)",
        "alter column:public.tickets_2025.id (identity)",
        "alter column:public.tickets_2026.id (identity)",
        "create sequence:public.tickets_2025_id_seq",
        "create sequence:public.tickets_2026_id_seq",
        "create sequence:public.tickets_id_seq",
    ),
    "partition_identity_drop": (
        "alter column:public.tickets.id (identity)",
        "drop sequence:public.tickets_id_seq",
    ),
    "partition_identity_options_change": (
        "alter column:public.tickets.id (identity)",
        "alter sequence:public.tickets_id_seq (options.increment, options.start)",
    ),
    "partition_index_add": (
        "create index:public.measurements_2024_taken_on_idx",
        "create index:public.measurements_taken_on_idx",
    ),
    "partition_index_attach_existing": (
        "alter index:public.measurements_2024_by_day (attached_to)",
        "create index:public.measurements_2025_taken_on_idx",
        "create index:public.measurements_taken_on_idx",
    ),
    "partition_index_columns_change": (
        "create index:public.measurements_2024_taken_on_id_idx",
        "create index:public.measurements_2025_taken_on_id_idx",
        "drop index:public.measurements_2024_taken_on_idx",
        "drop index:public.measurements_2025_taken_on_idx",
        "replace index:public.measurements_idx (elements)",
    ),
    "partition_index_drop": (
        "drop index:public.sessions_0_account_id_idx",
        "drop index:public.sessions_1_account_id_idx",
        "drop index:public.sessions_2_account_id_idx",
        "drop index:public.sessions_account_id_idx",
    ),
    "partition_index_rename": (
        "rename index:public.shipments_weight_idx -> index:public.shipments_by_weight",
    ),
    "partition_index_options_change": (
        "alter index:public.readings_2025_01_at_idx (options.pages_per_range)",
        "alter index:public.readings_2025_02_at_idx (options.pages_per_range)",
        "replace index:public.readings_at_brin (options.pages_per_range)",
    ),
    "partition_key_change": (
        "alter table:public.readings_a (partition_bound)",
        "replace table:public.readings (partition_key)",
    ),
    "partition_key_change_drops_check_and_index": (
        "alter table:public.readings_a (partition_bound)",
        "drop constraint:public.readings.readings_sensor_check",
        "drop constraint:public.readings_a.readings_sensor_check",
        "drop index:public.readings_a_sensor_idx",
        "drop index:public.readings_sensor_idx",
        "replace table:public.readings (partition_key)",
    ),
    "partition_key_column_drop": (
        "create table:public.shipments_post",
        "drop column:public.shipments.shipped_on",
        "drop table:public.shipments_2024",
        "replace table:public.shipments (partition_key)",
    ),
    "partition_key_column_rename": (
        "rename column:public.readings.taken_at -> column:public.readings.measured_at",
        "rename column:public.readings_2025.taken_at -> column:public.readings_2025.measured_at",
        "rename column:public.readings_2026.taken_at -> column:public.readings_2026.measured_at",
    ),
    "partition_key_column_type_change": (
        "alter column:public.meter_readings.meter_id (type)",
        "alter column:public.meter_readings_low.meter_id (type)",
        "alter table:public.meter_readings_low (partition_bound)",
        "replace table:public.meter_readings",
    ),
    "partition_key_enum_label_removed": (
        "alter table:public.tickets_open (partition_bound)",
        "replace enum:public.ticket_state (labels)",
    ),
    "partition_key_retyped_keeps_identity": (
        "alter column:public.events.at (type)",
        "alter column:public.events_2024.at (type)",
        "alter column:public.events_2025.at (type)",
        "alter table:public.events_2024 (partition_bound)",
        "alter table:public.events_2025 (partition_bound)",
        "replace table:public.events",
    ),
    "partition_key_retyped_keeps_partitions": (
        "alter column:public.dues.region (type)",
        "alter column:public.members.region (type)",
        "alter column:public.members_eu.region (type)",
        "alter column:public.members_eu_0.region (type)",
        "alter column:public.members_eu_1.region (type)",
        "alter column:public.members_us.region (type)",
        "alter view:public.eu_members (query)",
        "replace table:public.members",
    ),
    "partition_list_column_rename": (
        "rename column:public.orders.note -> column:public.orders.remark",
        "rename column:public.orders_eu.note -> column:public.orders_eu.remark",
        "rename column:public.orders_other.note -> column:public.orders_other.remark",
        "rename column:public.orders_us.note -> column:public.orders_us.remark",
    ),
    "partition_list_unique_add": (
        "create constraint:public.audit_log.audit_log_id_region_key",
        "create constraint:public.audit_log_eu.audit_log_eu_id_region_key",
        "create constraint:public.audit_log_us.audit_log_us_id_region_key",
    ),
    "partition_list_values_change": (
        "alter table:public.audit_log_eu (partition_bound)",
        "create table:public.audit_log_uk",
    ),
    "partition_local_index_kept_unique_add": (
        "create constraint:public.shipments.shipments_id_carrier_key",
        "create constraint:public.shipments_dhl.shipments_dhl_id_carrier_key",
        "create constraint:public.shipments_other.shipments_other_id_carrier_key",
    ),
    "partition_owned_sequence_add": (
        "alter column:public.tickets.id (default)",
        "alter column:public.tickets_2025.id (default)",
        "alter column:public.tickets_2026.id (default)",
        "create sequence:public.tickets_id_seq",
    ),
    "partition_plain_to_partitioned_with_serial": (
        "create constraint:public.payments_2025.payments_2025_pkey",
        "create index:public.payments_2025_amount_idx",
        "replace index:public.payments_amount_idx (only)",
        "replace table:public.payments (partition_key)",
        "create table:public.payments_2025",
    ),
    "partition_primary_key_columns_change": (
        "replace constraint:public.audit_log.audit_log_pkey (columns)",
        "replace constraint:public.audit_log_eu.audit_log_eu_pkey (columns)",
        "replace constraint:public.audit_log_us.audit_log_us_pkey (columns)",
    ),
    "partition_primary_key_drop": (
        "drop constraint:public.measurements.measurements_pkey",
        "drop constraint:public.measurements_2024.measurements_2024_pkey",
        "drop constraint:public.measurements_2025.measurements_2025_pkey",
    ),
    "partition_range_column_rename": (
        "rename column:public.measurements.value -> column:public.measurements.reading",
        "rename column:public.measurements_2024.value -> column:public.measurements_2024.reading",
        "rename column:public.measurements_2025.value -> column:public.measurements_2025.reading",
    ),
    "partition_range_primary_key_add": (
        "create constraint:public.measurements.measurements_pkey",
        "create constraint:public.measurements_2024.measurements_2024_pkey",
        "create constraint:public.measurements_2025.measurements_2025_pkey",
    ),
    "partition_rebound_with_column_add": (
        "alter table:public.meter_readings_2024 (partition_bound)",
        "create column:public.meter_readings.kwh",
        "create column:public.meter_readings_2024.kwh",
        "replace table:public.meter_readings (partition_key)",
    ),
    "partition_rebuild_matview_with_data": (
        "alter table:public.readings_a (partition_bound)",
        "replace table:public.readings (partition_key)",
    ),
    "partition_referenced_by_foreign_key_add": (
        "create constraint:public.invoice_lines.invoice_lines_invoice_fkey",
    ),
    "partition_serial_column": (
        "create column:public.measurements.id",
        "create column:public.measurements_2024.id",
        "create sequence:public.measurements_id_seq",
    ),
    "partition_serial_to_identity": (
        "alter column:public.tickets.id (default, identity)",
        "alter column:public.tickets_2025.id (default)",
        "alter column:public.tickets_2026.id (default)",
        "alter sequence:public.tickets_id_seq (identity_of, options.data_type, owned_by)",
    ),
    "partition_sub_add": (
        "create table:public.orders",
        "create table:public.orders_2024",
        "create table:public.orders_2024_eu",
        "create table:public.orders_2024_us",
        "create table:public.orders_2025",
    ),
    "partition_sub_add_with_index": (
        "create constraint:public.logs_2025_warn.logs_2025_warn_pkey",
        "create index:public.logs_2025_warn_message_idx",
        "create table:public.logs_2025_warn",
    ),
    "partition_sub_check_add": (
        "create constraint:public.orders.orders_total_check",
        "create constraint:public.orders_2024.orders_total_check",
        "create constraint:public.orders_2024_eu.orders_total_check",
        "create constraint:public.orders_2024_us.orders_total_check",
        "create constraint:public.orders_2025.orders_total_check",
    ),
    "partition_sub_column_add": (
        "create column:public.orders.note",
        "create column:public.orders_2024.note",
        "create column:public.orders_2024_eu.note",
        "create column:public.orders_2024_us.note",
        "create column:public.orders_2025.note",
    ),
    "partition_sub_column_drop": (
        "drop column:public.logs.context",
        "drop column:public.logs_2025.context",
        "drop column:public.logs_2025_error.context",
        "drop column:public.logs_2025_rest.context",
    ),
    "partition_sub_column_rename": (
        "rename column:public.events.payload -> column:public.events.body",
        "rename column:public.events_2025.payload -> column:public.events_2025.body",
        "rename column:public.events_2025_click.payload -> column:public.events_2025_click.body",
        "rename column:public.events_2025_view.payload -> column:public.events_2025_view.body",
        "rename column:public.events_2026.payload -> column:public.events_2026.body",
    ),
    "partition_sub_column_type_change": (
        "alter column:public.logs.message (type)",
        "alter column:public.logs_2025.message (type)",
        "alter column:public.logs_2025_error.message (type)",
        "alter column:public.logs_2025_rest.message (type)",
    ),
    "partition_sub_index_add": (
        "create index:public.orders_2024_eu_region_idx",
        "create index:public.orders_2024_region_idx",
        "create index:public.orders_2024_us_region_idx",
        "create index:public.orders_2025_region_idx",
        "create index:public.orders_region_idx",
    ),
    "partition_sub_index_attach_existing": (
        "alter index:public.orders_2024_eu_by_region (attached_to)",
        "create index:public.orders_2024_region_idx",
        "create index:public.orders_2024_us_region_idx",
        "create index:public.orders_2025_region_idx",
        "create index:public.orders_region_idx",
    ),
    "partition_sub_index_drop": (
        "drop index:public.logs_2025_error_message_idx",
        "drop index:public.logs_2025_message_idx",
        "drop index:public.logs_2025_rest_message_idx",
        "drop index:public.logs_message_idx",
    ),
    "partition_sub_key_column_drop": (
        "drop column:public.shipments.carrier",
        "drop column:public.shipments_2024.carrier",
        "drop column:public.shipments_2025.carrier",
        "drop table:public.shipments_2024_post",
        "replace table:public.shipments_2024 (partition_key)",
    ),
    "partition_sub_partition_add": (
        "create index:public.orders_2024_ap_region_idx",
        "create table:public.orders_2024_ap",
    ),
    "partition_sub_primary_key_add": (
        "create constraint:public.orders.orders_pkey",
        "create constraint:public.orders_2024.orders_2024_pkey",
        "create constraint:public.orders_2024_eu.orders_2024_eu_pkey",
        "create constraint:public.orders_2024_us.orders_2024_us_pkey",
        "create constraint:public.orders_2025.orders_2025_pkey",
    ),
    "partition_sub_unique_add": (
        "create constraint:public.logs.logs_id_key",
        "create constraint:public.logs_2025.logs_2025_id_logged_on_level_key",
        "create constraint:public.logs_2025_error.logs_2025_error_id_logged_on_level_key",
        "create constraint:public.logs_2025_rest.logs_2025_rest_id_logged_on_level_key",
    ),
    "partition_table_to_plain": (
        "alter table:public.events_2024 (partition_bound, partition_of)",
        "replace table:public.events (partition_key)",
    ),
    "partition_to_plain_with_dependents": (
        "alter column:public.events_2024.id (default)",
        "alter index:public.events_2024_kind_idx (attached_to)",
        "alter table:public.events_2024 (partition_bound, partition_of)",
        "replace index:public.events_kind_idx (only)",
        "replace table:public.events (partition_key)",
    ),
    "partition_trigger_add": ("create trigger:public.measurements.measurements_clamp",),
    "partition_unique_add_beside_local_index": (
        "create constraint:public.audit_log.audit_log_id_region_key",
        "create constraint:public.audit_log_eu.audit_log_eu_id_region_key",
        "create constraint:public.audit_log_us.audit_log_us_id_region_key",
    ),
    "partition_unique_drop": (
        "drop constraint:public.audit_log.audit_log_id_region_key",
        "drop constraint:public.audit_log_eu.audit_log_eu_id_region_key",
        "drop constraint:public.audit_log_us.audit_log_us_id_region_key",
    ),
    "partitioned_table_add": (
        "create constraint:public.audit_log.audit_log_pkey",
        "create constraint:public.audit_log_eu.audit_log_eu_pkey",
        "create constraint:public.audit_log_us.audit_log_us_pkey",
        "create index:public.audit_log_eu_message_idx",
        "create index:public.audit_log_message_idx",
        "create index:public.audit_log_us_message_idx",
        "create table:public.audit_log",
        "create table:public.audit_log_eu",
        "create table:public.audit_log_us",
    ),
    "policy_add": ("create policy:public.posts.posts_read",),
    "policy_command_change": ("replace policy:public.posts.posts_read (command, with_check)",),
    "policy_restrictive": ("replace policy:public.posts.posts_read (permissive)",),
    "policy_roles_change": ("alter policy:public.posts.posts_read (roles)",),
    "policy_using_change": ("alter policy:public.posts.posts_read (using)",),
    "procedure_add": ("create procedure:public.purge_negative_posts(bigint)",),
    "procedure_body_change": ("alter procedure:public.purge_negative_posts(bigint) (body)",),
    "publication_column_list_column_dropped": (
        "alter publication:p (tables)",
        "drop column:public.t.a",
    ),
    "publication_column_type_change": ("alter column:public.orders.total_cents (type)",),
    "publication_add": ("create publication:app_changes",),
    "publication_add_table": ("alter publication:app_changes (tables)",),
    "publication_all_tables": ("create publication:everything",),
    "publication_publish_options": ("alter publication:app_changes (publish)",),
    "publication_row_filter_and_columns": ("alter publication:app_changes (tables)",),
    "publication_tables_in_schema": ("create publication:app_schema",),
    "quoting_enum_labels": ("alter enum:public.label_kind (labels)",),
    "quoting_function_body_dollars": ("alter function:public.price_label(numeric) (body)",),
    "quoting_keywords": (
        "create constraint:public.user.check",
        "create index:public.limit",
        "create table:public.user",
    ),
    "quoting_long_names": (
        "create table:public.a_table_name_that_is_exactly_sixty_three_bytes_long_abcdefghijk",
    ),
    "quoting_mixed_case_names": (
        "create column:public.UserProfiles.DisplayName",
        "create index:public.IX_UserProfiles_DisplayName",
    ),
    "quoting_schema_name": (
        "create constraint:My Schema.Data Points.Data Points_pkey",
        "create schema:My Schema",
        "create table:My Schema.Data Points",
    ),
    "quoting_spaces_and_quotes": (
        "create constraint:public.order items.order items_pkey",
        "create table:public.order items",
    ),
    "quoting_unicode": ("create enum:public.état", "create table:public.café"),
    "range_multirange_column_subtype_change": ("replace range_type:public.slot_range (subtype)",),
    "range_subtype_change_used_by_exclusion": ("replace range_type:public.slot_range (subtype)",),
    "rename_column": ("rename column:public.posts.body -> column:public.posts.content",),
    "rename_column_used_by_view_and_index": (
        "rename column:public.posts.title -> column:public.posts.headline",
    ),
    "rename_constraint": (
        "rename constraint:public.posts.posts_score_check"
        " -> constraint:public.posts.posts_score_nonnegative",
    ),
    "rename_index": (
        "rename index:public.posts_account_id_idx -> index:public.posts_by_account_idx",
    ),
    "rename_table": ("rename table:public.notes -> table:public.memos",),
    "rename_table_keys_named_after_it": (
        "rename constraint:public.labels.tags_label_key"
        " -> constraint:public.labels.labels_label_key",
        "rename constraint:public.labels.tags_pkey -> constraint:public.labels.labels_pkey",
        "rename table:public.tags -> table:public.labels",
    ),
    "revoke_public_execute": ("alter function:public.post_count(bigint) (privileges)",),
    "revoke_public_schema_usage": ("alter schema:public (privileges)",),
    "revoke_table_privilege": ("alter table:public.posts (privileges)",),
    "rls_enable": ("alter table:public.posts (rls_enabled)",),
    "rls_force": ("alter table:public.posts (rls_forced)",),
    "schema_create_with_objects": (
        "create constraint:billing.invoices.invoices_account_id_fkey",
        "create constraint:billing.invoices.invoices_pkey",
        "create enum:billing.invoice_state",
        "create function:billing.account_total(bigint)",
        "create schema:billing",
        "create sequence:billing.invoices_id_seq",
        "create table:billing.invoices",
        "create view:billing.open_invoices",
    ),
    "sequence_add": ("create sequence:public.invoice_numbers",),
    "sequence_descending_maxvalue_lowered": (
        "alter sequence:public.countdown (options.max_value, options.start)",
    ),
    "sequence_identity_bigint_to_integer_maxvalue": (
        "alter column:public.tickets.id (identity, type)",
        "alter sequence:public.tickets_id_seq (options.max_value)",
    ),
    "sequence_identity_bounds": (
        "alter column:public.tickets.id (identity)",
        "alter sequence:public.tickets_id_seq"
        " (options.increment, options.max_value, options.min_value, options.start)",
    ),
    # The identity's sequence is the same sequence renamed (differ.identity_renames).
    "sequence_identity_renamed": (
        "rename sequence:public.tickets_id_seq -> sequence:public.support_tickets_id_seq",
    ),
    "sequence_identity_to_plain_default": (
        "alter column:public.tickets.id (default, identity)",
        "create sequence:public.ticket_numbers",
        "drop sequence:public.tickets_id_seq",
    ),
    "sequence_identity_type_change": ("alter column:public.tickets.id (type)",),
    "sequence_options": (
        "alter sequence:public.invoice_numbers (options.cache, options.cycle, options.data_type,"
        " options.increment, options.max_value, options.min_value, options.start)",
    ),
    "sequence_owned_by": ("alter sequence:public.posts_ticket_seq (owned_by)",),
    "sequence_serial_to_identity": (
        "alter column:public.tickets.id (default, identity)",
        "alter sequence:public.tickets_id_seq (identity_of, options.data_type, owned_by)",
    ),
    "sequence_serial_type_change": (
        "alter column:public.tickets.id (type)",
        "alter sequence:public.tickets_id_seq (options.data_type)",
    ),
    "statistics_target_through_enum_replacement": ("replace enum:public.post_state (labels)",),
    "statistics_target_on_partition_through_column_type": (
        "alter column:public.events.weight (type)",
        "alter column:public.events_2026.weight (type)",
    ),
    "statistics_target_through_column_type": ("alter column:public.posts.score (type)",),
    "table_access_method_back_to_heap": (
        "alter materialized_view:public.audit_counts (access_method)",
        "alter table:public.audit_log (access_method)",
        "drop access_method:heap_archive",
    ),
    "table_add": (
        "create constraint:public.tags.tags_label_key",
        "create constraint:public.tags.tags_pkey",
        "create table:public.tags",
    ),
    "table_drop_referenced": (
        "drop column:public.posts.category_id",
        "drop constraint:public.categories.categories_pkey",
        "drop constraint:public.posts.posts_category_id_fkey",
        "drop table:public.categories",
    ),
    "table_drop_with_dependents": (
        "drop constraint:public.comments.comments_pkey",
        "drop constraint:public.comments.comments_post_id_fkey",
        "drop function:public.comments_trim()",
        "drop index:public.comments_post_id_idx",
        "drop policy:public.comments.comments_read",
        "drop sequence:public.comments_id_seq",
        "drop table:public.comments",
        "drop trigger:public.comments.comments_trim",
        "drop view:public.comment_counts",
    ),
    "table_inherit_add_with_check_and_column": (
        "alter table:public.bikes (inherits)",
        "create column:public.bikes.wheels",
        "create constraint:public.bikes.wheels_positive",
    ),
    "table_inherit_add": ("alter table:public.click_events (inherits)",),
    "table_replica_identity_full": ("alter table:public.posts (replica_identity)",),
    "table_replica_identity_index": (
        "alter table:public.posts (replica_identity, replica_identity_index)",
        "create index:public.posts_account_title_idx",
    ),
    "table_set_unlogged": ("alter table:public.events (persistence)",),
    "table_set_unlogged_referenced": (
        "alter table:public.cache_hits (persistence)",
        "alter table:public.cache_keys (persistence)",
        "alter table:public.cache_values (persistence)",
        "create constraint:public.cache_hits.cache_hits_value_id_fkey",
    ),
    "table_storage_parameters": (
        "alter table:public.posts (options.autovacuum_enabled, options.fillfactor)",
    ),
    "text_search_dictionary_replaced_in_mapping": (
        "alter text_search_configuration:public.docs (mappings)",
        "create text_search_dictionary:public.st2",
        "drop text_search_dictionary:public.st",
    ),
    "trigger_add": (
        "create function:public.posts_clamp_score()",
        "create trigger:public.posts.posts_clamp_score",
    ),
    "trigger_disable": ("alter trigger:public.posts.posts_clamp_score (enabled)",),
    "trigger_events_change": (
        "replace trigger:public.posts.posts_clamp_score (events, update_columns)",
    ),
    "trigger_function_and_policy_drop": (
        "drop function:public.is_locked(bigint)",
        "drop function:public.reject_change()",
        "drop policy:public.posts.posts_unlocked",
        "drop trigger:public.posts.posts_locked",
    ),
    "trigger_when_change": ("replace trigger:public.posts.posts_clamp_score (when)",),
    "type_extension_citext_hstore_in_defaults_and_indexes": (
        "alter column:public.posts.attrs (default, type)",
        "alter column:public.posts.tag (default, type)",
        "create extension:citext",
        "create extension:hstore",
        "create index:public.posts_attrs_idx",
        "create index:public.posts_tag_idx",
    ),
    "view_add": ("create view:public.recent_posts",),
    "view_add_column": ("alter view:public.post_list (query)",),
    "view_check_option": ("alter view:public.positive_posts (check_option)",),
    "view_grouped_on_new_primary_key": (
        "create table:public.journeys",
        "create constraint:public.journeys.journeys_pkey",
        "create view:public.journey_overview",
    ),
    "view_grouped_primary_key_columns": (
        "replace constraint:public.journeys.journeys_pkey (columns)",
        "alter view:public.journey_titles (query)",
    ),
    "view_grouped_primary_key_include": (
        "replace constraint:public.journeys.journeys_pkey (include)",
    ),
    "view_grouped_primary_key_dropped": (
        "alter column:public.journeys.id (not_null)",
        "drop constraint:public.journeys.journeys_pkey",
        "alter view:public.journey_overview (query)",
    ),
    "view_column_type_change": ("alter view:public.post_scores (query)",),
    "view_on_view_column_type_change": ("alter column:public.posts.score (type)",),
    "view_options": (
        "alter view:public.visible_posts (options.security_barrier, options.security_invoker)",
    ),
    "view_query_change": ("alter view:public.recent_posts (query)",),
}

# liveconvo is a real project's drift (79 changes): it must hold at least its three confirmed
# renames (case.json) and the tables that came and went.
LIVECONVO_INCLUDES = (
    "rename column:public.user_referrals.discount_percentage"
    " -> column:public.user_referrals.referee_discount_percent",
    "rename column:public.user_referrals.referee_id -> column:public.user_referrals.referee_user_id"
    " (not_null)",
    "rename column:public.user_referrals.referrer_id"
    " -> column:public.user_referrals.referrer_user_id",
    "create table:public.referral_fraud_checks",
    "drop table:public.custom_reports",
    "drop table:public.email_notifications",
    "drop table:public.referral_audit_logs",
    "drop table:public.user_preferences",
    "alter table:public.user_referrals (column_order)",
)


def _difference(expected: Iterable[str], found: Iterable[str]) -> str:
    """What is missing from ``found`` and what it holds besides, one change a line."""
    missing = Counter(expected) - Counter(found)
    extra = Counter(found) - Counter(expected)
    return "".join(
        [f"\n  missing:    {line}" for line in sorted(missing.elements())]
        + [f"\n  unexpected: {line}" for line in sorted(extra.elements())]
    )


def test_the_corpus_has_at_least_80_pairs_proven_both_ways() -> None:
    assert len(PAIRS) >= 80
    assert len(MIGRATIONS) == 2 * len(PAIRS)
    assert len({m.database for m in MIGRATIONS}) == len(MIGRATIONS)


def test_every_pair_directory_has_both_sides() -> None:
    # A directory that is not a pair (a typo, a half-written case) must not vanish silently.
    names = {p.name for p in PAIRS}
    directories = {
        d.name for d in PAIRS_DIR.iterdir() if d.is_dir() and not d.name.startswith(("_", "."))
    }
    assert directories == names


def test_every_pair_and_only_pairs_have_expected_changes() -> None:
    names = {p.name for p in PAIRS} - {"liveconvo"}
    assert sorted(names - set(EXPECTED_CHANGES)) == [], "add these pairs to EXPECTED_CHANGES"
    assert sorted(set(EXPECTED_CHANGES) - names) == [], "these EXPECTED_CHANGES name no pair"


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p.name)
def test_the_two_sides_of_a_pair_differ(pair: Pair) -> None:
    assert _changes(pair), f"{pair.name}: a and b load to the same schema"


@pytest.mark.parametrize(
    "pair", [p for p in PAIRS if p.name in EXPECTED_CHANGES], ids=lambda p: p.name
)
def test_a_pair_changes_exactly_what_its_name_says(pair: Pair) -> None:
    expected = EXPECTED_CHANGES[pair.name]
    found = [describe(c) for c in _changes(pair)]
    assert sorted(found) == sorted(expected), (
        f"{pair.name}: the diff from a to b is not the one EXPECTED_CHANGES names:"
        + _difference(expected, found)
    )


def test_liveconvo_holds_its_renames_and_its_table_changes() -> None:
    (pair,) = (p for p in PAIRS if p.name == "liveconvo")
    found = [describe(c) for c in _changes(pair)]
    assert not Counter(LIVECONVO_INCLUDES) - Counter(found), _difference(LIVECONVO_INCLUDES, found)


def test_describe_names_operation_id_new_id_and_sorted_fields() -> None:
    a = pgdrift.loads("CREATE TABLE public.t (a integer, b text);")
    b = pgdrift.loads("CREATE TABLE public.u (a bigint DEFAULT 1, b text);")
    assert [describe(c) for c in diff(a, b, renames={"public.t": "u"})] == [
        "alter column:public.t.a (default, type)",
        "rename table:public.t -> table:public.u",
    ]


@pytest.mark.parametrize("migration", MIGRATIONS, ids=lambda m: m.id)
def test_a_migration_script_matches_its_golden_file(
    migration: Migration, golden: Callable[[str | Path, str], None]
) -> None:
    # What `pgdrift diff --format sql SOURCE TARGET` prints, with the pair's confirmed renames.
    changes = diff(_load(migration.source), _load(migration.target), renames=migration.renames)
    golden(migration.expected_sql, render(changes, "sql"))


@pytest.mark.parametrize("migration", MIGRATIONS, ids=lambda m: m.id)
def test_a_migration_script_never_creates_one_name_twice(migration: Migration) -> None:
    # Independent of the planner's own bookkeeping: PostgreSQL's parser reads the committed
    # script back, and a name created twice would be "already exists" on any database.
    script = migration.expected_sql.read_text(encoding="utf-8")
    assert created_twice(script) == []


def test_created_twice_sees_a_constraint_index_clash_and_a_repeated_column() -> None:
    script = """
        CREATE INDEX t_key ON public.t (a);
        ALTER TABLE ONLY public.t ADD CONSTRAINT t_key UNIQUE (a);
        ALTER TABLE public.p ADD COLUMN c text;
        ALTER TABLE public.p ADD COLUMN c text, ADD COLUMN d text;
        ALTER TABLE public.q ADD COLUMN c text;
    """
    assert created_twice(script) == [("column", "public", "p", "c"),
                                     ("relation", "public", "t_key")]  # fmt: skip


def test_every_golden_script_belongs_to_a_migration() -> None:
    # A pair renamed or removed must not leave its old scripts behind.
    expected = {m.expected_sql for m in MIGRATIONS}
    stray = sorted(p for p in PAIRS_DIR.glob("*/expected*.sql") if p not in expected)
    assert stray == [], f"golden scripts of no pair: {stray}"


@pytest.mark.parametrize("pair", [p for p in PAIRS if p.renames], ids=lambda p: p.name)
def test_a_pairs_renames_are_confirmed_in_both_directions(pair: Pair) -> None:
    # (A parent's column rename also renames its descendants' columns: those are not named.)
    forward = _named_renames(_changes(pair))
    assert len(forward) == len(pair.renames)
    backward = _named_renames(
        diff(_load(pair.b), _load(pair.a), renames=invert_renames(pair.renames))
    )
    assert len(backward) == len(pair.renames)


def _named_renames(changes: ChangeSet) -> list[Change]:
    named = {c.old for c in changes.rename_candidates if "confirmed" in c.evidence}
    return [c for c in changes.filter(operation="rename") if c.id in named]


def test_renames_invert_by_swapping_the_last_name() -> None:
    assert invert_renames({"public.t.a": "b", "public.old": "new"}) == {
        "public.new": "old",
        "public.t.b": "a",
    }


def test_a_case_json_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    (tmp_path / "case.json").write_text(json.dumps({"rename": {"public.t.a": "b"}}))
    with pytest.raises(PairError, match="unknown keys"):
        Pair.load(tmp_path)


def test_a_side_without_a_dump_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    with pytest.raises(PairError, match=r"no dump\.sql"):
        Pair.load(tmp_path)
