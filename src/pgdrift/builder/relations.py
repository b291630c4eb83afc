"""Indexes, sequences, views, materialized views and rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder.comparisons import expression_type
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import DECLARED_TYPES
from pgdrift.builder.nodes import Node, const_value, def_elems, option_text, reloptions_of, strings
from pgdrift.builder.opclasses import key_opclass
from pgdrift.builder.partitions import index_created
from pgdrift.builder.registry import handles
from pgdrift.builder.sql_bodies import stored_rule
from pgdrift.builder.stored_exprs import from_source, relation_typer, stored_expr, stored_query
from pgdrift.builder.table_as import build_table_as
from pgdrift.builder.view_options import view_option_fields
from pgdrift.builder.view_types import check_replacement
from pgdrift.expr import Expr, expr_from_node
from pgdrift.ids import ObjectId
from pgdrift.pg.indexes import nulls_order
from pgdrift.pg.naming import choose_name, column_name_addition, index_column_names
from pgdrift.pg.sequences import default_bounds
from pgdrift.types import TypeRef, parse_type

# Index elements --------------------------------------------------------------------------------


def index_element(
    ctx: BuildContext, elem: Node, table: ObjectId | None = None, method: str = "btree"
) -> model.IndexElement:
    """An IndexElem node: a column or an expression with its collation, opclass and order
    (an opclass that is the default for the key's type in ``method`` is not kept)."""
    columns = getattr(ctx.get(table), "columns", None) if table is not None else None
    key: TypeRef | None = None
    if elem.get("expr") is not None and table is not None and elem.get("opclass"):
        # Typed (for its written class) before stored_expr folds the expression in place.
        key = expression_type(elem["expr"], relation_typer(ctx, table), DECLARED_TYPES)
    column, expression = elem.get("name"), stored_expr(ctx, elem.get("expr"), table)
    bare = _bare_column(expression, table)
    if bare is not None and columns is not None and bare in columns:
        # An expression that is just a column after parse analysis ((s::text) on a text
        # column) is a column key: ComputeIndexAttrs keys a plain Var as its column.
        column, expression = bare, None
    if column is not None:
        key = columns[column].type if columns is not None and column in columns else None
    options = reloptions_of(elem.get("opclassopts"))
    written = ctx.qualified_text(elem["opclass"]) if elem.get("opclass") else None
    descending = elem.get("ordering") == "SORTBY_DESC"
    nulls = {"SORTBY_NULLS_FIRST": True, "SORTBY_NULLS_LAST": False}.get(
        elem.get("nulls_ordering", "")
    )
    return model.IndexElement(
        column=column,
        expression=expression,
        collation=key_collation(ctx, elem, columns),
        opclass=key_opclass(ctx, written, method, key, has_options=bool(options)),
        opclass_options=options,
        descending=descending,
        nulls_first=nulls_order(descending, nulls),
    )


def _bare_column(expr: Expr | None, table: ObjectId | None) -> str | None:
    """The name of the one column ``expr`` is (bare, or qualified by the table), or None."""
    if expr is None or table is None or expr.tree[0] != "ColumnRef":
        return None
    fields = dict(expr.tree[1]).get("fields") or ()
    names = [dict(f[1]).get("sval") for f in fields if f[0] == "String"]
    if len(names) != len(fields) or not 1 <= len(names) <= 2:
        return None
    if len(names) == 2 and names[0] != table.name:
        return None
    name = names[-1]
    return name if isinstance(name, str) else None


def key_collation(
    ctx: BuildContext, elem: Node, columns: Mapping[str, model.Column] | None
) -> str | None:
    """The COLLATE of an index or partition key column (an IndexElem or PartitionElem),
    unless it is the column's own collation: pg_get_indexdef and pg_get_partkeydef print
    (and the model keeps) only one that differs."""
    if not elem.get("collation"):
        return None
    collation = ctx.qualified_text(elem["collation"])
    column = columns.get(elem["name"]) if columns is not None and elem.get("name") else None
    if column is not None and collation == (column.collation or "default"):
        return None
    return collation


@handles("IndexStmt")
def build_index(ctx: BuildContext, node: Node) -> None:
    table_schema, _ = ctx.relation(node["relation"])
    table = ctx.relation_id(node["relation"])
    ctx.require(table, "CREATE INDEX")
    name = node.get("idxname") or _index_name(ctx, table_schema, table.name, node)
    oid = ObjectId(ids.INDEX, table_schema, name)
    method = node.get("accessMethod") or "btree"
    if node.get("if_not_exists") and ctx.relation_name_taken(table_schema, name):
        return  # a notice: any relation of that name, not only an index, skips it
    ctx.add(
        model.Index(
            id=oid,
            table=table,
            unique=bool(node.get("unique")),
            nulls_not_distinct=bool(node.get("nulls_not_distinct")),
            method=method,
            elements=tuple(
                index_element(ctx, p["IndexElem"], table, method)
                for p in node.get("indexParams") or ()
            ),
            include=tuple(
                p["IndexElem"].get("name") or "" for p in node.get("indexIncludingParams") or ()
            ),
            where=stored_expr(ctx, node.get("whereClause"), table),
            options=reloptions_of(node.get("options")),
            tablespace=ctx.tablespace(
                node.get("tableSpace"),
                partitioned=getattr(ctx.get(table), "partition_key", None) is not None,
            ),
            # CREATE INDEX ... ON ONLY parent: the relation's inh flag is false.
            only=not node["relation"].get("inh", False),
            **ctx.span_fields(),
        )
    )
    index_created(ctx, oid, recurse=node["relation"].get("inh", False))


def _index_name(ctx: BuildContext, schema: str, table: str, node: Node) -> str:
    """CREATE INDEX without a name: ``table_col1_col2_idx`` (key and INCLUDE columns; an
    expression by its function's name, else ``expr``), numbered if taken (ChooseIndexName)."""
    elements = [p["IndexElem"] for p in node.get("indexParams") or ()]
    elements += [p["IndexElem"] for p in node.get("indexIncludingParams") or ()]
    addition = column_name_addition(index_column_names(elements))
    return choose_name(table, addition, "idx", lambda n: ctx.relation_name_taken(schema, n))


# Sequences -------------------------------------------------------------------------------------


def sequence_options(
    ctx: BuildContext, options: dict[str, Node | None], column_type: TypeRef | None = None
) -> model.SequenceOptions:
    """Sequence parameters; a bare ``NO MINVALUE``/``NO MAXVALUE`` means the type's default.
    An identity column's sequence is of the column's type (``column_type``) unless AS says
    otherwise, so its bounds' defaults are that type's: MAXVALUE 2147483647 of an integer
    identity is the default pg_dump leaves out."""
    fields: dict[str, Any] = {}
    if "as" in options and options["as"] is not None:
        # bigint is the default type (pg_dump leaves AS bigint out): none set.
        data_type = ctx.type(options["as"]["TypeName"])
        fields["data_type"] = None if data_type == parse_type("bigint") else data_type
    # Read as text: a bigint bound beyond int4 is a Float node, and a float is not exact.
    for key, attr in (("start", "start"), ("minvalue", "min_value"), ("maxvalue", "max_value"),
                      ("increment", "increment"), ("cache", "cache")):  # fmt: skip
        if options.get(key) is not None:
            fields[attr] = int(str(option_text(options[key])))
    if "cycle" in options:
        fields["cycle"] = bool(const_value(options["cycle"]))
    if "start" not in fields:
        # PostgreSQL stores a start value always (pg_dump writes it): the minimum of an
        # ascending sequence, the maximum of a descending one (docs: CREATE SEQUENCE).
        ascending = fields.get("increment", 1) > 0
        bound = fields.get("min_value" if ascending else "max_value")
        fields["start"] = bound if bound is not None else (1 if ascending else -1)
    return _without_defaults(fields, column_type)


def _without_defaults(
    fields: dict[str, Any], column_type: TypeRef | None = None
) -> model.SequenceOptions:
    """The options with ``AS bigint`` and bounds equal to their defaults left out, as pg_dump
    leaves them out (``NO MINVALUE``): a source that states them equals its dump."""
    data_type = fields.get("data_type")
    type_name = (
        data_type.name
        if data_type is not None and data_type.schema in (None, "pg_catalog")
        else None
    )
    if type_name == "bigint":
        fields["data_type"] = None
    if data_type is None and column_type is not None and column_type.is_builtin:
        type_name = column_type.name  # an identity sequence: the column's type
    low, high = default_bounds(type_name, fields.get("increment", 1))
    if fields.get("min_value") == low:
        fields["min_value"] = None
    if fields.get("max_value") == high:
        fields["max_value"] = None
    return model.SequenceOptions(**fields)


def _with_bounds(options: model.SequenceOptions) -> dict[str, Any]:
    """The options' fields with both bounds stated (ALTER SEQUENCE INCREMENT keeps the bounds
    the sequence has, even where they were the defaults of the other direction)."""
    fields = attrs.asdict(options, recurse=False)
    data_type = options.data_type
    low, high = default_bounds(data_type.name if data_type else None, options.increment)
    fields["min_value"] = low if options.min_value is None else options.min_value
    fields["max_value"] = high if options.max_value is None else options.max_value
    return fields


@handles("CreateSeqStmt")
def build_sequence(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.relation(node["sequence"])
    oid = ObjectId(ids.SEQUENCE, schema, name)
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    options = def_elems(node.get("options"))
    owned = options.pop("owned_by", None)
    persistence = "unlogged" if node["sequence"].get("relpersistence") == "u" else "permanent"
    if node["sequence"].get("relpersistence") == "t":
        ctx.temporary.add(oid)
    ctx.add(
        model.Sequence(
            id=oid,
            options=sequence_options(ctx, options),
            owned_by=_owning_column(ctx, owned),
            persistence=persistence,
            **ctx.span_fields(),
        )
    )


def _owning_column(ctx: BuildContext, owned: Node | None) -> ObjectId | None:
    """``OWNED BY [schema.]table.column`` (or ``OWNED BY NONE``) as the column's id."""
    if owned is None:
        return None
    parts = strings(owned["List"]["items"])
    if parts == ["none"]:
        return None
    table_schema = parts[-3] if len(parts) >= 3 else ctx.creation_schema
    return ObjectId(ids.COLUMN, table_schema, parts[-1], parent=parts[-2])


@handles("AlterSeqStmt")
def build_alter_sequence(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.relation(node["sequence"])
    oid = ObjectId(ids.SEQUENCE, schema, name)
    if node.get("missing_ok") and oid not in ctx.objects:
        return  # ALTER SEQUENCE IF EXISTS: a notice, nothing done
    sequence = ctx.require(oid, "ALTER SEQUENCE")
    assert isinstance(sequence, model.Sequence)
    options = def_elems(node.get("options"))
    owned = options.pop("owned_by", None)
    changes: dict[str, Any] = {}
    if owned is not None:
        changes["owned_by"] = _owning_column(ctx, owned)
    if options:
        if "increment" in options and "as" not in options:
            current = _with_bounds(sequence.options)
        else:
            # A new type moves bounds that were the old type's defaults to the new type's.
            current = attrs.asdict(sequence.options, recurse=False)
        given = attrs.asdict(sequence_options(ctx, options), recurse=False)
        current.update({k: v for k, v in given.items() if _given(k, options)})
        changes["options"] = _without_defaults(current)
    ctx.update(oid, **changes)


_OPTION_FIELD = {"data_type": "as", "start": "start", "increment": "increment",
                 "min_value": "minvalue", "max_value": "maxvalue", "cache": "cache",
                 "cycle": "cycle"}  # fmt: skip


def _given(field: str, options: dict[str, Node | None]) -> bool:
    return _OPTION_FIELD[field] in options


# Views -----------------------------------------------------------------------------------------

_CHECK_OPTIONS = {"LOCAL_CHECK_OPTION": "local", "CASCADED_CHECK_OPTION": "cascaded"}


@handles("ViewStmt")
def build_view(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.relation(node["view"])
    oid = ObjectId(ids.VIEW, schema, name)
    options = reloptions_of(node.get("options"))
    # (PostgreSQL refuses the clause and the reloption together: one of them is given.)
    settings = view_option_fields(options, _CHECK_OPTIONS.get(node.get("withCheckOption", "")))
    query, column_names = stored_query(ctx, node["query"], tuple(strings(node.get("aliases"))))
    if node["view"].get("relpersistence") == "t":
        ctx.temporary.add(oid)
    view = model.View(
        id=oid,
        query=query,
        column_names=column_names,
        **settings,
        recursive=node["view"].get("relpersistence") == "r",
        **ctx.span_fields(),
    )
    previous = ctx.get(oid)
    if node.get("replace") and isinstance(previous, model.View) and from_source(ctx):
        # (A dump's placeholder view and its replacement were accepted by PostgreSQL.)
        check_replacement(ctx, previous, view)
    if node.get("replace") and previous is not None:
        # CREATE OR REPLACE VIEW: pg_dump 16+ first writes a placeholder view and replaces it
        # once its dependencies exist; Supabase CLI dumps use OR REPLACE everywhere.
        ctx.objects[oid] = attrs.evolve(
            view, owner=previous.owner, comment=previous.comment, span=previous.span,
            toc=previous.toc, **_kept_columns(previous),
        )  # fmt: skip
        return
    ctx.add(view)


def _kept_columns(previous: model.DbObject) -> dict[str, Any]:
    """A replaced view keeps its columns' defaults, comments and grants: the replacement may
    only add columns at the end, the old ones stay (DefineVirtualRelation)."""
    fields = ("column_defaults", "column_comments", "column_privileges")
    return {f: getattr(previous, f) for f in fields if hasattr(previous, f)}


@handles("CreateTableAsStmt")
def build_materialized_view(ctx: BuildContext, node: Node) -> None:
    into = node["into"]
    if node.get("objtype") != "OBJECT_MATVIEW":
        build_table_as(ctx, into, node["query"], if_not_exists=bool(node.get("if_not_exists")))
        return
    schema, name = ctx.relation(into["rel"])
    oid = ObjectId(ids.MATERIALIZED_VIEW, schema, name)
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    query, column_names = stored_query(ctx, node["query"], tuple(strings(into.get("colNames"))))
    ctx.add(
        model.MaterializedView(
            id=oid,
            query=query,
            column_names=column_names,
            options=reloptions_of(into.get("options")),
            with_data=not into.get("skipData", False),
            tablespace=ctx.tablespace(into.get("tableSpaceName")),
            access_method=ctx.access_method(into.get("accessMethod")),
            **ctx.span_fields(),
        )
    )


@handles("RefreshMatViewStmt")
def build_refresh(ctx: BuildContext, node: Node) -> None:
    """``REFRESH MATERIALIZED VIEW`` loads data (full dumps); the schema is unchanged."""
    schema, name = ctx.relation(node["relation"])
    ctx.require(ObjectId(ids.MATERIALIZED_VIEW, schema, name), "REFRESH MATERIALIZED VIEW")


# Rules -----------------------------------------------------------------------------------------

_RULE_EVENTS = {"CMD_SELECT": "select", "CMD_INSERT": "insert", "CMD_UPDATE": "update",
                "CMD_DELETE": "delete"}  # fmt: skip


@handles("RuleStmt")
def build_rule(ctx: BuildContext, node: Node) -> None:
    schema, table_name = ctx.relation(node["relation"])
    table = ctx.relation_id(node["relation"])
    name = node["rulename"]
    event = _RULE_EVENTS[node["event"]]
    actions: list[Node] = node.get("actions") or []
    if name == "_RETURN" and event == "select" and table.kind == ids.TABLE and len(actions) == 1:
        # A view pg_dump had to split to break a dependency loop (before PostgreSQL 16): an
        # empty table, then its ON SELECT rule. Together they are the view.
        _table_to_view(ctx, table, actions[0])
        return
    oid = ObjectId(ids.RULE, schema, name, parent=table_name)
    where = node.get("whereClause")
    if from_source(ctx):
        where, actions = stored_rule(ctx, where, actions, table)
    # CREATE OR REPLACE RULE rewrites the rule in place: its comment stays (DefineQueryRewrite).
    ctx.add_or_replace(
        model.Rule(
            id=oid,
            table=table,
            event=event,
            instead=bool(node.get("instead")),
            where=expr_from_node(where) if where else None,
            actions=tuple(expr_from_node(a) for a in actions),
            **ctx.span_fields(),
        ),
        replace=bool(node.get("replace")),
    )


def _table_to_view(ctx: BuildContext, table: ObjectId, query: Node) -> None:
    placeholder = ctx.require(table)
    del ctx.objects[table]
    view_id = ObjectId(ids.VIEW, table.schema, table.name)
    ctx.objects[view_id] = model.View(
        id=view_id,
        query=expr_from_node(query),
        owner=placeholder.owner,
        comment=placeholder.comment,
        span=placeholder.span,
        toc=placeholder.toc,
    )
