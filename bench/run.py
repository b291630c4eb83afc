"""Measure how fast pgdrift reads, diffs and plans a large pg_dump, against a parse-only floor.

The schema comes from ``bench/generate.py``. It is loaded into a throwaway PostgreSQL cluster
(``tools/pgcluster.py``) and dumped with the real ``pg_dump --schema-only``; dumps are cached in
``.bench/`` under a key made of the generator's parameters and a hash of its source, so a second
run starts at once. All timings come from this one process, so ratios compare like with like on
a shared, noisy machine::

    python bench/run.py                  # 5,000 tables; scaling at 1,000, 5,000 and 20,000
    python bench/run.py --tables 1000    # quick: scaling at 200, 1,000 and 4,000
    nox -s bench -- --tables 1000

The replay benchmark (``bench/replay.py``) times reading a ``--replay-files`` migration folder
of ``--replay-tables`` tables (300 and 1,000) against loading the pg_dump of its result. The
fleet benchmark (``bench/fleet.py``) then checks a generated fleet of ``--fleet`` real
dumps (default 2,000; ``--fleet 0`` skips it) with one process, a process pool and a Dask
LocalCluster. The figures are printed as a table and written to ``.bench/results.json``.
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
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Final, TypeVar

import pglast
import pglast.parser

import pgdrift
from pgdrift.differ import diff
from pgdrift.expr import parse_expr
from pgdrift.reader import Statement, read_source, split_statements
from pgdrift.reader.parse import sharing_parses

_T = TypeVar("_T")

ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_CACHE: Final = ROOT / ".bench"

#: The targets the figures are held to (the issues' numbers: 12 tightened load and memory).
LOAD_RATIO_TARGET: Final = 2.0
MEMORY_RATIO_TARGET: Final = 8.0
DIFF_TARGET_S: Final = 0.5
PLAN_TARGET_S: Final = 1.0
LINT_RATIO_TARGET: Final = 0.5


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
peers = _load_module("pgdrift_bench_peers", ROOT / "bench" / "peers.py")
pgcluster = _load_module("pgdrift_bench_pgcluster", ROOT / "tools" / "pgcluster.py")
fleet_bench = _load_module("pgdrift_bench_fleet", ROOT / "bench" / "fleet.py")
replay_bench = _load_module("pgdrift_bench_replay", ROOT / "bench" / "replay.py")
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


@dataclass
class Runs:
    """Repeated timings of one thing: wall-clock and CPU seconds of each run.

    Wall time is what the targets are stated in. CPU time (``time.process_time``) leaves out
    the time other processes on a shared machine take the core away; it does not undo the
    slowdown they cause (shared caches), so on a busy machine compare ratios within one run.
    """

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def time(self, func: Callable[[], _T]) -> _T:
        """Run ``func`` once, timed, after a full collection (so no run pays for the garbage
        of the one before), and return its result."""
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)
        return result

    @property
    def best(self) -> float:
        return min(self.wall)

    @property
    def best_cpu(self) -> float:
        return min(self.cpu)

    def as_json(self) -> dict[str, Any]:
        return {"runs_s": self.wall, "cpu_runs_s": self.cpu}


def parse_floor(path: Path, runs: Runs, *, pause_gc: bool) -> int:
    """Read, split (pgdrift's splitter) and parse every statement to a kept JSON tree.

    This is the least any reader built on libpg_query must do: the C parse, its JSON output
    and ``json.loads``. Adds a run to ``runs``; returns the number of trees.
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
        trees = runs.time(run)
    finally:
        if was_enabled:
            gc.enable()
    count = len(trees)
    del trees
    return count


def split_only(path: Path) -> tuple[float, int, int]:
    """Seconds to read and split, the number of SQL statements and of psql meta-commands."""
    runs = Runs()
    items = runs.time(lambda: split_statements(read_source(path)))
    statements = sum(isinstance(item, Statement) for item in items)
    return runs.best, statements, len(items) - statements


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


def cached_load(path: Path, repeat: int) -> dict[str, Any]:
    """``pgdrift.load(path, cache=...)`` once the entry is written: a warm load."""
    from pgdrift.cache import SchemaCache  # noqa: PLC0415 - absent before issue 12

    with tempfile.TemporaryDirectory(prefix="pgdrift-bench-cache-") as directory:
        store = SchemaCache(Path(directory) / "cache")
        runs = Runs()
        runs.time(lambda: pgdrift.load(path, cache=store))
        written = Runs()
        written.wall, written.cpu = runs.wall[:], runs.cpu[:]
        runs = Runs()
        for _ in range(repeat):
            runs.time(lambda: pgdrift.load(path, cache=store))
        entry_bytes = sum(p.stat().st_size for p in store.directory.glob("*.schema"))
    return {**runs.as_json(), "first_s": written.best, "entry_bytes": entry_bytes}


def plan_and_render(base: Path, variant: Path, changes: Any, repeat: int) -> dict[str, Any]:
    """Time planning ``changes`` and writing the script, if this pgdrift has a planner yet.

    A Schema caches its dependency graph, so only the first plan of a pair of schemas pays for
    building both graphs, as a one-shot CLI run does. Each cold run therefore plans a freshly
    loaded pair (``changes`` is the first); one warm run on the last pair is kept for the record.
    """
    if importlib.util.find_spec("pgdrift.planner") is None:
        return {"runs_s": [], "note": "skipped: pgdrift.plan does not exist yet"}
    module = importlib.import_module("pgdrift.planner")
    plan_func = getattr(module, "plan", None)
    if not callable(plan_func):
        return {"runs_s": [], "note": "skipped: pgdrift.plan has no plan() yet"}
    # pglast imports its printers on the first deparse; that is start-up, not planning.
    parse_expr("coalesce(a, 1) + 2").sql  # noqa: B018 - computed for its side effect

    # The script writer is pgdrift.renderer.render_plan_sql; older versions had Plan.to_sql.
    render_plan_sql = getattr(importlib.import_module("pgdrift.renderer"), "render_plan_sql", None)

    def run() -> tuple[int, str]:
        planned = plan_func(changes)
        script = render_plan_sql(planned) if render_plan_sql is not None else planned.to_sql()
        return len(planned), script

    cold = Runs()
    for attempt in range(repeat):
        if attempt:
            changes = None
            changes = diff(pgdrift.load(base), pgdrift.load(variant))
        steps, sql = cold.time(run)
    warm = Runs()
    warm.time(run)
    return {
        **cold.as_json(),
        "warm_s": warm.best,
        "steps": steps,
        "sql_bytes": len(sql),
        "note": "render_plan_sql(plan(changes)), each on freshly loaded schemas",
    }


def measure_size(
    base: Path, variant: Path, *, load_repeat: int, diff_repeat: int
) -> tuple[Runs, Runs]:
    """Timings of loading ``base`` and of diffing it against ``variant``."""
    loads, diffs = Runs(), Runs()
    schema: Any = None
    for _ in range(load_repeat):
        schema = None
        schema = loads.time(lambda: pgdrift.load(base))
    other = pgdrift.load(variant)
    for _ in range(diff_repeat):
        diffs.time(lambda: diff(schema, other))
    return loads, diffs


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
            "lint_vs_load": LINT_RATIO_TARGET,
        },
    }

    split_s, statements, meta = split_only(base)
    file_bytes = base.stat().st_size
    results["dump"] = {
        "file": base.name,
        "bytes": file_bytes,
        "statements": statements,
        "meta_commands": meta,
        "split_s": split_s,
    }
    say(f"dump: {file_bytes / 1e6:.2f} MB, {statements:,} statements")

    # Interleave the three so drift on a shared machine spreads over all of them alike.
    floor_paused, floor_gc, loads = Runs(), Runs(), Runs()
    schema: Any = None
    for attempt in range(repeat):
        # The previous run's Schema would make every collection of the GC-running floor slower.
        schema = None
        parse_floor(base, floor_paused, pause_gc=True)
        parse_floor(base, floor_gc, pause_gc=False)
        schema = loads.time(lambda: pgdrift.load(base))
        say(
            f"  run {attempt + 1}/{repeat}: floor {floor_paused.wall[-1]:.2f} s "
            f"(GC on {floor_gc.wall[-1]:.2f} s), load {loads.wall[-1]:.2f} s "
            f"(CPU: {floor_paused.cpu[-1]:.2f}, {floor_gc.cpu[-1]:.2f}, {loads.cpu[-1]:.2f})"
        )
    results["floor"] = {"gc_paused": floor_paused.as_json(), "gc_running": floor_gc.as_json()}
    results["load"] = {
        **loads.as_json(),
        "objects": len(schema.objects),
        "ratio_to_floor": loads.best / floor_paused.best,
        "cpu_ratio_to_floor": loads.best_cpu / floor_paused.best_cpu,
    }

    results["load_cached"] = cached_load(base, repeat)
    say(f"  load from the schema cache: {min(results['load_cached']['runs_s']):.2f} s")

    memory = load_memory(base)
    memory["file_bytes"] = file_bytes
    memory["ratio_rss_delta"] = memory["rss_delta"] / file_bytes
    memory["ratio_tracemalloc_peak"] = memory["tracemalloc_peak"] / file_bytes
    results["memory"] = memory
    say(f"  memory: RSS +{memory['rss_delta'] / 1e6:.0f} MB")

    schema = None
    results["pair"] = measure_pair(base, variant, repeat)
    pair = results["pair"]
    say(f"  both sides: {pair['plain']['best_s']:.2f} s, sharing parses "
        f"{pair['shared']['best_s']:.2f} s ({pair['cpu_ratio']:.2f}x CPU)")  # fmt: skip
    schema = pgdrift.load(base)

    other: Any = pgdrift.load(variant)
    diffs = Runs()
    changes: Any = None
    for _ in range(repeat):
        changes = diffs.time(lambda: diff(schema, other))
    by_operation = Counter(change.operation for change in changes)
    by_kind = Counter(change.kind for change in changes)
    results["diff"] = {
        **diffs.as_json(),
        "changes": len(changes),
        "by_operation": dict(sorted(by_operation.items())),
        "by_kind": dict(sorted(by_kind.items())),
    }
    say(f"  diff: {diffs.best:.3f} s, {len(changes)} changes")

    results["lint"] = measure_lint(schema, loads, repeat)
    if results["lint"]["runs_s"]:
        say(f"  lint: {results['lint']['best_s']:.3f} s, {results['lint']['findings']} findings")

    results["plan"] = plan_and_render(base, variant, changes, repeat)
    plan_runs = results["plan"]["runs_s"]
    if plan_runs:
        say(f"  plan + SQL: {min(plan_runs):.3f} s, {results['plan']['steps']} steps")
    changes = other = None  # free them before the scaling loads

    scaling: list[dict[str, Any]] = []
    for size in sizes:
        if size == tables:
            size_loads, size_diffs = loads, diffs
        else:
            schema = None
            size_loads, size_diffs = measure_size(
                dumps[Dataset(size, seed, False)],
                dumps[Dataset(size, seed, True)],
                load_repeat=arguments.scale_repeat,
                diff_repeat=repeat,
            )
        scaling.append({
            "tables": size,
            "load_s": size_loads.best,
            "load_cpu_s": size_loads.best_cpu,
            "diff_s": size_diffs.best,
            "diff_cpu_s": size_diffs.best_cpu,
            "load_ms_per_table": size_loads.best * 1000 / size,
            "load_cpu_ms_per_table": size_loads.best_cpu * 1000 / size,
            "diff_ms_per_table": size_diffs.best * 1000 / size,
            "diff_cpu_ms_per_table": size_diffs.best_cpu * 1000 / size,
        })  # fmt: skip
        say(f"  scaling {size:,}: load {size_loads.best:.2f} s, diff {size_diffs.best:.3f} s")
    results["scaling"] = scaling
    if arguments.replay_tables:
        say(f"  replay: a {arguments.replay_files}-file migration folder of "
            f"{arguments.replay_tables:,} tables (bench/replay.py)...")
        results["replay"] = replay_bench.measure(
            arguments.replay_tables, arguments.replay_files, seed, cache, repeat, say
        )
    if arguments.fleet:
        say(f"  fleet: {arguments.fleet:,} generated dumps (tools/fleet.py)...")
        results["fleet"] = fleet_bench.measure(arguments.fleet, seed, cache, say)
    if arguments.peers:
        say("  whole processes: pgdrift diff and apgdiff...")
        results["peers"] = peers.measure(base, variant, arguments.cli_repeat)
    results["met"] = {
        "load_vs_floor": results["load"]["ratio_to_floor"] <= LOAD_RATIO_TARGET,
        "memory_vs_file": memory["ratio_rss_delta"] <= MEMORY_RATIO_TARGET,
        "diff": diffs.best <= DIFF_TARGET_S,
        "plan": min(plan_runs) <= PLAN_TARGET_S if plan_runs else None,
        "lint": (results["lint"]["ratio_to_load"] <= LINT_RATIO_TARGET
                 if results["lint"]["runs_s"] else None),
    }  # fmt: skip
    return results


