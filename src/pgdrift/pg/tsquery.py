"""tsquery literals as tsqueryin reads them and tsqueryout prints them back (PostgreSQL 15's
tsquery.c and tsvector_parser.c), so ``tv @@ 'cat & dog'`` compares equal to the
``'''cat'' & ''dog'''::tsquery`` pg_dump prints.

tsqueryin reads operands (a word up to a blank or one of ``!&|()<:``, or a single-quoted
string, ``''`` a quote within it, a backslash escaping any character), each optionally
followed by ``:`` and weights ``ABCD`` (any case) and ``*`` (prefix); operators ``!`` (the
highest priority, right-associative), ``<->`` and ``<N>`` (phrase), ``&``, then ``|``, the
binary ones left-associative (makepol's operator stack), and parentheses. tsqueryout quotes
each operand (``'`` and ``\\`` doubled) with ``:*`` and its weights in ABCD order, writes
``<N>`` as ``<->`` when N is 1, and puts ``( `` and `` )`` around an operand of lower
priority than its operator, and around a phrase on the right of a phrase.
"""

from __future__ import annotations

from typing import Any

__all__ = ["tsquery_out"]

_BLANKS = " \t\n\r\v\f"
_OPERATOR_CHARS = "!&|()<"  # ISOPERATOR: ends an unquoted word
_PRIORITY = {"!": 4, "<>": 3, "&": 2, "|": 1}  # tsearch_op_priority
_MAXENTRYPOS = 1 << 14
_MAXSTRLEN = (1 << 11) - 1
_WEIGHTS = (("A", 8), ("B", 4), ("C", 2), ("D", 1))  # printed in this order


def tsquery_out(text: str) -> str | None:
    """``text`` read as a tsquery and printed back; None where tsqueryin rejects it, for an
    empty query (read with a notice), and for text pgdrift does not follow.

    >>> tsquery_out("cat & dog"), tsquery_out("!fat:ab* | (rat <2> 'it''s')")
    ("'cat' & 'dog'", "!'fat':*AB | 'rat' <2> 'it''s'")
    >>> tsquery_out("a & (b | c)"), tsquery_out("a <-> (b <-> c)"), tsquery_out("a &")
    ("'a' & ( 'b' | 'c' )", "'a' <-> ( 'b' <-> 'c' )", None)
    """
    if any(not char.isascii() and char.isspace() for char in text):
        return None  # t_isspace follows the locale: not followed
    postfix = _postfix(text)
    if not postfix:
        return None
    stack: list[Any] = []
    for item in postfix:
        if item[0] == "value":
            stack.append(item)
        elif item[1] == "!":
            stack.append(("!", stack.pop()))
        else:
            right, left = stack.pop(), stack.pop()
            stack.append((item[1], left, right, item[2]))
    return _infix(stack[0], -1, False) if len(stack) == 1 else None


def _postfix(text: str) -> list[tuple[Any, ...]] | None:
    """makepol: operands and operators in Polish (postfix) order; None on an error."""
    out: list[tuple[Any, ...]] = []
    stacks: list[list[tuple[str, int]]] = [[]]
    at, waiting_operand, depth = 0, True, 0

    def clean(op: str) -> None:
        stack = stacks[-1]
        while stack:
            top = _PRIORITY[stack[-1][0]]
            if (op != "!" and _PRIORITY[op] > top) or (op == "!" and _PRIORITY[op] >= top):
                break
            name, distance = stack.pop()
            out.append(("operator", name, distance))

    while True:
        while at < len(text) and text[at] in _BLANKS:
            at += 1
        char = text[at : at + 1]
        if waiting_operand:
            if char == "!":
                clean("!")
                stacks[-1].append(("!", 0))
                at += 1
            elif char == "(":
                stacks.append([])
                depth += 1
                at += 1
            elif char == "" and not out and not stacks[-1] and depth == 0:
                return None  # an empty query: read with a notice
            else:
                word = _word(text, at)
                if word is None:
                    return None
                value, at = word
                weight, prefix, at = _modifiers(text, at)
                if len(value.encode()) > _MAXSTRLEN:
                    return None
                out.append(("value", value, weight, prefix))
                waiting_operand = False
            continue
        if char in ("&", "|"):
            clean(char)
            stacks[-1].append((char, 0))
            at += 1
            waiting_operand = True
        elif char == "<":
            phrase = _phrase(text, at)
            if phrase is None:
                return None
            distance, at = phrase
            clean("<>")
            stacks[-1].append(("<>", distance))
            waiting_operand = True
        elif char == ")":
            depth -= 1
            if depth < 0:
                return None
            clean("|")
            stacks.pop()
            at += 1
        elif char == "":
            if depth:
                return None
            clean("|")
            return out
        else:
            return None


