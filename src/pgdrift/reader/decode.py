"""From a path, bytes or stream to text: decompression, archive detection, decoding, line ends."""

from __future__ import annotations

import bz2
import codecs
import gzip
import lzma
import os
import re
import zlib
from pathlib import Path
from typing import NamedTuple

from pgdrift.errors import ArchiveFormatError, InputError, NotADumpError
from pgdrift.source import SourceSpan

_CONVERT = "convert it with: pg_restore --schema-only -f schema.sql {name}"

# Magic numbers: pg_dump custom format (pg_backup_archiver.h), compressors, tar's "ustar".
_PGDMP = b"PGDMP"
_GZIP = b"\x1f\x8b"
_BZIP2 = b"BZh"
_XZ = b"\xfd7zXZ\x00"
_ZSTD = b"\x28\xb5\x2f\xfd"
_LZ4 = b"\x04\x22\x4d\x18"
_TAR_MAGIC_OFFSET = 257
_TAR_NAME_LENGTH = 100

# How far into a file to look for SET client_encoding and foreign-dump signatures.
_HEAD = 65536


class RawInput(NamedTuple):
    name: str
    data: bytes | str
    path: Path | None


class Decoded(NamedTuple):
    text: str
    archive_path: Path | None = None
    archive_bytes: bytes | None = None


def read_input(obj: object, *, name: str | None) -> RawInput:
    """Bytes (or, from a text stream, text) and a display name for any accepted input."""
    if isinstance(obj, (str, os.PathLike)):
        path = Path(obj)
        display = name if name is not None else os.fspath(obj)
        if path.is_dir():
            if (path / "toc.dat").is_file():
                raise ArchiveFormatError(
                    f"{display} is a pg_dump directory-format archive, not a SQL script; "
                    + _CONVERT.format(name=display)
                )
            raise InputError(f"{display} is a directory, not a dump file")
        try:
            return RawInput(display, path.read_bytes(), path)
        except FileNotFoundError:
            raise InputError(f"{display}: no such file") from None
        except OSError as error:
            raise InputError(f"{display}: cannot read: {error.strerror or error}") from None
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return RawInput(name or "<bytes>", bytes(obj), None)
    read = getattr(obj, "read", None)
    if callable(read):
        stream_name = getattr(obj, "name", None)
        display = name or (stream_name if isinstance(stream_name, str) else "<stream>")
        data = read()
        if isinstance(data, (str, bytes)):
            return RawInput(display, data, None)
        if isinstance(data, (bytearray, memoryview)):
            return RawInput(display, bytes(data), None)
        raise TypeError(f"{display}: read() returned {type(data).__name__}, not str or bytes")
    raise TypeError(f"cannot read a dump from a {type(obj).__name__} object")


def decode_bytes(data: bytes, name: str, *, encoding: str | None, path: Path | None) -> Decoded:
    """Decompress, refuse or route archives, decode and normalise ``data``."""
    compressed = False
    if data.startswith(_GZIP):
        data = _decompress(data, name, "gzip", gzip.decompress, (EOFError, OSError, zlib.error))
        compressed = True
    elif data.startswith(_BZIP2):
        data = _decompress(data, name, "bzip2", bz2.decompress, (EOFError, OSError, ValueError))
        compressed = True
    elif data.startswith(_XZ):
        data = _decompress(data, name, "xz", lzma.decompress, (EOFError, lzma.LZMAError))
        compressed = True
    elif data.startswith((_ZSTD, _LZ4)):
        tool = "zstd" if data.startswith(_ZSTD) else "lz4"
        raise InputError(f"{name} is {tool}-compressed; decompress it first ({tool} -d)")
    if data.startswith(_PGDMP):
        # Read from its table of contents (archive_toc.py); from the file, unless decompressed.
        if path is not None and not compressed:
            return Decoded("", archive_path=path)
        return Decoded("", archive_bytes=data)
    if data[_TAR_MAGIC_OFFSET : _TAR_MAGIC_OFFSET + 5] == b"ustar":
        first_member = data[:_TAR_NAME_LENGTH].split(b"\0", 1)[0]
        if first_member == b"toc.dat":
            raise ArchiveFormatError(
                f"{name} is a pg_dump tar-format archive, not a SQL script; "
                + _CONVERT.format(name=name)
            )
        raise InputError(f"{name} is a tar archive, not a dump file")
    if encoding is None:
        _refuse_binary(data, name)
    return Decoded(_decode(data, name, encoding))


