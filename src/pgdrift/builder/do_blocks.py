"""``DO`` blocks: PL/pgSQL that runs once.

PostgreSQL's own PL/pgSQL parser (through pglast) reads the block. One that cannot change this
database's schema (every statement it may run changes only roles, which belong to the cluster
and which pg_dump of a database never writes, or rows; every expression calls no function but
those that read or change rows) is skipped with a warning: the usual "create the roles if
missing" block. One that changes the schema is run as PostgreSQL would run it, when every step
it may take is known offline (see ``_why_not``): its SQL statements, ``EXECUTE`` of a text
made of constants and of variables whose values are known (:mod:`pgdrift.builder.dynamic_sql`),
``FOR`` and ``FOREACH`` loops over such values, ``IF`` on what the model answers about the
catalogs (:mod:`pgdrift.builder.catalog_queries`), and exception handlers for an object that
already exists. Any other block is kept as an unsupported statement marked "not interpreted",
with a warning giving its file and line, and nothing of it is run.
"""

from __future__ import annotations

import json
from typing import Any

import pglast
from pglast.parser import ParseError

from pgdrift.builder.context import BuildContext
from pgdrift.builder.dynamic_sql import Unknown, Value, Variables, assigned_value
from pgdrift.builder.nodes import Node, option_text
from pgdrift.builder.not_ddl import DATA_STATEMENTS, NOTIFICATION_STATEMENTS, schema_calls
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
    variables = Variables(function)
    checker = _Checker(ctx, variables.copy())
    no_schema = _changes_no_schema([function.get("datums") or [], action])
    reason = None if no_schema else _why_not(function, checker)
    if reason is not None:
        raise NotInterpreted(f"not interpreted: a DO block that {reason}")
    if no_schema or (checker.count == 0 and checker.others):
        # Also a block whose EXECUTE makes only such statements (CREATE ROLE ...).
        ctx.warn("a DO block that changes only roles or rows: not part of the schema, skipped")
    elif checker.count:
        _Runner(ctx, variables).run([action])


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
# every step it may take is known offline: SQL statements, EXECUTE of a text known offline
# (builder/dynamic_sql.py), IF on what the model answers (builder/catalog_queries.py), FOR
# and FOREACH loops over values known offline, RAISE of a notice, and a block's EXCEPTION
# handlers for the errors pgdrift raises as PostgreSQL would (an object that already exists:
# the usual "CREATE TYPE ... EXCEPTION WHEN duplicate_object THEN null" of migration tools).
# Anything else leaves the whole block not interpreted, before any of it is run.

# What a block does that pgdrift does not follow, by PL/pgSQL statement.
_STATEMENT_WORDS = {
    "call": "calls a procedure",
    "loop": "loops", "while": "loops", "fors": "loops over a query's rows",
    "dynfors": "loops over a query's rows", "forc": "loops over a cursor's rows",
}  # fmt: skip
# Statements PostgreSQL refuses in a function: those that cannot run in a transaction block
# (PreventInTransactionBlock; also a CREATE INDEX, DROP, CLUSTER, DISCARD ALL or DETACH
# PARTITION of that kind: see _node_why_not), and transaction control.
_REFUSED = frozenset({
    "CreatedbStmt", "DropdbStmt", "CreateTableSpaceStmt", "DropTableSpaceStmt",
    "CreateSubscriptionStmt", "TransactionStmt",
})  # fmt: skip
# RAISE levels below ERROR (elog.h) only report.
_ERROR_LEVEL = 21
# The conditions a handler may name, and pgdrift's errors that PostgreSQL raises as them.
_CONDITIONS = frozenset({
    "others", "duplicate_object", "duplicate_table", "duplicate_schema", "duplicate_function",
    "duplicate_column",
})  # fmt: skip
# RAW_PARSE_PLPGSQL_ASSIGN1, the first of the parse modes of an assignment (parser.h).
_ASSIGNMENT_MODE = 3
# The most loop iterations a block may take (its loops unrolled, each checked).
_MAX_ITERATIONS = 10_000


