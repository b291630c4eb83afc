"""The types of a view's (or materialized view's) columns, read off its stored query.

PostgreSQL gives a view's columns the types of its query's output, and an expression over a
view column is typed with them (``WHERE v.total > 1000`` on a numeric column is stored as
``1000::numeric``). pgdrift knows the type of an output that is a column of a relation it
knows (a table's, another view's, a sub-select's in FROM or a WITH query's, followed down), a
literal, a cast to a built-in type, a CASE or COALESCE of known results, a built-in call or
aggregate it knows the result of, an array's element or a scalar sub-select; any other output,
and an output of a set operation whose branches' types differ (their common type), stays
unknown (None).
"""

from __future__ import annotations

from typing import Any

from pgdrift import ids, model
from pgdrift._expr_tree import to_json
from pgdrift.builder.comparison_parts import _plain, type_cast
from pgdrift.builder.comparisons import Typer, common_type, expression_type
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import DECLARED_TYPES, SchemaTypes, TypeFacts
from pgdrift.builder.nodes import Node, strings
from pgdrift.builder.result_names import output_name
from pgdrift.errors import ModelError
from pgdrift.expr import output_names
from pgdrift.ids import ObjectId
from pgdrift.pg.constants import TEXT, literal_const
from pgdrift.pg.functions import VALUE_FUNCTIONS
from pgdrift.pg.type_categories import select_common
from pgdrift.types import TypeRef

