"""Everything else a database holds: schemas, extensions, row-level security policies,
publications and subscriptions, foreign-data wrappers, text search, collations, casts,
operators and their classes and families, conversions, languages, access methods, transforms
and extended statistics. Also the ``DefineStmt`` dispatcher (CREATE AGGREGATE / OPERATOR /
COLLATION / TEXT SEARCH ... / TYPE share that one statement node).

Objects whose meaning is an option list (operators, operator classes and families,
conversions, languages, access methods, transforms) are :class:`~pgdrift.model.DefinedObject`:
their ``definition`` is the canonical tree of the defining statement with the object's own
name written fully qualified, option and member lists sorted, and ``OR REPLACE`` dropped, so
the same object written two ways compares equal.

An operator family's definition is its ``CREATE OPERATOR FAMILY`` statement until loose
members are added (``ALTER OPERATOR FAMILY ... ADD``, which is how pg_dump writes them); from
then on it is one ``ALTER OPERATOR FAMILY ... ADD`` statement listing every member, sorted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder import handles
from pgdrift.builder.context import (
    BuildContext,
    Node,
    const_value,
    node_type,
    option_text,
    options_of,
    strings,
)
from pgdrift.builder.routines import build_aggregate, routine_name, routine_signature
from pgdrift.builder.tables import role_name
from pgdrift.builder.types import build_base_type, option_word
from pgdrift.expr import Expr, Tree, canonical, expr_from_node, type_from_tree
from pgdrift.ids import ObjectId

# Fields an object keeps when CREATE OR REPLACE redefines it.
_KEPT_ON_REPLACE = ("owner", "comment", "privileges", "security_labels")


def _add_or_replace(ctx: BuildContext, obj: model.DbObject, replace: bool) -> None:
    previous = ctx.get(obj.id)
    if replace and previous is not None:
        kept = {field: getattr(previous, field) for field in _KEPT_ON_REPLACE}
        ctx.objects[obj.id] = attrs.evolve(obj, **kept)
        return
    ctx.add(obj)


def _name_list(*parts: str) -> list[Node]:
    return [{"String": {"sval": part}} for part in parts]


def _definition(statement: str, node: Node, **replaced: Any) -> Expr:
    """The canonical tree of ``{statement: node}`` with some fields replaced (or, given None,
    removed)."""
    body = {k: v for k, v in node.items() if k not in replaced}
    body.update({k: v for k, v in replaced.items() if v is not None})
    return expr_from_node({statement: body})


def _sorted_nodes(nodes: Iterable[Node] | None) -> list[Node]:
    """JSON nodes in the order of their canonical trees (positions do not count)."""
    return sorted(nodes or (), key=lambda n: repr(canonical(n)))


def _ordered_columns(ctx: BuildContext, table: ObjectId, columns: Iterable[str]) -> tuple[str, ...]:
    """Columns in table order: PostgreSQL stores publication column lists and statistics keys
    as sorted attribute numbers, so the order they were written in means nothing."""
    names = list(columns)
    relation = ctx.get(table)
    table_columns = getattr(relation, "columns", None)
    if isinstance(table_columns, model.Columns) and all(n in table_columns for n in names):
        return tuple(sorted(names, key=table_columns.position))
    return tuple(names)


# Schemas and extensions ------------------------------------------------------------------------


@handles("CreateSchemaStmt")
def build_schema_statement(ctx: BuildContext, node: Node) -> None:
    authrole = node.get("authrole")
    owner = role_name(authrole) if authrole else None
    # CREATE SCHEMA AUTHORIZATION r names the schema after the role (docs: CREATE SCHEMA).
    name = node.get("schemaname") or owner
    if name is None:
        raise ValueError("CREATE SCHEMA without a name")
    oid = ObjectId(ids.SCHEMA, None, name)
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    ctx.add(model.Namespace(id=oid, owner=owner, **ctx.span_fields()))
    elements = node.get("schemaElts") or ()
    if elements:
        _build_schema_elements(ctx, name, elements)


def _build_schema_elements(ctx: BuildContext, schema: str, elements: Iterable[Node]) -> None:
    # CREATE SCHEMA s CREATE TABLE t ...: the elements are created in s whatever the
    # search_path says (docs: CREATE SCHEMA, "schema_element").
    from pgdrift.builder import BUILDERS  # noqa: PLC0415 - the registry is filled at import

    saved = ctx.search_path
    ctx.search_path = [schema]
    try:
        for element in elements:
            name = node_type(element)
            builder = BUILDERS.get(name)
            if builder is None:
                raise ValueError(f"CREATE SCHEMA element {name} is not modelled")
            builder(ctx, element[name])
    finally:
        ctx.search_path = saved


@handles("CreateExtensionStmt")
def build_extension(ctx: BuildContext, node: Node) -> None:
    oid = ObjectId(ids.EXTENSION, None, node["extname"])
    # pg_dump writes CREATE EXTENSION IF NOT EXISTS: a repeat is a no-op.
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    options = {
        o["DefElem"]["defname"]: option_text(o["DefElem"].get("arg"))
        for o in node.get("options") or ()
    }
    ctx.add(
        model.Extension(
            id=oid,
            # Without WITH SCHEMA the objects go to the creation schema, unless the extension's
            # control file fixes one (docs: CREATE EXTENSION), which only a live server knows.
            in_schema=options.get("schema") or ctx.creation_schema,
            version=options.get("new_version"),
            **ctx.span_fields(),
        )
    )


# The DefineStmt dispatcher ---------------------------------------------------------------------


@handles("DefineStmt")
def build_define(ctx: BuildContext, node: Node) -> None:
    kind = node["kind"]
    builder = _DEFINE_BUILDERS.get(kind)
    if builder is None:
        raise ValueError(f"CREATE statements of kind {kind} are not modelled")
    builder(ctx, node)


def _build_operator(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["defnames"])
    elems = []
    sides: dict[str, str] = {}
    for item in node.get("definition") or ():
        elem = item["DefElem"]
        key = elem["defname"].lower()
        if key == "procedure":  # the older spelling of FUNCTION (docs: CREATE OPERATOR)
            key = "function"
        if key in ("leftarg", "rightarg"):
            sides[key] = str(ctx.type(elem["arg"]))
        elems.append({"DefElem": {**elem, "defname": key}})
    args = (sides.get("leftarg", "NONE"), sides.get("rightarg", "NONE"))
    definition = _definition(
        "DefineStmt",
        node,
        defnames=_name_list(schema, name),
        definition=sorted(elems, key=lambda e: e["DefElem"]["defname"]),
    )
    ctx.add(
        model.Operator(
            id=ObjectId(ids.OPERATOR, schema, name, args=args),
            definition=definition,
            **ctx.span_fields(),
        )
    )


def _build_collation(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["defnames"])
    fields: dict[str, Any] = {}
    for item in node.get("definition") or ():
        elem = item["DefElem"]
        key = elem["defname"].lower()
        arg = elem.get("arg")
        if key == "from":
            fields["from_collation"] = ctx.qualified_text(arg["List"]["items"])
        elif key == "deterministic":
            value = const_value(arg) if arg is not None else True
            if isinstance(value, str):
                value = value.lower() in ("true", "on", "1", "yes")
            fields["deterministic"] = bool(value)
        elif key in ("provider", "locale", "lc_collate", "lc_ctype", "rules", "version"):
            value_text = option_word(ctx, arg)
            fields[key] = value_text.lower() if key == "provider" and value_text else value_text
        else:
            raise ValueError(f"CREATE COLLATION option {key} is not modelled")
    if "from_collation" in fields:
        fields = _copied_collation(ctx, fields)
    if "from_collation" not in fields:
        # libc is the default provider, and for it LOCALE is LC_COLLATE and LC_CTYPE at once
        # (docs: CREATE COLLATION); pg_dump 15 prints locale when the two are equal.
        fields.setdefault("provider", "libc")
        collate, ctype = fields.get("lc_collate"), fields.get("lc_ctype")
        if fields["provider"] == "libc" and collate is not None and collate == ctype:
            fields["locale"] = collate
            fields["lc_collate"] = fields["lc_ctype"] = None
    ctx.add(
        model.Collation(id=ObjectId(ids.COLLATION, schema, name), **fields, **ctx.span_fields())
    )


def _copied_collation(ctx: BuildContext, fields: dict[str, Any]) -> dict[str, Any]:
    """``CREATE COLLATION x FROM y`` copies y's settings (docs: CREATE COLLATION), and pg_dump
    prints the copy's settings: resolve y when the input defines it or it is C or POSIX."""
    source = fields["from_collation"]
    schema, _, name = source.rpartition(".")
    if name in ("C", "POSIX") and schema in ("", "pg_catalog"):
        return {"provider": "libc", "locale": name}
    candidates = [schema] if schema else [s for s in ctx.search_path if s]
    for candidate in candidates:
        found = ctx.get(ObjectId(ids.COLLATION, candidate, name))
        if isinstance(found, model.Collation) and found.from_collation is None:
            copied = ("provider", "locale", "lc_collate", "lc_ctype", "deterministic", "rules")
            return {field: getattr(found, field) for field in copied}
    return fields


