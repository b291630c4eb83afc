"""``pgdrift matrix``: how several environments' schemas differ, one row per object."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from pgdrift.cli.common import EXIT_DIFFERENCES, EXIT_ERROR, EXIT_OK, write
from pgdrift.cli.diff_flags import add_diff_options, diff_keywords, merge_command_line
from pgdrift.cli.inputs import add_load_options, fill_load_settings, load_input, warn_cache_problem
from pgdrift.config import load_config
from pgdrift.errors import Error

#: Kept in step with pgdrift.drift_matrix.MATRIX_FORMATS (a test checks), so that --help does
#: not import the matrix.
MATRIX_FORMATS = ("json", "markdown", "text")

_EPILOG = """\
Each SCHEMA is a pg_dump file (plain SQL or .gz), a SQL script, a directory of migration
files, - for standard input (one at most), or REV:path to read the file from git. Every two
of them are compared as `pgdrift diff` compares two, with the same options; the diff options
of [tool.pgdrift] in pyproject.toml apply too (its labels and format are diff's own).

In each row, a number names the object's definition in that environment (1 is the first
met, left to right; each is written out once), - means absent and > present under another
name (a confirmed rename). Security-relevant rows come first: making one environment like
another widens access, as pgdrift diff flags it. docs/matrix.md describes the formats.

Exit status: 0 every object is the same everywhere, 1 some object differs, 2 trouble.
"""


def add(commands: Any) -> None:
    matrix = commands.add_parser(
        "matrix",
        help="compare several environments: one row per object not the same everywhere "
        "(exit 1 when there is one)",
        description="Compare the schemas of several environments (dev, staging, prod...): "
        "every object that is not the same in all of them, with a column per environment "
        "telling which variant of the object it holds, or none.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    matrix.add_argument("schemas", metavar="SCHEMA", nargs="+",
                        help="an environment: FILE, DIR, - (stdin) or REV:path; two or "
                        "more")  # fmt: skip
    out = matrix.add_argument_group("report")
    out.add_argument("--labels", metavar="NAME,...", type=_labels, default=None,
                     help="names of the environments, one per SCHEMA in their order "
                     "(default: a,b,c...)")  # fmt: skip
    out.add_argument("--format", choices=MATRIX_FORMATS, default="text",
                     help="text (the default), markdown (a report for people) or json "
                     "(docs/matrix.md)")  # fmt: skip
    out.add_argument("--detail", action="store_true",
                     help="under each row, what differs between each two variants, as "
                     "pgdrift diff says it (json always has it)")  # fmt: skip
    out.add_argument("--output", "-o", metavar="FILE", default=None,
                     help="write the report to FILE instead of standard output")  # fmt: skip
    sections = {
        "what to compare": matrix.add_argument_group("what to compare"),
        "renames": matrix.add_argument_group("renames"),
    }
    add_diff_options(sections, "what to compare", "renames")
    add_load_options(matrix)
    matrix.set_defaults(run=run_matrix)


def _labels(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(","))


def run_matrix(args: argparse.Namespace, out: TextIO) -> int:
    from pgdrift.drift_matrix import matrix, matrix_labels, render_matrix  # noqa: PLC0415

    if len(args.schemas) < 2:
        raise Error("matrix compares two environments or more: give at least two SCHEMAs")
    if sum(spec == "-" for spec in args.schemas) > 1:
        raise Error("only one SCHEMA can be - (standard input)")
    try:
        labels = matrix_labels(args.labels, len(args.schemas))
    except ValueError as exc:
        raise Error(f"--labels: {exc}") from None
    settings, _ = load_config()
    settings = merge_command_line(settings, args)
    fill_load_settings(args, settings)
    schemas = [load_input(spec, args) for spec in args.schemas]
    warn_cache_problem(args)
    keywords = diff_keywords(settings, leave_out=("labels",))
    drift = matrix(schemas, labels=labels, **keywords)
    report = render_matrix(drift, args.format, detail=args.detail)
    write(report, Path(args.output) if args.output else None, out)
    errors = [error for schema in schemas for error in schema.errors]
    for error in errors:
        sys.stderr.write(f"pgdrift: {error.one_line()}\n")
    if errors:
        return EXIT_ERROR
    return EXIT_DIFFERENCES if drift else EXIT_OK
