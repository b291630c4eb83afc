"""The pytest plugin, driven through pytester: configuration, the fixtures, the one-line errors
and the assertion messages, as a user's test run shows them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROD = FIXTURES / "liveconvo" / "prod" / "dump.sql"
DEV = FIXTURES / "liveconvo" / "dev" / "dump.sql"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project holding the LiveConvo dumps as prod.sql and dev.sql."""
    shutil.copy(PROD, pytester.path / "prod.sql")
    shutil.copy(DEV, pytester.path / "dev.sql")
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # Without hypothesis's plugin, which re-imports (and assertion-rewrites) its modules on every
    # in-process run.
    return pytester.runpytest(
        "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "--strict-markers", "-ra", *args
    )


def test_ini_option_names_the_dump_relative_to_the_rootdir(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\npgdrift_dump = prod.sql\n")
    project.makepyfile(
        """
        def test_prod_has_referrals(pgdrift_schema):
            assert "public.user_referrals" in pgdrift_schema.tables
        """
    )
    run(project).assert_outcomes(passed=1)


def test_failing_assertion_prints_its_message_word_for_word(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\npgdrift_dump = prod.sql\n")
    project.makepyfile(
        test_referrals="""
        from pgdrift.testing import assert_column_exists

        def test_referrer(pgdrift_schema):
            assert_column_exists(pgdrift_schema, "user_referrals", "referrer_id")
        """
    )
    result = run(project, "--tb=line")
    result.assert_outcomes(failed=1)
    message = 'no column "referrer_id" in public.user_referrals; did you mean "referrer_user_id"?'
    assert f"E   AssertionError: {message}" in result.outlines


def test_command_line_option_overrides_the_ini_option(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\npgdrift_dump = prod.sql\n")
    project.makepyfile(
        """
        def test_dev_has_custom_reports(pgdrift_schema):
            assert "public.custom_reports" in pgdrift_schema.tables
        """
    )
    run(project, "--pgdrift-dump", "dev.sql").assert_outcomes(passed=1)


def test_missing_command_line_dump_is_a_usage_error(project: pytest.Pytester) -> None:
    project.makepyfile("def test_nothing(): pass")
    result = run(project, "--pgdrift-dump", "nope.sql")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "ERROR: --pgdrift-dump: nope.sql: no such file" in result.errlines


def test_missing_ini_dump_fails_the_tests_using_it_with_one_line(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\npgdrift_dump = schema/missing.sql\n")
    project.makepyfile(
        """
        def test_uses_it(pgdrift_schema):
            pass

        def test_does_not(pgdrift_load):
            pass
        """
    )
    result = run(project)
    result.assert_outcomes(passed=1, errors=1)
    assert (
        "pgdrift_dump in tox.ini: schema/missing.sql: no such file (relative to the rootdir, "
        f"{project.path})"
    ) in result.outlines
    assert "Traceback" not in result.stdout.str()


def test_unset_dump_explains_how_to_configure_it(project: pytest.Pytester) -> None:
    project.makepyfile("def test_uses_it(pgdrift_schema): pass")
    result = run(project)
    result.assert_outcomes(errors=1)
    assert (
        "pgdrift_schema: no dump configured; set pgdrift_dump in the pytest configuration, pass "
        "--pgdrift-dump PATH or mark the test with @pytest.mark.pgdrift_dump(PATH)"
    ) in result.outlines


def test_dump_that_does_not_load_shows_the_error_line(project: pytest.Pytester) -> None:
    (project.path / "broken.sql").write_text("CREATE TABLE public.t (id integer;\n")
    project.makeini("[pytest]\npgdrift_dump = broken.sql\n")
    project.makepyfile(
        """
        def test_one(pgdrift_schema):
            pass

        def test_two(pgdrift_schema):
            pass
        """
    )
    result = run(project)
    result.assert_outcomes(errors=2)
    line = (
        "pgdrift_dump in tox.ini: cannot load broken.sql: broken.sql:1:34: syntax error at "
        "end of input"
    )
    assert result.outlines.count(line) == 2
    assert "Traceback" not in result.stdout.str()


def test_plugin_stays_out_of_the_way_without_a_dump(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain(): assert 1 + 1 == 2")
    run(pytester).assert_outcomes(passed=1)
    assert any("--pgdrift-dump=PATH" in line for line in run(pytester, "--help").outlines)


def test_marker_overrides_the_dump_for_one_test(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\npgdrift_dump = prod.sql\n")
    project.makepyfile(
        """
        import pytest

        @pytest.mark.pgdrift_dump("dev.sql")
        def test_dev(pgdrift_schema):
            assert "public.custom_reports" in pgdrift_schema.tables

        def test_prod(pgdrift_schema):
            assert "public.custom_reports" not in pgdrift_schema.tables
        """
    )
    run(project).assert_outcomes(passed=2)


def test_marker_on_a_module_applies_to_its_tests(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.pgdrift_dump("dev.sql")

        def test_dev(pgdrift_schema):
            assert "public.custom_reports" in pgdrift_schema.tables
        """
    )
    run(project).assert_outcomes(passed=1)


def test_each_dump_is_loaded_once_per_session(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\npgdrift_dump = prod.sql\n")
    project.makeconftest(
        """
        import pgdrift.loading
        import pytest

        LOADS = []

        @pytest.fixture(autouse=True, scope="session")
        def count_loads():
            real = pgdrift.loading.load
            def counting(path, **options):
                LOADS.append(str(path))
                return real(path, **options)
            pgdrift.loading.load = counting
            yield
            pgdrift.loading.load = real
        """
    )
    project.makepyfile(
        """
        import pytest
        from conftest import LOADS

        @pytest.mark.parametrize("n", range(3))
        def test_configured(pgdrift_schema, n):
            pass

        @pytest.mark.parametrize("n", range(2))
        def test_factory(pgdrift_load, n):
            pgdrift_load("dev.sql")

        def test_count():
            assert sorted(p.rsplit("/", 1)[-1] for p in LOADS) == ["dev.sql", "prod.sql"]
        """
    )
    run(project).assert_outcomes(passed=6)


def test_factory_reloads_a_dump_that_changed_on_disk(project: pytest.Pytester) -> None:
    (project.path / "live.sql").write_text("CREATE TABLE public.a (id integer);\n")
    project.makepyfile(
        """
        import os
        from pathlib import Path

        def test_reload(pgdrift_load):
            assert list(pgdrift_load("live.sql").tables) == ["public.a"]
            path = Path("live.sql")
            path.write_text("CREATE TABLE public.b (id integer);\\n")
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
            assert list(pgdrift_load("live.sql").tables) == ["public.b"]
        """
    )
    run(project).assert_outcomes(passed=1)


def test_session_scoped_fixture_gets_the_configured_dump_from_the_factory(
    project: pytest.Pytester,
) -> None:
    project.makeini("[pytest]\npgdrift_dump = prod.sql\n")
    project.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="session")
        def users(pgdrift_load):
            return pgdrift_load().tables["users"]
        """
    )
    project.makepyfile("def test_users(users): assert users.rls_enabled")
    run(project).assert_outcomes(passed=1)


def test_comparing_two_schemas_prints_the_drift_report(project: pytest.Pytester) -> None:
    (project.path / "old.sql").write_text("CREATE TABLE public.t (id integer, note text);\n")
    (project.path / "new.sql").write_text("CREATE TABLE public.t (id bigint);\n")
    project.makepyfile(
        """
        def test_same(pgdrift_load):
            assert pgdrift_load("old.sql") == pgdrift_load("new.sql")
        """
    )
    result = run(project)
    result.assert_outcomes(failed=1)
    start = result.outlines.index(
        "E       AssertionError: assert Schema('old.sql') == Schema('new.sql')"
    )
    assert result.outlines[start + 1 : start + 7] == [
        "E         2 differences between old.sql and new.sql: 1 dropped, 1 altered",
        "E         by kind: 2 columns",
        "E         only in old.sql: column public.t.note",
        "E         public.t",
        "E           ~ column id: type integer -> bigint",
        "E           - column note",
    ]


def test_the_lines_pytest_keeps_of_a_schema_comparison_name_the_missing_tables(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pytest cuts an explanation to 8 lines and about 640 characters without -vv, except on CI:
    # run as on a developer's machine, so the cut happens here too.
    for variable in ("CI", "BUILD_NUMBER"):
        monkeypatch.delenv(variable, raising=False)
    project.makepyfile(
        """
        def test_same(pgdrift_load):
            assert pgdrift_load("prod.sql") == pgdrift_load("dev.sql")
        """
    )
    result = run(project)
    result.assert_outcomes(failed=1)
    start = result.outlines.index(
        "E       AssertionError: assert Schema('prod.sql') == Schema('dev.sql')"
    )
    shown = result.outlines[start : start + 8]
    assert any("use '-vv' to show" in line for line in result.outlines[start:])
    assert shown[1:4] == [
        "E         82 differences between prod.sql and dev.sql: 53 created, 24 dropped, "
        "5 altered; 6 security-relevant; 3 probable renames not confirmed",
        "E         by kind: 6 tables, 19 columns, 22 constraints, 19 indexes, 9 functions, "
        "3 triggers, 1 enum, 3 policies",
        "E         only in prod.sql: table public.referral_fraud_checks; columns "
        "public.user_referrals.first_payment_id, public.user_referrals.referee_discount_applied "
        "and 16 more",
    ]
    assert shown[4].startswith(
        "E         only in dev.sql: tables public.custom_reports, public.email_notifications, "
        "public.referral_audit_logs, public.user_preferences"
    )


def test_comparing_two_model_objects_prints_the_differing_attributes(
    project: pytest.Pytester,
) -> None:
    project.makeini("[pytest]\npgdrift_dump = prod.sql\n")
    project.makepyfile(
        """
        def test_columns(pgdrift_schema):
            users = pgdrift_schema.tables["users"]
            assert users.columns["email"] == users.columns["referral_code"]
        """
    )
    result = run(project)
    result.assert_outcomes(failed=1)
    start = result.outlines.index(
        "E       assert Column public.users.email == Column public.users.referral_code"
    )
    assert result.outlines[start + 1 : start + 4] == [
        "E         differing attributes:",
        "E           type: character varying(255) != character varying(10)",
        "E           not_null: True != False",
    ]


def test_drift_error_from_assert_no_drift_shows_the_report(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pgdrift.testing import assert_no_drift

        def test_no_drift(pgdrift_load):
            assert_no_drift(pgdrift_load("dev.sql"), pgdrift_load("prod.sql"),
                            include="public.users*")
        """
    )
    result = run(project, "--tb=short")
    result.assert_outcomes(failed=1)
    start = result.outlines.index(
        "E   pgdrift.testing.DriftError: 3 differences between dev.sql and prod.sql: "
        "1 created, 2 dropped"
    )
    assert result.outlines[start + 1 : start + 5] == [
        "E   by kind: 3 triggers",
        "E   only in dev.sql: triggers public.users.on_user_created, "
        "public.users.on_user_created_generate_referral_code",
        "E   only in prod.sql: trigger public.users.on_user_created_referral",
        "E   public.users",
    ]


def test_plugin_module_imports_nothing_beyond_pytest_and_pgdrift_package() -> None:
    # The entry point loads the plugin into every pytest run of every project with pgdrift
    # installed; its own imports must stay at pytest and the package root.
    source = (Path(__file__).resolve().parent.parent / "src/pgdrift/pytest_plugin.py").read_text()
    top_level = [
        line
        for line in source.splitlines()
        if line.startswith(("import ", "from ")) and "__future__" not in line
    ]
    assert top_level == [
        "import os",
        "from collections.abc import Callable",
        "from pathlib import Path",
        "from typing import TYPE_CHECKING, Any",
        "import pytest",
    ]


@pytest.mark.parametrize("enabled", [True, False], ids=["pgdrift_cache-true", "default"])
def test_loads_go_to_the_persistent_cache_when_turned_on(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    directory = project.path / "schema-cache"
    monkeypatch.setenv("PGDRIFT_CACHE_DIR", str(directory))
    project.makeini("[pytest]\npgdrift_dump = prod.sql\n"
                    + ("pgdrift_cache = true\n" if enabled else ""))  # fmt: skip
    project.makepyfile(
        """
        def test_prod(pgdrift_schema, pgdrift_load):
            assert "public.user_referrals" in pgdrift_schema.tables
            assert pgdrift_load("prod.sql") == pgdrift_schema
            assert pgdrift_load("dev.sql") != pgdrift_schema
        """
    )
    # In subprocesses: a session reads the cache with the classes it imported itself.
    project.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    written = sorted(directory.glob("*.schema")) if directory.exists() else []
    assert len(written) == (2 if enabled else 0)
    # The next session reads them back and passes the same way.
    project.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
