"""Measure how fast pgdrift reads, diffs and plans a large pg_dump, against a parse-only floor.

The schema comes from ``bench/generate.py``. It is loaded into a throwaway PostgreSQL cluster
(``tools/pgcluster.py``) and dumped with the real ``pg_dump --schema-only``; dumps are cached in
``.bench/`` under a key made of the generator's parameters and a hash of its source, so a second
run starts at once. All timings come from this one process, so ratios compare like with like on
a shared, noisy machine::

    python bench/run.py                  # 5,000 tables; scaling at 1,000, 5,000 and 20,000
    python bench/run.py --tables 1000    # quick: scaling at 200, 1,000 and 4,000
    nox -s bench -- --tables 1000

The figures are printed as a table and written to ``.bench/results.json``.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import hashlib
import importlib
import importlib.util
import itertools
import json
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import pglast
import pglast.parser

import pgdrift
from pgdrift.diff import diff
from pgdrift.expr import parse_expr
from pgdrift.reader import Statement, read_source, split_statements

ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_CACHE: Final = ROOT / ".bench"

#: The targets the figures are held to (the issue's numbers).
LOAD_RATIO_TARGET: Final = 3.0
MEMORY_RATIO_TARGET: Final = 10.0
DIFF_TARGET_S: Final = 0.5
PLAN_TARGET_S: Final = 1.0


def _load_module(name: str, path: Path) -> ModuleType:
    """A sibling script as a module (bench/ and tools/ are not packages)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class body is processed.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_module("pgdrift_bench_generate", ROOT / "bench" / "generate.py")
pgcluster = _load_module("pgdrift_bench_pgcluster", ROOT / "tools" / "pgcluster.py")
GENERATOR_HASH: Final = hashlib.sha256((ROOT / "bench" / "generate.py").read_bytes()).hexdigest()


def say(message: str = "") -> None:
    """Progress and results go to standard output, flushed as they happen."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


# -- dumps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    tables: int
    seed: int
    variant: bool

    @property
    def key(self) -> str:
        side = "variant" if self.variant else "base"
        return f"t{self.tables}-s{self.seed}-{side}-g{GENERATOR_HASH[:10]}"


def ensure_dumps(datasets: Sequence[Dataset], cache: Path) -> dict[Dataset, Path]:
    """The pg_dump file of each dataset, made in one throwaway cluster if not cached yet."""
    cache.mkdir(parents=True, exist_ok=True)
    paths = {d: cache / f"{d.key}.dump.sql" for d in datasets}
    missing = [d for d in dict.fromkeys(datasets) if not paths[d].exists()]
    if not missing:
        return paths
    # pg_dump takes a lock on every table it dumps, in one transaction; the lock table holds
    # max_locks_per_transaction * max_connections entries (Lock Management settings).
    settings = {"max_locks_per_transaction": "4096"}
    with pgcluster.Cluster(settings=settings) as cluster:
        for number, dataset in enumerate(missing):
            started = time.perf_counter()
            sql_path = cache / f"{dataset.key}.sql"
            sql = generate.generate(dataset.tables, dataset.seed, variant=dataset.variant)
            sql_path.write_text(sql, encoding="utf-8")
            database = f"bench_{number}"
            cluster.create_database(database)
            cluster.psql(file=sql_path, dbname=database)
            # A fixed \restrict key keeps the dump byte-identical from run to run (pg_dump 15.14+).
            restrict = hashlib.sha256(dataset.key.encode()).hexdigest()[:32]
            dump = cluster.pg_dump(database, "--schema-only", f"--restrict-key={restrict}")
            cluster.drop_database(database)
            partial = paths[dataset].with_suffix(".partial")
            partial.write_text(dump, encoding="utf-8")
            partial.replace(paths[dataset])
            sql_path.unlink()
            elapsed = time.perf_counter() - started
            say(f"  dumped {dataset.key} ({len(dump) / 1e6:.1f} MB) in {elapsed:.0f} s")
    return paths


# -- measurements --------------------------------------------------------------------------


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``func`` takes and its result; a full collection first, so no run pays for the
    garbage of the one before."""
    gc.collect()
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def parse_floor(path: Path, *, pause_gc: bool) -> tuple[float, int]:
    """Read, split (pgdrift's splitter) and parse every statement to a kept JSON tree.

    This is the least any reader built on libpg_query must do: the C parse, its JSON output
    and ``json.loads``. Returns the seconds and the number of trees.
    """

    def run() -> list[Any]:
        source = read_source(path)
        items = split_statements(source)
        return [
            json.loads(pglast.parser.parse_sql_json(item.text))
            for item in items
            if isinstance(item, Statement)
        ]

    was_enabled = gc.isenabled()
    gc.collect()
    if pause_gc:
        gc.disable()
    try:
        seconds, trees = timed(run)
    finally:
        if was_enabled:
            gc.enable()
    count = len(trees)
    del trees
    return seconds, count


