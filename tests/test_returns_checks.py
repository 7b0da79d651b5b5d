"""Member-state returns: each row check on its own, and files that are not what they say."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from sapsmed.domain.plan import Plan
from sapsmed.io.returns import COLUMNS, MAX_BYTES, Row, read_return
from sapsmed.validate.validation import validate
from sapsmed.write.returns import Checker, Entry, percent_of, same_update, status_word

from .conftest import PLAN, Cli


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = validate(PLAN).plan
    assert loaded is not None
    return loaded


def check(plan: Plan, of: str = "KHM", **cells: str) -> tuple[Entry | None, list[str]]:
    """One row of a KHM return (as of 2020-12-31), checked on 2021-01-15."""
    letters = {name: chr(65 + i) for i, name in enumerate(COLUMNS)}
    row = Row(7, {"line": "B-2-1.2", "country": "KHM", **cells}, letters, "R.xlsx")
    checker = Checker(plan, date(2021, 1, 15))
    entry = checker.row(row, of, "2020-12-31")
    return entry, checker.errors


def test_a_good_row_becomes_an_update(plan: Plan) -> None:
    entry, errors = check(plan, new_status="On hold", new_percent="30%", note=" x ")
    assert errors == []
    assert entry == Entry(
        "R.xlsx:7",
        "B-2-1.2",
        {"date": "2020-12-31", "status": "on_hold", "percent": 30, "country": "KHM", "note": " x "},
    )


def test_a_regional_line_it_leads_names_no_country(plan: Plan) -> None:
    entry, errors = check(plan, line="D-3-1.1", new_status="completed", date="2020-05-01")
    assert errors == [] and entry is not None
    assert entry.update == {"date": "2020-05-01", "status": "completed", "percent": 100}


def test_a_blank_row_is_no_update_and_no_error(plan: Plan) -> None:
    assert check(plan, title="anything", status="ongoing") == (None, [])


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"line": "B-2-1.4"}, "R.xlsx:7:A: no action line 'B-2-1.4'; did you mean 'B-2-1.3'?"),
        ({"line": "B-2-1.3"}, "R.xlsx:7:A: B-2-1.3 is not a line KHM reports on"),
        ({"country": "phl"}, "R.xlsx:7:D: a return for 'PHL' in the file of KHM"),
        ({"new_status": "", "note": "x"}, "R.xlsx:7:G: no new status (the row has other news)"),
        (
            {"new_status": "ongong"},
            "R.xlsx:7:G: status 'ongong' is not one of not_started, ongoing, completed, on_hold, "
            "cancelled; did you mean 'ongoing'?",
        ),
        ({"new_percent": "-1"}, "R.xlsx:7:H: percent '-1' is not between 0 and 100"),
        ({"new_percent": "100.5"}, "R.xlsx:7:H: percent '100.5' is not between 0 and 100"),
        ({"new_percent": "nan"}, "R.xlsx:7:H: percent 'nan' is not between 0 and 100"),
        ({"new_percent": "forty"}, "R.xlsx:7:H: percent 'forty' is not a number"),
        (
            {"new_status": "completed", "new_percent": "80"},
            "R.xlsx:7:H: a completed line is 100% complete, not 80%",
        ),
        ({"date": "1/6/2020"}, "R.xlsx:7:I: date '1/6/2020' is not a date (YYYY-MM-DD)"),
        ({"date": "20200601"}, "R.xlsx:7:I: date '20200601' is not a date (YYYY-MM-DD)"),
        ({"date": "2020-02-30"}, "R.xlsx:7:I: date '2020-02-30' is not a date (YYYY-MM-DD)"),
        (
            {"date": "2026-01-01"},
            "R.xlsx:7:I: date 2026-01-01 is outside the plan period 2016-2025",
        ),
        ({"date": "2021-01-16"}, "R.xlsx:7:I: date 2021-01-16 is after the as-of date 2021-01-15"),
    ],
)
def test_each_row_check(plan: Plan, cells: dict[str, str], message: str) -> None:
    entry, errors = check(plan, **{"new_status": "ongoing", **cells})
    assert (entry, errors) == (None, [message])


def test_the_same_line_and_date_twice_is_refused(plan: Plan) -> None:
    checker = Checker(plan, date(2021, 1, 15))
    letters = {name: chr(65 + i) for i, name in enumerate(COLUMNS)}
    cells = {"line": "B-2-1.2", "new_status": "ongoing", "date": "2020-03-01"}
    assert checker.row(Row(2, cells, letters, "a.csv"), "KHM", None) is not None
    assert checker.row(Row(5, cells, letters, "b.csv"), "KHM", None) is None
    assert checker.errors == ["b.csv:5:A: B-2-1.2 on 2020-03-01 again (first at a.csv:2)"]


def test_values_as_typed() -> None:
    assert status_word(" Not started ") == "not_started"
    assert percent_of("") is None and percent_of("40.0") == 40 and percent_of("12.5") == 12.5
    assert percent_of("12,5") == 12.5 and percent_of(" 40 % ") == 40
    assert same_update(
        {"date": "d", "status": "s", "percent": 40}, {"date": "d", "status": "s", "percent": 40.0}
    )
    assert not same_update({"date": "d", "status": "s"}, {"date": "d", "status": "s", "note": "n"})


def test_a_csv_from_excel_in_a_semicolon_locale(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    text = "# country: khm\r\n# as_of: 2020-12-31\r\nline;country;new_status;note\r\n"
    text += 'B-2-1.2;KHM;ongoing;"a;b\r\nc\x07\u202e"\r\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    found = read_return(path)
    assert (found.country, found.as_of, found.errors) == ("KHM", "2020-12-31", [])
    [row] = found.rows
    assert row.number == 4 and row.where("note") == f"{path}:4:4"
    assert row.get("note") == "a;b\r\nc\x07\u202e"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.xlsx", b"line,new_status\n", "not an Excel workbook (.xlsx) that can be read"),
        ("empty.xlsx", b"", "not an Excel workbook (.xlsx) that can be read (not a zip file)"),
        ("r.csv", b"line,new_status\n\xff\xfe", "not UTF-8 text (byte 17); save it as CSV UTF-8"),
        ("r.csv", b"line,new_status\n\0", "not a CSV file (it holds NUL bytes)"),
        ("r.csv", b"a,b\n", "the header row lacks the column(s) line, new_status"),
        ("r.txt", b"x", "not a return: the name must end in .csv or .xlsx"),
    ],
)
def test_a_file_that_is_not_a_return(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    [error] = read_return(path).errors
    assert error.startswith(str(path)) and message in error


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES + 1)
    assert read_return(path).errors == [f"{path}: larger than 8 MiB: not a return"]


def test_the_cli_says_what_is_wrong_with_the_files(cli: Cli, plan_copy: Path) -> None:
    Path("fake.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    Path("none.csv").write_text("line,new_status\nB-2-1.2,ongoing\n")
    os.mkfifo("pipe.csv")
    result = cli("returns", "import", "fake.xlsx", "none.csv", "pipe.csv", "--as-of", "2021-01-15")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "fake.xlsx: not an Excel workbook (.xlsx) that can be read (not a zip file)",
        "none.csv: the file does not say which member state it is from (a '# country: ISO3' "
        "line, or Country on the Instructions sheet)",
        "pipe.csv: not a regular file but a FIFO; only regular files are read",
        "sapsmed: 3 errors in the returns; nothing was written",
    ]


def test_notes_are_data_whatever_they_hold(cli: Cli, plan_copy: Path) -> None:
    made = cli("returns", "template", "--country", "KHM", "--as-of", "2020-12-31", "-o", "K.csv")
    assert made.exit_code == 0, made.stderr
    note = "=cmd|' /C calc'!A0 \x07\x1b[2J \u202eevil\u202c \u2028next"
    text = Path("K.csv").read_bytes().decode("utf-8")
    text = text.replace(
        "D-3-1.1,Dissemination", 'D-3-1.1,x,2016,KHM,,,completed,,2020-05-01,"' + note + '"\r\nX,'
    )
    Path("K.csv").write_bytes(text.encode("utf-8"))
    done = cli("returns", "import", "K.csv", "--as-of", "2021-01-15")
    assert done.exit_code == 0, done.stderr
    assert "\x1b" not in done.stdout and "\\e[2J" in done.stdout
    assert cli("validate").exit_code == 0
    shown = cli("show", "D-3-1.1", "--json", "--as-of", "2021-01-15")
    assert json.loads(shown.stdout)["updates"][-1]["note"] == note


def test_excels_separator_line(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("sep=;\n# country: KHM\nline;new_status;new_percent\nB-2-1.2;ongoing;12,5\n")
    found = read_return(path)
    assert found.errors == [] and found.country == "KHM"
    assert [(r.number, r.cells) for r in found.rows] == [
        (4, {"line": "B-2-1.2", "new_status": "ongoing", "new_percent": "12,5"})
    ]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<" * (65 << 20))
    assert path.stat().st_size < 1 << 20
    assert read_return(path).errors == [f"{path}: unpacks to more than 64 MiB: not a return"]


def test_a_state_that_joined_later_reports_on_the_lines_due_since(
    cli: Cli, plan_copy: Path
) -> None:
    from .test_membership import add_member, due_2025

    add_member(plan_copy)  # TLS, joined 2025-10-26
    due_2025(plan_copy)  # B-2-1.2, national, now due in 2025
    made = cli("returns", "template", "--country", "TLS", "--as-of", "2025-12-31", "-o", "T.csv")
    assert made.stdout == "wrote T.csv: 1 line for TLS\n"
    text = Path("T.csv").read_bytes().decode("utf-8")
    assert "\r\nB-2-1.2," in text and "\r\nA-3-1.1," not in text
    text += "A-3-1.1,,,TLS,,,ongoing,,2025-11-01,,,\r\n"
    text = text.replace(",TLS,not_started,,,", ",TLS,not_started,,ongoing,")
    Path("T.csv").write_bytes(text.encode("utf-8"))
    refused = cli("returns", "import", "T.csv", "--as-of", "2025-12-31")
    assert refused.stderr.splitlines() == [
        "T.csv:19:1: A-3-1.1 is not a line TLS reports on",
        "sapsmed: 1 error in the returns; nothing was written",
    ]


def test_plan_text_in_a_template_is_never_a_formula(cli: Cli, plan_copy: Path) -> None:
    import zipfile

    from openpyxl import load_workbook

    goal = plan_copy / "goals" / "B.yaml"
    title = "title: Developing micro financing programmes for micro enterprises"
    hostile = 'title: "=HYPERLINK(\\"http://x\\")\\a\\e[2J\\u202e\\L"'
    goal.write_text(goal.read_text().replace(title, hostile))
    for name in ("K.xlsx", "K.csv"):
        made = cli("returns", "template", "--country", "KHM", "--as-of", "2020-12-31", "-o", name)
        assert made.exit_code == 0, made.stderr
    cell = load_workbook("K.xlsx")["Return"]["B4"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")\\x07\\e[2J\\u202e\\u2028', "s")
    with zipfile.ZipFile("K.xlsx") as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    row = next(r for r in Path("K.csv").read_text().splitlines() if r.startswith("B-2-1.2"))
    assert row.startswith('B-2-1.2,"\'=HYPERLINK(""http://x"")\\x07\\e[2J\\u202e\\u2028",')


def test_a_renamed_or_repeated_column_is_refused_not_read_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    header = ",".join("notes" if c == "note" else c for c in COLUMNS)
    path.write_text(f"{header}\nB-2-1.2\n")
    [error] = read_return(path).errors
    assert "the header row has column(s) a return does not have: 'notes'" in error
    path.write_text(",".join([*COLUMNS, "note"]) + "\n")
    [error] = read_return(path).errors
    assert "the header row has column(s) twice: note" in error


def workbook_bytes(rows: list[list[object]], percent_format: bool = False) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Return"
    sheet.append(list(COLUMNS))
    for cells in rows:
        sheet.append(cells)
    if percent_format:
        for cell in sheet[f"{'ABCDEFGHIJKL'[COLUMNS.index('new_percent')]}"][1:]:
            cell.number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_cell_shown_as_a_percent_is_read_as_the_percent(tmp_path: Path) -> None:
    cells: list[object] = [""] * len(COLUMNS)
    cells[COLUMNS.index("line")] = "B-2-1.2"
    cells[COLUMNS.index("new_status")] = "ongoing"
    cells[COLUMNS.index("new_percent")] = 0.5  # what Excel stores for 50%
    path = tmp_path / "r.xlsx"
    path.write_bytes(workbook_bytes([cells], percent_format=True))
    [found] = read_return(path).rows
    assert found.cells["new_percent"] == "50"


def test_a_stale_dimension_hides_no_row(tmp_path: Path) -> None:
    import io
    import zipfile

    rows: list[list[object]] = []
    for n in range(1, 6):
        cells: list[object] = [""] * len(COLUMNS)
        cells[COLUMNS.index("line")] = f"B-2-1.{n}"
        cells[COLUMNS.index("note")] = f"note {n}"
        rows.append(cells)
    data = workbook_bytes(rows)
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index('<dimension ref="')
                end = text.index('"', start + 16)
                content = (text[:start] + '<dimension ref="A1:C3' + text[end:]).encode()
            target.writestr(item, content)
    path = tmp_path / "r.xlsx"
    path.write_bytes(out.getvalue())
    found = read_return(path).rows
    assert [r.cells["note"] for r in found] == [f"note {n}" for n in range(1, 6)]


def test_plan_text_on_a_csv_template_s_comment_lines_is_one_inert_cell() -> None:
    from sapsmed.io.returns import comment_text

    assert comment_text("SME Plan,=cmd|'/c calc'!A1,\"2016;2025\u2028x") == (
        "SME Plan =cmd|'/c calc'!A1 '2016 2025\\u2028x"
    )


def test_a_return_dated_before_the_state_joined_is_refused(plan: Plan) -> None:
    import copy

    plan = copy.deepcopy(plan)  # the fixture is shared by the module
    plan.countries["KHM"]["joined"] = "2020-06-01"  # a member when B-2-1.2 falls due
    entry, errors = check(plan, new_status="ongoing", date="2020-03-01")
    assert entry is None
    assert errors == [
        "R.xlsx:7:I: KHM was not a member state on 2020-03-01 (joined 2020-06-01, left -)"
    ]
    entry, errors = check(plan, new_status="ongoing", date="2020-07-01")
    assert entry is not None and errors == []


def test_an_import_as_of_a_day_to_come_is_a_usage_error(cli: Cli, plan_copy: Path) -> None:
    example = Path(__file__).parent.parent / "data" / "examples" / "returns" / "KHM-2020.csv"
    result = cli("returns", "import", str(example), "--as-of", "2999-01-01")
    assert result.exit_code == 2
    assert "--as-of 2999-01-01 is after today" in result.stderr
