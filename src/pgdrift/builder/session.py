"""Session settings a dump makes before its objects (``SET ...``, ``set_config``).

They change how later statements are read: the search_path decides where unqualified names
live, standard_conforming_strings how backslashes in string literals are read.
"""

from __future__ import annotations

from pgdrift.builder.context import BuildContext
from pgdrift.builder.dependents import drop_temporary_objects
from pgdrift.builder.nodes import Node, const_value, strings
from pgdrift.builder.not_ddl import read_select
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.routines import setting
from pgdrift.builder.table_as import build_table_as

# Settings that change nothing about the schema being described.
_IGNORED = frozenset({
    "statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout",
    "client_encoding", "check_function_bodies", "xmloption", "client_min_messages",
    "row_security", "escape_string_warning", "transaction_timeout",
    "synchronous_commit", "maintenance_work_mem", "work_mem", "session_replication_role",
    "idle_session_timeout", "extra_float_digits", "datestyle", "intervalstyle", "timezone",
})  # fmt: skip


def _set(ctx: BuildContext, name: str, values: list[str | None]) -> None:
    name = name.lower()
    if name == "search_path":
        # pg_dump 10.3+ sets an empty search_path and qualifies every name it writes.
        ctx.search_path = [v.strip() for v in ",".join(v or "" for v in values).split(",")]
        ctx.search_path = [v.strip('"') for v in ctx.search_path if v]
        ctx.search_path_set = True
    elif name == "standard_conforming_strings":
        ctx.standard_conforming_strings = (values[0] or "on").lower() in ("on", "true", "1")
    elif name == "default_tablespace":
        ctx.default_tablespace = values[0] or None
    elif name == "default_table_access_method":
        ctx.default_table_access_method = values[0] or None
    elif name == "role":
        # SET ROLE NONE goes back to the session user.
        ctx.session_role = None if (values[0] or "none").lower() == "none" else values[0]
    elif name in ("session_authorization", "session authorization"):
        # SET SESSION AUTHORIZATION also ends a SET ROLE (docs: SET SESSION AUTHORIZATION).
        ctx.session_user, ctx.session_role = values[0], None
    elif name == "default_with_oids":
        # pg_dump 8.0 to 11 wrote this before each table created WITH OIDS (and false after).
        if (values[0] or "off").lower() in ("on", "true", "1", "yes"):
            ctx.warn(
                "SET default_with_oids = true is ignored: PostgreSQL 12 and later have no "
                "table OIDs (tables created after it are read as having none)"
            )
    elif name in _IGNORED:
        return
    else:
        ctx.warn(f"setting {name} is not interpreted")


#: What a SET LOCAL may change of the reading, put back when its transaction ends.
_LOCAL_STATE = ("search_path", "search_path_set", "standard_conforming_strings",
                "default_tablespace", "default_table_access_method", "session_role")  # fmt: skip


def _save_local(ctx: BuildContext) -> None:
    """Before a SET LOCAL (or set_config(..., true)): keep the settings its transaction's end
    puts back. Outside a BEGIN ... COMMIT, the end of the file ends it: migration tools run
    each file in a transaction of its own (psql alone would ignore it, with a warning)."""
    if ctx.local_saved is None:
        ctx.local_saved = {name: getattr(ctx, name) for name in _LOCAL_STATE}
        statement = ctx.statement
        in_file = statement.span.file if statement is not None else None
        ctx.local_file = None if ctx.in_transaction else in_file


def end_local(ctx: BuildContext) -> None:
    """The transaction of the SET LOCALs ends: the settings are put back."""
    saved, ctx.local_saved, ctx.local_file = ctx.local_saved, None, None
    for name, value in (saved or {}).items():
        setattr(ctx, name, value)


@handles("VariableSetStmt")
def build_set(ctx: BuildContext, node: Node) -> None:
    kind = node.get("kind")
    name = node.get("name", "")
    if node.get("is_local"):
        _save_local(ctx)
    if kind == "VAR_SET_VALUE":
        values = [_text(a) for a in node.get("args", ())]
        _set(ctx, name, values)
        pair = setting(node)
        if pair is not None and pair[1] is not None and not node.get("is_local"):
            ctx.session_settings[pair[0].lower()] = pair[1]
        return
    ctx.session_settings.pop(name.lower(), None)
    if kind in ("VAR_SET_DEFAULT", "VAR_RESET"):
        _reset(ctx, name.lower())
    elif kind == "VAR_RESET_ALL":
        _reset_all(ctx)
    elif kind == "VAR_SET_MULTI" and name == "TRANSACTION":
        return  # SET TRANSACTION ... (pg_dump --serializable-deferrable leftovers)


