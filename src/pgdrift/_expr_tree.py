"""Canonical trees: libpg_query's JSON as hashable tuples without source positions, and back.

The tree mirrors the JSON one to one, so it can be turned back into pglast's AST and printed:

* a node is ``(class_name, ((field, value), ...))`` with fields in libpg_query's order;
* a list is a tuple of nodes (JSON lists only hold nodes, a nested list being a ``List`` node,
  and ``{}`` for a NULL item, which becomes None);
* anything else is a JSON scalar (str, int, float, bool).

JSON leaves out the node wrapper where a field's node type is fixed (``"typeName": {...}``) and
flattens ``A_Const``; the tree names the class of every node either way. This module knows the
shape only: :mod:`pgdrift.expr` brings the normalisation rules applied while converting, and
:mod:`pgdrift._expr_display` prints a tree back as SQL.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from sys import intern
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pglast import ast

__all__ = [
    "Rule",
    "Tree",
    "get_field",
    "node_classes",
    "node_slots",
    "sharing_trees",
    "to_json",
    "tree_from_json",
    "walk",
]

#: A canonical tree: ``(class_name, ((field, value), ...))``; see the module docstring.
Tree = tuple[Any, ...]
#: A normalisation pass: a pure function from a node to its normal form.
Rule = Callable[[Tree], Tree]


# --- What the JSON leaves implicit, read once from pglast's AST classes ----------------------
# pglast.ast is imported on first need, not with this module: a diff read from the cache
# compares trees that are already built and never needs pglast at all (docs/performance.md).


@functools.cache
def node_classes() -> dict[str, type[ast.Node]]:
    """pglast's AST class for each node class name."""
    from pglast import ast  # noqa: PLC0415 - see above

    return {
        name: cls
        for name, cls in vars(ast).items()
        if isinstance(cls, type)
        and issubclass(cls, ast.Node)
        and isinstance(vars(cls).get("__slots__"), dict)
    }


@functools.cache
def node_slots() -> dict[str, dict[str, Any]]:
    """Each concrete class's fields with pglast's SlotTypeInfo(c_type, py_type, adaptor)."""
    return {name: vars(cls)["__slots__"] for name, cls in node_classes().items()}


def _bare_fields() -> dict[str, dict[str, str]]:
    # A field typed as one specific node struct (RangeVar*, TypeName*) is written without the
    # {"Class": ...} wrapper; Node*, Expr* and List* items always carry it (pg_query outfuncs).
    classes = node_classes()
    fields: dict[str, dict[str, str]] = {}
    for name, slots in node_slots().items():
        for field, info in slots.items():
            base = info.c_type.rstrip("*")
            if base in classes and base not in ("Node", "Expr", "List", "ValUnion"):
                fields.setdefault(name, {})[field] = base
    # A_Const's value union is flattened: {"ival": {"ival": 1}}, {"sval": {"sval": "x"}}...
    fields["A_Const"] = {
        "ival": "Integer",
        "sval": "String",
        "fval": "Float",
        "boolval": "Boolean",
        "bsval": "BitString",
    }
    return fields


# Filled by _load_tables() before the first conversion (the converters read them as globals).
_BARE: dict[str, dict[str, str]] = {}
# Source positions: every ParseLoc field plus the statement length. CreateTableSpaceStmt has a
# text field called "location" (the directory), so only integers are dropped.
_POSITIONS: set[str] = set()
_CLASS_NAMES: set[str] = set()


def _load_tables() -> None:
    if not _BARE:
        _CLASS_NAMES.update(node_classes())
        _POSITIONS.update(
            {"stmt_len"}
            | {
                field
                for slots in node_slots().values()
                for field, info in slots.items()
                if info.c_type == "ParseLoc"
            }
        )
        _BARE.update(_bare_fields())


# --- JSON -> tree ----------------------------------------------------------------------------

_SHARED_TREES: ContextVar[dict[Tree, Tree] | None] = ContextVar("_SHARED_TREES", default=None)
# While sharing_trees() runs: what a JSON node (by its marshal bytes) was made into
# (pgdrift.expr).
SHARED_RESULTS: ContextVar[dict[bytes, Any] | None] = ContextVar("SHARED_RESULTS", default=None)
# While :func:`recording_rules` runs: the names of the rules that changed a node.
_APPLIED: ContextVar[set[str] | None] = ContextVar("_APPLIED", default=None)


@contextlib.contextmanager
def recording_rules() -> Iterator[set[str]]:
    """Inside the block, the names of the normalisation rules that changed a node of a tree
    built from JSON are added to the set it yields (which written forms were made one)."""
    applied: set[str] = set()
    token = _APPLIED.set(applied)
    try:
        yield applied
    finally:
        _APPLIED.reset(token)


