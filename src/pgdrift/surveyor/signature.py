"""A database's drift signature: the changes from the baseline, each reduced to a stable key.

The differ compares by meaning, so two tenants whose dumps differ only in formatting, statement
order or pg_dump quirks get the same changes; this module turns each change into a key that
holds only what the change means (its operation, its object's id and what differs, never a
place in a file), so those tenants also get the same signature and land in one group.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import attrs

from pgdrift.differ.changes import Change, Created, Dropped, Renamed, Replaced
from pgdrift.renderer.text import change_line
from pgdrift.serialize import value_to_data

__all__ = ["DriftItem", "Signature", "drift_item", "signature_of"]

#: Hex digits of a digest shown in keys and signature ids: collisions among a fleet's few
#: distinct drifts are out of reach at 48 bits.
_DIGEST_CHARS = 12


@attrs.frozen(order=True)
class DriftItem:
    """One change from the baseline: its stable ``key`` and a line for people (``text``).

    ``key`` is ``operation id`` (``-> new_id`` for a rename) and a digest of what differs, so
    the same change reads the same whichever dump it comes from.
    """

    key: str
    text: str = attrs.field(eq=False, order=False)


@attrs.frozen
class Signature:
    """The set of changes a database has from the baseline, in key order; ``id`` names it.

    An empty signature (``id`` ``"identical"``) is a database that does not differ.

    Example:
        >>> Signature.of([]).id
        'identical'
    """

    items: tuple[DriftItem, ...]
    id: str

    @classmethod
    def of(cls, items: Iterable[DriftItem]) -> Signature:
        ordered = tuple(sorted(set(items)))
        if not ordered:
            return cls((), "identical")
        digest = hashlib.sha256("\n".join(item.key for item in ordered).encode()).hexdigest()
        return cls(ordered, digest[:_DIGEST_CHARS])

    def __bool__(self) -> bool:
        return bool(self.items)


def drift_item(change: Change) -> DriftItem:
    """The stable key and the text line of one change.

    Example:
        >>> import pgdrift
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = pgdrift.loads("CREATE TABLE   public.t (a integer, b text);")
        >>> item = drift_item(pgdrift.diff(a, b)[0])
        >>> item.key.split()[:2], item.text
        (['create', 'column:public.t.b'], '+ column public.t.b')
    """
    head = f"{change.operation} {change.id}"
    if isinstance(change, Renamed):
        head += f" -> {change.new_id}"
    what = json.dumps(_meaning(change), sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(what.encode()).hexdigest()[:_DIGEST_CHARS]
    return DriftItem(f"{head} {digest}", change_line(change))


def _meaning(change: Change) -> dict[str, Any]:
    """What a change says, as data with no place in a file: the object created or dropped,
    each attribute's old and new value (notes left out: they are drawn from these)."""
    data: dict[str, Any] = {
        "details": [
            [d.field, value_to_data(d.old), value_to_data(d.new)] for d in change.details
        ]
    }
    if isinstance(change, Created):
        data["after"] = value_to_data(change.after)
    elif isinstance(change, Dropped):
        data["before"] = value_to_data(change.before)
    elif isinstance(change, Replaced):
        data["reason"] = change.reason
        data["after"] = value_to_data(change.after)
    return data


def signature_of(changes: Iterable[Change]) -> Signature:
    """The signature of a change set (or any changes).

    Example:
        >>> import pgdrift
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> signature_of(pgdrift.diff(a, a)).id
        'identical'
    """
    return Signature.of(drift_item(change) for change in changes)
