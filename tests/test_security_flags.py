"""The access a change widens (pgdrift.differ.security): a new permissive policy whose USING
is ``true`` is found by its parse tree, however it is spelt, without deparsing any policy."""

from __future__ import annotations

import pytest

import pgdrift
from pgdrift import expr
from pgdrift.differ import diff

TABLE = "CREATE TABLE public.t (id integer);\nALTER TABLE public.t ENABLE ROW LEVEL SECURITY;\n"
EVERY_ROW = "new permissive policy allows every row (USING true)"


def _reasons(using: str, *, permissive: bool = True) -> list[str]:
    kind = "" if permissive else " AS RESTRICTIVE"
    policy = f"CREATE POLICY p ON public.t{kind} USING ({using});\n"
    changes = diff(pgdrift.loads(TABLE), pgdrift.loads(TABLE + policy))
    (created,) = [c for c in changes if c.kind == "policy"]
    return list(created.security)


@pytest.mark.parametrize("using", ["true", "TRUE", "(true)", "((TRUE))", "'t'::boolean"])
def test_a_new_permissive_policy_using_true_is_flagged_however_spelt(using: str) -> None:
    assert EVERY_ROW in _reasons(using)


@pytest.mark.parametrize("using", ["false", "id > 0", "true AND id > 0", "NOT true"])
def test_a_new_policy_using_anything_else_is_not(using: str) -> None:
    assert EVERY_ROW not in _reasons(using)


def test_a_restrictive_policy_using_true_is_not() -> None:
    assert EVERY_ROW not in _reasons("true", permissive=False)


def test_the_check_deparses_no_expression(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(node_or_tree: object) -> str:
        raise AssertionError("deparsed")

    first = _reasons("true")  # warms parse_expr("true") and anything the load itself prints
    monkeypatch.setattr(expr, "deparse", refuse)
    policy = "CREATE POLICY q ON public.t USING (true);\n"
    changes = diff(pgdrift.loads(TABLE), pgdrift.loads(TABLE + policy))
    (created,) = [c for c in changes if c.kind == "policy"]
    assert created.security == tuple(first)
