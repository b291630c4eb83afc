"""The object model: one frozen attrs class per kind of thing pg_dump writes.

Each object carries its :class:`~pgdrift.ids.ObjectId` (``id``) and its source position
(``span``, ``toc``) outside equality: two objects are equal when their *definitions* are equal,
whatever they are called and wherever they were read. That is what the differ compares, and what
lets it recognise a renamed column by its unchanged definition.

Types are :class:`~pgdrift.types.TypeRef` (canonical names), expressions are
:class:`~pgdrift.expr.Expr` (parse trees with locations stripped): formatting never makes two
definitions differ. Owners, comments, privileges and security labels are attributes of the
object they belong to, so a changed grant is an alteration of that object.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload

import attrs

from pgdrift import ids
from pgdrift.pg.indexes import index_element
from pgdrift.pg.quoting import split_qualified_name

if TYPE_CHECKING:
    from pgdrift.expr import Expr
    from pgdrift.ids import ObjectId
    from pgdrift.source import SourceSpan, TocEntry
    from pgdrift.types import TypeRef

#: ``(name, value)`` pairs such as storage parameters or FDW options, sorted by name. Values
#: are kept as pg_dump printed them (text), ``None`` for a bare option.
Options = tuple[tuple[str, "str | None"], ...]


@attrs.frozen(order=True)
class Privilege:
    """One entry of an access control list: ``grantee`` holds ``privilege`` (``SELECT``...).

    ``grantee`` is a role name or ``PUBLIC``. ``grantable`` is WITH GRANT OPTION. ``grantor``
    is the role that granted it when that is not the object's owner (a grantee passing on a
    privilege it holds WITH GRANT OPTION), else "": an ACL keeps one entry per grantor, and
    only the grantor's REVOKE takes its entry away (docs: GRANT, REVOKE).
    """

    grantee: str
    privilege: str
    grantable: bool = False
    grantor: str = attrs.field(default="", metadata={"omit_default": True})


@attrs.frozen(order=True)
class SecurityLabel:
    provider: str | None
    label: str | None


@attrs.frozen(kw_only=True)
class DbObject:
    """Fields every object has. ``id``, ``span`` and ``toc`` do not take part in equality."""

    KIND: ClassVar[str] = ""

    id: ObjectId = attrs.field(eq=False)
    owner: str | None = None
    comment: str | None = None
    #: The effective access control list (PostgreSQL's defaults for the kind, with the dump's
    #: GRANT and REVOKE statements applied), sorted. Empty where the kind has no privileges.
    privileges: tuple[Privilege, ...] = ()
    security_labels: tuple[SecurityLabel, ...] = ()
    span: SourceSpan | None = attrs.field(default=None, eq=False, repr=False)
    toc: TocEntry | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def kind(self) -> str:
        return self.id.kind

    @property
    def name(self) -> str:
        return self.id.name

    @property
    def schema(self) -> str | None:
        return self.id.schema

    @property
    def qualified_name(self) -> str:
        return self.id.qualified_name


# --------------------------------------------------------------------------------------------
# Namespaces and cluster-level objects


@attrs.frozen(kw_only=True)
class Namespace(DbObject):
    """A schema (``CREATE SCHEMA``). Named Namespace to keep "Schema" for the whole dump."""

    KIND = ids.SCHEMA


@attrs.frozen(kw_only=True)
class Extension(DbObject):
    KIND = ids.EXTENSION

    #: Schema the extension's objects live in (``WITH SCHEMA``).
    in_schema: str | None = None
    #: pg_dump never prints the version; set only when a dump names one.
    version: str | None = None


@attrs.frozen(kw_only=True)
class Collation(DbObject):
    KIND = ids.COLLATION

    provider: str | None = None
    locale: str | None = None
    lc_collate: str | None = None
    lc_ctype: str | None = None
    deterministic: bool = True
    rules: str | None = None
    version: str | None = None
    #: ``CREATE COLLATION x FROM y``
    from_collation: str | None = None


@attrs.frozen(kw_only=True)
class Cast(DbObject):
    KIND = ids.CAST

    source: TypeRef
    target: TypeRef
    #: 'function', 'inout' or 'binary' (WITHOUT FUNCTION).
    method: str
    function: str | None = None
    #: 'explicit', 'assignment' or 'implicit'.
    context: str = "explicit"


@attrs.frozen(kw_only=True)
class Role(DbObject):
    """A role from ``pg_dumpall`` (``CREATE ROLE`` + ``ALTER ROLE ... WITH ...``)."""

    KIND = ids.ROLE

    superuser: bool = False
    createdb: bool = False
    createrole: bool = False
    inherit: bool = True
    login: bool = False
    replication: bool = False
    bypassrls: bool = False
    connection_limit: int = -1
    valid_until: str | None = None
    #: Password hashes are compared (a changed password is a change) but never displayed.
    password: str | None = attrs.field(default=None, repr=False)
    #: ``GRANT role TO this`` memberships: (role, admin option).
    member_of: tuple[tuple[str, bool], ...] = ()
    #: ``ALTER ROLE ... [IN DATABASE d] SET name = value``: (database or None, name, value).
    settings: tuple[tuple[str | None, str, str], ...] = ()


@attrs.frozen(kw_only=True)
class Database(DbObject):
    """A database from ``pg_dumpall`` (``CREATE DATABASE``)."""

    KIND = ids.DATABASE

    options: Options = ()
    settings: Options = ()


@attrs.frozen(kw_only=True)
class Tablespace(DbObject):
    KIND = ids.TABLESPACE

    location: str = ""
    options: Options = ()


# --------------------------------------------------------------------------------------------
# Tables and their parts


@attrs.frozen(kw_only=True)
class Identity:
    """``GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY`` and its implicit sequence."""

    always: bool
    sequence: ObjectId | None = None
    options: SequenceOptions | None = None


@attrs.frozen(kw_only=True)
class Column(DbObject):
    """A table, foreign-table or composite-type column. Its position is its place in the
    owning object's ``columns``; it is not part of equality, so reordering is reported
    separately from redefinition."""

    KIND = ids.COLUMN

    type: TypeRef
    not_null: bool = False
    default: Expr | None = None
    collation: str | None = None
    identity: Identity | None = None
    #: ``GENERATED ALWAYS AS (expr) STORED``
    generated: Expr | None = None
    #: ``plain``, ``external``, ``extended`` or ``main`` when set with ALTER COLUMN SET STORAGE.
    storage: str | None = None
    compression: str | None = None
    statistics: int | None = None
    #: Attribute options (``n_distinct`` ...).
    options: Options = ()
    #: Foreign-table column options.
    fdw_options: Options = ()
    #: Inherited from a parent table and not declared locally (a typed table's are local);
    #: pg_dump does not list such columns in the child's CREATE TABLE.
    inherited: bool = False


@attrs.frozen
class Columns(Mapping[str, Column]):
    """The ordered columns of a table: a mapping by name that iterates in table order.

    Example:
        >>> table.columns["id"].type  # doctest: +SKIP
    """

    #: The columns in table order (``attnum`` order).
    ordered: tuple[Column, ...] = ()
    _by_name: dict[str, Column] = attrs.field(init=False, eq=False, repr=False, hash=False)
    # A Column's equality leaves out its id, so the names take part here: without them a table
    # whose column was renamed would equal the original.
    _names: tuple[str, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {c.name: c for c in self.ordered})
        object.__setattr__(self, "_names", tuple(c.name for c in self.ordered))

    def __getitem__(self, name: str) -> Column:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return (c.name for c in self.ordered)

    def __len__(self) -> int:
        return len(self.ordered)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.ordered)

    def position(self, name: str) -> int:
        """1-based position of the column, as PostgreSQL's ``attnum`` counts visible ones."""
        for i, column in enumerate(self.ordered, 1):
            if column.name == name:
                return i
        raise KeyError(name)


