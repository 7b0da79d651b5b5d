"""`sapsmed budget`, `personnel`, `output`, `risk` and `kpi target`: checked, validated edits
of the YAML on both plan shapes; refusals leave every byte, dry runs write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ok

from .conftest import Cli
from .test_exact_writes import files

B_LAST = "            themes: [service-centre]\n"  # the end of B.yaml (B-2-1.3)


def test_budget_personnel_output_risk_add_to_the_line(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "goals" / "B.yaml"
    old = path.read_text()
    assert old.endswith(B_LAST)
    assert ok(cli, "budget", "B-2-1.3", "--planned", "50000", "--currency", "usd") == (
        "set the budget of B-2-1.3 in plan/goals/B.yaml\n"
    )
    ok(cli, "personnel", "B-2-1.3", "--planned", "18", "--used", "2.5")
    ok(
        cli,
        "output",
        "B-2-1.3",
        "Portal: launched",
        "--quality",
        "good",
        "--delivered",
        "2019-05-02",
    )
    ok(cli, "risk", "B-2-1.3", "Banks slow to join", "--level", "high", "--mitigation", "MoUs")
    assert path.read_text() == old + (
        "            budget:\n"
        "              currency: USD\n"
        "              planned: 50000\n"
        "            personnel:\n"
        "              planned: 18\n"
        "              used: 2.5\n"
        "            outputs:\n"
        '              - title: "Portal: launched"\n'
        "                delivered: 2019-05-02\n"
        "                quality: good\n"
        "            risks:\n"
        '              - description: "Banks slow to join"\n'
        "                level: high\n"
        "                mitigation: MoUs\n"
    )
    # a second budget keeps what was spent unless told; a risk closed in place
    ok(cli, "budget", "B-2-1.3", "--planned", "60000", "--spent", "100", "--currency", "USD")
    ok(cli, "budget", "B-2-1.3", "--planned", "70000", "--currency", "USD")
    ok(cli, "risk", "B-2-1.3", "Banks slow to join", "--closed", "2020-01-02")
    assert path.read_text() == old + (
        "            budget:\n"
        "              currency: USD\n"
        "              planned: 70000\n"
        "              spent: 100\n"
        "            personnel:\n"
        "              planned: 18\n"
        "              used: 2.5\n"
        "            outputs:\n"
        '              - title: "Portal: launched"\n'
        "                delivered: 2019-05-02\n"
        "                quality: good\n"
        "            risks:\n"
        '              - description: "Banks slow to join"\n'
        "                level: high\n"
        "                mitigation: MoUs\n"
        "                closed: 2020-01-02\n"
    )
    assert ok(cli, "validate").startswith("ok")


def test_a_new_risk_may_be_recorded_closed(cli: Cli, successor: Path) -> None:
    path = successor / "goals" / "G2.yaml"
    old = path.read_text()
    ok(cli, "risk", "G2-1.2", "Customs\u2028delay", "--closed", "2026-03-01")
    assert path.read_text() == old + (
        "        risks:\n"
        '          - description: "Customs\\Ldelay"\n'
        "            closed: 2026-03-01\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["budget", "B-2-1.3", "--planned", "5", "--currency", "US"],
        ["budget", "B-2-1.3", "--planned", "-5", "--currency", "USD"],
        ["personnel", "B-2-1.3", "--planned", "nan"],
        ["output", "B-2-1.3", "X", "--quality", "superb"],
        ["output", "B-2-1.3", "X", "--delivered", "May 2019"],
        ["risk", "B-2-1.3", "X", "--level", "extreme"],
        ["risk", "B-2-1.3", "X", "--closed", "2020-13-01"],
    ],
)
def test_wrong_values_are_usage_errors(cli: Cli, plan_copy: Path, args: list[str]) -> None:
    before = files(plan_copy)
    result = cli(*args)
    assert result.exit_code == 2, result.stderr
    assert files(plan_copy) == before


def test_an_unknown_line_is_named_with_a_hint(cli: Cli, plan_copy: Path) -> None:
    result = cli("personnel", "B-2-1.33", "--planned", "3")
    assert result.exit_code == 1
    assert "no entity with id 'B-2-1.33'; did you mean" in result.stderr


def test_an_invalid_result_is_refused_byte_for_byte(cli: Cli, plan_copy: Path) -> None:
    """A budget in another currency than the plan's others is still valid; a personnel
    record on a line whose file is hand-broken is not written."""
    path = plan_copy / "goals" / "B.yaml"
    path.write_text(path.read_text().replace("due_year: 2018", "due_year: 1018"))
    before = files(plan_copy)
    result = cli("budget", "B-2-1.3", "--planned", "5", "--currency", "USD")
    assert result.exit_code == 1
    assert "the plan is invalid; fix it first" in result.stderr
    assert files(plan_copy) == before


def test_dry_run_shows_the_diff(cli: Cli, plan_copy: Path) -> None:
    before = files(plan_copy)
    result = cli("budget", "B-2-1.3", "--planned", "5", "--currency", "USD", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "--- a/plan/goals/B.yaml\n"
        "+++ b/plan/goals/B.yaml\n"
        "@@ -47,3 +47,6 @@\n"
        "             lead: [MYS, LAO]\n"
        "             level: regional\n"
        "             themes: [service-centre]\n"
        "+            budget:\n"
        "+              currency: USD\n"
        "+              planned: 5\n"
    )
    assert files(plan_copy) == before


# --- kpi target ---------------------------------------------------------------------------

D1_END = "      last_data_year: 2019\n      note: Doing Business was discontinued; the series is in the WDI archive.\n"  # noqa: E501


def test_kpi_target_added_changed_removed(cli: Cli, plan_copy: Path) -> None:
    path = plan_copy / "kpis.yaml"
    old = path.read_text()
    assert D1_END in old
    assert ok(
        cli, "kpi", "target", "KPI-D1", "--country", "mys", "--year", "2025", "--value", "10"
    ) == ("added the MYS 2025 target of KPI-D1 in plan/kpis.yaml\n")
    ok(
        cli,
        "kpi",
        "target",
        "KPI-D1",
        "--region",
        "--year",
        "2025",
        "--value",
        "12.5",
        "--source",
        "SMEWG",
    )
    ok(cli, "kpi", "target", "KPI-D1", "--country", "MYS", "--year", "2025", "--value", "11")
    assert path.read_text() == old.replace(
        D1_END,
        D1_END + "    targets:\n"
        "      - country: MYS\n"
        "        year: 2025\n"
        "        value: 11\n"
        "      - year: 2025\n"
        "        value: 12.5\n"
        "        source: SMEWG\n",
        1,  # KPI-D2 ends alike
    )
    ok(cli, "kpi", "target", "KPI-D1", "--region", "--year", "2025", "--remove")
    ok(cli, "kpi", "target", "KPI-D1", "--country", "MYS", "--year", "2025", "--remove")
    assert path.read_text() == old.replace(D1_END, D1_END + "    targets: []\n", 1)


@pytest.mark.parametrize(
    "args",
    [
        ["--year", "2025", "--value", "1"],
        ["--region", "--country", "MYS", "--year", "2025", "--value", "1"],
        ["--region", "--year", "2025"],
        ["--region", "--year", "2025", "--remove", "--value", "1"],
        ["--region", "--year", "20x5", "--value", "1"],
    ],
)
def test_kpi_target_usage_errors(cli: Cli, plan_copy: Path, args: list[str]) -> None:
    before = files(plan_copy)
    result = cli("kpi", "target", "KPI-D1", *args)
    assert result.exit_code == 2, result.stderr
    assert files(plan_copy) == before


def test_kpi_target_refusals_and_dry_run(cli: Cli, plan_copy: Path) -> None:
    before = files(plan_copy)
    for args, message in [
        (["--country", "XYZ", "--value", "1"], "'XYZ' is not a member state"),
        (["--region", "--remove"], "KPI-D1 has no regional 2025 target to remove"),
    ]:
        result = cli("kpi", "target", "KPI-D1", "--year", "2025", *args)
        assert result.exit_code == 1 and message in result.stderr, result.stderr
    unknown = cli("kpi", "target", "KPI-D9", "--region", "--year", "2025", "--value", "1")
    assert unknown.exit_code == 1 and "did you mean" in unknown.stderr
    dry = cli("kpi", "target", "KPI-D1", "--region", "--year", "2025", "--value", "3", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "+    targets:\n+      - year: 2025\n+        value: 3\n" in dry.stdout
    assert files(plan_copy) == before


def test_kpi_target_keeps_a_flow_item_flow(cli: Cli, successor: Path) -> None:
    path = successor / "kpis.yaml"
    old = path.read_text()
    ok(cli, "kpi", "target", "KPI-G21", "--country", "MYS", "--year", "2030", "--value", "4")
    assert path.read_text() == old.replace(
        "      - {country: MYS, year: 2030, value: 3.5}\n",
        "      - {country: MYS, year: 2030, value: 4}\n",
    )


def test_the_report_lists_a_risk_until_the_day_it_closed(cli: Cli, plan_copy: Path) -> None:
    ok(cli, "risk", "B-2-1.3", "Banks slow to join", "--level", "high")
    ok(cli, "risk", "B-2-1.3", "Banks slow to join", "--closed", "2018-12-01")
    assert "Banks slow to join (high)" in ok(cli, "report", "--as-of", "2018-11-30")
    assert "Banks slow to join" not in ok(cli, "report", "--as-of", "2018-12-01")
