"""``load`` and ``loads``: a dump in, a :class:`~pgdrift.schema.Schema` out."""

from __future__ import annotations

import os
from typing import IO

from pgdrift.build import build_schema
from pgdrift.reader import read_source, source_from_text, split_statements
from pgdrift.schema import Schema


def load(
    source: str | os.PathLike[str] | bytes | IO[str] | IO[bytes],
    *,
    strict: bool = True,
    database: str | None = None,
    encoding: str | None = None,
    name: str | None = None,
) -> Schema:
    """Read a pg_dump (or pg_dumpall) file into a :class:`Schema`.

    Args:
        source: a path, the dump's bytes, or an open text or binary file. Gzip is
            decompressed; custom-format archives are read when ``pgdrift[archive]`` is
            installed and refused with instructions otherwise.
        strict: raise the first error (:class:`pgdrift.Error` subclass); with False, collect
            errors in ``schema.errors`` and keep reading.
        database: the database to read from a pg_dumpall file.
        encoding: decode with this codec instead of UTF-8.
        name: what to call the input in messages (defaults to the file name).

    Example:
        >>> schema = load("fixtures/liveconvo/prod/dump.sql")  # doctest: +SKIP
        >>> schema.tables["public.users"].columns["id"].type  # doctest: +SKIP
    """
    src = read_source(source, name=name, encoding=encoding)
    return build_schema(src, split_statements(src), strict=strict, database=database)


def loads(
    text: str,
    *,
    strict: bool = True,
    database: str | None = None,
    name: str = "<string>",
) -> Schema:
    """Like :func:`load`, for dump text held in a string.

    Example:
        >>> loads("CREATE TABLE public.t (id integer NOT NULL);").tables["public.t"].columns.names()
        ('id',)
    """
    src = source_from_text(text, name=name)
    return build_schema(src, split_statements(src), strict=strict, database=database)
