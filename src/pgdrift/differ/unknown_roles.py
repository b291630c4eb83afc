"""Default privileges set by a script that never says who runs it.

``ALTER DEFAULT PRIVILEGES`` without ``FOR ROLE`` belongs to the role running the statement. A
script read without a role (``load(role=None)``) records it as ``CURRENT_USER``; a dump names
the role (``FOR ROLE postgres``). Like an unknown owner, the unknown role is not a difference:
an entry of ``CURRENT_USER`` is compared with the other side's one entry for the same schema
and object type, when there is exactly one to pair it with.
"""

from __future__ import annotations

import attrs

from pgdrift import model
from pgdrift.ids import ObjectId

__all__ = ["UNKNOWN_ROLE", "pair_unknown_roles"]

#: The role a script's ALTER DEFAULT PRIVILEGES without FOR ROLE is read as, without a role.
UNKNOWN_ROLE = "CURRENT_USER"

Objects = dict[ObjectId, model.DbObject]


def pair_unknown_roles(old: Objects, new: Objects) -> tuple[Objects, Objects]:
    """``old`` and ``new`` with each unknown-role entry re-keyed to its counterpart's role."""
    return _paired(old, new), _paired(new, old)


def _paired(side: Objects, other: Objects) -> Objects:
    unknown = [o for o in side.values() if isinstance(o, model.DefaultPrivileges)
               and o.role == UNKNOWN_ROLE and o.id not in other]  # fmt: skip
    if not unknown:
        return side
    result = dict(side)
    for entry in unknown:
        scope = (entry.in_schema, entry.object_type)
        matches = [o for o in other.values() if isinstance(o, model.DefaultPrivileges)
                   and o.id not in side and o.role != UNKNOWN_ROLE
                   and (o.in_schema, o.object_type) == scope]  # fmt: skip
        if len(matches) != 1:
            continue
        role = matches[0].role
        # A grant the script also made to that role by name is one grant then, not two.
        privileges = tuple(sorted({
            attrs.evolve(p, grantee=role) if p.grantee == UNKNOWN_ROLE else p
            for p in entry.privileges
        }))  # fmt: skip
        del result[entry.id]
        result[matches[0].id] = attrs.evolve(
            entry, id=matches[0].id, role=role, privileges=privileges
        )
    return result
