"""Statements that are not DDL, kept visible rather than silently dropped (issue 11).

Data statements (``INSERT``, ``UPDATE``, ``DELETE``, ``MERGE``, ``TRUNCATE``, ``COPY``, a
``SELECT`` that calls nothing) change rows, not the schema: they are skipped and counted per
file, and the count is a warning of the load. Maintenance statements (``VACUUM``,
``ANALYZE``, ``REINDEX``, ``CLUSTER`` of an already clustered table, ``LOCK``,
``CHECKPOINT``) are counted the same way, and so are ``NOTIFY``, ``LISTEN`` and ``UNLISTEN``
(asynchronous notifications between sessions). A ``CALL`` (and a ``DO`` block, see
``do_blocks``) may run DDL that pgdrift cannot see without running it: it is kept as an
unsupported statement marked "not interpreted", and a warning gives its file and line.
"""

from __future__ import annotations

from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, strings
from pgdrift.builder.registry import NotInterpreted, handles

__all__ = [
    "DATA_STATEMENTS", "MAINTENANCE_STATEMENTS", "NOTIFICATION_STATEMENTS", "data_warnings",
    "maintenance_word", "read_select", "schema_calls",
]  # fmt: skip

#: Statement node type -> the word that names it in the count.
DATA_STATEMENTS = {
    "InsertStmt": "INSERT", "UpdateStmt": "UPDATE", "DeleteStmt": "DELETE",
    "MergeStmt": "MERGE", "TruncateStmt": "TRUNCATE", "CopyStmt": "COPY",
}  # fmt: skip


#: Maintenance statements: they rewrite storage, gather statistics or take locks, and change
#: nothing pg_dump prints; skipped and counted like data. ``VacuumStmt`` is also ANALYZE.
MAINTENANCE_STATEMENTS = {
    "ReindexStmt": "REINDEX", "CheckPointStmt": "CHECKPOINT", "LockStmt": "LOCK",
}  # fmt: skip
_MAINTENANCE_WORDS = frozenset({*MAINTENANCE_STATEMENTS.values(), "VACUUM", "ANALYZE", "CLUSTER"})
#: Asynchronous notifications: messages between sessions, nothing of the catalogs (also in a
#: DO block, where they may run).
NOTIFICATION_STATEMENTS = {
    "NotifyStmt": "NOTIFY", "ListenStmt": "LISTEN", "UnlistenStmt": "UNLISTEN",
}  # fmt: skip


def maintenance_word(name: str, node: Node) -> str | None:
    """The word counting a maintenance statement (``VACUUM``, ``ANALYZE``...) or a
    notification (``NOTIFY``...), or None."""
    if name == "VacuumStmt":
        return "VACUUM" if node.get("is_vacuumcmd") else "ANALYZE"
    return MAINTENANCE_STATEMENTS.get(name) or NOTIFICATION_STATEMENTS.get(name)


# Built-in functions that read or change rows and sequence positions but never the schema: a
# SELECT calling only these (or nothing) is data. Any other call, an extension's or the
# script's own function (``SELECT create_hypertable(...)``), may run DDL.
_DATA_FUNCTIONS = frozenset({
    "setval", "nextval", "currval", "lastval", "lo_create", "lo_import", "lo_unlink",
    "binary_upgrade_set_next_pg_type_oid", "count", "sum", "min", "max", "avg", "now",
    "coalesce", "lower", "upper", "length", "pg_sleep", "current_setting", "version",
    "pg_advisory_lock", "pg_advisory_unlock", "pg_advisory_xact_lock", "pg_notify",
    "gen_random_uuid", "random", "exists", "array_agg", "string_agg", "jsonb_build_object",
    "json_build_object", "to_jsonb", "format", "concat", "replace", "trim", "substring",
    "generate_series", "unnest", "quote_ident", "quote_literal", "quote_nullable", "concat_ws",
    # Advisory locks keyed by a hash of the database's name, as job queues take them around
    # their install scripts (pg-boss: pg_advisory_xact_lock(('x' || encode(sha224(...)...)).
    "pg_try_advisory_lock", "pg_try_advisory_xact_lock", "pg_advisory_lock_shared",
    "pg_advisory_xact_lock_shared", "pg_advisory_unlock_all", "current_database",
    "current_schema", "encode", "decode", "md5", "sha224", "sha256", "sha384", "sha512",
    "hashtext", "clock_timestamp", "txid_current", "pg_current_xact_id",
})  # fmt: skip


def read_select(ctx: BuildContext, node: Node) -> None:
    """A SELECT that calls no function but those of :data:`_DATA_FUNCTIONS` is data
    (counted; pg_dump's own ``setval`` of a full dump too, uncounted); one that calls another
    function is not interpreted."""
    called = schema_calls(node)
    if called:
        raise NotInterpreted(
            f"not interpreted: a SELECT calling {', '.join(f'{c}()' for c in called)} "
            "may change the schema"
        )
    ctx.count_data("SELECT")


def schema_calls(node: object) -> list[str]:
    """The functions a parse tree calls that may change the schema: all but those of
    :data:`_DATA_FUNCTIONS`, sorted."""
    return sorted(set(_called(node)) - _DATA_FUNCTIONS)


def _called(node: object) -> list[str]:
    """The (unqualified, lower-case) names of the functions a parse tree calls."""
    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            call = item.get("FuncCall")
            if isinstance(call, dict):
                names = strings(call.get("funcname"))
                if names:
                    found.append(names[-1].lower())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


@handles("CallStmt")
def build_call(ctx: BuildContext, node: Node) -> None:
    raise NotInterpreted("not interpreted: a CALL of a procedure may change the schema")


def data_warnings(ctx: BuildContext) -> list[str]:
    """One warning per file that had data statements: how many of each were skipped."""
    result = []
    for file, all_counts in ctx.data_statements.items():
        notices = set(NOTIFICATION_STATEMENTS.values())
        data = {w: n for w, n in all_counts.items() if w not in _MAINTENANCE_WORDS | notices}
        upkeep = {w: n for w, n in all_counts.items() if w in _MAINTENANCE_WORDS}
        notes = {w: n for w, n in all_counts.items() if w in notices}
        for kind, counts, why in (
            ("data", data, "pgdrift reads the schema, not rows"),
            ("maintenance", upkeep, "they change no schema"),
            ("notification", notes, "they change no schema"),
        ):
            if not counts:
                continue
            total = sum(counts.values())
            detail = ", ".join(f"{word} {n}" for word, n in counts.items())
            noun = "statement" if total == 1 else "statements"
            result.append(f"{file}: {total} {kind} {noun} skipped ({detail}): {why}")
    return result
