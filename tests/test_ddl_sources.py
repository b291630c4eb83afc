"""Every fixture's source.sql, read by pgdrift, against the real pg_dump of it: the proof that
pgdrift reads DDL as PostgreSQL catalogues it (issue 11). Cases not there yet are listed in
tests/ddl_source_differences.txt and expected to differ, strictly, so the list only shrinks.
psql includes (\\ir) are followed, so the fixture pairs' sources count too."""

from __future__ import annotations

from pathlib import Path

import pytest

import pgdrift

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
KNOWN = {
    line.strip()
    for line in (ROOT / "tests" / "ddl_source_differences.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
}
# A dbmate folder's source.sql hands psql each file's `-- migrate:up` section through a psql
# variable (\set up `sed ...`), which is psql scripting, not SQL: such a folder is read and
# proven by tests/test_ddl_folders.py (a line of theirs in the list is for that test).
FOLDER_ONLY = {
    p.parent.parent.relative_to(FIXTURES).as_posix()
    for p in FIXTURES.glob("ddl/folder_*/db/migrations")
}
CASES = sorted(
    p.parent.relative_to(FIXTURES).as_posix()
    for p in FIXTURES.rglob("source.sql")
    # pg_dumpall files (fixtures/dumpall/**) hold roles and several databases.
    if (p.parent / "dump.sql").exists()
    and "dumpall" not in p.relative_to(FIXTURES).parts
    and p.parent.relative_to(FIXTURES).as_posix() not in FOLDER_ONLY
)
KNOWN -= FOLDER_ONLY


def _param(case: str) -> object:
    if case in KNOWN:
        return pytest.param(case, marks=pytest.mark.xfail(
            strict=True, reason="listed in tests/ddl_source_differences.txt"))  # fmt: skip
    return case


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_source_loads_equal_to_its_real_dump(case: str) -> None:
    # Source scripts do not say who runs them, the dump names every owner: tools/pgcluster.py
    # runs them as the bootstrap superuser postgres, which owns what they create (and to
    # whose new objects ALTER DEFAULT PRIVILEGES FOR ROLE postgres applies).
    source = pgdrift.load(FIXTURES / case / "source.sql", role="postgres")
    dump = pgdrift.load(FIXTURES / case / "dump.sql")
    assert not pgdrift.diff(dump, source)


def test_the_list_of_known_differences_names_only_real_cases() -> None:
    assert set(CASES) >= KNOWN


def test_most_fixture_sources_already_load_equal() -> None:
    # The rate reported in docs/ddl.md; it may only go up.
    assert len(CASES) - len(KNOWN) >= 958
