"""pgdrift's own reader of pg_dump custom-format archives (reader/archive_toc.py).

Real archives come from fixtures/archive (made by pg_dump 15, see the make scripts there); the
other archive versions are written here, byte by byte, by a small writer that follows
pg_backup_archiver.c's WriteHead/WriteToc field by field for the version it is asked for.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from pgdrift import load
from pgdrift.errors import (
    ArchiveFormatError,
    NotAnArchiveError,
    TruncatedArchiveError,
    UnsupportedArchiveVersionError,
)
from pgdrift.reader import Statement, read_source, split_statements
from pgdrift.reader.archive_toc import ArchiveToc, read_archive_toc

ARCHIVES = Path(__file__).resolve().parent.parent / "fixtures" / "archive"
WITH_DATA = ARCHIVES / "with_data"
DATA_DUMP = WITH_DATA / "data.dump"


class _Writer:
    """WriteInt / WriteStr / WriteHead / WriteToc of one archive version, into bytes."""

    def __init__(self, version: tuple[int, int], *, int_size: int = 4, offset_size: int = 8):
        self.version = version
        self.int_size = int_size
        self.offset_size = offset_size
        self.out = bytearray()

    def int(self, value: int) -> None:
        if self.version > (1, 0):
            self.out.append(1 if value < 0 else 0)
        self.out += abs(value).to_bytes(self.int_size, "little")

    def str(self, value: str | None) -> None:
        if value is None and self.version == (1, 0):
            value = ""  # 1.0 integers had no sign byte, so no NULL string either
        if value is None:
            self.int(-1)
            return
        data = value.encode("utf-8")
        self.int(len(data))
        self.out += data

    def header(self, *, compression: int = 0) -> None:
        major, minor = self.version
        self.out += b"PGDMP" + bytes([major, minor])
        if self.version > (1, 0):
            self.out.append(0)
        self.out.append(self.int_size)
        if self.version >= (1, 7):
            self.out.append(self.offset_size)
        self.out.append(1)  # archCustom
        if self.version >= (1, 15):
            self.out.append(compression)
        elif self.version >= (1, 4):
            self.int(-1 if compression else 0)
        elif self.version >= (1, 2):
            self.out.append(compression)
        if self.version >= (1, 4):
            for value in (5, 4, 3, 2, 0, 125, 0):  # 2025-01-02 03:04:05
                self.int(value)
            self.str("shop")
        if self.version >= (1, 10):
            self.str("18.1")
            self.str("18.1")

    def entry(self, dump_id: int, desc: str, tag: str, **fields: object) -> None:
        self.int(dump_id)
        self.int(1 if fields.get("had_dumper") else 0)
        if self.version >= (1, 8):
            self.str(str(fields.get("table_oid", 0)))
        self.str(str(fields.get("oid", 0)))
        self.str(tag)
        self.str(desc)
        if self.version >= (1, 11):
            self.int(int(fields.get("section", 2)))  # type: ignore[call-overload]
        self.str(fields.get("defn"))  # type: ignore[arg-type]
        self.str(fields.get("drop_stmt"))  # type: ignore[arg-type]
        if self.version >= (1, 3):
            self.str(None)
        if self.version >= (1, 6):
            self.str(fields.get("namespace"))  # type: ignore[arg-type]
        if self.version >= (1, 10):
            self.str(fields.get("tablespace", ""))  # type: ignore[arg-type]
        if self.version >= (1, 14):
            self.str(fields.get("tableam", ""))  # type: ignore[arg-type]
        if self.version >= (1, 16):
            self.int(ord(fields.get("relkind", "\0")))  # type: ignore[arg-type]
        self.str(fields.get("owner"))  # type: ignore[arg-type]
        if self.version >= (1, 9):
            self.str("false")
        if self.version >= (1, 5):
            for dependency in fields.get("deps", ()):  # type: ignore[attr-defined]
                self.str(str(dependency))
            self.str(None)
        # _WriteExtraToc: a data offset, written as an int before 1.7.
        if self.version >= (1, 7):
            self.out.append(3)  # K_OFFSET_NO_DATA
            self.out += bytes(self.offset_size)
        else:
            self.int(0)
            self.int(0)


def _archive(version: tuple[int, int], encoding: str = "UTF8", **header: int) -> bytes:
    writer = _Writer(version)
    writer.header(**header)
    writer.int(3)
    writer.entry(1, "ENCODING", "ENCODING", defn=f"SET client_encoding = '{encoding}';\n")
    writer.entry(
        7, "TABLE", "caf\u00e9", namespace="shop", owner="app", table_oid=1259, oid=16400,
        defn="CREATE TABLE shop.\"caf\u00e9\" (id integer);\n",
        drop_stmt="DROP TABLE shop.\"caf\u00e9\";\n", relkind="r", tableam="heap",
    )  # fmt: skip
    writer.entry(
        9, "COMMENT", "TABLE caf\u00e9", namespace="shop", owner="app", deps=(7,), section=1,
        defn="COMMENT ON TABLE shop.\"caf\u00e9\" IS 'x';\n",
    )  # fmt: skip
    return bytes(writer.out)


VERSIONS = [(1, 0), (1, 4), (1, 7), (1, 10), (1, 12), (1, 13), (1, 14), (1, 15), (1, 16)]


@pytest.mark.parametrize("version", VERSIONS, ids=[f"{a}.{b}" for a, b in VERSIONS])
def test_each_archive_version_reads_its_fields(version: tuple[int, int]) -> None:
    data = _archive(version)
    toc = read_archive_toc(io.BytesIO(data), "x.dump")
    assert toc.header.version == (*version, 0)
    assert toc.data_start == len(data)
    assert [entry.dump_id for entry in toc.entries] == [1, 7, 9]
    table, comment = toc.entries[1], toc.entries[2]
    assert (table.desc, table.tag, table.defn) == (
        "TABLE", "caf\u00e9", 'CREATE TABLE shop."caf\u00e9" (id integer);\n'
    )  # fmt: skip
    assert table.owner == "app"
    assert table.oid == 16400
    assert table.table_oid == (1259 if version >= (1, 8) else 0)
    assert table.namespace == ("shop" if version >= (1, 6) else None)
    assert table.tableam == ("heap" if version >= (1, 14) else None)
    assert table.relkind == ("r" if version >= (1, 16) else "")
    assert comment.dependencies == ((7,) if version >= (1, 5) else ())
    # Before 1.11 the section comes from the kind, as pg_restore decides it.
    assert (table.section, comment.section) == ("pre-data", "none")
    if version >= (1, 4):
        assert toc.header.database == "shop"
        assert toc.header.created is not None
        assert toc.header.created.isoformat() == "2025-01-02T03:04:05"


def test_strings_are_decoded_in_the_archive_encoding() -> None:
    # The writer writes UTF-8 while the ENCODING entry says LATIN1, as a mislabelled file would:
    # each byte is then one LATIN1 character, which shows the entry's encoding was applied.
    toc = read_archive_toc(io.BytesIO(_archive((1, 14), "LATIN1")), "x.dump")
    assert toc.encoding == "LATIN1"
    assert toc.entries[1].tag == "caf\u00e9".encode().decode("latin-1")


@pytest.mark.parametrize(
    ("version", "compression", "expected"),
    [((1, 14), 0, "none"), ((1, 14), 1, "gzip"), ((1, 15), 2, "lz4"), ((1, 16), 3, "zstd")],
)
def test_the_compression_is_read_per_version(
    version: tuple[int, int], compression: int, expected: str
) -> None:
    toc = read_archive_toc(io.BytesIO(_archive(version, compression=compression)), "x.dump")
    assert toc.header.compression == expected


def test_every_cut_inside_the_toc_is_a_truncated_archive_error_naming_the_entry() -> None:
    data = _archive((1, 16))
    for length in range(5, len(data)):
        with pytest.raises(TruncatedArchiveError) as caught:
            read_archive_toc(io.BytesIO(data[:length]), "x.dump")
        message = caught.value.message
        assert message.startswith("x.dump: cannot read this pg_dump custom-format archive (")
        assert "the header" in message or "TOC entry" in message or "table of contents" in message
        assert message.endswith("convert it with: pg_restore --schema-only -f schema.sql x.dump")


@pytest.mark.parametrize(("major", "minor"), [(1, 17), (2, 0), (0, 9)])
def test_an_unsupported_version_is_named(major: int, minor: int) -> None:
    data = b"PGDMP" + bytes([major, minor, 0, 4, 8, 1])
    with pytest.raises(UnsupportedArchiveVersionError, match=rf"version {major}\.{minor} is not"):
        read_archive_toc(io.BytesIO(data), "x.dump")


def test_a_file_without_pgdmp_or_of_another_format_is_not_a_custom_archive() -> None:
    with pytest.raises(NotAnArchiveError, match="does not start with PGDMP"):
        read_archive_toc(io.BytesIO(b"-- PostgreSQL database dump\n"), "x.sql")
    directory_toc = bytearray(_archive((1, 14)))
    directory_toc[10] = 5  # the format byte: archDirectory
    with pytest.raises(NotAnArchiveError, match="directory archive"):
        read_archive_toc(io.BytesIO(bytes(directory_toc)), "toc.dat")
    assert issubclass(NotAnArchiveError, ArchiveFormatError)


# -- the archive with data, made by pg_dump 15 ------------------------------------------------


def data_toc() -> ArchiveToc:
    with DATA_DUMP.open("rb") as stream:
        return read_archive_toc(stream, DATA_DUMP.name)


def _listing_line(entry_fields: tuple[object, ...]) -> str:
    dump_id, table_oid, oid, desc, namespace, tag, owner = entry_fields
    return f"{dump_id}; {table_oid} {oid} {desc} {namespace or '-'} {tag} {owner or ''}"


# What pg_restore --list leaves out: session settings and the database's own entries.
_UNLISTED = frozenset({"ENCODING", "STDSTRINGS", "SEARCHPATH", "DATABASE", "DATABASE PROPERTIES"})


def listed(toc: ArchiveToc) -> list[str]:
    return [
        _listing_line(
            (
                entry.dump_id,
                entry.table_oid,
                entry.oid,
                entry.desc,
                entry.namespace,
                entry.tag,
                entry.owner,
            )
        )
        for entry in toc.entries
        if entry.desc not in _UNLISTED and not (entry.tag or "").startswith("DATABASE ")
    ]


@pytest.mark.postgres
def test_every_toc_entry_and_statement_is_what_pg_restore_run_now_says() -> None:
    from integration.pg import server_bindir  # noqa: PLC0415 - skips or fails without a server

    pg_restore = str(server_bindir() / "pg_restore")
    listing = subprocess.run(
        [pg_restore, "--list", str(DATA_DUMP)], capture_output=True, text=True, check=True
    ).stdout
    lines = [line for line in listing.splitlines() if line and not line.startswith(";")]
    assert listed(data_toc()) == lines
    script = subprocess.run(
        [pg_restore, "--schema-only", "--file=-", str(DATA_DUMP)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert statements(read_source(DATA_DUMP)) == statements(
        read_source(script.encode(), name="restored.sql")
    )


def statements(source: object) -> list[str]:
    """The statement texts split from a source, psql meta-commands left out."""
    return [
        item.text
        for item in split_statements(source)  # type: ignore[arg-type]
        if isinstance(item, Statement) and not item.text.startswith("\\")
    ]


def test_an_archive_with_data_loads_as_its_plain_schema_dump() -> None:
    assert load(DATA_DUMP) == load(WITH_DATA / "schema.sql")


def test_damaged_data_blocks_do_not_matter() -> None:
    data = DATA_DUMP.read_bytes()
    start = data_toc().data_start
    assert start < len(data) - 1000
    damaged = data[:start] + bytes(byte ^ 0x5A for byte in data[start:])
    assert load(damaged, name="damaged.dump") == load(DATA_DUMP)


def test_data_entries_of_a_1_16_archive_are_left_out_as_pg_restore_schema_only_does() -> None:
    writer = _Writer((1, 16))
    writer.header(compression=3)
    writer.int(6)
    writer.entry(1, "ENCODING", "ENCODING", defn="SET client_encoding = 'UTF8';\n")
    writer.entry(
        2, "TABLE", "t", namespace="public", owner="app", defn="CREATE TABLE public.t (a int);\n",
        drop_stmt="DROP TABLE public.t;\n", relkind="r",
    )  # fmt: skip
    writer.entry(3, "TABLE DATA", "t", namespace="public", owner="app", had_dumper=True, section=3)
    writer.entry(
        4, "SEQUENCE SET", "s", namespace="public", owner="app", section=3,
        defn="SELECT pg_catalog.setval('public.s', 5, true);\n",
    )  # fmt: skip
    writer.entry(
        5, "BLOB METADATA", "16436..16436", owner="app",
        defn="SELECT pg_catalog.lo_create('16436');\n",
    )  # fmt: skip
    writer.entry(
        6, "COMMENT", "LARGE OBJECT 16436", owner="app", section=1,
        defn="COMMENT ON LARGE OBJECT 16436 IS 'x';\n",
    )  # fmt: skip
    items = split_statements(read_source(bytes(writer.out), name="pg18.dump"))
    texts = [item.text for item in items if isinstance(item, Statement)]
    assert [text for text in texts if not text.startswith("SET ")] == [
        "CREATE TABLE public.t (a int)",
        "ALTER TABLE public.t OWNER TO app",
    ]
