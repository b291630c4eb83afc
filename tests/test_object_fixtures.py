"""What PostgreSQL 15's pg_dump writes for each object kind, as the object-kind fixtures show it.

The fixtures ``tables``, ``constraints``, ``indexes``, ... are real dumps of committed DDL. pg_dump
does not echo that DDL back: it drops defaults, splits statements, renames, reorders. Each test
pins one such rewrite, so the builders can rely on it and a regenerated fixture that lost the
behaviour fails here first.
"""

from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def dump(case: str) -> str:
    return (FIXTURES / case / "dump.sql").read_text(encoding="utf-8")


def statement(text: str, head: str) -> str:
    """The statement starting at the line that begins with ``head``, through its final ``;``."""
    start = text.index("\n" + head) + 1
    return text[start : text.index(";\n", start) + 1]


def toc_types(text: str) -> list[str]:
    """The ``Type:`` of every table-of-contents header, in dump order."""
    return re.findall(r"^-- Name: .*; Type: (.*?); Schema: ", text, re.M)


# -- tables --------------------------------------------------------------------------------


def test_inherited_column_defaults_are_set_on_the_child_after_create_table() -> None:
    text = dump("tables")
    # Purely inherited columns are not written in the child's CREATE TABLE...
    assert "wheels" not in statement(text, "CREATE TABLE public.trucks (")
    assert "ALTER TABLE ONLY public.trucks ALTER COLUMN wheels SET DEFAULT 4;" in text
    # ...but a column the child redeclares stays inline with its own default.
    assert "    wheels integer DEFAULT 2,\n" in statement(text, "CREATE TABLE public.bicycles (")


def test_column_storage_compression_statistics_and_options_follow_create_table() -> None:
    text = dump("tables")
    assert "STORAGE" not in statement(text, "CREATE TABLE public.measurements (")
    for line in (
        "ALTER TABLE ONLY public.measurements ALTER COLUMN notes SET STORAGE EXTERNAL;",
        "ALTER TABLE ONLY public.measurements ALTER COLUMN payload SET COMPRESSION lz4;",
        "ALTER TABLE ONLY public.measurements ALTER COLUMN label SET STATISTICS 500;",
        "ALTER TABLE ONLY public.measurements ALTER COLUMN height_cm SET (n_distinct=100);",
    ):
        assert line in text


def test_identity_is_added_after_the_table_and_its_sequence_is_not_created_separately() -> None:
    text = dump("tables")
    assert "GENERATED" not in statement(text, "CREATE TABLE inventory.items (")
    identity = statement(text, "ALTER TABLE inventory.items ALTER COLUMN item_no ADD GENERATED")
    assert "SEQUENCE NAME inventory.item_numbers" in identity
    assert "CYCLE" in identity
    assert "CREATE SEQUENCE inventory.item_numbers" not in text


def test_defaults_come_back_normalised() -> None:
    defaults = statement(dump("tables"), "CREATE TABLE public.defaults (")
    assert "negative integer DEFAULT '-1'::integer," in defaults
    assert "priority integer DEFAULT ((1 + 2) * 3)," in defaults
    assert "status text DEFAULT 'new'::text NOT NULL," in defaults
    assert "created_by name DEFAULT CURRENT_USER," in defaults


def test_dropped_columns_leave_no_trace() -> None:
    assert "obsolete" not in dump("tables")


def test_storage_parameters_are_quoted_strings() -> None:
    assert (
        "WITH (fillfactor='70', autovacuum_enabled='false', "
        "autovacuum_vacuum_scale_factor='0.05', toast.autovacuum_enabled='false');"
    ) in dump("tables")


# -- constraints ---------------------------------------------------------------------------


def test_not_valid_check_is_its_own_entry_while_valid_checks_stay_inline() -> None:
    text = dump("constraints")
    assert "-- Name: order_lines order_lines_sku_format; Type: CHECK CONSTRAINT;" in text
    assert "CHECK ((quantity > 0))" in statement(text, "CREATE TABLE public.order_lines (")
    assert "CHECK ((id > 0)) NO INHERIT" in statement(text, "CREATE TABLE public.customers (")


