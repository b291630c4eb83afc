"""A column renamed under a view or materialized view, followed in its query as PostgreSQL
follows it (docs: ALTER TABLE, "RENAME": views refer to columns by number).

The stored query names the column again from its new name the next time it is printed, and
the view's own column keeps its name: pg_get_viewdef prints ``posts.headline AS title``. So
each reference to the column (qualified by the range-table entry of the renamed table that it
resolves to, scope by scope) is renamed, and a select-list entry that was the column keeps
its output name with ``AS`` (none when that name is the new one). Where the text alone cannot
say which column a reference means (an unqualified one, a join ``USING`` or ``NATURAL``), the
statement is left not modelled rather than guessed.
"""

from __future__ import annotations

from typing import Any

from pgdrift.builder.registry import NotModelled
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId

__all__ = ["rename_column_in_query"]

Tree = Any
_DML = ("InsertStmt", "UpdateStmt", "DeleteStmt")
_ASSIGNED = ("targetList", "cols")  # an UPDATE's SET and an INSERT's column list


def rename_column_in_query(expr: Expr, table: ObjectId, old: str, new: str) -> Expr:
    """``expr`` (a view's query) with ``table``'s column ``old`` called ``new``."""
    renamer = _Renamer(table, old, new)
    tree = renamer.walk(expr.tree, [])
    return expr if tree == expr.tree else Expr(tree)


def _sval(node: Tree) -> str | None:
    if isinstance(node, tuple) and len(node) == 2 and node[0] == "String":
        value = dict(node[1]).get("sval")
        return value if isinstance(value, str) else None
    return None


class _Renamer:
    def __init__(self, table: ObjectId, old: str, new: str) -> None:
        self.table, self.old, self.new = table, old, new

    def walk(self, node: Tree, scopes: list[dict[str, bool]]) -> Tree:
        if not isinstance(node, tuple) or not node:
            return node
        if isinstance(node[0], str) and len(node) == 2 and isinstance(node[1], tuple):
            name, fields = node
            if name == "SelectStmt":
                return (name, self._select(fields, scopes))
            if name == "ColumnRef":
                return (name, self._column_ref(fields, scopes))
            if name in _DML:
                return (name, self._dml(fields, scopes))
            return (name, tuple((k, self.walk(v, scopes)) for k, v in fields))
        return tuple(self.walk(item, scopes) for item in node)

    def _dml(self, fields: Tree, scopes: list[dict[str, bool]]) -> Tree:
        """An INSERT, UPDATE or DELETE (of a SQL-standard body or a rule): its target table
        is in scope but for an INSERT's own query; a column it assigns is named bare."""
        given = dict(fields)
        aliases: dict[str, bool] = {}
        self._from_item(given["relation"], aliases)
        target = next(iter(aliases.values()))
        for item in (*(given.get("fromClause") or ()), *(given.get("usingClause") or ())):
            self._from_item(item, aliases)
        inner = [*scopes, aliases]
        result = []
        for key, value in fields:
            assigns = key in _ASSIGNED and target
            named = tuple(self._assigned(t) for t in value) if assigns else value
            result.append((key, self.walk(named, scopes if key == "selectStmt" else inner)))
        return tuple(result)

    def _assigned(self, target: Tree) -> Tree:
        fields = target[1]
        if dict(fields).get("name") != self.old:
            return target
        return (target[0], tuple((k, self.new if k == "name" else v) for k, v in fields))

    def _select(self, fields: Tree, scopes: list[dict[str, bool]]) -> Tree:
        given = dict(fields)
        aliases: dict[str, bool] = {}
        for item in given.get("fromClause") or ():
            self._from_item(item, aliases)
        inner = [*scopes, aliases]
        result = []
        for key, value in fields:
            if key == "targetList":
                result.append((key, tuple(self._target(t, inner) for t in value)))
            elif key in ("withClause", "larg", "rarg"):
                result.append((key, self.walk(value, scopes)))
            else:
                result.append((key, self.walk(value, inner)))
        return tuple(result)

    def _from_item(self, item: Tree, aliases: dict[str, bool]) -> None:
        """The names a FROM item brings into scope, and whether each is the renamed table."""
        kind, fields = item
        given = dict(fields)
        alias = dict(given["alias"][1]).get("aliasname") if given.get("alias") else None
        if kind == "RangeVar":
            schema, relname = given.get("schemaname"), given.get("relname")
            is_table = relname == self.table.name and schema == self.table.schema
            if relname == self.table.name and schema is None:
                raise NotModelled(f"RENAME COLUMN of {self.table}, named unqualified in a query")
            aliases[str(alias or relname)] = is_table
        elif kind == "JoinExpr":
            sides: dict[str, bool] = {}
            for side in ("larg", "rarg"):
                if given.get(side) is not None:
                    self._from_item(given[side], sides)
            if (given.get("isNatural") or given.get("usingClause")) and any(sides.values()):
                raise NotModelled(
                    f"RENAME COLUMN of {self.table}, joined with NATURAL or USING in a query"
                )
            aliases.update(sides)
            if alias:
                aliases[alias] = False
        elif alias:
            aliases[alias] = False  # a subquery or function: its own output names

    def _target(self, target: Tree, scopes: list[dict[str, bool]]) -> Tree:
        if not (isinstance(target, tuple) and target[0] == "ResTarget"):
            return self.walk(target, scopes)
        fields = dict(target[1])
        value = self.walk(fields.get("val"), scopes)
        result = [(k, value if k == "val" else self.walk(v, scopes)) for k, v in target[1]]
        if value != fields.get("val") and isinstance(value, tuple) and value[0] == "ColumnRef":
            # The output column keeps its name: written with AS unless it is the new name.
            output = fields.get("name") or self.old
            result = [(k, v) for k, v in result if k != "name"]
            if output != self.new:
                result.insert(0, ("name", output))
        return ("ResTarget", tuple(result))

    def _column_ref(self, fields: Tree, scopes: list[dict[str, bool]]) -> Tree:
        given = dict(fields)
        names = [_sval(part) for part in given.get("fields") or ()]
        if not names or names[-1] != self.old:
            return fields
        if len(names) == 1:
            if any(any(scope.values()) for scope in scopes):
                raise NotModelled(f"RENAME COLUMN of {self.table}, named unqualified in a query")
            return fields
        if len(names) == 3 and names[:2] != [self.table.schema, self.table.name]:
            return fields
        if len(names) == 2 and not self._resolves_to_table(names[0], scopes):
            return fields
        renamed = (*given["fields"][:-1], ("String", (("sval", self.new),)))
        return tuple((k, renamed if k == "fields" else v) for k, v in fields)

    @staticmethod
    def _resolves_to_table(qualifier: str | None, scopes: list[dict[str, bool]]) -> bool:
        for scope in reversed(scopes):
            if qualifier in scope:
                return scope[qualifier]
        return False
