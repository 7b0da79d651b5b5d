"""Markdown reports: whole-string on a small fixture plan, structure on the shipped plan
(parsed with markdown-it-py, which comes with rich), and escaping of hostile text."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from .conftest import PLAN, Cli

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small-plan"


def parse(markdown: str) -> list:  # type: ignore[type-arg]
    return MarkdownIt("commonmark").enable("table").parse(markdown)


def check_tables(tokens: list) -> int:  # type: ignore[type-arg]
    """Every table row has as many cells as its header; returns the number of tables."""
    tables, width, cells = 0, 0, 0
    for tok in tokens:
        if tok.type == "table_open":
            tables, width = tables + 1, 0
        elif tok.type == "tr_open":
            cells = 0
        elif tok.type in ("th_open", "td_open"):
            cells += 1
        elif tok.type == "tr_close":
            width = width or cells
            assert cells == width, "a row with a different number of cells"
    return tables


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["report", "--as-of", "2019-06-30"], "report-small.md"),
        (["report", "--as-of", "2019-06-30", "--country", "MYS"], "report-small-MYS.md"),
        (["report", "--as-of", "2021-03-31", "--mid-term"], "midterm-small.md"),
    ],
)
def test_small_plan_report_whole_string(
    cli: Cli, small: Path, args: list[str], expected: str
) -> None:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    path = FIXTURES / expected
    if os.environ.get("SAPSMED_UPDATE_CASES"):
        path.write_text(result.stdout)
    assert result.stdout == path.read_text()
    assert cli(*args).stdout == result.stdout  # deterministic


def test_shipped_plan_report_structure(cli: Cli, plan_copy: Path) -> None:
    out = cli("report", "--as-of", "2026-11-28").stdout
    tokens = parse(out)
    headings = [
        (t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"
    ]
    assert headings[0] == ("h1", "SAP SMED 2016-2025: progress report")
    h2 = [text for tag, text in headings if tag == "h2"]
    assert h2 == [
        "Summary",
        "Scorecard",
        "Goal A: Promote Productivity, Technology and Innovation",
        "Goal B: Increase Access to Finance",
        "Goal C: Enhance Market Access and Internationalisation",
        "Goal D: Enhance Policy and Regulatory Environment",
        "Goal E: Promote Entrepreneurship and Human Capital Development",
        "National-level lines by member state",
        "Needs attention",
        "Sources",
    ]
    h4 = [text for tag, text in headings if tag == "h4"]
    assert len(h4) == 10 and h4[5].startswith("KPI-D1 ")
    fences = [t for t in tokens if t.type == "fence"]
    assert [f.info for f in fences].count("mermaid") == len(fences)
    gantts = [f for f in fences if f.content.startswith("gantt")]
    charts = [f for f in fences if f.content.startswith("xychart-beta")]
    assert len(gantts) == 5  # every goal has Appendix C lines
    # the six KPIs with World Bank series, but for R&D: no year in which all of its panel
    # reported, so no regional trend (said in words instead)
    assert len(charts) == 5
    assert (
        out.count(
            "No regional trend: fewer than two years in which every panel country has a reading."
        )
        == 1
    )
    assert [c.content.split("\n")[1] for c in charts][0].startswith(
        '    title "KPI-A1 mean of the panel ('
    )
    # summary, scorecards by goal and country, lines per goal, KPIs with data, the grid of
    # national-level lines, sources
    assert check_tables(tokens) == 2 + 2 + 5 + 6 + 1 + 1
    assert "plan commit" in out or "not in a git repository" in out


def test_report_tables_per_kpi(cli: Cli, plan_copy: Path) -> None:
    out = cli("report", "--goal", "D", "--as-of", "2026-11-28").stdout
    assert (
        "| Lao PDR | 174 (2016) | 173 (2019) | -1 | limited progress (CAGR -0.19%) | "
        "stagnation or regression (CAGR -0.19%) |"
    ) in out
    assert (
        "| ASEAN: panel of 10 of 10 (BRN, IDN, KHM, LAO, MMR, MYS, PHL, SGP, THA, VNM) | "
        "43.18 (2016) | 37.11 (2019) | -6.07 |"
    ) in out


def test_hostile_text_is_escaped(cli: Cli, small: Path) -> None:
    path = small / "goals" / "A.yaml"
    path.write_text(
        path.read_text()
        .replace(
            "title: Best practice guide",
            'title: "Guide | with `code` <script>alert(1)</script> [x](javascript:alert(1)) *b*"',
        )
        .replace("note: Published", 'note: "Done: see #12;\\nnext | step <b>bold</b>"')
    )
    out = cli("report", "--as-of", "2019-06-30").stdout
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out
    tokens = parse(out)
    check_tables(tokens)  # a `|` in a title does not add a column
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert "<script>" not in html and 'href="javascript' not in html
    assert "<code>" not in html  # backticks in user text are inert
    gantt = next(t.content for t in tokens if t.type == "fence" and "gantt" in t.content)
    task = next(line for line in gantt.splitlines() if "A-1-1.1" in line)
    assert task.count(":") == 1 and "<" not in task and "`" not in task


def test_output_file_new_and_spliced(cli: Cli, small: Path, tmp_path: Path) -> None:
    target = tmp_path / "docs" / "progress.md"
    target.parent.mkdir()
    assert cli("report", "--as-of", "2019-06-30", "-o", str(target)).exit_code == 0
    first = target.read_text()
    assert first.startswith("<!-- sapsmed:begin -->\n# Test Plan: progress report\n")
    assert first.endswith("<!-- sapsmed:end -->\n")
    target.write_text("# Our page\n\nIntro kept.\n\n" + first + "\nFooter kept.\n")
    assert cli("report", "--as-of", "2020-06-30", "-o", str(target)).exit_code == 0
    text = target.read_text()
    assert text.startswith("# Our page\n\nIntro kept.\n\n<!-- sapsmed:begin -->\n# Test Plan")
    assert text.endswith("<!-- sapsmed:end -->\n\nFooter kept.\n")
    assert "As of 2020-06-30" in text and "As of 2019-06-30" not in text


def test_output_file_without_markers_is_left_alone(cli: Cli, small: Path, tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("# Notes\n")
    result = cli("report", "-o", str(target))
    assert result.exit_code == 1
    assert "has no <!-- sapsmed:begin --> ... <!-- sapsmed:end --> markers" in result.stderr
    assert target.read_text() == "# Notes\n"


def test_mid_term_on_the_shipped_plan(cli: Cli, plan_copy: Path) -> None:
    out = cli("report", "--mid-term", "--as-of", "2021-09-30").stdout
    tokens = parse(out)
    assert tokens[1].content == (
        "SAP SMED 2016-2025: mid-term review of the phase Post Integration Period (2016-2020)"
    )
    assert "Priority: To seamlessly integrate with the AEC and the regional value chains." in out
    assert "- Action lines due in the phase: 9." in out
    assert (
        "- Completed by the end of the phase (2020-12-31): **0/9 (0.0%)** of the lines due by then."
    ) in out
    assert "- Completed on 2021-09-30: **0/9 (0.0%)** of the lines due by then" in out
    assert "Lines due after the phase (3): A-3-1.1, E-1-1.5, E-2-1.2." in out
    # the lines of the phase goal by goal (A-D: goal E's lines are due later), the KPIs,
    # the sources
    assert check_tables(tokens) == 4 + 1 + 1


def test_unknown_scope(cli: Cli, plan_copy: Path) -> None:
    result = cli("report", "--goal", "Z")
    assert (result.exit_code, result.stderr) == (
        1,
        "sapsmed: no goal 'Z'; goals are A, B, C, D, E\n",
    )


def test_plan_copy_is_real(plan_copy: Path) -> None:
    assert (plan_copy / "plan.yaml").read_bytes() == (PLAN / "plan.yaml").read_bytes()


def test_chart_numbers_are_plain_decimals() -> None:
    """mermaid's xychart reads no exponents (found rendering with mermaid-cli)."""
    from sapsmed.render.markdown import line_chart

    chart = line_chart("t", "y", [2016, 2017, 2018], [52310.54321, 0.0000371, 0.0])
    assert "    line [52310.5432, 0, 0]" in chart
    assert "e+" not in chart and "e-" not in chart


