"""The objects of one build, with indexes so that a statement touches only what it concerns.

A migration folder's statements each concern a few objects: the table a constraint is named
in, the parts of a table whose column is renamed or dropped, the domains of one schema. Finding
them by scanning the whole catalogue made replaying a long folder quadratic. A
:class:`Catalogue` is the ``dict`` the builders always used, plus indexes that are built the
first time they are asked for and then kept up to date by every insert, replace and delete. A
pg_dump, which never asks, pays nothing for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from pgdrift import model
from pgdrift.expr import Expr, walk
from pgdrift.ids import ObjectId
from pgdrift.types import TypeRef

__all__ = ["Catalogue", "query_expressions"]

# The fields by which an object hangs off another: a constraint, index, trigger, policy, rule
# or statistics object off its table (``table``), a foreign key off the table it references
# (``references``), a sequence off the column that owns it (``owned_by``, ``identity_of``).
# The third index, by the relation names a query's expressions use, is how a view, rule,
# policy or trigger depends on a relation: PostgreSQL records it in pg_depend, the model
# only in the query's text.
_LINKS = ("table", "references", "owned_by", "identity_of")

_Index = dict[Any, dict[ObjectId, None]]  # key -> ids, in insertion order


def _kind_keys(oid: ObjectId, obj: model.DbObject) -> Iterator[Any]:
    del obj
    yield oid.kind


def _link_keys(oid: ObjectId, obj: model.DbObject) -> Iterator[Any]:
    del oid
    for field in _LINKS:
        target = getattr(obj, field, None)
        if isinstance(target, ObjectId):
            yield target


def query_expressions(obj: model.DbObject) -> list[Expr | None]:
    """The expressions by which a view, rule, policy, trigger or routine uses other relations
    and their columns (its query, its USING and WITH CHECK, its WHERE and actions, its WHEN,
    its SQL-standard body)."""
    if isinstance(obj, (model.View, model.MaterializedView)):
        return [obj.query]
    if isinstance(obj, model.Policy):
        return [obj.using, obj.with_check]
    if isinstance(obj, model.Rule):
        return [obj.where, *obj.actions]
    if isinstance(obj, model.Trigger):
        return [obj.when]
    if isinstance(obj, model.Function):
        return [obj.sql_body]
    return []


def _parent_keys(oid: ObjectId, obj: model.DbObject) -> Iterator[Any]:
    del oid
    yield from getattr(obj, "inherits", ())


def _relation_name_keys(oid: ObjectId, obj: model.DbObject) -> Iterator[Any]:
    del oid
    names: set[str] = set()
    for expr in query_expressions(obj):
        if expr is None:
            continue
        for name, fields in walk(expr.tree):
            if name == "RangeVar":
                relname = dict(fields).get("relname")
                if isinstance(relname, str):
                    names.add(relname)
    yield from names


def _held_keys(oid: ObjectId, obj: model.DbObject) -> Iterator[Any]:
    del oid
    held: set[ObjectId] = set()
    _collect_ids(obj, held)
    yield from held


def _collect_ids(value: Any, held: set[ObjectId]) -> None:
    """Every object id ``value`` holds, as :func:`pgdrift.builder.references.replace_references`
    walks it: through tuples, a table's columns and the fields ``__init__`` takes, not into
    types and expressions (which name objects by text)."""
    if isinstance(value, ObjectId):
        held.add(value)
    elif isinstance(value, tuple):
        for item in value:
            _collect_ids(item, held)
    elif isinstance(value, model.Columns):
        _collect_ids(value.ordered, held)
    elif attrs.has(type(value)) and not isinstance(value, (Expr, TypeRef)):
        for field in attrs.fields(type(value)):
            if field.init:
                _collect_ids(getattr(value, field.name), held)


def _type_refs(obj: model.DbObject) -> Iterator[TypeRef | None]:
    """The type references an object holds (pgdrift.model): its columns' types, a typed
    table's type, a routine's argument, result and transform types, a domain's base type, a
    range's subtype, a cast's types, a sequence's data type."""
    if isinstance(obj, (model.Table, model.CompositeType)):
        yield from (column.type for column in obj.columns.ordered)
        yield getattr(obj, "of_type", None)
    elif isinstance(obj, model.Function):
        yield from (argument.type for argument in obj.arguments)
        yield obj.returns
        yield from obj.transforms
    elif isinstance(obj, model.Aggregate):
        yield from (a.type for a in (*obj.arguments, *obj.direct_arguments))
    elif isinstance(obj, model.Domain):
        yield obj.base_type
    elif isinstance(obj, model.RangeType):
        yield obj.subtype
    elif isinstance(obj, model.Cast):
        yield from (obj.source, obj.target)
    elif isinstance(obj, model.Sequence):
        yield obj.options.data_type


def _type_keys(oid: ObjectId, obj: model.DbObject) -> Iterator[Any]:
    del oid
    found = {(ref.schema, ref.name) for ref in _type_refs(obj)
             if ref is not None and ref.schema is not None}  # fmt: skip
    yield from found


#: Index name -> the keys an object is filed under.
_KEYS: dict[str, Callable[[ObjectId, model.DbObject], Iterable[Any]]] = {
    "kind": _kind_keys,
    "link": _link_keys,
    "inherits": _parent_keys,
    "names": _relation_name_keys,
    "held": _held_keys,
    "typed": _type_keys,
}


