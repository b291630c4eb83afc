"""Table constraints, indexes and extended statistics.

A constraint or index on a table the plan creates carries no hazard; on an existing table it
can fail on the rows already there (a UNIQUE, PRIMARY KEY, CHECK, FOREIGN KEY or EXCLUDE that
existing data violates) and blocks writes while it checks them. With ``not_valid=True`` new
CHECK and FOREIGN KEY constraints on existing tables are added ``NOT VALID`` and validated by a
second statement, which only takes a SHARE UPDATE EXCLUSIVE lock; with ``concurrently=True``
new indexes on existing tables are built ``CONCURRENTLY``, outside the transaction.
"""

from __future__ import annotations

import attrs

from pgdrift import ids, model
from pgdrift.differ.changes import (
    MAY_FAIL,
    NOT_TRANSACTIONAL,
    STRONG_LOCK,
    AttributeChange,
    Change,
)
from pgdrift.ids import ObjectId
from pgdrift.pg.indexes import index_element as write_index_element
from pgdrift.pg.quoting import quote_ident
from pgdrift.planner import attributes, names
from pgdrift.planner.clauses import (
    index_expression,
    paren,
    storage_options,
    with_options,
)
from pgdrift.planner.context import DROP_PHASE, Action, PlanContext, attached_id, persistence_id
from pgdrift.planner.handlers import alters, creates, drops
from pgdrift.planner.inheritance import (
    check_dropped_id,
    descendants,
    inherit_first,
    local_checks,
    parents_checks_dropped_first,
    uninherited_first,
)
from pgdrift.planner.partitions import (
    detached_first,
    detached_id,
    detached_with_table,
    partition_detached,
)

_FK_ACTIONS = {"no action": "NO ACTION", "restrict": "RESTRICT", "cascade": "CASCADE",
               "set null": "SET NULL", "set default": "SET DEFAULT"}  # fmt: skip


# Definitions -------------------------------------------------------------------------------


def _columns(columns: tuple[str, ...]) -> str:
    return ", ".join(quote_ident(c) for c in columns)


def index_element(element: model.IndexElement) -> str:
    """One key of CREATE INDEX or EXCLUDE as SQL."""
    expression = index_expression(element.expression) if element.expression is not None else None
    parameters = storage_options(element.opclass_options) if element.opclass else ""
    return write_index_element(element, quoted=True, expression=expression, parameters=parameters)


def _index_parameters(include: tuple[str, ...], options: model.Options,
                      tablespace: str | None) -> str:  # fmt: skip
    text = f" INCLUDE ({_columns(include)})" if include else ""
    text += with_options(options)
    if tablespace:
        text += f" USING INDEX TABLESPACE {quote_ident(tablespace)}"
    return text


def constraint_definition(constraint: model.Constraint, *, not_valid: bool = False) -> str:
    """What follows ``ADD CONSTRAINT name``."""
    kind = constraint.type
    if kind in (model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE):
        text = "PRIMARY KEY" if kind == model.Constraint.PRIMARY_KEY else "UNIQUE"
        if constraint.nulls_not_distinct:
            text += " NULLS NOT DISTINCT"
        text += f" ({_columns(constraint.columns)})"
        text += _index_parameters(constraint.include, constraint.index_options,
                                  constraint.index_tablespace)  # fmt: skip
    elif kind == model.Constraint.FOREIGN_KEY:
        assert constraint.references is not None
        text = f"FOREIGN KEY ({_columns(constraint.columns)}) REFERENCES "
        text += names.relation(constraint.references)
        if constraint.referenced_columns:
            text += f"({_columns(constraint.referenced_columns)})"
        if constraint.match != "simple":
            text += f" MATCH {constraint.match.upper()}"
        if constraint.on_update != "no action":
            text += f" ON UPDATE {_FK_ACTIONS[constraint.on_update]}"
        if constraint.on_delete != "no action":
            text += f" ON DELETE {_FK_ACTIONS[constraint.on_delete]}"
            if constraint.on_delete_columns:
                text += f" ({_columns(constraint.on_delete_columns)})"
    elif kind == model.Constraint.CHECK:
        assert constraint.expression is not None
        text = f"CHECK {paren(constraint.expression)}"
        if constraint.no_inherit:
            text += " NO INHERIT"
    elif kind == model.Constraint.EXCLUSION:
        elements = ", ".join(f"{index_element(e)} WITH {e.operator}" for e in constraint.elements)
        text = f"EXCLUDE USING {quote_ident(constraint.method or 'btree')} ({elements})"
        text += _index_parameters(constraint.include, constraint.index_options,
                                  constraint.index_tablespace)  # fmt: skip
        if constraint.where is not None:
            text += f" WHERE {paren(constraint.where)}"
    else:
        raise ValueError(f"unknown constraint type {kind!r}")
    if constraint.deferrable:
        text += " DEFERRABLE"
        if constraint.initially_deferred:
            text += " INITIALLY DEFERRED"
    if constraint.not_valid or not_valid:
        text += " NOT VALID"
    return text


