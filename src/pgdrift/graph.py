"""The dependency graph of a schema, built from the model.

An edge ``a -> b`` means *a depends on b* (``b`` must exist before ``a`` is created, and ``a``
must go before ``b`` is dropped). Every edge has a ``reason`` attribute: ``schema``,
``column type``, ``default``, ``foreign key``, ``query``, ``owned by``... Ownership edges
(``owned by``: a sequence owned by the column whose default calls it) can form cycles with
defaults; a planner orders on the other edges and attaches ownership afterwards, as pg_dump
does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from pgdrift import ids, model
from pgdrift._expr_tree import get_field
from pgdrift.expr import Expr, type_from_tree, walk
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import split_qualified_name
from pgdrift.types import TypeRef

if TYPE_CHECKING:
    import networkx as nx

_RELATIONS = (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW, ids.SEQUENCE)
_TYPES = (ids.ENUM, ids.DOMAIN, ids.COMPOSITE_TYPE, ids.RANGE_TYPE, ids.BASE_TYPE, ids.TABLE,
          ids.VIEW)  # fmt: skip
OWNERSHIP = "owned by"


class HasObjects(Protocol):
    """What the graph needs of a :class:`pgdrift.schema.Schema`: its objects by id.

    A protocol, not the class, because the class builds its graph with this module.
    """

    @property
    def objects(self) -> Mapping[ObjectId, model.DbObject]: ...


def _takes(routine: model.DbObject | None, count: int) -> bool:
    return not isinstance(routine, model.Function) or routine.takes(count)


class Resolver:
    """Finds the objects that names in expressions and types refer to."""

    def __init__(self, schema: HasObjects) -> None:
        self.objects = schema.objects
        self.routines: dict[tuple[str | None, str], list[ObjectId]] = {}
        self.operators: dict[tuple[str | None, str], list[ObjectId]] = {}
        #: Range types by the (schema, name) of their multirange types.
        self.multiranges: dict[tuple[str | None, str], ObjectId] = {}
        #: Primary keys, unique constraints and unique indexes by table, for foreign keys.
        self.keys: dict[ObjectId, list[model.Constraint | model.Index]] = {}
        for oid, obj in schema.objects.items():
            if oid.kind in ids.ROUTINE_KINDS:
                self.routines.setdefault((oid.schema, oid.name), []).append(oid)
            elif oid.kind == ids.OPERATOR:
                self.operators.setdefault((oid.schema, oid.name), []).append(oid)
            elif isinstance(obj, model.RangeType) and (multi := obj.multirange):
                self.multiranges[multi] = oid
            elif (isinstance(obj, model.Constraint) and obj.type in (
                model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE
            )) or (isinstance(obj, model.Index) and obj.unique):  # fmt: skip
                self.keys.setdefault(obj.table, []).append(obj)

    def relation(self, schema: str | None, name: str) -> ObjectId | None:
        for kind in _RELATIONS:
            oid = ObjectId(kind, schema or "public", name)
            if oid in self.objects:
                return oid
        return None

    def type(self, ref: TypeRef | None) -> ObjectId | None:
        if ref is None or ref.schema is None:
            return None
        for kind in _TYPES:
            oid = ObjectId(kind, ref.schema, ref.name)
            if oid in self.objects:
                return oid
        return self.multiranges.get((ref.schema, ref.name))

    def functions(self, schema: str | None, name: str) -> list[ObjectId]:
        if schema is None:
            return self.routines.get(("public", name), []) + self.routines.get((None, name), [])
        return self.routines.get((schema, name), [])

    def expression(self, expr: Expr | None) -> Iterator[tuple[ObjectId, str]]:
        """Relations, functions, operators, types, collations and sequences an expression
        refers to."""
        if expr is None:
            return
        for node in walk(expr.tree):
            name, fields = node
            if name == "RangeVar":
                f = dict(fields)
                found = self.relation(f.get("schemaname"), f.get("relname", ""))
                if found is not None:
                    yield found, "query"
            elif name == "FuncCall":
                parts = _names(dict(fields).get("funcname", ()))
                schema, fname = (parts[-2], parts[-1]) if len(parts) > 1 else (None, parts[-1])
                candidates = self.functions(schema, fname)
                if len(candidates) > 1:
                    # Overloads: the call is to those that take its number of arguments.
                    count = len(dict(fields).get("args", ()))
                    fitting = [o for o in candidates if _takes(self.objects.get(o), count)]
                    candidates = fitting or candidates
                for oid in candidates:
                    yield oid, "calls"
                if fname == "nextval":
                    yield from self._nextval(dict(fields).get("args", ()))
            elif name == "A_Expr" and dict(fields).get("name"):
                # An operator, by name (its argument types are not known here: every
                # operator of that name, as for function calls).
                parts = _names(dict(fields)["name"])
                schema = parts[-2] if len(parts) > 1 else "public"
                for oid in self.operators.get((schema, parts[-1]), ()):
                    yield oid, "operator"
            elif name == "A_Indirection":
                yield from self._field_of_result(dict(fields))
            elif name == "CollateClause":
                parts = _names(dict(fields).get("collname", ()))
                found = ObjectId(ids.COLLATION, parts[-2] if len(parts) > 1 else "public",
                                 parts[-1]) if parts else None  # fmt: skip
                if found is not None and found in self.objects:
                    yield found, "collation"
            elif name == "TypeCast":
                type_node = dict(fields).get("typeName")
                if type_node is not None:
                    found = self.type(type_from_tree(type_node))
                    if found is not None:
                        yield found, "type"

    def _field_of_result(self, fields: dict[str, Any]) -> Iterator[tuple[ObjectId, str]]:
        # (f(...)).field selects an attribute of the function's composite result: PostgreSQL
        # records a dependency on that attribute (FieldSelect), so the type cannot change it
        # while the expression stays ("cannot alter type of a column used by a view or rule").
        arg = fields.get("arg")
        if not (isinstance(arg, tuple) and arg[0] == "FuncCall") or not any(
            isinstance(n, tuple) and n[0] == "String" for n in fields.get("indirection", ())
        ):
            return
        parts = _names(dict(arg[1]).get("funcname", ()))
        schema, fname = (parts[-2], parts[-1]) if len(parts) > 1 else (None, parts[-1])
        for oid in self.functions(schema, fname):
            found = self.type(getattr(self.objects.get(oid), "returns", None))
            if found is not None:
                yield found, "field"

    def _nextval(self, args: Any) -> Iterator[tuple[ObjectId, str]]:
        # nextval('public.seq'::regclass): the sequence is named in a string literal.
        for node in walk(args):
            if node[0] == "String":
                text = dict(node[1]).get("sval", "")
                parts = [p.strip('"') for p in text.split(".")]
                schema, name = (parts[-2], parts[-1]) if len(parts) > 1 else ("public", parts[0])
                oid = ObjectId(ids.SEQUENCE, schema, name)
                if oid in self.objects:
                    yield oid, "default"


def _names(nodes: Iterable[Any]) -> list[str]:
    return [dict(n[1]).get("sval", "") for n in nodes if isinstance(n, tuple) and n[0] == "String"]


def dependencies_of(obj: model.DbObject, schema: HasObjects) -> list[tuple[ObjectId, str]]:
    """What one object depends on, as ``(id, reason)`` pairs, without building the graph.

    For many objects of one schema, make one :class:`Resolver` and call :func:`dependencies`.
    """
    return list(dependencies(obj, Resolver(schema)))


def build_graph(schema: HasObjects) -> nx.DiGraph:
    # networkx is imported on the first graph (a tenth of a second): reading and diffing
    # schemas, what most commands do, never builds one.
    import networkx as nx  # noqa: PLC0415

    graph = nx.DiGraph()
    resolve = Resolver(schema)
    for oid, obj in schema.objects.items():
        graph.add_node(oid, kind=oid.kind)
        for target, reason in dependencies(obj, resolve):
            if target != oid and (target in schema.objects or target.kind == ids.COLUMN):
                graph.add_edge(oid, target, reason=reason)
    return graph


def dependencies(obj: model.DbObject, r: Resolver) -> Iterator[tuple[ObjectId, str]]:
    oid = obj.id
    if oid.schema is not None and oid.kind != ids.SCHEMA:
        yield ObjectId(ids.SCHEMA, None, oid.schema), "schema"
    if isinstance(obj, model.Extension) and obj.in_schema:
        yield ObjectId(ids.SCHEMA, None, obj.in_schema), "schema"
    if isinstance(obj, model.Table):
        yield from _table(obj, r)
    elif isinstance(obj, model.CompositeType):
        for column in obj.columns.ordered:
            yield from _typed(r.type(column.type), "column type")
            yield from _collation(column.collation)
    elif isinstance(obj, model.Constraint):
        yield obj.table, "table"
        if obj.references is not None:
            yield obj.references, "foreign key"
            yield from _referenced_key(obj, r)
        yield from r.expression(obj.expression)
        yield from r.expression(obj.where)
    elif isinstance(obj, model.Index):
        yield obj.table, "table"
        if obj.attached_to is not None:
            yield obj.attached_to, "partition of index"
        for element in obj.elements:
            yield from r.expression(element.expression)
            yield from _collation(element.collation)
        yield from r.expression(obj.where)
    elif isinstance(obj, model.Sequence):
        if obj.owned_by is not None:
            yield obj.owned_by, OWNERSHIP
        if obj.identity_of is not None:
            yield _column_table(obj.identity_of, r), "identity"
        yield from _typed(r.type(obj.options.data_type), "type")
    elif isinstance(obj, (model.View, model.MaterializedView)):
        yield from r.expression(obj.query)
        if obj.query is not None:
            yield from ((key, "functional dependency") for key in grouped_keys(obj.query.tree, r))
    elif isinstance(obj, model.Rule):
        yield obj.table, "table"
        yield from r.expression(obj.where)
        for action in obj.actions:
            yield from r.expression(action)
    elif isinstance(obj, model.Function):
        for argument in obj.arguments:
            yield from _typed(r.type(argument.type), "argument type")
            yield from r.expression(argument.default)
        yield from _typed(r.type(obj.returns), "return type")
        # A SQL-standard body (BEGIN ATOMIC / RETURN) is parsed when the routine is created
        # and PostgreSQL records what it uses. A string body (AS $$ ... $$, PL/pgSQL or SQL) is
        # text until it runs: PostgreSQL records nothing it names, and neither does pgdrift
        # (pair dep_enum_only_in_plpgsql_body).
        yield from r.expression(obj.sql_body)
    elif isinstance(obj, model.Aggregate):
        for argument in (*obj.direct_arguments, *obj.arguments):
            yield from _typed(r.type(argument.type), "argument type")
        for key, value in obj.options:
            if value and key in model.Aggregate.SUPPORT_FUNCTIONS:
                schema, _, name = value.rpartition(".")
                yield from ((f, "calls") for f in r.functions(schema or None, name))
    elif isinstance(obj, model.Trigger):
        yield obj.table, "table"
        yield _trigger_function(obj.function), "trigger function"
        yield from r.expression(obj.when)
    elif isinstance(obj, model.EventTrigger):
        yield _trigger_function(obj.function), "trigger function"
    elif isinstance(obj, model.Domain):
        yield from _collation(obj.collation)
        yield from r.expression(obj.default)
        for check in obj.checks:
            yield from r.expression(check.expression)
        # Last, so that it names the edge when a check also uses the type: the whole domain
        # goes with its base type (one edge per pair, the last reason kept).
        yield from _typed(r.type(obj.base_type), "base type")
    elif isinstance(obj, model.RangeType):
        yield from _typed(r.type(obj.subtype), "subtype")
    elif isinstance(obj, model.Policy):
        yield obj.table, "table"
        yield from r.expression(obj.using)
        yield from r.expression(obj.with_check)
    elif isinstance(obj, model.Publication):
        for table in obj.tables:
            yield table.table, "published table"
        for schema_name in obj.schemas:
            yield ObjectId(ids.SCHEMA, None, schema_name), "published schema"
    elif isinstance(obj, model.Server):
        yield ObjectId(ids.FOREIGN_DATA_WRAPPER, None, obj.wrapper), "wrapper"
    elif isinstance(obj, model.UserMapping):
        yield ObjectId(ids.SERVER, None, obj.server), "server"
    elif isinstance(obj, model.Operator):
        function = obj.function()  # pg_depend: DROP FUNCTION refuses while the operator is
        if function is not None:
            yield function, "calls"
    elif isinstance(obj, model.TextSearchConfiguration):
        for dictionary in mapped_dictionaries(obj.mappings):
            yield dictionary, "mapping"
    elif isinstance(obj, model.Statistics):
        yield obj.table, "table"
        for expression in obj.expressions:
            yield from r.expression(expression)
    elif isinstance(obj, model.DefaultPrivileges) and obj.in_schema:
        yield ObjectId(ids.SCHEMA, None, obj.in_schema), "schema"


def _trigger_function(text: str) -> ObjectId:
    """A trigger function, named as the model writes it (``public."a.b"``); it has no
    declared arguments."""
    parts = split_qualified_name(text) or [text]
    schema = parts[-2] if len(parts) > 1 else "public"
    return ObjectId(ids.FUNCTION, schema, parts[-1], args=())


def _table(table: model.Table, r: Resolver) -> Iterator[tuple[ObjectId, str]]:
    for column in table.columns.ordered:
        yield from _typed(r.type(column.type), "column type")
        yield from r.expression(column.default)
        yield from r.expression(column.generated)
        yield from _collation(column.collation)
    for parent in table.inherits:
        yield parent, "inherits"
    if table.partition_of is not None:
        yield table.partition_of, "partition of"
    yield from _typed(r.type(table.of_type), "type")
    if isinstance(table, model.ForeignTable) and table.server:
        yield ObjectId(ids.SERVER, None, table.server), "server"


def collation_id(text: str | None) -> ObjectId | None:
    """A collation named as the model writes it (``public."fr-x-icu"``); None for an
    unqualified one (``"C"``, ``default``), which is built in."""
    parts = split_qualified_name(text) if text else None
    if parts is not None and len(parts) > 1:
        return ObjectId(ids.COLLATION, parts[-2], parts[-1])
    return None


def mapped_dictionaries(
    mappings: Iterable[tuple[str, tuple[str, ...]]],
) -> Iterator[ObjectId]:
    """The dictionaries token mappings name, as the model writes them (``public.st``); an
    unqualified one (``english_stem``) is built in. A configuration depends on each dictionary
    its mappings use (pg_ts_config_map): DROP TEXT SEARCH DICTIONARY refuses while one does."""
    seen: set[ObjectId] = set()
    for _, dictionaries in mappings:
        for text in dictionaries:
            parts = split_qualified_name(text)
            if parts is not None and len(parts) > 1:
                oid = ObjectId(ids.TEXT_SEARCH_DICTIONARY, parts[-2], parts[-1])
                if oid not in seen:
                    seen.add(oid)
                    yield oid


def _collation(text: str | None) -> Iterator[tuple[ObjectId, str]]:
    found = collation_id(text)
    if found is not None:
        yield found, "collation"


def _typed(oid: ObjectId | None, reason: str) -> Iterator[tuple[ObjectId, str]]:
    if oid is not None:
        yield oid, reason


def _column_table(column: ObjectId, r: Resolver) -> ObjectId:
    found = r.relation(column.schema, column.parent or "")
    return found if found is not None else ObjectId(ids.TABLE, column.schema, column.parent or "")


def _referenced_key(fk: model.Constraint, r: Resolver) -> Iterator[tuple[ObjectId, str]]:
    """A foreign key needs the referenced table's primary key or unique constraint/index."""
    assert fk.references is not None
    wanted = set(fk.referenced_columns)
    for key in r.keys.get(fk.references, ()):
        columns = set(key.columns) if isinstance(key, model.Constraint) else {
            e.column for e in key.elements}  # fmt: skip
        if not wanted or columns == wanted:
            yield key.id, "referenced key"
            return


