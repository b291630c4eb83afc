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

A multirange (multirange_in) is ``{``, ranges or ``empty`` between commas, and ``}``, blanks
around each; multirange_out prints its ranges sorted by lower then upper bound, empty ones
dropped and those that overlap or touch (``[1,2)`` and ``[2,3)``) merged, so ``'{[5,7],
(1,3)}'`` given to an ``int4multirange`` is ``'{[2,3),[5,8)}'``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["multirange_out", "range_out"]

_BLANKS = " \t\n\r\v\f"  # C isspace
_SPECIAL = frozenset('"\\()[],' + _BLANKS)  # range_bound_escape
_INT_LIMITS = {"integer": 2**31, "bigint": 2**63}


#: A range read and made canonical: (lower inclusive, lower, upper, upper inclusive), each bound
#: as its subtype prints it, None when infinite.
_Bounds = tuple[bool, str | None, str | None, bool]


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
    read = _range_in(text, subtype, bound_out)
    return None if read is None else _printed(read)


def multirange_out(text: str, subtype: str, bound_out: Callable[[str], str | None]) -> str | None:
    """``text`` read as a multirange of the built-in ``subtype`` (multirange_in: ``{``, ranges
    or ``empty`` between commas, ``}``, blanks around each) and printed back as multirange_out
    prints it: the ranges sorted, empty ones dropped, those that overlap or touch merged
    (multirange_canonicalize); None where multirange_in rejects it or pgdrift does not follow.

    >>> multirange_out("{[5,7], (1,3), empty}", "integer", str.strip)
    '{[2,3),[5,8)}'
    >>> multirange_out("{[1,2), [2,3], (4,5)}", "numeric", str.strip)
    '{[1,3],(4,5)}'
    >>> multirange_out(" { } ", "date", str.strip), multirange_out("{[1,2),}", "integer", str.strip)
    ('{}', None)
    """
    texts = _multirange_parts(text)
    if texts is None:
        return None
    ranges: list[_Bounds] = []
    for part in texts:
        read = _range_in(part, subtype, bound_out)
        if read is None:
            return None
        if not isinstance(read, str):  # an empty range is dropped
            ranges.append(read)
    try:
        merged = _canonical(ranges, subtype)
    except _UnorderedError:
        return None
    return "{" + ",".join(_printed(each) for each in merged) + "}"


def _multirange_parts(text: str) -> list[str] | None:
    """multirange_in's scan: each range's text (``empty`` included), None on its errors."""
    body = text.lstrip(_BLANKS)
    if body[:1] != "{":
        return None
    parts: list[str] = []
    at, expecting = 1, True  # expecting a range (after { or a comma)
    while True:
        while body[at : at + 1] and body[at] in _BLANKS:
            at += 1
        char = body[at : at + 1]
        if not char:
            return None
        if not expecting:
            if char not in (",", "}"):
                return None
            at += 1
            if char == "}":
                return parts if not body[at:].strip(_BLANKS) else None
            expecting = True
        elif char == "}" and not parts:
            return None if body[at + 1 :].strip(_BLANKS) else parts
        elif body[at : at + 5].lower() == "empty":
            parts.append("empty")
            at, expecting = at + 5, False
        elif char in ("[", "("):
            end = _range_end(body, at + 1)
            if end is None:
                return None
            parts.append(body[at : end + 1])
            at, expecting = end + 1, False
        else:
            return None


def _range_end(body: str, at: int) -> int | None:
    """Where the range begun before ``at`` ends (its ``]`` or ``)`` outside quotes)."""
    quoting = False
    while at < len(body):
        char = body[at]
        if char == "\\":
            at += 2
            continue
        if quoting and char == '"' and body[at + 1 : at + 2] == '"':
            at += 2
            continue
        if char == '"':
            quoting = not quoting
        elif not quoting and char in ("]", ")"):
            return at
        at += 1
    return None


def _range_in(
    text: str, subtype: str, bound_out: Callable[[str], str | None]
) -> _Bounds | str | None:
    """range_in: the range ``text`` reads as, made canonical; None where it is rejected."""
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
    return lower_inc, lower, upper, upper_inc


def _printed(read: _Bounds | str) -> str:
    """range_out."""
    if isinstance(read, str):
        return read
    lower_inc, lower, upper, upper_inc = read
    return (
        ("[" if lower_inc else "(")
        + ("" if lower is None else _quoted(lower))
        + ","
        + ("" if upper is None else _quoted(upper))
        + ("]" if upper_inc else ")")
    )


class _UnorderedError(Exception):
    """Bounds pgdrift does not order."""


#: A range bound: its value (None when infinite), whether inclusive, whether the lower bound.
_Bound = tuple[str | None, bool, bool]


def _lower(bounds: _Bounds) -> _Bound:
    return bounds[1], bounds[0], True


def _upper(bounds: _Bounds) -> _Bound:
    return bounds[2], bounds[3], False


def _bound_cmp(one: _Bound, two: _Bound, subtype: str) -> int:
    """range_cmp_bounds: an infinite lower bound before all, an infinite upper after all; at
    equal values an inclusive lower bound comes first and an inclusive upper bound last."""
    (one_value, one_inc, one_lower), (two_value, two_inc, two_lower) = one, two
    if one_value is None or two_value is None:
        if one_value is None and two_value is None and one_lower == two_lower:
            return 0
        if one_value is None:
            return -1 if one_lower else 1
        return 1 if two_lower else -1
    order = _compare(one_value, two_value, subtype)
    if order is None:
        raise _UnorderedError
    if order:
        return order
    if not one_inc and not two_inc:
        return 0 if one_lower == two_lower else (1 if one_lower else -1)
    if not one_inc:
        return 1 if one_lower else -1
    if not two_inc:
        return -1 if two_lower else 1
    return 0


def _canonical(ranges: list[_Bounds], subtype: str) -> list[_Bounds]:
    """multirange_canonicalize: sorted by lower then upper bound, merged where they overlap or
    one ends where the next begins with the other inclusiveness (range_adjacent)."""

    def range_cmp(a: _Bounds, b: _Bounds) -> int:
        by_lower = _bound_cmp(_lower(a), _lower(b), subtype)
        return by_lower or _bound_cmp(_upper(a), _upper(b), subtype)

    merged: list[_Bounds] = []
    for current in sorted(ranges, key=functools.cmp_to_key(range_cmp)):
        if not merged:
            merged.append(current)
            continue
        last = merged[-1]
        touching = (
            last[2] is not None and current[1] is not None
            and _compare(last[2], current[1], subtype) == 0 and last[3] != current[0]
        )  # fmt: skip
        if _bound_cmp(_upper(last), _lower(current), subtype) < 0 and not touching:
            merged.append(current)
            continue
        # range_union: each bound from the second range unless the first's is strictly beyond
        lower = last if _bound_cmp(_lower(last), _lower(current), subtype) < 0 else current
        upper = last if _bound_cmp(_upper(last), _upper(current), subtype) > 0 else current
        merged[-1] = (lower[0], lower[1], upper[2], upper[3])
    return merged


def _parse(body: str) -> _Bounds | None:
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
