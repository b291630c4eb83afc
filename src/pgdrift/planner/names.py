"""How a statement names an object: ``TABLE public.users``, ``FUNCTION public.f(integer)``,
``TRIGGER t ON public.users``... for DROP, ALTER, COMMENT ON, GRANT and SECURITY LABEL."""

from __future__ import annotations

from pgdrift import ids, model
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident, quote_qualified

#: The SQL words for each kind in ``DROP <words> ...`` and ``COMMENT ON <words> ...``.
KIND_WORDS = {
    ids.SCHEMA: "SCHEMA", ids.EXTENSION: "EXTENSION", ids.COLLATION: "COLLATION",
    ids.CAST: "CAST", ids.TABLE: "TABLE", ids.FOREIGN_TABLE: "FOREIGN TABLE",
    ids.COLUMN: "COLUMN", ids.CONSTRAINT: "CONSTRAINT", ids.INDEX: "INDEX",
    ids.SEQUENCE: "SEQUENCE", ids.VIEW: "VIEW", ids.MATERIALIZED_VIEW: "MATERIALIZED VIEW",
    ids.RULE: "RULE", ids.FUNCTION: "FUNCTION", ids.PROCEDURE: "PROCEDURE",
    ids.AGGREGATE: "AGGREGATE", ids.TRIGGER: "TRIGGER", ids.EVENT_TRIGGER: "EVENT TRIGGER",
    ids.ENUM: "TYPE", ids.DOMAIN: "DOMAIN", ids.COMPOSITE_TYPE: "TYPE", ids.RANGE_TYPE: "TYPE",
    ids.BASE_TYPE: "TYPE", ids.POLICY: "POLICY", ids.PUBLICATION: "PUBLICATION",
    ids.SUBSCRIPTION: "SUBSCRIPTION", ids.FOREIGN_DATA_WRAPPER: "FOREIGN DATA WRAPPER",
    ids.SERVER: "SERVER", ids.USER_MAPPING: "USER MAPPING",
    ids.TEXT_SEARCH_CONFIGURATION: "TEXT SEARCH CONFIGURATION",
    ids.TEXT_SEARCH_DICTIONARY: "TEXT SEARCH DICTIONARY",
    ids.TEXT_SEARCH_PARSER: "TEXT SEARCH PARSER",
    ids.TEXT_SEARCH_TEMPLATE: "TEXT SEARCH TEMPLATE", ids.STATISTICS: "STATISTICS",
    ids.OPERATOR: "OPERATOR", ids.OPERATOR_CLASS: "OPERATOR CLASS",
    ids.OPERATOR_FAMILY: "OPERATOR FAMILY", ids.CONVERSION: "CONVERSION",
    ids.LANGUAGE: "LANGUAGE", ids.ACCESS_METHOD: "ACCESS METHOD", ids.TRANSFORM: "TRANSFORM",
    ids.ROLE: "ROLE", ids.DATABASE: "DATABASE", ids.TABLESPACE: "TABLESPACE",
}  # fmt: skip

#: Kinds ``GRANT ... ON <words>`` names differently from ``COMMENT ON``: every relation is a
#: TABLE there, and enums, composite and range types are TYPEs (docs: GRANT).
GRANT_WORDS = {
    **KIND_WORDS,
    ids.VIEW: "TABLE", ids.MATERIALIZED_VIEW: "TABLE", ids.FOREIGN_TABLE: "TABLE",
    ids.AGGREGATE: "FUNCTION", ids.SERVER: "FOREIGN SERVER",
}  # fmt: skip

#: Kinds whose ``ALTER <words> ... OWNER TO`` differs from their DROP words.
_OWNER_WORDS = {ids.ENUM: "TYPE", ids.COMPOSITE_TYPE: "TYPE", ids.RANGE_TYPE: "TYPE",
                ids.BASE_TYPE: "TYPE"}  # fmt: skip


def relation(oid: ObjectId) -> str:
    """``schema.name`` of a relation, type or other schema-qualified object."""
    return quote_qualified(oid.schema, oid.name)


def parent_relation(oid: ObjectId) -> str:
    """The table a column, constraint, trigger, policy or rule belongs to."""
    return quote_qualified(oid.schema, oid.parent or "")


def signature(oid: ObjectId, obj: model.DbObject | None = None) -> str:
    """``schema.name(argtypes)`` of a routine, as DROP, ALTER and COMMENT name it.

    A procedure's OUT arguments are part of its identity since PostgreSQL 14, but an argument
    written without a mode is taken as IN (docs: DROP PROCEDURE): so modes are spelt out.
    """
    name = quote_qualified(oid.schema, oid.name)
    if oid.kind == ids.AGGREGATE:
        return name + _aggregate_args(oid, obj)
    if oid.kind == ids.PROCEDURE and isinstance(obj, model.Function):
        parts = [f"{a.mode.upper()} {a.type}" for a in obj.arguments if a.mode != "table"]
        return f"{name}({', '.join(parts)})"
    return f"{name}({', '.join(oid.args or ())})"


