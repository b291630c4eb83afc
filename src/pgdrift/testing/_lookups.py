"""Names, suggestions and lookups shared by every assertion: how a name written in a test is
qualified and found, and how a failure message says what was expected and what was found."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import attrs

from pgdrift import ids, model
from pgdrift.expr import Expr, parse_expr, runtime_equivalent
from pgdrift.schema import Schema
from pgdrift.types import TypeRef, parse_type

#: One column name or several.
ColumnNames = str | Sequence[str]

#: ``"type"`` stands for every kind of type, as pgTAP's has_type does.
TYPE = "type"
_RELATION_KINDS = (ids.TABLE, ids.FOREIGN_TABLE)
# Kinds named without a schema (cluster-wide, or schemas themselves).
_SCHEMALESS_KINDS = frozenset({
    ids.SCHEMA, ids.EXTENSION, ids.CAST, ids.EVENT_TRIGGER, ids.PUBLICATION, ids.SUBSCRIPTION,
    ids.FOREIGN_DATA_WRAPPER, ids.SERVER, ids.USER_MAPPING, ids.LANGUAGE, ids.ACCESS_METHOD,
    ids.TRANSFORM, ids.DEFAULT_PRIVILEGES, ids.ROLE, ids.DATABASE, ids.TABLESPACE,
})  # fmt: skip
# Kinds whose objects belong to a table and are named per table (or per schema, for indexes).
_CHILD_KINDS = frozenset({ids.COLUMN, ids.CONSTRAINT, ids.TRIGGER, ids.POLICY, ids.RULE})


def _quote(name: str) -> str:
    return f'"{name}"'


def _quoted_list(names: Iterable[str]) -> str:
    return ", ".join(_quote(n) for n in names)


def _qualify(name: str, schema: str = "public") -> str:
    return name if "." in name.split("(", 1)[0] else f"{schema}.{name}"


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _plural(kind: str) -> str:
    label = _label(kind)
    if label.endswith("y"):
        return label[:-1] + "ies"
    if label.endswith(("x", "s")):
        return label + "es"
    return label + "s"


def _suggest(word: str, candidates: Iterable[str]) -> str:
    """``; did you mean "x"?`` for the closest candidate, or nothing."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=1)
    return f"; did you mean {_quote(close[0])}?" if close else ""


def _names(names: str | Iterable[str]) -> tuple[str, ...]:
    """One name or several, as a tuple."""
    return (names,) if isinstance(names, str) else tuple(names)


def _paren(items: Iterable[str]) -> str:
    return "(" + ", ".join(items) + ")"


def _kinds(kind: str) -> tuple[str, ...]:
    if kind == TYPE:
        return tuple(sorted(ids.TYPE_KINDS))
    if kind == ids.COLUMN:
        raise ValueError("columns are checked with assert_column_exists(schema, table, column)")
    if kind not in ids.ALL_KINDS:
        raise ValueError(f"unknown kind {kind!r}; known: {', '.join((TYPE, *ids.ALL_KINDS))}")
    return (kind,)


def _qualified_key(kind: str, name: str) -> str:
    if kind in ids.ROUTINE_KINDS:
        base, args = _split_signature(name)
        base = _qualify(base)
        return base if args is None else f"{base}({', '.join(args)})"
    if kind in _CHILD_KINDS:
        return name if name.count(".") >= 2 else _qualify(name)
    if kind in _SCHEMALESS_KINDS:
        return name
    return _qualify(name)


def _split_signature(name: str) -> tuple[str, tuple[str, ...] | None]:
    """``f(varchar(10), int)`` -> ``("f", ("character varying", "integer"))``."""
    base, paren, rest = name.partition("(")
    if not paren:
        return name.strip(), None
    if not rest.rstrip().endswith(")"):
        raise ValueError(f"unbalanced parentheses in {name!r}")
    inner = rest.rstrip()[:-1]
    parts: list[str] = []
    depth, start = 0, 0
    for i, char in enumerate(inner):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return base.strip(), tuple(_canonical_type(p) for p in parts if p.strip())


def _type(text: str | TypeRef) -> TypeRef:
    ref = text if isinstance(text, TypeRef) else parse_type(text)
    # pg_dump qualifies every user type; an unqualified one in a test means public's.
    return attrs.evolve(ref, schema="public") if ref.needs_schema else ref


