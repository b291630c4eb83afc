"""A table (or view) renamed under a view or materialized view, followed in its query as
PostgreSQL follows it (docs: ALTER TABLE, "RENAME": a view refers to the relation by OID).

A stored query keeps the relation, not its name: pg_get_viewdef prints the current name. A
FROM entry written without an alias is referred to by the relation's name, and ruleutils
(``set_rtable_names``) takes that name from the catalogue each time it prints: after
``ALTER TABLE w RENAME TO s`` the query ``SELECT w.code FROM public.w`` prints as
``SELECT s.code FROM public.s``. An aliased entry keeps its alias (``FROM public.s x``). So
each FROM entry of the renamed relation gets the new name, and each reference qualified by an
unaliased entry of it (scope by scope, as the name resolves) does too. Where the text alone
cannot say what a name means (an unqualified relation in FROM, the new name already used in
the query, where ruleutils would invent another, or a bare whole-row reference), the statement
is left not modelled rather than guessed.
"""

from __future__ import annotations

from typing import Any

import attrs

from pgdrift import model
from pgdrift.builder.catalogue import query_expressions
from pgdrift.builder.context import BuildContext
from pgdrift.builder.registry import NotModelled
from pgdrift.expr import Expr, walk
from pgdrift.ids import ObjectId

__all__ = ["follow_relation_rename", "names_relation", "rename_relation_in_query"]

Tree = Any


def names_relation(expr: Expr, relation: ObjectId) -> bool:
    """Whether ``expr`` names ``relation`` in a FROM list: qualified with its schema (as
    stored queries are), or unqualified (a source query pgdrift could not qualify)."""
    for name, fields in walk(expr.tree):
        if name == "RangeVar":
            given = dict(fields)
            if given.get("relname") == relation.name and given.get("schemaname") in (
                relation.schema,
                None,
            ):
                return True
    return False


def follow_relation_rename(
    ctx: BuildContext, relation: ObjectId, new: str, *, schema: str | None = None
) -> None:
    """The views and materialized views whose query names ``relation`` (and the routines
    whose SQL-standard body does), their queries following its rename to ``new`` (or its
    move to ``schema``: ``ALTER ... SET SCHEMA``).
    All are rewritten or none: a rule that names it (a rule's actions are not rewritten) or a
    query that cannot be followed leaves every view as it was, for the caller to refuse."""

    def names(expr: Expr) -> bool:
        return names_relation(expr, relation)

    changed: dict[ObjectId, model.DbObject] = {}
    for oid in ctx.objects.naming(relation.name):
        obj = ctx.objects[oid]
        if isinstance(obj, model.Rule):
            if any(names(q) for q in query_expressions(obj) if q is not None):
                return
        elif isinstance(obj, (model.View, model.MaterializedView)) and obj.query is not None:
            if not names(obj.query):
                continue
            try:
                query = rename_relation_in_query(obj.query, relation, new, schema=schema)
            except NotModelled:
                return
            changed[oid] = attrs.evolve(obj, query=query)
        elif isinstance(obj, model.Function) and obj.sql_body is not None:
            # A SQL-standard body is stored parsed, and follows as a view's query does.
            if not names(obj.sql_body):
                continue
            try:
                body = rename_relation_in_query(obj.sql_body, relation, new, schema=schema)
            except NotModelled:
                return
            changed[oid] = attrs.evolve(obj, sql_body=body)
    for oid, obj in changed.items():
        ctx.objects[oid] = obj


def rename_relation_in_query(
    expr: Expr, relation: ObjectId, new: str, *, schema: str | None = None
) -> Expr:
    """``expr`` (a view's query) with ``relation`` called ``new`` (in ``schema``, if given:
    a moved relation keeps its name, so the references through it do too)."""
    if new != relation.name and _uses_name(expr.tree, new):
        raise NotModelled(f"RENAME of {relation} to {new}, a name its view's query already uses")
    renamer = _Renamer(relation, new, schema or relation.schema)
    tree = renamer.walk(expr.tree, [])
    return expr if tree == expr.tree else Expr(tree)


def _sval(node: Tree) -> str | None:
    if isinstance(node, tuple) and len(node) == 2 and node[0] == "String":
        value = dict(node[1]).get("sval")
        return value if isinstance(value, str) else None
    return None


def _string(value: str) -> Tree:
    return ("String", (("sval", value),))


