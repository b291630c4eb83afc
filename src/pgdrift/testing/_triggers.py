"""Trigger assertions: a table's triggers, their function, timing, events and level."""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import model
from pgdrift.schema import Schema
from pgdrift.testing._lookups import (
    _exactly,
    _fail_mismatches,
    _names,
    _qualify,
    _quote,
    _relation,
    _suggest,
)


def _trigger(schema: Schema, rel: model.Table, name: str) -> model.Trigger | None:
    for trigger in schema.triggers_of(rel.id):
        if trigger.name == name:
            return trigger
    return None


def assert_trigger(
    schema: Schema,
    table: str,
    name: str,
    *,
    function: str | None = None,
    timing: str | None = None,
    events: str | Iterable[str] | None = None,
    for_each_row: bool | None = None,
) -> None:
    """The table has trigger ``name`` (pgTAP ``has_trigger``) calling ``function``
    (``trigger_is``), firing ``timing`` (``"before"``, ``"after"``, ``"instead of"``) on
    ``events`` (``"insert"``, ``"update"``...), for each row or statement.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads(
        ...     "CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS 'begin end';"
        ...     "CREATE TABLE public.t (); CREATE TRIGGER tr AFTER INSERT ON public.t "
        ...     "FOR EACH ROW EXECUTE FUNCTION public.f();")
        >>> assert_trigger(s, "t", "tr", function="f", timing="after", events="insert")
        >>> assert_trigger(s, "t", "tr", for_each_row=False)
        Traceback (most recent call last):
        ...
        AssertionError: trigger tr on public.t: expected FOR EACH STATEMENT, found FOR EACH ROW
    """
    rel = _relation(schema, table)
    trigger = _trigger(schema, rel, name)
    if trigger is None:
        names = [t.name for t in schema.triggers_of(rel.id)]
        raise AssertionError(
            f"no trigger {_quote(name)} on {rel.qualified_name}" + _suggest(name, names)
        )
    mismatches: list[tuple[str, str]] = []
    if function is not None:
        wanted = _qualify(function.removesuffix("()"))
        if wanted != trigger.function:
            mismatches.append(
                (f"EXECUTE FUNCTION {wanted}()", f"EXECUTE FUNCTION {trigger.function}()")
            )
    if timing is not None and timing.lower() != trigger.timing:
        mismatches.append((timing.upper(), trigger.timing.upper()))
    if events is not None:
        wanted_events = tuple(sorted(e.lower() for e in _names(events)))
        if wanted_events != trigger.events:
            mismatches.append(
                (
                    " OR ".join(e.upper() for e in wanted_events),
                    " OR ".join(e.upper() for e in trigger.events),
                )
            )
    if for_each_row is not None and for_each_row != trigger.for_each_row:
        words = {True: "FOR EACH ROW", False: "FOR EACH STATEMENT"}
        mismatches.append((words[for_each_row], words[trigger.for_each_row]))
    _fail_mismatches(f"trigger {trigger.name} on {rel.qualified_name}", mismatches)


def assert_no_trigger(schema: Schema, table: str, name: str) -> None:
    """The table has no trigger ``name`` (pgTAP ``hasnt_trigger``)."""
    rel = _relation(schema, table)
    if _trigger(schema, rel, name) is not None:
        raise AssertionError(
            f"expected no trigger {_quote(name)} on {rel.qualified_name}, found one"
        )


def assert_triggers_are(schema: Schema, table: str, names: Iterable[str]) -> None:
    """The table's triggers are exactly ``names`` (pgTAP ``triggers_are``)."""
    rel = _relation(schema, table)
    _exactly(
        f"triggers of {rel.qualified_name}", names, (t.name for t in schema.triggers_of(rel.id))
    )
