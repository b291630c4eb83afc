"""Checking the databases of a fleet on a Dask distributed cluster (the ``pgdrift[dask]`` extra).

The same task as the local pool (:func:`pgdrift.surveyor.task.check_dump`) runs on the
cluster's workers: each reads its dump from a path every worker sees (a shared file system) or
from a URL fsspec understands, loads the baseline once per worker process, and sends back only
the small result. Dask does the scheduling; results stream back with ``as_completed``. Local
paths are made absolute before they are sent, so a worker started in another directory finds
them; the results keep the names as given.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from pgdrift.errors import Error
from pgdrift.surveyor.task import DatabaseResult, FleetSettings, check_dump, is_url

__all__ = ["DASK_MISSING", "check_on_dask", "connect"]

DASK_MISSING = "--scheduler needs Dask distributed: pip install 'pgdrift[dask]'"

#: Tasks in flight per worker thread, as for the local pool.
_IN_FLIGHT_PER_THREAD = 4


def connect(scheduler: Any) -> tuple[Any, bool]:
    """A ``distributed.Client`` for ``scheduler`` (an address, or a Client to use as it is),
    and whether it is ours to close.

    Raises:
        Error: Dask is not installed, or the scheduler cannot be reached.
    """
    Client = _distributed().Client  # noqa: N806 - the class, by its own name
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler, set_as_default=False, timeout="20s"), True
    except (OSError, TimeoutError, ValueError) as exc:
        raise Error(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def check_on_dask(
    names: Iterable[str], settings: FleetSettings, scheduler: Any
) -> Iterator[DatabaseResult]:
    """Each database checked on the cluster at ``scheduler``, yielded as it finishes."""
    as_completed = _distributed().as_completed
    client, ours = connect(scheduler)
    try:
        shipped = attrs.evolve(settings, baseline=_for_workers(settings.baseline))
        threads = sum(client.nthreads().values()) or 1
        pending = iter(names)
        given: dict[Any, str] = {}

        def submit(name: str) -> Any:
            future = client.submit(check_dump, _for_workers(name), shipped, pure=False)
            given[future] = name
            return future

        window = threads * _IN_FLIGHT_PER_THREAD
        first = [submit(name) for _, name in zip(range(window), pending, strict=False)]
        flow = as_completed(first, loop=client.loop)
        for future in flow:
            name = given.pop(future)
            try:
                result = future.result()
            except Exception as exc:  # a worker lost for good (KilledWorker) or cancelled
                result = DatabaseResult(name, error=f"{name}: the Dask task failed: "
                                        f"{type(exc).__name__}: {exc}")  # fmt: skip
            future.release()
            yield attrs.evolve(result, name=name)
            following = next(pending, None)
            if following is not None:
                flow.add(submit(following))
    finally:
        if ours:
            client.close()


def _distributed() -> Any:
    """``dask.distributed`` (untyped: Any), or the error naming the extra to install."""
    try:
        return importlib.import_module("dask.distributed")
    except ImportError:
        raise Error(DASK_MISSING) from None


def _for_workers(name: str) -> str:
    return name if is_url(name) else os.path.abspath(name)
