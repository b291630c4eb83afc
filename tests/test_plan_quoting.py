"""Identifiers and literals in generated SQL read back as exactly what they were.

Property tests: names and values with quotes, backslashes, ``$$``, semicolons, unicode,
keywords and 63-byte lengths go through the quoting functions, and through whole plans, and
pglast (PostgreSQL's own parser) must read back the same names and values.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pglast.keywords import (
    COL_NAME_KEYWORDS,
    RESERVED_KEYWORDS,
    TYPE_FUNC_NAME_KEYWORDS,
    UNRESERVED_KEYWORDS,
)
from pglast.parser import parse_sql_json

from pgdrift import ids, model
from pgdrift.differ import ChangeSet, Created
from pgdrift.expr import parse_expr
from pgdrift.ids import ObjectId
from pgdrift.pg.quoting import (
    dollar_quote,
    join_qualified_name,
    quote_ident,
    quote_literal,
    quote_qualified,
    quote_role,
    quote_routine_name,
)
from pgdrift.planner import plan
from pgdrift.types import TypeRef

KEYWORDS = sorted(RESERVED_KEYWORDS | COL_NAME_KEYWORDS | TYPE_FUNC_NAME_KEYWORDS
                  | UNRESERVED_KEYWORDS)  # fmt: skip
# PostgreSQL cannot store NUL in a name or in text.
TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))
NASTY = st.sampled_from(['"', "'", "\\", "$$", "$_$", ";", " ", "--", "/*", "é", "名", "😀",
                         "\n", "$", "E'", "U&"])  # fmt: skip
NAMES = st.one_of(
    st.sampled_from(KEYWORDS),
    st.sampled_from(KEYWORDS).map(str.upper),
    st.lists(st.one_of(NASTY, TEXT), min_size=1, max_size=6).map("".join),
    st.text(st.sampled_from("abcxyz_09"), min_size=1, max_size=63),
    st.just("x" * 63),
    st.just("é" * 31),
).filter(lambda s: 0 < len(s.encode()) <= 63 and "\x00" not in s)
VALUES = st.one_of(st.lists(st.one_of(NASTY, TEXT), max_size=8).map("".join), TEXT)


def parse(sql: str) -> list[dict[str, Any]]:
    return [s["stmt"] for s in json.loads(parse_sql_json(sql))["stmts"]]


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        if set(node) == {"sval"}:
            return [node["sval"]]
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return []


# The quoting functions -------------------------------------------------------------------------


@given(NAMES, VALUES)
def test_a_quoted_name_and_literal_read_back_unchanged(name: str, value: str) -> None:
    (stmt,) = parse(f"SELECT {quote_literal(value)} AS {quote_ident(name)}")
    (target,) = stmt["SelectStmt"]["targetList"]
    assert target["ResTarget"]["name"] == name
    assert target["ResTarget"]["val"]["A_Const"].get("sval", {}).get("sval", "") == value


@given(NAMES, NAMES)
def test_a_qualified_name_reads_back_as_its_two_parts(schema: str, name: str) -> None:
    (stmt,) = parse(f"CREATE TABLE {quote_qualified(schema, name)} ()")
    relation = stmt["CreateStmt"]["relation"]
    assert (relation["schemaname"], relation["relname"]) == (schema, name)


@given(VALUES)
def test_a_dollar_quoted_body_reads_back_unchanged(body: str) -> None:
    (stmt,) = parse(f"CREATE FUNCTION f() RETURNS int LANGUAGE sql AS {dollar_quote(body)}")
    options = stmt["CreateFunctionStmt"]["options"]
    (as_option,) = [o["DefElem"] for o in options if o["DefElem"]["defname"] == "as"]
    assert _strings(as_option["arg"]) == [body]


@pytest.mark.parametrize("word", KEYWORDS)
def test_every_keyword_is_quoted_unless_unreserved(word: str) -> None:
    quoted = quote_ident(word) != word
    assert quoted == (word not in UNRESERVED_KEYWORDS)
    (stmt,) = parse(f"SELECT 1 AS {quote_ident(word)}")
    assert stmt["SelectStmt"]["targetList"][0]["ResTarget"]["name"] == word


def test_names_are_left_bare_only_when_postgresql_would_read_them_back_unchanged() -> None:
    assert quote_ident("users") == "users"
    assert quote_ident("user_id2") == "user_id2"
    assert quote_ident("Users") == '"Users"'
    assert quote_ident("2fa") == '"2fa"'
    assert quote_ident("a$b") == '"a$b"'
    assert quote_ident("café") == '"café"'
    assert quote_ident('say "hi"') == '"say ""hi"""'
    assert quote_ident("select") == '"select"'
    assert quote_ident("abort") == "abort"


