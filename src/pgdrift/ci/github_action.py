"""What the GitHub Action (``action.yml``) runs: compare two schemas, optionally lint the new
one, and tell the job.

``python -m pgdrift.ci.github_action --old A --new B [--args "..."] [--fail-on ...]
[--lint true]``:

- the ``::warning`` annotations of ``pgdrift diff --format github`` (and, with ``--lint``,
  those of ``pgdrift lint --format github`` on B) go to standard output, where the runner reads
  workflow commands;
- the step summary (``--format github``'s, then a lint section) is appended to the file
  ``$GITHUB_STEP_SUMMARY`` names (printed when it is not set), within GitHub's 1 MiB;
- ``changes``, ``security`` (changes that widen access), ``hazards`` (migration steps that carry
  a hazard; empty when no plan could be made) and ``findings`` (lint findings) are appended to
  ``$GITHUB_OUTPUT`` as ``name=value`` lines;
- the exit status is 1 when a ``--fail-on`` condition holds (``drift``: any difference; a hazard
  kind such as ``deletes_data``: a migration step carries it; ``lint:SEVERITY``: a lint finding
  at that severity or above, which turns lint on), 2 on bad input, else 0.

A and B are what ``pgdrift diff`` reads (files, folders of migrations, ``REV:path``); ``--args``
holds more ``pgdrift diff`` options, split as a POSIX shell splits them.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pgdrift.cli import build_parser, guarded
from pgdrift.cli.cmd_diff import HAZARD_KINDS, compare, write_github
from pgdrift.cli.cmd_lint import lint_options
from pgdrift.cli.inputs import checkout_paths
from pgdrift.errors import Error, PlanError
from pgdrift.workflow_commands import annotation

if TYPE_CHECKING:
    from pgdrift.differ.changes import ChangeSet
    from pgdrift.linter import Finding
    from pgdrift.planner.steps import Plan

__all__ = ["main", "parse_fail_on"]

_SEVERITIES = ("info", "warning", "error")
#: At most this many findings are listed in the summary's lint section (all are annotations).
_LISTED_FINDINGS = 100


def parse_fail_on(text: str) -> tuple[bool, frozenset[str], str | None]:
    """``(drift, hazard kinds, lint severity)`` from a ``fail-on`` list (commas or spaces).

    Example:
        >>> parse_fail_on("drift, deletes_data lint:warning")
        (True, frozenset({'deletes_data'}), 'warning')
        >>> parse_fail_on("")
        (False, frozenset(), None)
    """
    drift, hazards, severity = False, set(), None
    for word in text.replace(",", " ").split():
        if word == "drift":
            drift = True
        elif word in HAZARD_KINDS:
            hazards.add(word)
        elif word.startswith("lint:") and word[5:] in _SEVERITIES:
            severity = word[5:]
        else:
            known = ", ".join(("drift", *HAZARD_KINDS, *(f"lint:{s}" for s in _SEVERITIES)))
            raise Error(f"fail-on: unknown condition {word!r}; known: {known}")
    return drift, frozenset(hazards), severity


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pgdrift.ci.github_action",
        description="Compare two schemas for a GitHub Actions job: annotations, step summary, "
        "outputs, and an exit status per --fail-on (docs/ci.md).",
    )
    parser.add_argument("--old", required=True, help="the old side: FILE, DIR or REV:path")
    parser.add_argument("--new", required=True, help="the new side: FILE, DIR or REV:path")
    parser.add_argument("--args", default="", help="more pgdrift diff options, in one string")
    parser.add_argument("--fail-on", default="",
                        help="drift, hazard kinds, lint:SEVERITY (commas or spaces)")  # fmt: skip
    parser.add_argument("--lint", default="false", choices=("true", "false"), type=str.lower,
                        help="lint the new side too")  # fmt: skip
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return guarded(lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    drift, hazard_kinds, severity = parse_fail_on(args.fail_on)
    try:
        extra = shlex.split(args.args)
    except ValueError as exc:
        raise Error(f"args: {exc}") from None
    diff_args = build_parser().parse_args(["diff", args.old, args.new, *extra])
    settings, old, new, changes = compare(diff_args)
    script = _plan(changes, diff_args)

    from pgdrift.renderer.github import SUMMARY_LIMIT, GithubReport, github_report  # noqa: PLC0415

    findings: list[Finding] | None = None
    lint_summary = ""
    lint_annotations = ""
    if args.lint == "true" or severity is not None:
        from pgdrift.linter import lint  # noqa: PLC0415 - only when asked for
        from pgdrift.linter.output import render_findings  # noqa: PLC0415

        findings = lint(new, lint_options(dict(settings.get("lint", {}))))
        lint_annotations = render_findings(findings, "github")
        lint_summary = _lint_section(findings, args.new)
    report = github_report(changes, plan=script, paths=checkout_paths((args.old, args.new)),
                           limit=SUMMARY_LIMIT - len(lint_summary.encode("utf-8")))  # fmt: skip
    reasons = _reasons(changes, script, drift=drift, hazard_kinds=hazard_kinds,
                       severity=severity, findings=findings)  # fmt: skip
    failures = "".join(annotation("error", reason, title="pgdrift") + "\n" for reason in reasons)
    summary = report.summary + (f"\n{lint_summary}" if lint_summary else "")
    write_github(GithubReport(summary, failures + report.annotations + lint_annotations),
                 None, sys.stdout)  # fmt: skip
    hazards = "" if script is None else str(sum(1 for step in script.steps if step.hazards))
    _set_outputs({
        "changes": str(len(changes)),
        "security": str(sum(1 for c in changes if c.security)),
        "hazards": hazards,
        "findings": "" if findings is None else str(len(findings)),
    })  # fmt: skip
    errors = [*old.errors, *new.errors]
    for error in errors:
        sys.stderr.write(f"pgdrift: {error.one_line()}\n")
    if errors:
        return 2
    for reason in reasons:
        sys.stderr.write(f"pgdrift: {reason}\n")
    return 1 if reasons else 0


def _plan(changes: ChangeSet, diff_args: argparse.Namespace) -> Plan | None:
    """The migration plan, with the script options given in ``args``; None with no plan."""
    from pgdrift.planner import plan  # noqa: PLC0415

    try:
        return plan(changes, concurrently=diff_args.concurrently, not_valid=diff_args.not_valid)
    except PlanError:
        return None  # the step summary says why


def _reasons(
    changes: ChangeSet,
    script: Plan | None,
    *,
    drift: bool,
    hazard_kinds: frozenset[str],
    severity: str | None,
    findings: list[Finding] | None,
) -> list[str]:
    """Why the job fails, one line per ``fail-on`` condition that holds."""
    from pgdrift.linter import Severity  # noqa: PLC0415

    reasons = []
    count = len(changes)
    if drift and count:
        reasons.append(f"{count} difference{'s' if count != 1 else ''} (fail-on: drift)")
    if hazard_kinds:
        if script is None:
            raise Error("fail-on names hazards, but the migration could not be planned "
                        "(the step summary says why)")  # fmt: skip
        for kind in sorted(hazard_kinds):
            steps = [s for s in script.steps if kind in s.hazards]
            if steps:
                first = steps[0].sql.strip().splitlines()[0]
                reasons.append(f"{len(steps)} migration step{'s' if len(steps) != 1 else ''} "
                               f"{'carry' if len(steps) != 1 else 'carries'} {kind}, the "
                               f"first: {first} (fail-on: {kind})")  # fmt: skip
    if severity is not None and findings is not None:
        hits = [f for f in findings if f.severity >= Severity(severity)]
        if hits:
            reasons.append(f"{len(hits)} lint finding{'s' if len(hits) != 1 else ''} at "
                           f"{severity} or above (fail-on: lint:{severity})")  # fmt: skip
    return reasons


def _lint_section(findings: list[Finding], source: str) -> str:
    """The step summary's lint section: counts, then the first findings."""
    counts = {s: sum(1 for f in findings if str(f.severity) == s) for s in reversed(_SEVERITIES)}
    told = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    lines = [f"## Lint of {source}", ""]
    if not findings:
        return "\n".join([*lines, "No finding.", ""])
    lines += [f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({told}):", ""]
    for f in findings[:_LISTED_FINDINGS]:
        where = f"{f.file}:{f.line}" if f.file and f.line else f.object_id
        lines.append(f"- **{f.severity}** {f.code} {f.name} ({where}): {f.message}")
    if len(findings) > _LISTED_FINDINGS:
        lines.append(f"- … and {len(findings) - _LISTED_FINDINGS} more (see the annotations, "
                     f"or run `pgdrift lint`)")  # fmt: skip
    return "\n".join([*lines, ""])


def _set_outputs(values: dict[str, str]) -> None:
    """Append ``name=value`` lines to ``$GITHUB_OUTPUT`` (nothing when it is not set)."""
    path = os.environ.get("GITHUB_OUTPUT")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as out:
            out.writelines(f"{name}={value}\n" for name, value in values.items())
    except OSError as exc:
        raise Error(f"{path}: cannot write the step outputs: {exc.strerror or exc}") from None


if __name__ == "__main__":
    sys.exit(main())
