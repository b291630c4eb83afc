"""Lint assertions: a schema (or a dump) has no lint finding, or the failure lists them. The
rules load only when used, so importing pgdrift.testing stays cheap."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from pgdrift.testing._drift import _as_schema

if TYPE_CHECKING:
    from pgdrift.linter import Finding
    from pgdrift.schema import Schema


class LintError(AssertionError):
    """A schema has lint findings. ``findings`` lists them; the message shows each on a line."""

    __module__ = "pgdrift.testing"

    def __init__(self, message: str, findings: list[Finding]) -> None:
        super().__init__(message)
        self.findings = findings


def assert_lint_clean(
    schema: Schema | str | os.PathLike[str], *, fail_on: str = "info", **lint_options: Any
) -> None:
    """``schema`` (or the dump at that path) has no :func:`pgdrift.lint` finding of severity
    ``fail_on`` or higher; ``lint_options`` are :class:`pgdrift.LintOptions` fields
    (``preset="supabase"``, ``ignore=["PD102"]``, ``exclude=["public.legacy_*"]``...).
    Raises :class:`LintError`.

    Example:
        >>> import pgdrift
        >>> assert_lint_clean(pgdrift.loads("CREATE TABLE public.t (id int PRIMARY KEY);"))
        >>> assert_lint_clean(pgdrift.loads("CREATE TABLE public.t (id int);"))
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pgdrift.testing.LintError: 1 lint finding: <string>:1 warning PD102 table public.t has no...
    """
    from pgdrift.linter import Severity, lint  # noqa: PLC0415 - the rules load only when used

    threshold = Severity(fail_on)
    findings = [f for f in lint(_as_schema(schema), **lint_options) if f.severity >= threshold]
    if not findings:
        return
    lines = [f"{f.location()} {f.severity} {f.code} {f.message}" for f in findings]
    head = f"{len(findings)} lint finding{'s' if len(findings) != 1 else ''}"
    message = f"{head}: {lines[0]}" if len(lines) == 1 else "\n  ".join([f"{head}:", *lines])
    raise LintError(message, findings)
