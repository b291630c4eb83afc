"""Running the rules: :func:`lint` on a schema, :func:`lint_plan` on a migration plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pgdrift.errors import ConfigError

# The rules register themselves when imported.
from pgdrift.linter import (  # noqa: F401
    rules_design,
    rules_hygiene,
    rules_migration,
    rules_security,
)
from pgdrift.linter.context import PlanContext, SchemaContext
from pgdrift.linter.finding import Finding
from pgdrift.linter.options import LintOptions
from pgdrift.linter.registry import MIGRATION, RULES, SCHEMA, Hit, Rule

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pgdrift.planner import Plan
    from pgdrift.schema import Schema


def lint(schema: Schema, options: LintOptions | None = None, **settings: Any) -> list[Finding]:
    """The findings of the schema rules on ``schema``, sorted by file, line and code.

    ``settings`` are :class:`LintOptions` fields, used when ``options`` is not given.

    Example:
        >>> import pgdrift
        >>> schema = pgdrift.loads("CREATE TABLE public.notes (body text);")
        >>> [f.code for f in pgdrift.lint(schema)]
        ['PD102']
        >>> pgdrift.lint(schema, ignore=["PD102"])
        []

    Raises:
        pgdrift.ConfigError: a code in ``select``, ``ignore`` or ``severity`` is unknown.
    """
    opts = options if options is not None else LintOptions(**settings)
    context = SchemaContext(schema, opts)
    return _run(SCHEMA, opts, context)


def lint_plan(
    plan: Plan, options: LintOptions | None = None, **settings: Any
) -> list[Finding]:
    """The findings of the migration rules on ``plan`` (made by :func:`pgdrift.plan`), each step
    judged against the schema it runs on (the plan's old schema)."""
    opts = options if options is not None else LintOptions(**settings)
    changes = plan.changes
    context = PlanContext(plan, changes.old if changes else None,
                          changes.new if changes else None, opts)  # fmt: skip
    return _run(MIGRATION, opts, context)


def active_rules(options: LintOptions, scope: str | None = None) -> list[Rule]:
    """The rules a run with ``options`` applies, in code order."""
    names = {r.name: code for code, r in RULES.items()}

    def code_of(given: str, what: str) -> str:
        if given.upper() in RULES:
            return given.upper()
        if given in names:
            return names[given]
        raise ConfigError(f"lint {what}: unknown rule {given!r} (see docs/lint.md)")

    everything = any(s.upper() == "ALL" for s in options.select)
    selected = {code_of(s, "select") for s in options.select if s.upper() != "ALL"}
    ignored = {code_of(s, "ignore") for s in options.ignore}
    for code in options.severity:
        code_of(code, "severity")
    return [r for code, r in sorted(RULES.items())
            if (scope is None or r.scope == scope) and code not in ignored
            and (r.default or everything or code in selected)]  # fmt: skip


def _run(scope: str, options: LintOptions, context: Any) -> list[Finding]:
    findings: list[Finding] = []
    for rule in active_rules(options, scope):
        severity = options.severity.get(rule.code, rule.severity)
        findings.extend(_findings(rule, rule.hits(context), severity, options))
    return sorted(set(findings), key=Finding.sort_key)


def _findings(
    rule: Rule, hits: Iterable[Hit], severity: Any, options: LintOptions
) -> Iterable[Finding]:
    for obj, message in hits:
        object_id = str(obj.id) if obj is not None else ""
        if object_id and options.excluded(object_id):
            continue
        span = obj.span if obj is not None else None
        yield Finding(code=rule.code, name=rule.name, severity=severity, message=message,
                      object_id=object_id, remediation=rule.remediation,
                      file=span.file if span else None,
                      line=span.line if span else None)  # fmt: skip
