"""ALTER TABLE subcommands that change a table's columns, as migrations write them:
ADD COLUMN, DROP COLUMN, ALTER COLUMN ... TYPE (docs: ALTER TABLE).

pg_dump never writes these (it prints each table whole), so they are registered here with
:func:`pgdrift.builder.tables.alters_table` rather than in the dump path of ``tables``.
"""

from __future__ import annotations

from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift._expr_tree import to_json
from pgdrift.builder import composite_attributes
from pgdrift.builder.catalogue import query_expressions
from pgdrift.builder.context import BuildContext
from pgdrift.builder.dependents import drop_object
from pgdrift.builder.nodes import Node
from pgdrift.builder.registry import NotModelled
from pgdrift.builder.serial import add_serial_sequence
from pgdrift.builder.stored_exprs import fold_typed, from_source, relation_typer
from pgdrift.builder.tables import (
    add_column_constraints,
    add_identity_sequence,
    alters_table,
    column_definition,
)
from pgdrift.errors import DependentObjectsError, DuplicateObjectError, UndefinedObjectError
from pgdrift.expr import Expr, expr_from_node, walk
from pgdrift.ids import ObjectId

__all__: list[str] = []

_TABLES = (ids.TABLE, ids.FOREIGN_TABLE)
# Objects outside the table whose use of a column keeps it from being dropped or retyped.
_USERS = (
    model.View, model.MaterializedView, model.Policy, model.Rule, model.Trigger, model.Function
)


def _span(ctx: BuildContext) -> Any:
    return ctx.statement.span if ctx.statement else None


def _table(ctx: BuildContext, oid: ObjectId, what: str) -> model.Table:
    relation = ctx.require(oid, what)
    if not isinstance(relation, model.Table):
        raise NotModelled(f"{what} of a {oid.kind.replace('_', ' ')}")
    return relation