@attrs.frozen(kw_only=True)
class PartitionKeyElement:
    column: str | None = None
    expression: Expr | None = None
    collation: str | None = None
    opclass: str | None = None


@attrs.frozen(kw_only=True)
class PartitionKey:
    """``PARTITION BY {RANGE | LIST | HASH} (...)``"""

    strategy: str
    elements: tuple[PartitionKeyElement, ...]


@attrs.frozen(kw_only=True)
class Table(DbObject):
    KIND = ids.TABLE

    columns: Columns = Columns()
    #: 'permanent', 'unlogged' (or 'temporary', which pg_dump never writes).
    persistence: str = "permanent"
    partition_key: PartitionKey | None = None
    #: The partitioned table this one is a partition of (``ATTACH PARTITION``/``PARTITION OF``).
    partition_of: ObjectId | None = None
    #: ``FOR VALUES ...`` / ``DEFAULT`` of a partition, as a parse tree.
    partition_bound: Expr | None = None
    inherits: tuple[ObjectId, ...] = ()
    #: Typed table: ``CREATE TABLE t OF type``.
    of_type: TypeRef | None = None
    #: Storage parameters ``WITH (fillfactor=70, ...)``.
    options: Options = ()
    #: 'default', 'full', 'nothing' or 'index' (then ``replica_identity_index`` names it).
    replica_identity: str = "default"
    replica_identity_index: str | None = None
    rls_enabled: bool = False
    rls_forced: bool = False
    tablespace: str | None = None
    access_method: str | None = None
    #: Index named by ``ALTER TABLE ... CLUSTER ON``.
    clustered_on: str | None = None


