"""``pgdrift diff``: compare two schemas; report, script or exit status."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pgdrift.cli.common import (
    EXIT_DIFFERENCES,
    EXIT_ERROR,
    EXIT_HAZARD,
    EXIT_OK,
    use_color,
    write,
)
from pgdrift.cli.diff_flags import add_diff_options, diff_keywords, merge_command_line
from pgdrift.cli.inputs import add_load_options, checkout_paths, fill_load_settings, load_pair
from pgdrift.config import KEYS, load_config
from pgdrift.diff_options import option_fields
from pgdrift.errors import Error, PlanError
from pgdrift.pg.hazards import Hazard

if TYPE_CHECKING:
    from pgdrift.differ.changes import ChangeSet
    from pgdrift.renderer.github import GithubReport
    from pgdrift.schema import Schema


# Kept in step with pgdrift.renderer.FORMATS (a test checks), so that --help does not import the
# renderers.
DIFF_FORMATS = ("github", "json", "junit", "markdown", "sql", "text")
HAZARD_KINDS = tuple(hazard.value for hazard in Hazard)
#: The reports that say what the migration's steps risk, read from the plan.
_PLANNED_REPORTS = ("github", "junit", "markdown")
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


def add(commands: Any) -> None:
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
                     "people), json (docs/json-format.md), sql (the migration script "
                     "from A to B), github (workflow annotations on standard output and a "
                     "step summary: to --output, else appended to $GITHUB_STEP_SUMMARY when "
                     "set, else printed after them; docs/ci.md) or junit (JUnit XML, a test "
                     "case per object compared)")  # fmt: skip
    sections = {"report": out}
    add_diff_options(sections, "report")
    out.add_argument("-q", "--quiet", action="store_true",
                     help="print only the counts line, whatever the format")  # fmt: skip
    out.add_argument("--color", choices=("auto", "always", "never"), default=None,
                     help="colour the text format: auto (the default) colours a terminal "
                     "unless NO_COLOR is set")  # fmt: skip
    out.add_argument("--output", "-o", metavar="FILE", default=None,
                     help="write the report to FILE instead of standard output (with "
                     "--format github, the step summary; the annotations stay on standard "
                     "output)")  # fmt: skip
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
    script.add_argument("--verify", action="store_true",
                        help="replay the migration from A to B through pgdrift's DDL "
                        "interpreter (no server) and exit 2, printing nothing else, unless it "
                        "reaches B; each step that does not converge is named by number on "
                        "standard error")  # fmt: skip
    sections["what to compare"] = diff.add_argument_group("what to compare")
    sections["renames"] = diff.add_argument_group("renames")
    add_diff_options(sections, "what to compare", "renames")
    add_load_options(diff)
    diff.set_defaults(run=run_diff)


def _hazards(text: str) -> frozenset[str]:
    kinds = {part.strip() for part in text.split(",") if part.strip()}
    unknown = sorted(kinds - set(HAZARD_KINDS))
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"unknown hazard {', '.join(unknown) or text!r}; known: {', '.join(HAZARD_KINDS)}"
        )
    return frozenset(kinds)


def compare(args: argparse.Namespace) -> tuple[dict[str, Any], Schema, Schema, ChangeSet]:
    """The settings (``[tool.pgdrift]`` under the command line's options), both schemas and
    their change set, as ``pgdrift diff`` makes them from its parsed arguments."""
    from pgdrift.differ import diff  # noqa: PLC0415 - keeps --help fast

    settings, config_path = load_config()
    settings = _merge_settings(settings, args, config_path)
    if args.a == "-" and args.b == "-":
        raise Error("only one of A and B can be - (standard input)")
    fill_load_settings(args, settings)
    old, new = load_pair(args)
    changes = diff(old, new, **diff_keywords(settings))
    return settings, old, new, changes


def run_diff(args: argparse.Namespace, out: TextIO) -> int:
    from pgdrift.renderer import render, render_plan_sql  # noqa: PLC0415 - keeps --help fast

    settings, old, new, changes = compare(args)
    _warn_unmatched_renames(settings, changes)
    target = Path(args.output) if args.output else None
    fmt = settings.get("format", "text")
    script = None
    # The reports read the plan's hazards: plan it with the same options as the script would
    # be, so that a report and --format sql never disagree.
    planned_report = fmt in _PLANNED_REPORTS and (args.concurrently or args.not_valid)
    if fmt == "sql" or args.fail_on_hazard or planned_report or args.verify:
        from pgdrift.planner import plan  # noqa: PLC0415

        try:
            script = plan(changes, concurrently=args.concurrently, not_valid=args.not_valid)
        except PlanError:
            if not planned_report or args.fail_on_hazard:
                raise
            # The report says itself that no plan could be made.
        if script is not None and args.fail_on_hazard and _hazardous(script, args.fail_on_hazard):
            return EXIT_HAZARD
        if script is not None and args.verify and not _verified(script, old, new, settings):
            return EXIT_ERROR
    if args.quiet:
        write(render(changes, "text", quiet=True), target, out)
    elif fmt == "github":
        from pgdrift.renderer.github import github_report  # noqa: PLC0415

        report = github_report(changes, plan=script, paths=checkout_paths((args.a, args.b)))
        write_github(report, target, out)
    elif fmt == "sql" and script is not None:
        write(render_plan_sql(script), target, out)
    elif fmt == "text":
        color = use_color(settings.get("color", "auto"), target, out)
        write(render(changes, "text", color=color), target, out)
    elif fmt in _PLANNED_REPORTS and script is not None:
        write(render(changes, fmt, plan=script), target, out)
    else:
        write(render(changes, fmt), target, out)
    errors = [*old.errors, *new.errors]
    for error in errors:
        sys.stderr.write(f"pgdrift: {error.one_line()}\n")
    if errors:
        return EXIT_ERROR
    return EXIT_DIFFERENCES if changes else EXIT_OK


def _warn_unmatched_renames(settings: dict[str, Any], changes: ChangeSet) -> None:
    """A confirmed rename that renamed nothing is told, not silently ignored (a typo, or an
    object that is not dropped and created under the two names)."""
    from pgdrift.differ.renames import unmatched_renames  # noqa: PLC0415

    renames = dict(diff_keywords(settings).get("renames") or {})
    for name in unmatched_renames(renames, changes.rename_candidates):
        sys.stderr.write(
            f"pgdrift: warning: rename {name}={renames[name]} matched no object dropped under "
            "the old name and created under the new one; ignored\n"
        )


def _verified(script: Any, old: Any, new: Any, settings: dict[str, Any]) -> bool:
    """``--verify``: whether the interpreter, replaying ``script`` on A, reaches B; what does
    not converge is told on standard error."""
    from pgdrift.replay import verify  # noqa: PLC0415

    options = diff_keywords(settings)
    result = verify(script, old, new, **options)
    for problem in result.problems:
        sys.stderr.write(f"pgdrift: --verify: {problem}\n")
    if result.converged:
        sys.stderr.write(f"pgdrift: --verify: the {result.steps} steps, replayed on A by the "
                         "DDL interpreter, reach B\n")  # fmt: skip
    return result.converged


def write_github(report: GithubReport, target: Path | None, out: TextIO) -> None:
    """``--format github``: the annotations to ``out`` (where the runner reads workflow
    commands); the step summary to ``target`` when given, else appended to the file
    ``$GITHUB_STEP_SUMMARY`` names (the job's summary), else to ``out`` after them."""
    out.write(report.annotations)
    out.flush()
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if target is None and summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as summary:
                summary.write(report.summary)
        except OSError as exc:
            raise Error(f"{summary_file}: cannot write the step summary: "
                        f"{exc.strerror or exc}") from None  # fmt: skip
        return
    write(report.summary, target, out)


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
    return merge_command_line(merged, args)
