"""pgdrift: read PostgreSQL pg_dump files offline, diff schemas, plan migrations.

Example:
    >>> import pgdrift
    >>> schema = pgdrift.loads("CREATE TABLE public.users (id uuid NOT NULL);")
    >>> str(schema.tables["public.users"].columns["id"].type)
    'uuid'
    >>> new = pgdrift.loads("CREATE TABLE public.users (id uuid NOT NULL, name text);")
    >>> print(pgdrift.render(pgdrift.diff(schema, new), "text", quiet=True), end="")
    1 difference between a and b: 1 created

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
    DependentObjectsError,
    DuplicateObjectError,
    Error,
    InputError,
    ModelError,
    NotADumpError,
    NotAnArchiveError,
    ParseError,
    PlanError,
    TruncatedArchiveError,
    UndefinedObjectError,
    UnsupportedArchiveVersionError,
)

if TYPE_CHECKING:
    from pgdrift.diff_options import DiffOptions
    from pgdrift.differ import ChangeSet, diff
    from pgdrift.drift_matrix import DriftMatrix, matrix
    from pgdrift.ids import ObjectId
    from pgdrift.linter import Finding, LintOptions, lint
    from pgdrift.loading import load, loads
    from pgdrift.planner import Plan, plan
    from pgdrift.renderer import render
    from pgdrift.renderer.diagram_text import erd
    from pgdrift.schema import Schema
    from pgdrift.surveyor import FleetReport, fleet

__version__ = "0.1.0"

#: Public name -> module that defines it, imported when the name is first used. Each value is a
#: plain function or class of that module: ``pgdrift.diff is pgdrift.differ.diff`` whatever
#: was imported before (tests/test_api.py checks).
_LAZY = {
    "ChangeSet": "pgdrift.differ",
    "DiffOptions": "pgdrift.diff_options",
    "diff": "pgdrift.differ",
    "DriftMatrix": "pgdrift.drift_matrix",
    "erd": "pgdrift.renderer.diagram_text",
    "fleet": "pgdrift.surveyor",
    "FleetReport": "pgdrift.surveyor",
    "Finding": "pgdrift.linter",
    "lint": "pgdrift.linter",
    "LintOptions": "pgdrift.linter",
    "ObjectId": "pgdrift.ids",
    "load": "pgdrift.loading",
    "loads": "pgdrift.loading",
    "matrix": "pgdrift.drift_matrix",
    "Plan": "pgdrift.planner",
    "plan": "pgdrift.planner",
    "render": "pgdrift.renderer",
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
    "DependentObjectsError",
    "DiffOptions",
    "DriftMatrix",
    "DuplicateObjectError",
    "Error",
    "Finding",
    "FleetReport",
    "InputError",
    "LintOptions",
    "ModelError",
    "NotADumpError",
    "NotAnArchiveError",
    "ObjectId",
    "ParseError",
    "Plan",
    "PlanError",
    "Schema",
    "TruncatedArchiveError",
    "UndefinedObjectError",
    "UnsupportedArchiveVersionError",
    "__version__",
    "diff",
    "erd",
    "fleet",
    "lint",
    "load",
    "loads",
    "matrix",
    "plan",
    "render",
]
