"""``pgdrift erd``: an entity-relationship diagram of a schema's tables, Mermaid or dot."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from pgdrift.cli.common import EXIT_ERROR, EXIT_OK, write
from pgdrift.cli.inputs import add_load_options, load_input, warn_cache_problem

# Kept in step with pgdrift.renderer.diagram (a test checks), so that --help imports neither.
ERD_FORMATS = ("dot", "mermaid")
DEFAULT_MAX_TABLES = 40

_EPILOG = """\
SCHEMA is a pg_dump file (plain SQL or .gz), a SQL script, a directory of migration files,
- for standard input, or REV:path to read the file from git.

Each foreign key is a relation: the referenced side is exactly one row when the referencing
columns are NOT NULL (zero or one otherwise), the referencing side at most one row when its
columns are unique too; a solid line when they lie in its primary key. Partitions are drawn
as their partitioned table. Past --max-tables the most connected tables are drawn (with
--include, the nearest), and a comment in the diagram says what was left out.
"""


def add(commands: Any) -> None:
    erd = commands.add_parser(
        "erd",
        help="draw the tables, their key columns and foreign keys (Mermaid or Graphviz dot)",
        description="Draw an entity-relationship diagram of a schema's tables: their key "
        "columns (primary, foreign, unique, partition key) and each foreign key as a relation "
        "with its cardinality.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    erd.add_argument("schema", metavar="SCHEMA", help="FILE, DIR, - (stdin) or REV:path")
    erd.add_argument("--format", choices=ERD_FORMATS, default="mermaid",
                     help="mermaid (an erDiagram, the default; GitHub draws it in Markdown) "
                     "or dot (Graphviz: dot -Tsvg)")  # fmt: skip
    erd.add_argument("--include", action="append", default=[], metavar="GLOB",
                     help="draw the tables whose qualified name matches GLOB, such as "
                     "'public.user_*', and their neighbours (repeatable)")  # fmt: skip
    erd.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                     help="leave out the tables whose qualified name matches GLOB "
                     "(repeatable)")  # fmt: skip
    erd.add_argument("--depth", type=_count(0), default=1, metavar="N",
                     help="with --include, also draw the tables up to N foreign keys away "
                     "(default 1; 0 draws the matching tables alone)")  # fmt: skip
    erd.add_argument("--max-tables", type=_count(1), default=DEFAULT_MAX_TABLES, metavar="N",
                     help=f"draw at most N tables (default {DEFAULT_MAX_TABLES}), noting the "
                     "rest")  # fmt: skip
    erd.add_argument("--all-columns", action="store_true",
                     help="draw every column, not only the key columns")  # fmt: skip
    erd.add_argument("--output", "-o", metavar="FILE", default=None,
                     help="write the diagram to FILE instead of standard output")  # fmt: skip
    add_load_options(erd)
    erd.set_defaults(run=run_erd)


def _count(least: int) -> Any:
    def number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be at least {least}: {value}")
        return value

    return number


def run_erd(args: argparse.Namespace, out: TextIO) -> int:
    from pgdrift.renderer.diagram import plan_diagram  # noqa: PLC0415 - keeps --help fast
    from pgdrift.renderer.diagram_text import render_diagram  # noqa: PLC0415

    schema = load_input(args.schema, args)
    warn_cache_problem(args)
    diagram = plan_diagram(schema, include=args.include, exclude=args.exclude,
                           all_columns=args.all_columns, max_tables=args.max_tables,
                           depth=args.depth)  # fmt: skip
    write(render_diagram(diagram, args.format), Path(args.output) if args.output else None, out)
    if diagram.note:
        print(f"pgdrift: note: {diagram.note}", file=sys.stderr)
    for error in schema.errors:
        print(f"pgdrift: {error.one_line()}", file=sys.stderr)
    return EXIT_ERROR if schema.errors else EXIT_OK
