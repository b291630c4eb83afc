"""Collations (``CREATE COLLATION``, a ``DefineStmt``), with ``FROM`` copies resolved."""

from __future__ import annotations

from typing import Any

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, const_value
from pgdrift.builder.registry import NotModelled
from pgdrift.builder.types import option_word
from pgdrift.ids import ObjectId


def build_collation(ctx: BuildContext, node: Node) -> None:
    """CREATE COLLATION (a ``DefineStmt``), settings written the way pg_dump 15 prints them."""
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
            raise NotModelled(f"CREATE COLLATION option {key} is not modelled")
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
