"""Progress monitoring: status on a date, per-country picture, and the five flags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest

from .conftest import Cli


def add_fields(plan: Path, goal: str, after: str, fields: str) -> None:
    """Insert YAML lines (already indented) after the line ``after`` of goals/<goal>.yaml."""
    path = plan / "goals" / f"{goal}.yaml"
    text = path.read_text()
    assert after in text
    path.write_text(text.replace(after, after + fields, 1))


def row(cli: Cli, line_id: str, as_of: str) -> dict[str, Any]:
    data = json.loads(cli("status", "--as-of", as_of, "--json").stdout)
    return next(r for r in data["lines"] if r["id"] == line_id)


B213 = "            themes: [service-centre]\n"  # the last field of B-2-1.3 (due 2018)
B212 = "            printed_as: {action: A-2-1}\n"  # the last field of B-2-1.2 (due 2020)


def test_status_follows_the_log_as_of_each_date(cli: Cli, plan_copy: Path) -> None:
    add_fields(
        plan_copy,
        "B",
        B213,
        "            updates:\n"
        "              - {date: 2017-03-01, status: ongoing, percent: 20}\n"
        "              - {date: 2017-09-01, status: on_hold}\n"
        "              - {date: 2018-05-01, status: completed}\n",
    )
    assert cli("validate", "--as-of", "2026-11-28").exit_code == 0
    assert (
        row(cli, "B-2-1.3", "2017-01-01")["status"],
        row(cli, "B-2-1.3", "2017-01-01")["percent"],
    ) == ("not_started", None)
    assert (
        row(cli, "B-2-1.3", "2017-06-01")["status"],
        row(cli, "B-2-1.3", "2017-06-01")["percent"],
    ) == ("ongoing", 20.0)
    hold = row(cli, "B-2-1.3", "2017-12-01")
    assert (hold["status"], hold["percent"]) == ("on_hold", 20.0)  # the last percent reported
    done = row(cli, "B-2-1.3", "2019-01-01")
    assert (done["status"], done["percent"], done["completed_on"], done["flags"]) == (
        "completed",
        100.0,
        "2018-05-01",
        [],
    )


def test_due_soon_within_six_months(cli: Cli, plan_copy: Path) -> None:
    assert row(cli, "B-2-1.3", "2018-07-01")["flags"] == ["due_soon"]  # 183 days to 31 Dec
    assert row(cli, "B-2-1.3", "2018-06-30")["flags"] == []  # 184 days
    assert row(cli, "B-2-1.3", "2018-12-31")["flags"] == ["due_soon"]
    assert row(cli, "B-2-1.3", "2019-01-01")["flags"] == ["overdue"]


def test_blocked_until_the_dependency_completes(cli: Cli, plan_copy: Path) -> None:
    add_fields(
        plan_copy,
        "A",
        "            themes: [micro-enterprises]\n",
        "            dependencies: [A-1-2.1]\n",
    )  # A-1-3.1 (2017) needs A-1-2.1 (2020)
    add_fields(
        plan_copy,
        "A",
        "            themes: [incentives]\n",
        "            updates:\n              - {date: 2017-02-01, status: completed}\n",
    )
    assert row(cli, "A-1-3.1", "2017-01-15")["flags"] == ["blocked"]
    assert row(cli, "A-1-3.1", "2017-02-01")["flags"] == []
    problems = json.loads(cli("validate", "--as-of", "2026-11-28", "--format", "json").stdout)[
        "problems"
    ]
    assert [p["code"] for p in problems] == ["P-DEPENDENCY-LATE"]


def test_behind_the_time_elapsed_expectation(cli: Cli, plan_copy: Path) -> None:
    # planned 2018-01-01 to 2020-12-31 (1095 days); on 2019-07-02 half the time has gone
    add_fields(
        plan_copy,
        "D",
        "            themes: [micro-enterprises]\n",
        "            planned_start: 2018-01-01\n"
        "            updates:\n              - {date: 2019-04-01, status: ongoing, "
        "percent: 45}\n",
    )
    half = row(cli, "D-2-1.2", "2019-07-02")
    assert half["expected_percent"] == 50.0
    assert (half["percent"], half["flags"]) == (45.0, ["behind"])
    early = row(cli, "D-2-1.2", "2019-05-01")  # 485 of 1095 days: 44.3% expected
    assert early["expected_percent"] == 44.3 and early["flags"] == []
    assert row(cli, "D-2-1.2", "2017-06-01")["expected_percent"] == 0.0


def test_over_budget(cli: Cli, plan_copy: Path) -> None:
    add_fields(
        plan_copy, "B", B213, "            budget: {currency: USD, planned: 50000, spent: 61000}\n"
    )
    add_fields(
        plan_copy, "B", B212, "            budget: {currency: USD, planned: 50000, spent: 50000}\n"
    )
    assert row(cli, "B-2-1.3", "2018-01-01")["flags"] == ["over_budget"]
    assert row(cli, "B-2-1.2", "2018-01-01")["flags"] == []


def test_status_text_shows_progress_and_last_update(cli: Cli, plan_copy: Path) -> None:
    add_fields(
        plan_copy,
        "B",
        B213,
        "            updates:\n              - {date: 2018-09-01, "
        "status: ongoing, percent: 60, note: Beta with 3 banks, by: SME Corp}\n",
    )
    text = cli("status", "--goal", "B", "--as-of", "2018-10-01").stdout
    assert (
        "      B-2-1.3   ongoing      60%  due 2018  lead MYS,LAO     regional  DUE_SOON\n"
        "                Creation of interactive on-line platform on a range of financial "
        "supports available to SMEs to minimize information gap\n"
        "                last update 2018-09-01 by SME Corp: Beta with 3 banks\n"
    ) in text
    assert text.endswith(
        "2 action lines: 1 not_started, 1 ongoing; 0 overdue, 1 due_soon as of 2018-10-01\n"
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["completed"] * 10, "completed"),
        (["completed"] * 9 + ["ongoing"], "ongoing"),
        (["completed"] * 9 + ["not_started"], "ongoing"),
        (["cancelled"] * 10, "cancelled"),
        (["not_started"] * 9 + ["on_hold"], "on_hold"),
        (["not_started"] * 10, "not_started"),
    ],
)
def test_national_status_needs_every_member_state(statuses: list[str], expected: str) -> None:
    from sapsmed.domain.vocabulary import Status
    from sapsmed.monitor.progress import combine

    assert combine(cast(list[Status], statuses)) == expected