class Catalogue(dict[ObjectId, model.DbObject]):
    """Object id -> object, as a ``dict``, with lazily built, incrementally kept indexes.

    >>> from pgdrift import ids
    >>> catalogue = Catalogue()
    >>> oid = ObjectId(ids.SCHEMA, None, "app")
    >>> catalogue[oid] = model.Namespace(id=oid)
    >>> list(catalogue.of_kind(ids.SCHEMA))
    [ObjectId(kind='schema', schema=None, name='app', parent=None, args=None)]
    """

    __slots__ = ("_indexes", "moves")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._indexes: dict[str, _Index] = {}
        #: How often objects were removed or moved to other keys (an incremental reader of
        #: the objects appended since it last looked reads them all again when this changed).
        self.moves = 0

    # Queries --------------------------------------------------------------------------------
    def of_kind(self, *kinds: str) -> list[ObjectId]:
        """The ids of the objects of these kinds (in insertion order within a kind)."""
        index = self._index("kind")
        return [oid for kind in kinds for oid in index.get(kind, ())]

    def linked_to(self, target: ObjectId) -> list[ObjectId]:
        """The ids of the objects whose ``table``, ``references``, ``owned_by`` or
        ``identity_of`` is ``target``: a table's constraints, indexes, triggers, policies,
        rules and statistics, the foreign keys to it, the sequences a column owns."""
        return list(self._index("link").get(target, ()))

    def inheritors(self, parent: ObjectId) -> list[ObjectId]:
        """The ids of the tables that name ``parent`` in ``INHERITS`` (its direct children;
        partitions are not among them)."""
        return list(self._index("inherits").get(parent, ()))

    def naming(self, relation: str) -> list[ObjectId]:
        """The ids of the views, rules, policies and triggers whose expressions name a
        relation called ``relation`` (in any schema: a query's names are read through its
        search_path)."""
        return list(self._index("names").get(relation, ()))

    def holding(self, targets: Iterable[ObjectId]) -> list[ObjectId]:
        """The ids of the objects that hold one of ``targets`` in a field (their own id, a
        column's, a constraint's table...): what a rename of the targets must rewrite. Built
        by walking every object once, this index is asked for only by renames that would
        otherwise walk them all each time."""
        index = self._index("held")
        found: dict[ObjectId, None] = {}
        for target in targets:
            found.update(index.get(target, {}))
        return list(found)

    def typing(self, schema: str, name: str) -> list[ObjectId]:
        """The ids of the objects that refer to the type ``schema.name`` (or its array) by a
        type reference: a column's type, a routine's argument or result type..."""
        return list(self._index("typed").get((schema, name), ()))

    def rekey(self, mapping: dict[ObjectId, ObjectId]) -> None:
        """Objects stored under the keys of ``mapping`` move to its values, keeping their
        place in the order of insertion (objects are read back in that order)."""
        moved = {old: self[old] for old in mapping if old in self}
        if not moved:
            return
        self.moves += 1
        for old, obj in moved.items():
            self._unfile(old, obj)
            new = mapping[old]
            if new in self and new not in moved:  # overwritten, as a dict update would
                self._unfile(new, self[new])
        items = [(mapping.get(oid, oid), obj) for oid, obj in dict.items(self)]
        dict.clear(self)
        dict.update(self, items)
        for old, obj in moved.items():
            self._file(mapping[old], obj)

    def _index(self, name: str) -> _Index:
        index = self._indexes.get(name)
        if index is None:
            index = self._indexes[name] = {}
            keys = _KEYS[name]
            for oid, obj in self.items():
                for key in keys(oid, obj):
                    index.setdefault(key, {})[oid] = None
        return index

    # Upkeep ---------------------------------------------------------------------------------
    def _file(self, oid: ObjectId, obj: model.DbObject) -> None:
        for name, index in self._indexes.items():
            for key in _KEYS[name](oid, obj):
                index.setdefault(key, {})[oid] = None

    def _unfile(self, oid: ObjectId, obj: model.DbObject) -> None:
        for name, index in self._indexes.items():
            for key in _KEYS[name](oid, obj):
                entries = index.get(key)
                if entries is not None:
                    entries.pop(oid, None)
                    if not entries:
                        del index[key]

    def __setitem__(self, oid: ObjectId, obj: model.DbObject) -> None:
        if self._indexes:
            previous = self.get(oid)
            if previous is not None:
                self._unfile(oid, previous)
            self._file(oid, obj)
        super().__setitem__(oid, obj)

    def __delitem__(self, oid: ObjectId) -> None:
        if self._indexes:
            self._unfile(oid, self[oid])
        super().__delitem__(oid)
        self.moves += 1

    def pop(self, oid: ObjectId, *default: Any) -> Any:
        if oid in self:
            obj = self[oid]
            del self[oid]
            return obj
        return super().pop(oid, *default)

    def popitem(self) -> tuple[ObjectId, model.DbObject]:
        oid, obj = super().popitem()
        self.moves += 1
        if self._indexes:
            self._unfile(oid, obj)
        return oid, obj

    def setdefault(self, oid: ObjectId, default: model.DbObject) -> model.DbObject:
        if oid not in self:
            self[oid] = default
        return self[oid]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for oid, obj in dict(*args, **kwargs).items():
            self[oid] = obj

    def __ior__(self, other: Any) -> Catalogue:  # type: ignore[override,misc]
        self.update(other)
        return self

    def clear(self) -> None:
        super().clear()
        self._indexes.clear()
        self.moves += 1

    def __reduce__(self) -> Any:
        return (Catalogue, (dict(self),))
