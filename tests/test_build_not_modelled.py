"""What a builder does with a statement it cannot model: a deliberate give-up (``NotModelled``)
keeps the statement as Unsupported with its place and reason; any other exception is a bug and
surfaces instead of passing for "not modelled". Odd but valid statement shapes and fixture dumps
with statements left out load or fail with a pgdrift error, never a traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import pgdrift
from pgdrift import Error, model
from pgdrift.builder import BUILDERS, handles
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.registry import NotModelled
from pgdrift.errors import UndefinedObjectError
from pgdrift.reader import Statement, databases_in, source_from_text, split_statements

ROOT = Path(__file__).resolve().parent.parent
SHAPES = Path(__file__).resolve().parent / "build_shapes"
HEADER = "SELECT pg_catalog.set_config('search_path', '', false);\n"
TABLE = HEADER + "CREATE TABLE public.t (a integer, b text);\n"


@pytest.fixture
def comment_builder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Free the COMMENT builder's place for one test; the original returns afterwards."""
    monkeypatch.delitem(BUILDERS, "CommentStmt")


def test_a_builder_bug_surfaces_instead_of_becoming_unsupported(comment_builder: None) -> None:
    @handles("CommentStmt")
    def broken(ctx: BuildContext, node: Node) -> None:
        raise KeyError("objtype")

    sql = TABLE + "COMMENT ON TABLE public.t IS 'x';\n"
    for strict in (True, False):
        with pytest.raises(KeyError, match="objtype"):
            pgdrift.loads(sql, strict=strict)


def test_a_give_up_becomes_unsupported_with_its_statement_place_and_reason(
    comment_builder: None,
) -> None:
    @handles("CommentStmt")
    def gives_up(ctx: BuildContext, node: Node) -> None:
        raise NotModelled("comments on Tuesdays are not modelled")

    schema = pgdrift.loads(TABLE + "COMMENT ON TABLE public.t IS 'x';\n", name="dump.sql")
    [kept] = schema.unsupported
    assert kept.statement == "COMMENT ON TABLE public.t IS 'x'"
    assert kept.reason == (
        "pgdrift does not model this statement: comments on Tuesdays are not modelled"
    )
    assert kept.span is not None
    assert kept.span.location() == "dump.sql:3:1"
    assert kept.tree is not None
    assert schema.errors == ()


def test_a_pgdrift_error_from_a_builder_keeps_its_strict_and_lenient_handling(
    comment_builder: None,
) -> None:
    @handles("CommentStmt")
    def refers_to_nothing(ctx: BuildContext, node: Node) -> None:
        raise UndefinedObjectError("comment refers to nothing")

    sql = TABLE + "COMMENT ON TABLE public.t IS 'x';\nCREATE TABLE public.u (a integer);\n"
    with pytest.raises(UndefinedObjectError) as caught:
        pgdrift.loads(sql, name="dump.sql")
    assert caught.value.one_line() == "dump.sql:3:1: comment refers to nothing"
    schema = pgdrift.loads(sql, name="dump.sql", strict=False)
    assert [e.one_line() for e in schema.errors] == ["dump.sql:3:1: comment refers to nothing"]
    assert sorted(schema.tables) == ["public.t", "public.u"]
    assert schema.unsupported == ()


def test_create_schema_elements_a_builder_gives_up_on_keep_the_whole_statement() -> None:
    schema = pgdrift.loads(
        HEADER
        + "CREATE VIEW public.v AS SELECT 1 AS b;\n"
        + "CREATE SCHEMA z CREATE TABLE t2 (a integer, LIKE public.v);\n"
    )
    [kept] = schema.unsupported
    assert kept.reason == (
        "pgdrift does not model this statement: "
        "LIKE view:public.v: only tables are modelled as a LIKE source"
    )
    assert not [o for o in schema.objects if o.schema == "z"]


# Shapes that once escaped a builder --------------------------------------------------------------


def test_default_privileges_on_large_objects_are_kept_as_unsupported() -> None:
    # PostgreSQL 18 grammar, which pglast parses; the builder used to raise KeyError.
    schema = pgdrift.loads(HEADER + "ALTER DEFAULT PRIVILEGES GRANT SELECT ON LARGE OBJECTS TO a;")
    [kept] = schema.unsupported
    assert kept.reason == (
        "pgdrift does not model this statement: "
        "default privileges on OBJECT_LARGEOBJECT are not modelled"
    )
    assert not any(isinstance(o, model.DefaultPrivileges) for o in schema)


