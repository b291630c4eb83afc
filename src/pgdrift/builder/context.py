"""The mutable state of one schema build: the objects built so far and the session settings
(search_path and the like) that steer how the next statement's names are read.

The JSON parse-tree helpers the builders share are in :mod:`pgdrift.builder.nodes`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from pgdrift import ids, model
from pgdrift._evolve import evolve
from pgdrift.builder.catalogue import Catalogue
from pgdrift.builder.nodes import Node, strings, unwrap
from pgdrift.errors import DuplicateObjectError, Error, ModelError, UndefinedObjectError
from pgdrift.expr import Expr, expr_from_node
from pgdrift.ids import ObjectId
from pgdrift.pg.extensions import SHIPPED_TYPES
from pgdrift.pg.messages import already_exists, does_not_exist, duplicate_condition
from pgdrift.types import TypeRef, type_from_node

if TYPE_CHECKING:
    from pgdrift.reader import Statement

_T = TypeVar("_T", bound=model.DbObject)

# pg_class: the relation kinds that share one namespace of names with indexes.
_PG_CLASS_KINDS = (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW, ids.SEQUENCE,
                   ids.INDEX, ids.COMPOSITE_TYPE)  # fmt: skip
_INDEX_BACKED = frozenset({model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE,
                           model.Constraint.EXCLUSION})  # fmt: skip

# Fields an object keeps when CREATE OR REPLACE redefines it.
_KEPT_ON_REPLACE = ("owner", "comment", "privileges", "security_labels")
#: What every object has, an object known only from its grants too.
_COMMON_FIELDS = frozenset(field.name for field in attrs.fields(model.DbObject))


#: The tablespace a database keeps its relations in when they name none.
DATABASE_TABLESPACE = "pg_default"


@attrs.frozen
class AclOp:
    """One GRANT or REVOKE, replayed over the object's default ACL once the build is done."""

    grant: bool
    privileges: tuple[str, ...]  # empty means ALL
    grantees: tuple[str, ...]
    grant_option: bool  # WITH GRANT OPTION / REVOKE GRANT OPTION FOR
    columns: tuple[str, ...] = ()
    #: The role granting or revoking when it is not the object's owner (model.Privilege).
    grantor: str = ""
    #: REVOKE ... CASCADE: what the grantees granted on with the option goes too.
    cascade: bool = False


# The field values update_column compares before replacing a column.
_PLAIN_VALUES = frozenset({str, int, bool, type(None)})


