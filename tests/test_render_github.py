"""``diff --format github``: the step summary (what leads, the blocks, the 1 MiB limit), the
workflow annotations (where they point, how they are grouped and ordered), how the command line
separates the two streams, and the LiveConvo golden file ``tests/golden/diff/liveconvo-github.txt``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import pgdrift
from pgdrift import cli
from pgdrift.cli.inputs import checkout_paths
from pgdrift.differ import ChangeSet, diff
from pgdrift.renderer.github import SUMMARY_LIMIT, github_report, render_github

ROOT = Path(__file__).resolve().parent.parent
LIVECONVO = ROOT / "fixtures" / "liveconvo"

OLD = """\
CREATE TABLE public.users (
    id integer NOT NULL,
    email text
);

CREATE TABLE public.audit (
    id integer NOT NULL
);

CREATE FUNCTION public.ping() RETURNS integer
    LANGUAGE sql
    AS $$ SELECT 1 $$;
"""
NEW = """\
CREATE TABLE public.users (
    id bigint NOT NULL,
    email text,
    name text
);

CREATE FUNCTION public.ping() RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    AS $$ SELECT 1 $$;

CREATE FUNCTION public.pong() RETURNS integer
    LANGUAGE sql
    AS $$ SELECT 2 $$;
"""


def changes(old: str = OLD, new: str = NEW) -> ChangeSet:
    a = pgdrift.loads(old, name="db/old.sql")
    b = pgdrift.loads(new, name="db/new.sql")
    return diff(a, b, labels=("main", "pr"))


def annotations(result: ChangeSet, **options: object) -> list[str]:
    return github_report(result, **options).annotations.splitlines()  # type: ignore[arg-type]


# The step summary ------------------------------------------------------------------------------


def test_security_and_hazards_lead_and_the_changes_follow_in_details_blocks() -> None:
    summary = github_report(changes()).summary
    headings = re.findall(r"^## (.+)$", summary, re.M)
    assert headings == ["Security-relevant changes", "Critical issues", "Migration hazards",
                        "Changes"]  # fmt: skip
    assert "- function `public.ping()` (defined differently): function is now SECURITY DEFINER" \
        in summary
    assert "- table `public.audit`: deletes data" in summary


def test_each_table_has_its_block_and_other_objects_one_per_kind() -> None:
    summary = github_report(changes()).summary
    blocks = re.findall(r"<details><summary>(.*?)</summary>\n\n(.*?)\n</details>", summary, re.S)
    assert [title for title, _ in blocks] == [
        "<code>public.audit</code>: 1 change",
        "<code>public.users</code>: 2 changes",
        "functions: 2 changes",
    ]
    users = blocks[1][1]
    assert "- defined differently: column `id`\n  - type: `integer` in main, `bigint` in pr" \
        in users
    assert "- only in pr: column `name` — text" in users


def test_grant_changes_are_spelled_out_in_the_block() -> None:
    old = "CREATE TABLE public.t (a integer);\n"
    new = old + "GRANT SELECT ON TABLE public.t TO reporting;\n"
    summary = github_report(changes(old, new)).summary
    assert "  - granted in pr: `SELECT to reporting`" in summary
    assert "“Grants”" not in summary


def test_no_differences_is_one_short_summary_and_no_annotation() -> None:
    report = github_report(changes(OLD, OLD))
    assert report.summary == (
        "# Schema differences: main vs pr\n\nno differences between main and pr\n"
    )
    assert report.annotations == ""


#: Tables in the big pair: 40 changes each, several megabytes of summary uncut.
TABLES = 200


def _big_pair(tables: int, columns: int) -> ChangeSet:
    """Every column of every table changes type: a summary of several megabytes uncut."""
    def schema(kind: str) -> str:
        return "".join(
            f"CREATE TABLE public.table_with_a_long_name_{t:05d} (\n"
            + ",\n".join(f"    column_with_a_long_name_{c:03d} {kind}" for c in range(columns))
            + "\n);\n"
            for t in range(tables)
        )

    return diff(pgdrift.loads(schema("integer"), name="old.sql"),
                pgdrift.loads(schema("bigint"), name="new.sql"), labels=("main", "pr"))  # fmt: skip


def test_a_huge_summary_is_cut_under_githubs_limit_with_a_note_of_what_was_cut() -> None:
    result = _big_pair(tables=TABLES, columns=40)
    summary = github_report(result).summary
    size = len(summary.encode("utf-8"))
    assert SUMMARY_LIMIT - 64 * 1024 < size <= SUMMARY_LIMIT
    note = summary.splitlines()[4]
    assert note.startswith("> **Cut to fit GitHub's step summary limit of 1,048,576 bytes.**")
    cut_lines = int(re.search(r"(\d+) more lines of “Migration hazards”", note).group(1))  # type: ignore[union-attr]
    shown = summary.count("\n- column `public.table_with_a_long_name_")
    assert shown + cut_lines == TABLES * 40
    groups = re.search(r"(\d+) groups of changes \((\d+) changes\): (.*?)\. ", note)
    assert groups is not None
    blocks = summary.count("<details>")
    assert 0 < blocks < TABLES
    assert int(groups.group(1)) == TABLES - blocks
    assert int(groups.group(2)) == (TABLES - blocks) * 40
    # The first groups left out are named; the rest are counted.
    assert groups.group(3).startswith(f"`public.table_with_a_long_name_{blocks:05d}`")
    assert groups.group(3).endswith(f"and {TABLES - blocks - 20} more")
    # Every block shown is whole.
    assert summary.count("<details>") == summary.count("</details>")


def test_a_small_limit_is_kept_too() -> None:
    summary = github_report(changes(), limit=9000).summary
    assert len(summary.encode("utf-8")) <= 9000
    with pytest.raises(ValueError, match="leaves no room"):
        github_report(changes(), limit=1000)


# The annotations -------------------------------------------------------------------------------


def test_annotations_point_at_the_new_side_and_at_the_old_side_for_drops() -> None:
    lines = annotations(changes())
    places = [re.match(r"::warning file=([^,]+),line=(\d+),", line).groups()  # type: ignore[union-attr]
              for line in lines]  # fmt: skip
    # users (altered and a column added) and ping, pong: new.sql; audit (dropped): old.sql.
    assert sorted(places) == [("db/new.sql", "1"), ("db/new.sql", "11"), ("db/new.sql", "7"),
                              ("db/old.sql", "6")]  # fmt: skip


def test_changes_of_one_statement_share_an_annotation_and_security_comes_first() -> None:
    lines = annotations(changes())
    assert lines[0] == ("::warning file=db/new.sql,line=7,title=pgdrift%3A 1 difference%2C "
                        "security-relevant::~ function public.ping(): SECURITY DEFINER no -> yes "
                        "[security: function is now SECURITY DEFINER; SECURITY DEFINER function "
                        "without a pinned search_path]")  # fmt: skip
    # Then what the migration risks: the dropped table deletes data, the column type rewrites.
    assert lines[1].startswith("::warning file=db/new.sql,line=1,title=pgdrift%3A 2 differences::")
    assert lines[1].endswith("~ column public.users.id: type integer -> bigint "
                             "(migration: rewrites_table, strong_lock)%0A"
                             "+ column public.users.name")  # fmt: skip
    assert lines[2] == ("::warning file=db/old.sql,line=6,title=pgdrift%3A 1 difference::"
                        "- table public.audit (migration: deletes_data)")  # fmt: skip
    assert lines[3].startswith("::warning file=db/new.sql,line=11,")


def test_a_file_read_from_git_is_annotated_at_its_path_in_the_checkout() -> None:
    a = pgdrift.loads(OLD, name="origin/main:db/schema.sql")
    b = pgdrift.loads(NEW, name="db/schema.sql")
    paths = checkout_paths(["origin/main:db/schema.sql", "db/schema.sql"])
    assert paths == {"origin/main:db/schema.sql": "db/schema.sql"}
    lines = annotations(diff(a, b), paths=paths)
    assert all(line.startswith("::warning file=db/schema.sql,") for line in lines)


def test_standard_input_has_no_file_to_annotate() -> None:
    a = pgdrift.loads(OLD, name="<stdin>")
    b = pgdrift.loads(OLD.replace("email text", "email varchar(10)"), name="<stdin>")
    assert annotations(diff(a, b)) == [
        "::warning title=pgdrift%3A 1 difference::~ column public.users.email: type text -> "
        "character varying(10) (migration: rewrites_table, strong_lock, may_fail)"
    ]


# The command line ------------------------------------------------------------------------------


def _files(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "old.sql").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.sql").write_text(NEW, encoding="utf-8")
    return str(tmp_path / "old.sql"), str(tmp_path / "new.sql")


def test_cli_writes_annotations_to_stdout_and_appends_the_summary_to_the_step_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _files(tmp_path)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert cli.main(["diff", "--format", "github", old, new]) == 1
    out = capsys.readouterr().out
    assert out
    assert all(line.startswith("::warning file=") for line in out.splitlines())
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n# Schema differences: a vs b\n")


def test_cli_output_file_takes_the_summary_and_without_either_stdout_has_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _files(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    target = tmp_path / "report.md"
    assert cli.main(["diff", "--format", "github", "-o", str(target), old, new]) == 1
    out = capsys.readouterr().out
    assert "# Schema differences" not in out
    assert out.startswith("::warning ")
    assert target.read_text(encoding="utf-8").startswith("# Schema differences: a vs b")
    assert cli.main(["diff", "--format", "github", old, new]) == 1
    out = capsys.readouterr().out
    head, _, summary = out.partition("# Schema differences")
    assert head.count("::warning") == 4
    assert summary


def test_cli_reports_an_unwritable_step_summary_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _files(tmp_path)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no" / "such" / "dir" / "s.md"))
    assert cli.main(["diff", "--format", "github", old, new]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pgdrift: ")
    assert "cannot write the step summary" in err
    assert err.count("\n") == 1


def test_liveconvo_github_report_matches_its_golden_file(golden) -> None:  # type: ignore[no-untyped-def]
    dev = pgdrift.load(LIVECONVO / "dev" / "dump.sql", name="fixtures/liveconvo/dev/dump.sql")
    prod = pgdrift.load(LIVECONVO / "prod" / "dump.sql", name="fixtures/liveconvo/prod/dump.sql")
    result = diff(dev, prod, labels=("dev", "prod"))
    text = render_github(result)
    assert text == render_github(result)
    golden("diff/liveconvo-github.txt", text)
