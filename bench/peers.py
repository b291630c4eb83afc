"""Whole-process ``pgdrift diff`` against apgdiff on the same pair of dumps, cold and warm.

Each command runs as its own process, as a person or a CI job runs it; the figures are wall
time and peak resident memory: the process's high-water mark (``VmHWM`` in
``/proc/PID/status``), or, while it has descendants (a worker, java's own), the sum of the
proportional set sizes of the whole tree if larger, sampled every 10 ms (see ``_tree_rss``).
(``wait4``'s ``ru_maxrss`` cannot be used: Linux carries the high-water mark of the parent
across ``fork`` and ``exec``, so every child reports at least the benchmark's size; for the
same reason a forked child's ``VmHWM`` is not its own.)

* **cold**: an empty schema cache (a fresh ``PGDRIFT_CACHE_DIR``): what the first run pays.
  pgdrift writes large cache entries in a detached process once its output is out; that
  process outlives the measured one and is not in its figures (the next run waits for the
  entries, and ``entries_after_s`` records how long after the command's end they were there);
* **cold, --no-cache, worker** (``PGDRIFT_JOBS=2``) and **one process** (``PGDRIFT_JOBS=1``):
  without the cache, with and without the second side loaded in a worker process (by default
  pgdrift starts one only when it measures a core free beside it, see docs/performance.md);
* **warm**: both dumps read before, unchanged (the cache of the cold run).

apgdiff (Debian package ``apgdiff``, Java) cannot read these dumps as they are: its copies have
the ``\\restrict`` lines, ``ATTACH PARTITION`` statements and ``ON ONLY`` removed. The runs are
interleaved so that drift on a shared machine falls on all of them alike; the median of the
runs counts.

An installed package has its ``.pyc`` files: the package (and what it imports) is compiled once
into ``__pycache__`` before the runs, and the measured processes run with
``PYTHONDONTWRITEBYTECODE`` unset, so that none of them pays for compiling pgdrift from source
(0.3 s and more) where a machine sets that variable for everything.
"""

from __future__ import annotations

import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
#: The worktree's pgdrift (PYTHONPATH=src), whatever ``pgdrift`` on PATH is.
PGDRIFT: Final = [
    sys.executable,
    "-c",
    "import sys; from pgdrift.cli import main; sys.exit(main())",
]
COLD_TARGET: Final = 0.5  # cold pgdrift diff <= 0.5x apgdiff's wall time
WARM_TARGET: Final = 0.1


def apgdiff_command() -> list[str] | None:
    found = shutil.which("apgdiff")
    return [found, "--ignore-start-with"] if found else None


_ATTACH = re.compile(r"^ALTER TABLE [^;]*\bATTACH PARTITION\b[^;]*;\n", re.MULTILINE)


def apgdiff_copy(dump: Path, directory: Path) -> Path:
    """A copy of ``dump`` that apgdiff 2.7 can read."""
    text = dump.read_text(encoding="utf-8")
    text = "".join(
        line for line in text.splitlines(keepends=True)
        if not line.startswith(("\\restrict", "\\unrestrict"))
    )  # fmt: skip
    text = _ATTACH.sub("", text).replace(" ON ONLY ", " ON ")
    copy = directory / f"apgdiff-{dump.name}"
    copy.write_text(text, encoding="utf-8")
    return copy


def _tree_rss(pid: int) -> int:
    """The peak resident bytes so far of ``pid`` and its descendants (0 when gone).

    Alone, a process's high-water mark (``VmHWM``) is its peak. With descendants (a worker,
    the child that detaches pgdrift's cache writer) their marks and resident sizes cannot be
    summed: a forked child starts with its parent's high-water mark, and the pages it shares
    with its parent copy-on-write count in the resident size of both (one detaching child
    doubled the figure). Then the figure is the larger of the process's own mark and the sum
    of the proportional set sizes (``Pss``, shared pages split between their holders) of the
    whole tree at this sample.
    """
    hwm = _status_bytes(pid, "VmHWM:")
    descendants = _descendants(pid)
    if not descendants:
        return hwm
    return max(hwm, sum(_pss_bytes(p) for p in [pid, *descendants]))


