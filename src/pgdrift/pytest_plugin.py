"""pytest plugin: a loaded dump as a fixture, and readable failures for schema comparisons.

Installed with pgdrift (entry point ``pytest11``), so it is loaded into every pytest run of every
project where pgdrift is installed: importing it pulls in nothing beyond pytest, and nothing
happens unless a test asks for one of its fixtures.

Configuration (``pytest.ini``, ``[tool.pytest.ini_options]`` or ``setup.cfg``)::

    [pytest]
    pgdrift_dump = schema/dump.sql      # relative to the rootdir

``--pgdrift-dump PATH`` overrides it for one run (relative to the current directory), and
``@pytest.mark.pgdrift_dump("other.sql")`` for one test, class or module (relative to the
rootdir).

Fixtures:

* ``pgdrift_schema``: the configured dump as a :class:`~pgdrift.schema.Schema`. Each file is
  read once per session; the fixture is function-scoped only so that the marker can choose
  another dump per test.
* ``pgdrift_load``: a session-scoped factory, ``pgdrift_load("other.sql", database="app")``,
  caching by path, modification time and options. ``pgdrift_load()`` loads the configured
  dump, which is how a session- or module-scoped fixture gets at it.

With ``pgdrift_cache = true`` in the configuration, loaded schemas are also kept in pgdrift's
persistent cache (:mod:`pgdrift.cache`: ``PGDRIFT_CACHE_DIR`` or ``~/.cache/pgdrift``), so the
next session reads an unchanged dump back instead of parsing it again. It is off by default:
a schema read back from the cache is made of the classes imported when it is read, and a test
session that imports pgdrift's modules again (pytester's in-process runs do) would compare
objects of two generations of the same classes, which are never equal.

A dump that is not configured, missing, or does not load fails the tests that use it with one
line (``pgdrift_dump: cannot load schema/dump.sql: schema/dump.sql:12:1: syntax error...``).

``assert left == right`` on two schemas prints the drift report from ``left`` to ``right``; on
two model objects (two columns, two tables...) the attributes that differ.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pgdrift.schema import Schema

__all__ = [
    "pgdrift_load",
    "pgdrift_schema",
    "pytest_addoption",
    "pytest_assertrepr_compare",
    "pytest_configure",
]

_NAME = "pgdrift_dump"
_CACHE = pytest.StashKey[dict[tuple[Any, ...], "Schema | str"]]()
#: pgdrift_load(path=None, **load_options) -> Schema
Loader = Callable[..., "Schema"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        _NAME,
        help="pg_dump file the pgdrift_schema fixture loads (relative to the rootdir)",
        default=None,
    )
    parser.addini(
        "pgdrift_cache",
        type="bool",
        default=False,
        help="keep loaded dumps in pgdrift's persistent cache (PGDRIFT_CACHE_DIR, default "
        "~/.cache/pgdrift) for the next session (default: false)",
    )
    group = parser.getgroup("pgdrift", "pgdrift schema assertions")
    group.addoption(
        "--pgdrift-dump",
        dest=_NAME,
        metavar="PATH",
        default=None,
        help="pg_dump file the pgdrift_schema fixture loads (overrides the pgdrift_dump ini "
        "option)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_NAME}(path): the pg_dump file this test's pgdrift_schema fixture loads "
        "(relative to the rootdir)",
    )
    config.stash[_CACHE] = {}
    option = config.getoption(_NAME)
    if option is not None and not Path(option).is_file():
        # A path typed on the command line is checked at once, like pytest's own arguments.
        raise pytest.UsageError(f"--pgdrift-dump: {option}: no such file")


def _configured(config: pytest.Config) -> tuple[Path, str] | None:
    """The configured dump and where the setting came from, or None."""
    option = config.getoption(_NAME)
    if option is not None:
        return Path(option).resolve(), "--pgdrift-dump"
    value = config.getini(_NAME)
    if value:
        where = config.inipath.name if config.inipath is not None else "the pytest configuration"
        return config.rootpath / str(value), f"{_NAME} in {where}"
    return None


def _load(config: pytest.Config, path: Path, origin: str, options: dict[str, Any]) -> Schema:
    """The schema of ``path``, loaded once per session; a failure becomes one line."""
    shown = _display(config, path)
    try:
        stat = path.stat()
    except OSError as exc:
        problem = exc.strerror
        if isinstance(exc, FileNotFoundError):
            problem = "no such file"
            if not Path(shown).is_absolute():
                # The rootdir moves with the arguments pytest is given; say where we looked.
                problem += f" (relative to the rootdir, {config.rootpath})"
    else:
        problem = None
    if problem is not None:
        # Failed outside the except block, so pytest shows one line, not the chained OSError.
        pytest.fail(f"{origin}: {shown}: {problem}", pytrace=False)
    key = (str(path), stat.st_mtime_ns, stat.st_size, tuple(sorted(options.items())))
    cache = config.stash[_CACHE]
    if key not in cache:
        persistent = bool(config.getini("pgdrift_cache"))
        cache[key] = _read(path, shown, {"cache": persistent, **options})
    result = cache[key]
    if isinstance(result, str):
        pytest.fail(f"{origin}: cannot load {shown}: {result}", pytrace=False)
    return result


def _read(path: Path, shown: str, options: dict[str, Any]) -> Schema | str:
    from pgdrift.errors import Error  # noqa: PLC0415 - the plugin stays cheap until used
    from pgdrift.loading import load  # noqa: PLC0415

    try:
        return load(path, name=shown, **options)
    except Error as error:
        return error.one_line()
    except OSError as exc:
        return exc.strerror or str(exc)


def _display(config: pytest.Config, path: Path) -> str:
    try:
        return str(path.relative_to(config.rootpath))
    except ValueError:
        return str(path)


@pytest.fixture(scope="session")
def pgdrift_load(pytestconfig: pytest.Config) -> Loader:
    """Load a dump (relative to the rootdir) once per session: ``pgdrift_load("x.sql")``.

    Without a path, the configured dump (``pgdrift_dump`` / ``--pgdrift-dump``). Keyword
    arguments go to :func:`pgdrift.load` (``database="app"`` for a pg_dumpall file).
    """

    def load(path: str | os.PathLike[str] | None = None, **options: Any) -> Schema:
        if path is None:
            return _load_configured(pytestconfig, "pgdrift_load()", options)
        return _load(pytestconfig, pytestconfig.rootpath / path, "pgdrift_load", options)

    return load


def _load_configured(config: pytest.Config, user: str, options: dict[str, Any]) -> Schema:
    configured = _configured(config)
    if configured is None:
        pytest.fail(
            f"{user}: no dump configured; set pgdrift_dump in the pytest configuration, pass "
            f"--pgdrift-dump PATH or mark the test with @pytest.mark.{_NAME}(PATH)",
            pytrace=False,
        )
    return _load(config, configured[0], configured[1], options)


@pytest.fixture
def pgdrift_schema(request: pytest.FixtureRequest) -> Schema:
    """The configured dump, or the one named by the closest ``pgdrift_dump`` marker."""
    marker = request.node.get_closest_marker(_NAME)
    if marker is not None:
        if len(marker.args) != 1 or marker.kwargs or not isinstance(marker.args[0], str | Path):
            pytest.fail(f"@pytest.mark.{_NAME} takes one path, got {marker}", pytrace=False)
        path = request.config.rootpath / marker.args[0]
        return _load(request.config, path, f"@pytest.mark.{_NAME}", {})
    return _load_configured(request.config, "pgdrift_schema", {})


# --- Assertion messages ------------------------------------------------------------------------


def pytest_assertrepr_compare(
    config: pytest.Config, op: str, left: object, right: object
) -> list[str] | None:
    if op != "==" or not _is_pgdrift(left) or not _is_pgdrift(right):
        return None
    from pgdrift.model import DbObject  # noqa: PLC0415
    from pgdrift.schema import Schema  # noqa: PLC0415

    if isinstance(left, Schema) and isinstance(right, Schema):
        return _compare_schemas(left, right)
    if isinstance(left, DbObject) and isinstance(right, DbObject):
        return _compare_objects(left, right)
    return None


def _is_pgdrift(value: object) -> bool:
    return type(value).__module__.startswith("pgdrift.")


def _compare_schemas(left: Schema, right: Schema) -> list[str]:
    from pgdrift.differ import diff  # noqa: PLC0415
    from pgdrift.testing import drift_report  # noqa: PLC0415

    names = (left.source or "left", right.source or "right")
    labels = names if names[0] != names[1] else ("left", "right")
    head = f"Schema({names[0]!r}) == Schema({names[1]!r})"
    changes = diff(left, right, labels=labels)
    if not changes:
        return [head, "the schemas differ, but in nothing pgdrift.diff reports"]
    return [head, *drift_report(changes).splitlines()]


def _compare_objects(left: Any, right: Any) -> list[str]:
    head = (
        f"{type(left).__name__} {left.id.qualified_name} == "
        f"{type(right).__name__} {right.id.qualified_name}"
    )
    if type(left) is not type(right):
        return [head, f"different kinds: {left.kind} != {right.kind}"]
    lines = _attribute_diff("", left, right)
    return [head, "differing attributes:", *("  " + line for line in lines)]


def _attribute_diff(prefix: str, left: Any, right: Any) -> list[str]:
    """``field: left != right`` for every compared attribute that differs, recursing into
    nested model values, into columns by name and into equally long tuples by position."""
    import attrs  # noqa: PLC0415

    from pgdrift.expr import Expr  # noqa: PLC0415
    from pgdrift.model import Columns, Privilege  # noqa: PLC0415
    from pgdrift.types import TypeRef  # noqa: PLC0415

    name = prefix.rstrip(".")
    if left == right:
        return []
    if isinstance(left, Columns) and isinstance(right, Columns):
        lines: list[str] = []
        for column in sorted(set(left) | set(right)):
            if column not in right:
                lines.append(f"{prefix}{column}: only on the left")
            elif column not in left:
                lines.append(f"{prefix}{column}: only on the right")
            else:
                lines.extend(_attribute_diff(f"{prefix}{column}.", left[column], right[column]))
        if not lines:
            lines.append(f"{name} order: {', '.join(left)} != {', '.join(right)}")
        return lines
    if isinstance(left, tuple) and isinstance(right, tuple):
        if any(isinstance(item, Privilege) for item in (*left, *right)) or len(left) != len(right):
            only_left = [_show(item) for item in left if item not in right]
            only_right = [_show(item) for item in right if item not in left]
            parts = [f"only left {', '.join(only_left)}"] if only_left else []
            parts += [f"only right {', '.join(only_right)}"] if only_right else []
            return [f"{name}: {'; '.join(parts) or 'same items in another order'}"]
        lines = []
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            lines.extend(_attribute_diff(f"{prefix}{i}.", a, b))
        return lines
    if type(left) is type(right) and attrs.has(type(left)) and not isinstance(left, Expr | TypeRef):
        lines = []
        for field in attrs.fields(type(left)):
            if field.eq:
                a, b = getattr(left, field.name), getattr(right, field.name)
                lines.extend(_attribute_diff(f"{prefix}{field.name}.", a, b))
        return lines
    return [f"{name}: {_show(left)} != {_show(right)}"]


def _show(value: Any) -> str:
    from pgdrift.expr import Expr  # noqa: PLC0415
    from pgdrift.ids import ObjectId  # noqa: PLC0415
    from pgdrift.model import Privilege  # noqa: PLC0415
    from pgdrift.types import TypeRef  # noqa: PLC0415

    if isinstance(value, Expr):
        return value.sql
    if isinstance(value, TypeRef | ObjectId):
        return str(value)
    if isinstance(value, Privilege):
        return f"{value.privilege} to {value.grantee}" + (" (grantable)" if value.grantable else "")
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return "(" + ", ".join(value) + ")"
    return repr(value)
