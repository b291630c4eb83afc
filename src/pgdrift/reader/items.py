"""What the reader produces: decoded sources, statements and psql meta-commands, and the
layout that places the statements of a custom-format archive."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import attrs

from pgdrift.source import SourceSpan, TocEntry


@attrs.frozen
class Statement:
    """One SQL statement of a dump, where it came from and which pg_dump entry it belongs to.

    ``text`` runs from the statement's first character (comments and blank lines before it are
    not part of it) to just before its terminating ``;``. ``offset`` is where ``text`` starts in
    :attr:`Source.text`. ``database`` is the database the last ``\\connect`` chose (pg_dumpall
    files), else None. ``copy_rows`` counts the data lines of a ``COPY ... FROM stdin`` block,
    which are skipped. ``in_archive`` marks statements read from a custom-format archive: their
    span's ``line`` is the TOC entry's dump id, not a line number. ``sent_with`` is the psql
    meta-command that sent the statement instead of a ``;`` (``gexec``, ``g``...), if one did;
    ``unknown`` says why what the statement does cannot be known offline (it runs only if a
    psql ``\\if`` on a query's result holds, or uses a variable a query set), if it cannot.
    """

    text: str
    span: SourceSpan
    toc: TocEntry | None
    database: str | None
    offset: int
    copy_rows: int = 0
    in_archive: bool = False
    sent_with: str | None = None
    unknown: str | None = None


@attrs.frozen
class MetaCommand:
    """A psql backslash command between statements: ``\\connect db``, ``\\restrict key``...

    ``name`` is the command without its backslash (``connect``, ``c``, ``restrict``, ``.``);
    ``argument`` is the rest of its line, stripped.
    """

    name: str
    argument: str
    span: SourceSpan


@attrs.frozen
class Source:
    """A decoded input: its display name and its text, with line ends normalised to ``\\n``.

    For a custom-format archive (read by :mod:`pgdrift.reader.archive_toc`), ``text`` is the
    script pg_restore would print for it and ``archive`` records which TOC entry each part of
    that script came from.
    """

    name: str
    text: str = attrs.field(repr=False)
    archive: ArchiveLayout | None = attrs.field(default=None, repr=False)


@attrs.frozen
class ArchiveLayout:
    """Which TOC entry each stretch of a rendered archive script came from.

    ``starts`` are the offsets where each entry's part of the script begins; ``dump_ids`` and
    ``entries`` are its dump id (0 for the preamble) and :class:`TocEntry`, position for
    position.
    """

    starts: tuple[int, ...]
    dump_ids: tuple[int, ...]
    entries: tuple[TocEntry | None, ...]

    def relocate(
        self, items: Sequence[Statement | MetaCommand], name: str
    ) -> list[Statement | MetaCommand]:
        """``items`` split from the rendered script, with spans and TOC entries of the archive."""
        relocated: list[Statement | MetaCommand] = []
        for item in items:
            if not isinstance(item, Statement):
                relocated.append(item)
                continue
            index = bisect.bisect_right(self.starts, item.offset) - 1
            dump_id = self.dump_ids[index]
            relocated.append(
                attrs.evolve(
                    item,
                    span=SourceSpan(name, dump_id, 1, dump_id),
                    toc=self.entries[index] if item.toc is not None else None,
                    in_archive=True,
                )
            )
        return relocated
