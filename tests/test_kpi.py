"""KPI commands and the World Bank importers, tested on the real files in data/wdi."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from sapsmed.io import wdi

from .conftest import WDI, Cli, wdi_file

FULL_RD = "full-downloads/API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv"
FULL_DAYS = "full-downloads/API_IC.REG.DURS_all-countries_2019-10-28.csv"
EXTRACTS = sorted(p.name for p in WDI.glob("API_*_ASEAN.csv"))


# --- the three formats ---------------------------------------------------------------------


def test_bulk_csv_full_download_keeps_every_country_and_aggregate() -> None:
    download = wdi.read(wdi_file(FULL_RD))
    assert download.format == "WDI bulk CSV"
    assert download.vintage is not None and download.vintage.isoformat() == "2026-07-13"
    codes = {o.country for o in download.observations}
    assert {"EAS", "WLD", "ARB", "MYS", "SGP", "USA"} <= codes
    assert {o.code for o in download.observations} == {"GB.XPD.RSDV.GD.ZS"}
    sgp = {o.year: o.value for o in download.observations if o.country == "SGP"}
    assert sgp[2022] == 1.80821


def test_bulk_csv_crlf_and_2019_vintage() -> None:
    download = wdi.read(wdi_file(FULL_DAYS))
    assert download.vintage is not None and download.vintage.isoformat() == "2019-10-28"
    mys = {o.year: o.value for o in download.observations if o.country == "MYS"}
    assert (mys[2016], mys[2019]) == (23.5, 17.5)


@pytest.mark.parametrize("name", EXTRACTS)
def test_every_asean_extract_parses(name: str) -> None:
    download = wdi.read(wdi_file(name))
    assert {o.country for o in download.observations} <= {
        "BRN",
        "IDN",
        "KHM",
        "LAO",
        "MMR",
        "MYS",
        "PHL",
        "SGP",
        "THA",
        "VNM",
    }
    assert download.observations
    assert download.empty_cells > 0


def to_api_json(download: wdi.Download) -> str:
    """The same observations as the Indicators API v2 returns them (REFERENCE.md 4)."""
    rows: list[dict[str, Any]] = [
        {
            "indicator": {"id": o.code, "value": "..."},
            "country": {"id": o.country[:2], "value": o.country},
            "countryiso3code": o.country,
            "date": str(o.year),
            "value": o.value,
            "unit": "",
            "obs_status": "",
            "decimal": 1,
        }
        for o in sorted(download.observations, key=lambda o: (o.country, -o.year))
    ]
    rows.append(
        {
            "indicator": {"id": rows[0]["indicator"]["id"], "value": "..."},
            "country": {"id": "Z4", "value": "East Asia & Pacific"},
            "countryiso3code": "EAS",
            "date": "2016",
            "value": None,
            "unit": "",
            "obs_status": "",
            "decimal": 1,
        }
    )
    meta = {
        "page": 1,
        "pages": 1,
        "per_page": 20000,
        "total": len(rows),
        "sourceid": "2",
        "lastupdated": download.vintage.isoformat() if download.vintage else None,
    }
    return json.dumps([meta, rows])


def to_databank(download: wdi.Download) -> str:
    """The same observations as a DataBank Data.csv (REFERENCE.md 4)."""
    years = sorted({o.year for o in download.observations})
    table: dict[tuple[str, str], dict[int, float]] = {}
    for o in download.observations:
        table.setdefault((o.code, o.country), {})[o.year] = o.value
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Series Name",
            "Series Code",
            "Country Name",
            "Country Code",
            *(f"{y} [YR{y}]" for y in years),
        ]
    )
    for (code, country), values in sorted(table.items()):
        writer.writerow(
            [
                "name",
                code,
                country,
                country,
                *(repr(values[y]) if y in values else ".." for y in years),
            ]
        )
    out.write("\r\n\r\nData from database: World Development Indicators\r\n")
    if download.vintage:
        out.write(f"Last Updated: {download.vintage.strftime('%m/%d/%Y')}\r\n")
    return out.getvalue()


@pytest.mark.parametrize("name", [FULL_RD, FULL_DAYS, *EXTRACTS])
def test_three_formats_read_the_same_observations(name: str, tmp_path: Path) -> None:
    bulk = wdi.read(wdi_file(name))
    (tmp_path / "api.json").write_text(to_api_json(bulk))
    (tmp_path / "Data.csv").write_text(to_databank(bulk))
    api, bank = wdi.read(tmp_path / "api.json"), wdi.read(tmp_path / "Data.csv")
    assert (api.format, bank.format) == ("Indicators API JSON", "DataBank Data.csv")
    assert api.vintage == bank.vintage == bulk.vintage
    assert set(api.observations) == set(bank.observations) == set(bulk.observations)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '[{"message": [{"id": "175", "key": "Invalid format", "value": "The indicator was not '
            'found. It may have been deleted or archived."}]}]',
            "the World Bank API answered with "
            "an error: 175 Invalid format: The indicator was not found",
        ),
        ("hello,world\n1,2\n", "not a World Bank file"),
        ('[{"page": 1}, {"rows": 2}]', "not an Indicators API v2 answer"),
        (
            "[1, 2",
            "[0]: not an Indicators API v2 answer ([metadata, rows]): the metadata is a "
            "number, not an object",
        ),  # read as a stream: the first thing wrong is reported
        ('[{"page": 1}, [{"date": "2019"', "not valid JSON"),
    ],
)
def test_bad_files_are_named_with_a_clear_error(
    cli: Cli, plan_copy: Path, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "download.json"
    path.write_text(content)
    result = cli("kpi", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"sapsmed: {path}")
    assert message in result.stderr


# --- import --------------------------------------------------------------------------------


def test_reimporting_the_shipped_data_changes_nothing(
    cli: Cli, plan_copy: Path, tmp_path: Path
) -> None:
    before = {p: p.read_bytes() for p in plan_copy.rglob("*.yaml")}
    files = [str(wdi_file(n)) for n in (FULL_RD, FULL_DAYS, *EXTRACTS)]
    result = cli("kpi", "import", *files)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "added 0, changed 0, unchanged 1475"
    assert any(
        line.startswith("skipped  6673 (not a member state") and "EAS" not in line or "AFE" in line
        for line in lines
    )
    assert {p: p.read_bytes() for p in plan_copy.rglob("*.yaml")} == before


@pytest.mark.parametrize("fmt", ["json", "databank"])
def test_idempotent_across_formats(cli: Cli, plan_copy: Path, tmp_path: Path, fmt: str) -> None:
    before = {p: p.read_bytes() for p in plan_copy.rglob("*.yaml")}
    for name in (FULL_RD, *EXTRACTS):
        bulk = wdi.read(wdi_file(name))
        path = tmp_path / f"{Path(name).stem}.{fmt}"
        path.write_text(to_api_json(bulk) if fmt == "json" else to_databank(bulk))
        result = cli("kpi", "import", str(path))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[-1].startswith("added 0, changed 0, unchanged ")
    assert {p: p.read_bytes() for p in plan_copy.rglob("*.yaml")} == before


def test_import_into_an_empty_series_then_again(cli: Cli, plan_copy: Path, tmp_path: Path) -> None:
    (plan_copy / "readings" / "KPI-A2.yaml").unlink()
    result = cli("kpi", "import", str(wdi_file(FULL_RD)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "added 117, changed 0, unchanged 0; wrote KPI-A2.yaml"
    text = (plan_copy / "readings" / "KPI-A2.yaml").read_text()
    assert text.startswith(
        "# yaml-language-server: $schema=../../schemas/readings.schema.json\n"
        'kpi: KPI-A2\nreleases:\n  - source: "World Bank, World Development'
        " Indicators, GB.XPD.RSDV.GD.ZS (API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2"
        '_232.csv)"\n    vintage: 2026-07-13\n    readings:\n'
    )
    assert "      - [SGP, 2022, " in text
    assert cli("validate").exit_code == 0
    bulk = wdi.read(wdi_file(FULL_RD))
    (tmp_path / "again.json").write_text(to_api_json(bulk))
    again = cli("kpi", "import", str(tmp_path / "again.json"))
    assert again.stdout.splitlines()[-1] == "added 0, changed 0, unchanged 117"


def revised(tmp_path: Path, vintage: str, value: str) -> Path:
    """The real IC.REG.DURS extract with Malaysia's 2019 value and the vintage changed."""
    text = wdi_file("API_IC.REG.DURS_ASEAN.csv").read_text(encoding="utf-8-sig")
    text = text.replace('"Last Updated Date","2019-10-28"', f'"Last Updated Date","{vintage}"')
    row = next(line for line in text.splitlines() if line.startswith('"Malaysia"'))
    assert row.endswith('"13.5","17.5",')
    text = text.replace(row, row[: -len('"17.5",')] + f'"{value}",')
    path = tmp_path / "API_IC.REG.DURS_revised.csv"
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_newer_vintage_changes_a_value_and_keeps_every_other_byte(
    cli: Cli, plan_copy: Path, tmp_path: Path
) -> None:
    path = plan_copy / "readings" / "KPI-D1.yaml"
    old = path.read_text()
    dry = cli("kpi", "import", "--dry-run", str(revised(tmp_path, "2020-05-01", "19")))
    assert dry.stdout.splitlines()[0] == (
        "changed  KPI-D1 MYS 2019: 17.5 -> 19 (vintage 2019-10-28 -> 2020-05-01)"
    )
    assert dry.stdout.splitlines()[-1] == (
        "would add 0, would change 1, unchanged 147; dry run: nothing written"
    )
    assert path.read_text() == old
    result = cli("kpi", "import", str(revised(tmp_path, "2020-05-01", "19")))
    assert result.exit_code == 0, result.stderr
    new = path.read_text()
    assert (
        old.replace("      - [MYS, 2019, 17.5]\n", "")
        + (
            '  - source: "World Bank, World Development Indicators, IC.REG.DURS '
            '(API_IC.REG.DURS_revised.csv)"\n    vintage: 2020-05-01\n    readings:\n'
            "      - [MYS, 2019, 19]\n"
        )
        == new
    )
    data = json.loads(cli("kpi", "show", "KPI-D1", "--country", "MYS", "--json").stdout)
    latest = [r for r in data["readings"] if r["year"] == 2019]
    assert latest == [
        {
            "country": "MYS",
            "year": 2019,
            "value": 19.0,
            "vintage": "2020-05-01",
            "source": "World Bank, World Development Indicators, IC.REG.DURS "
            "(API_IC.REG.DURS_revised.csv)",
        }
    ]


