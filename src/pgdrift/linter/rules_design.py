"""Schema design rules: indexes and keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pgdrift import model
from pgdrift.linter.context import SchemaContext
from pgdrift.linter.registry import Hit, rule

# Constraints that PostgreSQL implements with a unique btree index of their columns.
_INDEXED = (model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE)


def _leading_columns(ctx: SchemaContext, table: Any) -> Iterator[tuple[str, ...]]:
    """The key columns of every index on ``table`` that can serve a lookup of all rows: plain
    column keys up to the first expression; partial indexes do not cover every row."""
    for index in ctx.indexes_of(table):
        if index.where is None:
            keys = []
            for element in index.elements:
                if element.column is None:
                    break
                keys.append(element.column)
            yield tuple(keys)
    for constraint in ctx.constraints_of(table):
        if constraint.type in _INDEXED:
            yield constraint.columns
        elif constraint.type == model.Constraint.EXCLUSION and constraint.where is None:
            yield tuple(e.column for e in constraint.elements if e.column)


@rule(
    code="PD101", name="unindexed-foreign-key", severity="warning",
    summary="A foreign key's columns do not lead any index of the referencing table.",
    remediation="Create an index whose leading columns are the foreign key's columns.",
    bad="""
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);
""",
    good="""
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
""",
)  # fmt: skip
def unindexed_foreign_key(ctx: SchemaContext) -> Iterator[Hit]:
    """PostgreSQL indexes the referenced side of a foreign key (it must be unique) but not the
    referencing side. Every DELETE or key UPDATE on the referenced table then scans the
    referencing table for matching rows, and joins along the key cannot use an index. An index
    serves when the foreign key's columns, in any order, are its leading columns."""
    for fk in ctx.schema.constraints.values():
        if not isinstance(fk, model.Constraint) or fk.type != model.Constraint.FOREIGN_KEY:
            continue
        wanted = set(fk.columns)
        n = len(fk.columns)
        if any(len(keys) >= n and set(keys[:n]) == wanted
               for keys in _leading_columns(ctx, fk.table)):  # fmt: skip
            continue
        yield fk, (f"foreign key {fk.name} on {fk.table.qualified_name} "
                   f"({', '.join(fk.columns)}) has no index")  # fmt: skip


@rule(
    code="PD102", name="table-without-primary-key", severity="warning",
    summary="A table has no primary key.",
    remediation="Add a primary key (an identity column, or the natural key of the rows).",
    bad="CREATE TABLE events (happened_at timestamptz, payload jsonb);",
    good="""
CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    happened_at timestamptz, payload jsonb
);
""",
)  # fmt: skip
def table_without_primary_key(ctx: SchemaContext) -> Iterator[Hit]:
    """Without a primary key rows cannot be addressed one by one: logical replication cannot
    replicate UPDATE and DELETE (the replica identity defaults to the primary key), API layers
    cannot update a single row, and duplicate rows go unnoticed. Partitions are skipped: they
    take their key from the partitioned table."""
    for table in ctx.tables():
        if table.partition_of is not None:
            continue
        if not any(c.type == model.Constraint.PRIMARY_KEY for c in ctx.constraints_of(table.id)):
            yield table, f"table {table.qualified_name} has no primary key"


def _index_key(index: model.Index) -> tuple[Any, ...]:
    return (index.method, index.elements, index.include, index.where, index.nulls_not_distinct)


@rule(
    code="PD103", name="duplicate-index", severity="warning",
    summary="Two indexes of a table have the same definition.",
    remediation="Drop all but one of the identical indexes.",
    bad="""
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE INDEX users_email_idx ON users (email);
CREATE INDEX users_email_idx1 ON users (email);
""",
    good="""
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE INDEX users_email_idx ON users (email);
""",
)  # fmt: skip
def duplicate_index(ctx: SchemaContext) -> Iterator[Hit]:
    """Every index is maintained on each write and takes space; a second index with the same
    method, keys, INCLUDE columns and predicate serves no query the first does not. The
    index of a primary key or unique constraint counts: a plain index on the same columns
    duplicates it (a unique index only duplicates another unique one)."""
    seen: dict[tuple[Any, ...], str] = {}
    keyed: list[tuple[tuple[Any, ...], str, model.DbObject]] = []
    for obj in ctx.schema:
        if isinstance(obj, model.Index):
            if obj.attached_to is not None or obj.only:
                continue
            keyed.append(((obj.table, obj.unique, *_index_key(obj)), f"index {obj.name}", obj))
        elif isinstance(obj, model.Constraint) and obj.type in _INDEXED:
            elements = tuple(model.IndexElement(column=c) for c in obj.columns)
            key = (obj.table, True, "btree", elements, obj.include, None, obj.nulls_not_distinct)
            keyed.append((key, f"{obj.type} constraint {obj.name}", obj))
    # Constraints first (they cannot be dropped for an index), then unique indexes (a plain
    # one duplicates them, not the reverse), then by name.
    keyed.sort(key=lambda k: (isinstance(k[2], model.Index), not k[0][1], k[2].name))
    for key, label, obj in keyed:
        loose = (key[0], False, *key[2:])
        first = seen.get(key) or (None if key[1] else seen.get(loose))
        if first is not None and isinstance(obj, model.Index):
            yield obj, f"index {obj.name} on {obj.table.qualified_name} duplicates {first}"
            continue
        seen.setdefault(key, label)
        if key[1]:
            seen.setdefault(loose, label)
