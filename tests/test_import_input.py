"""What `kpi import` reads: only regular files, streamed; every malformed value reported with
its file and line (CSV) or JSON path; nothing written when anything is wrong; --vintage.

Real World Bank files from data/wdi, and small damaged copies of them written in tmp_path, all
through the real CLI."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sapsmed.io import wdi

from .conftest import Cli, wdi_file

DAYS = "API_IC.REG.DURS_ASEAN.csv"  # vintage 2019-10-28; header on line 5, MYS on line 11
COST = "API_IC.REG.COST.PC.ZS_ASEAN.csv"  # an empty "Last Updated Date"
FULL_RD = "full-downloads/API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv"
THIS_YEAR = date.today().year
NOTHING = "error in the files; nothing was imported\n"


def folder_bytes(plan: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(plan.rglob("*")) if p.is_file()}


def refused(cli: Cli, plan: Path, *args: str) -> str:
    """Run an import that must be refused (exit 1, no byte of the plan changed): its stderr."""
    before = folder_bytes(plan)
    result = cli("kpi", "import", *args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert folder_bytes(plan) == before
    return str(result.stderr)


def days_with(
    tmp_path: Path,
    changes: dict[tuple[int, str], str],
    extra: list[str] | None = None,
    target: str = DAYS,
) -> Path:
    """The real IC.REG.DURS extract with cells changed: {(line, column name): text}, and
    ``extra`` lines at its end; the BOM, CRLF, quoting and trailing commas are kept."""
    lines = days_lines()
    header = next(csv.reader([lines[4]]))
    for (line, column), text in changes.items():
        row = next(csv.reader([lines[line - 1]]))
        row[header.index(column)] = text
        lines[line - 1] = ",".join('"' + c.replace('"', '""') + '"' for c in row[:-1]) + ","
    if extra:
        lines[-1:-1] = extra
    path = tmp_path / target
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    return path


def days_lines() -> list[str]:
    return wdi_file(DAYS).read_bytes().decode("utf-8-sig").split("\r\n")


def replaced(path: Path, old: str, new: str) -> None:
    path.write_bytes(path.read_bytes().replace(old.encode(), new.encode()))


# --- real files ------------------------------------------------------------------------------


def test_real_files_import_as_before(cli: Cli, plan_copy: Path) -> None:
    before = folder_bytes(plan_copy)
    result = cli("kpi", "import", str(wdi_file(FULL_RD)), str(wdi_file(DAYS)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "skipped  14744 (empty cell or '..')\n"
        "skipped  3081 (not a member state (aggregate or other country)): AFE, AFW, AGO, ALB, "
        "AND, ARB, ARE, ARG, ...\n"
        "added 0, changed 0, unchanged 265\n"
    )
    assert folder_bytes(plan_copy) == before


def test_only_the_plans_values_are_kept(tmp_path: Path) -> None:
    """Aggregates and other series are counted as the file is read, never kept."""
    keep = wdi.Wanted(frozenset({"GB.XPD.RSDV.GD.ZS"}), frozenset({"MYS", "SGP"}))
    download = wdi.read(wdi_file(FULL_RD), keep)
    assert download.errors == []
    assert {o.country for o in download.observations} == {"MYS", "SGP"}
    assert download.other_countries.count == 3081 + 117 - len(download.observations)
    assert len(download.other_countries.examples) == 9  # the first few, not all 250 codes
    other = wdi.read(wdi_file(FULL_RD), wdi.Wanted(frozenset({"IC.REG.DURS"}), frozenset({"MYS"})))
    assert other.observations == [] and other.other_series.examples == {"GB.XPD.RSDV.GD.ZS"}


# --- --vintage -------------------------------------------------------------------------------


def test_vintage_for_a_file_that_carries_none(cli: Cli, plan_copy: Path) -> None:
    (plan_copy / "readings" / "KPI-D2.yaml").unlink()
    result = cli("kpi", "import", "--vintage", "2020-01-15", str(wdi_file(COST)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "added 95, changed 0, unchanged 0; wrote KPI-D2.yaml"
    text = (plan_copy / "readings" / "KPI-D2.yaml").read_text()
    assert "    vintage: 2020-01-15\n    readings:\n" in text


def test_vintage_that_contradicts_the_file(cli: Cli, plan_copy: Path) -> None:
    path = wdi_file(DAYS)
    assert refused(cli, plan_copy, "--vintage", "2020-01-01", str(path)) == (
        f"sapsmed: {path}: the file's vintage is 2019-10-28, not 2020-01-01 as --vintage says "
        "(--vintage is only for files that carry none)\n1 " + NOTHING
    )
    same = cli("kpi", "import", "--vintage", "2019-10-28", str(path))
    assert same.exit_code == 0
    assert same.stdout.splitlines()[-1] == "added 0, changed 0, unchanged 148"


def test_vintage_must_be_a_date(cli: Cli, plan_copy: Path) -> None:
    result = cli("kpi", "import", "--vintage", "28/10/2019", str(wdi_file(DAYS)))
    assert result.exit_code == 2
    assert "'28/10/2019' is not a date in the form YYYY-MM-DD" in result.stderr


# --- only regular files ----------------------------------------------------------------------


def test_a_fifo_is_refused_at_once(plan_copy: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "download.csv"
    os.mkfifo(fifo)
    before = folder_bytes(plan_copy)
    done = subprocess.run(
        [sys.executable, "-m", "sapsmed", "--plan", str(plan_copy), "kpi", "import", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )  # no writer: would block
    assert done.returncode == 1
    assert done.stderr == (
        f"sapsmed: {fifo}: not a regular file but a FIFO; only regular files are read\n1 " + NOTHING
    )
    assert folder_bytes(plan_copy) == before


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("/dev/zero", "a character device"),
        ("/dev/null", "a character device"),
        (".", "a directory"),
    ],
)
def test_devices_and_directories_are_refused(
    cli: Cli, plan_copy: Path, name: str, kind: str
) -> None:
    assert refused(cli, plan_copy, name) == (
        f"sapsmed: {name}: not a regular file but {kind}; only regular files are read\n1 " + NOTHING
    )


def test_a_missing_file(cli: Cli, plan_copy: Path) -> None:
    assert (
        refused(cli, plan_copy, "nowhere.csv") == "sapsmed: nowhere.csv: no such file\n1 " + NOTHING
    )


def test_every_file_is_checked_before_anything_is_written(
    cli: Cli, plan_copy: Path, tmp_path: Path
) -> None:
    """A good file that would change values, and two bad ones: all errors, nothing written."""
    good = days_with(tmp_path, {(11, "2019"): "19"}, target="good.csv")
    replaced(good, "2019-10-28", "2020-05-01")
    bad = days_with(tmp_path, {(11, "2018"): "n/a"})
    assert refused(cli, plan_copy, str(good), "/dev/zero", str(bad)) == (
        "sapsmed: /dev/zero: not a regular file but a character device; only regular files "
        f"are read\n{bad}:11: IC.REG.DURS MYS 2018: 'n/a' is not a number\n"
        f"{bad}: IC.REG.DURS MYS 2019 is 17.5 here but 19 in {good}; import one of them\n"
        "3 errors in the files; nothing was imported\n"
    )
    assert cli("kpi", "import", str(good)).stdout.splitlines()[-1].startswith("added 0, changed 1")


# --- malformed values in CSV ------------------------------------------------------------------


BAD_CELLS = [
    ("abc", "'abc' is not a number"),
    ("1,234", "'1,234' is not a number"),
    ("true", "'true' is not a number"),
    ("12 days", "'12 days' is not a number"),
    ("١٢", "'١٢' is not a number"),  # digits float() would take
    ("1_000", "'1_000' is not a number"),
    ("0x1F", "'0x1F' is not a number"),
    ("NaN", "'NaN' is not a finite number"),
    ("-inf", "'-inf' is not a finite number"),
    ("Infinity", "'Infinity' is not a finite number"),
    ("1e15", "'1e15' is too large (magnitude 1e15 or more)"),
    ("-2.5e300", "'-2.5e300' is too large (magnitude 1e15 or more)"),
    ("1e999", "'1e999' is too large (magnitude 1e15 or more)"),
    (
        "1234567890.12345678901",
        "'1234567890.12345678901' has 21 significant digits (at most 20)",
    ),
    (
        "9" * 5000,
        "'999999999999999999999999'... (5000 characters) has 5000 significant digits (at most 20)",
    ),
    (
        "1" + "0" * 4999,
        "'100000000000000000000000'... (5000 characters) has 5000 significant digits (at most 20)",
    ),
]


def test_every_malformed_cell_is_named_with_its_line(
    cli: Cli, plan_copy: Path, tmp_path: Path
) -> None:
    """One bad cell a year from 1960 in Malaysia's row (line 11): all are reported."""
    years = range(1960, 1960 + len(BAD_CELLS))
    path = days_with(
        tmp_path, {(11, str(y)): cell for y, (cell, _) in zip(years, BAD_CELLS, strict=True)}
    )
    assert (
        refused(cli, plan_copy, str(path))
        == "sapsmed: "
        + "".join(
            f"{path}:11: IC.REG.DURS MYS {y}: {message}\n"
            for y, (_, message) in zip(years, BAD_CELLS, strict=True)
        )
        + f"{len(BAD_CELLS)} errors in the files; nothing was imported\n"
    )


