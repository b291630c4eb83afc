"""The fluent chain: :func:`expect` pins many facts about one table or column without repeating
its name; every method calls the ``assert_*`` function of the same meaning, so the messages are
identical."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from pgdrift import ids
from pgdrift.schema import Schema
from pgdrift.testing._columns import (
    assert_column_default,
    assert_column_exists,
    assert_column_has_default,
    assert_column_no_default,
    assert_column_not_null,
    assert_column_nullable,
    assert_column_type,
    assert_columns_are,
    assert_no_column,
)
from pgdrift.testing._constraints import (
    assert_check,
    assert_foreign_key,
    assert_primary_key,
    assert_unique,
)
from pgdrift.testing._drift import assert_no_drift
from pgdrift.testing._indexes import assert_index, assert_indexed, assert_indexes_are
from pgdrift.testing._lookups import ColumnNames, _column, _relation
from pgdrift.testing._objects import (
    assert_exists,
    assert_not_exists,
    assert_objects_are,
    assert_owner,
)
from pgdrift.testing._privileges import assert_no_privilege, assert_privilege
from pgdrift.testing._routines import assert_function
from pgdrift.testing._row_security import (
    assert_policies_are,
    assert_policy,
    assert_rls_disabled,
    assert_rls_enabled,
)
from pgdrift.testing._triggers import assert_trigger, assert_triggers_are
from pgdrift.testing._types import assert_domain, assert_enum_labels
from pgdrift.types import TypeRef


def expect(schema: Schema) -> SchemaExpectation:
    """Start a chain of assertions on ``schema``; see the module docstring.

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (id int NOT NULL PRIMARY KEY);")
        >>> expect(s).table("t").has_primary_key("id").column("id").is_not_null()
        <column public.t.id>
    """
    return SchemaExpectation(schema)


@attrs.frozen
class SchemaExpectation:
    """Assertions about a whole schema; each method returns the chain to continue it."""

    schema: Schema

    def has(self, kind: str, name: str) -> SchemaExpectation:
        assert_exists(self.schema, kind, name)
        return self

    def lacks(self, kind: str, name: str) -> SchemaExpectation:
        assert_not_exists(self.schema, kind, name)
        return self

    def objects_are(
        self, kind: str, names: Iterable[str], *, in_schema: str = "public"
    ) -> SchemaExpectation:
        assert_objects_are(self.schema, kind, names, in_schema=in_schema)
        return self

    def table(self, name: str) -> TableExpectation:
        """Continue with a table; fails at once if there is none of that name."""
        return TableExpectation(self.schema, _relation(self.schema, name).qualified_name)

    def function(
        self, name: str, args: Sequence[str] | None = None, **properties: Any
    ) -> SchemaExpectation:
        assert_function(self.schema, name, args, **properties)
        return self

    def enum(self, name: str, labels: Sequence[str]) -> SchemaExpectation:
        assert_enum_labels(self.schema, name, labels)
        return self

    def domain(self, name: str, **properties: Any) -> SchemaExpectation:
        assert_domain(self.schema, name, **properties)
        return self

    def owner(self, kind: str, name: str, owner: str) -> SchemaExpectation:
        assert_owner(self.schema, kind, name, owner)
        return self

    def no_drift_from(self, other: Schema, **diff_options: Any) -> SchemaExpectation:
        assert_no_drift(other, self.schema, **diff_options)
        return self

    def __repr__(self) -> str:
        return f"<schema {self.schema.source or '?'}>"


@attrs.frozen
class TableExpectation:
    """Assertions about one table (``expect(schema).table("users")``)."""

    schema: Schema
    name: str

    def column(self, name: str) -> ColumnExpectation:
        """Continue with a column; fails at once if there is none of that name."""
        _column(self.schema, self.name, name)
        return ColumnExpectation(self.schema, self.name, name)

    def has_column(self, name: str) -> TableExpectation:
        assert_column_exists(self.schema, self.name, name)
        return self

    def lacks_column(self, name: str) -> TableExpectation:
        assert_no_column(self.schema, self.name, name)
        return self

    def columns_are(self, names: Iterable[str]) -> TableExpectation:
        assert_columns_are(self.schema, self.name, names)
        return self

    def has_primary_key(self, columns: ColumnNames | None = None) -> TableExpectation:
        assert_primary_key(self.schema, self.name, columns)
        return self

    def has_foreign_key(
        self,
        columns: ColumnNames,
        references: str | None = None,
        referenced_columns: ColumnNames | None = None,
        **actions: str,
    ) -> TableExpectation:
        assert_foreign_key(
            self.schema, self.name, columns, references, referenced_columns, **actions
        )
        return self

    def has_unique(self, columns: ColumnNames) -> TableExpectation:
        assert_unique(self.schema, self.name, columns)
        return self

    def has_check(self, expression: str | None = None, **where: str) -> TableExpectation:
        assert_check(self.schema, self.name, expression, **where)
        return self

    def has_index(self, name: str, **properties: Any) -> TableExpectation:
        assert_index(self.schema, self.name, name, **properties)
        return self

    def is_indexed(self, columns: ColumnNames) -> TableExpectation:
        assert_indexed(self.schema, self.name, columns)
        return self

    def indexes_are(self, names: Iterable[str]) -> TableExpectation:
        assert_indexes_are(self.schema, self.name, names)
        return self

    def has_trigger(self, name: str, **properties: Any) -> TableExpectation:
        assert_trigger(self.schema, self.name, name, **properties)
        return self

    def triggers_are(self, names: Iterable[str]) -> TableExpectation:
        assert_triggers_are(self.schema, self.name, names)
        return self

    def has_rls_enabled(self, *, forced: bool | None = None) -> TableExpectation:
        assert_rls_enabled(self.schema, self.name, forced=forced)
        return self

    def has_rls_disabled(self) -> TableExpectation:
        assert_rls_disabled(self.schema, self.name)
        return self

    def has_policy(self, name: str, **properties: Any) -> TableExpectation:
        assert_policy(self.schema, self.name, name, **properties)
        return self

    def policies_are(self, names: Iterable[str]) -> TableExpectation:
        assert_policies_are(self.schema, self.name, names)
        return self

    def is_owned_by(self, owner: str) -> TableExpectation:
        assert_owner(self.schema, ids.TABLE, self.name, owner)
        return self

    def grants(self, role: str, privileges: str | Iterable[str]) -> TableExpectation:
        assert_privilege(self.schema, ids.TABLE, self.name, role, privileges)
        return self

    def does_not_grant(self, role: str, privileges: str | Iterable[str]) -> TableExpectation:
        assert_no_privilege(self.schema, ids.TABLE, self.name, role, privileges)
        return self

    def __repr__(self) -> str:
        return f"<table {self.name}>"


@attrs.frozen
class ColumnExpectation:
    """Assertions about one column; ``.column(other)`` moves to a sibling column."""

    schema: Schema
    table: str
    name: str

    def column(self, name: str) -> ColumnExpectation:
        return TableExpectation(self.schema, self.table).column(name)

    def has_type(self, type: str | TypeRef) -> ColumnExpectation:
        assert_column_type(self.schema, self.table, self.name, type)
        return self

    def is_not_null(self) -> ColumnExpectation:
        assert_column_not_null(self.schema, self.table, self.name)
        return self

    def is_nullable(self) -> ColumnExpectation:
        assert_column_nullable(self.schema, self.table, self.name)
        return self

    def has_default(self, default: str | None = None) -> ColumnExpectation:
        if default is None:
            assert_column_has_default(self.schema, self.table, self.name)
        else:
            assert_column_default(self.schema, self.table, self.name, default)
        return self

    def has_no_default(self) -> ColumnExpectation:
        assert_column_no_default(self.schema, self.table, self.name)
        return self

    def is_primary_key(self) -> ColumnExpectation:
        assert_primary_key(self.schema, self.table, self.name)
        return self

    def is_foreign_key(
        self,
        references: str | None = None,
        referenced_columns: ColumnNames | None = None,
        **actions: str,
    ) -> ColumnExpectation:
        assert_foreign_key(
            self.schema, self.table, self.name, references, referenced_columns, **actions
        )
        return self

    def is_unique(self) -> ColumnExpectation:
        assert_unique(self.schema, self.table, self.name)
        return self

    def has_check(self, expression: str | None = None) -> ColumnExpectation:
        assert_check(self.schema, self.table, expression, column=self.name)
        return self

    def __repr__(self) -> str:
        return f"<column {self.table}.{self.name}>"
