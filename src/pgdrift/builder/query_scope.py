"""The FROM entries a query's names resolve in (:class:`Scope`), and the expansion of ``*`` in a
result list against them: ``t.*`` is the entry's columns, ``(x).*`` one field selection per
attribute of x's composite type (ExpandIndirectionStar; of a FROM entry's whole row, its
columns: ExpandRowReference). :mod:`pgdrift.builder.queries` walks the queries with them.
"""

from __future__ import annotations

import copy

import attrs

from pgdrift import ids, model
from pgdrift.builder.comparisons import Typer
from pgdrift.builder.context import BuildContext
from pgdrift.builder.function_columns import function_columns
from pgdrift.builder.nodes import Node, strings
from pgdrift.builder.view_types import row_type_columns, view_column_types
from pgdrift.expr import output_names
from pgdrift.ids import ObjectId
from pgdrift.types import TypeRef

__all__ = [
    "RELATION_KINDS", "Item", "Scope", "column_target", "expand_stars", "relation_item",
    "relation_scope", "rule_scope", "string_node",
]  # fmt: skip

RELATION_KINDS = (ids.TABLE, ids.VIEW, ids.MATERIALIZED_VIEW, ids.FOREIGN_TABLE)


@attrs.define
class Item:
    """One FROM entry: the name its columns are qualified with and its columns in order."""

    alias: str
    columns: list[tuple[str, TypeRef | None]]
    #: Of the entry of a join's merged columns (builder.join_using): the FROM name each is
    #: printed with, None for its bare name.
    merged: dict[str, str | None] = attrs.Factory(dict)
    #: JOIN ... USING (k) AS j: the name that qualifies the merged columns only.
    using_alias: str | None = None
    #: This entry's columns merged by a JOIN ... USING: seen unqualified as the join's only.
    hidden: frozenset[str] = frozenset()
    #: A SQL function's parameters: qualified by the function's name only inside a query
    #: with a FROM list (ruleutils.c, get_parameter), bare elsewhere.
    parameters: bool = False
    #: A function in FROM returning one scalar column: a reference to its whole row is that
    #: column (makeWholeRowVar).
    scalar: bool = False

    def has(self, name: str) -> bool:
        """Whether ``name`` unqualified may be this entry's column."""
        return name not in self.hidden and any(column == name for column, _ in self.columns)

    def type_of(self, name: str) -> TypeRef | None:
        return next((ref for column, ref in self.columns if column == name), None)


@attrs.define
class Scope:
    """The FROM entries of one SELECT (and of the SELECTs around it, for correlated names)."""

    items: list[Item]
    outer: Scope | None = None
    #: FROM entries renamed to keep names unique (builder.range_names): new -> as written.
    renamed: dict[str, str] = attrs.Factory(dict)

    def resolve(self, name: str) -> Item | None:
        scope: Scope | None = self
        while scope is not None:
            found = [item for item in scope.items if item.has(name)]
            if len(found) == 1:
                return found[0]
            if found:
                return None  # ambiguous: PostgreSQL would refuse the query
            scope = scope.outer
        return None

    def named(self, name: str) -> Item | None:
        """The nearest FROM entry called ``name`` (a whole-row reference)."""
        scope: Scope | None = self
        while scope is not None:
            for item in scope.items:
                if item.alias == name and not item.parameters:
                    return item
            scope = scope.outer
        return None

    def merged_by(self, name: str) -> Item | None:
        """The join whose ``USING (...) AS name`` is the nearest FROM name ``name``."""
        scope: Scope | None = self
        while scope is not None:
            if any(item.alias == name for item in scope.items):
                return None
            for item in scope.items:
                if item.using_alias == name:
                    return item
            scope = scope.outer
        return None

    def has_relations(self) -> bool:
        """Whether this SELECT or one around it has a FROM list."""
        scope: Scope | None = self
        while scope is not None:
            if any(not item.parameters for item in scope.items):
                return True
            scope = scope.outer
        return False

    def typer(self) -> Typer:
        def typer(fields: list[str]) -> TypeRef | None:
            if len(fields) != 2:
                return None
            scope: Scope | None = self
            while scope is not None:
                for item in scope.items:
                    if item.alias == fields[0]:
                        return item.type_of(fields[1])
                scope = scope.outer
            return None

        return typer


def relation_scope(ctx: BuildContext, relation: ObjectId) -> Scope:
    """The scope of a policy's or a CHECK's own relation: what sub-selects may refer to."""
    item = relation_item(ctx, relation.schema, relation.name, relation.name)
    return Scope([item] if item is not None else [])


def rule_scope(ctx: BuildContext, relation: ObjectId) -> Scope:
    """The ``old`` and ``new`` rows of a rule's relation (their columns' types)."""
    items = [relation_item(ctx, relation.schema, relation.name, row) for row in ("old", "new")]
    return Scope([item for item in items if item is not None])


