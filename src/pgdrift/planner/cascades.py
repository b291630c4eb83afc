"""Objects dropped and created again because something they depend on is replaced.

When an object must be dropped and created again (a view whose columns change, a function
whose return type changes, an enum that loses a label), every object that depends on it, found
through the old schema's dependency graph, is dropped first and created again after, from its
new definition: PostgreSQL refuses to drop an object others depend on ("cannot drop function
... because other objects depend on it"). A column type change does the same for the views,
rules, policies, triggers and routine bodies that use the column, which PostgreSQL refuses to
keep across the change. A table that depends on a replaced type or function keeps its data:
its columns are converted, its defaults set again, its generated columns rebuilt; a domain
keeps its columns, its CHECKs and DEFAULT put back. An object dropped while what uses it stays
unchanged (a routine whose signature changes) roots the same cascade: the dependents were bound
to the old identity.
"""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import ids, model
from pgdrift.differ.changes import (
    MAY_FAIL,
    REWRITES_TABLE,
    STRONG_LOCK,
    Altered,
    Change,
    Created,
    Dropped,
    Renamed,
    Replaced,
)
from pgdrift.graph import OWNERSHIP
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident
from pgdrift.pg.type_changes import foreign_key_compatible
from pgdrift.planner import names
from pgdrift.planner.clauses import sql
from pgdrift.planner.collations import columns_collated
from pgdrift.planner.columns import add_column, drop_column
from pgdrift.planner.constraints import statistics_targets_again
from pgdrift.planner.context import DROP_PHASE, TABLE_KINDS, PlanContext, column_ids
from pgdrift.planner.inheritance import descendants, parents
from pgdrift.planner.partitions import detached_with_table
from pgdrift.planner.renames import columns_referenced
from pgdrift.planner.user_types import rebind_domain, type_names
from pgdrift.planner.views import replacement_reason as view_replacement_reason
from pgdrift.schema import Schema, domain_lookup
from pgdrift.types import TypeRef

# Dependents PostgreSQL refuses to keep when a column they use changes type (tablecmds.c,
# ATExecAlterColumnType: views and rules, policies, triggers, SQL-standard routine bodies,
# publication column lists and row filters); indexes, constraints and statistics it rebuilds
# by itself.
_BLOCKS_TYPE_CHANGE = frozenset({ids.VIEW, ids.MATERIALIZED_VIEW, ids.RULE, ids.POLICY,
                                 ids.TRIGGER, ids.FUNCTION, ids.PROCEDURE,
                                 ids.PUBLICATION})  # fmt: skip
# The reasons of the edges pgdrift.graph.Resolver.expression finds: what a domain's CHECK or
# DEFAULT names, which can be taken off and put back while the domain stays.
_IN_EXPRESSIONS = frozenset({"calls", "type", "query", "default"})
# Kinds whose objects are never dropped to let something else change (their data would go).
# The only kinds of object that depend on an index or a constraint (pgdrift.graph: a foreign
# key on its referenced key, a partition's index on its parent's), besides grouped views on a
# primary key (KEY_VIEWS, FUNCTIONAL_DEPENDENCY); a test holds graph.py to it.
ON_KEYS = frozenset({ids.CONSTRAINT, ids.INDEX})
KEY_VIEWS = frozenset({ids.VIEW, ids.MATERIALIZED_VIEW})
_KEEP = TABLE_KINDS | {ids.SCHEMA, ids.EXTENSION, ids.COLUMN, ids.SEQUENCE, ids.ROLE,
                       ids.DATABASE, ids.TABLESPACE}  # fmt: skip


