"""The change set as JSON: a documented, versioned layout (``docs/json-format.md``).

Keys appear in a fixed order and lists in the change set's order, so the same change set
always gives the same bytes.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from pgdrift.differ.changes import (
    OPERATIONS,
    AttributeChange,
    Change,
    ChangeSet,
    RenameCandidate,
    Renamed,
    Replaced,
)
from pgdrift.renderer import equivalences
from pgdrift.renderer.registry import renders
from pgdrift.serialize import value_to_data

#: Name and version of the layout; the version grows when a key changes meaning or goes away.
FORMAT_NAME = "pgdrift.changeset"
FORMAT_VERSION = 1


def changeset_to_data(changes: ChangeSet) -> dict[str, Any]:
    """The change set as JSON-ready data, in the layout of ``docs/json-format.md``.

    Example:
        >>> import pgdrift
        >>> from pgdrift.differ import diff
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = pgdrift.loads("CREATE TABLE public.t (a bigint);")
        >>> data = changeset_to_data(diff(a, b))
        >>> data["changes"][0]["details"]
        [{'field': 'type', 'old': 'integer', 'new': 'bigint', 'note': None}]
    """
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "labels": list(changes.labels),
        "sources": [_source(changes.old), _source(changes.new)],
        "inputs": [list(getattr(s, "inputs", ())) for s in (changes.old, changes.new)],
        "summary": _summary(changes),
        "changes": [change_to_data(c) for c in changes],
        "rename_candidates": [candidate_to_data(c) for c in changes.rename_candidates],
        "treated_as_equal": equivalences.data(changes),
    }


def _source(schema: Any) -> str | None:
    source = getattr(schema, "source", None)
    return source if isinstance(source, str) and source else None


def _summary(changes: ChangeSet) -> dict[str, Any]:
    operations = Counter(c.operation for c in changes)
    kinds = Counter(c.kind for c in changes)
    return {
        "changes": len(changes),
        "operations": {op: operations.get(op, 0) for op in OPERATIONS},
        "kinds": dict(sorted(kinds.items())),
        "security": sum(1 for c in changes if c.security),
        "unconfirmed_renames": sum(1 for c in changes.rename_candidates if not c.confirmed),
    }


def change_to_data(change: Change) -> dict[str, Any]:
    """One change: operation, ids, both definitions, attribute details, hazards, security."""
    data: dict[str, Any] = {"operation": change.operation, "id": str(change.id),
                            "kind": change.kind}  # fmt: skip
    if isinstance(change, Renamed):
        data["new_id"] = str(change.new_id)
    data["before"] = value_to_data(change.before)
    data["after"] = value_to_data(change.after)
    data["details"] = [detail_to_data(d) for d in change.details]
    data["hazards"] = list(change.hazards)
    data["security"] = list(change.security)
    if isinstance(change, Replaced):
        data["reason"] = change.reason
    return data


def detail_to_data(detail: AttributeChange) -> dict[str, Any]:
    return {
        "field": detail.field,
        "old": value_to_data(detail.old),
        "new": value_to_data(detail.new),
        "note": detail.note,
    }


def candidate_to_data(candidate: RenameCandidate) -> dict[str, Any]:
    return {
        "old": str(candidate.old),
        "new": str(candidate.new),
        "score": candidate.score,
        "evidence": list(candidate.evidence),
        "confirmed": candidate.confirmed,
    }


@renders("json")
def render_json(changes: ChangeSet, *, indent: int | None = 2) -> str:
    """The change set as a JSON document (with a final newline)."""
    return json.dumps(changeset_to_data(changes), indent=indent, ensure_ascii=False) + "\n"
