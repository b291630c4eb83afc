"""Cutting dump text into statements and psql meta-commands, where psql would.

The scanner follows PostgreSQL's lexical rules (SQL Syntax, "Lexical Structure") as far as
splitting needs: it finds the ``;`` that ends each statement and skips everything a ``;`` can
hide in. For speed, one regular expression consumes the blank lines and comments before a
statement (noting pg_dump headers on the way) and the ordinary stretches of the statement
(plain text, complete strings and quoted identifiers, ``--`` comments, complete dollar quotes)
up to its ``;``; the Python loop only handles what that expression stops at.
"""

from __future__ import annotations

import re

from pgdrift._gc_pause import gc_paused
from pgdrift.errors import ParseError
from pgdrift.reader.decode import refuse_foreign_dump
from pgdrift.reader.items import MetaCommand, Statement
from pgdrift.reader.parse import line_excerpt
from pgdrift.reader.toc import connect_target, parse_toc_header
from pgdrift.source import SourceSpan, TocEntry

# Identifier characters per the lexer (scan.l): letters, '_', any non-ASCII character; digits
# and '$' may continue an identifier.
_ID_START = r"A-Za-z_\x80-\U0010ffff"
_ID_CONT = r"A-Za-z_0-9$\x80-\U0010ffff"
# A dollar quote's tag follows identifier rules but may not contain '$'. A '$' that continues
# an identifier (a$b$) opens nothing, and neither does a parameter ($1).
_TAG = r"(?:[A-Za-z_\x80-\U0010ffff][A-Za-z_0-9\x80-\U0010ffff]*)?"
_DOLLAR_OPEN = re.compile(rf"(?<![{_ID_CONT}])\${_TAG}\$")
_DOLLAR = rf"(?<![{_ID_CONT}])\$(?P<tag>{_TAG})\$[\s\S]*?\$(?P=tag)\$"
# Doubled quotes are the only escape in a standard string; the lookahead stops a string that
# ends in '' (an escaped quote, so still open) from matching short.
_STD_STRING = r"'[^']*(?:''[^']*)*'(?!')"
# In E'...' strings, and in every string while standard_conforming_strings is off, a backslash
# escapes the next character, a quote included (Lexical Structure, "String Constants with
# C-Style Escapes").
_ESC_STRING = r"'[^'\\]*(?:(?:\\[\s\S]|'')[^'\\]*)*'(?!')"
_IDENTIFIER = r'"[^"]*(?:""[^"]*)*"(?!")'

# Before a statement: whitespace (only these six characters; a no-break space is an identifier
# character to PostgreSQL) and line comments, among them pg_dump's header lines and its
# "--\n-- text\n--" banners ("PostgreSQL database dump complete", pg_dumpall's "Database "x"
# dump"), which end the entry before them. A repeated group keeps its last capture.
_GAP = (
    r"(?:[ \t\n\r\f\v]+"
    r"|(?<![^\n])(?P<header>-- (?:Data for )?Name: [^\n]*)"
    r"|(?<![^\n])(?P<banner>--\n-- (?!(?:Data for )?Name: |TOC entry |Dependencies: )"
    r"[^\n]*\n--(?![^\n]))"
    r"|--[^\n]*"
    r")*"
)


def _body(string: str) -> str:
    # Each alternative starts with a different character, so a failed alternative never makes
    # the loop backtrack. It stops at ';', at a quote right after E or e (maybe an E'...'
    # string), at an unterminated quote, at a '$' that opens no complete dollar quote, at '/*',
    # and at a backslash: outside quotes one always starts a psql meta-command (no SQL token
    # holds one), which may send the statement (\g, \gexec...) or run in its middle.
    return (
        r"(?:[^;'\"$/\-\\]+"
        rf"|{string}|{_IDENTIFIER}|--[^\n]*|-(?!-)|/(?!\*)|{_DOLLAR}"
        r")*"
    )


_STD_BODY = _body(rf"(?<![Ee]){_STD_STRING}")
_ESC_BODY = _body(_ESC_STRING)
_STATEMENT_STD = re.compile(rf"{_GAP}(?P<start>){_STD_BODY}(?P<end>;)?")
_STATEMENT_ESC = re.compile(rf"{_GAP}(?P<start>){_ESC_BODY}(?P<end>;)?")
# Both expressions number their groups alike; Match.regs by number is the cheapest access.
_START, _HEADER, _BANNER, _END = (
    _STATEMENT_STD.groupindex[group] for group in ("start", "header", "banner", "end")
)
assert all(_STATEMENT_ESC.groupindex[g] == _STATEMENT_STD.groupindex[g] for g in ("start", "end"))
_BODY_STD = re.compile(_STD_BODY)
_BODY_ESC = re.compile(_ESC_BODY)
_STD_STRING_AT = re.compile(_STD_STRING)
_ESC_STRING_AT = re.compile(_ESC_STRING)
_WHITESPACE = " \t\n\r\f\v"

