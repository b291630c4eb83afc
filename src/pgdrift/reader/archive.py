"""pg_dump custom-format archives, read from their table of contents (``archive_toc``).

An archive holds one TOC entry per object: its description (``TABLE``), tag (name), schema,
owner and definition (``defn``, the SQL pg_dump would print). pg_restore turns the entries into
a script; :func:`read_custom_archive` writes the same script, following pg_restore's plain-text
output of PostgreSQL 15 (pg_backup_archiver.c: ``RestoreArchive`` and ``_printTocEntry``), so
splitting it gives the statements a plain dump of the same database would. Data is left out
as ``pg_restore --schema-only`` leaves it: table data, sequence values, large objects.

Statements keep honest spans: the file is the archive and the ``line`` is the dump id of the
TOC entry the statement came from (the first number ``pg_restore -l`` prints), or 0 for the
session settings pg_restore writes at the top.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from pgdrift.pg.quoting import quote_ident
from pgdrift.reader.archive_toc import ArchiveToc, ArchiveTocEntry, read_archive_toc
from pgdrift.reader.items import ArchiveLayout
from pgdrift.source import TocEntry

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

# Entries pg_restore handles itself instead of printing them (pg_backup_archiver.c).
_SESSION_ENTRIES = frozenset({"ENCODING", "STDSTRINGS", "SEARCHPATH"})
# Database-level entries are restored only with --create, which a schema comparison never uses.
_DATABASE_ENTRIES = frozenset({"DATABASE", "DATABASE PROPERTIES"})
_DATABASE_SUBENTRIES = frozenset({"ACL", "COMMENT", "SECURITY LABEL"})
# Restore passes (_tocEntryRestorePass): ACLs after every object, then event triggers and
# materialized-view refreshes, so none of them runs before what it depends on.
_ACL_PASS = frozenset({"ACL", "ACL LANGUAGE", "DEFAULT ACL"})
_POST_ACL_PASS = frozenset({"EVENT TRIGGER", "MATERIALIZED VIEW DATA"})
# Entries whose tablespace pg_dump records ('' meaning the default; pg_dump.c: dumpTableSchema,
# dumpIndex, dumpConstraint).
_TABLESPACE_ENTRIES = frozenset(
    {"TABLE", "MATERIALIZED VIEW", "FOREIGN TABLE", "INDEX", "CONSTRAINT"}
)
# Entries pg_restore follows with ALTER ... OWNER TO (the list in _printTocEntry).
_OWNED_ENTRIES = frozenset({
    "AGGREGATE", "BLOB", "COLLATION", "CONVERSION", "DATABASE", "DOMAIN", "FUNCTION",
    "OPERATOR", "OPERATOR CLASS", "OPERATOR FAMILY", "PROCEDURE", "PROCEDURAL LANGUAGE",
    "SCHEMA", "EVENT TRIGGER", "TABLE", "TYPE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE",
    "FOREIGN TABLE", "TEXT SEARCH DICTIONARY", "TEXT SEARCH CONFIGURATION",
    "FOREIGN DATA WRAPPER", "SERVER", "STATISTICS", "PUBLICATION", "SUBSCRIPTION",
})  # fmt: skip
# _getObjectDescription: these are named by their DROP statement minus "DROP ", because the
# name alone does not say which overload or which operand types.
_NAMED_BY_DROP = frozenset({
    "AGGREGATE", "FUNCTION", "OPERATOR", "OPERATOR CLASS", "OPERATOR FAMILY", "PROCEDURE",
})  # fmt: skip
# What pg_restore --schema-only leaves out besides entries with a data block: sequence values
# and large objects with their ACLs, comments and labels (_tocEntryRequired: REQ_DATA).
_DATA_ENTRIES = frozenset({"SEQUENCE SET", "BLOB", "BLOB METADATA"})
_LARGE_OBJECT_SUBENTRIES = frozenset({"ACL", "COMMENT", "SECURITY LABEL"})
_ALTER_AS_TABLE = frozenset({"VIEW", "SEQUENCE", "MATERIALIZED VIEW"})
_SETTING_VALUE = re.compile(r"=\s*'([^']*)'")


def read_custom_archive(
    name: str, *, path: Path | None, data: bytes | None
) -> tuple[str, ArchiveLayout]:
    """The script pg_restore would print for an archive, and where each entry's part starts."""
    if path is not None:
        with path.open("rb") as stream:
            toc = read_archive_toc(stream, name)
    else:
        assert data is not None
        toc = read_archive_toc(io.BytesIO(data), name)
    return _render(toc)