def _why_not(function: dict[str, Any], checker: _Checker) -> str | None:
    """Why the block cannot be run offline (what it does that pgdrift cannot follow), or None."""
    for datum in function.get("datums") or ():
        default = next(iter(datum.values())).get("default_val")
        if default is not None and not _leaves_schema(default["PLpgSQL_expr"]):
            return "calls a function that may change the schema"
    return checker.why_not([function["action"]])


class _Checker:
    """Walks a block in order, as :class:`_Runner` will, with the values of its variables.

    An ``IF`` met before the block changed anything is answered now, as it will be when run:
    only the branch it takes must be one pgdrift can follow. After a change, every branch must
    be. ``count`` is how many statements that change the schema the block runs (the most any
    branch may take)."""

    def __init__(self, ctx: BuildContext, variables: Variables) -> None:
        self.ctx = ctx
        self.variables = variables
        self.changed = False
        self.count = 0
        self.others = 0  # statements met that change only roles or rows
        self.iterations = 0

    def why_not(self, statements: list[Any]) -> str | None:
        for statement in statements:
            reason = self._statement(statement)
            if reason is not None:
                return reason
        return None

    def _statement(self, statement: dict[str, Any]) -> str | None:
        kind, body = next(iter(statement.items()))
        if kind == "PLpgSQL_stmt_if":
            return self._if(body)
        if kind == "PLpgSQL_stmt_block":
            before = self.count
            reason = self.why_not(body.get("body") or [])
            if reason is None and body.get("exceptions"):
                reason = self._handlers_why_not(body, self.count - before)
            return reason
        if kind in ("PLpgSQL_stmt_foreach_a", "PLpgSQL_stmt_fori"):
            values = _iterations(kind, body, self.variables)
            if isinstance(values, str):
                return values
            for value in values:
                self.iterations += 1
                if self.iterations > _MAX_ITERATIONS:
                    return f"loops more than {_MAX_ITERATIONS} times"
                with self.variables.loop(body, value):
                    reason = self.why_not(body.get("body") or [])
                if reason is not None:
                    return reason
            return None
        if kind in ("PLpgSQL_stmt_execsql", "PLpgSQL_stmt_dynexecute"):
            nodes = _sql(kind, body, self.variables)
            if isinstance(nodes, str):
                return nodes
            for node in nodes:
                if _node_leaves_schema(node):
                    self.others += 1
                    continue
                reason = _node_why_not(node)
                if reason is not None:
                    return reason
                self.count += 1
                self.changed = True
            return None
        if kind == "PLpgSQL_stmt_assign":
            expr = body["expr"]["PLpgSQL_expr"]
            if assigned_value(str(expr.get("query", ""))) is None:
                return "assigns variables"
            if not _leaves_schema(expr):
                return "calls a function that may change the schema"
            self.variables.assign(statement)
        elif kind == "PLpgSQL_stmt_raise":
            if body.get("elog_level", _ERROR_LEVEL) >= _ERROR_LEVEL:
                return "may raise an error"
        elif kind == "PLpgSQL_stmt_perform":
            if not _leaves_schema(body["expr"]["PLpgSQL_expr"]):
                return "calls a function that may change the schema"
        elif kind != "PLpgSQL_stmt_return":
            word = kind.removeprefix("PLpgSQL_stmt_")
            return _STATEMENT_WORDS.get(word, f"runs PL/pgSQL {word.upper()} statements")
        return None

    def _if(self, body: dict[str, Any]) -> str | None:
        from pgdrift.builder.catalog_queries import evaluate  # noqa: PLC0415 - rare

        values = self.variables.values
        if not self.changed:
            for cond, then in _branches(body):
                answer = evaluate(self.ctx, _query(cond), values)
                if answer is None:
                    return "tests what pgdrift cannot answer offline"
                if answer:
                    return self.why_not(then)
            return self.why_not(body.get("else_body") or [])
        # Any branch may be the one taken: each must be followed, from the same start.
        start, most = self.count, 0
        for cond, _ in _branches(body):
            if evaluate(BuildContext(source=""), _query(cond), values) is None:
                return "tests what pgdrift cannot answer offline"
        for _, then in [*_branches(body), (None, body.get("else_body") or [])]:
            self.count = start
            reason = self.why_not(then)
            if reason is not None:
                return reason
            most = max(most, self.count - start)
        self.count = start + most
        return None

    def _handlers_why_not(self, block: dict[str, Any], count: int) -> str | None:
        handlers = block["exceptions"]["PLpgSQL_exception_block"]["exc_list"]
        for handler in handlers:
            exception = handler["PLpgSQL_exception"]
            names = {c["PLpgSQL_condition"]["condname"] for c in exception.get("conditions") or ()}
            if names - _CONDITIONS:
                return f"handles {', '.join(sorted(names - _CONDITIONS))}"
            if not _changes_no_schema(exception.get("action") or []):
                return "changes the schema in an exception handler"
            other = _Checker(self.ctx, self.variables.copy())
            other.changed = True  # it runs after an error: what it tests is not known now
            reason = other.why_not(exception.get("action") or [])
            if reason is not None:
                return reason
        # An error rolls back what the block did before it (a subtransaction): only a block
        # whose one statement that changes the schema fails before it changed anything is
        # followed.
        if count > 1:
            return "changes the schema more than once under one exception handler"
        return None


