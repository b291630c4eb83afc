"""``serial``, ``bigserial`` and ``smallserial`` columns: not types but shorthand.

PostgreSQL turns ``id serial`` into an ``integer NOT NULL`` column whose default is
``nextval('schema.t_id_seq'::regclass)``, a sequence of that integer type created just before
the table and ``OWNED BY`` the column (docs: "Serial Types"). pg_dump writes those three
pieces; reading the shorthand the same way lets a source script equal its dump.
"""

from __future__ import annotations

import json

import pglast.parser

from pgdrift import ids, model
from pgdrift.builder.context import BuildContext
from pgdrift.builder.nodes import Node
from pgdrift.expr import Expr, expr_from_node
from pgdrift.ids import ObjectId
from pgdrift.pg.naming import choose_name
from pgdrift.pg.quoting import quote_ident, quote_literal
from pgdrift.types import parse_type

__all__ = [
    "SERIAL_TYPES", "add_serial_sequence", "nextval_default", "serial_sequences", "serial_type",
]  # fmt: skip

#: The shorthand names and the integer type each stands for.
SERIAL_TYPES = {
    "serial": "integer", "serial4": "integer", "bigserial": "bigint", "serial8": "bigint",
    "smallserial": "smallint", "serial2": "smallint",
}  # fmt: skip


def serial_type(type_node: Node | None) -> str | None:
    """The integer type a column's ``serial``-family type name stands for (None otherwise);
    only the bare, unqualified name and no array is the shorthand."""
    if type_node is None or type_node.get("arrayBounds") or type_node.get("typmods"):
        return None
    names: list[Node] = type_node.get("names") or []
    if len(names) != 1 or "String" not in names[0]:
        return None  # pg_dump's integer is pg_catalog.int4: no shorthand
    return SERIAL_TYPES.get(names[0]["String"]["sval"])


def sequence_name(ctx: BuildContext, schema: str, table: str, column: str) -> str:
    """``table_column_seq``, cut to 63 bytes and numbered if the name is taken."""
    return choose_name(table, column, "seq", lambda n: ctx.relation_name_taken(schema, n))


def nextval_default(schema: str, sequence: str) -> Expr:
    """``nextval('schema.seq'::regclass)`` as pg_dump prints a serial column's default."""
    regclass = f"{quote_ident(schema)}.{quote_ident(sequence)}"
    text = f"SELECT nextval({quote_literal(regclass)}::regclass)"
    tree = json.loads(pglast.parser.parse_sql_json(text))
    target = tree["stmts"][0]["stmt"]["SelectStmt"]["targetList"][0]["ResTarget"]["val"]
    return expr_from_node(target)


def add_serial_sequence(
    ctx: BuildContext, table: ObjectId, column: str, sequence: ObjectId, integer_type: str
) -> None:
    """The sequence behind a serial column, owned by it; it has the table's owner and
    persistence. A bigint sequence is the default, which pg_dump does not spell out."""
    relation = ctx.require(table)
    ctx.add(
        model.Sequence(
            id=sequence,
            options=model.SequenceOptions(
                data_type=None if integer_type == "bigint" else parse_type(integer_type),
                start=1,
            ),
            owned_by=ObjectId(ids.COLUMN, table.schema, column, parent=table.name),
            owner=relation.owner,
            persistence=getattr(relation, "persistence", "permanent"),
            **ctx.span_fields(),
        )
    )


def serial_sequences(
    ctx: BuildContext, schema: str, table: str, elements: list[Node]
) -> dict[str, str]:
    """The sequences a CREATE TABLE's serial columns make, name -> schema."""
    return {
        sequence_name(ctx, schema, table, column["colname"]): schema
        for element in elements
        for column in [element.get("ColumnDef")]
        if column is not None and serial_type(column.get("typeName")) is not None
    }