# Text search -----------------------------------------------------------------------------------


def _function_options(ctx: BuildContext, node: Node) -> model.Options:
    """A text search parser's or template's ``(START = f, ...)``: each value a function."""
    items = []
    for item in node.get("definition") or ():
        elem = item["DefElem"]
        arg = elem.get("arg")
        names = arg["TypeName"]["names"] if arg is not None and "TypeName" in arg else None
        value = routine_name(ctx, names) if names else option_word(ctx, arg)
        items.append((elem["defname"].lower(), value))
    return tuple(sorted(items))


def _build_ts_parser(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["defnames"])
    ctx.add(
        model.TextSearchParser(
            id=ObjectId(ids.TEXT_SEARCH_PARSER, schema, name),
            options=_function_options(ctx, node),
            **ctx.span_fields(),
        )
    )


def _build_ts_template(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["defnames"])
    ctx.add(
        model.TextSearchTemplate(
            id=ObjectId(ids.TEXT_SEARCH_TEMPLATE, schema, name),
            options=_function_options(ctx, node),
            **ctx.span_fields(),
        )
    )


def _build_ts_dictionary(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["defnames"])
    template = ""
    options = []
    for item in node.get("definition") or ():
        elem = item["DefElem"]
        key = elem["defname"].lower()
        value = option_word(ctx, elem.get("arg"))
        if key == "template":
            template = value or ""
        else:
            options.append((key, value))
    ctx.add(
        model.TextSearchDictionary(
            id=ObjectId(ids.TEXT_SEARCH_DICTIONARY, schema, name),
            template=template,
            options=tuple(sorted(options, key=lambda kv: kv[0])),
            **ctx.span_fields(),
        )
    )