def measure_pair(base: Path, variant: Path, repeat: int) -> dict[str, Any]:
    """Loading both sides of the diff one after the other, as ``pgdrift diff`` does in one
    process, with and without the shared parse (``sharing_parses``), interleaved."""
    plain, shared = Runs(), Runs()

    def both() -> None:
        pgdrift.load(base)
        pgdrift.load(variant)

    def both_sharing() -> None:
        with sharing_parses():
            both()

    for _ in range(repeat):
        plain.time(both)
        shared.time(both_sharing)
    return {
        "plain": {**plain.as_json(), "best_s": plain.best, "best_cpu_s": plain.best_cpu},
        "shared": {**shared.as_json(), "best_s": shared.best, "best_cpu_s": shared.best_cpu},
        "cpu_ratio": shared.best_cpu / plain.best_cpu,
    }


def measure_lint(schema: Any, loads: Runs, repeat: int) -> dict[str, Any]:
    """Timings of every lint rule (``select=["ALL"]``, the supabase preset so the exposure
    rules run too) on the loaded schema, against the best load time."""
    lint = getattr(pgdrift, "lint", None)  # older versions have no linter
    if lint is None:
        return {"runs_s": [], "cpu_runs_s": [], "note": "this version has no pgdrift.lint"}
    runs = Runs()
    findings: Any = None
    for _ in range(repeat):
        findings = runs.time(lambda: lint(schema, preset="supabase", select=["ALL"]))
    return {**runs.as_json(), "best_s": runs.best, "findings": len(findings),
            "ratio_to_load": runs.best / loads.best}  # fmt: skip