@attrs.frozen(kw_only=True)
class ForeignTable(Table):
    KIND = ids.FOREIGN_TABLE

    server: str = ""
    fdw_options: Options = ()


@attrs.frozen(kw_only=True)
class IndexElement:
    """One key of an index, exclusion constraint or partition key."""

    column: str | None = None
    expression: Expr | None = None
    collation: str | None = None
    opclass: str | None = None
    opclass_options: Options = ()
    descending: bool = False
    #: True for NULLS FIRST, False for NULLS LAST, None for the default of the order.
    nulls_first: bool | None = None
    #: Exclusion constraints: the operator (``&&``, ``=``).
    operator: str | None = None

    def display(self) -> str:
        """The key for people (see :func:`pgdrift.pg.indexes.index_element`), with the
        operator of an exclusion constraint."""
        text = index_element(self)
        if self.operator:
            text += f" WITH {self.operator}"
        return text


@attrs.frozen(kw_only=True)
class Constraint(DbObject):
    """A table constraint. ``id.parent`` is the table's name; ``table`` is its id."""

    KIND = ids.CONSTRAINT
    PRIMARY_KEY: ClassVar[str] = "primary key"
    UNIQUE: ClassVar[str] = "unique"
    FOREIGN_KEY: ClassVar[str] = "foreign key"
    CHECK: ClassVar[str] = "check"
    EXCLUSION: ClassVar[str] = "exclusion"

    table: ObjectId
    #: One of PRIMARY_KEY, UNIQUE, FOREIGN_KEY, CHECK, EXCLUSION.
    type: str
    columns: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    nulls_not_distinct: bool = False
    deferrable: bool = False
    initially_deferred: bool = False
    #: Added ``NOT VALID`` (existing rows not checked).
    not_valid: bool = False
    #: Index parameters of PK/UNIQUE/EXCLUDE: ``WITH (...)``, ``USING INDEX TABLESPACE``.
    index_options: Options = ()
    index_tablespace: str | None = None
    # Foreign keys
    references: ObjectId | None = None
    referenced_columns: tuple[str, ...] = ()
    #: 'no action', 'restrict', 'cascade', 'set null', 'set default'.
    on_delete: str = "no action"
    on_update: str = "no action"
    #: ``ON DELETE SET NULL (col, ...)`` (PostgreSQL 15).
    on_delete_columns: tuple[str, ...] = ()
    #: 'simple', 'full' or 'partial'.
    match: str = "simple"
    # Checks
    expression: Expr | None = None
    no_inherit: bool = False
    # Exclusion constraints
    method: str | None = None
    elements: tuple[IndexElement, ...] = ()
    where: Expr | None = None
    #: The partitioned table's index (or constraint) this constraint's index is attached to.
    attached_to: ObjectId | None = None
    #: ``COMMENT ON INDEX`` of the index a primary key, unique or exclusion constraint builds
    #: (a comment of its own, apart from ``COMMENT ON CONSTRAINT``).
    index_comment: str | None = None