def _canonical_type(text: str) -> str:
    return str(_routine_type(text.strip()))


def _routine_type(text: str | TypeRef) -> TypeRef:
    """A routine's argument or result type: PostgreSQL keeps no typmod there (pg_proc), so
    ``varchar(10)`` names ``character varying``."""
    ref = _type(text)
    return attrs.evolve(ref, modifiers=()) if ref.modifiers else ref


def _routines(schema: Schema, name: str, kinds: Sequence[str]) -> list[model.Function]:
    base, args = _split_signature(name)
    base = _qualify(base)
    found = [
        obj
        for kind in kinds
        for obj in schema.of_kind(kind).values()
        if f"{obj.schema}.{obj.name}" == base and (args is None or obj.id.args == args)
    ]
    return sorted(found, key=lambda o: o.id.sort_key())


def _find(schema: Schema, kind: str, name: str) -> model.DbObject | None:
    for k in _kinds(kind):
        if k in ids.ROUTINE_KINDS:
            routines = _routines(schema, name, (k,))
            if routines:
                return routines[0]
            continue
        found = schema.of_kind(k).get(_qualified_key(k, name))
        if found is not None:
            return found  # type: ignore[no-any-return]
    return None


def _not_found(schema: Schema, kind: str, name: str) -> AssertionError:
    """``no table "public.x"; did you mean "public.y"?`` or ``...; public.x is a view``."""
    key = _qualified_key(kind, name)
    message = f"no {_label(kind)} {_quote(key)}"
    if kind not in _CHILD_KINDS:
        for other in ids.ALL_KINDS:
            if other in _kinds(kind) or other in _CHILD_KINDS:
                continue
            if _find(schema, other, key) is not None:
                return AssertionError(f"{message}; {key} is a {_label(other)}")
    candidates = [
        obj.id.qualified_name if kind in ids.ROUTINE_KINDS else k
        for k_kind in _kinds(kind)
        for k, obj in schema.of_kind(k_kind).items()
    ]
    if kind in ids.ROUTINE_KINDS and "(" not in key:
        candidates = [c.split("(", 1)[0] for c in candidates]
    return AssertionError(message + _suggest(key, candidates))


def _require(schema: Schema, kind: str, name: str) -> model.DbObject:
    found = _find(schema, kind, name)
    if found is None:
        raise _not_found(schema, kind, name)
    return found


def _relation(schema: Schema, table: str) -> model.Table:
    key = _qualify(table)
    for kind in _RELATION_KINDS:
        found = schema.of_kind(kind).get(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
    raise _not_found(schema, ids.TABLE, table)


def _column(schema: Schema, table: str, column: str) -> tuple[model.Table, model.Column]:
    rel = _relation(schema, table)
    _check_columns_exist(rel, (column,))
    return rel, rel.columns[column]


def _check_columns_exist(rel: model.Table, columns: Sequence[str]) -> None:
    for column in columns:
        if column not in rel.columns:
            raise AssertionError(
                f"no column {_quote(column)} in {rel.qualified_name}"
                + _suggest(column, rel.columns.names())
            )


def _fail_mismatches(subject: str, mismatches: Sequence[tuple[str, str]]) -> None:
    """Raise one message for every ``(expected, found)`` pair that differs."""
    if mismatches:
        raise AssertionError(
            f"{subject}: " + "; ".join(f"expected {e}, found {f}" for e, f in mismatches)
        )


def _exactly(what: str, expected: Iterable[str], found: Iterable[str]) -> None:
    wanted, have = set(expected), set(found)
    if wanted == have:
        return
    parts = []
    if wanted - have:
        parts.append("missing " + _quoted_list(sorted(wanted - have)))
    if have - wanted:
        parts.append("unexpected " + _quoted_list(sorted(have - wanted)))
    raise AssertionError(f"{what}: " + "; ".join(parts))


def _expr_equal(expected: str | Expr, found: Expr | None) -> bool:
    if found is None:
        return False
    wanted = expected if isinstance(expected, Expr) else parse_expr(expected)
    return runtime_equivalent(wanted, found)
