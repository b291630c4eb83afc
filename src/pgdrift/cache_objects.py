"""The objects of a cached schema, one pickle each, read back only when asked for.

A schema cache entry (:mod:`pgdrift.cache`) holds each object of the schema pickled on its own,
the pickles grouped in zlib chunks of about 32 KiB, with a 16-byte BLAKE2b digest of each
pickle. An object's source span and TOC entry (its place in the file) are not in its pickle:
they are stored beside it, by position, so the same definition at another line of another file
has the same digest. Equal digests mean equal pickles, hence equal objects; different digests
only mean "compare them" (a set or a dict pickled in another order has another digest).

:class:`LazyObjects` is the ``Mapping`` a schema read from an entry holds: an object's chunk is
decompressed and unpickled on first use, and once many objects have been asked for (a whole
diff, a plan, a lint) everything left is read in one pass. :func:`differing` gives the ids two
such mappings do not hold alike, from the digests alone, without unpickling anything: the
differ compares only those (see :func:`pgdrift.differ.engine.diff_schemas`).

Unpickling runs code: this module reads only what :mod:`pgdrift.cache` has checked (a private
directory, the entry's SHA-256) or what a worker process of this run sent.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import itertools
import operator
import pickle
import struct
import sys
import threading
import types
import zlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from pgdrift._evolve import is_cache_field
from pgdrift._gc_pause import gc_paused
from pgdrift.source import SourceSpan, TocEntry

if TYPE_CHECKING:
    from pgdrift.ids import ObjectId
    from pgdrift.model import DbObject
    from pgdrift.schema import Schema

__all__ = [
    "BULK_AFTER", "CHUNK_BYTES", "LazyObjects", "decode_schema", "differing", "encode_schema",
    "unlike",
]  # fmt: skip

#: Uncompressed bytes of object pickles per chunk.
CHUNK_BYTES = 32 * 1024
#: Once this many objects were asked for, the rest are read at once (cheaper per object).
BULK_AFTER = 2000
#: Decompressed chunks kept for the objects asked for one by one.
_OPEN_CHUNKS = 16
DIGEST_BYTES = 16

_LENGTH = struct.Struct("<Q")
_SCHEMA_FIELDS = ("source", "database", "errors", "warnings", "dumped_from", "dumped_by", "inputs")


# -- writing -------------------------------------------------------------------------------


def encode_schema(schema: Schema, *, level: int = 1) -> bytes:
    """``schema`` as the payload of a cache entry: an index, then the chunks of objects.

    The index (zlib, pickled) holds the schema's other fields, the ids in order (each a plain
    tuple of its fields: see :class:`LazyObjects`), the digests, where each chunk starts and
    where each object's pickle lies in its chunk. ``level`` is zlib's: 0 stores without
    compressing, for a payload read back at once or sent from a worker process (compressing
    costs more than the bytes it saves there); 1 for an entry written to disk.
    """
    reducers = _AttrsReducers()
    locations: list[Any] = []

    def reduce_location(location: Any) -> tuple[Any, ...]:
        locations.append(location)
        return _location, (len(locations) - 1,)

    reducers[SourceSpan] = reduce_location
    reducers[TocEntry] = reduce_location
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = reducers
    ids: list[IdRecord] = []
    digests: list[bytes] = []
    bounds: list[int] = []  # each object's end in its chunk's pickles
    firsts: list[int] = []  # the position of each chunk's first object
    chunk_locations: list[tuple[Any, ...]] = []
    chunks: list[bytes] = []
    blake2b = hashlib.blake2b

    def close_chunk() -> None:
        raw = buffer.getvalue()
        # The locations as plain tuples, made into spans and TOC entries only for the objects
        # read: a warm diff reads a few objects of each chunk it opens, not all of them.
        where = pickle.dumps(chunk_locations, protocol=pickle.HIGHEST_PROTOCOL)
        chunks.append(zlib.compress(_LENGTH.pack(len(where)) + where + raw, level))
        buffer.seek(0)
        buffer.truncate()
        chunk_locations.clear()

    with gc_paused(freeze=False):
        for oid, obj in schema.objects.items():
            if not chunk_locations:
                firsts.append(len(ids))
            start = buffer.tell()
            pickler.clear_memo()
            pickler.dump(obj)
            end = buffer.tell()
            pickled = buffer.getbuffer()[start:end]
            digests.append(blake2b(pickled, digest_size=DIGEST_BYTES).digest())
            pickled.release()
            ids.append((oid.kind, oid.schema, oid.name, oid.parent, oid.args))
            bounds.append(end)
            chunk_locations.append(tuple(map(_plain_location, locations)))
            locations.clear()
            if end >= CHUNK_BYTES:
                close_chunk()
        if chunk_locations:
            close_chunk()
        meta = {name: getattr(schema, name) for name in _SCHEMA_FIELDS}
        index_pickle = io.BytesIO()
        index_pickler = pickle.Pickler(index_pickle, protocol=pickle.HIGHEST_PROTOCOL)
        index_pickler.dispatch_table = _AttrsReducers()
        index_pickler.dump((meta, ids, b"".join(digests), bounds, firsts, [len(c) for c in chunks]))
    index = zlib.compress(index_pickle.getvalue(), level)
    return b"".join((_LENGTH.pack(len(index)), index, *chunks))


_CURRENT = threading.local()


def _location(position: int) -> Any:
    """The span or TOC entry stored beside the object being unpickled, by its position."""
    is_toc, fields = _CURRENT.locations[position]
    return (_builder(TocEntry) if is_toc else _builder(SourceSpan))(*fields)


# In the order of the fields, as the builders take them.
_SPAN_FIELDS = operator.attrgetter(*(field.name for field in attrs.fields(SourceSpan)))
_TOC_FIELDS = operator.attrgetter(*(field.name for field in attrs.fields(TocEntry)))


def _plain_location(location: SourceSpan | TocEntry) -> tuple[bool, tuple[Any, ...]]:
    if location.__class__ is SourceSpan:
        return False, _SPAN_FIELDS(location)
    return True, _TOC_FIELDS(location)


# -- reading -------------------------------------------------------------------------------


def decode_schema(payload: bytes) -> Schema:
    """The schema :func:`encode_schema` wrote, its objects a :class:`LazyObjects`.

    Raises:
        Exception: anything, when the payload is not one (the caller treats it as a miss).
    """
    from pgdrift.schema import Schema  # noqa: PLC0415 - pgdrift.schema imports nothing of ours

    (size,) = _LENGTH.unpack_from(payload)
    with gc_paused(freeze=False):
        meta, records, digests, bounds, firsts, sizes = pickle.loads(  # noqa: S301 - see docstring
            zlib.decompress(payload[_LENGTH.size : _LENGTH.size + size])
        )
    offsets = []
    offset = _LENGTH.size + size
    for length in sizes:
        offsets.append((offset, offset + length))
        offset += length
    expected = DIGEST_BYTES * len(records)
    if offset != len(payload) or len(digests) != expected != DIGEST_BYTES * len(bounds):
        raise ValueError("the payload's index does not match its chunks")
    objects = LazyObjects(
        payload,
        records=tuple(records),
        digests=digests,
        bounds=bounds,
        firsts=firsts,
        offsets=offsets,
    )
    return Schema(objects, **meta)


#: An id as the index stores it: ``(kind, schema, name, parent, args)``, ObjectId's fields.
IdRecord = tuple[str, "str | None", str, "str | None", "tuple[str, ...] | None"]


class LazyObjects(Mapping["ObjectId", "DbObject"]):
    """A schema's objects by id, unpickled from a cache entry's chunks on first use.

    Iterates in the order the schema had when it was stored. The ids (as plain tuples, their
    :class:`~pgdrift.ids.ObjectId` made when first asked for) and digests are read at once;
    an object's chunk when the object is first asked for; every chunk left once
    :data:`BULK_AFTER` objects have been.
    """

    def __init__(
        self,
        payload: bytes,
        *,
        records: tuple[IdRecord, ...],
        digests: bytes,
        bounds: list[int],
        firsts: list[int],
        offsets: list[tuple[int, int]],
    ) -> None:
        self._payload: bytes | None = payload if firsts else None
        # The ids as tuples: unpickled several times faster than ObjectIds, and hashed in C.
        # A warm diff asks for the ids of the few objects that differ (id_at), not all of them.
        self._records = records
        self._ids: list[ObjectId | None] = [None] * len(records)
        self._all_ids: tuple[ObjectId, ...] | None = None
        # By record, built on first lookup by id; the differ finds what it needs by position
        # (see unlike).
        self._positions: dict[IdRecord, int] | None = None
        self._digests = digests
        self._bounds = bounds
        self._firsts = firsts
        self._offsets = offsets
        self._loaded: list[Any] = [None] * len(records)
        self._asked = 0
        self._left = len(records)
        self._opened: dict[int, tuple[memoryview, int, Any]] = {}
        self._digest_map: dict[ObjectId, bytes] | None = None

    def __getitem__(self, oid: ObjectId) -> DbObject:
        try:
            key = (oid.kind, oid.schema, oid.name, oid.parent, oid.args)
        except AttributeError:
            raise KeyError(oid) from None
        position = self._position().get(key)
        if position is None:
            raise KeyError(oid)
        return self.at(position)

    def at(self, position: int) -> DbObject:
        """The object at ``position`` in the stored order."""
        found = self._loaded[position]
        if found is None:
            self._asked += 1
            if self._asked >= BULK_AFTER:
                self.load_all()
            else:
                self._load_chunk(self._chunk_of(position), only=position)
            found = self._loaded[position]
        return found  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[ObjectId]:
        return iter(self._every_id())

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, oid: object) -> bool:
        try:
            key = (oid.kind, oid.schema, oid.name, oid.parent, oid.args)  # type: ignore[attr-defined]
        except AttributeError:
            return False
        return key in self._position()

    def id_at(self, position: int) -> ObjectId:
        """The id of the object at ``position``, made on first use."""
        found = self._ids[position]
        if found is None:
            from pgdrift.ids import ObjectId  # noqa: PLC0415 - imports nothing of ours

            found = self._ids[position] = ObjectId(*self._records[position])
        return found

    def kinds(self) -> frozenset[str]:
        """The kinds of object held, read from the stored ids without making ObjectIds."""
        return frozenset(record[0] for record in self._records)

    def _every_id(self) -> tuple[ObjectId, ...]:
        if self._all_ids is None:
            self._all_ids = tuple(map(self.id_at, range(len(self._records))))
        return self._all_ids

    def _position(self) -> dict[IdRecord, int]:
        if self._positions is None:
            self._positions = dict(zip(self._records, range(len(self._records)), strict=True))
        return self._positions

    def __repr__(self) -> str:
        return f"<LazyObjects: {len(self._records)} objects>"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (a schema sent elsewhere), it becomes the plain dict it stands for.
        return dict, (list(self.items()),)

    @property
    def digests(self) -> dict[ObjectId, bytes]:
        """Each object's 16-byte digest, by id (equal digests: equal objects)."""
        if self._digest_map is None:
            data = self._digests
            size = DIGEST_BYTES
            self._digest_map = {
                oid: data[n * size : (n + 1) * size] for n, oid in enumerate(self._every_id())
            }
        return self._digest_map

    @property
    def fully_loaded(self) -> bool:
        return self._payload is None

    def load_all(self) -> None:
        """Unpickle every object not read yet, and drop the entry's bytes."""
        if self._payload is None:
            return
        with gc_paused():
            for chunk in range(len(self._firsts)):
                if self._payload is None:
                    break
                self._load_chunk(chunk)
                self._opened.clear()  # each chunk is read whole, once

    def _chunk_of(self, position: int) -> int:
        # The last chunk whose first object is at or before ``position``.
        low, high = 0, len(self._firsts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self._firsts[middle] <= position:
                low = middle
            else:
                high = middle - 1
        return low

    def _open(self, chunk: int) -> tuple[memoryview, int, Any]:
        """A chunk decompressed: its bytes, where its pickles start, its objects' locations.

        The last few are kept: objects asked for one by one are often neighbours.
        """
        found = self._opened.pop(chunk, None)
        if found is None:
            assert self._payload is not None
            start, end = self._offsets[chunk]
            raw = memoryview(zlib.decompress(self._payload[start:end]))
            (size,) = _LENGTH.unpack_from(raw)
            with gc_paused():
                locations = pickle.loads(raw[_LENGTH.size : _LENGTH.size + size])  # noqa: S301
            found = (raw, _LENGTH.size + size, locations)
            if len(self._opened) >= _OPEN_CHUNKS:
                del self._opened[next(iter(self._opened))]
        self._opened[chunk] = found
        return found

    def _load_chunk(self, chunk: int, only: int | None = None) -> None:
        """Unpickle the objects of ``chunk`` not read yet (only the one at ``only`` if given)."""
        first = self._firsts[chunk]
        last = self._firsts[chunk + 1] if chunk + 1 < len(self._firsts) else len(self._records)
        loaded, bounds, loads = self._loaded, self._bounds, pickle.loads
        wanted = range(first, last) if only is None else range(only, only + 1)
        if all(loaded[position] is not None for position in wanted):
            return
        raw, body, locations = self._open(chunk)
        # What a chunk holds is acyclic and stays: moved out of the collector's sight at once,
        # else every later collection walks it again.
        with gc_paused():
            for position in wanted:
                if loaded[position] is not None:
                    continue
                begin = body + (bounds[position - 1] if position > first else 0)
                _CURRENT.locations = locations[position - first]
                loaded[position] = loads(raw[begin : body + bounds[position]])
                self._left -= 1
            _CURRENT.locations = ()
        if not self._left:
            # Everything is read: the entry's bytes are not needed any more.
            self._payload = None
            self._opened.clear()


def differing(a: Mapping[ObjectId, Any], b: Mapping[ObjectId, Any]) -> set[ObjectId] | None:
    """The ids on one side only or whose digests differ, when both sides are lazy (else None).

    Every id outside the result is on both sides with an equal object.

    Example:
        >>> differing({}, {}) is None
        True
    """
    split = unlike(a, b)
    if split is None:
        return None
    assert isinstance(a, LazyObjects)
    assert isinstance(b, LazyObjects)
    return {*map(a.id_at, split[0]), *map(b.id_at, split[1])}


def unlike(
    a: Mapping[ObjectId, Any], b: Mapping[ObjectId, Any]
) -> tuple[list[int], list[int]] | None:
    """The positions (see :meth:`LazyObjects.at`) of the objects of ``a`` and of ``b``, each in
    its own order, that the other side does not hold with an equal digest, when both sides are
    lazy (else None)."""
    if not (isinstance(a, LazyObjects) and isinstance(b, LazyObjects)):
        return None
    da, db, size = a._digests, b._digests, DIGEST_BYTES
    if da == db and a._records == b._records:
        return [], []
    # An object's pickle holds its id: equal digests are the same id with an equal object, so
    # the digests alone tell what is the same on both sides (bytes hash faster than ids).
    left = [da[n : n + size] for n in range(0, len(da), size)]
    right = [db[n : n + size] for n in range(0, len(db), size)]
    in_left, in_right = set(left), set(right)
    only_left, only_right = in_left - in_right, in_right - in_left
    # The positions picked in C: a Python loop over every digest cost as much as the sets.
    return (
        list(itertools.compress(range(len(left)), map(only_left.__contains__, left))),
        list(itertools.compress(range(len(right)), map(only_right.__contains__, right))),
    )


# -- pickling attrs instances --------------------------------------------------------------


class _AttrsReducers(dict[type, Callable[[Any], Any]]):
    """A pickler's dispatch table that stores an ``attrs`` slotted instance as a tuple.

    The ``__getstate__`` that attrs generates makes a dict of every instance (field names and
    values) and its ``__setstate__`` sets them one by one in Python; a 5,000-table schema has
    about 400,000 such instances. Reading the fields with one :func:`operator.attrgetter` and
    setting them in a function generated for the class (:func:`__getattr__`) takes less than half
    the time to pickle, a third to unpickle, and two thirds of the size. Other types keep their
    usual reduction.

    A field that ``__init__`` does not take and that has a default is a cache (an expression's
    hash and SQL text, a schema's dependency graph): it is not written, and comes back as its
    default. A hash must not travel: ``hash()`` of a string differs from process to process.
    """

    def __missing__(self, cls: type) -> Callable[[Any], Any]:
        if not (attrs.has(cls) and "__slots__" in cls.__dict__):
            found = copyreg.dispatch_table.get(cls)
            if found is None:
                raise KeyError(cls)
            return found
        names = tuple(field.name for field in attrs.fields(cls) if not is_cache_field(field))
        getter = operator.attrgetter(*names)
        builder = _builder(cls)
        if len(names) == 1:

            def reduce_one(obj: Any) -> tuple[Any, ...]:
                return builder, (getter(obj),)

            self[cls] = reduce_one
        else:

            def reduce_many(obj: Any) -> tuple[Any, ...]:
                return builder, getter(obj)

            self[cls] = reduce_many
        return self[cls]


_BUILD_PREFIX = "_build:"


def _builder(cls: type[Any]) -> Callable[..., Any]:
    """The generated function that makes a ``cls`` from its field values (see __getattr__),
    generated on the first call for ``cls`` and then found in this module's globals."""
    name = f"{_BUILD_PREFIX}{cls.__module__.replace('.', '/')}:{cls.__qualname__.replace('.', '/')}"
    found: Callable[..., Any] | None = globals().get(name)
    if found is None:
        found = __getattr__(name)
    return found


def __getattr__(name: str) -> Any:
    """``_build:module:Class``: a function, generated once per class, that sets an ``attrs``
    instance's slots from its field values (and its caches to their defaults) without the
    generic loop of ``__setstate__``. Pickles name it; the name is its own recipe (slashes
    for dots, which pickle would take for attribute paths), so another process makes the
    same function when it first reads one."""
    if not name.startswith(_BUILD_PREFIX):
        raise AttributeError(name)
    _, module_name, qualname = name.split(":")
    import importlib  # noqa: PLC0415

    cls: Any = importlib.import_module(module_name.replace("/", "."))
    for part in qualname.split("/"):
        cls = getattr(cls, part)
    if not (attrs.has(cls) and "__slots__" in cls.__dict__):
        raise AttributeError(name)
    fields = [field for field in attrs.fields(cls) if not is_cache_field(field)]
    names = [field.name for field in fields]
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls, "intern": sys.intern}
    lines = []
    # Names (of objects, schemas, roles, types) repeat across objects, each pickled on its own:
    # interned, every copy read back is the same string object.
    values = [
        f"intern(v{i}) if v{i}.__class__ is str else v{i}" if field.type in _NAME_TYPES else f"v{i}"
        for i, field in enumerate(fields)
    ]
    for number, (field_name, value) in enumerate(
        [*zip(names, values, strict=True)]
        + [(n, f"d{i}") for i, (n, _) in enumerate(_cache_defaults(cls))]
    ):
        slot = getattr(cls, field_name, None)
        if isinstance(slot, types.MemberDescriptorType):
            namespace[f"s{number}"] = slot.__set__
            lines.append(f"    s{number}(o, {value})")
        else:
            namespace[f"s{number}"] = object.__setattr__
            lines.append(f"    s{number}(o, {field_name!r}, {value})")
    for number, (_, default) in enumerate(_cache_defaults(cls)):
        namespace[f"d{number}"] = default
    arguments = ", ".join(f"v{i}" for i in range(len(names)))
    source = f"def build({arguments}):\n    o = new(cls)\n" + "\n".join(lines) + "\n    return o\n"
    exec(source, namespace)  # noqa: S102 - code made here from a class's field names
    build = namespace["build"]
    build.__name__ = build.__qualname__ = name
    build.__module__ = __name__
    globals()[name] = build
    return build


#: The declared types of the fields whose strings are interned when read back.
_NAME_TYPES = frozenset({"str", "str | None", "Optional[str]"})




_CACHE_DEFAULTS: dict[type[Any], tuple[tuple[str, Any], ...]] = {}


def _cache_defaults(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    found = _CACHE_DEFAULTS.get(cls)
    if found is None:
        found = tuple((f.name, f.default) for f in attrs.fields(cls) if is_cache_field(f))
        _CACHE_DEFAULTS[cls] = found
    return found
