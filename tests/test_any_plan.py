"""A plan of another shape: the successor-plan fixture (2026-2035, eleven member states with
Timor-Leste joined on 2025-10-26, goals G1-G3 holding actions directly, two phases, declared
units in US dollars and a percent change that may be negative). Every command runs on it;
its report and mid-term review are compared whole."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import ROOT, Cli, git
from tests.conftest import ok as out

FIXTURES = ROOT / "tests" / "fixtures"
AS_OF = "2026-11-30"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["report", "--as-of", AS_OF], "successor-report.md"),
        (["report", "--as-of", AS_OF, "--mid-term"], "successor-midterm.md"),
    ],
)
def test_report_and_mid_term_review_whole_string(
    cli: Cli, successor: Path, args: list[str], expected: str
) -> None:
    text = out(cli, *args)
    path = FIXTURES / expected
    if os.environ.get("SAPSMED_UPDATE_CASES"):
        path.write_text(text)
    assert text == path.read_text()
    # the plan's own names and years, never the shipped plan's
    for foreign in ("SAP SMED", "2016", "Goal A", "outcome"):
        assert foreign not in text


def test_it_validates(cli: Cli, successor: Path) -> None:
    assert out(cli, "validate", "--as-of", AS_OF) == "ok: 8 files, no problems\n"


def test_a_national_line_needs_every_member_including_the_newest(cli: Cli, successor: Path) -> None:
    rows = {r["id"]: r for r in json.loads(out(cli, "lines", "--json", "--as-of", AS_OF))}
    # completed by the ten in the first half of 2026 and by Timor-Leste in October
    assert (rows["G1-1.2"]["status"], rows["G1-1.2"]["percent"]) == ("completed", 100.0)
    # the ten completed it, Timor-Leste (a member when it falls due) has not: ongoing
    assert rows["G1-2.1"]["status"] == "ongoing"
    assert rows["G1-2.1"]["countries"] == {
        **{c: "completed" for c in rows["G1-1.2"]["countries"] if c != "TLS"},
        "TLS": "ongoing",
    }
    assert rows["G1-2.1"]["outcome"] is None and rows["G1-2.1"]["action"] == "G1-2"


def test_goals_hold_actions_directly(cli: Cli, successor: Path) -> None:
    goal = json.loads(out(cli, "show", "G1", "--json", "--as-of", AS_OF))
    assert (goal["outcomes"], goal["actions"]) == ([], ["G1-1", "G1-2"])
    action = json.loads(out(cli, "show", "G1-2", "--json", "--as-of", AS_OF))
    assert (action["goal"], action["outcome"], action["lines"]) == ("G1", None, ["G1-2.1"])
    status = json.loads(out(cli, "status", "--goal", "G2", "--json", "--as-of", AS_OF))
    tree = status["goals"][0]
    assert tree["outcomes"] == []
    assert tree["actions"] == [
        {
            "id": "G2-1",
            "title": "Connect MSMEs to regional value chains",
            "lines": ["G2-1.1", "G2-1.2"],
        }
    ]


def test_declared_units_are_named_and_negative_growth_is_not_given_a_cagr(
    cli: Cli, successor: Path
) -> None:
    shown = json.loads(out(cli, "kpi", "show", "KPI-G21", "--json", "--as-of", AS_OF))
    thailand = next(c for c in shown["countries"] if c["country"] == "THA")
    statcan = thailand["assessments"][0]
    assert (statcan["status"], statcan["base_value"], statcan["latest_value"]) == (
        "not assessed",
        -1.0,
        -0.5,
    )
    assert statcan["cagr_actual"] is None
    listing = out(cli, "kpi", "list", "--as-of", AS_OF)
    assert "US dollars" in listing and "percent change" in listing


def test_an_update_lands_under_the_goal_s_actions(cli: Cli, successor: Path) -> None:
    goal = successor / "goals" / "G2.yaml"
    before = goal.read_text()
    out(cli, "update", "G2-1.1", "--status", "ongoing", "--progress", "60", "--date", AS_OF)
    marker = "          - {date: 2026-05-04, status: ongoing, percent: 40}\n"
    assert goal.read_text() == before.replace(
        marker,
        marker
        + f"          - date: {AS_OF}\n            status: ongoing\n            percent: 60\n",
    )


def test_scorecard_counts_timor_leste(cli: Cli, successor: Path) -> None:
    data = json.loads(out(cli, "scorecard", "--by", "country", "--json", "--as-of", "2027-12-31"))
    tls = next(g for g in data["groups"] if g["group"] == "TLS")
    # G1-1.2 and G1-2.1 are due by the end of 2027; TLS completed only the first
    assert (tls["lines"], tls["due"], tls["completed"]) == (3, 2, 1)


def test_help_names_the_plan_found(cli: Cli, successor: Path) -> None:
    text = out(cli, "--help")
    assert "Plan: Test Successor Plan 2026-2035, in plan/." in text
    assert "ASEAN Strategic Action Plan" not in text


COMMANDS = [
    ["status", "--country", "TLS"],
    ["lines", "--goal", "G3"],
    ["scorecard", "--by", "phase"],
    ["scorecard", "--by", "measure"],
    ["grid"],
    ["grid", "--goal", "G3", "--csv"],
    ["show", "G1-1.2"],
    ["show", "TLS"],
    ["kpi", "list"],
    ["kpi", "show", "KPI-G11"],
    ["kpi", "coverage"],
    ["export", "--format", "csv"],
    ["export"],
    ["report", "--country", "TLS"],
    ["report", "--goal", "G2"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_every_command_runs(cli: Cli, successor: Path, args: list[str]) -> None:
    text = out(cli, *args, "--as-of", AS_OF)
    assert text.strip()
    assert "SAP SMED" not in text


def test_diff_and_history_in_a_repository(cli: Cli, successor: Path) -> None:
    repo = successor.parent
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    git(repo, "add", "plan")
    git(repo, "commit", "-q", "-m", "The successor plan", day="2026-01-05")
    out(cli, "update", "G1-2.1", "--status", "completed", "--country", "TLS", "--date", AS_OF)
    git(repo, "commit", "-q", "-am", "TLS opened its desk", day="2026-11-30")
    diff = out(cli, "diff", "HEAD~1", "--as-of", AS_OF)
    assert diff.splitlines()[1:] == [
        "status of G1-2.1: ongoing (96%) -> completed (100%)",
        f"update of G1-2.1: date {AS_OF}, status completed, percent 100, country TLS",
    ]
    history = out(cli, "history", "G1-2.1", "--as-of", AS_OF)
    assert history.splitlines()[-1] == "    status ongoing (96%) -> completed (100%)"


@pytest.mark.parametrize(
    ("path", "old", "new", "expected"),
    [
        (
            "goals/G2.yaml",
            "actions:\n  - id: G2-1\n    title: Connect MSMEs to regional value chains\n",
            "outcomes:\n  - id: G2-1\n    title: An outcome\n    actions:\n"
            "      - {id: G2-1-1, title: An action}\n  - id: G2-2\n    title: Another\n",
            "goals/G2.yaml:5:1: outcomes: error: goal G2 holds outcomes:, but the plan's "
            "levels have none (goal, action, line); list its actions: directly [R-LEVELS]",
        ),
        (
            "goals/G3.yaml",
            "  - id: G3-1\n",
            "  - id: G3-1-1\n",
            "goals/G3.yaml:6:5: actions[0].id: error: 'G3-1-1' is filed under goal 'G3': its "
            "id must be G3-<number> [R-ID-PARENT]",
        ),
        (
            "kpis.yaml",
            "  - id: KPI-G21\n    goal: G2\n",
            "  - id: KPI-G21\n    goal: G1\n",
            "kpis.yaml:15:5: kpis[1].id: error: KPI 'KPI-G21' belongs to goal 'G1': its id "
            "must be KPI-G1<number> [R-ID-PARENT]",
        ),
    ],
    ids=["outcomes-in-a-plan-without", "action-id-with-an-outcome-part", "kpi-of-another-goal"],
)
def test_the_plan_s_shape_is_checked(
    cli: Cli, successor: Path, path: str, old: str, new: str, expected: str
) -> None:
    file = successor / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))
    result = cli("validate", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"plan/{expected}"


def mutate(successor: Path, path: str, old: str, new: str) -> None:
    file = successor / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


def test_a_lead_that_is_not_yet_a_member_is_warned_of(cli: Cli, successor: Path) -> None:
    mutate(successor, "countries.yaml", "joined: 2025-10-26", "joined: 2030-01-01")
    result = cli("validate", "--as-of", AS_OF)
    assert result.stdout.splitlines() == [
        "plan/goals/G1.yaml:36:14: actions[0].lines[1].updates[10].date: warning: G1-1.2: "
        "update of 2026-10-20 from TLS is dated before it joined (2030-01-01) [P-UPDATE-MEMBER]",
        "plan/goals/G1.yaml:44:16: actions[1].lines[0].lead[0]: warning: lead TLS is not a "
        "member state at the end of 2027, when G1-2.1 falls due (joined 2030-01-01, left -): "
        "the line does not count for it [R-LEAD-MEMBER]",
        "plan/goals/G1.yaml:58:14: actions[1].lines[0].updates[10].date: warning: G1-2.1: "
        "update of 2026-11-02 from TLS is dated before it joined (2030-01-01) [P-UPDATE-MEMBER]",
        "ok: 0 errors, 3 warnings in 8 files",
    ]
    rows = {r["id"]: r for r in json.loads(out(cli, "lines", "--json", "--as-of", AS_OF))}
    # not a member: the ten complete it, and TLS is not in its picture
    assert rows["G1-2.1"]["status"] == "completed"
    assert "TLS" not in rows["G1-2.1"]["countries"]


def test_a_file_s_cut_unit_or_phase_is_not_reported_missing(cli: Cli, successor: Path) -> None:
    mutate(successor, "kpis.yaml", "decimals: 0}", "decimals: 7}")
    mutate(successor, "plan.yaml", "    end_year: 2030\n", "    end_year: twenty\n")
    result = cli("validate", "--as-of", AS_OF)
    assert [line.rsplit("[", 1)[1] for line in result.stdout.splitlines()[:-1]] == [
        "S-INVALID]",
        "S-INVALID]",
    ]


def test_filters_and_order_follow_the_plan_s_shape(cli: Cli, successor: Path) -> None:
    result = cli("lines", "--outcome", "G1", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "this plan has no outcomes (levels: goal, action, line)" in result.stderr
    text = (successor / "goals" / "G3.yaml").read_text()
    (successor / "goals" / "G10.yaml").write_text(
        text.replace("G3", "G10").replace("PHL, VNM", "PHL").replace("Skills", "More")
    )
    data = json.loads(out(cli, "scorecard", "--by", "goal", "--json", "--as-of", AS_OF))
    assert [g["group"] for g in data["groups"]] == ["G1", "G2", "G3", "G10"]


def test_a_blank_region_is_all_member_states(cli: Cli, successor: Path) -> None:
    mutate(successor, "plan.yaml", "region: ASEAN", 'region: "   "')
    report = out(cli, "report", "--as-of", AS_OF)
    assert "KPI progress at a glance, all member states (" in report
    assert "| All member states: panel of 7 of 11" in report


def test_help_shows_a_hostile_title_inert(cli: Cli, successor: Path) -> None:
    mutate(
        successor,
        "plan.yaml",
        "short_title: Test Successor Plan 2026-2035",
        'short_title: "\\e[31mRED\\e]0;pwn\\a \\u202Eabc\\nkey"',
    )
    text = out(cli, "--help")
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "Plan: \\e[31mRED\\e]0;pwn\\x07 \\u202eabc\\nkey, in plan/." in text


def test_the_mid_term_review_falls_inside_the_plan(cli: Cli, successor: Path) -> None:
    mutate(successor, "plan.yaml", "  due_year: 2031\n", "  due_year: 2040\n")
    result = cli("validate", "--as-of", AS_OF)
    assert result.stdout.splitlines()[0] == (
        "plan/plan.yaml:27:3: mid_term_review.due_year: error: mid-term review due year 2040 "
        "is outside the plan period 2026-2035 [R-YEAR]"
    )


def test_diff_names_changes_to_the_plan_s_own_settings(cli: Cli, successor: Path) -> None:
    repo = successor.parent
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    git(repo, "add", "plan")
    git(repo, "commit", "-q", "-m", "The successor plan", day="2026-01-05")
    mutate(successor, "plan.yaml", "region: ASEAN", "region: ASEAN-11")
    mutate(successor, "kpis.yaml", "name: US dollars", "name: current US dollars")
    diff = out(cli, "diff", "HEAD", "--as-of", AS_OF)
    assert diff.splitlines()[1:] == [
        "changed the plan's region: ASEAN -> ASEAN-11",
        "changed the plan's units: "
        '[{"id": "usd", "name": "US dollars", "min": 0.0, "max": null, "decimals": 0}, '
        '{"id": "percent_change", "name": "percent change", "min": null, "max": null, '
        '"decimals": 1}] -> '
        '[{"id": "usd", "name": "current US dollars", "min": 0.0, "max": null, "decimals": 0}, '
        '{"id": "percent_change", "name": "percent change", "min": null, "max": null, '
        '"decimals": 1}]',
    ]
    data = json.loads(out(cli, "diff", "HEAD", "--format", "json", "--as-of", AS_OF))
    assert [s["field"] for s in data["settings"]] == ["region", "units"]


def test_a_declared_unit_s_decimals_are_the_places_shown(cli: Cli, successor: Path) -> None:
    shown = out(cli, "kpi", "show", "KPI-G21", "--country", "THA", "--as-of", AS_OF)
    assert "  2023: -1.0  2025: -0.5" in shown.splitlines()
    money = out(cli, "kpi", "show", "KPI-G11", "--country", "MYS", "--as-of", AS_OF)
    assert "  2023: 3,300,000  2025: 4,200,000" in money.splitlines()
