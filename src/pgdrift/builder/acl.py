"""Statements about other objects: owners, comments, security labels, GRANT/REVOKE and
ALTER DEFAULT PRIVILEGES.

They name their target in a dozen shapes (a qualified list, a TypeName, an ObjectWithArgs...);
:func:`target_id` turns each into the target's :class:`~pgdrift.ids.ObjectId`.
"""

from __future__ import annotations

from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift.builder.context import AclOp, BuildContext
from pgdrift.builder.creation import owner_given
from pgdrift.builder.grant_all import objects_in_schemas
from pgdrift.builder.nodes import Node, strings, unwrap
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.role_specs import owner_name, role_name
from pgdrift.errors import UndefinedObjectError
from pgdrift.ids import ObjectId
from pgdrift.pg.extensions import control_comment
from pgdrift.pg.initdb import EXTENSION_MEMBERS, never_dumped

_SCHEMALESS = {
    "OBJECT_SCHEMA": ids.SCHEMA, "OBJECT_EXTENSION": ids.EXTENSION,
    "OBJECT_EVENT_TRIGGER": ids.EVENT_TRIGGER, "OBJECT_PUBLICATION": ids.PUBLICATION,
    "OBJECT_SUBSCRIPTION": ids.SUBSCRIPTION, "OBJECT_FDW": ids.FOREIGN_DATA_WRAPPER,
    "OBJECT_FOREIGN_SERVER": ids.SERVER, "OBJECT_LANGUAGE": ids.LANGUAGE,
    "OBJECT_ACCESS_METHOD": ids.ACCESS_METHOD, "OBJECT_ROLE": ids.ROLE,
    "OBJECT_DATABASE": ids.DATABASE, "OBJECT_TABLESPACE": ids.TABLESPACE,
}  # fmt: skip
_QUALIFIED = {
    "OBJECT_COLLATION": ids.COLLATION, "OBJECT_CONVERSION": ids.CONVERSION,
    "OBJECT_STATISTIC_EXT": ids.STATISTICS, "OBJECT_TSCONFIGURATION": ids.TEXT_SEARCH_CONFIGURATION,
    "OBJECT_TSDICTIONARY": ids.TEXT_SEARCH_DICTIONARY, "OBJECT_TSPARSER": ids.TEXT_SEARCH_PARSER,
    "OBJECT_TSTEMPLATE": ids.TEXT_SEARCH_TEMPLATE, "OBJECT_SEQUENCE": ids.SEQUENCE,
    "OBJECT_VIEW": ids.VIEW, "OBJECT_MATVIEW": ids.MATERIALIZED_VIEW,
    "OBJECT_FOREIGN_TABLE": ids.FOREIGN_TABLE, "OBJECT_INDEX": ids.INDEX,
}  # fmt: skip
_CHILDREN = {"OBJECT_TRIGGER": ids.TRIGGER, "OBJECT_POLICY": ids.POLICY, "OBJECT_RULE": ids.RULE,
             "OBJECT_TABCONSTRAINT": ids.CONSTRAINT}  # fmt: skip
_ROUTINES = {"OBJECT_FUNCTION": ids.FUNCTION, "OBJECT_PROCEDURE": ids.PROCEDURE,
             "OBJECT_AGGREGATE": ids.AGGREGATE, "OBJECT_ROUTINE": None}  # fmt: skip


