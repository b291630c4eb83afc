"""``ALTER EXTENSION e SET SCHEMA s`` (docs: ALTER EXTENSION): the extension and its member
objects move to ``s``; an extension whose control file says it is not relocatable refuses.

The model knows an extension's members only where a dump granted something on them
(:class:`~pgdrift.model.ExternalObject`, keyed in the extension's schema). They move with it
when the extension is the only one in that schema; with several there, which extension owns
each is not known, and the statement is left not modelled.
"""

from __future__ import annotations

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.references import replace_references
from pgdrift.builder.registry import NotModelled
from pgdrift.errors import ModelError, UndefinedObjectError
from pgdrift.ids import ObjectId
from pgdrift.pg.extensions import can_set_schema
from pgdrift.pg.messages import does_not_exist

__all__ = ["move_extension"]


def move_extension(ctx: BuildContext, node: Node) -> None:
    """The AlterObjectSchemaStmt of an extension."""
    name: str = node["object"]["String"]["sval"]
    new_schema: str = node["newschema"]
    oid = ObjectId(ids.EXTENSION, None, name)
    span = ctx.statement.span if ctx.statement else None
    extension = ctx.get(oid)
    if not isinstance(extension, model.Extension):
        if node.get("missing_ok"):
            return
        raise UndefinedObjectError(does_not_exist(oid), span=span)
    if ObjectId(ids.SCHEMA, None, new_schema) not in ctx.objects:
        raise UndefinedObjectError(f'schema "{new_schema}" does not exist', span=span)
    if not can_set_schema(name):
        raise ModelError(f'extension "{name}" does not support SET SCHEMA', span=span)
    old_schema = extension.in_schema
    members = [o for o, obj in ctx.objects.items()
               if isinstance(obj, model.ExternalObject) and o.schema == old_schema]  # fmt: skip
    neighbours = [o for o in ctx.objects.of_kind(ids.EXTENSION) if o != oid
                  and getattr(ctx.objects[o], "in_schema", None) == old_schema]  # fmt: skip
    if members and neighbours:
        raise NotModelled(f"SET SCHEMA of {oid}, whose schema holds other extensions' members too")
    ctx.update(oid, in_schema=new_schema)
    if members:
        replace_references(ctx, {m: attrs.evolve(m, schema=new_schema) for m in members})
