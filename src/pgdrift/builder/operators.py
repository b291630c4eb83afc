"""Operators, access methods, and the operator classes and families that tie the two
together.

These are :class:`~pgdrift.model.DefinedObject`: their ``definition`` is the canonical tree of
the defining statement with the object's own name written fully qualified and option and
member lists sorted, so the same object written two ways compares equal.

An operator family's definition is its ``CREATE OPERATOR FAMILY`` statement until loose
members are added (``ALTER OPERATOR FAMILY ... ADD``, which is how pg_dump writes them); from
then on it is one ``ALTER OPERATOR FAMILY ... ADD`` statement listing every member, sorted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, name_list, sorted_nodes, statement_tree
from pgdrift.builder.references import replace_references, rewrite_fields
from pgdrift.builder.registry import handles
from pgdrift.errors import DuplicateObjectError
from pgdrift.expr import Expr, Tree, canonical, expr_from_node, to_json, type_from_tree
from pgdrift.ids import ObjectId
from pgdrift.pg.constants import type_name_node
from pgdrift.pg.messages import already_exists
from pgdrift.pg.operators import BUILTIN_OPERATOR_NAMES


def build_operator(ctx: BuildContext, node: Node) -> None:
    """CREATE OPERATOR (a ``DefineStmt``); its id carries the operand types, NONE for a
    missing side, since operators are overloaded on them. The names it refers to are
    resolved along the search_path as DefineOperator resolves them, since pg_dump prints them
    qualified (``function = s.gt``, ``commutator = OPERATOR(s.<<<)``)."""
    schema, name = ctx.qualified(node["defnames"])
    elems: list[Node] = []
    sides: dict[str, str] = {}
    for item in node.get("definition") or ():
        elem = item["DefElem"]
        key = elem["defname"].lower()
        if key == "procedure":  # the older spelling of FUNCTION (docs: CREATE OPERATOR)
            key = "function"
        elem = {**elem, "defname": key}
        if key in ("leftarg", "rightarg") and "TypeName" in (elem.get("arg") or {}):
            ref = ctx.routine_type(elem["arg"]["TypeName"])
            sides[key] = str(ref)
            elem["arg"] = {"TypeName": type_name_node(ref)}
        elems.append(elem)
    args = (sides.get("leftarg", "NONE"), sides.get("rightarg", "NONE"))
    for elem in elems:
        _resolve_reference(ctx, elem, schema, args)
    elems = [{"DefElem": elem} for elem in elems]
    definition = statement_tree(
        "DefineStmt",
        node,
        defnames=name_list(schema, name),
        definition=sorted(elems, key=lambda e: e["DefElem"]["defname"]),
    )
    ctx.add(
        model.Operator(
            id=ObjectId(ids.OPERATOR, schema, name, args=args),
            definition=definition,
            **ctx.span_fields(),
        )
    )


def _resolve_reference(ctx: BuildContext, elem: Node, schema: str, args: tuple[str, str]) -> None:
    """A function or operator named bare in CREATE OPERATOR, with the schema it resolves to."""
    key, arg = elem["defname"], elem.get("arg") or {}
    path = [s for s in ctx.search_path if s and s not in ("$user", "pg_catalog")]
    names = (arg.get("TypeName") or {}).get("names") or (arg.get("List") or {}).get("items")
    if not names or len(names) != 1 or "String" not in names[0]:
        return
    bare = names[0]["String"]["sval"]
    found: str | None = None
    if key == "function":
        # LookupFuncName with the operand types: the first schema with that signature.
        wanted = tuple(a for a in args if a != "NONE")
        found = next(
            (s for s in path if ObjectId(ids.FUNCTION, s, bare, args=wanted) in ctx.objects), None
        )
    elif key in ("restrict", "join"):
        found = next((s for s in path if any(o.schema == s and o.name == bare
                                             for o in ctx.objects.of_kind(ids.FUNCTION))),
                     None)  # fmt: skip
    elif key in ("commutator", "negator"):
        found = _other_operator(ctx, path, bare, args if key == "negator" else args[::-1], schema)
    if found is not None:
        qualified = [{"String": {"sval": found}}, names[0]]
        elem["arg"] = (
            {"TypeName": {**arg["TypeName"], "names": qualified}}
            if "TypeName" in arg
            else {"List": {"items": qualified}}
        )


def _other_operator(
    ctx: BuildContext, path: list[str], name: str, args: tuple[str, str], schema: str
) -> str | None:
    """Where a commutator or negator named bare is (get_other_operator): the first schema of
    the path with an operator of exactly these operand types, else a shell is made in the
    creation schema. None when a built-in may be the one (pg_catalog is searched first)."""
    if name in BUILTIN_OPERATOR_NAMES and all(a == "NONE" or "." not in a for a in args):
        return None
    for candidate in path:
        if ObjectId(ids.OPERATOR, candidate, name, args=args) in ctx.objects:
            return candidate
    return ctx.creation_schema if ctx.creation_schema is not None else schema


@handles("CreateAmStmt")
def build_access_method(ctx: BuildContext, node: Node) -> None:
    ctx.add(
        model.AccessMethod(
            id=ObjectId(ids.ACCESS_METHOD, None, node["amname"]),
            definition=statement_tree("CreateAmStmt", node),
            **ctx.span_fields(),
        )
    )


@handles("CreateOpClassStmt")
def build_operator_class(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["opclassname"])
    method = node["amname"]
    if node.get("opfamilyname"):
        family_schema, family_name = ctx.qualified(node["opfamilyname"])
    else:
        # Without FAMILY the class joins a family of its own name, created if need be
        # (docs: CREATE OPERATOR CLASS); pg_dump writes that family out explicitly.
        family_schema, family_name = schema, name
        family = ObjectId(ids.OPERATOR_FAMILY, schema, name, args=(method,))
        if family not in ctx.objects:
            ctx.add(
                model.OperatorFamily(
                    id=family,
                    definition=_family_definition(schema, name, method, ()),
                    **ctx.span_fields(),
                )
            )
    items = [_with_operand_types(ctx, item, node) for item in node.get("items") or ()]
    ctx.add(
        model.OperatorClass(
            id=ObjectId(ids.OPERATOR_CLASS, schema, name, args=(method,)),
            definition=statement_tree(
                "CreateOpClassStmt",
                node,
                opclassname=name_list(schema, name),
                opfamilyname=name_list(family_schema, family_name),
                items=sorted_nodes(items),
            ),
            **ctx.span_fields(),
        )
    )


def _with_operand_types(ctx: BuildContext, item: Node, opclass: Node) -> Node:
    """An operator class member with the operand types PostgreSQL fills in when they are left
    out (opclasscmds.c, assignOperTypes/assignProcTypes), as pg_dump prints them: an operator's
    are the class's type; a support function's are its argument types for B-tree comparison
    (1) and in_range (3) functions and hash functions, the class's type otherwise."""
    member = dict(item["CreateOpClassItem"])
    datatype = {"TypeName": opclass["datatype"]}
    itemtype = member.get("itemtype")
    name = member.get("name")
    if itemtype == 1 and name is not None and not name.get("objargs"):
        member["name"] = {**name, "objargs": [datatype, datatype]}
    elif itemtype == 2 and not member.get("class_args"):
        args = (name or {}).get("objargs") or []
        method, number = opclass["amname"], member.get("number")
        if method == "btree" and number == 1 and len(args) == 2:
            member["class_args"] = args
        elif method == "btree" and number == 3 and len(args) >= 3:
            member["class_args"] = [args[0], args[2]]
        elif method == "hash" and args:
            member["class_args"] = [args[0], args[0]]
        else:
            member["class_args"] = [datatype, datatype]
    return {"CreateOpClassItem": member}


