"""Plan folders are not trusted: links, FIFOs, devices, huge and unreadable files."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sapsmed.validate import planfiles
from sapsmed.validate.validation import validate

from .conftest import Cli


def codes(root: Path) -> list[tuple[str, str]]:
    return [(os.path.basename(p.file), p.code) for p in validate(root).problems]


def test_a_link_outside_the_plan_is_never_followed(cli: Cli, plan_copy: Path) -> None:
    secret = plan_copy.parent / "secret.yaml"
    secret.write_text("password: hunter2\n")
    (plan_copy / "goals" / "P.yaml").symlink_to(secret)
    result = cli("validate")
    assert result.exit_code == 1
    assert "hunter2" not in result.stdout and "password" not in result.stdout
    assert (
        "plan/goals/P.yaml:1:1: error: a symbolic link that leads outside the plan "
        "folder; not read [F-LINK]"
    ) in result.stdout


def test_dangling_and_looping_links_are_problems(plan_copy: Path) -> None:
    (plan_copy / "goals" / "Q.yaml").symlink_to("nowhere.yaml")
    (plan_copy / "readings" / "L.yaml").symlink_to("L.yaml")
    assert codes(plan_copy) == [("Q.yaml", "F-LINK"), ("L.yaml", "F-LINK")]


def test_a_link_inside_the_plan_is_followed(plan_copy: Path) -> None:
    goals = plan_copy / "goals"
    (goals / "B.yaml").rename(plan_copy / "B-real.yaml")
    (goals / "B.yaml").symlink_to("../B-real.yaml")
    result = validate(plan_copy)
    assert result.ok and result.plan is not None
    assert result.plan.goal("B") is not None


def test_fifo_socket_and_device_are_never_opened(plan_copy: Path) -> None:
    os.mkfifo(plan_copy / "goals" / "F.yaml")
    (plan_copy / "readings" / "Z.yaml").symlink_to("/dev/zero")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(plan_copy / "goals" / "S.yaml"))
        found = codes(plan_copy)  # returns at once: a FIFO with no writer would block a read
    assert found == [("F.yaml", "F-NOT-FILE"), ("S.yaml", "F-NOT-FILE"), ("Z.yaml", "F-LINK")]


def test_a_fifo_does_not_hang_the_cli(plan_copy: Path) -> None:
    os.mkfifo(plan_copy / "goals" / "F.yaml")
    for args in (["validate"], ["status"]):
        done = subprocess.run(
            [sys.executable, "-m", "sapsmed", *args],
            cwd=plan_copy.parent,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 1, done.stderr
        assert "F.yaml:1:1: error: not a regular file (a FIFO); not read [F-NOT-FILE]" in (
            done.stdout + done.stderr
        )


def test_a_folder_named_yaml_is_not_a_file(plan_copy: Path) -> None:
    (plan_copy / "goals" / "D.yaml").unlink()
    (plan_copy / "goals" / "D.yaml").mkdir()
    assert ("D.yaml", "F-NOT-FILE") in codes(plan_copy)


def test_files_in_subfolders_are_a_warning_and_not_counted(cli: Cli, plan_copy: Path) -> None:
    sub = plan_copy / "goals" / "sub"
    sub.mkdir()
    (sub / "x.yaml").write_text("not: [valid")
    result = cli("validate")
    assert result.exit_code == 0
    assert result.stdout == (
        "plan/goals/sub/x.yaml:1:1: warning: not read: plan files live in plan.yaml, "
        "countries.yaml, kpis.yaml, goals/*.yaml and readings/*.yaml (no subfolders) "
        "[F-IGNORED]\nok: 0 errors, 1 warning in 14 files\n"
    )


def test_a_huge_file_is_not_read(plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planfiles, "MAX_FILE_BYTES", 1000)
    problems = [p for p in validate(plan_copy).problems if p.code == "F-TOO-LARGE"]
    assert {os.path.basename(p.file) for p in problems} >= {"B.yaml", "KPI-E1.yaml"}
    assert all(p.message.endswith("MiB a plan file may hold; not read") for p in problems)


def test_an_unreadable_file_is_a_problem(plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open
    target = str(plan_copy / "goals" / "C.yaml")

    def denied(path: str, flags: int, *args: int) -> int:
        if str(path) == target:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", denied)  # tests run as root, which chmod cannot stop
    result = validate(plan_copy)
    assert [(os.path.basename(p.file), p.code, p.message) for p in result.problems] == [
        ("C.yaml", "F-UNREADABLE", "cannot read the file: permission denied")
    ]


def test_an_unreadable_folder_is_a_problem(
    plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_listdir = os.listdir

    def denied(path: str) -> list[str]:
        if Path(path).name == "readings":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", denied)
    assert ("readings", "F-UNREADABLE") in codes(plan_copy)


def test_the_cache_sees_a_new_problem_entry(cli: Cli, plan_copy: Path) -> None:
    """`status` remembers a validated plan; a FIFO added later must not hide behind it."""
    assert cli("status").exit_code == 0
    os.mkfifo(plan_copy / "goals" / "F.yaml")
    result = cli("status")
    assert result.exit_code == 1
    assert "F-NOT-FILE" in result.stderr