def cascade(ctx: PlanContext, changes: list[Change]) -> dict[ObjectId, str]:
    """Objects that must be dropped and created again because something they depend on is
    replaced, with the reason."""
    result: dict[ObjectId, str] = {}
    changing: dict[ObjectId, Change] = {c.id: c for c in changes if c.kind != ids.COLUMN}
    roots: list[tuple[ObjectId, str, frozenset[str] | None]] = []
    rebinding: set[ObjectId] = set()
    row_users: dict[ObjectId, list[tuple[ObjectId, str, frozenset[str] | None]]] = {}
    foreign_keys: dict[ObjectId, list[model.Constraint]] | None = None
    row_typed: RowTyped | None = None
    attached: dict[ObjectId, list[ObjectId]] | None = None
    # Columns of a replaced range type, or of a row type one of whose columns changes type, are
    # held as text meanwhile (user_types.replace_range, _through_text): their indexes,
    # constraints and statistics, which need the type's operators, functions or fields, cannot
    # be rebuilt on text and go around it with everything else on them.
    as_text: set[tuple[ObjectId, str, frozenset[str] | None]] = set()
    created = {(c.id.schema, c.id.parent, c.id.name): c.id for c in changes
               if isinstance(c, Created) and c.kind != ids.COLUMN}  # fmt: skip
    for change in changes:
        if isinstance(change, Altered) and isinstance(change.before, model.View) and isinstance(
            change.after, model.View
        ):
            reason = view_replacement_reason(change.before, change.after)
            if reason:
                result[change.id] = f"{reason}: dropped and created again"
                roots.append((change.id, f"{change.id.qualified_name} is replaced", None))
        if isinstance(change, Altered) and _body_reads_dropped(ctx, change, changing):
            # A SQL-standard body reading a relation that is dropped while the new body reads
            # one created: CREATE OR REPLACE would wait for both (a cycle when the new one
            # takes names the old one frees), so the routine goes first and comes back last.
            result[change.id] = "its body reads a relation that is dropped: dropped and created"
            roots.append((change.id, f"{change.id.qualified_name} is replaced", None))
        successor = created.get((change.id.schema, change.id.parent, change.id.name))
        if isinstance(change, Dropped) and change.kind not in _KEEP and successor is not None:
            # An object that stays unchanged while something it uses is dropped and another
            # of the same name created has been bound to the old one: a routine whose
            # signature changes (an argument added with a default keeps every call's text) is
            # dropped under its old identity and created under its new one. PostgreSQL
            # refuses the DROP while the old binding exists, so the dependent is dropped first
            # and created again. Dependents that change are left to their own ALTER, which
            # rebinds them. (A plain drop leaves nothing that uses it unchanged: an overload
            # that stays is not rebound.)
            rebinding.add(change.id)
            why = f"{change.id.qualified_name} is dropped for {successor.qualified_name}"
            roots.append((change.id, why, None))
        elif isinstance(change, Dropped) and change.kind in (ids.CONSTRAINT, ids.INDEX):
            # A foreign key is bound to the referenced table's key index it found when it
            # was created (pg_constraint.conindid); PostgreSQL refuses to drop that key while
            # the foreign key stays, even when another key on the same columns will serve.
            # The foreign key is dropped first and created again, finding the new key.
            rebinding.add(change.id)
            roots.append((change.id, f"{change.id.qualified_name} is dropped", None))
        if isinstance(change, Replaced):
            roots.append((change.id, f"{change.id.qualified_name} is replaced", None))
            if change.kind in (ids.ENUM, ids.DOMAIN, ids.RANGE_TYPE):
                # Its columns change type too (see user_types.replace_type), with what that
                # means for the views and policies reading them.
                typed = _columns_of_type(ctx, change.id, as_text)
                roots.extend(typed)
                if foreign_keys is None:
                    foreign_keys = _foreign_keys_by_table(ctx)
                for fk in _foreign_keys_within_type(ctx, change.id, typed, foreign_keys):
                    result[fk] = f"recreated because {change.id.qualified_name} is replaced"
            elif change.kind == ids.COLLATION:
                # Its columns move to the new collation (catalog.replace_collation).
                roots.extend(_columns_collated(ctx, change.id))
        elif change.kind == ids.COLUMN and isinstance(change, (Altered, Renamed)):
            fields = {d.field.split(".")[0] for d in change.details}
            container = ctx.container(change.id, 0)
            if container is not None and "type" in fields and container.id not in row_users:
                if row_typed is None:
                    row_typed = _row_typed_columns(ctx)
                row_users[container.id] = _row_type_users(ctx, container, change.id, row_typed)
                roots.extend(row_users[container.id])
                as_text.update(row_users[container.id])
            if container is not None and container.kind == ids.COMPOSITE_TYPE and "type" in fields:
                # What selects the attribute from a value of the type (a view reading a
                # function's result) holds it: PostgreSQL refuses the ALTER ATTRIBUTE meanwhile.
                roots.append((container.id, f"the type of {change.id.qualified_name} changes",
                              frozenset({change.id.name})))  # fmt: skip
            if container is None or container.kind not in TABLE_KINDS:
                continue
            if "generated" in fields:
                why = f"column {change.id.qualified_name} is rebuilt"
            elif fields & {"type", "collation"}:
                why = f"the type of {change.id.qualified_name} changes"
            else:
                continue
            # The ALTER of a parent's column reaches its partitions' and children's copies,
            # with what uses them (a view over one partition).
            for table in (container.id, *descendants(container.id, ctx.old)):
                if change.id.name in getattr(ctx.old.objects.get(table), "columns", ()):
                    roots.append((table, why, frozenset({change.id.name})))
            if "generated" not in fields:
                roots.extend(_generated_from(ctx, container.id, change.id))
                if foreign_keys is None:
                    foreign_keys = _foreign_keys_by_table(ctx)
                for fk in _foreign_keys_broken_between(ctx, foreign_keys.get(container.id, ()),
                                                       container.id, change.id.name):
                    result[fk] = f"recreated because the type of {change.id.qualified_name} changes"
    work = list(roots)
    while work:
        root, why, columns = work.pop()
        # A column that changes type only troubles what PostgreSQL will not rebuild itself;
        # one that is rebuilt (dropped and added) takes everything on it along.
        rebuilt = "rebuilt" in why or (root, why, columns) in as_text
        kinds = _BLOCKS_TYPE_CHANGE if columns is not None and not rebuilt else None
        if root.kind in ON_KEYS:
            if foreign_keys is None:
                foreign_keys = _foreign_keys_by_table(ctx)
            if attached is None:
                attached = _attached_by_parent(ctx)
            found: Iterable[tuple[ObjectId, str]] = _key_dependents(ctx, root, foreign_keys,
                                                                   attached)  # fmt: skip
        else:
            found = ctx.dependents(root, kinds)
        for dependent, reason in sorted(found, key=lambda d: d[0].sort_key()):
            if dependent.kind == ids.DOMAIN and reason in _IN_EXPRESSIONS and columns is None and (
                dependent not in changing and dependent not in result
            ):
                old_domain, new_domain = ctx.old.objects.get(dependent), ctx.new.objects.get(
                    dependent)  # fmt: skip
                if isinstance(old_domain, model.Domain) and isinstance(new_domain, model.Domain):
                    rebind_domain(ctx, old_domain, new_domain, root)
                    continue
            if dependent.kind == ids.FOREIGN_TABLE and root.kind == ids.SERVER and (
                dependent not in result
            ):
                pass  # its rows live on the server: it is recreated with it, nothing is lost
            elif reason == OWNERSHIP or dependent in result or dependent.kind in _KEEP:
                if dependent.kind in TABLE_KINDS and columns is None:
                    work.extend(_fix_table_columns(ctx, dependent, root,
                                                   rebinding=root in rebinding))  # fmt: skip
                continue
            if root in rebinding and dependent in changing:
                continue
            if columns is not None:
                obj = ctx.old.objects.get(dependent)
                if isinstance(obj, model.Publication):
                    _republish(ctx, obj, root, columns, why)
                    continue
                if obj is None or not (ctx.names_in(obj, 0) & columns):
                    continue
                if not rebuilt and dependent.kind not in _BLOCKS_TYPE_CHANGE:
                    continue
                if dependent.kind in (ids.FUNCTION, ids.PROCEDURE) and getattr(
                    obj, "sql_body", None
                ) is None:
                    continue
            dependent_change = changing.get(dependent)
            if isinstance(dependent_change, (Dropped, Replaced)) or (
                dependent not in ctx.new.objects
            ) or detached_with_table(dependent, ctx.old, ctx.new, ctx.rebuilt_tables):
                continue
            if dependent.kind == ids.UNSUPPORTED:
                ctx.warn(f"{dependent}: depends on something the plan replaces, but pgdrift "
                         "cannot drop and recreate it")  # fmt: skip
                continue
            result[dependent] = f"recreated because {why}"
            work.append((dependent, why, None))
            if dependent.kind in (ids.ENUM, ids.DOMAIN, ids.RANGE_TYPE, ids.COMPOSITE_TYPE):
                # A domain, range or composite over a replaced type is replaced as well, its
                # columns converted (user_types.replace_type, replace_range), with what reads
                # them.
                work.extend(_columns_of_type(ctx, dependent, as_text))
    return result


