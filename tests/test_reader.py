"""The reader: bytes in, located statements out; and parse errors placed in the file."""

from __future__ import annotations

import bz2
import gc
import gzip
import io
import lzma
import re
import tarfile
from pathlib import Path

import pytest

from pgdrift.errors import (
    ArchiveFormatError,
    InputError,
    NotADumpError,
    ParseError,
    TruncatedArchiveError,
)
from pgdrift.reader import (
    MetaCommand,
    Source,
    Statement,
    databases_in,
    parse_toc_header,
    read_source,
    restrict_problems,
    source_from_text,
    split_statements,
)
from pgdrift.reader.parse import gc_paused, parse_statement, parse_statements
from pgdrift.source import SourceSpan, TocEntry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ARCHIVE = FIXTURES / "archive"

SIMPLE = "CREATE TABLE t (a integer);\n"


def split(sql: str, **options: bool) -> list[Statement | MetaCommand]:
    return split_statements(source_from_text(sql), **options)


def statements(sql: str) -> list[Statement]:
    return [item for item in split(sql) if isinstance(item, Statement)]


def texts(sql: str) -> list[str]:
    return [stmt.text for stmt in statements(sql)]


# -- reading: every input type ---------------------------------------------------------------


def test_a_str_is_a_path(tmp_path: Path) -> None:
    path = tmp_path / "dump.sql"
    path.write_text(SIMPLE, encoding="utf-8")
    source = read_source(str(path))
    assert source == Source(str(path), SIMPLE)


def test_a_pathlike_is_read_and_named_after_the_path(tmp_path: Path) -> None:
    path = tmp_path / "dump.sql"
    path.write_text(SIMPLE, encoding="utf-8")
    assert read_source(path).name == str(path)
    assert read_source(path, name="schema.sql").name == "schema.sql"


def test_bytes_are_decoded_and_named_bytes() -> None:
    assert read_source(SIMPLE.encode()) == Source("<bytes>", SIMPLE)


def test_a_binary_stream_takes_the_stream_name() -> None:
    stream = io.BytesIO(SIMPLE.encode())
    stream.name = "<stdin>"  # type: ignore[attr-defined]
    assert read_source(stream) == Source("<stdin>", SIMPLE)


def test_a_stream_without_a_name_is_called_stream() -> None:
    assert read_source(io.BytesIO(SIMPLE.encode())).name == "<stream>"


def test_a_text_stream_is_normalised_like_text() -> None:
    assert read_source(io.StringIO("\ufeffSELECT 1;\r\n"), name="x").text == "SELECT 1;\n"


def test_source_from_text_is_named_string() -> None:
    assert source_from_text(SIMPLE) == Source("<string>", SIMPLE)


def test_a_missing_file_is_an_input_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.sql: no such file"):
        read_source(tmp_path / "nope.sql")


def test_a_plain_directory_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_source(tmp_path)


def test_something_unreadable_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="int"):
        read_source(42)  # type: ignore[arg-type]


# -- reading: compression -----------------------------------------------------------------------


def test_gzip_is_decompressed_transparently(tmp_path: Path) -> None:
    path = tmp_path / "dump.sql.gz"
    path.write_bytes(gzip.compress(SIMPLE.encode()))
    assert read_source(path).text == SIMPLE


def test_gzip_is_recognised_by_its_magic_bytes_whatever_the_name() -> None:
    assert read_source(gzip.compress(SIMPLE.encode())).text == SIMPLE


