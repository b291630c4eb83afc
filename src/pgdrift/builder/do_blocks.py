"""``DO`` blocks: PL/pgSQL that runs once, which pgdrift does not execute.

A block may run any DDL, so it is kept as an unsupported statement marked "not interpreted"
(with a warning giving its file and line), except when PostgreSQL's own PL/pgSQL parser shows
that it cannot change this database's schema: every statement it may run changes only roles
(which belong to the cluster, and which pg_dump of a database never writes) or rows, and every
expression calls no function but those that read or change rows. The usual "create the roles
if missing" block is such a one: it is skipped with a warning.
"""

from __future__ import annotations

from typing import Any

import pglast
from pglast.parser import ParseError

from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, option_text
from pgdrift.builder.not_ddl import DATA_STATEMENTS, schema_calls
from pgdrift.builder.registry import NotInterpreted, handles

__all__: list[str] = []

# PL/pgSQL statements that only steer, compute or report; their expressions are checked.
_PLAIN_STATEMENTS = frozenset({
    "PLpgSQL_stmt_block", "PLpgSQL_stmt_if", "PLpgSQL_stmt_case", "PLpgSQL_stmt_loop",
    "PLpgSQL_stmt_while", "PLpgSQL_stmt_fori", "PLpgSQL_stmt_fors", "PLpgSQL_stmt_foreach_a",
    "PLpgSQL_stmt_exit", "PLpgSQL_stmt_return", "PLpgSQL_stmt_raise", "PLpgSQL_stmt_assert",
    "PLpgSQL_stmt_assign", "PLpgSQL_stmt_perform", "PLpgSQL_stmt_execsql",
    "PLpgSQL_stmt_getdiag",
})  # fmt: skip
# SQL statements about roles: cluster-level, outside any database's schema.
_ROLE_STATEMENTS = frozenset({
    "CreateRoleStmt", "AlterRoleStmt", "AlterRoleSetStmt", "GrantRoleStmt", "DropRoleStmt",
})  # fmt: skip


@handles("DoStmt")
def build_do(ctx: BuildContext, node: Node) -> None:
    args = {a["DefElem"]["defname"]: a["DefElem"].get("arg") for a in node.get("args") or ()}
    language = (option_text(args.get("language")) or "plpgsql").lower()
    body = option_text(args.get("as")) or ""
    if language != "plpgsql" or not _changes_no_schema(body):
        raise NotInterpreted("not interpreted: a DO block may change the schema")
    ctx.warn("a DO block that changes only roles or rows: not part of the schema, skipped")


def _changes_no_schema(body: str) -> bool:
    """Whether every statement the PL/pgSQL ``body`` may run leaves the schema as it is."""
    quoted = "$pgdrift_do$"
    if quoted in body:
        return False
    try:
        tree = pglast.parse_plpgsql(
            f"CREATE FUNCTION pg_temp.do_block() RETURNS void LANGUAGE plpgsql AS {quoted}"
            f"{body}{quoted}"
        )
    except ParseError:
        return False
    stack: list[Any] = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key.startswith("PLpgSQL_stmt_") and key not in _PLAIN_STATEMENTS:
                    return False  # EXECUTE of a string, CALL, cursors, COMMIT...
                if key == "PLpgSQL_expr" and not _leaves_schema(value):
                    return False
                stack.append(value)
    return True


def _leaves_schema(expr: dict[str, Any]) -> bool:
    query = str(expr.get("query", ""))
    # parseMode 0 is a whole statement; the others are expressions (or targets := values).
    text = query if not expr.get("parseMode") else f"SELECT {query}"
    try:
        statements = pglast.parser.parse_sql_json(text)
    except ParseError:
        return False
    import json  # noqa: PLC0415 - only DO blocks get here

    for raw in json.loads(statements).get("stmts", ()):
        stmt = raw["stmt"]
        name = next(iter(stmt))
        if name in _ROLE_STATEMENTS or (
            (name in DATA_STATEMENTS or name == "SelectStmt") and not schema_calls(stmt)
        ):
            continue
        return False
    return True
