"""RENAME applied to the catalogue: PostgreSQL refers by OID, so everything that uses a
renamed table, column, constraint, index or sequence follows it. fixtures/ddl/alter (step
0006) is the real-PostgreSQL proof; these pin each propagation and error."""

from __future__ import annotations

import pytest

import pgdrift
from pgdrift import model
from pgdrift.ids import ObjectId

BASE = """\
CREATE TABLE t (id serial PRIMARY KEY, a integer CHECK (a > 0), b text);
CREATE INDEX ON t (a);
CREATE TABLE c (t_id integer REFERENCES t);
CREATE POLICY p ON t USING (a > 1);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER tr BEFORE UPDATE OF a ON t FOR EACH ROW WHEN (NEW.a > 0) EXECUTE FUNCTION f();
GRANT SELECT (a) ON t TO app_user;
"""


def _objects(sql: str) -> dict[str, model.DbObject]:
    return {str(oid): obj for oid, obj in pgdrift.loads(sql).objects.items()}


def test_a_renamed_table_takes_its_parts_and_references_along() -> None:
    objects = _objects(BASE + "ALTER TABLE t RENAME TO u;")
    assert not [name for name in objects if ".t." in name or name.endswith(".t")]
    fk = objects["constraint:public.c.c_t_id_fkey"]
    assert isinstance(fk, model.Constraint)
    assert fk.references == ObjectId("table", "public", "u")
    sequence = objects["sequence:public.t_id_seq"]  # PostgreSQL keeps the sequence's name
    assert isinstance(sequence, model.Sequence)
    assert str(sequence.owned_by) == "column:public.u.id"
    assert {"constraint:public.u.t_pkey", "policy:public.u.p", "trigger:public.u.tr"} <= set(
        objects
    )
    table = objects["table:public.u"]
    assert isinstance(table, model.Table)
    assert table.columns["a"].privileges


def test_a_renamed_column_is_renamed_in_every_part_of_its_table() -> None:
    objects = _objects(BASE + "ALTER TABLE t RENAME COLUMN a TO amount;\n"
                       "ALTER TABLE t RENAME COLUMN id TO ident;")  # fmt: skip
    check = objects["constraint:public.t.t_a_check"]
    assert isinstance(check, model.Constraint)
    assert check.expression is not None
    assert check.expression.sql == "amount > 0"
    index = objects["index:public.t_a_idx"]
    assert isinstance(index, model.Index)
    assert index.elements[0].column == "amount"
    policy = objects["policy:public.t.p"]
    assert isinstance(policy, model.Policy)
    assert policy.using is not None
    assert policy.using.sql == "amount > 1"
    trigger = objects["trigger:public.t.tr"]
    assert isinstance(trigger, model.Trigger)
    assert trigger.update_columns == ("amount",)
    assert trigger.when is not None
    assert trigger.when.sql == "new.amount > 0"
    fk = objects["constraint:public.c.c_t_id_fkey"]
    assert isinstance(fk, model.Constraint)
    assert fk.referenced_columns == ("ident",)
    table = objects["table:public.t"]
    assert isinstance(table, model.Table)
    assert table.columns.names() == ("ident", "amount", "b")
    assert table.columns["amount"].privileges


def test_a_renamed_sequence_is_renamed_in_the_defaults_that_call_it() -> None:
    objects = _objects(BASE + "ALTER SEQUENCE t_id_seq RENAME TO ids;")
    table = objects["table:public.t"]
    assert isinstance(table, model.Table)
    default = table.columns["id"].default
    assert default is not None
    assert default.sql == "nextval('public.ids'::regclass)"


def test_renaming_a_constraint_index_renames_the_constraint() -> None:
    objects = _objects(BASE + "ALTER INDEX t_pkey RENAME TO t_primary;")
    assert "constraint:public.t.t_primary" in objects
    assert "constraint:public.t.t_pkey" not in objects


def test_a_rename_a_view_query_names_is_followed_and_a_rules_is_not_modelled() -> None:
    # The view names the table by OID and prints its new name (builder/query_relation_renames).
    schema = pgdrift.loads(BASE + "CREATE VIEW v AS SELECT a FROM t;\nALTER TABLE t RENAME TO u;")
    assert not schema.unsupported
    assert schema.views["public.v"].query.sql == "SELECT u.a FROM public.u"
    schema = pgdrift.loads(
        BASE + "CREATE RULE r AS ON INSERT TO c DO ALSO DELETE FROM t;\nALTER TABLE t RENAME TO u;"
    )
    (kept,) = schema.unsupported
    assert "rule:public.c.r names in its query" in kept.reason
    assert ObjectId("table", "public", "t") in schema.objects


@pytest.mark.parametrize(
    ("sql", "error", "message"),
    [
        ("ALTER TABLE nothing RENAME TO x;", pgdrift.UndefinedObjectError,
         r"relation public\.nothing does not exist"),
        ("ALTER TABLE t RENAME TO c;", pgdrift.DuplicateObjectError,
         r"relation public\.c already exists"),
        ("ALTER TABLE t RENAME COLUMN a TO b;", pgdrift.DuplicateObjectError,
         "column 'b' of table:public.t already exists"),
        ("ALTER TABLE t RENAME COLUMN z TO y;", pgdrift.UndefinedObjectError,
         'column "z" of relation "t"'),
        ("ALTER TABLE t RENAME CONSTRAINT nope TO x;", pgdrift.UndefinedObjectError,
         "constraint 'nope'"),
    ],
)  # fmt: skip
def test_rename_errors_are_postgresqls(sql: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        pgdrift.loads(BASE + sql)


def test_rename_if_exists_of_a_missing_table_is_a_no_op() -> None:
    assert not pgdrift.diff(
        pgdrift.loads(BASE), pgdrift.loads(BASE + "ALTER TABLE IF EXISTS nothing RENAME TO x;")
    )
