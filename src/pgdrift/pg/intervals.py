"""Interval literals as ``interval_in`` reads them and ``interval_out`` prints them back
(``IntervalStyle`` postgres, the default, which pg_dump leaves alone).

An interval is kept as months, days and microseconds: ``'1 day 2 hours'`` is printed
``1 day 02:00:00``, ``'90 minutes'`` ``01:30:00``, ``'1 year 2 months'`` ``1 year 2 mons``,
``'2 weeks'`` ``14 days``. A fraction goes down to the next field as DecodeInterval moves it
(a month is 30 days, a day 24 hours, a year's fraction whole months). Read are the verbose
form (numbers with units, ``hh:mm[:ss]`` fields, ``@`` and ``ago``), the SQL-standard fields
(``1-2`` is 1 year 2 mons, ``1 2:03:04`` a day and a time) and ISO 8601 (``P1Y2M3DT4H5M6S``,
``P0001-02-03T04:05:06``). An interval type's fields decide what a bare number is
(``interval '5' day`` is 5 days) and what is kept (``interval '2:30:40' hour to minute`` is
``02:30:00``), its precision rounds the seconds (AdjustIntervalForTypmod).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal

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
# mm:ss.fff: a time field with a fraction after its second number is minutes and seconds.
_MINUTES_SECONDS = re.compile(r"([-+]?)(\d+):(\d{1,2}\.\d*)\Z")
# The SQL-standard year-month field (1-2 is 1 year 2 mons).
_YEAR_MONTH = re.compile(r"([-+]?)(\d+)-(\d+)\Z")
_DAY_USEC = 86400 * _USEC

#: The unit a number without one takes, by the interval's fields: the last of them (DecodeInterval
#: reads right to left; a number left of a time field is days).
_BARE_UNIT = {
    "year": "year", "month": "month", "year to month": "month", "day": "day",
    "hour": "hour", "day to hour": "hour", "minute": "minute", "hour to minute": "minute",
    "day to minute": "minute",
}  # fmt: skip
#: What AdjustIntervalForTypmod keeps of each field restriction: the unit the time part is
#: truncated to (towards zero), and whether days and (for year) months go too.
_KEEP_TIME = {"hour": 3600 * _USEC, "day to hour": 3600 * _USEC, "minute": 60 * _USEC,
              "hour to minute": 60 * _USEC, "day to minute": 60 * _USEC}  # fmt: skip
_NO_TIME = frozenset({"year", "month", "year to month", "day"})
_NO_DAYS = frozenset({"year", "month", "year to month"})


def interval_out(text: str, modifiers: tuple[str, ...] = ()) -> str | None:
    """``text`` read as an interval with the type's ``modifiers`` (the fields, as words, and
    a precision: ``("hour to minute",)``, ``("0",)``) and printed back; None where pgdrift
    does not read it.

    >>> [interval_out(t) for t in ("1 hour", "1 day 2 hours", "1.5 months", "-1 day +2 hours")]
    ['01:00:00', '1 day 02:00:00', '1 mon 15 days', '-1 days +02:00:00']
    >>> [interval_out(t) for t in ("1-2", "1 2:03:04", "P1Y2M3DT4H5M6S", "P0001-02T04:05")]
    ['1 year 2 mons', '1 day 02:03:04', '1 year 2 mons 3 days 04:05:06', '1 year 2 mons 04:05:00']
    >>> interval_out("2:30:40", ("hour to minute",)), interval_out("5", ("day",))
    ('02:30:00', '5 days')
    >>> interval_out("1.5 seconds", ("0",)), interval_out("2:30", ("minute to second",))
    ('00:00:02', '00:02:30')
    """
    fields = modifiers[0] if modifiers and not modifiers[0].isdigit() else ""
    precision = modifiers[-1] if modifiers and modifiers[-1].isdigit() else None
    # interval_in: the verbose and SQL-standard forms, else ISO 8601 (DecodeISO8601Interval).
    value = _interval_in(text, fields)
    if value is None:
        value = _iso8601_in(text)
    if value is None:
        return None
    return _print(*_adjust(value, fields, None if precision is None else int(precision)))


class _Sum:
    """An interval being read: months, days and microseconds, each unit added as
    DecodeInterval adds it (a fraction goes down to the next field)."""

    def __init__(self) -> None:
        self.months = self.days = 0
        self.usec = Decimal(0)

    def add(self, amount: Decimal, unit: str) -> None:
        field, scale = _UNITS[unit]
        if field == "usec":
            self.usec += amount * scale
        elif field == "day":
            whole = int(amount * scale)
            self.days += whole
            self.usec += (amount * scale - whole) * _DAY_USEC
        else:
            scaled = amount * scale
            whole = int(scaled)
            self.months += whole
            if scale >= 12:
                # A year's fraction becomes whole months (AdjustFractYears).
                self.months += int((scaled - whole).to_integral_value(ROUND_HALF_EVEN))
            else:
                # A month's fraction becomes 30-day days, and their fraction time.
                extra_days = (scaled - whole) * 30
                whole_days = int(extra_days)
                self.days += whole_days
                self.usec += (extra_days - whole_days) * _DAY_USEC

    def value(self, negate: bool = False) -> tuple[int, int, int]:
        total = (self.months, self.days, int(self.usec.to_integral_value(ROUND_HALF_EVEN)))
        return (-total[0], -total[1], -total[2]) if negate else total


def _tokens(text: str) -> list[str]:
    """The fields of a verbose interval, a number and its unit written together split."""
    tokens: list[str] = []
    for token in text.lower().replace(",", " ").split():
        number = _NUMBER.match(token)
        if number is not None and number[2]:
            tokens.extend((number[1], number[2]))
        else:
            tokens.append(token)
    return tokens


def _interval_in(text: str, fields: str) -> tuple[int, int, int] | None:
    """(months, days, microseconds) of a verbose or SQL-standard interval, or None. The
    fields are read right to left, as DecodeInterval reads them: a unit word names the
    number left of it, a time field makes a number left of it days, and the rightmost bare
    number is of the last of the interval's fields (seconds when it has none)."""
    tokens = _tokens(text)
    if tokens[:1] == ["@"]:
        tokens = tokens[1:]
    elif tokens[:1] and tokens[0].startswith("@"):
        tokens[0] = tokens[0][1:]
    negate = "ago" in tokens  # wherever it is, ago negates every field
    if negate:
        tokens.remove("ago")
    if not tokens:
        return None
    total = _Sum()
    unit: str | None = None
    seen: set[tuple[str, int]] = set()  # each field once (DecodeInterval's fmask)
    for token in reversed(tokens):
        if token.rstrip(".") in _UNITS:
            unit = token.rstrip(".")
            continue
        time = _time_field(token, fields)
        year_month = _YEAR_MONTH.match(token)
        number = _NUMBER.match(token)
        if time is not None:
            total.usec += time
            marks = {_UNITS["hour"], _UNITS["minute"], _UNITS["second"]}
            unit = "day"
        elif year_month is not None:
            sign = -1 if year_month[1] == "-" else 1
            if int(year_month[3]) >= 12:
                return None  # field overflow
            total.months += sign * (int(year_month[2]) * 12 + int(year_month[3]))
            marks = {_UNITS["year"], _UNITS["month"]}
            unit = "month"
        elif number is not None and not number[2]:
            if unit is None:
                unit = _BARE_UNIT.get(fields, "second")
            total.add(Decimal(number[1]), unit)
            marks = {_UNITS[unit]}
            if unit in ("hour", "hours", "h", "hr", "hrs"):
                unit = "day"  # a number left of hours is days
        else:
            return None
        if marks & seen:
            return None  # a field given twice
        seen |= marks
    return total.value(negate)