def grouped_keys(query: Any, r: Resolver) -> Iterator[ObjectId]:
    """Primary keys a grouped query relies on for its ungrouped columns.

    ``SELECT t.id, t.title ... GROUP BY t.id`` is valid only because ``t.id`` is t's primary
    key: PostgreSQL (check_functional_grouping) records a dependency of the view on that
    non-deferrable PRIMARY KEY when every key column is grouped and another column of t is
    used outside GROUP BY. Aggregate arguments are not told apart here (more edges, which
    only order more strictly).
    """
    for node in walk(query):
        if node[0] != "SelectStmt" or not (groups := get_field(node, "groupClause")):
            continue
        grouped = {_column_ref(g) for g in groups if g[0] == "ColumnRef"}
        used = [n for field in ("targetList", "havingClause", "sortClause")
                for n in walk(get_field(node, field) or ()) if n[0] == "ColumnRef"]  # fmt: skip
        for alias, table_id in _from_relations(get_field(node, "fromClause") or (), r):
            table = r.objects.get(table_id)
            if not isinstance(table, model.Table):
                continue
            for key in r.keys.get(table_id, ()):
                if not (isinstance(key, model.Constraint) and key.type == key.PRIMARY_KEY
                        and not key.deferrable):  # fmt: skip
                    continue
                mine = {c for q, c in grouped if q in (alias, None) and c in table.columns}
                if set(key.columns) <= mine and any(
                    q in (alias, None) and (c == "*" or (c in table.columns and c not in mine))
                    for q, c in map(_column_ref, used)
                ):
                    yield key.id


def _column_ref(node: Any) -> tuple[str | None, str]:
    """(qualifier, column) of a ColumnRef; ``*`` for a star."""
    fields = get_field(node, "fields") or ()
    names = [dict(f[1]).get("sval", "") if f[0] == "String" else "*" for f in fields]
    return (names[-2] if len(names) > 1 else None), (names[-1] if names else "")


def _from_relations(items: Iterable[Any], r: Resolver) -> Iterator[tuple[str, ObjectId]]:
    """(name used in the query, relation) of the plain relations of a FROM list and its joins."""
    for item in items:
        if item[0] == "JoinExpr":
            sides = (get_field(item, "larg"), get_field(item, "rarg"))
            yield from _from_relations((side for side in sides if side), r)
        elif item[0] == "RangeVar":
            relname = get_field(item, "relname") or ""
            found = r.relation(get_field(item, "schemaname"), relname)
            alias = get_field(item, "alias")
            if found is not None:
                yield (get_field(alias, "aliasname") if alias else None) or relname, found