def _build_ts_configuration(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["defnames"])
    parser = ""
    mappings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    for item in node.get("definition") or ():
        elem = item["DefElem"]
        key = elem["defname"].lower()
        if key == "parser":
            parser = option_word(ctx, elem.get("arg")) or ""
        elif key == "copy":
            # COPY = other copies the parser and every mapping (docs: CREATE TEXT SEARCH
            # CONFIGURATION).
            names = elem["arg"]["TypeName"]["names"]
            source_schema, source_name = ctx.qualified(names)
            source_id = ObjectId(ids.TEXT_SEARCH_CONFIGURATION, source_schema, source_name)
            source = ctx.get(source_id)
            if isinstance(source, model.TextSearchConfiguration):
                parser, mappings = source.parser, source.mappings
            elif len(names) == 1 or source_schema == "pg_catalog":
                # A built-in configuration: all of them use the default parser, but their
                # mappings are only in a live server's catalog.
                parser = "default"
                ctx.warn(
                    f"COPY = {ctx.qualified_text(names)}: the built-in configuration's "
                    "token mappings are not known offline"
                )
            else:
                ctx.require(source_id, "CREATE TEXT SEARCH CONFIGURATION ... COPY")
        else:
            raise ValueError(f"CREATE TEXT SEARCH CONFIGURATION option {key} is not modelled")
    ctx.add(
        model.TextSearchConfiguration(
            id=ObjectId(ids.TEXT_SEARCH_CONFIGURATION, schema, name),
            parser=parser,
            mappings=mappings,
            **ctx.span_fields(),
        )
    )