def index_definition(index: model.Index, *, concurrently: bool = False) -> str:
    head = "CREATE UNIQUE INDEX" if index.unique else "CREATE INDEX"
    if concurrently:
        head += " CONCURRENTLY"
    only = "ONLY " if index.only else ""
    text = f"{head} {quote_ident(index.id.name)} ON {only}{names.relation(index.table)}"
    if index.method != "btree":
        text += f" USING {quote_ident(index.method)}"
    text += f" ({', '.join(index_element(e) for e in index.elements)})"
    if index.include:
        text += f" INCLUDE ({_columns(index.include)})"
    if index.nulls_not_distinct:
        text += " NULLS NOT DISTINCT"
    text += with_options(index.options)
    if index.tablespace:
        text += f" TABLESPACE {quote_ident(index.tablespace)}"
    if index.where is not None:
        text += f" WHERE {paren(index.where)}"
    return text


def _persistences(constraint: model.Constraint) -> list[ObjectId]:
    """A foreign key waits for both its tables' SET LOGGED / SET UNLOGGED: PostgreSQL lets a
    permanent table reference only permanent ones, which holds only once both are changed."""
    if constraint.references is None:
        return []
    return [persistence_id(constraint.table), persistence_id(constraint.references)]


def _table_kind_prefix(table: ObjectId) -> str:
    keyword = "FOREIGN TABLE" if table.kind == ids.FOREIGN_TABLE else "TABLE"
    return f"ALTER {keyword} {names.relation(table)}"


# Constraints ---------------------------------------------------------------------------------


def kept_by_detach(ctx: PlanContext, constraint: model.Constraint) -> bool:
    """Whether ``constraint`` is a foreign key that a partition detached by this plan keeps:
    DETACH PARTITION turns the partition's clone of its parent's foreign key into one of its
    own, under the same name (DetachPartitionFinalize), which pg_dump then prints."""
    if constraint.type != model.Constraint.FOREIGN_KEY:
        return False
    old_table = ctx.old.objects.get(constraint.table)
    new_table = ctx.new.objects.get(constraint.table)
    parent = getattr(old_table, "partition_of", None)
    if parent is None or getattr(new_table, "partition_of", None) == parent:
        return False
    if ctx.old.objects.get(constraint.id) is not None:
        return False
    assert isinstance(old_table, model.Table)
    return any(
        fk.name == constraint.name
        and attrs.evolve(fk, id=constraint.id, table=constraint.table) == constraint
        for fk in cloned_foreign_keys(ctx, old_table)
    )  # fmt: skip


