"""User-defined types: enums, domains, composite, range and base types.

An enum only grows in place (``ALTER TYPE ... ADD VALUE ... BEFORE/AFTER``). Removing or
reordering labels, or changing a domain's base type, replaces the type; when table columns use
it, their data is kept by renaming the old type out of the way, creating the new one,
converting each column through text, and dropping the old type. A replaced range type cannot
be renamed out of the way (its multirange type and constructors keep their names): its
columns are kept as text while it is dropped and created again.
"""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import ids, model
from pgdrift.differ.changes import (
    DELETES_DATA,
    MAY_FAIL,
    REWRITES_TABLE,
    STRONG_LOCK,
    Altered,
    AttributeChange,
    Change,
    Dropped,
    Replaced,
)
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import quote_ident, quote_literal, quote_routine_name
from pgdrift.planner import names
from pgdrift.planner.attributes import emit_comment
from pgdrift.planner.clauses import b_expr, collate, dotted, paren, sql
from pgdrift.planner.constraints import statistics_targets_again
from pgdrift.planner.context import DROP_PHASE, Action, PlanContext
from pgdrift.planner.handlers import alters, creates, drops, replaces
from pgdrift.planner.inheritance import parents
from pgdrift.planner.objects import create_object
from pgdrift.planner.partitions import detached_id, partition_detached
from pgdrift.schema import Schema

_RANGE_FUNCTIONS = frozenset({"canonical", "subtype_diff"})
_BASE_FUNCTIONS = frozenset({"input", "output", "receive", "send", "typmod_in", "typmod_out",
                             "analyze", "subscript"})  # fmt: skip
_BASE_LITERALS = frozenset({"category", "delimiter", "default"})
_BASE_FLAGS = frozenset({"passedbyvalue", "preferred", "collatable"})


# Enums -------------------------------------------------------------------------------------


@creates(model.Enum)
def create_enum(ctx: PlanContext, enum: model.Enum, change: Change | None) -> Action:
    labels = ", ".join(quote_literal(label) for label in enum.labels)
    return ctx.emit(f"CREATE TYPE {names.relation(enum.id)} AS ENUM ({labels})", change=change,
                    anchor=enum.id, makes=(enum.id,), needs=ctx.new_deps(enum))  # fmt: skip


@alters(model.Enum)
def alter_enum(
    ctx: PlanContext,
    change: Change,
    before: model.Enum,
    after: model.Enum,
    details: list[AttributeChange],
) -> None:
    present = list(before.labels)
    previous: Action | None = None
    for position, label in enumerate(after.labels):
        if label in present:
            continue
        following = next((x for x in after.labels[position + 1:] if x in present), None)
        neighbour: str | None
        if following is not None:
            neighbour = following
            where = f" BEFORE {quote_literal(following)}"
            present.insert(present.index(following), label)
        else:
            neighbour = after.labels[position - 1] if position else None
            where = f" AFTER {quote_literal(neighbour)}" if neighbour else ""
            present.append(label)
        previous = ctx.emit(
            f"ALTER TYPE {names.relation(after.id)} ADD VALUE {quote_literal(label)}{where}",
            change=change, anchor=after.id, needs=(after.id,),
            after=[previous] if previous else [], adds_enum_label=label,
            uses_enum_labels=ctx.added_enum_labels & {neighbour} if neighbour else (),
        )  # fmt: skip


