"""Interval literals as ``interval_in`` reads them and ``interval_out`` prints them back
(``IntervalStyle`` postgres, the default, which pg_dump leaves alone).

An interval is kept as months, days and microseconds: ``'1 day 2 hours'`` is printed
``1 day 02:00:00``, ``'90 minutes'`` ``01:30:00``, ``'1 year 2 months'`` ``1 year 2 mons``,
``'2 weeks'`` ``14 days``. A fraction goes down to the next field as DecodeInterval moves it
(a month is 30 days, a day 24 hours, a year's fraction whole months). Only the verbose form is
read here (numbers with units, ``hh:mm[:ss]`` fields, ``@`` and ``ago``); anything else (the
SQL-standard ``1-2``, ISO 8601 ``P1D``) is left as written, as is a literal given interval
fields or a precision (``interval hour to minute '2:30'``), which can also truncate.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

__all__ = ["interval_out"]

_USEC = 1_000_000
# Each unit's field and scale: months for the date part, microseconds for the time part, days
# for days (which never become hours).
_UNITS: dict[str, tuple[str, int]] = {}
for _names, _field, _scale in (
    (("microsecond", "microseconds", "us", "usec", "usecs", "useconds"), "usec", 1),
    (("millisecond", "milliseconds", "ms", "msec", "msecs", "mseconds"), "usec", 1000),
    (("second", "seconds", "s", "sec", "secs"), "usec", _USEC),
    (("minute", "minutes", "m", "min", "mins"), "usec", 60 * _USEC),
    (("hour", "hours", "h", "hr", "hrs"), "usec", 3600 * _USEC),
    (("day", "days", "d"), "day", 1),
    (("week", "weeks", "w"), "day", 7),
    (("month", "months", "mon", "mons"), "month", 1),
    (("year", "years", "y", "yr", "yrs"), "month", 12),
    (("decade", "decades", "dec", "decs"), "month", 120),
    (("century", "centuries", "c", "cent"), "month", 1200),
    (("millennium", "millennia", "mil", "mils"), "month", 12000),
):
    for _name in _names:
        _UNITS[_name] = (_field, _scale)

_NUMBER = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+))([a-z]*)\Z")
_TIME = re.compile(r"([-+]?)(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?\Z")
_DAY_USEC = 86400 * _USEC


def interval_out(text: str) -> str | None:
    """``text`` read as an interval and printed back; None where pgdrift does not read it.

    >>> [interval_out(t) for t in ("1 hour", "1 day 2 hours", "1.5 months", "-1 day +2 hours")]
    ['01:00:00', '1 day 02:00:00', '1 mon 15 days', '-1 days +02:00:00']
    >>> interval_out("P1D") is None
    True
    """
    value = _interval_in(text)
    return None if value is None else _print(*value)


def _interval_in(text: str) -> tuple[int, int, int] | None:
    """(months, days, microseconds) of a verbose interval, or None."""
    tokens = text.lower().replace(",", " ").split()
    if tokens[:1] == ["@"]:
        tokens = tokens[1:]
    elif tokens[:1] and tokens[0].startswith("@"):
        tokens[0] = tokens[0][1:]
    negate = bool(tokens) and tokens[-1] == "ago"
    if negate:
        tokens = tokens[:-1]
    if not tokens:
        return None
    months = days = Decimal(0)
    usec = Decimal(0)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        time = _TIME.match(token)
        if time is not None:
            sign = -1 if time[1] == "-" else 1
            hours, minutes = int(time[2]), int(time[3])
            seconds = Decimal(time[4] or 0)
            if minutes > 59 or seconds >= 60:
                return None
            usec += sign * ((hours * 60 + minutes) * 60 + seconds) * _USEC
            index += 1
            continue
        number = _NUMBER.match(token)
        if number is None:
            return None
        unit = number[2]
        if not unit:
            if index + 1 < len(tokens) and _NUMBER.match(tokens[index + 1]) is None:
                unit = tokens[index + 1].rstrip(".")
                index += 1
            elif len(tokens) == 1:
                unit = "s"  # a bare number is seconds
            else:
                return None
        if unit not in _UNITS:
            return None
        try:
            amount = Decimal(number[1])
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            return None
        field, scale = _UNITS[unit]
        if field == "usec":
            usec += amount * scale
        elif field == "day":
            whole = int(amount * scale)
            days += whole
            usec += (amount * scale - whole) * _DAY_USEC
        else:
            scaled = amount * scale
            whole = int(scaled)
            months += whole
            if scale >= 12:
                # A year's fraction becomes whole months (AdjustFractYears).
                months += int((scaled - whole).to_integral_value(ROUND_HALF_EVEN))
            else:
                # A month's fraction becomes 30-day days, and their fraction time.
                extra_days = (scaled - whole) * 30
                whole_days = int(extra_days)
                days += whole_days
                usec += (extra_days - whole_days) * _DAY_USEC
        index += 1
    total = (int(months), int(days), int(usec.to_integral_value(ROUND_HALF_EVEN)))
    return (-total[0], -total[1], -total[2]) if negate else total


def _print(months: int, days: int, usec: int) -> str:
    """EncodeInterval, IntervalStyle postgres."""
    years, mons = _trunc_divmod(months, 12)
    hours, rest = _trunc_divmod(usec, 3600 * _USEC)
    minutes, rest = _trunc_divmod(rest, 60 * _USEC)
    seconds, fraction = _trunc_divmod(rest, _USEC)
    parts: list[str] = []
    before = False
    for value, unit in ((years, "year"), (mons, "mon"), (days, "day")):
        if value:
            plus = "+" if before and value > 0 else ""
            parts.append(f"{plus}{value} {unit}{'' if value == 1 else 's'}")
            before = value < 0
    if not parts or usec:
        minus = usec < 0
        sign = "-" if minus else ("+" if before else "")
        text = f"{sign}{abs(hours):02d}:{abs(minutes):02d}:{abs(seconds):02d}"
        if fraction:
            text += "." + f"{abs(fraction):06d}".rstrip("0")
        parts.append(text)
    return " ".join(parts)


def _trunc_divmod(value: int, by: int) -> tuple[int, int]:
    """C's division (towards zero) and remainder (of the dividend's sign)."""
    quotient = abs(value) // by * (1 if value >= 0 else -1)
    return quotient, value - quotient * by
