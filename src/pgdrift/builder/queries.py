"""Queries of source SQL as pg_get_viewdef prints them: ``*`` expanded, columns qualified.

PostgreSQL stores a view's query after parse analysis, so ``SELECT * FROM t`` is kept as the
list of t's columns at that moment, every column is a reference to one range-table entry, and
pg_dump prints each as ``alias.column`` (``SELECT t.id, t.name FROM public.t``). A result
column whose name is not the referenced column's gets ``AS name`` (``count(*) AS count``), and
the branches of a UNION after the first take the first branch's names (ruleutils.c,
``get_target_list``). This module puts a source query into that form against the catalogue
built so far, and returns the column types it found so that literals compared with those
columns can be typed (:mod:`pgdrift.builder.comparisons`).

A function in FROM is seen when its columns are known: a column definition list, or a built-in
whose rows are one scalar column (:mod:`pgdrift.pg.set_functions`, ``unnest`` of an array of a
built-in type); ruleutils prints its alias and full column list (``generate_series(1, 3) d(d)``).
A query whose FROM list pgdrift cannot see into (another function in FROM, a NATURAL or FULL
join, a column alias list) is left as written: it then compares equal to its dump only if it
was written in the dump's form.
"""

from __future__ import annotations

import copy
from typing import Any

from pgdrift.builder.comparisons import Typer
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import SchemaTypes
from pgdrift.builder.function_columns import function_columns
from pgdrift.builder.grouping_sets import drop_repeated_groups, flatten_grouping
from pgdrift.builder.join_using import merge_using, visible_columns
from pgdrift.builder.nodes import Node, put_field, strings
from pgdrift.builder.query_ordinals import resolve_ordinals
from pgdrift.builder.query_scope import (
    Item,
    Scope,
    expand_stars,
    relation_item,
    relation_scope,
    rule_scope,
    string_node,
)
from pgdrift.builder.range_names import unique_range_names
from pgdrift.builder.result_names import name_targets, named_values, output_name, rename_targets
from pgdrift.builder.view_types import (
    coerce_unknown_outputs,
    output_type,
    set_operation_types,
    values_types,
)
from pgdrift.ids import ObjectId
from pgdrift.types import TypeRef, type_from_node

__all__ = [
    "Scope",
    "expand_returning",
    "name_columns",
    "qualify_in_relation",
    "qualify_insert",
    "qualify_queries",
    "relation_scope",
    "returning",
    "rule_scope",
]  # fmt: skip

_BIGINT = TypeRef(None, "bigint")


class _CannotSeeError(Exception):
    """A FROM item pgdrift cannot list the columns of: the query stays as written."""


def qualify_queries(
    ctx: BuildContext,
    node: Any,
    outer: Scope | None,
    typers: dict[int, Typer],
    *,
    view: bool = False,
) -> None:
    """Put every SELECT inside ``node`` (a JSON tree, changed in place) into pg_dump's form;
    their correlated names may refer to ``outer``; names outside any SELECT stay as they are
    (a CHECK or policy's own columns print bare). ``typers`` receives the column types of each
    SELECT, keyed by ``id()`` of its body."""
    _Walker(ctx, typers, outer, view=view).walk(node, None)


def qualify_in_relation(
    ctx: BuildContext, nodes: list[Any], relation: ObjectId, typers: dict[int, Typer]
) -> Typer:
    """Qualify the bare column names of ``relation`` under ``nodes`` (an UPDATE's SET values,
    a DELETE's WHERE), and the SELECTs inside them; the typer of the relation's columns."""
    scope = relation_scope(ctx, relation)
    walker = _Walker(ctx, typers, scope)
    # The target is a range-table entry of the statement: a sub-select reading the same table
    # names its entry apart (items_1), as ruleutils names every entry uniquely.
    walker.levels.append({relation.name})
    for node in nodes:
        walker.walk(node, scope)
    return scope.typer()


