"""A dump rewritten by ``supabase db dump`` loads like the pg_dump it came from.

The CLI runs pg_dump without the platform's schemas and rewrites its output (CREATE TABLE IF
NOT EXISTS, CREATE OR REPLACE, --quote-all-identifiers quoting, commented-out event triggers and
publications, comment lines deleted even inside function bodies). What the model reads from it
must match the plain dump of the same database, except for exactly what the CLI removes.
"""

from __future__ import annotations

from pathlib import Path

import pgdrift
from pgdrift.differ import diff

CASE = Path(__file__).resolve().parent.parent / "fixtures" / "supabase"


def test_supabase_cli_dump_loads_without_errors_or_unsupported_statements() -> None:
    schema = pgdrift.load(CASE / "dump.supabase-cli.sql")
    assert not schema.unsupported
    assert "public.invoices" in schema.tables


def test_supabase_cli_dump_matches_the_plain_dump_except_what_the_cli_removes() -> None:
    plain = pgdrift.load(CASE / "dump.sql")
    cli = pgdrift.load(CASE / "dump.supabase-cli.sql")
    kept = sorted({o.schema for o in cli if o.schema is not None})
    changes = diff(plain, cli, include_schemas=kept)
    seen = {(c.operation, str(c.id)) for c in changes}
    assert seen == {
        # The CLI comments out event triggers and the publications it manages, and drops
        # supabase_admin's default privileges.
        ("drop", "event_trigger:issue_pg_graphql_access"),
        ("drop", "event_trigger:pgrst_ddl_watch"),
        ("drop", "publication:supabase_realtime_messages_publication"),
        ("drop", "default_privileges:supabase_admin:public:tables"),
        # It deletes lines starting with -- even inside function bodies.
        ("alter", "function:public.set_updated_at()"),
    }
    (body_change,) = changes.filter(kind="function")
    body = body_change.detail("body")
    assert body is not None
    assert body.note == "whitespace or comments only"