def relation_item(ctx: BuildContext, schema: str | None, name: str, alias: str) -> Item | None:
    for kind in RELATION_KINDS:
        obj = ctx.get(ObjectId(kind, schema, name))
        if obj is None:
            continue
        columns = getattr(obj, "columns", None)
        if columns is not None and kind in (ids.TABLE, ids.FOREIGN_TABLE):
            return Item(alias, [(c.name, c.type) for c in columns.ordered])
        query = getattr(obj, "query", None)
        names = list(output_names(query) or ()) if query is not None else []
        given = list(getattr(obj, "column_names", ()))
        if not names and not given:
            return None
        names = given + names[len(given) :]
        types = (
            view_column_types(ctx, obj)
            if isinstance(obj, model.View | model.MaterializedView)
            else []
        )
        return Item(
            alias, [(n, types[i] if i < len(types) else None) for i, n in enumerate(names)]
        )
    return None


def string_node(value: str) -> Node:
    return {"String": {"sval": value}}


def expand_stars(ctx: BuildContext, targets: list[Node], scope: Scope) -> list[Node] | None:
    out: list[Node] = []
    for target in targets:
        val = target.get("ResTarget", {}).get("val", {})
        fields = val.get("ColumnRef", {}).get("fields") or []
        if "A_Indirection" in val:
            out.extend(_expand_row(ctx, target, val["A_Indirection"], scope))
            continue
        if not fields or "A_Star" not in fields[-1]:
            out.append(target)
            continue
        if len(fields) == 1:
            # *: each entry's columns but those a JOIN ... USING merged into its own.
            out.extend(column_target(item.merged.get(column, item.alias), column)
                       for item in scope.items
                       for column, _ in item.columns if column not in item.hidden)  # fmt: skip
            continue
        alias = strings(fields[:-1])
        items = [i for i in scope.items if [i.alias] == alias]
        if len(items) != 1:
            return None
        out.extend(column_target(items[0].alias, column) for column, _ in items[0].columns)
    return out


def _expand_row(ctx: BuildContext, target: Node, indirection: Node, scope: Scope) -> list[Node]:
    """``(x).*`` in a result list: one column per attribute of x's composite type, each a
    field selection named by its attribute (ExpandIndirectionStar; ruleutils prints
    ``(x).a AS a``); as written when pgdrift does not know x's type."""
    path = indirection.get("indirection") or []
    arg = indirection.get("arg") or {}
    while "A_Indirection" in arg:  # ((x).a).* is (x).a.*
        path = [*(arg["A_Indirection"].get("indirection") or []), *path]
        arg = arg["A_Indirection"].get("arg") or {}
    if not path or "A_Star" not in path[-1] or any("String" not in p for p in path[:-1]):
        return [target]
    whole = strings(arg.get("ColumnRef", {}).get("fields"))
    item = scope.named(whole[0]) if len(whole) == 1 and len(path) == 1 else None
    if item is not None and scope.resolve(whole[0]) is None:
        # (t).* of a FROM entry's whole row is t.*: its columns (ExpandRowReference).
        return [column_target(item.alias, c) for c, _ in item.columns]
    columns = _row_columns(ctx, arg, scope)
    for field in strings(path[:-1]):
        found = next((ref for name, ref in columns or () if name == field), None)
        columns = _type_columns(ctx, found) if found is not None else None
    if not columns:
        return [target]
    return [
        {"ResTarget": {"val": {"A_Indirection": {
            "arg": copy.deepcopy(arg), "indirection": [*path[:-1], string_node(name)]}}}}
        for name, _ in columns
    ]  # fmt: skip


def _row_columns(
    ctx: BuildContext, arg: Node, scope: Scope
) -> list[tuple[str, TypeRef | None]] | None:
    """The columns of a composite value: a column of a composite type, or a call of the
    schema's function returning one."""
    if "FuncCall" in arg:
        found = function_columns(ctx, arg["FuncCall"], scope.typer())
        if found is None or found[1] or any(name is None for name, _ in found[0]):
            return None
        return [(str(name), ref) for name, ref in found[0]]
    fields = strings(arg.get("ColumnRef", {}).get("fields"))
    if len(fields) == 1:
        item = scope.resolve(fields[0])
    elif len(fields) == 2:
        item = scope.named(fields[0])
    else:
        return None
    ref = item.type_of(fields[-1]) if item is not None else None
    return _type_columns(ctx, ref) if ref is not None else None


def _type_columns(ctx: BuildContext, ref: TypeRef) -> list[tuple[str, TypeRef | None]] | None:
    """The attributes of a composite type or of a relation's row type."""
    if ref.array_dims or ref.schema is None:
        return None
    return row_type_columns(ctx, ref.schema, ref.name)


def column_target(alias: str | None, column: str) -> Node:
    """A result column of ``alias.column`` (of the bare ``column`` for None)."""
    fields = [{"String": {"sval": column}}]
    if alias is not None:
        fields.insert(0, {"String": {"sval": alias}})
    return {"ResTarget": {"val": {"ColumnRef": {"fields": fields}}}}
