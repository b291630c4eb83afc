"""A view's ``check_option``: the ``WITH [LOCAL | CASCADED] CHECK OPTION`` clause and the
``check_option`` reloption (``WITH (check_option = ...)``, ``ALTER VIEW ... SET / RESET``) are
one setting, stored as the reloption; pg_dump prints it back as the clause. pgdrift keeps it as
:attr:`~pgdrift.model.View.check_option` only, so every spelling compares equal."""

from __future__ import annotations

from typing import Any

from pgdrift import model

__all__ = ["view_option_fields"]


def view_option_fields(options: model.Options, check_option: str | None) -> dict[str, Any]:
    """The view's ``options`` without ``check_option``, and its ``check_option`` (the
    reloption's value when ``options`` holds one, else ``check_option``)."""
    given = model.option(options, "check_option")
    return {
        "options": tuple(kv for kv in options if kv[0] != "check_option"),
        "check_option": given.lower() if given else check_option,
    }
