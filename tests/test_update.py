"""`sapsmed update`: in-place, validated, atomic edits that keep every other byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, Cli


def inserted_block(old: str, new: str) -> tuple[int, str]:
    """Where ``new`` differs from ``old`` by one inserted block, and that block.

    Fails unless every byte of ``old`` is still there, in order, around the insertion."""
    prefix = 0
    while prefix < len(old) and old[prefix] == new[prefix]:
        prefix += 1
    added = len(new) - len(old)
    assert added > 0
    assert new[:prefix] + new[prefix + added :] == old, "bytes outside the insertion changed"
    return prefix, new[prefix : prefix + added]


def test_first_update_adds_a_log_and_keeps_every_byte(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "B.yaml"
    old = path.read_text()
    result = cli(
        "update",
        "B-2-1.3",
        "--status",
        "ongoing",
        "--progress",
        "40",
        "--note",
        'Portal "beta" live: 3 banks',
        "--date",
        "2018-03-01",
        "--by",
        "MYS SME Corp",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "recorded in plan/goals/B.yaml: B-2-1.3 date: 2018-03-01, status: "
        'ongoing, percent: 40, note: Portal "beta" live: 3 banks, by: MYS '
        "SME Corp\n"
    )
    at, block = inserted_block(old, path.read_text())
    assert block == (
        "            updates:\n"
        "              - date: 2018-03-01\n"
        "                status: ongoing\n"
        "                percent: 40\n"
        '                note: "Portal \\"beta\\" live: 3 banks"\n'
        '                by: "MYS SME Corp"\n'
    )
    assert old[:at].endswith("themes: [service-centre]\n")


def test_next_update_appends_to_the_log(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "B.yaml"
    cli("update", "B-2-1.3", "--status", "ongoing", "--date", "2018-03-01")
    old = path.read_text()
    assert (
        cli(
            "update",
            "B-2-1.3",
            "--status",
            "completed",
            "--date",
            "2018-11-30",
            "--source",
            "SMEWG 2018 report",
        ).exit_code
        == 0
    )
    _, block = inserted_block(old, path.read_text())
    assert block == (
        "              - date: 2018-11-30\n"
        "                status: completed\n"
        "                percent: 100\n"
        '                source: "SMEWG 2018 report"\n'
    )
    data = json.loads(cli("status", "--goal", "B", "--as-of", "2019-01-01", "--json").stdout)
    row = next(r for r in data["lines"] if r["id"] == "B-2-1.3")
    assert (row["status"], row["percent"], row["completed_on"], row["overdue"]) == (
        "completed",
        100.0,
        "2018-11-30",
        False,
    )


def test_comments_and_odd_layout_survive(cli: Cli, plan_copy: Path) -> None:
    """A hand-written file: comments everywhere, a block scalar last, CRLF endings."""
    path = plan_copy / "goals" / "B.yaml"
    text = (
        path.read_text()
        .replace(
            "            themes: [service-centre]\n",
            "            themes: [service-centre]   # trailing comment\n"
            "            # a comment line inside the mapping\n"
            "            notes: |\n              Two lines\n              of notes.\n"
            "\n# a comment at column 0 after the line\n",
        )
        .replace("\n", "\r\n")
    )
    path.write_bytes(text.encode())
    old = path.read_bytes().decode()
    assert cli("update", "B-2-1.3", "--status", "on_hold", "--date", "2019-02-01").exit_code == 0
    new = path.read_bytes().decode()
    _, block = inserted_block(old, new)
    assert block == (
        "            updates:\r\n              - date: 2019-02-01\r\n"
        "                status: on_hold\r\n"
    )
    assert new.index(block) > new.index("of notes.")
    assert cli("validate", "--as-of", "2026-11-28").exit_code == 0


def test_empty_flow_list_becomes_a_block_list(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "B.yaml"
    path.write_text(
        path.read_text().replace(
            "            themes: [service-centre]\n",
            "            themes: [service-centre]\n            updates: []  # none yet\n",
        )
    )
    assert cli("update", "B-2-1.3", "--status", "ongoing", "--date", "2018-03-01").exit_code == 0
    text = path.read_text()
    assert (
        "            updates:  # none yet\n              - date: 2018-03-01\n"
        "                status: ongoing\n"
    ) in text


def test_national_line_updates_per_member_state(cli: Cli, plan_copy: Path) -> None:
    missing = cli("update", "B-2-1.2", "--status", "completed", "--date", "2019-05-01")
    assert missing.exit_code == 1
    assert "national-level line" in missing.stderr
    for code in ("MYS", "lao"):
        assert (
            cli(
                "update",
                "B-2-1.2",
                "--status",
                "completed",
                "--date",
                "2019-05-01",
                "--country",
                code,
            ).exit_code
            == 0
        )
    assert (
        cli(
            "update",
            "B-2-1.2",
            "--status",
            "ongoing",
            "--progress",
            "30",
            "--date",
            "2019-06-01",
            "--country",
            "THA",
        ).exit_code
        == 0
    )
    data = json.loads(cli("status", "--goal", "B", "--as-of", "2019-12-01", "--json").stdout)
    row = next(r for r in data["lines"] if r["id"] == "B-2-1.2")
    assert row["status"] == "ongoing"  # completed only when all ten have completed
    assert row["countries"]["MYS"] == row["countries"]["LAO"] == "completed"
    assert row["countries"]["THA"] == "ongoing"
    assert row["countries"]["SGP"] == "not_started"
    assert row["percent"] == 23.0  # (100 + 100 + 30) / 10
    text = cli("status", "--goal", "B", "--as-of", "2019-12-01").stdout
    assert (
        "member states: 2/10 completed (LAO, MYS); not started: BRN, KHM, IDN, MMR, PHL, "
        "SGP, VNM; ongoing: THA"
    ) in text


def test_regional_line_refuses_a_country(cli: Cli, plan_copy: Path) -> None:
    result = cli("update", "B-2-1.3", "--status", "ongoing", "--country", "MYS")
    assert result.exit_code == 1
    assert result.stderr == "sapsmed: B-2-1.3 is a regional line: its updates name no country\n"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--date", "2099-01-01"], "P-UPDATE-DATE"),
        (["--date", "2015-12-31"], "P-UPDATE-DATE"),
    ],
)
def test_invalid_update_is_refused_and_nothing_written(
    cli: Cli, plan_copy: Path, args: list[str], code: str
) -> None:
    path = plan_copy / "goals" / "B.yaml"
    before = path.read_bytes()
    result = cli("update", "B-2-1.3", "--status", "ongoing", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "sapsmed: the change would make the plan invalid; nothing was written\nplan/goals/B.yaml:"
    )
    assert f"[{code}]" in result.stderr
    assert path.read_bytes() == before


def test_a_late_report_goes_in_date_order(cli: Cli, plan_copy: Path) -> None:
    """After an update dated 2020-03-10, one dated 2019-01-01 is entered before it."""
    assert (
        cli(
            "update", "B-2-1.3", "--status", "ongoing", "--date", "2020-03-10", "--note", "later"
        ).exit_code
        == 0
    )
    result = cli(
        "update", "B-2-1.3", "--status", "ongoing", "--date", "2019-01-01", "--note", "earlier"
    )
    assert result.exit_code == 0, result.stderr
    assert cli("validate").exit_code == 0
    from sapsmed.validate.validation import validate

    plan = validate(plan_copy).plan
    assert plan is not None
    log = plan.lines["B-2-1.3"].line["updates"]
    assert [(u["date"], u["note"]) for u in log] == [
        ("2019-01-01", "earlier"),
        ("2020-03-10", "later"),
    ]


def test_progress_out_of_range_is_a_usage_error(cli: Cli, plan_copy: Path) -> None:
    assert cli("update", "B-2-1.3", "--status", "ongoing", "--progress", "150").exit_code == 2


def test_unknown_line(cli: Cli, plan_copy: Path) -> None:
    result = cli("update", "B-2-1.4", "--status", "ongoing")
    assert result.exit_code == 1
    assert "did you mean B-2-1.3" in result.stderr
    result = cli("update", "B-2-1", "--status", "ongoing")
    assert result.stderr == "sapsmed: 'B-2-1' is not an action line\n"


def test_an_invalid_plan_is_not_edited(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "countries.yaml"
    path.write_text(path.read_text().replace("id: SGP", "id: SGPX"))
    before = (plan_copy / "goals" / "B.yaml").read_bytes()
    result = cli("update", "B-2-1.3", "--status", "ongoing", "--date", "2018-01-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "sapsmed: the plan is invalid; fix it first, nothing was written\n"
        "plan/countries.yaml:11:6: member_states[7].id: error: malformed id 'SGPX': expected an "
        "ISO 3166-1 alpha-3 code, e.g. MYS [R-ID-FORMAT]\n"
        "invalid: 1 error, 0 warnings in 14 files\n"
    )
    assert (plan_copy / "goals" / "B.yaml").read_bytes() == before


def test_failed_write_leaves_the_file_intact(
    cli: Cli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = plan_copy / "goals" / "B.yaml"
    before = path.read_bytes()

    def interrupted(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", interrupted)
    result = cli("update", "B-2-1.3", "--status", "ongoing", "--date", "2018-01-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "sapsmed: could not write plan/goals/B.yaml: no space left on device; nothing was written\n"
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "A.yaml",
        "B.yaml",
        "C.yaml",
        "D.yaml",
        "E.yaml",
    ]


def test_twenty_concurrent_updates_all_land(plan_copy: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SAPSMED_PLAN"}
    command = [
        sys.executable,
        str(ROOT / "cli.py"),
        "--plan",
        str(plan_copy),
        "update",
        "B-2-1.3",
        "--status",
        "ongoing",
        "--date",
        "2018-01-01",
        "--note",
    ]
    runs = [
        subprocess.Popen(
            [*command, f"run {i}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        for i in range(20)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
    text = (plan_copy / "goals" / "B.yaml").read_text()
    notes = sorted(line.split('"')[1] for line in text.splitlines() if "note: " in line)
    assert notes == sorted(f"run {i}" for i in range(20))
    assert text.count("updates:") == 1


def test_show_reports_the_status_in_force(cli: Cli, plan_copy: Path) -> None:
    cli(
        "update",
        "B-2-1.3",
        "--status",
        "ongoing",
        "--progress",
        "25",
        "--date",
        "2018-03-01",
        "--note",
        "kick-off",
    )
    before = json.loads(cli("show", "B-2-1.3", "--as-of", "2018-01-01", "--json").stdout)
    after = json.loads(cli("show", "B-2-1.3", "--as-of", "2018-07-01", "--json").stdout)
    assert (before["status"], before["percent"]) == ("not_started", None)
    assert (after["status"], after["percent"], after["flags"]) == ("ongoing", 25.0, ["due_soon"])
    assert after["updates"] == [
        {
            "date": "2018-03-01",
            "status": "ongoing",
            "percent": 25.0,
            "country": None,
            "note": "kick-off",
            "by": None,
            "source": None,
        }
    ]
    text = cli("show", "B-2-1.3", "--as-of", "2018-07-01").stdout
    assert (
        "\nupdates\n  - date: 2018-03-01, status: ongoing, percent: 25.0, note: kick-off\n" in text
    )


def test_the_installed_plan_is_not_edited(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wheel carries the plan as sapsmed/_plan: edits there would be lost on upgrade."""
    import sapsmed
    from sapsmed.domain import plan as plan_module

    installed = Path(sapsmed.__file__).resolve().parent / "_plan"
    monkeypatch.setattr(plan_module, "shipped_plan_dir", lambda: installed)
    monkeypatch.chdir(tmp_path)
    result = cli("update", "B-2-1.3", "--status", "ongoing")
    assert result.exit_code == 2
    assert result.stderr.startswith("sapsmed: no plan folder here")
    assert not installed.exists()  # nothing was created either
    result = cli("--plan", str(installed), "update", "B-2-1.3", "--status", "ongoing")
    assert result.exit_code == 2  # named on purpose: it does not exist in a checkout