def target_id(ctx: BuildContext, objtype: str, obj: Node) -> ObjectId:
    """The id of the object a COMMENT/GRANT/OWNER/SECURITY LABEL statement names."""
    if objtype in _SCHEMALESS:
        return ObjectId(_SCHEMALESS[objtype], None, _single_name(obj))
    if objtype == "OBJECT_TABLE":
        if "RangeVar" in obj:
            schema, name = ctx.relation(obj["RangeVar"])
        else:
            schema, name = ctx.qualified(_items(obj))
        return ctx.find_relation(schema, name)
    if objtype in _QUALIFIED:
        if "RangeVar" in obj:
            schema, name = ctx.relation(obj["RangeVar"])
        else:
            schema, name = ctx.qualified(_items(obj))
        return ObjectId(_QUALIFIED[objtype], schema, name)
    if objtype == "OBJECT_COLUMN":
        parts = strings(_items(obj))
        schema, table = (
            (parts[-3], parts[-2]) if len(parts) >= 3 else (ctx.creation_schema, parts[0])
        )
        return ObjectId(ids.COLUMN, schema, parts[-1], parent=table)
    if objtype in _CHILDREN:
        parts = strings(_items(obj))
        schema = parts[-3] if len(parts) >= 3 else ctx.creation_schema
        return ObjectId(_CHILDREN[objtype], schema, parts[-1], parent=parts[-2])
    if objtype in ("OBJECT_TYPE", "OBJECT_DOMAIN"):
        type_node = unwrap(obj, "TypeName")
        schema, name = ctx.qualified(type_node["names"] if "names" in type_node else _items(obj))
        return find_type(ctx, schema, name)
    if objtype in _ROUTINES:
        return routine_id(ctx, _ROUTINES[objtype], obj["ObjectWithArgs"])
    if objtype == "OBJECT_OPERATOR":
        owa = obj["ObjectWithArgs"]
        schema, name = ctx.qualified(owa["objname"])
        args = tuple(
            str(ctx.routine_type(a["TypeName"])) if a else "NONE" for a in owa.get("objargs", ())
        )
        return ObjectId(ids.OPERATOR, schema, name, args=args)
    if objtype in ("OBJECT_OPCLASS", "OBJECT_OPFAMILY"):
        parts = strings(_items(obj))
        method, rest = parts[0], parts[1:]
        schema, name = (rest[-2], rest[-1]) if len(rest) > 1 else (ctx.creation_schema, rest[0])
        kind = ids.OPERATOR_CLASS if objtype == "OBJECT_OPCLASS" else ids.OPERATOR_FAMILY
        return ObjectId(kind, schema, name, args=(method,))
    if objtype == "OBJECT_CAST":
        source, target = (ctx.routine_type(t["TypeName"]) for t in _items(obj))
        return ObjectId(ids.CAST, None, f"{source} AS {target}")
    if objtype == "OBJECT_TRANSFORM":
        type_node, language = _items(obj)
        return ObjectId(
            ids.TRANSFORM,
            None,
            f"{ctx.type(type_node['TypeName'])} LANGUAGE {_single_name(language)}",
        )
    # A domain constraint has no owner or ACL; its comment is set by _set_domain_check_comment.
    raise NotModelled(f"statements about {objtype} objects are not modelled")


def find_type(ctx: BuildContext, schema: str, name: str) -> ObjectId:
    """A type's id: whichever type kind (or a relation's row type) exists under that name."""
    for kind in (*sorted(ids.TYPE_KINDS), ids.TABLE, ids.VIEW):
        oid = ObjectId(kind, schema, name)
        if oid in ctx.objects:
            return oid
    return ObjectId(ids.BASE_TYPE, schema, name)


def routine_id(ctx: BuildContext, kind: str | None, owa: Node) -> ObjectId:
    """The id of a routine named by an ObjectWithArgs node (``f(integer, text)``)."""
    schema, name = ctx.qualified(owa["objname"])
    if owa.get("args_unspecified"):
        matches = [o for o in ctx.objects.of_kind(*ids.ROUTINE_KINDS) if o.schema == schema
                   and o.name == name]  # fmt: skip
        if len(matches) == 1:
            return matches[0]
    # ... ON FUNCTION also names an aggregate (pg_dump grants on aggregates that way), but
    # not a procedure (parse_func.c, LookupFuncWithArgs: "is not a function").
    kinds = (
        [ids.FUNCTION, ids.AGGREGATE] if kind == ids.FUNCTION
        else [kind] if kind else [ids.FUNCTION, ids.PROCEDURE, ids.AGGREGATE]
    )  # fmt: skip
    params = owa.get("objfuncargs")
    if params:
        # Identity arguments are the input ones (IN, INOUT, VARIADIC), for procedures too:
        # no two routines of one name may share an input-argument list (docs: DROP PROCEDURE).
        candidates = {}
        for wanted_kind in kinds:
            modes = _IDENTITY_MODES[wanted_kind]
            args = tuple(
                str(ctx.routine_type(p["FunctionParameter"]["argType"]))
                for p in params
                if p["FunctionParameter"].get("mode", "FUNC_PARAM_DEFAULT") in modes
            )
            candidates[wanted_kind] = ObjectId(wanted_kind, schema, name, args=args)
    else:
        args = ctx.routine_args(owa.get("objargs"))
        if kind == ids.AGGREGATE and not owa.get("objargs"):
            args = ("*",)
        candidates = {k: ObjectId(k, schema, name, args=args) for k in kinds}
    for oid in candidates.values():
        if oid in ctx.objects:
            return oid
    if params and ids.PROCEDURE in candidates and all(
        p["FunctionParameter"].get("mode", "FUNC_PARAM_DEFAULT") == "FUNC_PARAM_DEFAULT"
        for p in params
    ):
        # A procedure's types without modes may list its OUT arguments too (parse_func.c,
        # LookupFuncWithArgs, PostgreSQL 14+: every argument is matched first).
        every = tuple(str(ctx.routine_type(p["FunctionParameter"]["argType"])) for p in params)
        for found in ctx.objects.of_kind(ids.PROCEDURE):
            procedure = ctx.objects[found]
            if (found.schema, found.name) == (schema, name) and isinstance(
                procedure, model.Function
            ) and tuple(str(a.type) for a in procedure.arguments) == every:
                return found
    return next(iter(candidates.values()))


