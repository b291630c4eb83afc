"""The header and table of contents of a pg_dump custom-format archive, read without pg_restore.

The layout follows PostgreSQL's pg_backup_archiver.c (``ReadHead``, ``ReadToc``, ``ReadInt``,
``ReadStr``, ``ReadOffset``) and pg_backup_custom.c (``_ReadExtraToc``) for archive versions 1.0
to 1.16: each field exists from the version named beside it (the ``K_VERS_1_x`` constants of
pg_backup_archiver.h). Only the header and the TOC are read; data blocks, which follow the TOC
and may be compressed, are never opened, so an archive whose data is damaged or compressed
with a method Python lacks still yields its schema.

>>> import io
>>> try:
...     read_archive_toc(io.BytesIO(b"PGDMP\\x01\\x11\\x00"), "new.dump")
... except UnsupportedArchiveVersionError as error:
...     print(error.message.split(" (")[0])
new.dump: pg_dump archive version 1.17 is not supported
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import attrs

from pgdrift.errors import (
    NotAnArchiveError,
    TruncatedArchiveError,
    UnsupportedArchiveVersionError,
)
from pgdrift.reader.decode import pg_encoding_codec

if TYPE_CHECKING:
    from typing import BinaryIO

MAGIC = b"PGDMP"
CONVERT = "convert it with: pg_restore --schema-only -f schema.sql {name}"
# The versions this reader knows, as (major, minor): 1.0 (PostgreSQL 7.1) to 1.16 (17 and 18).
OLDEST = (1, 0)
NEWEST = (1, 16)
# ArchiveFormat in pg_backup.h: the byte after the sizes.
FORMATS = {1: "custom", 3: "tar", 5: "directory"}
# pg_compress_algorithm (common/compression.h), the header byte from 1.15 on.
COMPRESSIONS = {0: "none", 1: "gzip", 2: "lz4", 3: "zstd"}
# teSection in pg_backup.h.
SECTIONS = {1: "none", 2: "pre-data", 3: "data", 4: "post-data"}
# ReadOffset's flags: where an entry's data block is (pg_backup_archiver.h, K_OFFSET_*).
_OFFSET_FLAGS = {1: "not set", 2: "set", 3: "no data"}
# ReadHead refuses an integer size above this (a sanity check on the byte).
_MAX_INT_SIZE = 32


@attrs.frozen
class ArchiveHeader:
    """What ``ReadHead`` reads: version, sizes, format, compression and provenance."""

    version: tuple[int, int, int]
    int_size: int
    offset_size: int
    format: str
    compression: str
    compression_level: int | None
    created: datetime.datetime | None
    database: str | None
    server_version: str | None
    dump_version: str | None


@attrs.frozen
class ArchiveTocEntry:
    """One TOC entry as ``ReadToc`` reads it; text fields are None where the archive has NULL.

    ``relkind`` is the relation kind letter of 1.16 archives ('' when absent or not a relation);
    ``data_state`` says whether the entry has a data block (custom format), never read here.
    """

    dump_id: int
    had_dumper: bool
    table_oid: int
    oid: int
    tag: str | None
    desc: str
    section: str
    defn: str | None
    drop_stmt: str | None
    copy_stmt: str | None
    namespace: str | None
    tablespace: str | None
    tableam: str | None
    relkind: str
    owner: str | None
    with_oids: bool
    dependencies: tuple[int, ...]
    data_state: str


@attrs.frozen
class ArchiveToc:
    """An archive's header, its entries in archive order, and where its data blocks start."""

    header: ArchiveHeader
    entries: tuple[ArchiveTocEntry, ...]
    data_start: int

    @property
    def encoding(self) -> str:
        """The archive's encoding, from its ENCODING entry (SQL_ASCII, pg_restore's default)."""
        for entry in self.entries:
            if entry.desc == "ENCODING" and entry.defn:
                return _quoted_setting(entry.defn) or "SQL_ASCII"
        return "SQL_ASCII"


def _quoted_setting(defn: str) -> str | None:
    start = defn.find("'")
    end = defn.find("'", start + 1)
    return defn[start + 1 : end] if 0 <= start < end else None


