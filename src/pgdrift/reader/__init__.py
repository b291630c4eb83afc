"""Reading dumps: bytes in, located statements out.

:func:`read_source` turns a path, bytes or a stream into a decoded :class:`Source` (gzip, BOM,
CRLF and declared encodings handled; pg_dump archives refused or, with ``pgdrift[archive]``,
read from their table of contents). :func:`split_statements` cuts a source into
:class:`Statement` and :class:`MetaCommand` items exactly where psql would, each with its place
in the file and the pg_dump header comment above it::

    >>> source = source_from_text("CREATE TABLE t (a int);\\n\\\\connect other\\nSELECT ';';")
    >>> [type(item).__name__ for item in split_statements(source)]
    ['Statement', 'MetaCommand', 'Statement']
    >>> split_statements(source)[2].text, split_statements(source)[2].database
    ("SELECT ';'", 'other')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING

from pgdrift.errors import NotADumpError, ParseError
from pgdrift.reader.decode import RawInput, decode_bytes, normalise_text, read_input
from pgdrift.reader.items import MetaCommand, Source, Statement
from pgdrift.reader.toc import connect_target, parse_toc_header

if TYPE_CHECKING:
    import os

__all__ = [
    "MetaCommand",
    "RawInput",
    "Source",
    "Statement",
    "connect_target",
    "databases_in",
    "decode_input",
    "parse_toc_header",
    "read_input",
    "read_source",
    "restrict_problems",
    "source_from_text",
    "split_statements",
]


def read_source(
    obj: str | os.PathLike[str] | bytes | bytearray | IO[str] | IO[bytes],
    *,
    name: str | None = None,
    encoding: str | None = None,
) -> Source:
    """Read and decode a dump.

    Args:
        obj: a path (a plain ``str`` is a path), ``bytes``, or a text or binary stream.
        name: the name errors and spans use; defaults to the path, the stream's ``name`` or
            ``<bytes>``.
        encoding: a Python codec to decode bytes with, instead of UTF-8 or the encoding that
            a ``SET client_encoding`` line near the top declares. A text stream is already
            decoded and ignores it.

    gzip, bzip2 and xz input is decompressed. A pg_dump custom-format archive (versions 1.0 to
    1.16) is read from its table of contents, its data never opened; its statements carry
    ``in_archive=True`` and a span whose ``line`` is the TOC entry's dump id (the number
    ``pg_restore -l`` lists first). Tar and directory archives are refused.

    Raises:
        InputError: missing file, corrupt compression, undecodable bytes, NUL characters.
        ArchiveFormatError: a pg_dump archive that cannot be read as one.
    """
    return decode_input(read_input(obj, name=name), encoding=encoding)


def decode_input(raw: RawInput, *, encoding: str | None = None) -> Source:
    """The :class:`Source` of input already read by :func:`read_input` (see :func:`read_source`).

    The two halves of :func:`read_source`, so a caller can look at the bytes (to hash them) before
    decoding them.
    """
    if isinstance(raw.data, str):
        return source_from_text(raw.data, raw.name)
    decoded = decode_bytes(raw.data, raw.name, encoding=encoding, path=raw.path)
    if decoded.archive_path is not None or decoded.archive_bytes is not None:
        from pgdrift.reader.archive import read_custom_archive  # noqa: PLC0415 - rare input

        text, layout = read_custom_archive(
            raw.name, path=decoded.archive_path, data=decoded.archive_bytes
        )
        return Source(raw.name, text, layout)
    return Source(raw.name, decoded.text)


def source_from_text(text: str, name: str = "<string>") -> Source:
    """A :class:`Source` for text already in memory; a BOM is dropped and CRLF becomes LF.

    >>> source_from_text("\\ufeffSELECT 1;\\r\\n").text
    'SELECT 1;\\n'
    """
    return Source(name, normalise_text(text, name))


def split_statements(
    source: Source,
    *,
    strict: bool = False,
    allow_empty: bool = False,
    errors: list[ParseError] | None = None,
) -> list[Statement | MetaCommand]:
    """Cut ``source`` into statements and psql meta-commands, in file order.

    A statement ends at a ``;`` outside quotes, dollar quotes, comments and ``BEGIN ATOMIC``
    bodies, where psql would send it to the server. The data lines of ``COPY ... FROM stdin``
    are skipped and counted. Each statement gets the pg_dump header above it (``-- Name: ...;
    Type: ...``) and, in a pg_dumpall file, the database the last ``\\connect`` chose.

    Args:
        strict: also raise for a ``\\restrict`` left without its ``\\unrestrict`` (see
            :func:`restrict_problems`), which means the dump was cut short.
        allow_empty: return an empty list for input without statements instead of raising.
        errors: when given, input that ends inside a string, quoted identifier, dollar quote,
            comment or COPY data is not raised: the error is appended here and the statements
            before that construct are returned.

    Raises:
        ParseError: the input ends inside a string, quoted identifier, dollar quote, comment or
            COPY data; the span is where that construct starts.
        NotADumpError: no statements at all, or a MySQL or SQLite dump.
    """
    # Its regular expressions take 50 ms to compile: only a load that parses pays for them.
    from pgdrift.reader.split import split_text  # noqa: PLC0415

    found: list[ParseError] = []
    items = split_text(
        source.text,
        source.name,
        foreign_check=source.archive is None,
        errors=found if errors is not None else None,
    )
    if source.archive is not None:
        items = source.archive.relocate(items, source.name)
    if not allow_empty and not any(isinstance(item, Statement) for item in items):
        if found:
            raise found[0]  # cut short inside its first statement: say where, not "no SQL"
        raise NotADumpError(f"no SQL statements in {source.name}")
    if errors is not None:
        errors.extend(found)
    if strict:
        problems = restrict_problems(items)
        if problems:
            raise problems[0]
    return items


def databases_in(items: Iterable[Statement | MetaCommand]) -> list[str]:
    """The databases a pg_dumpall file ``\\connect``-s to, in order of first appearance.

    Empty for a plain pg_dump file, which has no ``\\connect`` unless made with ``--create``.
    """
    seen: dict[str, None] = {}
    for item in items:
        if isinstance(item, MetaCommand) and item.name in ("connect", "c"):
            target = connect_target(item.argument)
            if target is not None:
                seen.setdefault(target, None)
    return list(seen)


def restrict_problems(items: Sequence[Statement | MetaCommand]) -> list[ParseError]:
    """``\\restrict`` commands never lifted by a matching ``\\unrestrict``.

    pg_dump 17.6, 16.10, 15.14 and later bracket a plain dump in ``\\restrict KEY`` ...
    ``\\unrestrict KEY`` (CVE-2025-8714); one left open means the file was cut short. It is not
    an error by default because hand-trimmed dumps lose the closing line; strict callers raise.
    """
    problems: list[ParseError] = []
    opened: MetaCommand | None = None
    for item in items:
        if not isinstance(item, MetaCommand):
            continue
        if item.name == "restrict":
            opened = item
        elif item.name == "unrestrict":
            if opened is not None and opened.argument != item.argument:
                problems.append(
                    ParseError(
                        f"\\unrestrict key differs from the \\restrict at line {opened.span.line}",
                        span=item.span,
                    )
                )
            opened = None
    if opened is not None:
        problems.append(
            ParseError(
                "\\restrict without a matching \\unrestrict: the dump looks truncated",
                span=opened.span,
            )
        )
    return problems
