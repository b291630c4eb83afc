"""Statements in, :class:`~pgdrift.schema.Schema` out.

One small builder function per statement kind, registered with :func:`handles`. A statement no
builder handles, or whose builder gives up on its shape by raising
:class:`~pgdrift.builder.registry.NotModelled`, becomes an :class:`~pgdrift.model.Unsupported`
object: kept, reported and compared, never dropped. Any other exception from a builder is a bug
and surfaces.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pgdrift import ids, model
from pgdrift._gc_pause import gc_paused

# Each builder module registers its builders with @handles when imported.
from pgdrift.builder import (
    acl,
    alter_column_settings,
    alter_columns,
    alter_identity,
    alter_links,
    alter_routines,
    alter_settings,
    cluster,
    collations,
    conversions,
    define,
    do_blocks,
    drop_owned,
    drops,
    foreign_data,
    languages,
    not_ddl,
    operators,
    policies,
    relations,
    rename_collation,
    rename_kinds,
    rename_objects,
    renames,
    replication,
    routines,
    schemas,
    session,
    set_schema,
    statistics,
    tables,
    text_search,
    types,
)
from pgdrift.builder.context import BuildContext
from pgdrift.builder.creation import give_awaited_defaults, give_creation_defaults
from pgdrift.builder.dependents import drop_temporary_objects
from pgdrift.builder.finish import add_implicit_objects, finish
from pgdrift.builder.nodes import Node, node_type
from pgdrift.builder.registry import BUILDERS, NotInterpreted, NotModelled, handles
from pgdrift.builder.search_path import RoutineNames, qualify_references
from pgdrift.errors import DatabaseSelectionError, Error
from pgdrift.expr import canonical, expr_from_node, sharing_trees
from pgdrift.ids import ObjectId
from pgdrift.reader import MetaCommand, Statement, databases_in
from pgdrift.reader.parse import parse_statement
from pgdrift.schema import Schema

if TYPE_CHECKING:
    from pgdrift.reader import Source

__all__ = ["BUILDERS", "build_schema", "handles"]
_MODULES = (
    acl, alter_column_settings, alter_columns, alter_identity, alter_links, alter_routines,
    alter_settings, cluster, collations, conversions, define, do_blocks, drop_owned, drops,
    foreign_data, languages, not_ddl, operators, policies, relations, rename_collation,
    rename_kinds, rename_objects, renames, replication, routines, schemas, session, set_schema,
    statistics, tables, text_search, types,
)  # fmt: skip

#: pg_dumpall statements about the cluster, read whichever database is picked.
_CLUSTER_STATEMENTS = frozenset({
    "CreateRoleStmt", "AlterRoleStmt", "AlterRoleSetStmt", "GrantRoleStmt", "CreatedbStmt",
    "AlterDatabaseStmt", "AlterDatabaseSetStmt", "CreateTableSpaceStmt", "DropRoleStmt",
    "DropdbStmt", "AlterTableSpaceOptionsStmt",
})  # fmt: skip


# Objects that belong to the cluster, not to one database: statements about them are read
# whichever database of a pg_dumpall file is picked.
_CLUSTER_OBJECT_TYPES = frozenset({"OBJECT_DATABASE", "OBJECT_ROLE", "OBJECT_TABLESPACE"})


def _is_cluster_level(name: str, node: Node) -> bool:
    if name in _CLUSTER_STATEMENTS:
        return True
    if name in ("AlterOwnerStmt", "CommentStmt", "SecLabelStmt", "GrantStmt"):
        objtype = node.get("objectType") or node.get("objtype")
        return objtype in _CLUSTER_OBJECT_TYPES
    return False


def pick_database(items: Sequence[Statement | MetaCommand], database: str | None) -> str | None:
    """The database whose objects to read from a pg_dumpall file (None for a plain dump)."""
    found = databases_in(items)
    if not found:
        if database is not None:
            raise DatabaseSelectionError(
                f"database {database!r} requested, but the input is a single-database dump",
                databases=(),
            )
        return None
    if database is None:
        if len(found) == 1:
            return found[0]
        raise DatabaseSelectionError(
            "the input holds several databases; pick one with database=... (CLI: --database): "
            + ", ".join(found),
            databases=found,
        )
    if database not in found:
        raise DatabaseSelectionError(
            f"database {database!r} is not in the input; it holds: " + ", ".join(found),
            databases=found,
        )
    return database


def build_schema(
    source: Source,
    items: Sequence[Statement | MetaCommand],
    *,
    strict: bool = True,
    database: str | None = None,
    warnings: Sequence[str] = (),
    release: bool = False,
    role: str | None = None,
    owners_create: bool = False,
) -> Schema:
    """Build the model of every statement (of one database, for a pg_dumpall file).

    With ``release``, ``items`` (then a list) is emptied as it is read, so that each
    statement's text can be freed once built: the loader's peak memory stays nearer to what
    the model keeps. ``role`` runs the statements: it owns what they create unless they say
    otherwise (``SET ROLE``, ``OWNER TO``).
    """
    chosen = pick_database(items, database)
    ctx = BuildContext(source=source.name, login_role=role, owners_create=owners_create)
    ctx.warnings.extend(warnings)
    add_implicit_objects(ctx)
    routines = RoutineNames()

    def run_nested(node: Node) -> None:
        qualify_references(ctx, node, routines)
        name = node_type(node)
        if not _apply(ctx, node, name):
            raise NotModelled(f"{name} statements are not modelled")

    ctx.run_statement = run_nested
    with gc_paused(), sharing_trees():
        for index, item in enumerate(items):
            if release:
                items[index] = None  # type: ignore[index]
            if isinstance(item, MetaCommand):
                continue
            in_chosen = chosen is None or item.database == chosen
            if ctx.local_file is not None and item.span.file != ctx.local_file:
                session.end_local(ctx)  # the file (its migration's transaction) ended
            ctx.statement = item
            if ctx.pending_sequences:  # left by a CREATE TABLE that failed
                ctx.pending_sequences = {}
            if (item.sent_with is not None or item.unknown is not None) and _not_run(ctx, item):
                continue
            try:
                notes: list[str] = []
                node = parse_statement(
                    item, standard_conforming_strings=ctx.standard_conforming_strings, notes=notes
                )
                for note in notes:
                    ctx.warn(note)
                if node is None:
                    continue
                # Unqualified names resolve along the search_path in force: the one a SET
                # chose, else PostgreSQL's default ("$user", public). pg_dump empties it.
                qualify_references(ctx, node, routines)
                name = node_type(node)
                if not in_chosen and not _is_cluster_level(name, node[name]):
                    continue
                try:
                    if not _apply(ctx, node, name):
                        _unsupported(ctx, item, node, f"pgdrift does not model {name} statements")
                except NotInterpreted as unknown:
                    _unsupported(ctx, item, node, str(unknown))
                    ctx.warn(str(unknown))
                except NotModelled as give_up:
                    # Only a builder's deliberate give-up becomes Unsupported: any other
                    # exception is a bug in pgdrift and must not pass for "not modelled".
                    _unsupported(
                        ctx, item, node, f"pgdrift does not model this statement: {give_up}"
                    )
            except Error as error:
                ctx.created.clear()
                if error.span is None:
                    error.span = item.span
                if strict:
                    raise
                ctx.errors.append(error)
        _apply_deferred(ctx, strict)
        ctx.statement = None
        ctx.warnings.extend(not_ddl.data_warnings(ctx))
        give_awaited_defaults(ctx)
        drop_temporary_objects(ctx)
        objects = finish(ctx)
    return Schema(
        objects=objects,
        source=source.name,
        database=chosen,
        errors=tuple(ctx.errors),
        warnings=tuple(ctx.warnings),
        dumped_from=_header_value(source.text, "-- Dumped from database version "),
        dumped_by=_header_value(source.text, "-- Dumped by pg_dump version "),
    )


def _apply(ctx: BuildContext, node: Node, name: str) -> bool:
    """Apply one parsed statement whose names are qualified: its builder changes the model
    (a data, maintenance or notification statement is only counted); False when pgdrift has
    no builder."""
    if name in not_ddl.DATA_STATEMENTS:
        ctx.count_data(not_ddl.DATA_STATEMENTS[name])
        return True
    upkeep = not_ddl.maintenance_word(name, node[name])
    if upkeep is not None:
        ctx.count_data(upkeep)
        return True
    builder = BUILDERS.get(name)
    if builder is None:
        return False
    builder(ctx, node[name])
    if ctx.created:
        give_creation_defaults(ctx)
    return True


def _apply_deferred(ctx: BuildContext, strict: bool) -> None:
    """The statements a dump wrote before the object they are about, now that all is read."""
    pending, ctx.deferred = ctx.deferred or [], None
    for statement, apply in pending:
        ctx.statement = statement
        try:
            apply()
        except Error as error:
            if error.span is None:
                error.span = statement.span
            if strict:
                raise
            ctx.errors.append(error)


def _not_run(ctx: BuildContext, stmt: Statement) -> bool:
    """Whether ``stmt`` is not built because psql would not run it as it stands: ``\\gdesc``
    only describes a query; what ``\\gexec`` runs (each value of the query's result, as a
    statement) and what :attr:`~pgdrift.reader.Statement.unknown` depends on cannot be known
    offline, so the statement is kept and reported."""
    if stmt.sent_with == "gdesc":
        return True
    reason = stmt.unknown
    if stmt.sent_with == "gexec":
        reason = (
            "psql runs each value this query returns as a statement (\\gexec); pgdrift "
            "cannot run the query offline"
        )
    if reason is None:
        return False
    try:
        node = parse_statement(stmt, standard_conforming_strings=ctx.standard_conforming_strings)
    except Error:
        node = None
    _unsupported(ctx, stmt, node, f"not interpreted: {reason}")
    ctx.warn(f"not interpreted: {reason}")
    return True


def _unsupported(ctx: BuildContext, stmt: Statement, node: Node | None, reason: str) -> None:
    """Keep a statement pgdrift does not model; its id comes from the TOC header if any."""
    toc = stmt.toc
    if toc is not None:
        base = f"{toc.type} {toc.name}"
        schema = toc.schema
    else:
        digest = hashlib.sha1(  # noqa: S324 - a stable name, not security
            repr(canonical(node) if node is not None else stmt.text).encode()
        ).hexdigest()[:12]
        base = f"{node_type(node) if node else 'statement'} {digest}"
        schema = None
    count = ctx.unsupported_count.get(base, 0) + 1
    ctx.unsupported_count[base] = count
    name = base if count == 1 else f"{base} #{count}"
    ctx.objects[ObjectId(ids.UNSUPPORTED, schema, name)] = model.Unsupported(
        id=ObjectId(ids.UNSUPPORTED, schema, name),
        statement=stmt.text,
        tree=expr_from_node(node) if node is not None else None,
        reason=reason,
        **ctx.span_fields(),
    )


def _header_value(text: str, prefix: str) -> str | None:
    head = text[:2000]
    start = head.find(prefix)
    if start < 0:
        return None
    end = head.find("\n", start)
    return head[start + len(prefix) : end if end >= 0 else None].strip()
