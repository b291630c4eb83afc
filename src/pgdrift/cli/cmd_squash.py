"""``pgdrift squash``: a folder of migrations (or any schema) as one SQL script."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from pgdrift.cli.common import EXIT_ERROR, EXIT_OK, write
from pgdrift.cli.inputs import add_load_options, fill_load_settings, load_input
from pgdrift.config import load_config

_EPILOG = """\
SCHEMA is what diff reads on either side: a directory of migration files, a glob, a SQL
script, a pg_dump file, - (standard input) or REV:path. The script creates every object in
dependency order, in one transaction where PostgreSQL allows it; run on an empty database it
gives the schema the migrations build (pgdrift diff SCHEMA squashed.sql reports nothing).

Exit status: 0 written, 2 trouble.
"""


def add(commands: Any) -> None:
    squash = commands.add_parser(
        "squash",
        help="write a schema (e.g. a folder of migrations) as one dependency-ordered SQL script",
        description="Replay SCHEMA with pgdrift's DDL interpreter (no server) and write the "
        "result as one SQL script that creates it in an empty database.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    squash.add_argument("schema", metavar="SCHEMA",
                        help="FILE, DIR, glob, - (stdin) or REV:path")  # fmt: skip
    squash.add_argument("--output", "-o", metavar="FILE", default=None,
                        help="write the script to FILE instead of standard output")  # fmt: skip
    add_load_options(squash)
    squash.set_defaults(run=run_squash)


def run_squash(args: argparse.Namespace, out: TextIO) -> int:
    from pgdrift.replay import squash  # noqa: PLC0415 - keeps --help fast

    settings, _ = load_config()
    fill_load_settings(args, settings)
    schema = load_input(args.schema, args)
    if schema.errors:
        for error in schema.errors:
            sys.stderr.write(f"pgdrift: {error.one_line()}\n")
        return EXIT_ERROR
    for item in schema.unsupported:
        where = item.span.location() if item.span else "?"
        sys.stderr.write(f"pgdrift: warning: {where}: {item.reason} (copied as written)\n")
    script = squash(schema)
    write(script, Path(args.output) if args.output else None, out)
    return EXIT_OK
