"""Schema assertions for tests: pgTAP's schema checks, run offline against a committed dump.

Each ``assert_*`` function looks something up in a :class:`~pgdrift.schema.Schema` and raises
:class:`AssertionError` when it is not as expected. The message says what was expected, what
was found, and, when a name is not found, the closest name that is (``no column "referrer_id"
in public.user_referrals; did you mean "referrer_user_id"?``). Types are compared by their
canonical names (``varchar(255)`` is ``character varying(255)``), defaults and checks as
expressions (``now()`` is ``CURRENT_TIMESTAMP``). A mistake in the test itself (an unknown
kind, a type that does not parse) raises ``ValueError`` or :class:`pgdrift.ParseError`, not
``AssertionError``, so a broken test never passes for a failed assertion.

Two shapes, one built on the other:

* plain functions (``assert_column_type(schema, "users", "email", "varchar(255)")``) are the
  API: one function per pgTAP check, so a pgTAP suite ports line by line, and each is easy to
  find, document and call from helpers;
* :func:`expect` chains them for the common case of pinning many facts about one table or
  column without repeating its name:
  ``expect(schema).table("users").column("email").has_type("varchar(255)").is_not_null()``.
  Every chain method calls the function of the same meaning, so messages are identical.

Names are written as stored, without quotes; an unqualified name means ``public`` (for indexes,
constraints, triggers and policies, the table's schema).

Each family of checks lives in a private module (``_columns``, ``_indexes``, ``_privileges``...,
with the shared name lookups and message helpers in ``_lookups``); import them from here.

Example:
    >>> import pgdrift
    >>> schema = pgdrift.loads("CREATE TABLE public.users (email varchar(255) NOT NULL);")
    >>> assert_column_type(schema, "users", "email", "character varying(255)")
    >>> expect(schema).table("users").column("email").has_type("varchar(255)").is_not_null()
    <column public.users.email>
    >>> assert_column_exists(schema, "users", "emial")
    Traceback (most recent call last):
    ...
    AssertionError: no column "emial" in public.users; did you mean "email"?
"""

from __future__ import annotations

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
    assert_no_foreign_key,
    assert_no_primary_key,
    assert_primary_key,
    assert_unique,
)
from pgdrift.testing._drift import DriftError, assert_no_drift, drift_report
from pgdrift.testing._expect import (
    ColumnExpectation,
    SchemaExpectation,
    TableExpectation,
    expect,
)
from pgdrift.testing._indexes import (
    assert_index,
    assert_indexed,
    assert_indexes_are,
    assert_no_index,
)
from pgdrift.testing._lint import LintError, assert_lint_clean
from pgdrift.testing._lookups import TYPE, ColumnNames
from pgdrift.testing._objects import (
    assert_exists,
    assert_not_exists,
    assert_objects_are,
    assert_owner,
)
from pgdrift.testing._privileges import (
    assert_no_privilege,
    assert_privilege,
    assert_privileges_are,
)
from pgdrift.testing._routines import assert_function
from pgdrift.testing._row_security import (
    assert_policies_are,
    assert_policy,
    assert_rls_disabled,
    assert_rls_enabled,
)
from pgdrift.testing._triggers import assert_no_trigger, assert_trigger, assert_triggers_are
from pgdrift.testing._types import assert_domain, assert_enum_labels

__all__ = [
    "TYPE",
    "ColumnExpectation",
    "ColumnNames",
    "DriftError",
    "LintError",
    "SchemaExpectation",
    "TableExpectation",
    "assert_check",
    "assert_column_default",
    "assert_column_exists",
    "assert_column_has_default",
    "assert_column_no_default",
    "assert_column_not_null",
    "assert_column_nullable",
    "assert_column_type",
    "assert_columns_are",
    "assert_domain",
    "assert_enum_labels",
    "assert_exists",
    "assert_foreign_key",
    "assert_function",
    "assert_index",
    "assert_indexed",
    "assert_indexes_are",
    "assert_lint_clean",
    "assert_no_column",
    "assert_no_drift",
    "assert_no_foreign_key",
    "assert_no_index",
    "assert_no_primary_key",
    "assert_no_privilege",
    "assert_no_trigger",
    "assert_not_exists",
    "assert_objects_are",
    "assert_owner",
    "assert_policies_are",
    "assert_policy",
    "assert_primary_key",
    "assert_privilege",
    "assert_privileges_are",
    "assert_rls_disabled",
    "assert_rls_enabled",
    "assert_trigger",
    "assert_triggers_are",
    "assert_unique",
    "drift_report",
    "expect",
]