@attrs.frozen(kw_only=True)
class Index(DbObject):
    """``CREATE INDEX``. Index names are unique per schema; ``table`` is the indexed relation."""

    KIND = ids.INDEX

    table: ObjectId
    unique: bool = False
    nulls_not_distinct: bool = False
    method: str = "btree"
    elements: tuple[IndexElement, ...] = ()
    include: tuple[str, ...] = ()
    where: Expr | None = None
    options: Options = ()
    tablespace: str | None = None
    #: ``CREATE INDEX ... ON ONLY parent`` (a partitioned index whose children attach later).
    only: bool = False
    #: The partitioned index this one is attached to (``ALTER INDEX parent ATTACH PARTITION``).
    attached_to: ObjectId | None = None
    #: Per-column ``ALTER INDEX ... ALTER COLUMN n SET STATISTICS``: (column number, target).
    statistics: tuple[tuple[int, int], ...] = ()


@attrs.frozen(kw_only=True)
class SequenceOptions:
    data_type: TypeRef | None = None
    start: int | None = None
    increment: int = 1
    min_value: int | None = None
    max_value: int | None = None
    cache: int = 1
    cycle: bool = False


@attrs.frozen(kw_only=True)
class Sequence(DbObject):
    KIND = ids.SEQUENCE

    options: SequenceOptions = SequenceOptions()
    #: ``ALTER SEQUENCE ... OWNED BY table.column``: the owning column's id.
    owned_by: ObjectId | None = None
    #: The identity column this sequence implements (it has no CREATE SEQUENCE of its own).
    identity_of: ObjectId | None = None
    persistence: str = "permanent"


# --------------------------------------------------------------------------------------------
# Views and rules


@attrs.frozen(kw_only=True)
class View(DbObject):
    KIND = ids.VIEW

    query: Expr
    #: Explicit column names ``CREATE VIEW v (a, b)``.
    column_names: tuple[str, ...] = ()
    #: ``WITH (security_barrier, security_invoker, check_option=...)``
    options: Options = ()
    #: 'local' or 'cascaded' from ``WITH [LOCAL|CASCADED] CHECK OPTION`` or the option.
    check_option: str | None = None
    recursive: bool = False
    #: Column defaults set with ``ALTER VIEW ... ALTER COLUMN ... SET DEFAULT``.
    column_defaults: tuple[tuple[str, Expr], ...] = ()
    #: ``COMMENT ON COLUMN view.col``: (column, comment), sorted.
    column_comments: tuple[tuple[str, str | None], ...] = ()
    #: Column-level grants on the view: (column, privilege), sorted.
    column_privileges: tuple[tuple[str, Privilege], ...] = ()

    @property
    def security_invoker(self) -> bool:
        return _option_true(self.options, "security_invoker")

    @property
    def security_barrier(self) -> bool:
        return _option_true(self.options, "security_barrier")


@attrs.frozen(kw_only=True)
class MaterializedView(DbObject):
    KIND = ids.MATERIALIZED_VIEW

    query: Expr
    column_names: tuple[str, ...] = ()
    options: Options = ()
    with_data: bool = True
    tablespace: str | None = None
    access_method: str | None = None
    clustered_on: str | None = None
    column_comments: tuple[tuple[str, str | None], ...] = ()
    column_privileges: tuple[tuple[str, Privilege], ...] = ()


@attrs.frozen(kw_only=True)
class Rule(DbObject):
    """``CREATE RULE``; ``id.parent`` names the relation."""

    KIND = ids.RULE

    table: ObjectId
    #: 'select', 'insert', 'update', 'delete'.
    event: str
    instead: bool = False
    where: Expr | None = None
    actions: tuple[Expr, ...] = ()
    #: 'origin' (enabled), 'disabled', 'replica', 'always'.
    enabled: str = "origin"


# --------------------------------------------------------------------------------------------
# Routines


