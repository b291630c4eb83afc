"""Enums, domains, composite, range, base and shell types, built from SQL written the way
pg_dump 15 prints it."""

from __future__ import annotations

import pytest

import pgdrift
from pgdrift import ids, model
from pgdrift.errors import DuplicateObjectError, UndefinedObjectError
from pgdrift.expr import parse_expr
from pgdrift.ids import ObjectId
from pgdrift.schema import Schema
from pgdrift.types import parse_type

HEADER = "SELECT pg_catalog.set_config('search_path', '', false);\n"


def load(sql: str) -> Schema:
    return pgdrift.loads(HEADER + sql)


# Enums ---------------------------------------------------------------------------------------


def test_enum_labels_keep_their_order() -> None:
    schema = load("""
CREATE TYPE shop.order_status AS ENUM (
    'pending',
    'paid',
    'shipped'
);
ALTER TYPE shop.order_status OWNER TO app_owner;
""")
    oid = ObjectId(ids.ENUM, "shop", "order_status")
    enum = schema[oid]
    assert enum == model.Enum(
        id=oid,
        owner="app_owner",
        privileges=enum.privileges,
        labels=("pending", "paid", "shipped"),
    )


def test_enum_labels_may_be_empty_or_need_quoting() -> None:
    schema = load("""
CREATE TYPE shop.empty_enum AS ENUM (
);
CREATE TYPE shop.quirky_label AS ENUM (
    'it''s',
    'two words',
    ''
);
""")
    assert schema["enum:shop.empty_enum"].labels == ()
    assert schema["enum:shop.quirky_label"].labels == ("it's", "two words", "")


def test_alter_type_add_value_places_the_label() -> None:
    schema = load("""
CREATE TYPE shop.mood AS ENUM ('sad', 'happy');
ALTER TYPE shop.mood ADD VALUE 'ok' BEFORE 'happy';
ALTER TYPE shop.mood ADD VALUE 'blue' AFTER 'sad';
ALTER TYPE shop.mood ADD VALUE 'ecstatic';
ALTER TYPE shop.mood ADD VALUE IF NOT EXISTS 'ok';
ALTER TYPE shop.mood RENAME VALUE 'sad' TO 'gloomy';
""")
    assert schema["enum:shop.mood"].labels == ("gloomy", "blue", "ok", "happy", "ecstatic")


# Domains -------------------------------------------------------------------------------------


def test_domain_attributes_and_named_checks() -> None:
    schema = load("""
CREATE DOMAIN shop.amount AS numeric(12,2) NOT NULL DEFAULT 0
	CONSTRAINT amount_not_negative CHECK ((VALUE >= (0)::numeric))
	CONSTRAINT amount_cap CHECK ((VALUE < (1000000)::numeric));
""")
    oid = ObjectId(ids.DOMAIN, "shop", "amount")
    domain = schema[oid]
    assert domain == model.Domain(
        id=oid,
        privileges=domain.privileges,
        base_type=parse_type("numeric(12,2)"),
        default=parse_expr("0"),
        not_null=True,
        checks=(  # sorted by name
            model.DomainCheck(name="amount_cap", expression=parse_expr("VALUE < 1000000::numeric")),
            model.DomainCheck(
                name="amount_not_negative", expression=parse_expr("VALUE >= 0::numeric")
            ),
        ),
    )


def test_domain_collation_loses_its_pg_catalog_prefix() -> None:
    schema = load('CREATE DOMAIN shop.code AS text COLLATE pg_catalog."C";')
    domain = schema["domain:shop.code"]
    assert (domain.collation, domain.checks, domain.not_null) == ("C", (), False)


def test_unnamed_domain_checks_get_postgresql_default_names() -> None:
    # Hand-written SQL: PostgreSQL names them <domain>_check, <domain>_check1, ...
    schema = load(
        "CREATE DOMAIN shop.code AS text CHECK (length(VALUE) <= 12) CHECK (VALUE = upper(VALUE));"
    )
    assert [c.name for c in schema["domain:shop.code"].checks] == ["code_check", "code_check1"]


