"""The body of a SQL-standard function or procedure (``RETURN expr``, ``BEGIN ATOMIC ...
END``) as PostgreSQL stores it: parsed and analysed when the routine is created, printed back
by ruleutils (docs: CREATE FUNCTION, "sql_body").

Its queries are qualified as a view's are (builder.queries), the columns of an UPDATE's or
DELETE's table too; a parameter is printed qualified with the routine's name (``f.p``) where
a FROM list or a target table is in scope, bare elsewhere; no ``AS "?column?"`` is written
(there is no view column list to name); literals are typed with the parameters' and columns'
types. A statement pgdrift cannot see into stays as written.
Each form was checked on PostgreSQL 15.
"""

from __future__ import annotations

from typing import Any

from pgdrift import ids, model
from pgdrift.builder.comparisons import Typer, type_cast
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import SchemaTypes, base_type
from pgdrift.builder.nodes import Node, put_field, strings
from pgdrift.builder.queries import (
    expand_returning,
    qualify_in_relation,
    qualify_insert,
    qualify_queries,
    relation_scope,
    returning,
    rule_scope,
)
from pgdrift.builder.stored_exprs import fold_typed
from pgdrift.ids import ObjectId
from pgdrift.pg.constants import coerce_unknown, const_node, unknown_label
from pgdrift.types import TypeRef

__all__ = ["stored_rule", "stored_sql_body"]

_INPUT_MODES = frozenset({"in", "inout", "variadic"})


def stored_sql_body(
    ctx: BuildContext, body: Node, name: str, arguments: tuple[model.Argument, ...]
) -> Node:
    """``body`` (the CreateFunctionStmt's sql_body, changed in place) in stored form."""
    params = {a.name: a.type for a in arguments if a.name and a.mode in _INPUT_MODES}

    def param_typer(fields: list[str]) -> TypeRef | None:
        if len(fields) == 1 or (len(fields) == 2 and fields[0] == name):
            return params.get(fields[-1])
        return None

    if "ReturnStmt" in body:
        value = body["ReturnStmt"].get("returnval")
        typers: dict[int, Typer] = {}
        qualify_queries(ctx, value, None, typers)
        value = _param_fields(ctx, value, name, params)
        _qualify_params(value, name, params, inside=False)
        body["ReturnStmt"]["returnval"] = fold_typed(
            ctx, value, param_typer, _with(typers, param_typer)
        )
        return body
    for statements in (body.get("List") or {}).get("items") or ():
        items = (statements.get("List") or {}).get("items") or []
        for index, statement in enumerate(items):
            items[index] = _statement(ctx, statement, name, params, param_typer)
    return body


def stored_rule(
    ctx: BuildContext, where: Node | None, actions: list[Node], relation: ObjectId
) -> tuple[Node | None, list[Node]]:
    """A rule's WHERE and actions as PostgreSQL stores them (transformRuleStmt): analysed as
    a SQL-standard body's statements are, ``old`` and ``new`` being the rows of ``relation``.
    They are in the range table by name only, so a bare column is never theirs."""
    typer = rule_scope(ctx, relation).typer()
    if where is not None:
        typers: dict[int, Typer] = {}
        qualify_queries(ctx, where, None, typers)
        where = fold_typed(ctx, where, typer, _with(typers, typer))
    return where, [_statement(ctx, action, "", {}, typer) for action in actions]


def _statement(
    ctx: BuildContext, statement: Node, name: str, params: dict[str, TypeRef], param_typer: Typer
) -> Node:
    typers: dict[int, Typer] = {}
    kind = next(iter(statement))
    inner = statement[kind]
    typer: Typer = param_typer
    if kind in ("UpdateStmt", "DeleteStmt"):
        if inner.get("fromClause") or inner.get("usingClause") or (inner["relation"].get("alias")):
            return statement
        schema = inner["relation"].get("schemaname") or ctx.creation_schema
        relation = _table(ctx, schema, inner["relation"]["relname"])
        if relation is None:
            return statement
        expand_returning(ctx, inner, relation_scope(ctx, relation))
        parts = [inner.get("whereClause"), returning(inner)]
        if kind == "UpdateStmt":
            _update_values(ctx, inner, relation)
            parts.append([t["ResTarget"].get("val") for t in inner.get("targetList") or ()])
        columns = qualify_in_relation(ctx, [p for p in parts if p], relation, typers)
        typer = _either(columns, param_typer)
    elif kind == "InsertStmt":
        schema = inner["relation"].get("schemaname") or ctx.creation_schema
        target = _table(ctx, schema, inner["relation"]["relname"])
        _insert_targets(ctx, inner)
        returned = qualify_insert(ctx, inner, target, typers)
        typer = _either(returned, param_typer) if returned is not None else param_typer
    elif kind == "SelectStmt":
        qualify_queries(ctx, statement, None, typers)
    else:
        return statement
    statement = _param_fields(ctx, statement, name, params)
    _qualify_params(statement, name, params, inside=False)
    folded: Node = fold_typed(ctx, statement, typer, _with(typers, param_typer))
    return folded