def test_older_vintage_changes_nothing_unless_allowed(
    cli: Cli, plan_copy: Path, tmp_path: Path
) -> None:
    path = plan_copy / "readings" / "KPI-D1.yaml"
    old = path.read_bytes()
    stale = revised(tmp_path, "2018-01-01", "19")
    result = cli("kpi", "import", str(stale))
    assert result.exit_code == 0
    assert (
        "skipped  1 (older vintage than the stored value's (use --allow-older)): KPI-D1 MYS 2019"
    ) in result.stdout
    assert path.read_bytes() == old
    forced = cli("kpi", "import", "--allow-older", str(stale))
    assert forced.stdout.splitlines()[-1].startswith("added 0, changed 1")
    assert "[MYS, 2019, 19]" in path.read_text()


def test_a_file_without_vintage_does_not_overwrite_dated_values(
    cli: Cli, plan_copy: Path, tmp_path: Path
) -> None:
    result = cli("kpi", "import", str(revised(tmp_path, "", "19")))
    assert "older vintage than the stored value's" in result.stdout


def test_import_refuses_values_that_break_the_plan(
    cli: Cli, plan_copy: Path, tmp_path: Path
) -> None:
    path = plan_copy / "readings" / "KPI-D1.yaml"
    old = path.read_bytes()
    result = cli("kpi", "import", str(revised(tmp_path, "2020-05-01", "-4")))
    assert result.exit_code == 1
    assert "[R-READING-RANGE]" in result.stderr
    assert path.read_bytes() == old


