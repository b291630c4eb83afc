"""A comment on any kind of object PostgreSQL can comment on loads and is kept (issue 10, 5).

fixtures/comments_all covers the kinds of PostgreSQL's COMMENT reference that the `comments`
case leaves out: indexes backing constraints or defined after their table's comment, columns of
materialized views, views, composite types and foreign tables, domain constraints, operator
classes, text search parsers and templates, transforms and routines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

import pgdrift

CASE = Path(__file__).resolve().parent.parent / "fixtures" / "comments_all"
_COMMENT = re.compile(r"^COMMENT ON (.+) IS '((?:[^']|'')*)';$", re.MULTILINE)


def _comments_in(value: object) -> list[str]:
    """Every comment an object carries: its own, its index's, its columns' and attributes'."""
    if isinstance(value, (str, bytes)):
        return []
    if attrs.has(type(value)):
        found: list[str] = []
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if field.name.endswith("comment") and isinstance(item, str):
                found.append(item)
            elif field.name == "column_comments":
                found.extend(comment for _, comment in item)
            else:
                found.extend(_comments_in(item))
        return found
    if isinstance(value, Mapping):
        return [comment for item in value.values() for comment in _comments_in(item)]
    if isinstance(value, Iterable):
        return [comment for item in value for comment in _comments_in(item)]
    return []


def test_every_comment_pg_dump_writes_loads_and_is_kept() -> None:
    text = (CASE / "dump.sql").read_text(encoding="utf-8")
    written = [match[2].replace("''", "'") for match in _COMMENT.finditer(text)]
    assert len(set(written)) == 18
    schema = pgdrift.load(CASE / "dump.sql")
    kept = [comment for obj in schema.objects.values() for comment in _comments_in(obj)]
    assert set(written) <= set(kept)


def test_a_comment_on_language_plpgsql_is_left_out_as_pg_dump_leaves_it() -> None:
    # plpgsql is a member of the extension initdb installs: pg_dump writes the privileges
    # granted on it but not its comment (checked on PostgreSQL 15).
    schema = pgdrift.loads(
        "COMMENT ON LANGUAGE plpgsql IS 'lang';\nGRANT USAGE ON LANGUAGE plpgsql TO app_user;\n"
    )
    assert any("comment of language:plpgsql" in w for w in schema.warnings)
    language = schema["language:plpgsql"]
    assert language.comment is None
    assert "app_user" in [p.grantee for p in language.privileges]
