"""Chart geometry for the site: axes, ticks, points and bars as frozen dataclasses.

Pure arithmetic, no markup: the ``charts.html.j2`` macros draw these, so every piece of plan
text reaches the page through the one autoescaping environment. Coordinates are rounded to
0.1 px and ticks are exact decimals, so the same input always gives byte-identical pages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from typing import NamedTuple

from sapsmed.render.text import fmt_value

# Beyond this a tick could overflow to infinity; a plan's values are nowhere near it.
LIMIT = 1e300
# The smallest step: below it, neighbouring ticks could round to the same float.
_RELATIVE = Decimal("1e-12")
_ABSOLUTE = Decimal("1e-300")
CLASSES = 12  # s0..s11: the stylesheet's country colours, cycled
ROW = 22  # a timeline row, px
_STATUS_CSS = re.compile(r"[a-z][a-z_]*")


def _nice_step(raw: Decimal, after: Decimal | None = None) -> Decimal:
    """The smallest 1, 2 or 5 times a power of ten that is >= ``raw`` (and > ``after``)."""
    exp = raw.adjusted()
    while True:
        for mult in (1, 2, 5):
            step = Decimal(mult).scaleb(exp)
            if step >= raw and (after is None or step > after):
                return step
        exp += 1


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` round ticks (multiples of a 1/2/5 x 10^n step) from <= lo to >= hi.

    Equal ends are padded (a tenth of the value each way, or 1 around zero) so a single value
    still gets an axis. Arithmetic is in :class:`~decimal.Decimal`, so ticks carry no float
    noise and always cover the range; at most ``count + 2`` ticks come back."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or max(abs(lo), abs(hi)) > LIMIT:
        raise ValueError(f"ticks need finite values within ±{LIMIT:g}: {lo!r}, {hi!r}")
    count = max(count, 2)
    with localcontext() as ctx:
        ctx.prec = 60
        low, high = sorted((Decimal(lo), Decimal(hi)))
        if low == high:
            pad = abs(low) / 10 if low else Decimal(1)
            low, high = low - pad, high + pad
        magnitude = max(abs(low), abs(high))
        raw = max((high - low) / (count - 1), magnitude * _RELATIVE, _ABSOLUTE)
        step = _nice_step(raw)
        for _ in range(8):  # each pass widens the step; one pass is the rule
            first = (low / step).to_integral_value(rounding=ROUND_FLOOR)
            last = (high / step).to_integral_value(rounding=ROUND_CEILING)
            if last - first + 1 <= count + 2:
                break
            step = _nice_step(step, after=step)
        return [float(k * step) + 0.0 for k in range(int(first), int(last) + 1)]


def _decimals_of(values: Sequence[float]) -> int:
    """How many decimal places print every value exactly (ticks are short decimals)."""
    exponents = [Decimal(repr(v)).normalize().as_tuple().exponent for v in values]
    return max((-e for e in exponents if isinstance(e, int) and e < 0), default=0)


def year_ticks(first: int, last: int, most: int = 8) -> list[int]:
    """Whole-year ticks covering first..last, a round step apart (1, 2, 5, 10...), at most
    ``most`` of them."""
    step = 1
    while True:
        for mult in (1, 2, 5):
            ticks = list(range(first // (step * mult) * step * mult, last + 1, step * mult))
            if ticks[-1] < last:
                ticks.append(ticks[-1] + step * mult)
            if len(ticks) <= most:
                return ticks
        step *= 10


@dataclass(frozen=True)
class Tick:
    """One axis tick: its pixel position along the axis, its value and its label."""

    pos: float
    value: float
    label: str


@dataclass(frozen=True)
class Series:
    """A line's data: ``key`` a short id (a country code, "region") for data attributes,
    ``label`` display text (plan text: rendered escaped), points as (year, value)."""

    key: str
    label: str
    points: list[tuple[int, float]]
    regional: bool = False
    colour: int | None = None  # a fixed colour (a member state's place in the plan), else the next


class Point(NamedTuple):
    """A drawn point: pixel position, its year and value, the value as text and the tooltip
    (a tuple: a large plan draws hundreds of thousands)."""

    x: float
    y: float
    year: int
    value: float
    text: str
    tooltip: str


@dataclass(frozen=True)
class DrawnSeries:
    """A series as drawn: css class (``s0``..``s9`` or ``regional``), polyline, points."""

    key: str
    label: str
    css: str
    regional: bool
    polyline: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Frame:
    """What every chart has: its accessible name and description, the svg's size and the
    plot box the data is drawn in."""

    title: str
    desc: str
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class LineChart(Frame):
    """A line chart: the frame, the unit, both axes' ticks and the series."""

    unit: str
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    series: tuple[DrawnSeries, ...]


@dataclass(frozen=True)
class _Scale:
    """A linear map from the domain d0..d1 onto pixels p0..p1, rounded to 0.1 px."""

    d0: float
    d1: float
    p0: float
    p1: float

    def __call__(self, value: float) -> float:
        share = (value - self.d0) / (self.d1 - self.d0)
        return round(self.p0 + share * (self.p1 - self.p0), 1) + 0.0


