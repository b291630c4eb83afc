"""The bounds PostgreSQL gives a sequence that does not state them (docs: CREATE SEQUENCE).

``MINVALUE`` defaults to 1 for an ascending sequence and to the data type's minimum for a
descending one; ``MAXVALUE`` to the type's maximum ascending and to -1 descending. pg_dump
writes ``NO MINVALUE`` / ``NO MAXVALUE`` for a bound equal to its default and leaves out
``AS bigint``, so pgdrift keeps a bound (and the type) only when it is not the default.
"""

from __future__ import annotations

#: The integer types a sequence can have, with their range (docs: Numeric Types).
TYPE_RANGES = {
    "smallint": (-32768, 32767),
    "integer": (-2147483648, 2147483647),
    "bigint": (-9223372036854775808, 9223372036854775807),
}


def default_bounds(data_type: str | None, increment: int) -> tuple[int, int]:
    """``(MINVALUE, MAXVALUE)`` of a sequence of ``data_type`` (bigint when None) that states
    neither.

    >>> default_bounds(None, 1), default_bounds("smallint", -1)
    ((1, 9223372036854775807), (-32768, -1))
    """
    low, high = TYPE_RANGES.get(data_type or "bigint", TYPE_RANGES["bigint"])
    return (1, high) if increment > 0 else (low, -1)