# --- record --------------------------------------------------------------------------------


def test_record_a_new_series_creates_its_file(cli: Cli, plan_copy: Path) -> None:
    result = cli(
        "kpi",
        "record",
        "KPI-E3",
        "--country",
        "mys",
        "--year",
        "2020",
        "--value",
        "48.4",
        "--source",
        "DOSM, MSME Insights 2020",
        "--vintage",
        "2021-07-28",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "added    KPI-E3 MYS 2020: 48.4\nadded 1, changed 0, unchanged 0; wrote KPI-E3.yaml\n"
    )
    assert (plan_copy / "readings" / "KPI-E3.yaml").read_text() == (
        "# yaml-language-server: $schema=../../schemas/readings.schema.json\n"
        'kpi: KPI-E3\nreleases:\n  - source: "DOSM, MSME Insights 2020"\n'
        "    vintage: 2021-07-28\n    readings:\n      - [MYS, 2020, 48.4]\n"
    )
    again = cli(
        "kpi",
        "record",
        "KPI-E3",
        "--country",
        "MYS",
        "--year",
        "2021",
        "--value",
        "47.8",
        "--source",
        "DOSM, MSME Insights 2020",
        "--vintage",
        "2021-07-28",
    )
    assert again.exit_code == 0
    assert (
        (plan_copy / "readings" / "KPI-E3.yaml")
        .read_text()
        .endswith("      - [MYS, 2020, 48.4]\n      - [MYS, 2021, 47.8]\n")
    )  # same release


