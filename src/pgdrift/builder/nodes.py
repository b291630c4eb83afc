"""Reading and writing libpg_query's JSON parse tree, the input of every statement builder.

A node is a ``dict`` with one key, its type (``{"CreateStmt": {...}}``). Builders read this
JSON rather than pglast's Python AST: json.loads is several times faster than building AST
objects, and a dump holds tens of thousands of statements.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from pgdrift import model
from pgdrift._expr_tree import node_slots
from pgdrift.errors import ModelError
from pgdrift.expr import Expr, canonical, expr_from_node
from pgdrift.types import type_from_node

__all__ = [
    "Node",
    "changed_options",
    "const_value",
    "def_elems",
    "equal_key",
    "name_list",
    "node_type",
    "option_text",
    "options_of",
    "put_field",
    "reloptions_of",
    "sorted_nodes",
    "statement_tree",
    "strings",
    "unwrap",
]

Node = dict[str, Any]


def equal_key(value: Any) -> str:
    """What PostgreSQL's equal() compares of parse nodes, as one string: their JSON with the
    locations left out."""
    return json.dumps(_without_locations(value), sort_keys=True)


def _without_locations(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_locations(v) for k, v in value.items() if k != "location"}
    if isinstance(value, list | tuple):
        return [_without_locations(v) for v in value]
    return value


def put_field(body: Node, node_class: str, field: str, value: Any) -> None:
    """Set ``field`` of a node's body, in the place libpg_query writes it: trees compare field
    by field in order, so a field added at the end would make equal nodes differ.

    Example:
        >>> body = {"relname": "t", "inh": True}
        >>> put_field(body, "RangeVar", "schemaname", "public")
        >>> list(body)
        ['schemaname', 'relname', 'inh']
    """
    order = list(node_slots()[node_class])  # struct order, which libpg_query's JSON follows
    body[field] = value
    rank = {name: index for index, name in enumerate(order)}
    ordered = sorted(body.items(), key=lambda kv: rank.get(kv[0], len(order)))
    body.clear()
    body.update(ordered)


def strings(nodes: Iterable[Node] | None) -> list[str]:
    """The values of a list of ``{"String": {"sval": ...}}`` nodes.

    Example:
        >>> strings([{"String": {"sval": "public"}}, {"String": {"sval": "t"}}])
        ['public', 't']
    """
    # Interned: the same schema, table and type names recur in thousands of statements, and
    # each JSON decode makes a new string; the model keeps one copy of each.
    if not nodes:
        return []  # most key lists of a constraint are absent
    intern = sys.intern
    return [intern(n["String"]["sval"]) for n in nodes if "String" in n]


def name_list(*parts: str) -> list[Node]:
    """A qualified-name list of String nodes, the inverse of :func:`strings`.

    Example:
        >>> strings(name_list("public", "t"))
        ['public', 't']
    """
    return [{"String": {"sval": part}} for part in parts]


def unwrap(node: Node, name: str) -> Node:
    """The inside of a ``{name: {...}}`` wrapper (or the node itself if it is bare).

    Example:
        >>> unwrap({"TypeName": {"typemod": -1}}, "TypeName")
        {'typemod': -1}
    """
    inner = node.get(name)
    return inner if isinstance(inner, dict) else node


def node_type(node: Node) -> str:
    """The node's type name: its only key.

    Example:
        >>> node_type({"CreateStmt": {}})
        'CreateStmt'
    """
    return next(iter(node))


def def_elems(options: Iterable[Node] | None) -> dict[str, Node | None]:
    """A list of DefElem nodes as ``{defname: arg}``.

    Example:
        >>> def_elems([{"DefElem": {"defname": "cycle"}}])
        {'cycle': None}
    """
    result: dict[str, Node | None] = {}
    for option in options or ():
        elem = option["DefElem"]
        result[elem["defname"]] = elem.get("arg")
    return result


def const_value(node: Node | None) -> Any:
    """The Python value of an A_Const/String/Integer/Float/Boolean node (None for NULL).

    Example:
        >>> const_value({"A_Const": {"ival": {"ival": 7}}})
        7
        >>> const_value({"A_Const": {"ival": {}}})  # libpg_query leaves a zero out
        0
    """
    if node is None:
        return None
    name = node_type(node)
    inner = node[name]
    if name == "A_Const":
        if inner.get("isnull"):
            return None
        for key in ("sval", "ival", "fval", "boolval", "bsval"):
            if key in inner:
                return const_value({_CONST_NODES[key]: inner[key]})
        return 0  # libpg_query omits ival 0 entirely
    if name == "String":
        return inner.get("sval", "")
    if name == "Integer":
        return inner.get("ival", 0)
    if name == "Float":
        return float(inner.get("fval", "0"))
    if name == "Boolean":
        return bool(inner.get("boolval", False))
    if name == "BitString":
        return inner.get("bsval", "")
    if name == "TypeCast":
        return const_value(inner.get("arg"))
    return None


_CONST_NODES = {"sval": "String", "ival": "Integer", "fval": "Float", "boolval": "Boolean",
                "bsval": "BitString"}  # fmt: skip


def option_text(arg: Node | None) -> str | None:
    """A DefElem argument as text: strings, numbers, type names, qualified names.

    Example:
        >>> option_text({"Boolean": {"boolval": True}})
        'true'
        >>> option_text({"List": {"items": [{"String": {"sval": "s"}}, {"String": {"sval": "f"}}]}})
        's.f'
    """
    if arg is None:
        return None
    name = node_type(arg)
    inner = arg[name]
    if name in ("String", "Integer", "Float", "Boolean", "A_Const", "TypeCast"):
        value = const_value(arg)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and name == "Float":
            return str(inner.get("fval", value))
        return None if value is None else str(value)
    if name == "TypeName":
        return str(type_from_node(inner))
    if name == "List":
        return ".".join(option_text(i) or "" for i in inner.get("items", ()))
    if name == "A_Star":
        return "*"
    return str(expr_from_node(arg).sql)


def options_of(nodes: Iterable[Node] | None) -> model.Options:
    """DefElem options as a sorted ``((name, text), ...)`` tuple (``WITH (fillfactor=70)``).

    Example:
        >>> options_of([
        ...     {"DefElem": {"defname": "fillfactor", "arg": {"Integer": {"ival": 70}}}},
        ...     {"DefElem": {"defname": "autovacuum_enabled", "arg": {"String": {"sval": "off"}}}},
        ... ])
        (('autovacuum_enabled', 'off'), ('fillfactor', '70'))
    """
    if not nodes:
        return ()  # most statements have none (72,000 calls a 5,000-table dump)
    items = []
    for option in nodes:
        elem = option["DefElem"]
        name = elem["defname"]
        if elem.get("defnamespace"):
            name = f"{elem['defnamespace']}.{name}"
        items.append((name, option_text(elem.get("arg"))))
    return tuple(sorted(items, key=lambda kv: (kv[0], kv[1] or "")))


def changed_options(current: model.Options, nodes: Iterable[Node] | None) -> model.Options:
    """``current`` generic options (a foreign table's, column's, server's...) changed by
    ``OPTIONS (ADD a 'x', SET b 'y', DROP c)`` as PostgreSQL applies it (transformGenericOptions:
    a bare option is ADD); an ADD of one there or a SET/DROP of one missing is refused.

    Example:
        >>> changed_options((("a", "1"), ("c", "3")), [
        ...     {"DefElem": {"defname": "b", "arg": {"String": {"sval": "2"}}}},
        ...     {"DefElem": {"defname": "c", "defaction": "DEFELEM_DROP"}},
        ... ])
        (('a', '1'), ('b', '2'))
    """
    options = dict(current)
    for option in nodes or ():
        elem = option["DefElem"]
        name, action = elem["defname"], elem.get("defaction", "DEFELEM_UNSPEC")
        if action in ("DEFELEM_SET", "DEFELEM_DROP") and name not in options:
            raise ModelError(f'option "{name}" not found')
        if action in ("DEFELEM_ADD", "DEFELEM_UNSPEC") and name in options:
            raise ModelError(f'option "{name}" provided more than once')
        if action == "DEFELEM_DROP":
            del options[name]
        else:
            options[name] = option_text(elem.get("arg"))
    return tuple(sorted(options.items(), key=lambda kv: (kv[0], kv[1] or "")))


def reloptions_of(nodes: Iterable[Node] | None) -> model.Options:
    """Storage parameters (``WITH (...)`` of a table, index, view or column) as PostgreSQL
    stores them: a parameter given without a value is ``true`` (transformRelOptions), so
    ``WITH (security_barrier)`` is ``security_barrier=true``.

    Example:
        >>> reloptions_of([{"DefElem": {"defname": "security_barrier"}}])
        (('security_barrier', 'true'),)
    """
    return tuple((name, "true" if value is None else value) for name, value in options_of(nodes))


def sorted_nodes(nodes: Iterable[Node] | None) -> list[Node]:
    """JSON nodes in the order of their canonical trees (positions do not count).

    Example:
        >>> sorted_nodes([{"String": {"sval": "b"}}, {"String": {"sval": "a"}}])
        [{'String': {'sval': 'a'}}, {'String': {'sval': 'b'}}]
    """
    return sorted(nodes or (), key=lambda n: repr(canonical(n)))


def statement_tree(statement: str, node: Node, **replaced: Any) -> Expr:
    """The canonical tree of ``{statement: node}`` with some fields replaced (or, given None,
    removed): the ``definition`` of a :class:`~pgdrift.model.DefinedObject`.

    Example:
        >>> node = {"plname": "plsample", "replace": True}
        >>> tree = statement_tree("CreatePLangStmt", node, replace=None)
        >>> tree == statement_tree("CreatePLangStmt", {"plname": "plsample"})
        True
    """
    body = {k: v for k, v in node.items() if k not in replaced}
    body.update({k: v for k, v in replaced.items() if v is not None})
    return expr_from_node({statement: body})
