"""Facts about extensions that a schema dump does not carry.

An extension's control file says whether ``ALTER EXTENSION ... SET SCHEMA`` can move it
(``relocatable``; docs: Packaging Related Objects into an Extension, "relocatable"). A dump
names only the extension, so the answer is kept here for the extensions PostgreSQL ships
whose control file says ``relocatable = false`` (read from PostgreSQL 15's
``share/extension/*.control``). Another extension is taken as relocatable: if it is not,
PostgreSQL says so ("extension ... does not support SET SCHEMA") and the script stops there.
"""

from __future__ import annotations

#: Extensions shipped with PostgreSQL that ALTER EXTENSION ... SET SCHEMA cannot move.
NOT_RELOCATABLE = frozenset({"adminpack", "plpgsql", "xml2"})


def can_set_schema(extension: str) -> bool:
    """Whether ``ALTER EXTENSION <extension> SET SCHEMA`` works, as far as pgdrift knows.

    >>> can_set_schema("hstore"), can_set_schema("xml2")
    (True, False)
    """
    return extension not in NOT_RELOCATABLE
