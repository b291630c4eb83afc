"""The ``pgdrift`` command line.

Exit status follows diff(1): 0 no differences (or success), 1 differences found, 2 trouble;
3 when ``diff --fail-on-hazard`` finds a migration step with one of the named hazards.
``lint`` exits 1 when a finding is at or above ``--fail-on``.
Errors are printed one per line as ``file:line:column: message``, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pgdrift import __version__
from pgdrift.config import KEYS, LINT_CHOICES, load_config
from pgdrift.diff_options import Option, option_fields
from pgdrift.errors import DatabaseSelectionError, Error, GitError, PlanError
from pgdrift.pg.hazards import Hazard

if TYPE_CHECKING:
    from collections.abc import Callable

    from pgdrift.schema import Schema

EXIT_OK = 0
EXIT_DIFFERENCES = 1
EXIT_ERROR = 2
EXIT_HAZARD = 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args, sys.stdout))
    except Error as error:
        print(f"pgdrift: {error.one_line()}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("pgdrift: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception as exc:
        print(
            f"pgdrift: internal error: {type(exc).__name__}: {exc} "
            "(please report this with the input that caused it)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pgdrift",
        description="Read PostgreSQL pg_dump --schema-only files offline: inspect them, "
        "diff two of them, lint them.",
    )
    parser.add_argument("--version", action="version", version=f"pgdrift {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    inspect = commands.add_parser(
        "inspect",
        help="list what a dump defines: counts by kind, objects, unsupported statements",
        description="List what a dump defines: counts by kind, every object, and the "
        "statements pgdrift keeps without modelling them (with their lines).",
    )
    inspect.add_argument("dump", help="a pg_dump file (plain SQL, .gz, or - for stdin)")
    inspect.add_argument("--format", choices=("text", "json"), default="text")
    _add_load_options(inspect)
    inspect.set_defaults(run=run_inspect)
    _add_diff_command(commands)
    _add_lint_command(commands)
    return parser


# Kept in step with pgdrift.renderer.FORMATS (a test checks), so that --help does not import the
# renderers.
DIFF_FORMATS = ("json", "markdown", "sql", "text")
HAZARD_KINDS = tuple(hazard.value for hazard in Hazard)
#: The presets of pgdrift.diff_options.PRESETS, as --preset offers them.
PRESETS = dict(option_fields())["preset"].choices
#: The flags of the diff options (pgdrift.diff_options.DiffOptions), by --help section.
_SECTIONS = ("report", "what to compare", "renames")


def _diff_epilog() -> str:
    settings = (
        "Options can also be set in pyproject.toml, found by walking up from the current "
        "directory, under [tool.pgdrift]. Keys are the long option names with underscores, in "
        "the plural for --include-schema, --exclude-schema, --include-kind, --exclude-kind and "
        f'--rename; all of them: {", ".join(KEYS)}. For example: exclude_schemas = ["auth"], '
        'preset = "supabase", labels = ["dev", "prod"]. Options given here win over the file.'
    )
    return f"""\
A and B are each a pg_dump file (plain SQL or .gz), a SQL script, a directory of migration
files (read in their tool's order, see docs/ddl.md), - for standard input (one of them at
most), or REV:path to read the file from git with `git show REV:path` (used only when REV
is not an existing path).

{textwrap.fill(settings, width=90, break_on_hyphens=False)}