def _uses_name(node: Tree, name: str) -> bool:
    """Whether ``name`` is a relation, alias or CTE name anywhere in the tree."""
    if not isinstance(node, tuple):
        return False
    if len(node) == 2 and node[0] in ("relname", "aliasname", "ctename") and node[1] == name:
        return True
    return any(_uses_name(item, name) for item in node)


class _Renamer:
    def __init__(self, relation: ObjectId, new: str, schema: str | None) -> None:
        self.relation, self.new, self.schema = relation, new, schema

    def walk(self, node: Tree, scopes: list[dict[str, bool]]) -> Tree:
        if not isinstance(node, tuple) or not node:
            return node
        if isinstance(node[0], str) and len(node) == 2 and isinstance(node[1], tuple):
            name, fields = node
            if name == "SelectStmt":
                return (name, self._select(fields, scopes))
            if name == "ColumnRef":
                return (name, self._column_ref(fields, scopes))
            if name == "RangeVar":
                return (name, self._range_var(fields))
            if name in ("InsertStmt", "UpdateStmt", "DeleteStmt"):
                # The target table is in scope for all but an INSERT's own query.
                given = dict(fields)
                aliases: dict[str, bool] = {}
                items = (given["relation"], *(given.get("fromClause") or ()),
                         *(given.get("usingClause") or ()))  # fmt: skip
                for item in items:
                    self._from_item(item, aliases)
                inner = [*scopes, aliases]
                return (name, tuple((k, self.walk(v, scopes if k == "selectStmt" else inner))
                                    for k, v in fields))  # fmt: skip
            return (name, tuple((k, self.walk(v, scopes)) for k, v in fields))
        return tuple(self.walk(item, scopes) for item in node)

    def _select(self, fields: Tree, scopes: list[dict[str, bool]]) -> Tree:
        given = dict(fields)
        aliases: dict[str, bool] = {}
        for item in given.get("fromClause") or ():
            self._from_item(item, aliases)
        inner = [*scopes, aliases]
        result = []
        for key, value in fields:
            if key in ("withClause", "larg", "rarg"):
                result.append((key, self.walk(value, scopes)))
            else:
                result.append((key, self.walk(value, inner)))
        return tuple(result)

    def _is_relation(self, fields: dict[str, Any]) -> bool:
        return bool(
            fields.get("relname") == self.relation.name
            and fields.get("schemaname") == self.relation.schema
        )

    def _from_item(self, item: Tree, aliases: dict[str, bool]) -> None:
        """The names a FROM item brings into scope, and whether each is an unaliased entry
        of the renamed relation (so that references through it take the new name)."""
        kind, fields = item
        given = dict(fields)
        alias = dict(given["alias"][1]).get("aliasname") if given.get("alias") else None
        if kind == "RangeVar":
            relname = given.get("relname")
            if relname == self.relation.name and given.get("schemaname") is None:
                raise NotModelled(f"RENAME of {self.relation}, named unqualified in a query")
            aliases[str(alias or relname)] = alias is None and self._is_relation(given)
        elif kind == "JoinExpr":
            for side in ("larg", "rarg"):
                if given.get(side) is not None:
                    self._from_item(given[side], aliases)
            if alias:
                aliases[alias] = False
        elif alias:
            aliases[alias] = False  # a subquery or function: its own output names

    def _range_var(self, fields: Tree) -> Tree:
        if not self._is_relation(dict(fields)):
            return fields
        moved = {"relname": self.new, "schemaname": self.schema}
        return tuple((k, moved.get(k, v)) for k, v in fields)

    def _column_ref(self, fields: Tree, scopes: list[dict[str, bool]]) -> Tree:
        given = dict(fields)
        parts: tuple[Tree, ...] = tuple(given.get("fields") or ())
        names = [_sval(part) for part in parts]
        if len(names) < 2:
            if names and names[0] == self.relation.name and self._resolves(names[0], scopes):
                raise NotModelled(f"RENAME of {self.relation}, a whole-row reference in a query")
            return fields
        if len(names) >= 3 and names[:2] == [self.relation.schema, self.relation.name]:
            renamed = (_string(str(self.schema)), _string(self.new), *parts[2:])
        elif names[0] is not None and self._resolves(names[0], scopes):
            renamed = (_string(self.new), *parts[1:])
        else:
            return fields
        return tuple((k, renamed if k == "fields" else v) for k, v in fields)

    @staticmethod
    def _resolves(qualifier: str | None, scopes: list[dict[str, bool]]) -> bool:
        """Whether ``qualifier`` names an unaliased entry of the renamed relation."""
        for scope in reversed(scopes):
            if qualifier in scope:
                return scope[qualifier]
        return False
