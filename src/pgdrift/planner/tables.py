"""Tables, foreign tables and their columns (and the attributes of composite types, which
PostgreSQL alters the same way): CREATE, DROP and every ALTER TABLE form the model can ask for.

A new table is created with its columns, defaults, NOT NULL and identity; its constraints,
indexes, triggers and policies are statements of their own (as pg_dump writes them), so
foreign keys between new tables never form a cycle. A partition is created as a table of its
own and then attached, after its indexes exist, so that the attachment adopts them instead of
building new ones under other names.
"""

from __future__ import annotations

from collections.abc import Collection

import attrs

from pgdrift import ids, model
from pgdrift.differ.changes import (
    DELETES_DATA,
    MAY_FAIL,
    REWRITES_TABLE,
    STRONG_LOCK,
    AttributeChange,
    Change,
)
from pgdrift.expr import Expr, walk
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident
from pgdrift.planner import attributes, names
from pgdrift.planner.attachments import attach_partition, detach_before_drop, detach_partition
from pgdrift.planner.clauses import (
    b_expr,
    collate,
    fdw_option_changes,
    fdw_options,
    paren,
    sequence_options,
    sql,
    storage_options,
)
from pgdrift.planner.constraints import constraint_definition
from pgdrift.planner.context import (
    DROP_PHASE,
    Action,
    PlanContext,
    all_column_ids,
    persistence_id,
)
from pgdrift.planner.handlers import alters, creates, drops
from pgdrift.planner.inheritance import (
    check_dropped_id,
    inherited_id,
    inherited_only_checks,
    merged_first,
    uninherited_id,
)
from pgdrift.planner.inherited_columns import inherited_column_settings
from pgdrift.planner.partitions import (
    partition_detached,
)
from pgdrift.planner.persistence import persistence_waits

# Calls a column default may make without forcing a table rewrite on ADD COLUMN: PostgreSQL
# evaluates a non-volatile default once and stores it in the catalog (docs: ALTER TABLE,
# Notes, "fast default"); a volatile one (random(), nextval(), gen_random_uuid()...) is
# computed for every existing row.
_STABLE_CALLS = frozenset({"now", "transaction_timestamp", "statement_timestamp",
                           "current_database", "current_schema", "current_user",
                           "session_user", "current_setting", "to_jsonb", "jsonb_build_object",
                           "json_build_object", "array", "lower", "upper"})  # fmt: skip
_ROW_SECURITY = {(False, True): "ENABLE", (True, False): "DISABLE"}


# Definitions -------------------------------------------------------------------------------


def column_definition(column: model.Column) -> str:
    """``name type [COLLATE c] [GENERATED ...] [DEFAULT e] [NOT NULL]``."""
    parts = [quote_ident(column.name), str(column.type)]
    if column.fdw_options:
        parts.append(fdw_options(column.fdw_options).strip())
    if column.compression:
        parts.append(f"COMPRESSION {quote_ident(column.compression)}")
    if column.collation:
        parts.append(collate(column.collation).strip())
    if column.generated is not None:
        parts.append(f"GENERATED ALWAYS AS {paren(column.generated)} STORED")
    elif column.identity is not None:
        parts.append(identity_clause(column.identity))
    if column.default is not None and column.generated is None:
        parts.append(f"DEFAULT {b_expr(column.default)}")
    if column.not_null:
        parts.append("NOT NULL")
    return " ".join(parts)


def identity_clause(identity: model.Identity) -> str:
    words = "ALWAYS" if identity.always else "BY DEFAULT"
    options = []
    if identity.sequence is not None:
        options.append(f"SEQUENCE NAME {names.relation(identity.sequence)}")
    if identity.options is not None:
        options.extend(sequence_options(identity.options))
    suffix = f" ({' '.join(options)})" if options else ""
    return f"GENERATED {words} AS IDENTITY{suffix}"