_IDENTITY_MODES = {
    ids.FUNCTION: frozenset({"FUNC_PARAM_DEFAULT", "FUNC_PARAM_IN", "FUNC_PARAM_INOUT",
                             "FUNC_PARAM_VARIADIC"}),
    ids.AGGREGATE: frozenset({"FUNC_PARAM_DEFAULT", "FUNC_PARAM_IN", "FUNC_PARAM_INOUT",
                              "FUNC_PARAM_VARIADIC"}),
    ids.PROCEDURE: frozenset({"FUNC_PARAM_DEFAULT", "FUNC_PARAM_IN", "FUNC_PARAM_INOUT",
                              "FUNC_PARAM_VARIADIC"}),
}  # fmt: skip


def _items(obj: Node) -> list[Node]:
    if "List" in obj:
        return list(obj["List"].get("items", ()))
    if "String" in obj:
        return [obj]
    return list(obj.get("items", ()))


def _single_name(obj: Node) -> str:
    if "String" in obj:
        return str(obj["String"]["sval"])
    parts = strings(_items(obj))
    return parts[-1]


# Owners ----------------------------------------------------------------------------------------


@handles("AlterOwnerStmt")
def build_alter_owner(ctx: BuildContext, node: Node) -> None:
    oid = target_id(ctx, node["objectType"], node["object"])
    if oid.kind == ids.LANGUAGE and oid not in ctx.objects:
        extension = ObjectId(ids.EXTENSION, None, oid.name)
        if extension in ctx.objects or never_dumped(extension.kind, extension.name):
            # pg_dump 8.4 and 9.0 wrote CREATE PROCEDURAL LANGUAGE plpgsql; and then its owner;
            # a CREATE LANGUAGE without a handler has meant CREATE EXTENSION since 9.1.
            ctx.warn(f"the owner of {oid} is not compared: the language belongs to {extension}")
            return
    if oid not in ctx.objects and oid.kind in _IMPLICIT_CLASSES:
        # Objects that exist without a CREATE in the input: the bootstrap role, template
        # databases, and Supabase's realtime publication (its CLI comments the CREATE out).
        ctx.warn(f"{oid} is altered but never created; assuming it exists with defaults")
        ctx.objects[oid] = _IMPLICIT_CLASSES[oid.kind](id=oid, **ctx.span_fields())
        ctx.implicit.add(oid)
    previous = getattr(ctx.require(oid, "ALTER ... OWNER TO"), "owner", None)
    ctx.update(oid, owner=owner_name(ctx, node["newowner"]))
    owner_given(ctx, oid, previous)


_IMPLICIT_CLASSES: dict[str, type[model.DbObject]] = {
    ids.ROLE: model.Role, ids.DATABASE: model.Database, ids.PUBLICATION: model.Publication,
}  # fmt: skip


# Comments and security labels ------------------------------------------------------------------


@handles("CommentStmt")
def build_comment(ctx: BuildContext, node: Node) -> None:
    _set_attribute(ctx, node["objtype"], node["object"], "comment", node.get("comment"))


