"""Member-state returns: a whole reporting round through the real CLI, on real files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from .conftest import Cli

AS_OF = "2021-01-15"


def goal_bytes(plan: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((plan / "goals").glob("*.yaml"))}


def fill_csv(path: Path, news: dict[str, list[str]]) -> None:
    """Fill a CSV return: for each line id, the cells new_status..source."""
    lines = path.read_bytes().decode("utf-8").splitlines(keepends=True)
    out = []
    for line in lines:
        first = line.split(",", 1)[0]
        if first in news:
            cells = next(csv.reader([line]))
            cells[6 : 6 + len(news[first])] = news[first]
            text = io.StringIO()
            csv.writer(text, lineterminator="\r\n").writerow(cells)
            line = text.getvalue()
        out.append(line)
    path.write_text("".join(out), encoding="utf-8", newline="")


def fill_xlsx(
    path: Path, news: dict[str, list[object]], extra: Sequence[list[object]] = ()
) -> None:
    """Fill an XLSX return with openpyxl, as a ministry's spreadsheet would."""
    book = load_workbook(path)
    sheet = book["Return"]
    for row in sheet.iter_rows(min_row=2):
        values = news.get(str(row[0].value))
        if values is not None:
            for cell, value in zip(row[6:], values, strict=False):
                cell.value = value  # type: ignore[assignment]
    for cells in extra:
        sheet.append(cells)
    book.save(path)