def test_truncated_gzip_is_an_input_error() -> None:
    data = gzip.compress((SIMPLE * 100).encode())
    with pytest.raises(InputError, match=r"dump\.sql\.gz: gzip data is truncated"):
        read_source(data[: len(data) // 2], name="dump.sql.gz")


def test_corrupt_gzip_is_an_input_error() -> None:
    data = bytearray(gzip.compress(SIMPLE.encode()))
    data[12:20] = b"\xff" * 8
    with pytest.raises(InputError, match="corrupt gzip data"):
        read_source(bytes(data))


@pytest.mark.parametrize("compress", [bz2.compress, lzma.compress], ids=["bzip2", "xz"])
def test_bzip2_and_xz_are_decompressed(compress: object) -> None:
    assert callable(compress)
    assert read_source(compress(SIMPLE.encode())).text == SIMPLE


def test_zstd_is_refused_with_advice() -> None:
    with pytest.raises(InputError, match=r"zstd-compressed; decompress it first \(zstd -d\)"):
        read_source(b"\x28\xb5\x2f\xfd" + b"\0" * 20)


# -- reading: text encodings and line ends ------------------------------------------------------


def test_utf8_bom_is_dropped() -> None:
    assert read_source(b"\xef\xbb\xbf" + SIMPLE.encode()).text == SIMPLE


def test_crlf_line_ends_become_lf() -> None:
    assert read_source(b"SELECT 1;\r\nSELECT 2;\r\n").text == "SELECT 1;\nSELECT 2;\n"


def test_a_lone_cr_in_a_crlf_file_becomes_lf_too() -> None:
    assert read_source(b"SELECT 1;\r\nSELECT\r2;\r\n").text == "SELECT 1;\nSELECT\n2;\n"


def test_cr_only_line_ends_become_lf() -> None:
    assert read_source(b"SELECT 1;\rSELECT 2;\r").text == "SELECT 1;\nSELECT 2;\n"


def test_a_cr_inside_a_string_of_an_lf_file_is_kept() -> None:
    # pg_dump writes a CR in a string literal raw; changing it would change the string.
    sql = "SELECT 1;\nCOMMENT ON TABLE t IS 'one\r\ntwo';\n"
    assert read_source(sql.encode()).text == sql


def test_latin1_bytes_are_an_error_at_the_first_bad_byte_suggesting_encoding() -> None:
    data = "SELECT 1;\nCOMMENT ON TABLE t IS 'caf\xe9';\n".encode("latin-1")
    with pytest.raises(InputError) as caught:
        read_source(data, name="dump.sql")
    error = caught.value
    assert error.span == SourceSpan("dump.sql", 2, 27, 2)
    assert "encoding=" in error.message
    assert error.one_line().startswith("dump.sql:2:27: cannot decode byte 0xe9 as utf-8")


def test_the_error_column_counts_characters_not_bytes() -> None:
    data = "SELECT 'é', '".encode() + b"\xff';\n"
    with pytest.raises(InputError) as caught:
        read_source(data)
    assert caught.value.span == SourceSpan("<bytes>", 1, 14, 1)


def test_encoding_option_decodes_with_that_codec() -> None:
    data = "COMMENT ON TABLE t IS 'caf\xe9';\n".encode("latin-1")
    assert "'café'" in read_source(data, encoding="latin-1").text


def test_an_unknown_encoding_option_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_source(SIMPLE.encode(), encoding="klingon")


def test_the_declared_client_encoding_is_used_when_no_encoding_is_given() -> None:
    # pg_dump writes in the database encoding and says so near the top.
    data = "SET client_encoding = 'LATIN1';\nCOMMENT ON TABLE t IS 'caf\xe9';\n".encode("latin-1")
    assert "'café'" in read_source(data).text


def test_utf16_with_a_bom_is_decoded() -> None:
    assert read_source(SIMPLE.encode("utf-16")).text == SIMPLE


def test_nul_bytes_are_an_input_error_with_the_line() -> None:
    with pytest.raises(InputError, match="NUL character") as caught:
        read_source(b"SELECT 1;\nSELECT\x002;\n", name="x.sql")
    assert caught.value.span == SourceSpan("x.sql", 2, 7, 2)


# -- reading: pg_dump archives and other dumps ------------------------------------------------


def test_a_custom_archive_cut_short_names_where_and_the_pg_restore_command() -> None:
    with pytest.raises(TruncatedArchiveError) as caught:
        read_source(b"PGDMP\x01\x0e\x00\x04\x08\x01", name="db.dump")
    message = caught.value.message
    assert "cannot read this pg_dump custom-format archive (the file ends inside the header)" in (
        message
    )
    assert "pg_restore --schema-only -f schema.sql db.dump" in message


def test_a_damaged_custom_archive_is_an_archive_format_error() -> None:
    with pytest.raises(ArchiveFormatError, match="cannot read this pg_dump custom-format archive"):
        read_source(b"PGDMP\x01\x0e\x00\x04\x08\x01\x00", name="db.dump")


def _tar_with(member: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo(member)
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    return buffer.getvalue()


def test_a_tar_archive_is_refused_with_the_pg_restore_command() -> None:
    with pytest.raises(ArchiveFormatError, match=r"tar-format archive.*pg_restore --schema-only"):
        read_source(_tar_with("toc.dat"), name="db.tar")


def test_a_tar_file_that_is_no_pg_dump_archive_is_an_input_error() -> None:
    with pytest.raises(InputError, match="is a tar archive, not a dump file") as caught:
        read_source(_tar_with("notes.txt"))
    assert not isinstance(caught.value, ArchiveFormatError)


def test_a_directory_archive_is_refused(tmp_path: Path) -> None:
    (tmp_path / "toc.dat").write_bytes(b"PGDMP")
    with pytest.raises(ArchiveFormatError, match="directory-format archive"):
        read_source(tmp_path)


@pytest.mark.parametrize(
    ("text", "looks_like"),
    [
        ("-- MySQL dump 10.13  Distrib 8.0.36\n\nCREATE TABLE `t` (id int);\n", "MySQL"),
        ("-- MariaDB dump 10.19\nCREATE TABLE x (id int);\n", "MySQL"),
        ("CREATE TABLE `users` (\n  `id` int\n) ENGINE=InnoDB;\n", "MySQL"),
        ("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE t(a);\nCOMMIT;\n", "SQLite"),
        ("BEGIN TRANSACTION;\nDELETE FROM sqlite_sequence;\nCOMMIT;\n", "SQLite"),
    ],
)
def test_mysql_and_sqlite_dumps_are_refused_by_name(text: str, looks_like: str) -> None:
    with pytest.raises(NotADumpError, match=f"dump.sql looks like .*{looks_like}"):
        split_statements(source_from_text(text, "dump.sql"))


@pytest.mark.parametrize(
    "text", ["", "   \n\n", "-- just a comment\n", "/* block */\n--\n-- Name: x\n--\n"]
)
def test_no_statements_is_not_a_dump(text: str) -> None:
    with pytest.raises(NotADumpError, match=r"no SQL statements in empty\.sql"):
        split_statements(source_from_text(text, "empty.sql"))


def test_allow_empty_returns_nothing_instead() -> None:
    assert split("-- nothing\n", allow_empty=True) == []


# -- splitting: where statements end -----------------------------------------------------------


def test_semicolons_in_single_quoted_strings_do_not_split() -> None:
    assert texts("SELECT 'a;b', 'it''s; fine';\nSELECT '';") == [
        "SELECT 'a;b', 'it''s; fine'",
        "SELECT ''",
    ]


def test_e_strings_take_backslash_escapes() -> None:
    assert texts(r"SELECT E'it\'s; still', e'\\';SELECT 2;") == [
        r"SELECT E'it\'s; still', e'\\'",
        "SELECT 2",
    ]


def test_a_quote_after_an_identifier_ending_in_e_is_a_standard_string() -> None:
    # DATE'...' is a typed literal, not an E'' string: the backslash escapes nothing.
    assert texts("SELECT DATE'x\\';SELECT 2;") == ["SELECT DATE'x\\'", "SELECT 2"]


def test_backslashes_escape_in_every_string_when_standard_conforming_strings_is_off() -> None:
    sql = "SET standard_conforming_strings = off;\nSELECT 'a\\'; b';\nSELECT 2;"
    assert texts(sql)[1:] == ["SELECT 'a\\'; b'", "SELECT 2"]


def test_standard_conforming_strings_on_restores_the_standard_rule() -> None:
    sql = "SET standard_conforming_strings = off;\nSET standard_conforming_strings TO 'on';\n"
    assert texts(sql + "SELECT 'a\\';SELECT 2;")[2:] == ["SELECT 'a\\'", "SELECT 2"]


def test_semicolons_in_quoted_identifiers_do_not_split() -> None:
    assert texts('CREATE TABLE "a;b" ("x"";y" int);\nSELECT 1;') == [
        'CREATE TABLE "a;b" ("x"";y" int)',
        "SELECT 1",
    ]


def test_dollar_quotes_hide_semicolons_and_other_quotes() -> None:
    sql = (
        "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"
        "CREATE FUNCTION g() RETURNS int\n"
        "  AS $body$ BEGIN RETURN $$;'$$; END $body$ LANGUAGE plpgsql;\n"
        "SELECT 3;"
    )
    assert len(texts(sql)) == 3
    assert texts(sql)[1].endswith("$body$ LANGUAGE plpgsql")


def test_a_parameter_is_not_a_dollar_quote() -> None:
    assert texts("PREPARE p AS SELECT $1;\nSELECT $2$;") == ["PREPARE p AS SELECT $1", "SELECT $2$"]


def test_a_dollar_inside_an_identifier_opens_no_quote() -> None:
    # a$b$ is one identifier: identifiers may continue with '$' (Lexical Structure).
    assert texts("SELECT a$b$ FROM t;\nSELECT 2;") == ["SELECT a$b$ FROM t", "SELECT 2"]


def test_line_comments_hide_semicolons() -> None:
    assert texts("SELECT 1 -- not; the end\n, 2;\nSELECT 3;") == [
        "SELECT 1 -- not; the end\n, 2",
        "SELECT 3",
    ]


def test_block_comments_nest_and_hide_semicolons() -> None:
    sql = "SELECT /* one; /* two; */ still; */ 1;\n/* a; /* b */ c; */ SELECT 2;"
    assert texts(sql) == ["SELECT /* one; /* two; */ still; */ 1", "SELECT 2"]


def test_begin_atomic_bodies_stay_one_statement() -> None:
    sql = (
        "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
        "  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\n  SELECT a;\nEND;\nSELECT 2;"
    )
    assert texts(sql) == [sql[: sql.index("END;\nSELECT 2") + 3], "SELECT 2"]


def test_begin_atomic_works_for_create_or_replace_procedure_in_lower_case() -> None:
    sql = "create or replace procedure p() language sql begin atomic insert into t values (1); end;"
    assert texts(sql + "SELECT 2;") == [sql[:-1], "SELECT 2"]


def test_begin_inside_parentheses_opens_no_block() -> None:
    # psqlscan.l counts BEGIN only outside parentheses: a parameter may be called "begin".
    sql = "CREATE FUNCTION f(begin int) RETURNS int AS 'select 1' LANGUAGE sql"
    assert texts(f"{sql};SELECT 2;") == [sql, "SELECT 2"]


def test_begin_in_other_statements_does_not_hold_the_split() -> None:
    assert texts("BEGIN;\nSELECT 1;\nEND;") == ["BEGIN", "SELECT 1", "END"]


def test_empty_statements_are_dropped() -> None:
    assert texts(";;SELECT 1;;\n;") == ["SELECT 1"]


def test_a_last_statement_without_semicolon_is_kept_like_psql_runs_it() -> None:
    [stmt] = statements("\nSELECT 1\n  \n")
    assert stmt.text == "SELECT 1"
    assert stmt.span == SourceSpan("<string>", 2, 1, 2)


def test_the_offset_points_at_the_statement_in_the_source() -> None:
    source = source_from_text("-- c\n  SELECT 'é';  SELECT /* x */ 2;\n")
    for stmt in split_statements(source):
        assert isinstance(stmt, Statement)
        assert source.text[stmt.offset : stmt.offset + len(stmt.text)] == stmt.text


# -- splitting: spans ----------------------------------------------------------------------


def test_span_starts_at_the_first_character_after_comments_and_ends_on_the_semicolon_line() -> None:
    sql = "SET x = 1;\n\n-- comment\n  /* block */ CREATE TABLE t (\n    a int\n)\n;\n"
    stmt = statements(sql)[1]
    assert stmt.text == "CREATE TABLE t (\n    a int\n)\n"
    assert stmt.span == SourceSpan("<string>", 4, 15, 7)


def test_columns_count_characters_and_several_statements_share_a_line() -> None:
    first, second = statements("SELECT 'ééé'; SELECT 2;")
    assert first.span == SourceSpan("<string>", 1, 1, 1)
    assert second.span == SourceSpan("<string>", 1, 15, 1)


# -- splitting: psql meta-commands ------------------------------------------------------------


def test_meta_commands_are_items_with_name_argument_and_span() -> None:
    items = split("\\set ON_ERROR_STOP on\nSELECT 1;\n  \\encoding SQL_ASCII\n\\.\n")
    assert items[0] == MetaCommand("set", "ON_ERROR_STOP on", SourceSpan("<string>", 1, 1, 1))
    assert items[2] == MetaCommand("encoding", "SQL_ASCII", SourceSpan("<string>", 3, 3, 3))
    assert items[3] == MetaCommand(".", "", SourceSpan("<string>", 4, 1, 4))


def test_a_backslash_inside_a_statement_starts_a_meta_command_psql_runs_first() -> None:
    # psql runs \x at once and keeps reading the statement (psqlscan.l): no SQL token holds
    # a backslash outside quotes. The command's line is blanked, so columns stay right.
    assert texts("SELECT 1\n\\x\n;") == ["SELECT 1\n  \n"]
    assert [item.name for item in split("SELECT 1\n\\x\n;") if isinstance(item, MetaCommand)] == [
        "x"
    ]
    quoted = "SELECT '\\x', E'\\\\', $$\\x$$ -- \\x\n"
    assert texts(quoted + ";") == [quoted]


def test_connect_sets_the_database_of_what_follows() -> None:
    stmts = statements("SELECT 0;\n\\connect app\nSELECT 1;\n\\c other\nSELECT 2;\n")
    assert [stmt.database for stmt in stmts] == [None, "app", "other"]


@pytest.mark.parametrize(
    ("argument", "database"),
    [
        ("template1", "template1"),
        ('"My Db"', "My Db"),
        ("MyDb", "MyDb"),  # psql keeps the case of \connect arguments
        ("-reuse-previous=on \"dbname='my db'\"", "my db"),
        ("-reuse-previous=on \"dbname='it\\'s'\"", "it's"),
        ("postgresql://host/sales%20db", "sales db"),
        ("- someone", None),
    ],
)
def test_connect_arguments_are_read_like_psql(argument: str, database: str | None) -> None:
    stmts = statements(f"SELECT 0;\n\\connect {argument}\nSELECT 1;\n")
    assert stmts[1].database == database


def test_databases_in_lists_each_connected_database_once_in_order() -> None:
    items = split("\\connect b\nSELECT 1;\n\\connect a\nSELECT 2;\n\\connect b\nSELECT 3;\n")
    assert databases_in(items) == ["b", "a"]
    assert databases_in(split(SIMPLE)) == []


def test_restrict_and_unrestrict_are_recorded() -> None:
    items = split("\\restrict k1\nSELECT 1;\n\\unrestrict k1\n")
    assert [(item.name, item.argument) for item in items if isinstance(item, MetaCommand)] == [
        ("restrict", "k1"),
        ("unrestrict", "k1"),
    ]
    assert restrict_problems(items) == []


def test_an_unterminated_restrict_is_reported_and_raised_only_when_strict() -> None:
    sql = "SELECT 0;\n\\restrict k1\nSELECT 1;\n"
    [problem] = restrict_problems(split(sql))
    assert problem.span == SourceSpan("<string>", 2, 1, 2)
    assert "truncated" in problem.message
    with pytest.raises(ParseError, match="without a matching") as caught:
        split(sql, strict=True)
    assert caught.value.line == 2


def test_an_unrestrict_with_another_key_is_a_problem() -> None:
    [problem] = restrict_problems(split("\\restrict k1\nSELECT 1;\n\\unrestrict k2\n"))
    assert problem.line == 3
    assert "differs" in problem.message


# -- splitting: COPY data ----------------------------------------------------------------------


def test_copy_data_is_skipped_and_counted() -> None:
    sql = (
        "COPY public.t (a, b) FROM stdin;\n1\t'x;\n2\t$$ -- /*\n\\.\n\nSELECT 1;\n"
        "copy t from STDIN;\n\\.\n"
    )
    copy, select, empty = statements(sql)
    assert (copy.text, copy.copy_rows, copy.span.end_line) == (
        "COPY public.t (a, b) FROM stdin",
        2,
        1,
    )
    assert (select.text, select.span.line) == ("SELECT 1", 6)
    assert (empty.copy_rows, empty.span.line) == (0, 7)


def test_a_copy_terminator_at_end_of_input_needs_no_newline() -> None:
    [copy] = statements("COPY t FROM stdin;\n1\n2\n3\n\\.")
    assert copy.copy_rows == 3


def test_copy_to_stdout_has_no_data_lines() -> None:
    assert texts("COPY t TO stdout;\nSELECT 1;") == ["COPY t TO stdout", "SELECT 1"]


# -- splitting: truncated input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "what", "line", "column"),
    [
        ("SELECT 1;\nCOPY t FROM stdin;\n1\n2\n", "COPY data", 3, 1),
        ("SELECT 1;\nCOPY t FROM stdin;", "COPY data", 2, 19),
        ("SELECT 1;\nCREATE FUNCTION f() AS $body$\nSELECT 1;\n", "dollar-quoted string", 2, 24),
        ("SELECT 1;\nSELECT 'abc;\n", "quoted string", 2, 8),
        ("SELECT 1;\nSELECT 'abc'';\n", "quoted string", 2, 8),
        ("SELECT 1;\n  SELECT E'ab\\';\n", "quoted string", 2, 10),
        ('SELECT 1;\nSELECT "abc;\n', "quoted identifier", 2, 8),
        ("SELECT 1;\nSELECT /* a /* b */ ;\n", "block comment", 2, 8),
        ("SELECT 1;\n/* header\n", "block comment", 2, 1),
    ],
)
def test_truncated_input_is_a_parse_error_where_the_construct_starts(
    sql: str, what: str, line: int, column: int
) -> None:
    with pytest.raises(ParseError) as caught:
        split_statements(source_from_text(sql, "cut.sql"))
    error = caught.value
    assert error.message == f"unterminated {what} starting at line {line}"
    assert error.span == SourceSpan("cut.sql", line, column, line)
    assert error.render().splitlines()[-1] == "    " + " " * (column - 1) + "^"


# -- splitting: pg_dump TOC headers -----------------------------------------------------------

DUMP = """\
--
-- PostgreSQL database dump
--

SET statement_timeout = 0;

--
-- Name: users; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.users (
    id integer
);


ALTER TABLE public.users OWNER TO postgres;

SET default_tablespace = fast;

--
-- TOC entry 215 (class 1259 OID 16386)
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: app; Tablespace: fast
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.users (id) FROM stdin;
1
\\.


--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: -
--

GRANT ALL ON SCHEMA public TO app;
GRANT USAGE ON SCHEMA public TO reader;


--
-- PostgreSQL database dump complete
--

SELECT 'after the banner';
"""


def test_toc_headers_attach_to_every_statement_of_their_entry() -> None:
    by_text = {stmt.text.split("\n")[0]: stmt.toc for stmt in statements(DUMP)}
    table = TocEntry("users", "TABLE", "public", "postgres", 8)
    assert by_text["CREATE TABLE public.users ("] == table
    assert by_text["ALTER TABLE public.users OWNER TO postgres"] == table
    assert by_text["ALTER TABLE ONLY public.users"] == TocEntry(
        "users users_pkey", "CONSTRAINT", "public", "app", 22, tablespace="fast"
    )
    assert by_text["COPY public.users (id) FROM stdin"] == TocEntry(
        "users", "TABLE DATA", "public", "postgres", 30, data=True
    )
    acl = TocEntry("SCHEMA public", "ACL", None, None, 39)
    assert by_text["GRANT ALL ON SCHEMA public TO app"] == acl
    assert by_text["GRANT USAGE ON SCHEMA public TO reader"] == acl


def test_session_settings_between_entries_belong_to_no_entry() -> None:
    by_text = {stmt.text: stmt.toc for stmt in statements(DUMP)}
    assert by_text["SET statement_timeout = 0"] is None
    assert by_text["SET default_tablespace = fast"] is None


def test_a_banner_ends_the_entry_before_it() -> None:
    assert statements(DUMP)[-1].toc is None


def test_connect_ends_the_entry_before_it() -> None:
    sql = "--\n-- Name: d; Type: DATABASE; Schema: -; Owner: me\n--\n\nCREATE DATABASE d;\n"
    stmts = statements(sql + "\\connect d\nCREATE TABLE t ();\n")
    assert [stmt.toc is None for stmt in stmts] == [False, True]


def test_a_name_comment_that_is_no_header_changes_nothing() -> None:
    sql = "--\n-- Name: t; Type: TABLE; Schema: s; Owner: o\n--\nCREATE TABLE s.t ();\n"
    stmts = statements(sql + "-- Name: my notes\nALTER TABLE s.t OWNER TO o;\n")
    assert stmts[1].toc == stmts[0].toc


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "-- Name: f(a integer, b text); Type: FUNCTION; Schema: app; Owner: postgres",
            TocEntry("f(a integer, b text)", "FUNCTION", "app", "postgres", 1),
        ),
        (
            "-- Name: a; Type: b; Type: TABLE; Schema: public; Owner: postgres",
            TocEntry("a; Type: b", "TABLE", "public", "postgres", 1),
        ),
        (
            "-- Name: x; Type: TABLE; Schema: y; Type: TABLE; Schema: z; Owner: o",
            TocEntry("x; Type: TABLE; Schema: y", "TABLE", "z", "o", 1),
        ),
        (
            "-- Name: plpgsql; Type: EXTENSION; Schema: -; Owner: -",
            TocEntry("plpgsql", "EXTENSION", None, None, 1),
        ),
        (
            "-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: ",
            TocEntry("EXTENSION citext", "COMMENT", None, None, 1),
        ),
        (
            "-- Name: t; Type: TABLE; Schema: s; Owner: o; Tablespace: a; b",
            TocEntry("t", "TABLE", "s", "o", 1, tablespace="a; b"),
        ),
        ("-- Name: just a comment", None),
        ("-- Name: x; Type: table; Schema: s; Owner: o", None),
    ],
)
def test_toc_header_lines_are_parsed_from_the_right(line: str, expected: TocEntry | None) -> None:
    assert parse_toc_header(line, 1) == expected


