"""Equality of loaded schemas, and the sharing that keeps big loads small."""

from __future__ import annotations

import pgdrift
from pgdrift._expr_tree import sharing_trees
from pgdrift.expr import expr_from_node


def test_tables_differing_only_in_a_column_name_are_not_equal() -> None:
    a = pgdrift.loads("CREATE TABLE public.t (a integer);")
    b = pgdrift.loads("CREATE TABLE public.t (b integer);")
    assert a.tables["public.t"] != b.tables["public.t"]
    assert a != b


def test_equal_defaults_in_one_load_share_one_tree() -> None:
    schema = pgdrift.loads(
        "CREATE TABLE public.a (x timestamp with time zone DEFAULT now());\n"
        "CREATE TABLE public.b (y timestamp with time zone DEFAULT now());\n"
    )
    x = schema.tables["public.a"].columns["x"].default
    y = schema.tables["public.b"].columns["y"].default
    assert x is not None
    assert y is not None
    assert x.tree is y.tree


def test_expressions_shared_within_a_load_are_keyed_by_exact_value() -> None:
    node = {"A_Const": {"ival": {"ival": 1}, "location": 7}}
    with sharing_trees():
        first = expr_from_node(node)
        assert expr_from_node({"A_Const": {"ival": {"ival": 1}, "location": 7}}) is first
        # 1 and True, and 1 and 1.0, print alike in SQL's JSON but are other values.
        assert expr_from_node({"A_Const": {"ival": {"ival": True}, "location": 7}}) is not first
        assert expr_from_node({"A_Const": {"ival": {"ival": 1.0}, "location": 7}}) is not first
        # A value marshal cannot write is converted without sharing, never an error: the same
        # node twice gives two equal expressions, not one shared.
        odd = {"A_Const": {"ival": {"ival": 1}, "location": 7, "extra": object()}}
        once, again = expr_from_node(odd), expr_from_node(odd)
        assert once == again
        assert once is not again
