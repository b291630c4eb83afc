"""The role a RoleSpec node names: in a GRANT, a policy, an OWNER TO."""

from __future__ import annotations

import sys

from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node

__all__ = ["owner_name", "role_name"]

# The role keywords the model keeps as written (a grant TO CURRENT_USER of a script whose
# runner is unknown), upper-case, apart from a role really named so.
_KEYWORDS = {
    "ROLESPEC_PUBLIC": "PUBLIC", "ROLESPEC_CURRENT_USER": "CURRENT_USER",
    "ROLESPEC_SESSION_USER": "SESSION_USER", "ROLESPEC_CURRENT_ROLE": "CURRENT_ROLE",
}  # fmt: skip


def role_name(rolespec: Node) -> str:
    """The role a RoleSpec node names (``PUBLIC`` for PUBLIC)."""
    keyword = _KEYWORDS.get(rolespec.get("roletype", ""))
    return keyword if keyword is not None else sys.intern(str(rolespec.get("rolename")))


def owner_name(ctx: BuildContext, rolespec: Node) -> str | None:
    """The role an ``OWNER TO`` or ``AUTHORIZATION`` makes owner: CURRENT_USER, CURRENT_ROLE
    and SESSION_USER are resolved to the role running the statement, as PostgreSQL stores an
    owner (None, unknown, when nothing says who runs the files)."""
    roletype = rolespec.get("roletype")
    if roletype in ("ROLESPEC_CURRENT_USER", "ROLESPEC_CURRENT_ROLE"):
        return ctx.current_role
    if roletype == "ROLESPEC_SESSION_USER":
        return ctx.session_user or ctx.login_role
    return role_name(rolespec)
