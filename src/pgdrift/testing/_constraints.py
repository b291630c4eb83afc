"""Key and constraint assertions: PRIMARY KEY, FOREIGN KEY, uniqueness and CHECK."""

from __future__ import annotations

from pgdrift import model
from pgdrift.expr import Expr, parse_expr, walk
from pgdrift.schema import Schema
from pgdrift.testing._indexes import _index_shapes
from pgdrift.testing._lookups import (
    ColumnNames,
    _check_columns_exist,
    _expr_equal,
    _fail_mismatches,
    _names,
    _paren,
    _qualify,
    _quote,
    _relation,
    _suggest,
)


def _constraints(schema: Schema, rel: model.Table, type_: str) -> list[model.Constraint]:
    found = [c for c in schema.constraints_of(rel.id) if c.type == type_]
    return sorted(found, key=lambda c: c.name)


def _describe_fk(fk: model.Constraint) -> str:
    target = fk.references.qualified_name if fk.references is not None else "?"
    text = f"FOREIGN KEY {_paren(fk.columns)} REFERENCES {target}{_paren(fk.referenced_columns)}"
    if fk.on_update != "no action":
        text += f" ON UPDATE {fk.on_update.upper()}"
    if fk.on_delete != "no action":
        text += f" ON DELETE {fk.on_delete.upper()}"
    return text


def assert_primary_key(schema: Schema, table: str, columns: ColumnNames | None = None) -> None:
    """The table has a primary key; with ``columns``, on exactly those columns in order
    (pgTAP ``has_pk``, ``col_is_pk``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (id int PRIMARY KEY, code text);")
        >>> assert_primary_key(s, "t", "id")
        >>> assert_primary_key(s, "t", ["code"])
        Traceback (most recent call last):
        ...
        AssertionError: public.t: expected PRIMARY KEY (code), found PRIMARY KEY (id) (t_pkey)
    """
    rel = _relation(schema, table)
    keys = _constraints(schema, rel, model.Constraint.PRIMARY_KEY)
    wanted = None if columns is None else _names(columns)
    if wanted is not None:
        _check_columns_exist(rel, wanted)
    expected = "a PRIMARY KEY" if wanted is None else f"PRIMARY KEY {_paren(wanted)}"
    if not keys:
        _fail_mismatches(rel.qualified_name, [(expected, "no primary key")])
    if wanted is not None and keys[0].columns != wanted:
        pk = keys[0]
        _fail_mismatches(
            rel.qualified_name, [(expected, f"PRIMARY KEY {_paren(pk.columns)} ({pk.name})")]
        )


def assert_no_primary_key(schema: Schema, table: str) -> None:
    """The table has no primary key (pgTAP ``hasnt_pk``)."""
    rel = _relation(schema, table)
    keys = _constraints(schema, rel, model.Constraint.PRIMARY_KEY)
    if keys:
        pk = keys[0]
        _fail_mismatches(
            rel.qualified_name,
            [("no primary key", f"PRIMARY KEY {_paren(pk.columns)} ({pk.name})")],
        )


def assert_foreign_key(
    schema: Schema,
    table: str,
    columns: ColumnNames,
    references: str | None = None,
    referenced_columns: ColumnNames | None = None,
    *,
    on_delete: str | None = None,
    on_update: str | None = None,
) -> None:
    """A foreign key on exactly ``columns`` exists; optionally it references table
    ``references`` (and ``referenced_columns``) with the given actions (pgTAP ``has_fk``,
    ``col_is_fk``, ``fk_ok``). Actions are ``"cascade"``, ``"set null"``, ``"restrict"``...

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads(
        ...     "CREATE TABLE public.u (id int PRIMARY KEY);"
        ...     "CREATE TABLE public.r (uid int REFERENCES public.u (id) ON DELETE CASCADE);")
        >>> assert_foreign_key(s, "r", "uid", "u", "id", on_delete="cascade")
        >>> assert_foreign_key(s, "r", "uid", "u", on_delete="set null")
        Traceback (most recent call last):
        ...
        AssertionError: public.r (uid): expected ON DELETE SET NULL, found ON DELETE CASCADE
    """
    rel = _relation(schema, table)
    wanted = _names(columns)
    _check_columns_exist(rel, wanted)
    fks = _constraints(schema, rel, model.Constraint.FOREIGN_KEY)
    candidates = [fk for fk in fks if fk.columns == wanted]
    if not candidates:
        found = "; ".join(f"{fk.name} {_describe_fk(fk)}" for fk in fks) or "no foreign key"
        _fail_mismatches(rel.qualified_name, [(f"FOREIGN KEY {_paren(wanted)}", found)])
    target = _qualify(references) if references is not None else None
    target_columns = _names(referenced_columns) if referenced_columns is not None else None
    best: list[tuple[str, str]] = []
    for fk in candidates:
        mismatches: list[tuple[str, str]] = []
        found_target = fk.references.qualified_name if fk.references is not None else "?"
        if target is not None and found_target != target:
            mismatches.append((f"REFERENCES {target}", f"REFERENCES {found_target}"))
        if target_columns is not None and fk.referenced_columns != target_columns:
            mismatches.append(
                (
                    f"REFERENCES {found_target}{_paren(target_columns)}",
                    f"REFERENCES {found_target}{_paren(fk.referenced_columns)}",
                )
            )
        for clause, want, have in (
            ("ON DELETE", on_delete, fk.on_delete),
            ("ON UPDATE", on_update, fk.on_update),
        ):
            if want is not None and want.lower() != have:
                mismatches.append((f"{clause} {want.upper()}", f"{clause} {have.upper()}"))
        if not mismatches:
            return
        if not best or len(mismatches) < len(best):
            best = mismatches
    _fail_mismatches(f"{rel.qualified_name} {_paren(wanted)}", best)


