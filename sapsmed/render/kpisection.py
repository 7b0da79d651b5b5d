"""The KPI parts of the markdown reports: a KPI's verdicts per member state and for the
region, with the numbers they rest on, and its trend chart."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sapsmed.domain.plan import Plan
from sapsmed.monitor import assess
from sapsmed.monitor.kpiviews import assessments, regional_view, series_by_country
from sapsmed.render.markdown import Md, doc, line_chart, md, table
from sapsmed.render.text import fmt_value

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.entities import Kpi
    from sapsmed.domain.shapes_kpi import RegionalView


def kpi_section(
    plan: Plan, kpi: Kpi, as_of: date, country: str | None, until: int | None = None
) -> Md:
    """A KPI's verdicts per member state and for the region (on its constant panel, named),
    on the readings known on ``as_of`` up to the year ``until``, and its trend chart."""
    code = md(" ({})", kpi["indicator_code"]) if kpi["indicator_code"] else Md("")
    out = [
        md("#### {} {}{}\n", kpi["id"], kpi["name"], code),
        md(
            "Unit: {}; {}; source named by the plan: {}.\n",
            plan.unit_name(kpi["unit"]),
            kpi["direction"].replace("_", " "),
            kpi["source"],
        ),
    ]
    by_country = series_by_country(plan, kpi["id"], as_of)
    if not by_country:
        out.append(Md("No readings yet.\n"))
        return doc(out)
    last = as_of.year if until is None else min(until, as_of.year)
    places = plan.decimals(kpi["unit"])
    rows = []
    region = regional_view(plan, kpi, as_of, until) if country is None else None
    for code_ in [country] if country else [None, *plan.countries]:
        if code_ is not None and code_ not in by_country:
            continue
        statcan, unsd = (
            region["assessments"]
            if region is not None and code_ is None
            else assessments(plan, kpi, code_, as_of, until)
        )
        rows.append(
            [
                plan.countries[code_]["name"] if code_ else region_label(region),
                point(statcan, "base", places),
                point(statcan, "latest", places),
                "-" if statcan["change"] is None else fmt_value(statcan["change"], places),
                verdict(statcan, places),
                verdict(unsd, places),
            ]
        )
    if country is not None and not rows:
        out.append(md("No readings for {}.\n", plan.countries[country]["name"]))
        return doc(out)
    out.append(
        table(
            [
                "",
                "Baseline",
                "Latest",
                "Change",
                "Statistics Canada (Open SDG)",
                "UNSD progress chart",
            ],
            rows,
            "lrrrll",
        )
    )
    if region is not None:
        name = region["region"]
        out.append(md("\n{}: {}.\n", name[:1].upper() + name[1:], region["rule"]))
        series = {s["year"]: s["mean"] for s in region["series"]}
        label = f"mean of the panel ({', '.join(m['country'] for m in region['panel'])})"
    else:
        series, label = by_country.get(country or "", {}), plan.countries[country or ""]["name"]
    first = plan.meta["base_year"] - assess.BASELINE_WINDOW
    years = [y for y in sorted(series) if first <= y <= last]
    if len(years) >= 2:
        out.append(
            Md(
                "\n"
                + line_chart(
                    f"{kpi['id']} {label}",
                    plan.unit_name(kpi["unit"]),
                    years,
                    [series[y] for y in years],
                )
            )
        )
    elif region is not None:
        out.append(
            Md(
                "\nNo regional trend: fewer than two years in which every panel country "
                "has a reading.\n"
            )
        )
    return doc(out)


def region_label(region: RegionalView | None) -> str:
    """The region's row, naming its panel: never "ASEAN" for a handful of countries."""
    assert region is not None
    panel = [m["country"] for m in region["panel"]]
    name = region["region"]
    return f"{name[:1].upper()}{name[1:]}: panel of {len(panel)} of {region['members']}" + (
        f" ({', '.join(panel)})" if panel else ""
    )


def point(a: Mapping[str, Any], which: str, decimals: int | None = None) -> str:
    year, value = a[f"{which}_year"], a[f"{which}_value"]
    return "-" if year is None else f"{fmt_value(value, decimals)} ({year})"


def verdict(a: Mapping[str, Any], decimals: int | None = None) -> str:
    """A status with the numbers it rests on (growth, and against a target the ratio or
    the projection)."""
    if a["cagr_actual"] is None or a["status"] == assess.INSUFFICIENT:
        return str(a["status"])
    parts = [f"CAGR {100 * a['cagr_actual']:+.2f}%"]
    if a["cagr_required"] is not None:
        parts.append(f"needed {100 * a['cagr_required']:+.2f}%")
    if a["ratio"] is not None:
        parts.append(f"ratio {a['ratio']:.2f}")
    if a["projected_value"] is not None:
        parts.append(
            f"projected {fmt_value(a['projected_value'], decimals)} in {a['target_year']} "
            f"against {fmt_value(a['target_value'], decimals)}"
        )
    if a["score"] is not None:
        parts.append(f"score {a['score']:.2f}")
    return f"{a['status']} ({', '.join(parts)})"
