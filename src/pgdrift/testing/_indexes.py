"""Index assertions. An index here is any index PostgreSQL has on the table, including the one
behind a PRIMARY KEY, UNIQUE or EXCLUDE constraint, so tests need not know which made it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from pgdrift import model
from pgdrift.expr import Expr, parse_expr
from pgdrift.pg.indexes import index_element
from pgdrift.schema import Schema
from pgdrift.testing._lookups import (
    ColumnNames,
    _exactly,
    _expr_equal,
    _fail_mismatches,
    _names,
    _paren,
    _qualify,
    _quote,
    _relation,
    _suggest,
)


@attrs.frozen
class _IndexShape:
    """An index as PostgreSQL has it: a CREATE INDEX, or the index behind a PRIMARY KEY,
    UNIQUE or EXCLUDE constraint (which takes the constraint's name)."""

    name: str
    elements: tuple[model.IndexElement, ...]
    unique: bool
    method: str
    where: Expr | None
    #: 'index', 'primary key', 'unique' or 'exclusion'
    origin: str

    def describe(self) -> str:
        return f"{self.name} {_paren(_key_text(e) for e in self.elements)}"


def _key_text(element: model.IndexElement) -> str:
    # As a test names a key: an expression without the parentheses it needs in CREATE INDEX.
    sql = element.expression.sql if element.expression is not None else None
    return index_element(element, expression=sql)


def _element_matches(expected: str, element: model.IndexElement) -> bool:
    if element.column is not None:
        return expected.strip() == element.column
    return _expr_equal(expected, element.expression)


def _index_shapes(schema: Schema, rel: model.Table) -> list[_IndexShape]:
    shapes = [
        _IndexShape(i.name, i.elements, i.unique, i.method, i.where, "index")
        for i in schema.indexes_of(rel.id)
    ]
    for c in schema.constraints_of(rel.id):
        if c.type in (model.Constraint.PRIMARY_KEY, model.Constraint.UNIQUE):
            elements = tuple(model.IndexElement(column=col) for col in c.columns)
            shapes.append(_IndexShape(c.name, elements, True, "btree", None, c.type))
        elif c.type == model.Constraint.EXCLUSION:
            shapes.append(
                _IndexShape(c.name, c.elements, False, c.method or "gist", c.where, c.type)
            )
    return sorted(shapes, key=lambda s: s.name)


def _shape_columns_match(shape: _IndexShape, columns: Sequence[str]) -> bool:
    return len(shape.elements) == len(columns) and all(
        _element_matches(c, e) for c, e in zip(columns, shape.elements, strict=True)
    )


def _index_shape(schema: Schema, rel: model.Table, name: str) -> _IndexShape:
    shapes = _index_shapes(schema, rel)
    bare = name.rsplit(".", maxsplit=1)[-1]
    for shape in shapes:
        if shape.name == bare:
            return shape
    other = schema.indexes.get(_qualify(name, rel.schema or "public"))
    if other is not None:
        raise AssertionError(
            f"index {other.qualified_name} is on {other.table.qualified_name}, "
            f"not {rel.qualified_name}"
        )
    raise AssertionError(
        f"no index {_quote(bare)} on {rel.qualified_name}"
        + _suggest(bare, (s.name for s in shapes))
    )


def assert_index(
    schema: Schema,
    table: str,
    name: str,
    *,
    columns: ColumnNames | None = None,
    unique: bool | None = None,
    method: str | None = None,
    partial: bool | None = None,
    where: str | None = None,
) -> None:
    """The table has index ``name`` (the index of a PRIMARY KEY, UNIQUE or EXCLUDE
    constraint counts, by the constraint's name) and, where given: its key is exactly
    ``columns`` (column names or expressions, in order), it is (not) unique, uses ``method``,
    is (not) partial, has predicate ``where`` (pgTAP ``has_index``, ``index_is_unique``,
    ``index_is_type``, ``is_partial``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (e text, d timestamptz);"
        ...                   "CREATE INDEX t_e ON public.t (lower(e)) WHERE d IS NULL;")
        >>> assert_index(s, "t", "t_e", columns="lower(e)", partial=True, where="d IS NULL")
        >>> assert_index(s, "t", "t_e", method="hash")
        Traceback (most recent call last):
        ...
        AssertionError: index t_e on public.t: expected USING hash, found USING btree
    """
    rel = _relation(schema, table)
    shape = _index_shape(schema, rel, name)
    mismatches: list[tuple[str, str]] = []
    if columns is not None:
        wanted = _names(columns)
        if not _shape_columns_match(shape, wanted):
            found = _paren(_key_text(e) for e in shape.elements)
            mismatches.append((f"key {_paren(wanted)}", f"key {found}"))
    if unique is not None and unique != shape.unique:
        mismatches.append(("UNIQUE", "not unique") if unique else ("not unique", "UNIQUE"))
    if method is not None and method.lower() != shape.method:
        mismatches.append((f"USING {method.lower()}", f"USING {shape.method}"))
    is_partial = shape.where is not None
    found_where = f"WHERE {shape.where.sql}" if shape.where is not None else "no WHERE"
    if partial is not None and partial != is_partial:
        mismatches.append(("a partial index" if partial else "no WHERE", found_where))
    if where is not None and not _expr_equal(where, shape.where):
        mismatches.append((f"WHERE {parse_expr(where).sql}", found_where))
    _fail_mismatches(f"index {shape.name} on {rel.qualified_name}", mismatches)


def assert_no_index(schema: Schema, table: str, name: str) -> None:
    """The table has no index ``name`` (pgTAP ``hasnt_index``)."""
    rel = _relation(schema, table)
    bare = name.rsplit(".", maxsplit=1)[-1]
    if any(s.name == bare for s in _index_shapes(schema, rel)):
        raise AssertionError(f"expected no index {_quote(bare)} on {rel.qualified_name}, found one")


def assert_indexed(schema: Schema, table: str, columns: ColumnNames) -> None:
    """Some index of the table (constraint indexes included) has exactly ``columns`` as its
    key, in order (pgTAP ``is_indexed``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (a int, b int);"
        ...                   "CREATE INDEX i ON public.t (a);")
        >>> assert_indexed(s, "t", "a")
        >>> assert_indexed(s, "t", ["b"])
        Traceback (most recent call last):
        ...
        AssertionError: public.t: expected an index on (b), found indexes i (a)
    """
    rel = _relation(schema, table)
    wanted = _names(columns)
    shapes = _index_shapes(schema, rel)
    if any(_shape_columns_match(s, wanted) for s in shapes):
        return
    found = "indexes " + "; ".join(s.describe() for s in shapes) if shapes else "no index"
    _fail_mismatches(rel.qualified_name, [(f"an index on {_paren(wanted)}", found)])


def assert_indexes_are(schema: Schema, table: str, names: Iterable[str]) -> None:
    """The table's indexes (constraint indexes included) are exactly ``names``
    (pgTAP ``indexes_are``)."""
    rel = _relation(schema, table)
    _exactly(
        f"indexes of {rel.qualified_name}", names, (s.name for s in _index_shapes(schema, rel))
    )