def _republish(
    ctx: PlanContext, publication: model.Publication, table: ObjectId, columns: frozenset[str],
    why: str,
) -> None:
    """A publication whose column list or row filter names a column that changes type: only
    that table's membership comes off and goes back (catalog.republish_tables); the publication
    stays, with its other tables and the subscriptions that read it (dropping it would break
    every subscriber: "publication ... does not exist")."""
    entry = next((t for t in publication.tables if t.table == table), None)
    if entry is not None and ctx.names_in(entry, 0) & columns:
        ctx.republished.setdefault(publication.id, {}).setdefault(table, why)


def _columns_of_type(
    ctx: PlanContext, type_id: ObjectId, as_text: set[tuple[ObjectId, str, frozenset[str] | None]]
) -> list[tuple[ObjectId, str, frozenset[str] | None]]:
    """Roots for the table columns of a replaced type; those of a range type go in ``as_text``."""
    roots: list[tuple[ObjectId, str, frozenset[str] | None]] = []
    spellings = type_names(ctx.old, type_id)
    for table_id, _ in ctx.dependents(type_id, TABLE_KINDS):
        table = ctx.old.objects.get(table_id)
        if not isinstance(table, model.Table):
            continue
        used = frozenset(c.name for c in table.columns.values()
                         if (c.type.schema, c.type.name) in spellings)
        if used:
            columns = ", ".join(sorted(used))
            roots.append((table_id, f"the type of {table_id.qualified_name} ({columns}) "
                          "changes", used))  # fmt: skip
            if type_id.kind in (ids.RANGE_TYPE, ids.COMPOSITE_TYPE):
                as_text.add(roots[-1])
    return roots


