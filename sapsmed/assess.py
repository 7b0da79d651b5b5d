"""Achievement monitoring: where a KPI stands against its baseline, and why (REFERENCE.md 3).

Two published methods, each with and without a target, with the KPI's direction:

- Statistics Canada, as used by Open SDG: with a target, the ratio R of actual to required
  growth (CAGR); without one, the actual CAGR itself.
- UN Statistics Division progress chart (2023 technical note): with a target, the share of
  the way to it that the current trend projects by the target year; without one, the CAGR.

Every verdict carries the numbers it came from. Fewer than two data points (from the baseline
on) give "insufficient data". Regional figures are simple means across the countries with
data (UN ESCAP), assessed only when more than half the member states have two points.

The arithmetic never raises: a growth rate that is not defined (no years to grow over, a
negative value) is None, one that overflows is infinite while the verdict is decided, and
numbers that are not finite are reported as None.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

BASELINE_WINDOW = 5  # years either side of the base year in which a baseline may be taken
ZERO = 0.001  # Statistics Canada: a zero base value or target is replaced by 0.001

INSUFFICIENT = "insufficient data"
ACHIEVED = "target achieved"


@dataclass(frozen=True)
class Target:
    year: int
    value: float


@dataclass(frozen=True)
class Assessment:
    method: str
    status: str
    points: int
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    change: float | None = None
    cagr_actual: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    cagr_required: float | None = None
    ratio: float | None = None
    projected_value: float | None = None
    score: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: ((round(v, 6) if math.isfinite(v) else None) if isinstance(v, float) else v)
                for k, v in asdict(self).items()}


def baseline(series: dict[int, float], base_year: int) -> tuple[int, float] | None:
    """The base year's value; else the nearest year within 5 years, the earlier on a tie."""
    candidates = [y for y in series if abs(y - base_year) <= BASELINE_WINDOW]
    if not candidates:
        return None
    year = min(candidates, key=lambda y: (abs(y - base_year), y))
    return year, series[year]


def power(base: float, exponent: float) -> float:
    """``base ** exponent`` for a base of 0 or more, infinite where it overflows."""
    try:
        return float(base**exponent)
    except (OverflowError, ZeroDivisionError):
        return math.inf


def cagr(start: float, end: float, years: int) -> float | None:
    """Compound annual growth rate; None where it is not defined (no years, a negative value)."""
    start, end = start or ZERO, end or ZERO
    if years <= 0 or start < 0 or end < 0:
        return None
    return power(end / start, 1 / years) - 1


def _defined(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


def span(series: dict[int, float], base_year: int, until: int | None
         ) -> tuple[int, float, int, float, int] | None:
    """(base year, base value, latest year, latest value, points) or None if under 2 points."""
    base = baseline(series, base_year)
    if base is None:
        return None
    years = [y for y in series if y >= base[0] and (until is None or y <= until)]
    if len(years) < 2:
        return None
    latest = max(years)
    return base[0], base[1], latest, series[latest], len(years)


def met(latest: float, target: Target, higher_is_better: bool) -> bool:
    return latest >= target.value if higher_is_better else latest <= target.value


def statcan(series: dict[int, float], higher_is_better: bool, base_year: int,
            target: Target | None = None, until: int | None = None) -> Assessment:
    """Statistics Canada / Open SDG."""
    method = "Statistics Canada (Open SDG), " + ("with target" if target else "no target")
    found = span(series, base_year, until)
    if found is None:
        return Assessment(method, INSUFFICIENT, len(series))
    y0, x0, yt, xt, points = found
    sign = 1 if higher_is_better else -1
    actual = cagr(x0, xt, yt - y0)
    if actual is None:
        return Assessment(method, INSUFFICIENT, points)
    common = dict(base_year=y0, base_value=x0, latest_year=yt, latest_value=xt,
                  change=xt - x0, points=points, cagr_actual=actual)
    if target is None:
        growth = sign * actual
        status = ("on track" if growth >= 0.015 else "acceleration needed" if growth >= 0.005
                  else "limited progress" if growth >= 0 else "deterioration")
        return Assessment(method, status, **common)  # type: ignore[arg-type]
    required = cagr(x0, target.value, target.year - y0)
    ratio = _defined(actual / required) if required else None
    if met(xt, target, higher_is_better):
        status = ACHIEVED
    elif ratio is None:
        status = "on track" if sign * actual >= 0 else "deterioration"
    else:
        status = ("on track" if ratio >= 0.95 else "acceleration needed" if ratio >= 0.6
                  else "limited progress" if ratio >= 0 else "deterioration")
    return Assessment(method, status, target_year=target.year, target_value=target.value,
                      cagr_required=required, ratio=ratio, **common)  # type: ignore[arg-type]


def unsd(series: dict[int, float], higher_is_better: bool, base_year: int,
         target: Target | None = None, until: int | None = None) -> Assessment:
    """UN Statistics Division progress chart (2023 technical note)."""
    method = "UNSD progress chart, " + ("with target" if target else "no target")
    found = span(series, base_year, until)
    if found is None:
        return Assessment(method, INSUFFICIENT, len(series))
    y0, x0, yt, xt, points = found
    actual = cagr(x0, xt, yt - y0)
    if actual is None:
        return Assessment(method, INSUFFICIENT, points)
    common = dict(base_year=y0, base_value=x0, latest_year=yt, latest_value=xt,
                  change=xt - x0, points=points, cagr_actual=actual)
    if target is None:
        growth = actual if higher_is_better else -actual
        status = ("on track" if growth >= 0.02 else "acceleration needed" if growth >= 0.005
                  else "stagnation or regression")
        return Assessment(method, status, **common)  # type: ignore[arg-type]
    projected = _defined(xt * power(1 + actual, target.year - yt))
    score = (_defined((projected - x0) / (target.value - x0))
             if target.value != x0 and projected is not None else None)
    if met(xt, target, higher_is_better):
        status = ACHIEVED
    elif score is None:
        status = "stagnation or regression"
    else:
        status = ("on track" if score >= 0.95 else "acceleration needed" if score >= 0.10
                  else "stagnation or regression")
    return Assessment(method, status, target_year=target.year, target_value=target.value,
                      projected_value=projected, score=score, **common)  # type: ignore[arg-type]


METHODS = {"statcan": statcan, "unsd": unsd}


def regional(by_country: dict[str, dict[int, float]]) -> tuple[dict[int, float], dict[int, int]]:
    """The simple (unweighted) mean across the countries with data, per year, and how many."""
    values: dict[int, list[float]] = {}
    for series in by_country.values():
        for year, value in series.items():
            values.setdefault(year, []).append(value)
    return ({y: mean(values[y]) for y in sorted(values)},
            {y: len(values[y]) for y in sorted(values)})


def mean(values: list[float]) -> float:
    """The mean; of huge values too, whose sum overflows."""
    total = sum(values, 0.0)
    if math.isfinite(total):
        return total / len(values)
    return sum(v / len(values) for v in values)


def regional_assessable(by_country: dict[str, dict[int, float]], members: int, base_year: int,
                        until: int | None = None) -> bool:
    """UN ESCAP: at least 2 data points for more than half the countries."""
    enough = sum(span(s, base_year, until) is not None for s in by_country.values())
    return enough * 2 > members