def table_definition(table: model.Table, *, without_defaults: Collection[str] = ()) -> str:
    keyword = "FOREIGN TABLE" if isinstance(table, model.ForeignTable) else "TABLE"
    if table.persistence == "unlogged":
        keyword = "UNLOGGED TABLE"
    head = f"CREATE {keyword} {names.relation(table.id)}"
    local = [c for c in table.columns.ordered if not c.inherited]
    if table.of_type is not None:
        typed = [_typed_column(c) for c in table.columns.ordered]
        body = f" OF {table.of_type}"
        shown = [t for t in typed if t is not None]
        if shown:
            body += " (\n    " + ",\n    ".join(shown) + "\n)"
    else:
        items = [column_definition(attrs.evolve(c, default=None) if c.name in without_defaults
                                   else c) for c in local]  # fmt: skip
        body = " (\n    " + ",\n    ".join(items) + "\n)" if items else " ()"
    tail = ""
    if table.inherits:
        tail += f"\nINHERITS ({', '.join(names.relation(p) for p in table.inherits)})"
    if table.partition_key is not None:
        tail += f"\nPARTITION BY {partition_key(table.partition_key)}"
    if isinstance(table, model.ForeignTable):
        tail += f"\nSERVER {quote_ident(table.server)}{fdw_options(table.fdw_options)}"
        return head + body + tail
    if table.access_method and table.access_method != "heap" and table.partition_key is None:
        tail += f"\nUSING {quote_ident(table.access_method)}"
    if table.options:
        tail += f"\nWITH ({storage_options(table.options)})"
    if table.tablespace:
        tail += f"\nTABLESPACE {quote_ident(table.tablespace)}"
    return head + body + tail


def _typed_column(column: model.Column) -> str | None:
    extras = []
    if column.default is not None:
        extras.append(f"DEFAULT {b_expr(column.default)}")
    if column.not_null:
        extras.append("NOT NULL")
    if not extras:
        return None
    return f"{quote_ident(column.name)} WITH OPTIONS {' '.join(extras)}"


def partition_key(key: model.PartitionKey) -> str:
    elements = []
    for element in key.elements:
        text = quote_ident(element.column) if element.column else (
            paren(element.expression) if element.expression is not None else "")  # fmt: skip
        text += collate(element.collation)
        if element.opclass:
            text += " " + ".".join(quote_ident(p) for p in element.opclass.split("."))
        elements.append(text)
    return f"{key.strategy.upper()} ({', '.join(elements)})"


def is_volatile(expr: Expr | None) -> bool:
    """Whether a default must be computed row by row (see ``_STABLE_CALLS``)."""
    if expr is None:
        return False
    for node in walk(expr.tree):
        if node[0] == "FuncCall":
            names_ = [dict(n[1]).get("sval", "") for n in dict(node[1]).get("funcname", ())]
            if not names_ or names_[-1] not in _STABLE_CALLS:
                return True
    return False


# Tables --------------------------------------------------------------------------------------


@creates(model.Table)
def create_table(ctx: PlanContext, table: model.Table, change: Change | None) -> Action:
    ctx.created_tables.add(table.id)
    makes = [table.id, *all_column_ids(table)]
    makes += [c.identity.sequence for c in table.columns.ordered
              if c.identity is not None and c.identity.sequence is not None]  # fmt: skip
    looping = _defaults_calling_back(ctx, table, 1)
    needs = ctx.new_deps(table) - {table.partition_of} - set().union(*looping.values())
    main = ctx.emit(table_definition(table, without_defaults=looping), change=change,
                    anchor=table.id, makes=makes, needs=needs)  # fmt: skip
    for name in sorted(looping):
        column = table.columns[name]
        assert column.default is not None
        ctx.emit(f"ALTER TABLE {names.relation(table.id)} ALTER COLUMN {quote_ident(name)} "
                 f"SET DEFAULT {sql(column.default)}", change=change, anchor=table.id,
                 needs=(column.id, *ctx.column_deps(table, column, 1)),
                 comment="set apart: the default calls a routine that reads the table")
    for column in table.columns.ordered:
        column_extras(ctx, table, column, change)
        if table.of_type is None:
            inherited_column_settings(ctx, table, column, change)
    if table.partition_of is not None:
        attach_partition(ctx, table, change)
    _table_switches(ctx, table, None, change)
    return main


def column_extras(
    ctx: PlanContext, table: model.Table, column: model.Column, change: Change | None
) -> None:
    """What CREATE TABLE cannot say about a column: storage, statistics, options, comments,
    privileges."""
    prefix = f"ALTER TABLE {names.relation(table.id)} ALTER COLUMN {quote_ident(column.name)}"
    needs = (column.id,)
    if column.storage:
        ctx.emit(f"{prefix} SET STORAGE {column.storage.upper()}", change=change,
                 anchor=table.id, needs=needs)  # fmt: skip
    if column.statistics is not None and column.statistics >= 0:
        ctx.emit(f"{prefix} SET STATISTICS {column.statistics}", change=change,
                 anchor=table.id, needs=needs)  # fmt: skip
    if column.options:
        ctx.emit(f"{prefix} SET ({storage_options(column.options)})", change=change,
                 anchor=table.id, needs=needs)  # fmt: skip
    if column.comment is not None:
        attributes.emit_comment(ctx, column.id, column, column.comment, change)
    for label in column.security_labels:
        attributes.emit_label(ctx, column.id, column, label, change)
    if column.privileges:
        attributes.emit_privileges(ctx, table.id, table, set(), set(column.privileges),
                                   change=change, column=column.name)  # fmt: skip


