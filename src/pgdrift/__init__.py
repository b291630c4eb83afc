"""pgdrift: read PostgreSQL pg_dump files offline, diff schemas, plan migrations.

Example:
    >>> import pgdrift
    >>> schema = pgdrift.loads("CREATE TABLE public.users (id uuid NOT NULL);")
    >>> str(schema.tables["public.users"].columns["id"].type)
    'uuid'

The public names load on first use: the pytest plugin imports this package in every pytest run
of a project that has pgdrift installed, and should not pay for pglast and networkx there.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pgdrift.errors import (
    ArchiveFormatError,
    ConfigError,
    DatabaseSelectionError,
    DuplicateObjectError,
    Error,
    InputError,
    LoadErrors,
    ModelError,
    NotADumpError,
    ParseError,
    PlanError,
    UndefinedObjectError,
)

if TYPE_CHECKING:
    from pgdrift.differ import ChangeSet, diff
    from pgdrift.ids import ObjectId
    from pgdrift.loading import load, loads
    from pgdrift.planner import Plan, plan
    from pgdrift.schema import Schema

__version__ = "0.1.0"

#: Public name -> module that defines it, imported when the name is first used.
_LAZY = {
    "ChangeSet": "pgdrift.differ",
    "diff": "pgdrift.differ",
    "ObjectId": "pgdrift.ids",
    "load": "pgdrift.loading",
    "loads": "pgdrift.loading",
    "Plan": "pgdrift.planner",
    "plan": "pgdrift.planner",
    "Schema": "pgdrift.schema",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pgdrift' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "ArchiveFormatError",
    "ChangeSet",
    "ConfigError",
    "DatabaseSelectionError",
    "DuplicateObjectError",
    "Error",
    "InputError",
    "LoadErrors",
    "ModelError",
    "NotADumpError",
    "ObjectId",
    "ParseError",
    "Plan",
    "PlanError",
    "Schema",
    "UndefinedObjectError",
    "__version__",
    "diff",
    "load",
    "loads",
    "plan",
]
