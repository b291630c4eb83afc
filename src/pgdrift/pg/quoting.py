r"""Quoting identifiers and literals for the SQL pgdrift writes.

Every name and value that reaches a generated statement goes through one of these functions, so
a name with a quote, a keyword or a capital letter, and a value with a backslash or ``$$``, come
out exactly as PostgreSQL reads them back.

>>> quote_ident("users"), quote_ident("User"), quote_ident("select"), quote_ident("name")
('users', '"User"', '"select"', 'name')
>>> print(quote_literal("it's"), quote_literal(r"C:\tmp"))
'it''s' E'C:\\tmp'
>>> dollar_quote("SELECT 1")
'$$SELECT 1$$'
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from types import ModuleType

from pgdrift._pglast_files import pglast_file

__all__ = [
    "ROLE_KEYWORDS",
    "dollar_quote",
    "join_qualified_name",
    "quote_ident",
    "quote_literal",
    "quote_qualified",
    "quote_role",
    "quote_routine_name",
    "split_qualified_name",
]


def _pglast_keywords() -> ModuleType:
    """pglast's lists of PostgreSQL's keywords (``pglast.keywords``, plain data), read from
    its file alone where it can be, without importing pglast (:mod:`pgdrift._pglast_files`)."""
    if "pglast.keywords" in sys.modules:
        return sys.modules["pglast.keywords"]
    path = pglast_file("keywords.py")
    spec = importlib.util.spec_from_file_location("pgdrift.pg._pglast_keywords", path) if (
        path is not None
    ) else None  # fmt: skip
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    import pglast.keywords  # noqa: PLC0415 - a pglast not installed as files

    return pglast.keywords


_SIMPLE = re.compile(r"[a-z_][a-z0-9_]*\Z")
_WORDS = _pglast_keywords()
_UNRESERVED = frozenset(_WORDS.UNRESERVED_KEYWORDS)
_KEYWORDS = (
    frozenset(_WORDS.RESERVED_KEYWORDS)
    | frozenset(_WORDS.COL_NAME_KEYWORDS)
    | frozenset(_WORDS.TYPE_FUNC_NAME_KEYWORDS)
)

#: Role specifications the grammar reads as keywords (``GRANT ... TO PUBLIC``); the model keeps
#: them upper-case, as opposed to a role that is really named so.
ROLE_KEYWORDS = frozenset({"PUBLIC", "CURRENT_USER", "CURRENT_ROLE", "SESSION_USER"})


@functools.lru_cache(maxsize=1 << 16)
def quote_ident(name: str) -> str:
    """An identifier as PostgreSQL's ``quote_identifier()`` writes it: bare when it is lower
    case, starts with a letter or underscore and is not a keyword (unreserved keywords excepted),
    double-quoted otherwise with inner double quotes doubled.

    >>> print(quote_ident('a"b'))
    "a""b"
    >>> quote_ident("abort"), quote_ident("user"), quote_ident("1st")
    ('abort', '"user"', '"1st"')
    """
    # ruleutils.c quote_identifier(): any keyword but an unreserved one must be quoted, and
    # so must anything but lower-case ASCII letters, digits and underscores.
    if _SIMPLE.match(name) and (name in _UNRESERVED or name not in _KEYWORDS):
        return name
    return '"' + name.replace('"', '""') + '"'


def quote_qualified(schema: str | None, name: str) -> str:
    """``schema.name`` with each part quoted; just the name when ``schema`` is None.

    >>> quote_qualified("public", "Users")
    'public."Users"'
    """
    if schema is None:
        return quote_ident(name)
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def quote_role(name: str) -> str:
    """A role name, or one of the role keywords (``PUBLIC``, ``CURRENT_USER``...) as is.

    >>> quote_role("PUBLIC"), quote_role("app_user"), quote_role("Admin")
    ('PUBLIC', 'app_user', '"Admin"')
    """
    if name in ROLE_KEYWORDS:
        return name
    return quote_ident(name)


def quote_routine_name(text: str) -> str:
    """A routine the model names as ``schema.name`` text (trigger functions, aggregate support
    functions), quoted part by part; a bare name is a built-in and stays bare. The model writes
    these names already quoted where a part needs it (``public."a.b"``): quoting is idempotent.

    >>> quote_routine_name("public.Notify"), quote_routine_name("lower")
    ('public."Notify"', 'lower')
    >>> quote_routine_name('public."a.b"'), quote_routine_name('"My Schema"."f"')
    ('public."a.b"', '"My Schema".f')
    """
    parts = split_qualified_name(text) or [text]
    return ".".join(quote_ident(part) for part in parts)


def join_qualified_name(parts: list[str]) -> str:
    """``schema.name`` text with each part quoted as needed, so that names containing dots or
    quotes stay unambiguous (read back with :func:`split_qualified_name`)."""
    return ".".join(quote_ident(part) for part in parts)


def split_qualified_name(text: str, *, fold_case: bool = False) -> list[str] | None:
    """The parts of a dotted name in which a part may be double-quoted (``"a.b".c``), or None
    when the text is not such a name. With ``fold_case``, unquoted parts are lower-cased, as
    PostgreSQL reads an identifier.

    >>> split_qualified_name('public."a.b"'), split_qualified_name('x.Y', fold_case=True)
    (['public', 'a.b'], ['x', 'y'])
    >>> split_qualified_name('a..b') is None
    True
    """
    parts: list[str] = []
    i, length = 0, len(text)
    while True:
        if i < length and text[i] == '"':
            chunk: list[str] = []
            j = i + 1
            while True:
                close = text.find('"', j)
                if close < 0:
                    return None
                chunk.append(text[j:close])
                if text[close + 1 : close + 2] != '"':
                    break
                chunk.append('"')
                j = close + 2
            parts.append("".join(chunk))
            i = close + 1
        else:
            dot = text.find(".", i)
            word = text[i:] if dot < 0 else text[i:dot]
            if not word or '"' in word:
                return None
            parts.append(word.lower() if fold_case else word)
            i = length if dot < 0 else dot
        if i == length:
            return parts
        if text[i] != ".":
            return None
        i += 1


def quote_literal(value: str) -> str:
    r"""A string constant as PostgreSQL's ``quote_literal()`` writes it: single quotes doubled,
    and when there is a backslash, the ``E''`` form with backslashes doubled, which reads the
    same whatever ``standard_conforming_strings`` is.

    >>> print(quote_literal(r"a\b"))
    E'a\\b'
    """
    text = value.replace("'", "''")
    if "\\" in value:
        return "E'" + text.replace("\\", "\\\\") + "'"
    return "'" + text + "'"


def dollar_quote(body: str) -> str:
    """``body`` between dollar quotes whose tag cannot end it early: ``$$`` unless the body
    holds it, then ``$_$``, ``$__$``...

    >>> dollar_quote("SELECT '$$'")
    "$_$SELECT '$$'$_$"
    """
    # The scanner ends a dollar-quoted string at the first occurrence of its opening tag
    # ("Dollar-Quoted String Constants"), so the tag must first appear right after the body,
    # including when the body's last characters start the tag ("...$" + "$$").
    underscores = 0
    while True:
        tag = "$" + "_" * underscores + "$"
        if (body + tag).find(tag) == len(body):
            return tag + body + tag
        underscores += 1
