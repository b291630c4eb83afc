"""User-defined types: enums, domains, composite types, range types and base (or shell) types.

Base types come through the ``DefineStmt`` dispatcher in :mod:`pgdrift.builder.define`
(:func:`build_base_type`); the other kinds have statements of their own.
"""

from __future__ import annotations

from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder.acl import find_type
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, const_value, strings
from pgdrift.builder.opclasses import range_subtype_opclass
from pgdrift.builder.references import RENAMERS, relabelled, replace_references
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.routines import routine_name
from pgdrift.builder.stored_exprs import stored_default, stored_expr
from pgdrift.errors import DuplicateObjectError, ModelError, UndefinedObjectError
from pgdrift.ids import ObjectId
from pgdrift.types import TypeRef

# Fields a type keeps when a shell (``CREATE TYPE x;``) is filled in by its real definition.
_KEPT_FROM_SHELL = ("owner", "comment", "privileges", "security_labels")


def _take_shell(ctx: BuildContext, schema: str, name: str) -> dict[str, Any]:
    """Drop the shell type ``schema.name`` if there is one; what its successor inherits.

    A shell is the placeholder pg_dump creates before a base type's I/O functions (and that a
    range type's canonical function needs): the real CREATE TYPE fills it in (docs: CREATE
    TYPE, "shell type").
    """
    oid = ObjectId(ids.BASE_TYPE, schema, name)
    shell = ctx.get(oid)
    if not isinstance(shell, model.BaseType) or not shell.shell:
        return {}
    del ctx.objects[oid]
    return {field: getattr(shell, field) for field in _KEPT_FROM_SHELL}


def _add_type(ctx: BuildContext, obj: model.DbObject) -> None:
    inherited = _take_shell(ctx, obj.id.schema or "", obj.id.name)
    ctx.add(attrs.evolve(obj, **inherited) if inherited else obj)


# Enums -----------------------------------------------------------------------------------------


@handles("CreateEnumStmt")
def build_enum(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["typeName"])
    enum = model.Enum(
        id=ObjectId(ids.ENUM, schema, name),
        labels=tuple(strings(node.get("vals"))),
        **ctx.span_fields(),
    )
    _add_type(ctx, enum)


@handles("AlterEnumStmt")
def build_alter_enum(ctx: BuildContext, node: Node) -> None:
    """``ALTER TYPE e ADD VALUE [IF NOT EXISTS] 'v' [BEFORE | AFTER 'w']`` and ``RENAME
    VALUE`` (migration scripts; pg_dump writes every label in the CREATE TYPE)."""
    schema, name = ctx.qualified(node["typeName"])
    oid = ObjectId(ids.ENUM, schema, name)
    enum = ctx.get(oid)
    span = ctx.statement.span if ctx.statement else None
    if not isinstance(enum, model.Enum):
        found = ctx.get(find_type(ctx, schema, name))
        if found is None:
            raise UndefinedObjectError(f'type "{schema}.{name}" does not exist', span=span)
        raise ModelError(f'"{schema}.{name}" is not an enum', span=span)
    labels = list(enum.labels)
    new = node["newVal"]
    old = node.get("oldVal")
    # PostgreSQL's messages (pg_enum.c, AddEnumLabel and RenameEnumLabel).
    if old:
        if old not in labels:
            raise UndefinedObjectError(f'"{old}" is not an existing enum label', span=span)
        if new in labels and new != old:
            raise DuplicateObjectError(f'enum label "{new}" already exists', span=span)
        labels = [new if label == old else label for label in labels]
        # A stored enum constant is the label's OID, printed by its name: every 'old'::e in
        # a default, check, index, view or policy now reads 'new'::e.
        replace_references(ctx, {}, exprs=lambda expr: relabelled(expr, (schema, name), old, new))
    elif new in labels:
        if node.get("skipIfNewValExists"):
            return  # IF NOT EXISTS: a notice, nothing changes
        raise DuplicateObjectError(f'enum label "{new}" already exists', span=span)
    else:
        neighbour = node.get("newValNeighbor")
        if neighbour is None:
            labels.append(new)
        elif neighbour in labels:
            position = labels.index(neighbour) + (1 if node.get("newValIsAfter") else 0)
            labels.insert(position, new)
        else:
            raise ModelError(f'"{neighbour}" is not an existing enum label', span=span)
    ctx.update(oid, labels=tuple(labels))