@alters_table("AT_AddColumn")
def add_column(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """ADD COLUMN [IF NOT EXISTS]: the column goes last; its inline constraints, serial
    sequence and identity sequence are made as in CREATE TABLE."""
    if oid.kind == ids.COMPOSITE_TYPE:
        composite_attributes.add_attribute(ctx, oid, cmd, add_column)
        return
    table = _table(ctx, oid, "ALTER TABLE ADD COLUMN")
    definition = cmd["def"]["ColumnDef"]
    name = definition["colname"]
    if name in table.columns:
        if cmd.get("missing_ok"):
            return
        raise DuplicateObjectError(
            f"ALTER TABLE ADD COLUMN: column {name!r} of {oid} already exists", span=_span(ctx),
            condition="duplicate_column",
        )
    serials: list[tuple[str, ObjectId, str]] = []
    column, constraints = column_definition(ctx, definition, oid, None, serials)
    ctx.update(oid, columns=model.Columns((*table.columns.ordered, column)))
    for column_name, sequence, integer_type in serials:
        add_serial_sequence(ctx, oid, column_name, sequence, integer_type)
    if column.identity is not None:
        add_identity_sequence(ctx, oid, name, column.identity)
    add_column_constraints(ctx, oid, constraints)


@alters_table("AT_DropColumn")
def drop_column(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """DROP COLUMN [IF EXISTS] [CASCADE]: indexes and constraints of the table that involve
    the column go with it; a view, policy, rule or trigger that uses it, or a foreign key
    that needs a key it is part of, makes PostgreSQL refuse without CASCADE."""
    if oid.kind == ids.COMPOSITE_TYPE:
        composite_attributes.drop_attribute(ctx, oid, cmd, drop_column)
        return
    table = _table(ctx, oid, "ALTER TABLE DROP COLUMN")
    name: str = cmd["name"]
    if name not in table.columns:
        if cmd.get("missing_ok"):
            return
        raise UndefinedObjectError(
            f"ALTER TABLE DROP COLUMN: column {name!r} of {oid} does not exist", span=_span(ctx)
        )
    cascade = cmd.get("behavior") == "DROP_CASCADE"
    users = _column_users(ctx, oid, name)
    # A stored generated column depends on the columns its expression uses: it goes with
    # them under CASCADE, and makes PostgreSQL refuse the DROP without it.
    generated = [
        c.id
        for c in table.columns.ordered
        if c.generated is not None and c.name != name
        and _mentions(c.generated, oid.name, name, bare=True)
    ]  # fmt: skip
    # A publication's entry for the table whose column list or row filter names the column
    # (pg_publication_rel) depends on it: CASCADE takes the table out of the publication.
    published = [
        p for p in map(ctx.objects.__getitem__, ctx.objects.of_kind(ids.PUBLICATION))
        if isinstance(p, model.Publication) and any(
            t.table == oid and (name in t.columns or _mentions(t.where, oid.name, name, bare=True))
            for t in p.tables)
    ]  # fmt: skip
    if (users or generated or published) and not cascade:
        names = sorted(str(u) for u in [*users, *generated])
        names += [f"publication of {oid} in {p.id}" for p in published]
        raise DependentObjectsError(
            f"ALTER TABLE DROP COLUMN: cannot drop column {name!r} of {oid} because other "
            f"objects depend on it: {', '.join(names)} (use CASCADE to drop them too)",
            dependents=names,
            span=_span(ctx),
        )
    for publication in published:
        ctx.update(publication.id, tables=tuple(t for t in publication.tables if t.table != oid))
    for column in generated:
        drop_column(ctx, oid, {**cmd, "name": column.name, "missing_ok": True})
    for user in sorted(users, key=ObjectId.sort_key):
        if user in ctx.objects:
            drop_object(ctx, user, cascade=cascade, what="ALTER TABLE DROP COLUMN")
    for part in sorted(_parts_using(ctx, oid, name), key=ObjectId.sort_key):
        if part in ctx.objects:
            drop_object(ctx, part, cascade=cascade, what="ALTER TABLE DROP COLUMN")
    column_id = ObjectId(ids.COLUMN, oid.schema, name, parent=oid.name)
    ctx.acl_ops.pop(column_id, None)
    table = _table(ctx, oid, "ALTER TABLE DROP COLUMN")
    ctx.update(
        oid, columns=model.Columns(tuple(c for c in table.columns.ordered if c.name != name))
    )
    # The sequences the column owns go with it (its default, which used one, is gone).
    for sequence in ctx.objects.linked_to(column_id):
        if isinstance(ctx.objects.get(sequence), model.Sequence):
            drop_object(ctx, sequence, cascade=cascade, what="ALTER TABLE DROP COLUMN")


@alters_table("AT_AlterColumnType")
def alter_column_type(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    """ALTER COLUMN ... [SET DATA] TYPE ... [COLLATE ...] [USING ...]: the USING expression
    converts the rows and leaves no trace in the catalogue. PostgreSQL refuses it for a
    column a view, rule or policy uses."""
    if oid.kind == ids.COMPOSITE_TYPE:
        composite_attributes.alter_attribute_type(ctx, oid, cmd, alter_column_type)
        return
    _table(ctx, oid, "ALTER TABLE ALTER COLUMN TYPE")
    name: str = cmd["name"]
    ctx.require_column(oid, name)
    users = _column_users(ctx, oid, name)
    if users:
        raise DependentObjectsError(
            f"ALTER TABLE ALTER COLUMN TYPE: cannot alter type of column {name!r} of {oid}, "
            f"which {', '.join(sorted(str(u) for u in users))} uses",
            dependents=sorted(str(u) for u in users),
            span=_span(ctx),
        )
    definition = cmd["def"]["ColumnDef"]
    changes: dict[str, Any] = {"type": ctx.type(definition["typeName"])}
    # Without COLLATE the column takes the type's default collation, even when the type
    # stays the same (ATPrepAlterColumnType: GetColumnDefCollation of the new definition).
    collation = definition.get("collClause")
    changes["collation"] = ctx.qualified_text(collation["collname"]) if collation else None
    ctx.update_column(oid, name, **changes)
    if from_source(ctx):
        for part in sorted(_parts_using(ctx, oid, name), key=ObjectId.sort_key):
            _retype(ctx, oid, part)


def _retype(ctx: BuildContext, table: ObjectId, part: ObjectId) -> None:
    """A CHECK, exclusion constraint or index on a column whose type changed, as PostgreSQL
    keeps it: it re-creates each from its printed definition (ATPostAlterTypeCleanup), so the
    casts and literals are typed again for the new type (``(status)::text = 'x'::text`` on a
    column now of type text is stored as ``status = 'x'::text``)."""
    typer = relation_typer(ctx, table)

    def again(expr: Expr | None) -> Expr | None:
        if expr is None:
            return None
        return expr_from_node(fold_typed(ctx, to_json(expr.tree), typer, {}))

    obj = ctx.objects[part]
    changes: dict[str, Any] = {}
    for field in ("expression", "where"):
        if getattr(obj, field, None) is not None:
            changes[field] = again(getattr(obj, field))
    elements = getattr(obj, "elements", ())
    if any(e.expression is not None for e in elements):
        changes["elements"] = tuple(
            attrs.evolve(e, expression=again(e.expression)) if e.expression is not None else e
            for e in elements
        )
    if changes:
        ctx.update(part, **changes)


def _column_users(ctx: BuildContext, table: ObjectId, column: str) -> set[ObjectId]:
    """Views, policies, rules and triggers that use ``table.column`` (by a column reference
    qualified with the table's name, or unqualified in an object on the table itself)."""
    found: set[ObjectId] = set()
    # Only an object on the table, or one whose query names a relation of the table's name,
    # can use the column.
    naming = set(ctx.objects.naming(table.name))
    for oid in dict.fromkeys([*ctx.objects.linked_to(table), *naming]):
        obj = ctx.objects[oid]
        if not isinstance(obj, _USERS):
            continue
        on_table = getattr(obj, "table", None) == table
        exprs = query_expressions(obj)
        if isinstance(obj, model.Trigger) and on_table and column in obj.update_columns:
            found.add(obj.id)
        elif (on_table or oid in naming) and any(
            _mentions(e, table.name, column, bare=True) or _assigns(e, table.name, column)
            for e in exprs
        ):
            # Another object's unqualified reference may be to another relation's column of
            # the same name: counted as a use, so a DROP refuses rather than over-drops.
            found.add(obj.id)
    return found


def _parts_using(ctx: BuildContext, table: ObjectId, column: str) -> set[ObjectId]:
    """The table's own indexes, constraints and statistics that involve the column."""
    found: set[ObjectId] = set()
    for oid in ctx.objects.linked_to(table):
        obj = ctx.objects[oid]
        if getattr(obj, "table", None) != table:
            continue
        if isinstance(obj, model.Constraint):
            names = {*obj.columns, *obj.include}
            uses = column in names or any(
                _mentions(e, table.name, column, bare=True) for e in (obj.expression, obj.where)
            ) or any(e.column == column or _mentions(e.expression, table.name, column, bare=True)
                     for e in obj.elements)  # fmt: skip
        elif isinstance(obj, model.Index):
            uses = column in obj.include or _mentions(
                obj.where, table.name, column, bare=True
            ) or any(e.column == column or _mentions(e.expression, table.name, column, bare=True)
                     for e in obj.elements)  # fmt: skip
        elif isinstance(obj, model.Statistics):
            uses = column in getattr(obj, "columns", ())
        else:
            continue
        if uses:
            found.add(obj.id)
    return found


def _assigns(expr: Expr | None, table: str, column: str) -> bool:
    """Whether an INSERT's column list or an UPDATE's SET in ``expr`` (a rule's action, a
    SQL-standard body) names ``table.column``: a dependency as a read is."""
    if expr is None:
        return False
    for name, fields in walk(expr.tree):
        if name not in ("InsertStmt", "UpdateStmt"):
            continue
        found = dict(fields)
        relation = found.get("relation")
        if not (isinstance(relation, tuple) and dict(relation[1]).get("relname") == table):
            continue
        targets = found.get("cols" if name == "InsertStmt" else "targetList") or ()
        if any(isinstance(t, tuple) and dict(t[1]).get("name") == column for t in targets):
            return True
    return False


def _mentions(expr: Expr | None, table: str, column: str, *, bare: bool) -> bool:
    if expr is None:
        return False
    # A reference qualified by an alias of the table (FROM public.t x ... x.col) is a use too.
    qualifiers = {table} | {
        dict(alias[1]).get("aliasname")
        for name, fields in walk(expr.tree)
        if name == "RangeVar" and dict(fields).get("relname") == table
        for alias in [dict(fields).get("alias")]
        if isinstance(alias, tuple)
    }
    for name, fields in walk(expr.tree):
        if name != "ColumnRef":
            continue
        parts = [
            dict(n[1]).get("sval", "")
            for n in dict(fields).get("fields", ())
            if isinstance(n, tuple) and n[0] == "String"
        ]
        stars = any(isinstance(n, tuple) and n[0] == "A_Star"
                    for n in dict(fields).get("fields", ()))  # fmt: skip
        if stars and bare:
            return True  # SELECT * was expanded to every column when the view was made
        if (
            parts
            and parts[-1] == column
            and ((len(parts) == 1 and bare) or (len(parts) > 1 and parts[-2] in qualifiers))
        ):
            return True
    return False