def _status_bytes(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return _status_bytes(pid, "VmRSS:")


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as kids:
                    children = [int(child) for child in kids.read().split()]
                    found.extend(children)
                    pending.extend(children)
        except (OSError, ValueError):
            continue
    return found


def run_process(command: Sequence[str], env: dict[str, str]) -> dict[str, float]:
    """Wall seconds and peak resident bytes of one whole command (output discarded)."""
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, _ = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{command[0]} exited with {process.returncode}: {stderr.strip()}")
    return {"wall_s": wall, "peak_rss": peak}


def _wait_for_entries(directory: Path, count: int, limit_s: float = 120.0) -> float:
    """Seconds until ``directory`` holds ``count`` cache entries (written by the process the
    cold run detached), so that it does not take the machine from the next measured run."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        if len(list(directory.glob("*.schema"))) >= count:
            break
        time.sleep(0.02)
    return time.perf_counter() - started


def precompile() -> None:
    """The worktree's package compiled into ``__pycache__``, as an installed package is."""
    compileall.compile_dir(ROOT / "src" / "pgdrift", quiet=1, workers=1)


def measure(base: Path, variant: Path, repeat: int) -> dict[str, Any]:
    """Every variant of the comparison, ``repeat`` times each, interleaved."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}  # fmt: skip
    env.pop("PGDRIFT_JOBS", None)
    # Measured processes read the .pyc files precompile() wrote (and write those of the
    # libraries they import, once, during the unmeasured warm-up run).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    precompile()
    apgdiff = apgdiff_command()
    runs: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="pgdrift-bench-") as scratch:
        work = Path(scratch)
        pair = [str(base), str(variant)]
        copies = [str(apgdiff_copy(path, work)) for path in (base, variant)] if apgdiff else []
        warm_dir = work / "warm-cache"
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "no_cache_one_process": ([*PGDRIFT, "diff", "-q", "--no-cache", *pair],
                                     {**env, "PGDRIFT_JOBS": "1"}),
            "no_cache": ([*PGDRIFT, "diff", "-q", "--no-cache", *pair],
                         {**env, "PGDRIFT_JOBS": "2"}),
            "warm": ([*PGDRIFT, "diff", "-q", *pair], {**env, "PGDRIFT_CACHE_DIR": str(warm_dir)}),
        }  # fmt: skip
        if apgdiff:
            commands["apgdiff"] = ([*apgdiff, *copies], env)
        # The warm cache is filled once, before the timed runs.
        run_process(*commands["warm"])
        for attempt in range(repeat):
            cold_dir = work / f"cold-{attempt}"
            cold_env = {**env, "PGDRIFT_CACHE_DIR": str(cold_dir)}
            order = [("cold", ([*PGDRIFT, "diff", "-q", *pair], cold_env)), *commands.items()]
            for name, (command, command_env) in order:
                runs.setdefault(name, []).append(run_process(command, command_env))
                if name == "cold":
                    runs["cold"][-1]["entries_after_s"] = _wait_for_entries(cold_dir, 2)
            shutil.rmtree(cold_dir, ignore_errors=True)
    results: dict[str, Any] = {
        name: {
            "wall_s": statistics.median(r["wall_s"] for r in measured),
            "peak_rss": statistics.median(r["peak_rss"] for r in measured),
            "runs": measured,
        }
        for name, measured in runs.items()
    }
    if apgdiff:
        reference = results["apgdiff"]
        for figures in results.values():
            figures["ratio_to_apgdiff"] = figures["wall_s"] / reference["wall_s"]
            figures["rss_ratio_to_apgdiff"] = figures["peak_rss"] / reference["peak_rss"]
        results["met"] = {
            "cold": results["cold"]["ratio_to_apgdiff"] <= COLD_TARGET,
            "cold_memory": results["cold"]["peak_rss"] <= reference["peak_rss"],
            "warm": results["warm"]["ratio_to_apgdiff"] <= WARM_TARGET,
        }
    else:
        results["note"] = "apgdiff is not installed (apt-get install apgdiff): measured alone"
    return results


def report(results: dict[str, Any]) -> list[str]:
    """Rows for the printed table."""
    names = {
        "apgdiff": "apgdiff",
        "cold": "pgdrift cold",
        "no_cache": "pgdrift --no-cache",
        "no_cache_one_process": "  no worker",
        "warm": "pgdrift warm",
    }
    rows = [
        "",
        "whole `diff` processes (median of runs; ratios to apgdiff); --no-cache with a"
        " worker for B, and without",
    ]
    if "note" in results:
        rows.append(f"  {results['note']}")
    for key, label in names.items():
        if key not in results:
            continue
        figures = results[key]
        line = (f"  {label:<22}{figures['wall_s']:>7.2f} s  "
                f"{figures['peak_rss'] / 2**20:>5.0f} MiB")  # fmt: skip
        if "ratio_to_apgdiff" in figures and key != "apgdiff":
            line += (f"   {figures['ratio_to_apgdiff']:.2f}x time, "
                     f"{figures['rss_ratio_to_apgdiff']:.2f}x memory")  # fmt: skip
        after = [r["entries_after_s"] for r in figures["runs"] if "entries_after_s" in r]
        if after:
            line += f"; entries there {statistics.median(after):.1f} s after its end"
        rows.append(line)
    met = results.get("met")
    if met:
        rows.append(
            f"  targets: cold <= {COLD_TARGET:g}x {_verdict(met['cold'])}, "
            f"cold memory <= apgdiff's {_verdict(met['cold_memory'])}, "
            f"warm <= {WARM_TARGET:g}x {_verdict(met['warm'])}"
        )
    return rows


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"