def cloned_foreign_keys(ctx: PlanContext, partition: model.Table) -> list[model.Constraint]:
    """The foreign keys of ``partition``'s parent and of the tables above it (old schema): the
    partition holds a clone of each (pg_dump prints only the parent's), which DETACH PARTITION
    leaves on it as its own, under the parent's name."""
    found: list[model.Constraint] = []
    parent = partition.partition_of
    while parent is not None:
        found += [fk for fk in ctx.old.constraints_of(parent)
                  if fk.type == model.Constraint.FOREIGN_KEY]  # fmt: skip
        parent = getattr(ctx.old.objects.get(parent), "partition_of", None)
    return found


@creates(model.Constraint)
def create_constraint(
    ctx: PlanContext, constraint: model.Constraint, change: Change | None
) -> Action:
    if kept_by_detach(ctx, constraint):
        # The DETACH PARTITION step makes it: nothing to write.
        kept = ctx.emit(f"-- {constraint.id} is kept by DETACH PARTITION", change=change,
                        anchor=constraint.id)  # fmt: skip
        kept.dropped = True
        return kept
    existing = not ctx.is_new(constraint.table)
    kind = constraint.type
    validate_later = (
        existing and ctx.not_valid and not constraint.not_valid
        and kind in (model.Constraint.CHECK, model.Constraint.FOREIGN_KEY)
    )  # fmt: skip
    hazards: tuple[str, ...] = ()
    builds_index = kind in (model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE,
                            model.Constraint.EXCLUSION)  # fmt: skip
    if existing and (builds_index or not (validate_later or constraint.not_valid)):
        hazards = (MAY_FAIL, STRONG_LOCK)
    prefix = _table_kind_prefix(constraint.table)
    table = ctx.new.objects.get(constraint.table)
    if builds_index and getattr(table, "partition_key", None) is not None:
        # ONLY: the partitioned table's index starts out invalid and each partition's own
        # constraint, under its own name, is attached to it below, as pg_dump restores them;
        # without ONLY PostgreSQL would build the partitions' with names of its choosing.
        prefix = f"ALTER TABLE ONLY {names.relation(constraint.table)}"
    main = ctx.emit(
        f"{prefix} ADD CONSTRAINT {quote_ident(constraint.name)} "
        f"{constraint_definition(constraint, not_valid=validate_later)}",
        change=change, anchor=constraint.id, makes=(constraint.id,),
        needs=[*ctx.new_deps(constraint), *ctx.partitions(constraint.references, 1),
               *_persistences(constraint), *_keys_complete(ctx, constraint),
               *_children_first(ctx, constraint)],
        hazards=hazards,
    )  # fmt: skip
    if validate_later:
        # VALIDATE CONSTRAINT scans the table under SHARE UPDATE EXCLUSIVE: reads and writes
        # go on (docs: ALTER TABLE, "VALIDATE CONSTRAINT").
        ctx.emit(f"{prefix} VALIDATE CONSTRAINT {quote_ident(constraint.name)}",
                 change=change, anchor=constraint.id, needs=(constraint.id,),
                 hazards=(MAY_FAIL,))  # fmt: skip
    if constraint.attached_to is not None:
        attach_index(ctx, constraint.attached_to, constraint.id, change)
    if constraint.index_comment is not None:
        _index_comment(ctx, constraint, change)
    if builds_index:
        _index_switches(ctx, constraint.table, constraint.name, constraint.id, change)
    return main


