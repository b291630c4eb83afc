"""Project settings for ``pgdrift diff`` from ``[tool.pgdrift]`` in ``pyproject.toml``, and for
``pgdrift lint`` from its sub-table ``[tool.pgdrift.lint]``.

The file is found by walking up from the current directory. The keys are ``format``, ``color``,
``encoding``, ``order`` (how several files are ordered) and ``role`` (who runs SQL scripts, as
``--role``) for the commands themselves, and the fields of
:class:`~pgdrift.diff_options.DiffOptions` that have a command-line flag, by their field names
(``exclude_schemas = ["auth"]``, ``preset = "supabase"``, ``labels = ["dev", "prod"]``);
options given on the command line win. ``ignore_whitespace``, the older name of
``ignore_body_whitespace``, is still read.

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

from pgdrift.diff_options import option_fields
from pgdrift.errors import ConfigError

_LIST = "list of strings"
_BOOL = "boolean"
_STR = "string"
_TYPES = {"list": _LIST, "pair": _LIST, "switch": _BOOL, "choice": _STR}

#: Every key ``[tool.pgdrift]`` may hold, with the type it must have: the command's own
#: settings, then the diff options.
KEYS: dict[str, str] = {
    "format": _STR,
    "color": _STR,
    "encoding": _STR,
    "order": _STR,
    "role": _STR,
    **{name: _TYPES[option.kind] for name, option in option_fields()},
}
_OPTIONS = dict(option_fields())

_TABLE = "table of strings"
#: The keys of ``[tool.pgdrift.lint]`` (the fields of pgdrift.linter.LintOptions, and the lint
#: command's own settings), with their types. Kept here, not imported from pgdrift.linter, so
#: that reading the file does not load the rules (tests/test_lint_cli.py checks they agree).
LINT_KEYS: dict[str, str] = {
    "select": _LIST, "ignore": _LIST, "exclude": _LIST, "exposed_schemas": _LIST,
    "api_roles": _LIST, "severity": _TABLE, "preset": _STR, "fail_on": _STR, "format": _STR,
}  # fmt: skip
#: Allowed values of the lint settings that are a choice.
LINT_CHOICES: dict[str, tuple[str, ...]] = {
    "preset": ("supabase",), "fail_on": ("error", "warning", "info", "never"),
    "format": ("text", "json", "sarif", "github"),
}  # fmt: skip
_LEVELS = ("error", "warning", "info")
#: Older key -> the key it is now read as.
OLD_KEYS: dict[str, str] = {
    old: name for name, option in option_fields() for old in option.old_keys
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
    if "pgdrift" not in text:
        return {}, path  # no [tool.pgdrift] in it: not parsed (nor tomllib imported)
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
    """The settings with their types checked, lists as tuples, and each diff option's value
    checked and parsed as its command-line flag would be.

    Example:
        >>> check_config({"exclude_schemas": ["auth"], "detect_renames": True})
        {'exclude_schemas': ('auth',), 'detect_renames': True}
        >>> check_config({"labels": ["dev", "prod"], "renames": ["users.name=full_name"]})
        {'labels': ('dev', 'prod'), 'renames': (('users.name', 'full_name'),)}
    """
    result: dict[str, Any] = {}
    for old, new in OLD_KEYS.items():
        if old in table and new in table:
            raise ConfigError(f"{path}: [tool.pgdrift] has both {old!r} and {new!r}; keep {new!r}")
    for given_key, given in table.items():
        if given_key == "lint":
            if not isinstance(given, dict):
                raise ConfigError(f"{path}: [tool.pgdrift.lint] must be a table")
            result["lint"] = check_lint_config(given, path)
            continue
        key = OLD_KEYS.get(given_key, given_key)
        value = given
        expected = KEYS.get(key)
        if expected is None:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{path}: [tool.pgdrift] has unknown key {key!r}; known: {known}")
        if expected == _LIST:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: [tool.pgdrift] {given_key} must be a {expected}")
            value = tuple(value)
        elif expected == _BOOL and not isinstance(value, bool):
            raise ConfigError(f"{path}: [tool.pgdrift] {given_key} must be true or false")
        elif expected == _STR and not isinstance(value, str):
            raise ConfigError(f"{path}: [tool.pgdrift] {given_key} must be a {expected}")
        result[key] = _parsed(key, value, f"{path}: [tool.pgdrift]")
    return result


def _parsed(key: str, value: Any, where: str) -> Any:
    """A diff option's value as its flag's parser makes it (others as they are)."""
    option = _OPTIONS.get(key)
    if option is None:
        return value
    if option.choices and value not in option.choices:
        raise ConfigError(f"{where} {key} must be one of {', '.join(option.choices)}, "
                          f"not {value!r}")  # fmt: skip
    if option.parse is None:
        return value
    try:
        if option.kind == "pair":
            return option.parse(",".join(value))
        return tuple(option.parse(v) for v in value)
    except ValueError as exc:
        raise ConfigError(f"{where} {key}: {exc}") from None


def check_lint_config(
    table: Mapping[str, Any], path: Path | str = "pyproject.toml"
) -> dict[str, Any]:
    """``[tool.pgdrift.lint]`` with its types and choices checked, lists as tuples. Rule codes
    are checked when the rules run (an unknown one is a ConfigError then).

    Example:
        >>> check_lint_config({"ignore": ["PD102"], "severity": {"PD101": "error"}})
        {'ignore': ('PD102',), 'severity': {'PD101': 'error'}}
    """
    where = f"{path}: [tool.pgdrift.lint]"
    result: dict[str, Any] = {}
    for key, given in table.items():
        value = given
        expected = LINT_KEYS.get(key)
        if expected is None:
            raise ConfigError(f"{where} has unknown key {key!r}; known: {', '.join(LINT_KEYS)}")
        if expected == _LIST:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where} {key} must be a {expected}")
            value = tuple(value)
        elif expected == _TABLE:
            if not isinstance(value, dict) or not all(v in _LEVELS for v in value.values()):
                raise ConfigError(f"{where} {key} must map rule codes to one of "
                                  f"{', '.join(_LEVELS)}")  # fmt: skip
            value = dict(value)
        elif not isinstance(value, str) or value not in LINT_CHOICES.get(key, (value,)):
            raise ConfigError(f"{where} {key} must be one of "
                              f"{', '.join(LINT_CHOICES.get(key, ('a string',)))}")  # fmt: skip
        result[key] = value
    return result
