"""Prove pgdrift's migrations beyond the fixed pairs: between every two schema sides of a family.

``tests/integration/test_migrations.py`` proves each pair of ``fixtures/pairs`` from ``a/`` to
``b/`` and back. The sides of pairs in one family (the name's first word: ``partition_``,
``sequence_``, ``dep_``, ``grant_``...) are all small edits of the same base, so any two of them
make a migration nobody wrote a pair for. This tool crosses them, together with a few small
schemas written below, and for each ordered (X, Y):

1. restores X's dump into a fresh database of one throwaway cluster;
2. runs ``pgdrift diff --format sql X Y`` with ``psql -v ON_ERROR_STOP=1 --single-transaction``
   (without ``--single-transaction`` when the script's header says it cannot run in one);
3. ``pg_dump --schema-only`` the database and requires ``pgdrift.diff(result, Y)`` to be empty;
   a column-order difference is accepted only where the script warns about it, as a pair's
   ``"ignore": ["column_order"]`` accepts it (``fixtures/pairs/README.md``).

The rules are the migration proof's own (``tests/integration/migration_proof.py``). Crossings
are sampled with a fixed seed and capped per family, so a run is deterministic and takes
minutes::

    python tools/cross_verify.py                        # the default families
    python tools/cross_verify.py partition --cap 40     # one family, 40 crossings
    python tools/cross_verify.py --list                 # what would run, without a server

Each failure prints PostgreSQL's error or the remaining differences, and the script; the exit
status is 1 when any crossing failed.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import itertools
import random
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from fixture_pairs import PAIRS_DIR, discover_pairs  # noqa: E402 (the path above)
from migration_proof import (  # noqa: E402 (the path above)
    describe_changes,
    numbered,
    run_pgdrift,
    runs_in_one_transaction,
    unexplained,
)
from pg import pgcluster  # noqa: E402 (the path above)

import pgdrift  # noqa: E402 (after the harness, which puts nothing before it)
from pgdrift.differ import Change, diff  # noqa: E402

DEFAULT_FAMILIES = ("partition", "sequence", "dep", "grant", "column")
DEFAULT_CAP = 60
DEFAULT_SEED = 8
#: The warning the planner writes when it leaves a column order as it is (planner/tables.py).
COLUMN_ORDER_WARNING = "the column order differs"

# Small schemas beside the pairs' sides, each applied after fixtures/pairs/_base.sql. They fill
# in shapes the pairs only reach one step at a time: several partition levels and keys at once.
INLINE: dict[str, dict[str, str]] = {
    "partition": {
        "range_two_levels": """
            CREATE TABLE public.events (id bigint NOT NULL, at date NOT NULL, kind text NOT NULL,
                payload text) PARTITION BY RANGE (at);
            CREATE TABLE public.events_2025 PARTITION OF public.events
                FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (kind);
            CREATE TABLE public.events_2025_click PARTITION OF public.events_2025
                FOR VALUES IN ('click');
            CREATE TABLE public.events_2026 PARTITION OF public.events
                FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            CREATE INDEX events_kind ON public.events (kind);
        """,
        "list_with_default": """
            CREATE TABLE public.events (id bigint NOT NULL, at date NOT NULL, kind text NOT NULL,
                region text DEFAULT 'eu' NOT NULL) PARTITION BY LIST (region);
            CREATE TABLE public.events_eu PARTITION OF public.events FOR VALUES IN ('eu');
            CREATE TABLE public.events_other PARTITION OF public.events DEFAULT;
            ALTER TABLE public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id, region);
        """,
        "plain_events": """
            CREATE TABLE public.events (id bigint NOT NULL, at date NOT NULL, kind text NOT NULL,
                payload text);
            CREATE INDEX events_kind ON public.events (kind);
        """,
    },
    "sequence": {
        "shared_sequence": """
            CREATE SEQUENCE public.ticket_seq AS integer START 100;
            CREATE TABLE public.tickets (id integer DEFAULT nextval('public.ticket_seq')
                NOT NULL PRIMARY KEY, title text);
        """,
        "identity_ticket": """
            CREATE TABLE public.tickets (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                title text);
        """,
    },
}


@dataclass(frozen=True)
class Side:
    """One schema: a pair's side (``partition_add/a``) or an inline one (``partition:inline``)."""

    family: str
    name: str
    dump: Path


