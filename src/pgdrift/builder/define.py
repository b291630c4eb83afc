"""The ``DefineStmt`` dispatcher: CREATE AGGREGATE, OPERATOR, COLLATION, TEXT SEARCH
PARSER/TEMPLATE/DICTIONARY/CONFIGURATION and base TYPE all parse to that one statement node,
told apart by its ``kind``; each kind's builder lives with its object family.
"""

from __future__ import annotations

from pgdrift.builder.collations import build_collation
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.builder.operators import build_operator
from pgdrift.builder.registry import NotModelled, handles
from pgdrift.builder.routines import build_aggregate
from pgdrift.builder.text_search import (
    build_ts_configuration,
    build_ts_dictionary,
    build_ts_parser,
    build_ts_template,
)
from pgdrift.builder.types import build_base_type


@handles("DefineStmt")
def build_define(ctx: BuildContext, node: Node) -> None:
    """Hand a ``DefineStmt`` to the builder of its kind."""
    kind = node["kind"]
    builder = _DEFINE_BUILDERS.get(kind)
    if builder is None:
        raise NotModelled(f"CREATE statements of kind {kind} are not modelled")
    builder(ctx, node)


_DEFINE_BUILDERS = {
    "OBJECT_AGGREGATE": build_aggregate,
    "OBJECT_OPERATOR": build_operator,
    "OBJECT_TYPE": build_base_type,
    "OBJECT_COLLATION": build_collation,
    "OBJECT_TSPARSER": build_ts_parser,
    "OBJECT_TSTEMPLATE": build_ts_template,
    "OBJECT_TSDICTIONARY": build_ts_dictionary,
    "OBJECT_TSCONFIGURATION": build_ts_configuration,
}