def _render(toc: ArchiveToc) -> tuple[str, ArchiveLayout]:
    parts: list[str] = []
    length = 0
    starts: list[int] = [0]
    dump_ids: list[int] = [0]
    entries: list[TocEntry | None] = [None]

    def write(text: str) -> None:
        nonlocal length
        parts.append(text)
        length += len(text)

    by_desc = {entry.desc: entry for entry in toc.entries if entry.desc in _SESSION_ENTRIES}
    encoding = toc.encoding
    standard_strings = _setting(by_desc.get("STDSTRINGS"), "on")
    write("--\n-- PostgreSQL database dump\n--\n\n")
    write(f"-- Dumped from database version {toc.header.server_version}\n")
    write(f"-- Dumped by pg_dump version {toc.header.dump_version}\n\n")
    # _doSetFixedOutputState, in its order.
    write("SET statement_timeout = 0;\nSET lock_timeout = 0;\n")
    write("SET idle_in_transaction_session_timeout = 0;\n")
    write(f"SET client_encoding = '{encoding}';\n")
    write(f"SET standard_conforming_strings = {standard_strings};\n")
    search_path = by_desc.get("SEARCHPATH")
    if search_path is not None and search_path.defn:
        write(search_path.defn)
    write("SET check_function_bodies = false;\nSET xmloption = content;\n")
    write("SET client_min_messages = warning;\n")
    if standard_strings != "on":
        write("SET escape_string_warning = off;\n")
    write("SET row_security = off;\n\n")

    tablespace: str | None = None
    access_method: str | None = None
    for entry in _restore_order(toc.entries):
        starts.append(length)
        dump_ids.append(entry.dump_id)
        entries.append(_toc_entry(entry))
        if entry.desc in _TABLESPACE_ENTRIES:
            wanted = entry.tablespace or ""
            if wanted != tablespace:
                value = quote_ident(wanted) if wanted else "''"
                write(f"SET default_tablespace = {value};\n\n")
                tablespace = wanted
        if entry.tableam and entry.tableam != access_method:
            write(f"SET default_table_access_method = {quote_ident(entry.tableam)};\n\n")
            access_method = entry.tableam
        write(_header(entry))
        if entry.defn:
            write(f"{entry.defn}\n\n")
        owner = _owner_statement(entry)
        if owner:
            write(f"{owner}\n\n")
    write("--\n-- PostgreSQL database dump complete\n--\n\n")
    layout = ArchiveLayout(tuple(starts), tuple(dump_ids), tuple(entries))
    return "".join(parts), layout


def _setting(entry: ArchiveTocEntry | None, default: str) -> str:
    if entry is None or not entry.defn:
        return str(default)
    match = _SETTING_VALUE.search(entry.defn)
    return match[1] if match else str(default)


def _restore_order(all_entries: Sequence[ArchiveTocEntry]) -> list[ArchiveTocEntry]:
    """The entries ``pg_restore --schema-only`` prints (without --create), in its order."""
    passes: tuple[list[ArchiveTocEntry], ...] = ([], [], [])
    for entry in all_entries:
        desc = entry.desc
        if desc in _SESSION_ENTRIES or desc in _DATABASE_ENTRIES or _is_data(entry):
            continue
        if desc in _DATABASE_SUBENTRIES and (entry.tag or "").startswith("DATABASE "):
            continue
        if desc in _ACL_PASS:
            passes[1].append(entry)
        elif desc in _POST_ACL_PASS or (
            # A comment goes with its object, and event triggers come last.
            desc == "COMMENT" and (entry.tag or "").startswith("EVENT TRIGGER ")
        ):
            passes[2].append(entry)
        else:
            passes[0].append(entry)
    return [*passes[0], *passes[1], *passes[2]]


def _is_data(entry: ArchiveTocEntry) -> bool:
    if entry.had_dumper or entry.desc in _DATA_ENTRIES:
        return True
    tag = entry.tag or ""
    return entry.desc in _LARGE_OBJECT_SUBENTRIES and tag.startswith("LARGE OBJECT ")


def _toc_entry(entry: ArchiveTocEntry) -> TocEntry:
    # The same values a plain dump's header gives, newlines in names included (as spaces).
    return TocEntry(
        name=_sanitize(entry.tag, hyphen=False),
        type=entry.desc,
        schema=_sanitize(entry.namespace, hyphen=False) or None,
        owner=_sanitize(entry.owner, hyphen=False) or None,
        line=entry.dump_id,
        tablespace=_sanitize(entry.tablespace, hyphen=False) or None,
    )


def _sanitize(value: str | None, *, hyphen: bool) -> str:
    """pg_dump's sanitize_line: one line, and '-' for an empty schema or owner."""
    if not value:
        return "-" if hyphen else ""
    return value.replace("\n", " ").replace("\r", " ")


def _header(entry: ArchiveTocEntry) -> str:
    line = (
        f"-- Name: {_sanitize(entry.tag, hyphen=False)}; Type: {entry.desc}; "
        f"Schema: {_sanitize(entry.namespace, hyphen=True)}; "
        f"Owner: {_sanitize(entry.owner, hyphen=True)}"
    )
    if entry.tablespace:
        line += f"; Tablespace: {_sanitize(entry.tablespace, hyphen=False)}"
    return f"--\n{line}\n--\n\n"


def _owner_statement(entry: ArchiveTocEntry) -> str | None:
    """The ``ALTER ... OWNER TO`` pg_restore adds after an entry's definition, if any."""
    desc = entry.desc
    if not entry.owner or not entry.drop_stmt or desc not in _OWNED_ENTRIES:
        return None
    if desc in _NAMED_BY_DROP:
        target = entry.drop_stmt[len("DROP ") :].rstrip(";\n")
    elif desc == "BLOB":
        target = f"LARGE OBJECT {entry.tag}"
    else:
        kind = "TABLE" if desc in _ALTER_AS_TABLE else desc
        schema = f"{quote_ident(entry.namespace)}." if entry.namespace else ""
        target = f"{kind} {schema}{quote_ident(entry.tag or '')}"
    return f"ALTER {target} OWNER TO {quote_ident(entry.owner)};"