@replaces(model.Enum, model.Domain)
def replace_type(
    ctx: PlanContext, change: Change | None, before: model.DbObject, after: model.DbObject
) -> bool:
    """Rename the old type away, create the new one, convert the columns that use it, drop
    the old one; False (plain DROP and CREATE) when no table column uses it."""
    users = _columns_of_type(ctx, before.id)
    if not users and not _domains_with_columns(ctx, before.id):
        return False
    old_name = names.set_aside(before.id.name)
    old_id = ObjectId(before.kind, before.id.schema, old_name)
    keyword = names.owner_words(before.kind)
    renamed = ctx.emit(
        f"ALTER {keyword} {names.relation(before.id)} RENAME TO {quote_ident(old_name)}",
        change=change, anchor=before.id, phase=DROP_PHASE, removes=(before.id,),
        comment=f"{before.id.qualified_name} is replaced; its columns are converted to the "
        "new type" if users else f"{before.id.qualified_name} is replaced; the domains over "
        "it keep it meanwhile",
    )  # fmt: skip
    if isinstance(before, model.Domain):
        _unbind_aside(ctx, before, old_id, renamed)
    create_object(ctx, after, change)
    conversions = []
    lost = isinstance(before, model.Enum) and isinstance(after, model.Enum) and any(
        label not in after.labels for label in before.labels)  # fmt: skip
    for table, column in users:
        new_type = column.type
        via = "::text[]" if new_type.array_dims else "::text"
        existing = not ctx.is_new(table.id)
        conversions.append(ctx.emit(
            f"ALTER TABLE {names.relation(table.id)} ALTER COLUMN {quote_ident(column.name)} "
            f"TYPE {new_type} USING {quote_ident(column.name)}{via}::{new_type}",
            change=change, anchor=table.id, frees=(old_id,),
            needs=(before.id, table.id, *([detached_id(table.id)] if partition_detached(
                table.id, ctx.old, ctx.new, ctx.rebuilt_tables) else [])),
            makes=(column.id,), removes=(column.id,),
            hazards=(MAY_FAIL, REWRITES_TABLE, STRONG_LOCK) if existing else (),
        ))  # fmt: skip
        statistics_targets_again(ctx, table.id, column.name, conversions[-1])
    # A type it is over that is itself replaced was renamed aside too: this old one goes first.
    aside = {ObjectId(d.kind, d.schema, names.set_aside(d.name)) for d in ctx.old_deps(before)
             if d.kind in (ids.ENUM, ids.DOMAIN)}  # fmt: skip
    ctx.emit(f"DROP {keyword} {names.relation(old_id)}", change=change, anchor=before.id,
             removes=(old_id,), frees=aside, after=[renamed, *conversions],
             hazards=(DELETES_DATA,) if lost else ())  # fmt: skip
    return True


def _unbind_aside(
    ctx: PlanContext, before: model.Domain, old_id: ObjectId, renamed: Action
) -> None:
    """The old domain, renamed aside until its columns are converted, holds on to the
    routines its DEFAULT and CHECKs call: one the plan drops (or drops to create again)
    comes off it first, or the routine's DROP fails ("type ... depends on function")."""
    gone = {c.id for c in ctx.changes if isinstance(c, (Dropped, Replaced))
            and c.kind in (ids.FUNCTION, ids.PROCEDURE)}  # fmt: skip
    calls = [d for d in ctx.old_deps(before) if d in gone]
    if not calls:
        return
    name = names.relation(old_id)
    why = f"it calls {calls[0].qualified_name}, which the plan drops"
    if before.default is not None and any(
        d.name in ctx.names_in(before.default, 0) for d in calls
    ):
        ctx.emit(f"ALTER DOMAIN {name} DROP DEFAULT", change=None, anchor=before.id,
                 phase=DROP_PHASE, after=[renamed], frees=calls,
                 comment=f"the old default: {why}")  # fmt: skip
    for check in before.checks:
        if any(d.name in ctx.names_in(check.expression, 0) for d in calls):
            ctx.emit(f"ALTER DOMAIN {name} DROP CONSTRAINT {quote_ident(check.name or '')}",
                     change=None, anchor=before.id, phase=DROP_PHASE, after=[renamed],
                     frees=calls, comment=f"the old check: {why}")  # fmt: skip


def type_names(schema: Schema, type_id: ObjectId) -> set[tuple[str | None, str]]:
    """The (schema, name) of the types a replaced ``type_id`` takes with it: itself, and a
    range type's multirange type."""
    found_names: set[tuple[str | None, str]] = {(type_id.schema, type_id.name)}
    found = schema.objects.get(type_id)
    if isinstance(found, model.RangeType) and found.multirange is not None:
        found_names.add(found.multirange)
    return found_names


