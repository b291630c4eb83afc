"""Drift assertions: two schemas (or dumps) define the same objects, or the failure carries the
differences. The differ and renderer load only when used, so importing pgdrift.testing stays
cheap for suites that never compare schemas."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from pgdrift.schema import Schema

if TYPE_CHECKING:
    from pgdrift.differ import ChangeSet


class DriftError(AssertionError):
    """Two schemas differ. ``changes`` is the :class:`~pgdrift.differ.ChangeSet`; the message is
    the text report of it."""

    # Named where users import it from: a failing test prints pgdrift.testing.DriftError.
    __module__ = "pgdrift.testing"

    def __init__(self, message: str, changes: ChangeSet) -> None:
        super().__init__(message)
        self.changes = changes


def _as_schema(value: Schema | str | os.PathLike[str]) -> Schema:
    if isinstance(value, Schema):
        return value
    from pgdrift.loading import load  # noqa: PLC0415 - only when given a path

    return load(value)


def drift_report(changes: ChangeSet) -> str:
    """The differences for a failing test, the story first: pytest shows about eight lines of
    an assertion's explanation (without ``-vv``), and a failure summary only the first.

    The counts line; the count of differences of each kind, on one line; the objects only one
    side has (a table's parts go with their table); the security-relevant changes; then the
    whole text report, one line per change grouped by table. :func:`assert_no_drift` and
    ``assert a == b`` print it.

    Example:
        >>> import pgdrift
        >>> from pgdrift.differ import diff
        >>> a = pgdrift.loads("CREATE TABLE public.t (id int); CREATE TABLE public.u (id int);")
        >>> b = pgdrift.loads("CREATE TABLE public.t (id bigint, note text);")
        >>> print(drift_report(diff(a, b, labels=("dev", "prod"))))
        3 differences between dev and prod: 1 created, 1 dropped, 1 altered
        by kind: 1 table, 2 columns
        only in dev: table public.u
        only in prod: column public.t.note
        public.t
          ~ column id: type integer -> bigint
          + column note
        public.u
          - table public.u
    """
    from pgdrift.renderer import render  # noqa: PLC0415 - the renderer loads only on failure

    summary = render(changes, "text", quiet=True).strip("\n")
    body = render(changes, "text").rstrip("\n")
    body = body.removesuffix(summary).rstrip("\n")
    return "\n".join([summary, *_leading_lines(changes), *([body] if body else [])])


#: How many characters a line of the summary lists before counting the rest: pytest shows
#: about 640 characters of an explanation.
_LINE_BUDGET = 160
#: Security-relevant changes listed before the rest.
_SECURITY_LINES = 3
#: A routine's name longer than this is shown without its argument types in the summary.
_LONG_NAME = 50


def _leading_lines(changes: ChangeSet) -> list[str]:
    """Counts per kind, objects only on one side, security-relevant changes: one line each."""
    from pgdrift import ids  # noqa: PLC0415
    from pgdrift.differ.changes import Created, Dropped  # noqa: PLC0415

    if not changes:
        return []
    order = {kind: i for i, kind in enumerate(ids.ALL_KINDS)}
    by_kind: dict[str, int] = {}
    for change in changes:
        by_kind[change.kind] = by_kind.get(change.kind, 0) + 1
    kinds = sorted(by_kind, key=lambda k: order.get(k, len(order)))
    lines = ["by kind: " + ", ".join(_counted(by_kind[k], k) for k in kinds)]
    one_sided = [c for c in changes if isinstance(c, Dropped | Created)]
    tables = {c.id for c in one_sided if c.kind in (ids.TABLE, ids.FOREIGN_TABLE)}
    for side, label in ((Dropped, changes.labels[0]), (Created, changes.labels[1])):
        found: dict[str, list[str]] = {}
        for c in one_sided:
            if isinstance(c, side) and (c.kind in (ids.TABLE, ids.FOREIGN_TABLE)
                                        or c.table not in tables):  # fmt: skip
                found.setdefault(c.kind, []).append(c.id.qualified_name)
        if found:
            groups = sorted(found, key=lambda k: order.get(k, len(order)))
            names = [(k, name) for k in groups for name in sorted(found[k])]
            lines.append(_budgeted(f"only in {label}: ", names))
    flagged = [c for c in changes if c.security]
    for change in flagged[:_SECURITY_LINES]:
        name = change.id.qualified_name
        if change.id.args is not None and len(name) > _LONG_NAME:
            name = f"{name.split('(', 1)[0]}(...)"
        what = change.kind.replace("_", " ")
        lines.append(f"security: {what} {name}: {'; '.join(change.security)}")
    if len(flagged) > _SECURITY_LINES:
        lines.append(f"security: and {len(flagged) - _SECURITY_LINES} more below")
    return lines


def _counted(n: int, kind: str) -> str:
    return f"{n} {_noun(n, kind)}"


def _noun(n: int, kind: str) -> str:
    from pgdrift.renderer.markdown_text import KIND_PLURALS  # noqa: PLC0415

    noun = kind.replace("_", " ")
    return noun if n == 1 else KIND_PLURALS.get(kind, noun + "s")


def _budgeted(start: str, names: list[tuple[str, str]]) -> str:
    """``start`` then ``tables a, b; column c`` within the line budget, the rest counted."""
    per_kind: dict[str, int] = {}
    for kind, _ in names:
        per_kind[kind] = per_kind.get(kind, 0) + 1
    text, previous = start, None
    for shown, (kind, name) in enumerate(names):
        if kind == previous:
            piece = f", {name}"
        else:
            piece = f"{'; ' if previous else ''}{_noun(per_kind[kind], kind)} {name}"
        if shown and len(text) + len(piece) > _LINE_BUDGET:
            return f"{text} and {len(names) - shown} more"
        text += piece
        previous = kind
    return text


def assert_no_drift(
    a: Schema | str | os.PathLike[str], b: Schema | str | os.PathLike[str], **diff_options: Any
) -> None:
    """Schemas ``a`` and ``b`` (or the dumps at those paths) define the same objects, as
    :func:`pgdrift.differ.diff` compares them with ``diff_options`` (``ignore_owners=True``,
    ``exclude_schemas=[...]``, ``preset="supabase"``...). Raises :class:`DriftError`, whose
    ``changes`` holds the differences and whose message is their text report.

    Example:
        >>> import pgdrift
        >>> old = pgdrift.loads("CREATE TABLE public.t (id int);")
        >>> assert_no_drift(old, pgdrift.loads("CREATE TABLE public.t (id integer);"))
        >>> try:
        ...     assert_no_drift(old, pgdrift.loads("CREATE TABLE public.t (id bigint);"))
        ... except DriftError as error:
        ...     print(len(error.changes))
        1
    """
    from pgdrift.differ import diff  # noqa: PLC0415 - the differ loads only when used

    left, right = _as_schema(a), _as_schema(b)
    options = dict(diff_options)
    options.setdefault("labels", _labels(left, right))
    changes = diff(left, right, **options)
    if changes:
        raise DriftError(drift_report(changes), changes)


def _labels(a: Schema, b: Schema) -> tuple[str, str]:
    if a.source and b.source and a.source != b.source:
        return (a.source, b.source)
    return ("a", "b")
