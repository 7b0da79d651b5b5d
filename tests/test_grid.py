"""`sapsmed grid`: national-level lines down, member states across; the same grid in the
markdown report. Whole strings on the small plan, the membership rule on the frozen plan
with Timor-Leste added (joined 2025-10-26), the successor plan's eleven members."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from sapsmed.domain.shapes_grid import GridCell, GridCountry, GridJson, GridLine
from tests.conftest import SUCCESSOR
from tests.conftest import ok as out

from .conftest import Cli, copy_plan
from .test_any_plan import AS_OF as SUCCESSOR_AS_OF
from .test_membership import TEN, add_member, due_2025, edit

RULE = (
    "a national-level line is carried out by every member state, and is completed only when "
    "all of them have completed it"
)
SMALL_GRID = (
    "National-level lines by member state as of 2019-06-30\n"
    "line     due   status   MYS        THA          VNM          done  title\n"
    "A-1-1.2  2019  ongoing  completed  ongoing 40%  not_started  1/3   Training programme\n"
    "done                    1/1        0/1          0/1\n"
    "done = completed / required\n"
    f"{RULE}\n"
)
SMALL_MARKDOWN = (
    "## National-level lines by member state\n\n"
    "Each member state's own status on 2019-06-30 (percent complete where reported); "
    f"Completed = completed / required. {RULE[0].upper()}{RULE[1:]}.\n\n"
    "| Line | Status | MYS | THA | VNM | Completed |\n"
    "| --- | --- | --- | --- | --- | ---: |\n"
    "| A-1-1.2 | ongoing | completed | ongoing 40% | not started | 1/3 |\n"
    "| **Completed** |  | 1/1 | 0/1 | 0/1 |  |\n"
)


def test_plain_grid_whole_string(cli: Cli, small: Path) -> None:
    assert out(cli, "grid", "--as-of", "2019-06-30") == SMALL_GRID


def test_the_report_holds_the_grid_as_a_markdown_table(cli: Cli, small: Path) -> None:
    report = out(cli, "report", "--as-of", "2019-06-30")
    start = report.index("## National-level lines by member state")
    section = report[start : report.index("## Needs attention")]
    assert section == SMALL_MARKDOWN + "\n"
    assert "National-level lines, by member state" not in report  # the list it replaces
    # one member state's report has no grid: its own statuses are in its lines table
    mine = out(cli, "report", "--as-of", "2019-06-30", "--country", "MYS")
    assert "## National-level lines by member state" not in mine


def test_json_has_the_documented_shape(cli: Cli, small: Path) -> None:
    data: GridJson = json.loads(out(cli, "grid", "--as-of", "2019-06-30", "--json"))
    assert list(data) == list(GridJson.__annotations__)
    (line,) = data["lines"]
    assert list(line) == list(GridLine.__annotations__)
    assert list(data["countries"][0]) == list(GridCountry.__annotations__)
    assert list(line["countries"]) == ["MYS", "THA", "VNM"]
    for cell in line["countries"].values():
        assert list(cell) == list(GridCell.__annotations__)
    assert line["countries"]["THA"] == {"required": True, "status": "ongoing", "percent": 40.0}
    assert line["countries"]["MYS"] == {"required": True, "status": "completed", "percent": 100.0}
    assert (line["id"], line["status"], line["completed"], line["required"]) == (
        "A-1-1.2",
        "ongoing",
        1,
        3,
    )
    assert [(c["id"], c["completed"], c["required"]) for c in data["countries"]] == [
        ("MYS", 1, 1),
        ("THA", 0, 1),
        ("VNM", 0, 1),
    ]


def test_csv_cells_never_start_a_formula(cli: Cli, small: Path) -> None:
    goal = small / "goals" / "A.yaml"
    text = goal.read_text()
    goal.write_text(text.replace("title: Training programme", "title: '=HYPERLINK(\"x\")'", 1))
    rows = list(csv.reader(io.StringIO(out(cli, "grid", "--as-of", "2019-06-30", "--csv"))))
    assert rows == [
        ["line", "title", "goal", "due_year", "status", "MYS", "THA", "VNM"]
        + ["completed", "required"],
        ["A-1-1.2", '\'=HYPERLINK("x")', "A", "2019", "ongoing", "completed", "ongoing 40%"]
        + ["not_started", "1", "3"],
        ["completed", "", "", "", "", "1", "0", "0", "", ""],
        ["required", "", "", "", "", "1", "1", "1", "", ""],
    ]


def test_a_state_that_joined_after_a_line_fell_due_has_no_duty(cli: Cli, plan_copy: Path) -> None:
    add_member(plan_copy)  # TLS, joined 2025-10-26; B-2-1.2 fell due at the end of 2020
    args = ("grid", "--as-of", "2026-11-28", "--goal", "B")
    text = out(cli, *args).splitlines()
    assert text[1].split() == ["line", "due", "status", *TEN, "TLS", "done", "title"]
    assert text[2].split()[:15] == ["B-2-1.2", "2020", *["not_started"] * 11, "—", "0/10"]
    assert text[3].split() == ["done", *["0/1"] * 10, "0/0"]
    assert "— no duty (not a member when the line fell due)" in text[4]
    data = json.loads(out(cli, *args, "--json"))
    assert data["lines"][0]["countries"]["TLS"] == {
        "required": False,
        "status": None,
        "percent": None,
    }
    assert data["countries"][-1] == {
        "id": "TLS",
        "name": "Timor-Leste",
        "completed": 0,
        "required": 0,
    }
    rows = list(csv.reader(io.StringIO(out(cli, *args, "--csv"))))
    assert rows[1][15:] == ["", "0", "10"]  # TLS blank
    report = out(cli, "report", "--as-of", "2026-11-28", "--goal", "B")
    assert "| B-2-1.2 | not started |" + " not started |" * 10 + " — | 0/10 |" in report
    assert "| **Completed** |  |" + " 0/1 |" * 10 + " 0/0 |  |" in report


def test_a_report_without_a_duty_is_not_counted_nor_shown(cli: Cli, plan_copy: Path) -> None:
    add_member(plan_copy)
    edit(
        plan_copy,
        "B",
        "            printed_as: {action: A-2-1}\n",
        "            printed_as: {action: A-2-1}\n            updates:\n"
        "              - {date: 2026-01-05, status: ongoing, percent: 30, country: TLS}\n",
    )
    data = json.loads(out(cli, "grid", "--as-of", "2026-11-28", "--goal", "B", "--json"))
    tls = data["lines"][0]["countries"]["TLS"]
    # the update stays in the line's log; the line binds the ten only
    assert tls == {"required": False, "status": None, "percent": None}
    assert (data["lines"][0]["completed"], data["lines"][0]["required"]) == (0, 10)
    text = out(cli, "grid", "--as-of", "2026-11-28", "--goal", "B")
    assert "  —    0/10  " in text


def test_a_line_due_after_it_joined_binds_it(cli: Cli, plan_copy: Path) -> None:
    add_member(plan_copy)
    due_2025(plan_copy)  # B-2-1.2 now falls due at the end of 2025: TLS was a member
    data = json.loads(out(cli, "grid", "--as-of", "2026-11-28", "--goal", "B", "--json"))
    assert data["lines"][0]["countries"]["TLS"]["required"] is True
    assert data["lines"][0]["required"] == 11
    assert data["countries"][-1]["required"] == 1


def test_goal_filter_by_id_or_title(cli: Cli, plan_copy: Path) -> None:
    every = json.loads(out(cli, "grid", "--as-of", "2020-12-31", "--json"))
    assert [line["id"] for line in every["lines"]] == ["A-2-2.1", "A-3-1.1", "B-2-1.2"]
    for goal in ("B", "b", "increase access to finance"):
        data = json.loads(out(cli, "grid", "--as-of", "2020-12-31", "--goal", goal, "--json"))
        assert (data["goal"], [line["id"] for line in data["lines"]]) == ("B", ["B-2-1.2"])
    none = out(cli, "grid", "--as-of", "2020-12-31", "--goal", "C")
    assert none.splitlines()[1] == "no national-level lines"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("a1", "--goal 'a1' is not one of the plan's: A, B, C, D, E; did you mean 'A'?"),
        ("zzz", "--goal 'zzz' is not one of the plan's: A, B, C, D, E\n"),
    ],
)
def test_an_unknown_goal_is_a_usage_error(
    cli: Cli, plan_copy: Path, typed: str, message: str
) -> None:
    result = cli("grid", "--as-of", "2020-12-31", "--goal", typed)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_json_and_csv_together_is_a_usage_error(cli: Cli, small: Path) -> None:
    assert cli("grid", "--json", "--csv").exit_code == 2


def test_the_successor_plan_without_outcomes(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_plan(SUCCESSOR, tmp_path, monkeypatch)
    data = json.loads(out(cli, "grid", "--as-of", SUCCESSOR_AS_OF, "--json"))
    assert [c["id"] for c in data["countries"]][-1] == "TLS" and len(data["countries"]) == 11
    rows = {line["id"]: line for line in data["lines"]}
    assert list(rows) == ["G1-1.2", "G1-2.1", "G3-1.1"]
    assert rows["G1-2.1"]["countries"]["TLS"] == {
        "required": True,
        "status": "ongoing",
        "percent": 60.0,
    }
    assert (rows["G1-2.1"]["completed"], rows["G1-2.1"]["required"]) == (10, 11)
    assert data["countries"][-1] == {
        "id": "TLS",
        "name": "Timor-Leste",
        "completed": 1,
        "required": 3,
    }
    text = out(cli, "grid", "--as-of", SUCCESSOR_AS_OF, "--goal", "G1")
    assert text.splitlines()[3].split()[:4] == ["G1-2.1", "2027", "ongoing", "completed"]


def test_on_a_terminal_a_rich_table_with_a_legend(
    cli: Cli, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sapsmed.cli import grid

    goal = small / "goals" / "A.yaml"
    text = goal.read_text()
    goal.write_text(text.replace("title: Training programme", "title: '[bold]x[/bold]'", 1))
    monkeypatch.setattr(grid, "fancy", lambda: True)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR")
    shown = out(cli, "grid", "--as-of", "2019-06-30")
    assert "\x1b[32m✓" in shown and "\x1b[36m◐ 40%" in shown  # colour per status
    assert "\x1b[32m✓ completed" in shown and "\x1b[2m✗ cancelled" in shown  # the legend
    assert "[bold]x[/bold]" in shown  # plan text is never read as markup


def test_a_terminal_too_narrow_for_the_table_gets_whole_words(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sapsmed.cli import grid

    copy_plan(SUCCESSOR, tmp_path, monkeypatch)
    monkeypatch.setattr(grid, "fancy", lambda: True)
    monkeypatch.setenv("COLUMNS", "60")
    narrow = out(cli, "grid", "--as-of", "2026-11-30")
    monkeypatch.setattr(grid, "fancy", lambda: False)
    assert narrow == out(cli, "grid", "--as-of", "2026-11-30")  # the plain table, not cut
    monkeypatch.setattr(grid, "fancy", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")
    assert "┏" in out(cli, "grid", "--as-of", "2026-11-30")
