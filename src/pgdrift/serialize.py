"""Model objects as plain JSON-ready data (``pgdrift inspect --format json``, golden files)."""

from __future__ import annotations

from typing import Any

import attrs

from pgdrift import model
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.schema import Schema
from pgdrift.source import SourceSpan, TocEntry
from pgdrift.types import TypeRef

#: Version of the JSON layout written by :func:`schema_to_data`.
SCHEMA_FORMAT_VERSION = 1


def value_to_data(value: Any) -> Any:
    """Any model value as JSON-ready data: types and expressions as SQL text, ids as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, ObjectId):
        return str(value)
    if isinstance(value, TypeRef):
        return str(value)
    if isinstance(value, Expr):
        return value.sql
    if isinstance(value, SourceSpan):
        return value.location()
    if isinstance(value, TocEntry):
        return None
    if isinstance(value, model.Columns):
        return [object_to_data(c) for c in value.ordered]
    if isinstance(value, model.DbObject):
        return object_to_data(value)
    if attrs.has(type(value)):
        return {
            f.name: value_to_data(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if f.init and not f.name.startswith("_")
            and not (f.metadata.get("omit_default") and getattr(value, f.name) == f.default)
        }
    if isinstance(value, (tuple, list, frozenset, set)):
        return [value_to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): value_to_data(v) for k, v in value.items()}
    return str(value)


def object_to_data(obj: model.DbObject, *, with_source: bool = False) -> dict[str, Any]:
    """One object: ``id`` and ``kind`` first, then every definition field that is set."""
    data: dict[str, Any] = {"id": str(obj.id), "kind": obj.kind}
    for field in attrs.fields(type(obj)):
        if field.name in ("id", "span", "toc"):
            continue
        value = getattr(obj, field.name)
        if field.default is not attrs.NOTHING and _is_default(value, field.default):
            continue
        data[field.name] = value_to_data(value)
    if with_source and obj.span is not None:
        data["source"] = obj.span.location()
    return data


def _is_default(value: Any, default: Any) -> bool:
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return False
    try:
        return bool(value == default)
    except Exception:
        return False


def schema_to_data(schema: Schema, *, with_source: bool = False) -> dict[str, Any]:
    """The whole schema: format version, source, counts, objects in id order."""
    return {
        "format_version": SCHEMA_FORMAT_VERSION,
        "source": schema.source,
        "inputs": list(schema.inputs),
        "database": schema.database,
        "counts": schema.counts(),
        "objects": [object_to_data(o, with_source=with_source) for o in schema],
        "errors": [e.one_line() for e in schema.errors],
        "warnings": list(schema.warnings),
    }