def _uninherit(
    ctx: PlanContext, change: Change, before: model.Table, after: model.Table, parent: ObjectId
) -> None:
    """NO INHERIT, then DROP of each CHECK it leaves the table as its own that it only
    inherited (see inherited_only_checks): one the target holds of its own is added again."""
    relation = names.relation(after.id)
    given = inherited_only_checks(parent, before.id, ctx.old)
    uninherit = ctx.emit(f"ALTER TABLE {relation} NO INHERIT {names.relation(parent)}",
                         change=change, anchor=after.id, phase=DROP_PHASE,
                         frees=(parent, *(c.id for c in given)),
                         makes=(uninherited_id(after.id, parent),))  # fmt: skip
    still = {c.name for p in before.inherits if p in after.inherits
             for c in inherited_only_checks(p, before.id, ctx.old)}  # fmt: skip
    for check in given:
        if check.name not in still:
            ctx.emit(f"ALTER TABLE {relation} DROP CONSTRAINT {quote_ident(check.name)}",
                     change=change, anchor=after.id, phase=DROP_PHASE, after=[uninherit],
                     removes=(ObjectId(ids.CONSTRAINT, after.id.schema, check.name,
                                       after.id.name),),
                     comment=f"NO INHERIT leaves {after.id.qualified_name} the CHECK "
                     f"{check.name} of {parent.qualified_name} as its own")  # fmt: skip


def _inherit(
    ctx: PlanContext, change: Change, after: model.Table, parent: ObjectId, *, existing: bool
) -> None:
    """INHERIT; each CHECK the table is to inherit only (see inherited_only_checks) that the
    parent keeps as it is comes off the parent before and goes back on after, reaching the
    table (and the parent's other children as they were). One the plan changes or adds
    on the parent is ordered the same way by its own DROP and ADD."""
    relation, parent_relation = names.relation(after.id), names.relation(parent)
    kept, waits = [], []
    for check in inherited_only_checks(parent, after.id, ctx.new):
        if ctx.old.objects.get(check.id) == check:
            kept.append(check)
        elif check.id in ctx.old.objects:
            waits.append(check_dropped_id(check.id))
    why = f"so that {after.id.qualified_name} inherits it only"
    dropped = [ctx.emit(f"ALTER TABLE {parent_relation} DROP CONSTRAINT {quote_ident(c.name)}",
                        change=change, anchor=after.id, needs=(parent,), comment=why)
               for c in kept]  # fmt: skip
    inherit = ctx.emit(f"ALTER TABLE {relation} INHERIT {parent_relation}",
                       change=change, anchor=after.id, after=dropped,
                       needs=(after.id, parent, *merged_first(after, parent, ctx.new), *waits),
                       makes=(inherited_id(after.id, parent),),
                       hazards=(STRONG_LOCK,) if existing else ())  # fmt: skip
    for check in kept:
        ctx.emit(f"ALTER TABLE {parent_relation} ADD CONSTRAINT {quote_ident(check.name)} "
                 f"{constraint_definition(check)}{' NOT VALID' if check.not_valid else ''}",
                 change=change, anchor=after.id, after=[inherit], comment=why,
                 makes=(ObjectId(ids.CONSTRAINT, after.id.schema, check.name, after.id.name),),
                 needs=ctx.new_deps(check),
                 hazards=() if check.not_valid else (MAY_FAIL, STRONG_LOCK))  # fmt: skip


