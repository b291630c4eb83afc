"""``pgdrift fleet``: diff many dumps against a baseline and group them by how they drifted."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pgdrift.cli.common import EXIT_DIFFERENCES, EXIT_ERROR, EXIT_OK, write
from pgdrift.cli.diff_flags import add_diff_options, diff_keywords, merge_command_line
from pgdrift.config import load_config

if TYPE_CHECKING:
    from pgdrift.surveyor import DatabaseResult

#: Kept in step with pgdrift.surveyor.report.FORMATS (a test checks): --help stays fast.
FLEET_FORMATS = ("text", "json", "jsonl")

_EPILOG = """\
Each DUMP is a pg_dump --schema-only file (plain SQL, .gz) or a URL fsspec can read
(s3://bucket/tenant.sql, with fsspec and its protocol's package installed); each FOLDER
contributes every *.sql, *.sql.gz and *.dump file below it (hidden ones skipped), in name
order. The diff options (and those of [tool.pgdrift] in pyproject.toml) are pgdrift diff's.

Databases with the same changes from the baseline (the same drift signature) form one group;
the text report lists the groups, largest first, with their changes and members; --format
jsonl writes one JSON line per database, --format json one document (docs/fleet.md).

A dump that cannot be read is reported with its error line and counted; the run goes on.
Exit status: 0 every database is identical to the baseline, 1 some drifted, 2 some could not
be read (whether or not others drifted) or the run itself failed (a bad baseline).
"""


def add(commands: Any) -> None:
    fleet = commands.add_parser(
        "fleet",
        help="diff many dumps against a baseline, grouped by their drift (exit 1 when any "
        "drifted)",
        description="Diff every dump against the baseline, in parallel, and group the\n"
        "databases by their drift signature: the set of changes they have from it.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fleet.add_argument("paths", nargs="+", metavar="DUMP_OR_FOLDER",
                       help="dumps, folders of dumps, or URLs")  # fmt: skip
    fleet.add_argument("--baseline", required=True, metavar="FILE",
                       help="the dump every database should match")  # fmt: skip
    run = fleet.add_argument_group("where it runs")
    run.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N",
                     help="worker processes (default: one per available core; 1 works in "
                     "this process)")  # fmt: skip
    run.add_argument("--scheduler", metavar="ADDRESS", default=None,
                     help="run the tasks on the Dask cluster of this scheduler "
                     "(tcp://host:8786; needs pip install 'pgdrift[dask]'); every worker must "
                     "see the dumps at the same paths")  # fmt: skip
    run.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="show done/total, rate and time left on standard error (default: "
                     "when it is a terminal and CI is not set)")  # fmt: skip
    run.add_argument("--encoding", default=None,
                     help="decode the dumps with this codec instead of UTF-8")  # fmt: skip
    run.add_argument("--no-cache", dest="cache", action="store_false",
                     help="neither read nor write the cache of loaded dumps")  # fmt: skip
    out = fleet.add_argument_group("report")
    out.add_argument("--format", choices=FLEET_FORMATS, default="text",
                     help="text (the groups, for people; the default), json (one document) or "
                     "jsonl (a line per database)")  # fmt: skip
    out.add_argument("--members", type=int, default=10, metavar="N",
                     help="text: list at most N members per group (0: all; default 10)")
    out.add_argument("--output", "-o", metavar="FILE", default=None,
                     help="write the report to FILE instead of standard output")  # fmt: skip
    compare = {"what to compare": fleet.add_argument_group("what to compare"),
               "renames": fleet.add_argument_group("renames")}  # fmt: skip
    add_diff_options(compare, "what to compare", "renames")
    fleet.set_defaults(run=run_fleet)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def run_fleet(args: argparse.Namespace, out: TextIO) -> int:
    from pgdrift.surveyor import dump_files, fleet  # noqa: PLC0415 - keeps --help fast
    from pgdrift.surveyor.report import render_fleet  # noqa: PLC0415

    settings, _ = load_config()
    # The labels pair belongs to diff; a fleet names each database by its file.
    options = diff_keywords(merge_command_line(settings, args), leave_out=("labels",))
    names = dump_files(args.paths)
    progress = Progress(len(names), sys.stderr) if _show_progress(args.progress) else None
    report = fleet(
        args.baseline, names, jobs=args.jobs, scheduler=args.scheduler,
        encoding=args.encoding or settings.get("encoding"), cache=args.cache,
        on_result=progress.update if progress is not None else None, **options,
    )  # fmt: skip
    if progress is not None:
        progress.finish()
    write(render_fleet(report, args.format, members=args.members),
          Path(args.output) if args.output else None, out)  # fmt: skip
    bad = report.count("error")
    if bad:
        print(f"pgdrift: {bad:,} of {len(report.results):,} dumps could not be read "
              "(listed in the report)", file=sys.stderr)  # fmt: skip
        return EXIT_ERROR
    return EXIT_DIFFERENCES if report.count("drifted") else EXIT_OK


def _show_progress(choice: bool | None) -> bool:
    if choice is not None:
        return choice
    # CI services set CI (GitHub Actions, GitLab, Buildkite, CircleCI...): their logs are no
    # terminal even when they emulate one.
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


class Progress:
    """``1,234/5,000 databases  85.1/s  0:44 left`` on one line of ``stream``, redrawn at most
    every :attr:`interval` seconds."""

    interval = 0.25

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.done = 0
        self.started = time.monotonic()
        self._drawn = 0.0

    def update(self, _result: DatabaseResult) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self._drawn >= self.interval or self.done == self.total:
            self._drawn = now
            self.stream.write("\r" + self.line(now - self.started) + "\x1b[K")
            self.stream.flush()

    def line(self, elapsed: float) -> str:
        """The progress line after ``elapsed`` seconds.

        Example:
            >>> import io
            >>> p = Progress(200, io.StringIO())
            >>> p.done = 50
            >>> p.line(10.0)
            '50/200 databases  5.0/s  0:30 left'
        """
        rate = self.done / elapsed if elapsed > 0 else 0.0
        text = f"{self.done:,}/{self.total:,} databases  {rate:.1f}/s"
        if 0 < self.done < self.total and rate > 0:
            left = int((self.total - self.done) / rate)
            minutes, seconds = divmod(left, 60)
            clock = f"{minutes}:{seconds:02d}"
            if minutes >= 60:
                clock = f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}"
            text += f"  {clock} left"
        return text

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
