"""What `kpi list`, `kpi show` and `kpi coverage` report, as plain data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from sapsmed.domain.plan import Plan
from sapsmed.monitor import assess

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.entities import Kpi
    from sapsmed.domain.shapes_kpi import (
        AssessmentJson,
        CoverageCell,
        CoverageJson,
        CoverageRow,
        CoverageState,
        KpiListRow,
        KpiShowJson,
        RegionalView,
    )

STALE_YEARS = 3  # no reading in the last 3 years before the as-of year: stale


def series_by_country(
    plan: Plan, kpi_id: str, as_of: date | None = None
) -> dict[str, dict[int, float]]:
    """A KPI's readings known on ``as_of`` as {country: {year: value}}."""
    return plan.series(kpi_id, as_of)


def kpi_list(plan: Plan, as_of: date | None = None) -> list[KpiListRow]:
    """Every KPI with the countries and years it has readings for (known on ``as_of``)."""
    rows: list[KpiListRow] = []
    for kpi in plan.kpis.values():
        series = series_by_country(plan, kpi["id"], as_of)
        rows.append(
            {
                "id": kpi["id"],
                "goal": kpi["goal"],
                "name": kpi["name"],
                "unit": kpi["unit"],
                "direction": kpi["direction"],
                "source": kpi["source"],
                "indicator_code": kpi["indicator_code"],
                "countries_with_data": [c for c in plan.countries if c in series],
                "latest_year": max((y for s in series.values() for y in s), default=None),
                "readings": sum(len(s) for s in series.values()),
            }
        )
    return rows


def target_for(kpi: Kpi, country: str | None) -> assess.Target | None:
    for t in kpi["targets"]:
        if t["country"] == country:
            return assess.Target(t["year"], t["value"])
    return None


def assessments(
    plan: Plan, kpi: Kpi, country: str | None, as_of: date, until: int | None = None
) -> list[AssessmentJson]:
    """Both methods' verdicts on the readings known on ``as_of`` (points up to ``until``,
    default the as-of year), for a country or (country None) for the region on its constant
    panel (:func:`assess.regional`)."""
    by_country = series_by_country(plan, kpi["id"], as_of)
    higher = kpi["direction"] == "higher_is_better"
    base_year = plan.meta["base_year"]
    last = as_of.year if until is None else min(until, as_of.year)
    target = target_for(kpi, country)
    if country is not None:
        found = [
            method(by_country.get(country, {}), higher, base_year, target, last)
            for method in assess.METHODS.values()
        ]
    else:
        members, states = regional_panel(plan, by_country, as_of, last)
        found = [assess.regional(name, members, states, higher, target) for name in assess.METHODS]
    low = plan.unit_range(kpi["unit"])[0]
    if low is None or low < 0:  # a growth rate of a value that may be negative means nothing
        found = [not_applicable(a, plan.unit_name(kpi["unit"])) for a in found]
    return [a.as_dict() for a in found]


def regional_panel(
    plan: Plan, by_country: dict[str, dict[int, float]], as_of: date, last: int
) -> tuple[list[assess.Member], int]:
    """The regional panel (:func:`assess.panel`) of the states that were members on the
    as-of date or at the end of the period's last year, if earlier, and their number (the
    M of "N of M member states"): a state that was not a member then is not required."""
    members = set(plan.members_at(min(as_of, date(last, 12, 31))))
    mine = {code: series for code, series in by_country.items() if code in members}
    return assess.panel(mine, plan.meta["base_year"], last), len(members)


def regional_view(plan: Plan, kpi: Kpi, as_of: date, until: int | None = None) -> RegionalView:
    """The regional verdicts with the panel they rest on, and the panel's series."""
    by_country = series_by_country(plan, kpi["id"], as_of)
    last = as_of.year if until is None else min(until, as_of.year)
    members, states = regional_panel(plan, by_country, as_of, last)
    enough = len(members) >= 2 and len(members) * 2 > states
    series = assess.panel_series(by_country, members, last) if enough else {}
    return {
        "region": plan.region,
        "rule": PANEL_RULE,
        "members": states,
        "panel": [m.as_dict() for m in members],
        "assessments": assessments(plan, kpi, None, as_of, until),
        "series": [
            {"year": y, "mean": round(v, 6), "countries": len(members)} for y, v in series.items()
        ],
        "series_rule": "the panel's mean in the years every panel country has a reading",
    }


