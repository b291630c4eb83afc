"""Stable identities of schema objects.

Every object in a :class:`~pgdrift.Schema` has an :class:`ObjectId` that matches it with its
counterpart in another schema. The identity holds only what PostgreSQL itself uses to tell
objects apart: the kind, the schema, the name, the parent (for objects whose names are unique per
table, such as columns, constraints, triggers, policies and rules) and, for routines, the input
argument types, so overloads are distinct objects.
"""

from __future__ import annotations

import attrs

__all__ = [
    "ACCESS_METHOD", "AGGREGATE", "ALL_KINDS", "BASE_TYPE", "CAST", "COLLATION", "COLUMN",
    "COMPOSITE_TYPE", "CONSTRAINT", "CONVERSION", "DATABASE", "DEFAULT_PRIVILEGES", "DOMAIN",
    "ENUM", "EVENT_TRIGGER", "EXTENSION", "FOREIGN_DATA_WRAPPER", "FOREIGN_TABLE", "FUNCTION",
    "INDEX", "LANGUAGE", "MATERIALIZED_VIEW", "OPERATOR", "OPERATOR_CLASS", "OPERATOR_FAMILY",
    "POLICY", "PROCEDURE", "PUBLICATION", "RANGE_TYPE", "RELATION_KINDS", "ROLE", "ROUTINE_KINDS",
    "RULE", "SCHEMA", "SEQUENCE", "SERVER", "STATISTICS", "SUBSCRIPTION", "TABLE", "TABLESPACE",
    "TABLE_PART_ORDER",
    "TEXT_SEARCH_CONFIGURATION", "TEXT_SEARCH_DICTIONARY", "TEXT_SEARCH_PARSER",
    "TEXT_SEARCH_TEMPLATE", "TRANSFORM", "TRIGGER", "TYPE_KINDS", "UNSUPPORTED", "USER_MAPPING",
    "VIEW", "ObjectId"
]  # fmt: skip

# Object kinds. Plain strings keep ids cheap to build and readable in JSON.
SCHEMA = "schema"
EXTENSION = "extension"
COLLATION = "collation"
CAST = "cast"
TABLE = "table"
FOREIGN_TABLE = "foreign_table"
COLUMN = "column"
CONSTRAINT = "constraint"
INDEX = "index"
SEQUENCE = "sequence"
VIEW = "view"
MATERIALIZED_VIEW = "materialized_view"
RULE = "rule"
FUNCTION = "function"
PROCEDURE = "procedure"
AGGREGATE = "aggregate"
TRIGGER = "trigger"
EVENT_TRIGGER = "event_trigger"
ENUM = "enum"
DOMAIN = "domain"
COMPOSITE_TYPE = "composite_type"
RANGE_TYPE = "range_type"
BASE_TYPE = "base_type"
POLICY = "policy"
PUBLICATION = "publication"
SUBSCRIPTION = "subscription"
FOREIGN_DATA_WRAPPER = "foreign_data_wrapper"
SERVER = "server"
USER_MAPPING = "user_mapping"
TEXT_SEARCH_CONFIGURATION = "text_search_configuration"
TEXT_SEARCH_DICTIONARY = "text_search_dictionary"
TEXT_SEARCH_PARSER = "text_search_parser"
TEXT_SEARCH_TEMPLATE = "text_search_template"
STATISTICS = "statistics"
OPERATOR = "operator"
OPERATOR_CLASS = "operator_class"
OPERATOR_FAMILY = "operator_family"
CONVERSION = "conversion"
LANGUAGE = "language"
ACCESS_METHOD = "access_method"
TRANSFORM = "transform"
DEFAULT_PRIVILEGES = "default_privileges"
ROLE = "role"
DATABASE = "database"
TABLESPACE = "tablespace"
UNSUPPORTED = "unsupported"

#: Kinds whose objects share PostgreSQL's relation namespace (pg_class) within a schema.
RELATION_KINDS = frozenset({TABLE, FOREIGN_TABLE, VIEW, MATERIALIZED_VIEW, SEQUENCE, INDEX})
#: Kinds that are types (pg_type) and so share the type namespace with relations' row types.
TYPE_KINDS = frozenset({ENUM, DOMAIN, COMPOSITE_TYPE, RANGE_TYPE, BASE_TYPE})
#: Kinds keyed by argument types.
ROUTINE_KINDS = frozenset({FUNCTION, PROCEDURE, AGGREGATE})
#: The kinds that belong to a table, in the order reports list them under its name: the table,
#: then its parts.
TABLE_PART_ORDER = (TABLE, FOREIGN_TABLE, COLUMN, CONSTRAINT, INDEX, TRIGGER, RULE, POLICY,
                    STATISTICS)  # fmt: skip

