"""Parsing statements with pglast, with errors placed in the dump file.

:func:`parse_statement` returns the JSON parse tree of one statement as plain dicts
(``{"CreateStmt": {...}}``); a pglast syntax error becomes a :class:`~pgdrift.errors.ParseError`
at the file, line and column of the offending token, with the line and a caret::

    >>> from pgdrift.reader import source_from_text, split_statements
    >>> [stmt] = split_statements(source_from_text("CREATE TABLE t (a int);"))
    >>> list(parse_statement(stmt))
    ['CreateStmt']

Parsing a dump allocates millions of small dicts and lists that the cyclic garbage collector
would scan over and over, though none of them is in a cycle; :func:`gc_paused` switches it off
for the duration, which roughly halves the time to split and parse a 10 MB dump.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pglast.parser

from pgdrift.errors import ParseError
from pgdrift.source import SourceSpan

if TYPE_CHECKING:
    from pgdrift.reader import MetaCommand, Source, Statement

__all__ = ["gc_paused", "parse_statement", "parse_statements"]

Node = dict[str, Any]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block; restore its state after.

    Reference counting still frees everything that is not in a cycle, so memory does not grow
    beyond what the block keeps; nesting is safe.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_statement(stmt: Statement, *, source: Source | None = None) -> Node | None:
    """The parse tree of ``stmt``: its single ``{"NodeType": {...}}``, or None if it is empty.

    Args:
        source: the statement's :class:`~pgdrift.reader.Source`, if at hand, so an error shows
            the whole source line; without it the line is rebuilt from the statement text.

    Raises:
        ParseError: pglast rejects the statement; ``span`` is the error's place in the file.
    """
    try:
        tree = json.loads(pglast.parser.parse_sql_json(stmt.text))
    except pglast.parser.ParseError as error:
        message = str(error.args[0]) if error.args else str(error)
        location = error.args[1] if len(error.args) > 1 else None
        raise located_error(stmt, message, location, source=source) from None
    statements = tree.get("stmts", [])
    if not statements:
        return None
    if len(statements) > 1:
        raise located_error(stmt, "more than one statement where one was expected", None)
    node: Node = statements[0]["stmt"]
    return node


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
    from pgdrift.reader import Statement  # noqa: PLC0415 - reader imports nothing from here

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
    """
    text = stmt.text
    if location is None or not 0 <= location <= len(text):
        location = len(text)
    newlines = text.count("\n", 0, location)
    line_start = text.rfind("\n", 0, location) + 1
    line_end = text.find("\n", location)
    line_part = text[line_start : line_end if line_end >= 0 else len(text)]
    span = stmt.span
    if stmt.in_archive:
        # Archive spans name a TOC entry (line = dump id); say where in the statement instead.
        column = location - line_start + 1
        return ParseError(
            f"{message} (line {newlines + 1}, column {column} of the statement)",
            span=span,
            statement=text,
            line_text=line_part,
            caret_column=column,
        )
    line = span.line + newlines
    if newlines == 0:
        column = span.column + location
        line_text = " " * (span.column - 1) + line_part
    else:
        column = location - line_start + 1
        line_text = line_part
    if source is not None and source.archive is None:
        absolute = stmt.offset + location
        start = source.text.rfind("\n", 0, absolute) + 1
        end = source.text.find("\n", absolute)
        line_text = source.text[start : end if end >= 0 else len(source.text)]
    return ParseError(
        message,
        span=SourceSpan(span.file, line, column, line),
        statement=text,
        line_text=line_text,
        caret_column=column,
    )
