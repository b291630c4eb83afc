"""A Griffe extension that lets mkdocstrings render pgdrift's docstrings as they are written.

The docstrings are Google style with habits Griffe's Google parser does not share:

* ``Example:`` (singular) heads the runnable examples. Griffe reads only ``Examples:`` as an
  examples section and turns ``Example:`` into an admonition whose ``>>>`` lines become prose,
  so the heading is read as ``Examples:``. A doctest outside any section (in a module's
  docstring) becomes a ``pycon`` code block.
* Cross-references are Sphinx roles (``:class:`~pgdrift.ids.ObjectId```, ``:func:`diff```).
  Each becomes an autorefs link to the full path, resolved in the scope of the object holding
  the docstring, so ``mkdocs build --strict`` fails on a reference to something the site does
  not document, as it does on a broken page link. References into the modules named by the
  ``internal`` option (stages the site does not document, private modules) link when the site
  has the target and are plain code otherwise. A name that does not resolve at all is reported
  as a warning, which fails the strict build too.
* Constants and attrs fields are documented by ``#:`` comment lines above them (the comments
  tools/model_reference.py also reads): those become the attribute's docstring.

mkdocs.yml loads it from mkdocstrings' ``extensions`` option.
"""

from __future__ import annotations

import builtins
import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|mod|meth|attr|data|exc|obj):`(?P<tilde>~?)(?P<target>[^`]+)`")
_EXAMPLE = re.compile(r"^(?P<indent>[ \t]*)Example:[ \t]*$", re.MULTILINE)
_LOGGER = griffe.get_logger("pgdrift.docs")


def _full_path(obj: griffe.Object | griffe.Alias, target: str) -> str | None:
    """``target`` as a full dotted path, resolved the way Python would from ``obj``'s scope."""
    head, _, rest = target.partition(".")
    if head == "pgdrift":
        return target
    scope = obj if isinstance(obj, griffe.Module | griffe.Class) else obj.parent
    while scope is not None:
        if head in scope.members:
            member = scope.members[head]
            # An imported name: its definition's path (the site registers it for the re-export).
            base = member.target_path if isinstance(member, griffe.Alias) else member.path
            return f"{base}.{rest}" if rest else base
        scope = scope.parent
    return None


def _fence_doctests(text: str) -> str:
    """Doctest blocks at the docstring's top level (not in a section) as ``pycon`` code."""
    out: list[str] = []
    in_block = False
    for line in text.splitlines():
        starts = line.startswith(">>>")
        if starts and not in_block:
            out.append("```pycon")
            in_block = True
        elif in_block and not line.strip():
            out.append("```")
            in_block = False
        out.append(line)
    if in_block:
        out.append("```")
    return "\n".join(out)


class SphinxRoles(griffe.Extension):
    """Rewrite each docstring once the object tree is complete (names then resolve)."""

    def __init__(self, internal: list[str] | None = None) -> None:
        self.internal = tuple(internal or ())
        self.done: set[str] = set()

    def _is_internal(self, path: str) -> bool:
        parts = path.split(".")
        return any(p.startswith("_") and not p.startswith("__") for p in parts) or any(
            path == prefix or path.startswith(prefix + ".") for prefix in self.internal
        )

    def convert(self, obj: griffe.Object | griffe.Alias, text: str) -> str:
        """``text`` with its sections, doctests and roles in the form Griffe renders."""

        def link(match: re.Match[str]) -> str:
            target = match["target"].rstrip("()")
            path = _full_path(obj, target)
            shown = target.rsplit(".", 1)[-1] if match["tilde"] else target
            if path is None and target in dir(builtins):
                return f"`{shown}`"
            if path is None:
                _LOGGER.warning("%s: cannot resolve the reference %s", obj.path, match[0])
                return f"`{shown}`"
            if self._is_internal(path):
                return f'<autoref identifier="{path}" optional><code>{shown}</code></autoref>'
            return f"[`{shown}`][{path}]"

        text = _EXAMPLE.sub(r"\g<indent>Examples:", text)
        return _ROLE.sub(link, _fence_doctests(text))

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        # Griffe's on_object runs for every object below the package, not for the package.
        self.on_object(obj=pkg)

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.path in self.done:
            return
        self.done.add(obj.path)
        if obj.docstring is None and isinstance(obj, griffe.Attribute):
            comment = _comment_above(obj)
            if comment:
                obj.docstring = griffe.Docstring(comment, parent=obj, lineno=obj.lineno)
        if obj.docstring is not None:
            obj.docstring.value = self.convert(obj, obj.docstring.value)


def _comment_above(obj: griffe.Attribute) -> str:
    """The ``#:`` lines right above an attribute's first line, without their markers."""
    if obj.lineno is None:
        return ""
    lines = obj.module.lines
    number = obj.lineno - 2
    found: list[str] = []
    while number >= 0 and lines[number].strip().startswith("#:"):
        found.insert(0, lines[number].strip()[2:].strip())
        number -= 1
    return " ".join(found)
