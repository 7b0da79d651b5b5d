"""Member states' membership dates (`joined`, `left`): Timor-Leste joined on 2025-10-26. A
state counts for a line only if it was a member at the line's due date (or on the as-of
date, if earlier); the KPI panels and coverage count the members on the as-of date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import Cli

TLS = "  - {id: TLS, name: Timor-Leste, joined: 2025-10-26}\n"
TEN = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]
AFTER = "2026-11-28"  # TLS a member
BEFORE = "2025-06-01"  # TLS not yet one
B212_DUE = "            timeframe: By 2020\n            due_year: 2020\n"
B212_LAST = "            printed_as: {action: A-2-1}\n"  # the last field of B-2-1.2


def add_member(plan: Path, entry: str = TLS) -> None:
    path = plan / "countries.yaml"
    path.write_text(path.read_text() + entry)


def edit(plan: Path, goal: str, old: str, new: str) -> None:
    path = plan / "goals" / f"{goal}.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def ten_complete_b212(plan: Path, extra: str = "") -> None:
    """B-2-1.2 (national) completed by the ten on 2020-0M-01 (M = 1 for BRN ... 9 for THA,
    VNM on 2020-10-01)."""
    rows = "".join(
        f"              - {{date: 2020-{i:02d}-01, status: completed, country: {c}}}\n"
        for i, c in enumerate(TEN, start=1)
    )
    edit(plan, "B", B212_LAST, B212_LAST + "            updates:\n" + rows + extra)


def due_2025(plan: Path) -> None:
    edit(plan, "B", B212_DUE, "            timeframe: By 2025\n            due_year: 2025\n")


def status_row(cli: Cli, line_id: str, as_of: str, *args: str) -> dict[str, Any]:
    result = cli("status", "--as-of", as_of, "--json", *args)
    assert result.exit_code == 0, result.output
    rows = [r for r in json.loads(result.stdout)["lines"] if r["id"] == line_id]
    assert len(rows) == 1
    return dict(rows[0])


def picture(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["status"],
        row["percent"],
        row["completed_on"],
        row["overdue"],
        row["countries"],
        row["percent_basis"],
    )


def test_a_line_the_ten_completed_in_2020_stays_completed_with_tls(
    cli: Cli, plan_copy: Path
) -> None:
    add_member(plan_copy)
    ten_complete_b212(plan_copy)
    assert cli("validate", "--as-of", AFTER).exit_code == 0
    assert picture(status_row(cli, "B-2-1.2", AFTER)) == (
        "completed",
        100.0,
        "2020-10-01",
        False,
        dict.fromkeys(TEN, "completed"),
        "mean over 10 member states, one that reported no percent counting as 0 (10 completed)",
    )


def test_a_state_that_joined_later_may_report_but_is_not_counted_in_the_line(
    cli: Cli, plan_copy: Path
) -> None:
    add_member(plan_copy)
    ten_complete_b212(
        plan_copy,
        "              - {date: 2026-01-10, status: ongoing, percent: 30, country: TLS}\n",
    )
    row = status_row(cli, "B-2-1.2", AFTER)
    # its update stays in the log; the line's states are those of the states it binds
    assert (row["status"], row["percent"], row["countries"]) == (
        "completed",
        100.0,
        dict.fromkeys(TEN, "completed"),
    )
    assert row["last_update"]["country"] != "TLS"
    # no duty for TLS: not in its status, lines or scorecard
    data = json.loads(cli("status", "--as-of", AFTER, "--country", "TLS", "--json").stdout)
    assert [r["id"] for r in data["lines"]] == []
    lines = json.loads(cli("lines", "--country", "TLS", "--as-of", AFTER, "--json").stdout)
    assert lines == []
    shown = json.loads(cli("show", "TLS", "--as-of", AFTER, "--json").stdout)
    assert shown["implements"] == []


def test_a_line_due_after_tls_joined_needs_tls(cli: Cli, plan_copy: Path) -> None:
    add_member(plan_copy)
    due_2025(plan_copy)
    ten_complete_b212(plan_copy)
    assert cli("validate", "--as-of", AFTER).exit_code == 0
    # before TLS joined, the ten were the members on the as-of date: completed
    assert picture(status_row(cli, "B-2-1.2", BEFORE)) == (
        "completed",
        100.0,
        "2020-10-01",
        False,
        dict.fromkeys(TEN, "completed"),
        "mean over 10 member states, one that reported no percent counting as 0 (10 completed)",
    )
    # at its due date TLS was a member: the line waits for it
    assert picture(status_row(cli, "B-2-1.2", AFTER)) == (
        "ongoing",
        90.9,
        None,
        True,
        {**dict.fromkeys(TEN, "completed"), "TLS": "not_started"},
        "mean over 11 member states, one that reported no percent counting as 0 "
        "(10 completed, 1 not started)",
    )
    own = status_row(cli, "B-2-1.2", AFTER, "--country", "TLS")
    assert (own["status"], own["role"], own["line_status"]) == (
        "not_started",
        ["implements"],
        "ongoing",
    )
    lines = json.loads(cli("lines", "--country", "TLS", "--as-of", AFTER, "--json").stdout)
    assert [r["id"] for r in lines] == ["B-2-1.2"]
    shown = json.loads(cli("show", "TLS", "--as-of", AFTER, "--json").stdout)
    assert [r["id"] for r in shown["implements"]] == ["B-2-1.2"]


def scorecard_groups(cli: Cli, as_of: str) -> dict[str, tuple[int, int, int]]:
    result = cli("scorecard", "--by", "country", "--as-of", as_of, "--json")
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)["groups"]
    return {g["group"]: (g["lines"], g["due"], g["completed"]) for g in groups}


def test_the_scorecard_by_country_counts_tls_from_2025(cli: Cli, plan_copy: Path) -> None:
    add_member(plan_copy)
    # every line is due by 2021: none counts for TLS
    counts = {"LAO": (4, 4, 0), "MYS": (4, 4, 0), "SGP": (4, 4, 0), "THA": (7, 7, 0)}
    counts |= {"VNM": (6, 6, 0)}
    before = {c: counts.get(c, (5, 5, 0)) for c in TEN}
    assert scorecard_groups(cli, AFTER) == before
    due_2025(plan_copy)
    ten_complete_b212(plan_copy)
    # B-2-1.2, now due 2025, completed by the ten: TLS counts for it, not done
    done = {c: (n, due, completed + 1) for c, (n, due, completed) in before.items()}
    assert scorecard_groups(cli, AFTER) == {**done, "TLS": (1, 1, 0)}
    # on a date before TLS joined, the line due 2025 does not count for it yet (nor is it
    # due for the others; nor are their other lines due that year)
    assert scorecard_groups(cli, BEFORE) == {
        "BRN": (5, 2, 0),
        "KHM": (5, 4, 0),
        "IDN": (5, 4, 0),
        "LAO": (4, 3, 0),
        "MYS": (4, 3, 0),
        "MMR": (5, 2, 0),
        "PHL": (5, 2, 0),
        "SGP": (4, 3, 0),
        "THA": (7, 6, 0),
        "VNM": (6, 5, 0),
    }


def test_kpi_panels_and_coverage_count_the_members_on_the_as_of_date(
    cli: Cli, plan_copy: Path
) -> None:
    add_member(plan_copy)

    def regional(as_of: str) -> tuple[int, list[str], list[str]]:
        data = json.loads(cli("kpi", "show", "KPI-A1", "--as-of", as_of, "--json").stdout)
        region = data["regional"]
        return (
            region["members"],
            [m["country"] for m in region["panel"]],
            [a["reason"] for a in region["assessments"]],
        )

    after, before = regional(AFTER), regional(BEFORE)
    assert (after[0], before[0]) == (11, 10)
    assert after[1] == before[1]  # TLS has no readings: the same panel
    cover = json.loads(cli("kpi", "coverage", "--as-of", BEFORE, "--json").stdout)
    assert cover["countries"] == TEN
    cover = json.loads(cli("kpi", "coverage", "--as-of", AFTER, "--json").stdout)
    assert cover["countries"] == [*TEN, "TLS"]
    assert [k["countries"]["TLS"]["state"] for k in cover["kpis"]] == ["none"] * len(cover["kpis"])


def test_a_state_not_yet_a_member_is_not_on_the_panel(cli: Cli, plan_copy: Path) -> None:
    add_member(plan_copy)
    readings = plan_copy / "readings" / "KPI-A1.yaml"
    readings.write_text(
        readings.read_text()
        + "  - source: Timor-Leste, national accounts (a test release)\n"
        + "    vintage: null\n"
        + "    readings:\n      - [TLS, 2016, 10000.0]\n      - [TLS, 2024, 12000.0]\n"
    )

    def panel(as_of: str) -> tuple[int, list[str]]:
        data = json.loads(cli("kpi", "show", "KPI-A1", "--as-of", as_of, "--json").stdout)
        return data["regional"]["members"], [m["country"] for m in data["regional"]["panel"]]

    assert panel(BEFORE) == (10, sorted(TEN))  # in the order of the readings
    assert panel(AFTER) == (11, [*sorted(TEN), "TLS"])


def test_an_update_before_joining_is_a_warning(cli: Cli, plan_copy: Path) -> None:
    add_member(plan_copy)
    ten_complete_b212(
        plan_copy,
        "              - {date: 2025-03-01, status: ongoing, country: TLS}\n",
    )
    result = cli("validate", "--as-of", AFTER)
    assert result.exit_code == 0
    assert result.stdout == (
        "plan/goals/B.yaml:52:18: outcomes[1].actions[0].lines[0].updates[10].date: "
        "warning: B-2-1.2: update of 2025-03-01 from TLS is dated before it joined "
        "(2025-10-26) [P-UPDATE-MEMBER]\n"
        "ok: 0 errors, 1 warning in 14 files\n"
    )


def test_an_update_after_leaving_is_a_warning(cli: Cli, plan_copy: Path) -> None:
    add_member(
        plan_copy, "  - {id: TLS, name: Timor-Leste, joined: 2025-10-26, left: 2025-12-01}\n"
    )
    ten_complete_b212(
        plan_copy,
        "              - {date: 2025-12-01, status: ongoing, country: TLS}\n",
    )
    result = cli("validate", "--as-of", AFTER)
    assert result.exit_code == 0
    assert result.stdout == (
        "plan/goals/B.yaml:52:18: outcomes[1].actions[0].lines[0].updates[10].date: "
        "warning: B-2-1.2: update of 2025-12-01 from TLS is dated on or after the day it "
        "left (2025-12-01) [P-UPDATE-MEMBER]\n"
        "ok: 0 errors, 1 warning in 14 files\n"
    )


def test_leaving_before_joining_is_an_error(cli: Cli, plan_copy: Path) -> None:
    add_member(
        plan_copy, "  - {id: TLS, name: Timor-Leste, joined: 2025-10-26, left: 2025-10-26}\n"
    )
    result = cli("validate", "--as-of", AFTER)
    assert result.exit_code == 1
    assert result.stdout == (
        "plan/countries.yaml:15:54: member_states[10].left: error: TLS left on 2025-10-26, "
        "not after it joined (2025-10-26) [R-MEMBERSHIP]\n"
        "invalid: 1 error, 0 warnings in 14 files\n"
    )