@handles("AlterTSConfigurationStmt")
def build_alter_ts_configuration(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["cfgname"])
    oid = ObjectId(ids.TEXT_SEARCH_CONFIGURATION, schema, name)
    config = ctx.require(oid, "ALTER TEXT SEARCH CONFIGURATION")
    assert isinstance(config, model.TextSearchConfiguration)
    mappings = dict(config.mappings)
    kind = node["kind"]
    tokens = strings(node.get("tokentype"))
    dictionaries = tuple(ctx.qualified_text(d["List"]["items"]) for d in node.get("dicts") or ())
    if kind in ("ALTER_TSCONFIG_ADD_MAPPING", "ALTER_TSCONFIG_ALTER_MAPPING_FOR_TOKEN"):
        for token in tokens:
            mappings[token] = dictionaries
    elif kind in ("ALTER_TSCONFIG_REPLACE_DICT", "ALTER_TSCONFIG_REPLACE_DICT_FOR_TOKEN"):
        # ALTER MAPPING [FOR t] REPLACE old WITH new: dicts holds (old, new).
        old, new = dictionaries
        for token in tokens or list(mappings):
            mappings[token] = tuple(new if d == old else d for d in mappings.get(token, ()))
    elif kind == "ALTER_TSCONFIG_DROP_MAPPING":
        for token in tokens:
            mappings.pop(token, None)
    else:
        raise ValueError(f"ALTER TEXT SEARCH CONFIGURATION {kind} is not modelled")
    ctx.update(oid, mappings=tuple(sorted(mappings.items())))


_DEFINE_BUILDERS = {
    "OBJECT_AGGREGATE": build_aggregate,
    "OBJECT_OPERATOR": _build_operator,
    "OBJECT_TYPE": build_base_type,
    "OBJECT_COLLATION": _build_collation,
    "OBJECT_TSPARSER": _build_ts_parser,
    "OBJECT_TSTEMPLATE": _build_ts_template,
    "OBJECT_TSDICTIONARY": _build_ts_dictionary,
    "OBJECT_TSCONFIGURATION": _build_ts_configuration,
}


# Row-level security policies -------------------------------------------------------------------


def _policy_roles(roles: Iterable[Node] | None) -> tuple[str, ...]:
    names = {role_name(r["RoleSpec"]) for r in roles or ()}
    # PUBLIC is kept lower-case, as pg_dump prints it (docs: CREATE POLICY, "role_name").
    names = {"public" if n == "PUBLIC" else n for n in names}
    return tuple(sorted(names)) or ("public",)


@handles("CreatePolicyStmt")
def build_policy(ctx: BuildContext, node: Node) -> None:
    table = ctx.relation_id(node["table"])
    ctx.require(table, "CREATE POLICY")
    ctx.add(
        model.Policy(
            id=ObjectId(ids.POLICY, table.schema, node["policy_name"], parent=table.name),
            table=table,
            permissive=bool(node.get("permissive")),
            command=node.get("cmd_name", "all"),
            roles=_policy_roles(node.get("roles")),
            using=ctx.expr(node.get("qual")),
            with_check=ctx.expr(node.get("with_check")),
            **ctx.span_fields(),
        )
    )


@handles("AlterPolicyStmt")
def build_alter_policy(ctx: BuildContext, node: Node) -> None:
    table = ctx.relation_id(node["table"])
    oid = ObjectId(ids.POLICY, table.schema, node["policy_name"], parent=table.name)
    ctx.require(oid, "ALTER POLICY")
    changes: dict[str, Any] = {}
    if node.get("roles"):
        changes["roles"] = _policy_roles(node["roles"])
    if node.get("qual") is not None:
        changes["using"] = ctx.expr(node["qual"])
    if node.get("with_check") is not None:
        changes["with_check"] = ctx.expr(node["with_check"])
    ctx.update(oid, **changes)


