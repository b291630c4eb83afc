"""The shared parse (pgdrift.reader.parse.sharing_parses): two dumps loaded in one block parse
each statement text once, and give the schemas that two independent loads give.

No test here times anything: speed is measured by bench/peers.py.
"""

from __future__ import annotations

from pathlib import Path

import pglast.parser
import pytest

import pgdrift
from pgdrift import cli
from pgdrift.cli import inputs
from pgdrift.errors import Error
from pgdrift.reader import parse
from pgdrift.reader.parse import sharing_parses

ROOT = Path(__file__).resolve().parent.parent
PAIRS = sorted(p for p in (ROOT / "fixtures" / "pairs").iterdir() if (p / "a").is_dir())


def loaded(path: Path) -> pgdrift.Schema | str:
    """The schema of ``path`` read with errors collected, or the error that stopped it."""
    try:
        return pgdrift.load(path, strict=False)
    except Error as error:
        return error.one_line()


def assert_same(shared: pgdrift.Schema | str, alone: pgdrift.Schema | str) -> None:
    if isinstance(alone, str):
        assert shared == alone
        return
    assert isinstance(shared, pgdrift.Schema)
    assert shared == alone
    assert list(shared.objects) == list(alone.objects)
    for oid, obj in alone.objects.items():
        assert shared.objects[oid] == obj
        assert getattr(shared.objects[oid], "source", None) == getattr(obj, "source", None)
    assert [e.one_line() for e in shared.errors] == [e.one_line() for e in alone.errors]
    assert shared.warnings == alone.warnings


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
@pytest.mark.parametrize("file", ["dump.sql", "source.sql"])
def test_a_pair_loaded_sharing_parses_equals_two_loads(pair: Path, file: str) -> None:
    a, b = pair / "a" / file, pair / "b" / file
    if not (a.is_file() and b.is_file()):
        pytest.skip(f"no {file} on both sides")
    with sharing_parses():
        shared = [loaded(a), loaded(b), loaded(a)]
    alone = [loaded(a), loaded(b)]
    assert_same(shared[0], alone[0])
    assert_same(shared[1], alone[1])
    # The builder changes trees in place (names qualified along the search path): a text
    # parsed before still reads as it was written.
    assert_same(shared[2], alone[0])


def test_each_text_is_parsed_once_in_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    texts: list[str] = []
    real = pglast.parser.parse_sql_json

    def counting(text: str) -> str:
        texts.append(text)
        return real(text)

    monkeypatch.setattr(pglast.parser, "parse_sql_json", counting)
    script = "CREATE TABLE public.t (a integer);\nCREATE TABLE public.u (b text);\n"
    with sharing_parses():
        first = pgdrift.loads(script)
        second = pgdrift.loads(script + "CREATE TABLE public.v (c date);\n")
    assert first.objects.keys() <= second.objects.keys()
    assert len(texts) == len(set(texts)) == 3
    texts.clear()
    pgdrift.loads(script)
    assert len(texts) == 2  # outside the block, every load parses


def test_an_error_is_raised_again_in_the_block() -> None:
    with sharing_parses():
        for _ in range(2):
            with pytest.raises(pgdrift.ParseError, match="syntax error"):
                pgdrift.loads("CREATE TABLE public.t (a integer;")


def test_the_cli_shares_parses_when_it_builds_both_sides(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[bool] = []
    real = inputs.load_input

    def spy(spec: str, args: object) -> pgdrift.Schema:
        seen.append(parse._SHARED_PARSES.get() is not None)
        return real(spec, args)  # type: ignore[arg-type]

    monkeypatch.setattr(inputs, "load_input", spy)
    monkeypatch.setenv("PGDRIFT_JOBS", "1")
    pair = ROOT / "fixtures" / "pairs" / "column_add_not_null_default"
    assert cli.main(["diff", "--no-cache", str(pair / "a" / "dump.sql"),
                     str(pair / "b" / "dump.sql")]) == 1  # fmt: skip
    capsys.readouterr()
    assert seen == [True, True]
