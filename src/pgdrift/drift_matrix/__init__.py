"""The drift matrix: how several environments' schemas differ, object by object.

:func:`matrix` folds the differ's change sets between every two environments into one row per
object that is not the same everywhere; :func:`render_matrix` writes it as text, Markdown or
JSON (``docs/matrix.md``). The package is not named ``matrix`` so that ``pgdrift.matrix`` stays
the function whatever was imported first.
"""

from __future__ import annotations

from typing import Any

from pgdrift.drift_matrix.fold import matrix, matrix_labels
from pgdrift.drift_matrix.json import matrix_to_data, render_matrix_json
from pgdrift.drift_matrix.markdown import render_matrix_markdown
from pgdrift.drift_matrix.result import (
    Cell,
    DriftMatrix,
    MatrixRow,
    RowGroup,
    SecurityNote,
    VariantDifference,
)
from pgdrift.drift_matrix.text import render_matrix_text

#: The formats of :func:`render_matrix`.
MATRIX_FORMATS = ("json", "markdown", "text")


def render_matrix(drift: DriftMatrix, format: str = "text", **options: Any) -> str:
    """The matrix in ``format`` (one of :data:`MATRIX_FORMATS`); ``detail=True`` adds what
    differs between each two variants (text and Markdown; JSON always has it).

    Example:
        >>> import pgdrift
        >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
        >>> print(render_matrix(pgdrift.matrix([a, a, a]), "text"), end="")
        no drift across a, b, c: every object is the same in all of them
    """
    if format == "text":
        return render_matrix_text(drift, **options)
    if format == "markdown":
        return render_matrix_markdown(drift, **options)
    if format == "json":
        options.pop("detail", None)
        return render_matrix_json(drift, **options)
    raise ValueError(f"unknown format {format!r}; known: {', '.join(MATRIX_FORMATS)}")


__all__ = [
    "MATRIX_FORMATS", "Cell", "DriftMatrix", "MatrixRow", "RowGroup", "SecurityNote",
    "VariantDifference", "matrix", "matrix_labels", "matrix_to_data", "render_matrix",
    "render_matrix_json", "render_matrix_markdown", "render_matrix_text",
]  # fmt: skip
