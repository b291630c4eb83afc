"""Generate a fleet of real pg_dump files with seeded drifts, for ``pgdrift fleet``'s proof.

A handful of base schemas (``tools/fleet_schemas/*.sql``) are created in one throwaway
PostgreSQL cluster (``tools/pgcluster.py``). Each tenant's database is a copy of its base
(``CREATE DATABASE ... TEMPLATE``) with a seeded choice of drifts from :data:`CATALOGUE` applied
by SQL, dumped with the real ``pg_dump --schema-only``. A few tenants' dumps are cut short after
dumping (seeded too), as a failed copy would be: ``pgdrift fleet`` must report them as
unreadable and go on. The output depends only on ``--tenants`` and ``--seed`` (and this file and
the schemas): it is cached under ``.bench/`` keyed by them, and ``manifest.json`` beside the
dumps says which drifts each tenant got, so a check can demand that the grouping finds exactly
those::

    python tools/fleet.py --tenants 2000 --seed 1          # generate (or reuse) and check
    python tools/fleet.py --tenants 80 --seed 7 --no-check # only generate; prints the folder

Layout: ``bases/<base>.sql`` (the baselines), ``tenants/<base>/<tenant>.sql``,
``manifest.json``. Only the standard library and pgdrift are used.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import functools
import hashlib
import importlib.util
import inspect
import json
import random
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Final, NamedTuple

ROOT: Final = Path(__file__).resolve().parent.parent
SCHEMAS: Final = Path(__file__).resolve().parent / "fleet_schemas"
DEFAULT_CACHE: Final = ROOT / ".bench" / "fleets"
BASES: Final = ("crm", "shop", "helpdesk", "analytics")

#: Per base, the drifts a tenant can have: a name saying what it does, and the SQL doing it.
#: The drifts of one base touch different objects, so any of them can be applied together,
#: and each one is a change pgdrift reports; the first ones are the most common (weights
#: fall as 1/rank), as a few hand fixes spread through a real fleet.
CATALOGUE: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "crm": (
        ("drop index contacts_email_idx", "DROP INDEX public.contacts_email_idx;"),
        ("add column accounts.industry", "ALTER TABLE public.accounts ADD COLUMN industry text;"),
        ("default deals.currency EUR",
         "ALTER TABLE public.deals ALTER COLUMN currency SET DEFAULT 'EUR';"),
        ("grant delete on activities to app_readonly",
         "GRANT DELETE ON public.activities TO app_readonly;"),
        ("drop policy deals_read", "DROP POLICY deals_read ON public.deals;"),
        ("add index activities.user_id",
         "CREATE INDEX activities_user_id_idx ON public.activities (user_id);"),
        ("widen contacts.phone",
         "ALTER TABLE public.contacts ALTER COLUMN phone TYPE varchar(64);"),
        ("drop trigger accounts_touch", "DROP TRIGGER accounts_touch ON public.accounts;"),
        ("add enum value deal_stage.on_hold", "ALTER TYPE public.deal_stage ADD VALUE 'on_hold';"),
        ("drop not null contacts.last_name",
         "ALTER TABLE public.contacts ALTER COLUMN last_name DROP NOT NULL;"),
        ("revoke update on users from app_user", "REVOKE UPDATE ON public.users FROM app_user;"),
        ("comment on accounts", "COMMENT ON TABLE public.accounts IS 'Customer companies.';"),
        ("extra table notes",
         "CREATE TABLE public.notes (id bigint PRIMARY KEY, body text NOT NULL);"),
    ),
    "shop": (
        ("drop index orders_placed_at_idx", "DROP INDEX shop.orders_placed_at_idx;"),
        ("add column customers.phone", "ALTER TABLE shop.customers ADD COLUMN phone text;"),
        ("default payments.provider adyen",
         "ALTER TABLE shop.payments ALTER COLUMN provider SET DEFAULT 'adyen';"),
        ("grant select on customers to anon", "GRANT SELECT ON shop.customers TO anon;"),
        ("drop policy orders_own", "DROP POLICY orders_own ON shop.orders;"),
        ("order_items.quantity bigint",
         "ALTER TABLE shop.order_items ALTER COLUMN quantity TYPE bigint;"),
        ("drop check products_price_cents_check",
         "ALTER TABLE shop.products DROP CONSTRAINT products_price_cents_check;"),
        ("add check stock_reserved_check",
         "ALTER TABLE shop.stock ADD CONSTRAINT stock_reserved_check CHECK (reserved >= 0);"),
        ("drop trigger order_items_reserve",
         "DROP TRIGGER order_items_reserve ON shop.order_items;"),
        ("revoke insert on payments from app_user",
         "REVOKE INSERT ON shop.payments FROM app_user;"),
        ("disable row level security on orders",
         "ALTER TABLE shop.orders DISABLE ROW LEVEL SECURITY;"),
    ),
    "helpdesk": (
        ("drop index tickets_created_at_idx", "DROP INDEX public.tickets_created_at_idx;"),
        ("add column tickets.channel",
         "ALTER TABLE public.tickets ADD COLUMN channel text NOT NULL DEFAULT 'email';"),
        ("default agents.max_open_tickets 40",
         "ALTER TABLE public.agents ALTER COLUMN max_open_tickets SET DEFAULT 40;"),
        ("grant select on requesters to app_readonly",
         "GRANT SELECT ON public.requesters TO app_readonly;"),
        ("drop policy comments_public", "DROP POLICY comments_public ON public.comments;"),
        ("requesters.name varchar(200)",
         "ALTER TABLE public.requesters ALTER COLUMN name TYPE varchar(200);"),
        ("drop check tickets_solved_after_created",
         "ALTER TABLE public.tickets DROP CONSTRAINT tickets_solved_after_created;"),
        ("comment on tickets.priority",
         "COMMENT ON COLUMN public.tickets.priority IS 'Set by the triage bot.';"),
        ("add enum value ticket_priority.critical",
         "ALTER TYPE public.ticket_priority ADD VALUE 'critical';"),
        ("extra function reopen_ticket",
         "CREATE FUNCTION public.reopen_ticket(p_ticket bigint) RETURNS void LANGUAGE sql "
         "AS $$ UPDATE public.tickets SET status = 'open', solved_at = NULL "
         "WHERE id = p_ticket $$;"),
    ),
    "analytics": (
        ("drop index events_name_idx", "DROP INDEX analytics.events_name_idx;"),
        ("add column sessions.device", "ALTER TABLE analytics.sessions ADD COLUMN device text;"),
        ("default workspaces.retention_days 90",
         "ALTER TABLE analytics.workspaces ALTER COLUMN retention_days SET DEFAULT 90;"),
        ("add partition events_2027_01",
         "CREATE TABLE analytics.events_2027_01 PARTITION OF analytics.events "
         "FOR VALUES FROM ('2027-01-01') TO ('2027-02-01');"),
        ("grant insert on daily_rollups to app_readonly",
         "GRANT INSERT ON analytics.daily_rollups TO app_readonly;"),
        ("drop materialized view top_events", "DROP MATERIALIZED VIEW analytics.top_events;"),
        ("visitors.country varchar(3)",
         "ALTER TABLE analytics.visitors ALTER COLUMN country TYPE varchar(3);"),
        ("drop sequence export_batch_seq", "DROP SEQUENCE analytics.export_batch_seq;"),
        ("set not null sessions.referrer",
         "ALTER TABLE analytics.sessions ALTER COLUMN referrer SET NOT NULL;"),
        ("drop check goals_target_check",
         "ALTER TABLE analytics.goals DROP CONSTRAINT goals_target_check;"),
    ),
}

#: How many drifts a tenant gets: most none, some one, a few several.
DRIFT_COUNT_WEIGHTS: Final = {0: 60, 1: 28, 2: 9, 3: 3}
#: One tenant in this many has its dump cut short after pg_dump wrote it.
TRUNCATED_ONE_IN: Final = 250


def _load_module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


pgcluster = _load_module("pgdrift_fleet_pgcluster", ROOT / "tools" / "pgcluster.py")


class Tenant(NamedTuple):
    name: str
    base: str
    drifts: tuple[str, ...]
    truncated: bool

    @property
    def path(self) -> str:
        """Where its dump is, relative to the fleet's folder."""
        return f"tenants/{self.base}/{self.name}.sql"