def _index_switches(
    ctx: PlanContext, table_id: ObjectId, name: str, made: ObjectId, change: Change | None
) -> None:
    """REPLICA IDENTITY USING INDEX and CLUSTER ON for an index (or key constraint) the plan
    builds again on a table that keeps them: dropping the index took them off (PostgreSQL
    marks them on the index, pg_index.indisreplident and indisclustered), while the table
    reads unchanged, so its own switches (tables._table_switches) say nothing."""
    old, new = ctx.old.objects.get(table_id), ctx.new.objects.get(table_id)
    if old is None or new is None or ctx.is_new(table_id):
        return
    keyword = "MATERIALIZED VIEW" if isinstance(new, model.MaterializedView) else "TABLE"
    prefix = f"ALTER {keyword} {names.relation(table_id)}"
    identity = (getattr(new, "replica_identity", None), getattr(new, "replica_identity_index",
                                                                 None))  # fmt: skip
    if identity == ("index", name) and identity == (
        getattr(old, "replica_identity", None), getattr(old, "replica_identity_index", None)
    ):
        ctx.emit(f"{prefix} REPLICA IDENTITY USING INDEX {quote_ident(name)}", change=change,
                 anchor=table_id, needs=(table_id, made))  # fmt: skip
    if getattr(new, "clustered_on", None) == name == getattr(old, "clustered_on", None):
        ctx.emit(f"{prefix} CLUSTER ON {quote_ident(name)}", change=change, anchor=table_id,
                 needs=(table_id, made))  # fmt: skip


def _index_comment(ctx: PlanContext, constraint: model.Constraint, change: Change | None) -> None:
    """COMMENT ON INDEX of a key constraint's index (named as the constraint, in its schema)."""
    index = ObjectId(ids.INDEX, constraint.table.schema, constraint.name)
    attributes.emit_comment(ctx, index, None, constraint.index_comment, change,
                            needs=(constraint.id,))  # fmt: skip


@drops(model.Constraint)
def drop_constraint(
    ctx: PlanContext, constraint: model.Constraint, change: Change | None
) -> Action:
    # A partition's copy of its parent's constraint is its own once the plan detaches it.
    detached = partition_detached(constraint.table, ctx.old, ctx.new, ctx.rebuilt_tables)
    action = ctx.emit(
        f"{_table_kind_prefix(constraint.table)} DROP CONSTRAINT "
        f"{quote_ident(constraint.name)}",
        change=change, anchor=constraint.id, phase=DROP_PHASE, removes=(constraint.id,),
        uses=(constraint.table,),
        needs=[*([detached_id(constraint.table)] if detached else []),
               *detached_first(ctx, constraint.id, constraint.table),
               *uninherited_first(constraint.table, ctx.old, ctx.new, check=constraint.name),
               *(parents_checks_dropped_first(constraint.table, constraint.name, ctx.old)
                 if constraint.type == model.Constraint.CHECK else ())],
        makes=[check_dropped_id(constraint.id)] if constraint.type == model.Constraint.CHECK
        else [],
        # A foreign key into a partitioned table holds on to every partition of it too.
        frees=[*ctx.old_deps(constraint), *ctx.partitions(constraint.references, 0)],
    )  # fmt: skip
    # A partition's copy of its parent's constraint goes with the parent's too.
    action.implied_by = (constraint.table,
                         *filter(None, [None if detached else constraint.attached_to]))  # fmt: skip
    return action


@alters(model.Constraint)
def alter_constraint(
    ctx: PlanContext,
    change: Change,
    before: model.Constraint,
    after: model.Constraint,
    details: list[AttributeChange],
) -> None:
    fields = {d.field.split(".")[0] for d in details}
    prefix = _table_kind_prefix(after.table)
    name = quote_ident(after.name)
    if "not_valid" in fields and before.not_valid and not after.not_valid:
        ctx.emit(f"{prefix} VALIDATE CONSTRAINT {name}", change=change, anchor=after.id,
                 needs=(after.id,), hazards=(MAY_FAIL,))  # fmt: skip
        fields.discard("not_valid")
    if fields & {"deferrable", "initially_deferred"} and after.type == model.Constraint.FOREIGN_KEY:
        # Only foreign keys can change their timing in place (docs: ALTER TABLE,
        # "ALTER CONSTRAINT").
        timing = "DEFERRABLE" if after.deferrable else "NOT DEFERRABLE"
        if after.deferrable:
            timing += " INITIALLY DEFERRED" if after.initially_deferred else " INITIALLY IMMEDIATE"
        ctx.emit(f"{prefix} ALTER CONSTRAINT {name} {timing}", change=change, anchor=after.id,
                 needs=(after.id,))  # fmt: skip
        fields -= {"deferrable", "initially_deferred"}
    if "attached_to" in fields:
        _reattach(ctx, change, before, after)
        fields.discard("attached_to")
    if "index_comment" in fields:
        _index_comment(ctx, after, change)
        fields.discard("index_comment")
    if fields:
        # Anything else (a valid constraint made NOT VALID, the timing of a key): again.
        drop_constraint(ctx, before, change)
        create_constraint(ctx, after, change)


