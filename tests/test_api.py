"""The public API: plain functions with stable names, whatever was imported before them, and
diff options that are exactly the fields of DiffOptions."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import attrs
import pytest

import pgdrift
from pgdrift.diff_options import PRESETS, SUPABASE_SCHEMAS, DiffOptions

OLD = "CREATE TABLE public.t (a integer);"
NEW = "CREATE TABLE public.t (a bigint, b text);"


def _every_module() -> list[str]:
    names = ["pgdrift"]
    for info in pkgutil.walk_packages(pgdrift.__path__, "pgdrift."):
        names.append(info.name)
    return names


def test_public_functions_work_after_every_module_is_imported() -> None:
    modules = {name: importlib.import_module(name) for name in _every_module()}
    assert modules["pgdrift.differ"].diff is pgdrift.diff
    assert modules["pgdrift.planner"].plan is pgdrift.plan
    assert modules["pgdrift.renderer"].render is pgdrift.render
    changes = pgdrift.diff(pgdrift.loads(OLD), pgdrift.loads(NEW))
    assert [str(c.id) for c in changes] == ["column:public.t.a", "column:public.t.b"]
    assert len(pgdrift.plan(changes)) == 2
    assert pgdrift.render(changes, "text", quiet=True).startswith("2 differences")


def test_public_names_resolve_in_a_fresh_interpreter_in_any_order() -> None:
    # Submodules first, then the package's names: none of them may turn into a module.
    code = (
        "import pgdrift.differ.changes, pgdrift.planner.steps, pgdrift.renderer.text\n"
        "import pgdrift, types\n"
        "for name in pgdrift.__all__:\n"
        "    assert not isinstance(getattr(pgdrift, name), types.ModuleType), name\n"
        "assert callable(pgdrift.diff) and callable(pgdrift.plan) and callable(pgdrift.render)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_public_name_is_listed_and_resolves() -> None:
    for name in pgdrift.__all__:
        assert getattr(pgdrift, name) is not None
    with pytest.raises(AttributeError):
        _ = pgdrift.no_such_name  # type: ignore[attr-defined]


def test_importing_pgdrift_loads_neither_the_parser_nor_networkx() -> None:
    code = (
        "import sys, pgdrift\n"
        "heavy = {'pglast', 'networkx', 'pgdrift.differ', 'pgdrift.model'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_help_loads_neither_the_parser_nor_the_model() -> None:
    code = (
        "import sys\n"
        "from pgdrift import cli\n"
        "try:\n"
        "    cli.main(['diff', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'pglast', 'networkx', 'pgdrift.differ', 'pgdrift.model'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# diff() takes DiffOptions' fields ---------------------------------------------------------------


def test_diff_takes_every_field_of_diff_options_as_a_keyword() -> None:
    a, b = pgdrift.loads(OLD), pgdrift.loads(NEW)
    for field in attrs.fields(DiffOptions):
        value = getattr(DiffOptions(), field.name)
        assert pgdrift.diff(a, b, **{field.name: value}).options == DiffOptions()


def test_diff_keywords_override_the_options_object() -> None:
    a = pgdrift.loads(OLD)
    b = pgdrift.loads(NEW + " CREATE TABLE public.u (a integer);")
    base = DiffOptions(labels=("dev", "prod"), ignore_owners=True)
    changes = pgdrift.diff(a, b, options=base, exclude="public.t")
    assert changes.options == attrs.evolve(base, exclude=("public.t",))
    assert changes.labels == ("dev", "prod")
    assert [str(c.id) for c in changes] == ["table:public.u"]


def test_an_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="ignore_whitespace"):
        pgdrift.diff(pgdrift.loads(OLD), pgdrift.loads(NEW), ignore_whitespace=True)


def test_the_documented_keywords_keep_their_meaning() -> None:
    options = DiffOptions(
        include=None, exclude="public.x_*", include_schemas=["public"], renames=None,
        labels=["old", "new"], detect_renames=True,
    )  # fmt: skip
    assert options.include == ()
    assert options.exclude == ("public.x_*",)
    assert options.include_schemas == ("public",)
    assert options.renames == {}
    assert options.labels == ("old", "new")


def test_a_preset_adds_its_filters_once() -> None:
    options = DiffOptions(preset="supabase", exclude_schemas=["audit", "auth"])
    assert options.exclude_schemas[:2] == ("audit", "auth")
    assert set(options.exclude_schemas) == {"audit", *SUPABASE_SCHEMAS}
    assert len(set(options.exclude_schemas)) == len(options.exclude_schemas)
    assert attrs.evolve(options, ignore_owners=True).exclude_schemas == options.exclude_schemas
    assert DiffOptions().with_preset("supabase") == DiffOptions(preset="supabase")
    assert sorted(PRESETS) == ["supabase"]
    with pytest.raises(ValueError, match="unknown preset 'nope'; known: supabase"):
        DiffOptions(preset="nope")