@handles("CreateOpFamilyStmt")
def build_operator_family(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["opfamilyname"])
    ctx.add(
        model.OperatorFamily(
            id=ObjectId(ids.OPERATOR_FAMILY, schema, name, args=(node["amname"],)),
            definition=_family_definition(schema, name, node["amname"], ()),
            **ctx.span_fields(),
        )
    )


@handles("AlterOpFamilyStmt")
def build_alter_operator_family(ctx: BuildContext, node: Node) -> None:
    schema, name = ctx.qualified(node["opfamilyname"])
    method = node["amname"]
    oid = ObjectId(ids.OPERATOR_FAMILY, schema, name, args=(method,))
    family = ctx.require(oid, "ALTER OPERATOR FAMILY")
    assert isinstance(family, model.DefinedObject)
    members = {_member_key(m): m for m in _family_members(family.definition.tree)}
    for item in node.get("items") or ():
        member = canonical(item)
        if node.get("isDrop"):
            members.pop(_member_key(member), None)
        else:
            members[_member_key(member)] = member
    ctx.update(oid, definition=_family_definition(schema, name, method, members.values()))


def _family_definition(schema: str, name: str, method: str, members: Iterable[Tree]) -> Expr:
    header = {"opfamilyname": name_list(schema, name), "amname": method}
    items = tuple(sorted(members, key=repr))
    if not items:
        return expr_from_node({"CreateOpFamilyStmt": header})
    tree = canonical({"AlterOpFamilyStmt": header})
    return Expr((tree[0], (*tree[1], ("items", items))))


def _field(tree: Tree | None, name: str) -> Any:
    for key, value in tree[1] if tree else ():
        if key == name:
            return value
    return None


def _family_members(tree: Tree) -> tuple[Tree, ...]:
    return tuple(_field(tree, "items") or ()) if tree[0] == "AlterOpFamilyStmt" else ()


def _member_key(item: Tree) -> tuple[Any, ...]:
    """What identifies a family member: operator or support function, its strategy or
    support number, and the types it is registered for (``ADD OPERATOR 1 <(int4, int8)``
    and ``DROP OPERATOR 1 (int4, int8)`` name the same member)."""
    types = _field(item, "class_args") or _field(_field(item, "name"), "objargs") or ()
    return (
        _field(item, "itemtype"),
        _field(item, "number"),
        tuple(str(type_from_tree(t)) for t in types),
    )