def test_template_rows_are_the_lines_a_country_reports_on(cli: Cli, plan_copy: Path) -> None:
    result = cli("returns", "template", "--country", "lao", "--as-of", "2020-12-31", "-o", "L.csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "wrote L.csv: 4 lines for LAO\n"
    text = Path("L.csv").read_bytes().decode("utf-8")
    assert text.startswith("# country: LAO\r\n# as_of: 2020-12-31\r\n# plan: ")
    rows = list(csv.reader(line for line in text.splitlines() if not line.startswith("#")))
    assert rows[0][:6] == ["line", "title", "due_year", "country", "status", "percent"]
    assert [r[0] for r in rows[1:]] == ["A-2-2.1", "A-3-1.1", "B-2-1.2", "B-2-1.3"]
    again = cli("returns", "template", "--country", "LAO", "--as-of", "2020-12-31", "-o", "L.csv")
    assert again.exit_code == 1
    assert again.stderr == "sapsmed: L.csv exists; use --force to replace it\n"
    forced = cli(
        "returns", "template", "--country", "LAO", "--as-of", "2020-12-31", "-o", "L.csv", "--force"
    )
    assert forced.exit_code == 0, forced.stderr
    unknown = cli("returns", "template", "--country", "XYZ", "-o", "X.csv")
    assert unknown.exit_code == 1 and not Path("X.csv").exists()


def test_the_xlsx_template_has_its_checks_and_instructions(cli: Cli, plan_copy: Path) -> None:
    result = cli("returns", "template", "--country", "MYS", "--as-of", "2020-12-31", "-o", "M.xlsx")
    assert result.exit_code == 0, result.stderr
    book = load_workbook("M.xlsx")
    assert book.sheetnames == ["Return", "Instructions"]
    sheet = book["Return"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    kinds = {v.type: (str(v.sqref), v.formula1) for v in sheet.data_validations.dataValidation}
    assert kinds["list"] == ("G2:G5", '"not_started,ongoing,completed,on_hold,cancelled"')
    assert kinds["decimal"] == ("H2:H5", "0")
    info = {row[0]: row[1] for row in book["Instructions"].iter_rows(values_only=True)}
    assert info["Country"] == "MYS" and info["As of"] == "2020-12-31"
    assert info["Plan"] == "ASEAN Strategic Action Plan for SME Development 2016-2025"


def test_a_whole_reporting_round(cli: Cli, plan_copy: Path) -> None:
    for code, name in (("KHM", "KHM.csv"), ("MYS", "MYS.xlsx"), ("LAO", "LAO.xlsx")):
        made = cli("returns", "template", "--country", code, "--as-of", "2020-12-31", "-o", name)
        assert made.exit_code == 0, made.stderr
    fill_csv(
        Path("KHM.csv"),
        {
            "B-2-1.2": ["ongoing", "40", "2020-06-01", 'Pilot in 3 provinces, "MFI" led'],
            "D-3-1.1": ["completed", "", "2020-11-01", "", "MoEF", "Circular 12/2020"],
        },
    )
    fill_xlsx(
        Path("MYS.xlsx"),
        {
            "B-2-1.2": [
                "completed",
                None,
                date(2020, 9, 30),  # a date cell, as Excel makes one
                '=HYPERLINK("http://x.example","see")',
            ],
            "B-2-1.3": ["Ongoing", 75, None, "Portal live\u2028with 5 banks"],
        },
    )
    fill_xlsx(
        Path("LAO.xlsx"),
        {
            "A-2-2.1": ["done", 120, "2021-02-01"],
            "B-2-1.2": ["ongoing", "abc", "2020-13-01"],
            "B-2-1.3": ["on_hold", 10, "2020-10-01"],
        },
        extra=[
            ["B-2-1.9", None, None, "LAO", None, None, "ongoing"],
            ["B-2-1.3", None, None, "PHL", None, None, "on_hold", 10, "2020-10-01"],
            ["C-1-1.2", None, None, "LAO", None, None, "ongoing", None, "2015-12-31"],
        ],
    )
    before = goal_bytes(plan_copy)
    refused = cli("returns", "import", "KHM.csv", "MYS.xlsx", "LAO.xlsx", "--as-of", AS_OF)
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "LAO.xlsx:2:G: status 'done' is not one of not_started, ongoing, completed, on_hold, "
        "cancelled",
        "LAO.xlsx:2:H: percent '120' is not between 0 and 100",
        "LAO.xlsx:2:I: date 2021-02-01 is after the as-of date 2021-01-15",
        "LAO.xlsx:4:H: percent 'abc' is not a number",
        "LAO.xlsx:4:I: date '2020-13-01' is not a date (YYYY-MM-DD)",
        "LAO.xlsx:6:A: no action line 'B-2-1.9'; did you mean 'B-2-1.3'?",
        "LAO.xlsx:7:D: a return for 'PHL' in the file of LAO",
        "LAO.xlsx:8:A: C-1-1.2 is not a line LAO reports on",
        "LAO.xlsx:8:I: date 2015-12-31 is outside the plan period 2016-2025",
        "sapsmed: 9 errors in the returns; nothing was written",
    ]
    assert goal_bytes(plan_copy) == before

    # corrected: a duplicate of row 5 is still refused
    fill_xlsx(
        Path("LAO.xlsx"),
        {"A-2-2.1": ["completed", None, "2020-12-01"], "B-2-1.2": ["ongoing", 50, "2020-12-01"]},
    )
    book = load_workbook("LAO.xlsx")
    book["Return"].delete_rows(6, 3)
    book["Return"].append(["B-2-1.3", None, None, "LAO", None, None, "on_hold", 10, "2020-10-01"])
    book.save("LAO.xlsx")
    twice = cli("returns", "import", "KHM.csv", "MYS.xlsx", "LAO.xlsx", "--as-of", AS_OF)
    assert twice.stderr.splitlines() == [
        "LAO.xlsx:6:A: B-2-1.3 on 2020-10-01 again (first at LAO.xlsx:5)",
        "sapsmed: 1 error in the returns; nothing was written",
    ]
    book = load_workbook("LAO.xlsx")
    book["Return"].delete_rows(6)
    book.save("LAO.xlsx")

    dry = cli("returns", "import", "KHM.csv", "MYS.xlsx", "LAO.xlsx", "--as-of", AS_OF, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert (
        "+++ plan/goals/B.yaml" in dry.stdout and "+                status: on_hold" in dry.stdout
    )
    assert dry.stdout.endswith(
        "7 to record, 0 already recorded, 6 blank rows skipped; dry run, nothing written\n"
    )
    assert goal_bytes(plan_copy) == before

    done = cli("returns", "import", "KHM.csv", "MYS.xlsx", "LAO.xlsx", "--as-of", AS_OF)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.splitlines() == [
        "recorded B-2-1.2 date: 2020-06-01, status: ongoing, percent: 40, country: KHM, "
        'note: Pilot in 3 provinces, "MFI" led (KHM.csv:20)',
        "recorded D-3-1.1 date: 2020-11-01, status: completed, percent: 100, by: MoEF, "
        "source: Circular 12/2020 (KHM.csv:22)",
        "recorded B-2-1.2 date: 2020-09-30, status: completed, percent: 100, country: MYS, "
        'note: =HYPERLINK("http://x.example","see") (MYS.xlsx:4)',
        "recorded B-2-1.3 date: 2020-12-31, status: ongoing, percent: 75, "
        "note: Portal live\\u2028with 5 banks (MYS.xlsx:5)",
        "recorded A-2-2.1 date: 2020-12-01, status: completed, percent: 100, country: LAO "
        "(LAO.xlsx:2)",
        "recorded B-2-1.2 date: 2020-12-01, status: ongoing, percent: 50, country: LAO "
        "(LAO.xlsx:4)",
        "recorded B-2-1.3 date: 2020-10-01, status: on_hold, percent: 10 (LAO.xlsx:5)",
        "7 recorded, 0 already recorded, 6 blank rows skipped",
    ]
    after = goal_bytes(plan_copy)
    assert after != before
    assert '"=HYPERLINK(\\"http://x.example\\",\\"see\\")"' in after["B.yaml"].decode()
    assert '"Portal live\\Lwith 5 banks"' in after["B.yaml"].decode()
    assert cli("validate").exit_code == 0

    status = cli("status", "--country", "LAO", "--as-of", AS_OF, "--json")
    rows = {r["id"]: r for r in json.loads(status.stdout)["lines"]}
    assert (rows["A-2-2.1"]["status"], rows["A-2-2.1"]["percent"]) == ("completed", 100.0)
    assert (rows["B-2-1.2"]["status"], rows["B-2-1.2"]["percent"]) == ("ongoing", 50.0)
    assert rows["B-2-1.3"]["status"] == "ongoing"  # MYS's update of 2020-12-31 is the latest
    card = cli("scorecard", "--by", "country", "--json", "--as-of", AS_OF)
    groups = {g["group"]: g for g in json.loads(card.stdout)["groups"]}
    assert groups["KHM"]["completed"] == 1 and groups["MYS"]["completed"] == 1
    assert groups["LAO"]["completed"] == 1
    grid = json.loads(cli("grid", "--json", "--as-of", AS_OF).stdout)
    b212 = next(line for line in grid["lines"] if line["id"] == "B-2-1.2")["countries"]
    assert b212["MYS"] == {"required": True, "status": "completed", "percent": 100.0}
    assert b212["LAO"] == {"required": True, "status": "ongoing", "percent": 50.0}
    report = cli("report", "--as-of", AS_OF)
    assert report.exit_code == 0, report.stderr
    assert "Portal live" in report.stdout
    section = report.stdout.split("## National-level lines by member state")[1]
    row = next(r for r in section.splitlines() if r.startswith("| B-2-1.2 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    codes = [c["id"] for c in grid["countries"]]
    assert (cells[2 + codes.index("MYS")], cells[2 + codes.index("LAO")]) == (
        "completed",
        "ongoing 50%",
    )

    again = cli("returns", "import", "KHM.csv", "MYS.xlsx", "LAO.xlsx", "--as-of", AS_OF)
    assert again.exit_code == 0, again.stderr
    assert again.stdout.splitlines()[-1] == "0 recorded, 7 already recorded, 6 blank rows skipped"
    assert again.stdout.startswith("already recorded B-2-1.2 2020-06-01 KHM (KHM.csv:20)\n")
    assert goal_bytes(plan_copy) == after
