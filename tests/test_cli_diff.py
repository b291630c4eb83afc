"""``pgdrift diff``: exit status, formats, inputs (paths, stdin, REV:path from git), settings
from pyproject.toml, and errors as one line.

Every test runs in its own empty directory, so no pyproject.toml of the checkout is picked up.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from pgdrift import cli, config
from pgdrift.diff_options import DiffOptions, option_fields
from pgdrift.differ import PRESETS
from pgdrift.renderer import FORMATS

ROOT = Path(__file__).resolve().parent.parent
DEV = str(ROOT / "fixtures" / "liveconvo" / "dev" / "dump.sql")
PROD = str(ROOT / "fixtures" / "liveconvo" / "prod" / "dump.sql")

OLD = "CREATE TABLE public.t (id integer NOT NULL, name text);\n"
NEW = "CREATE TABLE public.t (id bigint NOT NULL, name text);\n"


@pytest.fixture(autouse=True)
def _in_empty_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(["diff", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def write(name: str, text: str) -> str:
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    Path(name).write_text(text, encoding="utf-8")
    return name


# Exit status -----------------------------------------------------------------------------------


def test_exit_status_is_0_for_the_same_schema(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(DEV, DEV, capsys=capsys)
    assert status == 0
    assert out == "no differences between a and b\n"


def test_exit_status_is_1_when_the_schemas_differ(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(DEV, PROD, "--labels", "dev,prod", capsys=capsys)
    assert status == 1
    assert out.endswith("1 security-relevant; 3 probable renames not confirmed\n")
    assert err == ""


def test_exit_status_is_2_and_one_line_for_a_missing_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(DEV, "missing.sql", capsys=capsys)
    assert status == 2
    assert out == ""
    assert err == "pgdrift: missing.sql: no such file\n"


def test_a_statement_that_does_not_parse_is_one_line_with_its_place(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = write("bad.sql", "CREATE TABLE public.t (id integer);\nCREATE TABLE (oops;\n")
    status, _, err = run(bad, write("ok.sql", OLD), capsys=capsys)
    assert status == 2
    assert err.count("\n") == 1
    assert err.startswith("pgdrift: bad.sql:2:")
    assert "Traceback" not in err


def test_keep_going_reports_the_differences_and_the_errors_with_status_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = write("bad.sql", OLD + "CREATE TABLE (oops;\n")
    status, out, err = run("--keep-going", bad, write("new.sql", NEW), capsys=capsys)
    assert status == 2
    assert "~ column id: type integer -> bigint" in out
    assert err.startswith("pgdrift: bad.sql:2:")


def test_errors_never_show_a_traceback_from_the_installed_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pgdrift.cli", "diff", "HEAD:nope.sql", str(tmp_path / "x.sql")],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


# Formats -------------------------------------------------------------------------------------


def test_json_format_writes_the_change_set_document(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run("--format", "json", "--labels", "dev,prod", "--detect-renames", DEV,
                         PROD, capsys=capsys)  # fmt: skip
    assert status == 1
    document = json.loads(out)
    assert document["format"] == "pgdrift.changeset"
    assert document["labels"] == ["dev", "prod"]
    # three columns, and two constraints and an index named after them (carried renames)
    assert document["summary"]["operations"]["rename"] == 6


def test_markdown_format_writes_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run("--format", "markdown", "--labels", "dev,prod", DEV, PROD, capsys=capsys)
    assert status == 1
    assert out.startswith("# Schema differences: dev vs prod\n")
    assert "`public.users` — IDENTICAL, 27 columns" in out


def test_the_markdown_report_reads_the_plan_the_script_options_make(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # With --concurrently the index is built without blocking writes but outside a
    # transaction: the report's hazards must be the script's, not a default plan's.
    a = write("a.sql", "CREATE TABLE public.t (id integer);\n")
    b = write("b.sql", "CREATE TABLE public.t (id integer);\nCREATE INDEX t_id ON public.t (id);\n")
    _, plain, _ = run("--format", "markdown", a, b, capsys=capsys)
    _, concurrent, _ = run("--format", "markdown", "--concurrently", a, b, capsys=capsys)
    _, script, _ = run("--format", "sql", "--concurrently", a, b, capsys=capsys)
    assert "CREATE INDEX CONCURRENTLY" in script
    assert "strong_lock" not in script
    assert "not_transactional" in script
    hazards = plain[plain.index("## ") :]
    assert "blocks writes" in hazards
    assert "cannot run inside a transaction block" not in hazards
    assert "cannot run inside a transaction block" in concurrent
    assert "blocks writes" not in concurrent[concurrent.index("## ") :]


def test_quiet_prints_the_counts_line_whatever_the_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new = write("old.sql", OLD), write("new.sql", NEW)
    status, out, _ = run("-q", "--format", "markdown", old, new, capsys=capsys)
    assert (status, out) == (1, "1 difference between a and b: 1 altered\n")


def test_output_writes_the_report_to_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    old, new = write("old.sql", OLD), write("new.sql", NEW)
    status, out, _ = run("--output", "report.md", "--format", "markdown", old, new,
                         capsys=capsys)  # fmt: skip
    assert (status, out) == (1, "")
    assert Path("report.md").read_text(encoding="utf-8").startswith("# Schema differences")


def test_colour_follows_the_option_and_no_color(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = write("old.sql", OLD), write("new.sql", NEW)
    assert "\x1b[" not in run(old, new, capsys=capsys)[1]  # not a terminal
    assert "\x1b[" in run("--color", "always", old, new, capsys=capsys)[1]
    assert "\x1b[" not in run("--color", "never", old, new, capsys=capsys)[1]

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    cli.main(["diff", old, new])
    assert "\x1b[" in terminal.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    terminal.truncate(0)
    cli.main(["diff", old, new])
    assert "\x1b[" not in terminal.getvalue()


# Inputs --------------------------------------------------------------------------------------


def test_one_side_can_be_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(NEW.encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    status, out, _ = run("--format", "json", write("old.sql", OLD), "-", capsys=capsys)
    assert status == 1
    assert json.loads(out)["sources"] == ["old.sql", "<stdin>"]


def test_both_sides_cannot_be_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run("-", "-", capsys=capsys)
    assert status == 2
    assert err == "pgdrift: only one of A and B can be - (standard input)\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding dump.sql at two commits (OLD, then NEW), checked out at NEW."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                        "-c", "commit.gpgsign=false", *args],
                       cwd=tmp_path, check=True, capture_output=True)  # fmt: skip

    git("init", "-q")
    (tmp_path / "dump.sql").write_text(OLD, encoding="utf-8")
    git("add", "dump.sql")
    git("commit", "-q", "-m", "old")
    (tmp_path / "dump.sql").write_text(NEW, encoding="utf-8")
    git("commit", "-q", "-am", "new")
    return tmp_path


def test_rev_path_reads_the_file_from_git(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run("--format", "json", "HEAD~1:dump.sql", "HEAD:dump.sql", capsys=capsys)
    assert status == 1
    document = json.loads(out)
    assert document["sources"] == ["HEAD~1:dump.sql", "HEAD:dump.sql"]
    assert [c["id"] for c in document["changes"]] == ["column:public.t.id"]
    assert run("HEAD:dump.sql", "dump.sql", capsys=capsys)[0] == 0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nosuchrev:dump.sql", "pgdrift: nosuchrev:dump.sql: cannot read it from git: "
                               "invalid object name 'nosuchrev'.\n"),
        ("HEAD:missing.sql", "pgdrift: HEAD:missing.sql: cannot read it from git: path "
                             "'missing.sql' does not exist in 'HEAD'\n"),
        ("HEAD:", "pgdrift: HEAD:: name a file after the colon (REV:path)\n"),
    ],
)  # fmt: skip
def test_a_missing_revision_or_path_is_a_one_line_git_error(
    repo: Path, capsys: pytest.CaptureFixture[str], spec: str, message: str
) -> None:
    status, _, err = run(spec, "dump.sql", capsys=capsys)
    assert status == 2
    assert err == message


def test_a_file_with_a_colon_in_its_name_is_read_as_a_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write("a:b", NEW)
    assert run("a:b", "dump.sql", capsys=capsys)[0] == 0
    assert run("./a:b", "HEAD~1:dump.sql", capsys=capsys)[0] == 1
    assert cli.git_spec("./a:c") is None  # explicitly a path, even when missing
    Path("dir").mkdir()
    assert cli.git_spec("dir:dump.sql") is None  # X is an existing path: not a revision


# Settings from pyproject.toml ----------------------------------------------------------------


def test_settings_come_from_the_nearest_pyproject_and_options_win(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write("pyproject.toml", '[project]\nname = "x"\n\n[tool.pgdrift]\nlabels = ["dev", "prod"]\n'
                            'format = "json"\nexclude_schemas = ["auth"]\n')  # fmt: skip
    old = write("sub/old.sql", OLD + "CREATE SCHEMA auth;\nCREATE TABLE auth.x (a integer);\n")
    new = write("sub/new.sql", NEW + "CREATE SCHEMA auth;\n")
    monkeypatch.chdir("sub")
    status, out, _ = run("old.sql", "new.sql", capsys=capsys)
    document = json.loads(out)
    assert status == 1
    assert document["labels"] == ["dev", "prod"]
    assert [c["id"] for c in document["changes"]] == ["column:public.t.id"]
    status, out, _ = run("--format", "text", "--labels", "x,y", "--exclude-schema", "public",
                         Path(old).name, Path(new).name, capsys=capsys)  # fmt: skip
    # The option replaces the file's list: auth is compared again, public is left out.
    assert out.splitlines() == ["auth.x", "  - table auth.x", "",
                                "1 difference between x and y: 1 dropped"]  # fmt: skip


def test_boolean_settings_can_be_turned_off_on_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write("pyproject.toml", "[tool.pgdrift]\ndetect_renames = true\n")
    old = write("old.sql", "CREATE TABLE public.t (referrer_id uuid NOT NULL);\n")
    new = write("new.sql", "CREATE TABLE public.t (referrer_user_id uuid NOT NULL);\n")
    assert "> column referrer_id -> referrer_user_id" in run(old, new, capsys=capsys)[1]
    assert "> column" not in run("--no-detect-renames", old, new, capsys=capsys)[1]


def test_a_rename_can_be_confirmed_on_the_command_line_or_in_settings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = write("old.sql", "CREATE TABLE public.t (a uuid NOT NULL);\n")
    new = write("new.sql", "CREATE TABLE public.t (b uuid NOT NULL);\n")
    assert "> column a -> b" in run("--rename", "t.a=b", old, new, capsys=capsys)[1]
    write("pyproject.toml", '[tool.pgdrift]\nrenames = ["public.t.a=b"]\n')
    assert "> column a -> b" in run(old, new, capsys=capsys)[1]


def test_a_rename_into_another_schema_is_refused_not_ignored(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A rename keeps its schema; a move (ALTER TABLE ... SET SCHEMA) is not planned, so
    # naming one must say so rather than match nothing and leave a drop and a create.
    old = write("old.sql", "CREATE TABLE public.media (id int);\n")
    new = write("new.sql", "CREATE SCHEMA assets;\nCREATE TABLE assets.media (id int);\n")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["diff", "--rename", "public.media=assets.media", old, new])
    assert exit_info.value.code == 2
    assert "moves public.media to assets" in capsys.readouterr().err
    # The same schema (or table) written out in NEW is still a rename.
    renamed = write("renamed.sql", "CREATE TABLE public.medium (id int);\n")
    renaming = run("--rename", "public.media=public.medium", old, renamed, capsys=capsys)[1]
    assert "> table public.media -> public.medium" in renaming
    assert "> column id -> key" in run("--rename", "media.id=public.media.key", old,
                                       write("key.sql", "CREATE TABLE media (key int);\n"),
                                       capsys=capsys)[1]  # fmt: skip


def test_a_rename_that_renames_nothing_is_told(capsys: pytest.CaptureFixture[str]) -> None:
    old = write("old.sql", "CREATE TABLE public.media (id int);\n")
    new = write("new.sql", "CREATE TABLE public.medium (id int);\n")
    status, out, err = run("--rename", "public.madia=medium", old, new, capsys=capsys)
    assert status == 1
    assert "rename public.madia=medium matched no object" in err
    assert "- table public.media" in out
    assert "matched no object" not in run("--rename", "public.media=medium", old, new,
                                          capsys=capsys)[2]  # fmt: skip


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("exclude_schema = ['auth']", "unknown key 'exclude_schema'"),
        ("labels = 'dev'", "labels: expected two different names"),
        ("detect_renames = 'yes'", "detect_renames must be true or false"),
        ("format = 'html'", "format must be one of github, json, junit, markdown, sql, text"),
        ("include_kinds = ['tabel']", "include_kinds: unknown kind 'tabel'"),
        ("renames = ['t.a']", "renames: expected TABLE.OLD=NEW"),
        ("renames = ['public.t=other.t']", "renames: 'public.t=other.t' moves public.t to other"),
        ("labels = [", "not valid TOML"),
    ],
)
def test_bad_settings_are_one_line_errors_naming_the_file(
    capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    write("pyproject.toml", f"[tool.pgdrift]\n{table}\n")
    status, _, err = run(write("a.sql", OLD), write("b.sql", OLD), capsys=capsys)
    assert status == 2
    assert err.startswith(f"pgdrift: {Path.cwd() / 'pyproject.toml'}: ")
    assert message in err
    assert err.count("\n") == 1


def test_a_pyproject_without_the_table_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    write("pyproject.toml", '[project]\nname = "x"\n')
    assert config.load_config() == ({}, Path.cwd() / "pyproject.toml")
    assert run(write("a.sql", OLD), write("b.sql", OLD), capsys=capsys)[:2] == (
        0, "no differences between a and b\n")  # fmt: skip


# --help tells the truth ------------------------------------------------------------------------


def test_help_lists_the_formats_presets_and_settings_that_exist(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.DIFF_FORMATS == FORMATS
    assert tuple(sorted(PRESETS)) == cli.PRESETS
    with pytest.raises(SystemExit):
        cli.main(["diff", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    listed = text.split("all of them: ")[1].split(". For")[0]
    assert sorted(key.strip() for key in listed.split(",")) == sorted(config.KEYS)
    # Each key is an option's name, or the plural of a repeatable one.
    options = vars(cli.build_parser().parse_args(["diff", "a", "b"]))
    assert set(config.KEYS) <= set(options)
    assert "Exit status (as diff(1)): 0 no differences, 1 differences found, 2 trouble;" in text


def test_option_errors_exit_2_like_other_trouble(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--labels", "dev"], ["--include-kind", "tabel"], ["--rename", "nodot"]):
        with pytest.raises(SystemExit) as exit_info:
            cli.main(["diff", *argv, "a", "b"])
        assert exit_info.value.code == 2
    assert "expected TABLE.OLD=NEW" in capsys.readouterr().err


# The flags and keys are DiffOptions' fields ----------------------------------------------------


def test_every_flag_and_key_of_a_diff_option_is_a_diffoptions_field() -> None:
    fields = {f.name for f in attrs.fields(DiffOptions)}
    options = vars(cli.build_parser().parse_args(["diff", "a", "b"]))
    for name, _ in option_fields():
        assert name in fields
        assert name in config.KEYS
        assert name in options
    assert set(config.KEYS) - fields == {"format", "color", "encoding", "order", "role"}


@pytest.mark.parametrize(
    "given",
    [
        ["--ignore-body-whitespace"],
        ["--ignore-whitespace"],
        ["ignore_body_whitespace = true"],
        ["ignore_whitespace = true"],
    ],
)
def test_whitespace_only_body_changes_can_be_ignored_by_either_name(
    capsys: pytest.CaptureFixture[str], given: list[str]
) -> None:
    body = "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $$SELECT {}$$;\n"
    old = write("old.sql", body.format("1"))
    new = write("new.sql", body.format("   1"))
    assert run(old, new, capsys=capsys)[0] == 1
    flags = given if given[0].startswith("--") else []
    if not flags:
        write("pyproject.toml", f"[tool.pgdrift]\n{given[0]}\n")
    assert run(*flags, old, new, capsys=capsys)[:2] == (0, "no differences between a and b\n")


def test_the_old_and_new_name_of_a_setting_cannot_both_be_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write("pyproject.toml", "[tool.pgdrift]\nignore_whitespace = true\n"
                            "ignore_body_whitespace = false\n")  # fmt: skip
    status, _, err = run(write("a.sql", OLD), write("b.sql", OLD), capsys=capsys)
    assert status == 2
    assert "has both 'ignore_whitespace' and 'ignore_body_whitespace'" in err
