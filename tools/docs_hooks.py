"""MkDocs hooks (mkdocs.yml ``hooks:``): fail the strict build on an API page that shows a
docstring the way Griffe would without tools/docs_griffe.py.

A Sphinx role left as text (``:class:`` before a code span) or an ``Example:`` rendered as an
admonition means a docstring was not converted; the build's warnings would not say so, since
such a page is valid Markdown. The warning makes ``mkdocs build --strict`` fail.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_LOG = logging.getLogger("mkdocs.hooks.pgdrift")
_LEFTOVERS = (
    (re.compile(r":(?:class|func|mod|meth|attr|data|exc|obj):<code>"), "a Sphinx role as text"),
    (re.compile(r'class="admonition example"'), "an 'Example:' section as an admonition"),
)


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    if page.file.src_uri.startswith("reference/"):
        for pattern, what in _LEFTOVERS:
            if pattern.search(html):
                _LOG.warning("%s shows %s: tools/docs_griffe.py did not convert a docstring",
                             page.file.src_uri, what)  # fmt: skip
    return html