def test_constraint_defaults_are_omitted() -> None:
    text = dump("constraints")
    for default in ("INITIALLY IMMEDIATE", "MATCH SIMPLE", "NO ACTION"):
        assert default not in text
    assert "ADD CONSTRAINT order_lines_pkey PRIMARY KEY (order_id, line_no) DEFERRABLE;" in text


def test_every_foreign_key_comes_after_every_table() -> None:
    types = toc_types(dump("constraints"))
    assert max(i for i, t in enumerate(types) if t == "TABLE") < types.index("FK CONSTRAINT")


def test_primary_key_using_index_takes_the_constraint_name() -> None:
    text = dump("constraints")
    assert "ADD CONSTRAINT legacy_codes_pkey PRIMARY KEY (code);" in text
    assert "legacy_codes_code_idx" not in text


def test_like_is_written_as_its_operator() -> None:
    assert "CHECK ((email ~~ '%@%'::text))" in dump("constraints")


# -- indexes and partitions -----------------------------------------------------------------


def test_partitioned_index_is_built_on_only_the_parent_and_attached() -> None:
    text = dump("indexes")
    assert "CREATE INDEX events_kind_idx ON ONLY public.events USING btree (kind);" in text
    assert (
        "ALTER INDEX public.events_kind_idx ATTACH PARTITION public.events_2024_kind_idx;" in text
    )
    # The ON ONLY index with nothing attached stays invalid, and is dumped anyway.
    assert "CREATE INDEX events_payload_idx ON ONLY public.events USING gin (payload);" in text
    assert "ATTACH PARTITION public.events_2026_pkey;" in text


def test_index_details_are_normalised() -> None:
    text = dump("indexes")
    assert "USING btree (owner_id, score DESC);" in text  # ASC is the default: omitted
    assert "USING gist (search tsvector_ops (siglen='64'));" in text
    assert "ALTER INDEX public.documents_kind_title_idx ALTER COLUMN 1 SET STATISTICS 1000;" in text
    clustered = text.index("CREATE INDEX documents_created_desc_idx")
    assert text.index("ALTER TABLE public.documents CLUSTER ON documents_created_desc_idx;") > (
        clustered
    )


def test_partitions_are_created_as_tables_then_attached() -> None:
    text = dump("partitions")
    assert "PARTITION OF" not in text
    assert (
        "ALTER TABLE ONLY public.measurements ATTACH PARTITION public.measurements_before_2024 "
        "FOR VALUES FROM (MINVALUE) TO ('2024-01-01');"
    ) in text
    assert "ATTACH PARTITION public.customers_apac_1 FOR VALUES WITH (modulus 2, remainder 1);" in (
        text
    )
    assert "PARTITION BY LIST (lower(country_code) text_pattern_ops);" in text
    # A partition's columns come back in full: inherited defaults and its own.
    assert "unitsales integer DEFAULT 0" in statement(
        text, "CREATE TABLE public.measurements_2024q1 ("
    )
    assert "peaktemp integer DEFAULT 15," in statement(
        text, "CREATE TABLE public.measurements_2024q2 ("
    )


# -- sequences -----------------------------------------------------------------------------


def test_owned_sequence_defaults_are_split_out_to_break_the_dependency_loop() -> None:
    text = dump("sequences")
    invoices = statement(text, "CREATE TABLE public.invoices (")
    # Not owned by the table: the default stays inline.
    assert "DEFAULT nextval('billing.invoice_numbers'::regclass)" in invoices
    # OWNED BY (serial or explicit) makes the sequence depend on the table.
    assert invoices.count("nextval") == 1
    assert (
        "ALTER TABLE ONLY public.invoices ALTER COLUMN serial_no SET DEFAULT "
        "nextval('public.invoices_serial_no_seq'::regclass);"
    ) in text
    assert (
        "ALTER SEQUENCE public.invoices_external_no_seq OWNED BY public.invoices.external_no;"
        in (text)
    )