def qualify_insert(
    ctx: BuildContext, insert: Node, relation: ObjectId | None, typers: dict[int, Typer]
) -> Typer | None:
    """An INSERT's query in pg_dump's form, its FROM entries named apart from the target's
    (INSERT INTO items SELECT ... FROM items prints items_1), and its RETURNING list's bare
    columns qualified by the target's name or alias; the typer of the target's columns."""
    var = insert["relation"]
    name = (var.get("alias") or {}).get("aliasname") or var["relname"]
    walker = _Walker(ctx, typers, None)
    walker.levels.append({name})
    walker.walk(insert, None)
    item = relation_item(ctx, relation.schema, relation.name, name) if relation else None
    if item is None:
        return None
    scope = Scope([item])
    expand_returning(ctx, insert, scope)
    walker.walk(returning(insert), scope)
    return scope.typer()


def expand_returning(ctx: BuildContext, statement: Node, scope: Scope) -> None:
    """``RETURNING *`` is the target's columns, one by one (transformReturningList expands
    it as a SELECT list's ``*``), printed ``RETURNING items.id, items.qty``."""
    targets = returning(statement)
    expanded = expand_stars(ctx, targets, scope) if targets else None
    if expanded is None:
        return
    clause = statement.get("returningClause")
    if clause is not None:
        clause["exprs"] = expanded
    else:
        statement["returningList"] = expanded


def returning(statement: Node) -> list[Node]:
    """The RETURNING list of an INSERT, UPDATE or DELETE (``returningClause.exprs`` in the
    parse tree of PostgreSQL 17's grammar, ``returningList`` before)."""
    clause = statement.get("returningClause") or {}
    return list(clause.get("exprs") or statement.get("returningList") or ())