def plan_fleet(tenants: int, seed: int) -> list[Tenant]:
    """Who gets which base, which drifts and which damage: a pure function of its arguments."""
    rng = random.Random(seed)
    counts, count_weights = zip(*DRIFT_COUNT_WEIGHTS.items(), strict=True)
    planned = []
    for number in range(1, tenants + 1):
        base = BASES[rng.randrange(len(BASES))]
        names = [name for name, _ in CATALOGUE[base]]
        weights = [1 / rank for rank in range(1, len(names) + 1)]
        chosen: list[str] = []
        for _ in range(rng.choices(counts, count_weights)[0]):
            pick = rng.choices(range(len(names)), weights)[0]
            chosen.append(names.pop(pick))
            weights.pop(pick)
        truncated = rng.randrange(TRUNCATED_ONE_IN) == 0
        planned.append(Tenant(f"tenant_{number:05d}", base, tuple(sorted(chosen)), truncated))
    return planned


def fleet_key(tenants: int, seed: int) -> str:
    """The cache key: the parameters, and a hash of what the dumps depend on: the catalogue,
    the weights, the code that plans, dumps and damages, and the base schemas."""
    inputs = [CATALOGUE, DRIFT_COUNT_WEIGHTS, TRUNCATED_ONE_IN, BASES]
    code = [inspect.getsource(f) for f in (plan_fleet, _dump, _cut_short, _make_tenant)]
    digest = hashlib.sha256(json.dumps([repr(inputs), code]).encode())
    for base in BASES:
        digest.update((SCHEMAS / f"{base}.sql").read_bytes())
    return f"n{tenants}-s{seed}-g{digest.hexdigest()[:10]}"


