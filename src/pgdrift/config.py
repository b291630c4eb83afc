"""Project settings for ``pgdrift diff`` from ``[tool.pgdrift]`` in ``pyproject.toml``.

The file is found by walking up from the current directory. Keys are named like the command's
options with underscores (``exclude_schemas = ["auth"]``, ``preset = "supabase"``,
``labels = ["dev", "prod"]``); options given on the command line win.

Python 3.10 has no ``tomllib``: there the table is read with ``tomli`` if it happens to be
installed, and a ``[tool.pgdrift]`` table that cannot be read is an error (pgdrift does not
depend on a TOML parser just for this).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pgdrift.errors import ConfigError

_LIST = "list of strings"
_BOOL = "boolean"
_STR = "string"

#: Every key ``[tool.pgdrift]`` may hold, with the type it must have.
KEYS: dict[str, str] = {
    "format": _STR,
    "labels": _LIST,
    "color": _STR,
    "preset": _STR,
    "include_schemas": _LIST,
    "exclude_schemas": _LIST,
    "include_kinds": _LIST,
    "exclude_kinds": _LIST,
    "include": _LIST,
    "exclude": _LIST,
    "renames": _LIST,
    "detect_renames": _BOOL,
    "ignore_owners": _BOOL,
    "ignore_privileges": _BOOL,
    "ignore_comments": _BOOL,
    "ignore_whitespace": _BOOL,
    "encoding": _STR,
}

# Where a [tool.pgdrift] table starts without a TOML parser to tell: its header (or a
# sub-table's), or a top-level dotted key ``tool.pgdrift.x = ...``.
_TABLE_START = re.compile(
    r"^\s*(\[\s*tool\s*\.\s*pgdrift\s*[\].]|tool\s*\.\s*pgdrift\s*[.=])", re.MULTILINE
)


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` (default: the current directory) or above."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None) -> tuple[dict[str, Any], Path | None]:
    """The checked ``[tool.pgdrift]`` settings of the nearest ``pyproject.toml`` and its path
    (``{}`` and the path, or None, when there is no such table).

    Raises:
        ConfigError: the table exists but cannot be read or holds a bad key or value.
    """
    path = find_pyproject(start)
    if path is None:
        return {}, None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    data = _parse_toml(text, path)
    tool = data.get("tool", {})
    table = tool.get("pgdrift") if isinstance(tool, dict) else None
    if table is None:
        return {}, path
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.pgdrift] must be a table")
    return check_config(table, path), path


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib as toml  # noqa: PLC0415
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as toml  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415
        except ModuleNotFoundError:
            if _TABLE_START.search(text):
                raise ConfigError(
                    f"{path}: [tool.pgdrift] needs Python 3.11 or later (tomllib), or the "
                    "tomli package, to be read; pass the options on the command line instead"
                ) from None
            return {}
    try:
        return dict(toml.loads(text))
    except toml.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def check_config(table: Mapping[str, Any], path: Path | str = "pyproject.toml") -> dict[str, Any]:
    """The settings with their types checked and lists as tuples.

    Example:
        >>> check_config({"exclude_schemas": ["auth"], "detect_renames": True})
        {'exclude_schemas': ('auth',), 'detect_renames': True}
    """
    result: dict[str, Any] = {}
    for key, given in table.items():
        value = given
        expected = KEYS.get(key)
        if expected is None:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{path}: [tool.pgdrift] has unknown key {key!r}; known: {known}")
        if expected == _LIST:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: [tool.pgdrift] {key} must be a {expected}")
            value = tuple(value)
        elif expected == _BOOL and not isinstance(value, bool):
            raise ConfigError(f"{path}: [tool.pgdrift] {key} must be true or false")
        elif expected == _STR and not isinstance(value, str):
            raise ConfigError(f"{path}: [tool.pgdrift] {key} must be a {expected}")
        result[key] = value
    return result
