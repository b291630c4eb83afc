r"""A directory of migration files, in the order its tool applies them.

Migration tools name files so that their order is the order of a version in the name:
Supabase, dbmate and Rails-style timestamps (``20240101120000_add_users.sql``), Flyway
(``V1__init.sql`` < ``V1.1__more.sql`` < ``V2__x.sql``; repeatable ``R__views.sql`` after all
versioned ones; undo ``U2__x.sql`` never), golang-migrate (``000001_init.up.sql``; ``.down.sql``
never), Prisma (``migrations/20240101_init/migration.sql``). Versions compare as numbers, part
by part; files without a version come last, in name order. dbmate files hold both directions:
only their ``-- migrate:up`` sections are read.

>>> names = ["V2__b.sql", "V1.1__a.sql", "V10__c.sql", "V1__init.sql", "R__views.sql"]
>>> sorted(names, key=migration_key)
['V1__init.sql', 'V1.1__a.sql', 'V2__b.sql', 'V10__c.sql', 'R__views.sql']
"""

from __future__ import annotations

import re
from pathlib import Path

from pgdrift.errors import InputError

__all__ = [
    "ORDERS",
    "dbmate_up",
    "is_glob",
    "migration_files",
    "migration_key",
    "ordered_files",
]

#: The orders ``--order`` names; anything else is a file that lists the order.
ORDERS = ("version", "name")

_VERSIONED = re.compile(r"(?:[Vv](?=\d))?(\d+(?:[._]\d+)*)(?=\D|$)(.*)", re.DOTALL)
_SKIPPED_SUFFIXES = (".down.sql",)
_FLYWAY_UNDO = re.compile(r"[Uu]\d")
_FLYWAY_REPEATABLE = re.compile(r"[Rr]__")


def migration_key(name: str) -> tuple[int, tuple[int, ...], str]:
    """Sort key of a migration file name: (group, version, name).

    >>> migration_key("20240101120000_add_users.sql")[:2]
    (0, (20240101120000,))
    >>> migration_key("1_init.up.sql")[:2], migration_key("V1_1__x.sql")[:2]
    ((0, (1,)), (0, (1, 1)))
    """
    if _FLYWAY_REPEATABLE.match(name):
        return (1, (), name)
    match = _VERSIONED.match(name)
    if match is None:
        return (2, (), name)
    version = tuple(int(part) for part in re.split(r"[._]", match.group(1)))
    return (0, version, name)


def migration_files(
    directory: Path, order: str | None = None, *, display: str | None = None
) -> list[Path]:
    """The SQL files of a migration directory, in the order they are applied.

    A directory whose subdirectories hold ``migration.sql`` (Prisma) is read through them, in
    the order of the subdirectory names; otherwise the ``.sql`` files directly inside it.
    ``order`` (see :func:`ordered_files`) overrides the tool's version order; ``display`` is
    the directory's name in messages.
    """
    prisma = [d / "migration.sql" for d in directory.iterdir() if (d / "migration.sql").is_file()]
    if prisma:
        if order is not None:
            return ordered_files(prisma, order, base=directory)
        return sorted(prisma, key=lambda p: migration_key(p.parent.name))
    files = [
        p
        for p in directory.iterdir()
        if p.is_file()
        and p.name.lower().endswith(".sql")
        and not p.name.lower().endswith(_SKIPPED_SUFFIXES)
        and not _FLYWAY_UNDO.match(p.name)
    ]
    if not files:
        raise InputError(f"{display or directory}: no .sql files to read in this directory")
    if order is not None:
        return ordered_files(files, order, base=directory)
    return sorted(files, key=lambda p: migration_key(p.name))


def ordered_files(files: list[Path], order: str, *, base: Path | None = None) -> list[Path]:
    """``files`` in ``order``: ``version`` (the tools' version order, :func:`migration_key`),
    ``name`` (plain code-point order of the names), or the path of a text file listing them.

    An order file names one file per line, relative to ``base`` (the directory read) or as
    given; blank lines and ``#`` comments are skipped, and only the first word of a line counts
    (so a sqitch plan's ``name date author`` lines work with the ``.sql`` added). Files the list
    does not name are an error, as are names that are not among ``files``: an order that leaves
    out a migration would silently drop it.
    """
    if order == "version":
        return sorted(files, key=lambda p: migration_key(p.name if p.name != "migration.sql"
                                                           else p.parent.name))  # fmt: skip
    if order == "name":
        return sorted(files, key=str)
    return _listed_order(files, Path(order), base)


def _listed_order(files: list[Path], listing: Path, base: Path | None) -> list[Path]:
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        known = ", ".join(ORDERS)
        raise InputError(f"--order {listing}: not {known}, and not a file that can be read "
                         f"({exc.strerror or exc})") from None  # fmt: skip
    by_name: dict[str, Path] = {}
    for path in files:
        for alias in _aliases(path, base):
            by_name.setdefault(alias, path)
    ordered: list[Path] = []
    for number, line in enumerate(lines, 1):
        words = line.split("#", 1)[0].split()
        if not words or words[0].startswith(("%", "@")):  # sqitch pragmas and tags
            continue
        name = words[0]
        found = by_name.get(name) or by_name.get(f"{name}.sql")
        if found is None:
            raise InputError(f"{listing}:{number}: {name} is not one of the files read")
        if found in ordered:
            raise InputError(f"{listing}:{number}: {name} is listed twice")
        ordered.append(found)
    left_out = [str(p) for p in files if p not in ordered]
    if left_out:
        raise InputError(f"{listing}: does not list {', '.join(sorted(left_out))}")
    return ordered


def _aliases(path: Path, base: Path | None) -> list[str]:
    names = [str(path), path.name]
    if base is not None and path.is_relative_to(base):
        names.insert(0, path.relative_to(base).as_posix())
    return names


def is_glob(spec: str) -> bool:
    """Whether ``spec`` is a glob pattern rather than a path: it has ``*``, ``?`` or ``[``
    and no file of that very name exists.

    >>> is_glob("migrations/*.sql"), is_glob("dump.sql")
    (True, False)
    """
    return any(c in spec for c in "*?[") and not Path(spec).exists()


_DBMATE = re.compile(r"^--\s*migrate:(up|down)\b.*$", re.MULTILINE)


def dbmate_up(text: str) -> str:
    r"""The ``-- migrate:up`` sections of a dbmate file (the whole text if it has none); the
    lines of the other sections become empty, so line numbers stay those of the file.

    >>> dbmate_up("-- migrate:up\nCREATE TABLE t ();\n-- migrate:down\nDROP TABLE t;\n")
    '-- migrate:up\nCREATE TABLE t ();\n\n\n'
    """
    markers = list(_DBMATE.finditer(text))
    if not markers:
        return text
    parts = [text[: markers[0].start()]]
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        section = text[marker.start() : end]
        if marker.group(1) == "up":
            parts.append(section)
        else:
            parts.append("\n" * section.count("\n"))
    return "".join(parts)
