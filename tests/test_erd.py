"""``pgdrift erd`` and ``pgdrift.erd``: the diagram's syntax (read back by the small readers in
``erd_syntax.py``), what it shows of keys, cardinality and partitions, its limits on a large
schema, and the LiveConvo diagrams as golden files (``tests/golden/erd/``)."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

import pgdrift
from erd_syntax import MermaidER, parse_dot, parse_mermaid, unquote_dot
from pgdrift import cli
from pgdrift.cli import cmd_erd
from pgdrift.errors import Error
from pgdrift.renderer import diagram, diagram_text
from pgdrift.schema import Schema

ROOT = Path(__file__).resolve().parent.parent
PROD = ROOT / "fixtures" / "liveconvo" / "prod" / "dump.sql"
PARTITIONS = ROOT / "fixtures" / "partitions" / "dump.sql"
#: Mermaid's default maxTextSize: a longer diagram is not drawn at all.
MERMAID_MAX_TEXT = 50_000

Golden = Callable[[str, str], None]

TEAMS = """
CREATE TABLE public.teams (id integer PRIMARY KEY, name text NOT NULL, slug text UNIQUE);
CREATE TABLE public.people (
    id integer PRIMARY KEY,
    team_id integer NOT NULL REFERENCES public.teams,
    mentor_id integer REFERENCES public.people,
    note text
);
CREATE TABLE public.badges (
    person_id integer PRIMARY KEY REFERENCES public.people ON DELETE CASCADE,
    title text
);
CREATE TABLE public.memberships (
    team_id integer REFERENCES public.teams,
    person_id integer REFERENCES public.people,
    PRIMARY KEY (team_id, person_id)
);
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(["erd", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def check_mermaid(text: str, schema: Schema) -> MermaidER:
    """The diagram reads, and every table it shows is a table of ``schema``."""
    er = parse_mermaid(text)
    tables = {t.id.qualified_name for t in schema.tables.values()}
    for name in er.entities:
        assert name in tables, f"{name} is shown but is no table of the schema"
    return er


def relation(er: MermaidER, child: str, label: str) -> tuple[str, str]:
    """(parent, crow's foot) of the relation drawn for ``child``'s foreign key ``label``."""
    found = [(a, shape) for a, shape, b, text in er.relations if b == child and text == label]
    assert len(found) == 1, er.relations
    return found[0]


def test_liveconvo_prod_diagrams_are_golden(golden: Golden, capsys: pytest.CaptureFixture[str]):
    for fmt, suffix in (("mermaid", "mmd"), ("dot", "dot")):
        status, out, err = run(capsys, str(PROD), "--format", fmt, "--no-cache")
        assert (status, err) == (0, "")
        golden(f"erd/liveconvo-prod.{suffix}", out)


def test_liveconvo_prod_mermaid_reads_back_with_every_table_and_foreign_key() -> None:
    schema = pgdrift.load(PROD)
    er = check_mermaid(diagram_text.erd(schema), schema)
    assert sorted(er.entities) == sorted(t.id.qualified_name for t in schema.tables.values())
    foreign_keys = [c for c in schema.constraints.values() if c.type == "foreign key"]
    assert len(er.relations) == len(foreign_keys) == 6
    users = {a.name: a.keys for a in er.entities["public.users"]}
    assert users["id"] == ("PK",)
    assert users["email"] == ("UK",)
    assert users["referred_by_user_id"] == ("FK",)


def test_liveconvo_prod_dot_reads_back_with_edges_between_declared_nodes() -> None:
    schema = pgdrift.load(PROD)
    dot = parse_dot(diagram_text.erd(schema, "dot"))
    assert sorted(unquote_dot(n) for n in dot.nodes) == sorted(
        t.id.qualified_name for t in schema.tables.values()
    )
    assert len(dot.edges) == 6
    header = dot.nodes["public.users"].find("tr/td/b")
    assert header is not None
    assert header.text == "public.users"


def test_cardinality_follows_not_null_unique_and_primary_key_columns() -> None:
    schema = pgdrift.loads(TEAMS)
    er = check_mermaid(pgdrift.erd(schema), schema)
    # NOT NULL: each person has exactly one team; any number of people per team.
    assert relation(er, "public.people", "team_id") == ("public.teams", "||..o{")
    # Nullable: zero or one mentor; a self-reference is drawn like any other.
    assert relation(er, "public.people", "mentor_id") == ("public.people", "|o..o{")
    # The referencing column is the primary key: one-to-one, and it identifies the badge.
    assert relation(er, "public.badges", "person_id") == ("public.people", "||--o|")
    # Inside a composite primary key: identifying, many per parent.
    assert relation(er, "public.memberships", "team_id") == ("public.teams", "||--o{")


def test_key_columns_are_drawn_and_others_only_with_all_columns() -> None:
    schema = pgdrift.loads(TEAMS)
    er = parse_mermaid(pgdrift.erd(schema))
    teams = {a.name: a for a in er.entities["public.teams"]}
    assert list(teams) == ["id", "slug"]
    assert teams["slug"].keys == ("UK",)
    people = parse_mermaid(pgdrift.erd(schema, all_columns=True)).entities["public.people"]
    assert [(a.type, a.name, a.keys) for a in people] == [
        ("integer", "id", ("PK",)), ("integer", "team_id", ("FK",)),
        ("integer", "mentor_id", ("FK",)), ("text", "note", ()),
    ]  # fmt: skip


def test_partitions_are_folded_into_their_partitioned_table() -> None:
    schema = pgdrift.load(PARTITIONS)
    partitions = {t.id.qualified_name for t in schema.tables.values() if t.partition_of}
    assert partitions
    er = check_mermaid(pgdrift.erd(schema), schema)
    assert not partitions & set(er.entities)
    measurements = {a.name: a for a in er.entities["public.measurements"]}
    assert measurements["logdate"].comment == "partition key (range), 5 partitions"
    dot = parse_dot(pgdrift.erd(schema, "dot"))
    assert not partitions & {unquote_dot(n) for n in dot.nodes}


def test_foreign_keys_of_partitions_become_their_parents_relations() -> None:
    schema = pgdrift.loads("""
        CREATE TABLE public.users (id integer PRIMARY KEY);
        CREATE TABLE public.events (id integer, at date, user_id integer)
            PARTITION BY RANGE (at);
        CREATE TABLE public.events_2026 PARTITION OF public.events
            FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
        ALTER TABLE public.events_2026 ADD CONSTRAINT events_2026_user_fk
            FOREIGN KEY (user_id) REFERENCES public.users;
    """)
    er = check_mermaid(pgdrift.erd(schema), schema)
    assert sorted(er.entities) == ["public.events", "public.users"]
    assert relation(er, "public.events", "user_id")[0] == "public.users"


def many_tables(n: int) -> str:
    """``n`` tables: each references the one at half its number, and every tenth also the
    first table (a hub), as a large application schema links its tables."""
    lines = ["CREATE TABLE public.t000 (id bigint PRIMARY KEY, name text);"]
    for i in range(1, n):
        refs = [f"parent_id bigint NOT NULL REFERENCES public.t{i // 2:03d}"]
        if i % 10 == 0:
            refs.append("owner_id bigint REFERENCES public.t000")
        lines.append(f"CREATE TABLE public.t{i:03d} (id bigint PRIMARY KEY, "
                     f"{', '.join(refs)}, payload jsonb);")  # fmt: skip
    return "\n".join(lines)


def test_a_500_table_schema_stays_under_the_limit_with_a_note() -> None:
    schema = pgdrift.loads(many_tables(500))
    text = pgdrift.erd(schema)
    assert len(text) < MERMAID_MAX_TEXT
    er = check_mermaid(text, schema)
    assert len(er.entities) == diagram.DEFAULT_MAX_TABLES
    # The hub and the best-linked tables are kept; the note says what is left out and how.
    assert "public.t000" in er.entities
    (note,) = er.comments
    assert note.startswith("40 of 500 tables shown (the most connected by foreign keys); 460 "
                           "left out: ")  # fmt: skip
    assert "--include '" in note
    assert "--max-tables" in note
    dot = parse_dot(pgdrift.erd(schema, "dot"))
    assert len(dot.nodes) == diagram.DEFAULT_MAX_TABLES


def test_include_draws_the_chosen_tables_and_their_neighbours_up_to_depth() -> None:
    schema = pgdrift.loads(many_tables(500))
    # t010 links to t005 (its parent), t020 and t021 (its children) and t000 (the hub).
    near = parse_mermaid(pgdrift.erd(schema, include=["public.t010"]))
    assert sorted(near.entities) == ["public.t000", "public.t005", "public.t010",
                                     "public.t020", "public.t021"]  # fmt: skip
    assert not near.comments
    alone = parse_mermaid(pgdrift.erd(schema, include=["public.t010"], depth=0))
    assert list(alone.entities) == ["public.t010"]
    capped = parse_mermaid(pgdrift.erd(schema, include=["public.t01*"], depth=3, max_tables=12))
    assert len(capped.entities) == 12
    assert {f"public.t{i:03d}" for i in range(10, 20)} <= set(capped.entities)
    assert "the chosen tables first, then their neighbours" in capped.comments[0]


def test_exclude_leaves_tables_and_their_relations_out() -> None:
    schema = pgdrift.loads(TEAMS)
    er = check_mermaid(pgdrift.erd(schema, exclude=["public.people"]), schema)
    assert "public.people" not in er.entities
    assert all("public.people" not in (a, b) for a, _, b, _ in er.relations)


def test_names_mermaid_would_misread_are_made_safe() -> None:
    schema = pgdrift.loads('''
        CREATE SCHEMA "Sales %";
        CREATE TABLE "Sales %"."Order ""Lines""" (
            pk integer PRIMARY KEY, "Uk" text UNIQUE, "1st value" double precision,
            at timestamp(3) with time zone, tags character varying(20)[]);
        CREATE TABLE public.t (x integer REFERENCES "Sales %"."Order ""Lines""");
    ''')
    text = pgdrift.erd(schema, all_columns=True)
    er = parse_mermaid(text)
    assert sorted(er.entities) == ['Sales _.Order _Lines_', "public.t"]
    attributes = [(a.type, a.name, a.keys) for a in er.entities["Sales _.Order _Lines_"]]
    assert attributes == [
        ("integer", "_pk", ("PK",)), ("text", "_Uk", ("UK",)),
        ("float8", "_1st_value", ()), ("timestamptz(3)", "at", ()),
        ("varchar(20)[]", "tags", ()),
    ]  # fmt: skip
    dot = parse_dot(pgdrift.erd(schema, "dot"))
    assert 'Sales %.Order "Lines"' in {unquote_dot(n) for n in dot.nodes}


def test_tables_whose_names_collide_once_made_safe_stay_apart() -> None:
    schema = pgdrift.loads('CREATE TABLE public."a%b" (id int); CREATE TABLE public."a""b" ();')
    er = parse_mermaid(pgdrift.erd(schema))
    assert sorted(er.entities) == ["public.a_b", "public.a_b (2)"]


def test_the_diagram_is_the_same_whatever_the_statement_order() -> None:
    statements = [s + ";" for s in many_tables(60).split(";\n") if s.strip(";")]
    expected = pgdrift.erd(pgdrift.loads("\n".join(statements)), max_tables=20)
    random.Random(14).shuffle(statements)
    assert pgdrift.erd(pgdrift.loads("\n".join(statements)), max_tables=20) == expected


def test_include_that_matches_nothing_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, str(PROD), "--include", "users", "--no-cache")
    assert (status, out) == (2, "")
    assert err == ("pgdrift: --include users: no table matches (the globs match qualified "
                   "names, such as 'public.users' or 'public.user_*')\n")  # fmt: skip
    with pytest.raises(Error, match="no table matches"):
        pgdrift.erd(pgdrift.load(PROD), include=["users"])


def test_cli_notes_what_it_left_out_on_stderr_and_writes_output_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "erd.mmd"
    status, out, err = run(capsys, str(PROD), "--max-tables", "2", "-o", str(target),
                           "--no-cache")  # fmt: skip
    assert (status, out) == (0, "")
    assert err.startswith("pgdrift: note: 2 of 5 tables shown")
    er = parse_mermaid(target.read_text())
    assert len(er.entities) == 2
    assert er.comments == [err.removeprefix("pgdrift: note: ").strip()]


def test_cli_rejects_a_limit_below_one(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["erd", str(PROD), "--max-tables", "0"])
    assert exit_info.value.code == 2
    assert "--max-tables: must be at least 1: 0" in capsys.readouterr().err


def test_cli_choices_match_the_renderer() -> None:
    assert cmd_erd.ERD_FORMATS == diagram_text.DIAGRAM_FORMATS
    assert cmd_erd.DEFAULT_MAX_TABLES == diagram.DEFAULT_MAX_TABLES


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(Error, match="unknown diagram format 'svg'"):
        pgdrift.erd(pgdrift.loads("CREATE TABLE t (a int);"), "svg")


def test_library_function_is_exposed_at_the_top_level() -> None:
    assert pgdrift.erd is diagram_text.erd
    assert re.match(r"erDiagram\n", pgdrift.erd(pgdrift.loads("CREATE TABLE t (a int);")))


@pytest.mark.parametrize(
    "text",
    [
        'erDiagram\n    "a" ||..o{ "b" : "x"\n    "a"\n',  # b is never declared
        'erDiagram\n    "a" {\n        integer pk PK\n    }\n',  # a key word as a name
        'erDiagram\n    "a" {\n        character varying x\n    }\n',  # a type of two words
        'erDiagram\n    "a":::new\n',  # a class no classDef defines
        'erDiagram\n    "a%b"\n',  # % may not appear in an entity name
    ],
)
def test_the_mermaid_reader_rejects_what_mermaid_would_misread(text: str) -> None:
    with pytest.raises(AssertionError):
        parse_mermaid(text)


@pytest.mark.parametrize(
    "text",
    [
        'digraph erd {\n    "a" -> "b" [label="x"];\n}\n',  # edge between undeclared nodes
        'digraph erd {\n    "a" [label=<<b>a</i>>];\n}\n',  # a label that is not well-formed
        'digraph erd {\n    graph [label="}"];\n    {\n}\n',  # braces that do not balance
    ],
)
def test_the_dot_reader_rejects_broken_graphs(text: str) -> None:
    with pytest.raises((AssertionError, ET.ParseError)):
        parse_dot(text)


def test_the_docs_example_is_the_liveconvo_golden_diagram() -> None:
    page = (ROOT / "docs" / "erd.md").read_text(encoding="utf-8")
    example = page.split("## Example", 1)[1].split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert example == (ROOT / "tests" / "golden" / "erd" / "liveconvo-prod.mmd").read_text()
    parse_mermaid(example)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed here")
def test_graphviz_draws_the_dot_output_with_no_node_it_was_not_given() -> None:
    odd = 'CREATE TABLE public."odd \\""" (x integer REFERENCES public.teams);'
    schema = pgdrift.loads(TEAMS + odd)
    result = subprocess.run(["dot", "-Tsvg"], input=pgdrift.erd(schema, "dot").encode(),
                            capture_output=True, check=False)  # fmt: skip
    assert (result.returncode, result.stderr) == (0, b"")
    svg = ET.fromstring(result.stdout)
    nodes = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"]
    edges = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge"]
    # An edge naming a node that was not declared would have made one more node.
    assert (len(nodes), len(edges)) == (5, 6)
