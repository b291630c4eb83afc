"""Small readers of the diagram text pgdrift writes, strict enough to fail a test on anything
Mermaid or Graphviz would not read as meant.

Mermaid: the subset of ``erDiagram`` pgdrift emits, by Mermaid's ER grammar — ``%%`` comment
lines, ``classDef NAME STYLES``, entities as quoted names (any character but ``"``, ``%``,
``\\`` and line breaks) optionally followed by ``:::class`` and an attribute block whose lines
are ``type name [PK|FK|UK, ...] ["comment"]`` (type and name words of letters, digits and
``_ - . , ( ) [ ]``, never a bare key word), and relations ``"a" ||--o{ "b" : "label"``.

Dot: ``digraph NAME { ... }`` with attribute statements, ``//`` comments, node statements
with an HTML-like label (well-formed XML) and edges ``"a" -> "b" [...]``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

_NAME = r'"(?P<{0}>[^"%\\\r\n]+)"'
_WORD = r"[A-Za-z_][A-Za-z0-9_\-.,()\[\]]*"
_KEYS = r"(?:PK|FK|UK)(?:, (?:PK|FK|UK))*"
_ATTRIBUTE = re.compile(
    rf'(?P<type>{_WORD}) (?P<name>{_WORD})(?: (?P<keys>{_KEYS}))?(?: "(?P<comment>[^"]*)")?'
)
_ENTITY = re.compile(_NAME.format("name") + r"(?::::(?P<cls>[A-Za-z_][\w-]*))?(?P<open> \{)?")
_RELATION = re.compile(
    _NAME.format("a")
    + r" (?P<card_a>\|\||\|o|\}o|\}\|)(?P<line>--|\.\.)(?P<card_b>\|\||o\||o\{|\|\{) "
    + _NAME.format("b")
    + r' : "(?P<label>[^"]*)"'
)
_CLASS_DEF = re.compile(r"classDef (?P<name>[A-Za-z_][\w-]*) (?P<styles>[\w#:,.-]+)")


@dataclass
class Attribute:
    type: str
    name: str
    keys: tuple[str, ...]
    comment: str | None


@dataclass
class MermaidER:
    entities: dict[str, list[Attribute]] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    class_defs: dict[str, str] = field(default_factory=dict)
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def parse_mermaid(text: str) -> MermaidER:
    """The diagram's parts; an AssertionError naming the line for anything else. Checks as it
    reads: every relation joins declared entities, every class used is defined."""
    lines = text.splitlines()
    assert lines[:1] == ["erDiagram"], f"not an erDiagram: {lines[:1]}"
    er = MermaidER()
    block: str | None = None
    for number, raw in enumerate(lines[1:], 2):
        line = raw.strip()
        where = f"line {number}: {raw!r}"
        if block is not None:
            if line == "}":
                block = None
                continue
            match = _ATTRIBUTE.fullmatch(line)
            assert match, f"not an attribute, {where}"
            name = match["name"]
            assert name.upper() not in ("PK", "FK", "UK"), f"a key word as a name, {where}"
            keys = tuple(match["keys"].split(", ")) if match["keys"] else ()
            er.entities[block].append(Attribute(match["type"], name, keys, match["comment"]))
            continue
        if not line:
            continue
        if line.startswith("%%"):
            er.comments.append(line[2:].strip())
            continue
        if match := _CLASS_DEF.fullmatch(line):
            er.class_defs[match["name"]] = match["styles"]
            continue
        if match := _RELATION.fullmatch(line):
            er.relations.append((match["a"], match["card_a"] + match["line"] + match["card_b"],
                                 match["b"], match["label"]))  # fmt: skip
            continue
        match = _ENTITY.fullmatch(line)
        assert match, f"not an entity, relation, class or comment, {where}"
        name = match["name"]
        assert name not in er.entities, f"entity declared twice, {where}"
        er.entities[name] = []
        if match["cls"]:
            er.classes[name] = match["cls"]
        if match["open"]:
            block = name
    assert block is None, f"entity block {block!r} not closed"
    for a, _, b, label in er.relations:
        for end in (a, b):
            assert end in er.entities, f"relation {a} - {b} ({label}): {end} is not declared"
    for name, cls in er.classes.items():
        assert cls in er.class_defs, f"{name} uses class {cls} that no classDef defines"
    return er


@dataclass
class Dot:
    nodes: dict[str, ET.Element] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


_DOT_ID = r'"(?P<{0}>(?:[^"\\]|\\.)*)"'
_DOT_NODE = re.compile(_DOT_ID.format("id") + r" \[label=<(?P<label>.*)>\];")
_DOT_EDGE = re.compile(_DOT_ID.format("a") + " -> " + _DOT_ID.format("b") + r" \[(?P<attrs>.*)\];")
_DOT_DEFAULTS = re.compile(r"(graph|node|edge) \[(.*)\];")


def parse_dot(text: str) -> Dot:
    """The nodes (with their labels parsed as XML) and edges of a digraph; an AssertionError
    for anything else, unbalanced braces, or an edge to an undeclared node."""
    lines = text.splitlines()
    assert re.fullmatch(r"digraph \w+ \{", lines[0] if lines else ""), lines[:1]
    assert lines[-1] == "}", lines[-1:]
    dot = Dot()
    for number, raw in enumerate(lines[1:-1], 2):
        line = raw.strip()
        where = f"line {number}: {raw!r}"
        if line.startswith("//"):
            dot.comments.append(line[2:].strip())
        elif _DOT_DEFAULTS.fullmatch(line):
            continue
        elif match := _DOT_NODE.fullmatch(line):
            assert match["id"] not in dot.nodes, f"node declared twice, {where}"
            dot.nodes[match["id"]] = ET.fromstring(match["label"])
        elif match := _DOT_EDGE.fullmatch(line):
            dot.edges.append((match["a"], match["b"], match["attrs"]))
        else:
            raise AssertionError(f"not a dot statement pgdrift writes, {where}")
    depth = 0
    for char in _outside_strings(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, "a } closes nothing"
    assert depth == 0, "braces do not balance"
    for a, b, _ in dot.edges:
        for end in (a, b):
            assert end in dot.nodes, f"edge {a} -> {b}: {end} is not declared"
    return dot


def _outside_strings(text: str) -> str:
    """``text`` without its quoted strings and HTML-like labels."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    return re.sub(r"<<.*?>>", "<>", text)


def unquote_dot(name: str) -> str:
    return re.sub(r"\\(.)", r"\1", name)