def assert_no_foreign_key(schema: Schema, table: str, columns: ColumnNames | None = None) -> None:
    """The table has no foreign key (on exactly ``columns``, if given) (pgTAP ``hasnt_fk``)."""
    rel = _relation(schema, table)
    wanted = None if columns is None else _names(columns)
    fks = [
        fk for fk in _constraints(schema, rel, model.Constraint.FOREIGN_KEY)
        if wanted is None or fk.columns == wanted
    ]  # fmt: skip
    if fks:
        what = "no foreign key" if wanted is None else f"no FOREIGN KEY {_paren(wanted)}"
        _fail_mismatches(rel.qualified_name, [(what, _describe_fk(fks[0]))])


def assert_unique(schema: Schema, table: str, columns: ColumnNames) -> None:
    """Values of ``columns`` are unique: a PRIMARY KEY, UNIQUE constraint or unique,
    non-partial index covers exactly these columns in any order (pgTAP ``col_is_unique``,
    ``has_unique``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (id int PRIMARY KEY, a int UNIQUE, b int);")
        >>> assert_unique(s, "t", "a")
        >>> assert_unique(s, "t", "b")
        Traceback (most recent call last):
        ...
        AssertionError: public.t: expected UNIQUE (b), found unique keys t_a_key (a); t_pkey (id)
    """
    rel = _relation(schema, table)
    wanted = _names(columns)
    _check_columns_exist(rel, wanted)
    unique = [s for s in _index_shapes(schema, rel) if s.unique and s.where is None]
    for shape in unique:
        names = [e.column for e in shape.elements if e.column is not None]
        if len(names) == len(shape.elements) and sorted(names) == sorted(wanted):
            return
    found = "unique keys " + "; ".join(s.describe() for s in unique) if unique else "no unique key"
    _fail_mismatches(rel.qualified_name, [(f"UNIQUE {_paren(wanted)}", found)])


def _check_constraints(schema: Schema, rel: model.Table) -> list[model.Constraint]:
    return _constraints(schema, rel, model.Constraint.CHECK)


def _references_column(expression: Expr | None, column: str) -> bool:
    if expression is None:
        return False
    for node in walk(expression.tree):
        if node[0] == "ColumnRef":
            fields = dict(node[1]).get("fields", ())
            last = fields[-1] if fields else None
            if last is not None and last[0] == "String" and dict(last[1]).get("sval") == column:
                return True
    return False


def assert_check(
    schema: Schema,
    table: str,
    expression: str | None = None,
    *,
    name: str | None = None,
    column: str | None = None,
) -> None:
    """The table has a CHECK constraint: with ``expression`` (compared as an expression, as
    pg_dump prints it), named ``name``, and/or using ``column`` (pgTAP ``has_check``,
    ``col_has_check``).

    Example:
        >>> import pgdrift
        >>> s = pgdrift.loads("CREATE TABLE public.t (n int CONSTRAINT pos CHECK (n > 0));")
        >>> assert_check(s, "t", "n > 0", column="n")
        >>> assert_check(s, "t", "n >= 0")
        Traceback (most recent call last):
        ...
        AssertionError: public.t: expected CHECK (n >= 0), found pos CHECK (n > 0)
    """
    rel = _relation(schema, table)
    if column is not None:
        _check_columns_exist(rel, (column,))
    checks = _check_constraints(schema, rel)
    for check in checks:
        if (
            (expression is None or _expr_equal(expression, check.expression))
            and (name is None or check.name == name)
            and (column is None or _references_column(check.expression, column))
        ):
            return
    parts = []
    if name is not None:
        parts.append(f"named {_quote(name)}")
    if column is not None:
        parts.append(f"on column {_quote(column)}")
    wanted = "a CHECK" if expression is None else f"CHECK ({parse_expr(expression).sql})"
    wanted = " ".join([wanted, *parts])
    found = (
        "; ".join(
            f"{c.name} CHECK ({c.expression.sql if c.expression is not None else '?'})"
            for c in checks
        )
        or "no CHECK constraint"
    )
    if name is not None and expression is None and column is None:
        suggestion = _suggest(name, (c.name for c in checks))
        if suggestion:
            raise AssertionError(
                f"no check constraint {_quote(name)} on {rel.qualified_name}{suggestion}"
            )
    _fail_mismatches(rel.qualified_name, [(wanted, found)])
