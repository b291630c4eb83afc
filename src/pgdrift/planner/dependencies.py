"""The dependencies of a schema's objects, asked for one object at a time.

A plan usually touches a few hundred objects of a schema that may hold fifty thousand, and
building the whole dependency graph (:attr:`pgdrift.Schema.graph`) costs more than all the rest
of planning. So the edges of :mod:`pgdrift.graph` are computed here only for the objects asked
about; the whole graph is built (once, and cached on the schema) only when a question needs it,
or used directly when it already exists.

What depends on an object is the reverse question: the objects of some kinds only (what keeps
a column from changing type) can be answered from those objects alone; anything else asks the
whole graph.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from pgdrift import graph as graph_module
from pgdrift import ids
from pgdrift.ids import ObjectId

if TYPE_CHECKING:
    from pgdrift.schema import Schema


class Dependencies:
    """Dependency edges of one schema: ``a -> b`` when ``a`` depends on ``b``, with a reason."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._resolver: graph_module.Resolver | None = None
        self._succ: dict[ObjectId, dict[ObjectId, str]] = {}
        self._pred: dict[frozenset[str], dict[ObjectId, list[tuple[ObjectId, str]]]] = {}

    def succ(self, oid: ObjectId) -> dict[ObjectId, str]:
        """What ``oid`` depends on, with each edge's reason (empty for an unknown id)."""
        found = self._succ.get(oid)
        if found is not None:
            return found
        graph = self.schema.built_graph
        if graph is not None:
            edges = graph.succ[oid] if oid in graph else {}
            found = {target: str(data.get("reason", "")) for target, data in edges.items()}
        else:
            found = self._compute(oid)
        self._succ[oid] = found
        return found

    def _compute(self, oid: ObjectId) -> dict[ObjectId, str]:
        obj = self.schema.objects.get(oid)
        if obj is None:
            return {}
        if self._resolver is None:
            self._resolver = graph_module.Resolver(self.schema)
        objects = self.schema.objects
        found: dict[ObjectId, str] = {}
        # The same edges, and the same filter, as pgdrift.graph.build_graph.
        for target, reason in graph_module.dependencies(obj, self._resolver):
            if target != oid and (target in objects or target.kind == ids.COLUMN):
                found[target] = reason
        return found

    def pred(
        self, oid: ObjectId, kinds: Collection[str] | None = None
    ) -> Iterator[tuple[ObjectId, str]]:
        """The objects (of ``kinds``, or of any kind) that depend on ``oid``."""
        graph = self.schema.built_graph
        if kinds is None or graph is not None:
            graph = self.schema.graph
            if oid in graph:
                for source, data in graph.pred[oid].items():
                    if kinds is None or source.kind in kinds:
                        yield source, str(data.get("reason", ""))
            return
        key = frozenset(kinds)
        index = self._pred.get(key)
        if index is None:
            index = {}
            for source in self.schema.objects:
                if source.kind in key:
                    for target, reason in self.succ(source).items():
                        index.setdefault(target, []).append((source, reason))
            self._pred[key] = index
        yield from index.get(oid, ())