class _Walker:
    def __init__(
        self, ctx: BuildContext, typers: dict[int, Typer], top: Scope | None, *, view: bool = False
    ) -> None:
        self.ctx = ctx
        #: Reading a view's query: its top level's result columns are the view's columns.
        self.view = view
        self.typers = typers
        self.top = top
        #: The WITH queries in force, innermost last: name -> its columns and their types.
        self.ctes: list[dict[str, list[tuple[str, TypeRef | None]]]] = []
        #: The types of each SELECT's result columns (None where not known), by ``id()``.
        self.result_types: dict[int, list[TypeRef | None]] = {}
        #: The range table names of the queries around the one being read, innermost last.
        self.levels: list[set[str]] = []

    def walk(self, node: Any, scope: Scope | None) -> None:
        """Qualify the column references under ``node`` in ``scope``; SELECTs get their own."""
        if isinstance(node, list):
            for item in node:
                self.walk(item, scope)
            return
        if not isinstance(node, dict):
            return
        if "SelectStmt" in node:
            # A view's own query names its columns; a sub-select in an expression does not.
            visible = self.view and not self.levels
            self.select(node["SelectStmt"], scope or self.top, visible=visible, top=visible)
            return
        sublink = node.get("SubLink")
        if sublink is not None and sublink.get("subLinkType") == "EXISTS_SUBLINK":
            # EXISTS (SELECT 1 ...): ruleutils prints its target list without names.
            self.select(sublink["subselect"]["SelectStmt"], scope or self.top, exists=True)
            return
        if "ColumnRef" in node and scope is not None:
            self._column(node["ColumnRef"], scope)
            return
        target = node.get("ResTarget")
        if target is not None and scope is not None and "ColumnRef" in (target.get("val") or {}):
            self._column(target["val"]["ColumnRef"], scope, target=target)
            self.walk(target.get("indirection"), scope)
            return
        for value in node.values():
            if isinstance(value, (dict, list)):
                self.walk(value, scope)

    def _column(self, ref: Node, scope: Scope, target: Node | None = None) -> None:
        """Qualify a column reference; ``target`` is the result column it is the whole of."""
        fields = ref.get("fields") or []
        if len(fields) == 2 and "String" in fields[0]:
            join = scope.merged_by(fields[0]["String"]["sval"])
            column = fields[1].get("String", {}).get("sval")
            if join is not None and column in join.merged:
                # j.k of JOIN ... USING (k) AS j is the join's merged column (join_using).
                qualifier = join.merged[column]
                ref["fields"] = [fields[1]] if qualifier is None else [
                    string_node(qualifier), fields[1]]  # fmt: skip
                return
            _follow_rename(fields[0]["String"], scope)
            return
        if len(fields) != 1 or "String" not in fields[0]:
            return
        name = fields[0]["String"]["sval"]
        item = scope.resolve(name)
        if item is None:
            self._whole_row(ref, name, scope, target)
            return
        if item.parameters and not scope.has_relations():
            return
        alias = item.merged.get(name, item.alias)
        if alias is not None:
            ref["fields"] = [{"String": {"sval": alias}}, fields[0]]

    @staticmethod
    def _whole_row(ref: Node, name: str, scope: Scope, target: Node | None) -> None:
        """A name that is no column but a FROM entry is its whole row, printed ``t.*``
        (``to_jsonb(t.*)``); of a function returning a scalar, its column. A whole row as a
        result column (printed ``t.*::t``) is left as written."""
        item = scope.named(name)
        if item is None:
            return
        if item.scalar:
            if target is not None and not target.get("name"):
                put_field(target, "ResTarget", "name", name)  # SELECT e: e.value AS e
            ref["fields"] = [string_node(item.alias), string_node(item.columns[0][0])]
        elif target is None:
            ref["fields"] = [string_node(item.alias), {"A_Star": {}}]

    def select(
        self,
        body: Node,
        outer: Scope | None,
        exists: bool = False,
        *,
        visible: bool = True,
        top: bool = False,
    ) -> list[str] | None:
        """Put one SELECT in pg_dump's form; its output column names (None if not known).
        ``visible``: its column names are seen (a view's query, a WITH query, a sub-select in
        FROM), so ruleutils prints an unnamed column ``AS "?column?"`` (get_target_list's
        colNamesVisible); in an expression's sub-select it does not. ``top``: the view's own
        query, whose set operation's later branches are printed with the view's column names
        (ruleutils passes them the view's tuple descriptor)."""
        if body.get("op", "SETOP_NONE") != "SETOP_NONE":
            # A set operation's branches are SelectStmt bodies (the field is typed); its WITH
            # list is seen by both. Only the leftmost branch's names are visible.
            pushed = self._push_ctes(body, outer)
            names = self.select(body["larg"], outer, exists, visible=visible, top=top)
            self.select(body["rarg"], outer, exists, visible=False)
            if pushed:
                self.ctes.pop()
            if names is not None and top:
                rename_targets(body["rarg"], names)
            # A set operation's column is of its branches' common type.
            left = self.result_types.get(id(body["larg"]), [])
            right = self.result_types.get(id(body["rarg"]), [])
            types = SchemaTypes(self.ctx, self.typers)
            found = self.result_types[id(body)] = set_operation_types(body, left, right, types)
            coerce_unknown_outputs(body, found)
            return names
        rows = body.get("valuesLists")
        if rows:
            # VALUES names its columns column1, column2... (transformValuesClause).
            for row in rows:
                self.walk(row, outer)
            typer = outer.typer() if outer is not None else Scope([]).typer()
            types = SchemaTypes(self.ctx, self.typers)
            self.result_types[id(body)] = values_types(rows, typer, types)
            width = len((rows[0].get("List") or {}).get("items") or ())
            return [f"column{n}" for n in range(1, width + 1)]
        renamed: dict[str, str] = {}
        self.levels.append(unique_range_names(body.get("fromClause") or [], self.levels, renamed))
        try:
            return self._select(body, outer, exists, renamed, visible)
        finally:
            self.levels.pop()

    def _select(
        self, body: Node, outer: Scope | None, exists: bool, renamed: dict[str, str], visible: bool
    ) -> list[str] | None:
        pushed = self._push_ctes(body, outer)
        try:
            items = self._from_items(body.get("fromClause") or [], outer, renamed)
            scope = Scope(items, outer, renamed)
        except _CannotSeeError:
            if pushed:
                self.ctes.pop()
            return None
        targets = expand_stars(self.ctx, body.get("targetList") or [], scope)
        if targets is None:
            if pushed:
                self.ctes.pop()
            return None
        if targets:
            body["targetList"] = targets
        else:
            # SELECT FROM t: the parser writes no target list at all (nor does the dump's).
            body.pop("targetList", None)
        flatten_grouping(body)
        resolve_ordinals(body, targets)
        # ORDER BY a result column's name sorts by that column's expression.
        for sort in body.get("sortClause") or []:
            _sort_operator(sort.get("SortBy", {}))
            _order_by_output(sort.get("SortBy", {}), targets, scope)
            _by_position(sort.get("SortBy", {}), "node", targets)
        groups = body.get("groupClause") or []
        for index in range(len(groups)):
            _group_by_output(groups, index, targets, scope)
            _by_position(groups, index, targets)
        for key, value in body.items():
            if key not in ("withClause", "fromClause", "targetList", "larg", "rarg"):
                self.walk(value, scope)
        self.walk(targets, scope)
        self._walk_joins(body.get("fromClause") or [], scope)
        drop_repeated_groups(body)
        typer = self.typers[id(body)] = scope.typer()
        # A WITH query's or sub-select's column keeps its expression's type, so a literal
        # compared with it outside is typed as with a table's column (parse analysis types
        # every Var by its range-table entry's column).
        types = SchemaTypes(self.ctx, self.typers)  # a scalar sub-select's: its column's type
        self.result_types[id(body)] = [
            output_type(t["ResTarget"]["val"], typer, types) for t in targets
        ]
        if pushed:
            self.ctes.pop()
        found = [output_name(t["ResTarget"]) for t in targets]
        if not exists:
            name_targets(targets, unnamed=visible)
        return [n for n in found if n is not None] if None not in found else None

    def _typed(self, body: Node, names: list[str]) -> list[tuple[str, TypeRef | None]]:
        """``names`` (the result columns of ``body``) with the types found for them."""
        types = self.result_types.get(id(body), [])
        return [(n, types[i] if i < len(types) else None) for i, n in enumerate(names)]

    def _push_ctes(self, body: Node, outer: Scope | None) -> bool:
        with_clause = body.get("withClause") or {}
        ctes = with_clause.get("ctes") or []
        if not ctes:
            return False
        known: dict[str, list[tuple[str, TypeRef | None]]] = {}
        self.ctes.append(known)
        for cte in ctes:
            info = cte["CommonTableExpr"]
            query = info.get("ctequery", {}).get("SelectStmt")
            aliases = strings(info.get("aliascolnames"))
            if with_clause.get("recursive") and aliases:
                # WITH RECURSIVE c (a, b): the body may read c, whose columns are named.
                known[info["ctename"]] = [(a, None) for a in aliases]
            if query is None:
                cte_names = None
            elif with_clause.get("recursive") and not aliases and _reads(query, info["ctename"]):
                cte_names = self._recursive(info, query, outer, known)
            else:
                cte_names = self.select(query, outer)
            if cte_names is not None and query is not None:
                # WITH c (a, b): the aliases rename the first columns, which keep their types.
                known[info["ctename"]] = self._typed(query, aliases + cte_names[len(aliases) :])
        return True

    def _recursive(
        self,
        info: Node,
        query: Node,
        outer: Scope | None,
        known: dict[str, list[tuple[str, TypeRef | None]]],
    ) -> list[str] | None:
        """The columns of a WITH RECURSIVE query that reads itself: those of its
        non-recursive term, the left branch of its UNION, which the recursive term on the
        right then reads (checkWellFormedRecursion; parse_cte.c types the columns by it)."""
        name = info["ctename"]
        if (
            query.get("op") != "SETOP_UNION"
            or query.get("withClause")
            or info.get("search_clause")
            or info.get("cycle_clause")
            or _reads(query["larg"], name)
        ):
            return None
        names = self.select(query["larg"], outer)
        if names is None:
            return None
        known[name] = self._typed(query["larg"], names)
        self.select(query["rarg"], outer, visible=False)
        self.result_types[id(query)] = self.result_types.get(id(query["larg"]), [])
        return names

    def _walk_joins(self, items: list[Node], scope: Scope) -> None:
        for item in items:
            join = item.get("JoinExpr")
            if join is not None:
                self.walk(join.get("quals"), scope)
                self._walk_joins([join["larg"], join["rarg"]], scope)

    def _from_items(
        self, items: list[Node], outer: Scope | None, renamed: dict[str, str]
    ) -> list[Item]:
        found: list[Item] = []
        for item in items:
            # An item may refer to the entries before it when LATERAL (a function's arguments).
            found.extend(self._from_item(item, Scope(list(found), outer, renamed)))
        return found

    def _from_item(self, item: Node, before: Scope) -> list[Item]:
        """The entries of one FROM item; ``before`` holds the entries to its left (and
        the queries around, as its outer scope)."""
        outer = before.outer
        if "RangeVar" in item:
            var = item["RangeVar"]
            alias = var.get("alias") or {}
            if alias.get("colnames"):
                raise _CannotSeeError
            name = alias.get("aliasname") or var["relname"]
            if not var.get("schemaname"):
                for level in reversed(self.ctes):
                    if var["relname"] in level:
                        return [Item(name, list(level[var["relname"]]))]
            schema = var.get("schemaname") or self.ctx.creation_schema
            relation = relation_item(self.ctx, schema, var["relname"], name)
            if relation is None:
                raise _CannotSeeError
            return [relation]
        if "RangeSubselect" in item:
            sub = item["RangeSubselect"]
            alias = sub.get("alias") or {}
            query = sub.get("subquery", {}).get("SelectStmt")
            if query is None or not alias.get("aliasname"):
                raise _CannotSeeError
            # A LATERAL sub-select may refer to the entries to its left.
            names = self.select(query, before if sub.get("lateral") else outer)
            given = strings(alias.get("colnames"))
            if names is None or len(given) > len(names):
                raise _CannotSeeError
            if given:
                # AS s (a): the list names the first columns, and ruleutils prints it whole.
                names = given + names[len(given) :]
                alias["colnames"] = [string_node(n) for n in names]
            return [Item(alias["aliasname"], self._typed(query, names))]
        if "JoinExpr" in item:
            return self._join(item["JoinExpr"], before)
        if "RangeTableSample" in item:
            # t TABLESAMPLE ...: the relation's entry (its arguments cannot name columns).
            return self._from_item(item["RangeTableSample"]["relation"], before)
        if "RangeFunction" in item:
            return [self._function(item["RangeFunction"], before)]
        raise _CannotSeeError

    def _join(self, join: Node, before: Scope) -> list[Item]:
        if join.get("alias"):
            raise _CannotSeeError
        left = self._from_item(join["larg"], before)
        right = self._from_item(
            join["rarg"], Scope([*before.items, *left], before.outer, before.renamed)
        )
        if join.get("isNatural"):
            # NATURAL is stored as USING the columns both sides have, in the left side's
            # order (transformFromClauseItem), and printed so.
            theirs = set(visible_columns(right))
            common = [n for n in visible_columns(left) if n in theirs]
            if not common:
                raise _CannotSeeError
            del join["isNatural"]
            put_field(join, "JoinExpr", "usingClause", [string_node(n) for n in common])
        using = strings(join.get("usingClause"))
        if not using:
            return left + right
        using_alias = (join.get("join_using_alias") or {}).get("aliasname")
        items = merge_using(left, right, using, join.get("jointype", ""), using_alias)
        if items is None:
            raise _CannotSeeError
        return items

    def _function(self, body: Node, before: Scope) -> Item:
        """A function in FROM: its arguments qualified, LATERAL when they refer to an
        entry to its left, and its entry when its columns are known."""
        calls = [(f.get("List", {}).get("items") or [None])[0] for f in body["functions"]]
        for call in calls:
            self.walk(call, before)
        if not body.get("lateral") and any(_refers_to(c, before.items) for c in calls):
            # A function whose arguments refer to an earlier FROM entry is LATERAL even when
            # not written so (transformRangeFunction), and ruleutils prints LATERAL.
            put_field(body, "RangeFunction", "lateral", True)
        call = calls[0].get("FuncCall") if len(calls) == 1 and calls[0] else None
        if call is not None and body.get("is_rowsfrom") and not _own_coldeflist(body):
            # ROWS FROM of one function with no column definition list of its own is stored
            # as that function, and ruleutils prints it plain (get_from_clause_item).
            del body["is_rowsfrom"]
        if call is None or body.get("is_rowsfrom"):
            raise _CannotSeeError
        alias = body.get("alias") or {}
        if body.get("coldeflist"):
            # AS x (k text, v int): the columns are the list's, printed as written.
            if not alias.get("aliasname"):
                raise _CannotSeeError
            return Item(alias["aliasname"], [_defined(c) for c in body["coldeflist"]])
        found = function_columns(self.ctx, call, before.typer())
        if found is None:
            raise _CannotSeeError
        results, scalar = found
        refname = alias.get("aliasname") or strings(call.get("funcname"))[-1]
        given = strings(alias.get("colnames"))
        if scalar:
            # The column is named by the alias list, else by an OUT parameter, else by the
            # alias as written, else by the function (chooseScalarFunctionAlias).
            out, result = results[0]
            column = given[0] if given else out or before.renamed.get(refname, refname)
            columns: list[tuple[str, TypeRef | None]] = [(column, result)]
        else:
            # A composite result's columns, the alias list renaming the first of them.
            columns = [(given[i] if i < len(given) else n or "", t)
                       for i, (n, t) in enumerate(results)]  # fmt: skip
        if body.get("ordinality"):
            columns.append((given[len(columns)] if len(given) > len(columns) else "ordinality",
                            _BIGINT))  # fmt: skip
        if len(given) > len(columns):
            raise _CannotSeeError  # PostgreSQL's error to give
        # ruleutils prints a function's alias and its full column list (get_from_clause_item).
        colnames = [string_node(n) for n, _ in columns]
        put_field(body, "RangeFunction", "alias", {"aliasname": refname, "colnames": colnames})
        return Item(refname, columns, scalar=scalar and len(columns) == 1)


