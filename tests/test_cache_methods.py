"""attrs' compiled methods kept in the cache's directory (pgdrift.cache_methods): what a second
process takes from the file, and the cases where the file is ignored.

No test here times anything: the gain is measured by bench/peers.py (the warm diff).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import attr._make
import attrs
import pytest

from pgdrift import cli
from pgdrift.cache import SchemaCache
from pgdrift.cache_methods import CompiledMethods

ROOT = Path(__file__).resolve().parent.parent
LIVECONVO = ROOT / "fixtures" / "liveconvo" / "prod" / "dump.sql"

# A fresh process: take attrs' methods from the file, import the model, say what was compiled.
PROBE = """
import sys
from pgdrift.cache import SchemaCache
from pgdrift.cache_methods import CompiledMethods
methods = CompiledMethods(SchemaCache(sys.argv[1]))
assert methods.install()
import pgdrift.model, pgdrift.differ
print(len(methods.known), methods.added)
methods.save()
"""


def _probe(directory: Path) -> tuple[int, bool]:
    # Each process has its own string-hash seed, which attrs writes into every __hash__.
    env = {**os.environ, "PYTHONHASHSEED": "random", "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", PROBE, str(directory)], env=env, text=True,
                          capture_output=True, check=True)  # fmt: skip
    known, added = done.stdout.split()
    return int(known), added == "True"


def test_a_second_process_compiles_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    known, added = _probe(directory)
    assert added
    assert known > 50  # the model's classes and the change set's
    assert list(directory.glob("methods-*.code"))
    assert _probe(directory) == (known, False)


def test_a_damaged_file_is_ignored_and_rewritten(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    known, _ = _probe(directory)
    (path,) = directory.glob("methods-*.code")
    data = path.read_bytes()
    for damaged in (data[: len(data) // 2], data[:-1] + bytes([data[-1] ^ 1]), b"junk"):
        path.write_bytes(damaged)
        assert _probe(directory) == (known, True)
        assert _probe(directory) == (known, False)


def test_a_directory_open_to_others_is_neither_read_nor_written(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    _probe(directory)
    directory.chmod(0o777)
    assert _probe(directory)[1]
    directory.chmod(0o700)
    (path,) = directory.glob("methods-*.code")
    path.unlink()
    directory.chmod(0o777)
    _probe(directory)
    assert not list(directory.glob("methods-*.code"))


def test_a_class_defined_while_installed_behaves_as_attrs_makes_it(tmp_path: Path) -> None:
    methods = CompiledMethods(SchemaCache(tmp_path / "cache"))
    assert methods.install()
    try:

        @attrs.frozen
        class Point:
            x: int
            y: int = 0

    finally:
        methods.uninstall()
    assert attr._make._compile_and_eval != methods._compile_and_eval  # attrs' own again
    assert methods.added
    assert Point(1) == Point(1, 0)
    assert Point(1) != Point(2)
    assert hash(Point(1)) == hash(Point(1, 0))
    assert repr(Point(1, 2)) == "Point(x=1, y=2)"
    methods.save()
    again = CompiledMethods(SchemaCache(tmp_path / "cache"))
    assert again.install()
    again.uninstall()
    assert set(methods.known) <= set(again.known)


def test_the_cli_keeps_methods_only_with_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    installed: list[object] = []
    real = CompiledMethods.install

    def install(self: CompiledMethods) -> bool:
        installed.append(self)
        return real(self)

    monkeypatch.setattr(CompiledMethods, "install", install)
    monkeypatch.setenv("PGDRIFT_CACHE_DIR", str(tmp_path / "cache"))
    assert cli.main(["inspect", "--no-cache", str(LIVECONVO)]) == 0
    assert not installed
    assert not (tmp_path / "cache").exists()
    assert cli.main(["inspect", str(LIVECONVO)]) == 0
    assert len(installed) == 1
    assert attr._make._compile_and_eval != installed[0]._compile_and_eval  # type: ignore[attr-defined]
    capsys.readouterr()
