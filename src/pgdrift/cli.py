"""The ``pgdrift`` command line.

Exit status follows diff(1): 0 no differences (or success), 1 differences found, 2 trouble.
Errors are printed one per line as ``file:line:column: message``, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from pgdrift import __version__
from pgdrift.errors import Error, LoadErrors
from pgdrift.schema import Schema

EXIT_OK = 0
EXIT_DIFFERENCES = 1
EXIT_ERROR = 2


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
    except Exception as exc:  # noqa: BLE001 - the CLI promises one line, never a traceback
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
    return parser


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

    if spec == "-":
        return load(sys.stdin.buffer, name="<stdin>", strict=not args.keep_going,
                    database=args.database, encoding=args.encoding)  # fmt: skip
    return load(spec, strict=not args.keep_going, database=args.database,
                encoding=args.encoding)  # fmt: skip


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