def test_record_corrects_a_reading(cli: Cli, plan_copy: Path) -> None:
    before = (plan_copy / "readings" / "KPI-D1.yaml").read_bytes()
    refused = cli(
        "kpi",
        "record",
        "KPI-D1",
        "--country",
        "MYS",
        "--year",
        "2019",
        "--value",
        "18",
        "--source",
        "SSM Malaysia",
    )
    assert refused.exit_code == 1
    assert refused.stderr == (
        "sapsmed: KPI-D1 MYS 2019 is 17.5 from 'World Bank, World Development Indicators, "
        "IC.REG.DURS (API_IC.REG.DURS_ASEAN.csv)' (vintage 2019-10-28); 18 from 'SSM "
        "Malaysia' has no vintage: give --vintage YYYY-MM-DD, or --replace to replace it "
        "anyway; nothing was written\n"
    )
    assert (plan_copy / "readings" / "KPI-D1.yaml").read_bytes() == before
    result = cli(
        "kpi",
        "record",
        "KPI-D1",
        "--country",
        "MYS",
        "--year",
        "2019",
        "--value",
        "18",
        "--source",
        "SSM Malaysia",
        "--replace",
    )
    assert result.stdout.splitlines()[0] == (
        "changed  KPI-D1 MYS 2019: 17.5 -> 18 (vintage 2019-10-28 -> unknown)"
    )
    text = (plan_copy / "readings" / "KPI-D1.yaml").read_text()
    assert "[MYS, 2019, 17.5]" not in text
    assert text.endswith(
        '  - source: "SSM Malaysia"\n    vintage: null\n    readings:\n      - [MYS, 2019, 18]\n'
    )
    same = cli(
        "kpi",
        "record",
        "KPI-D1",
        "--country",
        "MYS",
        "--year",
        "2019",
        "--value",
        "18",
        "--source",
        "SSM Malaysia",
    )
    assert same.stdout == "added 0, changed 0, unchanged 1\n"


