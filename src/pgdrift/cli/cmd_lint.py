"""``pgdrift lint``: the lint rules on schemas, or on a migration plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pgdrift.cli.common import EXIT_DIFFERENCES, EXIT_ERROR, EXIT_OK, codes, use_color, write
from pgdrift.cli.inputs import add_load_options, fill_load_settings, load_input
from pgdrift.config import LINT_CHOICES, load_config
from pgdrift.diff_options import option_fields
from pgdrift.errors import Error

if TYPE_CHECKING:
    from pgdrift.linter import LintOptions

_LINT_EPILOG = """\
SCHEMA is a pg_dump file (plain SQL or .gz), - for standard input, or REV:path (read from
git). With --migration, give two: the rules run on the migration plan from A to B.

Settings can also be kept in pyproject.toml under [tool.pgdrift.lint]: select, ignore,
exclude, exposed_schemas, api_roles (lists of strings), severity (a table of CODE = "error" |
"warning" | "info"), preset, fail_on and format. Options given here win over the file.
The rules, with examples: docs/lint.md.

Exit status: 0 no finding at or above --fail-on, 1 some finding is, 2 trouble.
"""


def add(commands: Any) -> None:
    lint = commands.add_parser(
        "lint",
        help="check a dump for security and design problems, or a migration for unsafe steps",
        description="Check the schema of each dump against pgdrift's lint rules (row level\n"
        "security, SECURITY DEFINER routines, unindexed foreign keys...), or, with\n"
        "--migration A B, the migration plan from A to B against the migration rules.",
        epilog=_LINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lint.add_argument("schemas", metavar="SCHEMA", nargs="+",
                      help="a dump: FILE, - (stdin) or REV:path")  # fmt: skip
    lint.add_argument("--migration", action="store_true",
                      help="lint the migration plan from the first SCHEMA to the "
                      "second")  # fmt: skip
    lint.add_argument("--format", choices=LINT_CHOICES["format"], default=None,
                      help="text (the default), json (docs/lint.md), sarif (SARIF 2.1.0) or "
                      "github (workflow annotations)")  # fmt: skip
    lint.add_argument("--fail-on", choices=LINT_CHOICES["fail_on"], default=None,
                      help="exit 1 when a finding has this severity or a higher one "
                      "(default: warning)")  # fmt: skip
    lint.add_argument("--select", metavar="CODE,...", type=codes, default=None,
                      help="run these rules (codes or names) besides the default ones; ALL "
                      "runs every rule, including those off by default")  # fmt: skip
    lint.add_argument("--ignore", metavar="CODE,...", type=codes, default=None,
                      help="skip these rules")  # fmt: skip
    lint.add_argument("--exclude", metavar="GLOB", action="append", default=None,
                      help="skip objects whose id (table:public.audit_*) or name "
                      "(public.audit_*) matches; repeatable")  # fmt: skip
    lint.add_argument("--exposed-schema", dest="exposed_schemas", metavar="SCHEMA",
                      action="append", default=None,
                      help="a schema an API serves (repeatable)")  # fmt: skip
    lint.add_argument("--api-role", dest="api_roles", metavar="ROLE", action="append",
                      default=None, help="a role an API queries as (repeatable)")  # fmt: skip
    lint.add_argument("--preset", choices=LINT_CHOICES["preset"], default=None,
                      help="supabase: schema public is exposed, roles anon and "
                      "authenticated; the platform's schemas (auth, storage...) are "
                      "left out")  # fmt: skip
    lint.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                      help="colour the text format (auto: on a terminal, unless "
                      "NO_COLOR)")  # fmt: skip
    lint.add_argument("--output", "-o", metavar="FILE", default=None,
                      help="write the findings to FILE instead of standard output")  # fmt: skip
    add_load_options(lint)
    lint.set_defaults(run=run_lint)


_LINT_FIELDS = ("select", "ignore", "exclude", "exposed_schemas", "api_roles", "preset")


def lint_options(config: dict[str, Any]) -> LintOptions:
    """The lint options of a ``[tool.pgdrift.lint]`` table (with the command line's over it)."""
    from pgdrift.linter import LintOptions  # noqa: PLC0415 - keeps --help fast

    try:
        return LintOptions(severity=config.get("severity", {}),
                           **{k: config[k] for k in _LINT_FIELDS if k in config})  # fmt: skip
    except ValueError as exc:
        raise Error(str(exc)) from None


def run_lint(args: argparse.Namespace, out: TextIO) -> int:
    from pgdrift.linter import Severity, lint, lint_plan  # noqa: PLC0415 - keeps --help fast
    from pgdrift.linter.output import render_findings  # noqa: PLC0415

    settings, _ = load_config()
    config = dict(settings.get("lint", {}))
    for key in (*_LINT_FIELDS, "format", "fail_on"):
        value = getattr(args, key, None)
        if value is not None:
            config[key] = tuple(value) if isinstance(value, list) else value
    fill_load_settings(args, settings)
    if sum(spec == "-" for spec in args.schemas) > 1:
        raise Error("only one SCHEMA can be - (standard input)")
    options = lint_options(config)
    schemas = [load_input(spec, args) for spec in args.schemas]
    if args.migration:
        if len(schemas) != 2:
            raise Error("lint --migration needs two schemas: A (old) and B (new)")
        from pgdrift.differ import diff  # noqa: PLC0415
        from pgdrift.planner import plan  # noqa: PLC0415

        # The diff options of [tool.pgdrift] (renames, excluded schemas...) shape the plan.
        diff_settings = {name: settings[name] for name, _ in option_fields() if name in settings}
        findings = lint_plan(plan(diff(*schemas, **diff_settings)), options)
    else:
        findings = [f for schema in schemas for f in lint(schema, options)]
    target = Path(args.output) if args.output else None
    color = use_color(args.color, target, out)
    report = render_findings(findings, config.get("format", "text"), color=color)
    write(report, target, out)
    errors = [error for schema in schemas for error in schema.errors]
    for error in errors:
        sys.stderr.write(f"pgdrift: {error.one_line()}\n")
    if errors:
        return EXIT_ERROR
    fail_on = config.get("fail_on", "warning")
    if fail_on != "never" and any(f.severity >= Severity(fail_on) for f in findings):
        return EXIT_DIFFERENCES
    return EXIT_OK