def test_a_grant_on_a_missing_column_is_an_error_at_the_grant() -> None:
    # It used to surface only at the end of the build, without a place, even when not strict.
    sql = TABLE + "GRANT SELECT (a), INSERT (nosuch) ON TABLE public.t TO app;\n"
    message = 'dump.sql:3:1: column "nosuch" of relation "t" does not exist'
    with pytest.raises(UndefinedObjectError) as caught:
        pgdrift.loads(sql, name="dump.sql")
    assert caught.value.one_line() == message
    schema = pgdrift.loads(
        sql + "CREATE TABLE public.u (a integer);\n", name="dump.sql", strict=False
    )
    assert [e.one_line() for e in schema.errors] == [message]
    assert sorted(schema.tables) == ["public.t", "public.u"]
    # The statement was refused whole: column a got no privilege either.
    assert schema.tables["public.t"].columns.get("a").privileges == ()


def test_a_grant_on_an_existing_column_still_reaches_the_column() -> None:
    schema = pgdrift.loads(TABLE + "GRANT SELECT (a) ON TABLE public.t TO app;\n")
    [privilege] = schema.tables["public.t"].columns.get("a").privileges
    assert (privilege.grantee, privilege.privilege) == ("app", "SELECT")


# Odd but valid shapes, and dumps with statements left out ----------------------------------------


def _shapes() -> list[str]:
    lines = (SHAPES / "shapes.sql").read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith("--")]


def _loads_or_fails_cleanly(text: str, *, strict: bool, database: str | None = None) -> None:
    try:
        schema = pgdrift.loads(text, strict=strict, database=database)
    except Error as error:
        one_line = error.one_line()
        assert "\n" not in one_line
        return
    assert all(isinstance(e, Error) for e in schema.errors)
    assert all(u.reason for u in schema.unsupported)


def test_odd_but_valid_statement_shapes_never_raise_anything_but_pgdrift_errors() -> None:
    base = (SHAPES / "base.sql").read_text()
    pgdrift.loads(base)  # the base itself builds cleanly
    for shape in _shapes():
        _loads_or_fails_cleanly(base + shape + "\n", strict=False)
        _loads_or_fails_cleanly(shape + "\n", strict=True)


def test_shapes_the_builders_give_up_on_say_why() -> None:
    base = (SHAPES / "base.sql").read_text()
    schema = pgdrift.loads(
        # The branches' common type (bigint[], from integer[] and bigint[]) is not worked out.
        base + "CREATE TABLE s.ctas AS SELECT ARRAY[1] UNION SELECT '{2}'::bigint[];\n"
        "SELECT s.f();\n"
        "CREATE TABLE s.vals AS VALUES (1);\n"
    )
    assert sorted(u.reason for u in schema.unsupported) == [
        "not interpreted: a SELECT calling f() may change the schema",
        "pgdrift does not model this statement: CREATE TABLE AS: pgdrift cannot tell the type "
        "of column 'array'",
        "pgdrift does not model this statement: CREATE TABLE AS: pgdrift cannot tell the type "
        "of its columns",
    ]


DUMPS = sorted(p for p in (ROOT / "fixtures").rglob("dump.sql") if "pairs" not in p.parts)


@pytest.mark.parametrize("path", DUMPS, ids=lambda p: str(p.parent.relative_to(ROOT / "fixtures")))
def test_a_dump_with_statements_left_out_loads_or_fails_with_a_pgdrift_error(path: Path) -> None:
    # Each variant drops a few whole statements: what a later one refers to may be gone.
    items = split_statements(source_from_text(path.read_text(), name=path.name))
    statements = [i for i in items if isinstance(i, Statement)]
    if databases_in(items):
        pytest.skip("a pg_dumpall file: its \\connect lines are not statements")
    rng = random.Random(path.parent.name)
    for _ in range(3):
        dropped = set(rng.sample(range(len(statements)), min(len(statements), rng.randint(1, 6))))
        text = "".join(s.text + ";\n" for i, s in enumerate(statements) if i not in dropped)
        _loads_or_fails_cleanly(text, strict=False)


def test_every_statement_of_a_dump_loads_alone_or_fails_with_a_pgdrift_error() -> None:
    # Out of context every reference dangles; no builder may trip over that.
    for path in DUMPS:
        for item in split_statements(source_from_text(path.read_text(), name=path.name)):
            if isinstance(item, Statement):
                _loads_or_fails_cleanly(HEADER + item.text + ";\n", strict=True)
