"""Random chains of DDL statements, checked against a real PostgreSQL (a probe, not a test).

Each suite in ``tools/alter_chains/`` is a base schema (``NAME.base.sql``) and statements that
change it (``NAME.ops.sql``, one per line; ``{c}`` is a column named in its ``-- columns:``
line, ``{i}`` a number unique to the chain and step, ``{j}`` an earlier step's). A chain is a
few of them drawn at random, seeded. Two checks:

``read``  apply each statement of the chain to a database made from the base (those PostgreSQL
          refuses are left out), then compare pgdrift's reading of base + the kept statements
          with ``pg_dump --schema-only`` of the database: any difference is a reading bug.
``plan``  dump the base (A) and the chained database (B), ask ``pgdrift diff --format sql`` for
          A -> B and B -> A, run each script on a copy of its source and compare the result
          with the target's dump (column order and attislocal differences, which no migration
          can make, are accepted): a refusal or a difference is a planning bug.

    python tools/alter_chains.py read functions --chains 100 --seed 1
    python tools/alter_chains.py plan partitions --chains 60 --seed 4

It starts a throwaway cluster with tools/pgcluster.py (PostgreSQL's server binaries must be
installed) and prints each chain that differs, with the differences; it exits 1 if any did.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "integration"))

import pgcluster  # noqa: E402
from migration_proof import (  # noqa: E402
    describe_changes,
    run_pgdrift,
    runs_in_one_transaction,
    unexplained,
)

import pgdrift  # noqa: E402
from pgdrift.differ import diff  # noqa: E402

SUITES = HERE / "alter_chains"


def chains(suite: str, count: int, seed: int) -> list[list[str]]:
    """``count`` chains of 2 to 6 statements of ``suite``'s, drawn with ``seed``."""
    lines = (SUITES / f"{suite}.ops.sql").read_text().splitlines()
    columns = next((ln.split(":", 1)[1] for ln in lines if ln.startswith("-- columns:")), "")
    names = [c.strip() for c in columns.split(",") if c.strip()]
    ops = [ln for ln in lines if ln.strip() and not ln.startswith("--")]
    rng = random.Random(seed)
    result = []
    for n in range(count):
        steps = []
        for k in range(rng.randint(2, 6)):
            text = rng.choice(ops).format(
                c=rng.choice(names) if names else "",
                i=f"{n}_{k}",
                j=f"{n}_{rng.randrange(max(1, k))}",
            )
            steps.extend(s.strip() + ";" for s in text.split(";") if s.strip())
        result.append(steps)
    return result


def _apply_kept(cluster: Any, database: str, steps: list[str]) -> list[str]:
    kept = []
    for step in steps:
        try:
            cluster.psql(step, dbname=database, args=["-v", "ON_ERROR_STOP=1"])
            kept.append(step)
        except pgcluster.ToolError:
            pass
    return kept


def check_read(cluster: Any, base: str, chain: list[str], n: int) -> str | None:
    database = f"r{n}"
    cluster.psql(f"CREATE DATABASE {database} TEMPLATE base")
    kept = _apply_kept(cluster, database, chain)
    dump = cluster.pg_dump(database, "--schema-only")
    cluster.drop_database(database)
    try:
        source = pgdrift.loads(base + "\n" + "\n".join(kept) + "\n")
        changes = list(diff(source, pgdrift.loads(dump)))
    except pgdrift.Error as error:
        return f"{' '.join(kept)}\n  pgdrift refused what PostgreSQL ran: {error}"
    return f"{' '.join(kept)}\n{describe_changes(changes)}" if changes else None


def check_plan(cluster: Any, a_dump: Path, chain: list[str], n: int, tmp: Path) -> str | None:
    database = f"p{n}"
    cluster.psql(f"CREATE DATABASE {database} TEMPLATE base")
    _apply_kept(cluster, database, chain)
    b_dump = tmp / "b.sql"
    b_dump.write_text(cluster.pg_dump(database, "--schema-only"))
    cluster.drop_database(database)
    problems = []
    for source, target in ((a_dump, b_dump), (b_dump, a_dump)):
        status, script, err = run_pgdrift(["diff", "--format", "sql", str(source), str(target)])
        if status not in (0, 1):
            problems.append(f"{source.stem} -> {target.stem}: pgdrift exited {status}: {err}")
            continue
        scratch = f"m{n}"
        cluster.create_database(scratch)
        cluster.psql(file=source, dbname=scratch)
        (tmp / "script.sql").write_text(script)
        single = ["--single-transaction"] if runs_in_one_transaction(script) else []
        try:
            cluster.psql(file=tmp / "script.sql", dbname=scratch,
                         args=[*single, "-v", "ON_ERROR_STOP=1"])  # fmt: skip
        except pgcluster.ToolError as error:
            problems.append(f"{source.stem} -> {target.stem}: PostgreSQL refused the script: "
                            f"{error.stderr.strip()}\n{script}")
            cluster.drop_database(scratch)
            continue
        result = pgdrift.loads(cluster.pg_dump(scratch, "--schema-only"))
        cluster.drop_database(scratch)
        accepted = frozenset({"column_order", "inherited"})
        left = unexplained(diff(result, pgdrift.load(target)), accepted)
        if left:
            problems.append(f"{source.stem} -> {target.stem}: still differs\n"
                            f"{describe_changes(left)}\n{script}")
    return f"{' '.join(chain)}\n" + "\n".join(problems) if problems else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("check", choices=("read", "plan"))
    suites = sorted(p.name.split(".")[0] for p in SUITES.glob("*.ops.sql"))
    parser.add_argument("suite", choices=suites)
    parser.add_argument("--chains", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    base = (SUITES / f"{args.suite}.base.sql").read_text()
    failed = 0
    with tempfile.TemporaryDirectory() as scratch, pgcluster.Cluster() as cluster:
        tmp = Path(scratch)
        pgcluster.create_fixture_roles(cluster)
        cluster.create_database("base")
        cluster.psql(base, dbname="base", args=["-v", "ON_ERROR_STOP=1"])
        a_dump = tmp / "a.sql"
        a_dump.write_text(cluster.pg_dump("base", "--schema-only"))
        for n, chain in enumerate(chains(args.suite, args.chains, args.seed)):
            found = (check_read(cluster, base, chain, n) if args.check == "read"
                     else check_plan(cluster, a_dump, chain, n, tmp))
            if found is not None:
                failed += 1
                print(f"--- chain {n}: {found}\n", flush=True)
    print(f"{args.chains} chains of {args.suite}, {failed} differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
