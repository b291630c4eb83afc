"""ltree and lquery literals as the ltree extension's input functions read them and its output
functions print them back (contrib/ltree/ltree_io.c, PostgreSQL 15), for the plain forms only.

A label of letters, digits and underscores, the labels joined by dots, is printed as written
(``'top.science'``); an lquery made of such labels and bare ``*`` levels too. Anything else
(quantifiers, ``!``, ``|``, ``@``/``*``/``%`` flags, non-ASCII labels) is not read here: None.
"""

from __future__ import annotations

import re

__all__ = ["lquery_out", "ltree_out"]

_LABEL = r"[A-Za-z0-9_]{1,255}"
_LTREE = re.compile(rf"(?:{_LABEL}(?:\.{_LABEL})*)?")
_LQUERY = re.compile(rf"(?:{_LABEL}|\*)(?:\.(?:{_LABEL}|\*))*")


def ltree_out(text: str) -> str | None:
    """The text ltree_out prints for ``text`` read by ltree_in, or None where pgdrift does not
    say (not a plain path).

    >>> ltree_out("top.science"), ltree_out(""), ltree_out("a b")
    ('top.science', '', None)
    """
    return text if _LTREE.fullmatch(text) else None


def lquery_out(text: str) -> str | None:
    """The text lquery_out prints for a plain lquery (labels and ``*`` levels), else None.

    >>> lquery_out("*.astronomy.*"), lquery_out("a.b{1,2}")
    ('*.astronomy.*', None)
    """
    return text if _LQUERY.fullmatch(text) else None