@dataclass(frozen=True)
class Outcome:
    source: Side
    target: Side
    failure: str | None


def family_of(pair_name: str) -> str:
    return pair_name.split("_", 1)[0]


def pair_sides(families: Sequence[str]) -> list[Side]:
    """Every side of a pair in ``families``, one per distinct dump (many sides are the base)."""
    sides = []
    for pair in discover_pairs(PAIRS_DIR):
        family = family_of(pair.name)
        if family in families:
            sides.append(Side(family, f"{pair.name}/a", pair.a))
            sides.append(Side(family, f"{pair.name}/b", pair.b))
    return sides


def inline_sides(cluster: Any, families: Sequence[str], directory: Path) -> list[Side]:
    """The inline schemas of ``families``, each restored over the base and dumped."""
    sides = []
    base = PAIRS_DIR / "_base.sql"
    for family in families:
        for name, sql in sorted(INLINE.get(family, {}).items()):
            source = directory / f"{family}_{name}.sql"
            source.write_text(f"\\i {base}\n{sql}", encoding="utf-8")
            database = f"inline_{family}_{name}"[:63]
            cluster.create_database(database)
            try:
                cluster.psql(file=source, dbname=database)
                dump_text = cluster.pg_dump(database, "--schema-only")
            finally:
                cluster.drop_database(database)
            dump = directory / f"{family}_{name}.dump.sql"
            dump.write_text(dump_text, encoding="utf-8")
            sides.append(Side(family, f"{family}:{name}", dump))
    return sides


def distinct(sides: Sequence[Side]) -> list[Side]:
    """The first side of each distinct dump text, by name."""
    seen: set[str] = set()
    kept = []
    for side in sorted(sides, key=lambda s: s.name):
        digest = hashlib.sha256(_strip_header(side.dump.read_text(encoding="utf-8"))).hexdigest()
        if digest not in seen:
            seen.add(digest)
            kept.append(side)
    return kept


def _strip_header(text: str) -> bytes:
    """A dump without its comment lines, which name the server and pg_dump versions."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("--")).encode()


def crossings(sides: Sequence[Side], cap: int, seed: int) -> list[tuple[Side, Side]]:
    """Ordered pairs of distinct sides within each family, at most ``cap`` per family, sampled
    with a seed of the family's own so adding a family does not change another's sample."""
    chosen = []
    for family, members in itertools.groupby(
        sorted(sides, key=lambda s: (s.family, s.name)), key=lambda s: s.family
    ):
        every = list(itertools.permutations(list(members), 2))
        if len(every) > cap:
            every = random.Random(f"{seed}:{family}").sample(every, cap)
        chosen += sorted(every, key=lambda p: (p[0].name, p[1].name))
    return chosen


@functools.cache
def _load(path: Path) -> pgdrift.Schema:
    return pgdrift.load(path)


def prove(cluster: Any, source: Side, target: Side, directory: Path, number: int) -> Outcome:
    """Restore ``source``, run pgdrift's script to ``target``, compare the result with it."""
    argv = ["diff", "--format", "sql", str(source.dump), str(target.dump)]
    status, script, err = run_pgdrift(argv)
    if status not in (0, 1):
        return Outcome(source, target, f"pgdrift diff exited with {status}:\n{err}")
    database = f"cross_{number}"
    script_file = directory / f"{database}.sql"
    script_file.write_text(script, encoding="utf-8")
    single = ["--single-transaction"] if runs_in_one_transaction(script) else []
    cluster.create_database(database)
    try:
        cluster.psql(file=source.dump, dbname=database)
        try:
            cluster.psql(file=script_file, dbname=database, args=single)
        except pgcluster.ToolError as error:
            return Outcome(
                source,
                target,
                f"PostgreSQL rejected the script:\n{error.stderr.rstrip()}\n"
                f"--- script ---\n{numbered(script)}",
            )
        dump = cluster.pg_dump(database, "--schema-only")
    finally:
        cluster.drop_database(database)
    ignore = frozenset({"column_order"}) if COLUMN_ORDER_WARNING in script else frozenset()
    remaining = unexplained(diff(pgdrift.loads(dump, name="result"), _load(target.dump)), ignore)
    if remaining:
        return Outcome(
            source,
            target,
            f"the result still differs from the target ({len(remaining)} change(s)):\n"
            f"{describe_changes(remaining)}\n--- script ---\n{numbered(script)}",
        )
    return Outcome(source, target, None)


