"""jsonpath literals as jsonpath_in reads them and jsonpath_out prints them back (PostgreSQL
15's jsonpath_scan.l, jsonpath_gram.y and jsonpath.c), so ``jsonb_path_exists(doc, '$.a ?
(@ > 1)')`` compares equal to the ``'$."a"?(@ > 1)'::jsonpath`` pg_dump prints.

The scanner splits the text into specials (``? % $ . [ ] { } ( ) | & ! = < > @ # , * : - +
/``, and the two-character ``&& || ** <= >= == <> !=``), blanks, numbers (a decimal with an
exponent, no leading zero, nothing but a special or a blank right after it), double-quoted
strings (JSON escapes, ``\\xNN``, ``\\u{...}``; any other escaped character is itself),
variables (``$name``, ``$"name"``) and words, some of them keywords (any case, but ``null``,
``true`` and ``false`` only in lower case). The grammar reads an optional ``lax``/``strict``
mode, then a path or a predicate: ``||`` under ``&&`` under ``!`` (before a parenthesized
predicate or ``exists (...)``) over predicates (two expressions and a comparison, ``starts
with``, ``like_regex`` with flags ``ismxq``, ``(predicate) is unknown``) over expressions
(``+ -`` under ``* / %`` under unary signs, folded into a number they precede) over paths: a
primary (a scalar, ``$``, ``@`` only inside a filter, ``last`` only inside a subscript, a
parenthesized expression or predicate) and accessors (``.key``, ``.*``, ``.**{m to n}``,
``[*]``, ``[a to b, c]``, ``.method()``, ``.datetime("template")``, ``?(predicate)``).

printJsonPathItem writes keys, strings and variables as escape_json quotes them, numbers as
numeric_out prints them (parenthesized when an accessor follows), a binary operation with
blanks around its operator and in parentheses at the top and where its operand binds no
tighter than it, ``!(...)``, ``exists (...)``, ``?(...)``, and ``strict `` before a strict path.
Text pgdrift does not follow (comments, escapes in bare words) gives None.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from pgdrift.pg.numeric_text import numeric_out

__all__ = ["jsonpath_out"]

_SPECIAL = frozenset("?%$.[]{}()|&!=<>@#,*:-+/")
_BLANKS = frozenset(" \t\n\r\f")
_DIGITS = frozenset("0123456789")
_PAIRS = frozenset({"&&", "||", "**", "<=", ">=", "==", "<>", "!="})
_NUMBER = re.compile(r"(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_KEYWORDS = frozenset({
    "is", "to", "abs", "lax", "flag", "last", "null", "size", "true", "type", "with", "false",
    "floor", "double", "exists", "starts", "strict", "ceiling", "unknown", "datetime", "keyvalue",
    "like_regex",
})  # fmt: skip
_LOWER_ONLY = frozenset({"null", "true", "false"})  # keywords only when written in lower case
_METHODS = frozenset({"abs", "size", "type", "floor", "double", "ceiling", "keyvalue"})
_COMPARISONS = {"==": "==", "<>": "!=", "!=": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}
_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_JSON_ESCAPES = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"',
                 "\\": "\\\\"}  # fmt: skip
_FLAGS = "ismxq"  # like_regex flags, in the order jsonpath_out prints them
# operationPriority: || && comparisons, + -, * / %, unary signs; anything else binds tightest.
_PRIORITY = {"||": 0, "&&": 1, "==": 2, "!=": 2, "<": 2, ">": 2, "<=": 2, ">=": 2,
             "starts with": 2, "+": 3, "-": 3, "*": 4, "/": 4, "%": 4}  # fmt: skip
_UINT32_MAX = 2**32 - 1


class _RejectedError(Exception):
    """jsonpath_in rejects the text, or pgdrift does not follow it."""


@attrs.define
class _Item:
    """A JsonPathParseItem: ``kind`` is an operator (``+``, ``==``, ``starts with``...) or one
    of null string numeric bool root current last variable key anykey anyarray any index
    filter exists not unknown plus minus method datetime like_regex."""

    kind: str
    value: Any = None
    left: _Item | None = None
    right: _Item | None = None
    next: _Item | None = None

    def append(self, accessor: _Item) -> None:
        end = self
        while end.next is not None:
            end = end.next
        end.next = accessor


def jsonpath_out(text: str) -> str | None:
    r"""``text`` read as a jsonpath and printed back; None where jsonpath_in rejects it or
    pgdrift does not follow it.

    >>> jsonpath_out("$.a ? (@ > 1)"), jsonpath_out("strict $.x[1 to last].type()")
    ('$."a"?(@ > 1)', 'strict $."x"[1 to last].type()')
    >>> jsonpath_out('$.tags[*] ? (@ like_regex "^x" flag "mi")'), jsonpath_out("$.a - 2 - 3")
    ('$."tags"[*]?(@ like_regex "^x" flag "im")', '(($."a" - 2) - 3)')
    >>> jsonpath_out("@.a"), jsonpath_out("$.a &&")
    (None, None)
    """
    try:
        parser = _Parser(_tokens(text))
        strict, item = parser.result()
        return ("strict " if strict else "") + _print(item, False, True)
    except (_RejectedError, RecursionError):
        return None


# -- scanner -----------------------------------------------------------------------------------


def _tokens(text: str) -> list[tuple[str, Any]]:
    """(kind, value): ("op", "&&"), ("string", decoded), ("variable", name), ("number", (text,
    is an integer)), ("word", raw text)."""
    out: list[tuple[str, Any]] = []
    at = 0
    while at < len(text):
        char = text[at]
        if char in _BLANKS:
            at += 1
        elif text.startswith("/*", at) or char == "\\":
            raise _RejectedError  # comments and escaped bare words: not followed
        elif char == '"':
            value, at = _string(text, at + 1)
            out.append(("string", value))
        elif char == "$" and text[at + 1 : at + 2] == '"':
            value, at = _string(text, at + 2)
            out.append(("variable", value))
        elif char == "$" and _is_other(text[at + 1 : at + 2]):
            end = _word_end(text, at + 1)
            out.append(("variable", text[at + 1 : end]))
            at = end
        elif char in _DIGITS or (char == "." and text[at + 1 : at + 2] in _DIGITS):
            match = _NUMBER.match(text, at)
            if match is None:
                raise _RejectedError
            at = match.end()
            if _is_other(text[at : at + 1]) or text[at : at + 1] in ('"', "\\"):
                raise _RejectedError  # trailing junk after numeric literal
            number = match[0]
            out.append(("number", (number, not any(c in number for c in ".eE"))))
        elif char in _SPECIAL:
            pair = text[at : at + 2]
            if pair in _PAIRS:
                out.append(("op", pair))
                at += 2
            else:
                out.append(("op", char))
                at += 1
        else:
            end = _word_end(text, at)
            if text[end : end + 1] == "\\":
                raise _RejectedError
            out.append(("word", text[at:end]))
            at = end
    return out


def _is_other(char: str) -> bool:
    return bool(char) and char not in _SPECIAL and char not in _BLANKS and char not in '"\\'


def _word_end(text: str, at: int) -> int:
    while at < len(text) and _is_other(text[at]):
        at += 1
    return at


def _string(text: str, at: int) -> tuple[str, int]:
    """A double-quoted string's value from ``at`` (after the opening quote), and where the
    text goes on after the closing quote."""
    chars: list[str] = []
    high: int | None = None  # a high surrogate waiting for its low half
    while True:
        if at >= len(text):
            raise _RejectedError  # unexpected end of quoted string
        char = text[at]
        unicode = char == "\\" and text[at + 1 : at + 2] == "u"
        if high is not None and not unicode:
            raise _RejectedError
        if char == '"':
            return "".join(chars), at + 1
        if char != "\\":
            chars.append(char)
            at += 1
            continue
        escaped = text[at + 1 : at + 2]
        if not escaped:
            raise _RejectedError
        if unicode:
            code, at = _unicode(text, at + 2)
            if 0xD800 <= code <= 0xDBFF:
                if high is not None:
                    raise _RejectedError
                high = code
                continue
            if 0xDC00 <= code <= 0xDFFF:
                if high is None:
                    raise _RejectedError
                code, high = 0x10000 + ((high & 0x3FF) << 10) + (code & 0x3FF), None
            if code == 0:
                raise _RejectedError  # \u0000 cannot be converted to text
            chars.append(chr(code))
        elif escaped == "x":
            digits = text[at + 2 : at + 4]
            if not re.fullmatch(r"[0-9A-Fa-f]{2}", digits) or int(digits, 16) == 0:
                raise _RejectedError
            chars.append(chr(int(digits, 16)))
            at += 4
        else:
            chars.append(_SIMPLE_ESCAPES.get(escaped, escaped))
            at += 2


def _unicode(text: str, at: int) -> tuple[int, int]:
    match = re.compile(r"\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{4})").match(text, at)
    if match is None:
        raise _RejectedError  # Unicode sequence is invalid
    code = int(match[1] or match[2], 16)
    if code > 0x10FFFF:
        raise _RejectedError
    return code, match.end()


# -- parser ------------------------------------------------------------------------------------


class _Parser:
    """jsonpath_gram.y by recursive descent; each method returns (item, is a predicate)."""

    def __init__(self, tokens: list[tuple[str, Any]]) -> None:
        self.tokens = tokens
        self.at = 0
        self.filters = 0  # nesting inside ?(...): @ is allowed there
        self.subscripts = 0  # nesting inside [...]: last is allowed there

    def peek(self, offset: int = 0) -> tuple[str, Any]:
        at = self.at + offset
        return self.tokens[at] if at < len(self.tokens) else ("end", None)

    def keyword(self, offset: int = 0) -> str | None:
        kind, value = self.peek(offset)
        if kind != "word":
            return None
        lower = value.lower()
        if lower not in _KEYWORDS or (lower in _LOWER_ONLY and value != lower):
            return None
        return str(lower)

    def is_op(self, op: str) -> bool:
        return self.peek() == ("op", op)

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        if token[0] == "end":
            raise _RejectedError
        self.at += 1
        return token

    def expect(self, op: str) -> None:
        if self.take() != ("op", op):
            raise _RejectedError

    def result(self) -> tuple[bool, _Item]:
        strict = False
        if self.keyword() in ("strict", "lax"):
            strict = self.keyword() == "strict"
            self.at += 1
        item, _ = self.disjunction()
        if self.peek()[0] != "end":
            raise _RejectedError
        return strict, item

    def predicate(self) -> _Item:
        item, is_predicate = self.disjunction()
        if not is_predicate:
            raise _RejectedError
        return item

    def disjunction(self) -> tuple[_Item, bool]:
        return self._logical("||", self.conjunction)

    def conjunction(self) -> tuple[_Item, bool]:
        return self._logical("&&", self.negation)

    def _logical(self, op: str, operand: Any) -> tuple[_Item, bool]:
        left, is_predicate = operand()
        while self.is_op(op):
            self.at += 1
            right, right_predicate = operand()
            if not (is_predicate and right_predicate):
                raise _RejectedError
            left = _Item(op, left=left, right=right)
        return left, is_predicate

    def negation(self) -> tuple[_Item, bool]:
        if not self.is_op("!"):
            return self.comparison()
        self.at += 1
        if self.keyword() == "exists":  # NOT_P delimited_predicate
            return _Item("not", left=self.exists()), True
        self.expect("(")
        inner = self.predicate()
        self.expect(")")
        return _Item("not", left=inner), True

    def exists(self) -> _Item:
        self.at += 1
        self.expect("(")
        inner, is_predicate = self.additive()
        self.expect(")")
        if is_predicate:
            raise _RejectedError
        return _Item("exists", left=inner)

    def comparison(self) -> tuple[_Item, bool]:
        left, is_predicate = self.additive()
        kind, value = self.peek()
        word = self.keyword()
        if kind == "op" and value in _COMPARISONS:
            self.at += 1
            right, right_predicate = self.additive()
            if is_predicate or right_predicate:
                raise _RejectedError
            return _Item(_COMPARISONS[value], left=left, right=right), True
        if word == "starts":
            self.at += 1
            if is_predicate or self.keyword() != "with":
                raise _RejectedError
            self.at += 1
            kind, value = self.take()
            if kind not in ("string", "variable"):
                raise _RejectedError
            return _Item("starts with", left=left, right=_Item(kind, value)), True
        if word == "like_regex":
            self.at += 1
            kind, pattern = self.take()
            flags = ""
            if is_predicate or kind != "string":
                raise _RejectedError
            if self.keyword() == "flag":
                self.at += 1
                kind, written = self.take()
                if kind != "string" or set(written) - set(_FLAGS):
                    raise _RejectedError
                flags = "".join(flag for flag in _FLAGS if flag in written)
            return _Item("like_regex", (pattern, flags), left=left), True
        return left, is_predicate

    def additive(self) -> tuple[_Item, bool]:
        return self._arithmetic(("+", "-"), self.multiplicative)

    def multiplicative(self) -> tuple[_Item, bool]:
        return self._arithmetic(("*", "/", "%"), self.unary)

    def _arithmetic(self, ops: tuple[str, ...], operand: Any) -> tuple[_Item, bool]:
        left, is_predicate = operand()
        while self.peek()[0] == "op" and self.peek()[1] in ops:
            op = self.take()[1]
            right, right_predicate = operand()
            if is_predicate or right_predicate:
                raise _RejectedError
            left = _Item(op, left=left, right=right)
        return left, is_predicate

    def unary(self) -> tuple[_Item, bool]:
        if not (self.is_op("+") or self.is_op("-")):
            return self.path()
        sign = self.take()[1]
        operand, is_predicate = self.unary()
        if is_predicate:
            raise _RejectedError
        if operand.kind == "numeric" and operand.next is None:  # makeItemUnary folds a sign
            return (operand if sign == "+" else _Item("numeric", _negated(operand.value))), False
        return _Item("plus" if sign == "+" else "minus", left=operand), False

    def path(self) -> tuple[_Item, bool]:
        kind, value = self.peek()
        word = self.keyword()
        if kind == "op" and value == "(":
            self.at += 1
            item, is_predicate = self.disjunction()
            self.expect(")")
            if self.accessor_follows():
                self.accessors(item)
                return item, False
            if is_predicate and self.keyword() == "is":
                self.at += 1
                if self.keyword() != "unknown":
                    raise _RejectedError
                self.at += 1
                return _Item("unknown", left=item), True
            return item, is_predicate
        if word == "exists" and self.peek(1) == ("op", "("):
            return self.exists(), True
        item = self.primary()
        self.accessors(item)
        return item, False

    def primary(self) -> _Item:
        kind, value = self.take()
        word = self.keyword(-1)
        if kind in ("string", "variable"):
            return _Item(kind, value)
        if kind == "number":
            printed = numeric_out(value[0])
            if printed is None:
                raise _RejectedError
            return _Item("numeric", printed)
        if word in ("null", "true", "false"):
            return _Item("null") if word == "null" else _Item("bool", word == "true")
        if word == "last" and self.subscripts:
            return _Item("last")
        if (kind, value) == ("op", "$"):
            return _Item("root")
        if (kind, value) == ("op", "@") and self.filters:
            return _Item("current")
        raise _RejectedError  # @ outside a filter, last outside a subscript: jsonpath_in's errors

    def accessor_follows(self) -> bool:
        return self.peek()[0] == "op" and self.peek()[1] in (".", "[", "?")

    def accessors(self, item: _Item) -> None:
        while self.accessor_follows():
            op = self.take()[1]
            if op == "[":
                item.append(self.subscript())
            elif op == "?":
                self.expect("(")
                self.filters += 1
                inner = self.predicate()
                self.filters -= 1
                self.expect(")")
                item.append(_Item("filter", left=inner))
            else:
                item.append(self.member())

    def subscript(self) -> _Item:
        if self.is_op("*") and self.peek(1) == ("op", "]"):
            self.at += 2
            return _Item("anyarray")
        self.subscripts += 1
        elements: list[tuple[_Item, _Item | None]] = []
        while True:
            start = self.expression()
            end = None
            if self.keyword() == "to":
                self.at += 1
                end = self.expression()
            elements.append((start, end))
            if not self.is_op(","):
                break
            self.at += 1
        self.subscripts -= 1
        self.expect("]")
        return _Item("index", elements)

    def expression(self) -> _Item:
        item, is_predicate = self.additive()
        if is_predicate:
            raise _RejectedError
        return item

    def member(self) -> _Item:
        """What follows a ``.``: a key, ``*``, ``**{...}``, or a method call."""
        kind, value = self.take()
        word = self.keyword(-1)
        if (kind, value) == ("op", "*"):
            return _Item("anykey")
        if (kind, value) == ("op", "**"):
            return self.any_levels()
        if word is not None and self.is_op("(") and (word in _METHODS or word == "datetime"):
            self.at += 1
            template = None
            if word == "datetime" and self.peek()[0] == "string":
                template = _Item("string", self.take()[1])
            self.expect(")")
            return _Item("datetime", left=template) if word == "datetime" else _Item("method", word)
        if kind in ("word", "string"):
            return _Item("key", value)
        raise _RejectedError

    def any_levels(self) -> _Item:
        if not self.is_op("{"):
            return _Item("any", (0, _UINT32_MAX))
        self.at += 1
        first = last = self.level()
        if self.keyword() == "to":
            self.at += 1
            last = self.level()
        self.expect("}")
        return _Item("any", (first, last))

    def level(self) -> int:
        kind, value = self.take()
        if self.keyword(-1) == "last":
            return _UINT32_MAX
        if kind != "number" or not value[1] or int(value[0]) >= 2**31:
            raise _RejectedError
        return int(value[0])


def _negated(printed: str) -> str:
    """numeric_uminus on numeric_out's text (zero has no sign)."""
    if printed.startswith("-"):
        return printed[1:]
    return printed if not printed.strip("0.") else "-" + printed


