"""``load`` and ``loads``: a dump in, a :class:`~pgdrift.schema.Schema` out."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Union

import attrs

from pgdrift.errors import InputError, NotADumpError, ParseError
from pgdrift.reader import (
    MetaCommand,
    RawInput,
    Source,
    Statement,
    decode_input,
    read_input,
    read_source,
    restrict_problems,
    source_from_text,
    split_statements,
)
from pgdrift.reader.includes import INCLUDE_COMMANDS
from pgdrift.reader.migrations import dbmate_up, is_glob, migration_files, ordered_files
from pgdrift.reader.psql_script import run_script
from pgdrift.schema import Schema

if TYPE_CHECKING:
    from pgdrift.cache import SchemaCache

#: What ``load`` reads: a path, bytes, an open file, or several paths.
LoadSource = Union[str, "os.PathLike[str]", bytes, IO[str], IO[bytes], Sequence[Union[str, "os.PathLike[str]"]]]  # noqa: E501
#: What ``cache=`` accepts: False (no cache), True (the user's cache directory) or a cache.
CacheChoice = Union[bool, "SchemaCache"]

# The dump header lines (versions) are read from the start of the text; the rest of it is not
# needed once every statement holds its own text.
_HEADER_CHARS = 65536


def load(
    source: LoadSource,
    *,
    strict: bool = True,
    database: str | None = None,
    encoding: str | None = None,
    name: str | None = None,
    cache: CacheChoice = False,
    order: str | None = None,
    role: str | None = None,
) -> Schema:
    """Read a pg_dump (or pg_dumpall) file into a :class:`Schema`.

    Args:
        source: a path, the dump's bytes, or an open text or binary file. Gzip is
            decompressed; custom-format archives are read when ``pgdrift[archive]`` is
            installed and refused with instructions otherwise. A directory is a folder of
            migration files, applied in their tool's order (docs/ddl.md); a glob pattern
            (``"db/migrations/*.sql"``) reads the files it matches in the same order; a list of
            paths reads them in the order given. psql ``\\i`` and ``\\ir`` includes are
            followed. Which files were read, in order, is ``schema.inputs``.
        strict: raise the first error (:class:`pgdrift.Error` subclass); with False, collect
            errors in ``schema.errors`` and keep reading: a statement that fails is left out,
            and a dump cut short keeps every statement before the cut.
        database: the database to read from a pg_dumpall file.
        encoding: decode with this codec instead of UTF-8.
        name: what to call the input in messages (defaults to the file name).
        cache: True to reuse a schema loaded before from the same bytes with the same options
            and the same pgdrift, kept in the user's cache directory (see
            :mod:`pgdrift.cache`), or a :class:`~pgdrift.cache.SchemaCache` to use. Off by
            default: a library call does not write to the user's home unless asked; the CLI
            turns it on (``--no-cache`` turns it off). Several files are never cached.
        order: how to order several files: ``"version"`` (the migration tools' version
            order, the default for a directory or a glob), ``"name"`` (plain name order), or
            the path of a file that lists them, one per line. A list of paths is read in the
            order given unless ``order`` is set.

    Example:
        >>> schema = load("fixtures/liveconvo/prod/dump.sql")  # doctest: +SKIP
        >>> schema.tables["public.users"].columns["id"].type  # doctest: +SKIP
    """
    files = _input_files(source, order)
    if files is not None:
        return _build_files(files, strict, database, encoding, name or _display(source),
                            role=role)  # fmt: skip
    assert not isinstance(source, (list, tuple))
    origin = Path(source) if isinstance(source, (str, os.PathLike)) else None
    raw = read_input(source, name=name)
    if cache is False:
        return _build(
            decode_input(raw, encoding=encoding), strict, database, origin=origin, role=role
        )
    store = _cache_of(cache)
    key = _key(store, raw, strict=strict, database=database, encoding=encoding, role=role)
    found = store.get(key)
    if found is not None:
        return found
    included: list[Path] = []
    schema = _build(
        decode_input(raw, encoding=encoding),
        strict,
        database,
        origin=origin,
        included=included,
        role=role,
    )
    # The key hashes this file's bytes only: a schema read through \i includes could go stale
    # when an included file changes, so it is never stored.
    if not included:
        store.put(key, schema)
    return schema


def cache_key(
    store: SchemaCache,
    source: str | os.PathLike[str] | bytes,
    *,
    strict: bool = True,
    database: str | None = None,
    encoding: str | None = None,
    name: str | None = None,
    role: str | None = None,
) -> str:
    """The key :func:`load` files ``source`` under in ``store``, with the same options.

    Raises:
        InputError: the input cannot be read.
    """
    raw = read_input(source, name=name)
    return _key(store, raw, strict=strict, database=database, encoding=encoding, role=role)


def _key(
    store: SchemaCache,
    raw: RawInput,
    *,
    strict: bool,
    database: str | None,
    encoding: str | None,
    role: str | None,
) -> str:
    options = {"strict": strict, "database": database, "encoding": encoding, "name": raw.name}
    if role is not None:
        # Only when given, so that the keys of schemas cached before --role existed hold.
        options["role"] = role
    return store.key(raw.data, options)


def _cache_of(choice: CacheChoice) -> SchemaCache:
    from pgdrift.cache import SchemaCache  # noqa: PLC0415 - only cache users import pickle

    if isinstance(choice, SchemaCache):
        return choice
    if choice is True:
        return SchemaCache()
    raise TypeError(f"cache must be True, False or a SchemaCache, not {choice!r}")


def loads(
    text: str,
    *,
    strict: bool = True,
    database: str | None = None,
    name: str = "<string>",
    role: str | None = None,
) -> Schema:
    """Like :func:`load`, for dump text held in a string.

    Example:
        >>> loads("CREATE TABLE public.t (id integer NOT NULL);").tables["public.t"].columns.names()
        ('id',)
    """
    return _build(source_from_text(text, name=name), strict, database, role=role)


def _build(
    src: Source,
    strict: bool,
    database: str | None,
    *,
    origin: Path | None = None,
    included: list[Path] | None = None,
    role: str | None = None,
) -> Schema:
    """The schema of ``src``; the files its psql includes read are added to ``included``."""
    cut_short: list[ParseError] | None = None if strict else []
    try:
        items = split_statements(src, errors=cut_short)
    except NotADumpError:
        # A script of nothing but \ir lines is fine; without includes it is no dump at all.
        items = split_statements(src, errors=cut_short, allow_empty=True)
        if not any(isinstance(i, MetaCommand) and i.name in INCLUDE_COMMANDS for i in items):
            raise
    # psql's script commands: \i / \ir includes (the included file's statements in the
    # command's place), variables, conditionals.

    def read_included(path: Path) -> list[Statement | MetaCommand]:
        if included is not None:
            included.append(path)
        return split_statements(read_source(path), errors=cut_short, allow_empty=True)

    items = run_script(items, origin, read=read_included)
    # A \restrict left open means the end of the dump is missing; hand-trimmed dumps lose the
    # closing line too, so it is a warning (restrict_problems).
    warnings = [problem.one_line() for problem in restrict_problems(items)]
    # Keep only the header: the full text can be larger than the model (one character outside
    # the Basic Multilingual Plane makes Python store every character of it in four bytes).
    head = Source(src.name, src.text[:_HEADER_CHARS])
    del src
    from pgdrift.builder import build_schema  # noqa: PLC0415 - a cached load never builds

    schema = build_schema(
        head, items, strict=strict, database=database, warnings=warnings, release=True, role=role
    )
    if cut_short:
        schema = attrs.evolve(schema, errors=(*schema.errors, *cut_short))
    return schema


def _input_files(source: object, order: str | None) -> list[Path] | None:
    """The files to read when ``source`` is several (a directory that is not a custom-format
    archive, a glob, a list of paths), in the order they apply; None for a single input."""
    if isinstance(source, (list, tuple)):
        if not source:
            raise InputError("no files to read: the list of paths is empty")
        files: list[Path] = []
        for item in source:
            path = Path(item)
            files.extend(migration_files(path, order) if _is_migration_dir(path) else [path])
        return ordered_files(files, order) if order is not None else files
    if not isinstance(source, (str, os.PathLike)):
        return None
    path = Path(source)
    if _is_migration_dir(path):
        return migration_files(path, order)
    if isinstance(source, str) and is_glob(source):
        matches = [Path(p) for p in glob.glob(source, recursive=True) if os.path.isfile(p)]
        if not matches:
            raise InputError(f"{source}: no file matches this pattern")
        return ordered_files(matches, order or "version")
    return None


def _is_migration_dir(path: Path) -> bool:
    return path.is_dir() and not (path / "toc.dat").is_file()


def _display(source: object) -> str:
    """What several files are called in messages: the directory or pattern named, or the
    files of a list."""
    if not isinstance(source, (list, tuple)):
        return str(source)
    names = [str(p) for p in source]
    return names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"


def load_tree(
    directory: Path,
    *,
    root: Path,
    prefix: str,
    strict: bool = True,
    database: str | None = None,
    encoding: str | None = None,
    order: str | None = None,
    role: str | None = None,
) -> Schema:
    """A directory of migration files kept under ``root`` (a copy, such as a git revision
    checked out in a temporary directory), with every file named ``prefix`` + its path
    relative to ``root`` in messages, spans and ``schema.inputs`` (``REV:db/migrations/1.sql``).
    """

    def named(path: Path) -> str:
        relative = path.relative_to(root).as_posix()
        return prefix + ("" if relative == "." else relative)

    display = named(directory).rstrip("/")
    files = migration_files(directory, order, display=display)
    return _build_files(files, strict, database, encoding, display, named=named, role=role)


def _build_files(
    files: Sequence[Path],
    strict: bool,
    database: str | None,
    encoding: str | None,
    display: str,
    *,
    named: Callable[[Path], str] = os.fspath,
    role: str | None = None,
) -> Schema:
    """Several files applied in order as one script: migration files (dbmate's up sections)."""
    cut_short: list[ParseError] | None = None if strict else []
    items: list[Statement | MetaCommand] = []
    first: Source | None = None

    def read(path: Path) -> Source:
        return read_source(path, name=named(path), encoding=encoding)

    for path in files:
        src = read(path)
        src = Source(src.name, dbmate_up(src.text), src.archive)
        first = first or src
        found = split_statements(src, errors=cut_short, allow_empty=True)
        items.extend(
            run_script(
                found,
                path,
                read=lambda p: split_statements(read(p), errors=cut_short, allow_empty=True),
            )
        )
    if not any(isinstance(item, Statement) for item in items):
        raise NotADumpError(f"no SQL statements in the files of {display}")
    head = Source(display, first.text[:_HEADER_CHARS] if first is not None else "")
    warnings = [problem.one_line() for problem in restrict_problems(items)]
    from pgdrift.builder import build_schema  # noqa: PLC0415 - a cached load never builds

    schema = build_schema(
        head, items, strict=strict, database=database, warnings=warnings, role=role
    )
    inputs = tuple(named(path) for path in files)
    return attrs.evolve(schema, errors=(*schema.errors, *(cut_short or ())), inputs=inputs)