@handles("AlterOperatorStmt")
def build_alter_operator(ctx: BuildContext, node: Node) -> None:
    """ALTER OPERATOR o (left, right) SET (RESTRICT = f, JOIN = g): the options given replace
    the definition's, ``= NONE`` removes one (docs: ALTER OPERATOR)."""
    from pgdrift.builder.acl import target_id  # noqa: PLC0415 - acl reaches most builders

    oid = target_id(ctx, "OBJECT_OPERATOR", {"ObjectWithArgs": node["opername"]})
    operator = ctx.require(oid, "ALTER OPERATOR")
    assert isinstance(operator, model.Operator)
    body = _statement(operator)
    elems = {e["DefElem"]["defname"]: e for e in body.get("definition") or []}
    for item in node.get("options") or ():
        elem = {**item["DefElem"], "defname": item["DefElem"]["defname"].lower()}
        if elem.get("arg") is None:
            elems.pop(elem["defname"], None)
            continue
        left, right = oid.args or ("NONE", "NONE")
        _resolve_reference(ctx, elem, oid.schema or "", (left, right))
        elems[elem["defname"]] = {"DefElem": elem}
    definition = sorted(elems.values(), key=lambda e: e["DefElem"]["defname"])
    ctx.update(oid, definition=statement_tree("DefineStmt", body, definition=definition))


def move_operator(ctx: BuildContext, oid: ObjectId, new_schema: str) -> None:
    """ALTER OPERATOR o (left, right) SET SCHEMA s: its definition's name, and the COMMUTATOR
    or NEGATOR of the operators that name it (itself included), follow; pg_operator holds
    them by OID."""
    new = ObjectId(ids.OPERATOR, new_schema, oid.name, args=oid.args)
    if new in ctx.objects:
        span = ctx.statement.span if ctx.statement else None
        raise DuplicateObjectError(already_exists(new), span=span)
    old_names = name_list(oid.schema or "", oid.name)
    new_names = name_list(new_schema, oid.name)
    old_tree = tuple(("String", (("sval", part),)) for part in (oid.schema or "", oid.name))
    new_tree = tuple(("String", (("sval", part),)) for part in (new_schema, oid.name))
    overloaded = any(o.schema == oid.schema and o.name == oid.name and o != oid
                     for o in ctx.objects.of_kind(ids.OPERATOR))  # fmt: skip

    def in_expressions(expr: Expr) -> Expr:
        # OPERATOR(s.~=) in a view or default names it by OID too; told apart from an
        # overload only by its operand types, which pgdrift does not resolve: left then.
        if overloaded:
            return expr
        return rewrite_fields(
            expr, {"A_Expr": ("name", lambda n: new_tree if n == old_tree else n)}
        )

    replace_references(ctx, {oid: new}, exprs=in_expressions)
    for other in ctx.objects.of_kind(ids.OPERATOR):
        operator = ctx.objects[other]
        assert isinstance(operator, model.Operator)
        body = _statement(operator)
        changed = False
        if other == new:
            body["defnames"], changed = new_names, True
        args = other.args or ()
        for item in body.get("definition") or []:
            elem = item["DefElem"]
            # A commutator takes the operands the other way round; a negator the same way.
            pointed = args[::-1] if elem["defname"] == "commutator" else args
            arg = elem.get("arg") or {}
            items = (arg.get("List") or {}).get("items")
            if elem["defname"] in ("commutator", "negator") and items == old_names and (
                tuple(pointed) == oid.args
            ):
                elem["arg"] = {"List": {"items": new_names}}
                changed = True
        if changed:
            ctx.update(other, definition=statement_tree("DefineStmt", body))


def operators_follow(ctx: BuildContext, routine: ObjectId, new: ObjectId) -> None:
    """The operators whose FUNCTION is ``routine`` name it as ``new`` once it is renamed or
    moved: pg_operator.oprcode holds its OID, pg_dump prints its name of the day."""
    names = name_list(new.schema or "", new.name)
    for oid in ctx.objects.of_kind(ids.OPERATOR):
        operator = ctx.objects[oid]
        if not isinstance(operator, model.Operator) or operator.function() != routine:
            continue
        body = _statement(operator)
        for item in body.get("definition") or []:
            arg = item["DefElem"].get("arg") or {}
            if item["DefElem"]["defname"] == "function" and "TypeName" in arg:
                arg["TypeName"]["names"] = names
            elif item["DefElem"]["defname"] == "function" and "List" in arg:
                arg["List"]["items"] = names
        ctx.update(oid, definition=statement_tree("DefineStmt", body))


def _statement(operator: model.Operator) -> dict[str, Any]:
    """The operator's CREATE OPERATOR as libpg_query JSON, to change and store again with
    :func:`~pgdrift.builder.nodes.statement_tree`."""
    return dict(to_json(operator.definition.tree)["DefineStmt"])
