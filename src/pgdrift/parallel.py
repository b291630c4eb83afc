"""Loading the second of two dumps in a worker process while this one loads the first.

The two sides of a diff are independent, and parsing and building a dump is CPU-bound Python, so
on a machine with two cores or more the second side can be loaded beside the first. What the
worker built has to come back: with the schema cache on, the worker writes the cache entry (it
pays for pickling, beside the parent's own work) and the parent reads it; without the cache the
worker sends the schema pickled the same way. Either is cheaper than building it (about a quarter
of the CPU time, see docs/performance.md), and it only pays for large inputs, so the caller decides
with :func:`worth_a_worker`.

The worker is a ``fork`` of this process (Linux and other Unix systems; it starts in
milliseconds and needs no imports). Where fork is unavailable or unsafe (other threads running)
nothing runs beside: the caller loads both sides itself. Any failure in the worker (a load error
included) makes the caller load that side itself, so errors are reported exactly as without a
worker.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["MIN_PARALLEL_BYTES", "Beside", "run_beside", "run_detached", "worth_a_worker"]

_T = TypeVar("_T")

#: Below this many bytes of input on the worker's side, a worker costs more than it saves.
MIN_PARALLEL_BYTES = 1_000_000


def worth_a_worker(size: int | None) -> bool:
    """Whether loading ``size`` bytes beside this process can pay (None: size unknown, large).

    A worker pays only when a core is free for it: with two cores or more and a load average
    (the last minute's) that leaves one idle. On a busy machine it would only take turns with
    this process, and hold a second copy of a schema in memory. ``PGDRIFT_JOBS=1`` turns
    workers off, ``PGDRIFT_JOBS=2`` uses one whenever the input is large enough.
    """
    jobs = os.environ.get("PGDRIFT_JOBS", "").strip()
    if jobs == "1" or sys.platform in ("win32", "darwin"):
        return False
    if size is not None and size < MIN_PARALLEL_BYTES:
        return False
    if jobs == "2":
        return True
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):
        busy = 0.0
    return cores >= 2 and busy <= cores - 1


class Beside:
    """A call running in a worker process; :meth:`result` is its value, or None if it failed."""

    def __init__(self, future: Future[Any], executor: ProcessPoolExecutor) -> None:
        self._future = future
        self._executor = executor

    def result(self) -> Any:
        try:
            return self._future.result()
        except BaseException:  # the caller redoes the work itself
            return None
        finally:
            self._executor.shutdown(wait=False)

    def cancel(self) -> None:
        """Stop waiting: the worker is left to finish on its own, its result dropped."""
        self._future.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)


def run_beside(func: Callable[..., _T], *args: Any) -> Beside | None:
    """Start ``func(*args)`` in a forked worker process, or None when that cannot be done safely.

    ``func`` and its arguments must be picklable by reference (module-level functions and
    plain values); its result comes back pickled.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    # fork() copies only the calling thread; another thread holding a lock would leave the
    # copy of that lock held forever in the child.
    if threading.active_count() > 1:
        return None
    try:
        executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        future = executor.submit(func, *args)
    except (OSError, RuntimeError):
        return None
    return Beside(future, executor)


def run_detached(func: Callable[[], object]) -> bool:
    """Run ``func()`` in a process of its own that outlives this one; False (nothing run)
    when that cannot be done safely, and the caller runs it itself.

    The process is a grandchild (a double ``fork``: the child exits at once and is reaped
    here, so no zombie is left behind), with its standard streams on ``/dev/null``, so that a
    reader of this process's output sees its end when this process ends. Whatever ``func``
    raises is dropped: what runs detached is work that may as well not be done (writing a
    cache entry).
    """
    if not hasattr(os, "fork") or sys.platform in ("win32", "darwin"):
        return False
    if threading.active_count() > 1:
        return False
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    try:
        child = os.fork()
    except OSError:
        return False
    if child:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, 0)
        return True
    # The child: detach a grandchild, then go.
    status = 1
    try:
        os.setsid()
        if os.fork() == 0:
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            with contextlib.suppress(BaseException):
                func()
        status = 0
    finally:
        os._exit(status)