# Publications and subscriptions ----------------------------------------------------------------


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
                    columns=_ordered_columns(ctx, table, strings(pubtable.get("columns"))),
                    where=ctx.expr(pubtable.get("whereClause")),
                )
            )
        elif objtype == "PUBLICATIONOBJ_TABLES_IN_SCHEMA":
            schemas.append(spec["name"])
        elif objtype == "PUBLICATIONOBJ_TABLES_IN_CUR_SCHEMA":
            schemas.append(ctx.creation_schema)
        else:
            raise ValueError(f"publication object {objtype} is not modelled")
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
            raise ValueError(f"publication option {key} is not modelled")
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


# Foreign data ----------------------------------------------------------------------------------


@handles("CreateFdwStmt")
def build_foreign_data_wrapper(ctx: BuildContext, node: Node) -> None:
    functions: dict[str, str | None] = {}
    for item in node.get("func_options") or ():
        elem = item["DefElem"]
        arg = elem.get("arg")  # absent for NO HANDLER / NO VALIDATOR
        functions[elem["defname"]] = routine_name(ctx, arg["List"]["items"]) if arg else None
    ctx.add(
        model.ForeignDataWrapper(
            id=ObjectId(ids.FOREIGN_DATA_WRAPPER, None, node["fdwname"]),
            handler=functions.get("handler"),
            validator=functions.get("validator"),
            options=options_of(node.get("options")),
            **ctx.span_fields(),
        )
    )


@handles("CreateForeignServerStmt")
def build_server(ctx: BuildContext, node: Node) -> None:
    oid = ObjectId(ids.SERVER, None, node["servername"])
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    ctx.add(
        model.Server(
            id=oid,
            wrapper=node["fdwname"],
            type=node.get("servertype"),
            version=node.get("version"),
            options=options_of(node.get("options")),
            **ctx.span_fields(),
        )
    )


@handles("CreateUserMappingStmt")
def build_user_mapping(ctx: BuildContext, node: Node) -> None:
    user = role_name(node["user"])
    user = "public" if user == "PUBLIC" else user
    server = node["servername"]
    oid = ObjectId(ids.USER_MAPPING, None, f"{user}@{server}")
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    ctx.add(
        model.UserMapping(
            id=oid,
            user=user,
            server=server,
            options=options_of(node.get("options")),
            **ctx.span_fields(),
        )
    )


# Casts, conversions, operator classes and families, languages, access methods, transforms ------

_CAST_CONTEXTS = {"COERCION_EXPLICIT": "explicit", "COERCION_ASSIGNMENT": "assignment",
                  "COERCION_IMPLICIT": "implicit"}  # fmt: skip


@handles("CreateCastStmt")
def build_cast(ctx: BuildContext, node: Node) -> None:
    source = ctx.type(node["sourcetype"])
    target = ctx.type(node["targettype"])
    function = node.get("func")
    method = "function" if function else "inout" if node.get("inout") else "binary"
    ctx.add(
        model.Cast(
            id=ObjectId(ids.CAST, None, f"{source} AS {target}"),
            source=source,
            target=target,
            method=method,
            function=routine_signature(ctx, function) if function else None,
            context=_CAST_CONTEXTS[node.get("context", "COERCION_EXPLICIT")],
            **ctx.span_fields(),
        )
    )


@handles("CreateConversionStmt")
def build_conversion(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["conversion_name"])
    ctx.add(
        model.Conversion(
            id=ObjectId(ids.CONVERSION, schema, name),
            definition=_definition(
                "CreateConversionStmt",
                node,
                conversion_name=_name_list(schema, name),
                func_name=_name_list(*ctx.qualified_text(node["func_name"]).split(".")),
            ),
            **ctx.span_fields(),
        )
    )


