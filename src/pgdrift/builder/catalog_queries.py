"""The catalog questions a ``DO`` block asks before it changes the schema, answered from the
model: ``IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN CREATE TYPE ...``.

Only what the model can answer for certain is answered: ``[NOT] EXISTS`` over one catalog
(``pg_namespace``, ``pg_extension``, ``pg_type``, ``pg_class``, ``pg_tables``, ``pg_views``,
``pg_matviews``, ``pg_indexes``, ``pg_constraint``, ``pg_trigger``, ``pg_policies``, and
``information_schema``'s ``schemata``, ``tables``, ``columns``), filtered by equalities of
its name columns with string constants joined by ``AND``, combined with ``NOT``, ``AND`` and
``OR`` and boolean constants. Anything else (a join, a function, a role, a system catalog's own
rows) has no answer here, and the block is left not interpreted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.dynamic_sql import expression_node
from pgdrift.builder.nodes import Node, strings
from pgdrift.types import BUILTIN_TYPES

__all__ = ["evaluate"]

Row = dict[str, str]

# Schemas every database has, beside the ones the model holds (public is in the model).
_SYSTEM_SCHEMAS = frozenset({"pg_catalog", "information_schema", "pg_toast"})
_SCHEMA_COLUMNS = frozenset({"nspname", "schema_name", "schemaname", "table_schema"})
# The domains information_schema defines, and its tables and views (PostgreSQL 15: SELECT
# relname FROM pg_class WHERE relnamespace = 'information_schema'::regnamespace), whose
# names are also row types in pg_type.
_INFORMATION_TYPES = frozenset(
    {"cardinal_number", "character_data", "sql_identifier", "time_stamp", "yes_or_no"}
)
_INFORMATION_RELATIONS = frozenset(
    """
    administrable_role_authorizations applicable_roles attributes character_sets
    check_constraint_routine_usage check_constraints collation_character_set_applicability
    collations column_column_usage column_domain_usage column_options column_privileges
    column_udt_usage columns constraint_column_usage constraint_table_usage
    data_type_privileges domain_constraints domain_udt_usage domains element_types
    enabled_roles foreign_data_wrapper_options foreign_data_wrappers foreign_server_options
    foreign_servers foreign_table_options foreign_tables information_schema_catalog_name
    key_column_usage parameters referential_constraints role_column_grants
    role_routine_grants role_table_grants role_udt_grants role_usage_grants
    routine_column_usage routine_privileges routine_routine_usage routine_sequence_usage
    routine_table_usage routines schemata sequences sql_features sql_implementation_info
    sql_parts sql_sizing table_constraints table_privileges tables transforms
    triggered_update_columns triggers udt_privileges usage_privileges user_defined_types
    user_mapping_options user_mappings view_column_usage view_routine_usage
    view_table_usage views
    """.split()  # noqa: SIM905 - a word list
)
_INDEX_BACKED = frozenset({model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE,
                           model.Constraint.EXCLUSION})  # fmt: skip
_RELATIONS = (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW)


def evaluate(
    ctx: BuildContext, condition: str, variables: Mapping[str, object] | None = None
) -> bool | None:
    """The value of a PL/pgSQL condition (``IF`` / ``ELSIF``) in the model as it stands, or
    None when it is not one the model answers (see the module's docstring). A name of
    ``variables`` is the block's variable, not a column: its value where it is text."""
    node = expression_node(condition)
    return None if node is None else _value(ctx, node, variables or {})


def _value(ctx: BuildContext, node: Node, variables: Mapping[str, object]) -> bool | None:
    kind, body = next(iter(node.items()))
    if kind == "A_Const" and "boolval" in body:
        return bool(body["boolval"].get("boolval", False))
    if kind == "BoolExpr":
        values = [_value(ctx, arg, variables) for arg in body.get("args") or ()]
        if any(v is None for v in values):
            return None
        op = body["boolop"]
        if op == "NOT_EXPR":
            return not values[0]
        return all(values) if op == "AND_EXPR" else any(values)
    if kind == "SubLink" and body.get("subLinkType") == "EXISTS_SUBLINK":
        return _exists(ctx, body["subselect"], variables)
    if kind == "SubLink" and body.get("subLinkType") == "EXPR_SUBLINK":
        # (SELECT NOT EXISTS (...)): a scalar sub-select of one value and nothing else.
        select = body["subselect"].get("SelectStmt") or {}
        targets: list[Node] = select.get("targetList") or []
        if len(targets) == 1 and not set(select) - {"targetList", "limitOption", "op"}:
            return _value(ctx, targets[0]["ResTarget"]["val"], variables)
    return None


def _exists(ctx: BuildContext, subselect: Node, variables: Mapping[str, object]) -> bool | None:
    select = subselect.get("SelectStmt") or {}
    if set(select) - {"targetList", "fromClause", "whereClause", "limitCount", "limitOption",
                      "op"}:  # fmt: skip
        return None
    sources: list[Node] = select.get("fromClause") or []
    if len(sources) != 1 or "RangeVar" not in sources[0]:
        return None
    rangevar = sources[0]["RangeVar"]
    # pg_catalog comes first on every search_path; information_schema is named.
    catalog = _CATALOGS.get((rangevar.get("schemaname") or "pg_catalog", rangevar["relname"]))
    if catalog is None:
        return None
    alias = (rangevar.get("alias") or {}).get("aliasname", rangevar["relname"])
    wanted = _equalities(select.get("whereClause"), alias, variables)
    if wanted is None:
        return None
    columns, rows = catalog
    if not set(wanted) <= columns:
        return None
    system = _system_match(wanted)
    if system is not False:
        return system
    return any(all(row.get(c) == v for c, v in wanted.items()) for row in rows(ctx))


def _system_match(wanted: dict[str, str]) -> bool | None:
    """Whether an object every database has matches ``wanted`` (True), may match it (None:
    pgdrift does not list the system catalogs' own rows), or does not (False)."""
    for column, value in wanted.items():
        if column in _SCHEMA_COLUMNS:
            if value in _SYSTEM_SCHEMAS:
                return True if set(wanted) <= _SCHEMA_COLUMNS else None
        elif column == "typname" and value.lstrip("_") in BUILTIN_TYPES | _INFORMATION_TYPES:
            return True
        elif column == "extname" and value == "plpgsql":
            return True  # initdb's (pgdrift.pg.initdb)
        elif value.startswith(("pg_", "_pg_")) or value.lstrip("_") in _INFORMATION_RELATIONS:
            return None
        elif "multirange" in value:
            return None  # a range type's multirange, named by rules not followed here
    return False


def _equalities(
    where: Node | None, alias: str, variables: Mapping[str, object]
) -> dict[str, str] | None:
    """``column = 'constant'`` terms joined by AND, as {column: constant}; None otherwise."""
    if where is None:
        return {}
    terms = [where]
    if "BoolExpr" in where:
        if where["BoolExpr"]["boolop"] != "AND_EXPR":
            return None
        terms = where["BoolExpr"]["args"]
    found: dict[str, str] = {}
    for term in terms:
        expr = term.get("A_Expr")
        if expr is None or expr.get("kind") != "AEXPR_OP" or _operator(expr) != "=":
            return None
        sides = [_column(expr["lexpr"], alias, variables),
                 _column(expr["rexpr"], alias, variables)]  # fmt: skip
        constants = [_constant(expr["lexpr"], variables), _constant(expr["rexpr"], variables)]
        if sides[0] is not None and constants[1] is not None:
            column, value = sides[0], constants[1]
        elif sides[1] is not None and constants[0] is not None:
            column, value = sides[1], constants[0]
        else:
            return None
        if found.get(column, value) != value:
            return {column: "\0"}  # two different values: nothing matches
        found[column] = value
    return found


def _operator(expr: dict[str, Any]) -> str | None:
    names = [n["String"]["sval"] for n in expr.get("name") or ()]
    return names[-1] if names[:-1] in ([], ["pg_catalog"]) else None


def _column(node: Node, alias: str, variables: Mapping[str, object]) -> str | None:
    fields = (node.get("ColumnRef") or {}).get("fields") or ()
    names = [f["String"]["sval"] for f in fields if "String" in f]
    if len(names) != len(fields) or not names or (len(names) == 2 and names[0] != alias):
        return None
    if names == [names[-1]] and names[-1] in variables:
        return None  # the block's variable
    return names[-1] if len(names) <= 2 else None


def _constant(node: Node, variables: Mapping[str, object]) -> str | None:
    """A string constant (``'x'``, ``'x'::name``), or a variable of the block holding text."""
    if "TypeCast" in node:
        cast = node["TypeCast"]
        type_name = strings(cast["typeName"].get("names"))
        if type_name[-1] not in ("name", "text", "varchar", "sql_identifier") or cast[
            "typeName"
        ].get("typmods"):  # fmt: skip
            return None
        node = cast["arg"]
    fields = (node.get("ColumnRef") or {}).get("fields") or ()
    names = strings(fields)
    if len(fields) == 1 and len(names) == 1 and names[0] in variables:
        value = variables[names[0]]
        return value if isinstance(value, str) else None
    value = (node.get("A_Const") or {}).get("sval")
    return None if value is None else str(value.get("sval", ""))


# -- the catalogs' rows, from the model -----------------------------------------------------


def _of(ctx: BuildContext, *kinds: str) -> Iterator[model.DbObject]:
    return (obj for oid, obj in ctx.objects.items() if oid.kind in kinds)


def _schema_of(obj: model.DbObject) -> str:
    return obj.id.schema or ""


def _namespaces(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, ids.SCHEMA):
        yield {"nspname": obj.id.name, "schema_name": obj.id.name}


def _extensions(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, ids.EXTENSION):
        yield {"extname": obj.id.name}


def _types(ctx: BuildContext) -> Iterator[Row]:
    # Every type has an array type named with a leading underscore (pg_type.c), and every
    # table, view and composite type a row type of its own name.
    for obj in _of(ctx, *ids.TYPE_KINDS, *_RELATIONS):
        yield {"typname": obj.id.name}
        yield {"typname": "_" + obj.id.name}


def _relations(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, *_RELATIONS, ids.SEQUENCE, ids.INDEX, ids.COMPOSITE_TYPE):
        yield {"relname": obj.id.name}
    for obj in _of(ctx, ids.CONSTRAINT):  # the index of a key is named for its constraint
        if isinstance(obj, model.Constraint) and obj.type in _INDEX_BACKED:
            yield {"relname": obj.id.name}


def _tables(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, ids.TABLE):  # pg_tables: relkind r and p, no foreign tables
        yield {"schemaname": _schema_of(obj), "tablename": obj.id.name}


def _views(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, ids.VIEW):
        yield {"schemaname": _schema_of(obj), "viewname": obj.id.name}


def _matviews(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, ids.MATERIALIZED_VIEW):
        yield {"schemaname": _schema_of(obj), "matviewname": obj.id.name}


def _indexes(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, ids.INDEX):
        assert isinstance(obj, model.Index)
        yield {"schemaname": _schema_of(obj), "tablename": obj.table.name,
               "indexname": obj.id.name}  # fmt: skip
    for obj in _of(ctx, ids.CONSTRAINT):
        if isinstance(obj, model.Constraint) and obj.type in _INDEX_BACKED:
            yield {"schemaname": _schema_of(obj), "tablename": obj.id.parent or "",
                   "indexname": obj.id.name}  # fmt: skip


def _constraints(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, ids.CONSTRAINT):
        yield {"conname": obj.id.name}
    for obj in _of(ctx, ids.DOMAIN):
        for check in getattr(obj, "checks", ()):
            yield {"conname": check.name}


def _triggers(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, ids.TRIGGER):
        yield {"tgname": obj.id.name}


def _policies(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, ids.POLICY):
        yield {"schemaname": _schema_of(obj), "tablename": obj.id.parent or "",
               "policyname": obj.id.name}  # fmt: skip


def _information_tables(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, *_RELATIONS):
        yield {"table_schema": _schema_of(obj), "table_name": obj.id.name}


def _information_columns(ctx: BuildContext) -> Iterator[Row]:
    for obj in _of(ctx, *_RELATIONS):
        for column in getattr(obj, "columns", None) or ():
            yield {"table_schema": _schema_of(obj), "table_name": obj.id.name,
                   "column_name": column}  # fmt: skip


_Rows = Callable[[BuildContext], Iterator[Row]]
_CATALOGS: dict[tuple[str, str], tuple[frozenset[str], _Rows]] = {
    ("pg_catalog", "pg_namespace"): (frozenset({"nspname"}), _namespaces),
    ("pg_catalog", "pg_extension"): (frozenset({"extname"}), _extensions),
    ("pg_catalog", "pg_type"): (frozenset({"typname"}), _types),
    ("pg_catalog", "pg_class"): (frozenset({"relname"}), _relations),
    ("pg_catalog", "pg_tables"): (frozenset({"schemaname", "tablename"}), _tables),
    ("pg_catalog", "pg_views"): (frozenset({"schemaname", "viewname"}), _views),
    ("pg_catalog", "pg_matviews"): (frozenset({"schemaname", "matviewname"}), _matviews),
    ("pg_catalog", "pg_indexes"): (frozenset({"schemaname", "tablename", "indexname"}), _indexes),
    ("pg_catalog", "pg_constraint"): (frozenset({"conname"}), _constraints),
    ("pg_catalog", "pg_trigger"): (frozenset({"tgname"}), _triggers),
    ("pg_catalog", "pg_policies"): (
        frozenset({"schemaname", "tablename", "policyname"}), _policies
    ),
    ("information_schema", "schemata"): (frozenset({"schema_name"}), _namespaces),
    ("information_schema", "tables"): (
        frozenset({"table_schema", "table_name"}), _information_tables
    ),
    ("information_schema", "columns"): (
        frozenset({"table_schema", "table_name", "column_name"}), _information_columns
    ),
}
