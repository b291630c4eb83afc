"""RENAME TO and SET SCHEMA of objects that other objects do not name in expressions:
extended statistics, text search configurations and dictionaries, event triggers and
publications (docs: ALTER STATISTICS, ALTER TEXT SEARCH CONFIGURATION / DICTIONARY, ALTER
EVENT TRIGGER, ALTER PUBLICATION). PostgreSQL refers to them by OID; the one reference the
model keeps by name, a text search configuration's mapping to a dictionary, follows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.references import RENAMERS, relabelled_by, replace_references
from pgdrift.builder.search_path import REG_KINDS
from pgdrift.errors import DuplicateObjectError, UndefinedObjectError
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.pg.messages import already_exists, does_not_exist

__all__ = ["MOVABLE", "mappings_follow", "move_object", "object_named"]

#: RenameStmt's renameType (AlterObjectSchemaStmt's objectType) -> (kind, in a schema).
_KINDS = {
    "OBJECT_STATISTIC_EXT": (ids.STATISTICS, True),
    "OBJECT_TSCONFIGURATION": (ids.TEXT_SEARCH_CONFIGURATION, True),
    "OBJECT_TSDICTIONARY": (ids.TEXT_SEARCH_DICTIONARY, True),
    "OBJECT_EVENT_TRIGGER": (ids.EVENT_TRIGGER, False),
    "OBJECT_PUBLICATION": (ids.PUBLICATION, False),
}
#: The kinds of these a reg* type names by OID (regconfig, regdictionary): kind -> the type.
_REG_TYPES = {kinds[0]: reg for reg, kinds in REG_KINDS.items() if len(kinds) == 1}
#: The object types of these that SET SCHEMA moves (the others are not in a schema).
MOVABLE = frozenset(objtype for objtype, (_, in_schema) in _KINDS.items() if in_schema)


def _span(ctx: BuildContext) -> Any:
    return ctx.statement.span if ctx.statement else None


def object_named(ctx: BuildContext, node: Node, objtype: str) -> ObjectId:
    """The id of the object a RenameStmt or AlterObjectSchemaStmt of ``objtype`` names."""
    kind, in_schema = _KINDS[objtype]
    named = node["object"]
    if in_schema:
        schema, name = ctx.qualified(named["List"]["items"])
        return ObjectId(kind, schema, name)
    return ObjectId(kind, None, named["String"]["sval"])


def rename_object(ctx: BuildContext, node: Node) -> None:
    oid = object_named(ctx, node, node["renameType"])
    if oid not in ctx.objects:
        if node.get("missing_ok"):
            return
        raise UndefinedObjectError(does_not_exist(oid), span=_span(ctx))
    move_object(ctx, oid, attrs.evolve(oid, name=node["newname"]))


def move_object(ctx: BuildContext, oid: ObjectId, new: ObjectId) -> None:
    """``oid`` renamed or moved to ``new``, with the mappings that name it if a dictionary."""
    if new in ctx.objects:
        raise DuplicateObjectError(already_exists(new), span=_span(ctx))
    old_text, new_text = f"{oid.schema}.{oid.name}", f"{new.schema}.{new.name}"
    # A 'schema.docs'::regconfig (or ::regdictionary) constant holds the object's OID.
    reg_type = _REG_TYPES.get(oid.kind)

    def relabel(expr: Expr) -> Expr:
        if reg_type is None:
            return expr
        return relabelled_by(expr, ("pg_catalog", reg_type),
                             lambda text: new_text if text == old_text else text)  # fmt: skip

    replace_references(ctx, {oid: new}, exprs=relabel)
    if oid.kind == ids.TEXT_SEARCH_DICTIONARY:
        mappings_follow(ctx, lambda text: new_text if text == old_text else text)


def mappings_follow(ctx: BuildContext, moved: Callable[[str], str]) -> None:
    """Text search configurations' mappings, which name dictionaries as ``schema.name`` text
    (pg_ts_config_map holds their OIDs), through ``moved`` after a dictionary or its schema
    is renamed or moved."""
    for config_id in ctx.objects.of_kind(ids.TEXT_SEARCH_CONFIGURATION):
        config = ctx.objects[config_id]
        assert isinstance(config, model.TextSearchConfiguration)
        mappings = tuple((token, tuple(moved(d) for d in dictionaries))
                         for token, dictionaries in config.mappings)  # fmt: skip
        if mappings != config.mappings:
            ctx.update(config_id, mappings=mappings)


for _objtype in _KINDS:
    RENAMERS[_objtype] = rename_object