Exit status (as diff(1)): 0 no differences, 1 differences found, 2 trouble; 3 when
--fail-on-hazard names a hazard some migration step carries (nothing is printed then).
"""


def _add_diff_command(commands: Any) -> None:
    diff = commands.add_parser(
        "diff",
        help="compare two dumps and report what differs (exit 1 when something does)",
        description="Compare the schema of dump A (old) with dump B (new), by meaning: "
        "formatting, statement order and pg_dump version quirks do not count as differences.",
        epilog=_diff_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff.add_argument("a", metavar="A", help="the old side: FILE, DIR, - (stdin) or REV:path")
    diff.add_argument("b", metavar="B", help="the new side: FILE, DIR, - (stdin) or REV:path")
    out = diff.add_argument_group("report")
    out.add_argument("--format", choices=DIFF_FORMATS, default=None,
                     help="text (a line per change, the default), markdown (a report for "
                     "people), json (docs/json-format.md) or sql (the migration script "
                     "from A to B)")  # fmt: skip
    sections = {"report": out}
    _add_diff_options(sections, "report")
    out.add_argument("-q", "--quiet", action="store_true",
                     help="print only the counts line, whatever the format")  # fmt: skip
    out.add_argument("--color", choices=("auto", "always", "never"), default=None,
                     help="colour the text format: auto (the default) colours a terminal "
                     "unless NO_COLOR is set")  # fmt: skip
    out.add_argument("--output", "-o", metavar="FILE", default=None,
                     help="write the report to FILE instead of standard output")  # fmt: skip
    script = diff.add_argument_group("migration script")
    script.add_argument("--fail-on-hazard", metavar="KIND,...", type=_hazards, default=None,
                        help="exit 3, printing nothing, if a step of the migration from A to B "
                        f"carries one of these hazards: {', '.join(HAZARD_KINDS)}")  # fmt: skip
    script.add_argument("--concurrently", action="store_true",
                        help="--format sql: build new indexes on existing tables with CREATE "
                        "INDEX CONCURRENTLY (outside the script's transaction)")  # fmt: skip
    script.add_argument("--not-valid", action="store_true",
                        help="--format sql: add new CHECK and FOREIGN KEY constraints on "
                        "existing tables NOT VALID, then VALIDATE them")  # fmt: skip
    sections["what to compare"] = diff.add_argument_group("what to compare")
    sections["renames"] = diff.add_argument_group("renames")
    _add_diff_options(sections, "what to compare", "renames")
    _add_load_options(diff)
    diff.set_defaults(run=run_diff)


_LINT_EPILOG = """\
SCHEMA is a pg_dump file (plain SQL or .gz), - for standard input, or REV:path (read from
git). With --migration, give two: the rules run on the migration plan from A to B.

Settings can also be kept in pyproject.toml under [tool.pgdrift.lint]: select, ignore,
exclude, exposed_schemas, api_roles (lists of strings), severity (a table of CODE = "error" |
"warning" | "info"), preset, fail_on and format. Options given here win over the file.
The rules, with examples: docs/lint.md.