def _columns_collated(
    ctx: PlanContext, collation: ObjectId
) -> list[tuple[ObjectId, str, frozenset[str] | None]]:
    by_table: dict[ObjectId, set[str]] = {}
    for table, column in columns_collated(ctx, collation):
        by_table.setdefault(table.id, set()).add(column.name)
    roots: list[tuple[ObjectId, str, frozenset[str] | None]] = []
    for table_id in sorted(by_table, key=ObjectId.sort_key):
        used = by_table[table_id]
        roots.append((table_id, f"the collation of {table_id.qualified_name} "
                      f"({', '.join(sorted(used))}) changes", frozenset(used)))  # fmt: skip
    return roots


def _fix_table_columns(
    ctx: PlanContext, table_id: ObjectId, replaced: ObjectId, *, rebinding: bool
) -> list[tuple[ObjectId, str, frozenset[str] | None]]:
    """A table keeps its data when a type or function it uses is replaced: a default that
    calls the function comes off before and goes back on after, and a generated column that
    calls it is dropped and added again (PostgreSQL 15 cannot change a generation expression;
    the values are computed, so nothing is lost). (Columns of a replaced enum or domain are
    converted by the replacement itself.) When ``replaced`` is dropped rather than replaced
    (``rebinding``), only columns that stay as they are: a changing column is rebound by its
    own ALTER. Returns the cascade roots of the rebuilt columns: what uses them goes and comes
    back with them."""
    table = ctx.old.objects.get(table_id)
    new_table = ctx.new.objects.get(table_id)
    if not isinstance(table, model.Table) or not isinstance(new_table, model.Table):
        return []
    rebuilt: list[tuple[ObjectId, str, frozenset[str] | None]] = []
    for column in table.columns.ordered:
        key = (table_id, column.name)
        new_column = new_table.columns.get(column.name)
        if key in ctx.defaults_done or new_column is None:
            continue
        if column.generated is not None:
            # A generated column that keeps its expression is not rebound by its own ALTER
            # (ALTER COLUMN TYPE keeps the expression bound to the old function): it is
            # rebuilt from its new definition whatever else about it changes.
            if new_column.generated == column.generated and replaced.name in ctx.names_in(
                column.generated, 0
            ):
                ctx.defaults_done.add(key)
                ctx.rebuilt_columns.add(key)
                rebuilt.append(_rebuild_generated(
                    ctx, table, new_table, column, replaced,
                    why=f"generated from {replaced.qualified_name}, which is replaced"))
            continue
        if rebinding and new_column != column:
            continue
        if column.default is None:
            continue
        # A default is stored cast to its column's type: a column converted to a replaced
        # type needs its default set again too, whatever the default says.
        of_type = (column.type.schema, column.type.name) == (replaced.schema, replaced.name)
        if not of_type and replaced.name not in ctx.names_in(column.default, 0):
            continue
        prefix = (f"ALTER TABLE {names.relation(table_id)} ALTER COLUMN "
                  f"{quote_ident(column.name)}")  # fmt: skip
        ctx.defaults_done.add(key)
        dropped = ctx.emit(f"{prefix} DROP DEFAULT", change=None, anchor=table_id,
                           phase=DROP_PHASE, frees=(replaced,),
                           comment=f"the default uses {replaced.qualified_name}, "
                           f"which is {'dropped' if rebinding else 'replaced'}")  # fmt: skip
        if new_column.default is not None:
            # An inherited column is converted by an ancestor's ALTER COLUMN TYPE (which
            # recurses): its default goes back on after that.
            parents = _ancestor_columns(ctx, new_table, column.name) if of_type else ()
            ctx.emit(f"{prefix} SET DEFAULT {sql(new_column.default)}", change=None,
                     anchor=table_id, after=[dropped],
                     needs=(new_column.id, *parents, *ctx.column_deps(new_table, new_column, 1)),
                     uses_enum_labels=ctx.enum_labels_in(new_column.default))  # fmt: skip
    return rebuilt


