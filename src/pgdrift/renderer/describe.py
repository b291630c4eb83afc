"""Short human descriptions of model objects and attribute values, shared by the renderers.

Everything here reads the model; nothing re-parses SQL or reads files.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from pgdrift import model
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.types import TypeRef

#: Names of attribute fields as people say them.
FIELD_LABELS = {
    "not_null": "NOT NULL",
    "default": "DEFAULT",
    "type": "type",
    "rls_enabled": "row level security",
    "rls_forced": "row level security forced",
    "column_order": "column order",
    "security_definer": "SECURITY DEFINER",
    "returns": "return type",
}


def object_name(oid: ObjectId, *, within_table: bool = False) -> str:
    """``public.users`` for top-level objects; ``name`` alone for a part of a table when the
    table is already said (``within_table``), else ``public.users.name``."""
    if within_table and oid.parent is not None:
        return oid.name
    return oid.qualified_name


def short_name(oid: ObjectId) -> str:
    """The name without its schema: ``users``, ``users.id``, ``f(uuid)``."""
    parts = [p for p in (oid.parent, oid.name) if p is not None]
    text = ".".join(parts)
    if oid.args is not None:
        text += "(" + ", ".join(oid.args) + ")"
    return text


def value_text(value: Any) -> str:
    """A model value as one short line of text (``none`` for None)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (TypeRef, ObjectId)):
        return str(value)
    if isinstance(value, Expr):
        return value.sql
    if isinstance(value, model.Privilege):
        return privilege_text(value)
    if isinstance(value, model.IndexElement):
        return value.display()
    if isinstance(value, model.Argument):
        return argument_text(value)
    if isinstance(value, (tuple, list)):
        if not value:
            return "none"
        return ", ".join(value_text(v) for v in value)
    if attrs.has(type(value)):
        fields = (f.name for f in attrs.fields(type(value)))
        return ", ".join(f"{n}={value_text(getattr(value, n))}" for n in fields)
    return str(value)


