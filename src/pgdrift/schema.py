"""The loaded schema: every object of one dump, queryable by kind, name and id."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from pgdrift import ids, model
from pgdrift.ids import ObjectId

if TYPE_CHECKING:
    import networkx as nx

    from pgdrift.errors import Error
    from pgdrift.types import TypeRef

__all__ = ["KindMap", "Schema", "domain_lookup"]

_T = TypeVar("_T", bound=model.DbObject)


class KindMap(Mapping[str, _T], Generic[_T]):
    """Objects of one kind keyed by qualified name (``public.users``,
    ``public.users.users_pkey`` for sub-objects, ``public.f(uuid)`` for routines).

    Lookups are forgiving where that is unambiguous: an unqualified name means ``public.name``
    and a routine name without arguments matches its only overload.
    """

    def __init__(self, objects: dict[str, _T]) -> None:
        self._objects = objects

    def __getitem__(self, key: str) -> _T:
        found = self._objects.get(key)
        if found is not None:
            return found
        for candidate in self._candidates(key):
            found = self._objects.get(candidate)
            if found is not None:
                return found
        matches = [o for k, o in self._objects.items() if k.split("(")[0] in (key, f"public.{key}")]
        if len(matches) == 1:
            return matches[0]
        raise KeyError(key)

    @staticmethod
    def _candidates(key: str) -> Iterator[str]:
        if not key.startswith("public."):
            yield f"public.{key}"

    def __iter__(self) -> Iterator[str]:
        return iter(self._objects)

    def __len__(self) -> int:
        return len(self._objects)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __repr__(self) -> str:
        return f"KindMap({list(self._objects)!r})"


@attrs.frozen(eq=False)
class Schema:
    """Everything one dump defines.

    ``schema.tables["public.users"].columns["id"]``, ``schema[oid]``, ``for obj in schema``
    (objects in id order), ``schema.graph`` (a networkx DiGraph of dependencies, edges from an
    object to what it depends on).

    Two schemas are equal when they hold the same objects with equal definitions.
    """

    objects: Mapping[ObjectId, model.DbObject]
    #: Name of what was read (file name, ``<string>``, ``REV:path``).
    source: str = ""
    #: Database picked from a pg_dumpall file.
    database: str | None = None
    #: Errors collected with ``strict=False``.
    errors: tuple[Error, ...] = ()
    #: Non-fatal observations (an unterminated ``\\restrict``, ignored settings...).
    warnings: tuple[str, ...] = ()
    #: The PostgreSQL version that wrote the dump, from its header, if it says.
    dumped_from: str | None = None
    dumped_by: str | None = None
    #: The files read, in the order they were applied, when the input was several files (a
    #: directory of migrations, a glob, a list of paths); empty for a single file or string.
    inputs: tuple[str, ...] = ()
    # The dependency graph once built (see graph): a cache, not part of what the schema says.
    _graph: nx.DiGraph | None = attrs.field(default=None, init=False, eq=False, repr=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schema):
            return NotImplemented
        # Both read from cache entries: only the objects whose digests differ are compared.
        lazy = sys.modules.get("pgdrift.cache_objects")
        found = None if lazy is None else lazy.differing(self.objects, other.objects)
        if found is not None:
            if self.objects.keys() != other.objects.keys():
                return False
            return all(self.objects[oid] == other.objects[oid] for oid in found)
        return dict(self.objects) == dict(other.objects)

    def __hash__(self) -> int:
        return hash(tuple(self.objects))

    def __repr__(self) -> str:
        where = f" (database {self.database})" if self.database else ""
        return f"<Schema {self.source or '?'}{where}: {len(self.objects)} objects>"

    def __iter__(self) -> Iterator[model.DbObject]:
        return iter(self.objects.values())

    def __len__(self) -> int:
        return len(self.objects)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            key = ObjectId.parse(key)
        return key in self.objects

    def __getitem__(self, key: ObjectId | str) -> model.DbObject:
        if isinstance(key, str):
            key = ObjectId.parse(key)
        return self.objects[key]

    def get(self, key: ObjectId | str) -> model.DbObject | None:
        try:
            return self[key]
        except KeyError:
            return None

    def of_kind(self, kind: str) -> KindMap[Any]:
        """All objects of ``kind`` (an :mod:`pgdrift.ids` kind constant) keyed by name."""
        return self._kind_maps().get(kind, KindMap({}))

    @functools.cached_property
    def _kind_map_cache(self) -> dict[str, KindMap[Any]]:
        grouped: dict[str, dict[str, model.DbObject]] = {}
        for oid, obj in self.objects.items():
            grouped.setdefault(oid.kind, {})[oid.qualified_name] = obj
        return {kind: KindMap(objs) for kind, objs in grouped.items()}

    def _kind_maps(self) -> dict[str, KindMap[Any]]:
        return self._kind_map_cache

    # Typed views, one per common kind -----------------------------------------------------
    @property
    def schemas(self) -> KindMap[model.Namespace]:
        return self.of_kind(ids.SCHEMA)

    @property
    def extensions(self) -> KindMap[model.Extension]:
        return self.of_kind(ids.EXTENSION)

    @property
    def tables(self) -> KindMap[model.Table]:
        return self.of_kind(ids.TABLE)

    @property
    def foreign_tables(self) -> KindMap[model.ForeignTable]:
        return self.of_kind(ids.FOREIGN_TABLE)

    @property
    def constraints(self) -> KindMap[model.Constraint]:
        return self.of_kind(ids.CONSTRAINT)

    @property
    def indexes(self) -> KindMap[model.Index]:
        return self.of_kind(ids.INDEX)

    @property
    def sequences(self) -> KindMap[model.Sequence]:
        return self.of_kind(ids.SEQUENCE)

    @property
    def views(self) -> KindMap[model.View]:
        return self.of_kind(ids.VIEW)

    @property
    def materialized_views(self) -> KindMap[model.MaterializedView]:
        return self.of_kind(ids.MATERIALIZED_VIEW)

    @property
    def functions(self) -> KindMap[model.Function]:
        return self.of_kind(ids.FUNCTION)

    @property
    def procedures(self) -> KindMap[model.Procedure]:
        return self.of_kind(ids.PROCEDURE)

    @property
    def aggregates(self) -> KindMap[model.Aggregate]:
        return self.of_kind(ids.AGGREGATE)

    @property
    def triggers(self) -> KindMap[model.Trigger]:
        return self.of_kind(ids.TRIGGER)

    @property
    def enums(self) -> KindMap[model.Enum]:
        return self.of_kind(ids.ENUM)

    @property
    def domains(self) -> KindMap[model.Domain]:
        return self.of_kind(ids.DOMAIN)

    @property
    def composite_types(self) -> KindMap[model.CompositeType]:
        return self.of_kind(ids.COMPOSITE_TYPE)

    @property
    def range_types(self) -> KindMap[model.RangeType]:
        return self.of_kind(ids.RANGE_TYPE)

    @property
    def policies(self) -> KindMap[model.Policy]:
        return self.of_kind(ids.POLICY)

    @property
    def publications(self) -> KindMap[model.Publication]:
        return self.of_kind(ids.PUBLICATION)

    @property
    def roles(self) -> KindMap[model.Role]:
        return self.of_kind(ids.ROLE)

    @property
    def unsupported(self) -> tuple[model.Unsupported, ...]:
        return tuple(self.of_kind(ids.UNSUPPORTED).values())

    # Relations of a table -----------------------------------------------------------------
    def _children(self, kind: str, table: ObjectId | str) -> tuple[Any, ...]:
        tid = self._relation_id(table)
        return tuple(o for o in self.of_kind(kind).values() if getattr(o, "table", None) == tid)

    def _relation_id(self, table: ObjectId | str) -> ObjectId:
        if isinstance(table, ObjectId):
            return table
        for kind in (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW):
            found: model.DbObject | None = self.of_kind(kind).get(table)
            if found is not None:
                return found.id
        raise KeyError(table)

    def constraints_of(self, table: ObjectId | str) -> tuple[model.Constraint, ...]:
        return self._children(ids.CONSTRAINT, table)

    def indexes_of(self, table: ObjectId | str) -> tuple[model.Index, ...]:
        return self._children(ids.INDEX, table)

    def triggers_of(self, table: ObjectId | str) -> tuple[model.Trigger, ...]:
        return self._children(ids.TRIGGER, table)

    def policies_of(self, table: ObjectId | str) -> tuple[model.Policy, ...]:
        return self._children(ids.POLICY, table)

    def counts(self) -> dict[str, int]:
        """Number of objects of each kind, columns included, in kind order."""
        result: dict[str, int] = {}
        for kind in ids.ALL_KINDS:
            if kind == ids.COLUMN:
                # A table known only from its grants (model.ExternalObject) has no columns.
                tables = (*self.tables.values(), *self.foreign_tables.values())
                n = sum(len(getattr(t, "columns", ())) for t in tables)
            else:
                n = len(self.of_kind(kind))
            if n:
                result[kind] = n
        return result

    @property
    def graph(self) -> nx.DiGraph:
        """Dependency graph: an edge ``a -> b`` means ``a`` depends on ``b``.

        Built on first use and kept: it costs more than loading a large schema, and many
        callers only need a few objects' dependencies (see :attr:`built_graph`).
        """
        if self._graph is None:
            # networkx loads only when a graph is asked for: not a cycle, pgdrift.graph
            # needs nothing from this module.
            from pgdrift.graph import build_graph  # noqa: PLC0415

            # The cache of a frozen object, set once (attrs' documented way for frozen classes).
            object.__setattr__(self, "_graph", build_graph(self))
        assert self._graph is not None
        return self._graph

    @property
    def built_graph(self) -> nx.DiGraph | None:
        """:attr:`graph` if something has built it already, else None (without building it)."""
        return self._graph


def domain_lookup(*schemas: Schema) -> Callable[[TypeRef], model.Domain | None]:
    """Finds a domain by its type name in the first of ``schemas`` that defines it (the new
    schema first, for a type the migration creates or changes).

    >>> import pgdrift
    >>> find = domain_lookup(pgdrift.loads("CREATE DOMAIN public.d AS text;"))
    >>> from pgdrift.types import TypeRef
    >>> str(find(TypeRef("public", "d")).base_type), find(TypeRef("public", "e"))
    ('text', None)
    """

    def find(ref: TypeRef) -> model.Domain | None:
        if ref.schema is None:
            return None
        oid = ObjectId(ids.DOMAIN, ref.schema, ref.name)
        for schema in schemas:
            found = schema.objects.get(oid)
            if isinstance(found, model.Domain):
                return found
        return None

    return find
