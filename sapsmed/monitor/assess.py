"""Achievement monitoring: where a KPI stands against its baseline, and why (REFERENCE.md 3).

Two published methods, each with and without a target, with the KPI's direction:

- Statistics Canada, as used by Open SDG: with a target, the ratio R of actual to required
  growth (CAGR); without one, the actual CAGR itself.
- UN Statistics Division progress chart (2023 technical note): with a target, the share of
  the way to it that the current trend projects by the target year; without one, the CAGR.

Every verdict carries the numbers it came from. Fewer than two data points (from the baseline
on) give "insufficient data", with the reason. A regional verdict compares like with like: a
constant panel of the countries with a baseline and a later reading, whose mean baseline and
mean latest value are compared (simple means, UN ESCAP), assessed only when the panel holds
more than half the member states.

The arithmetic never raises: a growth rate that is not defined (no years to grow over, a
negative value) is None, one that overflows is infinite while the verdict is decided, and
numbers that are not finite are reported as None.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sapsmed.domain import vocabulary

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.shapes_kpi import AssessmentJson, PanelMember

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
    reason: str | None = None  # why the data are insufficient

    def as_dict(self) -> AssessmentJson:
        return {
            "method": self.method,
            "status": self.status,
            "points": self.points,
            "base_year": self.base_year,
            "base_value": finite(self.base_value),
            "latest_year": self.latest_year,
            "latest_value": finite(self.latest_value),
            "change": finite(self.change),
            "cagr_actual": finite(self.cagr_actual),
            "target_year": self.target_year,
            "target_value": finite(self.target_value),
            "cagr_required": finite(self.cagr_required),
            "ratio": finite(self.ratio),
            "projected_value": finite(self.projected_value),
            "score": finite(self.score),
            "reason": self.reason,
        }


def finite(value: float | None) -> float | None:
    """A float to 6 places, None where it is not finite (an int or None as it is)."""
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    return value


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


def span(
    series: dict[int, float], base_year: int, until: int | None
) -> tuple[int, float, int, float, int] | str:
    """(base year, base value, latest year, latest value, points), or why there is none."""
    base = baseline(series, base_year)
    if base is None:
        return f"no reading within {BASELINE_WINDOW} years of {base_year}"
    years = [y for y in series if y >= base[0] and (until is None or y <= until)]
    if len(years) < 2:
        return (
            f"{len(years)} point{'' if len(years) == 1 else 's'} from the {base[0]} "
            "baseline on; 2 needed"
        )
    latest = max(years)
    return base[0], base[1], latest, series[latest], len(years)


def no_growth_rate(method: str, found: tuple[int, float, int, float, int]) -> Assessment:
    """Insufficient: the values (a negative one) give no growth rate; the numbers are kept."""
    y0, x0, yt, xt, points = found
    return Assessment(
        method,
        INSUFFICIENT,
        points,
        y0,
        x0,
        yt,
        xt,
        xt - x0,
        reason="a growth rate is not defined from these values",
    )


def missed(target: Target) -> str:
    """The verdict once the target year has passed (or is the latest) and it is not met."""
    return f"target not achieved by {target.year}"


def met(latest: float, target: Target, higher_is_better: bool) -> bool:
    return latest >= target.value if higher_is_better else latest <= target.value


def statcan(
    series: dict[int, float],
    higher_is_better: bool,
    base_year: int,
    target: Target | None = None,
    until: int | None = None,
) -> Assessment:
    """Statistics Canada / Open SDG."""
    method = "Statistics Canada (Open SDG), " + ("with target" if target else "no target")
    found = span(series, base_year, until)
    if isinstance(found, str):
        return Assessment(method, INSUFFICIENT, 0, reason=found)
    y0, x0, yt, xt, points = found
    sign = 1 if higher_is_better else -1
    actual = cagr(x0, xt, yt - y0)
    if actual is None:
        return no_growth_rate(method, found)
    common = dict(
        base_year=y0,
        base_value=x0,
        latest_year=yt,
        latest_value=xt,
        change=xt - x0,
        points=points,
        cagr_actual=actual,
    )
    if target is None:
        growth = sign * actual
        status = (
            "on track"
            if growth >= 0.015
            else "acceleration needed"
            if growth >= 0.005
            else "limited progress"
            if growth >= 0
            else "deterioration"
        )
        return Assessment(method, status, **common)  # type: ignore[arg-type]
    required = cagr(x0, target.value, target.year - y0)
    ratio = _defined(actual / required) if required else None
    if met(xt, target, higher_is_better):
        status = ACHIEVED
    elif yt >= target.year:
        status = missed(target)
    elif ratio is None:
        status = "on track" if sign * actual >= 0 else "deterioration"
    else:
        status = (
            "on track"
            if ratio >= 0.95
            else "acceleration needed"
            if ratio >= 0.6
            else "limited progress"
            if ratio >= 0
            else "deterioration"
        )
    return Assessment(
        method,
        status,
        target_year=target.year,
        target_value=target.value,
        cagr_required=required,
        ratio=ratio,
        **common,  # type: ignore[arg-type]
    )


def unsd(
    series: dict[int, float],
    higher_is_better: bool,
    base_year: int,
    target: Target | None = None,
    until: int | None = None,
) -> Assessment:
    """UN Statistics Division progress chart (2023 technical note)."""
    method = "UNSD progress chart, " + ("with target" if target else "no target")
    found = span(series, base_year, until)
    if isinstance(found, str):
        return Assessment(method, INSUFFICIENT, 0, reason=found)
    y0, x0, yt, xt, points = found
    actual = cagr(x0, xt, yt - y0)
    if actual is None:
        return no_growth_rate(method, found)
    common = dict(
        base_year=y0,
        base_value=x0,
        latest_year=yt,
        latest_value=xt,
        change=xt - x0,
        points=points,
        cagr_actual=actual,
    )
    if target is None:
        growth = actual if higher_is_better else -actual
        status = (
            "on track"
            if growth >= 0.02
            else "acceleration needed"
            if growth >= 0.005
            else "stagnation or regression"
        )
        return Assessment(method, status, **common)  # type: ignore[arg-type]
    ahead = target.year > yt  # a projection only forward from the latest reading
    projected = _defined(xt * power(1 + actual, target.year - yt)) if ahead else None
    score = (
        _defined((projected - x0) / (target.value - x0))
        if target.value != x0 and projected is not None
        else None
    )
    if met(xt, target, higher_is_better):
        status = ACHIEVED
    elif not ahead:
        status = missed(target)
    elif score is None:
        status = "stagnation or regression"
    else:
        status = (
            "on track"
            if score >= 0.95
            else "acceleration needed"
            if score >= 0.10
            else "stagnation or regression"
        )
    return Assessment(
        method,
        status,
        target_year=target.year,
        target_value=target.value,
        projected_value=projected,
        score=score,
        **common,  # type: ignore[arg-type]
    )


METHODS: dict[str, Callable[..., Assessment]] = dict(
    zip(vocabulary.METHODS, (statcan, unsd), strict=True)
)


@dataclass(frozen=True)
class Member:
    """A country of a regional panel: its own baseline and latest reading."""

    country: str
    base_year: int
    base_value: float
    latest_year: int
    latest_value: float

    def as_dict(self) -> PanelMember:
        return {
            "country": self.country,
            "baseline": {"year": self.base_year, "value": self.base_value},
            "latest": {"year": self.latest_year, "value": self.latest_value},
        }


def panel(
    by_country: dict[str, dict[int, float]], base_year: int, until: int | None
) -> list[Member]:
    """The countries with a baseline (the base-year rule, per country) and a later reading:
    the same countries at both ends, so a regional change is a change, not a change of who
    reported."""
    out = []
    for country, series in by_country.items():
        found = span(series, base_year, until)
        if not isinstance(found, str):
            out.append(Member(country, found[0], found[1], found[2], found[3]))
    return out


def regional(
    method: str,
    members: list[Member],
    member_states: int,
    higher_is_better: bool,
    target: Target | None = None,
) -> Assessment:
    """A method's verdict for the region: the mean baseline and the mean latest value of the
    panel, at the panel's mean base and latest years (rounded). Assessed only when the panel
    holds more than half the member states (UN ESCAP) and at least two."""
    name = f"{'Statistics Canada (Open SDG)' if method == 'statcan' else 'UNSD progress chart'}"
    if len(members) < 2 or len(members) * 2 <= member_states:
        return Assessment(
            f"{name}, regional",
            INSUFFICIENT,
            len(members),
            reason=f"a panel of {len(members)} of {member_states} member states "
            "with a baseline and a later reading; more than half needed",
        )
    y0 = round(sum(m.base_year for m in members) / len(members))
    yt = round(sum(m.latest_year for m in members) / len(members))
    if yt <= y0:
        return Assessment(
            f"{name}, regional",
            INSUFFICIENT,
            len(members),
            reason="the panel's latest readings are no later than its baselines",
        )
    series = {
        y0: mean([m.base_value for m in members]),
        yt: mean([m.latest_value for m in members]),
    }
    return METHODS[method](series, higher_is_better, y0, target)


def panel_series(
    by_country: dict[str, dict[int, float]], members: list[Member], until: int | None
) -> dict[int, float]:
    """The panel's mean in each year in which every panel country has a reading."""
    codes = [m.country for m in members]
    if len(codes) < 2:
        return {}
    years = set.intersection(*(set(by_country[c]) for c in codes))
    return {
        y: mean([by_country[c][y] for c in codes])
        for y in sorted(years)
        if until is None or y <= until
    }


def mean(values: list[float]) -> float:
    """The mean; of huge values too, whose sum overflows."""
    total = sum(values, 0.0)
    if math.isfinite(total):
        return total / len(values)
    return sum(v / len(values) for v in values)
