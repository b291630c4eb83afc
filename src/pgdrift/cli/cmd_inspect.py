"""``pgdrift inspect``: what a dump defines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from pgdrift.cli.common import EXIT_ERROR, EXIT_OK
from pgdrift.cli.inputs import add_load_options, load_input, warn_cache_problem
from pgdrift.errors import DatabaseSelectionError

if TYPE_CHECKING:
    from pgdrift.schema import Schema


def add(commands: Any) -> None:
    inspect = commands.add_parser(
        "inspect",
        help="list what a dump defines: counts by kind, objects, unsupported statements",
        description="List what a dump defines: counts by kind, every object, and the "
        "statements pgdrift keeps without modelling them (with their lines).",
    )
    inspect.add_argument("dump", help="a pg_dump file (plain SQL, .gz, or - for stdin)")
    inspect.add_argument("--format", choices=("text", "json"), default="text")
    add_load_options(inspect)
    inspect.set_defaults(run=run_inspect)


def run_inspect(args: argparse.Namespace, out: TextIO) -> int:
    # Standard input is read once: a pg_dumpall file without --database is read again per
    # database.
    stdin = sys.stdin.buffer.read() if args.dump == "-" else None
    try:
        schema = _load_one(args, stdin, args.database)
    except DatabaseSelectionError as selection:
        if args.database is not None or not selection.databases:
            raise
        return _inspect_cluster(args, stdin, selection.databases, out)
    warn_cache_problem(args)
    if args.format == "json":
        from pgdrift.serialize import schema_to_data  # noqa: PLC0415

        json.dump(schema_to_data(schema, with_source=True), out, indent=2, sort_keys=False)
        out.write("\n")
    else:
        out.write(render_inventory(schema))
    if schema.errors:
        for error in schema.errors:
            print(f"pgdrift: {error.one_line()}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


#: Kinds that belong to the cluster: pg_dumpall writes them once, whichever database is read.
_CLUSTER_KINDS = ("role", "database", "tablespace")


def _load_one(args: argparse.Namespace, stdin: bytes | None, database: str | None) -> Schema:
    """``args.dump`` (or the bytes read from standard input) with ``database`` picked."""
    picked = argparse.Namespace(**{**vars(args), "database": database})
    if stdin is None:
        return load_input(args.dump, picked)
    from pgdrift.loading import load  # noqa: PLC0415 - keeps --help fast

    return load(stdin, name="<stdin>", strict=not args.keep_going, database=database,
                encoding=args.encoding)  # fmt: skip


def _inspect_cluster(
    args: argparse.Namespace, stdin: bytes | None, databases: Sequence[str], out: TextIO
) -> int:
    """A pg_dumpall file inspected without --database: its roles, and each database with the
    number of objects of each kind it defines."""
    schemas = {name: _load_one(args, stdin, name) for name in sorted(databases)}
    first = next(iter(schemas.values()))
    roles = sorted(obj.id.name for obj in first if obj.kind == "role")
    counts = {name: {kind: n for kind, n in schema.counts().items() if kind not in _CLUSTER_KINDS}
              for name, schema in schemas.items()}  # fmt: skip
    if args.format == "json":
        data = {"source": str(first.source), "roles": roles, "databases": counts}
        json.dump(data, out, indent=2, sort_keys=False)
        out.write("\n")
    else:
        lines = [f"{first.source}: a pg_dumpall file of {len(counts)} databases "
                 "(pgdrift inspect --database NAME lists one's objects)", "",
                 f"roles ({len(roles)}):", *(f"  {role}" for role in roles), "",
                 "databases:"]  # fmt: skip
        for name, kinds in counts.items():
            summary = ", ".join(f"{kind} {n}" for kind, n in kinds.items()) or "no objects"
            lines.append(f"  {name}: {summary}")
        out.write("\n".join(lines) + "\n")
    errors = [error for schema in schemas.values() for error in schema.errors]
    for error in errors:
        print(f"pgdrift: {error.one_line()}", file=sys.stderr)
    return EXIT_ERROR if errors else EXIT_OK


def render_inventory(schema: Schema) -> str:
    lines = [f"{schema.source}" + (f" (database {schema.database})" if schema.database else "")]
    if schema.dumped_by:
        lines.append(f"dumped by pg_dump {schema.dumped_by}")
    if schema.inputs:
        lines.append("")
        lines.append(f"files read, in this order ({len(schema.inputs)}):")
        lines.extend(f"  {name}" for name in schema.inputs)
    lines.append("")
    lines.append("objects by kind:")
    counts = schema.counts()
    width = max((len(k) for k in counts), default=0)
    for kind, n in counts.items():
        lines.append(f"  {kind:<{width}}  {n}")
    lines.append("")
    for obj in schema:
        if obj.kind == "unsupported":
            continue
        lines.append(f"  {obj.id}")
    unsupported = schema.unsupported
    if unsupported:
        lines.append("")
        lines.append(f"unsupported statements ({len(unsupported)}), kept and compared as text:")
        for item in unsupported:
            where = item.span.location() if item.span else "?"
            first = item.statement.strip().splitlines()[0][:100] if item.statement.strip() else ""
            lines.append(f"  {where}: {item.reason}: {first}")
    for warning in schema.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines) + "\n"
