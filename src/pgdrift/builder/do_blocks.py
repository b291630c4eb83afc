"""``DO`` blocks: PL/pgSQL that runs once.

PostgreSQL's own PL/pgSQL parser (through pglast) reads the block. One that cannot change this
database's schema (every statement it may run changes only roles, which belong to the cluster
and which pg_dump of a database never writes, or rows; every expression calls no function but
those that read or change rows) is skipped with a warning: the usual "create the roles if
missing" block. One that changes the schema is run as PostgreSQL would run it, when every step
it may take is known offline (see ``_why_not``): its SQL statements, ``IF`` on what the model
answers about the catalogs (:mod:`pgdrift.builder.catalog_queries`), and exception handlers
for an object that already exists. Any other block is kept as an unsupported statement marked
"not interpreted", with a warning giving its file and line, and nothing of it is run.
"""

from __future__ import annotations

import json
from typing import Any

import pglast
from pglast.parser import ParseError

from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, option_text
from pgdrift.builder.not_ddl import DATA_STATEMENTS, schema_calls
from pgdrift.builder.registry import BUILDERS, NotInterpreted, handles
from pgdrift.errors import DuplicateObjectError

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
    function = _parse(body) if language == "plpgsql" else None
    if function is None:
        raise NotInterpreted("not interpreted: a DO block may change the schema")
    action = function["action"]
    if _changes_no_schema(action):
        ctx.warn("a DO block that changes only roles or rows: not part of the schema, skipped")
        return
    reason = _why_not(function, ctx)
    if reason is not None:
        raise NotInterpreted(f"not interpreted: a DO block that {reason}")
    _run(ctx, [action])


def _parse(body: str) -> dict[str, Any] | None:
    """The PL/pgSQL function PostgreSQL's parser makes of a DO block's body, or None."""
    quoted = "$pgdrift_do$"
    if quoted in body:
        return None
    try:
        tree = pglast.parse_plpgsql(
            f"CREATE FUNCTION pg_temp.do_block() RETURNS void LANGUAGE plpgsql AS {quoted}"
            f"{body}{quoted}"
        )
    except ParseError:
        return None
    function: dict[str, Any] = tree[0]["PLpgSQL_function"]
    return function


def _changes_no_schema(tree: Any) -> bool:
    """Whether every statement the PL/pgSQL ``tree`` may run leaves the schema as it is."""
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


# -- interpreting the blocks that change the schema ----------------------------------------
#
# A DO block is read by running its statements as the reading loop runs a script's, where
# every step it may take is known offline: SQL statements, IF on what the model answers
# (builder/catalog_queries.py), RAISE of a notice, and a block's EXCEPTION handlers for the
# errors pgdrift raises as PostgreSQL would (an object that already exists: the usual
# "CREATE TYPE ... EXCEPTION WHEN duplicate_object THEN null" of migration tools). Anything
# else leaves the whole block not interpreted, before any of it is run.

# What a block does that pgdrift does not follow, by PL/pgSQL statement.
_STATEMENT_WORDS = {
    "dynexecute": "runs a statement built as it runs (EXECUTE)",
    "assign": "assigns variables",
    "call": "calls a procedure",
    "loop": "loops", "while": "loops", "fori": "loops", "fors": "loops", "foreach_a": "loops",
    "dynfors": "loops", "forc": "loops",
}  # fmt: skip
# RAISE levels below ERROR (elog.h) only report.
_ERROR_LEVEL = 21
# The conditions a handler may name, and pgdrift's errors that PostgreSQL raises as them.
_CONDITIONS = frozenset({
    "others", "duplicate_object", "duplicate_table", "duplicate_schema", "duplicate_function",
    "duplicate_column",
})  # fmt: skip


def _why_not(function: dict[str, Any], ctx: BuildContext) -> str | None:
    """Why the block cannot be run offline (what it does that pgdrift cannot follow), or None.

    An ``IF`` met before the block changed anything is answered now, as it will be when run:
    only the branch it takes must be one pgdrift can follow."""
    # PL/pgSQL's own variables: FOUND, and an exception handler's SQLSTATE and SQLERRM.
    for datum in function.get("datums") or ():
        if next(iter(datum.values())).get("refname") not in ("found", "sqlstate", "sqlerrm"):
            return "declares variables"
    return _Checker(ctx).why_not([function["action"]])


