"""The README's command examples print what the README says, on the shipped plan (so a
legitimate edit of plan/ means: rerun with SAPSMED_UPDATE_README=1 and read the diff)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import ROOT, SHIPPED, Cli
from ..test_readme import CONSOLE, README


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


def test_console_examples_print_what_the_readme_says(cli: Cli, clone: Path) -> None:
    """The examples run in order, in a clone of the repository with the shipped plan."""
    text = README.read_text()
    examples = CONSOLE.findall(text)
    assert len(examples) >= 5
    if os.environ.get("SAPSMED_UPDATE_README"):

        def rerun(match: re.Match[str]) -> str:
            out = cli(*shlex.split(match["cmd"])[1:]).stdout
            fence = "````" if "```" in out else "```"
            return f"{fence}console\n$ {match['cmd']}\n{out}{fence}\n"

        README.write_text(CONSOLE.sub(rerun, text))
        return  # the examples changed the plan copy: check them on the next run
    for match in CONSOLE.finditer(text):
        result = cli(*shlex.split(match["cmd"])[1:])
        assert result.stdout == match["out"], match["cmd"]


def test_the_import_error_example_is_what_the_command_says(cli: Cli, clone: Path) -> None:
    """The README shows this example's standard error, which console blocks cannot."""
    text = README.read_text()
    start = text.index("```text\n$ sapsmed kpi import data/examples/")
    block = text[start + len("```text\n") : text.index("```", start + 3)]
    command, shown = block.split("\n", 1)
    result = cli(*shlex.split(command)[2:])
    assert result.exit_code == 1
    assert result.stdout + result.stderr == shown