# Indexes -------------------------------------------------------------------------------------


@creates(model.Index)
def create_index(ctx: PlanContext, index: model.Index, change: Change | None) -> Action:
    existing = not ctx.is_new(index.table)
    table = ctx.new.objects.get(index.table)
    # CONCURRENTLY cannot build an index on a partitioned table (docs: CREATE INDEX).
    concurrently = (
        existing and ctx.concurrently and not index.only and index.attached_to is None
        and getattr(table, "partition_key", None) is None
    )  # fmt: skip
    hazards: list[str] = []
    if existing and not index.only:
        # ON ONLY a partitioned table builds nothing (the index starts invalid, its partitions'
        # indexes attach later): no scan, so no strong_lock and nothing to fail.
        if concurrently:
            hazards.append(NOT_TRANSACTIONAL)
        else:
            hazards.append(STRONG_LOCK)
        # A key expression or a predicate is evaluated on every existing row, and fails the
        # build on the first error (a division by zero, a cast that refuses a value).
        computes = index.where is not None or any(e.expression is not None
                                                  for e in index.elements)  # fmt: skip
        if index.unique or computes:
            hazards.append(MAY_FAIL)
    main = ctx.emit(index_definition(index, concurrently=concurrently), change=change,
                    anchor=index.id, makes=(index.id,), needs=ctx.new_deps(index),
                    hazards=hazards, transactional=not concurrently)  # fmt: skip
    for column, target in index.statistics:
        ctx.emit(f"ALTER INDEX {names.relation(index.id)} ALTER COLUMN {column} "
                 f"SET STATISTICS {target}", change=change, anchor=index.id,
                 needs=(index.id,))  # fmt: skip
    if index.attached_to is not None:
        attach_index(ctx, index.attached_to, index.id, change)
    _index_switches(ctx, index.table, index.name, index.id, change)
    return main


def attach_index(
    ctx: PlanContext, parent: ObjectId, child: ObjectId, change: Change | None
) -> Action:
    # The parent may be a constraint (a partitioned primary key): its index has its name.
    return ctx.emit(
        f"ALTER INDEX {quote_ident(parent.schema or 'public')}.{quote_ident(parent.name)} "
        f"ATTACH PARTITION {quote_ident(child.schema or 'public')}.{quote_ident(child.name)}",
        change=change, anchor=child, needs=(parent, child, *_partitions_of(ctx, child)),
        makes=(_complete_id(parent),),
    )  # fmt: skip


def _children_first(ctx: PlanContext, constraint: model.Constraint) -> tuple[ObjectId, ...]:
    """A CHECK waits for its inheritance children's own of its name (see local_checks), and
    for the INHERIT of those that are to inherit it only (see inherit_first)."""
    if constraint.type != model.Constraint.CHECK or constraint.no_inherit:
        return ()
    return (*local_checks(constraint.table, constraint.name, ctx.new),
            *inherit_first(constraint.table, constraint.name, ctx.old, ctx.new))


def _complete_id(key: ObjectId) -> ObjectId:
    """A stand-in id meaning "a partition's index is attached to the partitioned ``key``":
    the key is valid, and can be referenced, only once every partition's is."""
    return ObjectId("complete", key.schema, key.name, key.parent)