class _Checker:
    """Walks a block in order, as :func:`_run` will, noting whether it changed the schema."""

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.changed = False

    def why_not(self, statements: list[Any]) -> str | None:
        for statement in statements:
            reason = self._statement(statement)
            if reason is not None:
                return reason
        return None

    def _statement(self, statement: dict[str, Any]) -> str | None:
        kind, body = next(iter(statement.items()))
        if kind == "PLpgSQL_stmt_if" and not self.changed:
            from pgdrift.builder.catalog_queries import evaluate  # noqa: PLC0415 - rare

            for cond, then in _branches(body):
                answer = evaluate(self.ctx, _query(cond))
                if answer is None:
                    return "tests what pgdrift cannot answer offline"
                if answer:
                    return self.why_not(then)
            return self.why_not(body.get("else_body") or [])
        if kind == "PLpgSQL_stmt_block":
            reason = self.why_not(body.get("body") or [])
            if reason is None and body.get("exceptions"):
                reason = _handlers_why_not(body)
            return reason
        reason = _statements_why_not([statement])
        if kind in ("PLpgSQL_stmt_execsql", "PLpgSQL_stmt_if"):
            self.changed = self.changed or _schema_statements([statement]) > 0
        return reason


def _branches(body: dict[str, Any]) -> list[tuple[Any, list[Any]]]:
    """An IF's conditions, each with the statements it runs, in order (ELSE not included)."""
    branches = [(body.get("cond"), body.get("then_body") or [])]
    for elsif in body.get("elsif_list") or ():
        branch = elsif["PLpgSQL_if_elsif"]
        branches.append((branch.get("cond"), branch.get("stmts") or []))
    return branches


def _query(cond: Any) -> str:
    return str(cond["PLpgSQL_expr"].get("query", "")) if isinstance(cond, dict) else ""


def _statements_why_not(statements: list[Any]) -> str | None:
    for statement in statements:
        kind, body = next(iter(statement.items()))
        reason: str | None = None
        if kind == "PLpgSQL_stmt_block":
            reason = _statements_why_not(body.get("body") or [])
            if reason is None and body.get("exceptions"):
                reason = _handlers_why_not(body)
        elif kind == "PLpgSQL_stmt_execsql":
            if body.get("into"):
                return "stores a query's result"
            reason = _sql_why_not(body["sqlstmt"]["PLpgSQL_expr"])
        elif kind == "PLpgSQL_stmt_if":
            for cond, then in _branches(body):
                if not _known_condition(cond):
                    return "tests what pgdrift cannot answer offline"
                reason = reason or _statements_why_not(then)
            reason = reason or _statements_why_not(body.get("else_body") or [])
        elif kind == "PLpgSQL_stmt_raise":
            if body.get("elog_level", _ERROR_LEVEL) >= _ERROR_LEVEL:
                return "may raise an error"
        elif kind == "PLpgSQL_stmt_perform":
            if not _leaves_schema(body["expr"]["PLpgSQL_expr"]):
                return "calls a function that may change the schema"
        elif kind != "PLpgSQL_stmt_return":
            word = kind.removeprefix("PLpgSQL_stmt_")
            return _STATEMENT_WORDS.get(word, f"runs PL/pgSQL {word.upper()} statements")
        if reason is not None:
            return reason
    return None


def _handlers_why_not(block: dict[str, Any]) -> str | None:
    handlers = block["exceptions"]["PLpgSQL_exception_block"]["exc_list"]
    for handler in handlers:
        exception = handler["PLpgSQL_exception"]
        names = {c["PLpgSQL_condition"]["condname"] for c in exception.get("conditions") or ()}
        if names - _CONDITIONS:
            return f"handles {', '.join(sorted(names - _CONDITIONS))}"
        if not _changes_no_schema(exception.get("action") or []):
            return "changes the schema in an exception handler"
        reason = _statements_why_not(exception.get("action") or [])
        if reason is not None:
            return reason
    # An error rolls back what the block did before it (a subtransaction): only a block whose
    # one statement that changes the schema fails before it changed anything is followed.
    if _schema_statements(block.get("body") or []) > 1:
        return "changes the schema more than once under one exception handler"
    return None