@attrs.frozen(kw_only=True)
class Argument:
    #: 'in', 'out', 'inout', 'variadic' or 'table' (a RETURNS TABLE column).
    mode: str
    type: TypeRef
    name: str | None = None
    default: Expr | None = None


@attrs.frozen(kw_only=True)
class Function(DbObject):
    """``CREATE FUNCTION``; ``id.args`` holds the input argument types."""

    KIND = ids.FUNCTION

    arguments: tuple[Argument, ...] = ()
    #: None for procedures; ``setof`` set on the TypeRef for RETURNS SETOF; for RETURNS TABLE
    #: the table columns are arguments with mode 'table' and this is a SETOF record.
    returns: TypeRef | None = None
    language: str = "sql"
    #: The body as written between the dollar quotes (``AS $$...$$``); None for BEGIN ATOMIC.
    body: str | None = None
    #: ``AS 'obj_file', 'link_symbol'`` for C functions.
    link_symbol: str | None = None
    #: SQL-standard body (``BEGIN ATOMIC ... END`` / ``RETURN expr``) as a parse tree.
    sql_body: Expr | None = None
    #: 'volatile', 'stable' or 'immutable'.
    volatility: str = "volatile"
    strict: bool = False
    security_definer: bool = False
    leakproof: bool = False
    #: 'unsafe', 'restricted' or 'safe'.
    parallel: str = "unsafe"
    cost: float | None = None
    rows: float | None = None
    support: str | None = None
    window: bool = False
    #: ``SET name = value`` / ``SET name FROM CURRENT`` clauses, in the order written (kept so
    #: by PostgreSQL; a reorder is a change).
    config: Options = ()
    transforms: tuple[TypeRef, ...] = ()

    @property
    def input_arguments(self) -> tuple[Argument, ...]:
        return tuple(a for a in self.arguments if a.mode in ("in", "inout", "variadic"))

    def takes(self, count: int) -> bool:
        """Whether ``count`` arguments (given by position) call it: its inputs, or fewer when
        those left out have defaults; a variadic one takes exactly its inputs (written with
        VARIADIC, or packed: :func:`pgdrift.builder.call_signatures.variadic_signature`)."""
        inputs = self.input_arguments
        if any(a.mode == "variadic" for a in inputs):
            return count == len(inputs)
        return count <= len(inputs) and all(a.default is not None for a in inputs[count:])

    @property
    def signature(self) -> str:
        return self.id.qualified_name

    @property
    def search_path_pinned(self) -> bool:
        return any(name == "search_path" for name, _ in self.config)


@attrs.frozen(kw_only=True)
class Procedure(Function):
    KIND = ids.PROCEDURE


@attrs.frozen(kw_only=True)
class Aggregate(DbObject):
    KIND = ids.AGGREGATE
    #: The options that name a support function (pg_aggregate's aggtransfn, aggfinalfn...).
    SUPPORT_FUNCTIONS: ClassVar[frozenset[str]] = frozenset({
        "sfunc", "finalfunc", "combinefunc", "serialfunc", "deserialfunc", "msfunc", "minvfunc",
        "mfinalfunc",
    })  # fmt: skip

    arguments: tuple[Argument, ...] = ()
    #: Direct arguments before ORDER BY of an ordered-set aggregate.
    direct_arguments: tuple[Argument, ...] = ()
    #: 'normal', 'ordered-set' or 'hypothetical'.
    aggregate_kind: str = "normal"
    #: Every ``name = value`` of the definition (sfunc, stype, finalfunc, initcond, ...), sorted,
    #: with values canonicalised (types by canonical name).
    options: Options = ()


# --------------------------------------------------------------------------------------------
# Triggers