def _table_switches(
    ctx: PlanContext, table: model.Table, before: model.Table | None, change: Change | None
) -> None:
    """Row level security, replica identity and CLUSTER ON, for a new table or a changed one."""
    relation = names.relation(table.id)
    old_rls = (before.rls_enabled, before.rls_forced) if before else (False, False)
    if table.rls_enabled != old_rls[0]:
        word = "ENABLE" if table.rls_enabled else "DISABLE"
        ctx.emit(f"ALTER TABLE {relation} {word} ROW LEVEL SECURITY", change=change,
                 anchor=table.id, needs=(table.id,))  # fmt: skip
    if table.rls_forced != old_rls[1]:
        word = "FORCE" if table.rls_forced else "NO FORCE"
        ctx.emit(f"ALTER TABLE {relation} {word} ROW LEVEL SECURITY", change=change,
                 anchor=table.id, needs=(table.id,))  # fmt: skip
    old_identity = (before.replica_identity, before.replica_identity_index) if before else (
        "default", None)  # fmt: skip
    if (table.replica_identity, table.replica_identity_index) != old_identity:
        needs = [table.id]
        if table.replica_identity == "index" and table.replica_identity_index:
            what = f"USING INDEX {quote_ident(table.replica_identity_index)}"
            needs += _index_ids(table, table.replica_identity_index)
        else:
            what = table.replica_identity.upper()
        ctx.emit(f"ALTER TABLE {relation} REPLICA IDENTITY {what}", change=change,
                 anchor=table.id, needs=needs)  # fmt: skip
    old_cluster = before.clustered_on if before else None
    if table.clustered_on != old_cluster:
        if table.clustered_on is None:
            ctx.emit(f"ALTER TABLE {relation} SET WITHOUT CLUSTER", change=change,
                     anchor=table.id, needs=(table.id,))  # fmt: skip
        else:
            ctx.emit(f"ALTER TABLE {relation} CLUSTER ON {quote_ident(table.clustered_on)}",
                     change=change, anchor=table.id,
                     needs=(table.id, *_index_ids(table, table.clustered_on)))  # fmt: skip


def _index_ids(table: model.Table, index: str) -> list[ObjectId]:
    """The index or the constraint an index name may stand for."""
    return [ObjectId(ids.INDEX, table.id.schema, index),
            ObjectId(ids.CONSTRAINT, table.id.schema, index, parent=table.id.name)]  # fmt: skip


@drops(model.Table)
def drop_table(ctx: PlanContext, table: model.Table, change: Change | None) -> Action:
    ctx.dropped_tables.add(table.id)
    keyword = "FOREIGN TABLE" if isinstance(table, model.ForeignTable) else "TABLE"
    removes = [table.id, *all_column_ids(table)]
    removes += [c.identity.sequence for c in table.columns.ordered
                if c.identity is not None and c.identity.sequence is not None]  # fmt: skip
    hazards = () if isinstance(table, model.ForeignTable) else (DELETES_DATA,)
    if table.partition_key is not None and all(
        partition_detached(p, ctx.old, ctx.new, ctx.rebuilt_tables)
        for p in ctx.partitions(table.id, 0) if ctx.old.objects.get(p) is not None
        and getattr(ctx.old.objects.get(p), "partition_of", None) == table.id
    ):
        hazards = ()  # a partitioned table holds no rows; its partitions are detached first
    looping = _defaults_calling_back(ctx, table, 0)
    for name in sorted(looping):
        ctx.emit(f"ALTER TABLE {names.relation(table.id)} ALTER COLUMN {quote_ident(name)} "
                 "DROP DEFAULT", change=change, anchor=table.id, phase=DROP_PHASE,
                 frees=looping[name])  # fmt: skip
    detached = detach_before_drop(ctx, table, change)
    return ctx.emit(f"DROP {keyword} {names.relation(table.id)}", change=change,
                    anchor=table.id, phase=DROP_PHASE, removes=removes, needs=detached,
                    frees=ctx.old_deps(table) - set().union(*looping.values()),
                    hazards=hazards)  # fmt: skip


def _defaults_calling_back(
    ctx: PlanContext, table: model.Table, side: int
) -> dict[str, frozenset[ObjectId]]:
    """Columns whose default calls a routine whose SQL body reads this table, with those
    routines: neither can be created (or dropped) first, so the default is set apart, after
    the routine (or taken off before it goes), as pg_dump does."""
    dependencies = ctx.new_dependencies if side else ctx.old_dependencies
    calling_back = {oid for oid in dependencies.succ(table.id)
                    if oid.kind in ids.ROUTINE_KINDS and table.id in dependencies.succ(oid)}
    found: dict[str, frozenset[ObjectId]] = {}
    if not calling_back:
        return found
    for column in table.columns.ordered:
        if column.default is not None:
            routines = calling_back & ctx.column_deps(table, column, side)
            if routines:
                found[column.name] = frozenset(routines)
    return found