def test_alter_domain_adds_a_not_valid_check_and_validate_clears_it() -> None:
    sql = """
CREATE DOMAIN shop.us_postal_code AS text;
ALTER DOMAIN shop.us_postal_code
    ADD CONSTRAINT us_postal_code_not_zero CHECK ((VALUE <> '00000'::text)) NOT VALID;
"""
    check = load(sql)["domain:shop.us_postal_code"].checks[0]
    assert (check.name, check.not_valid) == ("us_postal_code_not_zero", True)
    validated = load(
        sql + "ALTER DOMAIN shop.us_postal_code VALIDATE CONSTRAINT us_postal_code_not_zero;"
    )
    assert validated["domain:shop.us_postal_code"].checks[0].not_valid is False


def test_alter_domain_changes_default_not_null_and_drops_checks() -> None:
    schema = load("""
CREATE DOMAIN shop.d AS integer CONSTRAINT positive CHECK ((VALUE > 0));
ALTER DOMAIN shop.d SET DEFAULT 7;
ALTER DOMAIN shop.d SET NOT NULL;
ALTER DOMAIN shop.d DROP CONSTRAINT positive;
""")
    domain = schema["domain:shop.d"]
    assert (domain.default, domain.not_null, domain.checks) == (parse_expr("7"), True, ())


def test_alter_domain_rename_constraint_renames_the_check() -> None:
    sql = "CREATE DOMAIN shop.d AS int CONSTRAINT d_max CHECK (VALUE <= 480) CHECK (VALUE > 0);"
    checks = load(sql + "ALTER DOMAIN shop.d RENAME CONSTRAINT d_max TO d_upper;")[
        "domain:shop.d"
    ].checks
    assert [(c.name, c.expression.sql) for c in checks] == [
        ("d_check", "value > 0"),
        ("d_upper", "value <= 480"),
    ]
    with pytest.raises(DuplicateObjectError):
        load(sql + "ALTER DOMAIN shop.d RENAME CONSTRAINT d_max TO d_check;")
    with pytest.raises(UndefinedObjectError):
        load(sql + "ALTER DOMAIN shop.d RENAME CONSTRAINT nope TO d_upper;")


def test_validating_an_unknown_domain_check_is_an_error() -> None:
    with pytest.raises(UndefinedObjectError):
        load("CREATE DOMAIN shop.d AS integer;\nALTER DOMAIN shop.d VALIDATE CONSTRAINT nope;")


def test_domain_over_a_domain_inherits_its_default() -> None:
    # PostgreSQL copies the base domain's DEFAULT, and pg_dump prints it on the new domain.
    source = load("""
CREATE DOMAIN shop.amount AS numeric(12,2) DEFAULT 0;
CREATE DOMAIN shop.small_amount AS shop.amount;
""")
    dumped = load("""
CREATE DOMAIN shop.amount AS numeric(12,2) DEFAULT 0;
CREATE DOMAIN shop.small_amount AS shop.amount DEFAULT 0;
""")
    assert source["domain:shop.small_amount"].default == parse_expr("0")
    assert source == dumped


# Composite types -----------------------------------------------------------------------------


def test_composite_type_columns_are_column_objects() -> None:
    schema = load("""
CREATE TYPE shop.address AS (
	street text,
	city text COLLATE pg_catalog."C",
	country character(2)
);
""")
    oid = ObjectId(ids.COMPOSITE_TYPE, "shop", "address")
    composite = schema[oid]
    assert composite.columns.names() == ("street", "city", "country")
    city = composite.columns["city"]
    assert city.id == ObjectId(ids.COLUMN, "shop", "city", parent="address")
    assert city == model.Column(id=city.id, type=parse_type("text"), collation="C")
    assert composite.columns["country"].type == parse_type("character(2)")


