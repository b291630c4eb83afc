"""What a column type change costs: USING, table rewrite, failure on existing rows."""

from __future__ import annotations

import pytest

from pgdrift.planner.hazards import TypeChange, type_change
from pgdrift.types import parse_type


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("integer", "bigint", TypeChange(None, rewrites=True, may_fail=False)),
        ("bigint", "integer", TypeChange(None, rewrites=True, may_fail=True)),
        ("integer[]", "bigint[]", TypeChange(None, rewrites=True, may_fail=False)),
        ("varchar(10)", "varchar(20)", TypeChange(None, rewrites=False, may_fail=False)),
        ("varchar(20)", "varchar(10)", TypeChange(None, rewrites=True, may_fail=True)),
        ("varchar(50)", "text", TypeChange(None, rewrites=False, may_fail=False)),
        ("text", "varchar", TypeChange(None, rewrites=False, may_fail=False)),
        ("text", "varchar(5)", TypeChange(None, rewrites=True, may_fail=True)),
        ("numeric(10,2)", "numeric(12,2)", TypeChange(None, rewrites=False, may_fail=False)),
        ("numeric(10,2)", "numeric(12,4)", TypeChange(None, rewrites=True, may_fail=False)),
        ("numeric(10,2)", "numeric(10,3)", TypeChange(None, rewrites=True, may_fail=True)),
        ("numeric(10,2)", "numeric", TypeChange(None, rewrites=False, may_fail=False)),
        ("numeric", "numeric(10,2)", TypeChange(None, rewrites=True, may_fail=True)),
        ("text", "integer", TypeChange("c::integer", rewrites=True, may_fail=True)),
        ("integer", "text", TypeChange("c::text", rewrites=True, may_fail=False)),
        ("text", "jsonb", TypeChange("c::jsonb", rewrites=True, may_fail=True)),
        ("timestamp", "timestamptz", TypeChange(None, rewrites=True, may_fail=False)),
        ("cidr", "inet", TypeChange(None, rewrites=False, may_fail=False)),
        ("public.mood", "text", TypeChange("c::text", rewrites=True, may_fail=False)),
        ("public.mood", "public.feeling",
         TypeChange("c::text::public.feeling", rewrites=True, may_fail=True)),
        ("public.mood[]", "public.feeling[]",
         TypeChange("c::text[]::public.feeling[]", rewrites=True, may_fail=True)),
        ("text", "public.mood", TypeChange("c::public.mood", rewrites=True, may_fail=True)),
        ("integer", "integer[]", TypeChange("c::integer[]", rewrites=True, may_fail=True)),
    ],
)
def test_type_changes_are_classified(old: str, new: str, expected: TypeChange) -> None:
    assert type_change("c", parse_type(old), parse_type(new)) == expected


def test_hazards_of_a_type_change() -> None:
    assert TypeChange(None, rewrites=False, may_fail=False).hazards() == ()
    assert TypeChange(None, rewrites=True, may_fail=False).hazards() == (
        "rewrites_table", "strong_lock")  # fmt: skip
    assert TypeChange(None, rewrites=True, may_fail=True).hazards() == (
        "rewrites_table", "strong_lock", "may_fail")  # fmt: skip


def test_the_using_clause_quotes_the_column() -> None:
    change = type_change("Order Total", parse_type("text"), parse_type("numeric"))
    assert change.using == '"Order Total"::numeric'