def _domains_with_columns(ctx: PlanContext, type_id: ObjectId) -> bool:
    """Whether a domain over ``type_id`` (or over such a domain) that stays has table columns:
    it is renamed aside with its columns' values meanwhile, over the old type, which must then
    be renamed aside as well rather than dropped."""
    for dependent, _ in ctx.dependents(type_id, (ids.DOMAIN,)):
        if dependent.kind == ids.DOMAIN and dependent in ctx.new.objects and (
            _columns_of_type(ctx, dependent) or _domains_with_columns(ctx, dependent)
        ):
            return True
    return False


def _columns_of_type(
    ctx: PlanContext, type_id: ObjectId
) -> list[tuple[model.Table, model.Column]]:
    """Columns of surviving tables whose type, in both schemas, is ``type_id``."""
    found = []
    spellings = type_names(ctx.old, type_id)
    dependents = ctx.dependents(type_id, (ids.TABLE, ids.FOREIGN_TABLE))
    for dependent, _ in sorted(dependents, key=lambda d: d[0].sort_key()):
        if dependent.kind not in (ids.TABLE, ids.FOREIGN_TABLE):
            continue
        old_table = ctx.old.objects.get(dependent)
        new_table = ctx.new.objects.get(dependent)
        if not isinstance(old_table, model.Table) or not isinstance(new_table, model.Table):
            continue
        for column in old_table.columns.values():
            if (column.type.schema, column.type.name) not in spellings:
                continue
            new_column = new_table.columns.get(column.name)
            if dependent in ctx.rebuilt_tables:
                continue  # dropped and created again with the new type
            # A child's or partition's column follows its parent's ALTER, unless the plan
            # detaches it first or attaches it only after (the types must match then).
            follows = _reached_through_parent(ctx, dependent, column.name)
            if new_column is not None and new_column.type.element == column.type.element and (
                not follows
            ):
                found.append((new_table, new_column))
    return found


def _reached_through_parent(ctx: PlanContext, table: ObjectId, column: str) -> bool:
    """Whether a parent's ALTER COLUMN ... TYPE reaches ``column`` of the table: it is the
    child or partition of a table that stays, holds the column, and is its parent in both
    schemas (a NO INHERIT or DETACH runs before the conversions, an INHERIT or ATTACH after)."""
    both = set(parents(table, ctx.old)) & set(parents(table, ctx.new))
    for parent in sorted(both, key=ObjectId.sort_key):
        was, now = ctx.old.objects.get(parent), ctx.new.objects.get(parent)
        if parent not in ctx.rebuilt_tables and isinstance(was, model.Table) and isinstance(
            now, model.Table
        ) and column in was.columns and column in now.columns:
            return True
    return False


# Domains ---------------------------------------------------------------------------------------


def _check(check: model.DomainCheck) -> str:
    name = f"CONSTRAINT {quote_ident(check.name)} " if check.name else ""
    return f"{name}CHECK {paren(check.expression)}"


@creates(model.Domain)
def create_domain(ctx: PlanContext, domain: model.Domain, change: Change | None) -> Action:
    text = f"CREATE DOMAIN {names.relation(domain.id)} AS {domain.base_type}"
    text += collate(domain.collation)
    if domain.default is not None:
        text += f" DEFAULT {b_expr(domain.default)}"
    if domain.not_null:
        text += " NOT NULL"
    later = [c for c in domain.checks if c.not_valid]
    for check in domain.checks:
        if not check.not_valid:
            text += f"\n    {_check(check)}"
    main = ctx.emit(text, change=change, anchor=domain.id, makes=(domain.id,),
                    needs=ctx.new_deps(domain))  # fmt: skip
    for check in later:
        ctx.emit(f"ALTER DOMAIN {names.relation(domain.id)} ADD {_check(check)} NOT VALID",
                 change=change, anchor=domain.id, needs=(domain.id,))  # fmt: skip
    for check in domain.checks:
        if check.comment is not None:
            _check_comment(ctx, domain, check, change)
    return main