def test_comment_on_a_composite_type_column_finds_it() -> None:
    schema = load("""
CREATE TYPE shop.address AS (
	street text
);
COMMENT ON COLUMN shop.address.street IS 'Street and number';
""")
    assert schema["composite_type:shop.address"].columns["street"].comment == "Street and number"


# Range types ---------------------------------------------------------------------------------


def test_range_type_subtype_and_options() -> None:
    schema = load("""
CREATE TYPE shop.opening_hours AS RANGE (
    subtype = time without time zone,
    multirange_type_name = shop.opening_hours_multi,
    subtype_diff = shop.time_diff
);
""")
    oid = ObjectId(ids.RANGE_TYPE, "shop", "opening_hours")
    range_type = schema[oid]
    assert range_type == model.RangeType(
        id=oid,
        privileges=range_type.privileges,
        subtype=parse_type("time"),
        options=(
            ("multirange_type_name", "shop.opening_hours_multi"),
            ("subtype_diff", "shop.time_diff"),
        ),
    )


@pytest.mark.parametrize(
    ("name", "multirange"),
    [("float_range", "float_multirange"), ("text_span", "text_span_multirange")],
)
def test_range_without_multirange_name_gets_postgresqls_default(name: str, multirange: str) -> None:
    # "range" in the name becomes "multirange"; otherwise "_multirange" is appended.
    source = load(f"CREATE TYPE shop.{name} AS RANGE (subtype = text);")
    dumped = load(
        f"CREATE TYPE shop.{name} AS RANGE (\n    subtype = text,\n"
        f"    multirange_type_name = shop.{multirange}\n);"
    )
    assert source[f"range_type:shop.{name}"].options == (
        ("multirange_type_name", f"shop.{multirange}"),
    )
    assert source == dumped


def test_range_collation_and_opclass_are_names() -> None:
    schema = load("""
CREATE TYPE shop.text_span AS RANGE (
    subtype = text,
    multirange_type_name = shop.text_span_multirange,
    subtype_opclass = text_pattern_ops,
    collation = pg_catalog."C"
);
""")
    assert dict(schema["range_type:shop.text_span"].options) == {
        "collation": "C",
        "multirange_type_name": "shop.text_span_multirange",
        "subtype_opclass": "text_pattern_ops",
    }


# Base and shell types ------------------------------------------------------------------------


def test_shell_type_alone_stays_a_shell() -> None:
    schema = load("CREATE TYPE shop.placeholder;\nALTER TYPE shop.placeholder OWNER TO app_owner;")
    oid = ObjectId(ids.BASE_TYPE, "shop", "placeholder")
    base = schema[oid]
    assert base == model.BaseType(id=oid, owner="app_owner", privileges=base.privileges, shell=True)


def test_base_type_definition_fills_in_its_shell() -> None:
    schema = load("""
CREATE TYPE shop.myint;
CREATE FUNCTION shop.myint_in(cstring) RETURNS shop.myint
    LANGUAGE internal IMMUTABLE STRICT
    AS $$int4in$$;
CREATE FUNCTION shop.myint_out(shop.myint) RETURNS cstring
    LANGUAGE internal IMMUTABLE STRICT
    AS $$int4out$$;
CREATE TYPE shop.myint (
    INTERNALLENGTH = 4,
    INPUT = shop.myint_in,
    OUTPUT = shop.myint_out,
    CATEGORY = 'N',
    ALIGNMENT = int4,
    STORAGE = plain,
    PASSEDBYVALUE
);
ALTER TYPE shop.myint OWNER TO app_owner;
""")
    oid = ObjectId(ids.BASE_TYPE, "shop", "myint")
    base = schema[oid]
    assert not base.shell
    assert base.owner == "app_owner"
    # ALIGNMENT = int4 and STORAGE = plain are the defaults, so they are left out.
    assert base.options == (
        ("category", "N"),
        ("input", "shop.myint_in"),
        ("internallength", "4"),
        ("output", "shop.myint_out"),
        ("passedbyvalue", "true"),
    )
