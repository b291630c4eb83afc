"""Security rules: row level security, SECURITY DEFINER routines, what API roles can reach.

The API-exposed schemas and roles come from the options (``preset="supabase"``: schema
``public``, roles ``anon`` and ``authenticated``); rules about exposure do nothing until some
are named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from pgdrift import model
from pgdrift.expr import Expr
from pgdrift.linter.context import SchemaContext
from pgdrift.linter.registry import Hit, rule

_WRITE_COMMANDS = ("insert", "update", "delete")
_COMMANDS = ("select", *_WRITE_COMMANDS)


@rule(
    code="PD201", name="rls-disabled-in-exposed-schema", severity="error",
    summary="A table in an API-exposed schema does not have row level security enabled.",
    remediation="ENABLE ROW LEVEL SECURITY on the table and add policies for the API roles.",
    bad="CREATE TABLE public.profiles (id uuid PRIMARY KEY, bio text);",
    good="""
CREATE TABLE public.profiles (id uuid PRIMARY KEY, bio text);
ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY profiles_read ON public.profiles FOR SELECT TO authenticated USING (true);
""",
)  # fmt: skip
def rls_disabled_in_exposed_schema(ctx: SchemaContext) -> Iterator[Hit]:
    """An API such as PostgREST runs every request as an API role; on a table without row
    level security, whatever that role is granted applies to every row. In an exposed schema
    that is usually the whole table for anyone holding the public API key."""
    for table in ctx.tables():
        if ctx.exposed(table) and not table.rls_enabled:
            yield table, (f"table {table.qualified_name} is in exposed schema {table.schema} "
                          "and row level security is disabled")  # fmt: skip


@rule(
    code="PD202", name="rls-enabled-no-policy", severity="info",
    summary="Row level security is enabled on a table that has no policy.",
    remediation="Add policies for the roles that should see rows, or say in a comment that "
    "only the owner and BYPASSRLS roles are meant to.",
    bad="""
CREATE TABLE public.audit (id bigint PRIMARY KEY);
ALTER TABLE public.audit ENABLE ROW LEVEL SECURITY;
""",
    good="""
CREATE TABLE public.audit (id bigint PRIMARY KEY);
ALTER TABLE public.audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_read ON public.audit FOR SELECT TO app_readonly USING (true);
""",
)  # fmt: skip
def rls_enabled_no_policy(ctx: SchemaContext) -> Iterator[Hit]:
    """With row level security on and no policy, PostgreSQL applies a default-deny policy:
    no row is visible or writable to anyone but the owner and BYPASSRLS roles (docs: 5.8 Row
    Security Policies). That may be intended, but is often a policy that was never written."""
    for table in ctx.tables():
        if table.rls_enabled and not ctx.policies_of(table.id):
            yield table, (f"table {table.qualified_name} has row level security enabled "
                          "and no policy")  # fmt: skip


@rule(
    code="PD203", name="policy-without-rls", severity="error",
    summary="A table has policies but row level security is disabled, so they do nothing.",
    remediation="ENABLE ROW LEVEL SECURITY on the table (or drop the unused policies).",
    bad="""
CREATE TABLE public.notes (owner_id uuid, body text);
CREATE POLICY notes_own ON public.notes USING (owner_id = current_user::text::uuid);
""",
    good="""
CREATE TABLE public.notes (owner_id uuid, body text);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_own ON public.notes USING (owner_id = current_user::text::uuid);
""",
)  # fmt: skip
def policy_without_rls(ctx: SchemaContext) -> Iterator[Hit]:
    """Policies are applied only while row level security is enabled on the table; creating
    them does not enable it. The table looks protected and is not."""
    for table in ctx.tables():
        policies = ctx.policies_of(table.id)
        if policies and not table.rls_enabled:
            names = ", ".join(sorted(p.name for p in policies))
            yield table, (f"table {table.qualified_name} has policies ({names}) but row "
                          "level security is disabled")  # fmt: skip


@rule(
    code="PD204", name="multiple-permissive-policies", severity="warning",
    summary="More than one permissive policy applies to the same role and command.",
    remediation="Merge the permissive policies for that role and command into one policy "
    "whose expression ORs their conditions.",
    bad="""
