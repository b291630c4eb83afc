"""What a column type change costs: whether it needs ``USING``, rewrites the table, and can
fail on the rows already there.

PostgreSQL skips the rewrite when the old values are valid, unchanged, in the new type: a
binary-coercible change that does not narrow a length or precision (docs: ALTER TABLE, Notes:
"changing the type of an existing column will normally cause the entire table and its indexes
to be rewritten... As an exception, when changing the type of an existing column, if the USING
clause does not change the column contents and the old type is either binary coercible to the
new type or an unconstrained domain over the new type, a table rewrite is not needed").
Everything not known to be safe is reported as rewriting, and as able to fail unless it only
widens.
"""

from __future__ import annotations

import attrs

from pgdrift.differ.changes import MAY_FAIL, REWRITES_TABLE, STRONG_LOCK
from pgdrift.pg.quoting import quote_ident
from pgdrift.types import TypeRef

# Built-in types that convert to each other with an assignment cast: a change inside a family
# needs no USING. Anything else gets USING col::newtype (docs: ALTER TABLE, "SET DATA TYPE":
# USING is required "if there is no implicit or assignment cast from old to new type").
_FAMILIES = {
    "numeric": ("smallint", "integer", "bigint", "numeric", "real", "double precision", "money"),
    "string": ("text", "character varying", "character", "bpchar", "name", '"char"', "char",
               "citext"),
    "datetime": ("timestamp without time zone", "timestamp with time zone", "date"),
    "time": ("time without time zone", "time with time zone"),
    "network": ("inet", "cidr"),
    "bit": ("bit", "bit varying"),
}  # fmt: skip
_FAMILY_OF = {name: family for family, members in _FAMILIES.items() for name in members}
_STRING_NAMES = frozenset({"text", "character varying"})
# Widening conversions that never fail: (old, new).
_WIDENING = frozenset({
    ("smallint", "integer"), ("smallint", "bigint"), ("integer", "bigint"),
    ("smallint", "numeric"), ("integer", "numeric"), ("bigint", "numeric"),
    ("real", "double precision"), ("character varying", "text"), ("character", "text"),
    ("cidr", "inet"), ("date", "timestamp without time zone"),
    ("date", "timestamp with time zone"),
    ("timestamp without time zone", "timestamp with time zone"),
    ("timestamp with time zone", "timestamp without time zone"),
})  # fmt: skip


@attrs.frozen
class TypeChange:
    """How ``ALTER COLUMN ... TYPE`` from one type to another goes."""

    #: The USING expression (None when an assignment cast does the job).
    using: str | None
    rewrites: bool
    may_fail: bool

    def hazards(self) -> tuple[str, ...]:
        found = []
        if self.rewrites:
            found += [REWRITES_TABLE, STRONG_LOCK]
        if self.may_fail:
            found += [MAY_FAIL, STRONG_LOCK]
        return tuple(dict.fromkeys(found))


def type_change(column: str, old: TypeRef, new: TypeRef) -> TypeChange:
    """The USING clause and hazards of changing ``column`` from ``old`` to ``new``.

    >>> type_change("n", TypeRef(None, "integer"), TypeRef(None, "bigint"))
    TypeChange(using=None, rewrites=True, may_fail=False)
    >>> type_change("s", TypeRef(None, "text"), TypeRef(None, "integer")).using
    's::integer'
    """
    if old == new:
        return TypeChange(None, False, False)
    if old.array_dims != new.array_dims:
        return TypeChange(_using(column, old, new), True, True)
    if new.is_builtin and new.name == "text" and not new.modifiers:
        # Every type has an output function: converting to text cannot fail.
        return TypeChange(_using(column, old, new) if not old.is_builtin or _FAMILY_OF.get(
            old.name) != "string" else None, old.name not in _STRING_NAMES, False)  # fmt: skip
    if not old.is_builtin or not new.is_builtin:
        return TypeChange(_using(column, old, new), True, True)
    if old.name == new.name:
        return _same_type(old, new)
    old_family, new_family = _FAMILY_OF.get(old.name), _FAMILY_OF.get(new.name)
    using = None if old_family is not None and old_family == new_family else _using(
        column, old, new)  # fmt: skip
    if old.name in _STRING_NAMES and new.name in _STRING_NAMES:
        # text and varchar are binary coercible; only a new length limit costs a check.
        limited = bool(new.modifiers)
        return TypeChange(None, limited, limited)
    widening = (old.name, new.name) in _WIDENING and not new.modifiers
    if new.name == "text":
        widening = True  # every type has an output function: casting to text cannot fail
    if (old.name, new.name) == ("cidr", "inet"):
        return TypeChange(None, False, False)
    return TypeChange(using, True, not widening)


def _same_type(old: TypeRef, new: TypeRef) -> TypeChange:
    """A change of modifiers only: ``varchar(50)`` to ``varchar(100)``, ``numeric(10,2)`` to
    ``numeric(12,2)``..."""
    if not new.modifiers:
        # Dropping a length or precision limit never needs a rewrite for these types.
        lossless = old.name in ("character varying", "numeric", "bit varying")
        return TypeChange(None, not lossless, not lossless)
    if not old.modifiers:
        return TypeChange(None, True, True)
    try:
        old_mods = [int(m) for m in old.modifiers]
        new_mods = [int(m) for m in new.modifiers]
    except ValueError:
        return TypeChange(None, True, True)
    if old.name in ("character varying", "bit varying"):
        grows = new_mods[0] >= old_mods[0]
        return TypeChange(None, not grows, not grows)
    if old.name == "numeric":
        old_scale = old_mods[1] if len(old_mods) > 1 else 0
        new_scale = new_mods[1] if len(new_mods) > 1 else 0
        grows = new_scale == old_scale and new_mods[0] >= old_mods[0]
        safe = new_scale >= old_scale and new_mods[0] - new_scale >= old_mods[0] - old_scale
        return TypeChange(None, not grows, not safe)
    return TypeChange(None, True, True)


def _using(column: str, old: TypeRef, new: TypeRef) -> str:
    # A user type (an enum above all) has no cast to anything but text, and text converts to
    # any type through its input function: go through text when the old type is not built in.
    via = ""
    if not old.is_builtin and not (new.is_builtin and new.name == "text" and not new.array_dims):
        via = "::text[]" if old.array_dims else "::text"
    return f"{quote_ident(column)}{via}::{new}"
