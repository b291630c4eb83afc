"""Parsing statements with pglast, with errors placed in the dump file.

:func:`parse_statement` returns the JSON parse tree of one statement as plain dicts
(``{"CreateStmt": {...}}``); a pglast syntax error becomes a :class:`~pgdrift.errors.ParseError`
at the file, line and column of the offending token, with the line and a caret::

    >>> from pgdrift.reader import source_from_text, split_statements
    >>> [stmt] = split_statements(source_from_text("CREATE TABLE t (a int);"))
    >>> list(parse_statement(stmt))
    ['CreateStmt']

Dumps from pg_dump 11 and older are read as PostgreSQL read them: while
``standard_conforming_strings`` is off (the default before 9.1) a backslash escapes in every
string literal, and ``CREATE TABLE ... WITH OIDS`` is accepted (pglast's grammar, from
PostgreSQL 17, has neither). Statements nested deeper than :data:`~pgdrift._nesting.MAX_NESTING`
levels are refused with a :class:`~pgdrift.errors.ParseError`.

Parsing a dump allocates millions of small dicts and lists that the cyclic garbage collector
would scan over and over, though none of them is in a cycle; :func:`parse_statements` pauses
it (:func:`pgdrift._gc_pause.gc_paused`) for the duration.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import orjson
import pglast.parser

from pgdrift._gc_pause import gc_paused
from pgdrift._nesting import MAX_NESTING, json_nesting
from pgdrift.errors import ParseError
from pgdrift.reader.items import Statement
from pgdrift.source import SourceSpan

if TYPE_CHECKING:
    from pgdrift.reader.items import MetaCommand, Source

__all__ = ["gc_paused", "parse_statement", "parse_statements", "sharing_parses"]

Node = dict[str, Any]


def parse_statement(
    stmt: Statement,
    *,
    source: Source | None = None,
    standard_conforming_strings: bool = True,
    notes: list[str] | None = None,
) -> Node | None:
    """The parse tree of ``stmt``: its single ``{"NodeType": {...}}``, or None if it is empty.

    Args:
        source: the statement's :class:`~pgdrift.reader.Source`, if at hand, so an error shows
            the whole source line; without it the line is rebuilt from the statement text.
        standard_conforming_strings: the session setting in force where the statement stands;
            when False, backslashes escape in ordinary string literals, as PostgreSQL reads them.
        notes: old syntax that was read but has no modern meaning (``WITH OIDS``) is described
            in a message appended here.

    Raises:
        ParseError: pglast rejects the statement, or it is nested too deeply; ``span`` is the
            error's place in the file.
    """
    text = stmt.text
    inserted: tuple[tuple[int, int], ...] = ()
    if not standard_conforming_strings and "\\" in text:
        text, inserted = escape_strings_as_e(text)
    try:
        try:
            tree = _parse_json(text)
        except pglast.parser.ParseError as error:
            without_oids = _drop_with_oids(text, standard=standard_conforming_strings)
            if without_oids is None:
                raise
            try:
                tree = _parse_json(without_oids)
            except pglast.parser.ParseError:
                raise error from None
            if notes is not None:
                notes.append(
                    "WITH OIDS is ignored: PostgreSQL 12 and later have no table OIDs "
                    "(a table that had them is read as one that does not)"
                )
    except pglast.parser.ParseError as error:
        message = _clip_message(str(error.args[0]) if error.args else str(error))
        location = error.args[1] if len(error.args) > 1 else None
        if location is not None:
            location = _original_offset(location, inserted)
        raise located_error(stmt, message, location, source=source) from None
    except _TooDeepError as error:
        raise located_error(stmt, error.message, 0, source=source) from None
    statements = tree.get("stmts", [])
    if not statements:
        return None
    if len(statements) > 1:
        raise located_error(stmt, "more than one statement where one was expected", None)
    node: Node = statements[0]["stmt"]
    return node


def _clip_message(message: str) -> str:
    """PostgreSQL quotes the token it stopped at (``syntax error at or near "..."``), which can
    span lines or be a megabyte long: keep the message on one line, and its start and end.

    >>> _clip_message('syntax error at or near "$$' + chr(10) + 'SELECT 1;' + chr(10) + '$$"')
    'syntax error at or near "$$..."'
    """
    newline = message.find("\n")
    if newline >= 0:
        message = message[:newline] + '..."'
    if len(message) <= 2 * _CONTEXT:
        return message
    return message[: _CONTEXT + 20] + "..." + message[-20:]


class _TooDeepError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# While sharing_parses() runs: the JSON of each statement text parsed so far.
_SHARED_PARSES: ContextVar[dict[str, str] | None] = ContextVar("_SHARED_PARSES", default=None)


@contextlib.contextmanager
def sharing_parses() -> Iterator[None]:
    """Inside the block, a statement text parsed once is not parsed again: its libpg_query
    JSON is kept and decoded anew for each use (the builder may change a tree in place, so
    trees are never shared).

    Two dumps of one database share nearly all their statements byte for byte: loading the
    second inside the same block skips libpg_query for those. The JSON held is about four
    times the text parsed (41 MB for an 11 MB dump), freed when the block ends.
    """
    token = _SHARED_PARSES.set({})
    try:
        yield
    finally:
        _SHARED_PARSES.reset(token)


def _parse_json(text: str) -> dict[str, Any]:
    """pglast's JSON parse tree of ``text``, refused when nested too deeply to walk."""
    shared = _SHARED_PARSES.get()
    json_text = shared.get(text) if shared is not None else None
    if json_text is None:
        json_text = pglast.parser.parse_sql_json(text)
        depth = json_nesting(json_text)
        if depth > MAX_NESTING:
            raise _TooDeepError(
                f"statement nested {depth} levels deep; pgdrift reads statements nested up to "
                f"{MAX_NESTING} levels (about 240 chained operators or 65 nested sub-selects)"
            )
        if shared is not None:
            shared[text] = json_text
    # orjson decodes libpg_query's JSON two to three times faster than the standard library,
    # and without Python recursion; it refuses input nested past its own depth limit (1,024)
    # with a JSONDecodeError, which json_nesting() above normally forestalls.
    try:
        tree: dict[str, Any] = orjson.loads(json_text)
    except orjson.JSONDecodeError as error:
        raise _TooDeepError(
            f"statement nested too deeply to read ({error}); pgdrift reads statements nested "
            f"up to {MAX_NESTING} levels"
        ) from None
    return tree


