"""inet, cidr and uuid literals as their input functions read them and their output functions
print them back (PostgreSQL 15's network.c, inet_net_ntop.c and uuid.c), so a literal written
``'2001:0DB8::0001'`` compares equal to the ``'2001:db8::1'::inet`` pg_dump prints.

inet prints an address without its netmask when the netmask covers it all (``/32``, ``/128``),
cidr always with it (and refuses bits set beyond it); IPv6 in lower case, its longest run of
two or more zero groups written ``::``. uuid prints 32 lower-case hex digits grouped 8-4-4-4-12.
Only the forms pgdrift reads for sure are printed (dotted quads of four numbers, IPv6 without an
embedded IPv4 part); the others give None and stay as written.
"""

from __future__ import annotations

import ipaddress
import re

__all__ = ["inet_out", "uuid_out"]

_IPV4 = re.compile(r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:/(\d{1,2}))?\Z")
_IPV6 = re.compile(r"([0-9A-Fa-f:]*:[0-9A-Fa-f:]*)(?:/(\d{1,3}))?\Z")
_HEX = frozenset("0123456789abcdefABCDEF")


def inet_out(text: str, *, cidr: bool = False) -> str | None:
    """What inet_out (or cidr_out) prints for ``text``; None where the input function would
    reject it, or for a form pgdrift does not read (abbreviated IPv4, an IPv4 part in IPv6).

    >>> inet_out("10.0.0.1/32"), inet_out("010.0.0.1", cidr=True), inet_out("1:0:0::0:8/64")
    ('10.0.0.1', '10.0.0.1/32', '1::8/64')
    >>> inet_out("10.0.0.1/8", cidr=True), inet_out("10/8"), inet_out("::ffff:1.2.3.4")
    (None, None, None)
    """
    match = _IPV4.match(text)
    if match is not None:
        octets = [int(part) for part in match.groups()[:4]]
        bits = int(match[5]) if match[5] is not None else 32
        if max(octets) > 255 or bits > 32:
            return None
        value, width, address = int.from_bytes(bytes(octets), "big"), 32, ".".join(
            map(str, octets))  # fmt: skip
    else:
        match = _IPV6.match(text)
        try:
            parsed = ipaddress.IPv6Address(match[1]) if match is not None else None
        except ValueError:
            return None
        bits = int(match[2]) if match is not None and match[2] is not None else 128
        if parsed is None or bits > 128 or _dotted(int(parsed)):
            return None
        value, width, address = int(parsed), 128, parsed.compressed
    if cidr and value & ((1 << (width - bits)) - 1):
        return None  # cidr_in: bits set to the right of the netmask
    return address if bits == width and not cidr else f"{address}/{bits}"


def _dotted(value: int) -> bool:
    """An IPv4-compatible (::a.b.c.d) or IPv4-mapped (::ffff:a.b.c.d) address, which
    inet_net_ntop prints with its last 32 bits as a dotted quad."""
    top = value >> 32
    return (top == 0 and (value >> 16) & 0xFFFF != 0) or top == 0xFFFF


def uuid_out(text: str) -> str | None:
    """What uuid_out prints for ``text`` as uuid_in reads it (32 hex digits, a hyphen allowed
    after each group of four, the whole in braces or not); None where uuid_in would reject it.

    >>> uuid_out("{A0EEBC99-9C0B4EF8-BB6D-6BB9BD380A11}")
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'
    """
    body = text[1:-1] if text.startswith("{") and text.endswith("}") else text
    digits, index = [], 0
    for group in range(8):
        chunk = body[index : index + 4]
        if len(chunk) != 4 or not _HEX.issuperset(chunk):
            return None
        digits.append(chunk.lower())
        index += 4
        if group < 7 and body[index : index + 1] == "-":
            index += 1
    if index != len(body):
        return None
    hexes = "".join(digits)
    return f"{hexes[:8]}-{hexes[8:12]}-{hexes[12:16]}-{hexes[16:20]}-{hexes[20:]}"