# -- custom-format archives (read from their TOC, reader/archive_toc.py) ----------------------


def _stream(items: list[Statement | MetaCommand]) -> list[tuple[object, ...]]:
    return [
        (
            item.text,
            item.copy_rows,
            None if item.toc is None else _toc_fields(item.toc),
        )
        for item in items
        if isinstance(item, Statement)
    ]


def _toc_fields(toc: TocEntry) -> tuple[object, ...]:
    return (toc.name, toc.type, toc.schema, toc.owner, toc.tablespace, toc.data)


def test_an_archive_gives_the_statements_pg_restore_prints() -> None:
    archive = split_statements(read_source(ARCHIVE / "schema.dump"))
    restored = split_statements(read_source(ARCHIVE / "restored.sql"))
    assert len(_stream(archive)) > 100
    assert _stream(archive) == _stream(restored)


def test_archive_spans_name_the_archive_and_the_toc_entry_dump_id() -> None:
    name = str(ARCHIVE / "schema.dump")
    # pg_restore --list lines: "<dump id>; <class oid> <oid> <type> <schema> <name> <owner>".
    listed = {}
    for line in (ARCHIVE / "toc.list").read_text(encoding="utf-8").splitlines():
        dump_id, rest = line.split("; ", 1)
        listed[int(dump_id)] = rest
    entries = 0
    for item in split_statements(read_source(ARCHIVE / "schema.dump")):
        assert isinstance(item, Statement)
        assert item.in_archive
        assert item.span.file == name
        if item.toc is None:
            assert item.span.line == 0 or item.span.line in listed
            continue
        entries += 1
        assert item.span.line == item.toc.line
        schema = item.toc.schema or "-"
        assert f" {item.toc.type} {schema} {item.toc.name} " in listed[item.span.line] + " "
    assert entries > 100


