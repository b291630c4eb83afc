"""The names of a query's result columns, and where pg_dump prints them as ``AS name``.

PostgreSQL names a result column by its alias, else by FigureColname (parse_target.c): a
column's own name, a function's, a cast's type, ``?column?`` for what it cannot name. ruleutils
prints ``AS name`` where the name is not the referenced column's own (get_target_list), and
``?column?`` only where the query's column names are visible.
"""

from __future__ import annotations

from pgdrift.builder.nodes import Node, put_field, strings

__all__ = ["last_field", "name_targets", "named_values", "output_name", "rename_targets"]

# FigureColname for nodes whose result column is named by their kind (parse_target.c).
_KIND_NAMES = {"CaseExpr": "case", "CoalesceExpr": "coalesce", "A_ArrayExpr": "array",
               "NullIfExpr": "nullif", "RowExpr": "row"}  # fmt: skip


def last_field(val: Node) -> str | None:
    """The column name a column reference ends with (None for ``t.*`` or another node)."""
    fields = val.get("ColumnRef", {}).get("fields") or []
    if fields and "String" in fields[-1]:
        return str(fields[-1]["String"]["sval"])
    return None


def output_name(target: Node) -> str | None:
    """The name of a result column (FigureColname), None where pgdrift cannot tell."""
    val = target.get("val", {})
    name = target.get("name") or last_field(val) or _figure_name(val)
    return str(name) if name is not None else None


def name_targets(targets: list[Node], *, unnamed: bool = True) -> None:
    """``AS name`` where the result column's name is not the referenced column's own (nor
    ``?column?``, unless ``unnamed``)."""
    for target in targets:
        res = target["ResTarget"]
        val = res.get("val", {})
        own = last_field(val)
        name = res.get("name") or own or _figure_name(val)
        if name is None:
            continue
        if name == own or (name == "?column?" and not unnamed):
            res.pop("name", None)
        else:
            put_field(res, "ResTarget", "name", name)


def rename_targets(body: Node, names: list[str]) -> None:
    """A UNION branch after the first takes the first branch's column names."""
    if body.get("op", "SETOP_NONE") != "SETOP_NONE":
        rename_targets(body["larg"], names)
        rename_targets(body["rarg"], names)
        return
    for target, name in zip(body.get("targetList") or [], names, strict=False):
        res = target["ResTarget"]
        # A later branch's names are not visible: "?column?" is not printed there, but on a
        # column reference, whose own name it is not (get_target_list's attname).
        own = last_field(res.get("val", {}))
        if name == own or (name == "?column?" and own is None):
            res.pop("name", None)
        else:
            put_field(res, "ResTarget", "name", name)


def _figure_name(val: Node) -> str | None:
    """PostgreSQL's FigureColname for the common cases (None where it would need more)."""
    if "ColumnRef" in val:
        return last_field(val)
    if "FuncCall" in val:
        return strings(val["FuncCall"].get("funcname"))[-1]
    if "TypeCast" in val:
        inner = _figure_name(val["TypeCast"].get("arg", {}))
        if inner is not None and inner != "?column?":
            return inner
        names = strings(val["TypeCast"]["typeName"].get("names"))
        return names[-1] if names else None
    if "A_Indirection" in val:
        # (x).f is named f, x[1] as x is: the last field name, else the argument's name.
        indirection = val["A_Indirection"]
        path = indirection.get("indirection") or [{}]
        if "A_Star" in path[-1]:
            return None  # (x).* is several columns
        fields = [i["String"]["sval"] for i in path if "String" in i]
        return str(fields[-1]) if fields else _figure_name(indirection.get("arg") or {})
    for kind, name in _KIND_NAMES.items():
        if kind in val:
            return name
    if "SubLink" in val:
        sublink = val["SubLink"]
        if sublink.get("subLinkType") == "EXISTS_SUBLINK":
            return "exists"
        if sublink.get("subLinkType") == "ARRAY_SUBLINK":
            return "array"
        if sublink.get("subLinkType") == "EXPR_SUBLINK":
            # (SELECT x ...) is named as its query's single column (its leftmost branch's).
            query = sublink.get("subselect", {}).get("SelectStmt", {})
            while query.get("op", "SETOP_NONE") != "SETOP_NONE":
                query = query.get("larg") or {}  # a branch is written untagged
            targets = query.get("targetList") or [{}]
            return output_name(targets[0].get("ResTarget", {}))
        return None
    if "A_Const" in val or "A_Expr" in val or "BoolExpr" in val:
        return "?column?"
    return None


# What a VALUES list holds besides its rows, which would then move to the SELECT around it.
_VALUES_EXTRAS = ("sortClause", "limitOffset", "limitCount", "lockingClause", "withClause")


def named_values(query: Node, names: list[str]) -> bool:
    """``CREATE VIEW v (a, b) AS VALUES ...``: PostgreSQL names VALUES' columns ``column1``,
    ``column2``...; a view that renames one stores its query as a SELECT of them from the
    VALUES list aliased ``"*VALUES*"``, as pg_dump prints it (``SELECT "*VALUES*".column1 AS
    a, ...``); names that are the default ones leave the bare VALUES. False (nothing
    changed) for anything but a plain VALUES list naming no more columns than it has."""
    body = query.get("SelectStmt") or {}
    rows = body.get("valuesLists") or []
    width = len(rows[0].get("List", {}).get("items") or []) if rows else 0
    if not rows or len(names) > width or any(body.get(key) for key in _VALUES_EXTRAS):
        return False
    defaults = [f"column{n}" for n in range(1, width + 1)]
    if names == defaults[: len(names)]:
        return True
    column = [{"String": {"sval": "*VALUES*"}}]
    query["SelectStmt"] = {
        "targetList": [
            {"ResTarget": {"val": {"ColumnRef": {"fields": [*column, {"String": {"sval": d}}]}}}}
            for d in defaults
        ],
        "fromClause": [{"RangeSubselect": {
            "subquery": {"SelectStmt": body}, "alias": {"aliasname": "*VALUES*"},
        }}],
        "limitOption": "LIMIT_OPTION_DEFAULT",
        "op": "SETOP_NONE",
    }  # fmt: skip
    rename_targets(query["SelectStmt"], names)
    return True
