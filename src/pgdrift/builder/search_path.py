"""Unqualified references in dumps made before pg_dump emptied the search_path.

pg_dump 10.2 and older wrote ``SET search_path = public, pg_catalog;`` before each schema's
objects and left names visible on that path unqualified, in expressions too: a default of
``nextval('people_id_seq'::regclass)``, a cast to ``mood``, a view ``FROM people``. pg_dump 10.3
and later (CVE-2018-1058) empty the search_path and qualify every user object, so the same schema
reads ``public.people_id_seq``, ``public.mood`` and ``public.people``. Qualifying the old forms
as PostgreSQL resolved them (the first schema on the path that has the object, "The Schema
Search Path") makes both dumps compare equal. Names that resolve to nothing defined in the dump
(built-ins, pg_catalog) are left as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from pgdrift import ids
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, put_field
from pgdrift.builder.serial import serial_type
from pgdrift.ids import ObjectId
from pgdrift.pg.extensions import EXTENSION_DICTIONARIES, provides_function, provides_opclass
from pgdrift.pg.operators import BUILTIN_OPERATOR_NAMES
from pgdrift.pg.quoting import quote_ident, quote_qualified, split_qualified_name

_RELATION_KINDS = (ids.TABLE, ids.VIEW, ids.MATERIALIZED_VIEW, ids.SEQUENCE, ids.FOREIGN_TABLE)
# A relation name as regclass input reads it: unquoted (folded to lower case) or quoted.
_SIMPLE_NAME = re.compile(r'([A-Za-z_][A-Za-z0-9_$]*)|"((?:[^"]|"")+)"')
# The reg* types whose output qualifies a name not visible on the search_path (pg_dump's is
# empty, so anything outside pg_catalog), with the kinds of object each names.
REG_KINDS: dict[str, tuple[str, ...]] = {
    "regclass": _RELATION_KINDS,
    "regconfig": (ids.TEXT_SEARCH_CONFIGURATION,),
    "regdictionary": (ids.TEXT_SEARCH_DICTIONARY,),
}
_COLLATIONS = (ids.COLLATION,)
# The A_Expr kinds that name an operator as written (a = ANY (...) too).
_OPERATOR_KINDS = frozenset({"AEXPR_OP", "AEXPR_OP_ANY", "AEXPR_OP_ALL"})
# The keys of the nodes qualify_references looks at (RangeVar, TypeName, FuncCall, TypeCast).
# CollateClause and the collation of an IndexElem / PartitionElem name a collation.
_NAMING_KEYS = frozenset({"relname", "names", "funcname", "typeName", "collname", "collation",
                          "opclass"})  # fmt: skip
_NOTED_KEYS = _NAMING_KEYS | {"ctename", "A_Expr", "defname"}


@attrs.define
class RoutineNames:
    """``(schema, name)`` of every routine defined so far, kept up to date incrementally
    (routines are keyed by their argument types, so a name alone cannot be looked up)."""

    names: set[tuple[str | None, str]] = attrs.Factory(set)
    seen: int = 0
    #: The objects' Catalogue.moves when last read: a rename, SET SCHEMA or DROP since then
    #: changed keys before ``seen``, and every name is read again.
    moves: int = 0

    #: id() of the catalogue read (another one is read from the start).
    source: int = 0

    def update(self, objects: dict[ObjectId, Any]) -> None:
        moves = getattr(objects, "moves", 0)
        if moves != self.moves or id(objects) != self.source:
            self.names.clear()
            self.seen, self.moves, self.source = 0, moves, id(objects)
        new = len(objects) - self.seen
        if new <= 0:
            return
        for oid in _last(objects, new):
            if oid.kind in ids.ROUTINE_KINDS:
                self.names.add((oid.schema, oid.name))
        self.seen = len(objects)


def _last(objects: dict[ObjectId, Any], count: int) -> Iterator[ObjectId]:
    for index, oid in enumerate(reversed(objects)):
        if index >= count:
            return
        yield oid


def qualify_references(ctx: BuildContext, node: Node, routines: RoutineNames) -> None:
    """Qualify, in place, the unqualified relation, type, function, collation and regclass
    references of a statement's parse tree that resolve to an object the dump defines."""
    # Built-ins are not in the dump: only the user schemas of the path can resolve a name.
    path = [s for s in ctx.search_path if s and s not in ("$user", "pg_catalog")]
    if not path:
        return
    ctes: set[str] = set()
    nodes: list[dict[str, Any]] = []
    operators: list[dict[str, Any]] = []
    stack: list[Any] = [node]
    pop, extend, plain = stack.pop, stack.extend, _NOTED_KEYS.isdisjoint
    # Every statement of a script passes here: only nodes that name something are kept. A
    # dict's values are pushed whole and the strings and numbers among them dropped when
    # popped, cheaper than filtering them out first; most dicts have none of the keys looked at.
    while stack:
        value = pop()
        kind = type(value)
        if kind is dict:
            if not plain(value):
                if "ctename" in value:
                    ctes.add(value["ctename"])
                if not _NAMING_KEYS.isdisjoint(value):
                    nodes.append(value)
                if "A_Expr" in value:
                    operators.append(value["A_Expr"])
                if "defname" in value and "TypeName" in (value.get("arg") or {}):
                    # An option's bare word (provider = icu) parses as a type name: not one.
                    extend([v for k, v in value.items() if k != "arg"])
                    continue
            extend(value.values())
        elif kind is list:
            extend(value)
    routines.update(ctx.objects)
    for body in nodes:
        if "relname" in body and "relpersistence" in body:
            if not body.get("schemaname") and body["relname"] not in ctes:
                schema = _find(ctx, path, body["relname"], _RELATION_KINDS)
                if schema is not None:
                    put_field(body, "RangeVar", "schemaname", schema)
        elif "names" in body and "typemod" in body and not body.get("pct_type"):
            _qualify_type(ctx, body)
        elif "funcname" in body and "funcformat" in body:
            # A range type's constructor is a function of the type's name (CREATE TYPE); an
            # extension's function is in the schema the extension was installed in.
            _qualify_name_list(body, "funcname", path, lambda s, n: (s, n) in routines.names
                               or ObjectId(ids.RANGE_TYPE, s, n) in ctx.objects
                               or _extension_has(ctx, s, n, provides_function))  # fmt: skip
        elif "typeName" in body and "arg" in body:
            _qualify_regclass(ctx, body, path)
        if isinstance(body.get("opclass"), list):
            # An IndexElem's operator class: an extension's is in the extension's schema.
            _qualify_name_list(
                body, "opclass", path, lambda s, n: _extension_has(ctx, s, n, provides_opclass)
            )
        if "collname" in body or isinstance(body.get("collation"), list):
            # pg_catalog comes first on every path: a built-in collation stays as written.
            field = "collname" if "collname" in body else "collation"
            _qualify_name_list(body, field, path, lambda s, n: _has(ctx, s, n, _COLLATIONS))
    for expr in operators:
        _qualify_operator(ctx, expr, path)