def test_an_archive_read_from_bytes_is_the_same() -> None:
    data = (ARCHIVE / "schema.dump").read_bytes()
    from_bytes = split_statements(read_source(gzip.compress(data), name="db.dump.gz"))
    assert _stream(from_bytes) == _stream(split_statements(read_source(ARCHIVE / "schema.dump")))
    assert from_bytes[-1].span.file == "db.dump.gz"


# -- parsing ---------------------------------------------------------------------------------


def test_parse_statement_returns_the_statement_node() -> None:
    [stmt] = statements("CREATE TABLE t (a int);")
    node = parse_statement(stmt)
    assert node is not None
    assert node["CreateStmt"]["relation"]["relname"] == "t"


def test_a_comment_only_statement_parses_to_none() -> None:
    stmt = Statement("/* nothing */", SourceSpan("x", 1, 1, 1), None, None, 0)
    assert parse_statement(stmt) is None


def test_a_parse_error_has_the_file_line_column_and_caret() -> None:
    sql = "SELECT 1;\n\nCREATE TABLE t (\n    a int,\n    b ints ints\n);\n"
    stmt = statements(sql)[1]
    with pytest.raises(ParseError) as caught:
        parse_statement(stmt)
    error = caught.value
    assert error.span == SourceSpan("<string>", 5, 12, 5)
    assert error.message == 'syntax error at or near "ints"'
    assert error.statement == stmt.text
    assert error.render() == (
        '<string>:5:12: syntax error at or near "ints"\n        b ints ints\n               ^'
    )


