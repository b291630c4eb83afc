"""The task run once per database, wherever it runs: in this process, a pool worker or a Dask
worker. It loads the dump (through the schema cache), diffs it against the baseline (loaded
once per process and kept) and returns a small :class:`DatabaseResult`, never raising for a
bad input: its error line is the result.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any

import attrs

from pgdrift.diff_options import DiffOptions
from pgdrift.errors import Error, InputError
from pgdrift.surveyor.signature import Signature, signature_of

if TYPE_CHECKING:
    from pgdrift.schema import Schema

__all__ = [
    "DatabaseResult", "FleetSettings", "check_dump", "check_dumps", "is_url", "load_baseline",
]


@attrs.frozen
class FleetSettings:
    """What every task of a run shares: the baseline, how to load and how to compare.

    ``cache_dir`` None with ``cache`` True means the default cache directory of the machine
    the task runs on (each Dask worker keeps its own).
    """

    baseline: str
    options: DiffOptions = attrs.field(factory=DiffOptions)
    encoding: str | None = None
    cache: bool = True
    cache_dir: str | None = None

    @property
    def load_key(self) -> tuple[str, str | None, bool, str | None]:
        """What the baseline's schema depends on (the diff options do not count)."""
        return (self.baseline, self.encoding, self.cache, self.cache_dir)


@attrs.frozen
class DatabaseResult:
    """One database of the fleet: its name (the path or URL read) and either its drift
    ``signature`` or the ``error`` line that made it unreadable."""

    name: str
    signature: Signature | None = None
    error: str | None = None

    @property
    def status(self) -> str:
        """``identical``, ``drifted`` or ``error``."""
        if self.signature is None:
            return "error"
        return "drifted" if self.signature else "identical"


def is_url(name: str) -> bool:
    """Whether ``name`` is a URL for fsspec (``s3://bucket/t1.sql``) rather than a path."""
    scheme, sep, _ = name.partition("://")
    return bool(sep) and scheme.replace("+", "").isalnum() and scheme != "file"


def check_dump(name: str, settings: FleetSettings) -> DatabaseResult:
    """Diff the dump ``name`` against the baseline; any failure to read it is the result.

    Example:
        >>> settings = FleetSettings("fixtures/liveconvo/prod/dump.sql", cache=False)
        >>> check_dump("fixtures/liveconvo/prod/dump.sql", settings).status
        'identical'
        >>> check_dump("no/such/file.sql", settings).error
        'no/such/file.sql: no such file'
    """
    from pgdrift.differ import diff  # noqa: PLC0415 - the parser loads with the first task

    baseline = load_baseline(settings)
    try:
        schema = _load(name, settings)
        return DatabaseResult(name, signature_of(diff(baseline, schema, options=settings.options)))
    except Error as error:
        return DatabaseResult(name, error=error.one_line())
    except RecursionError:
        return DatabaseResult(name, error=f"{name}: nested too deeply to read")
    except Exception as exc:  # one broken dump must not stop a run over thousands
        return DatabaseResult(
            name, error=f"{name}: internal error: {type(exc).__name__}: {exc} (please report "
            "this with the input that caused it)"
        )  # fmt: skip


def check_dumps(names: list[str], settings: FleetSettings) -> list[DatabaseResult]:
    """:func:`check_dump` for each of ``names``: one task of several dumps, for schedulers
    whose cost per task is a round trip over the network (Dask)."""
    return [check_dump(name, settings) for name in names]


# The baselines this process has loaded, by settings; Dask runs tasks in threads, so the first
# load is under a lock (the others wait for it rather than load it again).
_BASELINES: dict[tuple[str, str | None, bool, str | None], Schema] = {}
_BASELINE_LOCK = threading.Lock()


def load_baseline(settings: FleetSettings) -> Schema:
    """The baseline schema, loaded once per process (raises its load error)."""
    found = _BASELINES.get(settings.load_key)
    if found is not None:
        return found
    with _BASELINE_LOCK:
        found = _BASELINES.get(settings.load_key)
        if found is None:
            found = _BASELINES[settings.load_key] = _load(settings.baseline, settings)
    return found


def _load(name: str, settings: FleetSettings) -> Schema:
    from pgdrift.loading import load  # noqa: PLC0415

    cache = _cache(settings)
    if is_url(name):
        return load(_read_url(name), name=name, encoding=settings.encoding, cache=cache)
    return load(name, encoding=settings.encoding, cache=cache)


_CACHES: dict[str | None, Any] = {}


def _cache(settings: FleetSettings) -> Any:
    """The process's :class:`~pgdrift.cache.SchemaCache` for these settings, or False."""
    if not settings.cache:
        return False
    store = _CACHES.get(settings.cache_dir)
    if store is None:
        from pgdrift.cache import SchemaCache  # noqa: PLC0415

        store = _CACHES[settings.cache_dir] = SchemaCache(settings.cache_dir)
    return store


def _read_url(url: str) -> bytes:
    try:
        fsspec: Any = importlib.import_module("fsspec")
    except ImportError:
        raise InputError(
            f"{url}: reading a URL needs fsspec (pip install fsspec, and the package of its "
            "protocol, e.g. s3fs)"
        ) from None
    try:
        with fsspec.open(url, "rb") as stream:
            data = stream.read()
    except (OSError, ValueError, ImportError) as error:
        raise InputError(f"{url}: cannot read: {error}") from None
    return bytes(data)
