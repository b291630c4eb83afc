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
    """The text report of a change set with its counts line first (the line a truncated
    failure summary shows), as :func:`assert_no_drift` and ``assert a == b`` print it."""
    from pgdrift.renderer import render  # noqa: PLC0415 - the renderer loads only on failure

    summary = render(changes, "text", quiet=True).strip("\n")
    body = render(changes, "text").rstrip("\n")
    body = body.removesuffix(summary).rstrip("\n")
    return f"{summary}\n{body}" if body else summary


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
