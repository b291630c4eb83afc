"""Law: the model does not depend on the order of independent statements.

pg_dump orders its entries by dependency and then by name; a dump of the same database from
another version, or a file edited by hand, may order independent entries differently. Each
fixture's entries (a TOC header with its statements) are shuffled within the groups in which
any order is valid, and the loaded schema and a diff rendered from it must not change.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

import pgdrift
from pgdrift.renderer import render

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = sorted(p for p in FIXTURES.rglob("dump.sql") if "pairs" not in p.parts
               and "dumpall" not in p.parts)  # fmt: skip
# An entry starts at its header; pg_dump 12+ writes the session settings a table needs
# (SET default_table_access_method, default_tablespace) just above it, so they travel with it.
ENTRY = re.compile(
    r"^(?:SET default_\w+ = [^\n]*;\n\n)*--\n-- (?:Data for )?Name: .*; "
    r"Type: (?P<type>[A-Z ]+);.*\n--\n",
    re.M,
)

# Entry types in groups whose members may come in any order among themselves, given that the
# groups come in this order (what each group refers to exists in an earlier one).
PHASES = [
    {"SCHEMA", "EXTENSION", "PROCEDURAL LANGUAGE", "ACCESS METHOD", "FOREIGN DATA WRAPPER"},
    {"SERVER", "USER MAPPING", "COLLATION", "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE"},
    {"TYPE", "DOMAIN", "TEXT SEARCH DICTIONARY", "TEXT SEARCH CONFIGURATION", "CONVERSION"},
    {"FUNCTION", "PROCEDURE", "AGGREGATE", "OPERATOR", "OPERATOR FAMILY", "OPERATOR CLASS",
     "CAST", "SEQUENCE", "TABLE", "FOREIGN TABLE", "VIEW", "MATERIALIZED VIEW"},
]  # fmt: skip


def entries(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The preamble and the (type, text) of every entry, in file order."""
    matches = list(ENTRY.finditer(text))
    if not matches:
        return text, []
    preamble = text[: matches[0].start()]
    result = []
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(text)
        result.append((match["type"], text[match.start() : end]))
    return preamble, result


def movable(type_: str, body: str) -> int | None:
    """The phase an entry can be shuffled in, or None to keep it where pg_dump put it."""
    for phase, types in enumerate(PHASES):
        if type_ in types:
            # Children read their parent's or type's columns: keep them in place.
            if re.search(r"\bINHERITS \(|CREATE TABLE \S+ OF ", body):
                return None
            if "ADD GENERATED" in body:
                return None  # an identity sequence's entry alters its table
            if type_ == "DOMAIN":
                return None  # a domain over a domain takes the base domain's default
            return phase
    return None


_SESSION = re.compile(
    r"^SET (default_table_access_method|default_tablespace) = ([^\n]*);\n\n?", re.M
)


def explicit_session(text: str) -> str:
    """The same dump with the session settings pg_dump writes only when they change put in
    front of every entry instead, so that entries can move without changing what they mean."""
    preamble, items = entries(text)
    state: dict[str, str] = {}
    out = [_remember(preamble, state)]
    for _, body in items:
        # An entry's pattern takes in the settings written just above it: they apply to it.
        rest = _remember(body, state)
        prefix = "".join(f"SET {k} = {v};\n\n" for k, v in sorted(state.items()))
        out.append(prefix + rest)
    return "".join(out)


def _remember(chunk: str, state: dict[str, str]) -> str:
    for match in _SESSION.finditer(chunk):
        state[match[1]] = match[2]
    return _SESSION.sub("", chunk)


def shuffled(text: str, seed: int) -> str:
    preamble, items = entries(explicit_session(text))
    rng = random.Random(seed)
    out = [preamble]
    index = 0
    while index < len(items):
        phase = movable(*items[index])
        if phase is None:
            out.append(items[index][1])
            index += 1
            continue
        run = []
        while index < len(items) and movable(*items[index]) == phase:
            run.append(items[index][1])
            index += 1
        rng.shuffle(run)
        out.extend(run)
    return "".join(out)


@pytest.mark.parametrize("dump", CASES, ids=lambda p: str(p.parent.relative_to(FIXTURES)))
def test_shuffled_independent_entries_give_the_same_schema(dump: Path) -> None:
    text = dump.read_text(encoding="utf-8")
    original = pgdrift.loads(text, name="x")
    empty = pgdrift.loads("SELECT pg_catalog.set_config('search_path', '', false);", name="e")
    expected = render(pgdrift.diff(empty, original), "json")
    for seed in (1, 2, 3):
        reordered = shuffled(text, seed)
        assert sorted(set(reordered.splitlines())) == sorted(set(text.splitlines()))
        schema = pgdrift.loads(reordered, name="x")
        assert schema == original
        assert not pgdrift.diff(original, schema)
        assert render(pgdrift.diff(empty, schema), "json") == expected