@handles("CreateOpClassStmt")
def build_operator_class(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["opclassname"])
    method = node["amname"]
    if node.get("opfamilyname"):
        family_schema, family_name = ctx.qualified(node["opfamilyname"])
    else:
        # Without FAMILY the class joins a family of its own name, created if need be
        # (docs: CREATE OPERATOR CLASS); pg_dump writes that family out explicitly.
        family_schema, family_name = schema, name
        family = ObjectId(ids.OPERATOR_FAMILY, schema, name, args=(method,))
        if family not in ctx.objects:
            ctx.add(
                model.OperatorFamily(
                    id=family,
                    definition=_family_definition(schema, name, method, ()),
                    **ctx.span_fields(),
                )
            )
    items = [_with_operand_types(ctx, item, node) for item in node.get("items") or ()]
    ctx.add(
        model.OperatorClass(
            id=ObjectId(ids.OPERATOR_CLASS, schema, name, args=(method,)),
            definition=_definition(
                "CreateOpClassStmt",
                node,
                opclassname=_name_list(schema, name),
                opfamilyname=_name_list(family_schema, family_name),
                items=_sorted_nodes(items),
            ),
            **ctx.span_fields(),
        )
    )


def _with_operand_types(ctx: BuildContext, item: Node, opclass: Node) -> Node:
    """An operator class member with the operand types PostgreSQL fills in when they are left
    out (opclasscmds.c, assignOperTypes/assignProcTypes), as pg_dump prints them: an operator's
    are the class's type; a support function's are its argument types for B-tree comparison
    (1) and in_range (3) functions and hash functions, the class's type otherwise."""
    member = dict(item["CreateOpClassItem"])
    datatype = {"TypeName": opclass["datatype"]}
    itemtype = member.get("itemtype")
    name = member.get("name")
    if itemtype == 1 and name is not None and not name.get("objargs"):
        member["name"] = {**name, "objargs": [datatype, datatype]}
    elif itemtype == 2 and not member.get("class_args"):
        args = (name or {}).get("objargs") or []
        method, number = opclass["amname"], member.get("number")
        if method == "btree" and number == 1 and len(args) == 2:
            member["class_args"] = args
        elif method == "btree" and number == 3 and len(args) >= 3:
            member["class_args"] = [args[0], args[2]]
        elif method == "hash" and args:
            member["class_args"] = [args[0], args[0]]
        else:
            member["class_args"] = [datatype, datatype]
    return {"CreateOpClassItem": member}


@handles("CreateOpFamilyStmt")
def build_operator_family(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["opfamilyname"])
    ctx.add(
        model.OperatorFamily(
            id=ObjectId(ids.OPERATOR_FAMILY, schema, name, args=(node["amname"],)),
            definition=_family_definition(schema, name, node["amname"], ()),
            **ctx.span_fields(),
        )
    )


@handles("AlterOpFamilyStmt")
def build_alter_operator_family(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["opfamilyname"])
    method = node["amname"]
    oid = ObjectId(ids.OPERATOR_FAMILY, schema, name, args=(method,))
    family = ctx.require(oid, "ALTER OPERATOR FAMILY")
    assert isinstance(family, model.DefinedObject)
    members = {_member_key(m): m for m in _family_members(family.definition.tree)}
    for item in node.get("items") or ():
        member = canonical(item)
        if node.get("isDrop"):
            members.pop(_member_key(member), None)
        else:
            members[_member_key(member)] = member
    ctx.update(oid, definition=_family_definition(schema, name, method, members.values()))


def _family_definition(schema: str, name: str, method: str, members: Iterable[Tree]) -> Expr:
    header = {"opfamilyname": _name_list(schema, name), "amname": method}
    items = tuple(sorted(members, key=repr))
    if not items:
        return expr_from_node({"CreateOpFamilyStmt": header})
    tree = canonical({"AlterOpFamilyStmt": header})
    return Expr((tree[0], (*tree[1], ("items", items))))


def _field(tree: Tree | None, name: str) -> Any:
    for key, value in tree[1] if tree else ():
        if key == name:
            return value
    return None


def _family_members(tree: Tree) -> tuple[Tree, ...]:
    return tuple(_field(tree, "items") or ()) if tree[0] == "AlterOpFamilyStmt" else ()


