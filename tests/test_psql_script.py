"""psql's script commands read as psql runs them (fixtures/ddl/psql_script is the proof on
PostgreSQL): variables, conditionals, meta-commands that send or interrupt a statement, and
what cannot be known offline (a query's or a shell command's output) kept and reported."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift
from pgdrift.reader import MetaCommand, Statement, source_from_text, split_statements
from pgdrift.reader.psql_script import boolean, interpolate, quote_literal


def _load(text: str) -> pgdrift.Schema:
    return pgdrift.loads(text)


def _unsupported(schema: pgdrift.Schema) -> list[str]:
    found = schema.objects.values()
    return sorted(o.reason for o in found if isinstance(o, pgdrift.model.Unsupported))


def test_variables_are_interpolated_as_text_literal_and_identifier() -> None:
    schema = _load(
        "\\set s Sales\n\\set d 'it''s'\n\\set n 7\n"
        'CREATE SCHEMA :"s";\n'
        "CREATE TABLE :\"s\".t (a int DEFAULT :n, b text DEFAULT :'d');\n"
    )
    table = schema.tables["Sales.t"]
    assert str(table.columns["a"].default.sql) == "7"
    assert str(table.columns["b"].default.sql) == "'it''s'::text"


def test_nothing_is_interpolated_in_quotes_comments_casts_or_unset_variables() -> None:
    text, pending = interpolate(
        "SELECT ':v', $$:v$$, \":v\", x::v, :w -- :v\n/* :v */", {"v": "X"}
    )
    assert text == "SELECT ':v', $$:v$$, \":v\", x::v, :w -- :v\n/* :v */"
    assert pending is None


def test_a_test_for_a_variable_is_true_or_false() -> None:
    assert interpolate("SELECT :{?a}, :{?b}", {"a": ""}) == ("SELECT TRUE, FALSE", None)


def test_a_literal_with_a_backslash_is_an_e_string_as_libpq_quotes_it() -> None:
    # PQescapeLiteral: backslashes doubled inside E'', with a space before the E.
    assert quote_literal("C:\\x") == " E'C:\\\\x'"


@pytest.mark.parametrize(
    ("word", "value"),
    [("t", True), ("TRUE", True), ("yes", True), ("on", True), ("1", True),
     ("f", False), ("No", False), ("off", False), ("of", False), ("0", False),
     ("o", None), ("", None), ("2", None), ("truthy", None)],
)  # fmt: skip
def test_booleans_are_read_as_psql_reads_them(word: str, value: bool | None) -> None:
    assert boolean(word) is value


def test_only_the_first_branch_that_holds_is_taken_and_nested_blocks_follow() -> None:
    schema = _load(
        "\\set flag on\n"
        "\\if :flag\nCREATE TABLE a ();\n  \\if false\nCREATE TABLE b ();\n  \\endif\n"
        "\\elif true\nCREATE TABLE c ();\n\\else\nCREATE TABLE d ();\n\\endif\n"
        "\\if nonsense\nCREATE TABLE e ();\n\\else\nCREATE TABLE f ();\n\\endif\n"
    )
    assert sorted(schema.tables) == ["public.a", "public.f"]


@pytest.mark.parametrize(
    ("script", "message"),
    [("\\endif\n", "no \\\\if before it"),
     ("\\if true\nCREATE TABLE a ();\n", "no \\\\endif for it"),
     ("\\if true\n\\else\n\\elif true\n\\endif\n", "after \\\\else"),
     ("\\if `test -f x`\n\\endif\n", "cannot run a shell command")],
)  # fmt: skip
def test_conditionals_that_psql_refuses_are_errors_with_their_line(
    script: str, message: str
) -> None:
    with pytest.raises(pgdrift.ParseError, match=message) as raised:
        _load("CREATE TABLE t ();\n" + script)
    assert raised.value.span is not None
    assert raised.value.span.line >= 2


def test_nothing_after_q_runs() -> None:
    assert sorted(_load("CREATE TABLE a ();\n\\q\nCREATE TABLE b ();\n").tables) == ["public.a"]


def test_a_statement_sent_by_gexec_is_kept_and_reported() -> None:
    schema = pgdrift.loads(
        "SELECT format('CREATE TABLE t%s ()', g) FROM generate_series(1, 3) g \\gexec\n",
        strict=False,
    )
    assert not schema.tables
    [reason] = _unsupported(schema)
    assert "\\gexec" in reason
    assert schema.warnings
    assert schema.warnings[0].startswith("<string>:1:1: not interpreted")


def test_gdesc_describes_a_query_without_running_it() -> None:
    schema = _load("CREATE TABLE t ();\nSELECT * FROM t \\gdesc\n")
    assert not _unsupported(schema)
    assert list(schema.tables) == ["public.t"]


def test_what_a_query_decides_is_kept_and_reported() -> None:
    schema = pgdrift.loads(
        "SELECT count(*) > 0 AS has_t, 'x' AS suffix FROM pg_class \\gset\n"
        "\\if :has_t\nCREATE TABLE a ();\n\\else\nCREATE TABLE b ();\n\\endif\n"
        "CREATE TABLE c_:suffix ();\nCREATE TABLE d ();\n",
        strict=False,
    )
    assert list(schema.tables) == ["public.d"]
    reasons = _unsupported(schema)
    assert len(reasons) == 3
    assert sum("\\if :has_t (line 2) holds" in r for r in reasons) == 2
    assert sum(":suffix" in r for r in reasons) == 1


def test_a_variable_holding_a_shell_commands_output_is_not_guessed() -> None:
    schema = pgdrift.loads("\\set body `cat x.sql`\n:body\n", strict=False)
    [reason] = _unsupported(schema)
    assert ":body" in reason
    assert "shell" in reason


def test_a_meta_command_inside_a_statement_runs_first_and_the_statement_goes_on() -> None:
    script = "CREATE TABLE t (\n  a int,\n\\echo hi\n  b int\n) \\g\nSELECT 1 \\; SELECT 2;\n"
    items = split_statements(source_from_text(script))
    kinds = [(type(i).__name__, i.name if isinstance(i, MetaCommand) else i.text) for i in items]
    assert kinds == [
        ("MetaCommand", "echo"),
        ("Statement", "CREATE TABLE t (\n  a int,\n        \n  b int\n)"),
        ("MetaCommand", "g"),
        ("Statement", "SELECT 1"),
        ("Statement", "SELECT 2"),
    ]
    assert isinstance(items[1], Statement)
    assert items[1].sent_with == "g"
    assert items[0].span.line == 3
    assert items[1].span.line == 1
    assert sorted(pgdrift.loads("CREATE TABLE t (\n a int,\n\\echo hi\n b int\n);\n")
                  .tables["public.t"].columns.names()) == ["a", "b"]  # fmt: skip


def test_variables_reach_included_files_and_their_paths(tmp_path: Path) -> None:
    (tmp_path / "part_x.sql").write_text("CREATE TABLE :name ();\n")
    (tmp_path / "main.sql").write_text("\\set p x\n\\set name t1\n\\ir part_:p.sql\n")
    assert list(pgdrift.load(tmp_path / "main.sql").tables) == ["public.t1"]


def test_a_script_without_psql_commands_is_read_as_it_is() -> None:
    assert sorted(_load("CREATE TABLE a (x int DEFAULT 1);\nSELECT 1::int;\n").tables) == [
        "public.a"
    ]
