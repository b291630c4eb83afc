"""The statement-builder registry, and the one way a builder says "not modelled".

Builder modules register with :func:`handles`; :func:`pgdrift.builder.build_schema` looks the
statement's node type up in :data:`BUILDERS`. This module sits below every builder module so
that a builder can reach the registry (CREATE SCHEMA runs the builders of its elements) without
importing the package that imports it.
"""

from __future__ import annotations

from collections.abc import Callable

from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node

__all__ = ["BUILDERS", "Builder", "NotInterpreted", "NotModelled", "handles"]

Builder = Callable[[BuildContext, Node], None]

#: Statement node type -> builder. Filled by the ``handles`` decorator in the builder modules.
BUILDERS: dict[str, Builder] = {}


class NotModelled(Exception):  # noqa: N818 - a signal between builders and the loop, not a failure
    """A builder's deliberate give-up on a statement shape pgdrift does not model.

    The build loop keeps the statement as an :class:`~pgdrift.model.Unsupported` object with
    this message as its reason. Any other exception from a builder is a bug and surfaces.

    Example:
        >>> str(NotModelled("CREATE TABLE AS is not a schema definition pg_dump writes"))
        'CREATE TABLE AS is not a schema definition pg_dump writes'
    """


class NotInterpreted(NotModelled):
    """A statement that is not DDL but may change the schema (a ``DO`` block, a function
    call): kept as :class:`~pgdrift.model.Unsupported` with this message, and warned about
    with its place in the file, since what it does cannot be known without running it.

    Example:
        >>> isinstance(NotInterpreted("a DO block"), NotModelled)
        True
    """


def handles(*node_types: str) -> Callable[[Builder], Builder]:
    """Register a builder for statement node types; registering a type twice is an error.

    Example:
        >>> @handles("ExampleStmt")
        ... def build_example(ctx, node):
        ...     pass
        >>> BUILDERS.pop("ExampleStmt") is build_example
        True
    """

    def register(func: Builder) -> Builder:
        for name in node_types:
            if name in BUILDERS:
                raise RuntimeError(f"{name} already handled by {BUILDERS[name].__qualname__}")
            BUILDERS[name] = func
        return func

    return register
