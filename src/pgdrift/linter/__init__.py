"""``pgdrift lint``: security and design rules on a schema, safety rules on a migration plan.

The package is ``linter`` so that ``pgdrift.lint`` stays the function (as ``pgdrift.diff`` and
``pgdrift.differ``).

Each rule is a small function registered under a stable code (:data:`RULES`); docs/lint.md is
generated from the rules. :func:`lint` runs the schema rules, :func:`lint_plan` the migration
rules; :mod:`pgdrift.linter.output` writes findings as text, JSON, SARIF or GitHub annotations.

Example:
    >>> import pgdrift
    >>> schema = pgdrift.loads('''
    ... CREATE TABLE public.t (id int PRIMARY KEY);
    ... CREATE EXTENSION pg_trgm;
    ... ''')
    >>> [(f.code, f.message) for f in pgdrift.lint(schema)]
    [('PD231', 'extension pg_trgm is installed in schema public')]
"""

from __future__ import annotations

from pgdrift.linter.engine import active_rules, lint, lint_plan
from pgdrift.linter.finding import Finding, Severity
from pgdrift.linter.options import PRESETS, LintOptions
from pgdrift.linter.registry import RULES, Rule, rule

__all__ = [
    "PRESETS",
    "RULES",
    "Finding",
    "LintOptions",
    "Rule",
    "Severity",
    "active_rules",
    "lint",
    "lint_plan",
    "rule",
]