def test_a_country_report_has_no_empty_table_and_only_its_sources(
    cli: Cli, plan_copy: Path
) -> None:
    """The issue: KHM's report printed a KPI-B1 table with a header and no rows, and listed
    other countries' sources."""
    cli(
        "update",
        "B-2-1.2",
        "--status",
        "ongoing",
        "--country",
        "KHM",
        "--date",
        "2019-06-01",
        "--note",
        "pilot in two provinces",
    )
    out = cli("report", "--country", "KHM", "--as-of", "2019-12-31").stdout
    tokens = parse(out)
    for i, token in enumerate(tokens):
        if token.type == "thead_close":
            assert tokens[i + 1].type == "tbody_open", "a table without rows"
    now = cli("report", "--country", "KHM", "--as-of", "2026-11-28").stdout
    assert (
        "| KPI-A2 | R&amp;D expenditure (% of GDP) | insufficient data | insufficient data "
        "| 2015 |" in now
    )  # the latest reading's year, even when it gives no verdict
    b1 = out[out.index("#### KPI-B1") : out.index("\n#", out.index("#### KPI-B1") + 4)]
    assert "No readings yet." in b1 and "|" not in b1
    assert "| B-2-1.2 |" in out and "KHM: pilot in two provinces" in out
    from sapsmed.validate.validation import validate

    plan = validate(plan_copy).plan
    assert plan is not None
    start = next(
        i for i, tok in enumerate(tokens) if tok.type == "inline" and tok.content == "Sources"
    )
    cells = [tok for tok in tokens[start:] if tok.type == "inline"]
    rows = [
        [c.children[0].content if c.children else "" for c in cells[i : i + 4]]
        for i in range(5, len(cells) - 1, 4)
    ]
    listed = {(kpi, source) for kpi, _, source, _ in rows}
    from datetime import date

    day = date(2019, 12, 31)
    expected = {
        (k, r.source) for k in plan.kpis for r in plan.readings_of(k, day) if r.country == "KHM"
    }
    expected |= {
        (k, "no readings")
        for k in plan.kpis
        if not any(r.country == "KHM" for r in plan.readings_of(k, day))
    }
    assert listed == expected


