"""The shapes of `kpi list --json`, `kpi show --json` and `kpi coverage --json`, as
TypedDicts; :mod:`sapsmed.domain.shapes` lists them with the other `--json` outputs."""

from __future__ import annotations

from typing import Literal, TypedDict

from sapsmed.domain.entities import Discontinued
from sapsmed.domain.shapes_status import KpiReading
from sapsmed.domain.vocabulary import Direction


class KpiListRow(TypedDict):
    id: str
    goal: str
    name: str
    unit: str  # a built-in unit or one kpis.yaml declares
    direction: Direction
    source: str
    indicator_code: str | None
    countries_with_data: list[str]
    latest_year: int | None
    readings: int  # how many readings are known on the date


class AssessmentJson(TypedDict):
    """One method's verdict; a number that is not finite is null, the others to 6 places."""

    method: str
    status: str
    points: int
    base_year: int | None
    base_value: float | None
    latest_year: int | None
    latest_value: float | None
    change: float | None
    cagr_actual: float | None
    target_year: int | None
    target_value: float | None
    cagr_required: float | None
    ratio: float | None
    projected_value: float | None
    score: float | None
    reason: str | None  # why the data are insufficient


class CountryAssessments(TypedDict):
    country: str
    assessments: list[AssessmentJson]  # one per method


class YearValue(TypedDict):
    year: int
    value: float


class PanelMember(TypedDict):
    country: str
    baseline: YearValue
    latest: YearValue


class PanelPoint(TypedDict):
    year: int
    mean: float
    countries: int


class RegionalView(TypedDict):
    region: str  # plan.yaml's region, else "all member states"
    rule: str
    members: int  # member states in all
    panel: list[PanelMember]
    assessments: list[AssessmentJson]  # one per method
    series: list[PanelPoint]
    series_rule: str


class KpiShowAll(TypedDict):
    id: str
    name: str
    goal: str
    unit: str  # a built-in unit or one kpis.yaml declares
    direction: Direction
    indicator_code: str | None
    source: str
    base_year: int
    as_of: str
    baseline_rule: str
    discontinued: Discontinued | None
    readings: list[KpiReading]  # those known on the date
    countries: list[CountryAssessments]


class KpiShowJson(KpiShowAll, total=False):
    regional: RegionalView  # left out with --country


CoverageState = Literal["missing", "none", "discontinued", "stale", "ok", "undeclared"]


class CoverageCell(TypedDict):
    declared: bool  # the KPI's available_for names the country
    years: int
    first: int | None
    last: int | None
    state: CoverageState


class CoverageRow(TypedDict):
    id: str
    name: str
    indicator_code: str | None
    discontinued: Discontinued | None
    countries: dict[str, CoverageCell]  # every member state, in the plan's order


class CoverageJson(TypedDict):
    as_of: str
    stale_after_years: int
    countries: list[str]
    kpis: list[CoverageRow]
