"""When the cache entries are written: the command line writes them once its output is out,
large ones in a detached process (pgdrift.parallel.run_detached), so that encoding them is not
part of a cold run's wait.

No test here times anything: speed is measured by bench/peers.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pgdrift import cli
from pgdrift.cache import SchemaCache
from pgdrift.cli import inputs
from pgdrift.loading import load

ROOT = Path(__file__).resolve().parent.parent
LIVECONVO = ROOT / "fixtures" / "liveconvo" / "prod" / "dump.sql"
OTHER = ROOT / "fixtures" / "constraints" / "dump.sql"


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.schema"))


def wait_for(condition: object, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_a_deferred_put_is_written_by_write_deferred(tmp_path: Path) -> None:
    store = SchemaCache(tmp_path / "cache")
    schema = load(OTHER)
    key = store.key(b"x", {})
    store.defer_writes()
    assert store.put(key, schema) is False
    assert store.get(key) is None
    store.write_deferred()
    assert store.get(key) == schema
    # Writes are immediate again once the deferred ones are written.
    other = store.key(b"y", {})
    assert store.put(other, schema) is True


def test_an_encoded_payload_is_stored_as_it_is(tmp_path: Path) -> None:
    from pgdrift.cache_objects import encode_schema  # noqa: PLC0415

    store = SchemaCache(tmp_path / "cache")
    schema = load(OTHER)
    key = store.key(b"x", {})
    assert store.put(key, encode_schema(schema)) is True
    assert store.get(key) == schema


def run_cli(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("detach", [False, True], ids=["here", "detached"])
def test_the_cli_writes_its_entries_after_its_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    detach: bool,
) -> None:  # fmt: skip
    directory = tmp_path / "cli-cache"
    monkeypatch.setenv("PGDRIFT_CACHE_DIR", str(directory))
    monkeypatch.setenv("PGDRIFT_JOBS", "1")
    monkeypatch.setattr(inputs, "DETACH_WRITES_ABOVE", 0 if detach else 10**9)
    dump = tmp_path / "dump.sql"
    shutil.copyfile(LIVECONVO, dump)
    written: list[int] = []
    real = SchemaCache.write_deferred

    def spy(self: SchemaCache, **options: int | None) -> None:
        written.append(len(self.deferred or ()))
        real(self, **options)

    monkeypatch.setattr(SchemaCache, "write_deferred", spy)
    first = run_cli("diff", str(OTHER), str(dump), capsys=capsys)
    assert written == [2]
    assert wait_for(lambda: len(entries(directory)) == 2)
    # The second run reads both sides from the entries, and says the same.
    assert run_cli("diff", str(OTHER), str(dump), capsys=capsys) == first
    assert written == [2]


def test_a_library_cache_writes_at_once(tmp_path: Path) -> None:
    store = SchemaCache(tmp_path / "cache")
    load(OTHER, cache=store)
    assert len(entries(tmp_path / "cache")) == 1


_DETACHED = """
import sys, time
from pathlib import Path
from pgdrift.parallel import run_detached
go, out = Path(sys.argv[1]), Path(sys.argv[2])

def later():
    while not go.exists():
        time.sleep(0.02)
    out.write_text("written")

print("detached" if run_detached(later) else "not detached", flush=True)
"""


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="no detached process there")
def test_a_detached_process_outlives_its_caller_and_holds_none_of_its_streams(
    tmp_path: Path,
) -> None:
    go, out = tmp_path / "go", tmp_path / "out"
    env = {"PYTHONPATH": str(ROOT / "src")}
    # The caller's output reaches its end while the detached process still waits for "go":
    # subprocess.run reads the pipes to their end, which it would not reach if the detached
    # process held them.
    command = [sys.executable, "-c", _DETACHED, str(go), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, check=True)
    assert done.stdout == "detached\n"
    assert not out.exists()
    go.touch()
    assert wait_for(out.exists)
    assert out.read_text() == "written"


def lazy(schema: object) -> bool:
    return type(getattr(schema, "objects", None)).__name__ == "LazyObjects"


def test_a_side_built_beside_a_cached_one_is_read_back_with_digests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "cli-cache"
    monkeypatch.setenv("PGDRIFT_CACHE_DIR", str(directory))
    monkeypatch.setenv("PGDRIFT_JOBS", "1")
    load(LIVECONVO, cache=SchemaCache(directory))  # B is in the cache, A is not
    args = cli.build_parser().parse_args(["diff", str(OTHER), str(LIVECONVO)])
    args.defer_cache_writes = True
    old, new = inputs.load_pair(args)
    assert lazy(old)
    assert lazy(new)
    assert old == load(OTHER)
    assert new == load(LIVECONVO)
    # The deferred write of A stores the payload just made instead of encoding A again.
    [(_, held)] = args.schema_cache.deferred
    assert isinstance(held, bytes)
    inputs.write_cache_entries()
    assert len(entries(directory)) == 2


def test_with_a_worker_both_sides_hold_digests_and_diff_as_in_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pgdrift import parallel  # noqa: PLC0415
    from pgdrift.differ import diff  # noqa: PLC0415

    if threading.active_count() > 1:
        # An earlier test (the dask fleet tests) left a thread running: fork is then unsafe
        # and run_beside refuses a worker by design, so there is nothing to check here.
        pytest.skip("another thread is running in this process: no worker is started")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setenv("PGDRIFT_JOBS", "2")
    args = cli.build_parser().parse_args(["diff", "--no-cache", str(OTHER), str(LIVECONVO)])
    old, new = inputs.load_pair(args)
    assert lazy(old)
    assert lazy(new)
    alone = diff(load(OTHER), load(LIVECONVO))
    together = diff(old, new)
    assert [(c.operation, str(c.id)) for c in together] == [(c.operation, str(c.id)) for c in alone]
