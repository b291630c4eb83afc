"""Exceptions raised by pgdrift.

Every failure pgdrift reports is a :class:`Error`; each failure mode has its own subclass so a
caller can catch exactly what it expects. Errors that concern a place in a dump carry a
:class:`~pgdrift.source.SourceSpan` and render it with the offending line and a caret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pgdrift.source import SourceSpan


class Error(Exception):
    """Root of every exception pgdrift raises on purpose."""

    def __init__(self, message: str, *, span: SourceSpan | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span

    def one_line(self) -> str:
        """The error as a single line, ``file:line:column: message``, as the CLI prints it."""
        if self.span is None:
            return self.message
        return f"{self.span.location()}: {self.message}"

    def __str__(self) -> str:
        return self.one_line()


class InputError(Error):
    """The input could not be read as text at all (missing file, bad gzip, wrong encoding...)."""


class ArchiveFormatError(InputError):
    """The input is a pg_dump custom, tar or directory archive rather than a plain SQL script."""


class NotAnArchiveError(ArchiveFormatError):
    """Read as a custom-format archive, the input has no ``PGDMP`` header or another format."""


class TruncatedArchiveError(ArchiveFormatError):
    """A custom-format archive whose header or table of contents ends early or is damaged."""


class UnsupportedArchiveVersionError(ArchiveFormatError):
    """A custom-format archive of a version pgdrift does not read (it names the version)."""


class NotADumpError(InputError):
    """The input is readable text but clearly not PostgreSQL SQL (a MySQL or SQLite dump...)."""


class ParseError(Error):
    """A statement could not be parsed.

    Carries the statement's text and the exact position of the error; :meth:`render` draws the
    offending line with a caret under the error position.
    """

    def __init__(
        self,
        message: str,
        *,
        span: SourceSpan | None = None,
        statement: str = "",
        line_text: str = "",
        caret_column: int = 0,
    ) -> None:
        super().__init__(message, span=span)
        self.statement = statement
        self.line_text = line_text
        self.caret_column = caret_column

    @property
    def line(self) -> int | None:
        return None if self.span is None else self.span.line

    @property
    def column(self) -> int | None:
        return None if self.span is None else self.span.column

    @property
    def file(self) -> str | None:
        return None if self.span is None else self.span.file

    def render(self) -> str:
        """Multi-line rendering: location and message, the offending line, a caret under it."""
        head = self.one_line()
        if not self.line_text:
            return head
        caret = " " * max(self.caret_column - 1, 0) + "^"
        return f"{head}\n    {self.line_text}\n    {caret}"


class ModelError(Error):
    """The statements parse but contradict each other (duplicate objects, ALTER of nothing...)."""


class DuplicateObjectError(ModelError):
    """Two statements define the same object.

    ``condition`` is the name of the error PostgreSQL raises for it (errcodes.txt), which a
    PL/pgSQL ``EXCEPTION WHEN`` handler names: ``duplicate_table`` for a relation,
    ``duplicate_schema``, ``duplicate_function``, ``duplicate_column``, else
    ``duplicate_object``.
    """

    def __init__(
        self,
        message: str,
        *,
        span: SourceSpan | None = None,
        condition: str = "duplicate_object",
    ) -> None:
        super().__init__(message, span=span)
        self.condition = condition


class UndefinedObjectError(ModelError):
    """A statement alters or comments on an object no earlier statement created."""


class DependentObjectsError(ModelError):
    """A DROP without CASCADE of an object others depend on; PostgreSQL refuses it the same way.

    ``dependents`` names what depends on it (``str`` of each id, sorted).
    """

    def __init__(
        self, message: str, *, dependents: Sequence[str] = (), span: SourceSpan | None = None
    ) -> None:
        super().__init__(message, span=span)
        self.dependents = tuple(dependents)


class DatabaseSelectionError(Error):
    """A pg_dumpall file holds several databases and the caller did not pick one (or picked one
    that is not there)."""

    def __init__(self, message: str, *, databases: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.databases = tuple(databases)


class PlanError(Error):
    """A migration cannot be planned (a dependency cycle, a change with no safe DDL...)."""


class ConfigError(Error):
    """``[tool.pgdrift]`` cannot be read, or holds an unknown key or a value of the wrong type."""


class GitError(InputError):
    """A ``REV:path`` input could not be read from git."""
