"""What `kpi list`, `kpi show` and `kpi coverage` report, as plain data."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import assess
from .errors import UnknownId
from .plan import Entity, Plan

STALE_YEARS = 3  # no reading in the last 3 years before the as-of year: stale


def series_by_country(plan: Plan, kpi_id: str) -> dict[str, dict[int, float]]:
    """A KPI's readings as {country: {year: value}}."""
    return plan.series(kpi_id)


def kpi_list(plan: Plan) -> list[dict[str, Any]]:
    rows = []
    for kpi in plan.kpis.values():
        series = series_by_country(plan, kpi["id"])
        rows.append({
            "id": kpi["id"], "goal": kpi["goal"], "name": kpi["name"], "unit": kpi["unit"],
            "direction": kpi["direction"], "source": kpi["source"],
            "indicator_code": kpi["indicator_code"],
            "countries_with_data": [c for c in plan.countries if c in series],
            "latest_year": max((y for s in series.values() for y in s), default=None),
            "readings": sum(len(s) for s in series.values()),
        })
    return rows


def target_for(kpi: Entity, country: str | None) -> assess.Target | None:
    for t in kpi["targets"]:
        if t["country"] == country:
            return assess.Target(t["year"], t["value"])
    return None


def assessments(plan: Plan, kpi: Entity, country: str | None,
                until: int | None) -> list[dict[str, Any]]:
    """Both methods' verdicts for a country, or (country None) for the regional mean, which
    is assessed only when more than half the member states have two points (UN ESCAP)."""
    by_country = series_by_country(plan, kpi["id"])
    higher = kpi["direction"] == "higher_is_better"
    base_year = plan.meta["base_year"]
    series = by_country.get(country, {}) if country else assess.regional(by_country)[0]
    results = [method(series, higher, base_year, target_for(kpi, country), until).as_dict()
               for method in assess.METHODS.values()]
    if country is None and not assess.regional_assessable(by_country, len(plan.countries),
                                                          base_year, until):
        results = [{**a, "status": assess.INSUFFICIENT} for a in results]
    return results


def kpi_show(plan: Plan, kpi_id: str, country: str | None = None,
             until: int | None = None) -> dict[str, Any]:
    """A KPI's readings, and per country (and for the region) its baseline, latest value,
    change and progress status by both methods, with the numbers behind them."""
    if kpi_id not in plan.kpis:
        from .views import show

        show(plan, kpi_id)  # raises with a did-you-mean for an unknown id
        raise UnknownId(f"{kpi_id!r} is not a KPI")
    if country is not None and country not in plan.countries:
        from .views import country_hint

        raise UnknownId(f"{country!r} is not a member state{country_hint(plan, country)}")
    kpi = plan.kpis[kpi_id]
    by_country = series_by_country(plan, kpi_id)
    readings = sorted((r for r in plan.readings_of(kpi_id) if country in (None, r.country)),
                      key=lambda r: (list(plan.countries).index(r.country), r.year))
    countries = [c for c in plan.countries if country in (None, c)]
    data: dict[str, Any] = {
        "id": kpi_id, "name": kpi["name"], "goal": kpi["goal"], "unit": kpi["unit"],
        "direction": kpi["direction"], "indicator_code": kpi["indicator_code"],
        "source": kpi["source"], "base_year": plan.meta["base_year"],
        "baseline_rule": (f"the {plan.meta['base_year']} reading, else the nearest year within "
                          f"{assess.BASELINE_WINDOW} years (the earlier on a tie)"),
        "discontinued": kpi["discontinued"],
        "readings": [{"country": r.country, "year": r.year, "value": r.value,
                      "source": r.source, "vintage": r.vintage} for r in readings],
        "countries": [{"country": c, "assessments": assessments(plan, kpi, c, until)}
                      for c in countries],
    }
    if country is None:
        means, counts = assess.regional(by_country)
        assessable = assess.regional_assessable(by_country, len(plan.countries),
                                                plan.meta["base_year"], until)
        regional = assessments(plan, kpi, None, until)
        data["regional"] = {
            "rule": "simple mean across the countries with data; assessed when more than half "
                    "the member states have 2 points or more (UN ESCAP)",
            "assessable": assessable,
            "series": [{"year": y, "mean": round(means[y], 6), "countries": counts[y]}
                       for y in means],
            "assessments": regional,
        }
    return data


def coverage(plan: Plan, as_of: date) -> dict[str, Any]:
    """KPI x country: years covered and latest year, against the declared availability."""
    rows = []
    for kpi in plan.kpis.values():
        series = series_by_country(plan, kpi["id"])
        ended = kpi["discontinued"]
        cells = {}
        for code in plan.countries:
            years = sorted(series.get(code, {}))
            declared = code in kpi["available_for"]
            if not years:
                state = "missing" if declared else "none"
            elif ended and years[-1] >= ended["last_data_year"]:
                state = "discontinued"
            elif years[-1] < as_of.year - STALE_YEARS:
                state = "stale"
            else:
                state = "ok" if declared else "undeclared"
            cells[code] = {"declared": declared, "years": len(years),
                           "first": years[0] if years else None,
                           "last": years[-1] if years else None, "state": state}
        rows.append({"id": kpi["id"], "name": kpi["name"],
                     "indicator_code": kpi["indicator_code"], "discontinued": ended,
                     "countries": cells})
    return {"as_of": as_of.isoformat(), "stale_after_years": STALE_YEARS,
            "countries": list(plan.countries), "kpis": rows}