def split_only(path: Path) -> tuple[float, int, int]:
    """Seconds to read and split, the number of SQL statements and of psql meta-commands."""
    seconds, items = timed(lambda: split_statements(read_source(path)))
    statements = sum(isinstance(item, Statement) for item in items)
    return seconds, statements, len(items) - statements


_RSS_CHILD: Final = """
import json, sys
import pgdrift

def status(field):
    # VmRSS: resident now; VmHWM: the most ever resident (proc(5)), both in kB.
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(field + ":"))

pgdrift.loads("CREATE TABLE public.t (a integer);")  # import everything load touches
before = status("VmRSS")
schema = pgdrift.load(sys.argv[1])
figures = {"baseline_kib": before, "peak_kib": status("VmHWM"), "after_kib": status("VmRSS")}
print(json.dumps(figures))
"""


def load_memory(path: Path) -> dict[str, float]:
    """Peak memory of ``pgdrift.load``, two ways.

    ``rss_delta``: in a fresh interpreter, the peak resident set size during the load (Linux
    ``VmHWM``) minus the resident size just before it, after importing pgdrift: what the load
    adds at its worst, C allocations (libpg_query) and allocator slack included. The high-water
    mark is not used as the baseline because imports briefly peak higher than they keep.
    ``tracemalloc_peak`` / ``tracemalloc_retained``: Python allocations only, at the peak and
    once ``load`` has returned (the Schema kept), measured in this process.
    """
    child = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    rss = json.loads(child.stdout)
    gc.collect()
    tracemalloc.start()
    try:
        schema = pgdrift.load(path)
        retained, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del schema
    figures: dict[str, float] = {
        "rss_delta": (rss["peak_kib"] - rss["baseline_kib"]) * 1024,
        "rss_baseline": rss["baseline_kib"] * 1024,
        "rss_retained": (rss["after_kib"] - rss["baseline_kib"]) * 1024,
        "tracemalloc_peak": peak,
        "tracemalloc_retained": retained,
    }
    return figures


def plan_and_render(base: Path, variant: Path, changes: Any, repeat: int) -> dict[str, Any]:
    """Time ``pgdrift.plan.plan(changes).to_sql()``, if this pgdrift has it yet.

    A Schema caches its dependency graph, so only the first plan of a pair of schemas pays for
    building both graphs, as a one-shot CLI run does. Each cold run therefore plans a freshly
    loaded pair (``changes`` is the first); one warm run on the last pair is kept for the record.
    """
    if importlib.util.find_spec("pgdrift.plan") is None:
        return {"runs_s": [], "note": "skipped: pgdrift.plan does not exist yet"}
    module = importlib.import_module("pgdrift.plan")
    plan_func = getattr(module, "plan", None)
    if not callable(plan_func):
        return {"runs_s": [], "note": "skipped: pgdrift.plan has no plan() yet"}
    # pglast imports its printers on the first deparse; that is start-up, not planning.
    parse_expr("coalesce(a, 1) + 2").sql  # noqa: B018 - computed for its side effect

    def run() -> tuple[int, str]:
        planned = plan_func(changes)
        return len(planned), planned.to_sql()

    runs: list[float] = []
    for attempt in range(repeat):
        if attempt:
            changes = None
            changes = diff(pgdrift.load(base), pgdrift.load(variant))
        seconds, (steps, sql) = timed(run)
        runs.append(seconds)
    warm = timed(run)[0]
    return {
        "runs_s": runs,
        "warm_s": warm,
        "steps": steps,
        "sql_bytes": len(sql),
        "note": "plan(changes).to_sql(), each on freshly loaded schemas",
    }