def test_record_refuses_an_out_of_range_value(cli: Cli, plan_copy: Path) -> None:
    before = (plan_copy / "readings" / "KPI-E1.yaml").read_bytes()
    result = cli(
        "kpi",
        "record",
        "KPI-E1",
        "--country",
        "MYS",
        "--year",
        "2024",
        "--value",
        "150",
        "--source",
        "typo",
    )
    assert result.exit_code == 1
    assert "150 is outside the range of percent (0-100) [R-READING-RANGE]" in result.stderr
    assert (plan_copy / "readings" / "KPI-E1.yaml").read_bytes() == before


def test_record_warns_outside_the_declared_availability(cli: Cli, plan_copy: Path) -> None:
    result = cli(
        "kpi",
        "record",
        "KPI-B1",
        "--country",
        "THA",
        "--year",
        "2020",
        "--value",
        "33",
        "--source",
        "Bank of Thailand",
    )
    assert result.exit_code == 0
    assert (
        "warning: KPI-B1 is not declared available for THA [R-READING-AVAILABILITY]"
        in result.stderr
    )


def test_record_unknown_kpi(cli: Cli, plan_copy: Path) -> None:
    result = cli(
        "kpi",
        "record",
        "KPI-D9",
        "--country",
        "MYS",
        "--year",
        "2019",
        "--value",
        "1",
        "--source",
        "x",
    )
    assert result.exit_code == 1
    assert "did you mean KPI-D1" in result.stderr or "did you mean KPI-D2" in result.stderr


# --- list, show, coverage -------------------------------------------------------------------


def test_kpi_list_json(cli: Cli, plan_copy: Path) -> None:
    rows = json.loads(cli("kpi", "list", "--json").stdout)
    assert [r["id"] for r in rows] == [
        "KPI-A1",
        "KPI-A2",
        "KPI-B1",
        "KPI-C1",
        "KPI-C2",
        "KPI-D1",
        "KPI-D2",
        "KPI-E1",
        "KPI-E2",
        "KPI-E3",
    ]
    d1 = rows[5]
    assert {
        k: d1[k] for k in ("goal", "unit", "direction", "indicator_code", "latest_year", "readings")
    } == {
        "goal": "D",
        "unit": "days",
        "direction": "lower_is_better",
        "indicator_code": "IC.REG.DURS",
        "latest_year": 2019,
        "readings": 148,
    }
    assert len(d1["countries_with_data"]) == 10
    assert rows[2]["indicator_code"] is None and rows[2]["countries_with_data"] == []


def test_kpi_show_json_has_the_numbers_behind_each_verdict(cli: Cli, plan_copy: Path) -> None:
    data = json.loads(cli("kpi", "show", "KPI-D1", "--country", "LAO", "--json").stdout)
    assert (data["id"], data["indicator_code"]) == ("KPI-D1", "IC.REG.DURS")
    assert {r["country"] for r in data["readings"]} == {"LAO"}
    assert data["readings"][0] == {
        "country": "LAO",
        "year": 2003,
        "value": 135.0,
        "source": "World Bank, World Development Indicators, "
        "IC.REG.DURS (API_IC.REG.DURS_ASEAN.csv)",
        "vintage": "2019-10-28",
    }
    [lao] = data["countries"]
    statcan, unsd = lao["assessments"]
    # Lao PDR: 174 days in 2016, 173 in 2019, lower is better: -0.19% a year
    assert (
        statcan["base_year"],
        statcan["base_value"],
        statcan["latest_year"],
        statcan["latest_value"],
    ) == (2016, 174.0, 2019, 173.0)
    assert statcan["cagr_actual"] == pytest.approx((173 / 174) ** (1 / 3) - 1, abs=1e-6)
    assert statcan["status"] == "limited progress"  # +0.19% (negated) is under 0.5%
    assert unsd["status"] == "stagnation or regression"  # under 0.5%


