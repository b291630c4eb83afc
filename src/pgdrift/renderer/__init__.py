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

from typing import Any

from pgdrift.differ.changes import ChangeSet
from pgdrift.renderer.registry import RENDERERS, Renderer, renders


def render(changes: ChangeSet, format: str = "text", **options: Any) -> str:
    """The change set in ``format`` (one of :data:`FORMATS`); ``options`` go to the renderer
    (``color``/``quiet`` for text, ``indent`` for json)."""
    renderer = RENDERERS.get(format)
    if renderer is None:
        raise ValueError(f"unknown format {format!r}; known: {', '.join(sorted(RENDERERS))}")
    return renderer(changes, **options)


# Import the format modules for their registrations.
from pgdrift.renderer import github, json, junit, markdown, sql, text  # noqa: E402

#: The registered format names, sorted.
FORMATS = tuple(sorted(RENDERERS))

#: The change set as GitHub workflow annotations and a step summary; ``render(changes, "github")``.
render_github = github.render_github
#: The change set as a JSON document (``docs/json-format.md``); ``render(changes, "json")``.
render_json = json.render_json
#: The change set as JUnit XML, a test case per object compared; ``render(changes, "junit")``.
render_junit = junit.render_junit
#: The change set as a Markdown drift report; ``render(changes, "markdown")``.
render_markdown = markdown.render_markdown
#: A :class:`~pgdrift.planner.Plan` as the migration script (SQL text).
render_plan_sql = sql.render_plan_sql
#: The migration script that turns side a into side b; ``render(changes, "sql")``.
render_sql = sql.render_sql
#: The change set as the terminal report; ``render(changes, "text")``.
render_text = text.render_text

__all__ = [
    "FORMATS", "RENDERERS", "Renderer", "render", "render_github", "render_json", "render_junit",
    "render_markdown",
    "render_plan_sql", "render_sql", "render_text", "renders",
]  # fmt: skip