Exit status: 0 no finding at or above --fail-on, 1 some finding is, 2 trouble.
"""


def _add_lint_command(commands: Any) -> None:
    lint = commands.add_parser(
        "lint",
        help="check a dump for security and design problems, or a migration for unsafe steps",
        description="Check the schema of each dump against pgdrift's lint rules (row level\n"
        "security, SECURITY DEFINER routines, unindexed foreign keys...), or, with\n"
        "--migration A B, the migration plan from A to B against the migration rules.",
        epilog=_LINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lint.add_argument("schemas", metavar="SCHEMA", nargs="+",
                      help="a dump: FILE, - (stdin) or REV:path")  # fmt: skip
    lint.add_argument("--migration", action="store_true",
                      help="lint the migration plan from the first SCHEMA to the "
                      "second")  # fmt: skip
    lint.add_argument("--format", choices=LINT_CHOICES["format"], default=None,
                      help="text (the default), json (docs/lint.md), sarif (SARIF 2.1.0) or "
                      "github (workflow annotations)")  # fmt: skip
    lint.add_argument("--fail-on", choices=LINT_CHOICES["fail_on"], default=None,
                      help="exit 1 when a finding has this severity or a higher one "
                      "(default: warning)")  # fmt: skip
    lint.add_argument("--select", metavar="CODE,...", type=_codes, default=None,
                      help="run these rules (codes or names) besides the default ones; ALL "
                      "runs every rule, including those off by default")  # fmt: skip
    lint.add_argument("--ignore", metavar="CODE,...", type=_codes, default=None,
                      help="skip these rules")  # fmt: skip
    lint.add_argument("--exclude", metavar="GLOB", action="append", default=None,
                      help="skip objects whose id (table:public.audit_*) or name "
                      "(public.audit_*) matches; repeatable")  # fmt: skip
    lint.add_argument("--exposed-schema", dest="exposed_schemas", metavar="SCHEMA",
                      action="append", default=None,
                      help="a schema an API serves (repeatable)")  # fmt: skip
    lint.add_argument("--api-role", dest="api_roles", metavar="ROLE", action="append",
                      default=None, help="a role an API queries as (repeatable)")  # fmt: skip
    lint.add_argument("--preset", choices=LINT_CHOICES["preset"], default=None,
                      help="supabase: schema public is exposed, roles anon and "
                      "authenticated; the platform's schemas (auth, storage...) are "
                      "left out")  # fmt: skip
    lint.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                      help="colour the text format (auto: on a terminal, unless "
                      "NO_COLOR)")  # fmt: skip
    lint.add_argument("--output", "-o", metavar="FILE", default=None,
                      help="write the findings to FILE instead of standard output")  # fmt: skip
    _add_load_options(lint)
    lint.set_defaults(run=run_lint)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


_LINT_FIELDS = ("select", "ignore", "exclude", "exposed_schemas", "api_roles", "preset")


def run_lint(args: argparse.Namespace, out: TextIO) -> int:
    from pgdrift.linter import (  # noqa: PLC0415 - keeps --help fast
        LintOptions,
        Severity,
        lint,
        lint_plan,
    )
    from pgdrift.linter.output import render_findings  # noqa: PLC0415

    settings, _ = load_config()
    config = dict(settings.get("lint", {}))
    for key in (*_LINT_FIELDS, "format", "fail_on"):
        value = getattr(args, key, None)
        if value is not None:
            config[key] = tuple(value) if isinstance(value, list) else value
    if args.encoding is None:
        args.encoding = settings.get("encoding")
    if sum(spec == "-" for spec in args.schemas) > 1:
        raise Error("only one SCHEMA can be - (standard input)")
    try:
        options = LintOptions(severity=config.get("severity", {}),
                              **{k: config[k] for k in _LINT_FIELDS if k in config})  # fmt: skip
    except ValueError as exc:
        raise Error(str(exc)) from None
    schemas = [load_input(spec, args) for spec in args.schemas]
    if args.migration:
        if len(schemas) != 2:
            raise Error("lint --migration needs two schemas: A (old) and B (new)")
        from pgdrift.differ import diff  # noqa: PLC0415
        from pgdrift.planner import plan  # noqa: PLC0415

        # The diff options of [tool.pgdrift] (renames, excluded schemas...) shape the plan.
        diff_settings = {name: settings[name] for name, _ in option_fields() if name in settings}
        findings = lint_plan(plan(diff(*schemas, **diff_settings)), options)
    else:
        findings = [f for schema in schemas for f in lint(schema, options)]
    target = Path(args.output) if args.output else None
    color = _use_color(args.color, target, out)
    report = render_findings(findings, config.get("format", "text"), color=color)
    _write(report, target, out)
    errors = [error for schema in schemas for error in schema.errors]
    for error in errors:
        sys.stderr.write(f"pgdrift: {error.one_line()}\n")
    if errors:
        return EXIT_ERROR
    fail_on = config.get("fail_on", "warning")
    if fail_on != "never" and any(f.severity >= Severity(fail_on) for f in findings):
        return EXIT_DIFFERENCES
    return EXIT_OK


def _write(report: str, target: Path | None, out: TextIO) -> None:
    if target is None:
        out.write(report)
        out.flush()
        return
    try:
        target.write_text(report, encoding="utf-8")
    except OSError as exc:
        raise Error(f"{target}: cannot write the report: {exc.strerror or exc}") from None


def _add_diff_options(sections: dict[str, Any], *names: str) -> None:
    """The flags of the diff options listed under these ``--help`` sections; each one's
    ``dest`` is its DiffOptions field (and [tool.pgdrift] key), None when not given."""
    for name, option in option_fields():
        if option.section not in names:
            continue
        settings: dict[str, Any] = {"dest": name, "default": None}
        if option.kind == "switch":
            settings["action"] = argparse.BooleanOptionalAction
        elif option.kind == "choice":
            settings["choices"] = option.choices
        else:
            settings["action"] = "append" if option.kind == "list" else "store"
            settings.update(metavar=option.metavar, type=_argument_type(option))
        group = sections[option.section]
        group.add_argument(option.flag, help=option.help, **settings)
        for old in option.old_flags:
            # Older spellings are still accepted, and no longer listed.
            group.add_argument(old, help=argparse.SUPPRESS, **settings)


def _argument_type(option: Option) -> Callable[[str], Any] | None:
    """The option's parser, with its ValueError made the message argparse prints as is."""
    parse = option.parse
    if parse is None:
        return None

    def argument(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return argument


def _hazards(text: str) -> frozenset[str]:
    kinds = {part.strip() for part in text.split(",") if part.strip()}
    unknown = sorted(kinds - set(HAZARD_KINDS))
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"unknown hazard {', '.join(unknown) or text!r}; known: {', '.join(HAZARD_KINDS)}"
        )
    return frozenset(kinds)