def test_parse_error_columns_count_characters_before_the_error() -> None:
    # pglast reports a character offset, not a byte offset, into the statement.
    [stmt] = statements("  SELECT 'ééé' FROM WHERE;")
    with pytest.raises(ParseError) as caught:
        parse_statement(stmt)
    assert (caught.value.line, caught.value.column) == (1, 21)
    assert caught.value.line_text[caught.value.caret_column - 1 :].startswith("WHERE")


def test_an_error_at_end_of_input_points_after_the_statement() -> None:
    [stmt] = statements("SELECT 1 +\n  ;")
    with pytest.raises(ParseError, match="at end of input") as caught:
        parse_statement(stmt)
    assert (caught.value.line, caught.value.column) == (2, 3)


def test_with_the_source_the_error_shows_the_whole_line() -> None:
    source = source_from_text("SELECT 1; SELECT FROM FROM;\n")
    stmt = split_statements(source)[1]
    assert isinstance(stmt, Statement)
    with pytest.raises(ParseError) as caught:
        parse_statement(stmt, source=source)
    assert caught.value.line_text == "SELECT 1; SELECT FROM FROM;"
    assert caught.value.column == 23
    with pytest.raises(ParseError) as without:
        parse_statement(stmt)
    assert without.value.line_text == "          SELECT FROM FROM"
    assert without.value.column == 23