def test_sequence_options_that_are_defaults_are_written_as_no_or_omitted() -> None:
    text = dump("sequences")
    assert "AS bigint" not in text
    assert "    AS smallint\n" in statement(text, "CREATE SEQUENCE public.small_seq")
    countdown = statement(text, "CREATE SEQUENCE public.countdown_seq")
    assert "MINVALUE -1000" in countdown
    assert "NO MAXVALUE" in countdown  # -1 is the default maximum of a descending sequence
    assert "CREATE UNLOGGED SEQUENCE public.unlogged_seq" in text
    assert "setval" not in text


# -- views ---------------------------------------------------------------------------------


def test_view_column_default_is_set_with_alter_table() -> None:
    assert "ALTER TABLE ONLY public.new_accounts ALTER COLUMN region SET DEFAULT 'eu'::text;" in (
        dump("views")
    )


def test_recursive_view_is_written_as_with_recursive() -> None:
    first_ten = statement(dump("views"), "CREATE VIEW public.first_ten AS")
    assert " WITH RECURSIVE first_ten(n) AS (" in first_ten


def test_materialized_views_are_refreshed_only_if_they_were_populated() -> None:
    assert dump("views").count("WITH NO DATA;") == 3
    assert "REFRESH" not in dump("views")
    with_data = dump("views_with_data")
    assert re.findall(r"^REFRESH MATERIALIZED VIEW .*", with_data, re.M) == [
        "REFRESH MATERIALIZED VIEW public.account_owners;"
    ]


# -- routines ------------------------------------------------------------------------------


def test_routine_text_is_normalised() -> None:
    text = dump("routines")
    assert "AS $_$ SELECT $1 || $2 $_$;" in text  # any "$" in the body moves the tag to $_$
    assert "CREATE PROCEDURE public.transfer(IN from_id integer, IN to_id integer," in text
    assert "VOLATILE" not in text
    assert "CALLED ON NULL INPUT" not in text
    assert "    AS $$lower$$;" in text
    assert "SET work_mem TO '8MB'" in text  # SET ... FROM CURRENT is frozen at creation
    assert "RETURNS record" in statement(text, "CREATE FUNCTION public.split_name(")


def test_sql_standard_bodies_are_deparsed_with_qualified_parameters() -> None:
    text = dump("routines")
    assert "UPDATE public.accounts SET balance = reset_balances.new_balance;" in text
    assert "RETURN ((first_name || ' '::text) || last_name);" in text


# -- triggers ------------------------------------------------------------------------------


def test_trigger_events_and_enable_states() -> None:
    text = dump("triggers")
    assert "AFTER INSERT OR DELETE OR UPDATE ON public.accounts" in text
    assert "FROM public.accounts NOT DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW" in text
    assert "ALTER TABLE public.accounts ENABLE REPLICA TRIGGER accounts_bulk_insert;" in text
    assert "ALTER EVENT TRIGGER log_drops ENABLE ALWAYS;" in text


def test_cloned_partition_trigger_appears_only_for_its_own_enable_state() -> None:
    text = dump("triggers")
    entry = text[text.index("-- Name: ledger_2024 ledger_audit; Type: TRIGGER;") :]
    assert entry.split("\n--\n")[1].strip() == (
        "ALTER TABLE public.ledger_2024 DISABLE TRIGGER ledger_audit;"
    )
    assert "CREATE TRIGGER ledger_audit AFTER INSERT OR DELETE ON public.ledger_2024" not in text


# -- types ---------------------------------------------------------------------------------


def test_enum_labels_are_listed_in_sort_order_not_creation_order() -> None:
    status = statement(dump("types"), "CREATE TYPE shop.order_status AS ENUM (")
    labels = re.findall(r"'((?:[^']|'')*)'", status)
    assert labels == ["pending", "paid", "refunded", "on hold", "shipped", "canceled", "archived"]