def shorten(text: str, width: int = 60) -> str:
    """One line, at most ``width`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 3] + "..."


def privilege_text(privilege: model.Privilege) -> str:
    grant = " WITH GRANT OPTION" if privilege.grantable else ""
    by = f" (granted by {privilege.grantor})" if privilege.grantor else ""
    return f"{privilege.privilege} to {privilege.grantee}{grant}{by}"


def privileges_by_grantee(
    privileges: Iterable[model.Privilege], *, skip: str | None = None
) -> dict[str, list[str]]:
    """Privileges grouped by grantee, sorted; ``skip`` leaves out one role (the owner)."""
    result: dict[str, list[str]] = {}
    for p in sorted(privileges):
        if p.grantee == skip:
            continue
        result.setdefault(p.grantee, []).append(p.privilege + ("*" if p.grantable else ""))
    return dict(sorted(result.items()))


def privilege_changes(
    old: Iterable[model.Privilege], new: Iterable[model.Privilege]
) -> tuple[list[model.Privilege], list[model.Privilege]]:
    """(granted, revoked) between two ACLs, sorted."""
    before, after = set(old), set(new)
    return sorted(after - before), sorted(before - after)


# Columns ---------------------------------------------------------------------------------------


def column_constraints(
    table: ObjectId, constraints: Iterable[model.Constraint]
) -> dict[str, list[str]]:
    """Notes for the column list: ``PRIMARY KEY``, ``UNIQUE``, ``FK to t`` of single-column
    constraints, by column name (multi-column constraints are listed on their own)."""
    notes: dict[str, list[str]] = {}
    for c in sorted(constraints, key=lambda c: c.id.sort_key()):
        if c.table != table or len(c.columns) != 1:
            continue
        column = c.columns[0]
        if c.type == model.Constraint.PRIMARY_KEY:
            notes.setdefault(column, []).append("PRIMARY KEY")
        elif c.type == model.Constraint.UNIQUE:
            notes.setdefault(column, []).append("UNIQUE")
        elif c.type == model.Constraint.FOREIGN_KEY and c.references is not None:
            notes.setdefault(column, []).append(f"(FK to {c.references.qualified_name})")
    return notes


def column_definition(column: model.Column, notes: Iterable[str] = ()) -> str:
    """``uuid NOT NULL DEFAULT gen_random_uuid()`` plus constraint notes, without the name."""
    notes = list(notes)
    parts = [str(column.type)]
    if column.collation:
        parts.append(f"COLLATE {column.collation}")
    keys = [n for n in notes if not n.startswith("(")]
    # A primary key implies NOT NULL; saying both is noise.
    if column.not_null and "PRIMARY KEY" not in keys:
        parts.append("NOT NULL")
    parts.extend(keys)
    if column.identity is not None:
        parts.append(f"GENERATED {'ALWAYS' if column.identity.always else 'BY DEFAULT'} "
                     "AS IDENTITY")  # fmt: skip
    if column.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({column.generated.sql}) STORED")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default.sql}")
    parts.extend(n for n in notes if n.startswith("("))
    return " ".join(parts)


def column_lines(
    columns: Iterable[model.Column],
    notes: dict[str, list[str]] | None = None,
    comments: dict[str, str] | None = None,
) -> list[str]:
    """Aligned ``name  definition`` lines, with optional ``-- comment`` per column."""
    columns = list(columns)
    notes = notes or {}
    comments = comments or {}
    width = max((len(c.name) for c in columns), default=0)
    lines = []
    for column in columns:
        line = f"{column.name:<{width}}  {column_definition(column, notes.get(column.name, ()))}"
        if column.name in comments:
            line += f"  -- {comments[column.name]}"
        lines.append(line)
    if comments:
        # Line the trailing comments up too, for reading side by side.
        split = [[*ln.split("  -- ", 1), ""][:2] for ln in lines]
        body = max(len(a) for a, _ in split)
        lines = [f"{a:<{body}}  -- {b}" if b else a for a, b in split]
    return lines


# Indexes, constraints, triggers, policies, routines --------------------------------------------


def index_summary(index: model.Index) -> str:
    """``Unique index on (a, b DESC) using gin where (...)``."""
    what = "Unique index" if index.unique else "Index"
    text = f"{what} on {_elements(index.elements)}"
    if index.method != "btree":
        text += f" using {index.method}"
    if index.include:
        text += " including " + ", ".join(f"`{c}`" for c in index.include)
    if index.nulls_not_distinct:
        text += " (NULLS NOT DISTINCT)"
    if index.where is not None:
        text += f" where `{index.where.sql}`"
    return text


def _elements(elements: Iterable[model.IndexElement]) -> str:
    return ", ".join(f"`{e.display()}`" for e in elements)


def _columns(columns: Iterable[str]) -> str:
    return ", ".join(f"`{c}`" for c in columns)


def constraint_summary(constraint: model.Constraint) -> str:
    """``Primary key on `id```, ``Foreign key (`user_id`) to `public.users` (`id`) ON DELETE
    CASCADE``, ``Check `(a > 0)```..."""
    c = constraint
    if c.type == model.Constraint.PRIMARY_KEY:
        text = f"Primary key on {_columns(c.columns)}"
    elif c.type == model.Constraint.UNIQUE:
        text = f"Unique constraint on {_columns(c.columns)}"
        if c.nulls_not_distinct:
            text += " (NULLS NOT DISTINCT)"
    elif c.type == model.Constraint.FOREIGN_KEY:
        target = c.references.qualified_name if c.references is not None else "?"
        text = f"Foreign key ({_columns(c.columns)}) to `{target}`"
        if c.referenced_columns:
            text += f" ({_columns(c.referenced_columns)})"
        if c.on_delete != "no action":
            text += f" ON DELETE {c.on_delete.upper()}"
            if c.on_delete_columns:
                text += f" ({_columns(c.on_delete_columns)})"
        if c.on_update != "no action":
            text += f" ON UPDATE {c.on_update.upper()}"
        if c.match != "simple":
            text += f" MATCH {c.match.upper()}"
    elif c.type == model.Constraint.CHECK:
        text = f"Check `{c.expression.sql if c.expression is not None else '?'}`"
        if c.no_inherit:
            text += " NO INHERIT"
    elif c.type == model.Constraint.EXCLUSION:
        text = f"Exclusion using {c.method or 'btree'} on {_elements(c.elements)}"
        if c.where is not None:
            text += f" where `{c.where.sql}`"
    else:
        text = f"{c.type.capitalize()} constraint"
    if c.include:
        text += f" including {_columns(c.include)}"
    if c.deferrable:
        text += " DEFERRABLE" + (" INITIALLY DEFERRED" if c.initially_deferred else "")
    if c.not_valid:
        text += " NOT VALID"
    return text


def trigger_summary(trigger: model.Trigger) -> str:
    """``BEFORE INSERT OR UPDATE FOR EACH ROW -> public.f()``"""
    events = " OR ".join(e.upper() for e in trigger.events)
    if trigger.update_columns:
        events += " OF " + ", ".join(trigger.update_columns)
    level = "ROW" if trigger.for_each_row else "STATEMENT"
    text = f"{trigger.timing.upper()} {events} FOR EACH {level}"
    if trigger.when is not None:
        text += f" WHEN ({trigger.when.sql})"
    args = ", ".join(trigger.arguments)
    text += f" → `{trigger.function}({args})`"
    if trigger.enabled != "origin":
        text += f" ({trigger.enabled})"
    return text


def policy_summary(policy: model.Policy) -> str:
    """``permissive, FOR ALL TO authenticated USING (...) WITH CHECK (...)``"""
    text = "permissive" if policy.permissive else "restrictive"
    text += f", FOR {policy.command.upper()} TO {', '.join(policy.roles)}"
    if policy.using is not None:
        text += f" USING ({policy.using.sql})"
    if policy.with_check is not None:
        text += f" WITH CHECK ({policy.with_check.sql})"
    return text


def argument_text(argument: model.Argument) -> str:
    mode = "" if argument.mode in ("in", "table") else argument.mode.upper() + " "
    name = f"{argument.name} " if argument.name else ""
    default = f" DEFAULT {argument.default.sql}" if argument.default is not None else ""
    return f"{mode}{name}{argument.type}{default}"


def function_signature(function: model.Function, *, qualified: bool = True) -> str:
    """``public.f(p_user_id uuid, p_n integer DEFAULT 1)`` (argument names as declared)."""
    args = ", ".join(argument_text(a) for a in function.arguments if a.mode != "table")
    name = function.id.qualified_name.split("(")[0] if qualified else function.name
    return f"{name}({args})"


def function_returns(function: model.Function) -> str:
    """``returns uuid``, ``returns TABLE(a integer)``, or ``procedure``."""
    if isinstance(function, model.Procedure) or function.returns is None:
        return "procedure"
    table = [a for a in function.arguments if a.mode == "table"]
    if table:
        return "returns TABLE(" + ", ".join(f"{a.name} {a.type}" for a in table) + ")"
    return f"returns {function.returns}"


def function_traits(function: model.Function) -> str:
    """``plpgsql, volatile, SECURITY DEFINER, search_path=public``"""
    parts = [function.language, function.volatility]
    if function.strict:
        parts.append("strict")
    if function.security_definer:
        parts.append("SECURITY DEFINER")
    parts.extend(f"{k}={v}" if v is not None else k for k, v in function.config)
    return ", ".join(parts)


def describe_object(obj: model.DbObject) -> str:
    """A one-line description of any object, for lists of one-sided objects."""
    if isinstance(obj, model.Index):
        return f"{index_summary(obj)} of `{obj.table.qualified_name}`"
    if isinstance(obj, model.Constraint):
        return f"{constraint_summary(obj)} on `{obj.table.qualified_name}`"
    if isinstance(obj, model.Trigger):
        return f"on `{obj.table.qualified_name}`: {trigger_summary(obj)}"
    if isinstance(obj, model.Policy):
        return f"on `{obj.table.qualified_name}`: {policy_summary(obj)}"
    if isinstance(obj, model.Function):
        return f"{function_returns(obj)}; {function_traits(obj)}"
    if isinstance(obj, model.Enum):
        return "labels " + ", ".join(obj.labels)
    if isinstance(obj, model.Column):
        return column_definition(obj)
    if isinstance(obj, (model.View, model.MaterializedView)):
        return shorten(obj.query.sql, 100)
    if isinstance(obj, model.Sequence):
        owned = f", owned by {obj.owned_by.qualified_name}" if obj.owned_by else ""
        return f"{value_text(obj.options)}{owned}"
    if isinstance(obj, model.Domain):
        return f"over {obj.base_type}" + (" NOT NULL" if obj.not_null else "")
    if isinstance(obj, model.Unsupported):
        return shorten(obj.statement, 100)
    if isinstance(obj, model.ExternalObject):
        return "defined outside the dump (an extension member or a built-in): only its grants"
    return ""


def part_description(obj: model.DbObject) -> str:
    """A table part described without repeating its table."""
    if isinstance(obj, model.Index):
        return index_summary(obj)
    if isinstance(obj, model.Constraint):
        return constraint_summary(obj)
    if isinstance(obj, model.Trigger):
        return trigger_summary(obj)
    if isinstance(obj, model.Policy):
        return policy_summary(obj)
    return describe_object(obj)

__all__ = [
    "FIELD_LABELS", "argument_text", "column_constraints", "column_definition", "column_lines",
    "constraint_summary", "describe_object", "function_returns", "function_signature",
    "function_traits", "index_summary", "object_name", "part_description", "policy_summary",
    "privilege_changes", "privilege_text", "privileges_by_grantee", "short_name", "shorten",
    "trigger_summary", "value_text",
]  # fmt: skip
