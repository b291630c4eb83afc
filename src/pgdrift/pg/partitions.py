"""PostgreSQL's rules about the columns of a partition key.

A column the partition key names, directly or inside a key expression, cannot be dropped nor
change type: ``ALTER TABLE`` refuses with "cannot drop column ... because it is part of the
partition key of relation ..." and "cannot alter column ... because it is part of the partition
key of relation ..." (``has_partition_attrs`` in tablecmds.c; docs: CREATE TABLE, PARTITION
BY). The table has to be built again with the new definition.
"""

from __future__ import annotations

from pgdrift import model
from pgdrift._expr_tree import get_field, walk


def key_columns(table: model.Table) -> frozenset[str]:
    """The columns ``table``'s partition key uses (empty for a table that is not partitioned).

    >>> import pgdrift
    >>> s = pgdrift.loads("CREATE TABLE public.t (a int, b text, c int) "
    ...                   "PARTITION BY LIST (a, lower(b));")
    >>> sorted(key_columns(s.tables["public.t"]))
    ['a', 'b']
    """
    if table.partition_key is None:
        return frozenset()
    found: set[str] = set()
    for element in table.partition_key.elements:
        if element.column is not None:
            found.add(element.column)
        if element.expression is not None:
            for node in walk(element.expression.tree):
                if node[0] == "ColumnRef":
                    last = (get_field(node, "fields") or ((None,),))[-1]
                    if last and last[0] == "String":
                        found.add(str(get_field(last, "sval")))
    return frozenset(found)


def key_column_changed(before: model.Table, after: model.Table) -> str | None:
    """A column of ``before``'s partition key that ``after`` drops or gives another type or
    collation, which PostgreSQL cannot do in place; None when there is none."""
    for name in sorted(key_columns(before)):
        old = before.columns.get(name)
        new = after.columns.get(name)
        if old is None:
            continue
        if new is None:
            return f"partition key column {name} dropped"
        if (old.type, old.collation) != (new.type, new.collation):
            return f"partition key column {name} changes type"
    return None