def test_a_parse_error_in_an_archive_statement_says_where_in_the_statement() -> None:
    span = SourceSpan("db.dump", 224, 1, 224)
    stmt = Statement("SELECT 1,\n  FROM", span, None, None, 0, in_archive=True)
    with pytest.raises(ParseError) as caught:
        parse_statement(stmt)
    assert caught.value.span == span
    assert caught.value.message.endswith("(line 2, column 3 of the statement)")
    assert caught.value.line_text == "  FROM"


def test_parse_statements_raises_the_first_error_when_strict() -> None:
    items = split("SELECT 1;\nSELEC 2;\nSELEC 3;\n")
    with pytest.raises(ParseError) as caught:
        parse_statements(items)
    assert caught.value.line == 2


def test_parse_statements_collects_errors_when_not_strict() -> None:
    items = split("\\connect db\nSELECT 1;\nSELEC 2;\nSELECT 3;\nSELEC 4;\n")
    parsed, errors = parse_statements(items, strict=False)
    assert [stmt.text for stmt, _ in parsed] == ["SELECT 1", "SELECT 3"]
    assert all(node is not None and "SelectStmt" in node for _, node in parsed)
    assert [error.line for error in errors] == [3, 5]


def test_gc_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_gc_is_restored_after_an_error() -> None:
    def fail_while_paused() -> None:
        with gc_paused():
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_while_paused()
    assert gc.isenabled()