CREATE POLICY read_own ON posts FOR SELECT TO authenticated USING (author = current_user);
CREATE POLICY read_public ON posts FOR SELECT TO authenticated USING (published);
""",
    good="""
CREATE POLICY read ON posts FOR SELECT TO authenticated
    USING (author = current_user OR published);
""",
)  # fmt: skip
def multiple_permissive_policies(ctx: SchemaContext) -> Iterator[Hit]:
    """Permissive policies for one role and command are combined with OR, and PostgreSQL
    evaluates every one of them for every row. Two policies cost twice as much as one
    policy with both conditions, and the effective rule is split across places. ``FOR ALL``
    counts for each command; ``TO public`` for each API role when API roles are named."""
    for table in ctx.tables():
        buckets: dict[tuple[str, str], list[model.Policy]] = defaultdict(list)
        for policy in ctx.policies_of(table.id):
            if not policy.permissive:
                continue
            commands = _COMMANDS if policy.command == "all" else (policy.command,)
            roles = set(policy.roles)
            if "public" in roles and ctx.options.api_roles:
                roles = (roles - {"public"}) | set(ctx.options.api_roles)
            for role in roles:
                for command in commands:
                    buckets[(role, command)].append(policy)
        for (role, command), policies in sorted(buckets.items()):
            if len(policies) > 1:
                names = sorted(p.name for p in policies)
                last = max(policies, key=lambda p: p.name)
                yield last, (f"table {table.qualified_name} has {len(names)} permissive "
                             f"policies for role {role} on {command.upper()}: "
                             f"{', '.join(names)}")  # fmt: skip


def _always_true(expr: Expr | None) -> bool:
    return expr is not None and expr.tree == ("A_Const", (("boolval", ("Boolean", (
        ("boolval", True),))),))  # fmt: skip


@rule(
    code="PD205", name="always-true-policy", severity="warning",
    summary="A policy lets every row through (USING (true) or WITH CHECK (true)) for a "
    "write command or for anon.",
    remediation="Restrict the policy's condition (for example to the rows the user owns), "
    "or its roles and command.",
    bad="""
CREATE POLICY anyone_writes ON public.comments FOR INSERT TO authenticated WITH CHECK (true);
""",
    good="""
CREATE POLICY own_writes ON public.comments FOR INSERT TO authenticated
    WITH CHECK (author_id = (SELECT auth.uid()));
