"""Text search parsers, templates, dictionaries and configurations, with the token
mappings ``ALTER TEXT SEARCH CONFIGURATION`` adds."""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, strings
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.routines import routine_name
from pgdrift.builder.types import option_word
from pgdrift.ids import ObjectId
from pgdrift.pg.text_search import builtin_mappings


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


def build_ts_parser(ctx: BuildContext, node: Node) -> None:
    """CREATE TEXT SEARCH PARSER (a ``DefineStmt``)."""
    schema, name = ctx.qualified(node["defnames"])
    ctx.add(
        model.TextSearchParser(
            id=ObjectId(ids.TEXT_SEARCH_PARSER, schema, name),
            options=_function_options(ctx, node),
            **ctx.span_fields(),
        )
    )


def build_ts_template(ctx: BuildContext, node: Node) -> None:
    """CREATE TEXT SEARCH TEMPLATE (a ``DefineStmt``)."""
    schema, name = ctx.qualified(node["defnames"])
    ctx.add(
        model.TextSearchTemplate(
            id=ObjectId(ids.TEXT_SEARCH_TEMPLATE, schema, name),
            options=_function_options(ctx, node),
            **ctx.span_fields(),
        )
    )


def build_ts_dictionary(ctx: BuildContext, node: Node) -> None:
    """CREATE TEXT SEARCH DICTIONARY (a ``DefineStmt``): its template and options."""
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


def build_ts_configuration(ctx: BuildContext, node: Node) -> None:
    """CREATE TEXT SEARCH CONFIGURATION (a ``DefineStmt``): its parser, or a copy of another
    configuration's parser and mappings."""
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
                # A built-in configuration: all of them use the default parser, and initdb
                # made their mappings (pgdrift.pg.text_search).
                parser = "default"
                builtin = builtin_mappings(source_name)
                if builtin is not None:
                    mappings = builtin
                else:
                    ctx.warn(
                        f"COPY = {ctx.qualified_text(names)}: the configuration's token "
                        "mappings are not known offline"
                    )
            else:
                ctx.require(source_id, "CREATE TEXT SEARCH CONFIGURATION ... COPY")
        else:
            raise NotModelled(f"CREATE TEXT SEARCH CONFIGURATION option {key} is not modelled")
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
    dictionaries = tuple(_dictionary(ctx, d["List"]["items"]) for d in node.get("dicts") or ())
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
        raise NotModelled(f"ALTER TEXT SEARCH CONFIGURATION {kind} is not modelled")
    ctx.update(oid, mappings=tuple(sorted(mappings.items())))


def _dictionary(ctx: BuildContext, names: list[Node]) -> str:
    """A mapping's dictionary as pg_dump prints it: qualified, unless built in (pg_catalog's
    are printed bare); a bare name is the schema's dictionary the search_path finds."""
    parts = strings(names)
    if len(parts) == 1:
        for schema in ctx.search_path:
            if ObjectId(ids.TEXT_SEARCH_DICTIONARY, schema, parts[0]) in ctx.objects:
                return f"{schema}.{parts[0]}"
    return ctx.qualified_text(names)


@handles("AlterTSDictionaryStmt")
def build_alter_ts_dictionary(ctx: BuildContext, node: Node) -> None:
    """ALTER TEXT SEARCH DICTIONARY d (option = value, ...): the options given replace those of
    the same name; one given without a value is removed (docs: ALTER TEXT SEARCH DICTIONARY)."""
    schema, name = ctx.qualified(node["dictname"])
    oid = ObjectId(ids.TEXT_SEARCH_DICTIONARY, schema, name)
    dictionary = ctx.require(oid, "ALTER TEXT SEARCH DICTIONARY")
    assert isinstance(dictionary, model.TextSearchDictionary)
    options = dict(dictionary.options)
    for item in node.get("options") or ():
        elem = item["DefElem"]
        key = elem["defname"].lower()
        if elem.get("arg") is None:
            options.pop(key, None)
        else:
            options[key] = option_word(ctx, elem["arg"])
    ctx.update(oid, options=tuple(sorted(options.items(), key=lambda kv: kv[0])))
