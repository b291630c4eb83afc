"""Checking the databases of a fleet on this machine: a pool of worker processes.

Each worker loads the baseline once (a ``fork`` of a parent that loaded it already starts with
it; otherwise the worker reads it through the schema cache) and then checks one dump per task.
At most a few tasks per worker are in flight, so memory stays flat for any fleet size, and
results come back as they finish. A worker that dies (killed for memory, a crash in the parser)
costs only the dump it was reading: that dump is reported as an error and a new pool takes over.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from pgdrift.surveyor.task import DatabaseResult, FleetSettings, check_dump, load_baseline

__all__ = ["available_cores", "check_here", "check_in_pool"]

#: Tasks in flight per worker: enough that no worker waits for the parent, few enough that a
#: fleet of 100,000 dumps is not 100,000 futures in memory.
_IN_FLIGHT_PER_WORKER = 4


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counted is not None:
        return int(counted() or 1)
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - macOS and Windows
        return os.cpu_count() or 1


def check_here(names: Iterable[str], settings: FleetSettings) -> Iterator[DatabaseResult]:
    """Each database checked in this process, in the order given."""
    load_baseline(settings)
    for name in names:
        yield check_dump(name, settings)


def check_in_pool(
    names: Iterable[str], settings: FleetSettings, jobs: int
) -> Iterator[DatabaseResult]:
    """Each database checked by ``jobs`` worker processes, yielded as it finishes."""
    load_baseline(settings)  # raises a baseline error here; a forked worker inherits it
    pending = iter(names)
    running: dict[Future[DatabaseResult], str] = {}
    executor = _new_pool(settings, jobs)
    try:
        while True:
            while len(running) < jobs * _IN_FLIGHT_PER_WORKER:
                name = next(pending, None)
                if name is None:
                    break
                try:
                    running[executor.submit(check_dump, name, settings)] = name
                except BrokenProcessPool:
                    executor = _replace(executor, settings, jobs)
                    pending = _chain(name, pending)
            if not running:
                return
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = []
            for future in sorted(done, key=lambda f: running[f]):
                name = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken.append(name)
            if broken:
                # Every task of a broken pool fails, the culprit among them: check each again
                # alone in a fresh pool, so only the dump that kills a worker is an error.
                for name in broken:
                    yield _alone(name, settings)
                executor = _replace(executor, settings, jobs)
                pending = _chain_all(list(running.values()), pending)
                running.clear()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _chain_all(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from sorted(first)
    yield from rest


def _alone(name: str, settings: FleetSettings) -> DatabaseResult:
    """``name`` checked in a pool of its own; a dead worker there makes it an error line."""
    with _new_pool(settings, 1) as single:
        try:
            return single.submit(check_dump, name, settings).result()
        except BrokenProcessPool:
            return DatabaseResult(name, error=f"{name}: the worker process reading it died")


def _replace(
    executor: ProcessPoolExecutor, settings: FleetSettings, jobs: int
) -> ProcessPoolExecutor:
    executor.shutdown(wait=False, cancel_futures=True)
    return _new_pool(settings, jobs)


def _new_pool(settings: FleetSettings, jobs: int) -> ProcessPoolExecutor:
    context: Any = None
    # fork() copies only the calling thread: with another thread running (one holding a lock),
    # the child could wait forever; the platform's default start method is safe then.
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
    initializer: Callable[..., Any] = load_baseline
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=initializer,
                               initargs=(settings,))  # fmt: skip