def test_gc_paused_leaves_a_disabled_gc_disabled() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- the real dumps under fixtures/ ---------------------------------------------------------

FIXTURE_DUMPS = sorted(FIXTURES.rglob("dump.sql"))
HEADER_LINE = re.compile(r"^-- (Data for )?Name: ", re.MULTILINE)


@pytest.mark.parametrize(
    "path", FIXTURE_DUMPS, ids=[str(p.relative_to(FIXTURES).parent) for p in FIXTURE_DUMPS]
)
def test_every_fixture_dump_splits_and_parses(path: Path) -> None:
    source = read_source(path)
    items = split_statements(source, strict=True)
    parsed, errors = parse_statements(items, strict=False, source=source)
    assert [error.render() for error in errors] == []
    assert len(parsed) == sum(isinstance(item, Statement) for item in items) > 0


@pytest.mark.parametrize(
    "path", FIXTURE_DUMPS, ids=[str(p.relative_to(FIXTURES).parent) for p in FIXTURE_DUMPS]
)
def test_every_toc_header_of_a_fixture_dump_is_attached(path: Path) -> None:
    source = read_source(path)
    header_lines = {
        source.text.count("\n", 0, match.start()) + 1 for match in HEADER_LINE.finditer(source.text)
    }
    items = split_statements(source)
    attached = {item.toc.line for item in items if isinstance(item, Statement) and item.toc}
    assert header_lines - attached == set()