def _convert(name: str, body: Mapping[str, Any], rules: Mapping[str, tuple[Rule, ...]]) -> Tree:
    bare = _BARE.get(name)
    pairs: list[tuple[str, Any]] = []
    for json_key, value in body.items():
        # json.loads makes new key and name strings for every statement; a dump repeats the
        # same few thousand of them in tens of thousands of trees, so share one copy of each.
        key = intern(json_key)
        kind = type(value)
        if kind is dict:
            if bare is not None and key in bare:
                pairs.append((key, _convert(bare[key], value, rules)))
            else:
                ((inner, inner_body),) = value.items()
                pairs.append((key, _convert(inner, inner_body, rules)))
        elif kind is list:
            items = [_convert(*_only_item(item), rules) if item else None for item in value]
            pairs.append((key, tuple(items)))
        elif kind is str:
            pairs.append((key, intern(value)))
        elif kind is not int or key not in _POSITIONS:
            pairs.append((key, value))
    node = (intern(name), tuple(pairs))
    for rule in rules.get(name, ()):
        changed = rule(node)
        if changed is not node:
            applied = _APPLIED.get()
            if applied is not None:
                applied.add(rule.__name__)
            node = changed
    return _share(node)


def _share(node: Tree) -> Tree:
    """While a load runs (:func:`sharing_trees`), one object for each distinct subtree: a dump
    repeats the same type names, column references and literals tens of thousands of times."""
    shared = _SHARED_TREES.get()
    if shared is None:
        return node
    return shared.setdefault(node, node)


def _only_item(wrapped: Mapping[str, Any]) -> tuple[str, Any]:
    ((name, body),) = wrapped.items()
    return name, body


_RAW_STMT_KEYS = frozenset({"stmt", "stmt_len", "stmt_location"})


def _root(node: Any) -> tuple[str, Any]:
    if isinstance(node, dict):
        if "stmt" in node and node.keys() <= _RAW_STMT_KEYS:
            return _root(node["stmt"])  # a RawStmt as listed in a parse result's "stmts"
        if len(node) == 1:
            name, body = next(iter(node.items()))
            if name in _CLASS_NAMES:
                return name, body
    raise TypeError(f"not a libpg_query node: {str(node)[:80]}")


def tree_from_json(node: Any, rules: Mapping[str, tuple[Rule, ...]]) -> Tree:
    """The tree of a JSON node (``{"A_Expr": {...}}``, a parse result's ``{"stmt": ...}`` entry,
    or a list of nodes) with positions dropped and ``rules`` (by node class) applied to each node
    once its children are converted."""
    if not _BARE:
        _load_tables()
    if isinstance(node, (list, tuple)):
        return tuple(tree_from_json(item, rules) for item in node)
    return _convert(*_root(node), rules)


@contextlib.contextmanager
def sharing_trees() -> Iterator[None]:
    """Inside the block, trees built from JSON share one copy of every equal subtree.

    A dump repeats the same defaults, casts and checks thousands of times; sharing their
    (immutable) trees takes about a third off the memory a load keeps. The table of shared
    trees lives only as long as the block.
    """
    token = _SHARED_TREES.set({})
    results = SHARED_RESULTS.set({})
    try:
        yield
    finally:
        SHARED_RESULTS.reset(results)
        _SHARED_TREES.reset(token)


# --- Reading a tree --------------------------------------------------------------------------


def get_field(node: Tree, field: str) -> Any:
    """The value of ``field`` in a node, or None when the JSON left it out."""
    for key, value in node[1]:
        if key == field:
            return value
    return None


def walk(tree: Tree) -> Iterator[Tree]:
    """Every node of a tree, parents before children."""
    stack: list[Any] = [tree]
    while stack:
        value = stack.pop()
        if type(value) is not tuple or not value:
            continue
        if type(value[0]) is str:
            yield value
            stack.extend(v for _, v in reversed(value[1]))
        else:
            stack.extend(reversed(value))


# --- Tree -> JSON ----------------------------------------------------------------------------


def to_json(tree: Tree) -> Any:
    """The libpg_query JSON of a tree (a wrapped node; a tuple of trees gives a list)."""
    if not _BARE:
        _load_tables()
    if tree and type(tree[0]) is not str:
        return [to_json(item) for item in tree]
    return {tree[0]: _json_body(tree)}


def _json_body(node: Tree) -> dict[str, Any]:
    name, pairs = node
    bare = _BARE.get(name, {})
    body: dict[str, Any] = {}
    for key, value in pairs:
        if type(value) is not tuple:
            body[key] = value
        elif value and type(value[0]) is str:
            body[key] = _json_body(value) if key in bare else {value[0]: _json_body(value)}
        else:
            body[key] = [{} if item is None else {item[0]: _json_body(item)} for item in value]
    return body
