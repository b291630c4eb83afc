"""What a diff looks at: include/exclude filters, ignore switches and presets."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from pgdrift import ids, model

#: Schemas the Supabase platform creates and manages; the ``supabase`` preset leaves them out.
SUPABASE_SCHEMAS = (
    "auth", "storage", "realtime", "_realtime", "graphql", "graphql_public", "extensions",
    "vault", "pgsodium", "pgsodium_masks", "supabase_functions", "supabase_migrations",
    "net", "cron", "pgbouncer", "pgtle", "_analytics", "_supavisor", "pg_net",
)  # fmt: skip
PRESETS: dict[str, dict[str, Any]] = {"supabase": {"exclude_schemas": SUPABASE_SCHEMAS}}


def _tuple(value: Iterable[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(value)


@attrs.frozen(kw_only=True)
class DiffOptions:
    """Every knob of :func:`pgdrift.diff`; see its docstring."""

    include_schemas: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    exclude_schemas: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    include_kinds: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    exclude_kinds: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    #: Globs matched against qualified names (``public.user_*``).
    include: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    exclude: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    ignore_owners: bool = False
    ignore_privileges: bool = False
    ignore_comments: bool = False
    #: Treat function bodies that differ only in whitespace or comments as equal.
    ignore_body_whitespace: bool = False
    #: Confirmed renames: ``{"public.user_referrals.referrer_id": "referrer_user_id"}``
    #: (a column), ``{"public.old_table": "new_table"}`` (a table or other object).
    renames: Mapping[str, str] = attrs.field(factory=dict)
    #: Accept every probable rename scoring at least ``rename_threshold``.
    detect_renames: bool = False
    rename_threshold: float = 0.7
    #: Report rename candidates scoring at least this (they stay drop + create).
    rename_report_threshold: float = 0.5
    labels: tuple[str, str] = ("a", "b")

    def with_preset(self, name: str) -> DiffOptions:
        preset = PRESETS.get(name)
        if preset is None:
            raise ValueError(f"unknown preset {name!r}; known: {', '.join(sorted(PRESETS))}")
        merged: dict[str, Any] = {k: tuple(getattr(self, k)) + tuple(v) for k, v in preset.items()}
        return attrs.evolve(self, **merged)

    @property
    def selects_everything(self) -> bool:
        """No schema, kind or name filter: :meth:`keeps` is true for every object."""
        return not (
            self.include_schemas or self.exclude_schemas or self.include_kinds
            or self.exclude_kinds or self.include or self.exclude
        )  # fmt: skip

    def keeps(self, obj: model.DbObject) -> bool:
        """Whether ``obj`` takes part in the comparison."""
        oid = obj.id
        schema = oid.schema
        if oid.kind == ids.SCHEMA:
            schema = oid.name
        elif schema is None:
            schema = getattr(obj, "in_schema", None)
        if schema is not None:
            if self.include_schemas and schema not in self.include_schemas:
                return False
            if schema in self.exclude_schemas:
                return False
        if self.include_kinds and oid.kind not in self.include_kinds:
            return False
        if oid.kind in self.exclude_kinds:
            return False
        name = oid.qualified_name
        if self.include and not any(fnmatch.fnmatchcase(name, g) for g in self.include):
            return False
        return not any(fnmatch.fnmatchcase(name, g) for g in self.exclude)
