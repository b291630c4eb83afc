"""What ``supabase db dump`` does to pg_dump's output, so fixtures can include such a file.

The Supabase CLI cannot be installed here (it downloads a binary), but its schema dump is only
pg_dump with fixed flags piped through a fixed list of ``sed`` expressions. This module holds
both, taken from the supabase/cli repository:

* ``pkg/migration/scripts/dump_schema.sh`` (commit 2e8a721a) -- the pg_dump flags and the
  ``sed -E`` pipeline;
* ``pkg/migration/dump.go`` (commit fdb14047) -- ``InternalSchemas`` (the ``EXCLUDED_SCHEMAS``
  value when no ``--schema`` is given) and ``EXTRA_SED=/^--/d`` unless ``--keep-comments``;
* three later additions, seen in the script that ``supabase db dump --dry-run`` prints in
  newer CLI releases: the ``etl`` internal schema, the ``pgmq`` extension rule and the
  ``GRANT ALL ON FOREIGN DATA WRAPPER ... TO "postgres" WITH GRANT OPTION`` rule.

The rules only match pg_dump's output under ``--quote-all-identifiers`` (``CREATE TABLE "``),
so the input must be a dump made with :data:`PG_DUMP_ARGS`, not a plain ``dump.sql``.
``tools/pgcluster.py`` does that for fixture cases whose ``fixture.json`` says
``{"also": ["supabase-cli"]}``. As a script it filters standard input to standard output::

    python tools/supabase_rewrite.py --print-pg-dump-args   # the flags, one per line
    python tools/supabase_rewrite.py < cli-flags-dump.sql > dump.supabase-cli.sql
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import Final

__all__ = ["INTERNAL_SCHEMAS", "PG_DUMP_ARGS", "rewrite_dump"]

INTERNAL_SCHEMAS: Final = (
    "information_schema",
    "pg_*",
    "_analytics",
    "_realtime",
    "_supavisor",
    "auth",
    "etl",
    "extensions",
    "pgbouncer",
    "realtime",
    "storage",
    "supabase_functions",
    "supabase_migrations",
    "cron",
    "dbdev",
    "graphql",
    "graphql_public",
    "net",
    "pgmq",
    "pgsodium",
    "pgsodium_masks",
    "pgtle",
    "repack",
    "tiger",
    "tiger_data",
    "timescaledb_*",
    "_timescaledb_*",
    "topology",
    "vault",
)
"""Schemas the CLI leaves out of a schema dump, in the CLI's order."""

_EXCLUDED: Final = "|".join(INTERNAL_SCHEMAS)

PG_DUMP_ARGS: Final = (
    "--schema-only",
    "--quote-all-identifiers",
    "--role",
    "postgres",
    "--exclude-schema",
    _EXCLUDED,
)
"""pg_dump's flags in ``dump_schema.sh`` (the CLI abbreviates ``--quote-all-identifier``)."""

