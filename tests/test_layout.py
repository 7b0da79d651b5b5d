"""The library stays a library: only the CLI layer imports typer or rich."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .conftest import ROOT

CLI_LAYER = {"cli.py", "tty.py"}
UI_IMPORT = re.compile(r"^\s*(import|from)\s+(typer|rich)\b", re.MULTILINE)


def test_core_modules_import_no_ui_library() -> None:
    package = ROOT / "sapsmed"
    offenders = [p.name for p in package.glob("*.py")
                 if p.name not in CLI_LAYER and UI_IMPORT.search(p.read_text())]
    assert offenders == []


def test_modules_stay_small() -> None:
    sizes = {p.name: len(p.read_text().splitlines())
             for p in (ROOT / "sapsmed").rglob("*.py")}
    assert max(sizes.values()) <= 400, sizes


def test_status_and_flag_lists_agree_everywhere() -> None:
    """The hot path keeps its own copies (no pydantic import); they must match the models."""
    from sapsmed import models, progress, views
    from sapsmed.commands import progress as commands

    assert views.STATUSES == models.STATUSES
    assert tuple(s.value for s in commands.Status) == models.STATUSES
    assert tuple(f.value for f in commands.Flag) == progress.FLAGS


def test_the_repository_stands_on_its_own() -> None:
    """Users have nothing beside their clone: no file may reach the shared folder that
    developers keep next to theirs."""
    skip = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".mypy_cache",
            ".ruff_cache", ".hypothesis", "build", "dist"}
    outside = re.compile(r"\.\./shared|parent / \"shared\"|parent\.parent / \"shared\"")
    offenders = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skip and not d.endswith(".egg-info")]
        for name in names:
            path = Path(folder) / name
            text_file = path.suffix in (".py", ".md", ".toml", ".yaml", ".yml", ".cfg")
            if ((text_file or name == "run") and path != Path(__file__)
                    and outside.search(path.read_text(errors="replace"))):
                offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == [], offenders


def test_only_the_data_tests_read_the_shipped_plan() -> None:
    """Command tests run on the frozen fixture plan; only tests/data/ is about plan/'s data."""
    offenders = [p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("*.py")
                 if p.parent.name != "data" and p.name not in ("conftest.py", "test_layout.py")
                 and re.search(r"\bSHIPPED\b|ROOT / \"plan\"|shipped_plan_dir\(\)",
                               p.read_text())]
    assert offenders == [], offenders
