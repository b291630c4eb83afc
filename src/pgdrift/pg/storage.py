"""The storage strategy a column has when none is set: its type's ``typstorage``.

``ALTER TABLE ... ALTER COLUMN ... SET STORAGE`` sets ``attstorage``; a column starts with its
type's ``typstorage`` (docs: ALTER TABLE, "SET STORAGE"; CREATE TYPE, "storage"), and pg_dump
writes ``SET STORAGE`` only where the two differ. So setting a column back to its type's
strategy leaves nothing a dump would show. The strategies of PostgreSQL 15's built-in types
are listed here (read from ``pg_type``); every array is ``extended``. A user type's strategy
is its own declaration, which pgdrift does not follow: :func:`type_storage` answers None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pgdrift.types import TypeRef

__all__ = ["type_storage"]

#: Built-in types whose storage is ``main`` (compressed in line, moved out last).
_MAIN = frozenset({"numeric", "inet", "cidr"})
#: Built-in types whose storage is ``extended``; every other built-in type is ``plain``.
_EXTENDED = frozenset(
    {
        "bit", "character", "bytea", "json", "jsonb", "jsonpath", "path", "polygon",
        "pg_dependencies", "pg_mcv_list", "pg_ndistinct", "pg_node_tree", "pg_snapshot",
        "refcursor", "text", "tsvector", "txid_snapshot", "bit varying", "character varying",
        "xml", "pg_brin_bloom_summary", "pg_brin_minmax_multi_summary",
    }
)  # fmt: skip


def type_storage(type_ref: TypeRef) -> str | None:
    """The storage strategy (``plain``, ``main``, ``extended``) a column of ``type_ref``
    starts with, or None for a user type (its CREATE TYPE decides).

    >>> from pgdrift.types import parse_type
    >>> [type_storage(parse_type(t)) for t in ("text", "integer", "numeric(10,2)", "int[]")]
    ['extended', 'plain', 'main', 'extended']
    """
    if type_ref.array_dims:
        return "extended"
    if not type_ref.is_builtin:
        return None
    if type_ref.name in _MAIN:
        return "main"
    return "extended" if type_ref.name in _EXTENDED else "plain"