def measure_size(
    base: Path, variant: Path, *, load_repeat: int, diff_repeat: int
) -> tuple[float, float]:
    """Best load time of ``base`` and best diff time of ``base`` against ``variant``."""
    load_runs: list[float] = []
    schema: Any = None
    for _ in range(load_repeat):
        schema = None
        seconds, schema = timed(lambda: pgdrift.load(base))
        load_runs.append(seconds)
    other = pgdrift.load(variant)
    diff_runs = [timed(lambda: diff(schema, other))[0] for _ in range(diff_repeat)]
    return min(load_runs), min(diff_runs)


# -- the run -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    memory = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_bytes": memory,
        "python": platform.python_version(),
        "pglast": pglast.__version__,
        "pgdrift": pgdrift.__version__,
        "revision": _source_revision(),
        "platform": platform.platform(),
        "date": datetime.date.today().isoformat(),
    }


def _source_revision() -> str:
    """The commit measured, with "+dirty" when the working tree has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        status = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "src"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if status else "")


def _dumped_by(path: Path) -> str | None:
    with path.open(encoding="utf-8") as dump:
        for line in itertools.islice(dump, 20):
            if line.startswith("-- Dumped by pg_dump version "):
                return line.removeprefix("-- Dumped by pg_dump version ").strip()
    return None


def scale_sizes(tables: int, option: str | None) -> list[int]:
    """``--scale``: sizes to load and diff for the growth check (default: /5, x1, x4)."""
    if option is None:
        return sorted({max(1, tables // 5), tables, tables * 4})
    if option.strip().lower() in ("", "none", "0"):
        return []
    return sorted({int(part) for part in option.split(",") if part.strip()})


def run(arguments: argparse.Namespace) -> dict[str, Any]:
    tables: int = arguments.tables
    seed: int = arguments.seed
    repeat: int = arguments.repeat
    cache: Path = arguments.cache_dir
    sizes = scale_sizes(tables, arguments.scale)
    wanted = [Dataset(n, seed, side) for n in sorted({tables, *sizes}) for side in (False, True)]
    say(f"dumps: {len(wanted)} needed in {cache}")
    dumps = ensure_dumps(wanted, cache)
    base = dumps[Dataset(tables, seed, False)]
    variant = dumps[Dataset(tables, seed, True)]
    results: dict[str, Any] = {
        "machine": machine(),
        "parameters": {"tables": tables, "seed": seed, "repeat": repeat, "scale": sizes},
        "pg_dump": _dumped_by(base),
        "targets": {
            "load_vs_floor": LOAD_RATIO_TARGET,
            "memory_vs_file": MEMORY_RATIO_TARGET,
            "diff_s": DIFF_TARGET_S,
            "plan_s": PLAN_TARGET_S,
        },
    }

    split_s, statements, meta = split_only(base)
    results["dump"] = {
        "file": base.name,
        "bytes": base.stat().st_size,
        "statements": statements,
        "meta_commands": meta,
        "split_s": split_s,
    }
    say(f"dump: {base.stat().st_size / 1e6:.2f} MB, {statements:,} statements")

    # Interleave the three so drift on a shared machine spreads over all of them alike.
    floor_paused: list[float] = []
    floor_gc: list[float] = []
    loads: list[float] = []
    schema: Any = None
    for attempt in range(repeat):
        # The previous run's Schema would make every collection of the GC-running floor slower.
        schema = None
        floor_paused.append(parse_floor(base, pause_gc=True)[0])
        floor_gc.append(parse_floor(base, pause_gc=False)[0])
        seconds, schema = timed(lambda: pgdrift.load(base))
        loads.append(seconds)
        say(
            f"  run {attempt + 1}/{repeat}: floor {floor_paused[-1]:.2f} s "
            f"(GC on {floor_gc[-1]:.2f} s), load {seconds:.2f} s"
        )
    objects = len(schema.objects)
    results["floor"] = {"gc_paused_s": floor_paused, "gc_running_s": floor_gc}
    results["load"] = {
        "runs_s": loads,
        "objects": objects,
        "ratio_to_floor": min(loads) / min(floor_paused),
    }

    memory = load_memory(base)
    memory["file_bytes"] = base.stat().st_size
    memory["ratio_rss_delta"] = memory["rss_delta"] / memory["file_bytes"]
    memory["ratio_tracemalloc_peak"] = memory["tracemalloc_peak"] / memory["file_bytes"]
    results["memory"] = memory
    say(f"  memory: RSS +{memory['rss_delta'] / 1e6:.0f} MB")

    other: Any = pgdrift.load(variant)
    diff_runs: list[float] = []
    for _ in range(repeat):
        seconds, changes = timed(lambda: diff(schema, other))
        diff_runs.append(seconds)
    by_operation = Counter(change.operation for change in changes)
    by_kind = Counter(change.kind for change in changes)
    results["diff"] = {
        "runs_s": diff_runs,
        "changes": len(changes),
        "by_operation": dict(sorted(by_operation.items())),
        "by_kind": dict(sorted(by_kind.items())),
    }
    say(f"  diff: {min(diff_runs):.3f} s, {len(changes)} changes")

    results["plan"] = plan_and_render(base, variant, changes, repeat)
    plan_runs = results["plan"]["runs_s"]
    if plan_runs:
        say(f"  plan + SQL: {min(plan_runs):.3f} s, {results['plan']['steps']} steps")
    changes = other = None  # free them before the scaling loads

    scaling: list[dict[str, Any]] = []
    for size in sizes:
        if size == tables:
            load_s, diff_s = min(loads), min(diff_runs)
        else:
            schema = None
            load_s, diff_s = measure_size(
                dumps[Dataset(size, seed, False)],
                dumps[Dataset(size, seed, True)],
                load_repeat=arguments.scale_repeat,
                diff_repeat=repeat,
            )
        scaling.append({
            "tables": size,
            "load_s": load_s,
            "diff_s": diff_s,
            "load_ms_per_table": load_s * 1000 / size,
            "diff_ms_per_table": diff_s * 1000 / size,
        })  # fmt: skip
        say(f"  scaling {size:,}: load {load_s:.2f} s, diff {diff_s:.3f} s")
    results["scaling"] = scaling
    results["met"] = {
        "load_vs_floor": results["load"]["ratio_to_floor"] <= LOAD_RATIO_TARGET,
        "memory_vs_file": memory["ratio_rss_delta"] < MEMORY_RATIO_TARGET,
        "diff": min(diff_runs) <= DIFF_TARGET_S,
        "plan": min(plan_runs) <= PLAN_TARGET_S if plan_runs else None,
    }
    return results


def _seconds(runs: Sequence[float]) -> str:
    return f"{min(runs):.3f} s  (runs: {', '.join(f'{r:.3f}' for r in runs)})"


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "not measured"}[met]


def report(results: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    m = results["machine"]
    dump = results["dump"]
    memory = results["memory"]
    met = results["met"]
    rows = [
        f"pgdrift {m['pgdrift']} ({m['revision']}) benchmarks, "
        f"{results['parameters']['tables']:,} tables (seed {results['parameters']['seed']}), "
        f"{m['date']}",
        f"{m['cpu']}, {m['cores']} cores, {m['memory_bytes'] / 2**30:.0f} GiB; "
        f"Python {m['python']}, pglast {m['pglast']}, pg_dump {results['pg_dump']}",
        "",
        f"{'dump size':<28}{dump['bytes'] / 1e6:.2f} MB, {dump['statements']:,} statements "
        f"(+{dump['meta_commands']} psql meta-commands)",
        f"{'read + split':<28}{dump['split_s']:.3f} s",
        f"{'floor, GC paused':<28}{_seconds(results['floor']['gc_paused_s'])}",
        f"{'floor, GC running':<28}{_seconds(results['floor']['gc_running_s'])}",
        f"{'pgdrift.load':<28}{_seconds(results['load']['runs_s'])}",
        f"{'  load / floor':<28}{results['load']['ratio_to_floor']:.2f}x "
        f"(target <= {LOAD_RATIO_TARGET:g}x: {_verdict(met['load_vs_floor'])}); "
        f"{results['load']['objects']:,} objects",
        f"{'peak memory, RSS delta':<28}{memory['rss_delta'] / 1e6:.0f} MB = "
        f"{memory['ratio_rss_delta']:.1f}x file "
        f"(target < {MEMORY_RATIO_TARGET:g}x: {_verdict(met['memory_vs_file'])})",
        f"{'  tracemalloc peak':<28}{memory['tracemalloc_peak'] / 1e6:.0f} MB = "
        f"{memory['ratio_tracemalloc_peak']:.1f}x file; retained "
        f"{memory['tracemalloc_retained'] / 1e6:.0f} MB",
        f"{'diff':<28}{_seconds(results['diff']['runs_s'])}; {results['diff']['changes']} "
        f"changes (target {DIFF_TARGET_S:g} s: {_verdict(met['diff'])})",
    ]
    if results["plan"]["runs_s"]:
        plan = results["plan"]
        rows.append(
            f"{'plan + render SQL':<28}{_seconds(plan['runs_s'])}; {plan['steps']} steps "
            f"(target {PLAN_TARGET_S:g} s: {_verdict(met['plan'])})"
        )
        rows.append(f"{'  warm (graphs cached)':<28}{plan['warm_s']:.3f} s")
    else:
        rows.append(f"{'plan + render SQL':<28}{results['plan']['note']}")
    if results["scaling"]:
        rows += [
            "",
            f"{'tables':>8}  {'load s':>8}  {'ms/table':>8}  {'diff s':>8}  {'ms/table':>8}",
        ]
        rows += [
            f"{s['tables']:>8,}  {s['load_s']:>8.2f}  {s['load_ms_per_table']:>8.3f}  "
            f"{s['diff_s']:>8.3f}  {s['diff_ms_per_table']:>8.4f}"
            for s in results["scaling"]
        ]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=5000, help="default: %(default)s")
    parser.add_argument("--seed", type=int, default=1, help="default: %(default)s")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (default: 3)")
    parser.add_argument(
        "--scale",
        help="comma-separated table counts for the growth check, or 'none' "
        "(default: tables/5, tables, tables*4)",
    )
    parser.add_argument(
        "--scale-repeat", type=int, default=2, help="load runs per scaling size (default: 2)"
    )
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="dumps and results")
    parser.add_argument("--results", type=Path, help="default: <cache-dir>/results.json")
    arguments = parser.parse_args(argv)
    if arguments.tables < 1 or arguments.repeat < 1 or arguments.scale_repeat < 1:
        parser.error("--tables, --repeat and --scale-repeat must be at least 1")
    try:
        results = run(arguments)
    except pgcluster.ClusterError as error:
        say(f"bench: {error}")
        return 2
    target = arguments.results or arguments.cache_dir / "results.json"
    target.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    say()
    say(report(results))
    say(f"\nwritten to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
