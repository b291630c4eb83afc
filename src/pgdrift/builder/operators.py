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
from pgdrift.builder.registry import handles
from pgdrift.expr import Expr, Tree, canonical, expr_from_node, type_from_tree
from pgdrift.ids import ObjectId


def build_operator(ctx: BuildContext, node: Node) -> None:
    """CREATE OPERATOR (a ``DefineStmt``); its id carries the operand types, NONE for a
    missing side, since operators are overloaded on them."""
    schema, name = ctx.qualified(node["defnames"])
    elems = []
    sides: dict[str, str] = {}
    for item in node.get("definition") or ():
        elem = item["DefElem"]
        key = elem["defname"].lower()
        if key == "procedure":  # the older spelling of FUNCTION (docs: CREATE OPERATOR)
            key = "function"
        if key in ("leftarg", "rightarg"):
            sides[key] = str(ctx.type(elem["arg"]))
        elems.append({"DefElem": {**elem, "defname": key}})
    args = (sides.get("leftarg", "NONE"), sides.get("rightarg", "NONE"))
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
