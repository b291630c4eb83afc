"""The table of report formats: each format module registers its renderer here by name.

A module of its own, below the format modules and :mod:`pgdrift.renderer`, so that the package
can import the format modules (to fill the table) without them importing the package back.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["RENDERERS", "Renderer", "renders"]

Renderer = Callable[..., str]

#: Format name -> renderer. Filled by the ``renders`` decorator in the format modules.
RENDERERS: dict[str, Renderer] = {}


def renders(name: str) -> Callable[[Renderer], Renderer]:
    """Register a renderer for a format name; registering a name twice is an error."""

    def register(func: Renderer) -> Renderer:
        if name in RENDERERS:
            taken = RENDERERS[name].__qualname__
            raise RuntimeError(f"format {name!r} already rendered by {taken}")
        RENDERERS[name] = func
        return func

    return register
