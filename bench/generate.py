"""Write the SQL of a generated N-table schema for the benchmarks (``bench/run.py``).

Each table has a primary key (identity, bigserial or uuid), a handful of columns of varied types
with defaults, check constraints, foreign keys to earlier tables with an index on each, sometimes
another index, a comment and grants to two roles. Spread over the tables are views, plpgsql
trigger functions with their triggers, and row-level security policies: the PK/FK/check/default/
index/view/function/trigger/policy/comment mix of a real application schema. pg_dump writes
about ten statements and 2 KB per table (5,000 tables: ~51,000 statements, ~10 MB).

``--variant`` writes the same schema with a few hundred differences (about 6% of the tables,
one change each: renamed, added and dropped columns, type changes, changed defaults, dropped
indexes, changed function bodies, new policies) for the diff benchmark. Output depends only on
the arguments::

    python bench/generate.py --tables 5000 --seed 1 > base.sql
    python bench/generate.py --tables 5000 --seed 1 --variant > variant.sql
"""

# ruff: noqa: S608 - every statement is built from the generator's own names, no outside input

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Final

__all__ = ["CHANGE_KINDS", "ROLES", "TableSpec", "generate", "schema_specs", "variant_specs"]

SCHEMAS: Final = ("public", "core", "sales", "ops")
ROLES: Final = ("bench_reader", "bench_writer")
NOUNS: Final = (
    "account", "invoice", "order", "shipment", "customer", "product", "ticket", "event",
    "payment", "report", "session", "device", "message", "review", "coupon", "vendor",
)  # fmt: skip
#: How many changes of each kind a variant makes per 1,000 tables (60 per 1,000 in all).
CHANGE_KINDS: Final = {
    "rename_column": 8,
    "add_column": 8,
    "drop_column": 8,
    "change_type": 8,
    "change_default": 8,
    "drop_index": 8,
    "change_function": 6,
    "add_policy": 6,
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    default: str | None = None
    not_null: bool = False
    check: str | None = None
    """A column check constraint (pg_dump writes it as a table constraint)."""

    def sql(self) -> str:
        parts = [self.name, self.type]
        if self.default is not None:
            parts.append(f"DEFAULT {self.default}")
        if self.not_null:
            parts.append("NOT NULL")
        if self.check is not None:
            parts.append(f"CHECK ({self.check})")
        return " ".join(parts)


#: Optional columns. The "free" ones are referenced by nothing (no index, view, policy, check or
#: trigger), so the variant may rename, drop or retype them.
OPTIONAL_COLUMNS: Final = (
    Column("status", "text", "'new'::text", True, "status = ANY (ARRAY['new', 'active', 'done'])"),
    Column("amount", "numeric(12,2)", "0", True, "amount >= 0"),
    Column("quantity", "integer", "1", False, "quantity > 0"),
    Column("payload", "jsonb", "'{}'::jsonb", True),
    Column("starts_on", "date", "CURRENT_DATE"),
    Column("code", "character(8)"),
)
FREE_COLUMNS: Final = (
    Column("note", "character varying(200)"),
    Column("ratio", "double precision"),
    Column("tags", "text[]", "'{}'::text[]"),
    Column("client_ip", "inet"),
    Column("external_ref", "uuid"),
    Column("score", "integer", "0"),
)
#: Type changes the variant makes to free columns (old type -> new type).
RETYPES: Final = {
    "character varying(200)": "text",
    "double precision": "numeric(14,4)",
    "text[]": "character varying(40)[]",
    "inet": "text",
    "uuid": "text",
    "integer": "bigint",
}


@dataclass(frozen=True)
class ForeignKey:
    column: str
    target: int
    on_delete: str | None
    indexed: bool


@dataclass(frozen=True)
class TableSpec:
    """Everything the generator writes for one table, so a variant can change one part."""

    index: int
    schema: str
    name: str
    pk: str
    """``identity``, ``serial`` or ``uuid``."""
    columns: tuple[Column, ...]
    fks: tuple[ForeignKey, ...]
    extra_index: str | None
    """``unique``, ``partial`` or ``gin`` (on name, active rows, payload)."""
    has_view: bool
    has_trigger: bool
    function_body: str
    policies: tuple[str, ...]
    column_comments: tuple[str, ...]
    writer_grant: bool

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def pk_type(self) -> str:
        return "uuid" if self.pk == "uuid" else "bigint"


def _table_name(i: int) -> str:
    return f"{NOUNS[i % len(NOUNS)]}_{i:05d}"


def schema_specs(tables: int, seed: int) -> list[TableSpec]:
    """The base schema: one spec per table, the same for the same arguments."""
    rng = random.Random(f"pgdrift bench {seed}")  # noqa: S311 - reproducible data, not secrets
    specs: list[TableSpec] = []
    for i in range(tables):
        pk = rng.choices(("identity", "serial", "uuid"), weights=(5, 1, 4))[0]
        optional = rng.sample(OPTIONAL_COLUMNS, rng.randint(1, 2))
        free = rng.sample(FREE_COLUMNS, rng.randint(1, 2))
        columns = [
            Column("name", "text", None, True),
            Column("version", "smallint", "1", True, "version > 0"),
            Column("is_active", "boolean", "true", True),
            Column("created_at", "timestamp with time zone", "now()", True),
            *sorted(optional, key=lambda c: c.name),
            *sorted(free, key=lambda c: c.name),
        ]
        has_trigger = i % 9 == 4
        if has_trigger:
            columns.append(Column("updated_at", "timestamp with time zone"))
        fks: list[ForeignKey] = []
        if i > 0:
            wanted = 1 if rng.random() < 0.85 else 2
            targets = sorted({rng.randrange(max(0, i - 300), i) for _ in range(wanted)})
            nouns = [NOUNS[t % len(NOUNS)] for t in targets]
            for target, noun in zip(targets, nouns, strict=True):
                on_delete = rng.choice((None, None, "CASCADE", "SET NULL"))
                # Two references to tables of the same noun need the table number to differ.
                column = f"{noun}_{target}_id" if nouns.count(noun) > 1 else f"{noun}_id"
                fks.append(ForeignKey(column, target, on_delete, True))
        extra_index = rng.choices((None, "unique", "partial", "gin"), weights=(6, 2, 1, 1))[0]
        if extra_index == "gin" and not any(c.name == "payload" for c in columns):
            extra_index = None
        commented = [c.name for c in columns if c.name in ("name", "status", "amount")]
        specs.append(
            TableSpec(
                index=i,
                schema=SCHEMAS[i % len(SCHEMAS)],
                name=_table_name(i),
                pk=pk,
                columns=tuple(columns),
                fks=tuple(fks),
                extra_index=extra_index,
                has_view=i % 8 == 3,
                has_trigger=has_trigger,
                function_body="NEW.updated_at := now();",
                policies=("read",) if i % 10 == 7 else (),
                column_comments=tuple(commented[: int(rng.random() < 0.3)]),
                writer_grant=rng.random() < 0.25,
            )
        )
    return specs


def variant_specs(specs: Sequence[TableSpec], seed: int) -> list[TableSpec]:
    """``specs`` with about 60 changes per 1,000 tables, each on a different table."""
    rng = random.Random(f"pgdrift bench variant {seed}")  # noqa: S311 - reproducible data
    changed = list(specs)
    untouched = list(range(len(specs)))
    rng.shuffle(untouched)
    for kind, per_thousand in CHANGE_KINDS.items():
        wanted = max(1, round(len(specs) * per_thousand / 1000))
        done = 0
        for position, i in enumerate(untouched):
            new = _change(changed[i], kind, rng)
            if new is not None:
                changed[i] = new
                untouched[position] = -1
                done += 1
                if done == wanted:
                    break
        untouched = [i for i in untouched if i >= 0]
    return changed


def _change(spec: TableSpec, kind: str, rng: random.Random) -> TableSpec | None:
    """``spec`` with one change of ``kind``, or None if the table has nothing to change."""
    free_names = {c.name for c in FREE_COLUMNS}
    free = [n for n, c in enumerate(spec.columns) if c.name in free_names]
    if kind in ("rename_column", "drop_column", "change_type") and not free:
        return None
    columns = list(spec.columns)
    if kind == "rename_column":
        n = rng.choice(free)
        columns[n] = replace(columns[n], name=columns[n].name + "_renamed")
        return replace(spec, columns=tuple(columns))
    if kind == "drop_column":
        del columns[rng.choice(free)]
        return replace(spec, columns=tuple(columns))
    if kind == "change_type":
        n = rng.choice(free)
        column = columns[n]
        # A changed type keeps no default: the old one may not cast (ALTER COLUMN ... TYPE).
        columns[n] = replace(column, type=RETYPES[column.type], default=None)
        return replace(spec, columns=tuple(columns))
    if kind == "add_column":
        columns.append(Column("added_flag", "boolean", "false", True))
        return replace(spec, columns=tuple(columns))
    if kind == "change_default":
        n = next(n for n, c in enumerate(columns) if c.name == "version")
        columns[n] = replace(columns[n], default="2")
        return replace(spec, columns=tuple(columns))
    if kind == "drop_index":
        if spec.extra_index is not None:
            return replace(spec, extra_index=None)
        if spec.fks:
            return replace(spec, fks=(replace(spec.fks[0], indexed=False), *spec.fks[1:]))
        return None
    if kind == "change_function":
        if not spec.has_trigger:
            return None
        body = "NEW.updated_at := clock_timestamp(); NEW.version := OLD.version + 1;"
        return replace(spec, function_body=body)
    if kind == "add_policy":
        return replace(spec, policies=(*spec.policies, "write"))
    raise ValueError(f"unknown change kind {kind!r}")


def _roles() -> str:
    # Roles belong to the cluster, not the database: create them once, whoever runs first.
    checks = "\n".join(
        f"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN\n"
        f"    CREATE ROLE {role} NOLOGIN;\n"
        f"  END IF;"
        for role in ROLES
    )
    return f"DO $$\nBEGIN\n{checks}\nEND\n$$;\n"


def _table_sql(spec: TableSpec, specs: Sequence[TableSpec]) -> Iterator[str]:
    q = spec.qualified
    if spec.pk == "identity":
        pk = "id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    elif spec.pk == "serial":
        pk = "id bigserial PRIMARY KEY"
    else:
        pk = "id uuid DEFAULT gen_random_uuid() PRIMARY KEY"
    lines = [pk, *(c.sql() for c in spec.columns)]
    for fk in spec.fks:
        target = specs[fk.target]
        on_delete = f" ON DELETE {fk.on_delete}" if fk.on_delete else ""
        lines.append(f"{fk.column} {target.pk_type} REFERENCES {target.qualified} (id){on_delete}")
    body = ",\n    ".join(lines)
    yield f"CREATE TABLE {q} (\n    {body}\n);"
    for fk in spec.fks:
        if fk.indexed:
            yield f"CREATE INDEX {spec.name}_{fk.column}_idx ON {q} ({fk.column});"
    if spec.extra_index == "unique":
        yield f"CREATE UNIQUE INDEX {spec.name}_name_key ON {q} (lower(name), version);"
    elif spec.extra_index == "partial":
        yield f"CREATE INDEX {spec.name}_active_idx ON {q} (created_at DESC) WHERE is_active;"
    elif spec.extra_index == "gin":
        yield f"CREATE INDEX {spec.name}_payload_idx ON {q} USING gin (payload);"
    yield f"COMMENT ON TABLE {q} IS 'Benchmark table {spec.index}.';"
    for column in spec.column_comments:
        yield f"COMMENT ON COLUMN {q}.{column} IS 'The {column} column of {spec.name}.';"
    yield f"GRANT SELECT ON {q} TO bench_reader;"
    if spec.writer_grant:
        yield f"GRANT SELECT, INSERT, UPDATE, DELETE ON {q} TO bench_writer;"
    if spec.has_view:
        view = f"{spec.schema}.{spec.name}_view"
        parent = f"{specs[spec.fks[0].target].qualified}" if spec.fks else None
        if parent is not None:
            join = spec.fks[0].column
            yield (
                f"CREATE VIEW {view} AS\n  SELECT t.id, t.name, t.version, p.name AS parent_name"
                f"\n  FROM {q} t LEFT JOIN {parent} p ON p.id = t.{join}\n  WHERE t.is_active;"
            )
        else:
            yield f"CREATE VIEW {view} AS SELECT id, name, version FROM {q} WHERE is_active;"
        yield f"COMMENT ON VIEW {view} IS 'Active rows of {spec.name}.';"
        yield f"GRANT SELECT ON {view} TO bench_reader;"
    if spec.has_trigger:
        function = f"{spec.schema}.{spec.name}_touch"
        yield (
            f"CREATE FUNCTION {function}() RETURNS trigger\n  LANGUAGE plpgsql\n  AS $$\n"
            f"BEGIN\n  {spec.function_body}\n  RETURN NEW;\nEND\n$$;"
        )
        yield (
            f"CREATE TRIGGER {spec.name}_touch BEFORE UPDATE ON {q}\n"
            f"  FOR EACH ROW EXECUTE FUNCTION {function}();"
        )
    if spec.policies:
        yield f"ALTER TABLE {q} ENABLE ROW LEVEL SECURITY;"
    for policy in spec.policies:
        if policy == "read":
            yield (
                f"CREATE POLICY {policy}_active ON {q} FOR SELECT TO bench_reader\n"
                f"  USING (is_active);"
            )
        else:
            yield (
                f"CREATE POLICY {policy}_own ON {q} FOR UPDATE TO bench_writer\n"
                f"  USING (is_active) WITH CHECK (version > 0);"
            )


def generate(tables: int = 5000, seed: int = 1, *, variant: bool = False) -> str:
    """The SQL that creates the schema (the variant, with ``variant``); roles created if absent.

    >>> sql = generate(3)
    >>> sql.count("CREATE TABLE")
    3
    """
    specs = schema_specs(tables, seed)
    if variant:
        specs = variant_specs(specs, seed)
    parts = [_roles()]
    parts.extend(f"CREATE SCHEMA {s};" for s in SCHEMAS if s != "public")
    parts.extend(f"GRANT USAGE ON SCHEMA {s} TO {', '.join(ROLES)};" for s in SCHEMAS)
    for spec in specs:
        parts.extend(_table_sql(spec, specs))
    return "\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=5000, help="default: %(default)s")
    parser.add_argument("--seed", type=int, default=1, help="default: %(default)s")
    parser.add_argument("--variant", action="store_true", help="the changed copy, for diffs")
    parser.add_argument("--output", "-o", help="file to write (default: standard output)")
    arguments = parser.parse_args(argv)
    sql = generate(arguments.tables, arguments.seed, variant=arguments.variant)
    if arguments.output:
        with open(arguments.output, "w", encoding="utf-8") as out:
            out.write(sql)
    else:
        sys.stdout.write(sql)
    return 0


if __name__ == "__main__":
    sys.exit(main())
