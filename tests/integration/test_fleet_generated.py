"""A generated fleet of real pg_dump files (tools/fleet.py): ``pgdrift fleet`` must group the
tenants by exactly the drifts their seeds gave them, and report exactly the dumps cut short.

The benchmark (``nox -s bench``) checks the same on 2,000 dumps.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from pgdrift.surveyor.report import render_fleet

ROOT = Path(__file__).resolve().parents[2]


def _load_fleet_tool() -> Any:
    spec = importlib.util.spec_from_file_location("pgdrift_fleet_tool", ROOT / "tools" / "fleet.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["pgdrift_fleet_tool"] = module
    spec.loader.exec_module(module)
    return module


fleet_tool = _load_fleet_tool()
#: 80 tenants; seed 14 gives two dumps cut short and thirteen tenants with several drifts.
TENANTS, SEED = 80, 14


@pytest.fixture(scope="module")
def generated(cluster: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder: Path = fleet_tool.generate_fleet(
        TENANTS, SEED, cache=tmp_path_factory.mktemp("fleet"), cluster=cluster, jobs=2,
        say=lambda _: None,
    )  # fmt: skip
    return folder


def test_the_plan_has_what_the_test_needs() -> None:
    planned = fleet_tool.plan_fleet(TENANTS, SEED)
    assert sum(t.truncated for t in planned) == 2
    assert sum(len(t.drifts) >= 2 for t in planned) == 13
    assert {t.base for t in planned} == set(fleet_tool.BASES)
    assert planned == fleet_tool.plan_fleet(TENANTS, SEED)


@pytest.mark.postgres
def test_grouping_finds_exactly_the_seeded_drifts(generated: Path) -> None:
    problems, reports = fleet_tool.check_fleet(generated, jobs=2)
    assert problems == []
    assert sum(len(r.results) for r in reports.values()) == TENANTS
    assert sum(len(r.errors) for r in reports.values()) == 2
    manifest = fleet_tool.load_manifest(generated)
    for base, report in reports.items():
        seeded = {tuple(m["drifts"]) for m in manifest["members"]
                  if m["base"] == base and not m["truncated"]}  # fmt: skip
        assert len(report.groups) == len(seeded), base
        for group in report.groups:
            # Every drift of the catalogue is at least one change pgdrift reports.
            member = next(m for m in manifest["members"]
                          if str(generated / m["path"]) == group.members[0])  # fmt: skip
            assert len(group.signature.items) >= len(member["drifts"]), member


@pytest.mark.postgres
def test_a_dropped_index_reads_as_a_missing_index(generated: Path) -> None:
    _, reports = fleet_tool.check_fleet(generated, jobs=1)
    manifest = fleet_tool.load_manifest(generated)
    phrases = 0
    for member in manifest["members"]:
        drifts = member["drifts"]
        if member["truncated"] or len(drifts) != 1 or not drifts[0].startswith("drop index"):
            continue
        sql = manifest["catalogue"][member["base"]][drifts[0]]
        index = sql.removeprefix("DROP INDEX ").rstrip(";")
        report = reports[member["base"]]
        group = next(g for g in report.groups if str(generated / member["path"]) in g.members)
        assert f"- index {index}" in [item.text for item in group.signature.items]
        # Dropping a partitioned index drops its partitions' indexes too: more changes.
        if len(group.signature.items) == 1:
            assert f" missing index {index} [signature " in render_fleet(report)
            phrases += 1
    assert phrases >= 3


@pytest.mark.postgres
def test_dask_groups_the_generated_fleet_as_the_pool_does(generated: Path) -> None:
    distributed = pytest.importorskip("dask.distributed", reason="the pgdrift[dask] extra")
    import pgdrift  # noqa: PLC0415

    baseline = generated / "bases" / "shop.sql"
    tenants = [generated / "tenants" / "shop"]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as local:  # fmt: skip
        on_dask = pgdrift.fleet(baseline, tenants, scheduler=local.scheduler_address)
    assert on_dask == pgdrift.fleet(baseline, tenants, jobs=2)
    assert fleet_tool.check_grouping(generated, "shop", on_dask) == []
