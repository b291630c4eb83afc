"""The two kinds of metadata a plain dump carries outside SQL: pg_dump's TOC header comments and
the database named by psql's ``\\connect``."""

from __future__ import annotations

import re
import urllib.parse
from sys import intern

from pgdrift.source import TocEntry

# pg_dump prints "-- Name: %s; Type: %s; Schema: %s; Owner: %s[; Tablespace: %s]" without
# escaping (pg_backup_archiver.c, _printTocEntry), so a name may itself contain "; Type: ".
# The type is one of pg_dump's fixed upper-case descriptions, which anchors the split: the
# greedy name runs to the last "; Type: <DESC>; Schema: " on the line.
_TOC_LINE = re.compile(
    r"-- (Data for )?Name: (.*); Type: ([A-Z][A-Z ]*); "
    r"Schema: (.*); Owner: (.*?)(?:; Tablespace: (.*))?"
)
# The usual line has no ';' inside its fields; this form of the same expression never
# backtracks, and a load parses one header per object.
_PLAIN_TOC_LINE = re.compile(
    r"-- (Data for )?Name: ([^;\n]*); Type: ([A-Z][A-Z ]*); "
    r"Schema: ([^;\n]*); Owner: ([^;\n]*)()"
)
_NONE = frozenset({"-", ""})


def parse_toc_header(line: str, line_number: int) -> TocEntry | None:
    """The :class:`~pgdrift.source.TocEntry` of one ``-- Name: ...`` header line, else None.

    pg_dump writes ``-`` for a missing schema or owner (and an empty owner for some comments);
    those become None. A schema literally named ``-`` is indistinguishable, as it is for
    pg_dump itself.

    >>> parse_toc_header("-- Name: a; Type: b; Type: TABLE; Schema: public; Owner: -", 7)
    TocEntry(name='a; Type: b', type='TABLE', schema='public', owner=None, line=7, \
tablespace=None, data=False)
    """
    match = _PLAIN_TOC_LINE.fullmatch(line) or _TOC_LINE.fullmatch(line)
    if match is None:
        return None
    data, name, kind, schema, owner, tablespace = match.groups()
    # Kinds, schemas and owners repeat on every header of a dump: keep one copy of each.
    return TocEntry(
        name,
        intern(kind),
        None if schema in _NONE else intern(schema),
        None if owner in _NONE else intern(owner),
        line_number,
        tablespace or None,
        data is not None,
    )


# psql splits meta-command arguments at whitespace; "..." keeps case and doubles embedded
# quotes, '...' takes backslash escapes (psql reference, "Meta-Commands").
_ARGUMENT = re.compile(r"""\s*(?:"((?:[^"]|"")*)"|'((?:[^'\\]|\\.|'')*)'|(\S+))""", re.S)
_CONNINFO_PAIR = re.compile(r"\s*(\w+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S*))", re.S)
_BACKSLASH_ESCAPE = re.compile(r"\\(.)", re.S)


def connect_target(argument: str) -> str | None:
    """The database a ``\\connect`` argument selects; None when it keeps the current one.

    pg_dump writes ``\\connect name`` for plain names and ``\\connect -reuse-previous=on
    "dbname='my db'"`` for others (string_utils.c, appendPsqlMetaConnect). psql treats the
    first argument as a connection string when it contains ``=`` or is a URI, and ``-`` as
    "keep the previous value". Unquoted names keep their case: ``\\connect MyDb`` is ``MyDb``.

    >>> connect_target('-reuse-previous=on "dbname=\\'my db\\'"')
    'my db'
    """
    words: list[tuple[str, bool]] = []
    for match in _ARGUMENT.finditer(argument):
        double, single, bare = match.groups()
        if double is not None:
            words.append((double.replace('""', '"'), True))
        elif single is not None:
            words.append((_BACKSLASH_ESCAPE.sub(r"\1", single.replace("''", "'")), True))
        elif bare is not None:
            words.append((bare, False))
    positional = [text for text, quoted in words if quoted or text == "-" or text[0] != "-"]
    if not positional or positional[0] == "-":
        return None
    first = positional[0]
    if first.startswith(("postgresql://", "postgres://")):
        path = urllib.parse.urlsplit(first).path.lstrip("/")
        return urllib.parse.unquote(path) or None
    if "=" in first:
        for key, quoted_value, bare_value in _CONNINFO_PAIR.findall(first):
            if key == "dbname":
                value = _BACKSLASH_ESCAPE.sub(r"\1", quoted_value) if quoted_value else bare_value
                return value or None
        return None
    return first
