"""Migration rules: each step of a plan ``A -> B`` judged by its hazards and by the schema it
runs on (A: what exists, and so holds rows, before the step)."""

from __future__ import annotations

from collections.abc import Iterator

from pgdrift import model
from pgdrift.differ.changes import Created, Renamed
from pgdrift.ids import ObjectId
from pgdrift.linter.context import PlanContext
from pgdrift.linter.registry import MIGRATION, Hit, rule
from pgdrift.pg.hazards import Hazard
from pgdrift.planner import HAZARD_TEXT, Step


def _object(step: Step) -> model.DbObject | None:
    change = step.change
    if change is None:
        return None
    return change.after if change.after is not None else change.before


def _first_line(step: Step) -> str:
    lines = step.sql.strip().splitlines()
    return lines[0] if lines else ""


def _existing(ctx: PlanContext, table: object) -> bool:
    """True when ``table`` (an ObjectId) exists in the schema the plan starts from."""
    return ctx.old is not None and table in ctx.old.objects


def _created(ctx: PlanContext, cls: type[model.DbObject]) -> Iterator[tuple[Step, model.DbObject]]:
    for step in ctx.plan:
        if isinstance(step.change, Created) and isinstance(step.change.after, cls):
            yield step, step.change.after


def _column_table(column: model.DbObject) -> ObjectId:
    return ObjectId("table", column.id.schema, column.id.parent or "")


@rule(
    code="PD401", name="add-not-null-column-without-default", scope=MIGRATION,
    severity="error",
    summary="A NOT NULL column without a default is added to an existing table.",
    remediation="Add the column nullable (or with a default), backfill it, then SET NOT NULL.",
    bad="ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;",
    good="""
ALTER TABLE users ADD COLUMN tenant_id bigint;
UPDATE users SET tenant_id = 1 WHERE tenant_id IS NULL;
ALTER TABLE users ALTER COLUMN tenant_id SET NOT NULL;
""",
)  # fmt: skip
def add_not_null_column_without_default(ctx: PlanContext) -> Iterator[Hit]:
    """Existing rows get NULL in a new column that has no default; with NOT NULL the ALTER
    fails on the first table that has a row, so the migration works on an empty development
    database and fails in production."""
    for _step, column in _created(ctx, model.Column):
        assert isinstance(column, model.Column)
        if (column.not_null and column.default is None and column.identity is None
                and column.generated is None and _existing(ctx, _column_table(column))):
            yield column, (f"NOT NULL column {column.qualified_name} without a default is "
                           "added to an existing table")  # fmt: skip


@rule(
    code="PD402", name="add-column-rewrites-table", scope=MIGRATION, severity="warning",
    summary="Adding a column rewrites the table (a volatile default, or a stored generated "
    "column).",
    remediation="Add the column without the default, set the default for new rows, and "
    "backfill existing rows in batches.",
    bad="ALTER TABLE orders ADD COLUMN ref uuid DEFAULT gen_random_uuid();",
    good="""
ALTER TABLE orders ADD COLUMN ref uuid;
ALTER TABLE orders ALTER COLUMN ref SET DEFAULT gen_random_uuid();
UPDATE orders SET ref = gen_random_uuid() WHERE ref IS NULL;  -- in batches
""",
)  # fmt: skip
def add_column_rewrites_table(ctx: PlanContext) -> Iterator[Hit]:
    """A constant default is stored once in the catalog, but a volatile one (random(),
    gen_random_uuid(), clock_timestamp()) must be computed per row: PostgreSQL rewrites the
    whole table under an ACCESS EXCLUSIVE lock (docs: ALTER TABLE, Notes)."""
    for step, column in _created(ctx, model.Column):
        if Hazard.REWRITES_TABLE in step.hazards:
            yield column, f"adding column {column.qualified_name} rewrites the table"


@rule(
    code="PD403", name="column-type-change", scope=MIGRATION, severity="warning",
    summary="A column's type change rewrites the table or may fail on existing rows.",
    remediation="Add a new column of the new type, backfill it, switch readers and writers "
    "over, then drop the old column.",
    bad="ALTER TABLE events ALTER COLUMN id TYPE bigint;",
    good="""
ALTER TABLE events ADD COLUMN id_new bigint;
-- backfill id_new in batches, switch the application, then swap the columns
""",
)  # fmt: skip
def column_type_change(ctx: PlanContext) -> Iterator[Hit]:
    """Unless the new type is binary-coercible (varchar(n) to text, a longer varchar), ALTER
    COLUMN TYPE rewrites the table and its indexes under an ACCESS EXCLUSIVE lock, and a cast
    that can fail (text to integer) aborts on the first bad row."""
    for step in ctx.plan:
        obj = _object(step)
        kinds = {Hazard.REWRITES_TABLE, Hazard.MAY_FAIL} & set(step.hazards)
        if isinstance(obj, model.Column) and " TYPE " in f" {_first_line(step)} " and kinds:
            what = " and ".join(sorted(HAZARD_TEXT[k] for k in kinds))
            yield obj, f"changing the type of {obj.qualified_name} {what}"


