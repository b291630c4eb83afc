"""Independent check that nothing pg_dump wrote is lost: every table-of-contents entry in every
fixture dump maps to the model object it describes (or, for entries about another object such
as COMMENT, ACL or DEFAULT, to that object carrying the attribute).

The entries are read straight from the dump's header comments with a regular expression, not
through the reader, and matched to the model by name, so a builder that silently skipped a
statement fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import pgdrift
from pgdrift import ids, model
from pgdrift.ids import ObjectId
from pgdrift.schema import Schema
from pgdrift.types import TypeRef, parse_type

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HEADER = re.compile(
    r"^-- (?P<data>Data for )?Name: (?P<name>.*); Type: (?P<type>[A-Z ]+); "
    r"Schema: (?P<schema>.*); Owner: (?P<owner>.*?)(?:; Tablespace: .*)?$"
)

# TOC types that describe one object of these kinds, named plainly.
OBJECT_KINDS: dict[str, tuple[str, ...]] = {
    "TABLE": (ids.TABLE,),
    "FOREIGN TABLE": (ids.FOREIGN_TABLE,),
    "VIEW": (ids.VIEW,),
    "MATERIALIZED VIEW": (ids.MATERIALIZED_VIEW,),
    "SEQUENCE": (ids.SEQUENCE,),
    "INDEX": (ids.INDEX,),
    "TYPE": (ids.ENUM, ids.COMPOSITE_TYPE, ids.RANGE_TYPE, ids.BASE_TYPE),
    "DOMAIN": (ids.DOMAIN,),
    "COLLATION": (ids.COLLATION,),
    "CONVERSION": (ids.CONVERSION,),
    "STATISTICS": (ids.STATISTICS,),
    "TEXT SEARCH DICTIONARY": (ids.TEXT_SEARCH_DICTIONARY,),
    "TEXT SEARCH CONFIGURATION": (ids.TEXT_SEARCH_CONFIGURATION,),
    "TEXT SEARCH PARSER": (ids.TEXT_SEARCH_PARSER,),
    "TEXT SEARCH TEMPLATE": (ids.TEXT_SEARCH_TEMPLATE,),
}
SCHEMALESS_KINDS = {
    "SCHEMA": ids.SCHEMA, "EXTENSION": ids.EXTENSION, "ACCESS METHOD": ids.ACCESS_METHOD,
    "FOREIGN DATA WRAPPER": ids.FOREIGN_DATA_WRAPPER, "SERVER": ids.SERVER,
    "PUBLICATION": ids.PUBLICATION, "EVENT TRIGGER": ids.EVENT_TRIGGER,
    "SUBSCRIPTION": ids.SUBSCRIPTION, "PROCEDURAL LANGUAGE": ids.LANGUAGE,
}  # fmt: skip
TABLE_CHILD_KINDS = {
    "CONSTRAINT": ids.CONSTRAINT, "FK CONSTRAINT": ids.CONSTRAINT,
    "CHECK CONSTRAINT": ids.CONSTRAINT, "TRIGGER": ids.TRIGGER, "POLICY": ids.POLICY,
    "RULE": ids.RULE,
}  # fmt: skip
ROUTINE_KINDS = {"FUNCTION": ids.FUNCTION, "PROCEDURE": ids.PROCEDURE,
                 "AGGREGATE": ids.AGGREGATE}  # fmt: skip
# Entries that load data (full dumps) or describe the database itself: no schema object.
DATA_TYPES = {"TABLE DATA", "SEQUENCE SET", "MATERIALIZED VIEW DATA", "DATABASE",
              "DATABASE PROPERTIES", "ENCODING", "STDSTRINGS", "SEARCHPATH", "BLOBS",
              "LARGE OBJECT"}  # fmt: skip


def dumps() -> list[Path]:
    return sorted(
        p for p in FIXTURES.rglob("dump.sql") if "dumpall" not in p.parts and "pairs" not in p.parts
    )


def headers(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = HEADER.match(line)
        if match:
            yield number, match.groupdict()


def splits(name: str) -> Iterator[tuple[str, str]]:
    """Every way to read ``"table child"`` (pg_dump does not quote either part)."""
    for i, char in enumerate(name):
        if char == " ":
            yield name[:i], name[i + 1 :]


def _unquote(name: str) -> str:
    return name[1:-1].replace('""', '"') if name.startswith('"') and name.endswith('"') else name


def find(schema: Schema, toc_type: str, name: str, toc_schema: str | None, owner: str) -> list[str]:
    """Ids of the model objects a TOC entry describes (empty when none)."""
    objects = schema.objects
    if toc_type in OBJECT_KINDS:
        return [str(o) for k in OBJECT_KINDS[toc_type]
                if (o := ObjectId(k, toc_schema, name)) in objects]  # fmt: skip
    if toc_type in SCHEMALESS_KINDS:
        oid = ObjectId(SCHEMALESS_KINDS[toc_type], None, name)
        return [str(oid)] if oid in objects else []
    if toc_type in TABLE_CHILD_KINDS:
        found = [str(o) for table, child in splits(name)
                 if (o := ObjectId(TABLE_CHILD_KINDS[toc_type], toc_schema, child,
                                   parent=table)) in objects]  # fmt: skip
        if not found and toc_type == "TRIGGER":
            # A partition's clone of its parent's trigger, listed with the parent's trigger.
            found = [f"{t.id} on {table}" for t in schema.triggers.values()
                     for p, _ in t.partition_states for table, child in splits(name)
                     if p.name == table and t.name == child]  # fmt: skip
        if not found and toc_type == "CHECK CONSTRAINT":
            # A domain constraint added NOT VALID: kept with its domain.
            found = [f"{d.id} {c.name}" for d in schema.domains.values()
                     for domain, child in splits(name) for c in d.checks
                     if d.name == domain and c.name == child]  # fmt: skip
        return found
    if toc_type in ROUTINE_KINDS:
        fname, _, args = name.partition("(")
        wanted = [a.strip() for a in args.rstrip(")").split(",") if a.strip()]
        return [str(o.id) for o in schema.of_kind(ROUTINE_KINDS[toc_type]).values()
                if o.id.schema == toc_schema and o.id.name == fname
                and _same_args(o.id.args or (), wanted, toc_schema)]  # fmt: skip
    if toc_type == "OPERATOR":
        return [str(o) for o in objects if o.kind == ids.OPERATOR and o.schema == toc_schema
                and o.name == name]  # fmt: skip
    if toc_type in ("OPERATOR CLASS", "OPERATOR FAMILY"):
        # Named without the access method: "int4_reverse_ops".
        kind = ids.OPERATOR_CLASS if toc_type == "OPERATOR CLASS" else ids.OPERATOR_FAMILY
        return [str(o) for o in objects if o.kind == kind and o.schema == toc_schema
                and o.name == name]  # fmt: skip
    if toc_type == "CAST":
        source, _, target = name.removeprefix("CAST (").removesuffix(")").partition(" AS ")
        oid = ObjectId(ids.CAST, None, f"{_bare(source)} AS {_bare(target)}")
        return [str(oid)] if oid in objects else []
    if toc_type == "TRANSFORM":
        # "TRANSFORM FOR integer LANGUAGE plpgsql", keyed by type and language.
        oid = ObjectId(ids.TRANSFORM, None, name.removeprefix("TRANSFORM FOR "))
        return [str(oid)] if oid in objects else []
    if toc_type == "DEFAULT":
        return [f"{t}.{c}" for t, c in splits(name) if _column_attr(schema, toc_schema, t, c,
                "default") or _parent_default_left(schema, toc_schema, t, c)]  # fmt: skip
    if toc_type == "SEQUENCE OWNED BY":
        seq = objects.get(ObjectId(ids.SEQUENCE, toc_schema, name))
        return [name] if isinstance(seq, model.Sequence) and seq.owned_by else []
    if toc_type == "TABLE ATTACH":
        # A partition may be a foreign table.
        return [
            name
            for kind in (ids.TABLE, ids.FOREIGN_TABLE)
            if getattr(objects.get(ObjectId(kind, toc_schema, name)), "partition_of", None)
        ]
    if toc_type == "INDEX ATTACH":
        found = [o for o in objects.values() if o.schema == toc_schema and o.name == name
                 and getattr(o, "attached_to", None) is not None]  # fmt: skip
        return [str(o.id) for o in found]
    if toc_type == "ROW SECURITY":
        table = objects.get(ObjectId(ids.TABLE, toc_schema, name))
        return [name] if isinstance(table, model.Table) and table.rls_enabled else []
    if toc_type == "PUBLICATION TABLE":
        return [f"{p} {t}" for p, t in splits(name) if _published(schema, p, toc_schema, t)]
    if toc_type == "PUBLICATION TABLES IN SCHEMA":
        return [
            f"{p} {s}"
            for p, s in splits(name)
            if s in getattr(objects.get(ObjectId(ids.PUBLICATION, None, p)), "schemas", ())
        ]
    if toc_type == "USER MAPPING":
        user, _, server = name.removeprefix("USER MAPPING ").partition(" SERVER ")
        oid = ObjectId(ids.USER_MAPPING, None, f"{user}@{server}")
        return [str(oid)] if oid in objects else []
    if toc_type == "DEFAULT ACL":
        object_type = name.removeprefix("DEFAULT PRIVILEGES FOR ").lower()
        oid = ObjectId(ids.DEFAULT_PRIVILEGES, None,
                       f"{owner}:{toc_schema or ''}:{object_type}")  # fmt: skip
        return [str(oid)] if oid in objects else []
    if toc_type == "COMMENT":
        return [name] if _commented(schema, name, toc_schema) else []
    if toc_type == "ACL":
        return [name]  # a grant on anything at all becomes privileges; checked below
    raise AssertionError(f"unknown TOC type {toc_type!r}: teach this test about it")


def _same_args(model_args: tuple[str, ...], toc_args: list[str], schema: str | None) -> bool:
    if len(model_args) != len(toc_args):
        return False
    for ours, theirs in zip(model_args, toc_args, strict=False):
        ref = _bare(theirs)
        if ref.schema is None and not ref.is_builtin:
            ref = ref.resolve([schema or "public"], lambda s, n: True)
        if str(ref) != ours:
            return False
    return True


def _bare(text: str) -> TypeRef:
    """A routine's or cast's type as the TOC names it (format_type_be): pg_proc and pg_cast
    keep no typmod, so "character" is bpchar, not the character(1) the grammar reads."""
    ref = parse_type(text)
    return attrs.evolve(ref, modifiers=()) if ref.modifiers else ref


def _column_attr(schema: Schema, s: str | None, table: str, column: str, attr: str) -> bool:
    relation = schema.objects.get(ObjectId(ids.TABLE, s, table))
    if relation is None:
        relation = schema.objects.get(ObjectId(ids.VIEW, s, table))
        return relation is not None and any(c == column for c, _ in relation.column_defaults)
    columns = relation.columns
    return column in columns and getattr(columns[column], attr) is not None


def _parent_default_left(schema: Schema, s: str | None, table: str, column: str) -> bool:
    """pg_dump's ``SET DEFAULT NULL`` on a child column with no default of its own under a
    parent with one: PostgreSQL stores no default, so the entry leaves none."""
    relation = schema.objects.get(ObjectId(ids.TABLE, s, table))
    if not isinstance(relation, model.Table) or column not in relation.columns:
        return False
    parents = [schema.objects.get(p) for p in relation.inherits]
    return relation.columns[column].default is None and any(
        isinstance(p, model.Table) and column in p.columns and p.columns[column].default
        for p in parents
    )


def _published(schema: Schema, publication: str, s: str | None, table: str) -> bool:
    pub = schema.objects.get(ObjectId(ids.PUBLICATION, None, publication))
    return isinstance(pub, model.Publication) and any(
        t.table.schema == s and t.table.name == table for t in pub.tables
    )


COMMENT_KINDS = sorted(
    ("TABLE", "COLUMN", "CONSTRAINT", "INDEX", "SEQUENCE", "VIEW", "MATERIALIZED VIEW",
     "FOREIGN TABLE", "FUNCTION", "PROCEDURE", "AGGREGATE", "TYPE", "DOMAIN", "SCHEMA",
     "EXTENSION", "TRIGGER", "POLICY", "RULE", "COLLATION", "CONVERSION", "CAST",
     "ACCESS METHOD", "OPERATOR", "OPERATOR CLASS", "OPERATOR FAMILY", "TEXT SEARCH PARSER",
     "TEXT SEARCH DICTIONARY", "TEXT SEARCH TEMPLATE", "TEXT SEARCH CONFIGURATION",
     "FOREIGN DATA WRAPPER", "SERVER", "PUBLICATION", "SUBSCRIPTION", "EVENT TRIGGER",
     "STATISTICS", "LANGUAGE", "PROCEDURAL LANGUAGE", "LARGE OBJECT", "DATABASE", "ROLE",
     "TRANSFORM"),
    key=len, reverse=True,
)  # fmt: skip


def _first_name(text: str) -> str:
    """The first (possibly quoted) identifier of ``text``, unquoted."""
    if text.startswith('"'):
        end = 1
        while True:
            end = text.index('"', end)
            if text[end + 1 : end + 2] == '"':
                end += 2
                continue
            return text[1:end].replace('""', '"')
    return re.split(r"[ (]", text, maxsplit=1)[0]


def _commented(schema: Schema, name: str, s: str | None) -> bool:
    """COMMENT entries are named ``KIND name``; a comment must be on an object of that name."""
    kind_word = next(k for k in COMMENT_KINDS if name.startswith(k + " "))
    rest = name[len(kind_word) + 1 :]
    if kind_word == "COLUMN":
        target = rest.rsplit(".", 1)[-1]
        target = target[1:-1].replace('""', '"') if target.startswith('"') else target
        for obj in schema:
            if isinstance(getattr(obj, "columns", None), model.Columns):
                column = obj.columns.get(target)
                if column is not None and column.comment is not None:
                    return True
            if any(c == target and v is not None for c, v in getattr(obj, "column_comments", ())):
                return True
        return False
    if kind_word == "TRANSFORM":
        oid = ObjectId(ids.TRANSFORM, None, rest.removeprefix("FOR "))
        return getattr(schema.objects.get(oid), "comment", None) is not None
    if kind_word == "CAST":
        source, _, target_type = rest.strip("()").partition(" AS ")
        oid = ObjectId(ids.CAST, None, f"{_bare(source)} AS {_bare(target_type)}")
        return getattr(schema.objects.get(oid), "comment", None) is not None
    target = _first_name(rest)
    for obj in schema:
        if obj.name == target and obj.comment is not None:
            return True
        for check in getattr(obj, "checks", ()):
            if check.name == target and check.comment is not None:
                return True
        # The index behind a key or exclusion constraint is kept with the constraint.
        if kind_word == "INDEX" and obj.name == target and getattr(obj, "index_comment", None):
            return True
    return False


def _quoted(name: str) -> str:
    return pgdrift.types.quote_ident(name)


@pytest.mark.parametrize("dump", dumps(), ids=lambda p: str(p.parent.relative_to(FIXTURES)))
def test_every_toc_entry_maps_to_a_model_object(dump: Path) -> None:
    schema = pgdrift.load(dump)
    assert not schema.unsupported, [u.statement[:80] for u in schema.unsupported]
    problems = []
    for line, header in headers(dump):
        toc_type = header["type"]
        if header["data"] or toc_type in DATA_TYPES:
            continue
        toc_schema = None if header["schema"] == "-" else header["schema"]
        found = find(schema, toc_type, header["name"], toc_schema, header["owner"])
        # OPERATOR entries name only the operator symbol, so overloads share one name.
        expected_many = toc_type in ("OPERATOR", "INDEX ATTACH")
        if not found or (len(found) > 1 and not expected_many):
            problems.append(f"line {line}: {toc_type} {header['name']!r} -> {found}")
    assert not problems, "\n".join(problems)


def dumps_with_acl() -> list[Path]:
    return [p for p in dumps() if "; Type: ACL;" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize(
    "dump", dumps_with_acl(), ids=lambda p: str(p.parent.relative_to(FIXTURES))
)
def test_every_acl_entry_leaves_privileges(dump: Path) -> None:
    """An ACL entry's GRANT/REVOKE lands as privileges somewhere (an ACL entry exists only
    because the object's privileges differ from the defaults)."""
    schema = pgdrift.load(dump)
    with_privileges = [o for o in schema if o.privileges] + [
        c
        for o in schema
        if isinstance(getattr(o, "columns", None), model.Columns)
        for c in o.columns.values()
        if c.privileges
    ]
    assert with_privileges
