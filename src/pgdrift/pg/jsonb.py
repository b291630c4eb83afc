"""jsonb literals as jsonb_in reads them and jsonb_out prints them back (PostgreSQL 15's
jsonb.c and json.c), so a constant written ``'{"b":1,"a":2}'`` compares equal to the
``'{"a": 2, "b": 1}'::jsonb`` pg_dump prints.

jsonb keeps no whitespace, no key order and no duplicate keys: an object's keys are printed
shorter first, then bytewise (lengthCompareJsonbString), each once with the last value written
for it; ``": "`` after a key and ``", "`` between items. Numbers are numerics (``1e2`` is
``100``, ``1.50`` stays), strings have their escapes decoded and are printed with escape_json's.
"""

from __future__ import annotations

import json
from typing import Any

from pgdrift.pg.numeric_text import numeric_out

__all__ = ["jsonb_out"]


class _Number(str):
    """A JSON number as written, printed as numeric_out prints it."""


def jsonb_out(text: str) -> str | None:
    """The text jsonb_out prints for ``text`` read by jsonb_in, or None where jsonb_in would
    reject it (or pgdrift is not sure it would not).

    >>> jsonb_out('{"b":1, "a":[1,2.50,{"z":null}], "b":3}')
    '{"a": [1, 2.50, {"z": null}], "b": 3}'
    >>> jsonb_out(' "\\\\u00e9" '), jsonb_out("1e2"), jsonb_out("{,}")
    ('"é"', '100', None)
    """
    try:
        value = json.loads(
            text,
            parse_int=_Number,
            parse_float=_Number,
            parse_constant=_refuse,  # NaN, Infinity: not JSON, refused by json_lex
            object_pairs_hook=dict,  # a repeated key: the last value wins, as in jsonb
        )
        return _printed(value)
    except (ValueError, RecursionError, UnicodeError):
        return None


def _refuse(word: str) -> Any:
    raise ValueError(word)


def _printed(value: Any) -> str:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (len(key.encode()), key.encode()))
        return "{" + ", ".join(f"{_string(k)}: {_printed(value[k])}" for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(_printed, value)) + "]"
    if isinstance(value, _Number):
        printed = numeric_out(value)
        if printed is None:
            raise ValueError(value)
        return printed
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    return "true" if value else "false"


_ESCAPES = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"',
            "\\": "\\\\"}  # fmt: skip


def _string(value: str) -> str:
    """escape_json: the short escapes, other control characters as \\u00xx, the rest as is."""
    if "\0" in value:
        raise ValueError("jsonb has no \\u0000")
    value.encode()  # a lone surrogate (\ud800 alone) is refused, as PostgreSQL refuses it
    out = []
    for char in value:
        escaped = _ESCAPES.get(char)
        if escaped is None and char < " ":
            escaped = f"\\u{ord(char):04x}"
        out.append(escaped or char)
    return '"' + "".join(out) + '"'
