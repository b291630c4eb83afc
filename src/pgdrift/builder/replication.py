"""Logical replication: publications (with the tables and schemas pg_dump adds one
``ALTER PUBLICATION`` at a time) and subscriptions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, option_text, options_of, strings
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.stored_exprs import stored_expr
from pgdrift.ids import ObjectId


def _publication_objects(
    ctx: BuildContext, objects: Iterable[Node] | None
) -> tuple[list[model.PublicationTable], list[str]]:
    tables: list[model.PublicationTable] = []
    schemas: list[str] = []
    for item in objects or ():
        spec = item["PublicationObjSpec"]
        objtype = spec["pubobjtype"]
        if objtype == "PUBLICATIONOBJ_TABLE":
            pubtable = spec["pubtable"]
            table = ctx.relation_id(pubtable["relation"])
            tables.append(
                model.PublicationTable(
                    table=table,
                    columns=ctx.ordered_columns(table, strings(pubtable.get("columns"))),
                    # The row filter is stored analysed, as a CHECK on the table is.
                    where=stored_expr(ctx, pubtable.get("whereClause"), table),
                )
            )
        elif objtype == "PUBLICATIONOBJ_TABLES_IN_SCHEMA":
            schemas.append(spec["name"])
        elif objtype == "PUBLICATIONOBJ_TABLES_IN_CUR_SCHEMA":
            schemas.append(ctx.creation_schema)
        else:
            raise NotModelled(f"publication object {objtype} is not modelled")
    return tables, schemas


def _publication_options(options: Iterable[Node] | None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for item in options or ():
        elem = item["DefElem"]
        key = elem["defname"].lower()
        value = option_text(elem.get("arg"))
        if key == "publish":
            actions = {a.strip().lower() for a in (value or "").split(",")}
            fields["publish"] = tuple(sorted(a for a in actions if a))
        elif key == "publish_via_partition_root":
            fields[key] = value is None or value.lower() in ("true", "on", "1", "yes")
        else:
            raise NotModelled(f"publication option {key} is not modelled")
    return fields


def _table_key(table: model.PublicationTable) -> tuple[str, str, str, str, tuple[str, ...]]:
    return table.table.sort_key()


@handles("CreatePublicationStmt")
def build_publication(ctx: BuildContext, node: Node) -> None:
    tables, schemas = _publication_objects(ctx, node.get("pubobjects"))
    ctx.add(
        model.Publication(
            id=ObjectId(ids.PUBLICATION, None, node["pubname"]),
            all_tables=bool(node.get("for_all_tables")),
            tables=tuple(sorted(tables, key=_table_key)),
            schemas=tuple(sorted(set(schemas))),
            **_publication_options(node.get("options")),
            **ctx.span_fields(),
        )
    )


@handles("AlterPublicationStmt")
def build_alter_publication(ctx: BuildContext, node: Node) -> None:
    """pg_dump 15 adds tables and schemas one ``ALTER PUBLICATION ... ADD`` at a time."""
    oid = ObjectId(ids.PUBLICATION, None, node["pubname"])
    publication = ctx.get(oid)
    if publication is None:
        # Supabase CLI dumps leave out CREATE PUBLICATION supabase_realtime, which every
        # Supabase project has: take it as existing, with the default options.
        ctx.warn(f"{oid} is altered but never created; assuming it exists with default options")
        publication = model.Publication(id=oid, **ctx.span_fields())
        ctx.objects[oid] = publication
        ctx.implicit.add(oid)
    assert isinstance(publication, model.Publication)
    changes = _publication_options(node.get("options"))
    action = node.get("action")
    if node.get("pubobjects"):
        tables, schemas = _publication_objects(ctx, node["pubobjects"])
        current_tables = {t.table: t for t in publication.tables}
        current_schemas = set(publication.schemas)
        if action == "AP_SetObjects":
            current_tables, current_schemas = {}, set()
        if action == "AP_DropObjects":
            for table in tables:
                current_tables.pop(table.table, None)
            current_schemas -= set(schemas)
        else:
            current_tables.update((t.table, t) for t in tables)
            current_schemas |= set(schemas)
        changes["tables"] = tuple(sorted(current_tables.values(), key=_table_key))
        changes["schemas"] = tuple(sorted(current_schemas))
    ctx.update(oid, **changes)


# CREATE SUBSCRIPTION options that steer the CREATE itself and are not kept (docs: CREATE
# SUBSCRIPTION); pg_dump always writes connect = false.
_SUBSCRIPTION_ACTIONS = frozenset({"connect", "create_slot", "copy_data"})


@handles("CreateSubscriptionStmt")
def build_subscription(ctx: BuildContext, node: Node) -> None:
    options = options_of(node.get("options"))
    ctx.add(
        model.Subscription(
            id=ObjectId(ids.SUBSCRIPTION, None, node["subname"]),
            connection=node.get("conninfo", ""),
            publications=tuple(sorted(strings(node.get("publication")))),
            options=tuple(kv for kv in options if kv[0] not in _SUBSCRIPTION_ACTIONS),
            **ctx.span_fields(),
        )
    )