def _insert_targets(ctx: BuildContext, insert: Node) -> None:
    """An INSERT's target columns as transformInsertStmt takes them, which ruleutils prints:
    without a column list, the table's first columns, one a value; the literals of its
    VALUES rows coerced to their columns' types (transformInsertRow), as a column default is:
    ``'new'::public.st``, ``NULL::text``, a domain's as its base type's; ON CONFLICT changes
    none of that."""
    schema = insert["relation"].get("schemaname") or ctx.creation_schema
    relation = _table(ctx, schema, insert["relation"]["relname"])
    select = (insert.get("selectStmt") or {}).get("SelectStmt")
    if relation is None or select is None:
        return
    conflict = insert.get("onConflictClause") or {}
    if conflict.get("targetList"):
        _update_values(ctx, conflict, relation)  # DO UPDATE SET: as an UPDATE's SET
    table = ctx.get(relation)
    assert isinstance(table, model.Table)
    targets = insert.get("cols") or []
    if any("indirection" in t["ResTarget"] for t in targets):
        return  # INSERT INTO t (a[1]) ...: an assignment into part of a column
    rows = [(row.get("List") or {}).get("items") or [] for row in select.get("valuesLists") or ()]
    if not targets:
        width = len(rows[0]) if rows else _width(select)
        if width is None or width > len(table.columns.ordered):
            return
        targets = [{"ResTarget": {"name": c.name}} for c in table.columns.ordered[:width]]
        put_field(insert, "InsertStmt", "cols", targets)
    names = [t["ResTarget"]["name"] for t in targets]
    if any(name not in table.columns for name in names):
        return
    types = [base_type(ctx, table.columns[name].type) for name in names]
    for row in rows:
        for index, value in enumerate(row[: len(types)]):
            row[index] = _assigned(value, types[index])


def _update_values(ctx: BuildContext, update: Node, relation: ObjectId) -> None:
    """An UPDATE's SET literals coerced to their columns' types (transformUpdateTargetList),
    as an INSERT's values are."""
    table = ctx.get(relation)
    assert isinstance(table, model.Table)
    for target in update.get("targetList") or ():
        res = target["ResTarget"]
        column = table.columns.get(res.get("name")) if not res.get("indirection") else None
        if column is not None and res.get("val") is not None:
            res["val"] = _assigned(res["val"], base_type(ctx, column.type))


def _width(select: Node) -> int | None:
    """How many columns a plain SELECT gives, when no ``*`` hides it."""
    if select.get("op", "SETOP_NONE") != "SETOP_NONE" or select.get("valuesLists"):
        return None
    targets = select.get("targetList") or []
    if any("A_Star" in str(t) for t in targets):
        return None
    return len(targets)


def _assigned(value: Node, to: TypeRef) -> Node:
    """A literal of unknown type (or NULL) given to a column of type ``to``."""
    const = value.get("A_Const") if isinstance(value, dict) else None
    if const is None:
        return value
    if const.get("isnull"):
        return type_cast(value, unknown_label(to))
    if "sval" not in const:
        return value
    coerced = coerce_unknown(str(const["sval"].get("sval", "")), to)
    return value if coerced is None else const_node(coerced)


def _table(ctx: BuildContext, schema: str, name: str) -> ObjectId | None:
    oid = ctx.find_relation(schema, name)
    return oid if isinstance(ctx.get(oid), model.Table) else None


def _either(first: Typer, second: Typer) -> Typer:
    def typer(fields: list[str]) -> TypeRef | None:
        return first(fields) or second(fields)

    return typer


def _with(typers: dict[int, Typer], param_typer: Typer) -> dict[int, Typer]:
    """Each SELECT's typer, also typing the routine's parameters."""
    return {key: _either(typer, param_typer) for key, typer in typers.items()}


def _unnamed_columns(select: Node) -> None:
    """Without a view's column list, ruleutils writes no ``AS "?column?"``: the name the
    expression would get anyway."""
    for target in select.get("targetList") or ():
        res = target.get("ResTarget") or {}
        if res.get("name") == "?column?":
            del res["name"]


def _branches(select: Node) -> list[Node]:
    """The SELECTs of a UNION, INTERSECT or EXCEPT (libpg_query writes them untagged), or
    ``select`` itself."""
    if select.get("op", "SETOP_NONE") == "SETOP_NONE":
        return [select]
    return [*_branches(select.get("larg") or {}), *_branches(select.get("rarg") or {})]