def _own_coldeflist(body: Node) -> bool:
    """Whether a ROWS FROM function has its own column definition list (``f() AS (a int)``)."""
    items = (body["functions"][0].get("List") or {}).get("items") or []
    return len(items) > 1 and bool(items[1])


def _refers_to(node: Any, items: list[Item]) -> bool:
    """Whether ``node`` (its column names already qualified) refers to one of ``items``."""
    if isinstance(node, list):
        return any(_refers_to(n, items) for n in node)
    if not isinstance(node, dict) or "SelectStmt" in node:
        return False
    fields = node.get("ColumnRef", {}).get("fields") or []
    if fields and "String" in fields[0]:
        return any(item.alias == fields[0]["String"]["sval"] for item in items)
    return any(_refers_to(v, items) for v in node.values() if isinstance(v, (dict, list)))


def _defined(column: Node) -> tuple[str, TypeRef | None]:
    """A column of a column definition list, with its type."""
    definition = column["ColumnDef"]
    try:
        return definition["colname"], type_from_node(definition["typeName"])
    except ValueError:
        return definition["colname"], None


def _follow_rename(qualifier: Node, scope: Scope) -> None:
    """``a.col`` written where the nearest FROM entry named ``a`` was renamed (``a_1``)."""
    written = qualifier.get("sval")
    level: Scope | None = scope
    while level is not None:
        if any(item.alias == written for item in level.items) and written not in level.renamed:
            return
        for new, old in level.renamed.items():
            if old == written:
                qualifier["sval"] = new
                return
        level = level.outer


