"""Loading the second of two dumps in a worker process while this one loads the first, and
leaving work that may outlive the command (writing cache entries) to a detached process.

The two sides of a diff are independent, and parsing and building a dump is CPU-bound Python, so
on a machine with a free core the second side can be loaded beside the first. What the worker
built comes back encoded as a cache entry's payload (:mod:`pgdrift.cache_objects`; with the
schema cache on, the worker writes the entry and the caller reads it): the caller reads it
lazily, encodes its own side the same way, and the differ compares only the objects whose
digests differ. Encoding a side costs about a quarter of loading it, and it only pays for large
inputs, so the caller decides with :func:`worth_a_worker`.

The worker is a ``fork`` of this process (Linux and other Unix systems; it starts in
milliseconds and needs no imports). Where fork is unavailable or unsafe (other threads running)
nothing runs beside: the caller loads both sides itself. Any failure in the worker (a load error
included) makes the caller load that side itself, so errors are reported exactly as without a
worker.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = [
    "MIN_PARALLEL_BYTES", "Beside", "busy_cores", "mark_start", "measured_busy", "run_beside",
    "run_detached", "usable_cores", "worth_a_worker",
]  # fmt: skip

_T = TypeVar("_T")

#: Below this many bytes of input on the worker's side, a worker costs more than it saves.
MIN_PARALLEL_BYTES = 1_000_000
#: Linux's load figures, and a cgroup (v2) CPU quota: ``"max 100000"`` or ``"200000 100000"``.
LOADAVG = Path("/proc/loadavg")
CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


#: The CPU time of every CPU since boot (Linux), and a cgroup's (v2) CPU usage.
PROC_STAT = Path("/proc/stat")
CPU_STAT = Path("/sys/fs/cgroup/cpu.stat")
#: The shortest window over which the cores' use is measured (:func:`mark_start`): /proc/stat
#: counts in ticks of 10 ms, so a shorter one says too little.
MIN_WINDOW = 0.08
#: How much of a core a worker must find free (measured): with less it would take turns with
#: this process and the others, for the extra work of sending its schema back.
WORKER_SHARE = 0.75

# (monotonic time, this process's CPU seconds, the usable cores' busy seconds) at mark_start.
_MARK: list[tuple[float, float, float]] = []


def worth_a_worker(size: int | None) -> bool:
    """Whether loading ``size`` bytes beside this process can pay (None: size unknown, large).

    A worker pays only when a core is free for it. When :func:`mark_start` was called early
    enough, that is measured: what the other processes used of the cores this process may
    run on since then (:func:`measured_busy`) must leave :data:`WORKER_SHARE` of a core beside
    this process. Otherwise the load figures decide: the other processes keep busy at most all
    the cores this process may use but one (:func:`usable_cores`, :func:`busy_cores`).
    ``PGDRIFT_JOBS=1`` turns workers off, ``PGDRIFT_JOBS=2`` uses one whenever the input is
    large enough.
    """
    jobs = os.environ.get("PGDRIFT_JOBS", "").strip()
    if jobs == "1" or sys.platform in ("win32", "darwin"):
        return False
    if size is not None and size < MIN_PARALLEL_BYTES:
        return False
    if jobs == "2":
        return True
    cores = usable_cores()
    if cores < 2:
        return False
    measured = measured_busy()
    if measured is not None:
        return cores - 1 - measured >= WORKER_SHARE
    return busy_cores() <= cores - 1


def mark_start() -> None:
    """Note how busy the usable cores have been until now; :func:`measured_busy` measures
    from here (the command line calls this first thing, so the window is its start-up)."""
    busy = _cores_busy_seconds()
    _MARK[:] = [] if busy is None else [(time.monotonic(), _own_cpu(), busy)]


def measured_busy() -> float | None:
    """How many of the usable cores the other processes kept busy since :func:`mark_start`
    (their CPU seconds per second), or None when not marked, the window is shorter than
    :data:`MIN_WINDOW`, or the counters cannot be read.

    Unlike the load average, this sees only the last fraction of a second, not a minute that
    may hold this command's own predecessors (a benchmark's, a CI job's previous pgdrift runs).
    """
    if not _MARK:
        return None
    [(started, own, busy)] = _MARK
    elapsed = time.monotonic() - started
    if elapsed < MIN_WINDOW:
        return None
    now = _cores_busy_seconds()
    if now is None:
        return None
    return max(0.0, ((now - busy) - (_own_cpu() - own)) / elapsed)


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def _cores_busy_seconds() -> float | None:
    """The CPU seconds the cores this process may use have been busy (for any process): its
    cgroup's usage when a CPU quota caps it, else the /proc/stat lines of the CPUs of its
    affinity (user, nice, system, irq, softirq and steal: time that was not this process's to
    take). None where neither can be read (not Linux)."""
    if _quota() is not None:
        try:
            for line in CPU_STAT.read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == "usage_usec":
                    return int(value) / 1_000_000
        except (OSError, ValueError):
            pass
        return None
    try:
        allowed: set[int] | None = set(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        allowed = None
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        text = PROC_STAT.read_text()
    except (AttributeError, OSError, ValueError):
        return None
    busy = 0
    for line in text.splitlines():
        if not line.startswith("cpu") or line.startswith("cpu "):
            continue
        name, *values = line.split()
        try:
            number = int(name[3:])
            counts = [int(v) for v in values[:8]] + [0] * (8 - len(values[:8]))
        except ValueError:
            return None
        if allowed is None or number in allowed:
            user, nice, system, _idle, _iowait, irq, softirq, steal = counts
            busy += user + nice + system + irq + softirq + steal
    return busy / ticks


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity, and a cgroup's CPU quota (a
    container's ``--cpus``) when one is set, not only the machine's count."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    quota = _quota()
    if quota is not None:
        cores = min(cores, max(1, int(quota)))
    return cores


def _quota() -> float | None:
    """The cgroup's CPU quota in cores, or None when there is none."""
    try:
        quota, period = CPU_MAX.read_text().split()[:2]
        if quota != "max":
            return int(quota) / int(period)
    except (OSError, ValueError):
        pass
    return None


def busy_cores() -> float:
    """How many cores the other processes keep busy: the larger of the last minute's load
    average (which lags: a job started seconds ago is hardly in it) and the processes that
    are runnable right now, this one left out (one moment's count: a burst can pass)."""
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):
        busy = 0.0
    try:
        # The fourth field of /proc/loadavg: runnable scheduling entities / all of them.
        running = int(LOADAVG.read_text().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return busy
    return max(busy, float(running - 1))


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
    # multiprocessing (and the process pool, which imports it) costs about 10 ms to import:
    # only a run that starts a worker pays it, not a warm run answered by the schema cache.
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

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