# Domains ---------------------------------------------------------------------------------------


@handles("CreateDomainStmt")
def build_domain(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["domainname"])
    fields: dict[str, Any] = {"base_type": ctx.type(node["typeName"])}
    if node.get("collClause"):
        fields["collation"] = ctx.qualified_text(node["collClause"]["collname"])
    checks: list[model.DomainCheck] = []
    for item in node.get("constraints") or ():
        constraint = item["Constraint"]
        contype = constraint["contype"]
        if contype == "CONSTR_NOTNULL":
            fields["not_null"] = True
        elif contype == "CONSTR_NULL":
            fields["not_null"] = False
        elif contype == "CONSTR_DEFAULT":
            fields["default"] = stored_default(ctx, constraint["raw_expr"], fields["base_type"])
        elif contype == "CONSTR_CHECK":
            checks.append(_domain_check(ctx, name, constraint, checks, fields["base_type"]))
        else:
            raise NotModelled(f"domain constraint {contype} is not modelled")
    fields["checks"] = tuple(sorted(checks, key=_check_name))
    if "default" not in fields:
        # A domain over a domain starts with its base's DEFAULT (typecmds.c, DefineDomain),
        # and pg_dump prints it as the new domain's own.
        base = _domain_named(ctx, fields["base_type"])
        if base is not None and not fields["base_type"].array_dims:
            fields["default"] = base.default
    domain = model.Domain(id=ObjectId(ids.DOMAIN, schema, name), **fields, **ctx.span_fields())
    _add_type(ctx, domain)


def _domain_named(ctx: BuildContext, type_ref: TypeRef) -> model.Domain | None:
    schemas = [type_ref.schema] if type_ref.schema else [s for s in ctx.search_path if s]
    for schema in schemas:
        found = ctx.get(ObjectId(ids.DOMAIN, schema, type_ref.name))
        if isinstance(found, model.Domain):
            return found
    return None


def _check_name(check: model.DomainCheck) -> str:
    return check.name or ""


def _domain_check(
    ctx: BuildContext,
    domain: str,
    constraint: Node,
    existing: list[model.DomainCheck],
    base: TypeRef,
) -> model.DomainCheck:
    name = constraint.get("conname")
    if not name:
        # An unnamed domain CHECK is called <domain>_check, then _check1, _check2... while
        # taken (domaincmds.c, domainAddConstraint -> ChooseConstraintName).
        taken = {c.name for c in existing}
        name = f"{domain}_check"
        number = 0
        while name in taken:
            number += 1
            name = f"{domain}_check{number}"
    return model.DomainCheck(
        name=name,
        # VALUE is of the domain's base type.
        expression=stored_expr(ctx, constraint["raw_expr"], value_type=base),
        not_valid=bool(constraint.get("skip_validation")),
    )


@handles("AlterDomainStmt")
def build_alter_domain(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["typeName"])
    oid = ObjectId(ids.DOMAIN, schema, name)
    if oid not in ctx.objects and node["subtype"] == "X" and node.get("missing_ok"):
        # ALTER DOMAIN has no IF EXISTS for the domain itself, so PostgreSQL fails this when
        # the domain is missing; pg_dump --clean --if-exists still writes it ahead of the
        # CREATE DOMAIN, and psql goes on past the error. Read it as the restore ends up.
        ctx.warn(
            f"ALTER DOMAIN ... DROP CONSTRAINT IF EXISTS of {oid}, which is not defined: "
            "PostgreSQL would fail this statement; it changes nothing"
        )
        return
    domain = ctx.require(oid, "ALTER DOMAIN")
    assert isinstance(domain, model.Domain)
    subtype = node["subtype"]
    checks = list(domain.checks)
    if subtype == "T":  # SET DEFAULT / DROP DEFAULT
        ctx.update(oid, default=stored_default(ctx, node.get("def"), domain.base_type))
    elif subtype == "N":
        ctx.update(oid, not_null=False)
    elif subtype == "O":
        ctx.update(oid, not_null=True)
    elif subtype == "C":
        constraint = node["def"]["Constraint"]
        if constraint["contype"] == "CONSTR_NOTNULL":
            ctx.update(oid, not_null=True)
            return
        checks.append(_domain_check(ctx, name, constraint, checks, domain.base_type))
        ctx.update(oid, checks=tuple(sorted(checks, key=_check_name)))
    elif subtype == "X":
        kept = tuple(c for c in checks if c.name != node["name"])
        if len(kept) == len(checks) and not node.get("missing_ok"):
            _missing_check(ctx, oid, node["name"])
        ctx.update(oid, checks=kept)
    elif subtype == "V":
        if not any(c.name == node["name"] for c in checks):
            _missing_check(ctx, oid, node["name"])
        ctx.update(
            oid,
            checks=tuple(
                attrs.evolve(c, not_valid=False) if c.name == node["name"] else c for c in checks
            ),
        )
    else:
        raise NotModelled(f"ALTER DOMAIN subcommand {subtype!r} is not modelled")