# Statements that need a second look, told apart by how they start:
# - psql keeps a statement open across ';' inside BEGIN ... END when it starts with CREATE [OR
#   REPLACE] FUNCTION|PROCEDURE (psqlscan.l), so SQL-standard bodies (BEGIN ATOMIC) stay whole;
# - COPY ... FROM stdin is followed by data lines;
# - pg_restore writes session settings between entries (default_tablespace,
#   default_table_access_method, SET SESSION AUTHORIZATION), which belong to no TOC entry.
_SPECIAL_HEAD = re.compile(
    r"(?P<routine>CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE)\b)"
    r"|(?P<rule>CREATE\s+(?:OR\s+REPLACE\s+)?RULE\b)"
    r"|(?P<copy>COPY\b)"
    r"|(?P<session>(?:SET|RESET)\b|SELECT\s+pg_catalog\.set_config\s*\()",
    re.IGNORECASE,
)
_SPECIAL_INITIALS = "CcRrSs"
_STD_STRINGS_SETTING = re.compile(
    r"SET\s+(?:SESSION\s+|LOCAL\s+)?standard_conforming_strings\s*(?:=|TO)\s*'?(\w+)'?",
    re.IGNORECASE,
)
_COPY_FROM_STDIN = re.compile(r"COPY\b[^;]*?\bFROM\s+STDIN\b", re.IGNORECASE)
_META = re.compile(r"\\([^\s\\]*)(.*)")
#: psql meta-commands that send the statement before them to the server (or, \gdesc, only
#: describe its result): a statement may end with one instead of a ';' (psql "Meta-Commands").
SENDING_COMMANDS = frozenset({"g", "gx", "gset", "gexec", "gdesc", "crosstabview", "watch"})

_ROUTINE_TOKEN = re.compile(
    rf"(?<![{_ID_CONT}])[Ee]{_ESC_STRING}"
    rf"|(?P<word>[{_ID_START}][{_ID_CONT}]*)"
    r"|(?P<open>\()|(?P<close>\))"
    rf"|{_STD_STRING}|{_IDENTIFIER}|--[^\n]*|(?P<comment>/\*)|{_DOLLAR}"
)
_BLOCK_COMMENT_TOKEN = re.compile(r"/\*|\*/")


def split_text(
    text: str,
    name: str,
    *,
    foreign_check: bool = True,
    errors: list[ParseError] | None = None,
) -> list[Statement | MetaCommand]:
    """Statements and meta-commands of ``text`` (see :func:`pgdrift.reader.split_statements`)."""
    if foreign_check:
        refuse_foreign_dump(text, name)
    items: list[Statement | MetaCommand] = []
    # Tens of thousands of new objects, none in a cycle: collecting is pure overhead.
    with gc_paused():
        try:
            _split(text, name, items)
        except ParseError as error:
            # An unterminated construct runs to the end of the input: what came before it is
            # complete, and kept when the caller collects errors.
            if errors is None:
                raise
            errors.append(error)
    return items