def _keys_complete(ctx: PlanContext, constraint: model.Constraint) -> list[ObjectId]:
    """What a foreign key waits for: the referenced table's partitioned keys complete (one
    still missing a partition's index is invalid: "there is no unique constraint matching
    given keys for referenced table")."""
    if constraint.references is None:
        return []
    return [_complete_id(key.id) for key in ctx.new.constraints_of(constraint.references)
            if key.type in (model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE)]


def _partitions_of(ctx: PlanContext, index: ObjectId) -> list[ObjectId]:
    """What an index must wait for before joining a partitioned index."""
    obj = ctx.new.objects.get(index)
    table = getattr(obj, "table", None)
    if not isinstance(table, ObjectId):
        return []
    return [attached_id(table)]


@drops(model.Index)
def drop_index(ctx: PlanContext, index: model.Index, change: Change | None) -> Action:
    detached = detached_with_table(index.id, ctx.old, ctx.new, ctx.rebuilt_tables)
    action = ctx.emit(f"DROP INDEX {names.relation(index.id)}", change=change, anchor=index.id,
                      phase=DROP_PHASE, removes=(index.id,), frees=ctx.old_deps(index),
                      needs=[*([detached_id(index.table)] if detached else []),
                             *detached_first(ctx, index.id, index.table)])  # fmt: skip
    # DROP INDEX on a partitioned index drops the partitions' indexes attached to it, but not
    # those of a partition detached first: that one goes on its own, once detached.
    action.implied_by = (index.table, *filter(None, [None if detached else index.attached_to]))
    return action


@alters(model.Index)
def alter_index(
    ctx: PlanContext,
    change: Change,
    before: model.Index,
    after: model.Index,
    details: list[AttributeChange],
) -> None:
    fields = {d.field.split(".")[0] for d in details}
    name = names.relation(after.id)
    if "options" in fields:
        old, new = dict(before.options), dict(after.options)
        removed = sorted(k for k in old if k not in new)
        if removed:
            ctx.emit(f"ALTER INDEX {name} RESET ({', '.join(quote_ident(k) for k in removed)})",
                     change=change, anchor=after.id, needs=(after.id,))  # fmt: skip
        changed = tuple((k, v) for k, v in after.options if old.get(k, object()) != v)
        if changed:
            ctx.emit(f"ALTER INDEX {name} SET ({storage_options(changed)})", change=change,
                     anchor=after.id, needs=(after.id,))  # fmt: skip
    if "tablespace" in fields:
        space = after.tablespace or "pg_default"
        ctx.emit(f"ALTER INDEX {name} SET TABLESPACE {quote_ident(space)}", change=change,
                 anchor=after.id, needs=(after.id,), hazards=(STRONG_LOCK,))  # fmt: skip
    if "statistics" in fields:
        old_stats = dict(before.statistics)
        new_stats = dict(after.statistics)
        for column in sorted(old_stats.keys() | new_stats.keys()):
            if old_stats.get(column) != new_stats.get(column):
                target = new_stats.get(column, -1)
                ctx.emit(f"ALTER INDEX {name} ALTER COLUMN {column} SET STATISTICS {target}",
                         change=change, anchor=after.id, needs=(after.id,))  # fmt: skip
    if "attached_to" in fields:
        _reattach(ctx, change, before, after)