@handles("SecLabelStmt")
def build_security_label(ctx: BuildContext, node: Node) -> None:
    label = model.SecurityLabel(provider=node.get("provider"), label=node.get("label"))
    _set_attribute(ctx, node["objtype"], node["object"], "security_labels", label)


def _set_attribute(ctx: BuildContext, objtype: str, obj: Node, field: str, value: Any) -> None:
    if objtype == "OBJECT_DOMCONSTRAINT":
        _set_domain_check_comment(ctx, obj, value)
        return
    if objtype == "OBJECT_LARGEOBJECT":
        raise NotModelled("large objects are data, not schema")
    oid = target_id(ctx, objtype, obj)
    # pg_dump 10 and older wrote plpgsql's comment, the one its control file gives it anyway.
    if field == "comment" and oid.kind == ids.EXTENSION and oid not in ctx.objects and (
        never_dumped(oid.kind, oid.name) and value == control_comment(oid.name)
    ):
        return
    if _initdb_object(ctx, oid, field.replace("_", " ")):
        return
    if (oid.kind, oid.name) in EXTENSION_MEMBERS and oid not in ctx.objects:
        ctx.warn(f"the {field.replace('_', ' ')} of {oid} are not kept: no pg_dump writes them")
        return
    if field == "security_labels":
        current = getattr(_owner_of(ctx, oid), "security_labels", ())
        labels = {label.provider: label for label in current}
        labels[value.provider] = value
        value = tuple(sorted(labels.values()))
    if oid.kind == ids.COLUMN:
        table = _column_table(ctx, oid)
        relation = ctx.objects[table]
        if field == "comment" and isinstance(relation, (model.View, model.MaterializedView)):
            comments = dict(relation.column_comments)
            comments[oid.name] = value
            if value is None:  # COMMENT ... IS NULL removes it
                del comments[oid.name]
            ctx.update(table, column_comments=tuple(sorted(comments.items())))
            return
        ctx.update_column(table, oid.name, **{field: value})
        return
    if oid not in ctx.objects:
        if oid.kind in _IMPLICIT_CLASSES:
            # pg_dumpall comments on databases every cluster has (postgres, template1) without
            # creating them, and on the roles and databases of the cluster whichever database
            # is read: the object exists implicitly, as for ALTER ... OWNER TO.
            ctx.objects[oid] = _IMPLICIT_CLASSES[oid.kind](id=oid, **ctx.span_fields())
            ctx.implicit.add(oid)
        elif oid.kind == ids.INDEX and field == "comment":
            key = _key_constraint(ctx, oid)
            if key is not None:
                ctx.update(key, index_comment=value)
                return
    if oid not in ctx.objects and _in_dump(ctx) and ctx.deferred is not None:
        # pg_dump writes an object's comment after it, but a dump assembled otherwise (a TOC
        # list reordered for pg_restore -L, sections concatenated) may not: once the whole
        # dump is read, the object is there. A script stays as strict as PostgreSQL is.
        ctx.deferred.append(
            (ctx.statement, lambda: _set_attribute(ctx, objtype, obj, field, value))  # type: ignore[arg-type]
        )
        return
    ctx.require(oid, f"{field.replace('_', ' ')} statement")
    ctx.update(oid, **{field: value})


def _initdb_object(ctx: BuildContext, oid: ObjectId, what: str) -> bool:
    """Whether ``oid`` is a built-in that no dump shows (LANGUAGE sql, the plpgsql extension)
    and the input never made: what a statement sets on it is left out, with a warning."""
    if oid in ctx.objects or not never_dumped(oid.kind, oid.name):
        return False
    ctx.warn(f"the {what} of {oid} are not kept: every database has it, no pg_dump writes it")
    return True


def _in_dump(ctx: BuildContext) -> bool:
    """Whether the statement being read stands under a pg_dump TOC header."""
    return ctx.statement is not None and ctx.statement.toc is not None


_INDEX_BACKED = frozenset({model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE,
                           model.Constraint.EXCLUSION})  # fmt: skip


