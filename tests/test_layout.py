"""The library stays a library: only the CLI layer imports typer or rich."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .conftest import ROOT

# The layers, bottom first: a module may import its own layer and the ones before it.
LAYERS = (
    "base",
    "yamlio",
    "domain",
    "validate",
    "io",
    "monitor",
    "write",
    "render",
    "site",
    "cli",
)
UI_IMPORT = re.compile(r"^\s*(import|from)\s+(typer|rich|click)\b", re.MULTILINE)
SAPSMED_IMPORT = re.compile(r"^\s*(?:from|import)\s+sapsmed\.(\w+)", re.MULTILINE)


def layer_of(path: Path) -> str:
    return path.relative_to(ROOT / "sapsmed").parts[0]


def modules() -> list[Path]:
    return [p for p in (ROOT / "sapsmed").rglob("*.py") if p.parent != ROOT / "sapsmed"]


def test_every_module_lives_in_a_layer_folder() -> None:
    loose = sorted(p.name for p in (ROOT / "sapsmed").glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"]
    assert sorted(
        p.name
        for p in (ROOT / "sapsmed").iterdir()
        if p.is_dir() and p.name != "__pycache__" and p.name != "_plan"
    ) == sorted(LAYERS)


def test_each_layer_says_what_it_holds_and_may_import() -> None:
    for layer in LAYERS:
        doc = (ROOT / "sapsmed" / layer / "__init__.py").read_text()
        assert doc.startswith('"""') and "import" in doc, layer


def test_imports_only_run_downward() -> None:
    """Nothing imports a layer above its own: the data flows one way."""
    upward = []
    for path in modules():
        mine = LAYERS.index(layer_of(path))
        for target in SAPSMED_IMPORT.findall(path.read_text()):
            if LAYERS.index(target) > mine:
                upward.append(f"{path.relative_to(ROOT).as_posix()} imports {target}")
    assert upward == []


def test_only_the_cli_imports_typer_rich_or_click() -> None:
    offenders = [
        p.relative_to(ROOT).as_posix()
        for p in modules()
        if layer_of(p) != "cli" and UI_IMPORT.search(p.read_text())
    ]
    assert offenders == []


def test_modules_stay_small() -> None:
    """A module holds one thing: past 400 lines (as ruff formats them) it holds two."""
    sizes = {
        p.relative_to(ROOT).as_posix(): len(p.read_text().splitlines())
        for p in (ROOT / "sapsmed").rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > 400} == {}


def test_cli_choices_are_built_from_the_vocabulary() -> None:
    from sapsmed.cli import progress as commands
    from sapsmed.domain import vocabulary

    assert tuple(s.value for s in commands.Status) == vocabulary.STATUSES
    assert tuple(f.value for f in commands.Flag) == vocabulary.FLAGS


def test_the_repository_stands_on_its_own() -> None:
    """Users have nothing beside their clone: no file may reach the shared folder that
    developers keep next to theirs."""
    skip = {
        ".git",
        ".venv",
        "venv",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".hypothesis",
        "build",
        "dist",
    }
    outside = re.compile(r"\.\./shared|parent / \"shared\"|parent\.parent / \"shared\"")
    offenders = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skip and not d.endswith(".egg-info")]
        for name in names:
            path = Path(folder) / name
            text_file = path.suffix in (".py", ".md", ".toml", ".yaml", ".yml", ".cfg")
            if (
                (text_file or name == "run")
                and path != Path(__file__)
                and outside.search(path.read_text(errors="replace"))
            ):
                offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == [], offenders


def test_only_the_data_tests_read_the_shipped_plan() -> None:
    """Command tests run on the frozen fixture plan; only tests/data/ is about plan/'s data."""
    offenders = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "tests").rglob("*.py")
        if p.parent.name != "data"
        and p.name not in ("conftest.py", "test_layout.py")
        and re.search(r"\bSHIPPED\b|ROOT / \"plan\"|shipped_plan_dir\(\)", p.read_text())
    ]
    assert offenders == [], offenders


def test_the_architecture_page_names_every_module() -> None:
    """docs/architecture.md has a row per layer naming its modules: none missing, none gone."""
    page = (ROOT / "docs" / "architecture.md").read_text()
    for layer in LAYERS:
        row = next(line for line in page.splitlines() if line.startswith(f"| `{layer}` |"))
        named = set(re.findall(r"`(\w+)`", row.split("|")[2]))
        present = {p.stem for p in (ROOT / "sapsmed" / layer).glob("*.py")} - {"__init__"}
        assert present <= named, (layer, present - named)
