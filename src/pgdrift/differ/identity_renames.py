"""An identity column's sequence whose name changes is the same sequence renamed.

An identity column owns exactly one sequence, made by ``GENERATED ... AS IDENTITY`` (named
``table_column_seq`` unless ``SEQUENCE NAME`` says otherwise) and renamed with ``ALTER
SEQUENCE ... RENAME TO`` while the column keeps it (a table renamed after its creation keeps
the old sequence name). So when the sequence of an identity column that stays is dropped under
one name and created under another in the same schema, it is not a guess that the two are one
sequence: the rename is confirmed, as a parent's column rename is for its partitions
(:mod:`pgdrift.differ.inherited_renames`). Only within one schema: an owned sequence cannot
move to another ("cannot move an owned sequence into another schema"), and PostgreSQL 15 fails
on an identity's ``SEQUENCE NAME`` in another schema than its table's (it looks for the table
in the sequence's schema).
"""

from __future__ import annotations

from collections.abc import Sequence

from pgdrift import ids, model
from pgdrift.differ.changes import Change, RenameCandidate
from pgdrift.ids import ObjectId

_EVIDENCE = "the sequence of the same identity column"


def with_identity_sequence_renames(
    candidates: Sequence[RenameCandidate], changes: Sequence[Change]
) -> tuple[RenameCandidate, ...]:
    """``candidates`` with a confirmed rename for each identity sequence dropped and created
    under another name for the same column (any other candidate for either is replaced).

    A column or table that is itself dropped or created takes its sequence along, so only
    identities whose column is on both sides (no column or table change makes or drops it)
    count; the column id on the old side is compared after the rename carry.
    """
    gone = {c.id for c in changes if c.operation in ("drop", "create", "replace")}
    dropped: dict[ObjectId, ObjectId] = {}
    created: dict[ObjectId, ObjectId] = {}
    for change in changes:
        if change.kind != ids.SEQUENCE or change.operation not in ("drop", "create"):
            continue
        sequence = change.before if change.operation == "drop" else change.after
        if not isinstance(sequence, model.Sequence) or sequence.identity_of is None:
            continue
        column = sequence.identity_of
        table = ObjectId(ids.TABLE, column.schema, column.parent or "")
        if column in gone or table in gone:
            continue
        (dropped if change.operation == "drop" else created)[column] = sequence.id
    derived = [
        RenameCandidate(old, created[column], 1.0, (_EVIDENCE,), True)
        for column, old in dropped.items()
        if column in created and created[column].schema == old.schema
    ]
    if not derived:
        return tuple(candidates)
    taken_old = {c.old for c in derived}
    taken_new = {c.new for c in derived}
    kept = [c for c in candidates if c.old not in taken_old and c.new not in taken_new]
    result = [*kept, *derived]
    result.sort(key=lambda p: (p.old.sort_key(), p.new.sort_key()))
    return tuple(result)


__all__ = ["with_identity_sequence_renames"]
