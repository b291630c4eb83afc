"""``pgdrift.matrix``: rows, cells and variants folded from the differ's pairwise change sets;
grouping by table with security-relevant rows first; labels; renames; filters.

The whole LiveConvo dev/staging/prod matrix is a golden file in three formats
(``tests/golden/matrix/``); regenerate with ``nox -s goldens`` and review the diff.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

import pgdrift
from pgdrift.drift_matrix import (
    MATRIX_FORMATS,
    DriftMatrix,
    matrix_labels,
    render_matrix,
)
from pgdrift.ids import ObjectId

ROOT = Path(__file__).resolve().parent.parent
LIVECONVO = ROOT / "fixtures" / "liveconvo"
ENVIRONMENTS = ("dev", "staging", "prod")

BASE = """
CREATE TABLE public.users (id uuid NOT NULL, email text, plan text DEFAULT 'free');
CREATE INDEX users_email ON public.users (email);
"""


def cells(drift: DriftMatrix, oid: str) -> list[int | None]:
    row = drift.row(oid)
    assert row is not None, f"no row for {oid}: {[str(r.id) for r in drift]}"
    return [cell.variant for cell in row.cells]


def liveconvo(**options: object) -> DriftMatrix:
    schemas = [
        pgdrift.load(LIVECONVO / env / "dump.sql", name=f"fixtures/liveconvo/{env}/dump.sql")
        for env in ENVIRONMENTS
    ]
    return pgdrift.matrix(schemas, labels=ENVIRONMENTS, **options)


# Variants ----------------------------------------------------------------------------------------


def test_variants_are_numbered_in_order_of_first_appearance() -> None:
    a = pgdrift.loads(BASE)
    b = pgdrift.loads(BASE.replace("email text", "email varchar(200)"))
    c = pgdrift.loads(BASE.replace("email text", "email varchar(100)"))
    drift = pgdrift.matrix([a, b, a, c, b])
    assert cells(drift, "column:public.users.email") == [1, 2, 1, 3, 2]
    row = drift.row("column:public.users.email")
    assert row is not None
    assert [str(v.type) for v in row.variants] == [  # type: ignore[attr-defined]
        "text", "character varying(200)", "character varying(100)"]  # fmt: skip


def test_the_first_environment_without_the_object_does_not_take_a_number() -> None:
    a = pgdrift.loads(BASE)
    b = pgdrift.loads(BASE + "CREATE TABLE public.audit (id bigint);")
    c = pgdrift.loads(BASE + "CREATE TABLE public.audit (id bigint, at timestamptz);")
    drift = pgdrift.matrix([a, b, c])
    assert cells(drift, "table:public.audit") == [None, 1, 1]
    # The table's own definition is the same in b and c: the column is a row of its own, and
    # a column of a table that a has not is absent there too.
    assert cells(drift, "column:public.audit.at") == [None, None, 1]


def test_a_column_differing_between_two_environments_that_both_lack_it_in_the_first() -> None:
    # Diffed only against the first environment, the column's change would stay hidden in
    # the creation of its table; every pair is diffed.
    a = pgdrift.loads(BASE)
    b = pgdrift.loads(BASE + "CREATE TABLE public.audit (id bigint);")
    c = pgdrift.loads(BASE + "CREATE TABLE public.audit (id integer);")
    drift = pgdrift.matrix([a, b, c])
    assert cells(drift, "column:public.audit.id") == [None, 1, 2]
    row = drift.row("column:public.audit.id")
    assert row is not None
    [difference] = row.differences
    assert (difference.old, difference.new, difference.change.operation) == (1, 2, "alter")


def test_only_objects_that_differ_somewhere_are_rows() -> None:
    a = pgdrift.loads(BASE)
    b = pgdrift.loads(BASE.replace("'free'", "'trial'"))
    drift = pgdrift.matrix([a, a, b])
    assert [str(row.id) for row in drift] == ["column:public.users.plan"]
    assert cells(drift, "column:public.users.plan") == [1, 1, 2]


def test_identical_environments_make_an_empty_matrix() -> None:
    a = pgdrift.loads(BASE)
    drift = pgdrift.matrix([a, pgdrift.loads(BASE), a], labels=["dev", "staging", "prod"])
    assert not drift
    assert len(drift) == 0
    assert render_matrix(drift, "text") == (
        "no drift across dev, staging, prod: every object is the same in all of them\n"
    )


# Grouping and order --------------------------------------------------------------------------


SECURED = BASE + """
ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
CREATE TABLE public.notes (id bigint, body text);
"""


def test_security_relevant_rows_come_first_then_rows_by_table() -> None:
    a = pgdrift.loads(SECURED)
    b = pgdrift.loads(SECURED.replace("ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;", "")
                      .replace("body text", "body varchar(10)")
                      + "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS 'SELECT 1';")
    drift = pgdrift.matrix([a, b])
    assert [(str(r.id), r.security_relevant) for r in drift] == [
        ("table:public.users", True),
        ("column:public.notes.body", False),
        ("function:public.f()", False),
    ]
    assert [(g.security, g.table) for g in drift.groups()] == [
        (True, ObjectId("table", "public", "users")),
        (False, ObjectId("table", "public", "notes")),
        (False, None),
    ]


def test_security_reasons_are_the_differs_in_both_directions() -> None:
    a = pgdrift.loads(SECURED)
    b = pgdrift.loads(SECURED.replace("ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;", ""))
    # The diff flags the change from a to b only; the matrix whichever comes first.
    assert pgdrift.diff(a, b).filter(object="table:public.users")[0].security == (
        "row level security disabled",)  # fmt: skip
    assert not pgdrift.diff(b, a).filter(object="table:public.users")[0].security
    for order, labels in (([a, b], ["prod", "dev"]), ([b, a], ["dev", "prod"])):
        drift = pgdrift.matrix(order, labels=labels)
        row = drift.row("table:public.users")
        assert row is not None
        assert [(n.source, n.target, n.reason) for n in row.security] == [
            ("prod", "dev", "row level security disabled")]  # fmt: skip


def test_a_table_s_parts_follow_it_in_report_order() -> None:
    a = pgdrift.loads(BASE)
    b = pgdrift.loads("CREATE TABLE public.users (id uuid NOT NULL, email text);")
    drift = pgdrift.matrix([a, b])
    assert [str(r.id) for r in drift] == ["column:public.users.plan", "index:public.users_email"]


def test_the_result_does_not_depend_on_the_order_objects_were_written() -> None:
    statements = [
        "CREATE TABLE public.notes (id bigint, body text);",
        "CREATE TABLE public.users (id uuid NOT NULL, email varchar(20));",
        "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS 'SELECT 1';",
        "CREATE TYPE public.mood AS ENUM ('ok', 'sad');",
    ]
    shuffled = statements[:]
    random.Random(15).shuffle(shuffled)
    assert shuffled != statements
    other = pgdrift.loads(BASE)
    first = pgdrift.matrix([pgdrift.loads("\n".join(statements)), other])
    second = pgdrift.matrix([pgdrift.loads("\n".join(shuffled)), other])
    assert render_matrix(first, "json") == render_matrix(second, "json")


# Labels and environments -----------------------------------------------------------------------


def test_labels_default_to_letters() -> None:
    assert matrix_labels(None, 3) == ("a", "b", "c")
    assert matrix_labels(None, 27)[-1] == "env27"


@pytest.mark.parametrize(("labels", "message"), [
    (["dev", "prod"], "3 environments need 3 labels, got 2: dev, prod"),
    (["dev", "staging", "prod", "qa"], "3 environments need 3 labels, got 4"),
    (["dev", "dev", "prod"], "labels must differ; repeated: dev"),
    (["dev", " ", "prod"], "labels cannot be empty"),
])  # fmt: skip
def test_labels_must_be_one_distinct_name_per_environment(labels: list[str], message: str) -> None:
    a = pgdrift.loads(BASE)
    with pytest.raises(ValueError, match=message):
        pgdrift.matrix([a, a, a], labels=labels)


def test_one_environment_is_not_a_matrix() -> None:
    with pytest.raises(ValueError, match="two environments or more, got 1"):
        pgdrift.matrix([pgdrift.loads(BASE)])


# Diff options ----------------------------------------------------------------------------------


def test_the_diff_options_apply_to_every_pair() -> None:
    a = pgdrift.loads(BASE + "CREATE SCHEMA audit; CREATE TABLE audit.log (id bigint);")
    b = pgdrift.loads(BASE.replace("'free'", "'trial'"))
    assert {str(r.id) for r in pgdrift.matrix([a, b])} == {
        "schema:audit", "table:audit.log", "column:public.users.plan"}  # fmt: skip
    drift = pgdrift.matrix([a, b], exclude_schemas=["audit"], include_kinds=["table", "column"])
    assert [str(r.id) for r in drift] == ["column:public.users.plan"]
    options = pgdrift.DiffOptions(exclude_schemas=["audit"])
    assert len(pgdrift.matrix([a, b], options=options)) == 1


def test_a_confirmed_rename_reads_both_ways() -> None:
    old = pgdrift.loads(BASE)
    new = pgdrift.loads(BASE.replace("email text", "mail text"))
    # The new name sits left of the old in the second pair: the rename is confirmed backwards.
    drift = pgdrift.matrix([old, new, old], renames={"users.email": "mail"})
    row = drift.row("column:public.users.email")
    assert row is not None
    assert [(c.variant, str(c.renamed) if c.renamed else None) for c in row.cells] == [
        (1, None), (None, "column:public.users.mail"), (1, None)]  # fmt: skip
    mail = drift.row("column:public.users.mail")
    assert mail is not None
    assert [str(c.renamed) if c.renamed else c.variant for c in mail.cells] == [
        "column:public.users.email", 1, "column:public.users.email"]  # fmt: skip
    # Unconfirmed, they are two objects: one absent where the other is.
    plain = pgdrift.matrix([old, new, old])
    assert all(c.renamed is None for row in plain for c in row.cells)


def test_ignore_switches_make_variants_equal() -> None:
    a = pgdrift.loads(BASE + "COMMENT ON TABLE public.users IS 'people';")
    b = pgdrift.loads(BASE + "COMMENT ON TABLE public.users IS 'accounts';")
    assert cells(pgdrift.matrix([a, b, a]), "table:public.users") == [1, 2, 1]
    assert not pgdrift.matrix([a, b, a], ignore_comments=True)


# The LiveConvo environments ----------------------------------------------------------------------


def test_liveconvo_staging_sits_between_dev_and_prod() -> None:
    drift = liveconvo()
    # From dev: two of its tables; dev's device_id type. Its own: no RLS on the fraud checks.
    assert cells(drift, "table:public.custom_reports") == [1, 1, None]
    assert cells(drift, "table:public.user_preferences") == [1, 1, None]
    assert cells(drift, "table:public.email_notifications") == [1, None, None]
    assert cells(drift, "column:public.user_referrals.device_id") == [1, 1, 2]
    assert cells(drift, "table:public.referral_fraud_checks") == [None, 1, 2]
    fraud = drift.row("table:public.referral_fraud_checks")
    assert fraud is not None
    assert fraud.security_relevant
    assert [(n.source, n.target, n.reason) for n in fraud.security] == [
        ("prod", "staging", "row level security disabled")]  # fmt: skip
    assert drift.rows[0].security_relevant
    # Identical everywhere: not a row.
    assert drift.row("table:public.users") is None
    assert drift.row("enum:public.referral_status") is None


@pytest.mark.parametrize("detect", [False, True])
def test_two_environments_have_a_row_per_object_the_diff_changes(detect: bool) -> None:
    dev, _, prod = (pgdrift.load(LIVECONVO / env / "dump.sql") for env in ENVIRONMENTS)
    changes = pgdrift.diff(dev, prod, detect_renames=detect)
    touched = {c.id for c in changes} | {c.new_id for c in changes if c.operation == "rename"}
    drift = pgdrift.matrix([dev, prod], detect_renames=detect)
    assert {row.id for row in drift} == touched
    flagged = {c.id for c in changes if c.security} | {
        c.id for c in changes.inverse() if c.security}  # fmt: skip
    assert {row.id for row in drift if row.security_relevant} == flagged


def test_liveconvo_renames_detected_as_in_diff() -> None:
    drift = liveconvo(detect_renames=True)
    row = drift.row("column:public.user_referrals.referrer_id")
    assert row is not None
    assert [str(c.renamed) if c.renamed else c.variant for c in row.cells] == [
        1, "column:public.user_referrals.referrer_user_id",
        "column:public.user_referrals.referrer_user_id"]  # fmt: skip


@pytest.mark.parametrize(("name", "fmt", "options"), [
    ("liveconvo.md", "markdown", {"detect_renames": True, "detail": True}),
    ("liveconvo.txt", "text", {}),
    ("liveconvo.json", "json", {"detect_renames": True}),
])  # fmt: skip
def test_liveconvo_matrix_matches_its_golden_file(
    golden: Callable[[str, str], None], name: str, fmt: str, options: dict[str, bool]
) -> None:
    detail = options.pop("detail", False)
    report = render_matrix(liveconvo(**options), fmt, detail=detail)
    golden(f"matrix/{name}", report)
    assert render_matrix(liveconvo(**options), fmt, detail=detail) == report


def test_json_layout_is_versioned_and_complete() -> None:
    data = json.loads(render_matrix(liveconvo(), "json"))
    assert (data["format"], data["version"]) == ("pgdrift.matrix", 1)
    assert data["labels"] == list(ENVIRONMENTS)
    assert data["summary"]["objects"] == len(data["rows"])
    assert data["summary"]["security"] == sum(1 for r in data["rows"] if r["security"])
    row = next(r for r in data["rows"] if r["id"] == "column:public.user_referrals.device_id")
    assert row["cells"] == [1, 1, 2]
    assert [v["type"] for v in row["variants"]] == ["character varying(255)", "text"]
    assert row["differences"][0]["change"]["details"][0]["field"] == "type"


def test_render_matrix_knows_its_formats() -> None:
    drift = pgdrift.matrix([pgdrift.loads(BASE), pgdrift.loads(BASE)])
    assert MATRIX_FORMATS == ("json", "markdown", "text")
    for fmt in MATRIX_FORMATS:
        assert render_matrix(drift, fmt).endswith("\n")
    with pytest.raises(ValueError, match="unknown format 'sql'"):
        render_matrix(drift, "sql")
