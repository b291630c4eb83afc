"""hstore literals as the hstore extension's ``hstore_in`` reads them and ``hstore_out`` prints
them back (contrib/hstore/hstore_io.c, PostgreSQL 15).

``'b=>2, a=>1'`` is stored ``'"a"=>"1", "b"=>"2"'``: every key and value double-quoted (with
``"`` and ``\\`` escaped by a backslash), ``NULL`` for an unquoted NULL value, the pairs
joined by ``", "`` in the order hstore keeps its keys: shorter first, then bytewise.
"""

from __future__ import annotations

__all__ = ["hstore_out"]


def hstore_out(text: str) -> str | None:
    """The text hstore_out prints for ``text`` read by hstore_in, or None where hstore_in would
    reject it, or where it repeats a key (which one is kept is not defined).

    >>> hstore_out("b=>2, a=>1")
    '"a"=>"1", "b"=>"2"'
    >>> hstore_out('aa => NULL, "b c"=>"x\\\\"y"'), hstore_out("")
    ('"aa"=>NULL, "b c"=>"x\\\\"y"', '')
    """
    pairs = _pairs(text)
    if pairs is None or len({key for key, _ in pairs}) != len(pairs):
        return None
    pairs.sort(key=lambda pair: (len(pair[0].encode()), pair[0].encode()))
    return ", ".join(
        f"{_quoted(key)}=>{'NULL' if value is None else _quoted(value)}" for key, value in pairs
    )


def _quoted(word: str) -> str:
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _pairs(text: str) -> list[tuple[str, str | None]] | None:
    """The key/value pairs of parse_hstore: ``key => value`` separated by commas, a trailing
    comma allowed; None on a syntax error."""
    pairs: list[tuple[str, str | None]] = []
    index = 0
    while True:
        key = _word(text, index, value=False)
        if key is None:
            return pairs if _rest_is_space(text, index) else None
        word, _, index = key
        index = _skip_space(text, index)
        if text[index : index + 2] != "=>":
            return None
        value = _word(text, index + 2, value=True)
        if value is None:
            return None
        found, value_quoted, index = value
        is_null = not value_quoted and found.lower() == "null"
        pairs.append((word, None if is_null else found))
        index = _skip_space(text, index)
        if index == len(text):
            return pairs
        if text[index] != ",":
            return None
        index += 1


def _word(text: str, index: int, *, value: bool) -> tuple[str, bool, int] | None:
    """A key (ended by ``=``) or value (ended by ``,``), quoted or not, from ``index`` (spaces
    skipped): its text, whether it was quoted, and where reading goes on; None at the end."""
    index = _skip_space(text, index)
    if index == len(text):
        return None
    quoted = text[index] == '"'
    index += quoted
    chars: list[str] = []
    if not quoted and text[index] not in "\\=":
        # The first character is the word's whatever it is (a value may start with a
        # comma); a key may not start with "=" (get_val: syntax error).
        chars.append(text[index])
        index += 1
    elif not quoted and text[index] == "=" and not value:
        return None
    while index < len(text):
        char = text[index]
        if char == "\\":
            if index + 1 == len(text):
                return None  # unexpected end of string
            chars.append(text[index + 1])
            index += 2
            continue
        if quoted and char == '"':
            return "".join(chars), True, index + 1
        if not quoted and (char.isspace() or char == ("," if value else "=")):
            break
        chars.append(char)
        index += 1
    if quoted:
        return None  # an unclosed quote
    return "".join(chars), False, index


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r\f\v":
        index += 1
    return index


def _rest_is_space(text: str, index: int) -> bool:
    return _skip_space(text, index) == len(text)