# Binary formats people mistake for a dump, by magic number.
_BINARY_KINDS = (
    (b"PK\x03\x04", "a zip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"SQLite format 3\x00", "an SQLite database file"),
)
_BINARY_PROBE = 8192


def _refuse_binary(data: bytes, name: str) -> None:
    """Raise :class:`InputError` for bytes that are no text: a known binary magic number, or a
    NUL byte near the start (as git and grep judge it), before decoding would blame the
    encoding; UTF-16 without a byte-order mark gets advice instead."""
    for magic, kind in _BINARY_KINDS:
        if data.startswith(magic):
            raise InputError(f"{name} is {kind}, not a SQL script")
    head = data[:_BINARY_PROBE]
    if b"\0" not in head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    even, odd = head[0::2], head[1::2]
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) == len(zeros) and len(head) > 1:
            raise InputError(
                f"{name} looks like UTF-16 text without a byte-order mark; "
                f"pass encoding={codec!r} (CLI: --encoding {codec})"
            )
    nul = head.index(0)
    line = head.count(b"\n", 0, nul) + 1
    line_start = head.rfind(b"\n", 0, nul) + 1
    column = len(head[line_start:nul].decode("utf-8", errors="replace")) + 1
    raise InputError(
        "NUL character in the input: this is a binary file, not a SQL script",
        span=SourceSpan(name, line, column, line),
    )


def _decompress(
    data: bytes,
    name: str,
    kind: str,
    decompress: object,
    errors: tuple[type[BaseException], ...],
) -> bytes:
    assert callable(decompress)
    try:
        result = decompress(data)
    except EOFError:
        raise InputError(f"{name}: {kind} data is truncated (the file was cut short)") from None
    except errors as error:
        raise InputError(f"{name}: corrupt {kind} data: {error}") from None
    assert isinstance(result, bytes)
    return result


# PostgreSQL encoding names (Character Set Support, table 24.3) -> Python codecs, for the
# encodings a dump can be written in (client encodings); keys are upper-cased, '_' and '-' dropped.
_PG_ENCODINGS = {
    "UTF8": "utf-8",
    "UNICODE": "utf-8",
    "LATIN1": "latin-1",
    "LATIN2": "iso8859-2",
    "LATIN3": "iso8859-3",
    "LATIN4": "iso8859-4",
    "LATIN5": "iso8859-9",
    "LATIN6": "iso8859-10",
    "LATIN7": "iso8859-13",
    "LATIN8": "iso8859-14",
    "LATIN9": "iso8859-15",
    "LATIN10": "iso8859-16",
    "ISO88595": "iso8859-5",
    "ISO88596": "iso8859-6",
    "ISO88597": "iso8859-7",
    "ISO88598": "iso8859-8",
    "WIN866": "cp866",
    "WIN874": "cp874",
    "WIN1250": "cp1250",
    "WIN1251": "cp1251",
    "WIN1252": "cp1252",
    "WIN1253": "cp1253",
    "WIN1254": "cp1254",
    "WIN1255": "cp1255",
    "WIN1256": "cp1256",
    "WIN1257": "cp1257",
    "WIN1258": "cp1258",
    "KOI8R": "koi8-r",
    "KOI8U": "koi8-u",
    "EUCJP": "euc-jp",
    "EUCJIS2004": "euc-jis-2004",
    "EUCKR": "euc-kr",
    "EUCCN": "gb2312",
    "SJIS": "shift-jis",
    "SHIFTJIS2004": "shift-jis-2004",
    "BIG5": "big5",
    "GBK": "gbk",
    "GB18030": "gb18030",
    "UHC": "cp949",
    "JOHAB": "johab",
}
_CLIENT_ENCODING = re.compile(
    rb"^SET client_encoding = '([A-Za-z0-9_-]+)';$", re.MULTILINE | re.IGNORECASE
)