@attrs.frozen(kw_only=True)
class Trigger(DbObject):
    """``CREATE TRIGGER``; ``id.parent`` names the table or view."""

    KIND = ids.TRIGGER

    table: ObjectId
    #: 'before', 'after' or 'instead of'.
    timing: str
    #: Sorted subset of 'insert', 'update', 'delete', 'truncate'.
    events: tuple[str, ...]
    update_columns: tuple[str, ...] = ()
    for_each_row: bool = False
    when: Expr | None = None
    #: The function called, ``schema.name`` with each part quoted where needed
    #: (``public."a.b"``); trigger functions take no declared arguments.
    function: str
    arguments: tuple[str, ...] = ()
    constraint: bool = False
    deferrable: bool = False
    initially_deferred: bool = False
    #: ``FROM referenced_table`` of a constraint trigger.
    constraint_table: ObjectId | None = None
    #: ``REFERENCING OLD TABLE AS x NEW TABLE AS y``.
    old_table: str | None = None
    new_table: str | None = None
    #: 'origin' (enabled), 'disabled', 'replica', 'always'.
    enabled: str = "origin"
    #: A trigger on a partitioned table is cloned onto every partition; a clone whose enabled
    #: state differs (``ALTER TABLE partition DISABLE TRIGGER t``) is listed here, sorted.
    partition_states: tuple[tuple[ObjectId, str], ...] = ()


@attrs.frozen(kw_only=True)
class EventTrigger(DbObject):
    KIND = ids.EVENT_TRIGGER

    event: str
    #: ``WHEN TAG IN (...)``, upper-cased, in the order written (kept so by PostgreSQL).
    tags: tuple[str, ...] = ()
    function: str
    enabled: str = "origin"


# --------------------------------------------------------------------------------------------
# Types


@attrs.frozen(kw_only=True)
class Enum(DbObject):
    KIND = ids.ENUM

    labels: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class DomainCheck:
    name: str | None
    expression: Expr
    not_valid: bool = False
    comment: str | None = None


@attrs.frozen(kw_only=True)
class Domain(DbObject):
    KIND = ids.DOMAIN

    base_type: TypeRef
    default: Expr | None = None
    not_null: bool = False
    collation: str | None = None
    checks: tuple[DomainCheck, ...] = ()


@attrs.frozen(kw_only=True)
class CompositeType(DbObject):
    KIND = ids.COMPOSITE_TYPE

    columns: Columns = Columns()


@attrs.frozen(kw_only=True)
class RangeType(DbObject):
    KIND = ids.RANGE_TYPE

    subtype: TypeRef
    #: Other parameters (subtype_opclass, collation, canonical, subtype_diff,
    #: multirange_type_name), sorted.
    options: Options = ()

    @property
    def multirange(self) -> tuple[str | None, str] | None:
        """The (schema, name) of the multirange type CREATE TYPE ... AS RANGE made with this
        range (``multirange_type_name``, which the builder always fills in): a column of it
        uses the range type and goes where the range type goes."""
        text = dict(self.options).get("multirange_type_name")
        if not text:
            return None
        parts = split_qualified_name(text) or [text]
        return (parts[-2] if len(parts) > 1 else self.id.schema), parts[-1]


@attrs.frozen(kw_only=True)
class BaseType(DbObject):
    """A base type (``CREATE TYPE x (INPUT = ..., OUTPUT = ...)``) or a shell type."""

    KIND = ids.BASE_TYPE

    options: Options = ()
    shell: bool = False


# --------------------------------------------------------------------------------------------
# Row level security, publications, foreign data, text search, statistics


@attrs.frozen(kw_only=True)
class Policy(DbObject):
    """``CREATE POLICY``; ``id.parent`` names the table."""

    KIND = ids.POLICY

    table: ObjectId
    permissive: bool = True
    #: 'all', 'select', 'insert', 'update' or 'delete'.
    command: str = "all"
    #: Sorted role names; ``('public',)`` when the policy applies to everyone.
    roles: tuple[str, ...] = ("public",)
    using: Expr | None = None
    with_check: Expr | None = None


@attrs.frozen(kw_only=True)
class PublicationTable:
    table: ObjectId
    columns: tuple[str, ...] = ()
    where: Expr | None = None


@attrs.frozen(kw_only=True)
class Publication(DbObject):
    KIND = ids.PUBLICATION

    all_tables: bool = False
    tables: tuple[PublicationTable, ...] = ()
    #: ``FOR TABLES IN SCHEMA``
    schemas: tuple[str, ...] = ()
    #: Sorted subset of insert, update, delete, truncate.
    publish: tuple[str, ...] = ("delete", "insert", "truncate", "update")
    publish_via_partition_root: bool = False


