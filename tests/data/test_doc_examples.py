"""The documentation's command examples print what the pages say, on the shipped plan (so a
legitimate edit of plan/ means: rerun with SAPSMED_UPDATE_DOCS=1 and read the diff)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import ROOT, SHIPPED, Cli
from ..docs import CONSOLE, examples_before, name, pages, text_block, updating


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clone: repo/plan (a copy: the examples record progress) and repo/data."""
    repo = tmp_path / "repo"
    shutil.copytree(SHIPPED, repo / "plan")
    (repo / "data").symlink_to(ROOT / "data")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
        "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    }  # a fixed commit, so reports name the same hash
    for args in (["init", "-q", "-b", "main"], ["add", "plan"], ["commit", "-q", "-m", "plan"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    monkeypatch.chdir(repo)
    return repo


def test_the_pages_show_examples() -> None:
    assert len(CONSOLE.findall((ROOT / "README.md").read_text())) >= 3
    assert sum(len(CONSOLE.findall(p.read_text())) for p in pages()) >= 20


@pytest.mark.parametrize("page", pages(), ids=name)
def test_console_examples_print_what_the_page_says(cli: Cli, clone: Path, page: Path) -> None:
    """A page's examples run in order, in a fresh clone of the repository with the shipped
    plan, after those of the pages it names in `<!-- examples-after: ... -->`."""
    for before in examples_before(page):
        for match in CONSOLE.finditer(before.read_text()):
            cli(*shlex.split(match["cmd"])[1:])
    text = page.read_text()
    if updating():

        def rerun(match: re.Match[str]) -> str:
            out = cli(*shlex.split(match["cmd"])[1:]).stdout
            fence = "````" if "```" in out else "```"
            return f"{fence}console\n$ {match['cmd']}\n{out}{fence}\n"

        page.write_text(CONSOLE.sub(rerun, text))
        return  # the examples changed the plan copy: check them on the next run
    for match in CONSOLE.finditer(text):
        result = cli(*shlex.split(match["cmd"])[1:])
        assert result.stdout == match["out"], (name(page), match["cmd"])


def test_the_import_error_example_is_what_the_command_says(cli: Cli, clone: Path) -> None:
    """A page shows this example's standard error, which console blocks cannot."""
    _, block = text_block("$ sapsmed kpi import data/examples/")
    command, shown = block.split("\n", 1)
    result = cli(*shlex.split(command)[2:])
    assert result.exit_code == 1
    assert result.stdout + result.stderr == shown


def test_the_refused_return_example_is_what_the_command_says(cli: Cli, clone: Path) -> None:
    """The tour shows the standard error of a refused return, which console blocks cannot."""
    _, block = text_block("$ sapsmed returns import data/examples/")
    command, shown = block.split("\n", 1)
    plan = {p.name: p.read_bytes() for p in (clone / "plan" / "goals").glob("*.yaml")}
    result = cli(*shlex.split(command)[2:])
    assert result.exit_code == 1
    assert result.stdout + result.stderr == shown
    assert {p.name: p.read_bytes() for p in (clone / "plan" / "goals").glob("*.yaml")} == plan
