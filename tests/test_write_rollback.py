"""An edit of several files is written whole or not at all: when a later file cannot be
replaced, the ones already replaced get their bytes back (found by a hostile review: a
returns import left B.yaml written when D.yaml could not be)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.conftest import ROOT, Cli

EXAMPLE = ROOT / "data" / "examples" / "returns" / "KHM-2020.csv"


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("failing", ["D.yaml", "B.yaml"])
def test_a_failed_replace_puts_back_the_files_already_written(
    cli: Cli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:

    before = digest(plan_copy)
    real = os.replace

    def replace(src: str, dst: str | Path) -> None:
        if Path(dst).name == failing and str(src).endswith(".tmp"):
            raise PermissionError(1, "Operation not permitted")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)  # the one transaction.py calls
    result = cli("returns", "import", str(EXAMPLE), "--as-of", "2021-01-15")
    assert result.exit_code == 1
    assert result.stderr.endswith(": operation not permitted; nothing was written\n")
    assert digest(plan_copy) == before  # no file changed, no temporary or backup left