def round_trip_drift(cluster: Any, side: Side) -> list[Change]:
    """What changes when ``side`` is restored and dumped again: a failure against a target that
    drifts on its own is not the plan's fault."""
    cluster.create_database("cross_round_trip")
    try:
        cluster.psql(file=side.dump, dbname="cross_round_trip")
        again = pgdrift.loads(cluster.pg_dump("cross_round_trip", "--schema-only"), name="again")
    finally:
        cluster.drop_database("cross_round_trip")
    return list(diff(again, _load(side.dump)))


def run(
    families: Sequence[str],
    cap: int,
    seed: int,
    *,
    listing: bool,
    only: Sequence[str] | None = None,
) -> int:
    if listing:
        chosen = crossings(distinct(pair_sides(families)), cap, seed)
        for source, target in chosen:
            print(f"{source.name} -> {target.name}")
        print(f"{len(chosen)} crossings (inline schemas not listed: they need a server)")
        return 0
    started = time.monotonic()
    with (
        pgcluster.Cluster(bindir=pgcluster.find_bindir()) as cluster,
        tempfile.TemporaryDirectory(prefix="cross_verify_") as temporary,
    ):
        directory = Path(temporary)
        pgcluster.create_fixture_roles(cluster)
        sides = distinct([*pair_sides(families), *inline_sides(cluster, families, directory)])
        chosen = crossings(sides, cap, seed)
        if only:
            by_name = {side.name: side for side in sides}
            chosen = [(by_name[only[0]], by_name[only[1]])]
        failures = list(_failures(cluster, chosen, directory))
        drifting = {o.target.name for o in failures if round_trip_drift(cluster, o.target)}
    for outcome in failures:
        note = (
            " (NOTE: the target itself drifts in a round trip)"
            if (outcome.target.name in drifting)
            else ""
        )
        print(f"FAIL {outcome.source.name} -> {outcome.target.name}{note}\n{outcome.failure}\n")
    passed = len(chosen) - len(failures)
    print(f"cross_verify: {passed} of {len(chosen)} crossings reached their target "
          f"(families {', '.join(families)}; cap {cap}, seed {seed})")  # fmt: skip
    print(f"took {time.monotonic() - started:.0f} s", file=sys.stderr)
    return 1 if failures else 0


def _failures(
    cluster: Any, chosen: Sequence[tuple[Side, Side]], directory: Path
) -> Iterator[Outcome]:
    for number, (source, target) in enumerate(chosen):
        outcome = prove(cluster, source, target, directory, number)
        print(f"{'ok  ' if outcome.failure is None else 'FAIL'} {source.name} -> {target.name}",
              file=sys.stderr, flush=True)  # fmt: skip
        if outcome.failure is not None:
            yield outcome


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "families",
        nargs="*",
        default=list(DEFAULT_FAMILIES),
        help="name prefixes of the pairs to cross (default: %(default)s)",
    )
    parser.add_argument(
        "--cap",
        type=int,
        default=DEFAULT_CAP,
        help="at most this many crossings per family (default: %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="the sampling seed (default: %(default)s)"
    )
    parser.add_argument("--list", action="store_true", help="list the crossings and stop")
    parser.add_argument(
        "--only",
        nargs=2,
        metavar=("SOURCE", "TARGET"),
        help="prove one crossing of two sides of the families (partition_add/a partition_add/b)",
    )
    arguments = parser.parse_args(argv)
    return run(
        arguments.families,
        arguments.cap,
        arguments.seed,
        listing=arguments.list,
        only=arguments.only,
    )


if __name__ == "__main__":
    sys.exit(main())
