"""`lines` and `scorecard` on a plan with recorded progress; figures worked out by hand."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import Cli
from .test_progress import add_fields


@pytest.fixture
def tracked(plan_copy: Path) -> Path:
    """B-2-1.3 and A-1-3.1 completed, C-1-1.2 ongoing, D-3-1.1 cancelled, and B-2-1.2
    (national) completed by MYS and LAO only."""
    add_fields(
        plan_copy,
        "B",
        "            themes: [service-centre]\n",
        "            updates:\n              - {date: 2018-05-01, status: completed}\n",
    )
    add_fields(
        plan_copy,
        "B",
        "            printed_as: {action: A-2-1}\n",
        "            updates:\n"
        "              - {date: 2019-03-01, status: completed, country: MYS}\n"
        "              - {date: 2019-04-01, status: completed, country: LAO}\n",
    )
    add_fields(
        plan_copy,
        "C",
        "            themes: [service-centre]\n",
        "            updates:\n              - {date: 2018-03-01, status: ongoing}\n",
    )
    add_fields(
        plan_copy,
        "A",
        "            themes: [micro-enterprises]\n",
        "            updates:\n              - {date: 2017-06-01, status: completed}\n",
    )
    add_fields(
        plan_copy,
        "D",
        "            lead: [IDN, KHM]  # blank in Appendix C: continues the cell above\n",
        "            status: cancelled\n",
    )
    return plan_copy


def ids(cli: Cli, *args: str) -> list[str]:
    result = cli("lines", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return [r["id"] for r in json.loads(result.stdout)]


def test_fixture_plan_is_valid(cli: Cli, tracked: Path) -> None:
    assert cli("validate", "--as-of", "2026-11-28").stdout == "ok: 14 files, no problems\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            [],
            [
                "A-1-2.1",
                "A-1-3.1",
                "A-2-2.1",
                "A-3-1.1",
                "A-3-1.2",
                "B-2-1.2",
                "B-2-1.3",
                "C-1-1.2",
                "D-2-1.2",
                "D-3-1.1",
                "E-1-1.5",
                "E-2-1.2",
            ],
        ),
        (["--lead", "mys"], ["B-2-1.2", "B-2-1.3"]),
        (["--goal", "a", "--level", "national"], ["A-2-2.1", "A-3-1.1"]),
        (["--flag", "overdue", "--as-of", "2019-01-01"], ["C-1-1.2"]),
        (["--status", "completed", "--as-of", "2020-12-31"], ["A-1-3.1", "B-2-1.3"]),
        (["--status", "completed", "--as-of", "2017-12-31"], ["A-1-3.1"]),
        (["--due", "2016-2017"], ["A-1-3.1", "D-3-1.1"]),
        (["--due", "2021", "--sort", "due"], ["A-3-1.1"]),
        (["--phase", "global-expansion", "--sort", "due"], ["A-3-1.1", "E-1-1.5", "E-2-1.2"]),
        (["--theme", "service-centre"], ["B-2-1.3", "C-1-1.2"]),
        (["--outcome", "D-3"], ["D-3-1.1"]),
        (["--action", "A-3-1"], ["A-3-1.1", "A-3-1.2"]),
        (["--measure", "financial-scheme"], []),
        (["--sort", "status", "--due", "2018"], ["C-1-1.2", "B-2-1.3"]),
    ],
)
def test_line_filters(cli: Cli, tracked: Path, args: list[str], expected: list[str]) -> None:
    assert ids(cli, *args) == expected


def test_lines_csv(cli: Cli, tracked: Path) -> None:
    result = cli("lines", "--theme", "service-centre", "--as-of", "2019-01-01", "--csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        "id",
        "goal",
        "outcome",
        "action",
        "title",
        "timeframe",
        "due_year",
        "lead",
        "level",
        "status",
        "percent",
        "flags",
        "themes",
        "completed_on",
    ]
    assert rows[1][:3] + rows[1][5:] == [
        "B-2-1.3",
        "B",
        "B-2",
        "2018",
        "2018",
        "MYS LAO",
        "regional",
        "completed",
        "100.0",
        "",
        "service-centre",
        "2018-05-01",
    ]
    assert rows[2][9:12] == ["ongoing", "", "overdue"]


def test_lines_text(cli: Cli, tracked: Path) -> None:
    out = cli("lines", "--due", "2018", "--as-of", "2019-01-01").stdout.splitlines()
    assert out[0].split() == ["id", "status", "%", "due", "lead", "level", "flags", "title"]
    assert out[1].split()[:7] == [
        "B-2-1.3",
        "completed",
        "100%",
        "2018",
        "MYS,LAO",
        "regional",
        "-",
    ]
    assert out[2].split()[:7] == [
        "C-1-1.2",
        "ongoing",
        "-",
        "2018",
        "SGP,THA",
        "regional",
        "overdue",
    ]
    assert out[-1] == "2 action lines"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--phase", "phase-3"],
            "--phase 'phase-3' is not one of the plan's: global-expansion, post-integration",
        ),
        (["--due", "soon"], "--due takes a year or a range like 2018-2020, not 'soon'"),
    ],
)
def test_line_filter_errors(cli: Cli, tracked: Path, args: list[str], message: str) -> None:
    result = cli("lines", *args)
    assert (result.exit_code, result.stderr) == (2, f"sapsmed: {message}\n")


def scorecard(cli: Cli, by: str, as_of: str) -> dict[str, dict[str, Any]]:
    result = cli("scorecard", "--by", by, "--as-of", as_of, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    return {g["group"]: g for g in [*data["groups"], data["total"]]}


def fractions(group: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return (
        group["lines"],
        group["implementation_rate"]["numerator"],
        group["implementation_rate"]["denominator"],
        group["lenient_rate"]["numerator"],
        group["lenient_rate"]["denominator"],
    )


def test_scorecard_by_goal(cli: Cli, tracked: Path) -> None:
    groups = scorecard(cli, "goal", "2020-12-31")
    assert {k: fractions(g) for k, g in groups.items()} == {
        "A": (5, 1, 4, 1, 4),  # due: A-1-2.1, A-1-3.1, A-2-2.1, A-3-1.2; done: A-1-3.1
        "B": (2, 1, 2, 2, 2),  # B-2-1.2 is ongoing: 2 of 10 member states done
        "C": (1, 0, 1, 1, 1),
        "D": (2, 0, 1, 0, 1),  # D-3-1.1 was cancelled: not due
        "E": (2, 0, 0, 0, 0),
        "all": (12, 2, 8, 4, 8),
    }
    assert groups["B"]["implementation_rate"]["value"] == 0.5
    assert groups["E"]["implementation_rate"]["value"] is None
    assert groups["D"]["by_status"]["cancelled"] == 1


def test_scorecard_by_country_counts_national_lines_for_every_member(
    cli: Cli, tracked: Path
) -> None:
    groups = scorecard(cli, "country", "2020-12-31")
    # MYS: leads B-2-1.3 (done) and B-2-1.2 (national, MYS done); A-2-2.1 (national, 2020)
    # and A-3-1.1 (national, 2021, not yet due) count for every member state
    assert fractions(groups["MYS"]) == (4, 2, 3, 2, 3)
    assert fractions(groups["SGP"]) == (4, 0, 3, 1, 3)  # C-1-1.2 ongoing
    assert fractions(groups["BRN"]) == (5, 0, 2, 0, 2)  # B-2-1.2, A-2-2.1 due; E lines 2025
    assert groups["SGP"]["flags"]["overdue"] == 1  # C-1-1.2; the 2020 lines are due today
    later = scorecard(cli, "country", "2021-01-01")
    assert later["SGP"]["flags"]["overdue"] == 3
    assert later["MYS"]["flags"]["overdue"] == 1  # A-2-2.1: MYS has completed B-2-1.2
    assert list(groups)[:10] == [
        "BRN",
        "KHM",
        "IDN",
        "LAO",
        "MYS",
        "MMR",
        "PHL",
        "SGP",
        "THA",
        "VNM",
    ]


def test_scorecard_by_phase_theme_measure(cli: Cli, tracked: Path) -> None:
    phases = scorecard(cli, "phase", "2025-12-31")
    assert fractions(phases["post-integration"]) == (9, 2, 8, 4, 8)
    assert fractions(phases["global-expansion"]) == (3, 0, 3, 0, 3)
    themes = scorecard(cli, "theme", "2020-12-31")
    assert fractions(themes["service-centre"]) == (2, 1, 2, 2, 2)
    assert fractions(themes["micro-enterprises"]) == (5, 1, 3, 2, 3)
    measures = scorecard(cli, "measure", "2020-12-31")
    # the excerpt names no type of measure per line; the last row says it counts pairs
    assert list(measures) == ["(none)", "all measure-line pairs"]


def test_scorecard_text_shows_numerator_and_denominator(cli: Cli, tracked: Path) -> None:
    out = cli("scorecard", "--as-of", "2020-12-31").stdout.splitlines()
    assert out[0] == "Scorecard by goal as of 2020-12-31"
    assert out[1].split()[:6] == ["group", "lines", "due", "completed", "implementation", "lenient"]
    assert out[3].split()[:7] == ["B", "2", "2", "1", "1/2", "(50.0%)", "2/2"]
    assert out[6].split()[:5] == ["E", "2", "0", "0", "-/0"]
    assert out[7].split()[:7] == ["all", "12", "8", "2", "2/8", "(25.0%)", "4/8"]
    assert out[-2].startswith("implementation rate = completed / due")
    assert out[-1] == "by goal: each line counts once, in its goal"


def test_scorecard_by_country_says_what_it_counts(cli: Cli, tracked: Path) -> None:
    out = cli("scorecard", "--by", "country", "--as-of", "2020-12-31").stdout.splitlines()
    assert out[-3].startswith("all country-line pairs ")
    assert out[-1] == (
        "by country: a national-level line counts for every member state, with "
        "that state's own status; a regional line counts for each of its lead "
        "countries; so the last row counts (country, line) pairs, not lines"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--theme", "foo"],
            "sapsmed: --theme 'foo' is not one of the plan's: incentives, "
            "micro-enterprises, service-centre\n",
        ),
        (
            ["--pathway", "foo"],
            "sapsmed: --pathway 'foo' is not one of the plan's: competitive, inclusive\n",
        ),
        (["--phase", "2016"], "sapsmed: --phase '2016' is not one of the plan's: "),
        (["--lead", "XYZ"], "sapsmed: --lead 'XYZ' is not one of the plan's: BRN, IDN, KHM, LAO, "),
    ],
)
def test_unknown_filter_values_are_usage_errors(
    cli: Cli, plan_copy: Path, args: list[str], message: str
) -> None:
    result = cli("lines", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_filters_take_names_as_well_as_ids(cli: Cli, plan_copy: Path) -> None:
    by_id = cli("lines", "--lead", "MYS", "--json").stdout
    assert cli("lines", "--lead", "malaysia", "--json").stdout == by_id
    assert cli("lines", "--measure", "Financial Scheme").stdout == "no action lines match\n"
    assert (
        cli("lines", "--theme", "updating of the asean sme service centre", "--json").stdout
        == cli("lines", "--theme", "service-centre", "--json").stdout
    )


def test_lines_of_a_country_are_those_it_leads_or_carries_out(cli: Cli, plan_copy: Path) -> None:
    import json

    rows = json.loads(cli("lines", "--country", "KHM", "--json").stdout)
    assert {r["id"] for r in rows} == {"A-2-2.1", "A-3-1.1", "B-2-1.2", "D-2-1.2", "D-3-1.1"}
    assert all(r["country"] == "KHM" for r in rows)
    assert {r["id"]: r["role"] for r in rows}["D-3-1.1"] == ["leads"]


def test_contradictory_options_are_usage_errors(cli: Cli, plan_copy: Path) -> None:
    backwards = cli("lines", "--due", "2020-2018")
    assert (backwards.exit_code, backwards.stderr) == (
        2,
        "sapsmed: --due '2020-2018' runs backwards: write 2018-2020\n",
    )
    both = cli("lines", "--json", "--csv")
    assert both.exit_code == 2 and "choose one of --json and --csv" in both.stderr
    table = cli("export", "--table", "readings")
    assert table.exit_code == 2 and "--table is for --format csv" in table.stderr


def test_a_mistyped_filter_is_named_with_the_one_most_like_it(cli: Cli, plan_copy: Path) -> None:
    result = cli("lines", "--theme", "incentivs", "--as-of", "2026-11-28")
    assert result.exit_code == 2
    assert result.stderr.endswith("; did you mean 'incentives'?\n")