def pg_encoding_codec(name: str) -> str | None:
    """The Python codec for a PostgreSQL encoding name (``UTF8``, ``LATIN1``...), if known.

    >>> pg_encoding_codec("WIN1252"), pg_encoding_codec("SQL_ASCII")
    ('cp1252', None)
    """
    return _PG_ENCODINGS.get(re.sub(r"[_-]", "", name.upper()))


def _declared_encoding(data: bytes) -> str | None:
    """The Python codec for the ``SET client_encoding`` near the top, if it names one.

    pg_dump writes a dump in the database's encoding unless told otherwise (``-E``) and says so
    in that line; psql switches to it before reading further. SQL_ASCII declares nothing.
    """
    match = _CLIENT_ENCODING.search(data, 0, _HEAD)
    if match is None:
        return None
    return pg_encoding_codec(match[1].decode("ascii"))


def _decode(data: bytes, name: str, encoding: str | None) -> str:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}") from None
        codec = encoding
    elif data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Windows PowerShell 5 redirection ("pg_dump > file.sql") writes UTF-16 with a BOM.
        codec = "utf-16"
    else:
        codec = _declared_encoding(data) or "utf-8"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise _decode_error(data, name, codec, error, explicit=encoding is not None) from None
    return normalise_text(text, name)


def _decode_error(
    data: bytes, name: str, codec: str, error: UnicodeDecodeError, *, explicit: bool
) -> InputError:
    line_start = data.rfind(b"\n", 0, error.start) + 1
    line = data.count(b"\n", 0, error.start) + 1
    column = len(data[line_start : error.start].decode(codec, errors="replace")) + 1
    bad = data[error.start : error.start + 1].hex()
    advice = (
        "check the encoding= you passed"
        if explicit
        else "if the dump is in another encoding, pass encoding= (for example encoding='latin-1')"
    )
    return InputError(
        f"cannot decode byte 0x{bad} as {codec}; {advice}",
        span=SourceSpan(name, line, column, line),
    )


def normalise_text(text: str, name: str) -> str:
    """Drop a BOM, refuse NUL characters and normalise line ends to ``\\n``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if text.startswith("PGDMP"):
        raise ArchiveFormatError(
            f"{name} is a pg_dump custom-format archive, not a SQL script; "
            + _CONVERT.format(name=name)
        )
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - text.rfind("\n", 0, nul)
        raise InputError(
            "NUL character in the input: this is a binary file, not a SQL script",
            span=SourceSpan(name, line, column, line),
        )
    first_newline = text.find("\n")
    if first_newline > 0 and text[first_newline - 1] == "\r":
        # A CRLF file: every line end becomes LF, and so does any lone CR left over.
        return text.replace("\r\n", "\n").replace("\r", "\n")
    if first_newline < 0 and "\r" in text:
        # Classic Mac line ends: CR alone.
        return text.replace("\r", "\n")
    # An LF file keeps its CRs: pg_dump writes a CR inside a string literal as a raw byte, and
    # turning it into LF would change the string.
    return text


def refuse_foreign_dump(text: str, name: str) -> None:
    """Raise :class:`NotADumpError` for text that is clearly a MySQL or SQLite dump."""
    head = text[:_HEAD]
    kind = None
    if re.search(r"^-- (?:MySQL|MariaDB) dump", head, re.MULTILINE) or "/*!40" in head:
        kind = "a MySQL dump (mysqldump)"
    elif "`" in head and re.search(r"\)\s*ENGINE\s*=", head, re.IGNORECASE):
        kind = "a MySQL dump (backquoted names, ENGINE=)"
    elif re.search(r"^PRAGMA\s+foreign_keys\b", head, re.MULTILINE | re.IGNORECASE) or (
        re.search(r"^BEGIN TRANSACTION;", head, re.MULTILINE) and "sqlite_" in head
    ):
        kind = "an SQLite dump (sqlite3 .dump)"
    if kind is not None:
        raise NotADumpError(f"{name} looks like {kind}, not PostgreSQL SQL")
