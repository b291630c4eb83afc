"""The shape of the source tree: no import cycles among pgdrift's modules, no oversized modules.

Imports are read statically from every module, including those inside functions (an import moved
into a function to dodge a cycle is still a cycle). What counts as an edge ``a -> b``:

- ``import pgdrift.b`` and ``from pgdrift import b`` (``b`` a module) anywhere in ``a``;
- ``from pgdrift.b import name``: an edge to ``pgdrift.b.name`` when that is a module, else to
  ``pgdrift.b`` (a package ``__init__`` that imports its submodules to register them is an
  edge too);
- the names ``pgdrift/__init__.py`` resolves lazily through its ``_LAZY`` table.

Not edges: imports under ``if TYPE_CHECKING:`` (they never run), and the parent packages Python
imports before a submodule (``pgdrift.differ`` before ``pgdrift.differ.changes``): a package is
always initialised before its submodules, so these never meet a half-initialised module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

import pgdrift

SOURCE = Path(pgdrift.__file__).parent
MAX_LINES = 700
#: The catalogue of model classes may stay one module (issue 9).
LONG_ALLOWED = frozenset({"pgdrift.model"})


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(SOURCE.rglob("*.py")):
        parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_time_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below ``node`` that can run, skipping ``if TYPE_CHECKING:`` bodies."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield other
                yield from _run_time_nodes(other)
            continue
        yield child
        yield from _run_time_nodes(child)


def _imported(module: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """The pgdrift modules ``module`` imports, each with the line of the import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in _run_time_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield (full if full in known else base), node.lineno
        elif (
            module == "pgdrift"
            and isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "_LAZY" for t in node.targets)
        ):
            table = ast.literal_eval(node.value)
            for target in table.values():
                yield target, node.lineno


def import_graph() -> nx.DiGraph:
    """pgdrift's modules, an edge from each to the pgdrift modules it imports."""
    known = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for module, path in known.items():
        for target, line in _imported(module, path, known):
            if target in known and target != module:
                graph.add_edge(module, target, line=line)
    return graph


def _cycles(graph: nx.DiGraph) -> list[str]:
    found = []
    for cycle in nx.simple_cycles(graph):
        steps = [
            f"{a} (line {graph.edges[a, b]['line']})"
            for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True)
        ]
        found.append(" -> ".join([*steps, cycle[0]]))
    return sorted(found)


def _in_builder(cycle: str) -> bool:
    return all(step.startswith("pgdrift.builder") for step in cycle.split(" -> "))


def test_the_import_graph_sees_imports_inside_functions_and_not_type_checking_ones() -> None:
    graph = import_graph()
    # the diff command imports the differ inside run_diff, to keep --help fast: still an edge.
    assert graph.has_edge("pgdrift.cli.cmd_diff", "pgdrift.differ")
    # The lazy names of the package are edges too.
    assert graph.has_edge("pgdrift", "pgdrift.loading")
    # security.py names Change for typing only.
    assert not graph.has_edge("pgdrift.differ.security", "pgdrift.differ.changes")


def test_no_import_cycles() -> None:
    cycles = [c for c in _cycles(import_graph()) if not _in_builder(c)]
    assert cycles == []


def test_no_import_cycles_in_the_builder() -> None:
    assert [c for c in _cycles(import_graph()) if _in_builder(c)] == []


def _long_modules() -> dict[str, int]:
    lengths = {
        module: len(path.read_text(encoding="utf-8").splitlines())
        for module, path in _modules().items()
    }
    return {m: n for m, n in sorted(lengths.items()) if n > MAX_LINES and m not in LONG_ALLOWED}


def test_no_module_is_over_700_lines_except_the_model() -> None:
    assert _long_modules() == {}


_TEXT_SUFFIXES = frozenset({".py", ".md", ".toml", ".txt", ".yml", ".yaml", ".cfg", ".json"})


def test_no_text_file_holds_merge_conflict_markers() -> None:
    # A merge once left <<<<<<< / >>>>>>> lines in docs/index.md; nothing else would notice.
    root = Path(pgdrift.__file__).resolve().parents[2]
    found = []
    for folder in ("src", "tests", "docs", "tools", "bench", "examples", ".ci"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in _TEXT_SUFFIXES or not path.is_file():
                continue
            for number, line in enumerate(path.read_text("utf-8", "replace").splitlines(), 1):
                if line.startswith(("<<<<<<< ", ">>>>>>> ")):
                    found.append(f"{path.relative_to(root)}:{number}")
    for name in ("README.md", "mkdocs.yml", "noxfile.py", "pyproject.toml", "action.yml"):
        path = root / name
        if path.is_file():
            text = path.read_text("utf-8", "replace").splitlines()
            found += [f"{name}:{n}" for n, line in enumerate(text, 1)
                      if line.startswith(("<<<<<<< ", ">>>>>>> "))]  # fmt: skip
    assert found == []
