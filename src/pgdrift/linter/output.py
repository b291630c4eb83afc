"""Findings written out: text (grouped by file, coloured on a terminal), JSON (versioned,
docs/lint.md), SARIF 2.1.0 and GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pgdrift import __version__
from pgdrift.linter.finding import Finding, Severity
from pgdrift.linter.registry import RULES
from pgdrift.workflow_commands import annotation

FORMATS = ("text", "json", "sarif", "github")
#: Version of the JSON format; raised when a field changes meaning or goes away.
JSON_VERSION = 1
_SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_RESET = "\033[0m"


def render_findings(findings: Sequence[Finding], fmt: str, *, color: bool = False) -> str:
    """``findings`` in format ``fmt`` (one of :data:`FORMATS`).

    Example:
        >>> f = Finding(code="PD102", name="table-without-primary-key",
        ...             severity=Severity.WARNING, message="table public.t has no primary key",
        ...             object_id="table:public.t", remediation="Add a primary key.",
        ...             file="dump.sql", line=12)
        >>> render_findings([f], "github").rstrip().split("::")
        ['', 'warning file=dump.sql,line=12,title=PD102 table-without-primary-key', \
'table public.t has no primary key']
    """
    if fmt == "text":
        return _text(findings, color)
    if fmt == "json":
        return json.dumps(findings_to_data(findings), indent=2) + "\n"
    if fmt == "sarif":
        return json.dumps(findings_to_sarif(findings), indent=2) + "\n"
    if fmt == "github":
        return "".join(_annotation(f) + "\n" for f in findings)
    raise ValueError(f"unknown lint format {fmt!r}; known: {', '.join(FORMATS)}")


def _text(findings: Sequence[Finding], color: bool) -> str:
    lines: list[str] = []
    current: str | None = None
    for finding in findings:
        group = finding.file or "(no source position)"
        if group != current:
            if current is not None:
                lines.append("")
            lines.append(group)
            current = group
        level = str(finding.severity)
        if color:
            level = f"{_COLORS[finding.severity]}{level}{_RESET}"
        where = f"{finding.line}: " if finding.line else ""
        lines.append(f"  {where}{level} {finding.code} {finding.message}")
        lines.append(f"      {finding.remediation} ({finding.anchor})")
    counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in
                        sorted(counts.items(), key=lambda i: -i[0].rank) if n)  # fmt: skip
    if lines:
        lines.append("")
    lines.append(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
                 + (f" ({summary})" if summary else ""))  # fmt: skip
    return "\n".join(lines) + "\n"


def findings_to_data(findings: Sequence[Finding]) -> dict[str, Any]:
    """The JSON document: ``{"version": 1, "tool": ..., "findings": [...]}``."""
    return {
        "version": JSON_VERSION,
        "tool": {"name": "pgdrift", "version": __version__},
        "findings": [
            {
                "code": f.code, "name": f.name, "severity": str(f.severity),
                "message": f.message, "object": f.object_id, "file": f.file, "line": f.line,
                "remediation": f.remediation, "docs": f.anchor,
            }
            for f in findings
        ],
    }  # fmt: skip


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def findings_to_sarif(findings: Sequence[Finding]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run: every rule pgdrift has as ``tool.driver.rules``, and a
    result per finding located on the file and line where its object is defined."""
    rules = sorted(RULES.values(), key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f"{f.message}. {f.remediation}"},
            "partialFingerprints": {"pgdriftObject/v1": f"{f.code}:{f.object_id}"},
        }
        if f.file is not None:
            location: dict[str, Any] = {"artifactLocation": {"uri": f.file}}
            if f.line:
                location["region"] = {"startLine": f.line}
            result["locations"] = [{"physicalLocation": location,
                                    "logicalLocations": [{"fullyQualifiedName": f.object_id}]}]
        results.append(result)
    return {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "pgdrift", "version": __version__,
                "rules": [{
                    "id": r.code, "name": r.name,
                    "shortDescription": {"text": r.summary},
                    "fullDescription": {"text": r.doc or r.summary},
                    "help": {"text": f"{r.remediation} See docs/lint.md#{r.code.lower()}."},
                    "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity],
                                             "enabled": r.default},
                } for r in rules],
            }},
            "results": results,
        }],
    }  # fmt: skip


def _annotation(f: Finding) -> str:
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    return annotation(level[f.severity], f.message, file=f.file, line=f.line,
                      title=f"{f.code} {f.name}")  # fmt: skip
