"""What a column type change costs in a plan: its ``USING`` clause and its hazards.

The classification itself is :func:`pgdrift.pg.type_changes.type_change`, shared with the
reports; this module applies it to one column and finds the domains a change names in the
schemas being compared.
"""

from __future__ import annotations

import attrs

from pgdrift.pg.hazards import Hazard
from pgdrift.pg.type_changes import DomainLookup, TypeChange
from pgdrift.pg.type_changes import type_change as classify_type_change
from pgdrift.types import TypeRef

__all__ = ["ColumnTypeChange", "type_change"]


@attrs.frozen
class ColumnTypeChange:
    """How ``ALTER COLUMN ... TYPE`` from one type to another goes for one column."""

    #: The USING expression (None when an implicit or assignment cast does the job).
    using: str | None
    rewrites: bool
    may_fail: bool
    #: Some values are changed silently (rounded, truncated): see TypeChange.cuts.
    cuts: bool = False

    def hazards(self) -> tuple[Hazard, ...]:
        """The hazards of the ALTER on a table that has rows (the classifier's rule)."""
        return TypeChange(rewrites=self.rewrites, may_fail=self.may_fail, cuts=self.cuts).hazards()


def type_change(
    column: str, old: TypeRef, new: TypeRef, *, domains: DomainLookup | None = None
) -> ColumnTypeChange:
    """The USING clause and hazards of changing ``column`` from ``old`` to ``new``.

    >>> type_change("n", TypeRef(None, "integer"), TypeRef(None, "bigint"))
    ColumnTypeChange(using=None, rewrites=True, may_fail=False, cuts=False)
    >>> type_change("s", TypeRef(None, "text"), TypeRef(None, "integer")).using
    's::integer'
    """
    how = classify_type_change(old, new, domains=domains)
    return ColumnTypeChange(how.using(column), how.rewrites, how.may_fail, how.cuts)
