"""The pieces of the migration proof that more than one checker uses: deciding whether a
script runs in one transaction, asking ``pgdrift diff --format sql`` for a script, and reading
what remains different afterwards.

``test_migrations.py`` proves the fixed pairs with them; ``tools/cross_verify.py`` proves
crossings of the pairs' sides with the same rules, so both agree on what a passing migration is.
Nothing here imports pytest: a caller decides how a failure is reported.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from pgdrift.cli import main as pgdrift_main
from pgdrift.differ import Change, ChangeSet

# A script that cannot run in one transaction (CREATE INDEX CONCURRENTLY, an enum value added
# and used in one transaction before PostgreSQL 12...) says so in its leading comment lines.
_NOT_TRANSACTIONAL = re.compile(
    r"\b(cannot|can't|must not|not)\b.{0,40}\b(as|in|inside|within) (a|one|a single) transaction"
    r"|\bnon-?transactional\b|\boutside (of )?a transaction\b",
    re.IGNORECASE,
)


def script_header(script: str) -> str:
    """The comment lines before the first statement."""
    header = []
    for line in script.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("--"):
            break
        header.append(stripped)
    return "\n".join(header)


def runs_in_one_transaction(script: str) -> bool:
    return _NOT_TRANSACTIONAL.search(script_header(script)) is None


def run_pgdrift(argv: Sequence[str]) -> tuple[int, str, str]:
    """``pgdrift ARGV`` in this process: its exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = pgdrift_main(list(argv))
        except SystemExit as exit_:  # argparse: an unknown command or option
            status = exit_.code if isinstance(exit_.code, int) else 2
    return status, out.getvalue(), err.getvalue()


def unexplained(changes: ChangeSet | Iterable[Change], ignore: frozenset[str]) -> list[Change]:
    """The changes left once the attribute changes a pair accepts (``ignore``) are removed."""
    kept = []
    for change in changes:
        details = tuple(d for d in change.details if d.field not in ignore)
        if details == change.details:
            kept.append(change)
        elif details or change.operation != "alter":
            kept.append(attrs.evolve(change, details=details))
    return kept


def describe_changes(changes: Iterable[Change]) -> str:
    """One line per remaining change and one per differing attribute."""
    lines = []
    for change in changes:
        target = f" -> {change.new_id}" if hasattr(change, "new_id") else ""
        lines.append(f"  {change.operation} {change.id}{target}")
        for detail in change.details:
            lines.append(f"      {detail.field}: {_short(detail.old)} -> {_short(detail.new)}")
    return "\n".join(lines)


def _short(value: Any, limit: int = 160) -> str:
    """Types and expressions as their SQL; tuples, strings and None as repr."""
    if hasattr(value, "sql"):
        text = str(value.sql)
    elif type(value).__str__ is not object.__str__ and not isinstance(value, str):
        text = str(value)
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def numbered(script: str) -> str:
    """The script with line numbers, as psql's errors count them."""
    return "\n".join(f"{n:4} | {line}" for n, line in enumerate(script.splitlines(), 1))
