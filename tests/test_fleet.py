"""``pgdrift fleet`` and ``pgdrift.fleet``: many dumps against a baseline, grouped by drift.

The dumps are the committed LiveConvo fixtures (real pg_dump output) copied under tenant names;
the generated fleet with seeded drifts is tested against PostgreSQL in
tests/integration/test_fleet_generated.py.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

import pgdrift
from pgdrift.cli import main
from pgdrift.cli.cmd_fleet import FLEET_FORMATS, Progress, _show_progress
from pgdrift.errors import Error, InputError
from pgdrift.surveyor import DatabaseResult, dump_files, fleet, pool
from pgdrift.surveyor.report import FORMATS, render_fleet, summary_line
from pgdrift.surveyor.signature import signature_of
from pgdrift.surveyor.task import FleetSettings, check_dump

ROOT = Path(__file__).resolve().parent.parent
PROD = ROOT / "fixtures" / "liveconvo" / "prod" / "dump.sql"
DEV = ROOT / "fixtures" / "liveconvo" / "dev" / "dump.sql"


def _reformatted(text: str) -> str:
    """The same dump with other whitespace and comments in its CREATE TABLE statements: a
    comment line before each, tabs for indentation, two columns on a line (what a hand edit or
    another formatter leaves). Function bodies are left alone: their text is their meaning."""

    def table(match: re.Match[str]) -> str:
        statement = match.group(0).replace("(\n    ", "(\n\t", 1)
        statement = statement.replace(",\n    ", ",  ", 1).replace(",\n    ", ",\n\t")
        return "-- tenant copy, hand formatted\n" + statement

    changed = re.sub(r"^CREATE TABLE [^;$]*?\n\);$", table, text, flags=re.MULTILINE)
    assert changed.count("hand formatted") > 3
    return changed


@pytest.fixture
def tenants(tmp_path: Path) -> Path:
    """Five tenants: three identical to prod, two with dev's drift (one reformatted and
    gzipped), in a folder with a subfolder and a hidden file that is not read."""
    folder = tmp_path / "tenants"
    (folder / "eu").mkdir(parents=True)
    for name in ("t01", "t02", "eu/t03"):
        shutil.copy(PROD, folder / f"{name}.sql")
    shutil.copy(DEV, folder / "t04.sql")
    text = _reformatted(DEV.read_text(encoding="utf-8"))
    (folder / "eu" / "t05.sql.gz").write_bytes(gzip.compress(text.encode()))
    (folder / ".t06.sql").write_text("not read: hidden", encoding="utf-8")
    (folder / "notes.txt").write_text("not a dump suffix", encoding="utf-8")
    return folder


def test_a_folder_gives_every_dump_file_below_it_in_name_order(tenants: Path) -> None:
    names = [Path(n).relative_to(tenants).as_posix() for n in dump_files([tenants])]
    assert names == ["eu/t03.sql", "eu/t05.sql.gz", "t01.sql", "t02.sql", "t04.sql"]


def test_a_missing_path_or_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        dump_files([tmp_path / "missing.sql"])
    with pytest.raises(InputError, match="no dump files"):
        dump_files([tmp_path])


def test_databases_with_the_same_drift_form_one_group(tenants: Path) -> None:
    report = fleet(PROD, [tenants], jobs=1)
    sizes = [(g.size, bool(g.signature)) for g in report.groups]
    assert sizes == [(3, False), (2, True)]
    drifted = report.groups[1]
    assert [Path(m).name for m in drifted.members] == ["t05.sql.gz", "t04.sql"]
    expected = signature_of(pgdrift.diff(pgdrift.load(PROD), pgdrift.load(DEV)))
    assert drifted.signature == expected
    assert report.count("identical") == 3
    assert report.count("drifted") == 2


def test_formatting_does_not_change_a_signature(tmp_path: Path) -> None:
    plain = tmp_path / "plain.sql"
    shutil.copy(DEV, plain)
    other = tmp_path / "other.sql"
    other.write_text(_reformatted(DEV.read_text(encoding="utf-8")), encoding="utf-8")
    assert plain.read_bytes() != other.read_bytes()
    settings = FleetSettings(str(PROD), cache=False)
    first, second = check_dump(str(plain), settings), check_dump(str(other), settings)
    assert first.signature is not None
    assert first.signature.id != "identical"
    assert first.signature == second.signature
    assert first.signature.id == second.signature.id


def test_different_drift_gives_different_signatures() -> None:
    base = pgdrift.loads("CREATE TABLE public.t (a integer);")
    extra_int = pgdrift.loads("CREATE TABLE public.t (a integer, b integer);")
    extra_text = pgdrift.loads("CREATE TABLE public.t (a integer, b text);")
    one = signature_of(pgdrift.diff(base, extra_int))
    two = signature_of(pgdrift.diff(base, extra_text))
    assert [i.text for i in one.items] == [i.text for i in two.items]
    assert one.id != two.id


def test_bad_inputs_are_reported_with_their_error_and_counted(tmp_path: Path) -> None:
    text = PROD.read_text(encoding="utf-8")
    cut = text.index("CREATE TABLE public.users")
    (tmp_path / "truncated.sql").write_text(text[: cut + 40], encoding="utf-8")
    (tmp_path / "notsql.sql").write_text("# Notes\n\nThis is *Markdown*.\n", encoding="utf-8")
    (tmp_path / "badgzip.sql.gz").write_bytes(b"\x1f\x8bnot really gzip")
    shutil.copy(PROD, tmp_path / "good.sql")
    report = fleet(PROD, [tmp_path], jobs=1)
    assert report.count("error") == 3
    assert report.count("identical") == 1
    errors = {Path(r.name).name: r.error for r in report.errors}
    assert set(errors) == {"truncated.sql", "notsql.sql", "badgzip.sql.gz"}
    for name, line in errors.items():
        assert line is not None
        assert line.startswith(str(tmp_path / name)), line
        assert "\n" not in line
    assert "notsql.sql:1:1: syntax error" in errors["notsql.sql"]


def test_a_bad_baseline_stops_the_run(tmp_path: Path) -> None:
    bad = tmp_path / "baseline.sql"
    bad.write_text("this is not SQL at all;\n", encoding="utf-8")
    with pytest.raises(Error, match="syntax error"):
        fleet(bad, [PROD], jobs=1)


def test_the_pool_gives_the_same_report_as_one_process(tenants: Path) -> None:
    alone = fleet(PROD, [tenants], jobs=1)
    pooled = fleet(PROD, [tenants], jobs=2)
    assert pooled == alone
    assert render_fleet(pooled, "json") == render_fleet(alone, "json")


def _dies_on_poison(name: str, settings: FleetSettings) -> DatabaseResult:
    """check_dump, except that a worker reading a dump named poison* dies on the spot."""
    if Path(name).name.startswith("poison"):
        os._exit(3)
    return check_dump(name, settings)


def test_a_worker_that_dies_costs_only_its_dump(
    tenants: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(PROD, tenants / "poison.sql")
    monkeypatch.setattr(pool, "check_dump", _dies_on_poison)
    report = fleet(PROD, [tenants], jobs=2)
    assert [(Path(r.name).name, r.error) for r in report.errors] == [
        ("poison.sql", f"{tenants / 'poison.sql'}: the worker process reading it died")
    ]
    assert report.count("identical") == 3
    assert report.count("drifted") == 2


def test_results_stream_to_the_callback_as_they_come(tenants: Path) -> None:
    seen: list[str] = []
    report = fleet(PROD, [tenants], jobs=2, on_result=lambda r: seen.append(r.name))
    assert sorted(seen) == [r.name for r in report.results]


def test_the_summary_names_each_group(tenants: Path) -> None:
    base = pgdrift.loads("CREATE TABLE public.t (a integer);\nCREATE INDEX t_a ON public.t (a);")
    assert summary_line(fleet(PROD, [tenants], jobs=1)).startswith("3 identical, 2 with ")
    missing = pgdrift.loads("CREATE TABLE public.t (a integer);")
    text = render_fleet(_report_of(base, {"x": base, "y": missing, "z": missing}))
    assert text.splitlines()[0] == "3 databases against base: 2 missing index public.t_a, " \
        "1 identical"


def _report_of(base: pgdrift.Schema, schemas: dict[str, pgdrift.Schema]) -> pgdrift.FleetReport:
    from pgdrift.surveyor import DatabaseResult, FleetReport  # noqa: PLC0415

    results = tuple(DatabaseResult(name, signature_of(pgdrift.diff(base, schema)))
                    for name, schema in sorted(schemas.items()))  # fmt: skip
    return FleetReport("base", results)


def test_cli_exit_status_and_text_report(tenants: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fleet", "--baseline", str(PROD), str(tenants / "t01.sql"), "-j", "1"]) == 0
    assert capsys.readouterr().out.startswith("1 database against ")
    assert main(["fleet", "--baseline", str(PROD), str(tenants), "-j", "2", "--members", "1"]) == 1
    out = capsys.readouterr().out
    assert "5 databases against" in out
    assert "... and 1 more" in out
    (tenants / "broken.sql").write_text("CREATE TABLE (;\n", encoding="utf-8")
    assert main(["fleet", "--baseline", str(PROD), str(tenants), "-j", "1"]) == 2
    captured = capsys.readouterr()
    assert "1 could not be read:" in captured.out
    assert "pgdrift: 1 of 6 dumps could not be read" in captured.err


def test_cli_jsonl_is_a_line_per_database(
    tenants: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["fleet", "--baseline", str(PROD), str(tenants), "--format", "jsonl", "-j", "1"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["database"] for line in lines] == sorted(dump_files([tenants]))
    assert [line["status"] for line in lines].count("drifted") == 2
    drifted = [line for line in lines if line["status"] == "drifted"]
    assert drifted[0]["signature"] == drifted[1]["signature"]
    assert drifted[0]["changes"]
    assert all(set(c) == {"key", "text"} for c in drifted[0]["changes"])


def test_cli_json_document(tenants: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["fleet", "--baseline", str(PROD), str(tenants), "--format", "json", "-j", "2"])
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "pgdrift.fleet"
    assert data["summary"] == {"databases": 5, "identical": 3, "drifted": 2, "errors": 0,
                               "groups": 2}  # fmt: skip
    assert [g["size"] for g in data["groups"]] == [3, 2]


def test_cli_passes_the_diff_options(tenants: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Every difference of dev from prod is in the public schema: leaving it out, all match.
    code = main(["fleet", "--baseline", str(PROD), str(tenants), "-j", "1",
                 "--exclude-schema", "public"])  # fmt: skip
    assert code == 0, capsys.readouterr().out


def test_cli_formats_match_the_renderer() -> None:
    assert FLEET_FORMATS == FORMATS


def test_progress_line_and_when_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    progress = Progress(7200, stream)
    progress.done = 1
    assert progress.line(1.0) == "1/7,200 databases  1.0/s  1:59:59 left"
    monkeypatch.setenv("CI", "true")
    assert not _show_progress(None)
    assert _show_progress(True)
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not _show_progress(None)


def test_missing_dask_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(Error, match=r"pip install 'pgdrift\[dask\]'"):
        fleet(PROD, [PROD], scheduler="tcp://127.0.0.1:1")
    assert main(["fleet", "--baseline", str(PROD), str(PROD), "--scheduler", "x:1"]) == 2
    assert capsys.readouterr().err == (
        "pgdrift: --scheduler needs Dask distributed: pip install 'pgdrift[dask]'\n"
    )


def test_dask_local_cluster_gives_the_same_report(
    tenants: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    distributed = pytest.importorskip("dask.distributed", reason="the pgdrift[dask] extra")
    command = ["fleet", "--baseline", str(PROD), str(tenants), "--format", "jsonl"]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:  # fmt: skip
        on_dask = fleet(PROD, [tenants], scheduler=cluster.scheduler_address)
        assert main([*command, "--scheduler", cluster.scheduler_address]) == 1
    assert on_dask == fleet(PROD, [tenants], jobs=1)
    from_dask = capsys.readouterr().out
    assert main([*command, "-j", "1"]) == 1
    assert from_dask == capsys.readouterr().out


def test_dask_tasks_carry_several_dumps_each(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed", reason="the pgdrift[dask] extra")
    from pgdrift.surveyor.on_dask import batch_size  # noqa: PLC0415

    for number in range(40):
        shutil.copy(PROD if number % 4 else DEV, tmp_path / f"t{number:02d}.sql")
    assert batch_size(40, 1) == 5
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:  # fmt: skip
        on_dask = fleet(PROD, [tmp_path], scheduler=cluster.scheduler_address)
    assert [g.size for g in on_dask.groups] == [30, 10]
    assert on_dask == fleet(PROD, [tmp_path], jobs=1)


def test_urls_are_read_with_fsspec() -> None:
    fsspec = pytest.importorskip("fsspec", reason="installed with the pgdrift[dask] extra")
    store = fsspec.filesystem("memory")
    store.pipe("/fleet/t1.sql", PROD.read_bytes())
    store.pipe("/fleet/t2.sql", DEV.read_bytes())
    try:
        report = fleet(PROD, ["memory://fleet/t1.sql", "memory://fleet/t2.sql",
                              "memory://fleet/gone.sql"], jobs=1)  # fmt: skip
    finally:
        store.rm("/fleet", recursive=True)
    assert [(r.name, r.status) for r in report.results] == [
        ("memory://fleet/gone.sql", "error"),
        ("memory://fleet/t1.sql", "identical"),
        ("memory://fleet/t2.sql", "drifted"),
    ]
    assert report.errors[0].error is not None
    assert report.errors[0].error.startswith("memory://fleet/gone.sql: cannot read: ")