def _check_comment(
    ctx: PlanContext, domain: model.Domain, check: model.DomainCheck, change: Change | None
) -> None:
    text = "NULL" if check.comment is None else quote_literal(check.comment)
    ctx.emit(f"COMMENT ON CONSTRAINT {quote_ident(check.name or '')} ON DOMAIN "
             f"{names.relation(domain.id)} IS {text}", change=change, anchor=domain.id,
             needs=(domain.id,))  # fmt: skip


def domains_rebuilt_for_containers(
    changes: Iterable[Change], old: Schema, new: Schema
) -> list[Replaced]:
    """A domain to replace (rename aside, create, convert its columns) rather than alter
    because a table column holds it inside an array, a range or a composite type (one
    attribute deep): ALTER DOMAIN's ADD CONSTRAINT, VALIDATE CONSTRAINT and SET NOT NULL
    check the stored values, and PostgreSQL cannot look inside a container type for them
    ("cannot alter type ... because column ... uses it", get_rels_with_domain). The
    replacement's conversion casts each element to the new domain (a range or composite over
    it is replaced and its columns converted too), which checks it."""
    found = []
    for change in changes:
        before, after = change.before, change.after
        if not (isinstance(change, Altered) and isinstance(before, model.Domain)
                and isinstance(after, model.Domain) and _checks_values(before, after)):
            continue
        # A domain over it too: PostgreSQL checks a domain's sub-domains' columns.
        domains = _domain_and_subdomains(old, before.id)
        containers: set[tuple[str | None, str]] = set()
        for rng in old.of_kind(ids.RANGE_TYPE).values():
            if isinstance(rng, model.RangeType) and (rng.subtype.schema,
                                                     rng.subtype.name) in domains:
                containers |= type_names(old, rng.id)
        for row in old.of_kind(ids.COMPOSITE_TYPE).values():
            if any((a.type.schema, a.type.name) in domains
                   for a in getattr(row, "columns", {}).values()):
                containers.add((row.id.schema, row.id.name))
        held = [f"{table.id.qualified_name}.{column.name}" for table in old.tables.values()
                for column in table.columns.values()
                if (column.type.schema, column.type.name) in containers or (
                    column.type.array_dims and (column.type.schema, column.type.name) in domains
                )]  # fmt: skip
        if held and change.id in new.objects:
            found.append(Replaced(
                id=change.id, before=before, after=after, details=change.details,
                reason=f"ALTER DOMAIN cannot check the values of it inside {held[0]}",
            ))  # fmt: skip
    return found


def _domain_and_subdomains(schema: Schema, domain: ObjectId) -> set[tuple[str | None, str]]:
    """(schema, name) of ``domain`` and of the domains over it, at any depth, in ``schema``."""
    found = {(domain.schema, domain.name)}
    grew = True
    while grew:
        grew = False
        for other in schema.of_kind(ids.DOMAIN).values():
            key = (other.id.schema, other.id.name)
            base = getattr(other, "base_type", None)
            if key not in found and base is not None and (base.schema, base.name) in found:
                found.add(key)
                grew = True
    return found


def _checks_values(before: model.Domain, after: model.Domain) -> bool:
    """Whether altering ``before`` into ``after`` checks the stored values (see
    :func:`alter_domain`): NOT NULL set, or a CHECK added, changed or validated."""
    if after.not_null and not before.not_null:
        return True
    old = {c.name: c for c in before.checks}
    return any(not now.not_valid and (
        (was := old.get(now.name)) is None or was.expression != now.expression or was.not_valid)
        for now in after.checks)  # fmt: skip


