"""Following a renamed object everywhere the catalogue refers to it.

PostgreSQL refers to objects by OID, so a RENAME reaches every reference at once; the model
refers by name, so each reference is rewritten here: object ids (a constraint's table, a
sequence's owning column...), type references (a column's type, a routine's argument types)
and, where asked, expression trees. :data:`RENAMERS` holds the RENAME handlers of
:mod:`pgdrift.builder.rename_kinds`, which :mod:`pgdrift.builder.renames` dispatches to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from pgdrift import ids, model
from pgdrift._expr_tree import get_field
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.expr import Expr
from pgdrift.ids import ObjectId
from pgdrift.types import TypeRef

__all__ = [
    "RENAMERS", "relabelled", "relabelled_by", "renamed_casts",
    "renamed_routine_texts", "replace_references", "rewrite_fields", "row_type_renamed",
    "type_renamed",
]  # fmt: skip

#: ``renameType`` of a RenameStmt (``OBJECT_TYPE``) -> its handler.
RENAMERS: dict[str, Callable[[BuildContext, Node], None]] = {}

TypeMap = Callable[[TypeRef], TypeRef]
ExprMap = Callable[[Expr], Expr]
#: Node name (``FuncCall``) -> the field that names something (``funcname``) and what the
#: field's value becomes.
FieldChanges = dict[str, tuple[str, Callable[[Any], Any]]]


def rewrite_fields(expr: Expr, changes: FieldChanges) -> Expr:
    """``expr`` with the named field of every node of a kind in ``changes`` changed (the
    other fields are rewritten in turn): how a name in a stored expression follows a rename.
    The same ``expr`` when nothing changed."""

    def rewrite(value: Any) -> Any:
        if type(value) is not tuple or not value:
            return value
        if type(value[0]) is str:
            name, fields = value
            field, change = changes.get(name, ("", None))
            return (name, tuple(
                (key, change(v) if change is not None and key == field else rewrite(v))
                for key, v in fields
            ))  # fmt: skip
        return tuple(rewrite(v) for v in value)

    tree = rewrite(expr.tree)
    return expr if tree == expr.tree else Expr(tree)


def relabelled(expr: Expr, enum: tuple[str, str], old: str, new: str) -> Expr:
    """``expr`` with each ``'old'::schema.enum`` constant reading ``'new'::schema.enum`` (the
    same ``expr`` when it has none)."""
    if old not in repr(expr.tree):
        return expr
    return relabelled_by(expr, enum, lambda text: new if text == old else text)


def relabelled_by(expr: Expr, of_type: tuple[str, str], label: Callable[[str], str]) -> Expr:
    """``expr`` with each string constant cast to the type ``of_type`` (schema, name) read
    through ``label``: an enum's label renamed, a ``'s.docs'::regconfig`` whose object moved
    (PostgreSQL stores the value, the label's or the object's OID, and prints its name of the
    day). The same ``expr`` when none changes."""
    names = (("String", (("sval", of_type[0]),)), ("String", (("sval", of_type[1]),)))

    def rewrite(value: Any) -> Any:
        if type(value) is not tuple or not value:
            return value
        if type(value[0]) is not str:
            return tuple(rewrite(v) for v in value)
        kind, fields = value
        if kind == "TypeCast":
            found = dict(fields)
            type_name = dict(found.get("typeName", (None, ()))[1])
            arg = found.get("arg")
            string = get_field(arg, "sval") if arg is not None and arg[0] == "A_Const" else None
            if type_name.get("names") == names and not type_name.get("arrayBounds") and string:
                text = get_field(string, "sval")
                relabel = ("A_Const", (("sval", ("String", (("sval", label(text)),))),))
                return (kind, tuple((k, relabel if k == "arg" else v) for k, v in fields))
        return (kind, tuple((k, rewrite(v)) for k, v in fields))

    tree = rewrite(expr.tree)
    return expr if tree == expr.tree else Expr(tree)


def type_renamed(
    ctx: BuildContext, old: tuple[str, str], new: tuple[str, str]
) -> tuple[dict[ObjectId, ObjectId], TypeMap]:
    """A type, or a relation's row type, renamed or moved from ``(schema, name)`` ``old`` to
    ``new``: the routines and operators whose argument types name it or its array (their
    identity changes with it), and the map of every type reference to it (PostgreSQL
    stores the type's OID, so a column or a routine's result of that type follows)."""
    old_text, new_text = str(TypeRef(*old)), str(TypeRef(*new))
    renamed = {old_text: new_text, f"{old_text}[]": f"{new_text}[]"}
    mapping = {oid: attrs.evolve(oid, args=tuple(renamed.get(a, a) for a in oid.args))
               for oid in ctx.objects
               if oid.args and any(a in renamed for a in oid.args)}  # fmt: skip

    def retype(ref: TypeRef) -> TypeRef:
        if (ref.schema, ref.name) == old and not ref.pct_type:
            return attrs.evolve(ref, schema=new[0], name=new[1])
        return ref

    return {**mapping, **renamed_casts(ctx, retype)}, retype


def renamed_casts(ctx: BuildContext, retype: TypeMap) -> dict[ObjectId, ObjectId]:
    """The casts from or to a renamed or moved type: a cast is named by its two types (its
    row in pg_cast holds their OIDs), so its id follows them."""
    mapping = {}
    for oid in ctx.objects.of_kind(ids.CAST):
        cast = ctx.objects[oid]
        assert isinstance(cast, model.Cast)
        ends = (retype(cast.source), retype(cast.target))
        if ends != (cast.source, cast.target):
            mapping[oid] = attrs.evolve(oid, name=f"{ends[0]} AS {ends[1]}")
    return mapping


def row_type_renamed(ctx: BuildContext, old: tuple[str, str], new: tuple[str, str]) -> None:
    """A relation renamed or moved takes its row type along (:func:`type_renamed`): only the
    objects that refer to it are rewritten, found from the catalogue's index (a relation's
    rename is frequent in a migration folder, a use of its row type is not)."""
    holders = ctx.objects.typing(*old)
    if not holders:
        return
    signatures, retype = type_renamed(ctx, old, new)
    replace_references(ctx, signatures, types=retype, within=None if signatures else holders)


def replace_references(
    ctx: BuildContext,
    mapping: dict[ObjectId, ObjectId],
    *,
    types: TypeMap | None = None,
    exprs: ExprMap | None = None,
    within: Iterable[ObjectId] | None = None,
) -> None:
    """Every reference to an id in ``mapping``, anywhere in the catalogue, to its new id;
    every type reference through ``types`` and expression through ``exprs`` when given.

    ``within``, when the caller knows which objects can hold such a reference (from the
    catalogue's indexes), limits the walk to them: walking every object of a large catalogue
    for each rename is what made a long migration folder slow (quadratic in its renames).
    """
    replace = _Replacer(mapping, types, exprs)
    if within is not None and not any(oid in ctx.objects for oid in mapping):
        for oid in within:
            obj = ctx.objects.get(oid)
            if obj is not None:
                ctx.objects[oid] = replace(obj)
    elif types is None and exprs is None:
        # Only ids change: the objects that hold one are all there is to rewrite.
        for oid in ctx.objects.holding(mapping):
            ctx.objects[oid] = replace(ctx.objects[oid])
        ctx.objects.rekey(mapping)
    else:
        objects = {}
        for oid, obj in ctx.objects.items():
            objects[mapping.get(oid, oid)] = replace(obj)
        ctx.objects.clear()
        ctx.objects.update(objects)
    if any(oid in ctx.acl_ops for oid in mapping):
        ctx.acl_ops = {mapping.get(k, k): v for k, v in ctx.acl_ops.items()}
    if any(oid in ctx.implicit for oid in mapping):
        ctx.implicit = {mapping.get(k, k) for k in ctx.implicit}
    if any(oid.kind == ids.CONSTRAINT for oid in mapping):
        ctx.constraint_names = {
            (new.schema, new.name) if (new := mapping.get(v, v)) != v else key: new
            for key, v in ctx.constraint_names.items()
        }


@attrs.frozen
class _Replacer:
    mapping: dict[ObjectId, ObjectId]
    types: TypeMap | None
    exprs: ExprMap | None

    def __call__(self, value: Any) -> Any:
        if isinstance(value, ObjectId):
            return self.mapping.get(value, value)
        if isinstance(value, TypeRef):
            return value if self.types is None else self.types(value)
        if isinstance(value, Expr):
            return value if self.exprs is None else self.exprs(value)
        if isinstance(value, tuple):
            replaced = tuple(self(v) for v in value)
            return value if all(a is b for a, b in zip(replaced, value, strict=True)) else replaced
        if isinstance(value, model.Columns):
            ordered = self(value.ordered)
            return value if ordered is value.ordered else model.Columns(ordered)
        if not attrs.has(type(value)):
            return value
        changes = {}
        for field in attrs.fields(type(value)):
            if not field.init:
                continue
            current = getattr(value, field.name)
            new = self(current)
            if new is not current:
                changes[field.name] = new
        return attrs.evolve(value, **changes) if changes else value


def renamed_routine_texts(
    ctx: BuildContext,
    moved: Callable[[str], str],
    *,
    triggers: bool = True,
    aggregates: bool = True,
) -> None:
    """Trigger and event trigger functions and an aggregate's support functions, which the
    model keeps as qualified names (PostgreSQL holds their OIDs), through ``moved`` (a
    qualified name to its new text) when a routine is renamed or moved, or its schema.
    ``triggers``/``aggregates`` False leaves those alone (the routine is not theirs)."""
    for oid, obj in list(ctx.objects.items()):
        if triggers and isinstance(obj, (model.Trigger, model.EventTrigger)):
            function = moved(obj.function)
            if function != obj.function:
                ctx.objects[oid] = attrs.evolve(obj, function=function)
        elif aggregates and isinstance(obj, model.Aggregate):
            support = model.Aggregate.SUPPORT_FUNCTIONS
            options = tuple(
                (key, moved(value)) if key in support and isinstance(value, str) else (key, value)
                for key, value in obj.options
            )
            if options != obj.options:
                ctx.objects[oid] = attrs.evolve(obj, options=options)