def _pair_rows(pair: dict[str, Any] | None) -> list[str]:
    if pair is None:
        return []
    return [
        f"{'load A, then B':<24}{_timing(pair['plain'])}",
        f"{'  sharing parses':<24}{_timing(pair['shared'])}; CPU {pair['cpu_ratio']:.2f}x",
    ]


def _timing(runs: dict[str, Any]) -> str:
    """Best wall time, best CPU time, and every wall-clock run."""
    wall = runs["runs_s"]
    listed = ", ".join(f"{r:.3f}" for r in wall)
    return f"{min(wall):.3f} s, CPU {min(runs['cpu_runs_s']):.3f} s  (runs: {listed})"


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "not measured"}[met]


def report(results: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    m = results["machine"]
    dump = results["dump"]
    load = results["load"]
    memory = results["memory"]
    plan = results["plan"]
    met = results["met"]
    rows = [
        f"pgdrift {m['pgdrift']} ({m['revision']}) benchmarks, "
        f"{results['parameters']['tables']:,} tables (seed {results['parameters']['seed']}), "
        f"{m['date']}",
        f"{m['cpu']}, {m['cores']} cores, {m['memory_bytes'] / 2**30:.0f} GiB; "
        f"Python {m['python']}, pglast {m['pglast']}, pg_dump {results['pg_dump']}",
        "",
        f"{'dump size':<24}{dump['bytes'] / 1e6:.2f} MB, {dump['statements']:,} statements "
        f"(+{dump['meta_commands']} psql meta-commands)",
        f"{'read + split':<24}{dump['split_s']:.3f} s",
        f"{'floor, GC paused':<24}{_timing(results['floor']['gc_paused'])}",
        f"{'floor, GC running':<24}{_timing(results['floor']['gc_running'])}",
        f"{'pgdrift.load':<24}{_timing(load)}",
        f"{'  load / floor':<24}{load['ratio_to_floor']:.2f}x, CPU "
        f"{load['cpu_ratio_to_floor']:.2f}x (target <= {LOAD_RATIO_TARGET:g}x: "
        f"{_verdict(met['load_vs_floor'])}); {load['objects']:,} objects",
        f"{'peak memory, RSS':<24}+{memory['rss_delta'] / 1e6:.0f} MB = "
        f"{memory['ratio_rss_delta']:.1f}x file "
        f"(target <= {MEMORY_RATIO_TARGET:g}x: {_verdict(met['memory_vs_file'])})",
        f"{'  tracemalloc':<24}peak {memory['tracemalloc_peak'] / 1e6:.0f} MB = "
        f"{memory['ratio_tracemalloc_peak']:.1f}x file; retained "
        f"{memory['tracemalloc_retained'] / 1e6:.0f} MB",
        f"{'load, schema cache':<24}{_timing(results['load_cached'])}",
        f"{'':<24}{results['load_cached']['entry_bytes'] / 1e6:.1f} MB entry; the first load, "
        f"writing it, {results['load_cached']['first_s']:.3f} s",
        *_pair_rows(results.get("pair")),
        f"{'diff':<24}{_timing(results['diff'])}",
        f"{'':<24}{results['diff']['changes']} changes "
        f"(target {DIFF_TARGET_S:g} s: {_verdict(met['diff'])})",
    ]
    lint = results.get("lint", {"runs_s": []})
    if lint["runs_s"]:
        rows += [
            f"{'lint, every rule':<24}{_timing(lint)}",
            f"{'  lint / load':<24}{lint['ratio_to_load']:.2f}x (target <= "
            f"{LINT_RATIO_TARGET:g}x: {_verdict(met['lint'])}); {lint['findings']:,} findings",
        ]
    if plan["runs_s"]:
        rows += [
            f"{'plan + SQL, cold':<24}{_timing(plan)}",
            f"{'':<24}{plan['steps']} steps (target {PLAN_TARGET_S:g} s: "
            f"{_verdict(met['plan'])}); warm (graphs cached) {plan['warm_s']:.3f} s",
        ]
    else:
        rows.append(f"{'plan + SQL':<24}{plan['note']}")
    if results["scaling"]:
        rows += [
            "",
            f"{'tables':>8}  {'load s':>7}  {'CPU s':>7}  {'CPU ms/table':>12}"
            f"  {'diff s':>7}  {'CPU s':>7}  {'CPU ms/table':>12}",
        ]
        rows += [
            f"{s['tables']:>8,}  {s['load_s']:>7.2f}  {s['load_cpu_s']:>7.2f}  "
            f"{s['load_cpu_ms_per_table']:>12.3f}  {s['diff_s']:>7.3f}  {s['diff_cpu_s']:>7.3f}  "
            f"{s['diff_cpu_ms_per_table']:>12.4f}"
            for s in results["scaling"]
        ]
    if "replay" in results:
        rows += replay_bench.report(results["replay"])
    if "fleet" in results:
        rows += fleet_bench.report(results["fleet"])
    if "peers" in results:
        rows += peers.report(results["peers"])
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
    parser.add_argument(
        "--cli-repeat", type=int, default=3,
        help="runs of each whole-process diff, pgdrift's and apgdiff's (default: 3)",
    )  # fmt: skip
    parser.add_argument("--replay-tables", type=int, default=1000, metavar="N",
                        help="tables of the migration folder replayed (bench/replay.py); 0 "
                        "skips it (default: %(default)s)")  # fmt: skip
    parser.add_argument("--replay-files", type=int, default=300, metavar="N",
                        help="files of that folder (default: %(default)s)")  # fmt: skip
    parser.add_argument("--fleet", type=int, default=2000, metavar="N",
                        help="dumps in the generated fleet (bench/fleet.py); 0 skips it "
                        "(default: %(default)s)")  # fmt: skip
    parser.add_argument("--no-peers", dest="peers", action="store_false",
                        help="skip the whole-process comparison with apgdiff")  # fmt: skip
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="dumps and results")
    parser.add_argument("--results", type=Path, help="default: <cache-dir>/results.json")
    arguments = parser.parse_args(argv)
    if min(arguments.tables, arguments.repeat, arguments.scale_repeat, arguments.cli_repeat) < 1:
        parser.error("--tables, --repeat, --scale-repeat and --cli-repeat must be at least 1")
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