#: Every kind, in the order pg_dump writes them.
ALL_KINDS = (
    SCHEMA, EXTENSION, COLLATION, CAST, TABLE, FOREIGN_TABLE, COLUMN, CONSTRAINT, INDEX,
    SEQUENCE, VIEW, MATERIALIZED_VIEW, RULE, FUNCTION, PROCEDURE, AGGREGATE, TRIGGER,
    EVENT_TRIGGER, ENUM, DOMAIN, COMPOSITE_TYPE, RANGE_TYPE, BASE_TYPE, POLICY, PUBLICATION,
    SUBSCRIPTION, FOREIGN_DATA_WRAPPER, SERVER, USER_MAPPING, TEXT_SEARCH_CONFIGURATION,
    TEXT_SEARCH_DICTIONARY, TEXT_SEARCH_PARSER, TEXT_SEARCH_TEMPLATE, STATISTICS, OPERATOR,
    OPERATOR_CLASS, OPERATOR_FAMILY, CONVERSION, LANGUAGE, ACCESS_METHOD, TRANSFORM,
    DEFAULT_PRIVILEGES, ROLE, DATABASE, TABLESPACE, UNSUPPORTED,
)  # fmt: skip


@attrs.frozen(init=False)
class ObjectId:
    """The identity of one schema object.

    ``str(oid)`` is stable and readable: ``table:public.users``, ``column:public.users.id``,
    ``function:public.generate_referral_code(uuid)``.

    Example:
        >>> str(ObjectId(FUNCTION, "public", "f", args=("uuid", "text")))
        'function:public.f(uuid, text)'
    """

    kind: str
    schema: str | None
    name: str
    parent: str | None = None
    args: tuple[str, ...] | None = None

    def __init__(
        self,
        kind: str,
        schema: str | None,
        name: str,
        parent: str | None = None,
        args: tuple[str, ...] | None = None,
    ) -> None:
        # The slots set directly: attrs' frozen __init__ goes through object.__setattr__ for
        # each field, and a load makes about 140,000 ids.
        _SET_KIND(self, kind)
        _SET_SCHEMA(self, schema)
        _SET_NAME(self, name)
        _SET_PARENT(self, parent)
        _SET_ARGS(self, args)

    @property
    def qualified_name(self) -> str:
        """``schema.parent.name(args)`` without the kind, as people write it."""
        parts = [p for p in (self.schema, self.parent, self.name) if p is not None]
        text = ".".join(parts)
        if self.args is not None:
            text += "(" + ", ".join(self.args) + ")"
        return text

    def __str__(self) -> str:
        return f"{self.kind}:{self.qualified_name}"

    def sort_key(self) -> tuple[str, str, str, str, tuple[str, ...]]:
        """A total order (the dataclass order would compare None with str)."""
        return (self.kind, self.schema or "", self.parent or "", self.name, self.args or ())

    @classmethod
    def parse(cls, text: str) -> ObjectId:
        """Inverse of ``str()`` for ids without dots or parentheses inside names.

        Example:
            >>> ObjectId.parse("column:public.users.id")
            ObjectId(kind='column', schema='public', name='id', parent='users', args=None)
        """
        kind, _, rest = text.partition(":")
        args: tuple[str, ...] | None = None
        if rest.endswith(")") and "(" in rest:
            rest, _, arglist = rest[:-1].partition("(")
            args = tuple(a.strip() for a in arglist.split(",") if a.strip())
        parts = rest.split(".")
        if kind in _SCHEMALESS_KINDS:
            return cls(kind, None, rest, args=args)
        if len(parts) == 3:
            return cls(kind, parts[0], parts[2], parent=parts[1], args=args)
        if len(parts) == 2:
            return cls(kind, parts[0], parts[1], args=args)
        return cls(kind, None, rest, args=args)


# The slots' setters, in field order (a slot is a member descriptor of the class).
_SET_KIND, _SET_SCHEMA, _SET_NAME, _SET_PARENT, _SET_ARGS = (
    vars(ObjectId)[field.name].__set__ for field in attrs.fields(ObjectId)
)

_SCHEMALESS_KINDS = frozenset(
    {SCHEMA, EXTENSION, CAST, EVENT_TRIGGER, PUBLICATION, SUBSCRIPTION, FOREIGN_DATA_WRAPPER,
     SERVER, USER_MAPPING, LANGUAGE, ACCESS_METHOD, TRANSFORM, DEFAULT_PRIVILEGES, ROLE,
     DATABASE, TABLESPACE}
)  # fmt: skip
