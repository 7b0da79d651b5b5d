"""Paths the user gives never end in an internal error or a hang: exit 1 and one clear line."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sapsmed.write import transaction

from .conftest import Cli


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sapsmed", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_very_long_plan_path(tmp_path: Path) -> None:
    done = run("--plan", "a" * 5000, "validate", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == f"sapsmed: {'a' * 79}…: file name too long\n"


def test_schema_into_a_path_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")
    done = run("schema", "afile/sub", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "sapsmed: afile/sub: not a directory\n")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "missing/report.md",
            "could not write missing/report.md: no such file or directory; nothing was written",
        ),
        ("/dev/full", "/dev/full is not a regular file; nothing was written"),
        ("fifo.md", "fifo.md is not a regular file; nothing was written"),
    ],
)
def test_report_output_that_cannot_be_a_report(
    cli: Cli, plan_copy: Path, target: str, message: str
) -> None:
    os.mkfifo(plan_copy.parent / "fifo.md")
    done = run("report", "-o", target, cwd=plan_copy.parent)  # a FIFO would block a reader
    assert (done.returncode, done.stderr) == (1, f"sapsmed: {message}\n")


def test_report_onto_a_full_disk(
    cli: Cli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = plan_copy.parent / "report.md"
    report.write_text("# Notes\n<!-- sapsmed:begin -->\nold\n<!-- sapsmed:end -->\n")
    before = report.read_bytes()

    def full(target: Path, text: str) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(transaction, "_stage", full)
    result = cli("report", "-o", "report.md")
    assert result.exit_code == 1
    assert result.stderr == (
        "sapsmed: could not write report.md: no space left on device; nothing was written\n"
    )
    assert report.read_bytes() == before
    assert sorted(p.name for p in report.parent.iterdir()) == ["plan", "report.md"]