# Old syntax -----------------------------------------------------------------------------------

# The lexer tokens that matter for finding string constants (SQL Syntax, "Lexical Structure"):
# comments, quoted identifiers, dollar quotes, words (a whole word E, B, X, N or U& right before
# a quote makes it a special constant) and quotes.
_ID_CHARS = r"A-Za-z_0-9$\x80-\U0010ffff"
_TOKEN = re.compile(
    r"(?P<line>--[^\n]*)"
    r"|(?P<block>/\*)"
    r'|(?P<ident>"[^"]*(?:""[^"]*)*")'
    rf"|(?P<dollar>(?<![{_ID_CHARS}])\$(?:[A-Za-z_\x80-\U0010ffff][A-Za-z_0-9\x80-\U0010ffff]*)?\$)"
    rf"|(?P<word>[{_ID_CHARS}&]+)"
    r"|(?P<quote>')"
)
_BLOCK_COMMENT_TOKEN = re.compile(r"/\*|\*/")
# In E'' constants, and in ordinary ones while standard_conforming_strings is off, a backslash
# escapes the next character, a quote included (4.1.2.2).
_ESCAPE_STRING = re.compile(r"'[^'\\]*(?:(?:\\[\s\S]|'')[^'\\]*)*'")
_STANDARD_STRING = re.compile(r"'[^']*(?:''[^']*)*'")
# Two constants separated only by whitespace holding a newline are one constant (4.1.2.1).
_CONTINUATION = re.compile(r"[ \t\f\r]*\n[ \t\n\f\r]*(?=')")
_BIT_OR_UNICODE = frozenset({"B", "X", "U&"})


