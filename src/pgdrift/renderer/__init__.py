"""Render a :class:`~pgdrift.differ.ChangeSet` as text, markdown, JSON, an SQL script, a GitHub
Actions report or JUnit XML.

Each format is one function registered under its name with :func:`renders`; :func:`render`
dispatches on the name. Renderers only read the change set (and the two schemas it carries for
context) or, for SQL, the migration plan made from it (:func:`render_plan_sql`): they never
parse SQL or read files.

Example:
    >>> import pgdrift
    >>> from pgdrift.differ import diff
    >>> a = pgdrift.loads("CREATE TABLE public.t (a integer);")
    >>> b = pgdrift.loads("CREATE TABLE public.t (a integer, b text);")
    >>> print(render(diff(a, b), "text", quiet=True), end="")
    1 difference between a and b: 1 created
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pgdrift.differ.changes import ChangeSet
from pgdrift.renderer.registry import RENDERERS, Renderer, renders

if TYPE_CHECKING:
    from pgdrift.renderer.github import render_github
    from pgdrift.renderer.json import render_json
    from pgdrift.renderer.junit import render_junit
    from pgdrift.renderer.markdown import render_markdown
    from pgdrift.renderer.sql import render_plan_sql, render_sql
    from pgdrift.renderer.text import render_text

# Each format, and the module of this package that registers its renderer: a module is imported
# when its format is first rendered, so a run that prints text never imports the Markdown,
# GitHub, JUnit or JSON renderers (each pulls in modules of its own).
_FORMAT_MODULES = {
    "github": "github",
    "json": "json",
    "junit": "junit",
    "markdown": "markdown",
    "sql": "sql",
    "text": "text",
}

#: The format names, sorted.
FORMATS = tuple(sorted(_FORMAT_MODULES))

# The public functions of the format modules, read from their module on first use:
# render_github (GitHub annotations and step summary), render_json (docs/json-format.md),
# render_junit (JUnit XML, a test case per object compared), render_markdown (the drift
# report), render_plan_sql (a Plan as the migration script), render_sql (the migration script
# from side a to side b), render_text (the terminal report).
_FUNCTION_MODULES = {
    "render_github": "github",
    "render_json": "json",
    "render_junit": "junit",
    "render_markdown": "markdown",
    "render_plan_sql": "sql",
    "render_sql": "sql",
    "render_text": "text",
}


def render(changes: ChangeSet, format: str = "text", **options: Any) -> str:
    """The change set in ``format`` (one of :data:`FORMATS`); ``options`` go to the renderer
    (``color``/``quiet`` for text, ``indent`` for json)."""
    renderer = RENDERERS.get(format)
    if renderer is None and format in _FORMAT_MODULES:
        importlib.import_module(f"pgdrift.renderer.{_FORMAT_MODULES[format]}")
        renderer = RENDERERS.get(format)
    if renderer is None:
        known = ", ".join(sorted(set(RENDERERS) | set(FORMATS)))
        raise ValueError(f"unknown format {format!r}; known: {known}")
    return renderer(changes, **options)


def __getattr__(name: str) -> Any:
    module = _FUNCTION_MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"pgdrift.renderer.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FORMATS", "RENDERERS", "Renderer", "render", "render_github", "render_json", "render_junit",
    "render_markdown",
    "render_plan_sql", "render_sql", "render_text", "renders",
]  # fmt: skip
