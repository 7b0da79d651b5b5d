"""Views that agree with each other about the same date, and verdicts that say what happened
(cases found by reviewing the reports as an economist and a hostile user would)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import Cli


def test_the_mid_term_rate_is_the_scorecards_on_the_same_date(cli: Cli, small: Path) -> None:
    review = cli("report", "--mid-term", "--as-of", "2019-06-01").stdout
    card = json.loads(cli("scorecard", "--by", "phase", "--as-of", "2019-06-01", "--json").stdout)
    first = next(g for g in card["groups"] if g["group"] == "first")
    rate = first["implementation_rate"]
    assert (rate["numerator"], rate["denominator"]) == (1, 1)  # A-1-1.2 is due end of 2019
    assert "- Completed on 2019-06-01 (the phase is not over): **1/1 (100.0%)**" in review
    assert "end of the phase" not in review.split("## Action lines")[0]


def test_a_later_phase_under_review_lists_only_its_own_lines(cli: Cli, small: Path) -> None:
    plan = small / "plan.yaml"
    plan.write_text(plan.read_text().replace("  due_year: 2020", "  due_year: 2023"))
    review = cli("report", "--mid-term", "--as-of", "2026-06-01").stdout
    assert "mid-term review of the phase Second Phase (2021-2025)" in review
    assert "| A-1-2.1 |" in review  # due 2024
    assert "| A-1-1.1 |" not in review and "| A-1-1.2 |" not in review  # due 2017, 2019
    assert "carry into the next phase" not in review  # the last phase


def test_a_target_year_that_passed_unmet_says_so(cli: Cli, small: Path) -> None:
    kpis = small / "kpis.yaml"
    kpis.write_text(
        kpis.read_text().replace(
            "{country: MYS, year: 2025, value: 5}", "{country: MYS, year: 2018, value: 10}"
        )
    )
    data = json.loads(
        cli("kpi", "show", "KPI-A1", "--country", "MYS", "--as-of", "2022-01-01", "--json").stdout
    )
    for a in data["countries"][0]["assessments"]:
        assert a["status"] == "target not achieved by 2018"
        assert a["projected_value"] is None  # never projected back in time


def test_a_country_report_shows_the_countrys_own_note(cli: Cli, small: Path) -> None:
    goals = small / "goals" / "A.yaml"
    goals.write_text(
        goals.read_text()
        .replace(
            "percent: 40, country: THA}", 'percent: 40, country: THA, note: "Thai pilot delayed"}'
        )
        .replace(
            "{date: 2018-06-01, status: completed, country: MYS}",
            '{date: 2018-06-01, status: completed, country: MYS, note: "MYS finished"}',
        )
    )
    out = cli("report", "--country", "MYS", "--as-of", "2022-01-01").stdout
    row = next(line for line in out.splitlines() if line.startswith("| A-1-1.2 | Training"))
    assert "MYS: MYS finished" in row and "Thai" not in row
    rows = json.loads(cli("lines", "--country", "MYS", "--as-of", "2022-01-01", "--json").stdout)
    assert {r["id"]: r["completed_on"] for r in rows}["A-1-1.2"] == "2018-06-01"


def test_csv_cells_keep_to_one_line(cli: Cli, small: Path) -> None:
    goals = small / "goals" / "A.yaml"
    goals.write_text(
        goals.read_text().replace(
            "title: Best practice guide",
            'title: "Best practice guide\\n::error file=ci.yml,line=1::forged"',
        )
    )
    for args in (["lines", "--csv"], ["export", "--format", "csv"]):
        out = cli(*args, "--as-of", "2022-01-01").stdout
        assert not [ln for ln in out.splitlines() if ln.startswith("::")]
        assert "Best practice guide\\n::error" in out


def test_a_file_name_that_is_not_utf8_is_shown_escaped(small: Path) -> None:
    shutil.copy(
        os.fsencode(small / "goals" / "A.yaml"), os.fsencode(small / "goals") + b"/\xff\xfe.yaml"
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    for fmt in ("text", "json", "github"):
        done = subprocess.run(
            [sys.executable, "-m", "sapsmed", "--plan", str(small), "validate", "--format", fmt],
            capture_output=True,
            env=env,
        )
        assert done.returncode == 1, done.stderr
        assert b"internal error" not in done.stderr
        out = done.stdout.decode("utf-8")  # strict: valid UTF-8 throughout
        assert "\\udcff\\udcfe.yaml" in out
        if fmt == "json":
            json.loads(out)


def test_views_agree_about_what_was_known(cli: Cli, plan_copy: Path) -> None:
    shown = json.loads(cli("show", "KPI-D1", "--as-of", "2010-01-01", "--json").stdout)
    listed = json.loads(cli("kpi", "show", "KPI-D1", "--as-of", "2010-01-01", "--json").stdout)
    assert shown["readings"] == len(listed["readings"]) == 0  # its release is of 2019-10-28
    cover = cli("kpi", "coverage", "--as-of", "2020-06-01").stdout
    d1 = next(line for line in cover.splitlines() if line.startswith("KPI-D1"))
    assert "†" not in d1  # discontinued on 2021-09-16, not yet in 2020


def test_no_regional_series_for_a_panel_too_small(cli: Cli, plan_copy: Path) -> None:
    for country, year, value in (
        ("MYS", 2016, 40),
        ("MYS", 2020, 48),
        ("THA", 2016, 30),
        ("THA", 2020, 29),
    ):
        assert (
            cli(
                "kpi",
                "record",
                "KPI-E3",
                "--country",
                country,
                "--year",
                str(year),
                "--value",
                str(value),
                "--source",
                "DOSM",
                "--vintage",
                "2021-07-28",
            ).exit_code
            == 0
        )
    data = json.loads(cli("kpi", "show", "KPI-E3", "--json").stdout)
    assert len(data["regional"]["panel"]) == 2 and data["regional"]["series"] == []
    report = cli("report", "--goal", "E", "--as-of", "2026-11-28").stdout
    assert not re.search(r'title "KPI-E3 mean', report)


def test_what_update_prints_keeps_to_one_line(cli: Cli, plan_copy: Path) -> None:
    result = cli(
        "update",
        "B-2-1.3",
        "--status",
        "ongoing",
        "--date",
        "2018-12-01",
        "--by",
        "Tab\there",
        "--note",
        "Line1\nLine2",
    )
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1 and "\t" not in result.stdout
    assert "note: Line1\\nLine2, by: Tab\\there" in result.stdout


def test_show_as_of_lists_only_the_updates_known_then(cli: Cli, plan_copy: Path) -> None:
    for day, status in (("2018-06-01", "ongoing"), ("2018-12-20", "completed")):
        assert cli("update", "B-2-1.3", "--status", status, "--date", day).exit_code == 0
    shown = json.loads(cli("show", "B-2-1.3", "--as-of", "2018-10-01", "--json").stdout)
    assert [u["date"] for u in shown["updates"]] == ["2018-06-01"]
    assert shown["status"] == "ongoing"


def test_filters_take_goal_and_action_titles(cli: Cli, plan_copy: Path) -> None:
    by_id = cli("lines", "--goal", "B", "--json").stdout
    assert cli("lines", "--goal", "increase access to finance", "--json").stdout == by_id
    assert json.loads(
        cli(
            "lines",
            "--action",
            "Enhance outreach to promote financial "
            "inclusion to increase access to both traditional and alternative "
            "financing",
            "--json",
        ).stdout
    )
    result = cli("lines", "--goal", "Nowhere")
    assert result.exit_code == 2 and "'Nowhere'" in result.stderr  # as typed


def test_revision_names_are_literal_in_markdown_code_spans() -> None:
    from sapsmed.render.markdown import code

    assert code("HEAD~3") == "`HEAD~3`"
    assert code("a`b\nc") == "`a'b\\nc`"