def test_literals_with_backslashes_use_the_escape_form() -> None:
    assert quote_literal("it's") == "'it''s'"
    assert quote_literal("a\\b") == "E'a\\\\b'"
    assert quote_literal("") == "''"


def test_the_dollar_tag_is_one_the_body_cannot_end_early() -> None:
    assert dollar_quote("SELECT 1") == "$$SELECT 1$$"
    assert dollar_quote("SELECT '$$'") == "$_$SELECT '$$'$_$"
    assert dollar_quote("a $$ b $_$ c") == "$__$a $$ b $_$ c$__$"
    # A body ending in "$" would meet the closing "$$" one character early.
    assert dollar_quote("x$") == "$_$x$$_$"


def test_role_keywords_stay_keywords() -> None:
    assert quote_role("PUBLIC") == "PUBLIC"
    assert quote_role("public") == "public"
    assert quote_role("Admin") == '"Admin"'
    assert quote_routine_name("public.Notify") == 'public."Notify"'


# Whole plans -------------------------------------------------------------------------------------


def _table(schema: str, name: str, column: str, default: str, comment: str) -> model.Table:
    table_id = ObjectId(ids.TABLE, schema, name)
    col = model.Column(
        id=ObjectId(ids.COLUMN, schema, column, parent=name),
        type=TypeRef(None, "text"),
        default=parse_expr(quote_literal(default)),
        comment=comment,
    )
    return model.Table(id=table_id, columns=model.Columns((col,)), comment=comment)


@settings(max_examples=150, deadline=None)
@given(NAMES, NAMES, NAMES, VALUES, VALUES)
def test_generated_statements_parse_back_to_the_same_names_and_values(
    schema: str, name: str, column: str, default: str, comment: str
) -> None:
    table = _table(schema, name, column, default, comment)
    the_plan = plan(ChangeSet((Created(id=table.id, after=table),)))
    statements = [parse(step.sql)[0] for step in the_plan]
    create = statements[0]["CreateStmt"]
    assert (create["relation"]["schemaname"], create["relation"]["relname"]) == (schema, name)
    (column_def,) = [e["ColumnDef"] for e in create["tableElts"]]
    assert column_def["colname"] == column
    (default_node,) = [c["Constraint"] for c in column_def["constraints"]]
    assert _strings(default_node["raw_expr"]) == [default]
    comments = [s["CommentStmt"] for s in statements if "CommentStmt" in s]
    assert [c.get("comment", "") for c in comments] == [comment, comment]
    assert _strings(comments[1]["object"]) == [schema, name, column]


@settings(max_examples=100, deadline=None)
@given(NAMES, VALUES, st.lists(VALUES, max_size=3))
def test_routine_bodies_and_trigger_arguments_survive_any_text(
    name: str, body: str, arguments: list[str]
) -> None:
    function = model.Function(
        id=ObjectId(ids.FUNCTION, "public", name, args=()),
        returns=TypeRef(None, "trigger"),
        language="plpgsql",
        body=body,
    )
    trigger = model.Trigger(
        id=ObjectId(ids.TRIGGER, "public", name, parent="t"),
        table=ObjectId(ids.TABLE, "public", "t"),
        timing="before",
        events=("insert",),
        for_each_row=True,
        # As the builder writes it: each part quoted where needed.
        function=join_qualified_name(["public", name]),
        arguments=tuple(arguments),
    )
    changes = ChangeSet(tuple(Created(id=o.id, after=o) for o in (function, trigger)))
    statements = [parse(step.sql)[0] for step in plan(changes)]
    (create_function,) = [s["CreateFunctionStmt"] for s in statements if "CreateFunctionStmt" in s]
    assert _strings(create_function["funcname"]) == ["public", name]
    (as_option,) = [o["DefElem"] for o in create_function["options"]
                    if o["DefElem"]["defname"] == "as"]  # fmt: skip
    assert _strings(as_option["arg"]) == [body]
    (create_trigger,) = [s["CreateTrigStmt"] for s in statements if "CreateTrigStmt" in s]
    assert create_trigger["trigname"] == name
    assert _strings(create_trigger.get("args", [])) == arguments
    assert _strings(create_trigger["funcname"]) == ["public", name]
