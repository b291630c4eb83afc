"""Laws that hold for every dump: mutated dumps fail only with pgdrift errors, diffs are empty
against themselves and invert when turned around, output does not depend on hash seeds.

Example counts are small by default so the suite stays fast; ``nox -s property`` raises them
with ``PGDRIFT_PROPERTY_EXAMPLES`` (and runs the opt-in 200 MB memory test).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import pgdrift
from pgdrift import Error, load
from pgdrift.differ import ChangeSet
from pgdrift.reader import (
    Statement,
    databases_in,
    read_source,
    source_from_text,
    split_statements,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
#: The fixture dumps of single objects and whole applications (not the migration pairs).
DUMPS = sorted(p for p in FIXTURES.rglob("dump.sql") if "pairs" not in p.parts)
#: (dump, database): each database of a pg_dumpall fixture is a schema of its own.
SCHEMAS = [
    (dump, database)
    for dump in DUMPS
    for database in databases_in(split_statements(read_source(dump))) or [None]
]
#: fixtures/pairs/<case>/{a,b}/dump.sql: one focused change each.
PAIRS = sorted(p.parent.parent for p in FIXTURES.glob("pairs/*/a/dump.sql"))

EXAMPLES = int(os.environ.get("PGDRIFT_PROPERTY_EXAMPLES", "25"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _name(path: Path, database: str | None = None) -> str:
    name = str(path.relative_to(FIXTURES).parent)
    return f"{name}:{database}" if database else name


@functools.cache
def _load(path: Path, database: str | None = None) -> pgdrift.Schema:
    return load(path, database=database)


@functools.cache
def _bytes(path: Path) -> bytes:
    return path.read_bytes()


# -- mutated dumps -----------------------------------------------------------------------------

MUTATION = st.one_of(
    st.tuples(st.just("delete"), st.integers(min_value=0)),
    st.tuples(st.just("duplicate"), st.integers(min_value=0)),
    st.tuples(st.just("swap"), st.integers(min_value=0), st.integers(min_value=0)),
)


def _mutate(data: bytes, mutations: list[tuple[int | str, ...]], cut: int | None) -> bytes:
    lines = data.split(b"\n")
    for kind, *where in mutations:
        if not lines:
            break
        i = int(where[0]) % len(lines)
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        else:
            j = int(where[1]) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
    mutated = b"\n".join(lines)
    return mutated if cut is None else mutated[: cut % (len(mutated) + 1)]


@PROPERTY
@given(
    dump=st.sampled_from(DUMPS),
    mutations=st.lists(MUTATION, max_size=4),
    cut=st.none() | st.integers(min_value=0),
    strict=st.booleans(),
)
def test_a_mutated_dump_loads_or_fails_with_a_pgdrift_error(
    dump: Path, mutations: list[tuple[int | str, ...]], cut: int | None, strict: bool
) -> None:
    data = _mutate(_bytes(dump), mutations, cut)
    try:
        schema = load(data, name="mutated.sql", strict=strict)
    except Error as error:
        one_line = error.one_line()
        assert "\n" not in one_line
        return
    assert all(isinstance(e, Error) for e in schema.errors)


@PROPERTY
@given(text=st.text(alphabet=st.sampled_from(list("ab1 ;'\"$\\-/*()\n\t,.:=E")), max_size=200))
def test_any_text_loads_or_fails_with_a_pgdrift_error(text: str) -> None:
    for strict in (True, False):
        try:
            loads_result = pgdrift.loads(text, strict=strict)
        except Error:
            continue
        assert all(isinstance(e, Error) for e in loads_result.errors)


# -- spans --------------------------------------------------------------------------------------

PIECE = st.sampled_from(
    [
        "CREATE TABLE public.t (a integer)",
        "SELECT 'x;\ny'",
        'SELECT "a;b"',
        "SELECT $q$;\n;$q$",
        "SELECT 1 /* ; */",
        "COMMENT ON TABLE public.t IS E'\\';'",
    ]
)
GAP = st.sampled_from(["", " ", "\n", "\n\n", "-- note\n", "/* c */ ", "\t"])


@PROPERTY
@given(parts=st.lists(st.tuples(GAP, PIECE), min_size=1, max_size=12))
def test_every_statement_span_is_where_its_text_starts(parts: list[tuple[str, str]]) -> None:
    text = "".join(f"{gap}{piece};" for gap, piece in parts)
    statements = [i for i in split_statements(source_from_text(text)) if isinstance(i, Statement)]
    assert [s.text for s in statements] == [piece for _, piece in parts]
    for stmt in statements:
        assert text.startswith(stmt.text, stmt.offset)
        line = text.count("\n", 0, stmt.offset) + 1
        column = stmt.offset - text.rfind("\n", 0, stmt.offset)
        end_line = line + stmt.text.count("\n")
        assert (stmt.span.line, stmt.span.column, stmt.span.end_line) == (line, column, end_line)


# -- diff laws ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("dump", "database"), SCHEMAS, ids=[_name(*s) for s in SCHEMAS])
def test_a_dump_diffed_against_itself_or_a_fresh_read_is_empty(
    dump: Path, database: str | None
) -> None:
    schema = _load(dump, database)
    assert list(pgdrift.diff(schema, schema)) == []
    assert list(pgdrift.diff(schema, load(dump, database=database))) == []


def _direction_free(changes: ChangeSet) -> list[tuple[object, ...]]:
    """The changes without what depends on the direction: hazards and security notes describe
    applying a change, and whether an object can be altered in place or must be replaced can
    differ (a view may gain a column in place but not lose one)."""
    modify = {"alter": "modify", "replace": "modify"}
    projected = [
        (modify.get(c.operation, c.operation), c.id, getattr(c, "new_id", None), c.before,
         c.after, tuple((d.field, d.old, d.new) for d in c.details))
        for c in changes
    ]  # fmt: skip
    return sorted(projected, key=lambda item: (str(item[1]), str(item[0])))


def _assert_inverse(a: pgdrift.Schema, b: pgdrift.Schema) -> None:
    forward = pgdrift.diff(a, b)
    backward = pgdrift.diff(b, a)
    assert _direction_free(backward) == _direction_free(forward.inverse())
    assert _direction_free(backward.inverse()) == _direction_free(forward)


@PROPERTY
@given(pair=st.sampled_from(PAIRS))
def test_diff_b_a_is_the_inverse_of_diff_a_b_for_each_migration_pair(pair: Path) -> None:
    _assert_inverse(_load(pair / "a" / "dump.sql"), _load(pair / "b" / "dump.sql"))


def test_an_inverted_change_set_describes_its_details_in_its_own_direction() -> None:
    pair = FIXTURES / "pairs" / "procedure_body_change"
    a, b = _load(pair / "a" / "dump.sql"), _load(pair / "b" / "dump.sql")
    notes = [d.note for c in pgdrift.diff(b, a) for d in c.details]
    assert [d.note for c in pgdrift.diff(a, b).inverse() for d in c.details] == notes


@PROPERTY
@given(a=st.sampled_from(SCHEMAS), b=st.sampled_from(SCHEMAS))
def test_diff_b_a_is_the_inverse_of_diff_a_b_between_any_two_fixtures(
    a: tuple[Path, str | None], b: tuple[Path, str | None]
) -> None:
    assume(a != b)
    _assert_inverse(_load(*a), _load(*b))


# -- determinism ----------------------------------------------------------------------------------

# For each fixture, `pgdrift inspect --format json`; for each neighbouring pair of fixtures and
# some migration pairs, `pgdrift diff --format json`: the sha256 of each output, one per line.
_OUTPUTS = textwrap.dedent(
    """
    import contextlib, hashlib, io, sys
    from pgdrift import cli

    def digest(argv):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            status = cli.main(argv)
        return f"{status} {hashlib.sha256(out.getvalue().encode()).hexdigest()} {argv}"

    dumps, pairs = sys.argv[1].split(","), sys.argv[2].split(",")
    for dump in dumps:
        print(digest(["inspect", "--format", "json", dump]))
    for a, b in zip(dumps, dumps[1:] + dumps[:1]):
        print(digest(["diff", "--format", "json", a, b]))
    for pair in pairs:
        print(digest(["diff", "--format", "json", pair + "/a/dump.sql", pair + "/b/dump.sql"]))
    """
)


def _outputs(seed: str, tmp_path: Path) -> str:
    pairs = PAIRS[:: max(len(PAIRS) // 12, 1)]
    dumps = [str(dump) for dump, database in SCHEMAS if database is None]
    result = subprocess.run(
        [sys.executable, "-c", _OUTPUTS, ",".join(dumps), ",".join(map(str, pairs))],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,  # away from the repository's pyproject.toml settings
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    return result.stdout


def test_inspect_and_diff_json_are_byte_identical_under_any_hash_seed(tmp_path: Path) -> None:
    first = _outputs("0", tmp_path)
    second = _outputs("4242", tmp_path)
    single = sum(database is None for _, database in SCHEMAS)
    assert first.count("\n") == 2 * single + len(PAIRS[:: max(len(PAIRS) // 12, 1)])
    assert first == second


def test_a_diff_renders_the_same_bytes_every_time() -> None:
    from pgdrift.renderer import render  # noqa: PLC0415

    a = load(FIXTURES / "liveconvo" / "dev" / "dump.sql")
    b = load(FIXTURES / "liveconvo" / "prod" / "dump.sql")
    first = {fmt: render(pgdrift.diff(a, b), fmt) for fmt in ("text", "markdown", "json")}
    for _ in range(2):
        a, b = load(a.source), load(b.source)
        assert {fmt: render(pgdrift.diff(a, b), fmt) for fmt in first} == first


def test_an_inverted_change_set_flags_security_in_its_own_direction() -> None:
    dev = _load(FIXTURES / "liveconvo" / "dev" / "dump.sql")
    prod = _load(FIXTURES / "liveconvo" / "prod" / "dump.sql")
    expected = {(str(c.id), c.security) for c in pgdrift.diff(prod, dev) if c.security}
    assert expected
    inverted = pgdrift.diff(dev, prod).inverse()
    assert {(str(c.id), c.security) for c in inverted if c.security} == expected
