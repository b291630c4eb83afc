"""What timestamp input makes of a literal, printed as pg_dump prints it (DateStyle ISO).

``timestamp with time zone`` stores an instant and prints it in the session's TimeZone,
which a dump does not record; pgdrift compares the instant, printed in UTC
(``'2025-01-01 00:00+00'`` and ``'2025-01-01 01:00:00+01'`` are one value), and only for a
literal that names its offset: one without is read in a TimeZone only the server knows, and is
kept as written. ``timestamp without time zone`` prints seconds always and fractions without
trailing zeros (docs: Date/Time Types, "Date/Time Output").
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["timestamp_out"]

_TIMESTAMP = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?\s*\Z",
    re.IGNORECASE,
)


def timestamp_out(text: str, *, with_zone: bool) -> str | None:
    """``text`` as PostgreSQL prints the timestamp it reads (in UTC with a zone); None when
    pgdrift cannot tell (another input form, or no offset for a ``with_zone`` value).

    >>> timestamp_out("2025-01-01 00:00+00", with_zone=True)
    '2025-01-01 00:00:00+00'
    >>> timestamp_out("2025-01-01 02:30:00.500+02:30", with_zone=True)
    '2025-01-01 00:00:00.5+00'
    >>> timestamp_out("2025-01-01 7:05", with_zone=False)
    '2025-01-01 07:05:00'
    """
    match = _TIMESTAMP.match(text)
    if match is None:
        return None
    zone = match["zone"]
    if (zone is None) == with_zone:
        return None  # an instant needs its offset; a zone on a plain timestamp is dropped
    year, month, day, hour, minute = (int(match[i]) for i in range(1, 6))
    second = int(match[6] or 0)
    micro = int((match[7] or ".0")[1:].ljust(6, "0"))
    try:
        value = dt.datetime(year, month, day, hour, minute, second, micro)
    except ValueError:
        return None
    if with_zone:
        value -= _offset(zone)
    fraction = f".{value.microsecond:06d}".rstrip("0") if value.microsecond else ""
    return value.strftime("%Y-%m-%d %H:%M:%S") + fraction + ("+00" if with_zone else "")


def _offset(zone: str) -> dt.timedelta:
    if zone.upper() in ("Z", "UTC", "GMT"):
        return dt.timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
    return sign * dt.timedelta(hours=int(hours), minutes=int(minutes))
