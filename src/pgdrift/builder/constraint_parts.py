"""Parts of a constraint definition that hand-written DDL has and pg_dump never writes:
attribute clauses after a column constraint, ``ADD CONSTRAINT ... USING INDEX``, and the key
that ``REFERENCES t`` without columns means (docs: CREATE TABLE, ALTER TABLE)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node, equal_key, strings
from pgdrift.builder.registry import NotModelled
from pgdrift.ids import ObjectId

__all__ = ["adopt_index", "primary_key_columns", "with_attributes", "without_redundant_indexes"]

_INDEX_BACKED = ("CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_EXCLUSION")

# DEFERRABLE, NOT DEFERRABLE, INITIALLY DEFERRED / IMMEDIATE written after a column
# constraint: the grammar makes each a constraint of its own, and PostgreSQL folds it into
# the constraint before it (transformConstraintAttrs): field and value it sets.
_ATTRIBUTES = {
    "CONSTR_ATTR_DEFERRABLE": ("deferrable", True),
    "CONSTR_ATTR_NOT_DEFERRABLE": ("deferrable", False),
    "CONSTR_ATTR_DEFERRED": ("initdeferred", True),
    "CONSTR_ATTR_IMMEDIATE": ("initdeferred", False),
}


def with_attributes(items: Sequence[Node] | None) -> list[Node]:
    """A column's constraint list with its attribute clauses folded into the constraint each
    follows (INITIALLY DEFERRED implies DEFERRABLE)."""
    if not items or not any(item["Constraint"]["contype"] in _ATTRIBUTES for item in items):
        return list(items or ())  # nothing to fold: the constraints as they are
    result: list[Node] = []
    for item in items:
        constraint = item["Constraint"]
        attribute = _ATTRIBUTES.get(constraint["contype"])
        if attribute is None:
            result.append({"Constraint": dict(constraint)})
            continue
        if not result:
            raise NotModelled(f"{constraint['contype']} follows no constraint")
        previous = result[-1]["Constraint"]
        field, value = attribute
        previous[field] = value
        if field == "initdeferred" and value:
            previous["deferrable"] = True
    return result


def adopt_index(
    ctx: BuildContext, table: ObjectId, node: Node, fields: dict[str, Any]
) -> list[str]:
    """``ADD CONSTRAINT ... PRIMARY KEY | UNIQUE USING INDEX i``: the constraint takes the
    unique index over (renamed to the constraint's name), with its columns, INCLUDE columns,
    storage parameters, tablespace and comment; the key columns it returns."""
    schema = table.schema or ctx.creation_schema
    index_id = ctx.find_index(schema, node["indexname"])
    index = ctx.get(index_id) if index_id is not None else None
    what = "ALTER TABLE ADD CONSTRAINT USING INDEX"
    if not isinstance(index, model.Index):
        ctx.require(ObjectId(ids.INDEX, schema, node["indexname"]), what)
        raise NotModelled(f"{what} of an index that is a constraint's")
    if (
        index.table != table
        or not index.unique
        or index.where is not None
        or any(e.column is None for e in index.elements)
    ):
        raise NotModelled(f"{what} of an index PostgreSQL would refuse")
    fields.update(include=index.include, index_options=index.options,
                  index_tablespace=index.tablespace)  # fmt: skip
    if index.comment is not None:
        fields["index_comment"] = index.comment
    fields["nulls_not_distinct"] = index.nulls_not_distinct
    del ctx.objects[index.id]
    ctx.acl_ops.pop(index.id, None)
    return [str(e.column) for e in index.elements]


def primary_key_columns(ctx: BuildContext, table: ObjectId) -> tuple[str, ...]:
    """``REFERENCES t`` without columns means t's primary key columns; PostgreSQL resolves
    them when the foreign key is made, and pg_dump writes them."""
    for oid in ctx.objects.linked_to(table):
        obj = ctx.objects[oid]
        if (
            isinstance(obj, model.Constraint)
            and obj.table == table
            and obj.type == model.Constraint.PRIMARY_KEY
        ):
            return obj.columns
    return ()


def without_redundant_indexes(constraints: list[Node]) -> list[Node]:
    """The constraints of one CREATE TABLE (or ADD COLUMN) less each PRIMARY KEY, UNIQUE or
    EXCLUDE constraint equal to one before it, the primary key counting as first.

    transformIndexConstraints keeps one index for such constraints when their key elements,
    INCLUDE columns, WHERE, exclusion operators, access method, NULLS NOT DISTINCT and
    deferrability are all equal (index options and tablespace are not compared); the one kept
    takes the name of a later one when it has none itself (``PRIMARY KEY (a), CONSTRAINT u
    UNIQUE (a)`` makes the primary key ``u``).
    """
    backed = [i for i, c in enumerate(constraints) if c["contype"] in _INDEX_BACKED]
    if len(backed) < 2:
        return constraints  # nothing to compare (pg_dump adds its keys one ALTER at a time)
    primary = [i for i in backed if constraints[i]["contype"] == "CONSTR_PRIMARY"][:1]
    result: dict[int, Node] = dict(enumerate(constraints))
    kept: list[tuple[str, int]] = []
    for i in primary + [i for i in backed if i not in primary]:
        key = _index_key(constraints[i])
        prior = next((j for k, j in kept if k == key), None)
        if prior is None:
            kept.append((key, i))
            continue
        if not result[prior].get("conname") and constraints[i].get("conname"):
            result[prior] = {**result[prior], "conname": constraints[i]["conname"]}
        del result[i]
    return list(result.values())


def _index_key(constraint: Node) -> str:
    """What transformIndexConstraints compares of an index constraint, as one string (the
    parse nodes' locations left out, as equal() ignores them)."""
    if constraint["contype"] == "CONSTR_EXCLUSION":
        pairs = [pair["List"]["items"] for pair in constraint.get("exclusions") or ()]
        params: list[Any] = [pair[0] for pair in pairs]
        operators: list[Any] = [pair[1] for pair in pairs]
    else:
        inline = constraint.get("_column")
        params, operators = strings(constraint.get("keys")) or ([inline] if inline else []), []
    parts = [
        params,
        strings(constraint.get("including")),
        constraint.get("where_clause"),
        operators,
        constraint.get("access_method") or "btree",
        bool(constraint.get("nulls_not_distinct")),
        bool(constraint.get("deferrable")),
        bool(constraint.get("initdeferred")),
    ]
    return equal_key(parts)