@attrs.frozen(kw_only=True)
class Subscription(DbObject):
    KIND = ids.SUBSCRIPTION

    connection: str = ""
    publications: tuple[str, ...] = ()
    options: Options = ()


@attrs.frozen(kw_only=True)
class ForeignDataWrapper(DbObject):
    KIND = ids.FOREIGN_DATA_WRAPPER

    handler: str | None = None
    validator: str | None = None
    options: Options = ()


@attrs.frozen(kw_only=True)
class Server(DbObject):
    KIND = ids.SERVER

    wrapper: str
    type: str | None = None
    version: str | None = None
    options: Options = ()


@attrs.frozen(kw_only=True)
class UserMapping(DbObject):
    """``CREATE USER MAPPING FOR user SERVER s``; id name is ``user@server``."""

    KIND = ids.USER_MAPPING

    user: str
    server: str
    options: Options = ()


@attrs.frozen(kw_only=True)
class TextSearchConfiguration(DbObject):
    KIND = ids.TEXT_SEARCH_CONFIGURATION

    parser: str
    #: (token type, dictionaries in order), sorted by token type.
    mappings: tuple[tuple[str, tuple[str, ...]], ...] = ()


@attrs.frozen(kw_only=True)
class TextSearchDictionary(DbObject):
    KIND = ids.TEXT_SEARCH_DICTIONARY

    template: str
    options: Options = ()


@attrs.frozen(kw_only=True)
class TextSearchParser(DbObject):
    KIND = ids.TEXT_SEARCH_PARSER

    options: Options = ()


@attrs.frozen(kw_only=True)
class TextSearchTemplate(DbObject):
    KIND = ids.TEXT_SEARCH_TEMPLATE

    options: Options = ()


@attrs.frozen(kw_only=True)
class Statistics(DbObject):
    """``CREATE STATISTICS``."""

    KIND = ids.STATISTICS

    table: ObjectId
    #: Sorted subset of 'ndistinct', 'dependencies', 'mcv'; empty means all.
    kinds: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    expressions: tuple[Expr, ...] = ()
    target: int | None = None


@attrs.frozen(kw_only=True)
class DefinedObject(DbObject):
    """Objects defined by a statement whose meaning is its option list: operators, operator
    classes and families, conversions, languages, access methods, transforms.

    ``definition`` is the whole defining statement's canonical parse tree (names, options,
    members): comparing it compares every attribute.
    """

    definition: Expr


@attrs.frozen(kw_only=True)
class Operator(DefinedObject):
    KIND = ids.OPERATOR

    def function(self) -> ObjectId | None:
        """The function its FUNCTION names (pg_operator.oprcode), which takes the operand
        types; None when the definition names none pgdrift can tell (unqualified)."""
        from pgdrift._expr_tree import get_field  # noqa: PLC0415 - pgdrift.expr imports us
        from pgdrift.ids import ObjectId  # noqa: PLC0415

        for item in get_field(self.definition.tree, "definition") or ():
            if item[0] == "DefElem" and get_field(item, "defname") == "function":
                arg = get_field(item, "arg")
                names = get_field(arg, "names" if arg[0] == "TypeName" else "items") or ()
                parts = [get_field(n, "sval") for n in names]
                if len(parts) != 2:
                    return None
                operands = tuple(a for a in self.id.args or () if a != "NONE")
                return ObjectId(ids.FUNCTION, parts[0], parts[1], args=operands)
        return None


@attrs.frozen(kw_only=True)
class OperatorClass(DefinedObject):
    KIND = ids.OPERATOR_CLASS


@attrs.frozen(kw_only=True)
class OperatorFamily(DefinedObject):
    KIND = ids.OPERATOR_FAMILY


@attrs.frozen(kw_only=True)
class Conversion(DefinedObject):
    KIND = ids.CONVERSION


@attrs.frozen(kw_only=True)
class Language(DefinedObject):
    KIND = ids.LANGUAGE