def _body_reads_dropped(
    ctx: PlanContext, change: Change, changing: dict[ObjectId, Change]
) -> bool:
    """Whether ``change`` alters a routine with a SQL-standard body whose old body reads a
    relation this plan drops (or drops and creates again)."""
    before, after = change.before, change.after
    if not (isinstance(before, model.Function) and isinstance(after, model.Function)):
        return False
    if before.sql_body is None or before.sql_body == after.sql_body:
        return False
    return any(
        dep.kind in TABLE_KINDS and isinstance(changing.get(dep), (Dropped, Replaced))
        for dep in ctx.old_deps(before)
    )


def _ancestor_columns(ctx: PlanContext, table: model.Table, name: str) -> tuple[ObjectId, ...]:
    """The column ``name`` of each table ``table`` inherits from (or is a partition of), at
    any depth."""
    found: list[ObjectId] = []
    seen: set[ObjectId] = set()
    work = list(parents(table.id, ctx.new))
    while work:
        parent = work.pop()
        obj = ctx.new.objects.get(parent)
        if parent in seen or not isinstance(obj, model.Table) or name not in obj.columns:
            continue
        seen.add(parent)
        found.append(ObjectId(ids.COLUMN, parent.schema, name, parent=parent.name))
        work.extend(parents(parent, ctx.new))
    return tuple(found)