@alters(model.Domain)
def alter_domain(
    ctx: PlanContext,
    change: Change,
    before: model.Domain,
    after: model.Domain,
    details: list[AttributeChange],
) -> None:
    fields = {d.field.split(".")[0] for d in details}
    name = names.relation(after.id)
    if "default" in fields:
        action = "DROP DEFAULT" if after.default is None else f"SET DEFAULT {sql(after.default)}"
        ctx.emit(f"ALTER DOMAIN {name} {action}", change=change, anchor=after.id,
                 needs=ctx.new_deps(after), frees=ctx.old_deps(before))  # fmt: skip
    if "not_null" in fields:
        if after.not_null:
            ctx.emit(f"ALTER DOMAIN {name} SET NOT NULL", change=change, anchor=after.id,
                     needs=(after.id,), hazards=_check_hazards(ctx, after))  # fmt: skip
        else:
            ctx.emit(f"ALTER DOMAIN {name} DROP NOT NULL", change=change, anchor=after.id,
                     needs=(after.id,))  # fmt: skip
    if "checks" in fields:
        old = {c.name: c for c in before.checks}
        new = {c.name: c for c in after.checks}
        for check_name in sorted(old.keys() | new.keys(), key=lambda n: n or ""):
            was, now = old.get(check_name), new.get(check_name)
            if was is not None and (now is None or was.expression != now.expression or (
                    not was.not_valid and now.not_valid)):  # fmt: skip
                ctx.emit(f"ALTER DOMAIN {name} DROP CONSTRAINT {quote_ident(check_name or '')}",
                         change=change, anchor=after.id, phase=DROP_PHASE,
                         frees=ctx.old_deps(before))  # fmt: skip
                was = None
            if now is None:
                continue
            if was is None:
                suffix = " NOT VALID" if now.not_valid else ""
                ctx.emit(f"ALTER DOMAIN {name} ADD {_check(now)}{suffix}", change=change,
                         anchor=after.id, needs=ctx.new_deps(after),
                         hazards=() if now.not_valid else _check_hazards(ctx, after))  # fmt: skip
                if now.comment is not None:
                    _check_comment(ctx, after, now, change)
                continue
            if was.not_valid and not now.not_valid:
                ctx.emit(f"ALTER DOMAIN {name} VALIDATE CONSTRAINT {quote_ident(check_name or '')}",
                         change=change, anchor=after.id, needs=(after.id,),
                         hazards=_check_hazards(ctx, after))  # fmt: skip
            if was.comment != now.comment:
                _check_comment(ctx, after, now, change)
    if "collation" in fields:
        ctx.warn(f"{after.id}: a domain's collation cannot be changed; recreate it by hand")


def _check_hazards(ctx: PlanContext, domain: model.Domain) -> tuple[str, ...]:
    """The hazards of a domain constraint checked on existing rows (ADD CONSTRAINT without NOT
    VALID, SET NOT NULL, VALIDATE CONSTRAINT): PostgreSQL scans every existing table with a
    column of the domain (or of an array of it, or of a domain over it), holding a SHARE lock
    on it that blocks writes meanwhile (typecmds.c validateDomainConstraint,
    get_rels_with_domain), and fails on the first value that breaks the constraint."""
    spellings = {(domain.id.schema, domain.id.name)}
    grew = True
    while grew:
        over = {(d.id.schema, d.id.name) for d in ctx.new.domains.values()
                if (d.base_type.schema, d.base_type.name) in spellings}  # fmt: skip
        grew = not over <= spellings
        spellings |= over
    used = any((column.type.schema, column.type.name) in spellings
               for table in ctx.new.tables.values() if not ctx.is_new(table.id)
               for column in table.columns.values())  # fmt: skip
    return (STRONG_LOCK, MAY_FAIL) if used else (MAY_FAIL,)