def test_kpi_a2_regional_verdict_worked_by_hand(cli: Cli, plan_copy: Path) -> None:
    """The issue's case: R&D expenditure's "ASEAN mean" compared IDN, MYS, SGP, THA in 2016
    with MMR, THA, VNM in 2023 (CAGR -12.07%). On a constant panel, worked out here from the
    readings themselves."""
    import math

    data = json.loads(cli("kpi", "show", "KPI-A2", "--as-of", "2026-11-28", "--json").stdout)
    series: dict[str, dict[int, float]] = {}
    for r in data["readings"]:
        series.setdefault(r["country"], {})[r["year"]] = r["value"]
    panel: dict[str, tuple[int, float, int, float]] = {}
    for country, s in series.items():
        near = [y for y in s if abs(y - 2016) <= 5]
        if near:
            base = min(near, key=lambda y: (abs(y - 2016), y))
            later = [y for y in s if y > base and y <= 2026]
            if later:
                panel[country] = (base, s[base], max(later), s[max(later)])
    reg = data["regional"]
    assert (
        sorted(panel)
        == sorted(m["country"] for m in reg["panel"])
        == ["IDN", "MMR", "MYS", "PHL", "SGP", "THA", "VNM"]
    )
    base_mean = sum(v[1] for v in panel.values()) / len(panel)
    latest_mean = sum(v[3] for v in panel.values()) / len(panel)
    y0 = round(sum(v[0] for v in panel.values()) / len(panel))
    yt = round(sum(v[2] for v in panel.values()) / len(panel))
    growth = (latest_mean / base_mean) ** (1 / (yt - y0)) - 1
    statcan, unsd = reg["assessments"]
    assert (statcan["base_year"], statcan["latest_year"]) == (y0, yt) == (2016, 2022)
    assert statcan["base_value"] == pytest.approx(base_mean, abs=1e-6)
    assert statcan["latest_value"] == pytest.approx(latest_mean, abs=1e-6)
    assert (round(base_mean, 2), round(latest_mean, 2)) == (0.72, 0.68)
    assert statcan["cagr_actual"] == pytest.approx(growth, abs=1e-6)
    assert math.isclose(growth, -0.0102, abs_tol=5e-5)
    assert statcan["status"] == "deterioration"  # Statistics Canada: a negative CAGR
    assert unsd["status"] == "stagnation or regression"  # UNSD: under 0.5% a year
    text = cli("kpi", "show", "KPI-A2", "--as-of", "2026-11-28").stdout
    assert "  panel: 7 of 10 member states: IDN 2016 0.25 -> 2020 0.28, MMR 2017 0.03" in text


def test_mys_days_to_start_a_business_worked_by_hand(cli: Cli, plan_copy: Path) -> None:
    """IC.REG.DURS for Malaysia: 23.5 days in 2016, 17.5 in 2019; fewer is better."""
    data = json.loads(cli("kpi", "show", "KPI-D1", "--country", "MYS", "--json").stdout)
    statcan, unsd = data["countries"][0]["assessments"]
    growth = (17.5 / 23.5) ** (1 / 3) - 1
    assert growth == pytest.approx(-0.0936, abs=5e-5)
    for a in (statcan, unsd):
        assert (a["base_year"], a["base_value"], a["latest_year"], a["latest_value"]) == (
            2016,
            23.5,
            2019,
            17.5,
        )
        assert a["cagr_actual"] == pytest.approx(growth, abs=1e-6)
        assert a["status"] == "on track"  # -9.36% a year, where lower is better


def test_kpi_show_counts_what_it_lists(cli: Cli, plan_copy: Path) -> None:
    out = cli("kpi", "show", "KPI-E1", "--country", "LAO").stdout.splitlines()
    head = next(line for line in out if line.startswith("LAO: "))
    total = int(head.split()[1])
    assert head == f"LAO: {total} readings (the last 12 shown)"
    assert len(out[out.index(head) + 1].split(": ")) == 13  # 12 year: value pairs
    assert out[-1] == "(--all shows every reading)"
    full = cli("kpi", "show", "KPI-E1", "--country", "LAO", "--all").stdout.splitlines()
    assert f"LAO: {total} readings" in full
    assert len(full[full.index(f"LAO: {total} readings") + 1].split(": ")) == total + 1