def _generated_from(
    ctx: PlanContext, table_id: ObjectId, changed: ObjectId
) -> list[tuple[ObjectId, str, frozenset[str] | None]]:
    """PostgreSQL 15 refuses to change the type or collation of a column a generated column
    uses ("cannot alter type of a column used by a generated column", tablecmds.c): each
    generated column of the table that reads ``changed`` and stays generated is dropped
    before and added again after (its values are computed, so nothing is lost). One whose
    own expression changes is rebuilt by its own change already. Returns the cascade roots
    of the rebuilt columns."""
    table = ctx.old.objects.get(table_id)
    new_table = ctx.new.objects.get(table_id)
    if not isinstance(table, model.Table) or not isinstance(new_table, model.Table):
        return []
    rebuilt: list[tuple[ObjectId, str, frozenset[str] | None]] = []
    for column in table.columns.ordered:
        key = (table_id, column.name)
        new_column = new_table.columns.get(column.name)
        if (column.generated is None or new_column is None or key in ctx.rebuilt_columns
                or new_column.generated != column.generated
                or changed.name not in columns_referenced(column.generated)):
            continue
        ctx.defaults_done.add(key)
        ctx.rebuilt_columns.add(key)
        rebuilt.append(_rebuild_generated(
            ctx, table, new_table, column, changed,
            why=f"generated from {changed.qualified_name}, whose type changes"))
    return rebuilt


RowTyped = dict[tuple[str | None, str], list[tuple[model.Table, model.Column]]]


def _row_typed_columns(ctx: PlanContext) -> RowTyped:
    """The old schema's table columns of a user type, by the type's (schema, name), for
    :func:`_row_type_users` (once per plan, not a walk of every table per changed column)."""
    found: RowTyped = {}
    for table in ctx.old.tables.values():
        for column in table.columns.ordered:
            if column.type.schema is not None:
                found.setdefault((column.type.schema, column.type.name), []).append(
                    (table, column))
    return found


def _row_type_users(
    ctx: PlanContext, container: model.DbObject, changed: ObjectId, row_typed: RowTyped
) -> list[tuple[ObjectId, str, frozenset[str] | None]]:
    """Table columns of the row type of ``container`` (a table or composite type) one of whose
    columns changes type: PostgreSQL refuses the change while they exist ("cannot alter table
    ... because column ... uses its row type", find_composite_type_dependencies). They are
    kept as text meanwhile, their values printed and read back by the type's I/O functions,
    a default taken off and put back; returns them as cascade roots (a view reading one must
    go and come back too). A column that changes type or goes itself is left to its change."""
    roots: list[tuple[ObjectId, str, frozenset[str] | None]] = []
    kept: set[tuple[ObjectId, str]] = set()
    for table, column in row_typed.get((container.id.schema, container.id.name), ()):
        new_table = ctx.new.objects.get(table.id)
        if not isinstance(new_table, model.Table) or table.id == container.id:
            continue
        new_column = new_table.columns.get(column.name)
        if new_column is None or new_column.type != column.type:
            continue
        kept.add((table.id, column.name))
    for table, column in row_typed.get((container.id.schema, container.id.name), ()):
        if (table.id, column.name) not in kept:
            continue
        roots.append((table.id, f"the row type of {changed.qualified_name} changes",
                      frozenset({column.name})))  # fmt: skip
        if any((parent, column.name) in kept for parent in parents(table.id, ctx.old)):
            # The parent's ALTER COLUMN TYPE reaches its partitions' and inheritance
            # children's copies; theirs alone fails ("cannot alter inherited column").
            continue
        new_table = ctx.new.objects[table.id]
        assert isinstance(new_table, model.Table)
        _through_text(ctx, table, column, new_table.columns[column.name], changed)
    return roots


