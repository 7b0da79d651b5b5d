"""The documentation matches the code: its generated sections (the rules table, the CLI
reference) are current, every shown output is checked somewhere, links lead to files, and
the README stays short. Console examples run in tests/data/test_doc_examples.py; the shared
machinery is tests/docs.py (SAPSMED_UPDATE_DOCS=1 rewrites the generated parts)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from sapsmed.base.problems import RULES

from .conftest import ROOT, Cli
from .docs import (
    CONSOLE,
    DOCS,
    PENDING,
    README,
    TEXT_EXAMPLES,
    name,
    pages,
    pages_with,
    replace_section,
    section,
    text_block,
    updating,
)

COMMANDS = (
    "validate",
    "show",
    "status",
    "lines",
    "scorecard",
    "grid",
    "update",
    "line",
    "line add",
    "line set",
    "line remove",
    "budget",
    "personnel",
    "output",
    "risk",
    "report",
    "site",
    "diff",
    "history",
    "export",
    "init",
    "schema",
    "kpi",
    "kpi list",
    "kpi show",
    "kpi record",
    "kpi import",
    "kpi coverage",
    "kpi target",
    "returns",
    "returns template",
    "returns import",
)
# The pages the README links to, with a heading each must keep.
PAGES = {
    "docs/tour.md": "# A tour of sapsmed",
    "docs/data.md": "# The data",
    "docs/validation.md": "# Validation rules",
    "docs/ci.md": "# In git, CI and pre-commit",
    "docs/kpi-methods.md": "# KPI methods",
    "docs/performance.md": "# Performance",
    "docs/cli.md": "# Command reference",
    "docs/architecture.md": "# Architecture",
    "docs/dependencies.md": "# Dependencies",
    "docs/README.md": "# sapsmed documentation",
    "CONTRIBUTING.md": "# Contributing to sapsmed",
}
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def rules_table(cli: Cli) -> str:
    rows = ["| code | severity | what it reports |", "|---|---|---|"]
    rows += [f"| `{code}` | {sev} | {text} |" for code, (sev, text) in RULES.items()]
    return "\n".join(rows) + "\n"


def cli_reference(cli: Cli) -> str:
    parts = []
    for args in ([], *(c.split() for c in COMMANDS)):
        shown = " ".join(["sapsmed", *args, "--help"])
        help_text = cli(*args, "--help").stdout
        lines = [line.rstrip() for line in help_text.splitlines()]
        while lines and not lines[0]:
            lines.pop(0)  # Rich's help opens and ends with a blank line
        while lines and not lines[-1]:
            lines.pop()
        parts.append(f"```text\n$ {shown}\n" + "\n".join(lines) + "\n```\n")
    return "\n".join(parts)


GENERATED: dict[str, Callable[[Cli], str]] = {"rules": rules_table, "cli": cli_reference}


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("marker", sorted(GENERATED))
def test_generated_sections_are_current(cli: Cli, at_root: None, marker: str) -> None:
    """Each generated section stands on one page and is what the code gives today."""
    where = pages_with(marker)
    assert len(where) == 1, (marker, [name(p) for p in where])
    page = where[0]
    expected = GENERATED[marker](cli)
    text = page.read_text()
    if updating():
        text = replace_section(text, marker, expected)
        page.write_text(text)
    assert section(text, marker) == expected, name(page)


def test_rules_and_cli_reference_live_on_their_pages() -> None:
    assert pages_with("rules") == [DOCS / "validation.md"]
    assert pages_with("cli") == [DOCS / "cli.md"]


def test_every_command_is_in_the_reference() -> None:
    from sapsmed.cli.app import COMMANDS as NAMES
    from sapsmed.cli.app import GROUPS
    from sapsmed.cli.kpi import app as kpi_app
    from sapsmed.cli.line import app as line_app
    from sapsmed.cli.returns import app as returns_app

    names = set(NAMES) | set(GROUPS) | {f"kpi {c.name}" for c in kpi_app.registered_commands}
    names |= {f"line {c.name}" for c in line_app.registered_commands}
    names |= {f"returns {c.name}" for c in returns_app.registered_commands}
    assert names == set(COMMANDS)


def test_ci_runs_the_readme_test_command() -> None:
    readme = README.read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = "pip install -e '.[test]' && pytest"
    assert test_command in readme
    assert test_command in ci
    assert "pip install . && sapsmed status --goal B" in readme


def test_benchmark_figures_come_from_the_bench_script() -> None:
    assert pages_with("bench") == [DOCS / "performance.md"]
    figures = section((DOCS / "performance.md").read_text(), "bench")
    assert figures is not None
    assert "python bench/run.py" in figures
    assert "sapsmed status --goal B (shipped plan)" in figures
    assert "validate 2,000 lines + 100,000 readings" in figures


def test_readme_stays_short() -> None:
    assert len(README.read_bytes()) < 12_000


def test_readme_examples_name_their_date(cli: Cli) -> None:
    """Outputs depend on the date: every README example of a command that takes --as-of
    gives one."""
    undated = []
    for match in CONSOLE.finditer(README.read_text()):
        args = shlex.split(match["cmd"])[1:]
        command = args[:2] if args[0] == "kpi" else args[:1]
        if "--as-of" in cli(*command, "--help").stdout and "--as-of" not in args:
            undated.append(match["cmd"])
    assert undated == []


def test_readme_has_the_sections_users_need_and_links_every_page() -> None:
    text = README.read_text()
    for heading in ("## Quick start", "## A short tour", "## Documentation"):
        assert heading in text, heading
    for page, heading in PAGES.items():
        assert heading in (ROOT / page).read_text(), page
        assert f"]({page})" in text, page
    index = (DOCS / "README.md").read_text()
    for doc in sorted(DOCS.glob("*.md")) + sorted(PENDING):
        if doc.name != "README.md":
            assert f"]({doc.name})" in index, doc.name


@pytest.mark.parametrize("page", pages(), ids=name)
def test_relative_links_lead_to_files(page: Path) -> None:
    broken = []
    for match in LINK.finditer(page.read_text()):
        target = match["target"].split("#", 1)[0]
        if not target or re.match(r"[a-z]+:", target):
            continue  # a link within the page, or to the web
        path = (page.parent / target).resolve()
        if not path.exists() and path not in PENDING:
            broken.append(match["target"])
    assert broken == []


@pytest.mark.parametrize("page", pages(), ids=name)
def test_every_example_is_in_its_own_block(page: Path) -> None:
    from markdown_it import MarkdownIt

    text = page.read_text()
    fences = [t for t in MarkdownIt("commonmark").parse(text) if t.type == "fence"]
    console = [t for t in fences if t.info == "console"]
    assert len(console) == len(CONSOLE.findall(text))
    assert all(t.content.startswith("$ sapsmed ") for t in console)


@pytest.mark.parametrize("page", pages(), ids=name)
def test_every_shown_output_is_checked(page: Path) -> None:
    """A block that shows `$ sapsmed ...` is a console example (run on the shipped plan), in a
    generated section, or one of the ```text examples a named test checks."""
    from markdown_it import MarkdownIt

    text = page.read_text()
    for marker in (*GENERATED, "bench"):
        body = section(text, marker)
        if body is not None:
            text = text.replace(body, "")
    unchecked = [
        t.content.split("\n", 1)[0]
        for t in MarkdownIt("commonmark").parse(text)
        if t.type == "fence"
        and t.info != "console"
        and t.content.startswith("$ sapsmed")
        and not any(t.content.startswith(start) for start in TEXT_EXAMPLES)
    ]
    assert unchecked == []


def test_every_text_example_is_shown_once() -> None:
    for start in TEXT_EXAMPLES:
        text_block(start)


def test_error_example_is_the_case_report() -> None:
    """The invalid-plan example is what tests/cases/erratum-action-as-printed gives."""
    _, shown = text_block("$ sapsmed validate\n")
    case = ROOT / "tests" / "cases" / "erratum-action-as-printed" / "expected.txt"
    assert shown.split("\n", 1)[1] == case.read_text()
