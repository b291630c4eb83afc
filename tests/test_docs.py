"""The documentation stays true: generated reference pages match the code."""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_object_model_reference_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "model_reference.py"), "--check"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_docs_pages_exist() -> None:
    for page in ("index.md", "getting-started.md", "object-model.md"):
        assert (ROOT / "docs" / page).is_file(), page


def test_relative_links_in_docs_and_readme_resolve() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    broken = []
    for page in pages:
        for target in re.findall(
            r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")
        ):
            if not (page.parent / target).resolve().is_file():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, broken


def _doc_examples() -> ModuleType:
    path = ROOT / "tools" / "doc_examples.py"
    spec = importlib.util.spec_from_file_location("doc_examples", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def example_pages() -> tuple[ModuleType, dict[str, str]]:
    """tools/doc_examples.py and the pages it makes now (it runs every example once)."""
    tool = _doc_examples()
    return tool, tool.render_pages()


def test_example_pages_are_up_to_date(example_pages: tuple[ModuleType, dict[str, str]]) -> None:
    tool, pages = example_pages
    assert tool.stale(pages, ROOT / "docs" / "examples") == [], "run python tools/doc_examples.py"


def test_example_check_finds_an_edited_a_missing_and_a_leftover_page(
    example_pages: tuple[ModuleType, dict[str, str]], tmp_path: Path
) -> None:
    tool, pages = example_pages
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert tool.stale(pages, tmp_path) == []
    (tmp_path / "diff.md").write_text(pages["diff.md"].replace("Exit status 1", "Exit status 0"))
    (tmp_path / "lint.md").unlink()
    (tmp_path / "gone.md").write_text(tool.GENERATED + "\n# Gone\n", encoding="utf-8")
    (tmp_path / "written.md").write_text("# Written by hand\n", encoding="utf-8")
    assert tool.stale(pages, tmp_path) == ["diff.md", "lint.md", "gone.md"]


def test_example_pages_show_the_commands_output(
    example_pages: tuple[ModuleType, dict[str, str]],
) -> None:
    tool, pages = example_pages
    diff = pages["diff.md"]
    # A table only dev has: in the text report, and dropped by the dev -> prod script.
    assert "  - table public.custom_reports\n" in diff
    assert "DROP TABLE public.custom_reports;\n" in diff
    assert '  "version": 1,\n' in diff
    for example in tool.EXAMPLES:
        assert f"pgdrift {shlex.join(example.args)}" in pages[f"{example.page}.md"]


def test_every_example_page_is_in_the_site_nav() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in _doc_examples().PAGES:
        assert f"examples/{page}.md" in nav, page