def rename_domain_check(ctx: BuildContext, node: Node) -> None:
    """ALTER DOMAIN d RENAME CONSTRAINT old TO new: PostgreSQL renames the domain's constraint
    (RenameConstraint), refusing a name another constraint of the domain has."""
    schema, name = ctx.qualified(node["object"]["List"]["items"])
    oid = ObjectId(ids.DOMAIN, schema, name)
    domain = ctx.require(oid, "ALTER DOMAIN RENAME CONSTRAINT")
    assert isinstance(domain, model.Domain)
    old, new = node["subname"], node["newname"]
    if not any(c.name == old for c in domain.checks):
        _missing_check(ctx, oid, old)
    if any(c.name == new for c in domain.checks):
        span = ctx.statement.span if ctx.statement else None
        raise DuplicateObjectError(f"constraint {new!r} for domain {oid} already exists", span=span)
    renamed = [attrs.evolve(c, name=new) if c.name == old else c for c in domain.checks]
    ctx.update(oid, checks=tuple(sorted(renamed, key=_check_name)))


RENAMERS["OBJECT_DOMCONSTRAINT"] = rename_domain_check


def _missing_check(ctx: BuildContext, domain: ObjectId, name: str) -> None:
    span = ctx.statement.span if ctx.statement else None
    raise UndefinedObjectError(f"constraint {name!r} of {domain} is not defined", span=span)


# Composite types -------------------------------------------------------------------------------


