"""Tables, their columns and constraints: CREATE TABLE, CREATE FOREIGN TABLE, ALTER TABLE.

pg_dump writes a table in pieces: ``CREATE TABLE`` with columns, NOT NULL and CHECK
constraints; then, later in the file, ``ALTER TABLE ... OWNER TO``, column defaults tied to
sequences, identity, primary/unique/exclusion constraints, foreign keys (after every table, so
mutual references load), partition attachments, RLS switches, replica identity, and trigger
enable states. Each ``ALTER TABLE`` subcommand updates the table built so far.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder import inheritance, like, partitions
from pgdrift.builder.constraint_parts import (
    adopt_index,
    primary_key_columns,
    with_attributes,
    without_redundant_indexes,
)
from pgdrift.builder.context import BuildContext
from pgdrift.builder.dependents import drop_object
from pgdrift.builder.generated_columns import generated_expr, retype_generated
from pgdrift.builder.nodes import (
    Node,
    changed_options,
    def_elems,
    options_of,
    reloptions_of,
    strings,
)
from pgdrift.builder.partition_bounds import stored_bound
from pgdrift.builder.partition_keys import partition_key
from pgdrift.builder.partition_refusals import refuse_on_partition
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.relations import index_element, sequence_options
from pgdrift.builder.serial import (
    add_serial_sequence,
    nextval_default,
    serial_sequences,
    serial_type,
)
from pgdrift.builder.serial import sequence_name as serial_sequence_name
from pgdrift.builder.stored_exprs import from_source, stored_default, stored_expr
from pgdrift.builder.view_defaults import set_view_column_default
from pgdrift.errors import UndefinedObjectError
from pgdrift.ids import ObjectId
from pgdrift.pg.naming import choose_name, column_name_addition, index_column_names
from pgdrift.types import TypeRef, parse_type

_PERSISTENCE = {"p": "permanent", "u": "unlogged", "t": "temporary"}
_FK_ACTIONS = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null",
               "d": "set default"}  # fmt: skip
_FK_MATCH = {"s": "simple", "f": "full", "p": "partial"}


# CREATE TABLE ---------------------------------------------------------------------------------


@handles("CreateStmt")
def build_create_table(ctx: BuildContext, node: Node) -> None:
    _create_table(ctx, node, model.Table, {})


@handles("CreateForeignTableStmt")
def build_create_foreign_table(ctx: BuildContext, node: Node) -> None:
    extra = {"server": node.get("servername", ""), "fdw_options": options_of(node.get("options"))}
    _create_table(ctx, node["base"], model.ForeignTable, extra)


def _table_options(ctx: BuildContext, nodes: list[Node] | None) -> model.Options:
    """Storage parameters, without the ``oids`` of PostgreSQL 11 and older.

    PostgreSQL 12 and later accept ``WITH (oids = false)`` as a no-op and refuse true: a table
    that had OIDs is read as one that has not, and a warning says so.
    """
    options = reloptions_of(nodes)
    kept = tuple((name, value) for name, value in options if name.lower() != "oids")
    if len(kept) != len(options) and any(
        name.lower() == "oids" and (value or "true").lower() in ("true", "on", "1", "yes")
        for name, value in options
    ):
        ctx.warn("WITH (oids = true) is ignored: PostgreSQL 12 and later have no table OIDs")
    return kept


def _create_table(
    ctx: BuildContext, node: Node, cls: type[model.Table], extra: dict[str, Any]
) -> None:
    schema, name = ctx.relation(node["relation"])
    oid = ObjectId(cls.KIND, schema, name)
    parents = [ctx.relation_id(r["RangeVar"], ids.TABLE) for r in node.get("inhRelations") or ()]
    bound = node.get("partbound")
    parent = None
    if bound is not None and parents:
        parent = partitions.partitioned_parent(ctx, parents[0], "CREATE TABLE PARTITION OF")
    # Columns a table gets without declaring them: a typed table's from its type, an
    # inheritance child's from its parents (first, in parent order, as PostgreSQL numbers
    # them), a partition's from its parent. pg_dump lists only what the child declares or
    # overrides, but every column of a partition.
    implicit = (
        partitions.partition_columns(ctx, oid, parent)
        if parent is not None
        else _implicit_columns(ctx, oid, node, [] if bound is not None else parents)
    )
    columns: list[model.Column] = list(implicit.values())
    constraints: list[Node] = []
    serials: list[tuple[str, ObjectId, str]] = []
    likes: list[like.Like] = []
    elements = node.get("tableElts") or []
    ctx.pending_sequences = serial_sequences(ctx, oid.schema or "", name, elements)
    for element in node.get("tableElts") or ():
        if "ColumnDef" in element:
            column_def = element["ColumnDef"]
            base = implicit.get(column_def["colname"])
            column, column_constraints = _column(ctx, column_def, oid, base, serials)
            if base is not None:
                # By name: columns compare without their names, so an inherited column equal
                # to another (two nullable text columns) must not be found by equality.
                columns[next(i for i, c in enumerate(columns) if c.name == base.name)] = column
            else:
                columns.append(column)
            constraints.extend(column_constraints)
        elif "Constraint" in element:
            constraints.append(element["Constraint"])
        elif "TableLikeClause" in element:
            columns.extend(like.like_columns(ctx, oid, element["TableLikeClause"], likes))
        else:
            raise NotModelled(f"table element {next(iter(element))} is not modelled")
    ctx.pending_sequences = {}
    fields: dict[str, Any] = {
        "columns": model.Columns(tuple(columns)),
        "persistence": _PERSISTENCE[node["relation"].get("relpersistence", "p")],
        "partition_key": partition_key(ctx, node.get("partspec"), {c.name: c for c in columns}),
        "options": _table_options(ctx, node.get("options")),
        "tablespace": ctx.tablespace(
            node.get("tablespacename"), partitioned=node.get("partspec") is not None
        ),
        # Partitioned and foreign tables have no access method in PostgreSQL 15, whatever
        # default_table_access_method the session has (pg_dump writes no SET before them).
        "access_method": None
        if node.get("partspec") is not None or cls is model.ForeignTable
        else ctx.access_method(node.get("accessMethod")),
        "of_type": ctx.type(node["ofTypename"]) if node.get("ofTypename") else None,
    }
    if bound is not None:
        # CREATE TABLE c PARTITION OF p FOR VALUES ...: the partition of exactly one parent.
        fields["partition_of"] = parents[0] if parents else None
        fields["partition_bound"] = stored_bound(ctx, parent, bound)
    else:
        fields["inherits"] = tuple(parents)
    fields.update(extra)
    if node.get("if_not_exists") and oid in ctx.objects:
        return  # Supabase CLI dumps say CREATE TABLE IF NOT EXISTS; a repeat is a no-op
    ctx.add(cls(id=oid, **fields, **ctx.span_fields()))
    if fields["persistence"] == "temporary":
        ctx.temporary.add(oid)  # dropped at the end of the script (dependents)
    retype_generated(ctx, oid, node)
    for column_name, sequence, integer_type in serials:
        add_serial_sequence(ctx, oid, column_name, sequence, integer_type)
    if parent is not None:
        partitions.clone_from_parent(ctx, oid, parent.id)
    if not issubclass(cls, model.ForeignTable):
        # A new table has no rows: CREATE TABLE marks its CHECK and FOREIGN KEY constraints
        # valid whatever NOT VALID says (transformCheckConstraints, transformFKConstraints).
        constraints = [{**c, "skip_validation": False} for c in constraints]
    add_column_constraints(ctx, oid, constraints)
    like.copy_like_objects(ctx, oid, likes)
    for column in columns:
        if column.identity is not None:
            _add_identity_sequence(ctx, oid, column.name, column.identity)


def add_column_constraints(ctx: BuildContext, table: ObjectId, constraints: list[Node]) -> None:
    """Constraints of a CREATE TABLE or ADD COLUMN, in the order PostgreSQL makes them: CHECKs
    with the table, then the primary key's index, the other indexes, the foreign keys last;
    unnamed ones are named in that order."""
    phases = without_redundant_indexes(constraints)
    for constraint in sorted(phases, key=lambda c: _CREATION_PHASE.get(c["contype"], 0)):
        _add_constraint(ctx, table, constraint)


def _implicit_columns(
    ctx: BuildContext, table: ObjectId, node: Node, parents: list[ObjectId]
) -> dict[str, model.Column]:
    # A typed table's columns are its own (transformOfType makes them attislocal).
    sources: list[tuple[Any, bool]] = []
    if node.get("ofTypename"):
        of_type = ObjectId(ids.COMPOSITE_TYPE, *ctx.qualified(node["ofTypename"]["names"]))
        sources.append((ctx.require(of_type, "OF type"), False))
    sources.extend((ctx.require(p, "INHERITS"), True) for p in parents)
    result: dict[str, model.Column] = {}
    for source, inherited in sources:
        for column in source.columns.ordered:
            if column.name in result:
                continue  # the same column from several parents merges into one
            result[column.name] = attrs.evolve(
                column,
                id=ObjectId(ids.COLUMN, table.schema, column.name, parent=table.name),
                inherited=inherited, identity=None, comment=None, privileges=(), statistics=None,
                options=(), **ctx.span_fields(),
            )  # fmt: skip
    return result


def _column(
    ctx: BuildContext,
    node: Node,
    table: ObjectId,
    base: model.Column | None = None,
    serials: list[tuple[str, ObjectId, str]] | None = None,
) -> tuple[model.Column, list[Node]]:
    """A column definition, and the table constraints written on it. A ``serial`` column
    appends ``(column, sequence, integer type)`` to ``serials`` for its sequence."""
    name = sys.intern(node["colname"])
    if "typeName" not in node and base is None:
        raise NotModelled(f"column {name} has no type and no parent or type to take it from")
    integer_type = serial_type(node.get("typeName"))
    fields: dict[str, Any] = {
        "type": ctx.type(node["typeName"]) if "typeName" in node else base.type,  # type: ignore[union-attr]
        "not_null": bool(node.get("is_not_null")) or (base is not None and base.not_null),
        "compression": node.get("compression") or None,
        "storage": (node.get("storage_name") or None),
        "fdw_options": options_of(node.get("fdwoptions")),
    }
    if base is not None:
        fields.update(default=base.default, collation=base.collation, generated=base.generated)
        fields["storage"] = fields["storage"] or base.storage
        fields["compression"] = fields["compression"] or base.compression
    if integer_type is not None:
        if serials is None:
            raise NotModelled(f"a {integer_type} serial column outside CREATE TABLE")
        schema = table.schema or ctx.creation_schema
        sequence = ObjectId(
            ids.SEQUENCE, schema, serial_sequence_name(ctx, schema, table.name, name)
        )
        serials.append((name, sequence, integer_type))
        fields.update(
            type=parse_type(integer_type),
            not_null=True,
            default=nextval_default(schema, sequence.name),
        )
    if node.get("raw_default"):
        fields["default"] = stored_default(ctx, node["raw_default"], fields["type"])
    if node.get("collClause"):
        fields["collation"] = ctx.qualified_text(node["collClause"]["collname"])
    table_constraints: list[Node] = []
    for item in with_attributes(node.get("constraints")):
        constraint = item["Constraint"]
        contype = constraint["contype"]
        if contype == "CONSTR_NOTNULL":
            fields["not_null"] = True
        elif contype == "CONSTR_NULL":
            fields["not_null"] = False
        elif contype == "CONSTR_DEFAULT":
            fields["default"] = stored_default(ctx, constraint["raw_expr"], fields["type"])
        elif contype == "CONSTR_GENERATED":
            fields["generated"] = generated_expr(ctx, constraint["raw_expr"], table)
        elif contype == "CONSTR_IDENTITY":
            fields["identity"] = _identity(ctx, table, name, constraint, fields["type"])
            # An identity column is NOT NULL without saying so (docs: CREATE TABLE).
            fields["not_null"] = True
        else:
            # A column constraint (PRIMARY KEY, UNIQUE, CHECK, REFERENCES) is a table constraint
            # on that one column; pg_dump never writes them inline, hand-written DDL does.
            table_constraints.append({**constraint, "_column": name})
    column_id = ObjectId(ids.COLUMN, table.schema, name, parent=table.name)
    return model.Column(id=column_id, **fields, **ctx.span_fields()), table_constraints


def _identity(
    ctx: BuildContext, table: ObjectId, column: str, node: Node, column_type: TypeRef | None
) -> model.Identity:
    options = def_elems(node.get("options"))
    seq_name = options.pop("sequence_name", None)
    if seq_name is not None:
        seq_schema, seq = ctx.qualified(seq_name["List"]["items"])
    else:
        # PostgreSQL names an implicit identity sequence as a serial's (ChooseRelationName):
        # table_column_seq, numbered when the name is taken.
        seq_schema = table.schema or ctx.creation_schema
        seq = serial_sequence_name(ctx, seq_schema, table.name, column)
    seq_options = sequence_options(ctx, options, column_type)
    return model.Identity(
        always=node.get("generated_when") == "a",
        sequence=ObjectId(ids.SEQUENCE, seq_schema, seq),
        options=seq_options,
    )


def _add_identity_sequence(
    ctx: BuildContext, table: ObjectId, column: str, identity: model.Identity
) -> None:
    """The sequence behind an identity column. pg_dump gives it a TOC entry of its own
    (Type: SEQUENCE) holding the ALTER TABLE ... ADD GENERATED, and grants on it."""
    assert identity.sequence is not None
    relation = ctx.require(table)
    ctx.add(
        model.Sequence(
            id=identity.sequence,
            options=identity.options or model.SequenceOptions(),
            identity_of=ObjectId(ids.COLUMN, table.schema, column, parent=table.name),
            owner=relation.owner,
            persistence=getattr(relation, "persistence", "permanent"),
            **ctx.span_fields(),
        )
    )


# Constraints ----------------------------------------------------------------------------------

_CONSTRAINT_TYPES = {
    "CONSTR_PRIMARY": model.Constraint.PRIMARY_KEY,
    "CONSTR_UNIQUE": model.Constraint.UNIQUE,
    "CONSTR_FOREIGN": model.Constraint.FOREIGN_KEY,
    "CONSTR_CHECK": model.Constraint.CHECK,
    "CONSTR_EXCLUSION": model.Constraint.EXCLUSION,
}
_CREATION_PHASE = {"CONSTR_PRIMARY": 1, "CONSTR_UNIQUE": 2, "CONSTR_EXCLUSION": 2,
                   "CONSTR_FOREIGN": 3}  # fmt: skip
# PostgreSQL's default constraint name suffixes (ChooseConstraintName in index.c/tablecmds.c).
_NAME_SUFFIX = {"CONSTR_PRIMARY": "pkey", "CONSTR_UNIQUE": "key", "CONSTR_FOREIGN": "fkey",
                "CONSTR_CHECK": "check", "CONSTR_EXCLUSION": "excl"}  # fmt: skip


def _add_constraint(ctx: BuildContext, table: ObjectId, node: Node) -> None:
    contype = node["contype"]
    if contype == "CONSTR_NOTNULL":
        # ALTER TABLE ... ADD CONSTRAINT n NOT NULL col (PostgreSQL 18 syntax).
        for key in strings(node.get("keys")):
            ctx.update_column(table, key, not_null=True)
        return
    if contype not in _CONSTRAINT_TYPES:
        raise NotModelled(f"constraint type {contype} is not modelled")
    inline: str | None = node.get("_column")
    keys = strings(node.get("keys")) or ([inline] if inline else [])
    fk_columns = strings(node.get("fk_attrs")) or ([inline] if inline else [])
    name = node.get("conname") or _default_name(ctx, table, node, keys, fk_columns)
    fields: dict[str, Any] = {
        "table": table,
        "type": _CONSTRAINT_TYPES[contype],
        "deferrable": bool(node.get("deferrable")),
        "initially_deferred": bool(node.get("initdeferred")),
        "not_valid": bool(node.get("skip_validation")),
    }
    if contype in ("CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_EXCLUSION"):
        fields["include"] = tuple(strings(node.get("including")))
        fields["index_options"] = reloptions_of(node.get("options"))
        space = node.get("indexspace")
        if space:
            partitioned = getattr(ctx.get(table), "partition_key", None) is not None
            space = ctx.tablespace(space, partitioned=partitioned)
        fields["index_tablespace"] = space or None
        if node.get("indexname"):
            keys = adopt_index(ctx, table, node, fields)
            name = node.get("conname") or node["indexname"]
    if contype in ("CONSTR_PRIMARY", "CONSTR_UNIQUE"):
        fields["columns"] = tuple(keys)
        fields.setdefault("nulls_not_distinct", bool(node.get("nulls_not_distinct")))
    if contype == "CONSTR_PRIMARY":
        # A primary key makes its columns NOT NULL (pg_dump writes that explicitly anyway;
        # hand-written DDL may not).
        for key in keys:
            ctx.update_column(table, key, not_null=True)
            if from_source(ctx):
                inheritance.not_null_below(ctx, table, key)
    elif contype == "CONSTR_FOREIGN":
        fields["columns"] = tuple(fk_columns)
        ref_schema, ref_name = ctx.relation(node["pktable"])
        fields["references"] = ObjectId(ids.TABLE, ref_schema, ref_name)
        fields["referenced_columns"] = tuple(strings(node.get("pk_attrs"))) or primary_key_columns(
            ctx, fields["references"]
        )
        fields["on_delete"] = _FK_ACTIONS[node.get("fk_del_action") or "a"]
        fields["on_update"] = _FK_ACTIONS[node.get("fk_upd_action") or "a"]
        fields["on_delete_columns"] = tuple(strings(node.get("fk_del_set_cols")))
        fields["match"] = _FK_MATCH[node.get("fk_matchtype") or "s"]
    elif contype == "CONSTR_CHECK":
        fields["expression"] = stored_expr(ctx, node["raw_expr"], table)
        fields["no_inherit"] = bool(node.get("is_no_inherit"))
        # PostgreSQL keeps no trace of a CHECK having been written on a column: it is a
        # table constraint like any other (pg_dump writes them all at table level).
        fields["columns"] = tuple(strings(node.get("keys")))
    elif contype == "CONSTR_EXCLUSION":
        fields["method"] = node.get("access_method") or "btree"
        elements = []
        for pair in node.get("exclusions") or ():
            elem_node, operator = pair["List"]["items"]
            element = index_element(ctx, elem_node["IndexElem"], table, fields["method"])
            op = ".".join(strings(operator["List"]["items"]))
            elements.append(attrs.evolve(element, operator=op.removeprefix("pg_catalog.")))
        fields["elements"] = tuple(elements)
        if node.get("where_clause"):
            fields["where"] = stored_expr(ctx, node["where_clause"], table)
    oid = ObjectId(ids.CONSTRAINT, table.schema, name, parent=table.name)
    ctx.add(model.Constraint(id=oid, **fields, **ctx.span_fields()))


def _default_name(
    ctx: BuildContext, table: ObjectId, node: Node, keys: list[str], fk_columns: list[str]
) -> str:
    """The name PostgreSQL gives an unnamed constraint (pgdrift.pg.naming): ``t_pkey``,
    ``t_a_b_key``, ``t_a_excl``, ``t_a_fkey``, and ``t_a_check`` for a check on exactly one
    column (``t_check`` otherwise), numbered if the name is taken in the schema."""
    schema = table.schema or ctx.creation_schema
    contype = node["contype"]
    label = _NAME_SUFFIX[contype]

    def index_name_taken(name: str) -> bool:
        return ctx.relation_name_taken(schema, name) or ctx.constraint_name_taken(schema, name)

    def constraint_taken(name: str) -> bool:
        return ctx.constraint_name_taken(schema, name)

    if contype == "CONSTR_PRIMARY":
        return choose_name(table.name, None, label, index_name_taken)
    if contype in ("CONSTR_UNIQUE", "CONSTR_EXCLUSION"):
        if contype == "CONSTR_UNIQUE":
            elements: list[Node] = [{"name": key} for key in keys]
        else:
            elements = [pair["List"]["items"][0]["IndexElem"] for pair in node["exclusions"]]
        elements += [{"name": column} for column in strings(node.get("including"))]
        addition = column_name_addition(index_column_names(elements))
        return choose_name(table.name, addition, label, index_name_taken)
    if contype == "CONSTR_FOREIGN":
        return choose_name(table.name, column_name_addition(fk_columns), label, constraint_taken)
    # CHECK: PostgreSQL no longer knows where the constraint was written, so it names it
    # after the column when the expression uses exactly one (AddRelationNewConstraints).
    columns = _referenced_columns(node["raw_expr"])
    column = columns[0] if len(columns) == 1 else None
    return choose_name(table.name, column, label, constraint_taken)


def _referenced_columns(expr: Node) -> list[str]:
    """The distinct column names an expression refers to, in order of first use."""
    found: list[str] = []
    stack: list[Any] = [expr]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("ColumnRef")
            if isinstance(ref, dict):
                fields = strings(ref.get("fields"))
                if fields and fields[-1] not in found:
                    found.append(fields[-1])
                continue
            if "SubLink" in item:
                continue  # a sub-select's columns are not the table's (and CHECK refuses them)
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found


# ALTER TABLE ----------------------------------------------------------------------------------

_TRIGGER_STATES = {
    "AT_EnableTrig": "origin", "AT_DisableTrig": "disabled", "AT_EnableReplicaTrig": "replica",
    "AT_EnableAlwaysTrig": "always",
}  # fmt: skip
_ALL_TRIGGERS = {"AT_EnableTrigAll": "origin", "AT_DisableTrigAll": "disabled",
                 "AT_EnableTrigUser": "origin", "AT_DisableTrigUser": "disabled"}  # fmt: skip
_RULE_STATES = {
    "AT_EnableRule": "origin", "AT_DisableRule": "disabled", "AT_EnableReplicaRule": "replica",
    "AT_EnableAlwaysRule": "always",
}  # fmt: skip
_OBJTYPE_KIND = {
    "OBJECT_TABLE": None, "OBJECT_FOREIGN_TABLE": ids.FOREIGN_TABLE, "OBJECT_VIEW": ids.VIEW,
    "OBJECT_MATVIEW": ids.MATERIALIZED_VIEW, "OBJECT_SEQUENCE": ids.SEQUENCE,
    "OBJECT_INDEX": ids.INDEX, "OBJECT_TYPE": None,
}  # fmt: skip


#: ALTER TABLE subcommands handled outside this module (alter_columns.py): subtype -> handler.
Subcommand = Callable[[BuildContext, ObjectId, Node], None]
_SUBCOMMANDS: dict[str, Subcommand] = {}


def alters_table(subtype: str) -> Callable[[Subcommand], Subcommand]:
    """Register the handler of one ALTER TABLE subcommand (``AT_AddColumn``); twice is an
    error, as for :func:`~pgdrift.builder.registry.handles`."""

    def register(func: Subcommand) -> Subcommand:
        if subtype in _SUBCOMMANDS:
            raise RuntimeError(f"{subtype} already handled by {_SUBCOMMANDS[subtype].__qualname__}")
        _SUBCOMMANDS[subtype] = func
        return func

    return register


@handles("AlterTableStmt")
def build_alter_table(ctx: BuildContext, node: Node) -> None:
    objtype = node.get("objtype", "OBJECT_TABLE")
    schema, name = ctx.relation(node["relation"])
    if objtype == "OBJECT_TYPE":
        oid = ObjectId(ids.COMPOSITE_TYPE, schema, name)
    else:
        kind = _OBJTYPE_KIND.get(objtype)
        # ALTER TABLE also alters views, sequences and foreign tables (pg_dump writes OWNER TO
        # of a sequence as ALTER TABLE in old versions): find what the name really is.
        oid = ObjectId(kind, schema, name) if kind else ctx.find_relation(schema, name)
    if node.get("missing_ok") and oid not in ctx.objects:
        # ALTER TABLE IF EXISTS of a table not defined is a no-op (pg_dump --clean --if-exists
        # writes one per constraint and default of every table it creates further down).
        return
    # Without ONLY, what the command adds to a partitioned table goes down to its partitions.
    recurse = node["relation"].get("inh", False) and from_source(ctx)
    for cmd in node.get("cmds") or ():
        if from_source(ctx):
            refuse_on_partition(ctx, oid, cmd["AlterTableCmd"])
        if recurse:
            partitions.propagate_alter(
                ctx, oid, cmd["AlterTableCmd"], (), _alter_table_cmd, before=True
            )
        inheritance.propagate_to_children(
            ctx, oid, cmd["AlterTableCmd"], _alter_table_cmd, recurse=recurse, before=True
        )
        made = len(ctx.created)
        _alter_table_cmd(ctx, oid, cmd["AlterTableCmd"])
        if recurse:
            partitions.propagate_alter(
                ctx, oid, cmd["AlterTableCmd"], ctx.created[made:], _alter_table_cmd
            )
        inheritance.propagate_to_children(
            ctx, oid, cmd["AlterTableCmd"], _alter_table_cmd, recurse=recurse
        )


def _alter_table_cmd(ctx: BuildContext, oid: ObjectId, cmd: Node) -> None:
    subtype = cmd["subtype"]
    if subtype in _SUBCOMMANDS:
        _SUBCOMMANDS[subtype](ctx, oid, cmd)
        return
    # The subcommand's target column (or trigger, rule, constraint, index) and definition.
    column: str = cmd.get("name") or ""
    definition: Any = cmd.get("def")
    if subtype == "AT_AddConstraint":
        ctx.require(oid, "ALTER TABLE ADD CONSTRAINT")
        _add_constraint(ctx, oid, definition["Constraint"])
    elif subtype == "AT_ColumnDefault":
        if oid.kind == ids.VIEW:
            set_view_column_default(ctx, oid, column, definition)
        else:
            column_type = ctx.require_column(oid, column).columns[column].type  # type: ignore[attr-defined]
            ctx.update_column(oid, column, default=stored_default(ctx, definition, column_type))
    elif subtype == "AT_SetNotNull":
        ctx.update_column(oid, column, not_null=True)
    elif subtype == "AT_DropNotNull":
        ctx.update_column(oid, column, not_null=False)
    elif subtype == "AT_SetOptions":
        ctx.update_column(oid, column, options=reloptions_of(definition["List"]["items"]))
    elif subtype == "AT_GenericOptions":
        had: model.Options = getattr(ctx.require(oid), "fdw_options", ())
        ctx.update(oid, fdw_options=changed_options(had, definition["List"]["items"]))
    elif subtype == "AT_AlterColumnGenericOptions":
        had = ctx.require_column(oid, column).columns[column].fdw_options  # type: ignore[attr-defined]
        items = definition["List"]["items"]
        ctx.update_column(oid, column, fdw_options=changed_options(had, items))
    elif subtype == "AT_EnableRowSecurity":
        ctx.update(oid, rls_enabled=True)
    elif subtype == "AT_DisableRowSecurity":
        ctx.update(oid, rls_enabled=False)
    elif subtype == "AT_ForceRowSecurity":
        ctx.update(oid, rls_forced=True)
    elif subtype == "AT_NoForceRowSecurity":
        ctx.update(oid, rls_forced=False)
    elif subtype == "AT_ReplicaIdentity":
        identity = definition["ReplicaIdentityStmt"]
        kinds = {"d": "default", "f": "full", "n": "nothing", "i": "index"}
        ctx.update(
            oid,
            replica_identity=kinds[identity["identity_type"]],
            replica_identity_index=identity.get("name"),
        )
    elif subtype == "AT_ClusterOn":
        ctx.update(oid, clustered_on=column)
    elif subtype == "AT_AttachPartition":
        _attach_partition(ctx, oid, definition["PartitionCmd"])
    elif subtype in _TRIGGER_STATES:
        _set_trigger_state(ctx, oid, column, _TRIGGER_STATES[subtype])
    elif subtype in _ALL_TRIGGERS:
        # ALL also switches the internal triggers of foreign keys, which no dump shows.
        for trigger in ctx.objects.linked_to(oid):
            if trigger.kind == ids.TRIGGER and getattr(ctx.objects[trigger], "table", None) == oid:
                ctx.update(trigger, enabled=_ALL_TRIGGERS[subtype])
    elif subtype in _RULE_STATES:
        rule = ObjectId(ids.RULE, oid.schema, column, parent=oid.name)
        ctx.update(rule, enabled=_RULE_STATES[subtype])
    elif subtype == "AT_SetLogged":
        ctx.update(oid, persistence="permanent")
    elif subtype == "AT_SetUnLogged":
        ctx.update(oid, persistence="unlogged")
    elif subtype == "AT_SetAccessMethod":
        # heap, the default, is None as in CREATE TABLE; SET ACCESS METHOD DEFAULT names none.
        ctx.update(oid, access_method=ctx.access_method(cmd.get("name")))
    elif subtype == "AT_SetTableSpace":
        ctx.update(oid, tablespace=ctx.tablespace(cmd.get("name")))
    elif subtype == "AT_DropConstraint":
        _drop_constraint(ctx, oid, column, cmd)
    elif subtype == "AT_ValidateConstraint":
        constraint = ObjectId(ids.CONSTRAINT, oid.schema, column, parent=oid.name)
        ctx.update(constraint, not_valid=False)
    else:
        raise NotModelled(f"ALTER TABLE subcommand {subtype} is not modelled")


def _drop_constraint(ctx: BuildContext, table: ObjectId, name: str, cmd: Node) -> None:
    """ALTER TABLE ... DROP CONSTRAINT [IF EXISTS] name [CASCADE]: a PRIMARY KEY or UNIQUE
    constraint takes its index along; a foreign key that needs it refuses without CASCADE."""
    ctx.require(table, "ALTER TABLE DROP CONSTRAINT")
    constraint = ObjectId(ids.CONSTRAINT, table.schema, name, parent=table.name)
    if constraint not in ctx.objects:
        if cmd.get("missing_ok"):
            return
        raise UndefinedObjectError(
            f"ALTER TABLE DROP CONSTRAINT: constraint {name!r} of {table} does not exist",
            span=ctx.statement.span if ctx.statement else None,
        )
    drop_object(
        ctx, constraint, cascade=cmd.get("behavior") == "DROP_CASCADE", what="ALTER TABLE DROP"
    )


def _set_trigger_state(ctx: BuildContext, table: ObjectId, name: str, state: str) -> None:
    trigger = ObjectId(ids.TRIGGER, table.schema, name, parent=table.name)
    if trigger in ctx.objects:
        ctx.update(trigger, enabled=state)
        return
    # A trigger on a partitioned table is cloned onto its partitions; pg_dump writes the
    # clone's state on the partition when it differs from the parent's.
    relation = ctx.require(table, "ALTER TABLE ... TRIGGER")
    ancestor = getattr(relation, "partition_of", None)
    while ancestor is not None:
        inherited = ObjectId(ids.TRIGGER, ancestor.schema, name, parent=ancestor.name)
        found = ctx.get(inherited)
        if isinstance(found, model.Trigger):
            states = dict(found.partition_states)
            states[table] = state
            ordered = tuple(sorted(states.items(), key=lambda kv: kv[0].sort_key()))
            ctx.update(inherited, partition_states=ordered)
            return
        ancestor = getattr(ctx.get(ancestor), "partition_of", None)
    ctx.require(trigger, "ALTER TABLE ... TRIGGER")


def _attach_partition(ctx: BuildContext, parent: ObjectId, cmd: Node) -> None:
    if parent.kind == ids.INDEX:
        # ALTER INDEX parent_idx ATTACH PARTITION child_idx (partitioned index attachments).
        # Either side may be the index of a PRIMARY KEY/UNIQUE/EXCLUDE constraint, which
        # carries the constraint's name.
        parent = ctx.find_index(parent.schema or "", parent.name) or parent
        schema, name = ctx.relation(cmd["name"])
        child = ctx.find_index(schema, name)
        if child is None:
            ctx.require(ObjectId(ids.INDEX, schema, name), "ALTER INDEX ATTACH PARTITION")
            return
        ctx.update(child, attached_to=parent)
        return
    schema, name = ctx.relation(cmd["name"])
    child = ctx.find_relation(schema, name)
    ctx.require(child, "ALTER TABLE ATTACH PARTITION")
    table = partitions.partitioned_parent(ctx, parent, "ALTER TABLE ATTACH PARTITION")
    ctx.update(child, partition_of=parent, partition_bound=stored_bound(ctx, table, cmd["bound"]))
    if from_source(ctx):
        partitions.attach_partition(ctx, parent, child)


#: A column definition and the constraints written on it (for ALTER TABLE ADD COLUMN).
column_definition = _column
#: The sequence behind an identity column.
add_identity_sequence = _add_identity_sequence
#: The identity of a column, from its ``GENERATED ... AS IDENTITY`` constraint node.
column_identity = _identity
