"""The drift matrix as JSON: a documented, versioned layout (``docs/matrix.md``).

Keys appear in a fixed order and rows in the matrix's order, so the same inputs always give
the same bytes. Object definitions and changes use the layout of the diff's JSON
(``docs/json-format.md``).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from pgdrift.drift_matrix.result import DriftMatrix, MatrixRow
from pgdrift.renderer.json import change_to_data
from pgdrift.serialize import value_to_data

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "matrix_to_data", "render_matrix_json"]

#: Name and version of the layout; the version grows when a key changes meaning or goes away.
FORMAT_NAME = "pgdrift.matrix"
FORMAT_VERSION = 1


def matrix_to_data(drift: DriftMatrix) -> dict[str, Any]:
    """The matrix as JSON-ready data.

    Example:
        >>> import pgdrift
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> b = pgdrift.loads("CREATE TABLE public.t (a bigint);")
        >>> row = matrix_to_data(pgdrift.matrix([a, b, a]))["rows"][0]
        >>> row["id"], row["cells"], [v["type"] for v in row["variants"]]
        ('column:public.t.a', [1, 2, 1], ['integer', 'bigint'])
    """
    kinds = Counter(row.kind for row in drift)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "labels": list(drift.labels),
        "sources": [source or None for source in drift.sources],
        "summary": {
            "objects": len(drift),
            "security": sum(1 for row in drift if row.security_relevant),
            "kinds": dict(sorted(kinds.items())),
        },
        "rows": [row_to_data(row) for row in drift],
    }


def row_to_data(row: MatrixRow) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "kind": row.kind,
        "table": str(row.table) if row.table is not None else None,
        "cells": [cell.variant for cell in row.cells],
        "renamed": [str(c.renamed) if c.renamed is not None else None for c in row.cells],
        "variants": [value_to_data(obj) for obj in row.variants],
        "security": [{"from": n.source, "to": n.target, "reason": n.reason}
                     for n in row.security],
        "differences": [{"old": d.old, "new": d.new, "change": change_to_data(d.change)}
                        for d in row.differences],
    }


def render_matrix_json(drift: DriftMatrix, *, indent: int | None = 2) -> str:
    """The matrix as a JSON document (with a final newline)."""
    return json.dumps(matrix_to_data(drift), indent=indent, ensure_ascii=False) + "\n"