def _add_load_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        help="the database to read from a pg_dumpall file (inspect without it shows the cluster)",
        default=None,
    )
    parser.add_argument(
        "--encoding", help="decode the input with this codec instead of UTF-8", default=None
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="report every error and read the rest (default: stop at the first)",
    )
    parser.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="neither read nor write the cache of loaded dumps (PGDRIFT_CACHE_DIR, default "
        "~/.cache/pgdrift)",
    )


def load_input(spec: str, args: argparse.Namespace) -> Schema:
    """A schema from a path, ``-`` (stdin) or ``REV:path`` (read from git)."""
    from pgdrift.loading import load  # noqa: PLC0415 - keeps --help fast

    options: dict[str, Any] = {"strict": not args.keep_going, "database": args.database,
                               "encoding": args.encoding, "cache": _schema_cache(args)}  # fmt: skip
    if spec == "-":
        return load(sys.stdin.buffer, name="<stdin>", **options)
    git = git_spec(spec)
    if git is not None:
        return load(read_from_git(*git), name=spec, **options)
    return load(spec, **options)


def _schema_cache(args: argparse.Namespace) -> Any:
    """The cache the loads of this run share (False with ``--no-cache``)."""
    if not getattr(args, "cache", True):
        return False
    store = getattr(args, "schema_cache", None)
    if store is None:
        from pgdrift.cache import SchemaCache  # noqa: PLC0415 - keeps --help fast

        store = args.schema_cache = SchemaCache()
    return store


def _warn_cache_problem(args: argparse.Namespace) -> None:
    store = getattr(args, "schema_cache", None)
    if store is not None and store.problem:
        print(f"pgdrift: warning: {store.problem}", file=sys.stderr)


def load_pair(args: argparse.Namespace) -> tuple[Schema, Schema]:
    """Both sides of a diff; the second loads in a worker process when that pays."""
    from pgdrift.parallel import run_beside, worth_a_worker  # noqa: PLC0415

    pending = None
    if args.b != "-" and worth_a_worker(_input_size(args.b)) and not _in_cache(args.b, args):
        pending = run_beside(_load_in_worker, args.b, _load_settings(args))
    try:
        old = load_input(args.a, args)
    except BaseException:
        if pending is not None:
            pending.cancel()
        raise
    new = None
    if pending is not None:
        shipped = pending.result()
        if isinstance(shipped, bytes):
            from pgdrift.cache import unpickle_schema  # noqa: PLC0415

            new = unpickle_schema(shipped)
    # With the cache on, the worker left the schema there (a hit now); a failed worker is
    # redone here, so its errors read exactly as without one.
    if new is None:
        new = load_input(args.b, args)
    _warn_cache_problem(args)
    return old, new


def _in_cache(spec: str, args: argparse.Namespace) -> bool:
    """Whether ``spec`` is in the cache already (then reading it here beats a worker)."""
    store = _schema_cache(args)
    if store is False or git_spec(spec) is not None:
        return False
    from pgdrift.loading import cache_key  # noqa: PLC0415

    try:
        key = cache_key(store, spec, strict=not args.keep_going, database=args.database,
                        encoding=args.encoding)  # fmt: skip
    except Error:
        return False
    return bool(store.holds(key))


def _input_size(spec: str) -> int | None:
    try:
        return os.stat(spec).st_size
    except OSError:
        return None  # REV:path, or an error that the load will report


def _load_settings(args: argparse.Namespace) -> dict[str, Any]:
    return {name: getattr(args, name) for name in ("keep_going", "database", "encoding", "cache")}


def _load_in_worker(spec: str, settings: dict[str, Any]) -> bytes | None:
    """In a worker process: load ``spec``; leave it in the cache (None) or return it pickled."""
    args = argparse.Namespace(**settings)
    schema = load_input(spec, args)
    store = getattr(args, "schema_cache", None)
    if store is not None and store.holds_last:
        return None
    from pgdrift.cache import pickle_schema  # noqa: PLC0415

    return pickle_schema(schema)


def git_spec(spec: str) -> tuple[str, str] | None:
    """``(rev, path)`` when ``spec`` means a file in git, None when it is a path.

    A spec is a path when it exists, or when the part before its first colon does: a file
    named ``a:b`` is read as itself, as ``./a:b`` always is.

    Example:
        >>> git_spec("HEAD~1:fixtures/liveconvo/prod/dump.sql")
        ('HEAD~1', 'fixtures/liveconvo/prod/dump.sql')
        >>> git_spec("./no-such-dir:dump.sql") is None
        True
    """
    if os.path.exists(spec) or ":" not in spec:
        return None
    rev, _, path = spec.partition(":")
    if rev.startswith(("./", "../", "/")) or (rev and os.path.exists(rev)):
        return None
    return rev, path


