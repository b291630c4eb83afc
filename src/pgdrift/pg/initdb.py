"""Objects initdb puts in every database that no pg_dump writes, nor anything said about them.

pg_dump skips the extensions initdb installed (plpgsql, with its comment: ``selectDumpable
Extension`` leaves out what is older than the first user object) and reads only procedural
languages (``lanispl``), so the built-in languages ``internal``, ``c`` and ``sql`` and their
privileges are never in a dump (docs: pg_dump, "Notes"). A script's COMMENT or GRANT on one
of them changes the database, but nothing that a dump of it shows.
"""

from __future__ import annotations

#: (kind, name) of the objects every database has and pg_dump never writes.
NEVER_DUMPED = frozenset({
    ("extension", "plpgsql"),
    ("language", "internal"),
    ("language", "c"),
    ("language", "sql"),
})  # fmt: skip


#: Members of an extension initdb installs (LANGUAGE plpgsql of the plpgsql extension): pg_dump
#: writes the privileges granted on them (pg_init_privs) but not their comments or labels.
EXTENSION_MEMBERS = frozenset({("language", "plpgsql")})


def never_dumped(kind: str, name: str) -> bool:
    """Whether the object initdb made is one that no pg_dump writes.

    >>> never_dumped("language", "sql"), never_dumped("language", "plpgsql")
    (True, False)
    """
    return (kind, name) in NEVER_DUMPED