""",
)  # fmt: skip
def always_true_policy(ctx: SchemaContext) -> Iterator[Hit]:
    """A constant-true policy for INSERT, UPDATE, DELETE or ALL lets its roles write any row;
    for ``anon`` (or ``public``, which includes it) it lets anyone without an account read or
    write everything the grants allow. Row level security is then only nominal. A true SELECT
    policy for signed-in roles is a common, deliberate choice and is not reported."""
    for policy in ctx.schema.policies.values():
        if not _always_true(policy.using) and not _always_true(policy.with_check):
            continue
        roles = set(policy.roles)
        anonymous = roles & {"anon", "public"}
        if policy.command == "select" and not anonymous:
            continue
        who = ", ".join(sorted(roles))
        yield policy, (f"policy {policy.name} on {policy.table.qualified_name} is always true "
                       f"for {policy.command.upper()} to {who}")  # fmt: skip


def _per_row_calls(tree: Any, inside_subquery: bool = False) -> Iterator[str]:
    """Names of per-request functions called outside any sub-select in ``tree``."""
    if type(tree) is not tuple or not tree:
        return
    if type(tree[0]) is not str:
        for item in tree:
            yield from _per_row_calls(item, inside_subquery)
        return
    name, fields = tree
    if name == "SubLink":
        inside_subquery = True
    elif name == "FuncCall" and not inside_subquery:
        parts = tuple(part[1][0][1] for part in dict(fields).get("funcname", ()))
        called = ".".join(parts)
        if parts[-1:] == ("current_setting",) or (len(parts) == 2 and parts[0] == "auth"):
            yield called
    for _, value in fields:
        yield from _per_row_calls(value, inside_subquery)


@rule(
    code="PD206", name="policy-calls-per-row", severity="warning",
    summary="A policy calls auth.uid(), auth.jwt() or current_setting() directly, so it is "
    "evaluated again for every row.",
    remediation="Wrap the call in a sub-select, (SELECT auth.uid()), so PostgreSQL evaluates "
    "it once per statement.",
    bad="CREATE POLICY own ON public.todos USING (user_id = auth.uid());",
    good="CREATE POLICY own ON public.todos USING (user_id = (SELECT auth.uid()));",
)  # fmt: skip
def policy_calls_per_row(ctx: SchemaContext) -> Iterator[Hit]:
    """A function call in a policy expression is evaluated for each row the query reads.
    Written as an uncorrelated sub-select it becomes an InitPlan, evaluated once per
    statement and then compared as a constant, which also lets an index on the compared
    column be used. Calls of ``auth.*`` functions and ``current_setting`` are reported."""
    for policy in ctx.schema.policies.values():
        calls: set[str] = set()
        for expr in (policy.using, policy.with_check):
            if expr is not None:
                calls.update(_per_row_calls(expr.tree))
        if calls:
            names = ", ".join(sorted(c + "()" for c in calls))
            yield policy, (f"policy {policy.name} on {policy.table.qualified_name} calls "
                           f"{names} for every row")  # fmt: skip


def _routines(ctx: SchemaContext) -> Iterator[model.Function]:
    for obj in ctx.schema:
        # C and internal functions do not resolve names through search_path at run time.
        if isinstance(obj, model.Function) and obj.language not in ("c", "internal"):
            yield obj


@rule(
    code="PD211", name="security-definer-search-path", severity="error",
    summary="A SECURITY DEFINER routine does not fix its search_path.",
    remediation="Add SET search_path = '' (and qualify every name in the body), or a fixed "
    "list of trusted schemas, to the routine.",
    bad="""
CREATE FUNCTION public.is_admin() RETURNS boolean LANGUAGE sql SECURITY DEFINER
    AS $$ SELECT EXISTS (SELECT FROM admins WHERE name = current_user) $$;
""",
    good="""
CREATE FUNCTION public.is_admin() RETURNS boolean LANGUAGE sql SECURITY DEFINER
    SET search_path = ''
    AS $$ SELECT EXISTS (SELECT FROM public.admins WHERE name = current_user) $$;
""",
)  # fmt: skip
def security_definer_search_path(ctx: SchemaContext) -> Iterator[Hit]:
    """A SECURITY DEFINER routine runs with its owner's privileges but resolves unqualified
    names through the caller's search_path. A caller who can create objects in a schema on
    that path can make the routine call their own function or read their own table as the
    owner (docs: CREATE FUNCTION, "Writing SECURITY DEFINER Functions Safely")."""
    for routine in _routines(ctx):
        if routine.security_definer and not routine.search_path_pinned:
            yield routine, (f"SECURITY DEFINER {routine.kind} {routine.qualified_name} has "
                            "no fixed search_path")  # fmt: skip


@rule(
    code="PD212", name="function-search-path-mutable", severity="warning",
    summary="A routine resolves names through the caller's search_path.",
    remediation="Add SET search_path = '' (qualifying names in the body) or a fixed list of "
    "schemas to the routine.",
    bad="""
CREATE FUNCTION public.slugify(t text) RETURNS text LANGUAGE sql
    AS $$ SELECT lower(replace(t, ' ', '-')) $$;
""",
    good="""
CREATE FUNCTION public.slugify(t text) RETURNS text LANGUAGE sql SET search_path = ''
    AS $$ SELECT pg_catalog.lower(pg_catalog.replace(t, ' ', '-')) $$;
