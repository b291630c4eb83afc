"""The registries of statement builders: one function per model class and operation.

A builder is registered with a decorator, as pglast registers its printers; registering a class
twice is an error. Lookup follows the class's MRO, so a builder for ``Table`` also serves
``ForeignTable`` unless that has one of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pgdrift.differ.changes import AttributeChange, Change
    from pgdrift.planner.context import Action, PlanContext

#: ``(ctx, obj, change) -> main action``: the statements that create ``obj``.
CreateBuilder = Callable[["PlanContext", Any, "Change | None"], "Action | None"]
#: ``(ctx, obj, change) -> main action``: the statements that drop ``obj``.
DropBuilder = Callable[["PlanContext", Any, "Change | None"], "Action | None"]
#: ``(ctx, change, before, after, details)``: the statements for the ``details`` that are not
#: owner, comment, privileges or security labels (those are handled for every kind alike).
AlterBuilder = Callable[["PlanContext", "Change", Any, Any, "list[AttributeChange]"], None]
#: ``(ctx, change, before, after) -> bool``: replace an object in some other way than DROP and
#: CREATE (an enum losing a label); False to fall back to DROP and CREATE.
ReplaceBuilder = Callable[["PlanContext", "Change | None", Any, Any], bool]

_F = TypeVar("_F", bound=Callable[..., Any])

CREATE: dict[type, CreateBuilder] = {}
DROP: dict[type, DropBuilder] = {}
ALTER: dict[type, AlterBuilder] = {}
REPLACE: dict[type, ReplaceBuilder] = {}


def _register(registry: dict[type, Any], classes: tuple[type, ...]) -> Callable[[_F], _F]:
    def decorator(func: _F) -> _F:
        for cls in classes:
            if cls in registry:
                raise RuntimeError(f"{cls.__name__} already handled by {registry[cls].__name__}")
            registry[cls] = func
        return func

    return decorator


def creates(*classes: type) -> Callable[[_F], _F]:
    return _register(CREATE, classes)


def drops(*classes: type) -> Callable[[_F], _F]:
    return _register(DROP, classes)


def alters(*classes: type) -> Callable[[_F], _F]:
    return _register(ALTER, classes)


def replaces(*classes: type) -> Callable[[_F], _F]:
    return _register(REPLACE, classes)


def lookup(registry: dict[type, _F], obj: object) -> _F | None:
    for cls in type(obj).__mro__:
        found = registry.get(cls)
        if found is not None:
            return found
    return None
