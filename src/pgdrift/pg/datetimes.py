"""Date and time literals as PostgreSQL's input functions read them and its output functions
(``DateStyle`` ISO, the default and what pg_dump sets) print them back.

Only the ISO 8601 forms are read here (``2024-01-31``, ``2024-01-31 12:30``,
``2024-01-31T12:30:00.5+02``) and the special inputs ``epoch`` and ``infinity``; anything else
(``now``, ``Jan 31``, BC dates) is left as written. A ``timestamp with time zone`` without a
zone is read in the session's ``TimeZone``, and printed in it: which zone that is cannot be
known offline, so pgdrift reads and prints it as UTC (what tools/pgcluster.py and most servers
use). A dump made on a server in another zone prints other wall-clock times and offsets and
shows as a difference, never as a false equality.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

__all__ = ["datetime_out", "read_when_run", "time_out"]

_UTC = timezone(timedelta(0))

_ISO = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?"
    r"\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?\s*\Z",
    re.IGNORECASE,
)


#: Special inputs the input functions read as the moment the statement runs (docs: Special
#: Date/Time Inputs), by the types reading them so ('today' is midnight to a time: fixed).
_READ_WHEN_RUN = {
    "now": frozenset({"date", "timestamp without time zone", "timestamp with time zone",
                      "time without time zone", "time with time zone"}),
    **dict.fromkeys(("today", "tomorrow", "yesterday"), frozenset({
        "date", "timestamp without time zone", "timestamp with time zone"})),
}  # fmt: skip


def read_when_run(text: str, type_name: str) -> bool:
    """Whether ``text`` given to the input function of ``type_name`` is read as the time the
    statement runs: the constant PostgreSQL stores is that moment (``DEFAULT 'now'`` on a
    timestamptz column is the creation time, not now() on each insert).

    >>> read_when_run(" NOW", "timestamp with time zone"), read_when_run("today", "date")
    (True, True)
    >>> read_when_run("today", "time without time zone"), read_when_run("now", "text")
    (False, False)
    """
    return type_name in _READ_WHEN_RUN.get(text.strip().lower(), frozenset())


def datetime_out(text: str, type_name: str) -> str | None:
    """``text`` read as ``type_name`` (``date``, ``timestamp without time zone``, ``timestamp
    with time zone``) and printed back; None where pgdrift does not read it exactly.

    >>> datetime_out("2024-01-01", "timestamp with time zone")
    '2024-01-01 00:00:00+00'
    >>> datetime_out("2024-1-2 3:04:05.250+02", "timestamp with time zone")
    '2024-01-02 01:04:05.25+00'
    >>> datetime_out("2024-01-02 10:00+05", "timestamp without time zone")
    '2024-01-02 10:00:00'
    >>> datetime_out("epoch", "timestamp without time zone"), datetime_out(" Infinity", "date")
    ('1970-01-01 00:00:00', 'infinity')
    """
    special = text.strip().lower()
    if special in _INFINITIES and type_name in _DATETIME_TYPES:
        return _INFINITIES[special]
    if special == "epoch":
        # The special input 'epoch' is 1970-01-01 00:00:00 UTC (docs: Special Date/Time
        # Inputs); 'now', 'today' and the like are read when the statement runs: left as is.
        text = "1970-01-01" if type_name == "date" else "1970-01-01 00:00:00+00"
    match = _ISO.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        if type_name == "date":
            if hour is not None:
                return None  # a time given to date: read, then dropped; not worth the risk
            return date(int(year), int(month), int(day)).isoformat()
        micro = round(float(fraction) * 1_000_000) if fraction else 0
        value = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                         int(second or 0)) + timedelta(microseconds=micro)  # fmt: skip
    except ValueError:
        return None
    if type_name == "timestamp without time zone":
        return _print(value)  # a zone in the text is ignored (docs: Date/Time Types)
    if type_name != "timestamp with time zone":
        return None
    offset = _offset(zone)
    utc = value.replace(tzinfo=offset).astimezone(_UTC).replace(tzinfo=None)
    return _print(utc) + "+00"


_DATETIME_TYPES = frozenset({"date", "timestamp without time zone", "timestamp with time zone"})
_INFINITIES = {"infinity": "infinity", "-infinity": "-infinity"}

_TIME = re.compile(r"\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(\.\d+)?)?\s*\Z")


def time_out(text: str) -> str | None:
    """``text`` read as a ``time without time zone`` and printed back (``09:00`` is
    ``09:00:00``); None where pgdrift does not read it (AM/PM, a zone, other forms).

    >>> time_out("9:05"), time_out("23:59:59.250"), time_out("24:00"), time_out("9am")
    ('09:05:00', '23:59:59.25', '24:00:00', None)
    >>> time_out(" AllBalls")  # the special input for midnight (docs: Special Date/Time Inputs)
    '00:00:00'
    """
    if text.strip().lower() == "allballs":
        return "00:00:00"
    match = _TIME.match(text)
    if match is None:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    micro = round(float(match[4]) * 1_000_000) if match[4] else 0
    total = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micro
    # time_in: minutes and seconds below 60, and nothing past 24:00:00.
    if minute > 59 or second > 59 or total > 24 * 3600 * 1_000_000:
        return None
    seconds, micro = divmod(total, 1_000_000)
    printed = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return printed + (f".{micro:06d}".rstrip("0") if micro else "")


def _offset(zone: str | None) -> timezone:
    if zone is None or zone.upper() in ("Z", "UTC"):
        return _UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _print(value: datetime) -> str:
    text = value.strftime("%Y-%m-%d %H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text
