"""PostgreSQL's default privileges: what ALL means per kind of object, what an owner holds
without any GRANT, and what PUBLIC holds (docs: 5.8 Privileges, table "Summary of Access
Privileges"). Reading a dump replays its GRANT/REVOKE over these; planning a migration turns
one effective ACL into another from them."""

from __future__ import annotations

from pgdrift import ids

_RELATION = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")

#: What ``GRANT ALL`` means, and what the owner holds by default, per kind.
OWNER_DEFAULT: dict[str, tuple[str, ...]] = {
    ids.TABLE: _RELATION, ids.FOREIGN_TABLE: _RELATION, ids.VIEW: _RELATION,
    ids.MATERIALIZED_VIEW: _RELATION, ids.SEQUENCE: ("USAGE", "SELECT", "UPDATE"),
    ids.FUNCTION: ("EXECUTE",), ids.PROCEDURE: ("EXECUTE",), ids.AGGREGATE: ("EXECUTE",),
    ids.SCHEMA: ("USAGE", "CREATE"), ids.LANGUAGE: ("USAGE",),
    ids.FOREIGN_DATA_WRAPPER: ("USAGE",), ids.SERVER: ("USAGE",),
    ids.DATABASE: ("CREATE", "CONNECT", "TEMPORARY"), ids.TABLESPACE: ("CREATE",),
    **dict.fromkeys(ids.TYPE_KINDS, ("USAGE",)),
}  # fmt: skip

#: Column privileges (granted explicitly only; columns have no defaults).
COLUMN_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "REFERENCES")

#: What PUBLIC holds on a new object of each kind.
PUBLIC_DEFAULT: dict[str, tuple[str, ...]] = {
    ids.FUNCTION: ("EXECUTE",), ids.PROCEDURE: ("EXECUTE",), ids.AGGREGATE: ("EXECUTE",),
    ids.LANGUAGE: ("USAGE",), ids.DATABASE: ("CONNECT", "TEMPORARY"),
    **dict.fromkeys(ids.TYPE_KINDS, ("USAGE",)),
}  # fmt: skip

#: The kind each ``ALTER DEFAULT PRIVILEGES ... ON <object type>`` stands for.
DEFAULT_PRIVILEGE_KIND = {"tables": ids.TABLE, "sequences": ids.SEQUENCE,
                          "functions": ids.FUNCTION, "types": ids.ENUM,
                          "schemas": ids.SCHEMA}  # fmt: skip

#: The object type of ``ALTER DEFAULT PRIVILEGES ... ON <object type>`` that covers each kind
#: (docs: ALTER DEFAULT PRIVILEGES; "TABLES" includes views and foreign tables, "FUNCTIONS"
#: procedures).
DEFAULT_PRIVILEGE_TYPES = {
    ids.TABLE: "tables", ids.FOREIGN_TABLE: "tables", ids.VIEW: "tables",
    ids.MATERIALIZED_VIEW: "tables", ids.SEQUENCE: "sequences", ids.FUNCTION: "functions",
    ids.PROCEDURE: "functions", ids.AGGREGATE: "functions", ids.SCHEMA: "schemas",
    **dict.fromkeys(ids.TYPE_KINDS, "types"),
}  # fmt: skip

#: Kinds that have no owner of their own (they belong to their table), or whose owner cannot
#: be changed with ALTER ... OWNER TO (pg_dump writes none for them).
UNOWNED_KINDS = frozenset({
    ids.COLUMN, ids.CONSTRAINT, ids.INDEX, ids.TRIGGER, ids.POLICY, ids.RULE, ids.CAST,
    ids.USER_MAPPING, ids.EXTENSION, ids.TRANSFORM, ids.ACCESS_METHOD, ids.DEFAULT_PRIVILEGES,
    ids.UNSUPPORTED,
})  # fmt: skip
