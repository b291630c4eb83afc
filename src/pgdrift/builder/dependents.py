"""Removing an object from the catalogue with what PostgreSQL removes along with it.

PostgreSQL records why each object depends on another (``pg_depend``). *Automatic*
dependents go with the object whatever the DROP says: a table's constraints, indexes,
triggers, rules, policies, extended statistics and partitions, the sequences it owns. Any other
dependent (a view over a table, a foreign key to it, a default that calls a function) makes a
DROP without CASCADE fail with the dependents named, and is dropped too under CASCADE (docs:
"Dependency Tracking"). The dependencies are those of :mod:`pgdrift.graph`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.registry import NotModelled
from pgdrift.errors import DependentObjectsError
from pgdrift.expr import Expr
from pgdrift.graph import OWNERSHIP, Resolver, build_graph, collation_id
from pgdrift.ids import ObjectId

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["drop_object", "drop_temporary_objects", "parts_dropped_with"]

# Dependencies PostgreSQL records as automatic (DEPENDENCY_AUTO / _INTERNAL / _PARTITION_*):
# the dependent goes with the object even without CASCADE.
_AUTOMATIC = frozenset({"table", "partition of", "partition of index", "identity", OWNERSHIP})
# A publication's membership rows go with a dropped table or schema; the publication stays.
_MEMBERSHIP = frozenset({"published table", "published schema"})
# Dependencies of a whole table, composite type or domain; any other dependency of one of them
# is a part's (a column's type or default, a domain's check): CASCADE drops only that part.
_WHOLE_OBJECT = frozenset({"schema", "inherits", "partition of", "server", "base type"})
_PARTIAL_HOLDERS = frozenset({ids.TABLE, ids.FOREIGN_TABLE, ids.COMPOSITE_TYPE, ids.DOMAIN})


def drop_object(ctx: BuildContext, oid: ObjectId, *, cascade: bool, what: str = "DROP") -> None:
    """Remove ``oid`` and its automatic dependents; the others too under ``cascade``, else
    fail with them named (:class:`~pgdrift.errors.DependentObjectsError`)."""
    graph = build_graph(ctx)
    removed, refused, partial, memberships = _closure(ctx, graph, oid, cascade=cascade)
    span = ctx.statement.span if ctx.statement else None
    if refused:
        names = sorted(str(d) for d in refused)
        raise DependentObjectsError(
            f"{what}: cannot drop {oid} because other objects depend on it: "
            + ", ".join(names)
            + " (use CASCADE to drop them too)",
            dependents=names,
            span=span,
        )
    # A domain's CHECKs and default that use what goes are dropped with it (findDependent-
    # Objects: "drop cascades to constraint ... on domain"); the domain stays.
    for domain in sorted((d for d in partial if d.kind == ids.DOMAIN), key=ObjectId.sort_key):
        _drop_domain_parts(ctx, domain, removed)
    partial = {d for d in partial if d.kind != ids.DOMAIN}
    if partial:
        # CASCADE would drop a column or default of these, not the whole object.
        raise NotModelled(
            f"{what} CASCADE through part of "
            + ", ".join(sorted(str(d) for d in partial))
            + " (a column, default or check that uses the dropped object) is not modelled"
        )
    for gone in removed:
        _forget(ctx, gone)
    for publication in memberships:
        _leave_publication(ctx, publication, removed)


def _drop_domain_parts(ctx: BuildContext, domain: ObjectId, removed: set[ObjectId]) -> None:
    obj = ctx.objects.get(domain)
    if not isinstance(obj, model.Domain):
        return
    resolver = Resolver(ctx)

    def uses(expr: Expr | None) -> bool:
        return any(target in removed for target, _ in resolver.expression(expr))

    checks = tuple(c for c in obj.checks if not uses(c.expression))
    default = None if uses(obj.default) else obj.default
    ctx.objects[domain] = attrs.evolve(obj, checks=checks, default=default)


def parts_dropped_with(
    ctx: BuildContext, oid: ObjectId
) -> tuple[list[tuple[ObjectId, str]], list[tuple[ObjectId, str]]]:
    """What ``DROP ... CASCADE`` of ``oid`` takes from the tables that stay, as (table,
    column) pairs: the columns to drop, whose type (or array of it), collation or generation
    expression is ``oid`` or uses something dropped with it (a domain over a type); and the
    columns that only lose their default, which calls or names it (a sequence's nextval).
    PostgreSQL drops a column as a sub-object of its table, and a default on its own
    (pg_attrdef; findDependentObjects, "drop cascades to default value for column ...")."""
    removed, _, _, _ = _closure(ctx, build_graph(ctx), oid, cascade=True)
    types = {(t.schema, t.name) for t in removed if t.kind in ids.TYPE_KINDS}
    resolver = Resolver(ctx)

    def uses(expr: Expr | None) -> bool:
        return any(target in removed for target, _ in resolver.expression(expr))

    columns: list[tuple[ObjectId, str]] = []
    defaults: list[tuple[ObjectId, str]] = []
    for table in ctx.objects.values():
        if not isinstance(table, (model.Table, model.ForeignTable)) or table.id in removed:
            continue
        for column in table.columns.ordered:
            collation = collation_id(column.collation)
            if ((column.type.schema, column.type.name) in types or uses(column.generated)
                    or (collation is not None and collation in removed)):  # fmt: skip
                columns.append((table.id, column.name))
            elif uses(column.default):
                defaults.append((table.id, column.name))
    return columns, defaults


def _closure(
    ctx: BuildContext, graph: nx.DiGraph, root: ObjectId, *, cascade: bool
) -> tuple[set[ObjectId], set[ObjectId], set[ObjectId], set[ObjectId]]:
    """(removed, refused dependents, partly-affected holders, publications to update)."""
    removed = {root}
    normal: set[ObjectId] = set()
    partial: set[ObjectId] = set()
    memberships: set[ObjectId] = set()
    work = [root]
    while work:
        current = work.pop()
        targets = [current, *_column_nodes(graph, current)]
        for target in targets:
            if target not in graph:
                continue
            for dependent in graph.predecessors(target):
                if dependent in removed:
                    continue
                reason = graph.edges[dependent, target].get("reason", "")
                if reason in _MEMBERSHIP:
                    memberships.add(dependent)
                    continue
                automatic = reason in _AUTOMATIC or _goes_with(ctx, dependent, target)
                part_only = dependent.kind in _PARTIAL_HOLDERS and reason not in _WHOLE_OBJECT
                if part_only and not automatic:
                    partial.add(dependent)
                    continue
                if automatic or cascade:
                    removed.add(dependent)
                    work.append(dependent)
                else:
                    normal.add(dependent)
    refused = {d for d in normal if d not in removed}
    # A part of an object that is itself dropped needs no separate handling.
    partial = {d for d in partial if d not in removed}
    if not cascade:
        refused |= partial
        partial = set()
    return removed, refused, partial, memberships - removed


def _goes_with(ctx: BuildContext, dependent: ObjectId, target: ObjectId) -> bool:
    """Whether ``dependent`` is dropped with ``target`` whatever the graph edge between them
    says (one edge per pair: a self-referencing foreign key's is "references"): a part of
    the target (its own constraint, index, trigger...), or default privileges of a schema,
    which pg_default_acl records as an automatic dependency (SetDefaultACL); an object known
    only by its privileges in a dropped schema (a member of an extension there: once the
    extension is dropped, so is it; while it is not, the extension refuses the DROP)."""
    if dependent.kind == ids.DEFAULT_PRIVILEGES:
        return True
    if target.kind == ids.SCHEMA and isinstance(ctx.objects.get(dependent), model.ExternalObject):
        return True
    return getattr(ctx.objects.get(dependent), "table", None) == target


def _column_nodes(graph: nx.DiGraph, relation: ObjectId) -> list[ObjectId]:
    """The column nodes of a relation (ownership edges point at a column, not its table)."""
    if relation.kind not in (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW):
        return []
    return [
        n for n in graph
        if n.kind == ids.COLUMN and n.schema == relation.schema and n.parent == relation.name
    ]  # fmt: skip


def _forget(ctx: BuildContext, oid: ObjectId) -> None:
    ctx.objects.pop(oid, None)
    ctx.acl_ops.pop(oid, None)
    ctx.implicit.discard(oid)
    ctx.temporary.discard(oid)  # a permanent object of its name made later stays
    if oid.kind == ids.CONSTRAINT and ctx.constraint_names.get((oid.schema, oid.name)) == oid:
        del ctx.constraint_names[(oid.schema, oid.name)]
    if oid.kind in (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW):
        # Grants on its columns go with it, or a table of the same name made later would
        # inherit them.
        for column in [c for c in ctx.acl_ops if c.kind == ids.COLUMN
                       and c.schema == oid.schema and c.parent == oid.name]:  # fmt: skip
            del ctx.acl_ops[column]


def _leave_publication(ctx: BuildContext, oid: ObjectId, removed: set[ObjectId]) -> None:
    publication = ctx.objects[oid]
    assert isinstance(publication, model.Publication)
    schemas = {o.name for o in removed if o.kind == ids.SCHEMA}
    ctx.objects[oid] = attrs.evolve(
        publication,
        tables=tuple(t for t in publication.tables if t.table not in removed),
        schemas=tuple(s for s in publication.schemas if s not in schemas),
    )


def drop_temporary_objects(ctx: BuildContext, what: str = "end of session") -> None:
    """The session's temporary tables, views and sequences are dropped when it ends (or at
    ``DISCARD TEMP``), with what depends on them (a view over a temporary table is made
    temporary itself): no dump has them. They are kept until then so that the script's later
    statements find them."""
    if not ctx.temporary:
        return  # none was made (a dump never has one): no need to look at every object
    temporary = [
        oid
        for oid, obj in ctx.objects.items()
        if oid in ctx.temporary or getattr(obj, "persistence", None) == "temporary"
    ]
    for oid in temporary:
        if oid in ctx.objects:
            drop_object(ctx, oid, cascade=True, what=what)
