"""The two kinds of metadata a plain dump carries outside SQL: pg_dump's TOC header comments and
the database named by psql's ``\\connect``."""

from __future__ import annotations

import re
import urllib.parse

from pgdrift.source import TocEntry

# pg_dump prints "-- Name: %s; Type: %s; Schema: %s; Owner: %s[; Tablespace: %s]" without
# escaping (pg_backup_archiver.c, _printTocEntry), so a name may itself contain "; Type: ".
# The type is one of pg_dump's fixed upper-case descriptions, which anchors the split: the
# greedy name runs to the last "; Type: <DESC>; Schema: " on the line.
_TOC_LINE = re.compile(
    r"-- (?P<data>Data for )?Name: (?P<name>.*); Type: (?P<type>[A-Z][A-Z ]*); "
    r"Schema: (?P<schema>.*); Owner: (?P<owner>.*?)(?:; Tablespace: (?P<tablespace>.*))?"
)


def parse_toc_header(line: str, line_number: int) -> TocEntry | None:
    """The :class:`~pgdrift.source.TocEntry` of one ``-- Name: ...`` header line, else None.

    pg_dump writes ``-`` for a missing schema or owner (and an empty owner for some comments);
    those become None. A schema literally named ``-`` is indistinguishable, as it is for
    pg_dump itself.

    >>> parse_toc_header("-- Name: a; Type: b; Type: TABLE; Schema: public; Owner: -", 7)
    TocEntry(name='a; Type: b', type='TABLE', schema='public', owner=None, line=7, \
tablespace=None, data=False)
    """
    # Searching from the right with str methods gives the same answer as _TOC_LINE whenever
    # the type found is a pg_dump description, at a fraction of the cost (one per entry).
    if line.startswith("-- Name: "):
        fields, data = 9, False
    elif line.startswith("-- Data for Name: "):
        fields, data = 18, True
    else:
        return None
    owner_at = line.rfind("; Owner: ")
    schema_at = line.rfind("; Schema: ", fields, owner_at)
    type_at = line.rfind("; Type: ", fields, schema_at)
    if type_at < 0 or schema_at < 0:
        return None
    kind = line[type_at + 8 : schema_at]
    owner = line[owner_at + 9 :]
    tablespace_at = owner.find("; Tablespace: ")
    if not kind.isupper() or tablespace_at >= 0:
        return _parse_toc_header_slowly(line, line_number)
    schema = line[schema_at + 10 : owner_at]
    return TocEntry(
        line[fields:type_at],
        kind,
        None if schema in _NONE else schema,
        None if owner in _NONE else owner,
        line_number,
        None,
        data,
    )


_NONE = frozenset({"-", ""})


def _parse_toc_header_slowly(line: str, line_number: int) -> TocEntry | None:
    match = _TOC_LINE.fullmatch(line)
    if match is None:
        return None
    schema, owner = match["schema"], match["owner"]
    return TocEntry(
        name=match["name"],
        type=match["type"],
        schema=None if schema in _NONE else schema,
        owner=None if owner in _NONE else owner,
        line=line_number,
        tablespace=match["tablespace"],
        data=match["data"] is not None,
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
