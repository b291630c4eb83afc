"""The hazards a migration step can carry, each with the sentence that explains it.

One enum read by the differ (a change's ``hazards``), the planner (a step's ``hazards`` and the
``-- hazards:`` comment of the script), the renderers and the CLI's ``--fail-on-hazard``. A
:class:`Hazard` is a ``str``: it compares, hashes, prints and serialises as its bare value, so
``"may_fail" in step.hazards`` and JSON output read as plain text.

>>> Hazard.MAY_FAIL == "may_fail", f"{Hazard.MAY_FAIL}", Hazard("deletes_data").description
(True, 'may_fail', 'deletes data')
>>> Hazard.MAY_FAIL is Hazard("may_fail"), (Hazard.MAY_FAIL,)
(True, ('may_fail',))
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

__all__ = ["HAZARD_TEXT", "Hazard", "ordered_hazards"]


class Hazard(str, enum.Enum):
    """A kind of risk in running a migration step on a database that has data and users.

    ``strong_lock`` is for locks held while a whole existing table is scanned, rewritten or
    indexed (ACCESS EXCLUSIVE, or SHARE for a plain CREATE INDEX or a domain constraint checked
    on the columns that use the domain): the instant ACCESS EXCLUSIVE of a catalog-only ALTER
    TABLE is not flagged (docs: 13.3.1 Table-Level Locks).
    """

    description: str

    DELETES_DATA = "deletes_data", "deletes data"
    REWRITES_TABLE = "rewrites_table", "rewrites the table"
    STRONG_LOCK = (
        "strong_lock",
        "blocks writes (or all access) while it scans or rewrites an existing table",
    )
    MAY_FAIL = "may_fail", "may fail on existing rows"
    NOT_TRANSACTIONAL = "not_transactional", "cannot run inside a transaction block"

    def __new__(cls, value: str, description: str) -> Hazard:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    # The bare value everywhere text is made (str(), f-strings, "%s"), and the string's repr in
    # a printed tuple of hazards, as for a plain string: an Enum's default would print
    # "Hazard.MAY_FAIL" and "<Hazard.MAY_FAIL: 'may_fail'>".
    def __str__(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return str.__repr__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(self, format_spec)


#: The description of each hazard, keyed by its bare kind (``"may_fail"``).
HAZARD_TEXT: dict[str, str] = {hazard.value: hazard.description for hazard in Hazard}


def ordered_hazards(kinds: Iterable[str]) -> tuple[Hazard, ...]:
    """The hazards named by ``kinds``, once each, in the enum's order.

    >>> ordered_hazards(["strong_lock", "rewrites_table", "strong_lock"])
    ('rewrites_table', 'strong_lock')
    """
    wanted = set(kinds)
    return tuple(hazard for hazard in Hazard if hazard.value in wanted)