def lexemes(text: str, *, standard: bool) -> Iterator[tuple[str, int, int, str]]:
    """``(kind, start, end, prefix)`` of each comment, quoted identifier, dollar quote and string
    constant (continuations included) of ``text``; ``prefix`` is the upper-cased word right
    before a string's quote."""
    pos = 0
    word_end, word = -1, ""
    while (token := _TOKEN.search(text, pos)) is not None:
        kind = token.lastgroup
        start, pos = token.span()
        if kind == "word":
            word_end, word = pos, token[0]
            continue
        if kind == "block":
            pos = _block_comment_end(text, start)
        elif kind == "dollar":
            close = text.find(token[0], pos)
            pos = len(text) if close < 0 else close + len(token[0])
        elif kind == "quote":
            prefix = word.upper() if word_end == start else ""
            escapes = prefix == "E" or (not standard and prefix not in _BIT_OR_UNICODE)
            literal = _ESCAPE_STRING if escapes else _STANDARD_STRING
            pos = start
            while (match := literal.match(text, pos)) is not None:
                pos = match.end()
                gap = _CONTINUATION.match(text, pos)
                if gap is None:
                    break
                pos = gap.end()
            if pos == start:
                return  # unterminated: the parser will say where
            yield "string", start, pos, prefix
            continue
        yield str(kind), start, pos, ""


def _block_comment_end(text: str, start: int) -> int:
    depth = 0
    for match in _BLOCK_COMMENT_TOKEN.finditer(text, start):
        depth += 1 if match[0] == "/*" else -1
        if depth == 0:
            return match.end()
    return len(text)


