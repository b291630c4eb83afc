"""The operator class of an index key, exclusion element or partition key as PostgreSQL prints it.

pg_get_indexdef and pg_get_partkeydef (ruleutils.c, get_opclass_name) leave out the class
GetDefaultOpClass picks for the key's type and the access method, however it was written
(``(name text_ops)``, ``USING gin (tags array_ops)``), unless the class has parameters
(``tsvector_ops (siglen = 32)`` is always printed). The default classes are in
:mod:`pgdrift.pg.opclasses`; here the key's type is what pgdrift knows of it offline: a built-in
type, an array, or an enum, range, multirange or composite type of the schema, a domain by its
base type. A key of a type pgdrift cannot tell keeps the class as written.

The shipped extensions of PostgreSQL 15 (btree_gin, btree_gist, intarray, bloom, ltree...) add
default classes only where the built-in ones have none for the type, or on their own types, so
they never change a class found in :mod:`pgdrift.pg.opclasses`; those defaults
(``pgdrift.pg.extensions.EXTENSION_DEFAULT_OPCLASSES``) apply when the extension is installed.
"""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.domains import base_type
from pgdrift.builder.stored_exprs import from_source
from pgdrift.ids import ObjectId
from pgdrift.pg.extensions import EXTENSION_DEFAULT_OPCLASSES
from pgdrift.pg.opclasses import KeyType, default_opclass, is_default_opclass, type_info
from pgdrift.types import TypeRef

__all__ = ["key_opclass", "key_type", "range_subtype_opclass"]

_ARRAY = KeyType(None, "A", "A")
# A type of the schema's own, by its kind: what IsBinaryCoercible asks of it, and its category.
_OWN_KINDS = (
    (ids.ENUM, KeyType(None, "e", "E")),
    (ids.RANGE_TYPE, KeyType(None, "r", "R")),
    (ids.COMPOSITE_TYPE, KeyType(None, "c", "C")),
    (ids.TABLE, KeyType(None, "c", "C")),
    (ids.VIEW, KeyType(None, "c", "C")),
    (ids.MATERIALIZED_VIEW, KeyType(None, "c", "C")),
    (ids.FOREIGN_TABLE, KeyType(None, "c", "C")),
)
_MULTIRANGE = KeyType(None, "m", "R")


def key_type(ctx: BuildContext, ref: TypeRef) -> KeyType | None:
    """What GetDefaultOpClass looks at for a key of type ``ref`` (a domain's base type), or
    None when pgdrift cannot tell (a base type of an extension or of CREATE TYPE)."""
    ref = base_type(ctx, ref)
    if ref.pct_type or ref.setof:
        return None
    if ref.array_dims:
        element = ref.element
        found = type_info("_" + element.catalog_names()[1]) if element.is_builtin else None
        return found or _ARRAY
    if ref.is_builtin:
        return type_info(ref.catalog_names()[1])
    if ref.schema is None:
        return None
    for kind, key in _OWN_KINDS:
        if ObjectId(kind, ref.schema, ref.name) in ctx.objects:
            return key
    multirange = f"{ref.schema}.{ref.name}"
    for oid in ctx.objects.of_kind(ids.RANGE_TYPE):
        options = dict(getattr(ctx.objects[oid], "options", ()))
        if options.get("multirange_type_name") == multirange:
            return _MULTIRANGE
    return None


def _user_class(ctx: BuildContext, method: str, name: str) -> bool:
    """Whether the schema has an operator class of ``method`` that may be the one meant, or
    the default: one named ``name``, or any marked DEFAULT (pgdrift does not follow those)."""
    for oid in ctx.objects.of_kind(ids.OPERATOR_CLASS):
        if oid.args != (method,):
            continue
        obj = ctx.objects[oid]
        tree = obj.definition.tree if isinstance(obj, model.DefinedObject) else None
        if oid.name == name or (tree is not None and dict(tree[1]).get("isDefault")):
            return True
    return False


def key_opclass(
    ctx: BuildContext,
    written: str | None,
    method: str,
    key: TypeRef | None,
    *,
    has_options: bool = False,
) -> str | None:
    """The operator class ``written`` for a key of type ``key`` (None: not known) in an index
    of ``method``, or None when PostgreSQL stores the default class, which it does not print."""
    if written is None or has_options or key is None or not from_source(ctx):
        return written
    if _extension_default(ctx, written, method, key):
        return None
    if "." in written or _user_class(ctx, method, written):
        return written  # a class outside pg_catalog (qualified_text drops that prefix)
    found = key_type(ctx, key)
    if found is None:
        return written
    # ruleutils.c get_opclass_name: the default class for the key's type is not printed.
    return None if default_opclass(method, found) == written else written


def _extension_default(ctx: BuildContext, written: str, method: str, key: TypeRef) -> bool:
    """Whether ``written`` is the class an installed extension marks DEFAULT for the key's
    type and ``method`` (hstore's gist_hstore_ops, btree_gist's gist_int4_ops), which
    GetDefaultOpClass picks: pg_dump does not print it."""
    ref = base_type(ctx, key)
    if ref.pct_type or ref.setof:
        return False
    *schema, name = written.split(".")
    for oid in ctx.objects.of_kind(ids.EXTENSION):
        extension = ctx.objects[oid]
        home = getattr(extension, "in_schema", None)
        defaults = EXTENSION_DEFAULT_OPCLASSES.get(oid.name, {})
        if not defaults or (schema and schema[0] != home):
            continue
        if ref.array_dims:
            type_name = "_" + ref.element.catalog_names()[1] if ref.element.is_builtin else None
        elif ref.is_builtin:
            type_name = ref.catalog_names()[1]
        elif ObjectId(ids.ENUM, ref.schema, ref.name) in ctx.objects:
            type_name = "anyenum"
        else:
            type_name = ref.name if ref.schema == home else None
        if type_name is not None and defaults.get((method, type_name)) == name:
            return True
    return False


def range_subtype_opclass(ctx: BuildContext, written: str | None) -> str | None:
    """A range type's ``subtype_opclass``, or None when pg_dump leaves it out: dumpRangeType
    prints it only when the class is not marked default (opcdefault); PostgreSQL has checked
    that it accepts the subtype."""
    if written is None or not from_source(ctx) or "." in written:
        return written
    if _user_class(ctx, "btree", written):
        return written
    return None if is_default_opclass("btree", written) else written
