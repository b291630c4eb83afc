"""Bad input gets one clear error, old dumps load, nothing is dropped in silence.

The catalogue here is the acceptance list of docs/robustness.md: every input has the exact
error class and the shape of its one-line message. Reader details (every compressor, every
splitting rule) are pinned in test_reader.py; these tests go through :func:`pgdrift.load`.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

import pgdrift
from pgdrift import load, loads
from pgdrift._nesting import MAX_NESTING
from pgdrift.errors import (
    ArchiveFormatError,
    DuplicateObjectError,
    Error,
    InputError,
    NotADumpError,
    ParseError,
    TruncatedArchiveError,
    UndefinedObjectError,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ARCHIVE = FIXTURES / "archive" / "schema.dump"

TABLE = "CREATE TABLE public.t (a integer);\n"


def _tar(member: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(member)
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    return buffer.getvalue()


MYSQLDUMP = b"""\
-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------
-- Server version\t8.0.36

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (
  `id` int NOT NULL AUTO_INCREMENT,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
"""

SQLITE_DUMP = b"""\
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO users VALUES(1,'ann');
COMMIT;
"""

# (input bytes, error class, the whole one-line message as a regular expression)
CATALOGUE = [
    pytest.param(b"", NotADumpError, r"no SQL statements in dump\.sql", id="empty file"),
    pytest.param(
        b"--\n-- PostgreSQL database dump\n--\n\n/* nothing else */\n",
        NotADumpError,
        r"no SQL statements in dump\.sql",
        id="only comments",
    ),
    pytest.param(
        ARCHIVE.read_bytes()[:4096],
        TruncatedArchiveError,
        r"dump\.sql: cannot read this pg_dump custom-format archive \(the file ends inside TOC "
        r"entry \d+ of \d+\); convert it with: "
        r"pg_restore --schema-only -f schema\.sql dump\.sql",
        id="custom-format archive, cut short",
    ),
    pytest.param(
        _tar("toc.dat"),
        ArchiveFormatError,
        r"dump\.sql is a pg_dump tar-format archive, not a SQL script; convert it with: "
        r"pg_restore --schema-only -f schema\.sql dump\.sql",
        id="tar-format archive",
    ),
    pytest.param(
        _tar("backup_label"),
        InputError,
        r"dump\.sql is a tar archive, not a dump file",
        id="tar of something else",
    ),
    pytest.param(
        gzip.compress(TABLE.encode() * 50)[:40],
        InputError,
        r"dump\.sql: gzip data is truncated \(the file was cut short\)",
        id="gzip cut short",
    ),
    pytest.param(
        TABLE.encode() + b"COMMENT ON TABLE public.t IS 'caf\xe9';\n",
        InputError,
        r"dump\.sql:2:34: cannot decode byte 0xe9 as utf-8; if the dump is in another "
        r"encoding, pass encoding= \(for example encoding='latin-1'\)",
        id="latin-1 bytes in a UTF-8 dump",
    ),
    pytest.param(
        TABLE.encode() + b"CREATE TABLE public.u (\0);\n",
        InputError,
        r"dump\.sql:2:24: NUL character in the input: this is a binary file, not a SQL script",
        id="NUL byte",
    ),
    pytest.param(
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)),
        InputError,
        r"dump\.sql:3:1: NUL character in the input: this is a binary file, not a SQL script",
        id="an image",
    ),
    pytest.param(
        b"PK\x03\x04\x14\0\0\0\x08\0" + bytes(64),
        InputError,
        r"dump\.sql is a zip archive, not a SQL script",
        id="zip archive",
    ),
    pytest.param(
        TABLE.encode("utf-16-le"),
        InputError,
        r"dump\.sql looks like UTF-16 text without a byte-order mark; pass "
        r"encoding='utf-16-le' \(CLI: --encoding utf-16-le\)",
        id="UTF-16 without a BOM",
    ),
    pytest.param(
        TABLE.encode()
        + b"CREATE FUNCTION public.f() RETURNS integer\n    LANGUAGE sql\n    AS $_$\nSELECT 1",
        ParseError,
        r"dump\.sql:4:8: unterminated dollar-quoted string starting at line 4",
        id="cut inside a dollar-quoted body",
    ),
    pytest.param(
        TABLE.encode() + b"COMMENT ON TABLE public.t IS 'the t table;\n",
        ParseError,
        r"dump\.sql:2:30: unterminated quoted string starting at line 2",
        id="cut inside a string",
    ),
    pytest.param(
        TABLE.encode() + b"COPY public.t (a) FROM stdin;\n1\n2\n",
        ParseError,
        r"dump\.sql:3:1: unterminated COPY data starting at line 3",
        id="cut inside COPY data",
    ),
    pytest.param(
        MYSQLDUMP,
        NotADumpError,
        r"dump\.sql looks like a MySQL dump \(mysqldump\), not PostgreSQL SQL",
        id="MySQL dump",
    ),
    pytest.param(
        SQLITE_DUMP,
        NotADumpError,
        r"dump\.sql looks like an SQLite dump \(sqlite3 \.dump\), not PostgreSQL SQL",
        id="SQLite .dump",
    ),
    pytest.param(
        b"Dear team,\nplease find the schema attached.\n",
        ParseError,
        r'dump\.sql:1:1: syntax error at or near "Dear"',
        id="random text",
    ),
    pytest.param(
        (TABLE + TABLE).encode(),
        DuplicateObjectError,
        r'dump\.sql:2:1: relation "t" already exists \(table:public\.t, first defined at '
        r"dump\.sql:1:1\)",
        id="two definitions of one object",
    ),
    pytest.param(
        b"ALTER TABLE public.never OWNER TO app;\n",
        UndefinedObjectError,
        r'dump\.sql:1:1: ALTER \.\.\. OWNER TO: relation "public\.never" does not exist',
        id="ALTER of an object never created",
    ),
    pytest.param(
        ("CREATE VIEW public.v AS\n SELECT " + "1 + " * 10_000 + "1 AS n;\n").encode(),
        ParseError,
        r"dump\.sql:1:1: statement nested 20013 levels deep; pgdrift reads statements nested "
        rf"up to {MAX_NESTING} levels \(about 240 chained operators or 65 nested sub-selects\)",
        id="10,000-deep nested expression",
    ),
    pytest.param(
        ("CREATE VIEW public.v AS SELECT " + "(" * 10_000 + "1" + ")" * 10_000 + ";").encode(),
        ParseError,
        r'dump\.sql:1:10021: memory exhausted at or near "\("',
        id="10,000 nested parentheses",
    ),
]


@pytest.mark.parametrize(("data", "error", "message"), CATALOGUE)
def test_each_bad_input_gets_its_own_error_class_and_one_line(
    data: bytes, error: type[Error], message: str
) -> None:
    with pytest.raises(Error) as caught:
        load(data, name="dump.sql")
    assert type(caught.value) is error
    assert re.fullmatch(message, caught.value.one_line())
    assert "\n" not in caught.value.one_line()


def test_a_custom_format_archive_under_a_sql_name_is_read_from_its_toc() -> None:
    """The binary backup committed as schema.sql: its table of contents is read."""
    assert load(ARCHIVE.read_bytes(), name="schema.sql") == load(ARCHIVE)


def test_a_gzipped_dump_loads_like_the_dump() -> None:
    dump = FIXTURES / "tables" / "dump.sql"
    assert load(gzip.compress(dump.read_bytes()), name="dump.sql.gz") == load(dump)


def test_latin1_bytes_load_with_an_encoding_option() -> None:
    data = TABLE.encode() + b"COMMENT ON TABLE public.t IS 'caf\xe9';\n"
    assert load(data, encoding="latin-1").tables["public.t"].comment == "café"


def test_crlf_line_ends_load_like_lf_with_the_same_places() -> None:
    dump = (FIXTURES / "triggers" / "dump.sql").read_text(encoding="utf-8")
    lf = loads(dump, name="dump.sql")
    crlf = load(dump.replace("\n", "\r\n").encode(), name="dump.sql")
    assert crlf == lf
    assert [o.span for o in crlf] == [o.span for o in lf]


# -- cut short ---------------------------------------------------------------------------------

CUT_SHORT = [
    pytest.param(
        "CREATE FUNCTION public.f() RETURNS integer\n    LANGUAGE sql\n    AS $_$\nSELECT 1",
        "unterminated dollar-quoted string starting at line 5",
        id="dollar-quoted body",
    ),
    pytest.param("COMMENT ON TABLE public.t IS 'the t", "unterminated quoted string", id="string"),
    pytest.param("COPY public.t (a) FROM stdin;\n1\n", "unterminated COPY data", id="COPY data"),
]


@pytest.mark.parametrize(("tail", "message"), CUT_SHORT)
def test_a_dump_cut_short_keeps_every_statement_before_the_cut_when_not_strict(
    tail: str, message: str
) -> None:
    schema = loads(TABLE + "CREATE TABLE public.u (b text);\n" + tail, strict=False)
    assert sorted(schema.tables) == ["public.t", "public.u"]
    [error] = schema.errors
    assert isinstance(error, ParseError)
    assert message in error.message


def test_a_dump_cut_inside_its_first_statement_names_the_cut_not_an_empty_dump() -> None:
    with pytest.raises(ParseError, match="unterminated quoted string"):
        loads("COMMENT ON TABLE public.t IS 'the t", strict=False)


def test_an_unterminated_restrict_loads_with_a_warning() -> None:
    schema = loads("\\restrict abc123\n" + TABLE, name="dump.sql")
    assert sorted(schema.tables) == ["public.t"]
    assert schema.warnings == (
        "dump.sql:1:1: \\restrict without a matching \\unrestrict: the dump looks truncated",
    )


def test_a_closed_restrict_gives_no_warning() -> None:
    assert loads("\\restrict abc\n" + TABLE + "\\unrestrict abc\n").warnings == ()


# -- nothing dropped in silence -------------------------------------------------------------------


def test_a_syntax_error_deep_in_a_large_dump_is_placed_exactly_and_the_rest_is_read() -> None:
    """Statement 3,000 of 5,000, with pg_dump's layout around it."""
    parts = [
        f"--\n-- Name: t{i}; Type: TABLE; Schema: public; Owner: app\n--\n\n"
        f"CREATE TABLE public.t{i} (\n    id integer NOT NULL\n);\n\n\n"
        for i in range(5000)
    ]
    parts[2999] = parts[2999].replace("id integer", "id integer integer")
    text = "".join(parts)
    line = text[: text.index("integer integer")].count("\n") + 1
    with pytest.raises(ParseError) as caught:
        loads(text, name="big.sql")
    assert caught.value.one_line() == f'big.sql:{line}:16: syntax error at or near "integer"'
    assert caught.value.render().splitlines()[1:] == [
        "        id integer integer NOT NULL",
        "                   ^",
    ]
    schema = loads(text, name="big.sql", strict=False)
    assert len(schema.tables) == 4999
    assert "public.t2999" not in schema.tables
    assert [e.one_line() for e in schema.errors] == [caught.value.one_line()]


def test_a_statement_pgdrift_does_not_model_is_kept_and_reported() -> None:
    schema = loads(TABLE + "ALTER SYSTEM SET work_mem = '1MB';\n", name="dump.sql")
    [kept] = schema.unsupported
    assert kept.statement == "ALTER SYSTEM SET work_mem = '1MB'"
    assert kept.reason == "pgdrift does not model AlterSystemStmt statements"
    assert kept.span is not None
    assert kept.span.location() == "dump.sql:2:1"
    changed = pgdrift.diff(loads(TABLE), schema)
    assert [(c.operation, c.kind) for c in changed] == [("create", "unsupported")]


def test_duplicates_keep_the_first_definition_and_report_the_second() -> None:
    schema = loads(TABLE + "CREATE TABLE public.t (b text);\n", strict=False, name="dump.sql")
    assert schema.tables["public.t"].columns.names() == ("a",)
    [error] = schema.errors
    assert isinstance(error, DuplicateObjectError)


def test_an_alter_of_nothing_is_reported_and_the_rest_is_read() -> None:
    schema = loads("ALTER TABLE public.never OWNER TO app;\n" + TABLE, strict=False)
    assert sorted(schema.tables) == ["public.t"]
    assert [type(e) for e in schema.errors] == [UndefinedObjectError]


# -- size and depth ------------------------------------------------------------------------------


def _nested_views(depth_terms: int) -> str:
    expression = "1 + " * depth_terms + "1"
    return (
        "CREATE TABLE public.t (a integer);\n"
        f"CREATE VIEW public.v AS SELECT {expression} AS n;\n"
        f"ALTER TABLE public.t ADD CONSTRAINT c CHECK (a < {expression});\n"
    )


def test_a_statement_at_the_nesting_limit_is_read_diffed_serialised_and_planned() -> None:
    """240 chained operators nest 494 levels deep: everything downstream must cope, from
    under pytest's own frames."""
    from pgdrift.planner import plan  # noqa: PLC0415
    from pgdrift.renderer import render, render_plan_sql  # noqa: PLC0415
    from pgdrift.serialize import schema_to_data  # noqa: PLC0415

    deep = loads(_nested_views(240))
    assert deep == loads(_nested_views(240))
    assert str(deep.views["public.v"].query.sql).count("+") == 240
    schema_to_data(deep, with_source=True)
    for a, b in ((deep, loads(TABLE)), (loads(TABLE), deep)):
        changes = pgdrift.diff(a, b)
        for fmt in ("text", "markdown", "json"):
            render(changes, fmt)
        render_plan_sql(plan(changes))


def test_a_statement_past_the_nesting_limit_is_refused_alone_when_not_strict() -> None:
    schema = loads(_nested_views(260), strict=False)
    assert sorted(schema.tables) == ["public.t"]
    assert "public.v" not in schema.views
    assert [e.message.split(";")[0] for e in schema.errors] == [
        "statement nested 533 levels deep",
        "statement nested 535 levels deep",
    ]


def _nested_sub_selects(depth: int) -> str:
    expression = "t.n"
    for level in range(depth):
        expression = (
            f"(SELECT sum(CASE WHEN t{level}.n > 0 THEN {expression} END) FROM public.t t{level})"
        )
    return (
        "CREATE TABLE public.t (n numeric);\n"
        f"CREATE VIEW public.v AS WITH c AS (SELECT {expression} AS s FROM public.t) "
        "SELECT c.s FROM c WHERE c.s > 1;\n"
    )


def test_nested_sub_selects_are_typed_in_polynomial_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typing a scalar sub-select types the expressions inside it once each: twice as deep
    costs about four times the work (each level's CASE types what is below it), not a
    thousand times."""
    from pgdrift.builder import comparisons  # noqa: PLC0415

    calls = [0]
    operand = comparisons._operand

    def counted(*args: object) -> object:
        calls[0] += 1
        return operand(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(comparisons, "_operand", counted)
    counts = []
    for depth in (10, 20):
        calls[0] = 0
        view = loads(_nested_sub_selects(depth)).views["public.v"]
        assert str(view.query.sql).endswith("WHERE c.s > 1::numeric")
        counts.append(calls[0])
    assert counts[1] < 6 * counts[0]


def test_deep_statements_are_safe_in_a_thread_with_a_small_stack() -> None:
    """The recursion room given to the printer must not overflow a 1 MiB C stack."""
    script = textwrap.dedent(
        f"""
        import threading, pgdrift
        from pgdrift.serialize import schema_to_data
        def work():
            schema = pgdrift.loads({_nested_views(240)!r})
            schema_to_data(schema)
            pgdrift.diff(schema, pgdrift.loads("CREATE TABLE public.t (a integer);"))
            print("ok")
        threading.stack_size(1 << 20)
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "ok\n", "")


ONE_MEGABYTE = 1_000_000

LONG_LINES = [
    pytest.param(
        "SELECT " + "(" * ONE_MEGABYTE, ParseError, r'memory exhausted at or near "\("', id="("
    ),
    pytest.param(";" * ONE_MEGABYTE, NotADumpError, r"no SQL statements in line\.sql", id=";"),
    pytest.param(
        "SELECT " + "1 + " * (ONE_MEGABYTE // 4) + "1;",
        ParseError,
        r"stack depth limit exceeded",
        id="1 + 1 + ...",
    ),
    pytest.param(
        "'" * (ONE_MEGABYTE + 1),
        ParseError,
        r"unterminated quoted string starting at line 1",
        id="quotes",
    ),
    pytest.param(
        "SELECT $a$" + "$" * ONE_MEGABYTE,
        ParseError,
        r"unterminated dollar-quoted string starting at line 1",
        id="dollars",
    ),
    pytest.param(
        "0" * ONE_MEGABYTE, ParseError, r'syntax error at or near "0+\.\.\.0+"$', id="digits"
    ),
]


@pytest.mark.parametrize(("text", "error", "message"), LONG_LINES)
def test_a_megabyte_line_without_identifiers_gets_a_short_error(
    text: str, error: type[Error], message: str
) -> None:
    with pytest.raises(Error) as caught:
        loads(text, name="line.sql")
    assert type(caught.value) is error
    assert re.search(message, caught.value.one_line())
    assert len(caught.value.one_line()) < 200
    if isinstance(caught.value, ParseError):
        assert len(caught.value.render()) < 500


def test_a_megabyte_string_literal_is_kept_whole() -> None:
    comment = "x" * ONE_MEGABYTE
    schema = loads(TABLE + f"COMMENT ON TABLE public.t IS '{comment}';\n")
    assert schema.tables["public.t"].comment == comment


def test_100000_statements_on_one_line_load_with_their_columns() -> None:
    statements = [f"CREATE TABLE public.t{i} (a integer);" for i in range(100_000)]
    schema = loads("".join(statements), name="one.sql")
    assert len(schema.tables) == 100_000
    last = schema.tables["public.t99999"].span
    assert last is not None
    assert (last.line, last.column) == (1, sum(map(len, statements[:-1])) + 1)


def test_many_errors_on_one_long_line_stay_small() -> None:
    """Each error shows 100 characters either side, not the whole line: 20,000 errors in a
    160 kB line once held 2.4 GB of padding."""
    schema = loads("FOO BAR;" * 20_000, strict=False, name="one.sql")
    assert len(schema.errors) == 20_000
    assert max(len(e.render()) for e in schema.errors) < 400


# -- the 200 MB dump (opt-in: PGDRIFT_BIG_DUMP=1, run by nox -s property) -----------------------


def write_big_dump(path: Path, size: int) -> int:
    """Copies of two real fixture dumps, each copy's schema renamed, until ``size`` bytes.

    Returns the number of copies. The fixtures hold COPY data, functions, types and a
    character outside the Basic Multilingual Plane (which makes Python store the whole text in
    four bytes per character).
    """
    sources = [(FIXTURES / "full_with_data" / "dump.sql", "inventory"),
               (FIXTURES / "types" / "dump.sql", "shop")]  # fmt: skip
    header, bodies = "", []
    for dump, schema in sources:
        text = dump.read_text(encoding="utf-8")
        start = text.index("\n--\n-- Name: ")
        end = text.index("\n--\n-- PostgreSQL database dump complete")
        header = header or re.sub(r"\\restrict \w+\n", "", text[:start])
        bodies.append((re.compile(rf"\b{schema}\b"), schema, text[start:end]))
    copies = 0
    with path.open("w", encoding="utf-8") as out:
        written = out.write(header)
        while written < size:
            copies += 1
            for pattern, schema, body in bodies:
                written += out.write(pattern.sub(f"{schema}_{copies:06d}", body))
    return copies


@pytest.mark.skipif(not os.environ.get("PGDRIFT_BIG_DUMP"), reason="set PGDRIFT_BIG_DUMP=1")
def test_a_200_mb_dump_loads_in_bounded_memory(tmp_path: Path) -> None:
    """Peak RSS of a fresh process that loads it, against the file size (docs/robustness.md)."""
    dump = tmp_path / "big.sql"
    copies = write_big_dump(dump, 200_000_000)
    script = textwrap.dedent(
        f"""
        import resource, sys, time
        import pgdrift
        start = time.perf_counter()
        schema = pgdrift.load({str(dump)!r})
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(len(schema.objects), len(schema.errors), peak, round(seconds, 1))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    objects, errors, peak, seconds = result.stdout.split()
    size = dump.stat().st_size
    print(  # noqa: T201 - the figure docs/robustness.md records
        f"\n200 MB dump: {size:,} bytes, {copies} copies, {int(objects):,} objects, "
        f"peak RSS {int(peak) / 2**20:,.0f} MiB ({int(peak) / size:.1f}x the file), {seconds} s"
    )
    assert int(errors) == 0
    assert int(objects) > 500_000
    assert int(peak) < 16 * size


# -- dumps from pg_dump 8.4 to 11 ------------------------------------------------------------------
#
# No PostgreSQL older than 15 is available to these tests, so the inputs below are transcriptions
# of the forms old pg_dump versions print (session settings, TOC headers, unqualified names), not
# generated dumps; docs/robustness.md says where each form comes from.

PG_DUMP_96 = """\
--
-- PostgreSQL database dump
--

-- Dumped from database version 9.6.24
-- Dumped by pg_dump version 9.6.24

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: plpgsql; Type: EXTENSION; Schema: -; Owner:
--

CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;


--
-- Name: EXTENSION plpgsql; Type: COMMENT; Schema: -; Owner:
--

COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';


SET search_path = public, pg_catalog;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: app
--

CREATE TYPE mood AS ENUM (
    'sad',
    'happy'
);


ALTER TYPE mood OWNER TO app;

--
-- Name: touch(); Type: FUNCTION; Schema: public; Owner: app
--

CREATE FUNCTION touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;


ALTER FUNCTION public.touch() OWNER TO app;

SET default_tablespace = '';

SET default_with_oids = false;

--
-- Name: people; Type: TABLE; Schema: public; Owner: app
--

CREATE TABLE people (
    id integer NOT NULL,
    name text NOT NULL,
    feeling mood DEFAULT 'happy'::mood,
    updated_at timestamp with time zone DEFAULT now()
);


ALTER TABLE people OWNER TO app;

--
-- Name: people_id_seq; Type: SEQUENCE; Schema: public; Owner: app
--

CREATE SEQUENCE people_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE people_id_seq OWNER TO app;

--
-- Name: people_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: app
--

ALTER SEQUENCE people_id_seq OWNED BY people.id;


--
-- Name: people id; Type: DEFAULT; Schema: public; Owner: app
--

ALTER TABLE ONLY people ALTER COLUMN id SET DEFAULT nextval('people_id_seq'::regclass);


--
-- Name: people people_pkey; Type: CONSTRAINT; Schema: public; Owner: app
--

ALTER TABLE ONLY people
    ADD CONSTRAINT people_pkey PRIMARY KEY (id);


--
-- Name: people_name_idx; Type: INDEX; Schema: public; Owner: app
--

CREATE INDEX people_name_idx ON people USING btree (name);


--
-- Name: people people_touch; Type: TRIGGER; Schema: public; Owner: app
--

CREATE TRIGGER people_touch BEFORE UPDATE ON people FOR EACH ROW EXECUTE PROCEDURE touch();


--
-- PostgreSQL database dump complete
--

""".replace("Owner:\n", "Owner: \n")  # pg_dump ends an empty owner with a space

# The same schema restored into PostgreSQL 15 and dumped again: every name qualified, the
# search_path empty (pg_dump 10.3 and later), EXECUTE FUNCTION; the sequence has no AS clause
# because a sequence made before PostgreSQL 10 is a bigint one.
PG_DUMP_15_OBJECTS = """\
SELECT pg_catalog.set_config('search_path', '', false);
CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;
COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';
CREATE TYPE public.mood AS ENUM (
    'sad',
    'happy'
);
ALTER TYPE public.mood OWNER TO app;
CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
ALTER FUNCTION public.touch() OWNER TO app;
CREATE TABLE public.people (
    id integer NOT NULL,
    name text NOT NULL,
    feeling public.mood DEFAULT 'happy'::public.mood,
    updated_at timestamp with time zone DEFAULT now()
);
ALTER TABLE public.people OWNER TO app;
CREATE SEQUENCE public.people_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER TABLE public.people_id_seq OWNER TO app;
ALTER SEQUENCE public.people_id_seq OWNED BY public.people.id;
ALTER TABLE ONLY public.people
    ALTER COLUMN id SET DEFAULT nextval('public.people_id_seq'::regclass);
ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_pkey PRIMARY KEY (id);
CREATE INDEX people_name_idx ON public.people USING btree (name);
CREATE TRIGGER people_touch BEFORE UPDATE ON public.people
    FOR EACH ROW EXECUTE FUNCTION public.touch();
"""


def test_a_pg_dump_96_dump_with_unqualified_names_reads_like_a_modern_one() -> None:
    """pg_dump 9.6 (as 8.4 to 10.2) set search_path = public, pg_catalog and left names
    unqualified; its TOC tags already named the table of a constraint ("people people_pkey")."""
    old = loads(PG_DUMP_96, name="old.sql")
    assert old.errors == ()
    assert old.dumped_by == "9.6.24"
    # pg_dump 9.6 wrote plpgsql and its usual comment; initdb made both, and no pg_dump of
    # PostgreSQL 11 or later writes them: neither is in the model, and nothing is said.
    assert "extension:plpgsql" not in {str(o) for o in old.objects}
    assert not [w for w in old.warnings if "plpgsql" in w]
    assert sorted(str(o.id) for o in old) == sorted(str(o.id) for o in loads(PG_DUMP_15_OBJECTS))
    assert list(pgdrift.diff(old, loads(PG_DUMP_15_OBJECTS))) == []


PG_DUMP_84 = r"""--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = off;
SET check_function_bodies = false;
SET client_min_messages = warning;
SET escape_string_warning = off;

--
-- Name: plpgsql; Type: PROCEDURAL LANGUAGE; Schema: -; Owner: postgres
--

CREATE PROCEDURAL LANGUAGE plpgsql;


ALTER PROCEDURAL LANGUAGE plpgsql OWNER TO postgres;

SET search_path = public, pg_catalog;

SET default_tablespace = '';

SET default_with_oids = true;

--
-- Name: files; Type: TABLE; Schema: public; Owner: app; Tablespace:
--

CREATE TABLE files (
    id integer NOT NULL,
    path text DEFAULT 'C:\\data\\new'::text NOT NULL,
    label character varying(40) DEFAULT 'it''s'::character varying,
    CONSTRAINT files_path_check CHECK ((path !~ '\\.tmp$'::text))
);


ALTER TABLE public.files OWNER TO app;

SET default_with_oids = false;

--
-- Name: COLUMN files.path; Type: COMMENT; Schema: public; Owner: app
--

COMMENT ON COLUMN files.path IS 'a Windows path, as C:\\data\\new';


--
-- Name: files_pkey; Type: CONSTRAINT; Schema: public; Owner: app; Tablespace:
--

ALTER TABLE ONLY files
    ADD CONSTRAINT files_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

""".replace("Tablespace:\n", "Tablespace: \n")  # as pg_dump 8.4 ends an empty tablespace


def test_backslashes_read_as_escapes_while_standard_conforming_strings_is_off() -> None:
    """pg_dump 8.4 and 9.0 wrote SET standard_conforming_strings = off and doubled every
    backslash in string literals; reading them as standard strings doubled them in the model."""
    schema = loads(PG_DUMP_84)
    files = schema.tables["public.files"]
    assert files.columns["path"].comment == "a Windows path, as C:\\data\\new"
    modern = loads(
        "CREATE TABLE public.files (id integer NOT NULL,\n"
        "    path text DEFAULT 'C:\\data\\new'::text NOT NULL,\n"
        "    label character varying(40) DEFAULT 'it''s'::character varying,\n"
        "    CONSTRAINT files_path_check CHECK ((path !~ '\\.tmp$'::text)));\n"
        "ALTER TABLE public.files OWNER TO app;\n"
        "ALTER TABLE ONLY public.files ADD CONSTRAINT files_pkey PRIMARY KEY (id);\n"
        "COMMENT ON COLUMN public.files.path IS 'a Windows path, as C:\\data\\new';\n"
    )
    # The old dump's CREATE PROCEDURAL LANGUAGE plpgsql is the extension initdb installs,
    # which no modern dump writes: nothing differs.
    assert [str(c.id) for c in pgdrift.diff(modern, schema)] == []
    assert files.columns["path"].default is not None
    assert files.columns["path"].default.sql == "'C:\\data\\new'::text"


def test_a_backslash_quote_is_read_with_standard_conforming_strings_off() -> None:
    schema = loads(
        "SET standard_conforming_strings = off;\n"
        "COMMENT ON SCHEMA public IS 'it\\'s ours; C:\\\\x';\n"
        "SET standard_conforming_strings = on;\n"
        "CREATE TABLE public.t (a text DEFAULT 'C:\\x');\n"
    )
    assert schema.schemas["public"].comment == "it's ours; C:\\x"
    default = schema.tables["public.t"].columns["a"].default
    assert default is not None
    assert default.sql == "'C:\\x'::text" or default.sql == "'C:\\x'"


def test_a_parse_error_after_a_rewritten_string_points_into_the_original_text() -> None:
    """Two E prefixes were inserted before the error; its column is the one in the file."""
    with pytest.raises(ParseError) as caught:
        loads("SET standard_conforming_strings = off;\nSELECT 'a\\\\b', 'c\\\\d' FROMM x;\n")
    assert caught.value.one_line() == '<string>:2:29: syntax error at or near "x"'


def test_default_with_oids_and_the_old_language_owner_load_with_warnings() -> None:
    schema = loads(PG_DUMP_84, name="old.sql")
    assert schema.errors == ()
    assert schema.warnings == (
        "old.sql:19:1: the owner of language:plpgsql is not compared: the language belongs to "
        "extension:plpgsql",
        "old.sql:25:1: SET default_with_oids = true is ignored: PostgreSQL 12 and later have no "
        "table OIDs (tables created after it are read as having none)",
    )


def test_a_with_oids_clause_is_read_without_the_oids() -> None:
    """The clause pglast (PostgreSQL 17's grammar) rejects: hand-written DDL and tools of the
    PostgreSQL 7 and 8 era wrote it; pg_dump 8.0 to 11 wrote SET default_with_oids instead."""
    schema = loads(
        "CREATE TABLE public.legacy (\n    id integer NOT NULL,\n    note text DEFAULT "
        "'with oids'\n) WITH OIDS;\nCREATE TABLE public.plain (id integer) WITH (oids=false);\n",
        name="old.sql",
    )
    assert schema.tables["public.legacy"].columns["note"].default is not None
    assert "with oids" in schema.tables["public.legacy"].columns["note"].default.sql
    assert schema.tables["public.plain"].options == ()
    assert schema.warnings == (
        "old.sql:1:1: WITH OIDS is ignored: PostgreSQL 12 and later have no table OIDs (a table "
        "that had them is read as one that does not)",
    )


def test_a_with_oids_inside_a_string_is_not_touched() -> None:
    with pytest.raises(ParseError, match='syntax error at or near "WITH"'):
        loads("CREATE TABLE public.t (a text DEFAULT 'x WITH OIDS') WITH WITH OIDS;")


PG_DUMP_72_FUNCTION = """\
--
-- Selected TOC Entries:
--
\\connect - postgres

--
-- TOC Entry ID 2 (OID 16558)
--
-- Name: "touch" () Type: FUNCTION Owner: postgres
--

CREATE FUNCTION "touch" () RETURNS opaque AS '
BEGIN
  NEW.updated_at := ''now'';
  RETURN NEW;
END
' LANGUAGE 'plpgsql';

--
-- TOC Entry ID 3 (OID 16560)
--
-- Name: "people" Type: TABLE Owner: postgres
--

CREATE TABLE "people" (
	"id" integer NOT NULL,
	"updated_at" timestamp with time zone
);

--
-- TOC Entry ID 4 (OID 16562)
--
-- Name: "people_touch" Type: TRIGGER Owner: postgres
--

CREATE TRIGGER "people_touch" BEFORE UPDATE ON "people"  FOR EACH ROW EXECUTE PROCEDURE "touch" ();
"""


def test_a_trigger_function_returning_opaque_is_a_trigger_function() -> None:
    """pg_dump 7.2 output: RETURNS opaque, the body in quotes, \\connect - user for owners."""
    schema = loads(PG_DUMP_72_FUNCTION)
    assert str(schema.functions["public.touch()"].returns) == "trigger"
    assert schema.triggers["public.people.people_touch"].function == "public.touch"
    modern = loads(
        "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS '\nBEGIN\n"
        "  NEW.updated_at := ''now'';\n  RETURN NEW;\nEND\n';"
    )
    assert schema.functions["public.touch()"] == modern.functions["public.touch()"]


def test_a_c_function_returning_opaque_is_kept_with_a_warning() -> None:
    schema = loads(
        "CREATE FUNCTION public.my_in(opaque) RETURNS opaque AS 'my.so' LANGUAGE 'C';",
        name="old.sql",
    )
    assert str(schema.functions["public.my_in(opaque)"].returns) == "opaque"
    assert schema.warnings[0].startswith("old.sql:1:1: RETURNS opaque (PostgreSQL 7.2 and older)")


def test_a_quoted_trigger_return_type_of_pg_dump_8_is_trigger() -> None:
    schema = loads('CREATE FUNCTION public.f() RETURNS "trigger" LANGUAGE plpgsql AS $$x$$;')
    assert str(schema.functions["public.f()"].returns) == "trigger"


def test_unqualified_references_resolve_on_the_search_path_the_dump_set() -> None:
    """pg_dump 10.2 and older: SET search_path = sales, pg_catalog, then bare names for what
    that path finds, and qualified names for what it does not."""
    old = loads(
        "CREATE SCHEMA sales;\n"
        "SET search_path = sales, pg_catalog;\n"
        "CREATE TYPE state AS ENUM ('open', 'shut');\n"
        "CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$SELECT 'x'$$;\n"
        'CREATE SEQUENCE "Order_seq";\n'
        "CREATE TABLE orders (id integer DEFAULT nextval('\"Order_seq\"'::regclass),\n"
        "    code text DEFAULT next_code(), st state DEFAULT 'open'::state);\n"
        "CREATE VIEW open_orders AS WITH orders AS (SELECT 1 AS id)\n"
        "    SELECT o.id FROM orders o UNION SELECT id FROM sales.orders\n"
        "    UNION SELECT oid::integer FROM pg_class;\n"
    )
    new = loads(
        "CREATE SCHEMA sales;\n"
        "CREATE TYPE sales.state AS ENUM ('open', 'shut');\n"
        "CREATE FUNCTION sales.next_code() RETURNS text LANGUAGE sql AS $$SELECT 'x'$$;\n"
        'CREATE SEQUENCE sales."Order_seq";\n'
        "CREATE TABLE sales.orders (id integer DEFAULT nextval('sales.\"Order_seq\"'::regclass),\n"
        "    code text DEFAULT sales.next_code(), st sales.state DEFAULT 'open'::sales.state);\n"
        "CREATE VIEW sales.open_orders AS WITH orders AS (SELECT 1 AS id)\n"
        "    SELECT o.id FROM orders o UNION SELECT id FROM sales.orders\n"
        "    UNION SELECT oid::integer FROM pg_class;\n"
    )
    assert list(pgdrift.diff(old, new)) == []


def test_sql_that_never_sets_a_search_path_resolves_names_on_the_default_path() -> None:
    # PostgreSQL's default search_path is "$user", public: with no role known, public.
    schema = loads(TABLE + "CREATE VIEW public.v AS SELECT a FROM t JOIN elsewhere USING (a);\n")
    # A name that resolves to nothing the script creates stays as written.
    query = schema.views["public.v"].query.sql
    assert query == "SELECT a FROM public.t INNER JOIN elsewhere USING (a)"


# -- found by fuzzing (fuzz/fuzz_loads.py) ---------------------------------------------------------


def test_a_table_known_only_from_a_grant_is_counted_without_columns() -> None:
    """A dump that grants on a table it does not define (pg_dump -t of a view's grants, a
    hand-trimmed dump) crashed Schema.counts() and so pgdrift inspect."""
    schema = loads("GRANT SELECT ON TABLE public.elsewhere TO app;\n")
    assert schema.counts() == {"schema": 1, "table": 1}
    from pgdrift.serialize import schema_to_data  # noqa: PLC0415

    assert schema_to_data(schema)["counts"] == {"schema": 1, "table": 1}


def test_a_tree_past_the_json_decoders_depth_limit_is_the_same_clear_parse_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With pgdrift's own depth check lifted, the JSON decoder's limit (orjson: 1,024) is what
    # refuses the tree: the user still gets a located ParseError, never a JSONDecodeError.
    import pgdrift.reader.parse as parse_module  # noqa: PLC0415 - the module patched

    monkeypatch.setattr(parse_module, "MAX_NESTING", 100_000)
    sql = "CREATE VIEW public.v AS\n SELECT " + "1 + " * 1_000 + "1 AS n;\n"
    with pytest.raises(ParseError, match=r"dump\.sql:1:1: statement nested too deeply to read"):
        loads(sql, name="dump.sql")


def test_a_table_known_only_from_its_grants_renders_in_every_format() -> None:
    # A GRANT on a table the input never defines (a partial dump) leaves an ExternalObject,
    # which has no columns: the Markdown report's column count once read them anyway.
    a = pgdrift.loads("GRANT SELECT ON public.t TO app_user;", strict=False)
    b = pgdrift.loads("GRANT INSERT ON public.t TO app_user; CREATE TABLE public.u (x int);",
                      strict=False)  # fmt: skip
    changes = pgdrift.diff(a, b)
    for fmt in ("text", "markdown", "json", "sql", "github", "junit"):
        assert "public.t" in pgdrift.render(changes, fmt)


@pytest.mark.parametrize(
    "alter",
    [
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY;",
        "ALTER TABLE t REPLICA IDENTITY FULL;",
        "ALTER TABLE t SET UNLOGGED;",
    ],
)
def test_altering_a_table_known_only_from_its_grants_is_a_clear_error(alter: str) -> None:
    # GRANT on an object the input never defines keeps a placeholder (pg_dump writes grants on
    # extension members); changing what only a real table has must say the table is missing.
    with pytest.raises(pgdrift.Error, match=r'relation "public.t" does not exist'):
        pgdrift.loads("GRANT SELECT ON t TO app_user;\n" + alter)
    schema = pgdrift.loads("GRANT SELECT ON t TO app_user;\n" + alter, strict=False)
    assert [e.span.line for e in schema.errors if e.span is not None] == [2]


def test_operator_chains_are_typed_once_per_operand(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each rule that asks an operand's type (arithmetic, interval scaling, json operators,
    the operator tables) gets the one typing of it: a chain of ``-`` or ``||`` of operands of
    unknown type costs about twice as much when twice as long, not thousands of times."""
    from pgdrift.builder import comparisons  # noqa: PLC0415

    calls = [0]
    typed = comparisons._typed_operand

    def counted(*args: object) -> object:
        calls[0] += 1
        return typed(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(comparisons, "_typed_operand", counted)
    counts = []
    for length in (8, 16):
        calls[0] = 0
        minus = " - ".join(["f(t.a)"] * length)
        concat = " || ".join(["f(t.a)"] * length)
        loads(f"CREATE TABLE t (a text); CREATE VIEW v AS SELECT {minus}, {concat} FROM t;")
        counts.append(calls[0])
    assert counts[1] < 4 * counts[0]
