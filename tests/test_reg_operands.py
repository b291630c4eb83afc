"""Comparisons of reg* values and oids (builder.reg_operands): resolved to oid's operators,
each reg* side cast to oid; each expected text is what pg_dump printed on PostgreSQL 15
(fixtures/ddl/reg_type_comparisons proves the whole)."""

from __future__ import annotations

import json

import pytest
from pglast.parser import parse_sql_json

from pgdrift import loads
from pgdrift.expr import Expr, expr_from_node


def _check(check: str) -> Expr:
    schema = loads(
        "CREATE TABLE t (r regclass, ty regtype, o oid, n int, b bigint, s text,"
        f" CONSTRAINT c CHECK ({check}));"
    )
    return schema.constraints["public.t.c"].expression


def _expr(sql: str) -> Expr:
    return expr_from_node(json.loads(parse_sql_json(f"SELECT {sql}"))["stmts"][0]["stmt"][
        "SelectStmt"]["targetList"][0]["ResTarget"]["val"])  # fmt: skip


@pytest.mark.parametrize(
    ("check", "stored"),
    [
        ("r = 'pg_class'::regclass", "r::oid = 'pg_class'::regclass::oid"),
        ("ty <> 'int4'::regtype", "ty::oid <> 'integer'::regtype::oid"),
        ("pg_typeof(s) = 'text'::regtype", "pg_typeof(s)::oid = 'text'::regtype::oid"),
        ("r > 16383", "r::oid > 16383::oid"),
        ("o <> '0'", "o <> '0'::oid"),
        ("o = 5", "o = 5::oid"),
        ("r = o", "r::oid = o"),
        ("n = o", "n::oid = o"),
        ("b = o", "b::oid = o"),
        ("o <> 3000000000", "o <> '3000000000'::bigint::oid"),
        # not followed: left as written
        ("s = 'x'", "s = 'x'::text"),
    ],
)
def test_reg_values_compare_as_oids(check: str, stored: str) -> None:
    assert _check(check) == _expr(stored)
