"""The persistent cache of loaded schemas (pgdrift.cache) and its users: load(cache=...), the
CLI (--no-cache, PGDRIFT_CACHE_DIR, REV:path) and the second side loaded in a worker process.

No test here times anything: speed is measured by bench/run.py.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

import pgdrift.cache
from pgdrift import cli, parallel
from pgdrift.cache import SchemaCache, pickle_schema, unpickle_schema
from pgdrift.cli.inputs import load_pair
from pgdrift.errors import Error
from pgdrift.loading import load

ROOT = Path(__file__).resolve().parent.parent
LIVECONVO = ROOT / "fixtures" / "liveconvo" / "prod" / "dump.sql"
OTHER = ROOT / "fixtures" / "constraints" / "dump.sql"


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.schema"))


@pytest.fixture
def cache(tmp_path: Path) -> SchemaCache:
    return SchemaCache(tmp_path / "cache")


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "dump.sql"
    shutil.copyfile(LIVECONVO, path)
    return path


def assert_same_schema(cached: pgdrift.Schema, fresh: pgdrift.Schema) -> None:
    assert cached == fresh
    assert cached.objects.keys() == fresh.objects.keys()
    for oid, obj in fresh.objects.items():
        # Object equality leaves out source spans and TOC entries; the cache keeps them too.
        assert cached.objects[oid] == obj
        assert getattr(cached.objects[oid], "source", None) == getattr(obj, "source", None)
    assert (cached.source, cached.database, cached.warnings, cached.dumped_by) == (
        fresh.source, fresh.database, fresh.warnings, fresh.dumped_by)  # fmt: skip


# -- the cache itself ----------------------------------------------------------------------


def test_a_cached_schema_equals_a_fresh_load(cache: SchemaCache, dump: Path) -> None:
    first = load(dump, cache=cache)
    assert len(entries(cache.directory)) == 1
    second = load(dump, cache=cache)
    assert cache.holds_last
    assert second is not first
    assert_same_schema(second, load(dump))


def test_the_schema_graph_works_on_a_cached_schema(cache: SchemaCache, dump: Path) -> None:
    load(dump, cache=cache).graph  # noqa: B018 - a built graph is not written with the entry
    cached = load(dump, cache=cache)
    assert sorted(map(str, cached.graph.nodes)) == sorted(map(str, load(dump).graph.nodes))


def test_a_changed_file_misses(cache: SchemaCache, dump: Path) -> None:
    load(dump, cache=cache)
    dump.write_text(dump.read_text() + "\nCREATE TABLE public.extra (a integer);\n")
    schema = load(dump, cache=cache)
    assert "public.extra" in schema.tables
    assert len(entries(cache.directory)) == 2


@pytest.mark.parametrize(
    "options",
    [{"strict": False}, {"encoding": "latin-1"}, {"name": "other-name.sql"}, {"database": "x"}],
)
def test_other_load_options_miss(
    cache: SchemaCache, dump: Path, options: dict[str, object]
) -> None:
    load(dump, cache=cache)
    # A database that a plain dump does not have is an error: the point here is only the key.
    with contextlib.suppress(Error):
        load(dump, cache=cache, **options)  # type: ignore[arg-type]
    assert not cache.holds_last or len(entries(cache.directory)) == 2
    key_default = cache.key(dump.read_bytes(), {"strict": True, "database": None,
                                                "encoding": None, "name": str(dump)})  # fmt: skip
    changed = {"strict": True, "database": None, "encoding": None, "name": str(dump), **options}
    assert cache.key(dump.read_bytes(), changed) != key_default


def test_another_pgdrift_version_misses(
    cache: SchemaCache, dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(dump, cache=cache)
    monkeypatch.setattr(pgdrift.cache, "code_fingerprint", lambda: "another pgdrift")
    load(dump, cache=cache)
    assert not cache.holds_last or len(entries(cache.directory)) == 2
    assert len(entries(cache.directory)) == 2


def test_the_fingerprint_covers_the_version_and_every_module(tmp_path: Path) -> None:
    fingerprint = pgdrift.cache.code_fingerprint()
    assert len(fingerprint) == 64
    assert fingerprint == pgdrift.cache.code_fingerprint()
    # Every module counts by size and modification time, as a .pyc's staleness is judged.
    (tmp_path / "sub" / "__pycache__").mkdir(parents=True)
    (tmp_path / "a.py").write_text("A = 1\n")
    (tmp_path / "sub" / "b.py").write_text("B = 1\n")
    (tmp_path / "sub" / "__pycache__" / "c.py").write_text("")
    (tmp_path / "notes.txt").write_text("")
    before = sorted(pgdrift.cache.module_stats(str(tmp_path)))
    assert [name for name, _, _ in before] == ["a.py", "sub/b.py"]
    os.utime(tmp_path / "sub" / "b.py", ns=(0, 10**9))
    assert sorted(pgdrift.cache.module_stats(str(tmp_path))) != before


@pytest.mark.parametrize(
    "damage",
    ["truncate", "flip-payload", "flip-digest", "other-key", "garbage", "empty", "not-a-schema"],
)
def test_a_damaged_entry_is_rebuilt_never_an_error(
    cache: SchemaCache, dump: Path, damage: str
) -> None:
    load(dump, cache=cache)
    (entry,) = entries(cache.directory)
    data = bytearray(entry.read_bytes())
    header = len(b"pgdrift-schema-cache 1\n")
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip-payload":
        data[-10] ^= 0xFF
    elif damage == "flip-digest":
        data[header + 70] ^= 0x01
    elif damage == "other-key":
        data[header] = ord("0") if data[header] != ord("0") else ord("1")
    elif damage == "garbage":
        data = bytearray(os.urandom(4096))
    elif damage == "empty":
        data = bytearray()
    else:
        # A whole, well-formed entry whose pickle holds something else than a Schema.
        import hashlib  # noqa: PLC0415
        import pickle  # noqa: PLC0415
        import zlib  # noqa: PLC0415

        payload = zlib.compress(pickle.dumps(["not", "a", "schema"]))
        key = entry.name.removesuffix(".schema")
        digest = hashlib.sha256(payload).hexdigest()
        data = bytearray(b"pgdrift-schema-cache 1\n" + f"{key}\n{digest}\n".encode() + payload)
    entry.write_bytes(bytes(data))
    schema = load(dump, cache=cache)
    assert not cache.holds_last or entry.read_bytes() != bytes(data)
    assert_same_schema(schema, load(dump))
    # Rebuilt: the next load reads a whole entry again.
    load(dump, cache=cache)
    assert cache.holds_last


def test_an_entry_that_is_a_symlink_is_not_read(cache: SchemaCache, dump: Path) -> None:
    load(dump, cache=cache)
    (entry,) = entries(cache.directory)
    elsewhere = entry.with_name("elsewhere")
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert cache.get(entry.name.removesuffix(".schema")) is None


def _write_many(directory: str, path: str, rounds: int) -> None:
    store = SchemaCache(directory)
    schema = load(path)
    key = store.key(Path(path).read_bytes(), {"test": "concurrent"})
    for _ in range(rounds):
        assert store.put(key, schema)
        got = store.get(key)
        assert got is None or got == schema


def test_two_concurrent_writers_do_not_corrupt_an_entry(cache: SchemaCache, dump: Path) -> None:
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_many, args=(str(cache.directory), str(dump), 15))
               for _ in range(2)]  # fmt: skip
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    assert [writer.exitcode for writer in writers] == [0, 0]
    key = cache.key(dump.read_bytes(), {"test": "concurrent"})
    # Written by other processes (another hash seed each): no cached hash may have travelled.
    got = cache.get(key)
    assert got is not None
    assert_same_schema(got, load(dump))
    assert [p.name for p in cache.directory.iterdir()] == [f"{key}.schema"]  # no temp files


def test_the_size_bound_evicts_the_least_recently_used(tmp_path: Path, dump: Path) -> None:
    store = SchemaCache(tmp_path / "c")
    schema = load(dump)
    store.put("a" * 64, schema)
    size = entries(store.directory)[0].stat().st_size
    store.max_bytes = 2 * size + size // 2
    store.put("b" * 64, schema)
    old = store.directory / ("a" * 64 + ".schema")
    os.utime(old, (1, 1))
    os.utime(store.directory / ("b" * 64 + ".schema"), (2, 2))
    store.get("a" * 64)  # a use makes it the most recent
    store.put("c" * 64, schema)
    assert [p.name[0] for p in entries(store.directory)] == ["a", "c"]
    store.max_bytes = 0
    assert not store.put("d" * 64, schema)


def test_an_entry_larger_than_the_bound_is_not_written(tmp_path: Path, dump: Path) -> None:
    store = SchemaCache(tmp_path / "c", max_bytes=100)
    assert not store.put("a" * 64, load(dump))
    assert entries(store.directory) == []


def test_the_size_bound_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGDRIFT_CACHE_SIZE", "12345")
    assert SchemaCache("/nowhere").max_bytes == 12345
    monkeypatch.setenv("PGDRIFT_CACHE_SIZE", "lots")
    assert SchemaCache("/nowhere").max_bytes == pgdrift.cache.DEFAULT_MAX_BYTES


def test_the_directory_is_created_private(cache: SchemaCache, dump: Path) -> None:
    load(dump, cache=cache)
    assert stat.S_IMODE(cache.directory.stat().st_mode) == 0o700


def test_a_directory_open_to_others_is_not_used(cache: SchemaCache, dump: Path) -> None:
    load(dump, cache=cache)
    cache.directory.chmod(0o755)
    assert load(dump, cache=cache) == load(dump)
    assert not cache.holds_last
    assert cache.problem is not None
    assert "open to other users (mode 755, needs 700)" in cache.problem
    assert not cache.put("a" * 64, load(dump))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a directory to another user needs root")  # fmt: skip
def test_a_directory_of_another_user_is_not_used(cache: SchemaCache, dump: Path) -> None:
    load(dump, cache=cache)
    os.chown(cache.directory, 65534, -1)
    assert load(dump, cache=cache) == load(dump)
    assert not cache.holds_last
    assert cache.problem is not None
    assert "belongs to another user" in cache.problem


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a file to another user needs root")  # fmt: skip
def test_an_entry_of_another_user_is_not_read(cache: SchemaCache, dump: Path) -> None:
    load(dump, cache=cache)
    (entry,) = entries(cache.directory)
    os.chown(entry, 65534, -1)
    assert cache.get(entry.name.removesuffix(".schema")) is None


def test_the_default_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGDRIFT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg/cache")
    assert pgdrift.cache.default_cache_dir() == Path("/xdg/cache/pgdrift")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert pgdrift.cache.default_cache_dir() == Path.home() / ".cache" / "pgdrift"
    monkeypatch.setenv("PGDRIFT_CACHE_DIR", "/mine")
    assert pgdrift.cache.default_cache_dir() == Path("/mine")


def test_the_library_does_not_cache_unless_asked(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGDRIFT_CACHE_DIR", str(tmp_path / "never"))
    load(dump)
    assert not (tmp_path / "never").exists()
    load(dump, cache=True)
    assert len(entries(tmp_path / "never")) == 1
    with pytest.raises(TypeError, match="cache must be True, False or a SchemaCache"):
        load(dump, cache="yes")  # type: ignore[arg-type]


def test_a_pickled_schema_round_trips(dump: Path) -> None:
    schema = load(dump)
    assert_same_schema(unpickle_schema(pickle_schema(schema)), schema)
    with pytest.raises(TypeError, match="not a pickled Schema"):
        unpickle_schema(__import__("pickle").dumps(1))


# -- the CLI -------------------------------------------------------------------------------


def run_cli(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_cli_caches_by_default_and_no_cache_never_touches_it(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "cli-cache"
    monkeypatch.setenv("PGDRIFT_CACHE_DIR", str(directory))
    assert run_cli("diff", "--no-cache", str(dump), str(OTHER), capsys=capsys)[0] == 1
    assert run_cli("inspect", "--no-cache", str(dump), capsys=capsys)[0] == 0
    assert not directory.exists()
    first = run_cli("diff", str(dump), str(OTHER), capsys=capsys)
    assert len(entries(directory)) == 2
    second = run_cli("diff", str(dump), str(OTHER), capsys=capsys)
    assert first == second
    assert first[0] == 1


def test_the_cli_warns_once_about_an_unusable_cache(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "open"
    directory.mkdir(mode=0o777)
    directory.chmod(0o777)
    monkeypatch.setenv("PGDRIFT_CACHE_DIR", str(directory))
    status, _, err = run_cli("diff", "-q", str(dump), str(dump), capsys=capsys)
    assert status == 0
    assert err == (f"pgdrift: warning: the cache directory {directory} is open to other users "
                   "(mode 777, needs 700); cache not used\n")  # fmt: skip
    assert list(directory.iterdir()) == []


def test_rev_path_inputs_use_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copyfile(LIVECONVO, repo / "dump.sql")
    for args in (["init", "-q"], ["add", "dump.sql"], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                        "-c", "commit.gpgsign=false", *args],
                       cwd=repo, check=True, capture_output=True)  # fmt: skip
    directory = tmp_path / "c"
    monkeypatch.setenv("PGDRIFT_CACHE_DIR", str(directory))
    monkeypatch.chdir(repo)
    assert run_cli("inspect", "HEAD:dump.sql", capsys=capsys)[0] == 0
    assert len(entries(directory)) == 1
    assert run_cli("diff", "-q", "HEAD:dump.sql", "dump.sql", capsys=capsys)[0] == 0
    # The name shown in messages is part of the key: the plain path is a second entry.
    assert len(entries(directory)) == 2


# -- the second side in a worker -----------------------------------------------------------


@pytest.mark.parametrize("cached", [True, False], ids=["cache", "no-cache"])
def test_the_second_side_loaded_in_a_worker_equals_a_plain_load(
    dump: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    cached: bool,
) -> None:  # fmt: skip
    started: list[object] = []
    real = parallel.run_beside

    def spy(*args: object) -> object:
        started.append(args[1])
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setenv("PGDRIFT_JOBS", "2")
    monkeypatch.setattr(parallel, "run_beside", spy)
    options = [] if cached else ["--no-cache"]
    args = cli.build_parser().parse_args(["diff", *options, str(OTHER), str(dump)])
    old, new = load_pair(args)
    assert started == [str(dump)]
    assert_same_schema(new, load(dump))
    assert_same_schema(old, load(OTHER))
    # Once B is in the cache, reading it here beats starting a worker.
    started.clear()
    load_pair(cli.build_parser().parse_args(["diff", *options, str(OTHER), str(dump)]))
    assert started == ([] if cached else [str(dump)])


def test_a_failing_worker_reports_the_error_as_without_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.sql"
    bad.write_text("CREATE TABLE public.t (a integer;\n")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setenv("PGDRIFT_JOBS", "2")
    with_worker = run_cli("diff", str(OTHER), str(bad), capsys=capsys)
    monkeypatch.setenv("PGDRIFT_JOBS", "1")
    without = run_cli("diff", str(OTHER), str(bad), capsys=capsys)
    assert with_worker == without
    assert with_worker[0] == 2
    assert with_worker[2].startswith(f"pgdrift: {bad}:1:")


def test_when_a_worker_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 10)
    monkeypatch.setenv("PGDRIFT_JOBS", "1")
    assert not parallel.worth_a_worker(None)
    monkeypatch.setenv("PGDRIFT_JOBS", "2")
    assert parallel.worth_a_worker(None)
    assert parallel.worth_a_worker(10)
    assert not parallel.worth_a_worker(9)
    monkeypatch.delenv("PGDRIFT_JOBS")
    monkeypatch.setattr(parallel, "measured_busy", lambda: None)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 4)
    monkeypatch.setattr(parallel, "busy_cores", lambda: 2.5)
    assert parallel.worth_a_worker(10)
    monkeypatch.setattr(parallel, "busy_cores", lambda: 3.5)
    assert not parallel.worth_a_worker(10)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 1)
    monkeypatch.setattr(parallel, "busy_cores", lambda: 0.0)
    assert not parallel.worth_a_worker(10)


def _proc_stat(*cpus: tuple[int, int, int, int]) -> str:
    """A /proc/stat whose CPU n spent (user, system, idle, steal) ticks since boot."""
    lines = ["cpu  0 0 0 0 0 0 0 0 0 0"]
    for number, (user, system, idle, steal) in enumerate(cpus):
        lines.append(f"cpu{number} {user} 5 {system} {idle} 7 1 1 {steal} 0 0")
    return "\n".join([*lines, "intr 12345", "ctxt 67890"]) + "\n"


def test_measured_busy_is_what_the_other_processes_used_of_the_usable_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stat_file = tmp_path / "stat"
    monkeypatch.setattr(parallel, "PROC_STAT", stat_file)
    monkeypatch.setattr(parallel, "CPU_MAX", tmp_path / "no-cpu.max")
    monkeypatch.setattr(os, "sysconf", lambda name: 100)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    clock = [1000.0]
    own = [2.0]
    monkeypatch.setattr(parallel.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(parallel, "_own_cpu", lambda: own[0])
    monkeypatch.setattr(parallel, "_MARK", [])
    assert parallel.measured_busy() is None  # not marked
    stat_file.write_text(_proc_stat((100, 50, 900, 0), (200, 0, 800, 0), (0, 0, 0, 0)))
    parallel.mark_start()
    # 0.5 s later: CPU 0 busy 30 ticks more, CPU 1 busy 40 more (10 of them steal), CPU 2 (not
    # ours) 50 more; this process used 0.2 s of that. Others: (0.7 - 0.2) / 0.5 = 1 core.
    stat_file.write_text(_proc_stat((120, 60, 920, 0), (220, 10, 860, 10), (50, 0, 0, 0)))
    clock[0] += 0.5
    own[0] += 0.2
    assert parallel.measured_busy() == pytest.approx(1.0)
    # Too short a window says too little: the load figures decide then.
    parallel.mark_start()
    clock[0] += parallel.MIN_WINDOW / 2
    assert parallel.measured_busy() is None
    stat_file.unlink()
    parallel.mark_start()
    assert parallel._MARK == []  # nothing to read: not Linux


def test_measured_busy_follows_a_cgroup_quota_usage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cpu_max, cpu_stat = tmp_path / "cpu.max", tmp_path / "cpu.stat"
    monkeypatch.setattr(parallel, "CPU_MAX", cpu_max)
    monkeypatch.setattr(parallel, "CPU_STAT", cpu_stat)
    cpu_max.write_text("200000 100000\n")
    monkeypatch.setattr(parallel, "_MARK", [])
    clock = [50.0]
    monkeypatch.setattr(parallel.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(parallel, "_own_cpu", lambda: 1.0)
    cpu_stat.write_text("usage_usec 4000000\nuser_usec 3000000\nsystem_usec 1000000\n")
    parallel.mark_start()
    cpu_stat.write_text("usage_usec 4250000\nuser_usec 3200000\nsystem_usec 1050000\n")
    clock[0] += 0.25
    assert parallel.measured_busy() == pytest.approx(1.0)


def test_a_measurement_decides_when_there_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 10)
    monkeypatch.delenv("PGDRIFT_JOBS", raising=False)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 2)
    # The minute's load average still holds this command's predecessors: the last fraction
    # of a second, measured, shows the second core free.
    monkeypatch.setattr(parallel, "busy_cores", lambda: 1.7)
    monkeypatch.setattr(parallel, "measured_busy", lambda: 0.1)
    assert parallel.worth_a_worker(10)
    # Another process keeps half a core busy: too little is left beside this one.
    monkeypatch.setattr(parallel, "measured_busy", lambda: 0.5)
    assert not parallel.worth_a_worker(10)
    monkeypatch.setattr(parallel, "measured_busy", lambda: None)
    assert not parallel.worth_a_worker(10)
    monkeypatch.setattr(parallel, "busy_cores", lambda: 0.5)
    assert parallel.worth_a_worker(10)


def test_busy_cores_are_the_load_average_or_the_processes_running_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loadavg = tmp_path / "loadavg"
    monkeypatch.setattr(parallel, "LOADAVG", loadavg)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.25, 0.0, 0.0))
    # A job started a moment ago is not in the minute's average yet, but it runs now.
    loadavg.write_text("0.25 0.10 0.05 3/105 7325\n")
    assert parallel.busy_cores() == 2.0
    loadavg.write_text("0.25 0.10 0.05 1/105 7325\n")
    assert parallel.busy_cores() == 0.25
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 0.0, 0.0))
    assert parallel.busy_cores() == 1.5
    loadavg.unlink()
    assert parallel.busy_cores() == 1.5


def test_usable_cores_follow_the_affinity_and_a_cgroup_quota(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(os, "sched_getaffinity"):
        pytest.skip("no CPU affinity here")
    cpu_max = tmp_path / "cpu.max"
    monkeypatch.setattr(parallel, "CPU_MAX", cpu_max)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert parallel.usable_cores() == 4
    cpu_max.write_text("max 100000\n")
    assert parallel.usable_cores() == 4
    cpu_max.write_text("150000 100000\n")
    assert parallel.usable_cores() == 1
    cpu_max.write_text("800000 100000\n")
    assert parallel.usable_cores() == 4


def test_a_script_read_through_includes_is_never_stored(cache: SchemaCache, tmp_path: Path) -> None:
    # The key hashes the named file only: an included file could change under a stored entry.
    main = tmp_path / "main.sql"
    part = tmp_path / "part.sql"
    main.write_text("\\ir part.sql\n", encoding="utf-8")
    part.write_text("CREATE TABLE public.t (a integer);\n", encoding="utf-8")
    first = load(main, cache=cache)
    assert entries(cache.directory) == []
    part.write_text("CREATE TABLE public.t (a integer, b text);\n", encoding="utf-8")
    second = load(main, cache=cache)
    assert first.tables["public.t"].columns.names() == ("a",)
    assert second.tables["public.t"].columns.names() == ("a", "b")
