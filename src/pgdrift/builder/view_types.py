"""The types of a view's (or materialized view's) columns, read off its stored query.

PostgreSQL gives a view's columns the types of its query's output, and an expression over a
view column is typed with them (``WHERE v.total > 1000`` on a numeric column is stored as
``1000::numeric``). pgdrift knows the type of an output that is a column of a relation it
knows (a table's, or another view's, followed down), a cast to a built-in type, or a
built-in call it knows the result of; any other output, and every output of a set operation
(whose type is the branches' common type), stays unknown (None).
"""

from __future__ import annotations

from typing import Any

from pgdrift import ids, model
from pgdrift._expr_tree import to_json
from pgdrift.builder.comparisons import Typer, expression_type
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import DECLARED_TYPES, TypeFacts
from pgdrift.builder.nodes import Node
from pgdrift.errors import ModelError
from pgdrift.expr import output_names
from pgdrift.ids import ObjectId
from pgdrift.pg.constants import TEXT, literal_const
from pgdrift.pg.functions import VALUE_FUNCTIONS
from pgdrift.types import TypeRef

__all__ = [
    "check_replacement", "output_type", "row_type_columns", "view_column_names",
    "view_column_types",
]  # fmt: skip

_RELATIONS = (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW)
# Views built on views on views...: deeper than this, the types are left unknown.
_MAX_DEPTH = 8


def view_column_types(
    ctx: BuildContext, view: model.View | model.MaterializedView, depth: int = 0
) -> list[TypeRef | None]:
    """One type (or None) per output column of ``view``'s query, in order."""
    body = to_json(view.query.tree)
    select = body.get("SelectStmt") if isinstance(body, dict) else None
    if not isinstance(select, dict) or depth > _MAX_DEPTH:
        return []
    targets = [t.get("ResTarget", {}) for t in select.get("targetList") or ()]
    if select.get("op", "SETOP_NONE") != "SETOP_NONE" or select.get("larg"):
        return [None] * len(targets)
    relations: dict[str, list[tuple[str, TypeRef | None]]] = {}
    for item in select.get("fromClause") or ():
        _from_item(ctx, item, relations, depth)

    def typer(fields: list[str]) -> TypeRef | None:
        if len(fields) == 2:
            columns = relations.get(fields[0], [])
        elif len(fields) == 1 and len(relations) == 1:
            columns = next(iter(relations.values()))
        else:
            return None
        return next((ref for name, ref in columns if name == fields[-1]), None)

    return [output_type(t.get("val", {}), typer, DECLARED_TYPES) for t in targets]


def output_type(val: Node, typer: Typer, base_of: TypeFacts) -> TypeRef | None:
    """The type of a query's output column ``val``, where pgdrift can tell it."""
    return _value_type(val) or expression_type(val, typer, base_of)


def _value_type(val: Node) -> TypeRef | None:
    """The type of an output that is a literal (a string literal's is text, as PostgreSQL 10
    and later resolve an unknown output column) or a SQL value function (CURRENT_TIMESTAMP(3)
    keeps its precision)."""
    if "A_Const" in val:
        if "sval" in val["A_Const"]:
            return TEXT
        const = literal_const(val)
        return const.type if const is not None else None
    function = val.get("SQLValueFunction")
    if function is None or function.get("op") not in VALUE_FUNCTIONS:
        return None
    typmod = function.get("typmod", -1)
    modifiers = (str(typmod),) if isinstance(typmod, int) and typmod >= 0 else ()
    return TypeRef(None, VALUE_FUNCTIONS[function["op"]], modifiers)


def _from_item(
    ctx: BuildContext, item: Node, found: dict[str, list[tuple[str, TypeRef | None]]], depth: int
) -> None:
    if "JoinExpr" in item:
        join = item["JoinExpr"]
        if join.get("alias") is None:
            _from_item(ctx, join.get("larg", {}), found, depth)
            _from_item(ctx, join.get("rarg", {}), found, depth)
        return
    rangevar = item.get("RangeVar")
    if rangevar is None:
        return
    alias = (rangevar.get("alias") or {}).get("aliasname") or rangevar["relname"]
    if (rangevar.get("alias") or {}).get("colnames"):
        return  # columns renamed by the alias: not followed
    columns = _relation_columns(ctx, rangevar.get("schemaname"), rangevar["relname"], depth)
    if columns is not None:
        found[alias] = columns


def row_type_columns(
    ctx: BuildContext, schema: str | None, name: str
) -> list[tuple[str, TypeRef | None]] | None:
    """The attributes of the row type ``schema.name``: a composite type's, or the columns of
    the table, foreign table, view or materialized view whose row type it is (every relation
    has one, pg_type's typrelid); None when the schema defines none of these."""
    found = ctx.get(ObjectId(ids.COMPOSITE_TYPE, schema, name)) if schema is not None else None
    if isinstance(found, model.CompositeType):
        return [(c.name, c.type) for c in found.columns.ordered]
    return _relation_columns(ctx, schema, name, 0)


def _relation_columns(
    ctx: BuildContext, schema: str | None, name: str, depth: int
) -> list[tuple[str, TypeRef | None]] | None:
    if schema is None:
        return None
    for kind in _RELATIONS:
        obj: Any = ctx.get(ObjectId(kind, schema, name))
        if isinstance(obj, model.Table):
            return [(c.name, c.type) for c in obj.columns.ordered]
        if isinstance(obj, model.View | model.MaterializedView):
            names = view_column_names(obj)
            types = view_column_types(ctx, obj, depth + 1)
            return [(n, types[i] if i < len(types) else None) for i, n in enumerate(names)]
    return None


def view_column_names(view: model.View | model.MaterializedView) -> list[str]:
    """The view's column names: those given in CREATE VIEW v (a, b), then its query's."""
    names = list(output_names(view.query) or ())
    given = list(view.column_names)
    return given + names[len(given) :]


def check_replacement(ctx: BuildContext, old: model.View, new: model.View) -> None:
    """Refuse ``CREATE OR REPLACE VIEW`` as PostgreSQL does (checkViewColumns, view.c): the new
    query may add columns at the end, but not drop, rename or retype the existing ones. Only
    what pgdrift can read off both queries is checked."""
    if output_names(old.query) is None or output_names(new.query) is None:
        return
    span = ctx.statement.span if ctx.statement else None
    old_names, new_names = view_column_names(old), view_column_names(new)
    what = f"CREATE OR REPLACE VIEW {old.id.schema}.{old.id.name}"
    if len(new_names) < len(old_names):
        raise ModelError(f"{what}: cannot drop columns from view", span=span)
    for before, after in zip(old_names, new_names, strict=False):
        if before != after:
            raise ModelError(
                f'{what}: cannot change name of view column "{before}" to "{after}" (use ALTER '
                "VIEW ... RENAME COLUMN to change the name of a view column)",
                span=span,
            )
    old_types, new_types = view_column_types(ctx, old), view_column_types(ctx, new)
    for name, before_type, after_type in zip(old_names, old_types, new_types, strict=False):
        if before_type is not None and after_type is not None and before_type != after_type:
            raise ModelError(
                f'{what}: cannot change data type of view column "{name}" from {before_type} '
                f"to {after_type}",
                span=span,
            )
