"""GitHub Actions workflow commands: the ``::warning file=...,line=...::message`` lines a job
prints to annotate files, with the escaping GitHub requires.

One home for the format, shared by ``pgdrift lint --format github`` and
``pgdrift diff --format github``.

Example:
    >>> annotation("warning", "two\\nlines, 100%", file="db/a,b.sql", line=3, title="x: y")
    '::warning file=db/a%2Cb.sql,line=3,title=x%3A y::two%0Alines, 100%25'
"""

from __future__ import annotations

__all__ = ["LEVELS", "annotation", "escape_data", "escape_property"]

#: The annotation commands GitHub knows, mildest first.
LEVELS = ("notice", "warning", "error")


def escape_data(text: str) -> str:
    """A message escaped for a workflow command: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file``, ``title``) escaped: the message's escapes, ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: str,
    message: str,
    *,
    file: str | None = None,
    line: int | None = None,
    title: str | None = None,
) -> str:
    """One annotation command (without its newline); ``line`` counts only with a ``file``."""
    if level not in LEVELS:
        raise ValueError(f"unknown annotation level {level!r}; known: {', '.join(LEVELS)}")
    props = []
    if file is not None:
        props.append(f"file={escape_property(file)}")
        if line:
            props.append(f"line={line}")
    if title is not None:
        props.append(f"title={escape_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{escape_data(message)}"