@pytest.mark.parametrize("cell", ["", "..", " .. ", "  "])
def test_empty_and_dots_mean_missing(cli: Cli, plan_copy: Path, tmp_path: Path, cell: str) -> None:
    path = days_with(tmp_path, {(11, "2019"): cell})
    result = cli("kpi", "import", "--dry-run", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "skipped  453 (empty cell or '..')\n"
        "would add 0, would change 0, unchanged 147; dry run: nothing "
        "written\n"
    )


def test_numbers_in_every_plain_form_are_read(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    path = days_with(
        tmp_path,
        {
            (11, "2019"): " +17.50 ",
            (11, "2018"): "1.35e1",
            (11, "2009"): "18.5e0",
            (11, "2011"): "8.50",
            (11, "2016"): "23.50000000000000000",
        },
    )
    result = cli("kpi", "import", "--dry-run", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("would add 0, would change 0, unchanged")


def test_a_year_column_outside_1900_to_this_year(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    path = days_with(tmp_path, {(5, "1960"): "1899", (5, "1961"): "2999", (5, "1962"): "196"})
    assert refused(cli, plan_copy, str(path)) == (
        f"sapsmed: {path}:5: column 5: year 1899 is outside 1900-{THIS_YEAR}\n"
        f"{path}:5: column 6: year 2999 is outside 1900-{THIS_YEAR}\n"
        f"{path}:5: column 7: '196' is not a 4-digit year\n3 errors in the files; nothing was "
        "imported\n"
    )


def test_the_as_of_year_is_a_parameter() -> None:
    download = wdi.read(wdi_file(DAYS), as_of_year=2018)
    assert download.errors == [f"{wdi_file(DAYS)}:5: column 64: year 2019 is outside 1900-2018"]
    assert wdi.read(wdi_file(DAYS)).errors == []


@pytest.mark.parametrize("text", ["2019-13-45", "28 October 2019", "2019-10-28T00:00"])
def test_a_bad_last_updated_date(cli: Cli, plan_copy: Path, tmp_path: Path, text: str) -> None:
    path = days_with(tmp_path, {})
    replaced(path, "2019-10-28", text)
    assert refused(cli, plan_copy, str(path)) == (
        f"sapsmed: {path}:3: cannot read the last-updated date {text!r} (expected YYYY-MM-DD "
        "or MM/DD/YYYY)\n1 " + NOTHING
    )


def test_a_cell_beyond_the_csv_field_limit(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    path = days_with(tmp_path, {(11, "2019"): "7" * 200_000, (13, "2019"): "x"})
    assert refused(cli, plan_copy, str(path)) == (
        f"sapsmed: {path}:11: not valid CSV: field larger than field limit (131072)\n"
        f"{path}:13: IC.REG.DURS SGP 2019: 'x' is not a number\n2 errors in the files; "
        "nothing was imported\n"
    )


def test_a_line_beyond_a_mebibyte(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    path = days_with(tmp_path, {(11, "2019"): ",".join(["7" * 100_000] * 12)})
    assert refused(cli, plan_copy, str(path)) == (
        f"sapsmed: {path}:11: a line longer than 1048576 characters\n1 " + NOTHING
    )


def test_short_rows_and_stray_cells(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    path = days_with(
        tmp_path,
        {},
        extra=[
            '"Nowhere","XXX"',
            '"Malaysia","MYS","Time","IC.REG.DURS",' + '"",' * 61 + '"1","2"',
        ],
    )
    assert refused(cli, plan_copy, str(path)) == (
        f"sapsmed: {path}:16: a row without its country code and indicator code (columns 2 "
        f"and 4)\n{path}:17: 67 cells, more than the header's 65\n2 errors in the files; "
        "nothing was imported\n"
    )


def test_not_utf8_is_named_with_its_line(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    path = days_with(tmp_path, {})
    data = path.read_bytes().replace(b'"Malaysia"', b'"Malays\xeda"')
    path.write_bytes(data)
    assert refused(cli, plan_copy, str(path)) == (
        f"sapsmed: {path}:11: not UTF-8 text (character 8)\n1 " + NOTHING
    )


def test_errors_are_capped_at_fifty_with_a_count(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    path = days_with(
        tmp_path, {(line, str(year)): "?" for line in (6, 7) for year in range(1960, 1990)}
    )
    lines = refused(cli, plan_copy, str(path)).splitlines()
    assert len(lines) == 52
    assert lines[0] == f"sapsmed: {path}:6: IC.REG.DURS BRN 1960: '?' is not a number"
    assert lines[49] == f"{path}:7: IC.REG.DURS IDN 1979: '?' is not a number"
    assert lines[50:] == ["... and 10 more", "60 errors in the files; nothing was imported"]


# --- the same value twice ---------------------------------------------------------------------


def test_the_same_key_twice_with_another_value(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    lines = days_lines()
    assert lines[10].endswith('"13.5","17.5",')
    again = lines[10].removesuffix('"17.5",') + '"19",'
    path = days_with(tmp_path, {}, extra=[again])
    assert refused(cli, plan_copy, str(path)) == (
        f"sapsmed: {path}:16: IC.REG.DURS MYS 2019 is '19' here but '17.5' on line 11\n1 " + NOTHING
    )


def test_the_same_key_twice_with_the_same_value(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    lines = days_lines()
    path = days_with(tmp_path, {}, extra=[lines[10].removesuffix('"17.5",') + '"17.50",'])
    result = cli("kpi", "import", "--dry-run", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "would add 0, would change 0, unchanged 148; dry run: nothing written"
    )


# --- the API JSON ---------------------------------------------------------------------------

META = {
    "page": 1,
    "pages": 1,
    "per_page": 50,
    "total": 3,
    "sourceid": "2",
    "lastupdated": "2019-10-28",
}


def api_row(
    value: object = 17.5,
    year: object = "2019",
    country: object = "MYS",
    code: object = "IC.REG.DURS",
) -> dict[str, object]:
    return {
        "indicator": {"id": code, "value": "Time required to start a business (days)"},
        "country": {"id": "MY", "value": "Malaysia"},
        "countryiso3code": country,
        "date": year,
        "value": value,
        "unit": "",
        "obs_status": "",
        "decimal": 1,
    }


def api_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "x.json"
    path.write_text(text)
    return path


def test_api_json_rows_stream(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    rows = [
        api_row(),
        api_row(13.5, "2018"),
        api_row(None, "2000"),
        api_row(5.0, "2019", "EAS"),
        api_row(5.0, "2019", None),
    ]
    path = api_file(tmp_path, json.dumps([META, rows], indent=2))
    result = cli("kpi", "import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "skipped  1 (empty cell or '..')\n"
        "skipped  2 (not a member state (aggregate or other country)): ?, "
        "EAS\nadded 0, changed 0, unchanged 2\n"
    )


BAD_ROWS: list[tuple[object, str]] = [
    (api_row(True), ".value: a boolean, not a number"),
    (api_row(False), ".value: a boolean, not a number"),
    (api_row("17.5"), ".value: a string, not a number"),
    (api_row([17.5]), ".value: an array, not a number"),
    (api_row(1e300), ".value: '1e+300' is too large (magnitude 1e15 or more)"),
    (api_row(2019.0, 2019), ".date: a number, not a 4-digit year string"),
    (api_row(1.0, "2019M01"), ".date: '2019M01', not a 4-digit year string"),
    (api_row(1.0, "1850"), f".date: year 1850 is outside 1900-{THIS_YEAR}"),
    (api_row(1.0, "2999"), f".date: year 2999 is outside 1900-{THIS_YEAR}"),
    (api_row(1.0, country=3), ".countryiso3code: a number, not a country code"),
    ({**api_row(), "indicator": "IC.REG.DURS"}, ".indicator: a string, not an object"),
    ({**api_row(), "indicator": {"value": "x"}}, ".indicator.id: missing"),
    ({k: v for k, v in api_row().items() if k != "date"}, ".date: missing"),
    ({k: v for k, v in api_row().items() if k != "value"}, ".value: missing"),
    ("IC.REG.DURS", ": a row is a string, not an object"),
    (None, ": a row is null, not an object"),
]


def test_every_malformed_api_row_is_named_with_its_path(
    cli: Cli, plan_copy: Path, tmp_path: Path
) -> None:
    """A good row, then one bad row of each kind: all are reported, by JSON path."""
    path = api_file(
        tmp_path, json.dumps([META, [api_row(13.5, "2018")] + [r for r, _ in BAD_ROWS]])
    )
    assert (
        refused(cli, plan_copy, str(path))
        == "sapsmed: "
        + "".join(f"{path}: [1][{i}]{message}\n" for i, (_, message) in enumerate(BAD_ROWS, 1))
        + f"{len(BAD_ROWS)} errors in the files; nothing was imported\n"
    )


BAD_NUMBERS = [
    ("NaN", "NaN is not a finite number"),
    ("-Infinity", "-Infinity is not a finite number"),
    (
        "9" * 5000,
        "'999999999999999999999999'... (5000 characters) has 5000 significant digits (at most 20)",
    ),
    (
        "1" * 5000 + ".5e-4990",
        "'111111111111111111111111'... (5008 characters) has 5001 significant digits (at most 20)",
    ),
    ("123456789012345678901", "'123456789012345678901' has 21 significant digits (at most 20)"),
    ("1e999", "'1e999' is too large (magnitude 1e15 or more)"),
]


def test_numbers_json_must_not_hold(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    """Number literals that json would read (NaN, 5000 digits...) are errors, never values."""
    text = json.dumps([META, [api_row(0.0) for _ in BAD_NUMBERS]])
    for value, _ in BAD_NUMBERS:
        text = text.replace('"value": 0.0', f'"value": {value}', 1)
    path = api_file(tmp_path, text)
    assert (
        refused(cli, plan_copy, str(path))
        == "sapsmed: "
        + "".join(
            f"{path}: [1][{i}].value: {message}\n" for i, (_, message) in enumerate(BAD_NUMBERS)
        )
        + f"{len(BAD_NUMBERS)} errors in the files; nothing was imported\n"
    )


def test_api_duplicates_name_both_rows(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    path = api_file(
        tmp_path, json.dumps([META, [api_row(), api_row(13.5, "2018"), api_row(17.5), api_row(19)]])
    )
    assert refused(cli, plan_copy, str(path)) == (
        f"sapsmed: {path}: [1][3].value: IC.REG.DURS MYS 2019 is '19' here but '17.5' at "
        "[1][0].value\n1 " + NOTHING
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[{"page": 1}, [{"date": "2019"',
            "[1][0]: not valid JSON: Expecting ',' delimiter (line 1, column 31)",
        ),
        (
            '[{"page": 1}, [{"date": "2019"},',
            "[1][1]: not valid JSON: Expecting value (line 1, column 33)",
        ),
        (
            '[{"page": 1}, [] ',
            "not valid JSON: expected ']' after the rows, found the end of the "
            "file (line 1, column 18)",
        ),
        ('[{"page": 1}, []] []', "not valid JSON: more after the end (line 1, column 19)"),
        (
            '[{"page": 1}, [], []]',
            "not an Indicators API v2 answer ([metadata, rows]): more than two elements",
        ),
        (
            '[{"page": 1}]',
            "not an Indicators API v2 answer ([metadata, rows]): no rows after the metadata",
        ),
        ("[]", "not an Indicators API v2 answer ([metadata, rows]): an empty array"),
        (
            '{"page": 1}',
            "not an Indicators API v2 answer ([metadata, rows]): the top level is an object",
        ),
        (
            '["meta", []]',
            "[0]: not an Indicators API v2 answer ([metadata, rows]): the metadata "
            "is a string, not an object",
        ),
        (
            '[{"page": 1}, [1, 2,\n 3 4]]',
            "[1][3]: not valid JSON: expected ',' or ']', found '4' (line 2, column 4)",
        ),
        (
            '[{"lastupdated": "last week"}, null]',
            "[0].lastupdated: cannot read the last-updated "
            "date 'last week' (expected YYYY-MM-DD or "
            "MM/DD/YYYY)",
        ),
        ('[{"lastupdated": true}, null]', "[0].lastupdated: a boolean, not a date string"),
    ],
)
def test_malformed_json_is_named_with_its_path(
    cli: Cli, plan_copy: Path, tmp_path: Path, text: str, message: str
) -> None:
    path = api_file(tmp_path, text)
    stderr = refused(cli, plan_copy, str(path))
    assert stderr.startswith("sapsmed: ")
    assert f"{path}: {message}\n" in stderr, stderr  # with what is wrong before it


def test_json_nested_too_deeply(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    path = api_file(tmp_path, '[{"page": 1}, [' + "[" * 100_000 + "]" * 100_000 + "]]")
    assert refused(cli, plan_copy, str(path)) == (
        f"sapsmed: {path}: [1][0]: not valid JSON: nested too deeply (line 1, column 16)\n1 "
        + NOTHING
    )


def test_rows_of_null_mean_no_data(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    path = api_file(tmp_path, json.dumps([META, None]))
    result = cli("kpi", "import", str(path))
    assert (result.exit_code, result.stdout) == (0, "added 0, changed 0, unchanged 0\n")


def test_a_huge_json_value_is_refused_in_bounded_memory(
    cli: Cli, plan_copy: Path, tmp_path: Path
) -> None:
    row = api_row()
    row["unit"] = "u" * 3_000_000
    path = api_file(tmp_path, json.dumps([META, [row]]))
    assert refused(cli, plan_copy, str(path)).startswith(
        f"sapsmed: {path}: [1][0]: not valid JSON, or a value longer than 1048576 characters"
    )


def test_a_real_extract_as_api_json(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    """A whole file of rows, one line as the API sends it, larger than a read chunk."""
    download = wdi.read(wdi_file(FULL_RD))
    rows = [api_row(o.value, str(o.year), o.country, o.code) for o in download.observations]
    path = api_file(tmp_path, json.dumps([{**META, "lastupdated": "2026-07-13"}, rows]))
    assert path.stat().st_size > 2 * 65536
    result = cli("kpi", "import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "added 0, changed 0, unchanged 117"


# --- never a traceback -----------------------------------------------------------------------

PIECES = [
    b'"Data Source","World Development Indicators",\r\n',
    b'"Last Updated Date","',
    b'"Country Name","Country Code","Indicator Name","Indicator Code","2019","2020",\r\n',
    b'"Malaysia","MYS","x","IC.REG.DURS","17.5","',
    b"Series Name,Series Code,Country Name,Country Code,2019 [YR2019]\r\n",
    b'[{"lastupdated": "2019-10-28"}, [',
    b'{"indicator": {"id": "IC.REG.DURS"}, ',
    b'"countryiso3code": "MYS", "date": "2019", "value": ',
    b"]]",
    b"}",
    b",",
    b'"',
    b"\r\n",
    b"\n",
    b"\xef\xbb\xbf",
    b"\xff",
    b"NaN",
    b"1e999",
    b"9" * 5000,
    b"true",
    b"..",
    b"[",
    b"{",
    b"\x00",
]


def test_any_bytes_give_errors_never_an_exception(tmp_path: Path) -> None:
    import hypothesis
    from hypothesis import strategies as st

    path = tmp_path / "download.csv"

    @hypothesis.settings(max_examples=300, deadline=None, database=None)
    @hypothesis.given(
        st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=8)), max_size=30)
    )
    def check(parts: list[bytes]) -> None:
        path.write_bytes(b"".join(parts))
        download = wdi.read(path, as_of_year=2026)
        assert all(e.startswith(str(path)) for e in download.errors)
        assert download.error_count >= len(download.errors)

    check()
