"""Acceptance: diffing the LiveConvo dev and prod dumps finds every finding of the reference
report (/work/shared/liveconvo-schema-report.md, checklist in fixtures/liveconvo/README.md).

Each test checks one finding twice: in the change set (what the API gives) and in the markdown
report (what a person reads). The diff is the one the CLI runs for ``pgdrift diff --format
markdown --labels dev,prod --detect-renames fixtures/liveconvo/dev/dump.sql
fixtures/liveconvo/prod/dump.sql``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import pgdrift
from pgdrift import ids, model
from pgdrift.differ import ChangeSet, Created, Dropped, Renamed, diff
from pgdrift.ids import ObjectId
from pgdrift.renderer import render_markdown

ROOT = Path(__file__).resolve().parent.parent
LIVECONVO = ROOT / "fixtures" / "liveconvo"


@pytest.fixture(scope="module")
def changes() -> ChangeSet:
    dev = pgdrift.load(LIVECONVO / "dev" / "dump.sql", name="fixtures/liveconvo/dev/dump.sql")
    prod = pgdrift.load(LIVECONVO / "prod" / "dump.sql", name="fixtures/liveconvo/prod/dump.sql")
    return diff(dev, prod, labels=("dev", "prod"), detect_renames=True)


@pytest.fixture(scope="module")
def report(changes: ChangeSet) -> str:
    return render_markdown(changes)


def section(text: str, heading: str) -> str:
    """From a heading line (``#### `public.users```) to the next heading of its level or
    higher."""
    level = len(heading) - len(heading.lstrip("#"))
    start = text.index(heading + "\n")
    end = re.compile(rf"^#{{1,{level}}} ", re.M).search(text, start + len(heading) + 1)
    return text[start : end.start() if end else len(text)]


def table(name: str) -> ObjectId:
    return ObjectId(ids.TABLE, "public", name)


def column(table_name: str, name: str) -> ObjectId:
    return ObjectId(ids.COLUMN, "public", name, parent=table_name)


def function(name: str, *args: str) -> ObjectId:
    return ObjectId(ids.FUNCTION, "public", name, args=args)


def only(changes: ChangeSet, oid: ObjectId) -> object:
    (found,) = [c for c in changes if c.id == oid]
    return found


def column_lines(listing: str) -> list[str]:
    """The column lines of the first sql block in a table listing, whitespace squeezed."""
    match = re.search(r"```sql\n(.*?)\n *```", listing, re.S)
    assert match is not None
    return [" ".join(line.split()) for line in match.group(1).splitlines()]


# Report §1: tables on one side only --------------------------------------------------------


def test_custom_reports_exists_only_in_dev_with_its_columns_and_indexes(
    changes: ChangeSet, report: str
) -> None:
    change = only(changes, table("custom_reports"))
    assert isinstance(change, Dropped)
    assert isinstance(change.before, model.Table)
    assert change.before.columns.names() == (
        "id", "session_id", "user_id", "prompt", "template", "generated_content", "metadata",
        "created_at", "updated_at",
    )  # fmt: skip
    listing = section(report, "#### `public.custom_reports`")
    assert column_lines(listing) == [
        "id uuid PRIMARY KEY DEFAULT gen_random_uuid()",
        "session_id uuid NOT NULL (FK to public.sessions)",
        "user_id uuid NOT NULL (FK to public.users)",
        "prompt text NOT NULL",
        "template character varying(100) DEFAULT 'custom'::character varying",
        "generated_content text",
        "metadata jsonb DEFAULT '{}'::jsonb",
        "created_at timestamp with time zone DEFAULT now()",
        "updated_at timestamp with time zone DEFAULT now()",
    ]
    for index in ("Index on `session_id`", "Index on `user_id`", "Index on `created_at DESC`"):
        assert f"  - {index} (" in listing
    assert "### Tables in dev but not in prod (4 tables)" in report


def test_email_notifications_exists_only_in_dev_with_its_columns_and_indexes(
    changes: ChangeSet, report: str
) -> None:
    assert isinstance(only(changes, table("email_notifications")), Dropped)
    listing = section(report, "#### `public.email_notifications`")
    lines = column_lines(listing)
    assert len(lines) == 10
    assert "email_type character varying(50) NOT NULL" in lines
    assert "recipient_email character varying(255) NOT NULL" in lines
    assert ("status character varying(20) NOT NULL DEFAULT 'pending'::character varying"
            in lines)  # fmt: skip
    assert "created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP" in lines
    assert "session_id uuid NOT NULL (FK to public.sessions)" in lines
    for key in ("session_id", "user_id", "email_type", "status"):
        assert f"  - Index on `{key}` (" in listing


def test_referral_audit_logs_exists_only_in_dev_with_its_columns_and_indexes(
    changes: ChangeSet, report: str
) -> None:
    assert isinstance(only(changes, table("referral_audit_logs")), Dropped)
    listing = section(report, "#### `public.referral_audit_logs`")
    lines = column_lines(listing)
    assert len(lines) == 13
    assert "event_type public.referral_event_type NOT NULL" in lines
    assert "referral_id uuid (FK to public.user_referrals)" in lines
    assert "device_id character varying(255)" in lines
    assert "created_at timestamp with time zone NOT NULL DEFAULT now()" in lines
    for key in ("user_id", "referrer_id", "event_type", "referral_code", "created_at DESC"):
        assert f"  - Index on `{key}` (" in listing


def test_user_preferences_exists_only_in_dev_with_its_unique_key_and_redundant_index(
    changes: ChangeSet, report: str
) -> None:
    assert isinstance(only(changes, table("user_preferences")), Dropped)
    dropped = {str(c.id) for c in changes if isinstance(c, Dropped)}
    assert "constraint:public.user_preferences.user_preferences_user_id_key" in dropped
    assert "index:public.idx_user_preferences_user_id" in dropped
    listing = section(report, "#### `public.user_preferences`")
    lines = column_lines(listing)
    assert "user_id uuid NOT NULL UNIQUE (FK to public.users)" in lines
    assert [line.split()[-1] for line in lines if line.startswith("email_")] == [
        "TRUE", "TRUE", "FALSE", "TRUE",
    ]  # fmt: skip
    assert "  - Unique constraint on `user_id` (`user_preferences_user_id_key`)" in listing
    assert "  - Index on `user_id` (`idx_user_preferences_user_id`)" in listing


def test_referral_fraud_checks_exists_only_in_prod_with_its_columns_and_indexes(
    changes: ChangeSet, report: str
) -> None:
    change = only(changes, table("referral_fraud_checks"))
    assert isinstance(change, Created)
    assert "### Tables in prod but not in dev (1 table)" in report
    listing = section(report, "#### `public.referral_fraud_checks`")
    lines = column_lines(listing)
    assert len(lines) == 8
    assert "user_id uuid (FK to public.users)" in lines
    assert "flagged boolean DEFAULT FALSE" in lines
    for key in ("device_id", "ip_address", "card_fingerprint"):
        assert f"  - Index on `{key}` (" in listing


# Report §2: common tables ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "count"), [("users", 27), ("subscriptions", 16)])
def test_shared_table_is_identical_with_its_column_count(
    changes: ChangeSet, report: str, name: str, count: int
) -> None:
    tid = table(name)
    parts = [c for c in changes if c.table == tid and c.kind != ids.TRIGGER]
    assert parts == []
    assert len(changes.old.tables[tid.qualified_name].columns) == count
    assert f"- `public.{name}` — IDENTICAL, {count} columns" in report


def test_sessions_is_identical(changes: ChangeSet, report: str) -> None:
    assert [c for c in changes if c.table == table("sessions")] == []
    assert "- `public.sessions` — IDENTICAL, 13 columns\n" in report


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("referrer_id", "referrer_user_id"),
        ("referee_id", "referee_user_id"),
        ("discount_percentage", "referee_discount_percent"),
    ],
)
def test_user_referrals_rename_is_detected(
    changes: ChangeSet, report: str, old: str, new: str
) -> None:
    change = only(changes, column("user_referrals", old))
    assert isinstance(change, Renamed)
    assert change.new_id == column("user_referrals", new)
    renamed = section(report, "### 2.1 `public.user_referrals` — DIFFERENT")
    assert re.search(rf"^  - `{old}` → `{new}`: detected, score 0\.\d\d: same type ", renamed,
                     re.M)  # fmt: skip


def test_exactly_the_three_renames_are_detected(changes: ChangeSet, report: str) -> None:
    renames = [(c.id.name, c.new_id.name) for c in changes
               if isinstance(c, Renamed) and c.kind == ids.COLUMN]  # fmt: skip
    assert renames == [
        ("discount_percentage", "referee_discount_percent"),
        ("referee_id", "referee_user_id"),
        ("referrer_id", "referrer_user_id"),
    ]
    assert all(c.confirmed for c in changes.rename_candidates)
    assert "- **Renamed columns** (3):" in report
    assert "Probable renames not confirmed" not in report


def test_constraints_and_indexes_named_after_renamed_columns_are_renames_too(
    changes: ChangeSet,
) -> None:
    """Once the column renames are carried into their dependents, an index or constraint whose
    only difference is its name (taken from the old column name) is a rename; the referee
    foreign key also changed ON DELETE, so it stays a drop and a create."""
    others = sorted((c.kind, c.id.name, c.new_id.name) for c in changes
                    if isinstance(c, Renamed) and c.kind != ids.COLUMN)  # fmt: skip
    assert others == [
        ("constraint", "user_referrals_referee_id_key", "user_referrals_referee_user_id_key"),
        ("constraint", "user_referrals_referrer_id_fkey", "user_referrals_referrer_user_id_fkey"),
        ("index", "idx_user_referrals_referrer_id", "idx_user_referrals_referrer_user_id"),
    ]
    fk_changes = {(c.operation, c.id.name) for c in changes.filter(kind="constraint")
                  if c.id.parent == "user_referrals" and "referee" in c.id.name
                  and "fkey" in c.id.name}  # fmt: skip
    assert fk_changes == {("drop", "user_referrals_referee_id_fkey"),
                          ("create", "user_referrals_referee_user_id_fkey")}  # fmt: skip


def test_user_referrals_has_four_columns_only_in_dev(changes: ChangeSet, report: str) -> None:
    dropped = [c.id.name for c in changes if isinstance(c, Dropped) and c.kind == ids.COLUMN]
    assert sorted(dropped) == [
        "metadata", "referee_email", "stripe_customer_id", "stripe_payment_intent_id",
    ]  # fmt: skip
    block = section(report, "### 2.1 `public.user_referrals` — DIFFERENT")
    assert ("- **Only in dev** (4 columns):\n"
            "  - `referee_email` `character varying(255) NOT NULL`\n"
            "  - `stripe_customer_id` `character varying(255)`\n"
            "  - `stripe_payment_intent_id` `character varying(255)`\n"
            "  - `metadata` `jsonb DEFAULT '{}'::jsonb`\n") in block  # fmt: skip


def test_user_referrals_has_six_columns_only_in_prod(changes: ChangeSet, report: str) -> None:
    created = [c.id.name for c in changes if isinstance(c, Created) and c.kind == ids.COLUMN]
    assert sorted(created) == [
        "first_payment_id", "referee_discount_applied", "referral_code", "rewarded_at",
        "stripe_checkout_session_id", "stripe_coupon_id",
    ]  # fmt: skip
    block = section(report, "### 2.1 `public.user_referrals` — DIFFERENT")
    assert "- **Only in prod** (6 columns):" in block
    assert "  - `referral_code` `character varying(10) NOT NULL`" in block
    assert "  - `referee_discount_applied` `boolean DEFAULT FALSE`" in block


def test_device_id_is_varchar_255_in_dev_and_text_in_prod(changes: ChangeSet, report: str) -> None:
    change = only(changes, column("user_referrals", "device_id"))
    detail = change.detail("type")  # type: ignore[attr-defined]
    assert (str(detail.old), str(detail.new)) == ("character varying(255)", "text")
    assert "| `device_id` | type | `character varying(255)` | `text` |" in report
    # A widening: not among the critical issues.
    assert "device_id" not in report.split("## 7. Critical issues")[1]


def test_referee_user_id_is_nullable_in_prod(changes: ChangeSet, report: str) -> None:
    change = only(changes, column("user_referrals", "referee_id"))
    assert isinstance(change, Renamed)
    detail = change.detail("not_null")
    assert detail is not None
    assert (detail.old, detail.new) == (True, False)
    assert ("  - `referee_id` → `referee_user_id`: detected, score 0.74: same type uuid, "
            "similar name (80%); also NOT NULL: yes in dev, no in prod") in report  # fmt: skip
    assert re.search(r"^referee_user_id +uuid UNIQUE \(FK to public\.users\) +-- renamed from "
                     r"referee_id in dev, NOT NULL in dev$", report, re.M)  # fmt: skip


@pytest.mark.parametrize("name", ["status", "created_at"])
def test_column_is_not_null_in_dev_and_nullable_in_prod(
    changes: ChangeSet, report: str, name: str
) -> None:
    change = only(changes, column("user_referrals", name))
    assert [(d.field, d.old, d.new) for d in change.details] == [  # type: ignore[attr-defined]
        ("not_null", True, False)
    ]
    assert f"| `{name}` | NOT NULL | yes | no |" in report


def test_user_referrals_column_order_differs(changes: ChangeSet, report: str) -> None:
    change = only(changes, table("user_referrals"))
    order = change.detail("column_order")  # type: ignore[attr-defined]
    assert order.old.index("ip_address") < order.old.index("device_id")
    assert order.new.index("ip_address") > order.new.index("device_id")
    assert "- **Column order** differs" in report
    assert ("  - prod: `id`, `status`, `reward_amount`, `device_id`, `ip_address`, "
            "`created_at`, `completed_at`") in report  # fmt: skip


# Report §3: enums --------------------------------------------------------------------------


EVENT_TYPES = (
    "link_clicked", "code_validated", "code_invalid", "signup_attempted", "signup_completed",
    "self_referral_blocked", "payment_completed", "credit_scheduled", "credit_granted",
    "credit_failed", "refund_processed", "fraud_detected", "error",
)  # fmt: skip


def test_referral_event_type_exists_only_in_dev_with_its_13_labels(
    changes: ChangeSet, report: str
) -> None:
    change = only(changes, ObjectId(ids.ENUM, "public", "referral_event_type"))
    assert isinstance(change, Dropped)
    assert isinstance(change.before, model.Enum)
    assert change.before.labels == EVENT_TYPES
    labels = ", ".join(f"`{label}`" for label in EVENT_TYPES)
    assert f"- `public.referral_event_type` with 13 labels: {labels}\n" in report


def test_referral_status_is_identical(changes: ChangeSet, report: str) -> None:
    assert [c for c in changes if c.id.name == "referral_status"] == []
    assert ("- `public.referral_status` — IDENTICAL, 4 labels: `pending`, `completed`, "
            "`rewarded`, `expired`") in report  # fmt: skip


# Report §4: functions ----------------------------------------------------------------------


def test_functions_only_in_dev(changes: ChangeSet, report: str) -> None:
    dropped = sorted(str(c.id) for c in changes if isinstance(c, Dropped)
                     and c.kind == ids.FUNCTION)  # fmt: skip
    assert dropped == [
        "function:public.complete_referral(uuid, text)",
        "function:public.generate_referral_code()",
        "function:public.generate_user_referral_code()",
        "function:public.handle_new_user()",
        "function:public.log_referral_event(public.referral_event_type, uuid, uuid, uuid, "
        "uuid, text, inet, text, text, jsonb, text)",
    ]
    only_dev = section(report, "### Only in dev (4)")
    for name in ("complete_referral(p_referee_id uuid, p_payment_intent_id text)",
                 "generate_user_referral_code()", "handle_new_user()",
                 "log_referral_event(p_event_type public.referral_event_type"):  # fmt: skip
        assert f"- `public.{name}" in only_dev
    assert "dev has 6 functions, prod has 4" in report


def test_functions_only_in_prod(changes: ChangeSet, report: str) -> None:
    created = sorted(str(c.id) for c in changes if isinstance(c, Created)
                     and c.kind == ids.FUNCTION)  # fmt: skip
    assert created == [
        "function:public.check_referral_limits(uuid, inet, text)",
        "function:public.generate_referral_code(uuid)",
        "function:public.handle_new_user_referral()",
    ]
    only_prod = section(report, "### Only in prod (2)")
    assert ("- `public.check_referral_limits(p_referrer_id uuid, p_ip_address inet, "
            "p_device_id text)` — returns boolean") in only_prod  # fmt: skip
    assert "- `public.handle_new_user_referral()` — returns trigger" in only_prod


def test_generate_referral_code_signature_change_is_grouped_under_one_name(
    changes: ChangeSet, report: str
) -> None:
    assert isinstance(only(changes, function("generate_referral_code")), Dropped)
    assert isinstance(only(changes, function("generate_referral_code", "uuid")), Created)
    group = section(report, "#### `public.generate_referral_code`")
    assert group.splitlines()[2:4] == [
        "- only in dev: `public.generate_referral_code()` — returns text; plpgsql, volatile",
        "- only in prod: `public.generate_referral_code(p_user_id uuid)` — returns text; "
        "plpgsql, volatile",
    ]
    assert report.count("generate_referral_code()`") == 2  # the group and the critical issue


def test_process_referral_code_body_differs(changes: ChangeSet, report: str) -> None:
    change = only(changes, function("process_referral_code", "text", "uuid", "inet", "text"))
    assert [d.field for d in change.details] == ["body"]  # type: ignore[attr-defined]
    body = section(report, "### Defined differently (1)")
    assert "-        PERFORM public.log_referral_event(" in body
    assert "+    IF NOT public.check_referral_limits(v_referrer_id, p_ip_address, p_device_id)" in (
        body)  # fmt: skip
    assert "+        INSERT INTO public.referral_fraud_checks" in body


# What follows from the findings, and nothing else ------------------------------------------


def test_trigger_differences_on_users_are_reported_apart_from_the_table(
    changes: ChangeSet, report: str
) -> None:
    triggers = [(c.operation, c.id.name) for c in changes if c.kind == ids.TRIGGER]
    assert triggers == [
        ("drop", "on_user_created"),
        ("drop", "on_user_created_generate_referral_code"),
        ("create", "on_user_created_referral"),
    ]
    assert "`public.users` — IDENTICAL, 27 columns (its triggers differ: see “Triggers”)" in report


def test_only_the_new_security_definer_function_is_security_relevant(
    changes: ChangeSet, report: str
) -> None:
    # The dev-only tables' policies go with their tables: dropping them opens nothing.
    flagged = [(str(c.id), c.security) for c in changes if c.security]
    assert flagged == [
        ("function:public.handle_new_user_referral()", ("new SECURITY DEFINER function",)),
    ]
    assert report.count("**Security**") == 1


def test_critical_issues_start_with_the_dropped_tables_and_columns(report: str) -> None:
    critical = report.split("## 7. Critical issues")[1]
    items = re.findall(r"^\d+\. (.*)$", critical, re.M)
    assert [item.split("`")[1] for item in items[:4]] == [
        "public.custom_reports", "public.email_notifications", "public.referral_audit_logs",
        "public.user_preferences",
    ]  # fmt: skip
    assert items[4].startswith("**Data loss**: 4 columns of `public.user_referrals`")
    assert items[5].startswith("**Incompatible**: renamed columns of `public.user_referrals`")
    assert items[-1].startswith("**Security**")


def test_nothing_else_differs(changes: ChangeSet) -> None:
    one_sided = {"custom_reports", "email_notifications", "referral_audit_logs",
                 "user_preferences", "referral_fraud_checks"}  # fmt: skip
    rest = []
    for change in changes:
        owner = change.table
        if owner is not None and owner.name in one_sided | {"user_referrals"}:
            continue
        if change.kind == ids.TRIGGER and owner == table("users"):
            continue
        rest.append(str(change.id))
    assert rest == [
        "enum:public.referral_event_type",
        "function:public.check_referral_limits(uuid, inet, text)",
        "function:public.complete_referral(uuid, text)",
        "function:public.generate_referral_code()",
        "function:public.generate_referral_code(uuid)",
        "function:public.generate_user_referral_code()",
        "function:public.handle_new_user()",
        "function:public.handle_new_user_referral()",
        "function:public.log_referral_event(public.referral_event_type, uuid, uuid, uuid, uuid, "
        "text, inet, text, text, jsonb, text)",
        "function:public.process_referral_code(text, uuid, inet, text)",
    ]