def _key_constraint(ctx: BuildContext, index: ObjectId) -> ObjectId | None:
    """The primary key, unique or exclusion constraint whose index is ``index``: it has the
    constraint's name, in its table's schema (pg_dump writes COMMENT ON INDEX for it)."""
    for oid, obj in ctx.objects.items():
        if (
            oid.kind == ids.CONSTRAINT
            and oid.schema == index.schema
            and oid.name == index.name
            and isinstance(obj, model.Constraint)
            and obj.type in _INDEX_BACKED
        ):
            return oid
    return None


def _owner_of(ctx: BuildContext, oid: ObjectId) -> Any:
    if oid.kind == ids.COLUMN:
        table = ctx.require(_column_table(ctx, oid))
        columns: model.Columns = table.columns  # type: ignore[attr-defined]
        return columns.get(oid.name)
    return ctx.get(oid)


def _column_table(ctx: BuildContext, column: ObjectId) -> ObjectId:
    assert column.parent is not None
    for kind in (ids.TABLE, ids.FOREIGN_TABLE, ids.VIEW, ids.MATERIALIZED_VIEW,
                 ids.COMPOSITE_TYPE):  # fmt: skip
        oid = ObjectId(kind, column.schema, column.parent)
        if oid in ctx.objects:
            return oid
    raise UndefinedObjectError(f"{column} belongs to no table, view or type in the input")


def _set_domain_check_comment(ctx: BuildContext, obj: Node, comment: str | None) -> None:
    # COMMENT ON CONSTRAINT c ON DOMAIN d: the object is [TypeName, String].
    type_node, name_node = _items(obj)
    schema, name = ctx.qualified(type_node["TypeName"]["names"])
    oid = ObjectId(ids.DOMAIN, schema, name)
    domain = ctx.require(oid, "COMMENT ON CONSTRAINT ... ON DOMAIN")
    assert isinstance(domain, model.Domain)
    check_name = _single_name(name_node)
    checks = tuple(
        attrs.evolve(c, comment=comment) if c.name == check_name else c for c in domain.checks
    )
    ctx.update(oid, checks=checks)


# Privileges ------------------------------------------------------------------------------------


@handles("GrantStmt")
def build_grant(ctx: BuildContext, node: Node) -> None:
    objtype = node["objtype"]
    in_schema = node.get("targtype") == "ACL_TARGET_ALL_IN_SCHEMA"
    if node.get("targtype") not in ("ACL_TARGET_OBJECT", "ACL_TARGET_ALL_IN_SCHEMA"):
        raise NotModelled(f"GRANT target {node.get('targtype')}")
    privileges: list[tuple[str, tuple[str, ...]]] = []
    for priv in node.get("privileges") or ():
        access = priv["AccessPriv"]
        name = (access.get("priv_name") or "all").upper()
        privileges.append((name, tuple(strings(access.get("cols")))))
    grantees = tuple(role_name(g["RoleSpec"]) for g in node.get("grantees") or ())
    is_grant = bool(node.get("is_grant"))
    cascade = node.get("behavior") == "DROP_CASCADE"
    targets = (
        objects_in_schemas(ctx, objtype, node.get("objects") or [])
        if in_schema
        else [target_id(ctx, objtype, target) for target in node.get("objects") or ()]
    )
    # Column privileges are replayed once the build is done; check their columns now, while
    # the statement's place is known and before any target is changed.
    for oid in targets:
        if isinstance(ctx.get(oid), model.Table):
            for _, columns in privileges:
                for column in columns:
                    ctx.require_column(oid, column)
    targets = [oid for oid in targets if not _initdb_object(ctx, oid, "privileges")]
    for oid in targets:
        if oid not in ctx.objects:
            # pg_dump writes grants on objects it does not define: extension members whose
            # ACL was changed, and built-ins such as LANGUAGE plpgsql.
            ctx.objects[oid] = model.ExternalObject(id=oid, **ctx.span_fields())
        table_privs = tuple(p for p, cols in privileges if not cols)
        grantor = _grantor(ctx, oid)
        if table_privs or not privileges:
            all_privs = () if "ALL" in table_privs or not privileges else table_privs
            ctx.add_acl(oid, AclOp(is_grant, all_privs, grantees, bool(node.get("grant_option")),
                                   grantor=grantor, cascade=cascade))  # fmt: skip
        for privilege, columns in privileges:
            for column in columns:
                column_id = ObjectId(ids.COLUMN, oid.schema, column, parent=oid.name)
                op = AclOp(
                    is_grant,
                    () if privilege == "ALL" else (privilege,),
                    grantees,
                    bool(node.get("grant_option")),
                    columns=(column,),
                    grantor=grantor,
                    cascade=cascade,
                )
                ctx.add_acl(column_id, op)


