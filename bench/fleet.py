"""Fleet throughput: ``pgdrift.fleet`` over a generated fleet of real dumps (tools/fleet.py).

Every base's tenants are checked against that base's baseline (four runs, one per base), first
in this process (``jobs=1``), then in a pool of one worker per core, then on a Dask
``LocalCluster`` with as many single-threaded worker processes (started before the clock: a
real cluster is already running). The schema cache is off, so each dump is parsed and built:
the work a first run does. Each configuration must group the tenants exactly as seeded. Run by
``bench/run.py`` (``nox -s bench``) or alone::

    python bench/fleet.py --tenants 2000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import pgdrift
from pgdrift.surveyor import available_cores

ROOT: Final = Path(__file__).resolve().parent.parent
#: Dask with as many workers as the pool: its throughput within 20% of the pool's (issue 15).
DASK_TARGET: Final = 0.8


def _load_tool() -> ModuleType:
    loaded = sys.modules.get("pgdrift_fleet_tool")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("pgdrift_fleet_tool", ROOT / "tools" / "fleet.py")
    if spec is None or spec.loader is None:
        raise ImportError("cannot load tools/fleet.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["pgdrift_fleet_tool"] = module
    spec.loader.exec_module(module)
    return module


fleet_tool = _load_tool()


def _run_all(folder: Path, **where: Any) -> tuple[float, float, list[str]]:
    """Wall and CPU seconds (this process's) of one run over every base, and its problems."""
    problems: list[str] = []
    wall, cpu = time.perf_counter(), time.process_time()
    reports = {}
    for base in fleet_tool.BASES:
        baseline, tenants = folder / "bases" / f"{base}.sql", folder / "tenants" / base
        reports[base] = pgdrift.fleet(baseline, [tenants], **where)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    for base, report in reports.items():
        problems += fleet_tool.check_grouping(folder, base, report)
    return wall, cpu, problems


def measure(tenants: int, seed: int, cache: Path, say: Callable[[str], None]) -> dict[str, Any]:
    """Generate (or reuse) the fleet and time the three ways of checking it."""
    folder = fleet_tool.generate_fleet(tenants, seed, cache=cache / "fleets", say=say)
    cores = available_cores()
    manifest = fleet_tool.load_manifest(folder)
    seeded = {(m["base"], tuple(m["drifts"])) for m in manifest["members"] if not m["truncated"]}
    results: dict[str, Any] = {
        "tenants": tenants,
        "seed": seed,
        "folder": folder.name,
        "bytes": sum((folder / m["path"]).stat().st_size for m in manifest["members"]),
        "seeded_groups": len(seeded),
        "truncated": sum(m["truncated"] for m in manifest["members"]),
        "cores": cores,
        "runs": {},
    }
    configurations: list[tuple[str, dict[str, Any]]] = [("jobs 1", {"jobs": 1}),
                                                        (f"jobs {cores}", {"jobs": cores})]
    try:
        distributed: Any = importlib.import_module("dask.distributed")
    except ImportError:
        distributed = None
        results["dask_note"] = "dask not installed: pip install 'pgdrift[dask]'"
    for name, where in configurations:
        wall, cpu, problems = _run_all(folder, **where)
        results["runs"][name] = _figures(tenants, wall, cpu, problems)
        say(f"  fleet {name}: {tenants / wall:.1f} dumps/s ({wall:.1f} s)")
    if distributed is not None:
        wall, cpu, problems = _on_local_cluster(distributed, folder, cores)
        name = f"dask {cores} workers"
        results["runs"][name] = _figures(tenants, wall, cpu, problems)
        say(f"  fleet {name}: {tenants / wall:.1f} dumps/s ({wall:.1f} s)")
        pool = results["runs"][f"jobs {cores}"]["dumps_per_s"]
        results["dask_vs_pool"] = results["runs"][name]["dumps_per_s"] / pool
    return results


#: The worker settings docs/fleet.md recommends for pgdrift's CPU-bound tasks: no statistical
#: profiler (it samples every thread's stack every 10 ms), and the event loop's health tick
#: and the resource monitors woken rarely: every wake-up takes the GIL from the task.
DASK_WORKER_CONFIG: Final = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def _on_local_cluster(distributed: Any, folder: Path, cores: int) -> tuple[float, float, list[str]]:
    """The run on a LocalCluster of ``cores`` single-threaded worker processes, set up as a
    deployment would be: workers started and pgdrift imported before the clock, with
    :data:`DASK_WORKER_CONFIG`."""
    dask: Any = importlib.import_module("dask")
    with dask.config.set(DASK_WORKER_CONFIG), \
            distributed.LocalCluster(n_workers=cores, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as local, \
            distributed.Client(local, set_as_default=False) as client:  # fmt: skip
        client.run(importlib.import_module, "pgdrift.surveyor.task")
        client.run(importlib.import_module, "pgdrift.differ")
        return _run_all(folder, scheduler=client)


def _figures(tenants: int, wall: float, cpu: float, problems: list[str]) -> dict[str, Any]:
    # The load average after the run: on a shared machine it says how much of the cores the
    # run had (2 cores with a load of 10 leave each process a fifth of one).
    return {"wall_s": wall, "parent_cpu_s": cpu, "dumps_per_s": tenants / wall,
            "grouping_exact": not problems, "problems": problems,
            "load_average": os.getloadavg()[0]}  # fmt: skip


def report(results: dict[str, Any]) -> list[str]:
    """The figures as lines of the benchmark's table."""
    rows = [
        "",
        f"fleet: {results['tenants']:,} generated dumps ({results['bytes'] / 1e6:.1f} MB, seed "
        f"{results['seed']}), {results['seeded_groups']} seeded drift groups, "
        f"{results['truncated']} cut short; schema cache off",
    ]
    for name, run in results["runs"].items():
        exact = "exact" if run["grouping_exact"] else "WRONG: " + "; ".join(run["problems"])
        rows.append(f"{'  ' + name:<24}{run['dumps_per_s']:8.1f} dumps/s  "
                    f"({run['wall_s']:.1f} s, load average {run['load_average']:.1f}; "
                    f"grouping {exact})")  # fmt: skip
    if "dask_vs_pool" in results:
        met = "met" if results["dask_vs_pool"] >= DASK_TARGET else "MISSED"
        rows.append(f"{'  dask / pool':<24}{results['dask_vs_pool']:.2f}x (target >= "
                    f"{DASK_TARGET:g}x: {met})")  # fmt: skip
    else:
        rows.append(f"{'  dask':<24}{results.get('dask_note', 'not measured')}")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=2000, help="default: %(default)s")
    parser.add_argument("--seed", type=int, default=1, help="default: %(default)s")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / ".bench")
    arguments = parser.parse_args(argv)

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    os.environ.setdefault("PGDRIFT_CACHE_DIR", str(arguments.cache_dir / "schema-cache"))
    results = measure(arguments.tenants, arguments.seed, arguments.cache_dir, say)
    target = arguments.cache_dir / "fleet-results.json"
    target.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    say("\n".join(report(results)))
    exact = all(run["grouping_exact"] for run in results["runs"].values())
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