def test_domain_details() -> None:
    text = dump("types")
    # A domain over a domain got a copy of the base domain's default.
    assert "CREATE DOMAIN shop.small_amount AS shop.amount DEFAULT 0\n" in text
    assert "CONSTRAINT code_check1 CHECK ((VALUE = upper(VALUE)))" in text
    assert "-- Name: us_postal_code us_postal_code_not_zero; Type: CHECK CONSTRAINT;" in text
    assert "CREATE DOMAIN shop.nullable_note AS character varying(200);" in text


def test_multirange_names() -> None:
    text = dump("types")
    assert "multirange_type_name = shop.float_multirange," in text
    assert "multirange_type_name = shop.text_span_multirange," in text
    assert "CREATE TYPE shop.placeholder;" in text


# -- policies and privileges ---------------------------------------------------------------


def test_policy_defaults_are_omitted_and_roles_sorted() -> None:
    text = dump("policies")
    assert "CREATE POLICY documents_owner_all ON public.documents TO authenticated USING" in text
    assert "FOR INSERT TO app_user, authenticated WITH CHECK" in text
    assert "CREATE POLICY documents_same_org ON public.documents AS RESTRICTIVE USING" in text
    assert "PERMISSIVE" not in text
    assert "CREATE POLICY organizations_members_read ON public.organizations" in text


def test_privilege_rewrites() -> None:
    text = dump("privileges")
    # Revoking one right from the owner resets the owner's entry and grants the rest back.
    assert (
        "REVOKE ALL ON TABLE api.accounts FROM app_owner;\n"
        "GRANT SELECT,INSERT,REFERENCES,DELETE,TRIGGER,UPDATE ON TABLE api.accounts TO app_owner;"
    ) in text
    # A grant made through a grant option is replayed as its grantor.
    assert (
        "SET SESSION AUTHORIZATION app_user;\n"
        "GRANT SELECT ON TABLE api.accounts TO app_readonly;\n"
        "RESET SESSION AUTHORIZATION;"
    ) in text
    assert "GRANT SELECT(bio),UPDATE(bio) ON TABLE api.profiles TO authenticated;" in text
    assert "GRANT ALL ON TYPE api.email TO app_user;" in text  # a domain's grant says TYPE


def test_only_procedural_language_privileges_are_dumped() -> None:
    text = dump("privileges")
    assert "REVOKE ALL ON LANGUAGE plpgsql FROM PUBLIC;" in text
    assert "ON LANGUAGE sql" not in text


# -- comments and misc ---------------------------------------------------------------------


def test_comments_that_pg_dump_does_not_write() -> None:
    text = dump("comments")
    assert "COMMENT ON COLUMN crm.contacts.stage" not in text  # IS '' deletes the comment
    assert "COMMENT ON EXTENSION plpgsql" not in text
    assert "COMMENT ON ROLE" not in text
    assert "COMMENT ON DATABASE" not in text
    assert "IS 'People we talk to.\nSecond line: it''s" in text


def test_misc_rewrites() -> None:
    text = dump("misc")
    assert "CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA extensions;" in text
    assert "VERSION '1.5'" not in text
    assert "CREATE OPERATOR FAMILY public.int4_reverse_ops USING btree;" in text
    assert "CREATE STATISTICS sales.orders_status_expr ON customer_id, lower(status) FROM" in text
    assert "CREATE PUBLICATION orders_feed WITH (" in text
    assert "ALTER PUBLICATION orders_feed ADD TABLE ONLY sales.orders (id, customer_id," in text
    assert "ALTER TEXT SEARCH CONFIGURATION search.products\n    ADD MAPPING FOR numword" in text
    assert "COPY = " not in text
    assert "SET default_table_access_method = heap_copy;" in text
    assert " USING heap_copy" not in text
    assert "ALTER FOREIGN TABLE sales.invoices ALTER COLUMN id OPTIONS (" in text
    assert "CREATE COLLATION public.posix_copy (provider = libc, locale = 'POSIX');" in text