def generate_fleet(
    tenants: int,
    seed: int,
    *,
    cache: Path = DEFAULT_CACHE,
    jobs: int = 4,
    say: Callable[[str], None] = print,
    cluster: Any = None,
) -> Path:
    """The folder of the fleet, generated unless cached already: in ``cluster`` (a running
    :class:`pgcluster.Cluster` with the fixture roles) or in a throwaway cluster of its own."""
    folder = cache / f"fleet-{fleet_key(tenants, seed)}"
    if (folder / "manifest.json").is_file():
        return folder
    planned = plan_fleet(tenants, seed)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "bases").mkdir(parents=True)
    for base in BASES:
        (partial / "tenants" / base).mkdir(parents=True)
    started = time.monotonic()
    owned = cluster is None
    with contextlib.ExitStack() as stack:
        if cluster is None:
            cluster = stack.enter_context(pgcluster.Cluster(settings={"max_connections": "40"}))
            pgcluster.create_fixture_roles(cluster)
        for base in BASES:
            cluster.create_database(f"base_{base}")
            cluster.psql(file=SCHEMAS / f"{base}.sql", dbname=f"base_{base}")
            (partial / "bases" / f"{base}.sql").write_text(
                _dump(cluster, f"base_{base}", f"base {base}"), encoding="utf-8"
            )
            # A template's copies are made while nothing else is connected to it.
            cluster.psql(f"ALTER DATABASE base_{base} WITH IS_TEMPLATE true")
        done = 0
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            for _ in pool.map(functools.partial(_make_tenant, cluster, folder=partial), planned):
                done += 1
                if done % 250 == 0 or done == len(planned):
                    say(f"  {done:,}/{len(planned):,} tenants dumped "
                        f"({time.monotonic() - started:.0f} s)")  # fmt: skip
        if not owned:
            # A cluster lent by the caller is left as it was found.
            for base in BASES:
                cluster.psql(f"ALTER DATABASE base_{base} WITH IS_TEMPLATE false")
                cluster.drop_database(f"base_{base}")
    manifest = {
        "tenants": tenants,
        "seed": seed,
        "key": fleet_key(tenants, seed),
        "bases": {base: f"bases/{base}.sql" for base in BASES},
        "catalogue": {base: dict(CATALOGUE[base]) for base in BASES},
        "members": [t._asdict() | {"path": t.path} for t in planned],
    }
    (partial / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder


def _make_tenant(cluster: Any, tenant: Tenant, folder: Path) -> None:
    """The tenant's database from its base with its drifts, dumped, and dropped again."""
    database = tenant.name
    # FILE_COPY copies the template's files: for a small template it is much faster than
    # WAL_LOG, PostgreSQL 15's default (CREATE DATABASE, STRATEGY).
    cluster.psql(f"CREATE DATABASE {database} TEMPLATE base_{tenant.base} STRATEGY FILE_COPY")
    if tenant.drifts:
        sql = dict(CATALOGUE[tenant.base])
        cluster.psql("\n".join(sql[d] for d in tenant.drifts), dbname=database)
    text = _dump(cluster, database, tenant.name)
    cluster.drop_database(database)
    if tenant.truncated:
        text = _cut_short(text, tenant.name)
    (folder / tenant.path).write_text(text, encoding="utf-8")


def _dump(cluster: Any, database: str, label: str) -> str:
    # A fixed \restrict key keeps the dump byte-identical from run to run (pg_dump 15.14+).
    restrict = hashlib.sha256(f"pgdrift fleet {label}".encode()).hexdigest()[:32]
    text: str = cluster.pg_dump(database, "--schema-only", f"--restrict-key={restrict}")
    return text


def _cut_short(text: str, name: str) -> str:
    """The dump cut in the middle of one of its CREATE TABLE statements (seeded by name)."""
    starts = [i for i in range(len(text)) if text.startswith("CREATE TABLE ", i)]
    start = starts[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(starts)]
    return text[: start + 40]


def load_manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return data


def expected_grouping(folder: Path, base: str) -> tuple[set[frozenset[str]], set[str], set[str]]:
    """What ``pgdrift fleet`` must find for ``base``'s tenants: the groups (as sets of dump
    paths, one per distinct drift set), the identical ones, and the unreadable ones."""
    by_drifts: dict[tuple[str, ...], set[str]] = {}
    broken = set()
    for member in load_manifest(folder)["members"]:
        if member["base"] != base:
            continue
        path = str(folder / member["path"])
        if member["truncated"]:
            broken.add(path)
        else:
            by_drifts.setdefault(tuple(member["drifts"]), set()).add(path)
    groups = {frozenset(paths) for paths in by_drifts.values()}
    return groups, by_drifts.get((), set()), broken


def check_grouping(folder: Path, base: str, report: Any) -> list[str]:
    """Where ``report`` (a :class:`pgdrift.FleetReport` of ``base``'s tenants against its
    baseline) differs from the seeded drifts; empty when it found exactly them."""
    groups, identical, broken = expected_grouping(folder, base)
    found = {frozenset(group.members) for group in report.groups}
    found_identical = {g for g in report.groups if not g.signature}
    problems = []
    if found != groups:
        problems.append(f"{base}: {len(found)} groups found, {len(groups)} seeded; "
                        f"{len(found - groups)} found groups were not seeded")  # fmt: skip
    identical_found = set(next(iter(found_identical)).members) if found_identical else set()
    if identical_found != identical:
        problems.append(f"{base}: {len(identical_found)} identical found, {len(identical)} seeded")
    errors = {r.name for r in report.errors}
    if errors != broken:
        problems.append(f"{base}: unreadable {sorted(errors ^ broken)[:5]} differ from the seeds")
    return problems


def check_fleet(folder: Path, *, jobs: int | None = None) -> tuple[list[str], dict[str, Any]]:
    """Run ``pgdrift.fleet`` on each base's tenants; the problems found and the reports."""
    import pgdrift  # noqa: PLC0415 - the generator itself needs only the standard library

    problems: list[str] = []
    reports = {}
    for base in BASES:
        report = pgdrift.fleet(folder / "bases" / f"{base}.sql", [folder / "tenants" / base],
                               jobs=jobs)  # fmt: skip
        reports[base] = report
        problems += check_grouping(folder, base, report)
    return problems, reports


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=2000, help="default: %(default)s")
    parser.add_argument("--seed", type=int, default=1, help="default: %(default)s")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--jobs", type=int, default=4, help="tenants dumped at once")
    parser.add_argument("--no-check", dest="check", action="store_false",
                        help="only generate, do not run pgdrift fleet on it")  # fmt: skip
    arguments = parser.parse_args(argv)
    try:
        folder = generate_fleet(arguments.tenants, arguments.seed, cache=arguments.cache_dir,
                                jobs=arguments.jobs)  # fmt: skip
    except pgcluster.ClusterError as error:
        print(f"fleet: {error}", file=sys.stderr)
        return 2
    print(folder)
    if not arguments.check:
        return 0
    problems, reports = check_fleet(folder)
    for base, report in reports.items():
        print(f"{base}: {len(report.results)} dumps, {len(report.groups)} groups, "
              f"{len(report.errors)} unreadable")  # fmt: skip
    for problem in problems:
        print(f"fleet: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
