"""What a lint rule reports: a :class:`Finding`, with its :class:`Severity`."""

from __future__ import annotations

import enum

import attrs


class Severity(str, enum.Enum):
    """How serious a finding is. Ordered: ``info < warning < error``.

    >>> Severity("warning") >= Severity.INFO, Severity.ERROR > Severity.INFO, str(Severity.ERROR)
    (True, True, 'error')
    """

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self.value]

    # Ordered by rank, not as the strings they also are ("error" < "info" as text).
    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __str__(self) -> str:
        return str.__str__(self)


_RANK = {"info": 0, "warning": 1, "error": 2}


@attrs.frozen(order=False)
class Finding:
    """One problem a rule found on one object.

    ``object_id`` is ``str(ObjectId)`` of the object at fault (``table:public.users``);
    ``file`` and ``line`` are where that object is defined (None when it has no source span);
    ``anchor`` is the rule's section of docs/lint.md.
    """

    code: str
    name: str
    severity: Severity
    message: str
    object_id: str
    remediation: str
    file: str | None = None
    line: int | None = None

    @property
    def anchor(self) -> str:
        return f"docs/lint.md#{self.code.lower()}"

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.file or "", self.line or 0, self.code, self.object_id, self.message)

    def location(self) -> str:
        """``file:line`` (or the object id when the object has no span)."""
        if self.file is None:
            return self.object_id
        return f"{self.file}:{self.line}" if self.line else self.file