def _word(text: str, at: int) -> tuple[str, int] | None:
    """gettoken_tsvector in tsquery mode: a word (or quoted string) and where it ends."""
    chars: list[str] = []
    if text[at : at + 1] == "'":
        at += 1
        while True:
            char = text[at : at + 1]
            if char == "":
                return None
            if char == "\\":
                if at + 1 >= len(text):
                    return None
                chars.append(text[at + 1])
                at += 2
            elif char == "'":
                if text[at + 1 : at + 2] == "'":
                    chars.append("'")
                    at += 2
                else:
                    at += 1
                    break
            else:
                chars.append(char)
                at += 1
        return ("".join(chars), at) if chars else None
    while at < len(text):
        char = text[at]
        if char == "\\":
            if at + 1 >= len(text):
                return None
            chars.append(text[at + 1])
            at += 2
        elif char in _BLANKS or char in _OPERATOR_CHARS or char == ":":
            break
        else:
            chars.append(char)
            at += 1
    return ("".join(chars), at) if chars else None


def _modifiers(text: str, at: int) -> tuple[int, bool, int]:
    """get_modifiers: ``:`` then weights and ``*``."""
    weight, prefix = 0, False
    if text[at : at + 1] != ":":
        return weight, prefix, at
    at += 1
    bits = {"a": 8, "b": 4, "c": 2, "d": 1}
    while at < len(text):
        char = text[at]
        if char.lower() in bits:
            weight |= bits[char.lower()]
        elif char == "*":
            prefix = True
        else:
            break
        at += 1
    return weight, prefix, at


def _phrase(text: str, at: int) -> tuple[int, int] | None:
    """parse_phrase_operator: ``<->`` or ``<N>``, then something must follow."""
    rest = text[at + 1 :]
    if rest.startswith("->"):
        distance, end = 1, at + 3
    else:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        if not digits or rest[digits : digits + 1] != ">":
            return None
        distance, end = int(rest[:digits]), at + 1 + digits + 1
        if distance > _MAXENTRYPOS:
            return None
    return (distance, end) if end < len(text) else None


def _infix(node: Any, parent: int, right_phrase: bool) -> str:
    if node[0] == "value":
        _, value, weight, prefix = node
        out = "'" + value.replace("'", "''").replace("\\", "\\\\") + "'"
        if weight or prefix:
            out += ":" + ("*" if prefix else "")
            out += "".join(name for name, bit in _WEIGHTS if weight & bit)
        return str(out)
    if node[0] == "!":
        inner = "!" + _infix(node[1], 4, False)
        return f"( {inner} )" if parent > 4 else inner  # never: ! has the highest priority
    op, left, right, distance = node
    priority = _PRIORITY[op]
    right_text = _infix(right, priority, op == "<>")
    left_text = _infix(left, priority, False)
    name = op if op != "<>" else "<->" if distance == 1 else f"<{distance}>"
    out = f"{left_text} {name} {right_text}"
    return f"( {out} )" if priority < parent or (op == "<>" and right_phrase) else out
