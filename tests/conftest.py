from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sapsmed.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
# The plan shipped with sapsmed: only the tests under tests/data/ (about its data) read it.
SHIPPED = ROOT / "plan"
# A frozen copy of it: command and validation tests run on this, so a legitimate edit of
# plan/ (a new reading, an update) breaks only the tests that are about the shipped data.
PLAN = ROOT / "tests" / "fixtures" / "frozen" / "plan"
# Real World Bank files, copied into the repository with their provenance (data/wdi/README.md).
WDI = ROOT / "data" / "wdi"


@pytest.fixture(autouse=True)
def _plain_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Outputs compared as text must not depend on the CI's colour settings or plan choice,
    and cached plans go to a fresh cache folder, not the user's."""
    for name in ("GITHUB_ACTIONS", "FORCE_COLOR", "PY_COLORS", "SAPSMED_PLAN", "SAPSMED_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    # Commits made by tests need an identity, which a fresh machine's git does not have.
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "sapsmed tests")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "tests@example.org")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")


def copy_plan(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a plan folder as ``tmp_path/plan``; ``tmp_path`` becomes the current
    directory."""
    target = tmp_path / "plan"
    shutil.copytree(source, target)
    monkeypatch.chdir(tmp_path)
    return target


@pytest.fixture
def plan_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the frozen plan in a temp folder, which is also the current directory."""
    return copy_plan(PLAN, tmp_path, monkeypatch)


# A plan of another shape: 2026-2035, eleven member states (Timor-Leste joined 2025-10-26),
# goals holding actions directly, declared units (tests/test_any_plan.py).
SUCCESSOR = ROOT / "tests" / "fixtures" / "successor" / "plan"


@pytest.fixture
def successor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the successor plan in a temp folder, which is also the current directory."""
    return copy_plan(SUCCESSOR, tmp_path, monkeypatch)


def ok(cli: Cli, *args: str) -> str:
    """A command's standard output; it must succeed."""
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


# A small plan whose reports are compared as whole strings.
SMALL = ROOT / "tests" / "fixtures" / "small-plan"


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the small fixture plan in a temp folder, which is also the current
    directory."""
    return copy_plan(SMALL, tmp_path, monkeypatch)


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return self.runner.invoke(
            app, list(args), env=env, catch_exceptions=False, prog_name="sapsmed"
        )


@pytest.fixture
def cli() -> Cli:
    return Cli()


# The website's tests drive Debian's Chromium through Playwright: no browser is downloaded.
CHROMIUM = Path("/usr/bin/chromium")
# Chromium's own connections (updates, sync, safe browsing) are refused on a closed network:
# these flags keep it quiet, so any request a test sees is the page's.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-gpu",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright; the tests fail (not skip) without it."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def wdi_file(name: str) -> Path:
    path = WDI / name
    if not path.is_file():
        pytest.fail(f"missing World Bank fixture {path}")
    return path


def relative(path: Path) -> str:
    return os.path.relpath(path)


def git(repo: Path, *args: str, author: str = "Alice Tan", day: str = "2020-01-20") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_AUTHOR_DATE": f"{day}T10:00:00",
        "GIT_COMMITTER_DATE": f"{day}T10:00:00",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan repository (the frozen plan) with one commit on main, as the current
    directory."""
    root = tmp_path / "sapsmed-plan"
    shutil.copytree(PLAN, root / "plan")
    git(root.parent, "init", "-q", "-b", "main", str(root))
    git(root, "add", "plan")
    git(root, "commit", "-q", "-m", "The SAP SMED as published", author="Seed", day="2019-01-02")
    monkeypatch.chdir(root)
    return root
