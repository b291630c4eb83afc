"""Markdown text for the report: code spans, fences and table cells that survive whatever the
text holds, counts with their noun, and attribute values inline.

>>> code("a`b"), cell("x | y"), plural(2, "index", "indexes")
('`` a`b ``', 'x \\\\| y', '2 indexes')
"""

from __future__ import annotations

import re
from typing import Any

from pgdrift import ids
from pgdrift.expr import Expr
from pgdrift.renderer.describe import value_text

__all__ = ["KIND_PLURALS", "cell", "code", "fence", "inline_value", "is_long", "plural", "see"]

#: Kind names in the plural, where adding an "s" is wrong.
KIND_PLURALS = {
    ids.INDEX: "indexes", ids.POLICY: "policies", ids.STATISTICS: "statistics",
    ids.DEFAULT_PRIVILEGES: "default privileges", ids.SCHEMA: "schemas",
    ids.MATERIALIZED_VIEW: "materialized views", ids.UNSUPPORTED: "unsupported statements",
}  # fmt: skip


def code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    if "`" not in text:
        return f"`{text}`"
    longest = max(len(run) for run in re.findall("`+", text))
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}"


def fence(text: str, language: str = "") -> list[str]:
    """A fenced code block longer than any backtick run inside ``text``."""
    runs = re.findall("`{3,}", text)
    ticks = "`" * max([3, *(len(r) + 1 for r in runs)])
    return [f"{ticks}{language}", *text.splitlines(), ticks]


def cell(text: str) -> str:
    """Text for a table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def plural(n: int, word: str, plural: str | None = None) -> str:
    """``n`` and the noun, in the plural unless ``n`` is 1."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def inline_value(value: Any) -> str:
    """An attribute value inline: code for definitions, words for flags."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return code(value_text(value))


def is_long(value: Any) -> bool:
    """Whether a value reads better as a block than inline (long, or several lines)."""
    text = value.sql if isinstance(value, Expr) else value if isinstance(value, str) else ""
    return len(text) > 80 or "\n" in text


def see(title: str) -> str:
    """A cross reference to another section of the report, by its title."""
    return f"“{title}”"
