"""What a rule's check receives: the schema (or the plan) and the run's options, with the
lookups several rules share computed once."""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import TYPE_CHECKING

import attrs

from pgdrift import model

if TYPE_CHECKING:
    from pgdrift.ids import ObjectId
    from pgdrift.linter.options import LintOptions
    from pgdrift.planner import Plan
    from pgdrift.schema import Schema


@attrs.frozen(eq=False)
class SchemaContext:
    schema: Schema
    options: LintOptions

    def tables(self) -> list[model.Table]:
        """Ordinary and partitioned tables (not foreign tables, not grant-only stand-ins)."""
        return [t for t in self.schema.tables.values() if type(t) is model.Table]

    @functools.cached_property
    def _by_table(self) -> dict[tuple[str, ObjectId], list[model.DbObject]]:
        grouped: dict[tuple[str, ObjectId], list[model.DbObject]] = defaultdict(list)
        for obj in self.schema:
            table = getattr(obj, "table", None)
            if table is not None and isinstance(obj, (model.Index, model.Constraint,
                                                      model.Policy)):  # fmt: skip
                grouped[(obj.kind, table)].append(obj)
        return grouped

    def indexes_of(self, table: ObjectId) -> list[model.Index]:
        return self._by_table.get(("index", table), [])  # type: ignore[return-value]

    def constraints_of(self, table: ObjectId) -> list[model.Constraint]:
        return self._by_table.get(("constraint", table), [])  # type: ignore[return-value]

    def policies_of(self, table: ObjectId) -> list[model.Policy]:
        return self._by_table.get(("policy", table), [])  # type: ignore[return-value]

    def exposed(self, obj: model.DbObject) -> bool:
        return obj.schema in self.options.exposed_schemas

    def api_grantees_of(self, obj: model.DbObject, privilege: str) -> list[str]:
        """The API roles (or PUBLIC) that hold ``privilege`` on ``obj``, sorted."""
        grantees = self.options.api_grantees
        return sorted({p.grantee for p in obj.privileges
                       if p.privilege == privilege and p.grantee in grantees})  # fmt: skip


@attrs.frozen(eq=False)
class PlanContext:
    plan: Plan
    old: Schema | None
    new: Schema | None
    options: LintOptions