def _through_text(
    ctx: PlanContext,
    table: model.Table,
    column: model.Column,
    new_column: model.Column,
    changed: ObjectId,
) -> None:
    prefix = f"ALTER TABLE {names.relation(table.id)} ALTER COLUMN {quote_ident(column.name)}"
    via = "text[]" if column.type.array_dims else "text"
    name = quote_ident(column.name)
    why = f"of the row type {changed.parent}, one of whose columns changes type: kept as {via}"
    steps = []
    if column.default is not None:
        # text to the row type is an explicit cast only: the default would not convert back.
        ctx.defaults_done.add((table.id, column.name))
        steps.append(ctx.emit(f"{prefix} DROP DEFAULT", change=None, anchor=table.id,
                              phase=DROP_PHASE, needs=(table.id,)))  # fmt: skip
    to_text = ctx.emit(f"{prefix} TYPE {via} USING {name}::{via}", change=None, anchor=table.id,
                       phase=DROP_PHASE, needs=(table.id,), frees=(changed,), after=steps,
                       comment=f"{why} meanwhile",
                       hazards=() if ctx.is_new(table.id) else (REWRITES_TABLE, STRONG_LOCK))
    back = ctx.emit(f"{prefix} TYPE {column.type} USING {name}::{column.type}", change=None,
                    anchor=table.id, needs=(changed, table.id), after=[to_text], makes=(column.id,),
                    hazards=() if ctx.is_new(table.id) else (REWRITES_TABLE, STRONG_LOCK,
                                                             MAY_FAIL))  # fmt: skip
    statistics_targets_again(ctx, table.id, column.name, back)
    if new_column.default is not None and (column.default is not None or (
        (table.id, column.name) not in ctx.defaults_done
    )):
        ctx.defaults_done.add((table.id, column.name))
        ctx.emit(f"{prefix} SET DEFAULT {sql(new_column.default)}", change=None,
                 anchor=table.id, after=[back], needs=(column.id,))  # fmt: skip


def _attached_by_parent(ctx: PlanContext) -> dict[ObjectId, list[ObjectId]]:
    """The old schema's partitions' indexes and keys, by the parent's they are attached to."""
    found: dict[ObjectId, list[ObjectId]] = {}
    for kind in ON_KEYS:
        for obj in ctx.old.of_kind(kind).values():
            parent = getattr(obj, "attached_to", None)
            if parent is not None:
                found.setdefault(parent, []).append(obj.id)
    return found


def _key_dependents(
    ctx: PlanContext,
    key: ObjectId,
    foreign_keys: dict[ObjectId, list[model.Constraint]],
    attached: dict[ObjectId, list[ObjectId]],
) -> list[tuple[ObjectId, str]]:
    """What depends on the index or constraint ``key`` (what ``ctx.dependents`` would find
    from the whole graph, see ON_KEYS): the foreign keys that stay bound to it, on its table,
    the partitions' indexes or keys attached to it, and the grouped views relying on it."""
    table = getattr(ctx.old.objects.get(key), "table", None)
    if not isinstance(table, ObjectId):
        return []
    found = [(fk.id, reason) for fk in foreign_keys.get(table, ()) if fk.references == table
             for target, reason in ctx.old_dependencies.succ(fk.id).items()
             if target == key]  # fmt: skip
    for child in attached.get(key, ()):
        reason = ctx.old_dependencies.succ(child).get(key)
        if reason is not None:
            found.append((child, reason))
    found.extend(ctx.dependents(key, KEY_VIEWS))
    return found


def _foreign_keys_by_table(ctx: PlanContext) -> dict[ObjectId, list[model.Constraint]]:
    """The old schema's foreign keys that stay, by the tables on either side."""
    found: dict[ObjectId, list[model.Constraint]] = {}
    for fk in ctx.old.constraints.values():
        if fk.type == model.Constraint.FOREIGN_KEY and fk.references is not None and (
            fk.id in ctx.new.objects
        ):
            for table in {fk.table, fk.references}:
                found.setdefault(table, []).append(fk)
    return found


