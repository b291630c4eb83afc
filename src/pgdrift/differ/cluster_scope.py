"""Roles, databases and tablespaces that one side cannot know.

They belong to the cluster, not to a database: pg_dump of one database writes none of them
(pg_dumpall does), while a script may create a role or comment on its database. A side that
holds no cluster-level object at all does not know the cluster: like an unknown owner, what
the other side says about roles, databases and tablespaces is then not a difference.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pgdrift import ids, model
from pgdrift.cache_objects import LazyObjects
from pgdrift.ids import ObjectId

__all__ = ["CLUSTER_KINDS", "without_unknown_cluster"]

#: The kinds of object that belong to the cluster rather than to one database.
CLUSTER_KINDS = frozenset({ids.ROLE, ids.DATABASE, ids.TABLESPACE})

Objects = dict[ObjectId, model.DbObject]


def without_unknown_cluster(
    a: Mapping[ObjectId, Any], b: Mapping[ObjectId, Any], old: Objects, new: Objects
) -> tuple[Objects, Objects]:
    """``old`` and ``new`` (the objects compared, from the whole schemas' objects ``a`` and
    ``b``) without their cluster-level objects when either whole schema holds none."""
    if _knows_cluster(a) and _knows_cluster(b):
        return old, new
    return _local(old), _local(new)


def _knows_cluster(objects: Mapping[ObjectId, Any]) -> bool:
    if isinstance(objects, LazyObjects):
        # Read from the stored ids: no ObjectId is made for the objects never compared.
        return not CLUSTER_KINDS.isdisjoint(objects.kinds())
    return any(oid.kind in CLUSTER_KINDS for oid in objects)


def _local(objects: Objects) -> Objects:
    if not _knows_cluster(objects):
        return objects
    return {oid: obj for oid, obj in objects.items() if oid.kind not in CLUSTER_KINDS}
