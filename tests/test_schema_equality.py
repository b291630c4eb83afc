"""Equality of loaded schemas, and the sharing that keeps big loads small."""

from __future__ import annotations

import pgdrift


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
