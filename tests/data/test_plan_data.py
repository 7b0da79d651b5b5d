"""The shipped plan says what the SAP SMED says, and its readings are the World Bank's."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sapsmed.domain.plan import Plan
from sapsmed.validate.validation import validate

from ..conftest import ROOT, wdi_file
from ..conftest import SHIPPED as PLAN


@pytest.fixture(scope="module")
def plan() -> Plan:
    result = validate(PLAN)
    assert result.problems == []
    assert result.plan is not None
    return result.plan


def test_structure_counts(plan: Plan) -> None:
    outcomes = [o for g in plan.goals for o in g["outcomes"]]
    actions = [a for o in outcomes for a in o["actions"]]
    assert [g["id"] for g in plan.goals] == ["A", "B", "C", "D", "E"]
    assert len(outcomes) == 12
    assert len(actions) == 24
    assert len(plan.lines) == 12
    assert len(plan.kpis) == 10
    assert [t["id"] for t in plan.meta["themes"]] == [
        "service-centre",
        "incentives",
        "micro-enterprises",
    ]
    assert len(plan.meta["types_of_measures"]) == 7
    assert [p["id"] for p in plan.meta["pathways"]] == ["competitive", "inclusive"]


def test_champions_follow_table_3_1(plan: Plan) -> None:
    assert {g["id"]: g["champions"] for g in plan.goals} == {
        "A": ["THA", "VNM"],
        "B": ["MYS", "LAO"],
        "C": ["SGP", "THA"],
        "D": ["KHM", "IDN"],
        "E": ["BRN", "PHL", "MMR"],
    }


def test_appendix_c_lines_timelines_and_leads(plan: Plan) -> None:
    expected = {
        "B-2-1.3": ("2018", 2018, ["MYS", "LAO"], "service-centre"),
        "C-1-1.2": ("2018", 2018, ["SGP", "THA"], "service-centre"),
        "A-1-2.1": ("By 2020", 2020, ["THA", "VNM"], "incentives"),
        "A-2-2.1": ("By 2020", 2020, ["THA", "VNM"], "incentives"),
        "A-3-1.1": ("By 2021", 2021, ["THA", "VNM"], "incentives"),
        "A-3-1.2": ("By 2020", 2020, ["THA", "VNM"], "incentives"),
        "E-1-1.5": ("2025", 2025, ["BRN", "PHL", "MMR"], "incentives"),
        "A-1-3.1": ("By 2017", 2017, ["THA", "VNM"], "micro-enterprises"),
        "B-2-1.2": ("By 2020", 2020, ["MYS", "LAO"], "micro-enterprises"),
        "D-2-1.2": ("By 2020", 2020, ["IDN", "KHM"], "micro-enterprises"),
        "D-3-1.1": ("By 2016", 2016, ["IDN", "KHM"], "micro-enterprises"),
        "E-2-1.2": ("2025", 2025, ["BRN", "PHL", "MMR"], "micro-enterprises"),
    }
    got = {
        i: (r.line["timeframe"], r.line["due_year"], r.line["lead"], r.line["themes"][0])
        for i, r in plan.lines.items()
    }
    assert got == expected
    national = {i for i, r in plan.lines.items() if r.line["level"] == "national"}
    assert national == {"A-2-2.1", "A-3-1.1", "B-2-1.2"}


def test_errata_are_corrected_and_the_printed_text_kept(plan: Plan) -> None:
    assert plan.lines["E-1-1.5"].goal["id"] == "E"
    assert "Enhance Policy" in plan.lines["E-1-1.5"].line["printed_as"]["goal"]
    assert plan.lines["B-2-1.2"].line["printed_as"] == {"action": "A-2-1"}
    assert plan.countries["VNM"]["name"] == "Viet Nam"
    assert "Vietnam" in plan.countries["VNM"]["printed_as"]


KPI_FILES = {
    "KPI-A1": "SL.GDP.PCAP.EM.KD",
    "KPI-A2": "GB.XPD.RSDV.GD.ZS",
    "KPI-D1": "IC.REG.DURS",
    "KPI-D2": "IC.REG.COST.PC.ZS",
    "KPI-E1": "SL.TLF.CACT.FE.ZS",
    "KPI-E2": "SL.TLF.ACTI.1524.ZS",
}


def read_wdi(code: str) -> tuple[str, dict[tuple[str, int], float]]:
    """An independent reading of a World Bank bulk CSV: (vintage, {(country, year): value})."""
    text = wdi_file(f"API_{code}_ASEAN.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    vintage = rows[2][1]
    header = next(r for r in rows if r[:2] == ["Country Name", "Country Code"])
    values = {}
    for row in rows[rows.index(header) + 1 :]:
        for year, cell in zip(header[4:], row[4:], strict=False):
            if year and cell:
                values[(row[1], int(year))] = float(cell)
    return vintage, values


@pytest.mark.parametrize(("kpi_id", "code"), sorted(KPI_FILES.items()))
def test_readings_are_exactly_the_world_bank_values(plan: Plan, kpi_id: str, code: str) -> None:
    vintage, values = read_wdi(code)
    readings = plan.readings_of(kpi_id)
    assert {(r.country, r.year): r.value for r in readings} == values
    assert plan.kpis[kpi_id]["indicator_code"] == code
    assert {r.vintage or "" for r in readings} == {vintage}
    assert all(code in r.source for r in readings)


def test_every_reading_has_source_and_vintage_key() -> None:
    for path in (PLAN / "readings").glob("*.yaml"):
        text = path.read_text()
        assert text.count("  - source: ") == text.count("    vintage: ") >= 1, path


def test_every_plan_file_names_its_schema() -> None:
    for path in PLAN.rglob("*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: {target} does not exist"
        assert target.parent == (ROOT / "schemas").resolve()


def test_kpis_without_a_series_have_no_readings(plan: Plan) -> None:
    for kpi in plan.kpis.values():
        if kpi["indicator_code"] is None:
            assert plan.readings_of(kpi["id"]) == [], kpi["id"]


def test_discontinued_doing_business_series_end_in_2019(plan: Plan) -> None:
    for kpi_id in ("KPI-D1", "KPI-D2"):
        assert max(r.year for r in plan.readings_of(kpi_id)) == 2019


def test_plan_path_is_not_cwd_dependent(tmp_path: Path) -> None:
    assert validate(PLAN.resolve()).ok


def test_shipped_plan_is_the_repository_plan() -> None:
    """Editable installs read plan/ itself; a wheel carries a byte-identical copy."""
    from sapsmed.domain.plan import shipped_plan_dir

    shipped = shipped_plan_dir()
    files = sorted(p.relative_to(PLAN) for p in PLAN.rglob("*.yaml"))
    assert files == sorted(p.relative_to(shipped) for p in shipped.rglob("*.yaml"))
    assert all((PLAN / f).read_bytes() == (shipped / f).read_bytes() for f in files)


def test_an_edit_outside_any_plan_folder_edits_nothing(tmp_path: Path) -> None:
    """In an editable install the shipped plan is the checkout's plan/: an edit run from an
    unrelated folder must not land there."""
    before = {p: p.read_bytes() for p in PLAN.rglob("*.yaml")}
    env = {k: v for k, v in os.environ.items() if k != "SAPSMED_PLAN"}
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "cli.py"),
            "update",
            "B-2-1.3",
            "--status",
            "ongoing",
            "--date",
            "2018-01-01",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("sapsmed: no plan folder here")
    assert {p: p.read_bytes() for p in PLAN.rglob("*.yaml")} == before