def _qualify_operator(ctx: BuildContext, expr: Node, path: list[str]) -> None:
    """An operator written bare: the schema of the user operators of its name visible on the
    path, when they are all in one schema (pg_dump, with an empty search_path, prints
    ``OPERATOR(s.>>>)``); left as written when a built-in of the name may be the one."""
    names = expr.get("name") or []
    if expr.get("kind") not in _OPERATOR_KINDS or len(names) != 1 or "String" not in names[0]:
        return
    name = names[0]["String"]["sval"]
    if name in BUILTIN_OPERATOR_NAMES:
        return  # pg_catalog is searched first, and its operators are not in the catalogue
    schema = visible_operator_schema(ctx, path, name, prefix=expr.get("lexpr") is None)
    if schema is not None:
        expr["name"] = [{"String": {"sval": schema}}, names[0]]


def visible_operator_schema(
    ctx: BuildContext, path: list[str], name: str, *, prefix: bool
) -> str | None:
    """The one schema of ``path`` holding every visible user operator called ``name`` (prefix
    or infix); None when there is none, or they are in several schemas (operator resolution
    would choose by the operand types). An operator with the same operand types as one in an
    earlier schema of the path is hidden by it (OpernameGetCandidates)."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for oid in ctx.objects.of_kind(ids.OPERATOR):
        args = oid.args or ("", "")
        if oid.name == name and oid.schema in path and (args[0] == "NONE") == prefix:
            found.setdefault(oid.schema or "", []).append(args)
    seen: set[tuple[str, ...]] = set()
    schemas: set[str] = set()
    for schema in path:
        for args in found.get(schema, ()):
            if args not in seen:
                seen.add(args)
                schemas.add(schema)
    return schemas.pop() if len(schemas) == 1 else None


def _extension_has(
    ctx: BuildContext, schema: str, name: str, provides: Callable[[str, str], bool]
) -> bool:
    """Whether an extension installed in ``schema`` provides ``name`` (a function or an
    operator class, as ``provides`` tells)."""
    return any(
        provides(oid.name, name)
        and getattr(ctx.objects[oid], "in_schema", None) == schema
        for oid in ctx.objects.of_kind(ids.EXTENSION)
    )


def _qualify_type(ctx: BuildContext, body: Node) -> None:
    """A type name as column types are read (BuildContext.type): a user type on the path, or
    else one assumed in the creation schema (an extension's, which the dump does not define)."""
    names = body.get("names") or []
    if len(names) != 1 or "String" not in names[0] or serial_type(body) is not None:
        return  # serial is shorthand the table builder expands, not a type to look up
    try:
        ref = ctx.type(body)
    except ValueError:
        return
    if ref.schema is not None and ref.schema != "pg_catalog":
        body["names"] = [{"String": {"sval": ref.schema}}, names[0]]


def _qualify_name_list(body: Node, field: str, path: list[str], exists: Any) -> None:
    names = body.get(field) or []
    if len(names) != 1 or "String" not in names[0]:
        return
    name = names[0]["String"]["sval"]
    for schema in path:
        if exists(schema, name):
            body[field] = [{"String": {"sval": schema}}, names[0]]
            return


def _qualify_regclass(ctx: BuildContext, body: Node, path: list[str]) -> None:
    type_names = [n["String"]["sval"] for n in body["typeName"].get("names", ()) if "String" in n]
    kinds = REG_KINDS.get(type_names[-1]) if type_names else None
    if kinds is None or type_names[:-1] not in ([], ["pg_catalog"]):
        return
    literal = body["arg"].get("A_Const", {}).get("sval")
    if not isinstance(literal, dict):
        return
    match = _SIMPLE_NAME.fullmatch(literal.get("sval", ""))
    if match is None:
        return
    name = match[1].lower() if match[1] else match[2].replace('""', '"')
    schema = _find(ctx, path, name, kinds)
    if schema is not None:
        # As regclass output writes it, quote_identifier() on each part, so the expression
        # equals the one pg_dump 10.3 and later prints for the same default.
        literal["sval"] = quote_qualified(schema, name)


def reg_output(ctx: BuildContext, text: str, kinds: tuple[str, ...]) -> str:
    """A relation (or text search configuration...) name as regclass (regconfig...) output
    writes it: qualified (pg_dump's search_path is empty) once resolved along the search_path;
    as written if it resolves to nothing (a built-in, in pg_catalog)."""
    found = resolve_relation(ctx, text, kinds)
    if found is not None and found[0] == "pg_catalog":
        return quote_ident(found[1])  # always on the search_path: printed bare
    return text if found is None else quote_qualified(*found)


def resolve_relation(
    ctx: BuildContext, text: str, kinds: tuple[str, ...] = _RELATION_KINDS
) -> tuple[str, str] | None:
    """``(schema, name)`` of a relation (or another of ``kinds``) named as regclass input
    reads it (``'seq'``, ``'"Seq"'``, ``'app.seq'``): a bare name along the search_path; None
    if it resolves to nothing defined so far."""
    parts = split_qualified_name(text, fold_case=True)
    if parts is None or len(parts) > 2:
        return None
    if len(parts) == 2:
        return parts[0], parts[1]
    path = [s for s in ctx.search_path if s and s not in ("$user", "pg_catalog")]
    schema = _find(ctx, path, parts[0], kinds)
    if schema is None and ids.SEQUENCE in kinds and ctx.pending_sequences.get(parts[0]) in path:
        schema = ctx.pending_sequences[parts[0]]
    return None if schema is None else (schema, parts[0])


def _find(ctx: BuildContext, path: list[str], name: str, kinds: tuple[str, ...]) -> str | None:
    for schema in path:
        if _has(ctx, schema, name, kinds):
            return schema
    return None


def _has(ctx: BuildContext, schema: str, name: str, kinds: tuple[str, ...]) -> bool:
    if any(ObjectId(kind, schema, name) in ctx.objects for kind in kinds):
        return True
    # A text search dictionary a shipped extension installed there (unaccent's unaccent).
    return ids.TEXT_SEARCH_DICTIONARY in kinds and any(
        name in EXTENSION_DICTIONARIES.get(oid.name, ())
        and getattr(ctx.objects[oid], "in_schema", None) == schema
        for oid in ctx.objects.of_kind(ids.EXTENSION)
    )
