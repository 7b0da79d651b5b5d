from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sapsmed.cli import app

ROOT = Path(__file__).resolve().parent.parent
# The plan shipped with sapsmed: only the tests under tests/data/ (about its data) read it.
SHIPPED = ROOT / "plan"
# A frozen copy of it: command and validation tests run on this, so a legitimate edit of
# plan/ (a new reading, an update) breaks only the tests that are about the shipped data.
PLAN = ROOT / "tests" / "fixtures" / "frozen" / "plan"
# Real World Bank files, copied into the repository with their provenance (data/wdi/README.md).
WDI = ROOT / "data" / "wdi"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
                       ) -> None:
    """Outputs compared as text must not depend on the CI's colour settings or plan choice,
    and snapshots go to a fresh cache folder, not the user's."""
    for name in ("GITHUB_ACTIONS", "FORCE_COLOR", "PY_COLORS", "SAPSMED_PLAN",
                 "SAPSMED_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    # Commits made by tests need an identity, which a fresh machine's git does not have.
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "sapsmed tests")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "tests@example.org")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def plan_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the frozen plan in a temp folder, which is also the current directory."""
    target = tmp_path / "plan"
    shutil.copytree(PLAN, target)
    monkeypatch.chdir(tmp_path)
    return target


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return self.runner.invoke(app, list(args), env=env, catch_exceptions=False,
                                  prog_name="sapsmed")


@pytest.fixture
def cli() -> Cli:
    return Cli()


def wdi_file(name: str) -> Path:
    path = WDI / name
    if not path.is_file():
        pytest.fail(f"missing World Bank fixture {path}")
    return path


def relative(path: Path) -> str:
    return os.path.relpath(path)
