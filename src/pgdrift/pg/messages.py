"""PostgreSQL's wording for an object that already exists or does not exist, so that pgdrift's
errors read like the server's (``relation "public.t" does not exist``); the messages are those
of PostgreSQL 15's catalog code (heap.c, pg_type.c, pg_proc.c, tablecmds.c, trigger.c...).

>>> from pgdrift.ids import ObjectId
>>> does_not_exist(ObjectId("table", "public", "t"))
'relation "public.t" does not exist'
>>> already_exists(ObjectId("constraint", "public", "t_pkey", parent="t"))
'constraint "t_pkey" for relation "t" already exists'
"""

from __future__ import annotations

from pgdrift import ids
from pgdrift.ids import ObjectId

__all__ = ["already_exists", "does_not_exist", "duplicate_condition"]

_RELATIONS = frozenset({ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW,
                        ids.SEQUENCE, ids.INDEX})  # fmt: skip
# Objects named per table: the word PostgreSQL uses for the table in each message.
_PER_TABLE = {
    ids.CONSTRAINT: ("for relation", "of relation"), ids.TRIGGER: ("for relation", "for table"),
    ids.POLICY: ("for table", "for table"), ids.RULE: ("for relation", "for relation"),
    ids.COLUMN: ("of relation", "of relation"),
}  # fmt: skip


def _words(oid: ObjectId) -> str:
    if oid.kind in _RELATIONS:
        return "relation"
    if oid.kind in ids.TYPE_KINDS:
        return "type"
    return oid.kind.replace("_", " ")


def _qualified(oid: ObjectId) -> str:
    return f"{oid.schema}.{oid.name}" if oid.schema else oid.name


def _routine(oid: ObjectId) -> str:
    return f"{_qualified(oid)}({', '.join(oid.args or ())})"


def already_exists(oid: ObjectId) -> str:
    """``relation "t" already exists`` and its kin for ``oid``'s kind."""
    if oid.kind in _PER_TABLE:
        return f'{oid.kind} "{oid.name}" {_PER_TABLE[oid.kind][0]} "{oid.parent}" already exists'
    if oid.kind in ids.ROUTINE_KINDS:
        return f"function {_routine(oid)} already exists with same argument types"
    return f'{_words(oid)} "{oid.name}" already exists'


def does_not_exist(oid: ObjectId) -> str:
    """``relation "public.t" does not exist`` and its kin for ``oid``'s kind."""
    if oid.kind in _PER_TABLE:
        return f'{oid.kind} "{oid.name}" {_PER_TABLE[oid.kind][1]} "{oid.parent}" does not exist'
    if oid.kind in ids.ROUTINE_KINDS:
        return f"{oid.kind} {_routine(oid)} does not exist"
    return f'{_words(oid)} "{_qualified(oid)}" does not exist'


def duplicate_condition(oid: ObjectId) -> str:
    """The condition PostgreSQL raises when ``oid`` already exists (errcodes.txt: 42P07 for a
    relation, 42P06 a schema, 42723 a routine, 42701 a column, 42710 any other object).

    >>> duplicate_condition(ObjectId("index", "public", "i"))
    'duplicate_table'
    >>> duplicate_condition(ObjectId("enum", "public", "e"))
    'duplicate_object'
    """
    if oid.kind in _RELATIONS:
        return "duplicate_table"
    if oid.kind == ids.SCHEMA:
        return "duplicate_schema"
    if oid.kind in (ids.FUNCTION, ids.PROCEDURE, ids.AGGREGATE):
        return "duplicate_function"
    if oid.kind == ids.COLUMN:
        return "duplicate_column"
    return "duplicate_object"