__all__ = [
    "check_replacement", "coerce_unknown_outputs", "output_type", "row_type_columns",
    "set_operation_types", "values_types", "view_column_names", "view_column_types",
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
    return _Reader(ctx, depth).types(select, {}, None)


_Columns = list[tuple[str, TypeRef | None]]


class _Reader:
    """The column types of a stored query's SELECTs, read off their FROM lists (relations,
    sub-selects, WITH queries); as :class:`TypeFacts`, each type taken as declared, and a
    scalar sub-select of the type of its column."""

    def __init__(self, ctx: BuildContext, depth: int) -> None:
        self.ctx = ctx
        self.depth = depth
        #: The column types in scope in each SELECT read, by ``id()`` of its body.
        self.typers: dict[int, Typer] = {}

    def __call__(self, ref: TypeRef, /) -> TypeRef:
        return DECLARED_TYPES(ref)

    def kind(self, ref: TypeRef, /) -> str | None:
        return DECLARED_TYPES.kind(ref)

    def field(self, ref: TypeRef, name: str, /) -> TypeRef | None:
        return DECLARED_TYPES.field(ref, name)

    def result(self, schema: str, name: str, count: int, /) -> TypeRef | None:
        return SchemaTypes(self.ctx).result(schema, name, count)  # as declared: a domain too

    def query(self, body: Any, /) -> Typer | None:
        return self.typers.get(id(body))

    def types(
        self, select: Node, ctes: dict[str, _Columns], outer: Typer | None
    ) -> list[TypeRef | None]:
        """The types of ``select``'s output columns; ``ctes``: the WITH queries around it,
        ``outer``: the columns its correlated names may refer to."""
        ctes = self._with(select, ctes, outer)
        if select.get("valuesLists"):
            return values_types(select["valuesLists"], outer or _scope({}, None), self)
        if select.get("op", "SETOP_NONE") != "SETOP_NONE":
            # Of the branches' type where they agree (their common type otherwise).
            left = self.types(select.get("larg") or {}, ctes, outer)
            right = self.types(select.get("rarg") or {}, ctes, outer)
            return set_operation_types(select, left, right, SchemaTypes(self.ctx))
        relations: dict[str, _Columns] = {}
        for item in select.get("fromClause") or ():
            self._from_item(item, relations, ctes, outer)
        typer = self.typers[id(select)] = _scope(relations, outer)
        targets = [t.get("ResTarget", {}) for t in select.get("targetList") or ()]
        self._sub_selects(targets, ctes, typer)
        return [output_type(t.get("val", {}), typer, self) for t in targets]

    def _with(
        self, select: Node, ctes: dict[str, _Columns], outer: Typer | None
    ) -> dict[str, _Columns]:
        """``ctes`` and the WITH queries of ``select``, their columns named and typed."""
        clause = select.get("withClause") or {}
        if not clause.get("ctes"):
            return ctes
        ctes = dict(ctes)
        for cte in clause["ctes"]:
            info = cte.get("CommonTableExpr") or {}
            query = (info.get("ctequery") or {}).get("SelectStmt")
            if not isinstance(query, dict) or not info.get("ctename"):
                continue
            if clause.get("recursive") and query.get("op") == "SETOP_UNION":
                query = query.get("larg") or {}  # the non-recursive term types the columns
            names = _output_names(query)
            aliases = strings(info.get("aliascolnames"))
            if names is None or len(aliases) > len(names):
                continue
            types = self.types(query, ctes, outer)
            ctes[info["ctename"]] = list(zip(aliases + names[len(aliases) :], types, strict=False))
        return ctes

    def _from_item(
        self, item: Node, found: dict[str, _Columns], ctes: dict[str, _Columns], outer: Typer | None
    ) -> None:
        if "JoinExpr" in item:
            join = item["JoinExpr"]
            if join.get("alias") is None:
                self._from_item(join.get("larg", {}), found, ctes, outer)
                self._from_item(join.get("rarg", {}), found, ctes, outer)
            return
        sub = item.get("RangeSubselect")
        if sub is not None:
            alias = sub.get("alias") or {}
            query = (sub.get("subquery") or {}).get("SelectStmt")
            names = _output_names(query) if isinstance(query, dict) else None
            given = strings(alias.get("colnames"))
            if query is None or names is None or not alias.get("aliasname"):
                return
            # A LATERAL sub-select may refer to the entries before it.
            scope = _scope(found, outer) if sub.get("lateral") else outer
            types = self.types(query, ctes, scope)
            found[alias["aliasname"]] = list(zip(given + names[len(given) :], types, strict=False))
            return
        rangevar = item.get("RangeVar")
        if rangevar is None:
            return
        alias = (rangevar.get("alias") or {}).get("aliasname") or rangevar["relname"]
        if (rangevar.get("alias") or {}).get("colnames"):
            return  # columns renamed by the alias: not followed
        if not rangevar.get("schemaname") and rangevar["relname"] in ctes:
            found[alias] = ctes[rangevar["relname"]]
            return
        schema, name = rangevar.get("schemaname"), rangevar["relname"]
        columns = _relation_columns(self.ctx, schema, name, self.depth)
        if columns is not None:
            found[alias] = columns

    def _sub_selects(self, node: Any, ctes: dict[str, _Columns], typer: Typer) -> None:
        """The scalar sub-selects under ``node`` (result columns), read in their own scope."""
        if isinstance(node, list):
            for item in node:
                self._sub_selects(item, ctes, typer)
            return
        if not isinstance(node, dict):
            return
        sublink = node.get("SubLink")
        if sublink is not None:
            body = (sublink.get("subselect") or {}).get("SelectStmt")
            if sublink.get("subLinkType") == "EXPR_SUBLINK" and isinstance(body, dict):
                self.types(body, ctes, typer)
            return
        for value in node.values():
            if isinstance(value, (dict, list)):
                self._sub_selects(value, ctes, typer)


def _scope(found: dict[str, _Columns], outer: Typer | None) -> Typer:
    """The columns of the FROM entries ``found``, then those of ``outer``."""

    def typer(fields: list[str]) -> TypeRef | None:
        if len(fields) == 2 and fields[0] in found:
            columns = found[fields[0]]
        elif len(fields) == 1 and len(found) == 1:
            columns = next(iter(found.values()))
        else:
            return outer(fields) if outer is not None else None
        return next((ref for name, ref in columns if name == fields[-1]), None)

    return typer


def _output_names(select: Node) -> list[str] | None:
    """The output column names of a stored SELECT (a set operation's: its first branch's)."""
    while select.get("op", "SETOP_NONE") != "SETOP_NONE":
        select = select.get("larg") or {}
    if select.get("valuesLists"):  # column1, column2...
        width = len((select["valuesLists"][0].get("List") or {}).get("items") or ())
        return [f"column{n}" for n in range(1, width + 1)]
    names = [output_name(t.get("ResTarget") or {}) for t in select.get("targetList") or ()]
    return None if None in names else [str(n) for n in names]


def values_types(rows: list[Node], typer: Typer, base_of: TypeFacts) -> list[TypeRef | None]:
    """The types of a VALUES list's columns: each its values' common type (a column of string
    literals alone is text; transformValuesClause)."""
    lists = [(row.get("List") or {}).get("items") or [] for row in rows]
    return [common_type(list(column), typer, base_of) for column in zip(*lists, strict=False)]


def set_operation_types(
    select: Node, left: list[TypeRef | None], right: list[TypeRef | None], base_of: TypeFacts
) -> list[TypeRef | None]:
    """The column types of the set operation ``select`` whose branches' columns are of types
    ``left`` and ``right`` (None: not known): each column's branches' common type
    (transformSetOperationTree, select_common_type), a string literal or NULL of a plain
    SELECT branch being of type unknown (it takes the other's type), with the length or
    precision both share (select_common_typmod)."""
    found: list[TypeRef | None] = []
    lefts = _unknown_outputs(select.get("larg") or {}, left)
    rights = _unknown_outputs(select.get("rarg") or {}, right)
    for pair in zip(lefts, rights, strict=False):
        if None in pair:
            found.append(None)
            continue
        declared = [None if ref is _UNKNOWN else ref for ref in pair]
        bases = [_plain(base_of(ref)) for ref in declared if ref is not None]
        found.append(select_common(declared, bases))
    return found


def coerce_unknown_outputs(select: Node, types: list[TypeRef | None]) -> None:
    """The string literals and NULLs in the plain SELECT branches of the set operation
    ``select`` coerced to their column's type ``types`` where known (in place):
    transformSetOperationTree replaces such a Const by the coerced one, so ``SELECT 'x'
    UNION SELECT v`` of a varchar is stored ``SELECT 'x'::character varying``."""
    for side in ("larg", "rarg"):
        branch = select.get(side) or {}
        if branch.get("op", "SETOP_NONE") != "SETOP_NONE" or branch.get("valuesLists"):
            continue
        for target, ref in zip(branch.get("targetList") or (), types, strict=False):
            result = target.get("ResTarget") or {}
            if ref is not None and _is_unknown(result.get("val")):
                result["val"] = type_cast(result["val"], _plain(ref))


#: A branch column of type unknown (a string literal or a NULL).
_UNKNOWN = TypeRef(None, "unknown")


def _unknown_outputs(branch: Node, types: list[TypeRef | None]) -> list[TypeRef | None]:
    """``types``, with _UNKNOWN for the columns of the plain SELECT ``branch`` that are a
    string literal or NULL."""
    if branch.get("op", "SETOP_NONE") != "SETOP_NONE" or branch.get("valuesLists"):
        return types
    values = [t.get("ResTarget", {}).get("val") for t in branch.get("targetList") or ()]
    return [
        _UNKNOWN if i < len(values) and _is_unknown(values[i]) else ref
        for i, ref in enumerate(types)
    ]


def _is_unknown(node: Any) -> bool:
    const = node.get("A_Const") if isinstance(node, dict) else None
    return const is not None and ("sval" in const or bool(const.get("isnull")))


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
