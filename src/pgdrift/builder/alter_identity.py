"""ALTER TABLE subcommands on identity and generated columns, as migrations write them:
``ADD GENERATED ... AS IDENTITY``, ``SET GENERATED`` / ``SET <sequence option>``,
``DROP IDENTITY [IF EXISTS]`` and ``DROP EXPRESSION [IF EXISTS]`` (docs: ALTER TABLE).

pg_dump writes only ``ADD GENERATED`` (with the sequence's name and every option); the others
reach the catalogue the same way through the identity sequence PostgreSQL keeps for the column.
"""

from __future__ import annotations

from typing import Any

import attrs

from pgdrift import model
from pgdrift._evolve import evolve
from pgdrift.builder.context import BuildContext
from pgdrift.builder.dependents import drop_object
from pgdrift.builder.nodes import Node, const_value, def_elems
from pgdrift.builder.relations import sequence_options
from pgdrift.builder.tables import add_identity_sequence, alters_table, column_identity
from pgdrift.errors import ModelError
from pgdrift.ids import ObjectId

__all__: list[str] = []

# SET GENERATED's "generated" option holds the character PostgreSQL stores in attidentity.
_ALWAYS = ord("a")
# Sequence options SET may change, and the SequenceOptions field each one sets.
_OPTION_FIELDS = {"as": "data_type", "start": "start", "increment": "increment",
                  "minvalue": "min_value", "maxvalue": "max_value", "cache": "cache",
                  "cycle": "cycle"}  # fmt: skip


def _fail(ctx: BuildContext, message: str) -> None:
    raise ModelError(message, span=ctx.statement.span if ctx.statement else None)


def _column(ctx: BuildContext, oid: ObjectId, name: str) -> model.Column:
    relation = ctx.require_column(oid, name)
    return relation.columns[name]  # type: ignore[attr-defined, no-any-return]


@alters_table("AT_AddIdentity")
def add_identity(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """ADD GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(options)]: the column needs NOT NULL
    and no default already (PostgreSQL refuses otherwise); the sequence is named
    ``table_column_seq`` as for a serial, numbered when taken, unless SEQUENCE NAME says."""
    name: str = cmd["name"]
    column = _column(ctx, oid, name)
    where = f'column "{name}" of relation "{oid.name}"'
    if column.identity is not None:
        _fail(ctx, f"{where} is already an identity column")
    if column.default is not None:
        _fail(ctx, f"{where} already has a default value")
    if not column.not_null:
        # Unlike CREATE TABLE, ALTER does not add the NOT NULL (ATExecAddIdentity).
        _fail(ctx, f"{where} must be declared NOT NULL before identity can be added")
    identity = column_identity(ctx, oid, name, cmd["def"]["Constraint"], column.type)
    ctx.update_column(oid, name, identity=identity)
    add_identity_sequence(ctx, oid, name, identity)


@alters_table("AT_SetIdentity")
def set_identity(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """SET GENERATED {ALWAYS | BY DEFAULT} and SET <sequence option> (RESTART changes no
    definition): the column's identity and its sequence change together."""
    name: str = cmd["name"]
    column = _column(ctx, oid, name)
    if column.identity is None:
        _fail(ctx, f'column "{name}" of relation "{oid.name}" is not an identity column')
        return
    options = def_elems(cmd["def"]["List"]["items"] if cmd.get("def") else ())
    always = column.identity.always
    if "generated" in options:
        always = const_value(options.pop("generated")) == _ALWAYS
    options.pop("restart", None)
    identity = evolve(column.identity, always=always)
    sequence = ctx.get(identity.sequence) if identity.sequence else None
    if options and isinstance(sequence, model.Sequence):
        given = attrs.asdict(sequence_options(ctx, options, column.type), recurse=False)
        changes: dict[str, Any] = {
            field: given[field] for key, field in _OPTION_FIELDS.items() if key in options
        }
        new_options = evolve(sequence.options, **changes)
        ctx.update(sequence.id, options=new_options)
        identity = evolve(identity, options=new_options)
    ctx.update_column(oid, name, identity=identity)


@alters_table("AT_DropIdentity")
def drop_identity(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """DROP IDENTITY [IF EXISTS]: the column stays NOT NULL; its sequence is dropped (it is
    an internal part of the identity)."""
    name: str = cmd["name"]
    column = _column(ctx, oid, name)
    if column.identity is None:
        if cmd.get("missing_ok"):
            return
        _fail(ctx, f'column "{name}" of relation "{oid.name}" is not an identity column')
        return
    ctx.update_column(oid, name, identity=None)
    if column.identity.sequence is not None and column.identity.sequence in ctx.objects:
        drop_object(ctx, column.identity.sequence, cascade=False, what="DROP IDENTITY")


@alters_table("AT_DropExpression")
def drop_expression(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """DROP EXPRESSION [IF EXISTS]: a stored generated column becomes an ordinary one that
    keeps its values."""
    name: str = cmd["name"]
    column = _column(ctx, oid, name)
    if column.generated is None:
        if cmd.get("missing_ok"):
            return
        _fail(ctx, f'column "{name}" of relation "{oid.name}" is not a stored generated column')
    ctx.update_column(oid, name, generated=None)
