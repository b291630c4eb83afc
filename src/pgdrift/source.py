"""Where things come from: source spans and pg_dump table-of-contents headers.

pg_dump precedes every object it writes with a comment block such as::

    --
    -- Name: users; Type: TABLE; Schema: public; Owner: postgres
    --

:class:`TocEntry` is that header, parsed; :class:`SourceSpan` is a statement's place in a file.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class SourceSpan:
    """A statement's position: file name, 1-based line and column of its first character, and
    the 1-based line of its last character."""

    file: str
    line: int
    column: int
    end_line: int

    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@attrs.frozen
class TocEntry:
    """A parsed ``-- Name: ...; Type: ...; Schema: ...; Owner: ...`` header.

    ``schema`` and ``owner`` are None where pg_dump prints ``-``; ``line`` is the header's line.
    ``data`` is true for ``-- Data for Name: ...`` headers (COPY blocks of a full dump).
    """

    name: str
    type: str
    schema: str | None
    owner: str | None
    line: int
    tablespace: str | None = None
    data: bool = False
