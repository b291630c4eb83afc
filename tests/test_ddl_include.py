"""psql includes: ``\\ir`` (relative to the including file) and ``\\i`` (relative to the working
directory) put the included file's statements in the command's place."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift


def test_ir_is_relative_to_the_including_file_and_nests(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "types.sql").write_text("CREATE TYPE mood AS ENUM ('ok');\n")
    (tmp_path / "lib" / "tables.sql").write_text(
        "\\ir types.sql\nCREATE TABLE t (m mood);\n"
    )
    (tmp_path / "main.sql").write_text("\\ir lib/tables.sql\nCREATE INDEX ON t (m);\n")
    schema = pgdrift.load(tmp_path / "main.sql")
    assert sorted(str(o) for o in schema.objects) == [
        "enum:public.mood", "index:public.t_m_idx", "schema:public", "table:public.t",
    ]  # fmt: skip


def test_a_statement_from_an_included_file_is_placed_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "bad.sql").write_text("CREATE TABLE a (id integer);\nDROP TABLE nothing;\n")
    (tmp_path / "main.sql").write_text("\\ir 'bad.sql'\n")
    with pytest.raises(pgdrift.UndefinedObjectError) as raised:
        pgdrift.load(tmp_path / "main.sql")
    assert raised.value.one_line().startswith(f"{tmp_path / 'bad.sql'}:2:1: ")


def test_i_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "t.sql").write_text("CREATE TABLE t (id integer);\n")
    (tmp_path / "sub" / "main.sql").write_text("\\i t.sql\n")
    monkeypatch.chdir(tmp_path)
    assert "public.t" in pgdrift.load(tmp_path / "sub" / "main.sql").tables


def test_an_include_cycle_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("CREATE TABLE a ();\n\\ir b.sql\n")
    (tmp_path / "b.sql").write_text("\\ir a.sql\n")
    with pytest.raises(pgdrift.InputError, match="includes itself"):
        pgdrift.load(tmp_path / "a.sql")


def test_a_missing_included_file_is_an_error_at_the_command(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("CREATE TABLE a ();\n\\ir gone.sql\n")
    with pytest.raises(pgdrift.InputError, match=r"a\.sql:2:1: \\ir: no such file"):
        pgdrift.load(tmp_path / "a.sql")


def test_a_file_without_statements_or_includes_is_still_no_dump(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("\\echo nothing here\n")
    with pytest.raises(pgdrift.NotADumpError):
        pgdrift.load(tmp_path / "a.sql")