def _member_key(item: Tree) -> tuple[Any, ...]:
    """What identifies a family member: operator or support function, its strategy or
    support number, and the types it is registered for (``ADD OPERATOR 1 <(int4, int8)``
    and ``DROP OPERATOR 1 (int4, int8)`` name the same member)."""
    types = _field(item, "class_args") or _field(_field(item, "name"), "objargs") or ()
    return (
        _field(item, "itemtype"),
        _field(item, "number"),
        tuple(str(type_from_tree(t)) for t in types),
    )


@handles("CreatePLangStmt")
def build_language(ctx: BuildContext, node: Node) -> None:
    language = model.Language(
        id=ObjectId(ids.LANGUAGE, None, node["plname"]),
        definition=_definition("CreatePLangStmt", node, replace=None),
        **ctx.span_fields(),
    )
    _add_or_replace(ctx, language, bool(node.get("replace")))


@handles("CreateAmStmt")
def build_access_method(ctx: BuildContext, node: Node) -> None:
    ctx.add(
        model.AccessMethod(
            id=ObjectId(ids.ACCESS_METHOD, None, node["amname"]),
            definition=_definition("CreateAmStmt", node),
            **ctx.span_fields(),
        )
    )


@handles("CreateTransformStmt")
def build_transform(ctx: BuildContext, node: Node) -> None:
    name = f"{ctx.type(node['type_name'])} LANGUAGE {node['lang']}"
    transform = model.Transform(
        id=ObjectId(ids.TRANSFORM, None, name),
        definition=_definition("CreateTransformStmt", node, replace=None),
        **ctx.span_fields(),
    )
    _add_or_replace(ctx, transform, bool(node.get("replace")))


# Extended statistics ---------------------------------------------------------------------------

# Leaving the kinds out builds all of them (docs: CREATE STATISTICS); pg_dump lists them only
# when some are missing.
_ALL_STATISTICS_KINDS = frozenset({"ndistinct", "dependencies", "mcv"})


@handles("CreateStatsStmt")
def build_statistics(ctx: BuildContext, node: Node) -> None:
    relations: list[Node] = node.get("relations") or []
    if len(relations) != 1 or "RangeVar" not in relations[0]:
        raise ValueError("statistics on anything but one table are not modelled")
    table = ctx.relation_id(relations[0]["RangeVar"])
    ctx.require(table, "CREATE STATISTICS")
    columns: list[str] = []
    expressions: list[Expr] = []
    for item in node.get("exprs") or ():
        elem = item["StatsElem"]
        if elem.get("name"):
            columns.append(elem["name"])
        else:
            expressions.append(expr_from_node(elem["expr"]))
    if node.get("defnames"):
        schema, name = ctx.qualified(node["defnames"])
    else:
        # Unnamed statistics are called table_col1_col2_stat, "expr" standing for each
        # expression, in the table's schema (statscmds.c, ChooseExtendedStatisticName).
        schema = table.schema or ctx.creation_schema
        parts = [*columns, *("expr" for _ in expressions)]
        name = "_".join([table.name, *parts, "stat"])[:63]
    kinds = set(strings(node.get("stat_types")))
    oid = ObjectId(ids.STATISTICS, schema, name)
    if node.get("if_not_exists") and oid in ctx.objects:
        return
    ctx.add(
        model.Statistics(
            id=oid,
            table=table,
            kinds=() if kinds == _ALL_STATISTICS_KINDS else tuple(sorted(kinds)),
            columns=_ordered_columns(ctx, table, columns),
            expressions=tuple(expressions),
            **ctx.span_fields(),
        )
    )


@handles("AlterStatsStmt")
def build_alter_statistics(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["defnames"])
    oid = ObjectId(ids.STATISTICS, schema, name)
    if node.get("missing_ok") and oid not in ctx.objects:
        return
    ctx.require(oid, "ALTER STATISTICS")
    target = const_value(node.get("stxstattarget"))
    # SET STATISTICS -1 (or, since PostgreSQL 17, DEFAULT) returns to the system default.
    ctx.update(oid, target=None if target is None or target < 0 else int(target))