def _schema_statements(statements: list[Any]) -> int:
    count = 0
    for statement in statements:
        kind, body = next(iter(statement.items()))
        if kind == "PLpgSQL_stmt_execsql" and not _leaves_schema(body["sqlstmt"]["PLpgSQL_expr"]):
            count += 1
        elif kind == "PLpgSQL_stmt_block":
            count += _schema_statements(body.get("body") or [])
        elif kind == "PLpgSQL_stmt_if":
            branches = [body.get("then_body") or [], body.get("else_body") or []]
            branches += [e["PLpgSQL_if_elsif"].get("stmts") or [] for e in
                         body.get("elsif_list") or ()]  # fmt: skip
            count += max(_schema_statements(b) for b in branches)
    return count


def _sql_why_not(expr: dict[str, Any]) -> str | None:
    if _leaves_schema(expr):
        return None
    statements = _statements(str(expr.get("query", "")))
    if statements is None or len(statements) != 1:
        return "runs SQL pgdrift cannot read"
    name = next(iter(statements[0]))
    if name not in BUILDERS:
        return f"runs {name} statements"
    return None


def _known_condition(cond: Any) -> bool:
    """Whether a condition is one pgdrift answers (its value may change as the block runs)."""
    from pgdrift.builder.catalog_queries import evaluate  # noqa: PLC0415 - rare

    return evaluate(BuildContext(source=""), _query(cond)) is not None


def _statements(text: str) -> list[dict[str, Any]] | None:
    try:
        parsed = json.loads(pglast.parser.parse_sql_json(text))
    except ParseError:
        return None
    return [raw["stmt"] for raw in parsed.get("stmts") or ()]


def _run(ctx: BuildContext, statements: list[Any]) -> None:
    """Run statements :func:`_why_not` found runnable."""
    from pgdrift.builder.catalog_queries import evaluate  # noqa: PLC0415 - rare

    for statement in statements:
        kind, body = next(iter(statement.items()))
        if kind == "PLpgSQL_stmt_block":
            _run_block(ctx, body)
        elif kind == "PLpgSQL_stmt_execsql":
            expr = body["sqlstmt"]["PLpgSQL_expr"]
            if _leaves_schema(expr):
                continue
            [node] = _statements(str(expr["query"])) or []
            assert ctx.run_statement is not None
            ctx.run_statement(node)
        elif kind == "PLpgSQL_stmt_if":
            for cond, then in _branches(body):
                if evaluate(ctx, _query(cond)):
                    _run(ctx, then)
                    break
            else:
                _run(ctx, body.get("else_body") or [])


def _run_block(ctx: BuildContext, block: dict[str, Any]) -> None:
    handlers = (block.get("exceptions") or {}).get("PLpgSQL_exception_block", {}).get("exc_list")
    if not handlers:
        _run(ctx, block.get("body") or [])
        return
    try:
        _run(ctx, block.get("body") or [])
    except DuplicateObjectError as error:
        for handler in handlers:
            exception = handler["PLpgSQL_exception"]
            names = {c["PLpgSQL_condition"]["condname"] for c in exception["conditions"]}
            if "others" in names or error.condition in names:
                ctx.created.clear()
                return  # its actions change no schema (checked before running)
        raise


def _leaves_schema(expr: dict[str, Any]) -> bool:
    query = str(expr.get("query", ""))
    # parseMode 0 is a whole statement; the others are expressions (or targets := values).
    text = query if not expr.get("parseMode") else f"SELECT {query}"
    try:
        statements = pglast.parser.parse_sql_json(text)
    except ParseError:
        return False
    for raw in json.loads(statements).get("stmts", ()):
        stmt = raw["stmt"]
        name = next(iter(stmt))
        if name in _ROLE_STATEMENTS or (
            (name in DATA_STATEMENTS or name == "SelectStmt") and not schema_calls(stmt)
        ):
            continue
        return False
    return True