# -- printer -----------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """escape_json."""
    return '"' + "".join(
        _JSON_ESCAPES.get(char) or (f"\\u{ord(char):04x}" if char < " " else char)
        for char in text
    ) + '"'


def _priority(item: _Item) -> int:
    return {"plus": 5, "minus": 5}.get(item.kind, _PRIORITY.get(item.kind, 6))


def _print(item: _Item, in_key: bool, brackets: bool) -> str:
    """printJsonPathItem."""
    kind, dot = item.kind, "." if in_key else ""
    if kind in _PRIORITY:
        assert item.left is not None
        assert item.right is not None
        out = (
            _print(item.left, False, _priority(item.left) <= _priority(item))
            + f" {kind} "
            + _print(item.right, False, _priority(item.right) <= _priority(item))
        )
        out = f"({out})" if brackets else out
    elif kind in ("plus", "minus", "like_regex"):
        assert item.left is not None
        operand = _print(item.left, False, _priority(item.left) <= _priority(item))
        if kind == "like_regex":
            pattern, flags = item.value
            out = f"{operand} like_regex {_escape(pattern)}" + (f' flag "{flags}"' if flags else "")
        else:
            out = ("+" if kind == "plus" else "-") + operand
        out = f"({out})" if brackets else out
    elif kind in ("not", "unknown", "exists", "filter", "datetime"):
        inner = "" if item.left is None else _print(item.left, False, False)
        opening, closing = {"not": ("!(", ")"), "unknown": ("(", ") is unknown"),
                            "exists": ("exists (", ")"), "filter": ("?(", ")"),
                            "datetime": (".datetime(", ")")}[kind]  # fmt: skip
        out = opening + inner + closing
    elif kind == "numeric":
        out = f"({item.value})" if item.next is not None else item.value
    elif kind == "index":
        bounds = (
            (_print(start, False, False), "" if end is None else " to " + _print(end, False, False))
            for start, end in item.value
        )
        out = "[" + ",".join(start + end for start, end in bounds) + "]"
    elif kind == "any":
        out = dot + _any_levels(*item.value)
    elif kind in ("string", "key", "variable"):
        out = {"string": "", "key": dot, "variable": "$"}[kind] + _escape(item.value)
    elif kind in ("bool", "method"):
        out = f".{item.value}()" if kind == "method" else "true" if item.value else "false"
    else:
        out = {"null": "null", "root": "$", "current": "@", "last": "last", "anyarray": "[*]",
               "anykey": dot + "*"}[kind]  # fmt: skip
    if item.next is not None:
        out += _print(item.next, True, True)
    return out


def _any_levels(first: int, last: int) -> str:
    if first == 0 and last == _UINT32_MAX:
        return "**"
    bound = {_UINT32_MAX: "last"}
    if first == last:
        return "**{" + bound.get(first, str(first)) + "}"
    return "**{" + bound.get(first, str(first)) + " to " + bound.get(last, str(last)) + "}"
