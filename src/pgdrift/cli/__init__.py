"""The ``pgdrift`` command line.

Exit status follows diff(1): 0 no differences (or success), 1 differences found, 2 trouble;
3 when ``diff --fail-on-hazard`` finds a migration step with one of the named hazards.
``lint`` exits 1 when a finding is at or above ``--fail-on``; ``fleet`` exits 1 when a database
drifted from the baseline and 2 when a dump could not be read.
Errors are printed one per line as ``file:line:column: message``, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pgdrift import __version__
from pgdrift.cli import cmd_diff, cmd_fleet, cmd_inspect, cmd_lint
from pgdrift.cli.cmd_diff import DIFF_FORMATS, HAZARD_KINDS, PRESETS
from pgdrift.cli.common import EXIT_DIFFERENCES, EXIT_ERROR, EXIT_HAZARD, EXIT_OK
from pgdrift.cli.inputs import git_spec, load_input, read_from_git
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
    "load_input",
    "main",
    "read_from_git",
]

#: The commands, in the order ``--help`` lists them; each module's ``add`` adds its parser.
COMMANDS = (cmd_inspect, cmd_diff, cmd_lint, cmd_fleet)


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
    for command in COMMANDS:
        command.add(commands)
    return parser
