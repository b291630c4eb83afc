"""The names a migration script creates, read back from its SQL by PostgreSQL's own parser.

An independent check on the planner: whatever it thinks it is doing, a script that creates one
name twice ("relation ... already exists", "multiple primary keys", "column ... already
exists") is wrong. Names are keyed by the namespace PostgreSQL keeps them in: relations
(tables, indexes, sequences, views, and the index of a primary key, unique or exclusion
constraint) and types share a schema's ``pg_class``/``pg_type`` names; constraints, columns,
triggers, policies and rules are per table; routines are per signature.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pglast
from pglast import ast
from pglast.enums import AlterTableType, ConstrType
from pglast.stream import RawStream

Name = tuple[str, ...]

_INDEX_BACKED = (ConstrType.CONSTR_PRIMARY, ConstrType.CONSTR_UNIQUE, ConstrType.CONSTR_EXCLUSION)


def _relation(rel: ast.RangeVar) -> Name:
    return (rel.schemaname or "public", rel.relname)


def _qualified(names: tuple[ast.String, ...]) -> Name:
    parts = tuple(n.sval for n in names)
    return parts if len(parts) == 2 else ("public", *parts)


def created_names(script: str) -> Iterator[Name]:
    """One entry per name each statement of ``script`` creates, in script order."""
    for raw in pglast.parse_sql(script):
        yield from _created_by(raw.stmt)


def _created_by(stmt: ast.Node) -> Iterator[Name]:
    if isinstance(stmt, ast.CreateStmt):
        yield ("relation", *_relation(stmt.relation))
        for element in stmt.tableElts or ():
            if isinstance(element, ast.Constraint):
                yield from _constraint(stmt.relation, element)
            elif isinstance(element, ast.ColumnDef):
                for constraint in element.constraints or ():
                    yield from _constraint(stmt.relation, constraint)
    elif isinstance(stmt, ast.IndexStmt) and stmt.idxname:
        yield ("relation", stmt.relation.schemaname or "public", stmt.idxname)
    elif isinstance(stmt, ast.CreateSeqStmt):
        yield ("relation", *_relation(stmt.sequence))
    elif isinstance(stmt, ast.ViewStmt):
        if not stmt.replace:
            yield ("relation", *_relation(stmt.view))
    elif isinstance(stmt, ast.CreateTableAsStmt):
        yield ("relation", *_relation(stmt.into.rel))
    elif isinstance(stmt, ast.CompositeTypeStmt):
        yield ("type", *_relation(stmt.typevar))
    elif isinstance(stmt, (ast.CreateEnumStmt, ast.CreateRangeStmt)):
        yield ("type", *_qualified(stmt.typeName))
    elif isinstance(stmt, ast.CreateDomainStmt):
        yield ("type", *_qualified(stmt.domainname))
    elif isinstance(stmt, ast.CreateFunctionStmt) and not stmt.replace:
        arguments = ", ".join(
            RawStream()(p.argType) for p in stmt.parameters or () if p.mode != "o"
        )
        yield ("routine", *_qualified(stmt.funcname), arguments)
    elif isinstance(stmt, ast.CreateSchemaStmt):
        yield ("schema", stmt.schemaname)
    elif isinstance(stmt, ast.CreateTrigStmt) and not stmt.replace:
        yield ("trigger", *_relation(stmt.relation), stmt.trigname)
    elif isinstance(stmt, ast.CreatePolicyStmt):
        yield ("policy", *_relation(stmt.table), stmt.policy_name)
    elif isinstance(stmt, ast.AlterTableStmt):
        for cmd in stmt.cmds:
            if cmd.subtype == AlterTableType.AT_AddConstraint:
                yield from _constraint(stmt.relation, cmd.def_)
            elif cmd.subtype == AlterTableType.AT_AddColumn:
                yield ("column", *_relation(stmt.relation), cmd.def_.colname)
                for constraint in cmd.def_.constraints or ():
                    yield from _constraint(stmt.relation, constraint)


def _constraint(table: ast.RangeVar, constraint: ast.Constraint) -> Iterator[Name]:
    if constraint.conname is None:
        return
    yield ("constraint", *_relation(table), constraint.conname)
    # USING INDEX renames an existing index to the constraint's name: no new relation.
    if constraint.contype in _INDEX_BACKED and not constraint.indexname:
        yield ("relation", table.schemaname or "public", constraint.conname)


def created_twice(script: str) -> list[Name]:
    """The names ``script`` creates more than once, sorted."""
    counts = Counter(created_names(script))
    return sorted(name for name, count in counts.items() if count > 1)
