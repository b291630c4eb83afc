"""The ``pgdrift`` command line.

Exit status follows diff(1): 0 no differences (or success), 1 differences found, 2 trouble;
3 when ``diff --fail-on-hazard`` finds a migration step with one of the named hazards.
Errors are printed one per line as ``file:line:column: message``, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from pgdrift import __version__, ids
from pgdrift.errors import Error, GitError, LoadErrors
from pgdrift.pg.hazards import Hazard
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
    except LoadErrors as errors:
        for error in errors.errors:
            print(f"pgdrift: {error.one_line()}", file=sys.stderr)
        return EXIT_ERROR
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
        "diff two of them.",
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
    return parser


# Kept in step with pgdrift.renderer.FORMATS and pgdrift.differ.PRESETS (a test checks), so that
# --help does not import the renderers.
DIFF_FORMATS = ("json", "markdown", "sql", "text")
HAZARD_KINDS = tuple(hazard.value for hazard in Hazard)
PRESETS = ("supabase",)

_DIFF_EPILOG = """\
A and B are each a pg_dump file (plain SQL or .gz), - for standard input (one of them at
most), or REV:path to read the file from git with `git show REV:path` (used only when REV
is not an existing path).

Options can also be set in pyproject.toml, found by walking up from the current directory,
under [tool.pgdrift]. Keys are the long option names with underscores, in the plural for
--include-schema, --exclude-schema, --include-kind, --exclude-kind and --rename; all of
them: format, labels, color, preset, include_schemas, exclude_schemas, include_kinds,
exclude_kinds, include, exclude, renames, detect_renames, ignore_owners, ignore_privileges,
ignore_comments, ignore_whitespace, encoding. For example: exclude_schemas = ["auth"],
preset = "supabase", labels = ["dev", "prod"]. Options given here win over the file.