def _branches(body: dict[str, Any]) -> list[tuple[Any, list[Any]]]:
    """An IF's conditions, each with the statements it runs, in order (ELSE not included)."""
    branches = [(body.get("cond"), body.get("then_body") or [])]
    for elsif in body.get("elsif_list") or ():
        branch = elsif["PLpgSQL_if_elsif"]
        branches.append((branch.get("cond"), branch.get("stmts") or []))
    return branches


def _query(cond: Any) -> str:
    return str(cond["PLpgSQL_expr"].get("query", "")) if isinstance(cond, dict) else ""


def _iterations(kind: str, body: dict[str, Any], variables: Variables) -> list[Value] | str:
    """The values a FOREACH or a FOR loop gives its variable, in order, or why they are not
    known offline."""
    unknown = "loops over values known only as it runs"
    if kind == "PLpgSQL_stmt_foreach_a":
        if body.get("slice"):
            return "loops over slices of an array"
        elements = variables.elements(str(body["expr"]["PLpgSQL_expr"].get("query", "")))
        return unknown if isinstance(elements, Unknown) else elements
    bounds = [
        variables.value(str(body[key]["PLpgSQL_expr"].get("query", ""))) if key in body else 1
        for key in ("lower", "upper", "step")
    ]  # fmt: skip
    numbers = [b for b in bounds if isinstance(b, int)]
    if len(numbers) != len(bounds):
        return unknown  # NULL (an error), text, or known only as it runs
    lower, upper, step = numbers
    if step <= 0:
        return "may raise an error"  # BY value of FOR loop must be greater than zero
    if body.get("reverse"):
        count = max(0, (lower - upper) // step + 1)
        return [lower - i * step for i in range(min(count, _MAX_ITERATIONS + 1))]
    count = max(0, (upper - lower) // step + 1)
    return [lower + i * step for i in range(min(count, _MAX_ITERATIONS + 1))]


def _sql(kind: str, body: dict[str, Any], variables: Variables) -> list[Node] | str:
    """The statements an SQL statement or an EXECUTE of a block runs, or why pgdrift cannot
    read them offline."""
    if body.get("into"):
        return "stores a query's result"
    if kind == "PLpgSQL_stmt_execsql":
        statements = _statements(str(body["sqlstmt"]["PLpgSQL_expr"].get("query", "")))
        if statements is None or len(statements) != 1:
            return "runs SQL pgdrift cannot read"
        return statements
    if body.get("params"):
        return "runs a statement with parameters (EXECUTE ... USING)"
    text = variables.value(str(body["query"]["PLpgSQL_expr"].get("query", "")))
    if not isinstance(text, str):
        return "runs a statement built from values known only as it runs (EXECUTE)"
    # EXECUTE runs every statement of its text, in order (SPI_execute).
    statements = _statements(text)
    return "runs SQL pgdrift cannot read" if statements is None else statements


def _node_why_not(node: Node) -> str | None:
    """Why a statement that changes the schema is not followed in a block, or None."""
    name, body = next(iter(node.items()))
    if name == "SelectStmt":
        # EXECUTE of SELECT ... INTO is not implemented (exec_stmt_dynexecute).
        return "may raise an error" if body.get("intoClause") else (
            "calls a function that may change the schema"
        )  # fmt: skip
    if name == "CallStmt":
        return _STATEMENT_WORDS["call"]
    if name not in BUILDERS or name == "DoStmt":
        return f"runs {name} statements"
    if name in _REFUSED or body.get("concurrent") or (
        name == "ClusterStmt" and not body.get("relation")
    ) or (name == "DiscardStmt" and body.get("target", "DISCARD_ALL") == "DISCARD_ALL") or (
        name == "AlterTableStmt" and any(
            (c["AlterTableCmd"].get("def") or {}).get("PartitionCmd", {}).get("concurrent")
            for c in body.get("cmds") or ()
        )
    ):  # fmt: skip
        return "runs a statement PostgreSQL refuses in a function"
    return None


def _statements(text: str) -> list[dict[str, Any]] | None:
    try:
        parsed = json.loads(pglast.parser.parse_sql_json(text))
    except ParseError:
        return None
    return [raw["stmt"] for raw in parsed.get("stmts") or ()]


class _Runner:
    """Runs the statements a :class:`_Checker` found it could follow."""

    def __init__(self, ctx: BuildContext, variables: Variables) -> None:
        self.ctx = ctx
        self.variables = variables

    def run(self, statements: list[Any]) -> None:
        from pgdrift.builder.catalog_queries import evaluate  # noqa: PLC0415 - rare

        for statement in statements:
            kind, body = next(iter(statement.items()))
            if kind == "PLpgSQL_stmt_block":
                self._block(body)
            elif kind in ("PLpgSQL_stmt_execsql", "PLpgSQL_stmt_dynexecute"):
                nodes = _sql(kind, body, self.variables)
                assert not isinstance(nodes, str)  # checked before running
                assert self.ctx.run_statement is not None
                for node in nodes:
                    if not _node_leaves_schema(node):
                        self.ctx.run_statement(node)
            elif kind == "PLpgSQL_stmt_if":
                for cond, then in _branches(body):
                    if evaluate(self.ctx, _query(cond), self.variables.values):
                        self.run(then)
                        break
                else:
                    self.run(body.get("else_body") or [])
            elif kind == "PLpgSQL_stmt_assign":
                self.variables.assign(statement)
            elif kind in ("PLpgSQL_stmt_foreach_a", "PLpgSQL_stmt_fori"):
                values = _iterations(kind, body, self.variables)
                assert not isinstance(values, str)
                for value in values:
                    with self.variables.loop(body, value):
                        self.run(body.get("body") or [])

    def _block(self, block: dict[str, Any]) -> None:
        handlers = (block.get("exceptions") or {}).get("PLpgSQL_exception_block", {}).get(
            "exc_list")  # fmt: skip
        if not handlers:
            self.run(block.get("body") or [])
            return
        try:
            self.run(block.get("body") or [])
        except DuplicateObjectError as error:
            for handler in handlers:
                exception = handler["PLpgSQL_exception"]
                names = {c["PLpgSQL_condition"]["condname"] for c in exception["conditions"]}
                if "others" in names or error.condition in names:
                    self.ctx.created.clear()
                    return  # its actions change no schema (checked before running)
            raise


def _leaves_schema(expr: dict[str, Any]) -> bool:
    """Whether a PL/pgSQL expression or SQL statement (``PLpgSQL_expr``) leaves the schema as
    it is: it changes only roles or rows, and calls no function that may change the schema."""
    query: str | None = str(expr.get("query", ""))
    # parseMode 0 is a whole statement, 3 to 5 an assignment (target := value), the others an
    # expression.
    if expr.get("parseMode", 0) >= _ASSIGNMENT_MODE:
        query = assigned_value(str(query))
    if query is None:
        return False
    statements = _statements(f"SELECT {query}" if expr.get("parseMode") else query)
    return statements is not None and all(_node_leaves_schema(s) for s in statements)


def _node_leaves_schema(stmt: Node) -> bool:
    name, body = next(iter(stmt.items()))
    return name in _ROLE_STATEMENTS or name in NOTIFICATION_STATEMENTS or (
        (name in DATA_STATEMENTS or name == "SelectStmt")
        and not schema_calls(stmt)
        and not body.get("intoClause")  # SELECT ... INTO a new table
    )
