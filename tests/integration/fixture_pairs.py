"""The migration proof corpus: ``fixtures/pairs/<case>/``, each a schema A and a schema B.

A pair is a directory under ``fixtures/pairs`` (names starting with ``_`` are shared scripts,
not pairs). Its sides are the cases ``a/`` and ``b/`` (each a ``source.sql`` whose ``dump.sql``
``tools/pgcluster.py`` makes), unless its ``case.json`` points elsewhere:

    {"a": "../../liveconvo/dev", "b": "../../liveconvo/prod",
     "renames": {"public.user_referrals.referrer_id": "referrer_user_id"}}

``a``/``b`` are directories relative to the pair holding a ``dump.sql``; ``renames`` are the
renames a migration from A to B must confirm (``schema.table.column`` or ``schema.object`` to
the new last name), exactly as ``pgdrift diff --rename`` takes them. ``ignore`` lists attribute
changes a migration cannot make and the proof therefore accepts: ``column_order``
(PostgreSQL appends every added column, so a column in the middle needs a table rebuild, which
pgdrift leaves to people, with a warning) and ``inherited`` (an inheritance child's column
declared by the child itself, attislocal, never becomes inherited-only again; pgdrift warns).

A pair may carry rows: ``rows_a.sql`` (``rows_b.sql``) is run on side A (B) before the
migration from it, and each of its ``-- expect: QUERY`` lines must return true afterwards, so a
pair proves a migration keeps the data it should (a rebuilt column, a recomputed one...).

Every pair is proven in both directions; :class:`Migration` is one pair in one direction. The
script pgdrift writes for each direction is committed beside the pair as
``expected_a_to_b.sql`` and ``expected_b_to_a.sql`` (``nox -s goldens`` rewrites them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pg import ROOT

PAIRS_DIR = ROOT / "fixtures" / "pairs"
_CASE_KEYS = frozenset({"a", "b", "renames", "ignore"})
#: What ``ignore`` may name: attribute paths of pgdrift's AttributeChange that no migration
#: script can change in place.
IGNORABLE = frozenset({"column_order", "inherited"})


class PairError(Exception):
    """A pair directory or its ``case.json`` is malformed."""


# eq=False: a pair is loaded once per directory, so identity is equality (and hashable,
# which a dict field would otherwise prevent).
@dataclass(frozen=True, eq=False)
class Pair:
    name: str
    directory: Path
    #: The ``dump.sql`` of each side.
    a: Path
    b: Path
    renames: Mapping[str, str] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()

    @classmethod
    def load(cls, directory: Path) -> Pair:
        config: dict[str, object] = {}
        config_file = directory / "case.json"
        if config_file.exists():
            loaded = json.loads(config_file.read_text(encoding="utf-8"))
            if not isinstance(loaded, dict):
                raise PairError(f"{config_file}: must be a JSON object")
            if unknown := sorted(set(loaded) - _CASE_KEYS):
                raise PairError(f"{config_file}: unknown keys {unknown}")
            config = loaded
        sides = []
        for side in ("a", "b"):
            relative = config.get(side, side)
            if not isinstance(relative, str):
                raise PairError(f"{config_file}: {side!r} must be a directory path")
            dump = (directory / relative / "dump.sql").resolve()
            if not dump.is_file():
                raise PairError(f"{directory.name}: side {side} has no dump.sql at {dump}")
            sides.append(dump)
        renames = config.get("renames", {})
        if not isinstance(renames, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and "." in k for k, v in renames.items()
        ):
            raise PairError(f"{config_file}: 'renames' maps 'schema.table[.column]' to a name")
        ignore = config.get("ignore", [])
        if not isinstance(ignore, list) or not set(ignore) <= IGNORABLE:
            raise PairError(f"{config_file}: 'ignore' is a list drawn from {sorted(IGNORABLE)}")
        return cls(
            directory.name,
            directory,
            sides[0],
            sides[1],
            dict(sorted(renames.items())),
            frozenset(ignore),
        )

    def migrations(self) -> tuple[Migration, Migration]:
        return Migration(self, forward=True), Migration(self, forward=False)


@dataclass(frozen=True)
class Migration:
    """Turning one side of a pair into the other."""

    pair: Pair
    forward: bool

    @property
    def direction(self) -> str:
        return "a_to_b" if self.forward else "b_to_a"

    @property
    def id(self) -> str:
        return f"{self.pair.name}:{self.direction}"

    @property
    def expected_sql(self) -> Path:
        """The golden migration script: ``<pair>/expected_a_to_b.sql`` or ``..._b_to_a.sql``."""
        return self.pair.directory / f"expected_{self.direction}.sql"

    @property
    def source(self) -> Path:
        return self.pair.a if self.forward else self.pair.b

    @property
    def target(self) -> Path:
        return self.pair.b if self.forward else self.pair.a

    @property
    def renames(self) -> dict[str, str]:
        return dict(self.pair.renames) if self.forward else invert_renames(self.pair.renames)

    @property
    def rows(self) -> Path | None:
        """The rows put in the source before the migration (``rows_a.sql``/``rows_b.sql``)."""
        rows = self.pair.directory / f"rows_{'a' if self.forward else 'b'}.sql"
        return rows if rows.is_file() else None

    def row_expectations(self) -> list[str]:
        """The queries (``-- expect: QUERY`` lines of :attr:`rows`) that must be true after."""
        if self.rows is None:
            return []
        lines = self.rows.read_text(encoding="utf-8").splitlines()
        return [ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("-- expect:")]

    @property
    def database(self) -> str:
        """A database name of its own (at most 63 bytes, PostgreSQL's NAMEDATALEN - 1)."""
        return f"{self.pair.name[:55]}_{'ab' if self.forward else 'ba'}"

    def rename_arguments(self) -> list[str]:
        """The ``pgdrift diff`` options that confirm this direction's renames."""
        return [f"--rename={old}={new}" for old, new in sorted(self.renames.items())]


def invert_renames(renames: Mapping[str, str]) -> dict[str, str]:
    """The renames of the opposite direction: ``{"public.t.a": "b"}`` -> ``{"public.t.b": "a"}``."""
    inverted = {}
    for old, new in renames.items():
        container, _, old_name = old.rpartition(".")
        inverted[f"{container}.{new}"] = old_name
    return dict(sorted(inverted.items()))


def discover_pairs(pairs_dir: Path = PAIRS_DIR) -> list[Pair]:
    """Every pair under ``pairs_dir``, sorted by name."""
    if not pairs_dir.is_dir():
        return []
    directories = sorted(
        p for p in pairs_dir.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))
    )
    return [Pair.load(d) for d in directories]


PAIRS = discover_pairs()
MIGRATIONS = [m for pair in PAIRS for m in pair.migrations()]