def escape_strings_as_e(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` with each ordinary string constant that holds a backslash written as an
    ``E''`` constant, which reads backslashes as ``standard_conforming_strings = off`` did.

    Returns the new text and, for each insertion, its offset in ``text`` and its width.

    >>> escape_strings_as_e(r"SELECT 'C:\\dir', 'plain', date'\\x'")
    ("SELECT E'C:\\\\dir', 'plain', date E'\\\\x'", ((7, 1), (30, 2)))
    """
    parts: list[str] = []
    inserted: list[tuple[int, int]] = []
    done = 0
    for kind, start, end, prefix in lexemes(text, standard=False):
        # E'' constants already escape; bit strings and U&'' are not ordinary constants; N''
        # cannot take a second prefix (pg_dump never writes it).
        if kind != "string" or prefix in ("E", "N", *_BIT_OR_UNICODE):
            continue
        if "\\" not in text[start:end]:
            continue
        # A letter right after an identifier would join it (date'x' is a typed literal).
        insertion = " E" if prefix else "E"
        parts.append(text[done:start])
        parts.append(insertion)
        inserted.append((start, len(insertion)))
        done = start
    if not inserted:
        return text, ()
    parts.append(text[done:])
    return "".join(parts), tuple(inserted)


def _original_offset(location: int, inserted: tuple[tuple[int, int], ...]) -> int:
    """Map an offset in text rewritten by :func:`escape_strings_as_e` back to the original."""
    shift = 0
    for offset, width in inserted:
        if location < offset + shift:
            break
        shift += width
    return max(location - shift, 0)


_WITH_OIDS = re.compile(r"\bWITH\s+OIDS\b", re.IGNORECASE)
_CREATE_TABLE = re.compile(r"CREATE\s+(?:\w+\s+){0,3}?TABLE\b", re.IGNORECASE)


def _drop_with_oids(text: str, *, standard: bool) -> str | None:
    """``text`` with ``WITH OIDS`` blanked out of a ``CREATE TABLE`` (same length, so error
    positions stay right), or None if it has none outside strings, names and comments.

    pg_dump 8.0 to 11 wrote ``SET default_with_oids = true`` instead; the clause comes from
    hand-written DDL and older tools. PostgreSQL 12 removed it from the grammar.
    """
    if _CREATE_TABLE.match(text) is None or _WITH_OIDS.search(text) is None:
        return None
    code = list(text)
    for _kind, start, end, _prefix in lexemes(text, standard=standard):
        code[start:end] = " " * (end - start)
    found = [match.span() for match in _WITH_OIDS.finditer("".join(code))]
    if not found:
        return None
    for start, end in found:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def parse_statements(
    stmts: Iterable[Statement | MetaCommand],
    *,
    strict: bool = True,
    source: Source | None = None,
) -> tuple[list[tuple[Statement, Node | None]], list[ParseError]]:
    """Parse every statement of ``stmts`` (meta-commands are skipped) with the GC paused.

    With ``strict`` the first error is raised; otherwise errors are collected and the
    statements that failed are left out of the pairs.
    """
    parsed: list[tuple[Statement, Node | None]] = []
    errors: list[ParseError] = []
    with gc_paused():
        for stmt in stmts:
            if not isinstance(stmt, Statement):
                continue
            try:
                parsed.append((stmt, parse_statement(stmt, source=source)))
            except ParseError as error:
                if strict:
                    raise
                errors.append(error)
    return parsed, errors


def located_error(
    stmt: Statement, message: str, location: int | None, *, source: Source | None = None
) -> ParseError:
    """A :class:`ParseError` for character ``location`` of ``stmt.text`` (None: its end).

    pglast reports the error position as a 0-based character offset into the statement text.
    The line shown is cut to :data:`_CONTEXT` characters each side of the error, so that errors
    in a dump written as one long line stay small.
    """
    text = stmt.text
    if location is None or not 0 <= location <= len(text):
        location = len(text)
    newlines = text.count("\n", 0, location)
    line_start = text.rfind("\n", 0, location) + 1
    span = stmt.span
    if stmt.in_archive:
        # Archive spans name a TOC entry (line = dump id); say where in the statement instead.
        column = location - line_start + 1
        line_text, caret = line_excerpt(text, location)
        return ParseError(
            f"{message} (line {newlines + 1}, column {column} of the statement)",
            span=span,
            statement=text,
            line_text=line_text,
            caret_column=caret,
        )
    line = span.line + newlines
    if newlines == 0:
        column = span.column + location
        line_text, caret = line_excerpt(text, location, lead=span.column - 1)
    else:
        column = location - line_start + 1
        line_text, caret = line_excerpt(text, location)
    if source is not None and source.archive is None:
        line_text, caret = line_excerpt(source.text, stmt.offset + location)
    return ParseError(
        message,
        span=SourceSpan(span.file, line, column, line),
        statement=text,
        line_text=line_text,
        caret_column=caret,
    )


#: Characters of the offending line shown on each side of an error.
_CONTEXT = 100


def line_excerpt(text: str, at: int, *, lead: int = 0) -> tuple[str, int]:
    """The line of ``text`` around offset ``at``, at most :data:`_CONTEXT` characters each
    side ("..." marks a cut), and the 1-based column of ``at`` in it. ``lead`` spaces stand for
    whatever precedes ``text`` on its first line (a statement that starts mid-line).

    >>> line_excerpt("SELECT 1 +;", 10)
    ('SELECT 1 +;', 11)
    >>> line, caret = line_excerpt("x" * 500, 250)
    >>> line == "..." + "x" * 200 + "...", caret
    (True, 104)
    """
    low = max(at - _CONTEXT, 0)
    newline = text.rfind("\n", low, at)
    start = newline + 1 if newline >= 0 else low
    pad = lead if start == 0 else 0
    cut_left = (start > 0 and text[start - 1] != "\n") or pad + at - start > _CONTEXT
    pad = min(pad, max(_CONTEXT - (at - start), 0))
    high = min(at + _CONTEXT, len(text))
    newline = text.find("\n", at, high)
    end = newline if newline >= 0 else high
    cut_right = end < len(text) and text[end] != "\n"
    left = "..." if cut_left else ""
    excerpt = left + " " * pad + text[start:end] + ("..." if cut_right else "")
    return excerpt, len(left) + pad + at - start + 1