def _name_params(targets: list[Node] | None, name: str, params: dict[str, TypeRef]) -> None:
    """A result column that is a parameter is a Param, not a Var: ruleutils prints its name
    (FigureColname, the parameter's) as ``AS p`` (get_target_list)."""
    for target in targets or ():
        res = target.get("ResTarget") or {}
        fields = (res.get("val") or {}).get("ColumnRef", {}).get("fields") or []
        names = strings(fields)
        if "name" in res or len(names) != len(fields) or not names or names[-1] not in params:
            continue
        if len(names) == 1 or (len(names) == 2 and names[0] == name):
            put_field(res, "ResTarget", "name", names[-1])


def _param_fields(ctx: BuildContext, node: Node, name: str, params: dict[str, TypeRef]) -> Node:
    """``node`` with ``o.total`` and ``f.o.total`` of a composite parameter ``o`` of routine
    ``f`` as its field ``(o).total`` (sql_fn_post_column_ref: ``f.p`` naming parameter ``p``
    comes first, and a table's column always wins); ruleutils prints them so. Where the
    statement names a relation or alias ``o`` (or ``f``), they stay as written."""
    types = SchemaTypes(ctx)
    composite = {p for p, ref in params.items() if types.kind(ref) == ids.COMPOSITE_TYPE}
    taken = _range_names(node, set())
    if not composite:
        return node

    def rewrite(item: Any) -> Any:
        if isinstance(item, list):
            item[:] = [rewrite(i) for i in item]
            return item
        if not isinstance(item, dict):
            return item
        fields = (item.get("ColumnRef") or {}).get("fields") or []
        names = strings(fields)
        if len(names) == len(fields) and len(names) > 1:
            at = 1 if names[0] == name and names[1] in params else 0
            if names[at] in composite and names[0] not in taken and len(names) > at + 1:
                column = {"ColumnRef": {"fields": [fields[at]]}}
                return {"A_Indirection": {"arg": column, "indirection": fields[at + 1 :]}}
        for key, value in item.items():
            item[key] = rewrite(value)  # in place: the SELECTs' typers are keyed by id()
        return item

    rewritten: Node = rewrite(node)
    return rewritten


def _range_names(node: Any, found: set[str]) -> set[str]:
    """The names of the relations and aliases ``node`` names anywhere (``found`` extended)."""
    if isinstance(node, list):
        for item in node:
            _range_names(item, found)
    elif isinstance(node, dict):
        relation = node.get("RangeVar")
        if relation is not None:
            found.add(relation.get("relname", ""))
        alias = node.get("alias")
        if isinstance(alias, dict):
            found.add((alias.get("Alias") or alias).get("aliasname", ""))
        for value in node.values():
            _range_names(value, found)
    return found


def _qualify_params(node: Any, name: str, params: dict[str, TypeRef], *, inside: bool) -> None:
    """Bare references to a parameter inside a query become ``name.param``."""
    if isinstance(node, list):
        for item in node:
            _qualify_params(item, name, params, inside=inside)
        return
    if not isinstance(node, dict):
        return
    # ruleutils qualifies a parameter where a range table is in scope: a query with a FROM
    # list, or an INSERT / UPDATE / DELETE (which has its target table).
    select = node.get("SelectStmt") or {}
    # A UNION's query has its branches in its range table.
    if select.get("fromClause") or select.get("op", "SETOP_NONE") != "SETOP_NONE":
        inside = True
    if any(kind in node for kind in ("UpdateStmt", "DeleteStmt", "InsertStmt")):
        inside = True
    if "SelectStmt" in node:
        for leaf in _branches(node["SelectStmt"]):
            _unnamed_columns(leaf)
            _name_params(leaf.get("targetList"), name, params)
    for kind in ("InsertStmt", "UpdateStmt", "DeleteStmt"):
        if kind in node:
            _name_params(returning(node[kind]), name, params)
    ref = node.get("ColumnRef")
    if ref is not None:
        fields = ref.get("fields") or []
        names = strings(fields)
        whole = len(names) == len(fields)
        if inside and whole and len(names) == 1 and names[0] in params:
            ref["fields"] = [{"String": {"sval": name}}, fields[0]]
        elif not inside and whole and len(names) == 2 and names[0] == name and names[1] in params:
            # Out of any range table's scope ruleutils prints a parameter bare: f.p is p.
            ref["fields"] = [fields[1]]
        return
    for value in node.values():
        if isinstance(value, (dict, list)):
            _qualify_params(value, name, params, inside=inside)
