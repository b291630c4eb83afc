"""Throwaway PostgreSQL clusters, and the command that regenerates the dump fixtures from them.

A :class:`Cluster` is a private PostgreSQL server: a fresh ``initdb`` in a temporary directory,
listening only on a unix socket inside that directory, with durability switched off because
nothing in it is worth keeping. Leaving the ``with`` block stops the server and deletes the
directory, also on an error or Ctrl-C. Tests use it to restore dumps and apply migrations::

    with Cluster() as cluster:
        cluster.create_database("app")
        cluster.psql("CREATE TABLE t (id int PRIMARY KEY)", dbname="app")
        dump = cluster.pg_dump("app", "--schema-only")

As a script it regenerates ``fixtures/**/dump.sql`` from the ``source.sql`` beside it (see
``fixtures/README.md``)::

    python tools/pgcluster.py fixtures            # every case
    python tools/pgcluster.py fixtures tables     # only fixtures/tables
    python tools/pgcluster.py fixtures --check    # fail if a committed dump is out of date

Only the standard library is used, so the script runs from any Python >= 3.10.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import hashlib
import importlib.util
import json
import logging
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any, Final, Literal, NamedTuple

__all__ = [
    "FIXTURE_ROLES",
    "Cluster",
    "ClusterError",
    "FixtureCase",
    "ToolError",
    "create_fixture_roles",
    "discover_cases",
    "find_bindir",
    "quote_ident",
    "regenerate_case",
    "regenerate_case_files",
    "restrict_key_for",
]

log = logging.getLogger("pgcluster")

SUPERUSER: Final = "postgres"
"""Bootstrap superuser of every cluster, so owners in dumps never depend on who ran the tool."""

PORT: Final = 5432
"""The socket directory is private to one cluster, so the standard port never collides."""

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
FIXTURES_DIR: Final = REPO_ROOT / "fixtures"

# Unix socket paths are limited to sizeof(sun_path) - 1 = 107 bytes on Linux.
_MAX_SOCKET_PATH: Final = 107

_SERVER_SETTINGS: Final[Mapping[str, str]] = {
    "listen_addresses": "''",
    "port": str(PORT),
    # Durability buys nothing in a cluster that is deleted minutes later.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "autovacuum": "off",
    "jit": "off",
    # CREATE PUBLICATION warns unless wal_level is logical (Logical Replication, Configuration).
    "wal_level": "logical",
    # Session time zone shows in dumped timestamptz data; pin it so dumps do not depend on TZ.
    "timezone": "'UTC'",
    "log_timezone": "'UTC'",
    "lc_messages": "'C'",
    "logging_collector": "off",
    "log_min_messages": "warning",
    "log_checkpoints": "off",
    "max_connections": "20",
    "shared_buffers": "'32MB'",
}


class ClusterError(Exception):
    """The cluster could not be created, started or stopped."""


class ToolError(ClusterError):
    """A PostgreSQL program (psql, pg_dump, initdb...) exited with an error."""

    def __init__(self, argv: Sequence[str], returncode: int, stderr: str) -> None:
        self.argv = list(argv)
        self.returncode = returncode
        self.stderr = stderr
        program = Path(argv[0]).name
        super().__init__(f"{program} exited with status {returncode}:\n{stderr.rstrip()}")


def find_bindir() -> Path:
    """The directory holding ``initdb``, ``postgres``, ``psql`` and ``pg_dump``.

    ``$PGDRIFT_PG_BINDIR`` wins; then ``pg_config --bindir`` if it has ``initdb`` (Debian's
    ``/usr/bin/pg_config`` answers ``/usr/lib/postgresql/<major>/bin``); then the newest
    ``/usr/lib/postgresql/*/bin``.
    """
    configured = os.environ.get("PGDRIFT_PG_BINDIR")
    if configured:
        bindir = Path(configured)
        if not (bindir / "initdb").is_file():
            raise ClusterError(f"PGDRIFT_PG_BINDIR={configured} has no initdb")
        return bindir
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        answer = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        )
        bindir = Path(answer.stdout.strip())
        if answer.returncode == 0 and (bindir / "initdb").is_file():
            return bindir

    def major(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))

    candidates = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").is_file()]
    if not candidates:
        raise ClusterError(
            "no PostgreSQL server binaries found: set PGDRIFT_PG_BINDIR to the directory with "
            "initdb, or put pg_config on PATH"
        )
    return max(candidates, key=major)


def quote_ident(name: str) -> str:
    """``name`` as a double-quoted SQL identifier (always quoted, so case is kept)."""
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _utf8_locale() -> str:
    """``C.UTF-8`` if the C library has it, else ``C``.

    Both sort bytewise, so collation-dependent output (index order, ``ORDER BY`` in views) is
    the same everywhere; C.UTF-8 additionally classifies non-ASCII letters for ``upper()``.
    """
    try:
        listing = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "C"
    names = {line.strip().lower().replace("-", "") for line in listing.stdout.splitlines()}
    return "C.UTF-8" if "c.utf8" in names else "C"


class _ServerUser(NamedTuple):
    name: str
    uid: int
    gid: int


def _server_user() -> _ServerUser | None:
    """Who runs the server binaries: ``None`` for the current user, unless that is root.

    PostgreSQL refuses to run as root, so root hands initdb/pg_ctl to ``$PGDRIFT_PG_USER``,
    else ``nobody``, else a system user ``pgdrift`` created on first use.
    """
    if os.geteuid() != 0:
        return None
    names = [os.environ.get("PGDRIFT_PG_USER", ""), "nobody", "pgdrift"]
    for name in filter(None, names):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return _ServerUser(name, entry.pw_uid, entry.pw_gid)
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "pgdrift"],
        check=True,
    )
    entry = pwd.getpwnam("pgdrift")
    return _ServerUser("pgdrift", entry.pw_uid, entry.pw_gid)


def _client_environment() -> dict[str, str]:
    """The caller's environment without anything that could redirect or reconfigure a client."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "PSQL"))}
    # psql otherwise derives client_encoding from the locale; a POSIX locale would mean SQL_ASCII.
    env["PGCLIENTENCODING"] = "UTF8"
    # NOTICEs ("... does not exist, skipping") are noise; WARNINGs still reach stderr.
    env["PGOPTIONS"] = "-c client_min_messages=warning"
    return env


class Cluster:
    """A private, disposable PostgreSQL server reachable only through a unix socket.

    Use it as a context manager. The bootstrap superuser is ``postgres`` with trust
    authentication; client programs run as the current OS user and connect with
    ``-h <socket_dir> -U postgres``.

    Args:
        bindir: where the PostgreSQL programs are; :func:`find_bindir` when omitted.
        settings: extra ``postgresql.conf`` lines (values written verbatim, so quote strings).
        keep: leave the directory behind after stopping, to read ``server.log``.
    """

    def __init__(
        self,
        *,
        bindir: Path | None = None,
        settings: Mapping[str, str] | None = None,
        keep: bool = False,
    ) -> None:
        self.bindir = bindir if bindir is not None else find_bindir()
        self.settings = {**_SERVER_SETTINGS, **(settings or {})}
        self.keep = keep
        self._user = _server_user()
        self._root: Path | None = None
        self._running = False

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def root(self) -> Path:
        """The temporary directory: ``data/``, ``socket/`` and ``server.log``."""
        if self._root is None:
            raise ClusterError("the cluster has not been started")
        return self._root

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """initdb and start the server; on any failure, clean up before re-raising."""
        if self._root is not None:
            raise ClusterError("the cluster is already started")
        base = os.environ.get("TMPDIR", "/tmp")
        # A deep $TMPDIR can push the socket path past the kernel limit.
        if len(base) > _MAX_SOCKET_PATH - len("/pgdrift-XXXXXXXX/socket/.s.PGSQL.5432.lock"):
            base = "/tmp"
        self._root = Path(tempfile.mkdtemp(prefix="pgdrift-", dir=base))
        try:
            self._initdb()
            self._start_server()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server (fast, then immediate, then SIGKILL) and delete the directory."""
        if self._root is None:
            return
        try:
            if self._running:
                self._stop_server()
        finally:
            if not self.keep:
                shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    def _initdb(self) -> None:
        self.socket_dir.mkdir()
        if self._user is not None:
            for path in (self.root, self.socket_dir):
                os.chown(path, self._user.uid, self._user.gid)
        self._run_server_program(
            "initdb",
            "--pgdata", str(self.data_dir),
            "--username", SUPERUSER,
            "--auth", "trust",
            "--encoding", "UTF8",
            "--locale", _utf8_locale(),
            # The cluster is thrown away; skipping the fsync of ~1000 files saves most of the time.
            "--no-sync",
        )  # fmt: skip
        lines = [f"{name} = {value}" for name, value in sorted(self.settings.items())]
        lines.append(f"unix_socket_directories = {_quote_literal(str(self.socket_dir))}")
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# pgdrift throwaway cluster\n" + "\n".join(lines) + "\n")

    def _start_server(self) -> None:
        try:
            self._run_server_program(
                "pg_ctl", "start", "--wait", "--timeout", "60",
                "--pgdata", str(self.data_dir), "--log", str(self.log_file),
                # Its own session: Ctrl-C reaches Python, whose cleanup then stops the server.
                new_session=True,
            )  # fmt: skip
        except ToolError as error:
            raise ClusterError(f"{error}\n--- server.log ---\n{self._log_tail()}") from error
        self._running = True

    def _stop_server(self) -> None:
        for mode in ("fast", "immediate"):
            try:
                self._run_server_program(
                    "pg_ctl", "stop", "--wait", "--timeout", "30",
                    "--pgdata", str(self.data_dir), "--mode", mode,
                )  # fmt: skip
            except ToolError:
                continue
            self._running = False
            return
        pid_file = self.data_dir / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
            time.sleep(0.5)
        self._running = False

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def _run_server_program(self, program: str, *args: str, new_session: bool = False) -> None:
        argv = [str(self.bindir / program), *args]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC", "LC_ALL": "C"}
        user_args: dict[str, Any] = {}
        if self._user is not None:
            user_args = {"user": self._user.uid, "group": self._user.gid, "extra_groups": []}
        completed = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env,
            cwd=self.root,
            start_new_session=new_session,
            check=False,
            **user_args,
        )
        if completed.returncode != 0:
            raise ToolError(argv, completed.returncode, completed.stderr or completed.stdout)

    # -- clients ---------------------------------------------------------------------------

    def connection_args(self, dbname: str = "postgres") -> list[str]:
        """``-h -p -U -d`` arguments for a libpq client program."""
        return ["-h", str(self.socket_dir), "-p", str(PORT), "-U", SUPERUSER, "-d", dbname]

    def dsn(self, dbname: str = "postgres") -> str:
        """A libpq connection string, for drivers such as psycopg."""
        return f"host={self.socket_dir} port={PORT} user={SUPERUSER} dbname={dbname}"

    def run_client(
        self, program: str, *args: str, input_text: str | None = None, cwd: Path | None = None
    ) -> str:
        """Run a client program from :attr:`bindir` and return its standard output.

        Raises:
            ToolError: the program exited with a non-zero status; ``stderr`` is attached.
        """
        argv = [str(self.bindir / program), *args]
        completed = subprocess.run(
            argv,
            input=input_text,
            stdin=None if input_text is not None else subprocess.DEVNULL,
            capture_output=True,
            encoding="utf-8",
            env=_client_environment(),
            cwd=cwd,
            check=False,
        )
        if completed.returncode != 0:
            raise ToolError(argv, completed.returncode, completed.stderr)
        if completed.stderr.strip():
            log.warning("%s: %s", program, completed.stderr.rstrip())
        return completed.stdout

    def psql(
        self,
        sql: str | None = None,
        *,
        file: Path | None = None,
        dbname: str = "postgres",
        args: Sequence[str] = (),
    ) -> str:
        """Run ``sql`` or the script ``file`` with psql, stopping at the first error.

        A script runs from its own directory so ``\\ir`` finds its neighbours. Returns what psql
        printed (unaligned, tuples only, so a query's value reads back directly).
        """
        if (sql is None) == (file is None):
            raise ValueError("pass exactly one of sql and file")
        argv = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "--no-align", "--tuples-only"]
        argv += self.connection_args(dbname)
        if file is not None:
            return self.run_client("psql", *argv, "-f", file.name, *args, cwd=file.resolve().parent)
        return self.run_client("psql", *argv, *args, input_text=sql)

    def create_database(self, name: str, *, owner: str | None = None) -> None:
        """Create ``name`` from template0, so nothing added to template1 leaks into it."""
        statement = f"CREATE DATABASE {quote_ident(name)} TEMPLATE template0"
        if owner is not None:
            statement += f" OWNER {quote_ident(owner)}"
        self.psql(statement)

    def drop_database(self, name: str) -> None:
        """Drop ``name`` if it exists, disconnecting whoever is still connected."""
        self.psql(f"DROP DATABASE IF EXISTS {quote_ident(name)} WITH (FORCE)")

    def database_exists(self, name: str) -> bool:
        found = self.psql(f"SELECT 1 FROM pg_database WHERE datname = {_quote_literal(name)}")
        return found.strip() == "1"

    def pg_dump(self, dbname: str, *args: str) -> str:
        """The plain-text ``pg_dump`` of ``dbname`` with extra ``args``, as a string."""
        return self.run_client("pg_dump", *self.connection_args(dbname), *args)

    def pg_dumpall(self, *args: str) -> str:
        """The plain-text ``pg_dumpall`` of the whole cluster with extra ``args``."""
        # pg_dumpall's -d takes a connection string, not a database name; -l names the database.
        host_port_user = self.connection_args()[:-2]
        return self.run_client("pg_dumpall", *host_port_user, "-l", "postgres", *args)


# -- fixtures ------------------------------------------------------------------------------

FIXTURE_ROLES: Final[Mapping[str, str]] = {
    "anon": "NOLOGIN",
    "app_owner": "NOLOGIN",
    "app_readonly": "LOGIN",
    "app_user": "LOGIN",
    "authenticated": "NOLOGIN",
    "authenticator": "LOGIN NOINHERIT",
    "service_role": "NOLOGIN BYPASSRLS",
    "supabase_admin": "LOGIN SUPERUSER",
}
"""Roles created in every fixture cluster before ``source.sql`` runs (roles are cluster-wide)."""

_DEFAULT_DATABASE: Final = "fixture"
_CONFIG_KEYS: Final = frozenset({"dump", "schema_only", "pg_dump_args", "databases", "also"})


class FixtureCase(NamedTuple):
    """One ``fixtures/<name>/`` directory holding a ``source.sql``, with its ``fixture.json``."""

    name: str
    """Path relative to the fixtures directory, with ``/`` separators (``liveconvo/dev``)."""
    directory: Path
    dump: Literal["pg_dump", "pg_dumpall"] = "pg_dump"
    schema_only: bool = True
    pg_dump_args: tuple[str, ...] = ()
    databases: tuple[str, ...] = (_DEFAULT_DATABASE,)
    also: tuple[str, ...] = ()
    """Extra files derived from the same database (keys of ``_DERIVED_DUMPS``)."""

    @classmethod
    def load(cls, directory: Path, fixtures_dir: Path) -> FixtureCase:
        name = directory.relative_to(fixtures_dir).as_posix()
        config_file = directory / "fixture.json"
        if not config_file.exists():
            return cls(name, directory)
        config = json.loads(config_file.read_text(encoding="utf-8"))
        problems = []
        if not isinstance(config, dict):
            problems.append("must be a JSON object")
            config = {}
        if unknown := sorted(set(config) - _CONFIG_KEYS):
            problems.append(f"unknown keys {unknown}")
        dump = config.get("dump", "pg_dump")
        if dump not in ("pg_dump", "pg_dumpall"):
            problems.append('"dump" must be "pg_dump" or "pg_dumpall"')
        schema_only = config.get("schema_only", True)
        if not isinstance(schema_only, bool):
            problems.append('"schema_only" must be true or false')
        dump_args = config.get("pg_dump_args", [])
        databases = config.get("databases", [_DEFAULT_DATABASE])
        also = config.get("also", [])
        for key, value in (("pg_dump_args", dump_args), ("databases", databases), ("also", also)):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f'"{key}" must be a list of strings')
        if not databases:
            problems.append('"databases" must name at least one database')
        if isinstance(also, list) and (unknown_also := sorted(set(also) - set(_DERIVED_DUMPS))):
            problems.append(f'"also" has unknown outputs {unknown_also}')
        if problems:
            raise ClusterError(f"{config_file}: " + "; ".join(problems))
        return cls(
            name, directory, dump, schema_only, tuple(dump_args), tuple(databases), tuple(also)
        )


def discover_cases(fixtures_dir: Path = FIXTURES_DIR) -> list[FixtureCase]:
    """Every directory under ``fixtures_dir`` with a ``source.sql``, sorted by name."""
    directories = sorted(p.parent for p in fixtures_dir.rglob("source.sql"))
    return [FixtureCase.load(d, fixtures_dir) for d in directories]


def restrict_key_for(case_name: str) -> str:
    """A fixed ``\\restrict`` key for a case, so its dump is byte-identical on every run.

    pg_dump 15.14+ brackets a plain dump in ``\\restrict <key>`` / ``\\unrestrict <key>`` with a
    random key (CVE-2025-8714); the key must be alphanumeric. A predictable key is harmless
    here: it only guards against a malicious server, and ours ran our own DDL.
    """
    return hashlib.sha256(f"pgdrift fixture {case_name}".encode()).hexdigest()[:32]


def create_fixture_roles(cluster: Cluster) -> None:
    """Create :data:`FIXTURE_ROLES` in ``cluster``: pg_dump never writes roles, so every grant
    and owner a fixture names must already exist when its dump is restored."""
    statements = [
        f"CREATE ROLE {quote_ident(name)} {attributes};"
        for name, attributes in sorted(FIXTURE_ROLES.items())
    ]
    cluster.psql("\n".join(statements))


def _load_sibling_tool(name: str) -> ModuleType:
    """``tools/<name>.py`` as a module, however this file itself was imported."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    if spec is None or spec.loader is None:
        raise ClusterError(f"cannot load tools/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _supabase_cli_dump(cluster: Cluster, case: FixtureCase) -> str:
    """What ``supabase db dump`` writes for the case's database (see tools/supabase_rewrite.py)."""
    rewrite = _load_sibling_tool("supabase_rewrite")
    key = f"--restrict-key={restrict_key_for(case.name)}"
    text = cluster.pg_dump(case.databases[0], *rewrite.PG_DUMP_ARGS, key)
    result: str = rewrite.rewrite_dump(text)
    return result


_DERIVED_DUMPS: Final[Mapping[str, tuple[str, Callable[[Cluster, FixtureCase], str]]]] = {
    "supabase-cli": ("dump.supabase-cli.sql", _supabase_cli_dump),
}
"""``fixture.json`` ``"also"`` values: the file each writes and how it is made."""


def regenerate_case(case: FixtureCase, *, bindir: Path | None = None) -> str:
    """Run ``case``'s ``source.sql`` in a fresh cluster and return the dump text."""
    return regenerate_case_files(case, bindir=bindir)["dump.sql"]


def regenerate_case_files(case: FixtureCase, *, bindir: Path | None = None) -> dict[str, str]:
    """Run ``case``'s ``source.sql`` in a fresh cluster; return ``dump.sql`` and any files its
    ``"also"`` asks for, by file name.

    Each case gets its own cluster so its dump depends on nothing else: not on roles another
    case made, nor on OIDs (pg_dump breaks ordering ties by OID), nor on which cases ran first.
    """
    with Cluster(bindir=bindir) as cluster:
        create_fixture_roles(cluster)
        for database in case.databases:
            if not cluster.database_exists(database):
                cluster.create_database(database)
        cluster.psql(file=case.directory / "source.sql", dbname=case.databases[0])
        args = ["--schema-only"] if case.schema_only else []
        args += [f"--restrict-key={restrict_key_for(case.name)}", *case.pg_dump_args]
        if case.dump == "pg_dumpall":
            files = {"dump.sql": cluster.pg_dumpall(*args)}
        else:
            files = {"dump.sql": cluster.pg_dump(case.databases[0], *args)}
        for output in case.also:
            file_name, make = _DERIVED_DUMPS[output]
            files[file_name] = make(cluster, case)
        return files


def _select_cases(
    cases: Sequence[FixtureCase], wanted: Sequence[str], fixtures_dir: Path
) -> list[FixtureCase]:
    """Cases named by ``wanted``: a case name, a parent directory name, or a path to either."""
    if not wanted:
        return list(cases)
    selected: dict[str, FixtureCase] = {}
    for raw in wanted:
        prefix = raw.strip("/")
        as_path = Path(raw).resolve()
        if as_path.is_relative_to(fixtures_dir.resolve()):
            prefix = as_path.relative_to(fixtures_dir.resolve()).as_posix()
        if prefix in ("", "."):
            return list(cases)
        matches = [c for c in cases if c.name == prefix or c.name.startswith(prefix + "/")]
        if not matches:
            raise ClusterError(f"no fixture case {raw!r} under {fixtures_dir}")
        selected.update((c.name, c) for c in matches)
    return [selected[name] for name in sorted(selected)]


def _run_fixtures(arguments: argparse.Namespace) -> int:
    fixtures_dir: Path = arguments.fixtures_dir
    cases = _select_cases(discover_cases(fixtures_dir), arguments.cases, fixtures_dir)
    if not cases:
        print(f"no fixture cases under {fixtures_dir}")
        return 1
    bindir = find_bindir()
    started = time.monotonic()

    def build(case: FixtureCase) -> tuple[FixtureCase, dict[str, str] | None, str | None]:
        try:
            return case, regenerate_case_files(case, bindir=bindir), None
        except ClusterError as error:
            return case, None, str(error)

    failures = stale = 0
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=arguments.jobs)
    try:
        for case, files, error in pool.map(build, cases):
            if files is None:
                failures += 1
                print(f"FAIL     {case.name}\n{error}", file=sys.stderr, flush=True)
                continue
            for file_name, text in sorted(files.items()):
                label = case.name if file_name == "dump.sql" else f"{case.name}/{file_name}"
                target = case.directory / file_name
                current = target.read_bytes() if target.exists() else None
                fresh = text.encode("utf-8")
                if current == fresh:
                    print(f"same     {label}", flush=True)
                elif arguments.check:
                    stale += 1
                    print(
                        f"STALE    {label}: {file_name} differs from a fresh regeneration",
                        flush=True,
                    )
                else:
                    target.write_bytes(fresh)
                    print(f"{'updated' if current else 'created':<8} {label}", flush=True)
    finally:
        # On Ctrl-C or SIGTERM skip the queued cases; running ones still stop their clusters.
        pool.shutdown(wait=True, cancel_futures=True)
    elapsed = time.monotonic() - started
    print(f"{len(cases)} case(s) in {elapsed:.1f}s with {bindir}")
    return 1 if failures or stale else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pgcluster", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fixtures = commands.add_parser(
        "fixtures", help="regenerate fixtures/**/dump.sql from source.sql in fresh clusters"
    )
    fixtures.add_argument("cases", nargs="*", help="case names or directories (default: all)")
    fixtures.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any dump.sql is stale"
    )
    fixtures.add_argument(
        "--jobs", "-j", type=int, default=os.cpu_count() or 1, help="clusters run at once"
    )
    fixtures.add_argument(
        "--fixtures-dir", type=Path, default=FIXTURES_DIR, help="default: %(default)s"
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(format="%(name)s: %(message)s", level=logging.WARNING)

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    # SIGTERM would otherwise end Python without unwinding the ``with Cluster()`` blocks.
    signal.signal(signal.SIGTERM, terminate)
    try:
        return _run_fixtures(arguments)
    except ClusterError as error:
        print(f"pgcluster: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Reached only after every started cluster has been stopped and removed.
        print("pgcluster: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