# The sed stages, in pipeline order. Every stage sees every line, so applying all stages to one
# line before the next is the same as the pipeline. Rewritten from sed ERE to Python re: `&` is
# \g<0>; the patterns use no construct whose meaning differs between the two. The schema list
# goes into the GRANT/REVOKE patterns unescaped, as the shell does, so `pg_*` there means "pg"
# followed by any number of underscores, not pg_dump's wildcard.
_LINE_RULES: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # psql meta-commands: pg_dump 15.14+ brackets the dump in \restrict ... \unrestrict.
        (r"^\\(un)?restrict .*$", r"-- \g<0>"),
        (r'^CREATE SCHEMA "', 'CREATE SCHEMA IF NOT EXISTS "'),
        (r'^CREATE TABLE "', 'CREATE TABLE IF NOT EXISTS "'),
        (r'^CREATE SEQUENCE "', 'CREATE SEQUENCE IF NOT EXISTS "'),
        (r'^CREATE VIEW "', 'CREATE OR REPLACE VIEW "'),
        (r'^CREATE FUNCTION "', 'CREATE OR REPLACE FUNCTION "'),
        (r'^CREATE TRIGGER "', 'CREATE OR REPLACE TRIGGER "'),
        (r'^CREATE PUBLICATION "supabase_realtime', r"-- \g<0>"),
        # pg_dump writes an event trigger on three lines; each is commented out on its own.
        (r"^CREATE EVENT TRIGGER ", r"-- \g<0>"),
        (r"^         WHEN TAG IN ", r"-- \g<0>"),
        (r"^   EXECUTE FUNCTION ", r"-- \g<0>"),
        (r"^ALTER EVENT TRIGGER ", r"-- \g<0>"),
        # Only publications named supabase_realtime_*: ADD TABLE to "supabase_realtime" stays.
        (r'^ALTER PUBLICATION "supabase_realtime_', r"-- \g<0>"),
        (r"^ALTER FOREIGN DATA WRAPPER (.+) OWNER TO ", r"-- \g<0>"),
        (r'^ALTER DEFAULT PRIVILEGES FOR ROLE "supabase_admin"', r"-- \g<0>"),
        (r'^GRANT ALL ON FOREIGN DATA WRAPPER (.+) TO "postgres" WITH GRANT OPTION', r"-- \g<0>"),
        (rf'^GRANT (.+) ON (.+) "({_EXCLUDED})"', r"-- \g<0>"),
        (rf'^REVOKE (.+) ON (.+) "({_EXCLUDED})"', r"-- \g<0>"),
        (r'^(CREATE EXTENSION IF NOT EXISTS "pg_tle").+', r"\1;"),
        (r'^(CREATE EXTENSION IF NOT EXISTS "pgsodium").+', r"\1;"),
        (r'^(CREATE EXTENSION IF NOT EXISTS "pgmq").+', r"\1;"),
        (r"^COMMENT ON EXTENSION (.+)", r"-- \g<0>"),
        (r'^CREATE POLICY "cron_job_', r"-- \g<0>"),
        (r'^ALTER TABLE "cron"', r"-- \g<0>"),
        (r"^SET transaction_timeout = 0;", r"-- \g<0>"),
    )
)

# sed substitutes the first match only (no /g flag).
_FIRST_MATCH_ONLY: Final = 1


def _rewrite_line(line: str) -> str:
    for pattern, replacement in _LINE_RULES:
        line = pattern.sub(replacement, line, count=_FIRST_MATCH_ONLY)
    return line


def rewrite_dump(text: str, *, keep_comments: bool = False) -> str:
    """Apply the CLI's rewrites to a dump made with :data:`PG_DUMP_ARGS`.

    Without ``keep_comments`` every line starting with ``--`` is then deleted, as the CLI's
    ``/^--/d`` does -- which also removes such lines inside function bodies. The CLI appends
    ``RESET ALL;`` after pg_dump's output.

    >>> rewrite_dump('CREATE TABLE "public"."t" (\\n    "id" integer\\n);\\n')
    'CREATE TABLE IF NOT EXISTS "public"."t" (\\n    "id" integer\\n);\\nRESET ALL;\\n'
    """
    # sed's lines end at "\n" only (str.splitlines would also split at \f, U+2028, ...); an
    # unterminated last line stays unterminated.
    *lines, tail = text.split("\n")
    out: list[str] = []
    for raw, end in [*((line, "\n") for line in lines), (tail, "")]:
        line = _rewrite_line(raw)
        if not keep_comments and line.startswith("--"):
            continue
        out.append(line + end)
    out.append("RESET ALL;\n")
    return "".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="supabase_rewrite", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument(
        "--keep-comments", action="store_true", help="like `supabase db dump --keep-comments`"
    )
    parser.add_argument(
        "--print-pg-dump-args",
        action="store_true",
        help="print the pg_dump flags the CLI uses, one per line, and exit",
    )
    arguments = parser.parse_args(argv)
    if arguments.print_pg_dump_args:
        print("\n".join(PG_DUMP_ARGS))
        return 0
    sys.stdout.write(rewrite_dump(sys.stdin.read(), keep_comments=arguments.keep_comments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
