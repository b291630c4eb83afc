"""Range literals as range_in reads them and range_out prints them back (PostgreSQL 15's
rangetypes.c), so ``'[2020-01-01,2021-01-01)'`` given to a ``tstzrange`` operand compares
equal to the ``'["2020-01-01 00:00:00+00","2021-01-01 00:00:00+00")'::tstzrange`` pg_dump
prints, and ``'(1,5]'`` given to an ``int4range`` to ``'[2,6)'``.

range_in reads ``empty`` (any case, blanks around) or a lower bracket, a lower bound, a comma,
an upper bound and an upper bracket; a bound left out is infinite (and then exclusive). A
bound is read up to an unquoted comma or closing bracket, blanks included, with double
quotes (``""`` a quote within them) and backslashes as quoting, and given to the subtype's
input function. Lower above upper is an error; equal bounds not both inclusive make the range
empty. A discrete range (int4range, int8range, daterange) is made canonical ``[)``.
range_out writes each bound as the subtype prints it, double-quoted (``"`` and ``\\``
doubled) when empty or holding a blank, a quote, a backslash, a comma, a parenthesis or a
bracket.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["range_out"]

_BLANKS = " \t\n\r\v\f"  # C isspace
_SPECIAL = frozenset('"\\()[],' + _BLANKS)  # range_bound_escape
_INT_LIMITS = {"integer": 2**31, "bigint": 2**63}


def range_out(text: str, subtype: str, bound_out: Callable[[str], str | None]) -> str | None:
    """``text`` read as a range of the built-in ``subtype`` and printed back, each bound as
    ``bound_out`` prints it; None where range_in would reject it or pgdrift does not follow.

    >>> range_out(" [ 1, 5] ", "integer", str.strip)
    '[1,6)'
    >>> range_out("(1,2)", "integer", str.strip), range_out("[,5]", "numeric", str.strip)
    ('empty', '(,5]')
    >>> range_out('["a b",)', "timestamp with time zone", lambda bound: bound.upper())
    '["A B",)'
    >>> range_out("[3,1)", "integer", str.strip), range_out(" EMPTY ", "date", str.strip)
    (None, 'empty')
    """
    body = text.lstrip(_BLANKS)
    if body[:5].lower() == "empty":
        return "empty" if not body[5:].strip(_BLANKS) else None
    parsed = _parse(body)
    if parsed is None:
        return None
    lower_inc, lower_text, upper_text, upper_inc = parsed
    lower = None if lower_text is None else bound_out(lower_text)
    upper = None if upper_text is None else bound_out(upper_text)
    if (lower_text is not None and lower is None) or (upper_text is not None and upper is None):
        return None
    lower_inc = lower_inc and lower is not None  # range_serialize: an infinite bound is exclusive
    upper_inc = upper_inc and upper is not None
    if lower is not None and upper is not None:
        order = _compare(lower, upper, subtype)
        if order is None or order > 0:
            return None  # range_in's error, or values pgdrift does not order
        if order == 0 and not (lower_inc and upper_inc):
            return "empty"
    if subtype in ("integer", "bigint", "date"):  # int4range_canonical and the like: [)
        if lower is not None and not lower_inc and not _infinite(lower):
            lower, lower_inc = _next(lower, subtype), True
        if upper is not None and upper_inc and not _infinite(upper):
            upper, upper_inc = _next(upper, subtype), False
        if (lower is None and lower_text is not None) or (upper is None and upper_text is not None):
            return None  # out of the subtype's range: the canonical function's error
        equal = lower is not None and upper is not None and _compare(lower, upper, subtype) == 0
        if equal and not (lower_inc and upper_inc):
            return "empty"  # now [x,x)
    return (
        ("[" if lower_inc else "(")
        + ("" if lower is None else _quoted(lower))
        + ","
        + ("" if upper is None else _quoted(upper))
        + ("]" if upper_inc else ")")
    )


def _parse(body: str) -> tuple[bool, str | None, str | None, bool] | None:
    if body[:1] not in ("[", "("):
        return None
    lower = _bound(body, 1)
    if lower is None or body[lower[1] : lower[1] + 1] != ",":
        return None
    upper = _bound(body, lower[1] + 1)
    if upper is None or body[upper[1] : upper[1] + 1] not in ("]", ")"):
        return None
    if body[upper[1] + 1 :].strip(_BLANKS):
        return None
    return body[0] == "[", lower[0], upper[0], body[upper[1]] == "]"


def _bound(body: str, at: int) -> tuple[str | None, int] | None:
    """range_parse_bound: the bound read from ``at`` (None if infinite) and where it ends."""
    if body[at : at + 1] in (",", ")", "]"):
        return None, at
    chars: list[str] = []
    quoting = False
    while quoting or body[at : at + 1] not in (",", ")", "]"):
        if at >= len(body):
            return None  # no closing bracket
        char = body[at]
        at += 1
        if char == "\\":
            if at >= len(body):
                return None
            chars.append(body[at])
            at += 1
        elif char == '"':
            if not quoting:
                quoting = True
            elif body[at : at + 1] == '"':
                chars.append('"')
                at += 1
            else:
                quoting = False
        else:
            chars.append(char)
    return "".join(chars), at


def _key(printed: str, subtype: str) -> Any:
    if printed in ("infinity", "-infinity"):
        return (1 if printed == "infinity" else -1, None)
    if subtype in ("integer", "bigint"):
        return (0, int(printed))
    if subtype == "numeric":
        value = Decimal(printed)
        if value.is_nan():
            raise ValueError(printed)
        return (0, value) if value.is_finite() else (1 if value > 0 else -1, None)
    if subtype == "date":
        return (0, date.fromisoformat(printed))
    return (0, datetime.fromisoformat(printed))


def _compare(lower: str, upper: str, subtype: str) -> int | None:
    """-1, 0 or 1 as the subtype orders two printed bounds; None where pgdrift does not."""
    try:
        low, high = _key(lower, subtype), _key(upper, subtype)
        return int(low > high) - int(low < high)
    except (ValueError, TypeError, InvalidOperation):
        return None


def _next(printed: str, subtype: str) -> str | None:
    """The bound one step up (a canonical function's ``+ 1``); None on overflow."""
    if subtype == "date":
        try:
            return (date.fromisoformat(printed) + timedelta(days=1)).isoformat()
        except (ValueError, OverflowError):
            return None
    value = int(printed) + 1
    return str(value) if value < _INT_LIMITS[subtype] else None


def _infinite(printed: str) -> bool:
    return printed in ("infinity", "-infinity")  # daterange_canonical leaves these alone


def _quoted(printed: str) -> str:
    if printed and not _SPECIAL.intersection(printed):
        return printed
    return '"' + printed.replace("\\", "\\\\").replace('"', '""') + '"'