def read_from_git(rev: str, path: str) -> bytes:
    """The bytes of ``path`` at ``rev`` (``git show REV:path`` in the current directory).

    Raises:
        GitError: git is missing, or the revision or the path is not there.
    """
    spec = f"{rev}:{path}"
    if not path:
        raise GitError(f"{spec}: name a file after the colon (REV:path)")
    try:
        result = subprocess.run(["git", "show", spec], capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"{spec}: cannot run git: {exc.strerror or exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[0] if message else f"git show exited with status {result.returncode}"
        raise GitError(f"{spec}: cannot read it from git: {reason.removeprefix('fatal: ')}")
    return result.stdout


def run_inspect(args: argparse.Namespace, out: TextIO) -> int:
    # Standard input is read once: a pg_dumpall file without --database is read again per
    # database.
    stdin = sys.stdin.buffer.read() if args.dump == "-" else None
    try:
        schema = _load_one(args, stdin, args.database)
    except DatabaseSelectionError as selection:
        if args.database is not None or not selection.databases:
            raise
        return _inspect_cluster(args, stdin, selection.databases, out)
    _warn_cache_problem(args)
    if args.format == "json":
        from pgdrift.serialize import schema_to_data  # noqa: PLC0415

        json.dump(schema_to_data(schema, with_source=True), out, indent=2, sort_keys=False)
        out.write("\n")
    else:
        out.write(render_inventory(schema))
    if schema.errors:
        for error in schema.errors:
            print(f"pgdrift: {error.one_line()}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


#: Kinds that belong to the cluster: pg_dumpall writes them once, whichever database is read.
_CLUSTER_KINDS = ("role", "database", "tablespace")


def _load_one(args: argparse.Namespace, stdin: bytes | None, database: str | None) -> Schema:
    """``args.dump`` (or the bytes read from standard input) with ``database`` picked."""
    picked = argparse.Namespace(**{**vars(args), "database": database})
    if stdin is None:
        return load_input(args.dump, picked)
    from pgdrift.loading import load  # noqa: PLC0415 - keeps --help fast

    return load(stdin, name="<stdin>", strict=not args.keep_going, database=database,
                encoding=args.encoding)  # fmt: skip


def _inspect_cluster(
    args: argparse.Namespace, stdin: bytes | None, databases: Sequence[str], out: TextIO
) -> int:
    """A pg_dumpall file inspected without --database: its roles, and each database with the
    number of objects of each kind it defines."""
    schemas = {name: _load_one(args, stdin, name) for name in sorted(databases)}
    first = next(iter(schemas.values()))
    roles = sorted(obj.id.name for obj in first if obj.kind == "role")
    counts = {name: {kind: n for kind, n in schema.counts().items() if kind not in _CLUSTER_KINDS}
              for name, schema in schemas.items()}  # fmt: skip
    if args.format == "json":
        data = {"source": str(first.source), "roles": roles, "databases": counts}
        json.dump(data, out, indent=2, sort_keys=False)
        out.write("\n")
    else:
        lines = [f"{first.source}: a pg_dumpall file of {len(counts)} databases "
                 "(pgdrift inspect --database NAME lists one's objects)", "",
                 f"roles ({len(roles)}):", *(f"  {role}" for role in roles), "",
                 "databases:"]  # fmt: skip
        for name, kinds in counts.items():
            summary = ", ".join(f"{kind} {n}" for kind, n in kinds.items()) or "no objects"
            lines.append(f"  {name}: {summary}")
        out.write("\n".join(lines) + "\n")
    errors = [error for schema in schemas.values() for error in schema.errors]
    for error in errors:
        print(f"pgdrift: {error.one_line()}", file=sys.stderr)
    return EXIT_ERROR if errors else EXIT_OK


def run_diff(args: argparse.Namespace, out: TextIO) -> int:
    from pgdrift.differ import diff  # noqa: PLC0415 - keeps --help fast
    from pgdrift.renderer import render, render_plan_sql  # noqa: PLC0415

    settings, config_path = load_config()
    settings = _merge_settings(settings, args, config_path)
    if args.a == "-" and args.b == "-":
        raise Error("only one of A and B can be - (standard input)")
    if args.encoding is None:
        args.encoding = settings.get("encoding")
    old, new = load_pair(args)
    changes = diff(old, new, **{name: settings[name] for name, _ in option_fields()
                                if name in settings})  # fmt: skip
    target = Path(args.output) if args.output else None
    fmt = settings.get("format", "text")
    script = None
    # The Markdown report reads the plan's hazards: plan it with the same options as the
    # script would be, so the report and --format sql never disagree.
    planned_report = fmt == "markdown" and (args.concurrently or args.not_valid)
    if fmt == "sql" or args.fail_on_hazard or planned_report:
        from pgdrift.planner import plan  # noqa: PLC0415

        try:
            script = plan(changes, concurrently=args.concurrently, not_valid=args.not_valid)
        except PlanError:
            if not planned_report or args.fail_on_hazard:
                raise
            # The report says itself that no plan could be made.
        if script is not None and args.fail_on_hazard and _hazardous(script, args.fail_on_hazard):
            return EXIT_HAZARD
    if args.quiet:
        report = render(changes, "text", quiet=True)
    elif fmt == "sql" and script is not None:
        report = render_plan_sql(script)
    elif fmt == "text":
        color = _use_color(settings.get("color", "auto"), target, out)
        report = render(changes, "text", color=color)
    elif fmt == "markdown" and script is not None:
        report = render(changes, "markdown", plan=script)
    else:
        report = render(changes, fmt)
    if target is None:
        out.write(report)
        out.flush()
    else:
        try:
            target.write_text(report, encoding="utf-8")
        except OSError as exc:
            raise Error(f"{target}: cannot write the report: {exc.strerror or exc}") from None
    errors = [*old.errors, *new.errors]
    for error in errors:
        sys.stderr.write(f"pgdrift: {error.one_line()}\n")
    if errors:
        return EXIT_ERROR
    return EXIT_DIFFERENCES if changes else EXIT_OK


def _hazardous(script: Any, kinds: frozenset[str]) -> bool:
    """Tell, on standard error, which steps carry one of ``kinds``; True if any does."""
    found = False
    for step in script:
        hit = [h for h in step.hazards if h in kinds]
        if hit:
            found = True
            first = step.sql.strip().splitlines()[0] if step.sql.strip() else ""
            sys.stderr.write(f"pgdrift: {', '.join(hit)}: {first}\n")
    return found


def _merge_settings(
    settings: dict[str, Any], args: argparse.Namespace, path: Path | None
) -> dict[str, Any]:
    """``[tool.pgdrift]`` settings overridden by the options given on the command line,
    checked."""
    from pgdrift.errors import ConfigError  # noqa: PLC0415

    merged = dict(settings)
    # The diff options of the file were checked and parsed by config.check_config; the
    # command's own settings are checked here, where their choices are.
    choices = {"format": DIFF_FORMATS, "color": ("auto", "always", "never")}
    for key, allowed in choices.items():
        if key in merged and merged[key] not in allowed:
            raise ConfigError(f"{path}: [tool.pgdrift] {key} must be one of "
                              f"{', '.join(allowed)}, not {merged[key]!r}")  # fmt: skip
    for key in KEYS:
        value = getattr(args, key, None)
        if value is not None:
            merged[key] = tuple(value) if isinstance(value, list) else value
    return merged


def _use_color(choice: str, target: Path | None, out: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    if target is not None or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def render_inventory(schema: Schema) -> str:
    lines = [f"{schema.source}" + (f" (database {schema.database})" if schema.database else "")]
    if schema.dumped_by:
        lines.append(f"dumped by pg_dump {schema.dumped_by}")
    lines.append("")
    lines.append("objects by kind:")
    counts = schema.counts()
    width = max((len(k) for k in counts), default=0)
    for kind, n in counts.items():
        lines.append(f"  {kind:<{width}}  {n}")
    lines.append("")
    for obj in schema:
        if obj.kind == "unsupported":
            continue
        lines.append(f"  {obj.id}")
    unsupported = schema.unsupported
    if unsupported:
        lines.append("")
        lines.append(f"unsupported statements ({len(unsupported)}), kept and compared as text:")
        for item in unsupported:
            where = item.span.location() if item.span else "?"
            first = item.statement.strip().splitlines()[0][:100] if item.statement.strip() else ""
            lines.append(f"  {where}: {item.reason}: {first}")
    for warning in schema.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
