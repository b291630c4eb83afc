"""The order of a migration's statements.

Each statement says which objects it makes, removes, needs and frees (see
:mod:`pgdrift.planner.context`); that gives a graph of statements:

* a statement that needs X runs after every statement that makes X;
* a statement that frees X runs before every statement that removes X (unless that only
  renames X: what used the old name goes on working);
* a statement that names X runs before X is renamed;
* a statement that removes X runs before one that makes X again (DROP, then CREATE);
* and explicit ``after`` links inside one change.

The script is a topological order of that graph, and ties are broken the same way every time:
drops first, in reverse creation order of their kinds, then creations and alterations in
pg_dump's order of kinds, then by object id and emission order
(``networkx.lexicographical_topological_sort`` with a key, done here with a heap to keep
planning fast on large schemas). Foreign keys are separate statements after their tables, so
tables that reference each other never form a cycle; a cycle that remains is a
:class:`~pgdrift.errors.PlanError` naming its members.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from pgdrift import ids
from pgdrift.errors import PlanError
from pgdrift.planner.context import DROP_PHASE, Action

#: Kinds in the order their objects are created when nothing else decides (pg_dump's order,
#: roughly: namespaces, types, routines, relations, then what hangs off relations).
CREATION_ORDER = (
    ids.ROLE, ids.TABLESPACE, ids.DATABASE, ids.SCHEMA, ids.EXTENSION, ids.LANGUAGE,
    ids.COLLATION, ids.BASE_TYPE, ids.ENUM, ids.RANGE_TYPE, ids.DOMAIN, ids.COMPOSITE_TYPE,
    ids.FUNCTION, ids.PROCEDURE, ids.AGGREGATE, ids.CAST, ids.OPERATOR, ids.OPERATOR_FAMILY,
    ids.OPERATOR_CLASS, ids.CONVERSION, ids.ACCESS_METHOD, ids.TRANSFORM,
    ids.TEXT_SEARCH_PARSER, ids.TEXT_SEARCH_TEMPLATE, ids.TEXT_SEARCH_DICTIONARY,
    ids.TEXT_SEARCH_CONFIGURATION, ids.FOREIGN_DATA_WRAPPER, ids.SERVER, ids.USER_MAPPING,
    ids.SEQUENCE, ids.TABLE, ids.FOREIGN_TABLE, ids.COLUMN, ids.VIEW, ids.MATERIALIZED_VIEW,
    ids.CONSTRAINT, ids.INDEX, ids.STATISTICS, ids.RULE, ids.TRIGGER, ids.POLICY,
    ids.EVENT_TRIGGER, ids.PUBLICATION, ids.SUBSCRIPTION, ids.DEFAULT_PRIVILEGES,
    ids.UNSUPPORTED, "external",
)  # fmt: skip
_RANK = {kind: i for i, kind in enumerate(CREATION_ORDER)}


def sort_key(action: Action) -> tuple[Any, ...]:
    rank = _RANK.get(action.anchor.kind, len(_RANK))
    if action.phase == DROP_PHASE:
        rank = -rank
    return (action.phase, rank, action.anchor.sort_key(), action.seq)


def order_actions(actions: Sequence[Action]) -> list[Action]:
    """The actions (those not ``dropped``) in an order that satisfies every dependency.

    Raises:
        PlanError: the statements depend on each other in a cycle.
    """
    live = [a for a in actions if not a.dropped]
    position = {id(a): i for i, a in enumerate(live)}
    makers: dict[Any, list[int]] = {}
    removers: dict[Any, list[int]] = {}
    for i, action in enumerate(live):
        for oid in action.makes:
            makers.setdefault(oid, []).append(i)
        for oid in action.removes:
            removers.setdefault(oid, []).append(i)
    successors: list[set[int]] = [set() for _ in live]
    for i, action in enumerate(live):
        for oid in action.needs:
            for maker in makers.get(oid, ()):
                if maker != i:
                    successors[maker].add(i)
        for oid in action.frees:
            for remover in removers.get(oid, ()):
                if remover != i and live[remover].destroys:
                    successors[i].add(remover)
        for oid in action.uses:
            for remover in removers.get(oid, ()):
                if remover != i:
                    successors[i].add(remover)
        for oid in action.makes:
            for remover in removers.get(oid, ()):
                if remover != i:
                    successors[remover].add(i)
        for before in action.after:
            j = position.get(id(before))
            if j is not None and j != i:
                successors[j].add(i)
    indegree = [0] * len(live)
    for targets in successors:
        for j in targets:
            indegree[j] += 1
    keys = [sort_key(a) for a in live]
    ready = [(keys[i], i) for i, n in enumerate(indegree) if n == 0]
    heapq.heapify(ready)
    result: list[Action] = []
    while ready:
        _, i = heapq.heappop(ready)
        result.append(live[i])
        for j in successors[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                heapq.heappush(ready, (keys[j], j))
    if len(result) != len(live):
        raise PlanError(_cycle_message(live, successors, indegree))
    return result


def _cycle_message(live: list[Action], successors: list[set[int]], indegree: list[int]) -> str:
    import networkx as nx  # noqa: PLC0415 - only needed to explain a failure

    stuck = {i for i, n in enumerate(indegree) if n > 0}
    graph = nx.DiGraph()
    graph.add_edges_from((i, j) for i in stuck for j in successors[i] if j in stuck)
    try:
        cycle = [u for u, _ in nx.find_cycle(graph)]
    except nx.NetworkXNoCycle:  # pragma: no cover - Kahn's leftovers always hold a cycle
        cycle = sorted(stuck)
    members = sorted({str(live[i].anchor) for i in cycle})
    statements = "; ".join(_first_line(live[i].sql) for i in cycle)
    return (
        f"cannot order the migration: {', '.join(members)} depend on each other in a cycle "
        f"({statements})"
    )


def _first_line(sql: str) -> str:
    line = sql.strip().splitlines()[0] if sql.strip() else ""
    return line if len(line) <= 80 else line[:77] + "..."
