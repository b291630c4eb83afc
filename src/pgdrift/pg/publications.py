"""PostgreSQL's rule about a published table's column list: a set, not a sequence.

``ALTER PUBLICATION ... ADD TABLE t (b, a)`` stores the columns as attribute numbers
(pg_publication_rel.prattrs, an int2vector sorted by attnum) and pg_dump prints them in the
table's column order: a list differs only when it names other columns (docs: CREATE
PUBLICATION). Two tables with their columns in another order (a column dropped and added again
comes last) print the same list differently.
"""

from __future__ import annotations

from collections.abc import Iterable

from pgdrift import model


def same_entry(before: model.PublicationTable | None, after: model.PublicationTable | None) -> bool:
    """Whether two entries publish the same table, columns (in any order) and rows.

    >>> from pgdrift.ids import ObjectId
    >>> t = ObjectId("table", "public", "t")
    >>> same_entry(model.PublicationTable(table=t, columns=("id", "b", "a")),
    ...            model.PublicationTable(table=t, columns=("id", "a", "b")))
    True
    """
    if before is None or after is None:
        return before is after
    return (before.table == after.table and before.where == after.where
            and set(before.columns) == set(after.columns))  # fmt: skip


def same_tables(
    before: Iterable[model.PublicationTable], after: Iterable[model.PublicationTable]
) -> bool:
    """Whether two publications' table lists are the same entries, by :func:`same_entry`."""
    old = {t.table: t for t in before}
    new = {t.table: t for t in after}
    return old.keys() == new.keys() and all(same_entry(old[t], new[t]) for t in old)