@rule(
    code="PD404", name="create-index-not-concurrently", scope=MIGRATION, severity="warning",
    summary="An index is created on an existing table without CONCURRENTLY.",
    remediation="CREATE INDEX CONCURRENTLY, outside a transaction (pgdrift diff "
    "--concurrently).",
    bad="CREATE INDEX orders_created_at_idx ON orders (created_at);",
    good="CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);",
)  # fmt: skip
def create_index_not_concurrently(ctx: PlanContext) -> Iterator[Hit]:
    """CREATE INDEX holds a SHARE lock on the table while it reads every row: all writes wait
    until the index is built. CONCURRENTLY builds it while writes go on."""
    for step, index in _created(ctx, model.Index):
        assert isinstance(index, model.Index)
        if step.transactional and _existing(ctx, index.table):
            yield index, (f"index {index.qualified_name} is created on existing table "
                          f"{index.table.qualified_name} without CONCURRENTLY")  # fmt: skip


@rule(
    code="PD405", name="constraint-without-not-valid", scope=MIGRATION, severity="warning",
    summary="A FOREIGN KEY or CHECK constraint is added to an existing table without NOT "
    "VALID.",
    remediation="ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a separate "
    "statement (pgdrift diff --not-valid).",
    bad="ALTER TABLE orders ADD CONSTRAINT orders_amount_check CHECK (amount >= 0);",
    good="""
ALTER TABLE orders ADD CONSTRAINT orders_amount_check CHECK (amount >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_check;
""",
)  # fmt: skip
def constraint_without_not_valid(ctx: PlanContext) -> Iterator[Hit]:
    """Adding a CHECK or FOREIGN KEY checks every existing row while holding a lock that
    blocks writes (ACCESS EXCLUSIVE for CHECK, SHARE ROW EXCLUSIVE for a foreign key). Added
    NOT VALID, only new rows are checked; VALIDATE CONSTRAINT then scans under SHARE UPDATE
    EXCLUSIVE, which lets writes continue."""
    kinds = (model.Constraint.FOREIGN_KEY, model.Constraint.CHECK)
    for step, constraint in _created(ctx, model.Constraint):
        assert isinstance(constraint, model.Constraint)
        if (constraint.type in kinds and Hazard.STRONG_LOCK in step.hazards
                and _existing(ctx, constraint.table)):
            yield constraint, (f"{constraint.type} constraint {constraint.name} is added to "
                               f"existing table {constraint.table.qualified_name} without "
                               "NOT VALID")  # fmt: skip


@rule(
    code="PD406", name="unique-without-index", scope=MIGRATION, severity="warning",
    summary="A UNIQUE or PRIMARY KEY constraint is added to an existing table without an "
    "index built concurrently first.",
    remediation="CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX.",
    bad="ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
    good="""
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
""",
)  # fmt: skip
def unique_without_index(ctx: PlanContext) -> Iterator[Hit]:
    """ADD CONSTRAINT UNIQUE (or PRIMARY KEY) builds its index under an ACCESS EXCLUSIVE
    lock: no reads or writes until every row is indexed, and it fails on a duplicate."""
    kinds = (model.Constraint.UNIQUE, model.Constraint.PRIMARY_KEY)
    for step, constraint in _created(ctx, model.Constraint):
        assert isinstance(constraint, model.Constraint)
        if (constraint.type in kinds and Hazard.STRONG_LOCK in step.hazards
                and _existing(ctx, constraint.table)):
            yield constraint, (f"{constraint.type} constraint {constraint.name} builds its "
                               f"index on existing table {constraint.table.qualified_name} "
                               "under an exclusive lock")  # fmt: skip


