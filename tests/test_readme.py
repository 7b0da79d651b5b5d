"""The README matches the code: its command outputs, its rule table and its CLI reference are
checked here (run with SAPSMED_UPDATE_README=1 to rewrite them from the real thing)."""

from __future__ import annotations

import os
import re

import pytest

from sapsmed.base.problems import RULES

from .conftest import ROOT, Cli

README = ROOT / "README.md"
# ```console blocks (```` when the output holds fences of its own): `$ command`, then output
CONSOLE = re.compile(
    r"(?P<fence>`{3,})console\n\$ (?P<cmd>sapsmed [^\n]*)\n(?P<out>.*?)"
    r"(?<=\n)(?P=fence)\n",
    re.DOTALL,
)
COMMANDS = (
    "validate",
    "show",
    "status",
    "lines",
    "scorecard",
    "update",
    "report",
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
)


def rules_table() -> str:
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


def replace_section(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:begin -->\n).*?(<!-- {name}:end -->)", re.DOTALL)
    assert pattern.search(text), f"README lacks the {name} markers"
    return pattern.sub(lambda m: m.group(1) + body + m.group(2), text)


def section(text: str, name: str) -> str:
    match = re.search(rf"<!-- {name}:begin -->\n(.*?)<!-- {name}:end -->", text, re.DOTALL)
    assert match, f"README lacks the {name} markers"
    return match.group(1)


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_rule_table_and_cli_reference_are_current(cli: Cli, at_root: None) -> None:
    text = README.read_text()
    if os.environ.get("SAPSMED_UPDATE_README"):
        text = replace_section(text, "rules", rules_table())
        text = replace_section(text, "cli", cli_reference(cli))
        README.write_text(text)
    assert section(text, "rules") == rules_table()
    assert section(text, "cli") == cli_reference(cli)


def test_every_command_is_in_the_reference() -> None:
    from sapsmed.cli.app import COMMANDS as NAMES
    from sapsmed.cli.app import GROUPS
    from sapsmed.cli.kpi import app as kpi_app

    names = set(NAMES) | set(GROUPS) | {f"kpi {c.name}" for c in kpi_app.registered_commands}
    assert names == set(COMMANDS)


def test_ci_runs_the_readme_test_command() -> None:
    readme = README.read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = "pip install -e '.[test]' && pytest"
    assert test_command in readme
    assert test_command in ci
    assert "pip install . && sapsmed status --goal B" in readme


def test_readme_benchmark_figures_come_from_the_bench_script() -> None:
    figures = section(README.read_text(), "bench")
    assert "python bench/run.py" in figures
    assert "sapsmed status --goal B (shipped plan)" in figures
    assert "validate 2,000 lines + 100,000 readings" in figures


def test_readme_exists_with_the_sections_users_need() -> None:
    text = README.read_text()
    for heading in (
        "## Quick start",
        "## A tour",
        "## The data",
        "## Validation rules",
        "## In git, CI and pre-commit",
        "## Performance",
        "## Command reference",
    ):
        assert heading in text, heading


def test_readme_renders_with_every_example_in_its_own_block() -> None:
    from markdown_it import MarkdownIt

    text = README.read_text()
    fences = [t for t in MarkdownIt("commonmark").parse(text) if t.type == "fence"]
    console = [t for t in fences if t.info == "console"]
    assert len(console) == len(CONSOLE.findall(text))
    assert all(t.content.startswith("$ sapsmed ") for t in console)


def test_readme_error_example_is_the_case_report() -> None:
    """The README's invalid-plan example is what tests/cases/erratum-action-as-printed gives."""
    text = README.read_text()
    start = text.index("```text\n$ sapsmed validate\n") + len("```text\n$ sapsmed validate\n")
    shown = text[start : text.index("```", start)]
    case = ROOT / "tests" / "cases" / "erratum-action-as-printed" / "expected.txt"
    assert shown == case.read_text()