@attrs.frozen(kw_only=True)
class AccessMethod(DefinedObject):
    KIND = ids.ACCESS_METHOD


@attrs.frozen(kw_only=True)
class Transform(DefinedObject):
    KIND = ids.TRANSFORM


@attrs.frozen(kw_only=True)
class DefaultPrivileges(DbObject):
    """``ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT ... ON {TABLES|...}``.

    ``privileges`` holds what objects of ``object_type`` created by ``role`` (in ``in_schema``)
    will receive. The id's name is ``role:schema:object_type`` (schema empty for global).
    """

    KIND = ids.DEFAULT_PRIVILEGES

    role: str
    in_schema: str | None = None
    #: 'tables', 'sequences', 'functions', 'types' or 'schemas'.
    object_type: str


@attrs.frozen(kw_only=True)
class ExternalObject(DbObject):
    """An object the dump does not define but grants privileges on: a member of an extension
    (``GRANT ... ON FUNCTION extensions.gen_random_bytes(integer)``) or a built-in such as
    ``LANGUAGE plpgsql``. Only its privileges (and comment) are known; ``id.kind`` says what it
    is."""

    KIND = "external"


@attrs.frozen(kw_only=True)
class Unsupported(DbObject):
    """A statement pgdrift does not model. Its text and place are kept; ``tree`` (the
    statement's canonical parse tree, None if it did not parse) is what the differ compares,
    so a change in it is never invisible."""

    KIND = ids.UNSUPPORTED

    statement: str = attrs.field(eq=False)
    tree: Expr | None = None
    reason: str = attrs.field(default="", eq=False)


#: Every concrete model class by kind.
CLASSES: dict[str, type[DbObject]] = {
    cls.KIND: cls
    for cls in (
        Namespace, Extension, Collation, Cast, Role, Database, Tablespace, Column, Table,
        ForeignTable, Constraint, Index, Sequence, View, MaterializedView, Rule, Function,
        Procedure, Aggregate, Trigger, EventTrigger, Enum, Domain, CompositeType, RangeType,
        BaseType, Policy, Publication, Subscription, ForeignDataWrapper, Server, UserMapping,
        TextSearchConfiguration, TextSearchDictionary, TextSearchParser, TextSearchTemplate,
        Statistics, Operator, OperatorClass, OperatorFamily, Conversion, Language,
        AccessMethod, Transform, DefaultPrivileges, Unsupported,
    )
}  # fmt: skip

_T = TypeVar("_T", bound=DbObject)


def _option_true(options: Options, name: str) -> bool:
    for key, value in options:
        if key == name:
            return value is None or value.lower() in ("true", "on", "1", "yes")
    return False


@overload
def option(options: Options, name: str) -> str | None: ...
@overload
def option(options: Options, name: str, default: str) -> str: ...
def option(options: Options, name: str, default: Any = None) -> Any:
    """The value of option ``name`` in an options tuple, or ``default``."""
    for key, value in options:
        if key == name:
            return value
    return default


__all__ = [
    "CLASSES", "AccessMethod", "Aggregate", "Argument", "BaseType", "Cast", "Collation", "Column",
    "Columns", "CompositeType", "Constraint", "Conversion", "Database", "DbObject",
    "DefaultPrivileges", "DefinedObject", "Domain", "DomainCheck", "Enum", "EventTrigger",
    "Extension", "ExternalObject", "ForeignDataWrapper", "ForeignTable", "Function", "Identity",
    "Index", "IndexElement", "Language", "MaterializedView", "Namespace", "Operator",
    "OperatorClass", "OperatorFamily", "Options", "PartitionKey", "PartitionKeyElement", "Policy",
    "Privilege", "Procedure", "Publication", "PublicationTable", "RangeType", "Role", "Rule",
    "SecurityLabel", "Sequence", "SequenceOptions", "Server", "Statistics", "Subscription",
    "Table", "Tablespace", "TextSearchConfiguration", "TextSearchDictionary", "TextSearchParser",
    "TextSearchTemplate", "Transform", "Trigger", "Unsupported", "UserMapping", "View", "option"
]  # fmt: skip
