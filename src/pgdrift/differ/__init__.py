"""Diff two schemas into a structured :class:`ChangeSet`."""

from __future__ import annotations

from typing import Any

import attrs

from pgdrift.diff_options import PRESETS, SUPABASE_SCHEMAS, DiffOptions
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
from pgdrift.schema import Schema


def diff(a: Schema, b: Schema, *, options: DiffOptions | None = None, **fields: Any) -> ChangeSet:
    """What changes turn schema ``a`` into schema ``b``, compared by meaning.

    Args:
        a: the old side.
        b: the new side.
        options: a :class:`DiffOptions` to start from (the defaults if None).
        **fields: any field of :class:`DiffOptions`, overriding ``options``: ``include``,
            ``exclude`` (globs on qualified names, ``public.user_*``), ``include_schemas``,
            ``exclude_schemas``, ``include_kinds``, ``exclude_kinds`` (``table``,
            ``function``, ...), ``renames`` (confirmed renames,
            ``{"public.user_referrals.referrer_id": "referrer_user_id"}``),
            ``detect_renames`` (accept every probable rename scoring at least
            ``rename_threshold``), ``ignore_owners``, ``ignore_privileges``,
            ``ignore_comments``, ``ignore_body_whitespace`` (function bodies differing only in
            whitespace or comments compare equal), ``preset`` (``"supabase"`` leaves out the
            schemas the Supabase platform manages), ``labels`` (names of the two sides in
            reports).

    Raises:
        TypeError: a keyword that is not a field of :class:`DiffOptions`.
        ValueError: an unknown preset.

    Example:
        >>> import pgdrift
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = pgdrift.loads("CREATE TABLE public.t (a integer, b text);")
        >>> [(c.operation, str(c.id)) for c in pgdrift.diff(a, b)]
        [('create', 'column:public.t.b')]
        >>> len(pgdrift.diff(a, b, exclude_schemas=["public"]))
        0
    """
    if options is None:
        chosen = DiffOptions(**fields)
    else:
        chosen = attrs.evolve(options, **fields) if fields else options
    return diff_schemas(a, b, chosen)


__all__ = [
    "DELETES_DATA", "HAZARDS", "MAY_FAIL", "NOT_TRANSACTIONAL", "PRESETS", "REWRITES_TABLE",
    "STRONG_LOCK", "SUPABASE_SCHEMAS", "Altered", "AttributeChange", "Change", "ChangeSet",
    "Created", "DiffOptions", "Dropped", "RenameCandidate", "Renamed", "Replaced", "diff",
    "diff_schemas",
]  # fmt: skip