def test_report_lists_budget_personnel_outputs_and_risks(cli: Cli, small: Path) -> None:
    path = small / "goals" / "A.yaml"
    text = path.read_text().replace(
        "            budget: {currency: USD, planned: 1000, spent: 1500}\n",
        "            budget: {currency: USD, planned: 1000, spent: 1500}\n"
        "            personnel: {planned: 12, used: 7.5}\n"
        "            outputs: [{title: Curriculum, quality: good}, {title: Trainers' guide}]\n"
        "            risks: [{description: Funding gap, level: high}]\n",
    )
    path.write_text(text)
    out = cli("report", "--as-of", "2019-06-30").stdout
    assert (
        "| A-1-1.2 | 1,500 of 1,000 USD spent | 7.5 of 12 person-months | Curriculum "
        "(good); Trainers' guide (not rated) | Funding gap (high) |"
    ) in out
    exported = json.loads(cli("export", "--as-of", "2019-06-30").stdout)
    line = next(r for r in exported["lines"] if r["id"] == "A-1-1.2")
    assert line["budget"] == {"currency": "USD", "planned": 1000.0, "spent": 1500.0}
    assert line["personnel"] == {"planned": 12.0, "used": 7.5}
    assert [o["title"] for o in line["outputs"]] == ["Curriculum", "Trainers' guide"]
    assert line["risks"][0]["description"] == "Funding gap"