@handles("CompositeTypeStmt")
def build_composite_type(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.relation(node["typevar"])
    columns = [
        composite_attribute(ctx, schema, name, element["ColumnDef"])
        for element in node.get("coldeflist") or ()
    ]
    composite = model.CompositeType(
        id=ObjectId(ids.COMPOSITE_TYPE, schema, name),
        columns=model.Columns(tuple(columns)),
        **ctx.span_fields(),
    )
    _add_type(ctx, composite)


def composite_attribute(
    ctx: BuildContext, schema: str | None, name: str, column: Node
) -> model.Column:
    """One attribute of composite type ``schema.name`` (CREATE TYPE ... AS, ALTER TYPE ... ADD
    ATTRIBUTE): a name, a type and a collation, nothing else."""
    collation = column.get("collClause")
    return model.Column(
        id=ObjectId(ids.COLUMN, schema, column["colname"], parent=name),
        type=ctx.type(column["typeName"]),
        collation=ctx.qualified_text(collation["collname"]) if collation else None,
        **ctx.span_fields(),
    )


# Range types -----------------------------------------------------------------------------------

_RANGE_FUNCTIONS = frozenset({"canonical", "subtype_diff"})


@handles("CreateRangeStmt")
def build_range(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["typeName"])
    subtype = None
    options: dict[str, str | None] = {}
    for param in node.get("params") or ():
        elem = param["DefElem"]
        key = elem["defname"].lower()
        arg = elem.get("arg")
        if key == "subtype":
            subtype = ctx.type(arg)
        elif key == "multirange_type_name":
            range_schema, multirange = ctx.qualified(arg["TypeName"]["names"])
            options[key] = f"{range_schema}.{multirange}"
        elif key in _RANGE_FUNCTIONS:
            options[key] = routine_name(ctx, arg["TypeName"]["names"])
        elif key == "subtype_opclass":
            opclass = range_subtype_opclass(ctx, option_word(ctx, arg))
            if opclass is not None:  # the subtype's default btree class is not dumped
                options[key] = opclass
        else:  # collation
            options[key] = option_word(ctx, arg)
    if subtype is None:
        raise NotModelled("CREATE TYPE AS RANGE without a subtype")
    if "multirange_type_name" not in options:
        # PostgreSQL 14+ names the multirange by inserting "multi" before the first "range"
        # in the range's name, else by appending "_multirange" (docs: CREATE TYPE).
        at = name.find("range")
        multirange = f"{name[:at]}multi{name[at:]}" if at >= 0 else f"{name}_multirange"
        options["multirange_type_name"] = f"{schema}.{multirange[:63]}"
    range_type = model.RangeType(
        id=ObjectId(ids.RANGE_TYPE, schema, name),
        subtype=subtype,
        options=tuple(sorted(options.items())),
        **ctx.span_fields(),
    )
    _add_type(ctx, range_type)


def option_word(ctx: BuildContext, arg: Node | None) -> str | None:
    """A name-like option value: ``TypeName`` words, qualified lists, strings."""
    if arg is None:
        return None
    if "TypeName" in arg:
        return ctx.qualified_text(arg["TypeName"]["names"])
    if "List" in arg:
        return ctx.qualified_text(arg["List"]["items"])
    value = const_value(arg)
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


# Base and shell types (from the DefineStmt dispatcher) -----------------------------------------

_BASE_FUNCTIONS = frozenset({
    "input", "output", "receive", "send", "typmod_in", "typmod_out", "analyze", "subscript",
})  # fmt: skip
_BASE_TYPES = frozenset({"element", "like"})
_BASE_FLAGS = frozenset({"passedbyvalue", "preferred", "collatable"})
# Synonyms CREATE TYPE accepts for alignments (typecmds.c, DefineType).
_ALIGNMENTS = {"float8": "double", "bpchar": "char", "smallint": "int2", "integer": "int4"}
# What PostgreSQL assumes for a left-out option (docs: CREATE TYPE); pg_dump prints some of
# them anyway, so they are dropped to compare a dump with the SQL it came from.
_BASE_DEFAULTS = {
    "internallength": "variable", "alignment": "int4", "storage": "plain", "category": "U",
    "delimiter": ",", "passedbyvalue": "false", "preferred": "false", "collatable": "false",
}  # fmt: skip


def build_base_type(ctx: BuildContext, node: Node) -> None:
    """``CREATE TYPE x (INPUT = ..., ...)``, or the shell ``CREATE TYPE x;``."""
    schema, name = ctx.qualified(node["defnames"])
    oid = ObjectId(ids.BASE_TYPE, schema, name)
    definition = node.get("definition")
    if not definition:
        ctx.add(model.BaseType(id=oid, shell=True, **ctx.span_fields()))  # noqa: S604 - a shell type
        return
    options: dict[str, str | None] = {}
    for item in definition:
        elem = item["DefElem"]
        key = elem["defname"].lower()
        options[key] = _base_option(ctx, key, elem.get("arg"))
    for key, default in _BASE_DEFAULTS.items():
        if options.get(key) == default:
            del options[key]
    base = model.BaseType(id=oid, options=tuple(sorted(options.items())), **ctx.span_fields())
    _add_type(ctx, base)


def _base_option(ctx: BuildContext, key: str, arg: Node | None) -> str | None:
    if key in _BASE_FLAGS:
        # A bare PASSEDBYVALUE (or PREFERRED) means true (define.c, defGetBoolean).
        value = const_value(arg) if arg is not None else True
        if isinstance(value, str):
            value = value.lower() in ("true", "on", "1", "yes")
        return "true" if value else "false"
    if arg is not None and "TypeName" in arg:
        if key in _BASE_FUNCTIONS:
            return routine_name(ctx, arg["TypeName"]["names"])
        if key in _BASE_TYPES:
            return str(ctx.type(arg["TypeName"]))
        word = (option_word(ctx, arg) or "").lower()
        return _ALIGNMENTS.get(word, word) if key == "alignment" else word
    return option_word(ctx, arg)