Exit status (as diff(1)): 0 no differences, 1 differences found, 2 trouble; 3 when
--fail-on-hazard names a hazard some migration step carries (nothing is printed then).
"""


def _add_diff_command(commands: Any) -> None:
    diff = commands.add_parser(
        "diff",
        help="compare two dumps and report what differs (exit 1 when something does)",
        description="Compare the schema of dump A (old) with dump B (new), by meaning: "
        "formatting, statement order and pg_dump version quirks do not count as differences.",
        epilog=_DIFF_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff.add_argument("a", metavar="A", help="the old side: FILE, - (stdin) or REV:path")
    diff.add_argument("b", metavar="B", help="the new side: FILE, - (stdin) or REV:path")
    out = diff.add_argument_group("report")
    out.add_argument("--format", choices=DIFF_FORMATS, default=None,
                     help="text (a line per change, the default), markdown (a report for "
                     "people), json (docs/json-format.md) or sql (the migration script "
                     "from A to B)")  # fmt: skip
    out.add_argument("--labels", metavar="A,B", type=_labels, default=None,
                     help="names of the two sides in the report (default: a,b)")  # fmt: skip
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
    what = diff.add_argument_group("what to compare")
    what.add_argument("--include-schema", metavar="S", action="append", dest="include_schemas",
                      help="compare only objects in schema S (repeatable)")  # fmt: skip
    what.add_argument("--exclude-schema", metavar="S", action="append", dest="exclude_schemas",
                      help="leave out objects in schema S (repeatable)")  # fmt: skip
    what.add_argument("--include-kind", metavar="K", action="append", dest="include_kinds",
                      type=_kind, help="compare only objects of kind K: table, column, "
                      "function, index, ... (repeatable)")  # fmt: skip
    what.add_argument("--exclude-kind", metavar="K", action="append", dest="exclude_kinds",
                      type=_kind, help="leave out objects of kind K (repeatable)")  # fmt: skip
    what.add_argument("--include", metavar="GLOB", action="append",
                      help="compare only objects whose qualified name matches GLOB, such as "
                      "'public.user_*' (repeatable)")  # fmt: skip
    what.add_argument(
        "--exclude",
        metavar="GLOB",
        action="append",
        help="leave out objects whose qualified name matches GLOB (repeatable)",
    )
    what.add_argument(
        "--preset",
        choices=PRESETS,
        default=None,
        help="supabase: leave out the schemas the Supabase platform manages",
    )
    what.add_argument("--ignore-owners", action=argparse.BooleanOptionalAction, default=None,
                      help="do not compare owners")  # fmt: skip
    what.add_argument("--ignore-privileges", action=argparse.BooleanOptionalAction,
                      default=None, help="do not compare grants")  # fmt: skip
    what.add_argument("--ignore-comments", action=argparse.BooleanOptionalAction, default=None,
                      help="do not compare COMMENT ON texts")  # fmt: skip
    what.add_argument("--ignore-whitespace", action=argparse.BooleanOptionalAction,
                      default=None, help="function bodies that differ only in whitespace or "
                      "comments compare equal")  # fmt: skip
    renames = diff.add_argument_group("renames")
    renames.add_argument("--rename", metavar="TABLE.OLD=NEW", action="append", dest="renames",
                         type=_rename, help="confirm a rename: a column as TABLE.OLD=NEW "
                         "(TABLE with its schema unless it is public), or any other object as "
                         "SCHEMA.OLD=NEW (repeatable)")  # fmt: skip
    renames.add_argument("--detect-renames", action=argparse.BooleanOptionalAction,
                         default=None, help="accept every probable rename scoring at least "
                         "0.7; without it they are reported and stay drop + create")  # fmt: skip
    _add_load_options(diff)
    diff.set_defaults(run=run_diff)


def _labels(text: str) -> tuple[str, str]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
        raise argparse.ArgumentTypeError(f"expected two different names, as dev,prod: {text!r}")
    return parts[0], parts[1]


def _hazards(text: str) -> frozenset[str]:
    kinds = {part.strip() for part in text.split(",") if part.strip()}
    unknown = sorted(kinds - set(HAZARD_KINDS))
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"unknown hazard {', '.join(unknown) or text!r}; known: {', '.join(HAZARD_KINDS)}"
        )
    return frozenset(kinds)


def _kind(text: str) -> str:
    if text not in ids.ALL_KINDS:
        known = ", ".join(ids.ALL_KINDS)
        raise argparse.ArgumentTypeError(f"unknown kind {text!r}; known: {known}")
    return text


def _rename(text: str) -> tuple[str, str]:
    old, sep, new = text.partition("=")
    old, new = old.strip(), new.strip()
    if not sep or not old or not new or "." not in old:
        raise argparse.ArgumentTypeError(
            f"expected TABLE.OLD=NEW, as users.name=full_name: {text!r}"
        )
    return old, new


def _add_load_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database", help="the database to read from a pg_dumpall file", default=None
    )
    parser.add_argument(
        "--encoding", help="decode the input with this codec instead of UTF-8", default=None
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="report every error and read the rest (default: stop at the first)",
    )


def load_input(spec: str, args: argparse.Namespace) -> Schema:
    """A schema from a path, ``-`` (stdin) or ``REV:path`` (read from git)."""
    from pgdrift.loading import load  # noqa: PLC0415 - keeps --help fast

    strict = not args.keep_going
    if spec == "-":
        return load(sys.stdin.buffer, name="<stdin>", strict=strict,
                    database=args.database, encoding=args.encoding)  # fmt: skip
    git = git_spec(spec)
    if git is not None:
        return load(read_from_git(*git), name=spec, strict=strict, database=args.database,
                    encoding=args.encoding)  # fmt: skip
    return load(spec, strict=strict, database=args.database, encoding=args.encoding)


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
    schema = load_input(args.dump, args)
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


def run_diff(args: argparse.Namespace, out: TextIO) -> int:
    from pgdrift.config import load_config  # noqa: PLC0415 - keeps --help fast
    from pgdrift.differ import diff  # noqa: PLC0415
    from pgdrift.renderer import render  # noqa: PLC0415

    settings, config_path = load_config()
    settings = _merge_settings(settings, args, config_path)
    if args.a == "-" and args.b == "-":
        raise Error("only one of A and B can be - (standard input)")
    if args.encoding is None:
        args.encoding = settings.get("encoding")
    old = load_input(args.a, args)
    new = load_input(args.b, args)
    changes = diff(
        old, new,
        include=settings.get("include"), exclude=settings.get("exclude"),
        include_schemas=settings.get("include_schemas"),
        exclude_schemas=settings.get("exclude_schemas"),
        include_kinds=settings.get("include_kinds"), exclude_kinds=settings.get("exclude_kinds"),
        renames=dict(settings.get("renames", ())),
        detect_renames=settings.get("detect_renames", False),
        ignore_owners=settings.get("ignore_owners", False),
        ignore_privileges=settings.get("ignore_privileges", False),
        ignore_comments=settings.get("ignore_comments", False),
        ignore_body_whitespace=settings.get("ignore_whitespace", False),
        preset=settings.get("preset"), labels=settings.get("labels", ("a", "b")),
    )  # fmt: skip
    target = Path(args.output) if args.output else None
    fmt = settings.get("format", "text")
    script = None
    if fmt == "sql" or args.fail_on_hazard:
        from pgdrift.planner import plan  # noqa: PLC0415

        script = plan(changes, concurrently=args.concurrently, not_valid=args.not_valid)
        if args.fail_on_hazard and _hazardous(script, args.fail_on_hazard):
            return EXIT_HAZARD
    if args.quiet:
        report = render(changes, "text", quiet=True)
    elif fmt == "sql" and script is not None:
        report = script.to_sql()
    elif fmt == "text":
        color = _use_color(settings.get("color", "auto"), target, out)
        report = render(changes, "text", color=color)
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
    where = f"{path}: [tool.pgdrift]"
    # Values from the file get the checks argparse gave the command line's.
    checks = {"labels": _labels, "include_kinds": _kind, "exclude_kinds": _kind,
              "renames": _rename}  # fmt: skip
    for key, check in checks.items():
        if key not in merged:
            continue
        value = merged[key]
        try:
            if key == "labels":
                merged[key] = check(",".join(value))
            else:
                merged[key] = tuple(check(v) for v in value)
        except argparse.ArgumentTypeError as exc:
            raise ConfigError(f"{where} {key}: {exc}") from None
    choices = {"format": DIFF_FORMATS, "color": ("auto", "always", "never"), "preset": PRESETS}
    for key, allowed in choices.items():
        if key in merged and merged[key] not in allowed:
            raise ConfigError(f"{where} {key} must be one of {', '.join(allowed)}, "
                              f"not {merged[key]!r}")  # fmt: skip
    for key in ("format", "labels", "color", "preset", "include_schemas", "exclude_schemas",
                "include_kinds", "exclude_kinds", "include", "exclude", "renames",
                "detect_renames", "ignore_owners", "ignore_privileges", "ignore_comments",
                "ignore_whitespace", "encoding"):  # fmt: skip
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