def _px(value: float) -> str:
    return f"{value:.1f}"


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    unit: str,
    decimals: int | None,
    width: int = 640,
    height: int = 320,
) -> LineChart | None:
    """The geometry of a line chart of values by year; None when no series has a point.

    Values that cannot be placed (NaN, infinite, beyond ``LIMIT``) are left out. A single
    year or a single value still gets a padded axis, so one point is drawn, not lost."""
    kept = [(s, sorted((int(y), float(v)) for y, v in s.points if abs(v) <= LIMIT)) for s in series]
    kept = [(s, pts) for s, pts in kept if pts]
    if not kept:
        return None
    years = [y for _, pts in kept for y, _ in pts]
    values = [v for _, pts in kept for _, v in pts]
    y_values = nice_ticks(min(values), max(values))
    places = _decimals_of(y_values)
    label_places = places if decimals is None else max(decimals, places)
    # Ticks finer than 1e-9 read better as 1.5e-12 than as a run of zeros.
    y_labels = [fmt_value(v, label_places) if places <= 9 else repr(v) for v in y_values]
    first, last = min(years), max(years)
    if first == last:
        first, last = first - 1, last + 1
    x_values = year_ticks(first, last)
    left = float(min(max(40, 12 + 7 * max(len(t) for t in y_labels)), width // 3))
    top, right, bottom = 24.0, float(width - 24), float(height - 32)  # room for a year label
    sx = _Scale(x_values[0], x_values[-1], left, right)
    sy = _Scale(y_values[0], y_values[-1], bottom, top)
    drawn: list[DrawnSeries] = []
    countries = 0
    for s, pts in kept:
        if s.regional:
            css = "regional"
        else:
            place = countries if s.colour is None else s.colour
            css, countries = f"s{place % CLASSES}", countries + 1
        shown = [(y, v, f"{fmt_value(v, decimals)} {unit}".rstrip()) for y, v in pts]
        points = tuple(Point(sx(y), sy(v), y, v, t, f"{s.key} {y}: {t}") for y, v, t in shown)
        polyline = " ".join(f"{_px(p.x)},{_px(p.y)}" for p in points)
        drawn.append(DrawnSeries(s.key, s.label, css, s.regional, polyline, points))
    return LineChart(
        title=title,
        desc=(
            f"Line chart of {unit or 'values'} by year, {min(years)} to {max(years)}: "
            + ", ".join(s.label for s in drawn)
        ),
        unit=unit,
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        x_ticks=tuple(Tick(sx(v), v, str(v)) for v in x_values),
        y_ticks=tuple(Tick(sy(v), v, t) for v, t in zip(y_values, y_labels, strict=True)),
        series=tuple(drawn),
    )


@dataclass(frozen=True)
class Bar:
    """A line's planned span: from the start of year ``start`` to the end of year ``end``."""

    key: str
    label: str
    start: int
    end: int
    status: str


@dataclass(frozen=True)
class DrawnBar:
    """A timeline row: the bar's box (width 0 when it lies outside the axis), the row's
    label text (key and label, shortened to the label column) and the tooltip."""

    key: str
    label: str
    start: int
    end: int
    status: str
    css: str
    x: float
    y: float
    width: float
    height: float
    text: str
    text_y: float
    tooltip: str


@dataclass(frozen=True)
class Timeline(Frame):
    """A Gantt-like chart: the frame, one row per bar, year ticks, and an "as of" marker (x
    or None)."""

    ticks: tuple[Tick, ...]
    bars: tuple[DrawnBar, ...]
    as_of_x: float | None
    as_of_label: str


def _shorten(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 0)] + "…"


def timeline(
    bars: Sequence[Bar],
    *,
    title: str,
    first_year: int,
    last_year: int,
    as_of_year: float | None,
    width: int = 640,
    label_width: int = 180,
) -> Timeline | None:
    """The geometry of a timeline of ``bars`` over first_year..last_year (None without bars).

    Bars are clipped to the axis; the "as of" marker is drawn only inside the axis. Status is
    carried as text too (tooltip, data table), never by colour alone."""
    if not bars:
        return None
    first_year, last_year = sorted((first_year, last_year))
    left, top, right = float(label_width), 8.0, float(width - 16)
    bottom = top + ROW * len(bars)
    sx = _Scale(first_year, last_year + 1, left, right)
    drawn = []
    for row, b in enumerate(bars):
        x0 = sx(min(max(b.start, first_year), last_year + 1))
        x1 = sx(min(max(b.end + 1, first_year), last_year + 1))
        status = b.status.replace("_", " ")
        span = f"{b.start}–{b.end}" if b.start != b.end else str(b.start)
        css = f"status-{b.status}" if _STATUS_CSS.fullmatch(b.status) else "status-other"
        drawn.append(
            DrawnBar(
                key=b.key,
                label=b.label,
                start=b.start,
                end=b.end,
                status=b.status,
                css=css,
                x=x0,
                y=top + ROW * row + 3,
                width=round(max(x1 - x0, 0.0), 1),
                height=ROW - 6.0,
                text=_shorten(f"{b.key} {b.label}", int((label_width - 8) / 6.5)),
                text_y=top + ROW * row + 15,
                tooltip=f"{b.key} {b.label}: {span}, {status}",
            )
        )
    as_of = (
        as_of_year if as_of_year is not None and first_year <= as_of_year < last_year + 1 else None
    )
    return Timeline(
        title=title,
        desc=f"Timeline of {len(bars)} lines, {first_year} to {last_year}",
        width=width,
        height=int(bottom) + 40,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        ticks=tuple(
            Tick(sx(y), y, str(y))
            for y in year_ticks(first_year, last_year)
            if first_year <= y <= last_year
        ),
        bars=tuple(drawn),
        as_of_x=None if as_of is None else sx(as_of),
        as_of_label="" if as_of is None else f"as of {math.floor(as_of)}",
    )