PANEL_RULE = (
    "a constant panel: the member states with a baseline and a later reading; the "
    "regional baseline and latest values are their simple means, at their mean "
    "base and latest years; assessed when the panel holds more than half the "
    "member states (UN ESCAP)"
)


def kpi_show(
    plan: Plan, kpi_id: str, country: str | None = None, as_of: date | None = None
) -> KpiShowJson:
    """A KPI's readings known on ``as_of`` (default today), and per country (and for the
    region, on its constant panel) its baseline, latest value, change and progress status by
    both methods, with the numbers behind them."""
    plan.require(kpi_id, "kpi")
    plan.require_scope(country=country)
    day = as_of or date.today()
    kpi = plan.kpis[kpi_id]
    order = list(plan.countries)
    readings = sorted(
        (r for r in plan.readings_of(kpi_id, day) if country in (None, r.country)),
        key=lambda r: (order.index(r.country), r.year),
    )
    countries = [c for c in plan.countries if country in (None, c)]
    data: KpiShowJson = {
        "id": kpi_id,
        "name": kpi["name"],
        "goal": kpi["goal"],
        "unit": kpi["unit"],
        "direction": kpi["direction"],
        "indicator_code": kpi["indicator_code"],
        "source": kpi["source"],
        "base_year": plan.meta["base_year"],
        "as_of": day.isoformat(),
        "baseline_rule": (
            f"the {plan.meta['base_year']} reading, else the nearest year within "
            f"{assess.BASELINE_WINDOW} years (the earlier on a tie)"
        ),
        "discontinued": kpi["discontinued"],
        "readings": [
            {
                "country": r.country,
                "year": r.year,
                "value": r.value,
                "source": r.source,
                "vintage": r.vintage,
            }
            for r in readings
        ],
        "countries": [
            {"country": c, "assessments": assessments(plan, kpi, c, day)} for c in countries
        ],
    }
    if country is None:
        data["regional"] = regional_view(plan, kpi, day)
    return data


def coverage(plan: Plan, as_of: date) -> CoverageJson:
    """KPI x member state on ``as_of`` (a state that was not a member then is not
    required): years covered and latest year known on ``as_of``, against the declared
    availability."""
    members = plan.members_at(as_of)
    rows: list[CoverageRow] = []
    for kpi in plan.kpis.values():
        series = series_by_country(plan, kpi["id"], as_of)
        ended = kpi["discontinued"]
        cells: dict[str, CoverageCell] = {}
        for code in members:
            years = sorted(series.get(code, {}))
            declared = code in kpi["available_for"]
            state: CoverageState
            if not years:
                state = "missing" if declared else "none"
            elif (
                ended
                and years[-1] >= ended["last_data_year"]
                and as_of.isoformat() >= str(ended["ended"])
            ):
                state = "discontinued"
            elif years[-1] < as_of.year - STALE_YEARS:
                state = "stale"
            else:
                state = "ok" if declared else "undeclared"
            cells[code] = {
                "declared": declared,
                "years": len(years),
                "first": years[0] if years else None,
                "last": years[-1] if years else None,
                "state": state,
            }
        rows.append(
            {
                "id": kpi["id"],
                "name": kpi["name"],
                "indicator_code": kpi["indicator_code"],
                "discontinued": ended,
                "countries": cells,
            }
        )
    return {
        "as_of": as_of.isoformat(),
        "stale_after_years": STALE_YEARS,
        "countries": members,
        "kpis": rows,
    }


NOT_ASSESSED = "not assessed"


def not_applicable(found: assess.Assessment, unit: str) -> assess.Assessment:
    """Both methods measure growth (CAGR), which is not defined for values that may be
    negative (a growth rate, a balance): the numbers are kept, the verdict is not given."""
    if found.latest_value is None or found.base_value is None:  # too few readings
        return found
    return replace(
        found,
        status=NOT_ASSESSED,
        cagr_actual=None,
        cagr_required=None,
        ratio=None,
        projected_value=None,
        score=None,
        reason=f"the methods compare growth rates (CAGR), which are not defined for "
        f"values in {unit}, a unit that may be negative",
    )