def name_columns(query: Node, names: list[str]) -> bool:
    """``CREATE VIEW v (a, b) AS SELECT ...``: PostgreSQL names the result columns, and pg_dump
    prints them as ``AS a`` in every branch of the query. False (nothing changed) when the
    query's columns are not all known (a ``*`` left as written)."""
    body = query.get("SelectStmt")
    if body is None:
        return False
    if body.get("valuesLists"):
        return named_values(query, names)
    branch = body
    while branch.get("op", "SETOP_NONE") != "SETOP_NONE":
        branch = branch["larg"]
    targets = branch.get("targetList") or []
    if len(targets) < len(names) or any(_is_star(t) for t in targets):
        return False
    rename_targets(body, names)
    return True


def _is_star(target: Node) -> bool:
    fields = target.get("ResTarget", {}).get("val", {}).get("ColumnRef", {}).get("fields") or []
    return bool(fields) and "A_Star" in fields[-1]


def _reads(node: Any, name: str) -> bool:
    """Whether a query reads the relation ``name`` written without a schema anywhere in it
    (a WITH RECURSIVE query reading itself)."""
    if isinstance(node, dict):
        var = node.get("RangeVar")
        if var is not None and var.get("relname") == name and not var.get("schemaname"):
            return True
        return any(_reads(value, name) for value in node.values())
    if isinstance(node, list):
        return any(_reads(item, name) for item in node)
    return False