def _reset(ctx: BuildContext, name: str) -> None:
    """``RESET name`` (``SET name TO DEFAULT``) of a setting that steers the reading."""
    if name == "search_path":
        ctx.search_path = ["public"]
    elif name == "standard_conforming_strings":
        ctx.standard_conforming_strings = True
    elif name == "default_tablespace":
        ctx.default_tablespace = None
    elif name == "default_table_access_method":
        ctx.default_table_access_method = None
    elif name == "role":
        ctx.session_role = None
    elif name in ("session_authorization", "session authorization"):
        ctx.session_user = ctx.session_role = None


def _reset_all(ctx: BuildContext) -> None:
    # RESET ALL resets the role but not the session authorization (GUC_NO_RESET_ALL).
    for name in ("search_path", "standard_conforming_strings", "default_tablespace",
                 "default_table_access_method", "role"):  # fmt: skip
        _reset(ctx, name)
    ctx.session_settings.clear()


@handles("DiscardStmt")
def build_discard(ctx: BuildContext, node: Node) -> None:
    """``DISCARD PLANS`` and ``SEQUENCES`` forget cached state; ``TEMP`` drops the session's
    temporary objects; ``ALL`` does all that, ``SET SESSION AUTHORIZATION DEFAULT`` and
    ``RESET ALL`` (docs: DISCARD)."""
    target = node.get("target", "DISCARD_ALL")
    if target in ("DISCARD_TEMP", "DISCARD_ALL"):
        drop_temporary_objects(ctx, what=f"DISCARD {target.removeprefix('DISCARD_')}")
    if target == "DISCARD_ALL":
        _reset(ctx, "session_authorization")
        _reset_all(ctx)


def _stored_value(name: str, value: str) -> str:
    """A set_config value as a routine's ``SET name TO ...`` reads back: a search_path is a
    list of names, each unquoted, joined with ", " (pg_dump splits it, SplitGUCList)."""
    if name.lower() != "search_path":
        return value
    return ", ".join(part.strip().strip('"') for part in value.split(",") if part.strip())


def _text(node: Node) -> str | None:
    value = const_value(node)
    if value is None:
        return None
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


#: Transaction control that leaves the catalogue as the statements between made it. Migration
#: files wrap themselves in BEGIN/COMMIT; ROLLBACK (which would undo them) is not interpreted.
_TRANSACTION_NO_OPS = frozenset({
    "TRANS_STMT_BEGIN", "TRANS_STMT_START", "TRANS_STMT_COMMIT", "TRANS_STMT_SAVEPOINT",
    "TRANS_STMT_RELEASE",
})  # fmt: skip


@handles("TransactionStmt")
def build_transaction(ctx: BuildContext, node: Node) -> None:
    kind = node.get("kind", "")
    if kind in ("TRANS_STMT_BEGIN", "TRANS_STMT_START"):
        ctx.in_transaction = True
    elif kind == "TRANS_STMT_COMMIT":
        ctx.in_transaction = False
        if ctx.local_saved is not None and ctx.local_file is None:
            end_local(ctx)  # SET LOCAL lasts until the end of its transaction
    if kind not in _TRANSACTION_NO_OPS:
        what = kind.removeprefix("TRANS_STMT_").replace("_", " ")
        raise NotModelled(f"{what}: the interpreter does not undo or defer statements")


@handles("ConstraintsSetStmt")
def build_set_constraints(ctx: BuildContext, node: Node) -> None:
    """``SET CONSTRAINTS ... IMMEDIATE | DEFERRED`` (Django's migrations write it) changes when
    the current transaction checks deferrable constraints, not the constraints themselves."""


@handles("SelectStmt")
def build_select(ctx: BuildContext, node: Node) -> None:
    """``SELECT pg_catalog.set_config('search_path', '', false)`` sets the session; any other
    SELECT is data (counted) or a call that may change the schema (not interpreted): see
    :func:`pgdrift.builder.not_ddl.read_select`."""
    if node.get("intoClause"):
        # SELECT ... INTO t: CREATE TABLE t AS SELECT ... (transformSelectStmt).
        query = {key: value for key, value in node.items() if key != "intoClause"}
        build_table_as(ctx, node["intoClause"], {"SelectStmt": query}, if_not_exists=False)
        return
    targets: list[Node] = node.get("targetList") or []
    call = targets[0]["ResTarget"].get("val", {}).get("FuncCall") if len(targets) == 1 else None
    if call is not None and not node.get("fromClause"):
        name = strings(call.get("funcname"))[-1]
        args = [const_value(a) for a in call.get("args", ())]
        if name == "set_config" and len(args) >= 2:
            if len(args) == 3 and args[2] is True:
                _save_local(ctx)  # is_local: for the transaction only
            _set(ctx, str(args[0]), [None if args[1] is None else str(args[1])])
            if len(args) == 3 and args[2] is False and args[1] is not None:
                # Not local: for the session, as SET (what SET ... FROM CURRENT captures).
                ctx.session_settings[str(args[0]).lower()] = _stored_value(
                    str(args[0]), str(args[1]))
            return
    read_select(ctx, node)