@attrs.define
class BuildContext:
    """What the builders share while one dump is read."""

    source: str
    objects: Catalogue = attrs.Factory(Catalogue)
    acl_ops: dict[ObjectId, list[AclOp]] = attrs.Factory(dict)
    errors: list[Error] = attrs.Factory(list)
    warnings: list[str] = attrs.Factory(list)
    #: ``SET search_path``; pg_dump 10.3+ empties it and qualifies every name.
    search_path: list[str] = attrs.Factory(lambda: ["public"])
    #: Whether the input set a search_path (older dumps name objects relative to it).
    search_path_set: bool = False
    #: ``SET standard_conforming_strings``; off in dumps from before 9.1's default flip.
    standard_conforming_strings: bool = True
    #: ``SET default_tablespace`` / ``SET default_table_access_method`` (apply to what follows).
    default_tablespace: str | None = None
    default_table_access_method: str | None = None
    #: Inside BEGIN ... COMMIT (a transaction block the script wrote).
    in_transaction: bool = False
    #: The reading settings as they were before the first SET LOCAL of the transaction (or,
    #: outside a block, of the file: builder.session), to put back when it ends; None: none.
    local_saved: dict[str, Any] | None = None
    #: The file whose end ends the SET LOCALs outside a transaction block.
    local_file: str | None = None
    #: Every setting a ``SET`` gave in this session, as a routine's ``SET x FROM CURRENT``
    #: captures it (lower-case name -> value as stored in proconfig).
    session_settings: dict[str, str] = attrs.Factory(dict)
    #: Who runs the statements (``load(role=...)``, ``--role``); None when not said.
    login_role: str | None = None
    #: ``SET SESSION AUTHORIZATION`` (dumps made with --use-set-session-authorization).
    session_user: str | None = None
    #: ``SET ROLE``; with the two above it decides who owns what is created.
    session_role: str | None = None
    #: Objects added by the statement being built (owner and default privileges to give).
    created: list[ObjectId] = attrs.Factory(list)
    #: Whether an ALTER DEFAULT PRIVILEGES was read (objects created after it may get them).
    default_privileges_set: bool = False
    #: Each object is created by the role that owns it in the end, as pgdrift's plans assume
    #: they run (replaying one, :func:`pgdrift.replay.verify`): its default privileges wait
    #: for the OWNER TO that names that role (``awaiting_owner``).
    owners_create: bool = False
    awaiting_owner: set[ObjectId] = attrs.Factory(set)
    statement: Statement | None = None
    #: span_fields() of the statement it was last made for (one dict serves its objects).
    _spans: tuple[Statement | None, dict[str, Any]] = (None, {})
    unsupported_count: dict[str, int] = attrs.Factory(dict)
    #: Objects that exist without a statement (schema public); a CREATE replaces them.
    implicit: set[ObjectId] = attrs.Factory(set)
    #: The sequences the CREATE TABLE being built makes for its serial columns (name ->
    #: schema): a default of the same statement may name one (``nextval('t_id_seq')``).
    pending_sequences: dict[str, str] = attrs.Factory(dict)
    #: Tables, views and sequences made TEMPORARY: the session's own, gone when it ends.
    temporary: set[ObjectId] = attrs.Factory(set)
    #: Constraints by (schema, name): their indexes share the schema's index namespace.
    constraint_names: dict[tuple[str | None, str], ObjectId] = attrs.Factory(dict)
    #: A dump's statements about an object it defines further down (a comment written before
    #: its index), applied once everything is read; None while they are being applied.
    deferred: list[tuple[Statement, Callable[[], None]]] | None = attrs.Factory(list)
    #: Data statements skipped, per file and statement word (``INSERT``), in reading order.
    data_statements: dict[str, dict[str, int]] = attrs.Factory(dict)
    #: Applies one more statement's parse tree as the reading loop does (the statements a
    #: ``DO`` block runs); set by :func:`pgdrift.builder.build_schema`.
    run_statement: Callable[[Node], None] | None = None

    @property
    def current_role(self) -> str | None:
        """The role that owns what is created now: SET ROLE's, else the session user's, else
        the role running the files (None when nothing says)."""
        return self.session_role or self.session_user or self.login_role

    # Names -------------------------------------------------------------------------------
    @property
    def creation_schema(self) -> str:
        """Where an unqualified CREATE puts its object: the first schema of the search_path."""
        for schema in self.search_path:
            if schema and schema not in ("pg_catalog", "$user"):
                return schema
        return "public"

    def qualify(self, schema: str | None) -> str:
        return sys.intern(schema) if schema else self.creation_schema

    def relation(self, rangevar: Node) -> tuple[str, str]:
        """(schema, name) of a RangeVar node."""
        schema = rangevar.get("schemaname")
        # Interned (see nodes.strings): every ALTER, index and constraint names its table.
        return sys.intern(schema) if schema else self.creation_schema, sys.intern(
            rangevar["relname"]
        )

    def relation_id(self, rangevar: Node, kind: str | None = None) -> ObjectId:
        """The id of the relation a RangeVar names; the kind is looked up among what exists."""
        schema, name = self.relation(rangevar)
        if kind is not None:
            return ObjectId(kind, schema, name)
        return self.find_relation(schema, name)

    def find_relation(self, schema: str, name: str) -> ObjectId:
        for kind in (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW,
                     ids.SEQUENCE, ids.INDEX):  # fmt: skip
            oid = ObjectId(kind, schema, name)
            if oid in self.objects:
                return oid
        return ObjectId(ids.TABLE, schema, name)

    def qualified(self, name_list: list[Node]) -> tuple[str, str]:
        """(schema, name) of a qualified-name list of String nodes (``[schema,] name``)."""
        parts = strings(name_list)
        if len(parts) == 1:
            return self.creation_schema, parts[0]
        return parts[-2], parts[-1]

    def qualified_text(self, name_list: list[Node]) -> str:
        """``schema.name`` as written; built-in ``pg_catalog`` names lose their prefix."""
        parts = strings(name_list)
        if len(parts) > 1 and parts[0] == "pg_catalog":
            parts = parts[1:]
        return ".".join(parts)

    # Types and expressions ------------------------------------------------------------------
    def type(self, node: Node) -> TypeRef:
        ref = type_from_node(node)
        if ref.needs_schema:
            # An unqualified user type (dumps from before pg_dump qualified every name): the
            # first schema on the search_path that defines it, else where CREATE would look.
            resolved = ref.resolve(self.search_path, self._type_exists)
            if resolved.needs_schema:
                resolved = attrs.evolve(ref, schema=self.creation_schema)
            return resolved
        return ref

    def _type_exists(self, schema: str, name: str) -> bool:
        if any(
            ObjectId(kind, schema, name) in self.objects
            for kind in (*ids.TYPE_KINDS, ids.TABLE, ids.VIEW)
        ):
            return True
        # A shipped extension's type (citext, hstore) lives where its extension was installed.
        shipped = SHIPPED_TYPES.get(name)
        extension = self.objects.get(ObjectId(ids.EXTENSION, None, shipped)) if shipped else None
        return getattr(extension, "in_schema", None) == schema

    def expr(self, node: Node | None) -> Expr | None:
        return None if node is None else expr_from_node(node)

    def routine_type(self, node: Node) -> TypeRef:
        """The type of a routine's argument or result, or of an operator's or a cast's operand.

        PostgreSQL keeps only the type's oid there (pg_proc, pg_operator, pg_cast), never a
        typmod: ``f(numeric(10,2)) RETURNS varchar(30)`` is ``f(numeric) RETURNS varchar``.
        """
        ref = self.type(node)
        if ref.pct_type:
            ref = self._column_type(strings(unwrap(node, "TypeName")["names"]), ref)
        return attrs.evolve(ref, modifiers=()) if ref.modifiers else ref

    def _column_type(self, parts: list[str], ref: TypeRef) -> TypeRef:
        """``[schema.]table.column%TYPE``: PostgreSQL stores the column's type as it is when
        the routine is created (parse_type.c, LookupTypeNameExtended), the relation found
        along the search_path. As written when pgdrift does not know the column."""
        if len(parts) not in (2, 3):
            return ref
        schemas = parts[:-2] or [s for s in self.search_path if s]
        for schema in schemas:
            for kind in (ids.TABLE, ids.FOREIGN_TABLE, ids.COMPOSITE_TYPE):
                relation = self.objects.get(ObjectId(kind, schema, parts[-2]))
                if relation is None:
                    continue
                column = getattr(relation, "columns", {}).get(parts[-1])
                if not isinstance(column, model.Column):
                    return ref
                return attrs.evolve(column.type, setof=ref.setof)
        return ref

    def routine_args(self, objargs: Iterable[Node] | None) -> tuple[str, ...]:
        return tuple(str(self.routine_type(unwrap(a, "TypeName"))) for a in objargs or ())

    # Objects --------------------------------------------------------------------------------
    def add(self, obj: model.DbObject) -> None:
        oid = obj.id
        self.created.append(oid)
        if oid in self.implicit:
            self.implicit.discard(oid)
            self.objects[oid] = obj
            return
        if oid.kind == ids.CONSTRAINT:
            self.constraint_names[(oid.schema, oid.name)] = oid
        previous = self.objects.get(oid)
        if previous is not None:
            where = f", first defined at {previous.span.location()}" if previous.span else ""
            raise DuplicateObjectError(f"{already_exists(oid)} ({oid}{where})", span=obj.span,
                                       condition=duplicate_condition(oid))  # fmt: skip
        self._check_namespace(obj)
        self.objects[oid] = obj

    def _check_namespace(self, obj: model.DbObject) -> None:
        """Tables, views, sequences, indexes and composite types share one namespace of
        names per schema (pg_class); types share another with the tables' row types.
        A statement of pg_dump (under a TOC header) is not checked: the server it came from
        allowed no clash, and a large dump is read faster."""
        if self.statement is not None and self.statement.toc is not None:
            return
        oid = obj.id
        schema = oid.schema or ""
        clash: ObjectId | None = None
        if oid.kind in _PG_CLASS_KINDS and self.relation_name_taken(schema, oid.name):
            clash = ObjectId(ids.TABLE, oid.schema, oid.name)
        elif oid.kind in ids.TYPE_KINDS and any(
            ObjectId(kind, schema, oid.name) in self.objects
            for kind in (*ids.TYPE_KINDS, *_PG_CLASS_KINDS)
            if kind not in (ids.INDEX, ids.SEQUENCE)
        ):
            clash = ObjectId(ids.ENUM, oid.schema, oid.name)
        if clash is not None:
            raise DuplicateObjectError(f"{already_exists(clash)} ({oid})", span=obj.span,
                                       condition=duplicate_condition(clash))  # fmt: skip

    def add_or_replace(self, obj: model.DbObject, replace: bool) -> None:
        """Add ``obj``; with ``replace`` (CREATE OR REPLACE) an existing definition gives way,
        but the owner, comment, privileges and labels set on it stay."""
        previous = self.get(obj.id)
        if replace and previous is not None:
            kept = {field: getattr(previous, field) for field in _KEPT_ON_REPLACE}
            self.objects[obj.id] = evolve(obj, **kept)
            return
        self.add(obj)

    def find_index(self, schema: str, name: str) -> ObjectId | None:
        """An index, or the constraint whose index carries that name (PK, UNIQUE, EXCLUDE)."""
        oid = ObjectId(ids.INDEX, schema, name)
        if oid in self.objects:
            return oid
        return self.constraint_names.get((schema, name))

    def relation_name_taken(self, schema: str, name: str) -> bool:
        """Whether ``pg_class`` has ``name`` in ``schema``: a table, view, sequence, index
        (a PRIMARY KEY/UNIQUE/EXCLUDE constraint's index has the constraint's name), composite
        type... What PostgreSQL checks before naming an index or a sequence."""
        if any(ObjectId(kind, schema, name) in self.objects for kind in _PG_CLASS_KINDS):
            return True
        constraint = self.objects.get(self.constraint_names.get((schema, name)))  # type: ignore[arg-type]
        return isinstance(constraint, model.Constraint) and constraint.type in _INDEX_BACKED

    def constraint_name_taken(self, schema: str, name: str) -> bool:
        """Whether ``pg_constraint`` has ``name`` in ``schema`` (a table's or a domain's
        constraint): what PostgreSQL checks before naming a constraint."""
        if self.constraint_names.get((schema, name)) in self.objects:
            return True
        for oid in self.objects.of_kind(ids.DOMAIN):
            domain = self.objects[oid]
            if (
                oid.schema == schema
                and isinstance(domain, model.Domain)
                and any(check.name == name for check in domain.checks)
            ):
                return True
        return False

    def get(self, oid: ObjectId) -> model.DbObject | None:
        return self.objects.get(oid)

    def require(self, oid: ObjectId, what: str = "") -> model.DbObject:
        obj = self.objects.get(oid)
        if obj is None:
            span = self.statement.span if self.statement else None
            message = does_not_exist(oid)
            raise UndefinedObjectError(f"{what}: {message}" if what else message, span=span)
        return obj

    def update(self, oid: ObjectId, **changes: Any) -> None:
        obj = self.require(oid)
        if isinstance(obj, model.ExternalObject) and not changes.keys() <= _COMMON_FIELDS:
            # Known only from a GRANT on it: what this statement changes is not there.
            span = self.statement.span if self.statement else None
            raise UndefinedObjectError(
                f"{does_not_exist(oid)} (only privileges on it were read)", span=span
            )
        self.objects[oid] = evolve(obj, **changes)

    def require_column(self, table: ObjectId, column: str) -> model.DbObject:
        """The relation ``table``, which must have a column named ``column``."""
        relation = self.require(table)
        columns = getattr(relation, "columns", None)
        if columns is None or column not in columns:
            span = self.statement.span if self.statement else None
            message = does_not_exist(ObjectId(ids.COLUMN, table.schema, column, table.name))
            raise UndefinedObjectError(message, span=span)
        return relation

    def update_column(self, table: ObjectId, column: str, **changes: Any) -> None:
        """Set fields of a column of ``table``; nothing is rebuilt when the plain values
        (strings, numbers, booleans, None) given are those the column has already (pg_dump
        repeats a column's storage, statistics or NOT NULL in ALTERs of inherited tables)."""
        relation = self.require_column(table, column)
        columns: model.Columns = relation.columns  # type: ignore[attr-defined]
        current = columns[column]
        # Only plain values: an Expr may compare equal to another whose text differs.
        changes = {
            field: value
            for field, value in changes.items()
            if not (
                type(value) in _PLAIN_VALUES
                and type(getattr(current, field)) is type(value)
                and getattr(current, field) == value
            )
        }
        if not changes:
            return
        ordered = columns.ordered
        at = next(n for n, each in enumerate(ordered) if each is current)
        replaced = (*ordered[:at], evolve(current, **changes), *ordered[at + 1 :])
        self.objects[table] = evolve(relation, columns=model.Columns(replaced))

    def ordered_columns(self, table: ObjectId, columns: Iterable[str]) -> tuple[str, ...]:
        """Columns in table order: PostgreSQL stores publication column lists and statistics
        keys as sorted attribute numbers, so the order they were written in means nothing."""
        names = list(columns)
        relation = self.get(table)
        table_columns = getattr(relation, "columns", None)
        if isinstance(table_columns, model.Columns) and all(n in table_columns for n in names):
            return tuple(sorted(names, key=table_columns.position))
        return tuple(names)

    def access_method(self, explicit: str | None) -> str | None:
        """A table's access method; ``heap``, PostgreSQL's default, is None so that dumps from
        before pg_dump 12 (which never name one) compare equal to newer ones."""
        method = explicit or self.default_table_access_method
        return None if method == "heap" else method

    def tablespace(self, explicit: str | None, *, partitioned: bool = False) -> str | None:
        """A relation's tablespace, ``explicit`` or the session's default_tablespace; None for
        the database's default one, which PostgreSQL stores as 0 (heap_create,
        GetDefaultTablespace) so that pg_dump names none. pgdrift takes the database's default
        to be pg_default, as ``CREATE DATABASE`` without TABLESPACE makes it (and as the
        planner reads None). A partitioned relation may not name it: PostgreSQL refuses."""
        space = explicit or self.default_tablespace
        if space != DATABASE_TABLESPACE:
            return space
        if partitioned:
            raise ModelError(
                "cannot specify default tablespace for partitioned relations",
                span=self.statement.span if self.statement else None,
            )
        return None

    def span_fields(self) -> dict[str, Any]:
        """``span`` and ``toc`` of the statement being built, for a new object."""
        stmt = self.statement
        if stmt is None:
            return {}
        made_for, fields = self._spans
        if made_for is not stmt:
            fields = {"span": stmt.span, "toc": stmt.toc}
            self._spans = (stmt, fields)
        return fields

    def add_acl(self, oid: ObjectId, op: AclOp) -> None:
        self.acl_ops.setdefault(oid, []).append(op)

    def count_data(self, word: str) -> None:
        """Count a data statement (INSERT, COPY...) of a script, skipped: not schema. pg_dump's
        own data (a full dump's COPY and setval, under a TOC header) is not counted."""
        stmt = self.statement
        if stmt is None or stmt.toc is not None:
            return
        counts = self.data_statements.setdefault(stmt.span.file, {})
        counts[word] = counts.get(word, 0) + 1

    def warn(self, message: str) -> None:
        stmt = self.statement
        where = f"{stmt.span.location()}: " if stmt is not None else ""
        self.warnings.append(where + message)
