"""pgdrift: read PostgreSQL pg_dump files offline, diff schemas, plan migrations.

Example:
    >>> import pgdrift
    >>> schema = pgdrift.loads("CREATE TABLE public.users (id uuid NOT NULL);")
    >>> str(schema.tables["public.users"].columns["id"].type)
    'uuid'
"""

from __future__ import annotations

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
from pgdrift.diff import ChangeSet, diff
from pgdrift.ids import ObjectId
from pgdrift.loading import load, loads
from pgdrift.schema import Schema

__version__ = "0.1.0"

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
    "PlanError",
    "Schema",
    "UndefinedObjectError",
    "__version__",
    "diff",
    "load",
    "loads",
]
