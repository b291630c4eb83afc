"""``GRANT``/``REVOKE ... ON ALL {TABLES | SEQUENCES | FUNCTIONS | PROCEDURES | ROUTINES} IN
SCHEMA s``: pg_dump never writes it, migrations often do. PostgreSQL expands it, when the
statement runs, into one grant per object of that class then in the schema (objects created
later are what ``ALTER DEFAULT PRIVILEGES`` is for), so the builder does the same and the
per-object grant does the rest.

The classes are PostgreSQL's (``objectsInSchemaToOids``): ``TABLES`` are tables (partitioned
ones and partitions included), views, materialized views and foreign tables, never sequences;
``FUNCTIONS`` are functions and aggregates; ``PROCEDURES`` procedures; ``ROUTINES`` all three.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, strings
from pgdrift.ids import ObjectId

__all__ = ["objects_in_schemas"]

_CLASSES = {
    "OBJECT_TABLE": frozenset({ids.TABLE, ids.VIEW, ids.MATERIALIZED_VIEW, ids.FOREIGN_TABLE}),
    "OBJECT_SEQUENCE": frozenset({ids.SEQUENCE}),
    "OBJECT_FUNCTION": frozenset({ids.FUNCTION, ids.AGGREGATE}),
    "OBJECT_PROCEDURE": frozenset({ids.PROCEDURE}),
    "OBJECT_ROUTINE": frozenset({ids.FUNCTION, ids.AGGREGATE, ids.PROCEDURE}),
}


def objects_in_schemas(ctx: BuildContext, objtype: str, schemas: list[Node]) -> list[ObjectId]:
    """The objects an ``ON ALL ... IN SCHEMA`` statement names, in the catalogue's order.

    A schema that does not exist is PostgreSQL's error (``public`` is always there).
    """
    names = strings(schemas)
    for name in names:
        if name != "public":
            ctx.require(ObjectId(ids.SCHEMA, None, name), "GRANT ... ON ALL ... IN SCHEMA")
    kinds = _CLASSES[objtype]
    wanted = set(names)
    return [
        oid
        for oid, obj in ctx.objects.items()
        if oid.kind in kinds and oid.schema in wanted and not isinstance(obj, model.ExternalObject)
    ]
