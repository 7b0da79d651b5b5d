"""Example-driven: each folder under cases/ is a change to the shipped plan (files laid over a
copy of it, `delete.txt` naming files to remove) with the exact report `expected.txt`."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from .conftest import PLAN, Cli

CASES = Path(__file__).parent / "cases"
AS_OF = "2026-11-28"  # the date rules need a fixed date for the reports to stay exact
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def materialise(case: Path, target: Path) -> None:
    shutil.copytree(PLAN, target)
    for src in case.rglob("*"):
        if src.is_file() and src.name not in ("expected.txt", "delete.txt", "exit-code"):
            dest = target / src.relative_to(case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
    deletions = case / "delete.txt"
    if deletions.is_file():
        for name in deletions.read_text().split():
            (target / name).unlink()


@pytest.mark.parametrize("name", NAMES)
def test_case_reports_exactly_the_expected_problems(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    case = CASES / name
    materialise(case, tmp_path / "plan")
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    result = cli("validate", "--as-of", AS_OF)
    elapsed = time.perf_counter() - started
    expected_file = case / "expected.txt"
    if os.environ.get("SAPSMED_UPDATE_CASES"):
        expected_file.write_text(result.stdout)
    assert result.stdout == expected_file.read_text()
    has_error = ": error: " in result.stdout
    assert result.exit_code == (1 if has_error else 0)
    assert "Traceback" not in result.stdout + result.stderr
    assert elapsed < 5, "a bad file must be rejected quickly, not after a blow-up"


def test_every_case_is_a_real_change_to_the_plan() -> None:
    for name in NAMES:
        case = CASES / name
        files = [p for p in case.rglob("*") if p.is_file() and p.name != "expected.txt"]
        assert files, f"{name} changes nothing"
        for f in files:
            original = PLAN / f.relative_to(case)
            if f.name != "delete.txt" and original.is_file():
                assert f.read_bytes() != original.read_bytes(), f"{f} equals the shipped file"