class _Reader:
    """ReadInt, ReadStr and ReadOffset over a stream, with the sizes of the header."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self.stream = stream
        self.name = name
        self.version = (1, 0, 0)
        self.int_size = 4
        self.offset_size = 4
        self.where = "the header"

    def damaged(self, reason: str) -> TruncatedArchiveError:
        return TruncatedArchiveError(
            f"{self.name}: cannot read this pg_dump custom-format archive ({reason}); "
            + CONVERT.format(name=self.name)
        )

    def read_bytes(self, count: int) -> bytes:
        data = self.stream.read(count)
        if len(data) < count:
            raise self.damaged(f"the file ends inside {self.where}")
        return data

    def read_byte(self) -> int:
        return self.read_bytes(1)[0]

    def read_int(self) -> int:
        # A sign byte (from 1.1 on), then int_size bytes, least significant first.
        negative = self.read_byte() != 0 if self.version > (1, 0, 0) else False
        value = int.from_bytes(self.read_bytes(self.int_size), "little")
        return -value if negative else value

    def read_str(self) -> bytes | None:
        length = self.read_int()
        return None if length < 0 else self.read_bytes(length)

    def read_offset(self) -> str:
        if self.version < (1, 7, 0):
            # Offsets were ints: negative for "not set", 0 for "no data".
            value = self.read_int()
            return "not set" if value < 0 else "no data" if value == 0 else "set"
        flag = self.read_byte()
        if flag not in _OFFSET_FLAGS:
            raise self.damaged(f"unexpected data offset flag {flag} in {self.where}")
        self.read_bytes(self.offset_size)
        return _OFFSET_FLAGS[flag]


def read_archive_toc(stream: BinaryIO, name: str) -> ArchiveToc:
    """The header and every TOC entry of a custom-format archive, read from ``stream``.

    Raises:
        NotAnArchiveError: the stream does not start with pg_dump's ``PGDMP`` or is another
            archive format.
        UnsupportedArchiveVersionError: a version outside 1.0 to 1.16.
        TruncatedArchiveError: the file ends inside the header or the TOC, or the TOC is damaged.
    """
    reader = _Reader(stream, name)
    header, database = _read_header(reader)
    reader.where = "the table of contents"
    count = reader.read_int()
    raw: list[_RawEntry] = []
    for number in range(1, count + 1):
        reader.where = f"TOC entry {number} of {count}"
        raw.append(_read_entry(reader, header.version))
    codec = _codec(raw)
    header = attrs.evolve(header, database=_text(database, codec))
    entries = tuple(_decoded(entry, codec) for entry in raw)
    return ArchiveToc(header, entries, reader.stream.tell())


def _read_header(reader: _Reader) -> tuple[ArchiveHeader, bytes | None]:
    """The header, and the database name still as bytes (it is in the archive's encoding)."""
    name = reader.name
    if reader.stream.read(len(MAGIC)) != MAGIC:
        raise NotAnArchiveError(
            f"{name} is not a pg_dump custom-format archive (it does not start with PGDMP)"
        )
    major, minor = reader.read_byte(), reader.read_byte()
    revision = reader.read_byte() if (major, minor) > (1, 0) else 0
    if not OLDEST <= (major, minor) <= NEWEST:
        raise UnsupportedArchiveVersionError(
            f"{name}: pg_dump archive version {major}.{minor} is not supported (pgdrift reads "
            f"{OLDEST[0]}.{OLDEST[1]} to {NEWEST[0]}.{NEWEST[1]}); " + CONVERT.format(name=name)
        )
    version = reader.version = (major, minor, revision)
    reader.int_size = reader.read_byte()
    if not 0 < reader.int_size <= _MAX_INT_SIZE:
        raise reader.damaged(f"sanity check on integer size ({reader.int_size}) failed")
    reader.offset_size = reader.read_byte() if version >= (1, 7, 0) else reader.int_size
    kind = reader.read_byte()
    if kind != 1:
        what = FORMATS.get(kind, f"format {kind}")
        raise NotAnArchiveError(
            f"{name} is a pg_dump {what} archive, not a custom-format one; "
            + CONVERT.format(name=name)
        )
    level: int | None = None
    if version >= (1, 15, 0):
        byte = reader.read_byte()
        compression = COMPRESSIONS.get(byte, f"unknown ({byte})")
    elif version >= (1, 2, 0):
        level = reader.read_byte() if version < (1, 4, 0) else reader.read_int()
        compression = "gzip" if level != 0 else "none"
    else:
        compression = "gzip"
    created: datetime.datetime | None = None
    database: bytes | None = None
    server = dumper = None
    if version >= (1, 4, 0):
        # struct tm: seconds, minutes, hours, day, month from 0, years since 1900, isdst.
        sec, minute, hour, day, month, year, _ = (reader.read_int() for _ in range(7))
        try:  # the local time of the machine that made it, as pg_restore shows it
            created = datetime.datetime(year + 1900, month + 1, day, hour, minute, sec)
        except ValueError:
            created = None
        database = reader.read_str()
    if version >= (1, 10, 0):
        server, dumper = _text(reader.read_str(), "utf-8"), _text(reader.read_str(), "utf-8")
    header = ArchiveHeader(
        version, reader.int_size, reader.offset_size, "custom", compression, level,
        created, None, server, dumper,
    )  # fmt: skip
    return header, database


@attrs.frozen
class _RawEntry:
    """The fields of one entry as read, text still bytes: decoded once ENCODING is known."""

    dump_id: int
    had_dumper: bool
    table_oid: bytes | None
    oid: bytes | None
    tag: bytes | None
    desc: bytes | None
    section: int | None
    defn: bytes | None
    drop_stmt: bytes | None
    copy_stmt: bytes | None
    namespace: bytes | None
    tablespace: bytes | None
    tableam: bytes | None
    relkind: int
    owner: bytes | None
    with_oids: bytes | None
    dependencies: tuple[int, ...]
    data_state: str


def _read_entry(reader: _Reader, version: tuple[int, int, int]) -> _RawEntry:
    dump_id = reader.read_int()
    if dump_id <= 0:
        raise reader.damaged(f"entry ID {dump_id} out of range in {reader.where}")
    had_dumper = reader.read_int() != 0
    table_oid = reader.read_str() if version >= (1, 8, 0) else None
    oid, tag, desc = reader.read_str(), reader.read_str(), reader.read_str()
    section = reader.read_int() if version >= (1, 11, 0) else None
    defn, drop_stmt = reader.read_str(), reader.read_str()
    copy_stmt = reader.read_str() if version >= (1, 3, 0) else None
    namespace = reader.read_str() if version >= (1, 6, 0) else None
    tablespace = reader.read_str() if version >= (1, 10, 0) else None
    tableam = reader.read_str() if version >= (1, 14, 0) else None
    relkind = reader.read_int() if version >= (1, 16, 0) else 0
    owner = reader.read_str()
    with_oids = reader.read_str() if version >= (1, 9, 0) else None
    dependencies: list[int] = []
    if version >= (1, 5, 0):
        # A list of decimal dump ids, ended by a NULL string.
        while (dependency := reader.read_str()) is not None:
            dependencies.append(_number(dependency))
    # pg_backup_custom.c, _ReadExtraToc: the data block's offset (and, before 1.7, its size).
    data_state = reader.read_offset()
    if version < (1, 7, 0):
        reader.read_int()
    return _RawEntry(
        dump_id, had_dumper, table_oid, oid, tag, desc, section, defn, drop_stmt, copy_stmt,
        namespace, tablespace, tableam, relkind, owner, with_oids, tuple(dependencies),
        data_state,
    )  # fmt: skip


# pg_restore sorts pre-1.11 entries into sections by their description (ReadToc).
_OLD_NO_SECTION = frozenset({"COMMENT", "ACL", "ACL LANGUAGE"})
_OLD_DATA = frozenset({"TABLE DATA", "BLOBS", "BLOB COMMENTS"})
_OLD_POST_DATA = frozenset(
    {"CONSTRAINT", "CHECK CONSTRAINT", "FK CONSTRAINT", "INDEX", "RULE", "TRIGGER"}
)


def _old_section(desc: str) -> str:
    if desc in _OLD_NO_SECTION:
        return "none"
    if desc in _OLD_DATA:
        return "data"
    return "post-data" if desc in _OLD_POST_DATA else "pre-data"


def _codec(raw: list[_RawEntry]) -> str:
    """The Python codec of the archive's strings: they are in the database's encoding."""
    for entry in raw:
        if entry.desc == b"ENCODING" and entry.defn is not None:
            setting = _quoted_setting(entry.defn.decode("ascii", "replace"))
            return pg_encoding_codec(setting or "") or "utf-8"
    return "utf-8"


def _text(value: bytes | None, codec: str) -> str | None:
    return None if value is None else value.decode(codec, "replace")


def _number(value: bytes | None) -> int:
    # sscanf("%u"): leading digits, 0 when there are none.
    text = (value or b"").decode("ascii", "replace")
    digits = len(text) - len(text.lstrip("0123456789"))
    return int(text[:digits]) if digits else 0


def _decoded(raw: _RawEntry, codec: str) -> ArchiveTocEntry:
    desc = _text(raw.desc, codec) or ""
    if raw.section is None:
        section = _old_section(desc)
    else:
        section = SECTIONS.get(raw.section, str(raw.section))
    return ArchiveTocEntry(
        dump_id=raw.dump_id,
        had_dumper=raw.had_dumper,
        table_oid=_number(raw.table_oid),
        oid=_number(raw.oid),
        tag=_text(raw.tag, codec),
        desc=desc,
        section=section,
        defn=_text(raw.defn, codec),
        drop_stmt=_text(raw.drop_stmt, codec),
        copy_stmt=_text(raw.copy_stmt, codec),
        namespace=_text(raw.namespace, codec),
        tablespace=_text(raw.tablespace, codec),
        tableam=_text(raw.tableam, codec),
        relkind=chr(raw.relkind) if 0 < raw.relkind < 0x110000 else "",
        owner=_text(raw.owner, codec),
        with_oids=raw.with_oids == b"true",
        dependencies=raw.dependencies,
        data_state=raw.data_state,
    )