def _reattach(
    ctx: PlanContext,
    change: Change,
    before: model.Index | model.Constraint,
    after: model.Index | model.Constraint,
) -> None:
    """An index (or key constraint) that joins another partitioned index, or leaves one.

    PostgreSQL has no DETACH for an index (docs: ALTER INDEX): DETACH PARTITION of its table
    detaches it by itself; otherwise it goes with its parent's DROP, so one that stays is built
    again after it. ATTACH PARTITION of a table attaches a matching index by itself, and an
    ALTER INDEX ... ATTACH PARTITION of one already attached there does nothing."""
    if before.attached_to is not None:
        old_table = ctx.old.objects.get(before.table)
        new_table = ctx.new.objects.get(after.table)
        old_parent = getattr(old_table, "partition_of", None)
        if old_parent is not None and old_parent != getattr(new_table, "partition_of", None):
            pass  # detached with its table
        elif before.attached_to in ctx.new.objects:
            ctx.warn(f"{after.id}: an index cannot leave the partitioned index "
                     f"{before.attached_to.qualified_name} it is attached to while that "
                     "stays; detach its table or rebuild the parent index by hand")  # fmt: skip
            return
        elif isinstance(after, model.Constraint):
            # Its parent's DROP CONSTRAINT (drop phase) took it along.
            create_constraint(ctx, after, change)
            return
        else:
            ctx.emit(index_definition(after), change=change, anchor=after.id,
                     makes=(after.id,), needs=ctx.new_deps(after),
                     hazards=(STRONG_LOCK,))  # fmt: skip
    if after.attached_to is not None:
        attach_index(ctx, after.attached_to, after.id, change)


# Extended statistics ---------------------------------------------------------------------------


@creates(model.Statistics)
def create_statistics(ctx: PlanContext, stats: model.Statistics, change: Change | None) -> Action:
    kinds = f" ({', '.join(stats.kinds)})" if stats.kinds else ""
    items = [quote_ident(c) for c in stats.columns] + [paren(e) for e in stats.expressions]
    main = ctx.emit(
        f"CREATE STATISTICS {names.relation(stats.id)}{kinds} ON {', '.join(items)} "
        f"FROM {names.relation(stats.table)}",
        change=change, anchor=stats.id, makes=(stats.id,), needs=ctx.new_deps(stats),
    )  # fmt: skip
    if stats.target is not None:
        statistics_target(ctx, stats, change)
    return main


def statistics_target(
    ctx: PlanContext, stats: model.Statistics, change: Change | None
) -> Action:
    """``ALTER STATISTICS ... SET STATISTICS`` of ``stats``'s target (-1: the default)."""
    target = stats.target if stats.target is not None else -1
    return ctx.emit(f"ALTER STATISTICS {names.relation(stats.id)} SET STATISTICS {target}",
                    change=change, anchor=stats.id, needs=(stats.id,))  # fmt: skip


def statistics_targets_again(
    ctx: PlanContext, table: ObjectId, column: str, step: Action
) -> None:
    """After ``step``, an ALTER COLUMN TYPE of ``table``'s ``column``: PostgreSQL 15 rebuilds
    the extended statistics on the column from their definition, which leaves out the target
    (RememberStatisticsForRebuilding), so a target the statistics keep is set again. The
    ALTER reaches the column's copies in the table's partitions and inheritance children,
    with their statistics."""
    if ctx.is_new(table):
        return
    for table_id in (table, *descendants(table, ctx.old)):
        for stats_id, _ in ctx.dependents(table_id, (ids.STATISTICS,)):
            before, now = ctx.old.objects.get(stats_id), ctx.new.objects.get(stats_id)
            if isinstance(before, model.Statistics) and isinstance(now, model.Statistics) and (
                now.target is not None and column in ctx.names_in(now, 1)
            ):
                statistics_target(ctx, now, None).after.append(step)


@drops(model.Statistics)
def drop_statistics(ctx: PlanContext, stats: model.Statistics, change: Change | None) -> Action:
    action = ctx.emit(f"DROP STATISTICS {names.relation(stats.id)}", change=change,
                      anchor=stats.id, phase=DROP_PHASE, removes=(stats.id,),
                      frees=ctx.old_deps(stats))  # fmt: skip
    action.implied_by = (stats.table,)
    return action


@alters(model.Statistics)
def alter_statistics(
    ctx: PlanContext,
    change: Change,
    before: model.Statistics,
    after: model.Statistics,
    details: list[AttributeChange],
) -> None:
    if any(d.field == "target" for d in details):
        statistics_target(ctx, after, change)