def _time_field(token: str, fields: str) -> Decimal | None:
    """The microseconds of a ``[-]hh:mm[:ss[.fff]]`` field (``mm:ss`` in an interval minute
    to second, and ``mm:ss.fff`` always), or None for another token or an invalid time."""
    time = _TIME.match(token)
    minutes_seconds = _MINUTES_SECONDS.match(token)
    if time is not None:
        hours, minutes = int(time[2]), int(time[3])
        seconds = Decimal(time[4] or 0)
        if time[4] is None and fields == "minute to second":
            hours, minutes, seconds = 0, hours, Decimal(minutes)
        sign = time[1]
    elif minutes_seconds is not None:
        hours, minutes, seconds = 0, int(minutes_seconds[2]), Decimal(minutes_seconds[3])
        sign = minutes_seconds[1]
    else:
        return None
    if minutes > 59 or seconds >= 60:
        return None
    usec = ((hours * 60 + minutes) * 60 + seconds) * _USEC
    return -usec if sign == "-" else usec


_ISO_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)")
_ISO_DATE_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day"}
_ISO_TIME_UNITS = {"H": "hour", "M": "minute", "S": "second"}


def _iso8601_in(text: str) -> tuple[int, int, int] | None:
    """(months, days, microseconds) of an ISO 8601 interval (DecodeISO8601Interval): the
    designators ``P1Y2M3W4DT5H6M7S`` (fractions go down as in the verbose form), or the
    alternative forms ``P0001-02-03T04:05:06`` and ``P00010203T040506``; else None."""
    body = text.strip()  # the designators are upper-case letters
    if not body.startswith("P") or len(body) < 2:
        return None
    total = _Sum()
    rest, date_part, have_field = body[1:], True, False
    while rest:
        if rest[0] == "T" and date_part:
            rest, date_part, have_field = rest[1:], False, False
            continue
        number = _ISO_NUMBER.match(rest)
        if number is None:
            return None
        digits, rest = number[0], rest[number.end() :]
        unit, rest = rest[:1], rest[1:]
        units = _ISO_DATE_UNITS if date_part else _ISO_TIME_UNITS
        if unit in units:
            total.add(Decimal(digits), units[unit])
            have_field = True
            continue
        if have_field or unit not in ("", "-", ":", "T"):
            return None
        # The alternative form: a date (years-months-days) or a time (hours:minutes:seconds).
        rest = unit + rest
        parts, separator = [digits], "-" if date_part else ":"
        basic = digits.isdigit() and len(digits) == (8 if date_part else 6)
        if basic and rest[:1] != separator:
            parts = [digits[:-4], digits[-4:-2], digits[-2:]]
        while rest[:1] == separator and len(parts) < 3:
            following = _ISO_NUMBER.match(rest[1:])
            if following is None:
                return None
            parts.append(following[0])
            rest = rest[1 + following.end() :]
        names = ("year", "month", "day") if date_part else ("hour", "minute", "second")
        for part, name in zip(parts, names[: len(parts)], strict=True):
            total.add(Decimal(part), name)
        if rest and not (date_part and rest[0] == "T"):
            return None
        have_field = True
    return total.value()


def _adjust(
    value: tuple[int, int, int], fields: str, precision: int | None
) -> tuple[int, int, int]:
    """AdjustIntervalForTypmod: what the interval's fields leave out is dropped (the time
    truncated towards zero to an hour or a minute), and the seconds rounded to the precision
    (half away from zero)."""
    months, days, usec = value
    if fields == "year":
        months = _trunc_divmod(months, 12)[0] * 12
    if fields in _NO_DAYS:
        days = 0
    if fields in _NO_TIME:
        usec = 0
    if fields in _KEEP_TIME:
        usec -= _trunc_divmod(usec, _KEEP_TIME[fields])[1]
    if precision is not None and precision < 6:
        scale = 10 ** (6 - precision)
        rounded = (abs(usec) + scale // 2) // scale * scale
        usec = rounded if usec >= 0 else -rounded
    return months, days, usec


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
