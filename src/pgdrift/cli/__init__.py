"""The ``pgdrift`` command line.

Exit status follows diff(1): 0 no differences (or success), 1 differences found, 2 trouble;
3 when ``diff --fail-on-hazard`` finds a migration step with one of the named hazards.
``lint`` exits 1 when a finding is at or above ``--fail-on``; ``matrix`` exits 1 when some
object is not the same in every environment; ``fleet`` exits 1 when a database drifted from
the baseline and 2 when a dump could not be read.
Errors are printed one per line as ``file:line:column: message``, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from pgdrift import __version__, parallel
from pgdrift.cli import (
    cmd_diff,
    cmd_erd,
    cmd_fleet,
    cmd_inspect,
    cmd_lint,
    cmd_matrix,
    cmd_squash,
)
from pgdrift.cli.cmd_diff import DIFF_FORMATS, HAZARD_KINDS, PRESETS
from pgdrift.cli.common import EXIT_DIFFERENCES, EXIT_ERROR, EXIT_HAZARD, EXIT_OK
from pgdrift.cli.inputs import (
    compiled_methods,
    git_spec,
    load_input,
    load_pair,
    read_from_git,
    write_cache_entries,
)
from pgdrift.errors import Error

__all__ = [
    "DIFF_FORMATS",
    "EXIT_DIFFERENCES",
    "EXIT_ERROR",
    "EXIT_HAZARD",
    "EXIT_OK",
    "HAZARD_KINDS",
    "PRESETS",
    "build_parser",
    "git_spec",
    "guarded",
    "load_input",
    "load_pair",
    "main",
    "read_from_git",
]

#: The commands, in the order ``--help`` lists them; each module's ``add`` adds its parser.
COMMANDS = (cmd_inspect, cmd_diff, cmd_matrix, cmd_fleet, cmd_lint, cmd_erd, cmd_squash)


def main(argv: Sequence[str] | None = None) -> int:
    # The cores' use is measured from here to a diff's decision to start a worker.
    parallel.mark_start()
    parser = build_parser()
    args = parser.parse_args(argv)
    # Cache entries are written once the command's output is out (write_cache_entries).
    args.defer_cache_writes = True
    methods = compiled_methods(args)
    try:
        return guarded(lambda: int(args.run(args, sys.stdout)))
    finally:
        write_cache_entries()
        if methods is not None:
            methods.uninstall()
            methods.save()


def guarded(run: Callable[[], int]) -> int:
    """``run()``'s exit status, or 2 with one line on standard error for a pgdrift error, an
    interruption or a bug — never a traceback. Every entry point runs its work through it."""
    try:
        return run()
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
        "diff two of them, tabulate the drift across several, lint them, draw their "
        "tables, squash migrations into one script.",
    )
    parser.add_argument("--version", action="version", version=f"pgdrift {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add(commands)
    return parser