""",
)  # fmt: skip
def function_search_path_mutable(ctx: SchemaContext) -> Iterator[Hit]:
    """Without its own search_path a routine's body means different things to callers with
    different search paths, and a caller (or a trigger's session) can shadow a name it uses.
    SECURITY DEFINER routines are reported by PD211 instead."""
    for routine in _routines(ctx):
        if not routine.security_definer and not routine.search_path_pinned:
            yield routine, f"{routine.kind} {routine.qualified_name} has a mutable search_path"


@rule(
    code="PD213", name="security-definer-executable-by-api", severity="warning",
    summary="An API role (or PUBLIC) may execute a SECURITY DEFINER routine in an exposed "
    "schema.",
    remediation="REVOKE EXECUTE ON FUNCTION ... FROM PUBLIC (and the API roles), then grant "
    "it only to the roles that need it; or make it SECURITY INVOKER.",
    bad="""
CREATE FUNCTION public.delete_user(id uuid) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $$ DELETE FROM public.users WHERE users.id = delete_user.id $$;
""",
    good="""
CREATE FUNCTION public.delete_user(id uuid) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = '' AS $$ DELETE FROM public.users WHERE users.id = delete_user.id $$;
REVOKE EXECUTE ON FUNCTION public.delete_user(uuid) FROM PUBLIC, anon, authenticated;
""",
)  # fmt: skip
def security_definer_executable_by_api(ctx: SchemaContext) -> Iterator[Hit]:
    """PostgreSQL grants EXECUTE on every new function to PUBLIC. A SECURITY DEFINER routine
    runs as its owner, so an API role that may call one in an exposed schema (as a remote
    procedure call) acts with the owner's rights, bypassing row level security. Trigger
    functions are skipped: PostgreSQL refuses to call them other than as triggers. Helpers in
    other schemas are often meant to be executable, by policies that call them."""
    for routine in _routines(ctx):
        returns = routine.returns.name if routine.returns is not None else None
        if (routine.security_definer and ctx.exposed(routine)
                and returns not in ("trigger", "event_trigger")):
            who = ctx.api_grantees_of(routine, "EXECUTE")
            if who:
                yield routine, (f"SECURITY DEFINER {routine.kind} {routine.qualified_name} is "
                                f"executable by {', '.join(who)}")  # fmt: skip


@rule(
    code="PD221", name="view-without-security-invoker", severity="error",
    summary="A view in an API-exposed schema runs as its owner (no security_invoker).",
    remediation="CREATE VIEW ... WITH (security_invoker = true) (PostgreSQL 15 or later), so "
    "the querying role's privileges and row level security apply.",
    bad="CREATE VIEW public.active_users AS SELECT * FROM public.users WHERE active;",
    good="""
CREATE VIEW public.active_users WITH (security_invoker = true)
    AS SELECT * FROM public.users WHERE active;
""",
)  # fmt: skip
def view_without_security_invoker(ctx: SchemaContext) -> Iterator[Hit]:
    """A view reads its tables with its owner's privileges, and row level security policies
    are those that apply to the owner, usually a role that bypasses them. Served by an API,
    such a view hands every caller the owner's view of the data."""
    for view in ctx.schema.views.values():
        if isinstance(view, model.View) and ctx.exposed(view) and not view.security_invoker:
            yield view, (f"view {view.qualified_name} in exposed schema {view.schema} runs "
                         "as its owner (no security_invoker)")  # fmt: skip


@rule(
    code="PD222", name="materialized-view-readable-by-api", severity="warning",
    summary="An API role may read a materialized view in an exposed schema.",
    remediation="REVOKE SELECT on the materialized view from the API roles, or move it to a "
    "schema the API does not serve.",
    bad="""
CREATE MATERIALIZED VIEW public.sales_totals AS SELECT region, sum(amount) FROM sales GROUP BY 1;
GRANT SELECT ON public.sales_totals TO anon;
""",
    good="""
CREATE MATERIALIZED VIEW private.sales_totals AS SELECT region, sum(amount) FROM sales GROUP BY 1;
""",
)  # fmt: skip
def materialized_view_readable_by_api(ctx: SchemaContext) -> Iterator[Hit]:
    """Materialized views cannot have row level security: whoever may select from one sees
    every row it stored, whatever the policies on the tables it was built from."""
    yield from _readable(ctx, ctx.schema.materialized_views.values(), "materialized view")


@rule(
    code="PD223", name="foreign-table-readable-by-api", severity="warning",
    summary="An API role may read a foreign table in an exposed schema.",
    remediation="REVOKE SELECT on the foreign table from the API roles, or move it to a "
    "schema the API does not serve.",
    bad="""
CREATE FOREIGN TABLE public.remote_orders (id bigint) SERVER warehouse;
GRANT SELECT ON public.remote_orders TO authenticated;
""",
    good="CREATE FOREIGN TABLE private.remote_orders (id bigint) SERVER warehouse;",
)  # fmt: skip
def foreign_table_readable_by_api(ctx: SchemaContext) -> Iterator[Hit]:
    """Foreign tables cannot have row level security; a readable one in an exposed schema
    publishes the remote data to every caller of the API."""
    yield from _readable(ctx, ctx.schema.foreign_tables.values(), "foreign table")


def _readable(ctx: SchemaContext, objects: Any, what: str) -> Iterator[Hit]:
    for obj in objects:
        if isinstance(obj, model.ExternalObject) or not ctx.exposed(obj):
            continue
        who = ctx.api_grantees_of(obj, "SELECT")
        if who:
            yield obj, f"{what} {obj.qualified_name} is readable by {', '.join(who)}"


@rule(
    code="PD231", name="extension-in-public", severity="warning",
    summary="An extension is installed in schema public.",
    remediation="Install extensions in a schema of their own (CREATE SCHEMA extensions; "
    "ALTER EXTENSION ... SET SCHEMA extensions).",
    bad="CREATE EXTENSION pg_trgm;",
    good="CREATE SCHEMA extensions; CREATE EXTENSION pg_trgm WITH SCHEMA extensions;",
)  # fmt: skip
def extension_in_public(ctx: SchemaContext) -> Iterator[Hit]:
    """An extension's functions, types and operators land in its schema. In public they mix
    with the application's objects, appear in an API served from public, and may be shadowed
    or shadow others through search_path."""
    for extension in ctx.schema.extensions.values():
        if isinstance(extension, model.Extension) and extension.in_schema == "public":
            yield extension, f"extension {extension.name} is installed in schema public"


def _table_grantees(table: model.DbObject) -> set[str]:
    return {p.grantee for p in table.privileges} | ({table.owner} if table.owner else set())


@rule(
    code="PD232", name="privileges-wider-than-table", severity="warning",
    summary="A column or an owned sequence is granted to a role that holds no privilege on "
    "the table itself.",
    remediation="Grant on the table (or revoke the column or sequence grant), so the table's "
    "privileges say who can reach it.",
    bad="""
CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text);
GRANT SELECT (email) ON public.accounts TO anon;
""",
    good="""
CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text);
GRANT SELECT (email) ON public.accounts TO authenticated;
GRANT SELECT ON public.accounts TO authenticated;
""",
)  # fmt: skip
def privileges_wider_than_table(ctx: SchemaContext) -> Iterator[Hit]:
    """Column privileges and the privileges of a table's own sequences (serial columns) are
    granted separately from the table's. A role that appears only there can read a column,
    or draw numbers from the sequence, although the table's ACL says it has no access, which
    is easy to miss in a review of the table's grants."""
    for table in ctx.tables():
        allowed = _table_grantees(table)
        for column in table.columns.values():
            extra = ", ".join(sorted({p.grantee for p in column.privileges} - allowed))
            if extra:
                yield column, (f"column {table.qualified_name}.{column.name} is granted to "
                               f"{extra}; the table is not")  # fmt: skip
    for sequence in ctx.schema.sequences.values():
        owner_col = getattr(sequence, "owned_by", None)
        if owner_col is None:
            continue
        owning = ctx.schema.tables.get(f"{owner_col.schema}.{owner_col.parent}")
        if owning is None:
            continue
        wider = ", ".join(sorted({p.grantee for p in sequence.privileges}
                                 - _table_grantees(owning)))  # fmt: skip
        if wider:
            yield sequence, (f"sequence {sequence.qualified_name} of table "
                             f"{owning.qualified_name} is granted to {wider}; the table "
                             "is not")  # fmt: skip
