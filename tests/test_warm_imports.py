"""What a process imports: ``import pgdrift`` and a warm diff (both sides answered by the
schema cache) leave the parser, the process pool and the renderers they do not use unloaded.

These pin behaviour, not timings: each module named here costs milliseconds to import, and a
warm diff is meant to be a fraction of a second in all (docs/performance.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

OLD = "CREATE TABLE public.t (id integer NOT NULL, name text DEFAULT 'x'::text);\n"
NEW = "CREATE TABLE public.t (id bigint NOT NULL, name text DEFAULT 'y'::text);\n"

# Imported only by a run that needs them: parsing, a worker process, printing expressions,
# the formats other than text, building a schema.
COLD_ONLY = (
    "multiprocessing",
    "concurrent.futures.process",
    "pgdrift.reader.parse",
    "pgdrift._expr_display",
    "pglast.printers",
    "pgdrift.builder",
    "pgdrift.renderer.markdown",
    "pgdrift.renderer.github",
    "pgdrift.renderer.junit",
    "pgdrift.renderer.json",
)


def _loaded_after(code: str, env: dict[str, str]) -> set[str]:
    script = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return set(done.stdout.split())


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PGDRIFT_CACHE_DIR": str(tmp_path / "cache"), "PGDRIFT_JOBS": "1"}


def test_import_pgdrift_loads_no_renderer_parser_or_process_pool(env: dict[str, str]) -> None:
    loaded = _loaded_after("import pgdrift", env)
    assert not {*COLD_ONLY, "pgdrift.renderer", "pgdrift.renderer.text"} & loaded


def test_a_warm_diff_imports_neither_the_parser_nor_the_other_formats(
    tmp_path: Path, env: dict[str, str]
) -> None:
    old, new = tmp_path / "old.sql", tmp_path / "new.sql"
    old.write_text(OLD)
    new.write_text(NEW)
    run = (
        "from pgdrift import cli\n"
        "try:\n"
        f"    cli.main(['diff', '-q', {str(old)!r}, {str(new)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    cold = _loaded_after(run, env)  # fills the cache
    assert {"pgdrift.reader.parse", "pgdrift.builder"} <= cold
    # Reading and diffing build no dependency graph: networkx is imported by the first one.
    assert "networkx" not in cold
    warm = _loaded_after(run, env)
    assert "pgdrift.renderer.text" in warm
    assert not set(COLD_ONLY) & warm


def test_rendering_a_format_imports_its_module_on_first_use(env: dict[str, str]) -> None:
    code = (
        "import sys, pgdrift\n"
        "from pgdrift.renderer import render\n"
        "a = pgdrift.loads('CREATE TABLE public.t (a integer);')\n"
        "b = pgdrift.loads('CREATE TABLE public.t (a bigint);')\n"
        "assert 'pgdrift.renderer.junit' not in sys.modules\n"
        "assert '<testsuite' in render(pgdrift.diff(a, b), 'junit')\n"
    )
    assert "pgdrift.renderer.junit" in _loaded_after(code, env)
