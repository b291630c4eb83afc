"""Every fixture dump is real pg_dump output, made by ``tools/pgcluster.py`` from its source.

A case is a directory under ``fixtures/`` holding ``source.sql``; its ``dump.sql`` is regenerated
with ``python tools/pgcluster.py fixtures``. These tests catch a case left without its dump, a
dump left without its source, and a dump produced some other way (by hand, or by a bare pg_dump
whose random ``\\restrict`` key would change on every run).
"""

from __future__ import annotations

import pytest
from pg import ROOT, pgcluster, server_bindir

FIXTURES = ROOT / "fixtures"
HEADERS = ("--\n-- PostgreSQL database dump\n--\n", "--\n-- PostgreSQL database cluster dump\n--\n")


CASES = sorted(p.parent.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("source.sql"))


def test_fixture_cases_are_found() -> None:
    assert len(CASES) >= 13
    assert {"tables", "constraints", "indexes", "routines", "privileges"} <= set(CASES)


def test_the_tool_discovers_the_same_cases() -> None:
    assert [case.name for case in pgcluster.discover_cases(FIXTURES)] == CASES


@pytest.mark.parametrize("case", CASES)
def test_case_has_a_dump(case: str) -> None:
    assert (FIXTURES / case / "dump.sql").is_file(), (
        f"run: python tools/pgcluster.py fixtures {case}"
    )


@pytest.mark.parametrize(
    "dump", sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("dump.sql"))
)
def test_dump_has_a_source(dump: str) -> None:
    assert (FIXTURES / dump).with_name("source.sql").is_file()


@pytest.mark.parametrize("case", CASES)
def test_dump_starts_with_the_pg_dump_header(case: str) -> None:
    text = (FIXTURES / case / "dump.sql").read_text(encoding="utf-8")
    assert text.startswith(HEADERS)
    assert "\n-- Dumped by pg_dump version 15." in text


@pytest.mark.parametrize("case", CASES)
def test_dump_uses_the_fixed_restrict_key_of_its_case(case: str) -> None:
    # pg_dump 15.14+ brackets a plain dump in \restrict/\unrestrict with a random key unless
    # --restrict-key is given; the tool derives it from the case name so dumps are reproducible.
    key = pgcluster.restrict_key_for(case)
    lines = (FIXTURES / case / "dump.sql").read_text(encoding="utf-8").splitlines()
    restricts = [line for line in lines if line.startswith(("\\restrict ", "\\unrestrict "))]
    assert restricts
    assert set(restricts) == {f"\\restrict {key}", f"\\unrestrict {key}"}


def test_restrict_keys_are_alphanumeric_and_differ_between_cases() -> None:
    keys = {pgcluster.restrict_key_for(case) for case in CASES}
    assert len(keys) == len(CASES)
    assert all(key.isalnum() and key.isascii() for key in keys)


@pytest.mark.postgres
def test_regenerating_a_case_reproduces_its_committed_dump_byte_for_byte() -> None:
    # A cluster of its own, as the tool makes every dump: not the session's shared one.
    bindir = server_bindir()
    (case,) = (c for c in pgcluster.discover_cases(FIXTURES) if c.name == "sequences")
    fresh = pgcluster.regenerate_case(case, bindir=bindir)
    assert fresh == (FIXTURES / "sequences" / "dump.sql").read_text(encoding="utf-8")
