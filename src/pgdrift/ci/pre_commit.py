"""The pre-commit hook ``pgdrift-drift``: a committed dump has no drift against another file
or folder.

``python -m pgdrift.ci.pre_commit --against OTHER [--dump FILE]... [pgdrift diff options]
[FILE...]`` compares each dump with OTHER as ``pgdrift diff DUMP OTHER`` does (the same
options, ``[tool.pgdrift]`` settings and text report) and exits 1 when one differs, 2 on bad
input, else 0.

The dumps are the ``--dump`` files when given — then the files pre-commit passes only trigger
the check, so a hook whose ``files`` pattern also matches the migrations folder checks the dump
when either changes — else the files pre-commit passes, less those inside OTHER.

Example ``.pre-commit-config.yaml`` entry (docs/ci.md)::

    - id: pgdrift-drift
      args: [--against, db/migrations, --dump, db/schema.sql, --ignore-owners]
      files: ^db/
"""

from __future__ import annotations

import argparse
import copy
import functools
import os
import sys
from collections.abc import Sequence

from pgdrift.cli import build_parser, guarded
from pgdrift.cli.cmd_diff import run_diff
from pgdrift.cli.common import EXIT_OK
from pgdrift.config import load_config

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pgdrift.ci.pre_commit",
        usage="%(prog)s --against OTHER [--dump FILE]... [pgdrift diff options] [FILE ...]",
        description="Check that committed dumps have no drift against another file or folder; "
        "other options are pgdrift diff's.",
    )
    parser.add_argument("--against", required=True, metavar="OTHER",
                        help="the file or migrations folder each dump must match")  # fmt: skip
    parser.add_argument("--dump", action="append", default=[], metavar="FILE",
                        help="the dump to check (repeatable); then the files given only "
                        "trigger the check")  # fmt: skip
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args, rest = _parser().parse_known_args(argv)
    # The diff's options and the files pre-commit passes come in one list: the diff's parser
    # takes its options, and what it leaves over (past A and B) are the files.
    diff_args, files = build_parser().parse_known_args(["diff", "-", "-", *rest])
    unknown = [f for f in files if f.startswith("-")]
    if unknown:
        _parser().error(f"unrecognized arguments: {' '.join(unknown)}")
    settings, _ = load_config()
    dumps = args.dump or [f for f in files if not _inside(f, args.against)]
    status = EXIT_OK
    for dump in dumps:
        one = copy.copy(diff_args)
        one.a, one.b = dump, args.against
        if one.labels is None and "labels" not in settings:
            one.labels = (dump, args.against)
        # The worst status wins: 1 differences, 2 trouble (3: a --fail-on-hazard hit).
        status = max(status, guarded(functools.partial(run_diff, one, sys.stdout)))
    return status


def _inside(path: str, other: str) -> bool:
    """Whether ``path`` is ``other`` or lies in the folder ``other``."""
    here, there = os.path.abspath(path), os.path.abspath(other)
    return here == there or here.startswith(there.rstrip(os.sep) + os.sep)


if __name__ == "__main__":
    sys.exit(main())