def rebind_domain(
    ctx: PlanContext, before: model.Domain, after: model.Domain, replaced: ObjectId
) -> None:
    """A domain whose CHECK or DEFAULT calls something replaced (or dropped for another
    signature) keeps its columns: that CHECK or DEFAULT comes off before and goes back on
    after, rather than the domain being dropped (which its columns forbid)."""
    name = names.relation(after.id)
    new_checks = {c.name: c for c in after.checks}
    why = f"uses {replaced.qualified_name}, which is replaced"
    for check in before.checks:
        now = new_checks.get(check.name)
        if now is None or replaced.name not in ctx.names_in(check.expression, 0):
            continue
        dropped = ctx.emit(f"ALTER DOMAIN {name} DROP CONSTRAINT {quote_ident(check.name or '')}",
                           change=None, anchor=after.id, phase=DROP_PHASE, frees=(replaced,),
                           comment=f"the check {why}")  # fmt: skip
        suffix = " NOT VALID" if now.not_valid else ""
        ctx.emit(f"ALTER DOMAIN {name} ADD {_check(now)}{suffix}", change=None,
                 anchor=after.id, needs=ctx.new_deps(after), after=[dropped],
                 hazards=() if now.not_valid else _check_hazards(ctx, after))  # fmt: skip
        if now.comment is not None:
            _check_comment(ctx, after, now, None)
    if before.default is not None and replaced.name in ctx.names_in(before.default, 0):
        dropped = ctx.emit(f"ALTER DOMAIN {name} DROP DEFAULT", change=None, anchor=after.id,
                           phase=DROP_PHASE, frees=(replaced,),
                           comment=f"the default {why}")  # fmt: skip
        if after.default is not None:
            ctx.emit(f"ALTER DOMAIN {name} SET DEFAULT {sql(after.default)}", change=None,
                     anchor=after.id, needs=ctx.new_deps(after), after=[dropped])  # fmt: skip


# Composite types -------------------------------------------------------------------------------


@creates(model.CompositeType)
def create_composite(
    ctx: PlanContext, composite: model.CompositeType, change: Change | None
) -> Action:
    attributes_ = ",\n    ".join(
        f"{quote_ident(c.name)} {c.type}{collate(c.collation)}" for c in composite.columns.values()
    )
    text = f"CREATE TYPE {names.relation(composite.id)} AS (\n    {attributes_}\n)"
    if not composite.columns:
        text = f"CREATE TYPE {names.relation(composite.id)} AS ()"
    main = ctx.emit(text, change=change, anchor=composite.id, makes=(composite.id,),
                    needs=ctx.new_deps(composite))  # fmt: skip
    for column in composite.columns.values():
        if column.comment is not None:
            emit_comment(ctx, column.id, column, column.comment, change)
    return main


@drops(model.CompositeType, model.Enum, model.BaseType)
def drop_type(ctx: PlanContext, obj: model.DbObject, change: Change | None) -> Action:
    return ctx.emit(f"DROP TYPE {names.relation(obj.id)}", change=change, anchor=obj.id,
                    phase=DROP_PHASE, removes=(obj.id,), frees=ctx.old_deps(obj))  # fmt: skip


@drops(model.Domain)
def drop_domain(ctx: PlanContext, domain: model.Domain, change: Change | None) -> Action:
    return ctx.emit(f"DROP DOMAIN {names.relation(domain.id)}", change=change, anchor=domain.id,
                    phase=DROP_PHASE, removes=(domain.id,),
                    frees=ctx.old_deps(domain))  # fmt: skip


# Range and base types --------------------------------------------------------------------------


@creates(model.RangeType)
def create_range(ctx: PlanContext, range_type: model.RangeType, change: Change | None) -> Action:
    parts = [f"SUBTYPE = {range_type.subtype}"]
    for key, value in range_type.options:
        if value is None:
            continue
        if key in _RANGE_FUNCTIONS:
            parts.append(f"{key.upper()} = {quote_routine_name(value)}")
        else:
            parts.append(f"{key.upper()} = {dotted(value)}")
    text = f"CREATE TYPE {names.relation(range_type.id)} AS RANGE (\n    "
    text += ",\n    ".join(parts) + "\n)"
    return ctx.emit(text, change=change, anchor=range_type.id, makes=(range_type.id,),
                    needs=ctx.new_deps(range_type) | _range_functions(ctx.new, range_type))


