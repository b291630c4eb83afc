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
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from pgdrift.errors import Error
from pgdrift.surveyor.task import DatabaseResult, FleetSettings, check_dumps, is_url

__all__ = ["DASK_MISSING", "check_on_dask", "connect"]

DASK_MISSING = "--scheduler needs Dask distributed: pip install 'pgdrift[dask]'"

#: Tasks in flight per worker thread. A Dask scheduler hands a worker its next task when the
#: last one is done (task queuing), so each task pays a round trip worker -> scheduler ->
#: worker: a task is a batch of dumps, at most :data:`_MAX_BATCH`, and a few are in flight.
_IN_FLIGHT_PER_THREAD = 2
#: Dumps per task at most; fewer when the fleet is small, so that every thread gets at least
#: :data:`_BATCHES_PER_THREAD` tasks and the last ones finish together.
_MAX_BATCH = 32
_BATCHES_PER_THREAD = 8


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


def batch_size(dumps: int, threads: int) -> int:
    """Dumps per Dask task: enough to hide the round trip, few enough to spread the work.

    Example:
        >>> batch_size(500, 2), batch_size(100_000, 64), batch_size(10, 8)
        (31, 32, 1)
    """
    return max(1, min(_MAX_BATCH, dumps // (threads * _BATCHES_PER_THREAD)))


def check_on_dask(
    names: Sequence[str], settings: FleetSettings, scheduler: Any
) -> Iterator[DatabaseResult]:
    """Each database checked on the cluster at ``scheduler``, yielded as its batch finishes."""
    as_completed = _distributed().as_completed
    client, ours = connect(scheduler)
    try:
        shipped = attrs.evolve(settings, baseline=_for_workers(settings.baseline))
        threads = sum(client.nthreads().values()) or 1
        size = batch_size(len(names), threads)
        batches = iter([list(names[i : i + size]) for i in range(0, len(names), size)])
        given: dict[Any, list[str]] = {}

        def submit(batch: list[str]) -> Any:
            paths = [_for_workers(name) for name in batch]
            future = client.submit(check_dumps, paths, shipped, pure=False)
            given[future] = batch
            return future

        window = threads * _IN_FLIGHT_PER_THREAD
        first = [submit(batch) for _, batch in zip(range(window), batches, strict=False)]
        flow = as_completed(first, loop=client.loop)
        for future in flow:
            batch = given.pop(future)
            try:
                results = future.result()
            except Exception as exc:  # a worker lost for good (KilledWorker) or cancelled
                failure = f"the Dask task failed: {type(exc).__name__}: {exc}"
                results = [DatabaseResult(name, error=f"{name}: {failure}") for name in batch]
            future.release()
            for name, result in zip(batch, results, strict=True):
                yield attrs.evolve(result, name=name)
            following = next(batches, None)
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
