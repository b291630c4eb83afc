"""What a column type change costs: USING, table rewrite, failure on existing rows."""

from __future__ import annotations

import pytest

from pgdrift.planner.hazards import ColumnTypeChange, type_change
from pgdrift.types import parse_type


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("integer", "bigint", ColumnTypeChange(None, rewrites=True, may_fail=False)),
        ("bigint", "integer", ColumnTypeChange(None, rewrites=True, may_fail=True)),
        ("integer[]", "bigint[]", ColumnTypeChange(None, rewrites=True, may_fail=False)),
        ("varchar(10)", "varchar(20)", ColumnTypeChange(None, rewrites=False, may_fail=False)),
        ("varchar(20)", "varchar(10)", ColumnTypeChange(None, rewrites=True, may_fail=True)),
        ("varchar(50)", "text", ColumnTypeChange(None, rewrites=False, may_fail=False)),
        ("text", "varchar", ColumnTypeChange(None, rewrites=False, may_fail=False)),
        ("text", "varchar(5)", ColumnTypeChange(None, rewrites=True, may_fail=True)),
        ("numeric(10,2)", "numeric(12,2)", ColumnTypeChange(None, rewrites=False, may_fail=False)),
        ("numeric(10,2)", "numeric(12,4)", ColumnTypeChange(None, rewrites=True, may_fail=False)),
        ("numeric(10,2)", "numeric(10,3)", ColumnTypeChange(None, rewrites=True, may_fail=True)),
        ("numeric(10,2)", "numeric", ColumnTypeChange(None, rewrites=False, may_fail=False)),
        # Fewer fractional digits round: 1.255 becomes 1.26, silently (deletes data).
        ("numeric", "numeric(10,2)",
         ColumnTypeChange(None, rewrites=True, may_fail=True, cuts=True)),
        ("numeric(10,2)", "numeric(10,1)",
         ColumnTypeChange(None, rewrites=True, may_fail=True, cuts=True)),
        ("numeric(10,2)", "integer",
         ColumnTypeChange(None, rewrites=True, may_fail=True, cuts=True)),
        ("timestamp", "timestamp(0)",
         ColumnTypeChange(None, rewrites=True, may_fail=True, cuts=True)),
        ("timestamptz", "date", ColumnTypeChange(None, rewrites=True, may_fail=True, cuts=True)),
        ("bigint", "double precision",
         ColumnTypeChange(None, rewrites=True, may_fail=True, cuts=True)),
        ("json", "jsonb", ColumnTypeChange(None, rewrites=True, may_fail=True, cuts=True)),
        ("inet", "cidr", ColumnTypeChange(None, rewrites=True, may_fail=True, cuts=True)),
        ("text", "name", ColumnTypeChange(None, rewrites=True, may_fail=True, cuts=True)),
        ("text", "numeric(8,2)",
         ColumnTypeChange("c::numeric(8,2)", rewrites=True, may_fail=True, cuts=True)),
        # Refused, not cut: a value too long for varchar(n) fails the ALTER.
        ("varchar(20)", "char(10)", ColumnTypeChange(None, rewrites=True, may_fail=True)),
        ("integer", "numeric(12,2)", ColumnTypeChange(None, rewrites=True, may_fail=False)),
        ("timestamp(0)", "timestamp(3)", ColumnTypeChange(None, rewrites=False, may_fail=False)),
        ("text", "integer", ColumnTypeChange("c::integer", rewrites=True, may_fail=True)),
        # An assignment cast (I/O conversion to a string type) converts: no USING.
        ("integer", "text", ColumnTypeChange(None, rewrites=True, may_fail=False)),
        ("text", "jsonb", ColumnTypeChange("c::jsonb", rewrites=True, may_fail=True)),
        ("timestamp", "timestamptz", ColumnTypeChange(None, rewrites=True, may_fail=False)),
        ("cidr", "inet", ColumnTypeChange(None, rewrites=False, may_fail=False)),
        ("public.mood", "text", ColumnTypeChange(None, rewrites=True, may_fail=False)),
        ("public.mood", "public.feeling",
         ColumnTypeChange("c::text::public.feeling", rewrites=True, may_fail=True)),
        ("public.mood[]", "public.feeling[]",
         ColumnTypeChange("c::text[]::public.feeling[]", rewrites=True, may_fail=True)),
        ("text", "public.mood", ColumnTypeChange("c::public.mood", rewrites=True, may_fail=True)),
        # No cast from integer to integer[]: only the array's text input can be tried.
        ("integer", "integer[]",
         ColumnTypeChange("c::text::integer[]", rewrites=True, may_fail=True)),
    ],
)
def test_type_changes_are_classified(old: str, new: str, expected: ColumnTypeChange) -> None:
    assert type_change("c", parse_type(old), parse_type(new)) == expected


def test_hazards_of_a_type_change() -> None:
    assert ColumnTypeChange(None, rewrites=False, may_fail=False).hazards() == ()
    assert ColumnTypeChange(None, rewrites=True, may_fail=False).hazards() == (
        "rewrites_table", "strong_lock")  # fmt: skip
    assert ColumnTypeChange(None, rewrites=True, may_fail=True).hazards() == (
        "rewrites_table", "strong_lock", "may_fail")  # fmt: skip
    # A change that rounds or truncates values without an error loses what was stored.
    assert ColumnTypeChange(None, rewrites=True, may_fail=True, cuts=True).hazards() == (
        "deletes_data", "rewrites_table", "strong_lock", "may_fail")  # fmt: skip


def test_the_using_clause_quotes_the_column() -> None:
    change = type_change("Order Total", parse_type("text"), parse_type("numeric"))
    assert change.using == '"Order Total"::numeric'
