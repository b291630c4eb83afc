"""The text search configurations initdb makes in pg_catalog, and their token mappings
(PostgreSQL 15's ``snowball_create.sql``), so that ``CREATE TEXT SEARCH CONFIGURATION ...
(COPY = english)`` copies what the server would.

``simple`` maps every token type of the default parser to the ``simple`` dictionary; each
snowball language maps words to its ``<language>_stem`` dictionary and the other token types
to ``simple``. Languages written in another script (``ASCII_LANGUAGE`` below) map words made of
ASCII letters to ``english_stem``.
"""

from __future__ import annotations

#: The snowball languages with a configuration of their name in pg_catalog.
SNOWBALL_LANGUAGES = frozenset({
    "arabic", "armenian", "basque", "catalan", "danish", "dutch", "english", "finnish",
    "french", "german", "greek", "hindi", "hungarian", "indonesian", "irish", "italian",
    "lithuanian", "nepali", "norwegian", "portuguese", "romanian", "russian", "serbian",
    "spanish", "swedish", "tamil", "turkish", "yiddish",
})  # fmt: skip
#: Languages whose ASCII words are stemmed as English (snowball_create.sql's ascii_dictionary).
ASCII_LANGUAGE = {"hindi": "english", "russian": "english"}
_WORDS = ("asciihword", "asciiword", "hword", "hword_asciipart", "hword_part", "word")
_ASCII_WORDS = frozenset({"asciihword", "asciiword", "hword_asciipart"})
_OTHERS = ("email", "file", "float", "host", "hword_numpart", "int", "numhword", "numword",
           "sfloat", "uint", "url", "url_path", "version")  # fmt: skip


def builtin_mappings(name: str) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """The mappings of built-in configuration ``pg_catalog.<name>``, sorted by token type,
    or None when there is no such configuration.

    >>> dict(builtin_mappings("russian"))["asciiword"], dict(builtin_mappings("russian"))["word"]
    (('english_stem',), ('russian_stem',))
    """
    if name == "simple":
        return tuple(sorted((token, ("simple",)) for token in (*_WORDS, *_OTHERS)))
    if name not in SNOWBALL_LANGUAGES:
        return None
    ascii_language = ASCII_LANGUAGE.get(name, name)
    words = [(t, (f"{ascii_language if t in _ASCII_WORDS else name}_stem",)) for t in _WORDS]
    return tuple(sorted([*words, *((t, ("simple",)) for t in _OTHERS)]))