def _by_position(holder: Any, key: Any, targets: list[Node]) -> None:
    """``GROUP BY 1`` / ``ORDER BY 1`` is the first result column's expression, and ruleutils
    prints the expression (get_rule_sortgroupclause)."""
    const = (holder[key] or {}).get("A_Const", {})
    position = const.get("ival", {}).get("ival") if "ival" in const else None
    if isinstance(position, int) and 1 <= position <= len(targets):
        val = targets[position - 1]["ResTarget"].get("val")
        if val is not None and "A_Const" not in val:
            holder[key] = copy.deepcopy(val)


def _sort_operator(sort: Node) -> None:
    """``USING <`` is stored as the sort it is, ascending, and ``USING >`` as descending:
    ruleutils prints a type's btree < as nothing and > as DESC (get_rule_orderby), with the
    NULLS order each implies (nulls last, first)."""
    if sort.get("sortby_dir") != "SORTBY_USING":
        return
    operator = strings(sort.get("useOp"))
    if operator not in (["<"], [">"], ["pg_catalog", "<"], ["pg_catalog", ">"]):
        return
    del sort["useOp"]
    sort["sortby_dir"] = "SORTBY_DEFAULT" if operator[-1] == "<" else "SORTBY_DESC"


def _order_by_output(sort: Node, targets: list[Node], scope: Scope) -> None:
    node = sort.get("node", {})
    fields = node.get("ColumnRef", {}).get("fields") or []
    if len(fields) != 1 or "String" not in fields[0]:
        return
    name = fields[0]["String"]["sval"]
    for target in targets:
        if target["ResTarget"].get("name") == name:
            value = target["ResTarget"]["val"]
            if "ColumnRef" in value:
                sort["node"] = {"ColumnRef": {"fields": list(value["ColumnRef"]["fields"])}}
            elif "A_Const" not in value:
                sort["node"] = copy.deepcopy(value)
            return


def _group_by_output(groups: list[Any], index: int, targets: list[Node], scope: Scope) -> None:
    """``GROUP BY name``: a column of the query's own FROM list if it has one, else the
    result column of that name, whose expression is stored (findTargetlistEntrySQL92)."""
    fields = (groups[index] or {}).get("ColumnRef", {}).get("fields") or []
    if len(fields) != 1 or "String" not in fields[0]:
        return
    name = fields[0]["String"]["sval"]
    if any(item.has(name) for item in scope.items):
        return
    found = [t["ResTarget"]["val"] for t in targets if output_name(t["ResTarget"]) == name]
    if len(found) == 1 and "A_Const" not in found[0]:
        groups[index] = copy.deepcopy(found[0])