def _grantor(ctx: BuildContext, oid: ObjectId) -> str:
    """The role a GRANT or REVOKE on ``oid`` acts as when that is not the owner: the role set
    with SET ROLE or SET SESSION AUTHORIZATION (how pg_dump replays a grant a grantee made with
    its grant option). A superuser's grant is recorded as the owner's (docs: GRANT), and the
    role running the files is taken to be one."""
    role = ctx.session_role or ctx.session_user
    if role is None:
        return ""
    obj = ctx.objects.get(oid)
    owner = getattr(obj, "owner", None)
    superuser = ctx.objects.get(ObjectId(ids.ROLE, None, role))
    if role == owner or (isinstance(superuser, model.Role) and superuser.superuser):
        return ""
    return role


_DEFAULT_OBJECT_TYPES = {"OBJECT_TABLE": "tables", "OBJECT_SEQUENCE": "sequences",
                         "OBJECT_FUNCTION": "functions", "OBJECT_ROUTINE": "functions",
                         "OBJECT_TYPE": "types", "OBJECT_SCHEMA": "schemas"}  # fmt: skip


@handles("AlterDefaultPrivilegesStmt")
def build_default_privileges(ctx: BuildContext, node: Node) -> None:
    roles: list[str] = []
    schemas: list[str | None] = []
    for option in node.get("options") or ():
        elem = option["DefElem"]
        items = elem["arg"]["List"]["items"]
        if elem["defname"] == "roles":
            roles = [role_name(i["RoleSpec"]) for i in items]
        elif elem["defname"] == "schemas":
            schemas = list(strings(items))
    # Without FOR ROLE the defaults belong to the role running the statement.
    # Without FOR ROLE and without a known role, CURRENT_USER (pgdrift.differ.unknown_roles).
    role_list = roles or [ctx.current_role or "CURRENT_USER"]
    ctx.default_privileges_set = True
    action = node["action"]
    object_type = _DEFAULT_OBJECT_TYPES.get(action["objtype"])
    if object_type is None:
        # PostgreSQL 18 adds ON LARGE OBJECTS, which pglast parses.
        raise NotModelled(f"default privileges on {action['objtype']} are not modelled")
    privileges = tuple(
        (p["AccessPriv"].get("priv_name") or "all").upper() for p in action.get("privileges") or ()
    )
    grantees = tuple(role_name(g["RoleSpec"]) for g in action.get("grantees") or ())
    for role in role_list:
        for schema in schemas or [None]:
            oid = ObjectId(ids.DEFAULT_PRIVILEGES, None, f"{role}:{schema or ''}:{object_type}")
            if oid not in ctx.objects:
                ctx.add(
                    model.DefaultPrivileges(
                        id=oid, role=role, in_schema=schema, object_type=object_type,
                        **ctx.span_fields(),
                    )
                )  # fmt: skip
            all_privs = () if "ALL" in privileges or not privileges else privileges
            ctx.add_acl(oid, AclOp(bool(action.get("is_grant")), all_privs, grantees,
                                   bool(action.get("grant_option"))))  # fmt: skip


__all__ = ["find_type", "routine_id", "target_id"]


@handles("ReassignOwnedStmt")
def build_reassign_owned(ctx: BuildContext, node: Node) -> None:
    """``REASSIGN OWNED BY a TO b``: every object of the database (and the database itself)
    that ``a`` owns is ``b``'s, as ``ALTER ... OWNER TO b`` of each would make it. An object
    whose owner is not known (a script that never says who runs it) stays unknown."""
    new = owner_name(ctx, node["newrole"])
    old = {owner_name(ctx, r["RoleSpec"]) for r in node.get("roles") or ()} - {None}
    for oid, obj in list(ctx.objects.items()):
        if getattr(obj, "owner", None) in old and oid.kind != ids.ROLE:
            ctx.update(oid, owner=new)
            owner_given(ctx, oid, getattr(obj, "owner", None))
