"""Deeply nested statements: how deep pgdrift reads, and room to walk what it reads.

PostgreSQL accepts expressions nested thousands of levels deep (with the default
``max_stack_depth`` of 2 MB, a view of a 5,000-term ``1 + 1 + ...`` restores and dumps), but
pgdrift walks parse trees with recursive Python, bounded by the interpreter's recursion limit.
So a statement is refused, with a :class:`~pgdrift.errors.ParseError`, when its libpg_query JSON
is nested more than :data:`MAX_NESTING` levels deep: about 240 chained binary operators, 95
nested ``CASE`` expressions or 65 nested sub-selects. Everything up to that depth is read,
compared, serialised and printed; :func:`recursion_room` gives the printer, which spends several
Python frames per level, the frames it needs.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import sys
import threading
from collections.abc import Iterator

__all__ = ["MAX_NESTING", "json_nesting", "recursion_room"]

#: The deepest libpg_query JSON (objects and arrays) a statement may have. Comparing two trees
#: this deep recurses about 1.5 times as deep in C (tuple comparison), which must stay well
#: inside the default recursion limit of 1,000 together with the caller's own frames.
MAX_NESTING = 500

# A JSON string, whose text may hold brackets; libpg_query escapes '"' and '\' inside it.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"{": 1, "[": 1, "}": -1, "]": -1}


def json_nesting(json_text: str, limit: int = MAX_NESTING) -> int:
    """How deeply ``json_text`` nests objects and arrays, or any number <= ``limit`` when it
    cannot exceed it (then nothing is counted: the common case costs a ``len`` or two
    ``str.count``).

    >>> json_nesting('{"a": [{"b": "{[{["}]}', limit=1)
    3
    """
    # Each level takes an opening and a closing bracket: a short text cannot nest deeply (most
    # statements of a dump, whose JSON is under a kilobyte, are settled by its length alone).
    if len(json_text) <= 2 * limit or json_text.count("{") + json_text.count("[") <= limit:
        return 0
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", json_text))
    return max(itertools.accumulate(_STEP[char] for char in brackets), default=0)


#: Frames added to the recursion limit while deeply nested trees are printed: printing a tree
#: :data:`MAX_NESTING` levels deep takes about 1,750 frames (measured on CPython 3.11).
ROOM = 3000

_lock = threading.Lock()
_users = 0
_saved_limit = 0


@contextlib.contextmanager
def recursion_room(frames: int = ROOM) -> Iterator[None]:
    """Raise the recursion limit by ``frames`` inside the block; restore it after.

    The limit is process-wide, so the first block to enter raises it and the last to leave
    restores it, whatever the threads. The C stack is not at risk: what runs inside walks trees
    no deeper than :data:`MAX_NESTING`, and a test runs it in a thread with a 1 MiB stack.
    """
    global _users, _saved_limit  # noqa: PLW0603 - one process-wide limit, one counter
    with _lock:
        if _users == 0:
            _saved_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(_saved_limit + frames)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                sys.setrecursionlimit(_saved_limit)