def _range_functions(schema: Schema, range_type: model.RangeType) -> set[ObjectId]:
    """The canonical and subtype_diff functions a range type names (the dependency graph
    does not have them)."""
    wanted = {value for key, value in range_type.options if key in _RANGE_FUNCTIONS and value}
    found = set()
    for function in schema.functions.values():
        if f"{function.id.schema}.{function.id.name}" in wanted:
            found.add(function.id)
    return found


@drops(model.RangeType)
def drop_range(ctx: PlanContext, range_type: model.RangeType, change: Change | None) -> Action:
    return ctx.emit(f"DROP TYPE {names.relation(range_type.id)}", change=change,
                    anchor=range_type.id, phase=DROP_PHASE, removes=(range_type.id,),
                    frees=ctx.old_deps(range_type) | _range_functions(ctx.old, range_type))


@replaces(model.RangeType, model.CompositeType)
def replace_range(
    ctx: PlanContext, change: Change | None, before: model.DbObject, after: model.DbObject
) -> bool:
    """A range type cannot be renamed out of the way like an enum: its multirange type and
    constructor functions keep their names and would collide with the new type's. Its columns
    go through text instead: converted to text before the DROP, and to the new type after the
    CREATE (two rewrites). False (plain DROP and CREATE) when no table column uses it. So does
    a composite type dropped and created again because a type it holds is replaced (PostgreSQL
    cannot change an attribute's type while a column stores the composite)."""
    users = _columns_of_type(ctx, before.id)
    if not users:
        return False
    back = []
    for table, column in users:
        via = "text[]" if column.type.array_dims else "text"
        prefix = f"ALTER TABLE {names.relation(table.id)} ALTER COLUMN {quote_ident(column.name)}"
        hazards = (REWRITES_TABLE, STRONG_LOCK) if not ctx.is_new(table.id) else ()
        to_text = ctx.emit(
            f"{prefix} TYPE {via} USING {quote_ident(column.name)}::{via}", change=change,
            anchor=table.id, phase=DROP_PHASE, needs=(table.id,), frees=(before.id,),
            hazards=hazards,
            comment=f"{before.id.qualified_name} is replaced; its columns are kept as text "
            "meanwhile",
        )  # fmt: skip
        back.append((prefix, column, to_text, hazards))
    if isinstance(before, model.RangeType):
        drop_range(ctx, before, change)
    else:
        drop_type(ctx, before, change)
    create_object(ctx, after, change)
    for prefix, column, to_text, hazards in back:
        ctx.emit(f"{prefix} TYPE {column.type} USING {quote_ident(column.name)}::{column.type}",
                 change=change, anchor=to_text.anchor, needs=(after.id, to_text.anchor),
                 makes=(column.id,), removes=(column.id,), after=[to_text],
                 hazards=(MAY_FAIL, *hazards) if hazards else ())  # fmt: skip
    return True


@creates(model.BaseType)
def create_base_type(ctx: PlanContext, base: model.BaseType, change: Change | None) -> Action:
    name = names.relation(base.id)
    if base.shell:
        return ctx.emit(f"CREATE TYPE {name}", change=change, anchor=base.id, makes=(base.id,),
                        needs=ctx.new_deps(base))  # fmt: skip
    parts = []
    for key, value in base.options:
        if key in _BASE_FLAGS:
            if value == "true":
                parts.append(key.upper())
        elif value is None:
            parts.append(key.upper())
        elif key in _BASE_FUNCTIONS:
            parts.append(f"{key.upper()} = {quote_routine_name(value)}")
        elif key in _BASE_LITERALS:
            parts.append(f"{key.upper()} = {quote_literal(value)}")
        else:
            parts.append(f"{key.upper()} = {value}")
    text = f"CREATE TYPE {name} (\n    " + ",\n    ".join(parts) + "\n)"
    return ctx.emit(text, change=change, anchor=base.id, makes=(base.id,),
                    needs=ctx.new_deps(base))  # fmt: skip
