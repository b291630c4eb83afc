"""Cache entries of version 3 (pgdrift.cache_objects): objects pickled one by one, read back on
demand, and the digest shortcut of the differ and of Schema equality, which must give exactly
what a full comparison gives."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import pgdrift
from pgdrift import cache_objects
from pgdrift.cache import SchemaCache
from pgdrift.cache_objects import LazyObjects, decode_schema, differing, encode_schema
from pgdrift.differ import diff
from pgdrift.loading import load, loads
from pgdrift.renderer import render

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))
from fixture_pairs import PAIRS, Pair, invert_renames  # noqa: E402

LIVECONVO = ROOT / "fixtures" / "liveconvo" / "prod" / "dump.sql"


@pytest.fixture(scope="module")
def pair_cache(tmp_path_factory: pytest.TempPathFactory) -> SchemaCache:
    return SchemaCache(tmp_path_factory.mktemp("pairs") / "cache")


def cached(path: Path, store: SchemaCache) -> pgdrift.Schema:
    """``path`` read from its cache entry (written first when missing)."""
    schema = load(path, cache=store)
    if not isinstance(schema.objects, LazyObjects):
        schema = load(path, cache=store)
    assert isinstance(schema.objects, LazyObjects)
    return schema


@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: pair.name)
def test_diffs_of_cached_schemas_equal_those_of_fresh_loads(
    pair: Pair, pair_cache: SchemaCache
) -> None:
    for before, after, renames in (
        (pair.a, pair.b, dict(pair.renames)),
        (pair.b, pair.a, invert_renames(pair.renames)),
    ):
        fresh = diff(load(before), load(after), renames=renames)
        from_cache = diff(cached(before, pair_cache), cached(after, pair_cache), renames=renames)
        assert render(from_cache, "json") == render(fresh, "json")
        assert render(from_cache, "text") == render(fresh, "text")


def test_objects_are_read_only_when_asked_for() -> None:
    schema = load(LIVECONVO)
    lazy = decode_schema(encode_schema(schema)).objects
    assert isinstance(lazy, LazyObjects)
    assert list(lazy) == list(schema.objects)
    assert not any(lazy._loaded)
    oid = next(iter(schema.objects))
    assert lazy[oid] == schema.objects[oid]
    assert 0 < sum(x is not None for x in lazy._loaded) < len(lazy)
    assert lazy[oid].span == schema.objects[oid].span
    assert dict(lazy) == dict(schema.objects)
    assert lazy.fully_loaded


def test_places_come_back_one_by_one_and_in_bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    # A chunk stores its objects' places as plain tuples; each is made into a SourceSpan or
    # TocEntry only for the object read.
    schema = load(LIVECONVO)
    payload = encode_schema(schema)
    monkeypatch.setattr(cache_objects, "BULK_AFTER", len(schema.objects) + 1)
    one_by_one = decode_schema(payload).objects
    in_bulk = decode_schema(payload).objects
    in_bulk.load_all()
    assert any(obj.toc is not None for obj in schema.objects.values())
    for oid, obj in reversed(schema.objects.items()):
        for lazy in (one_by_one, in_bulk):
            assert (lazy[oid].span, lazy[oid].toc) == (obj.span, obj.toc)
            assert type(lazy[oid].span) is type(obj.span)


def test_many_asks_read_everything_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_objects, "BULK_AFTER", 3)
    monkeypatch.setattr(cache_objects, "CHUNK_BYTES", 64)  # one or two objects per chunk
    schema = load(LIVECONVO)
    lazy = decode_schema(encode_schema(schema)).objects
    assert isinstance(lazy, LazyObjects)
    ids = list(lazy)
    lazy[ids[0]]
    lazy[ids[-1]]
    assert not lazy.fully_loaded
    lazy[ids[len(ids) // 2]]
    assert lazy.fully_loaded
    assert all(lazy[oid] == schema.objects[oid] for oid in ids)


def test_a_digest_does_not_depend_on_where_the_object_is() -> None:
    a = loads("CREATE TABLE t (a int);\nCREATE TABLE u (b int);", name="a.sql")
    b = loads("\n\n-- moved\nCREATE TABLE u (b int);\nCREATE TABLE t (a int);", name="b.sql")
    lazy_a = decode_schema(encode_schema(a)).objects
    lazy_b = decode_schema(encode_schema(b)).objects
    assert differing(lazy_a, lazy_b) == set()
    table = next(oid for oid in lazy_b if oid.name == "u")
    assert lazy_b[table].span != lazy_a[table].span  # each keeps its own place
    assert lazy_b[table].span == b.objects[table].span


def test_differing_names_changed_added_and_dropped_objects() -> None:
    a = loads("CREATE TABLE t (a int); CREATE TABLE u (b int); CREATE TABLE v (c int);")
    b = loads("CREATE TABLE t (a int); CREATE TABLE u (b bigint); CREATE TABLE w (c int);")
    found = differing(decode_schema(encode_schema(a)).objects,
                      decode_schema(encode_schema(b)).objects)  # fmt: skip
    assert sorted(str(oid) for oid in found or ()) == [
        "table:public.u", "table:public.v", "table:public.w",
    ]  # fmt: skip
    assert differing(a.objects, b.objects) is None  # fresh loads: no shortcut


def test_schema_equality_by_digest_agrees_with_a_full_comparison() -> None:
    a = loads("CREATE TABLE t (a int); CREATE TABLE u (b int);")
    b = loads("CREATE TABLE t (a int); CREATE TABLE u (b bigint);")
    again = loads("CREATE TABLE u (b int);\nCREATE TABLE t (a int);")
    lazy = {
        name: decode_schema(encode_schema(s)) for name, s in (("a", a), ("b", b), ("again", again))
    }
    assert lazy["a"] == lazy["again"] == a
    assert lazy["a"] != lazy["b"]
    assert (lazy["a"] == lazy["b"]) == (a == b)


def test_a_tampered_chunk_is_a_miss_and_rebuilt(tmp_path: Path) -> None:
    store = SchemaCache(tmp_path / "cache")
    dump = tmp_path / "dump.sql"
    dump.write_bytes(LIVECONVO.read_bytes())
    load(dump, cache=store)
    (entry,) = store.directory.glob("*.schema")
    data = bytearray(entry.read_bytes())
    data[-100] ^= 0xFF  # inside the last chunk
    entry.write_bytes(bytes(data))
    schema = load(dump, cache=store)
    assert not isinstance(schema.objects, LazyObjects)  # built again, not read
    assert schema == load(dump)
    assert isinstance(load(dump, cache=store).objects, LazyObjects)  # rewritten whole


def test_a_pair_with_one_side_cached_is_compared_by_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pgdrift import cli  # noqa: PLC0415
    from pgdrift.cli.inputs import load_pair  # noqa: PLC0415

    monkeypatch.setenv("PGDRIFT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PGDRIFT_JOBS", "1")
    other = ROOT / "fixtures" / "constraints" / "dump.sql"
    load(other, cache=SchemaCache(tmp_path / "cache"))  # B is in the cache, A is not
    old, new = load_pair(cli.build_parser().parse_args(["diff", str(LIVECONVO), str(other)]))
    assert isinstance(old.objects, LazyObjects)  # read back from the entry just written
    assert isinstance(new.objects, LazyObjects)
    assert old == load(LIVECONVO)
    assert new == load(other)


def test_ids_are_made_only_when_asked_for() -> None:
    schema = load(LIVECONVO)
    lazy = decode_schema(encode_schema(schema)).objects
    assert isinstance(lazy, LazyObjects)
    assert not any(lazy._ids)
    assert lazy.kinds() == {oid.kind for oid in schema.objects}
    oid = list(schema.objects)[5]
    # A lookup by id goes through the stored tuples: it makes no ObjectId.
    assert oid in lazy
    assert lazy[oid] == schema.objects[oid]
    assert not any(lazy._ids)
    assert lazy.id_at(5) == oid
    assert lazy.id_at(5) is lazy.id_at(5)
    assert sum(made is not None for made in lazy._ids) == 1
    assert "not an id" not in lazy
    with pytest.raises(KeyError):
        lazy["not an id"]  # type: ignore[index]
    assert list(lazy) == list(schema.objects)
    assert all(lazy._ids)


def test_an_uncompressed_payload_reads_back_equal() -> None:
    schema = load(LIVECONVO)
    stored = encode_schema(schema, level=0)
    assert len(stored) > len(encode_schema(schema))
    back = decode_schema(stored)
    assert isinstance(back.objects, LazyObjects)
    assert dict(back.objects) == dict(schema.objects)
    assert back == schema