@rule(
    code="PD407", name="data-loss", scope=MIGRATION, severity="error",
    summary="A step deletes data: it drops a table or a column, removes an enum label, or "
    "changes a column's type so that values are rounded or cut.",
    remediation="Check the data is no longer needed (or copied elsewhere), and stop the "
    "application using it before the migration.",
    bad="ALTER TABLE users DROP COLUMN legacy_id;",
    good="-- release 1: stop reading and writing legacy_id; release 2:\n"
    "ALTER TABLE users DROP COLUMN legacy_id;",
)  # fmt: skip
def data_loss(ctx: PlanContext) -> Iterator[Hit]:
    """Dropping a table or column discards its data for good; removing an enum label means
    recreating the type, which fails or loses values where rows use the label; a type change
    such as numeric(10,2) to numeric(10,1), timestamp to date or json to jsonb rounds, drops or
    normalises values without an error. Reported for every step whose hazards include
    deletes_data."""
    for step in ctx.plan:
        if Hazard.DELETES_DATA in step.hazards:
            obj = _object(step)
            if obj is not None:
                yield obj, f"{_first_line(step)}: deletes data of {obj.kind} {obj.qualified_name}"


@rule(
    code="PD408", name="rename", scope=MIGRATION, severity="warning",
    summary="An object is renamed while running code may still use the old name.",
    remediation="Add the new name alongside the old (a view, a generated column or a "
    "wrapper function), move the application over, then drop the old name.",
    bad="ALTER TABLE users RENAME COLUMN name TO full_name;",
    good="-- expand: add full_name and keep both in step; contract later:\n"
    "ALTER TABLE users DROP COLUMN name;",
)  # fmt: skip
def rename(ctx: PlanContext) -> Iterator[Hit]:
    """A rename takes effect at commit, for every session: queries of application servers
    still running the previous release fail with "does not exist" until they are replaced."""
    for step in ctx.plan:
        change = step.change
        if isinstance(change, Renamed) and change.after is not None:
            yield change.after, (f"{change.id.kind} {change.id.qualified_name} is renamed to "
                                 f"{change.new_id.qualified_name}")  # fmt: skip


@rule(
    code="PD409", name="enum-value-used-in-transaction", scope=MIGRATION, severity="error",
    summary="A value added with ALTER TYPE ... ADD VALUE is used in the same transaction.",
    remediation="Commit the ALTER TYPE ... ADD VALUE before any statement that uses the new "
    "value.",
    bad="""
BEGIN;
ALTER TYPE status ADD VALUE 'archived';
ALTER TABLE posts ALTER COLUMN status SET DEFAULT 'archived';
COMMIT;
""",
    good="""
ALTER TYPE status ADD VALUE 'archived';
BEGIN;
ALTER TABLE posts ALTER COLUMN status SET DEFAULT 'archived';
COMMIT;
""",
)  # fmt: skip
def enum_value_used_in_transaction(ctx: PlanContext) -> Iterator[Hit]:
    """PostgreSQL refuses to use an enum value added in a transaction that has not yet
    committed ("unsafe use of new value", docs: ALTER TYPE, Notes). pgdrift's own plans commit
    the label first; the rule guards hand-edited plans and, later, migration files."""
    added: dict[str, Step] = {}
    for step in ctx.plan:
        if step.adds_enum_label is not None and step.transactional:
            added[step.adds_enum_label] = step
        for label in sorted(step.uses_enum_labels):
            if label in added and step.transactional:
                obj = _object(step) or _object(added[label])
                if obj is not None:
                    yield obj, (f"enum value {label!r} is used in the transaction that adds it: "
                                f"{_first_line(step)}")  # fmt: skip


@rule(
    code="PD410", name="no-lock-timeout", scope=MIGRATION, severity="warning",
    summary="A step takes a strong lock and the migration sets no lock_timeout.",
    remediation="SET lock_timeout (for example '5s') at the start of the migration, and retry "
    "it when it times out.",
    bad="ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);",
    good="""
SET lock_timeout = '5s';
ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);
""",
)  # fmt: skip
def no_lock_timeout(ctx: PlanContext) -> Iterator[Hit]:
    """A statement waiting for a strong lock queues every later query on the table behind it:
    a migration stuck behind one long transaction takes the table down. lock_timeout makes it
    give up instead. Reported once per step that takes a strong lock."""
    if any(s.replace(" ", "").lower().startswith(("setlock_timeout", "setlocallock_timeout"))
           for s in ctx.plan.settings):  # fmt: skip
        return
    for step in ctx.plan:
        obj = _object(step)
        if Hazard.STRONG_LOCK in step.hazards and obj is not None:
            yield obj, f"{_first_line(step)}: takes a strong lock with no lock_timeout set"
