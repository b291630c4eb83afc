r"""psql's ``\i`` / ``\include`` and ``\ir`` / ``\include_relative``: the named file's
statements take the command's place, as psql runs them (docs: psql, "Meta-Commands").

``\ir`` is relative to the directory of the file that says it; ``\i`` to the working
directory, where psql was started. Statements keep the span of the file they are in, so an
error points into the included file. Includes nest; an include cycle is an error (psql would
recurse until it runs out of file descriptors). :func:`pgdrift.reader.psql_script.run_script`
runs them, with psql's other script commands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pgdrift.reader.items import MetaCommand, Statement

__all__ = ["INCLUDE_COMMANDS", "Reader", "include_target"]

#: Meta-commands that include a file, and whether the path is relative to the including file.
INCLUDE_COMMANDS = {"i": False, "include": False, "ir": True, "include_relative": True}

Reader = Callable[[Path], Sequence[Statement | MetaCommand]]


def include_target(command: str, argument: str, origin: Path | None) -> Path:
    """The file ``\\command argument`` includes, read from ``origin`` (None: not a file).

    >>> include_target("ir", "'my file.sql'", Path("db/schema.sql")).as_posix()
    'db/my file.sql'
    """
    argument = argument.strip()
    if len(argument) >= 2 and argument[0] == argument[-1] == "'":
        argument = argument[1:-1].replace("''", "'")
    path = Path(argument)
    if path.is_absolute():
        return path
    relative = INCLUDE_COMMANDS[command]
    base = origin.parent if relative and origin is not None else Path.cwd()
    return base / path
