"""Lint runs in CI before the tests (.ci/run), from the `dev` extra; the pre-commit hooks and
CONTRIBUTING.md name the same checks, so what passes on a commit passes in CI."""

from __future__ import annotations

import re

import tomllib
import yaml

from .conftest import ROOT

LINT = ("ruff format --check", "ruff check", "mypy --strict sapsmed tests")


def test_ci_lints_before_the_tests() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    lines = [line.strip() for line in script.splitlines()]
    steps = [next(i for i, line in enumerate(lines) if line.startswith(cmd)) for cmd in LINT]
    tests = lines.index("pip install -e '.[test]' && pytest")
    assert "pip install -e '.[dev]'" in lines[: min(steps)]
    assert max(steps) < tests


def test_the_hooks_run_the_same_checks() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    for command in LINT:
        assert any(entry.startswith(command) for entry in entries), command


def test_contributing_names_the_checks_and_the_extra() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text()
    assert "pip install -e '.[dev]'" in text and "pre-commit run --all-files" in text
    for command in LINT:
        assert re.search(re.escape(command.split(" sapsmed")[0]), text), command


def test_the_dev_extra_holds_the_lint_tools() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    names = {re.split(r"[<>=\[]", item)[0] for item in extras["dev"]}
    assert {"ruff", "mypy", "types-PyYAML", "pre-commit"} <= names
    assert "sapsmed[test]" in extras["dev"]
