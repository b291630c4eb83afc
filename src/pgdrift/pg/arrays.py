"""Array literals as array_in reads them and array_out prints them back (PostgreSQL 15's
arrayfuncs.c), so ``'{a, "b"}'`` given to a ``text[]`` parameter compares equal to the
``'{a,b}'::text[]`` pg_dump prints, and ``'{{a, b}, {c, d}}'`` to ``'{{a,b},{c,d}}'``: an
array of any number of dimensions, whose sub-arrays must all have one shape.

array_in drops the blanks around an element and reads double quotes and backslashes as
quoting; an unquoted ``NULL`` is a null element. array_out writes the elements separated by
commas, each quoted (with ``"`` and ``\\`` escaped) when it is empty, ``NULL``, or holds a
blank, a quote, a backslash, a brace or a comma.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["array_out"]

_BLANKS = " \t\n\r\v\f"  # array_isspace
_SPECIAL = frozenset('"\\{},' + _BLANKS)


def array_out(text: str, element_out: Callable[[str], str | None]) -> str | None:
    """``text`` read as an array, printed back with each element as ``element_out`` prints
    it; None where array_in would reject it, for explicit bounds (not followed), or where
    ``element_out`` does not print an element.

    >>> array_out(' { a , "b c", NULL, "NULL", x\\\\y} ', lambda element: element)
    '{a,"b c",NULL,"NULL",xy}'
    >>> array_out('{{a, b}, { c,d }}', lambda element: element)
    '{{a,b},{c,d}}'
    """
    body = text.strip(_BLANKS)
    if body[1:].lstrip(_BLANKS).startswith("{"):
        return _nested_out(body, element_out)
    elements = _elements(text)
    if elements is None:
        return None
    printed = []
    for element in elements:
        out = element_out(element) if element is not None else "NULL"
        if out is None:
            return None
        printed.append(out if element is None else _quoted(out))
    return "{" + ",".join(printed) + "}"


def _quoted(text: str) -> str:
    if text and text.upper() != "NULL" and not _SPECIAL.intersection(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _elements(text: str) -> list[str | None] | None:
    body = text.strip(_BLANKS)
    if len(body) < 2 or body[0] != "{" or body[-1] != "}":
        return None  # not an array, or one with explicit bounds ([1:2]={...})
    body = body[1:-1]
    if not body.strip(_BLANKS):
        return []
    elements: list[str | None] = []
    chars: list[str] = []
    kept = 0  # the length of ``chars`` without its unquoted trailing blanks
    literal = quoting = escaped = closed = False
    for char in body + ",":
        if escaped:
            chars.append(char)
            kept, literal, escaped = len(chars), True, False
        elif quoting:
            if char == '"':
                quoting, closed = False, True
            elif char == "\\":
                escaped = True
            else:
                chars.append(char)
                kept = len(chars)
        elif char == ",":
            value = "".join(chars[:kept])
            if not value and not literal:
                return None  # an empty element: array_in's error
            elements.append(None if not literal and value.upper() == "NULL" else value)
            chars, kept, literal, closed = [], 0, False, False
        elif char in _BLANKS:
            if chars and not closed:
                chars.append(char)  # kept only if more follows
        elif closed or char in "{}" or (char == '"' and (chars or literal)):
            return None  # text after a quoted element, a nested array, a quote inside
        elif char == '"':
            quoting = literal = True
        elif char == "\\":
            escaped = True
        else:
            chars.append(char)
            kept = len(chars)
    return None if quoting or escaped else elements


def _nested_out(body: str, element_out: Callable[[str], str | None]) -> str | None:
    """``{...}`` of sub-arrays, printed back; None unless each is an array of one shape."""
    if len(body) < 2 or body[0] != "{" or body[-1] != "}":
        return None
    parts = _top_level(body[1:-1])
    if parts is None or not parts:
        return None
    printed = [array_out(part, element_out) for part in parts]
    if any(p is None or p == "{}" for p in printed):
        return None  # an empty sub-array or one array_in refuses
    shapes = {_shape(str(p)) for p in printed}
    return "{" + ",".join(str(p) for p in printed) + "}" if len(shapes) == 1 else None


def _top_level(body: str) -> list[str] | None:
    """``body`` cut at its commas outside braces and quotes; None if unbalanced."""
    parts: list[str] = []
    depth, quoting, escaped, start = 0, False, False, 0
    for at, char in enumerate(body):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif quoting:
            quoting = char != '"'
        elif char == '"':
            quoting = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return None
        elif char == "," and depth == 0:
            parts.append(body[start:at].strip(_BLANKS))
            start = at + 1
    if depth or quoting or escaped:
        return None
    parts.append(body[start:].strip(_BLANKS))
    return parts


def _shape(printed: str) -> tuple[int, ...]:
    """The lengths of a printed array's dimensions, outermost first."""
    parts = _top_level(printed[1:-1]) or []
    inner = _shape(parts[0]) if parts and parts[0].startswith("{") else ()
    return (len(parts), *inner)
