r"""psql's ``\i`` / ``\include`` and ``\ir`` / ``\include_relative``: the named file's
statements take the command's place, as psql runs them (docs: psql, "Meta-Commands").

``\ir`` is relative to the directory of the file that says it; ``\i`` to the working
directory, where psql was started. Statements keep the span of the file they are in, so an
error points into the included file. Includes nest; an include cycle is an error (psql would
recurse until it runs out of file descriptors).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pgdrift.errors import InputError
from pgdrift.reader.items import MetaCommand, Statement

__all__ = ["INCLUDE_COMMANDS", "expand_includes"]

#: Meta-commands that include a file, and whether the path is relative to the including file.
INCLUDE_COMMANDS = {"i": False, "include": False, "ir": True, "include_relative": True}

Reader = Callable[[Path], Sequence[Statement | MetaCommand]]


def expand_includes(
    items: Sequence[Statement | MetaCommand],
    origin: Path | None,
    read: Reader,
    *,
    _stack: tuple[Path, ...] = (),
) -> list[Statement | MetaCommand]:
    r"""``items`` with each include command replaced by the included file's items.

    ``origin`` is the file ``items`` came from (None for text not read from a file: ``\ir``
    is then relative to the working directory too); ``read`` reads and splits one file.

    >>> from pgdrift.source import SourceSpan
    >>> items = [MetaCommand("echo", "hi", SourceSpan("a.sql", 1, 1, 1))]
    >>> expand_includes(items, None, read=lambda path: []) == items
    True
    """
    if not any(isinstance(i, MetaCommand) and i.name in INCLUDE_COMMANDS for i in items):
        return list(items)
    result: list[Statement | MetaCommand] = []
    for item in items:
        if not isinstance(item, MetaCommand) or item.name not in INCLUDE_COMMANDS:
            result.append(item)
            continue
        target = _target(item, origin)
        resolved = target.resolve()
        if resolved in _stack:
            raise InputError(
                f"{item.span.location()}: \\{item.name} {item.argument} includes itself "
                f"(through {' -> '.join(p.name for p in _stack)})"
            )
        if not target.is_file():
            raise InputError(f"{item.span.location()}: \\{item.name}: no such file {target}")
        included = read(target)
        result.extend(expand_includes(included, target, read, _stack=(*_stack, resolved)))
    return result


def _target(command: MetaCommand, origin: Path | None) -> Path:
    argument = command.argument.strip()
    if len(argument) >= 2 and argument[0] == argument[-1] == "'":
        argument = argument[1:-1].replace("''", "'")
    path = Path(argument)
    if path.is_absolute():
        return path
    relative = INCLUDE_COMMANDS[command.name]
    base = origin.parent if relative and origin is not None else Path.cwd()
    return base / path
