"""pglast's files, found without importing pglast: importing it runs its parser's module and
builds about a thousand enums (some 20 ms), which a diff read from the cache never needs."""

from __future__ import annotations

import importlib.util
import os

__all__ = ["pglast_file"]


def pglast_file(name: str) -> str | None:
    """The path of ``name`` in pglast's package folder, or None where pglast is not installed
    as files (then the caller imports it).

    >>> pglast_file("keywords.py").endswith("keywords.py")
    True
    """
    spec = importlib.util.find_spec("pglast")  # finds the package without running it
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        return None
    path = os.path.join(next(iter(folders)), name)
    return path if os.path.isfile(path) else None
