"""The flags of the diff options, shared by the commands that compare schemas (``diff``,
``matrix``): each :class:`~pgdrift.diff_options.DiffOptions` field with a flag becomes one,
and the ``[tool.pgdrift]`` settings are merged with what the command line gives."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from pgdrift.config import KEYS
from pgdrift.diff_options import Option, option_fields

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["add_diff_options", "diff_keywords", "merge_command_line"]


def add_diff_options(sections: dict[str, Any], *names: str) -> None:
    """The flags of the diff options listed under these ``--help`` sections; each one's
    ``dest`` is its DiffOptions field (and [tool.pgdrift] key), None when not given."""
    for name, option in option_fields():
        if option.section not in names:
            continue
        settings: dict[str, Any] = {"dest": name, "default": None}
        if option.kind == "switch":
            settings["action"] = argparse.BooleanOptionalAction
        elif option.kind == "choice":
            settings["choices"] = option.choices
        else:
            settings["action"] = "append" if option.kind == "list" else "store"
            settings.update(metavar=option.metavar, type=_argument_type(option))
        group = sections[option.section]
        group.add_argument(option.flag, help=option.help, **settings)
        for old in option.old_flags:
            # Older spellings are still accepted, and no longer listed.
            group.add_argument(old, help=argparse.SUPPRESS, **settings)


def _argument_type(option: Option) -> Callable[[str], Any] | None:
    """The option's parser, with its ValueError made the message argparse prints as is."""
    parse = option.parse
    if parse is None:
        return None

    def argument(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return argument


def merge_command_line(settings: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """``[tool.pgdrift]`` settings overridden by the options given on the command line."""
    merged = dict(settings)
    for key in KEYS:
        value = getattr(args, key, None)
        if value is not None:
            merged[key] = tuple(value) if isinstance(value, list) else value
    return merged


def diff_keywords(settings: dict[str, Any], *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """The settings that are :class:`~pgdrift.diff_options.DiffOptions` fields, as keywords
    of :func:`pgdrift.diff` (less ``leave_out``)."""
    return {name: settings[name] for name, _ in option_fields()
            if name in settings and name not in leave_out}  # fmt: skip