@alters(model.Table)
def alter_table(
    ctx: PlanContext,
    change: Change,
    before: model.Table,
    after: model.Table,
    details: list[AttributeChange],
) -> None:
    relation = names.relation(after.id)
    keyword = "FOREIGN TABLE" if isinstance(after, model.ForeignTable) else "TABLE"
    fields = {d.field.split(".")[0] for d in details}
    existing = not ctx.is_new(after.id)
    if "persistence" in fields:
        word = "UNLOGGED" if after.persistence == "unlogged" else "LOGGED"
        ctx.emit(f"ALTER TABLE {relation} SET {word}", change=change, anchor=after.id,
                 needs=(after.id, *persistence_waits(ctx, after)),
                 makes=(persistence_id(after.id),),
                 hazards=(REWRITES_TABLE, STRONG_LOCK) if existing else ())  # fmt: skip
    if "options" in fields:
        set_reset(ctx, change, after.id, f"ALTER {keyword} {relation}", old=before.options,
                   new=after.options)  # fmt: skip
    if "fdw_options" in fields:
        clause = fdw_option_changes(getattr(before, "fdw_options", ()),
                                    getattr(after, "fdw_options", ()))  # fmt: skip
        if clause:
            ctx.emit(f"ALTER FOREIGN TABLE {relation} {clause}", change=change, anchor=after.id,
                     needs=(after.id,))  # fmt: skip
    if "tablespace" in fields:
        space = after.tablespace or "pg_default"
        ctx.emit(f"ALTER TABLE {relation} SET TABLESPACE {quote_ident(space)}", change=change,
                 anchor=after.id, needs=(after.id,),
                 hazards=(REWRITES_TABLE, STRONG_LOCK) if existing else ())  # fmt: skip
    if "access_method" in fields and after.partition_key is None:
        rewrite = (REWRITES_TABLE, STRONG_LOCK) if existing else ()
        attributes.set_access_method(ctx, "TABLE", before, after, change, hazards=rewrite)
    if "inherits" in fields:
        for parent in before.inherits:
            if parent not in after.inherits:
                _uninherit(ctx, change, before, after, parent)
        for parent in after.inherits:
            if parent not in before.inherits:
                _inherit(ctx, change, after, parent, existing=existing)
    if fields & {"partition_of", "partition_bound"}:
        if before.partition_of is not None:
            detach_partition(ctx, before, change)
        if after.partition_of is not None:
            attach_partition(ctx, after, change)
    if "of_type" in fields:
        _change_of_type(ctx, change, before, after)
    if "server" in fields:
        ctx.warn(f"{after.id}: a foreign table cannot move to another server; "
                 "drop and recreate it by hand")  # fmt: skip
    # "column_order": planner.column_order warns about it, with added columns in view.
    _table_switches(ctx, after, before, change)
    handled = {"persistence", "options", "fdw_options", "tablespace", "access_method",
               "inherits", "partition_of", "partition_bound", "of_type", "server", "column_order",
               "rls_enabled", "rls_forced", "replica_identity", "replica_identity_index",
               "clustered_on"}  # fmt: skip
    for field in sorted(fields - handled):
        ctx.warn(f"{after.id}: cannot plan a change of {field}")


def _change_of_type(
    ctx: PlanContext, change: Change, before: model.Table, after: model.Table
) -> None:
    """``NOT OF`` detaches a typed table from its type, keeping its columns; ``OF`` ties it to
    one once its columns are the type's (differ.compare replaces the table otherwise)."""
    relation = names.relation(after.id)
    if before.of_type is not None:
        old_type = ObjectId(ids.COMPOSITE_TYPE, before.of_type.schema, before.of_type.name)
        # Before any column of it is retyped or dropped ("cannot alter column type of typed
        # table").
        ctx.emit(f"ALTER TABLE {relation} NOT OF", change=change, anchor=after.id,
                 phase=DROP_PHASE, frees=(old_type, *(c.id for c in before.columns.ordered)))
    if after.of_type is not None:
        new_type = ObjectId(ids.COMPOSITE_TYPE, after.of_type.schema, after.of_type.name)
        ctx.emit(f"ALTER TABLE {relation} OF {after.of_type}", change=change, anchor=after.id,
                 needs=(after.id, new_type, *(c.id for c in after.columns.ordered)),
                 hazards=(STRONG_LOCK,) if not ctx.is_new(after.id) else ())  # fmt: skip


def set_reset(
    ctx: PlanContext,
    change: Change | None,
    oid: ObjectId,
    prefix: str,
    *,
    old: model.Options,
    new: model.Options,
) -> None:
    """``SET (k=v)`` for new or changed storage options, ``RESET (k)`` for removed ones."""
    before, after = dict(old), dict(new)
    changed = tuple((k, v) for k, v in new if before.get(k, object()) != v or k not in before)
    removed = sorted(k for k in before if k not in after)
    if removed:
        keys = ", ".join(".".join(quote_ident(p) for p in k.split(".")) for k in removed)
        ctx.emit(f"{prefix} RESET ({keys})", change=change, anchor=oid, needs=(oid,))
    if changed:
        ctx.emit(f"{prefix} SET ({storage_options(changed)})", change=change, anchor=oid,
                 needs=(oid,))  # fmt: skip