def _split(text: str, name: str, items: list[Statement | MetaCommand]) -> None:
    append = items.append
    count = text.count
    rfind = text.rfind
    length = len(text)
    statement = _STATEMENT_STD.match
    standard = True
    toc: TocEntry | None = None
    database: str | None = None
    line = 1  # the line number of offset line_pos
    line_pos = 0
    # Where that line starts. Columns are counted from it, never by searching back from the
    # statement: on a dump written as one long line that search made splitting quadratic.
    line_start = 0
    pos = 0
    while pos < length:
        match = statement(text, pos)
        assert match is not None  # every part of the expression may be empty
        groups = match.regs
        start = groups[_START][0]
        header, header_end = groups[_HEADER]
        banner = groups[_BANNER][0]
        if header >= 0 or banner >= 0:
            if banner > header:
                toc = None
            else:
                newlines = count("\n", line_pos, header)
                if newlines:
                    line += newlines
                    line_start = rfind("\n", line_pos, header) + 1
                line_pos = header
                toc = parse_toc_header(text[header:header_end], line) or toc
        if start >= length:
            break
        char = text[start]
        if char == "\\":
            end = text.find("\n", start)
            if end < 0:
                end = length
            meta = _META.match(text, start, end)
            assert meta is not None
            newlines = count("\n", line_pos, start)
            if newlines:
                line += newlines
                line_start = rfind("\n", line_pos, start) + 1
            line_pos = start
            column = start - line_start + 1
            command = MetaCommand(meta[1], meta[2].strip(), SourceSpan(name, line, column, line))
            append(command)
            if command.name in ("connect", "c"):
                toc = None
                target = connect_target(command.argument)
                if target is not None:
                    database = target
            pos = end
            continue
        end = match.end()
        if end == start and text.startswith("/*", start):
            pos = _skip_block_comment(text, start, name)
            continue
        kind = None
        if char in _SPECIAL_INITIALS:
            special = _SPECIAL_HEAD.match(text, start)
            if special is not None:
                kind = special.lastgroup
        semicolon = groups[_END][0]
        sent_with = None
        inner: list[tuple[int, int]] = []
        if semicolon >= 0 and kind not in ("routine", "rule"):
            end = semicolon
            terminated = True
            pos = end + 1
        else:
            stop = semicolon if semicolon >= 0 else end
            end, how = _finish_statement(
                text, start, stop, name, standard=standard, routine=kind == "routine",
                rule=kind == "rule", inner=inner,
            )  # fmt: skip
            terminated = how == ";"
            pos = end + 1
            if how == "\\":
                # A meta-command after the statement's text sends it (\g, \gexec...); "\;"
                # ends it without sending, as a ';' would. The command itself is read next.
                if text.startswith("\\;", end):
                    pos = end + 2
                else:
                    pos = end
                    sent_with = _META.match(text, end)[1]  # type: ignore[index]
                end = start + len(text[start:end].rstrip(_WHITESPACE))
        if end == start:  # an empty statement: a lone ';'
            continue

        statement_text = text[start:end]
        if inner:
            # psql runs a meta-command met inside a statement at once and keeps reading the
            # statement on the next line: the command comes first, its line is blanked.
            for begin, stop in inner:
                argument = _META.match(text, begin, stop)
                assert argument is not None
                at_line = line + count("\n", line_pos, begin)
                column = begin - (rfind("\n", 0, begin) + 1) + 1
                append(MetaCommand(argument[1], argument[2].strip(),
                                   SourceSpan(name, at_line, column, at_line)))  # fmt: skip
                cut, width = begin - start, stop - begin
                statement_text = statement_text[:cut] + " " * width + statement_text[cut + width :]
        newlines = count("\n", line_pos, start)
        if newlines:
            line += newlines
            line_start = rfind("\n", line_pos, start) + 1
        end_line = line + count("\n", start, end if terminated else end - 1)
        span = SourceSpan(name, line, start - line_start + 1, end_line)
        if end_line != line:
            line_start = rfind("\n", start, end) + 1
        line = end_line
        line_pos = end
        if sent_with is not None:
            append(Statement(statement_text, span, toc, database, start, sent_with=sent_with))
        elif kind is None or kind in ("routine", "rule"):
            append(Statement(statement_text, span, toc, database, start))
        elif kind == "copy":
            rows = 0
            if terminated and _COPY_FROM_STDIN.match(statement_text):
                rows, pos = _skip_copy_data(text, end, name)
            append(Statement(statement_text, span, toc, database, start, rows))
        else:
            setting = _STD_STRINGS_SETTING.match(statement_text)
            if setting is not None:
                standard = setting[1].lower() not in ("off", "false", "0", "no")
                statement = (_STATEMENT_STD if standard else _STATEMENT_ESC).match
            append(Statement(statement_text, span, None, database, start))