def _foreign_keys_broken_between(
    ctx: PlanContext, foreign_keys: Iterable[model.Constraint], table_id: ObjectId, column: str
) -> list[ObjectId]:
    """The foreign keys that stay, on ``column`` or referencing it, that PostgreSQL could not
    keep while the plan retypes their columns one ALTER at a time: ALTER COLUMN TYPE adds
    each foreign key on the column again at once, which fails ("cannot be implemented") when
    the column's new type cannot be compared with the other side's old one (varchar to uuid
    on both sides). Those are dropped before and created again after; a pair whose
    intermediate types compare (integer to bigint) is left to PostgreSQL."""
    lookup = domain_lookup(ctx.new, ctx.old)
    found: list[ObjectId] = []
    for fk in foreign_keys:
        assert fk.references is not None
        if not ((fk.table == table_id and column in fk.columns)
                or (fk.references == table_id and column in fk.referenced_columns)):
            continue
        for mine, theirs in zip(fk.columns, fk.referenced_columns, strict=False):
            old_f, new_f = _column_type(ctx.old, fk.table, mine), _column_type(ctx.new, fk.table,
                                                                                mine)  # fmt: skip
            old_p, new_p = (_column_type(ctx.old, fk.references, theirs),
                            _column_type(ctx.new, fk.references, theirs))  # fmt: skip
            if old_f is None or new_f is None or old_p is None or new_p is None:
                continue
            if not (foreign_key_compatible(new_f, old_p, domains=lookup)
                    and foreign_key_compatible(old_f, new_p, domains=lookup)):  # fmt: skip
                found.append(fk.id)
                break
    return found


def _foreign_keys_within_type(
    ctx: PlanContext,
    type_id: ObjectId,
    typed: Iterable[tuple[ObjectId, str, frozenset[str] | None]],
    foreign_keys: dict[ObjectId, list[model.Constraint]],
) -> list[ObjectId]:
    """The foreign keys that stay between two columns of a replaced enum or range type: the
    plan converts one table after the other from the old type (renamed) to the new one, and
    two user types never compare ("foreign key constraint ... cannot be implemented"), so
    they are dropped before and created again after. (A replaced domain's columns compare
    by their base types, which ALTER COLUMN TYPE leaves to PostgreSQL.)"""
    if type_id.kind == ids.DOMAIN:
        return []
    columns = {(table, name) for table, _, used in typed for name in used or ()}
    found: list[ObjectId] = []
    for table, name in sorted(columns, key=lambda c: (c[0].sort_key(), c[1])):
        for fk in foreign_keys.get(table, ()):
            assert fk.references is not None
            pairs = zip(fk.columns, fk.referenced_columns, strict=False)
            if fk.id not in found and any(
                (fk.table, mine) in columns and (fk.references, theirs) in columns
                and name in (mine, theirs) for mine, theirs in pairs
            ):
                found.append(fk.id)
    return found


def _column_type(schema: Schema, table: ObjectId, column: str) -> TypeRef | None:
    columns = getattr(schema.objects.get(table), "columns", None)
    found = columns.get(column) if isinstance(columns, model.Columns) else None
    return found.type if found is not None else None


def _rebuild_generated(
    ctx: PlanContext,
    table: model.Table,
    new_table: model.Table,
    column: model.Column,
    source: ObjectId,
    *,
    why: str,
) -> tuple[ObjectId, str, frozenset[str] | None]:
    """Drop ``column`` before what happens to ``source`` (which frees or removes it) and add
    it again after (it needs ``source`` made again)."""
    dropped = drop_column(ctx, table, column, None)
    dropped.hazards = ()
    dropped.frees = dropped.frees | {source}
    dropped.comment = why
    added = add_column(ctx, new_table, new_table.columns[column.name], None)
    added.after.append(dropped)
    if source.kind == ids.COLUMN:
        added.needs = added.needs | {source}
    elif source.kind in (ids.ENUM, ids.DOMAIN, ids.RANGE_TYPE):
        # The columns it reads of the replaced type are converted first (their ALTER makes
        # them again): the new expression compares them with values of the new type.
        new_column = new_table.columns[column.name]
        assert new_column.generated is not None
        read = columns_referenced(new_column.generated) - {column.name}
        added.needs = added.needs | set(column_ids(table, read))
    return table.id, f"column {column.id.qualified_name} is rebuilt", frozenset({column.name})