def _aggregate_args(oid: ObjectId, obj: model.DbObject | None) -> str:
    if isinstance(obj, model.Aggregate) and obj.aggregate_kind != "normal":
        direct = ", ".join(str(a.type) for a in obj.direct_arguments)
        aggregated = ", ".join(str(a.type) for a in obj.arguments)
        return f"({direct} ORDER BY {aggregated})"
    args = oid.args or ()
    if args == ("*",):
        return "(*)"
    return f"({', '.join(args)})"


def target(oid: ObjectId, obj: model.DbObject | None = None) -> str:
    """The object as ``COMMENT ON`` and ``DROP`` name it, kind words included.

    >>> target(ObjectId(ids.TRIGGER, "public", "audit", parent="users"))
    'TRIGGER audit ON public.users'
    """
    kind = oid.kind
    words = KIND_WORDS.get(kind, kind.upper())
    return f"{words} {name_of(oid, obj)}"


def name_of(oid: ObjectId, obj: model.DbObject | None = None) -> str:
    """The object's name as statements about it write it, without the kind words."""
    kind = oid.kind
    if kind in ids.ROUTINE_KINDS:
        return signature(oid, obj)
    if kind in (ids.TRIGGER, ids.POLICY, ids.RULE):
        return f"{quote_ident(oid.name)} ON {parent_relation(oid)}"
    if kind == ids.CONSTRAINT:
        table = getattr(obj, "table", None)
        on = relation(table) if isinstance(table, ObjectId) else parent_relation(oid)
        return f"{quote_ident(oid.name)} ON {on}"
    if kind == ids.COLUMN:
        return f"{parent_relation(oid)}.{quote_ident(oid.name)}"
    if kind == ids.CAST and isinstance(obj, model.Cast):
        return f"({obj.source} AS {obj.target})"
    if kind == ids.CAST:
        return f"({oid.name})"
    if kind == ids.OPERATOR:
        left, right = oid.args or ("NONE", "NONE")
        return f"{_operator_name(oid)} ({left}, {right})"
    if kind in (ids.OPERATOR_CLASS, ids.OPERATOR_FAMILY):
        method = (oid.args or ("btree",))[0]
        return f"{relation(oid)} USING {quote_ident(method)}"
    if kind == ids.USER_MAPPING and isinstance(obj, model.UserMapping):
        return f"FOR {_mapping_user(obj.user)} SERVER {quote_ident(obj.server)}"
    if kind == ids.TRANSFORM:
        type_text, _, language = oid.name.partition(" LANGUAGE ")
        return f"FOR {type_text} LANGUAGE {quote_ident(language)}"
    if oid.schema is None:
        return quote_ident(oid.name)
    return relation(oid)


def _operator_name(oid: ObjectId) -> str:
    # Operator names are symbols, never quoted; a schema makes them OPERATOR(schema.op) only
    # in expressions, while DROP/ALTER/COMMENT take schema.op as is (docs: DROP OPERATOR).
    if oid.schema is None:
        return oid.name
    return f"{quote_ident(oid.schema)}.{oid.name}"


def _mapping_user(user: str) -> str:
    if user.lower() == "public":
        return "PUBLIC"
    return quote_ident(user)


def owner_words(kind: str) -> str:
    """The words that name a kind in ``ALTER <words> name``: ``TYPE`` for every type but a
    domain (``DOMAIN``), ``TABLE``, ``MATERIALIZED VIEW``..."""
    return _OWNER_WORDS.get(kind, KIND_WORDS.get(kind, kind.upper()))


def owner_target(oid: ObjectId, obj: model.DbObject | None = None) -> str:
    """What ``ALTER <this> OWNER TO`` needs: ``TABLE public.t``, ``TYPE public.mood``..."""
    return f"{owner_words(oid.kind)} {name_of(oid, obj)}"


def grant_target(oid: ObjectId, obj: model.DbObject | None = None) -> str:
    """What ``GRANT ... ON <this>`` needs (``TABLE public.v`` for a view)."""
    words = GRANT_WORDS.get(oid.kind, oid.kind.upper())
    if oid.kind in (ids.ENUM, ids.COMPOSITE_TYPE, ids.RANGE_TYPE, ids.BASE_TYPE):
        words = "TYPE"
    if oid.kind in ids.ROUTINE_KINDS and oid.kind != ids.PROCEDURE:
        # GRANT ... ON FUNCTION takes input argument types only, like ALTER FUNCTION.
        return f"{words} {signature(oid, obj)}"
    return f"{words} {name_of(oid, obj)}"


def set_aside(name: str) -> str:
    """The name an object being replaced is renamed to while what uses it moves over to its
    replacement (``mood`` -> ``mood__pgdrift_old``).

    >>> set_aside("mood")
    'mood__pgdrift_old'
    """
    # Identifiers are cut at 63 bytes (NAMEDATALEN - 1): keep the suffix whole.
    room = 63 - len(_SET_ASIDE_SUFFIX.encode())
    head = name.encode()[:room].decode("utf-8", "ignore")
    return head + _SET_ASIDE_SUFFIX


_SET_ASIDE_SUFFIX = "__pgdrift_old"
