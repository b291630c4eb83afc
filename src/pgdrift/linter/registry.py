"""The rule registry: each rule is a small function registered with :func:`rule` under a stable
code; a duplicate code (or name) is an error, as pglast's printer registry does."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from pgdrift.linter.finding import Severity

if TYPE_CHECKING:
    from pgdrift.model import DbObject

#: ``(object at fault, one-line message naming it)`` yielded by a rule's check.
Hit = tuple["DbObject | None", str]
_F = TypeVar("_F", bound=Callable[..., Iterable[Hit]])

SCHEMA = "schema"
MIGRATION = "migration"


@attrs.frozen
class Rule:
    """A registered rule: its code, docs and check. ``doc`` is the check's docstring (why the
    rule matters); ``bad`` and ``good`` are SQL examples for docs/lint.md."""

    code: str
    name: str
    severity: Severity
    scope: str
    summary: str
    remediation: str
    bad: str
    good: str
    doc: str
    check: Callable[..., Iterable[Hit]] = attrs.field(repr=False)
    default: bool = True

    def hits(self, *args: Any) -> Iterator[Hit]:
        yield from self.check(*args)


#: Every registered rule by its code (``PD101``); filled by the :func:`rule` decorator.
RULES: dict[str, Rule] = {}


def rule(
    *,
    code: str,
    name: str,
    severity: str,
    summary: str,
    remediation: str,
    bad: str,
    good: str,
    scope: str = SCHEMA,
    default: bool = True,
) -> Callable[[_F], _F]:
    """Register a check under ``code``.

    Raises:
        ValueError: ``code`` or ``name`` is already registered.
    """

    def register(check: _F) -> _F:
        if code in RULES:
            raise ValueError(f"lint rule {code} is registered twice")
        if any(r.name == name for r in RULES.values()):
            raise ValueError(f"lint rule name {name!r} is registered twice")
        doc = " ".join((check.__doc__ or "").split())
        RULES[code] = Rule(code=code, name=name, severity=Severity(severity), scope=scope,
                           summary=summary, remediation=remediation, bad=bad.strip(),
                           good=good.strip(), doc=doc, check=check, default=default)  # fmt: skip
        return check

    return register