def _finish_statement(
    text: str, start: int, pos: int, name: str, *, standard: bool, routine: bool,
    rule: bool = False, inner: list[tuple[int, int]] | None = None,
) -> tuple[int, str]:
    r"""Scan on from ``pos`` past what the fast expression stopped at, to the statement's end.

    Returns where the statement stops and how: at its terminating ``;`` (``";"``), at the end
    of input, trailing whitespace excluded (``""``), or at a backslash that starts a psql
    meta-command sending it (``"\\"``: ``\g``, ``\gexec``..., or ``\;``). A meta-command
    that does not send the statement runs in its middle: its ``(start, end of line)`` is added
    to ``inner`` and the statement goes on with the next line.
    """
    body = (_BODY_STD if standard else _BODY_ESC).match
    length = len(text)
    atomic = (start, 0, 0)
    while True:
        stretch = body(text, pos)
        assert stretch is not None  # the expression may match nothing, never fail
        pos = stretch.end()
        if pos >= length:
            # psql runs a last statement that lacks its ';' at end of input.
            return len(text[start:].rstrip(_WHITESPACE)) + start, ""
        char = text[pos]
        if char == ";":
            if routine or rule:
                atomic = _routine_depth(text, atomic, pos, name)
                # psql ends a statement at ';' only outside parentheses: a rule with several
                # actions, DO ALSO (INSERT ...; DELETE ...), is one statement (psqlscan.l).
                if (routine and atomic[2] > 0) or (rule and atomic[1] > 0):
                    pos += 1
                    continue
            return pos, ";"
        if char == "\\":
            meta = _META.match(text, pos)
            assert meta is not None
            if meta[1] in SENDING_COMMANDS or meta[1].startswith(";"):
                return pos, "\\"
            end_of_line = text.find("\n", pos)
            end_of_line = length if end_of_line < 0 else end_of_line
            if inner is not None:
                inner.append((pos, end_of_line))
            pos = end_of_line
        elif char == "'":
            pos = _skip_string(text, pos, name, standard=standard)
        elif char == '"':
            raise _unterminated(text, pos, name, "quoted identifier")
        elif char == "$":
            if _DOLLAR_OPEN.match(text, pos):
                raise _unterminated(text, pos, name, "dollar-quoted string")
            pos += 1
        else:  # "/*": the expression stops at nothing else
            pos = _skip_block_comment(text, pos, name)


def _skip_string(text: str, pos: int, name: str, *, standard: bool) -> int:
    """The end of the string whose opening quote is at ``pos``."""
    start = pos
    escapes = not standard
    if pos > 0 and text[pos - 1] in "Ee":
        before = text[pos - 2] if pos > 1 else " "
        # E'...' only if the E does not end a longer identifier (as in DATE'2024-01-01').
        if not (before.isalnum() or before in "_$" or before >= "\x80"):
            escapes = True
            start = pos - 1
    match = (_ESC_STRING_AT if escapes else _STD_STRING_AT).match(text, pos)
    if match is None:
        raise _unterminated(text, start, name, "quoted string")
    return match.end()


def _skip_block_comment(text: str, pos: int, name: str) -> int:
    """The end of the comment opening at ``pos``; block comments nest in PostgreSQL."""
    depth = 0
    for match in _BLOCK_COMMENT_TOKEN.finditer(text, pos):
        depth += 1 if match[0] == "/*" else -1
        if depth == 0:
            return match.end()
    raise _unterminated(text, pos, name, "block comment")


def _skip_copy_data(text: str, semicolon: int, name: str) -> tuple[int, int]:
    """Count and skip the data lines after ``COPY ... FROM stdin;``, up to the ``\\.`` line.

    Returns the row count and the offset just past the ``\\.``.
    """
    newline = text.find("\n", semicolon)
    if newline < 0:
        raise _unterminated(text, len(text), name, "COPY data")
    terminator = text.find("\n\\.\n", newline)
    if terminator < 0:
        if text.endswith("\n\\.") and len(text) - 3 >= newline:
            terminator = len(text) - 3
        else:
            raise _unterminated(text, newline + 1, name, "COPY data")
    return text.count("\n", newline + 1, terminator + 1), terminator + 3


def _routine_depth(
    text: str, state: tuple[int, int, int], end: int, name: str
) -> tuple[int, int, int]:
    """Advance psql's BEGIN/END bookkeeping over ``text[state[0]:end]``.

    ``state`` is ``(offset, parenthesis depth, block depth)``. As in psqlscan.l, BEGIN opens
    and END closes a block only outside parentheses, and CASE (which also ends with END)
    counts only inside a block.
    """
    pos, parens, depth = state
    while True:
        match = _ROUTINE_TOKEN.search(text, pos, end)
        if match is None:
            return end, parens, depth
        pos = match.end()
        kind = match.lastgroup
        if kind == "word":
            if parens == 0:
                word = match[0].lower()
                if word == "begin":
                    depth += 1
                elif word == "case":
                    if depth >= 1:
                        depth += 1
                elif word == "end" and depth > 0:
                    depth -= 1
        elif kind == "open":
            parens += 1
        elif kind == "close":
            parens = max(parens - 1, 0)
        elif kind == "comment":
            pos = _skip_block_comment(text, match.start(), name)


def _unterminated(text: str, pos: int, name: str, what: str) -> ParseError:
    line = text.count("\n", 0, pos) + 1
    column = pos - text.rfind("\n", 0, pos)
    line_text, caret = line_excerpt(text, pos)
    return ParseError(
        f"unterminated {what} starting at line {line}",
        span=SourceSpan(name, line, column, line),
        line_text=line_text,
        caret_column=caret,
    )
