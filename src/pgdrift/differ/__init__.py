"""Diff two schemas into a structured :class:`ChangeSet`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pgdrift.differ.changes import (
    DELETES_DATA,
    HAZARDS,
    MAY_FAIL,
    NOT_TRANSACTIONAL,
    REWRITES_TABLE,
    STRONG_LOCK,
    Altered,
    AttributeChange,
    Change,
    ChangeSet,
    Created,
    Dropped,
    RenameCandidate,
    Renamed,
    Replaced,
)
from pgdrift.differ.engine import diff_schemas
from pgdrift.differ.options import PRESETS, SUPABASE_SCHEMAS, DiffOptions
from pgdrift.schema import Schema


def diff(
    a: Schema,
    b: Schema,
    *,
    include: Iterable[str] | str | None = None,
    exclude: Iterable[str] | str | None = None,
    include_schemas: Iterable[str] | str | None = None,
    exclude_schemas: Iterable[str] | str | None = None,
    include_kinds: Iterable[str] | str | None = None,
    exclude_kinds: Iterable[str] | str | None = None,
    renames: Mapping[str, str] | None = None,
    detect_renames: bool = False,
    rename_threshold: float = 0.7,
    ignore_owners: bool = False,
    ignore_privileges: bool = False,
    ignore_comments: bool = False,
    ignore_body_whitespace: bool = False,
    preset: str | None = None,
    labels: tuple[str, str] = ("a", "b"),
) -> ChangeSet:
    """What changes turn schema ``a`` into schema ``b``, compared by meaning.

    Args:
        include, exclude: globs on qualified names (``public.user_*``).
        include_schemas, exclude_schemas: schema names.
        include_kinds, exclude_kinds: object kinds (``table``, ``function``, ...).
        renames: confirmed renames, ``{"public.user_referrals.referrer_id": "referrer_user_id"}``.
        detect_renames: accept every probable rename scoring at least ``rename_threshold``.
        ignore_owners, ignore_privileges, ignore_comments: leave those attributes out.
        ignore_body_whitespace: function bodies differing only in whitespace or comments
            compare equal.
        preset: ``"supabase"`` leaves out the schemas the Supabase platform manages.
        labels: names of the two sides in reports.

    Example:
        >>> import pgdrift
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = pgdrift.loads("CREATE TABLE public.t (a integer, b text);")
        >>> [(c.operation, str(c.id)) for c in pgdrift.diff(a, b)]
        [('create', 'column:public.t.b')]
    """
    options = DiffOptions(
        include=include or (), exclude=exclude or (),
        include_schemas=include_schemas or (), exclude_schemas=exclude_schemas or (),
        include_kinds=include_kinds or (), exclude_kinds=exclude_kinds or (),
        renames=dict(renames or {}), detect_renames=detect_renames,
        rename_threshold=rename_threshold, ignore_owners=ignore_owners,
        ignore_privileges=ignore_privileges, ignore_comments=ignore_comments,
        ignore_body_whitespace=ignore_body_whitespace, labels=labels,
    )  # fmt: skip
    if preset is not None:
        options = options.with_preset(preset)
    return diff_schemas(a, b, options)


__all__ = [
    "DELETES_DATA", "HAZARDS", "MAY_FAIL", "NOT_TRANSACTIONAL", "PRESETS", "REWRITES_TABLE",
    "STRONG_LOCK", "SUPABASE_SCHEMAS", "Altered", "AttributeChange", "Change", "ChangeSet",
    "Created", "DiffOptions", "Dropped", "RenameCandidate", "Renamed", "Replaced", "diff",
    "diff_schemas",
]  # fmt: skip