def test_as_of_leaves_out_later_years_everywhere(cli: Cli, plan_copy: Path) -> None:
    """The issue: coverage as of 2020 counted 2024 and 2025 data; the mid-term review as of
    2018-06-30 showed 2019 and 2020 values."""
    cover = json.loads(cli("kpi", "coverage", "--as-of", "2020-12-31", "--json").stdout)
    assert max(c["last"] or 0 for k in cover["kpis"] for c in k["countries"].values()) <= 2020
    shown = json.loads(cli("kpi", "show", "KPI-E1", "--as-of", "2018-06-30", "--json").stdout)
    assert max(r["year"] for r in shown["readings"]) == 2018
    review = cli("report", "--mid-term", "--as-of", "2018-06-30").stdout
    years = {int(y) for y in __import__("re").findall(r"\((20[12][0-9])\)", review)}
    assert years and max(years) <= 2018


def test_kpi_coverage(cli: Cli, plan_copy: Path) -> None:
    data = json.loads(cli("kpi", "coverage", "--as-of", "2026-11-28", "--json").stdout)
    kpis = {k["id"]: k for k in data["kpis"]}
    assert kpis["KPI-D1"]["countries"]["MYS"] == {
        "declared": True,
        "years": 17,
        "first": 2003,
        "last": 2019,
        "state": "discontinued",
    }
    assert kpis["KPI-A2"]["countries"]["LAO"]["state"] == "stale"  # 2002 only
    assert kpis["KPI-A2"]["countries"]["THA"]["state"] == "ok"
    assert kpis["KPI-B1"]["countries"]["MYS"]["state"] == "missing"
    assert kpis["KPI-B1"]["countries"]["THA"]["state"] == "none"
    text = cli("kpi", "coverage", "--as-of", "2026-11-28").stdout
    assert text.splitlines()[0].split() == [
        "kpi",
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
    assert text.splitlines()[6].split()[:3] == ["KPI-D1", "2019†", "2019†"]


def test_long_import_on_a_terminal_shows_progress(
    cli: Cli, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bar counts the bytes read, file after file (the files are read in the import)."""
    import sapsmed.write.importer as importer
    from sapsmed.cli import kpi as commands

    monkeypatch.setattr(commands, "fancy", lambda: True)  # as on a terminal
    monkeypatch.setattr(commands, "PROGRESS_BYTES", 100_000)  # a long import
    seen: list[int] = []
    original = importer.import_files

    def counting(  # type: ignore[no-untyped-def]
        root,
        paths,
        allow_older,
        dry_run,
        vintage=None,
        as_of_year=None,
        progress=None,
        **lock,
    ):
        assert progress is not None, "a long import on a terminal reports progress"

        def tick(n: int) -> None:
            seen.append(n)
            progress(n)

        return original(root, paths, allow_older, dry_run, vintage, as_of_year, tick, **lock)

    monkeypatch.setattr(importer, "import_files", counting)
    result = cli("kpi", "import", str(wdi_file(FULL_RD)), str(wdi_file(FULL_DAYS)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].endswith("unchanged 265")
    total = sum(wdi_file(n).stat().st_size for n in (FULL_RD, FULL_DAYS))
    assert sum(seen) == total > 100_000


def test_kpi_list_as_of(cli: Cli, plan_copy: Path) -> None:
    rows = {
        r["id"]: r for r in json.loads(cli("kpi", "list", "--as-of", "2019-06-30", "--json").stdout)
    }
    assert rows["KPI-D1"]["readings"] == 0  # its only release is dated 2019-10-28
    assert rows["KPI-E1"]["latest_year"] == 2019  # vintage unknown: by year
