"""Chart geometry (sapsmed/site/svg.py) and the chart macros (charts.html.j2), no browser:
ticks are round and cover the data, points land inside the plot box, the same input gives
the same bytes, the SVG parses, and plan text stays text."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sapsmed.site.env import environment
from sapsmed.site.svg import (
    Bar,
    LineChart,
    Series,
    Timeline,
    line_chart,
    nice_ticks,
    timeline,
    year_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\u202eevil",
    "nul\x00here",
]


def render_line(c: LineChart, id: str = "chart-x") -> str:
    template = '{% import "charts.html.j2" as charts %}{{ charts.line_chart(c, id, "cap") }}'
    return environment().from_string(template).render(c=c, id=id)


def render_timeline(t: Timeline, id: str = "tl-x") -> str:
    template = '{% import "charts.html.j2" as charts %}{{ charts.timeline(t, id, "cap") }}'
    return environment().from_string(template).render(t=t, id=id)


def svg_of(html: str) -> ET.Element:
    """The figure's outer <svg>, parsed on its own (the figure is checked whole elsewhere)."""
    start = html.index("<svg")
    end = html.index("</svg>", start) + len("</svg>")
    return ET.fromstring(html[start:end])


def is_round(tick: float, step: Decimal) -> bool:
    """``tick`` is the float nearest to a whole multiple of ``step``."""
    k = (Decimal(tick) / step).to_integral_value()
    return float(k * step) == tick


def step_of(ticks: list[float]) -> Decimal:
    return Decimal(repr(ticks[1])) - Decimal(repr(ticks[0]))


SAMPLE = [
    Series("MYS", "Malaysia", [(2019, 12.3), (2016, 4.0), (2022, 20.5)]),
    Series("THA", "Thailand", [(2017, -3.25), (2021, 7.0)]),
    Series("region", "Region", [(2018, 5.5), (2020, 6.0)], regional=True),
]


def sample_chart() -> LineChart:
    c = line_chart(SAMPLE, title="Share", unit="percent", decimals=1)
    assert c is not None
    return c


# nice_ticks


finite = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(finite, finite, st.booleans())
def test_nice_ticks_are_round_cover_and_few(a: float, b: float, equal: bool) -> None:
    lo, hi = (a, a) if equal else sorted((a, b))
    ticks = nice_ticks(lo, hi)
    assert 2 <= len(ticks) <= 7
    assert ticks == sorted(set(ticks))  # ascending, distinct
    assert ticks[0] <= lo and ticks[-1] >= hi
    step = step_of(ticks)
    assert step > 0
    assert step.normalize().as_tuple().digits[0] in (1, 2, 5)
    assert len(step.normalize().as_tuple().digits) == 1
    assert all(is_round(t, step) for t in ticks)


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (0.0, 10.0, [0.0, 5.0, 10.0]),
        (0.1, 0.3, [0.1, 0.15, 0.2, 0.25, 0.3]),
        (-3.7, 8.2, [-5.0, 0.0, 5.0, 10.0]),
        (0.0, 0.0, [-1.0, -0.5, 0.0, 0.5, 1.0]),
        (12.3, 12.3, [11.0, 12.0, 13.0, 14.0]),
    ],
)
def test_nice_ticks_examples(lo: float, hi: float, expected: list[float]) -> None:
    assert nice_ticks(lo, hi) == expected


def test_nice_ticks_show_no_float_noise() -> None:
    for lo, hi in [(0.1, 0.7), (0.3, 0.9), (1e-9, 7e-9), (-0.7, -0.1)]:
        for t in nice_ticks(lo, hi):
            assert len(repr(t)) <= 8, t


def test_nice_ticks_swap_and_refuse_non_finite() -> None:
    assert nice_ticks(10.0, 0.0) == nice_ticks(0.0, 10.0)
    for bad in (math.nan, math.inf, -math.inf, 1e308):
        with pytest.raises(ValueError):
            nice_ticks(0.0, bad)


def test_nice_ticks_tiny_and_huge() -> None:
    tiny = nice_ticks(5e-324, 5e-324)
    assert tiny[0] <= 5e-324 <= tiny[-1] and len(set(tiny)) == len(tiny)
    huge = nice_ticks(1e15, 1e15 + 0.125)
    assert huge[0] <= 1e15 and huge[-1] >= 1e15 + 0.125 and len(huge) >= 2


def test_year_ticks_round_and_at_most_eight() -> None:
    for first in range(1990, 2031, 3):
        for last in range(first, 2061, 7):
            ticks = year_ticks(first, last)
            assert len(ticks) <= 8
            assert ticks[0] <= first and ticks[-1] >= last
            step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
            assert str(step).strip("0") in ("1", "2", "5")
            assert all(t % step == 0 for t in ticks)
    assert year_ticks(2016, 2023) == list(range(2016, 2024))


# line_chart geometry


def test_no_points_no_chart() -> None:
    assert line_chart([], title="t", unit="u", decimals=None) is None
    empty = [Series("MYS", "Malaysia", []), Series("THA", "T", [(2020, math.nan), (2021, 1e308)])]
    assert line_chart(empty, title="t", unit="u", decimals=None) is None


def test_points_inside_the_plot_box_and_ordered() -> None:
    c = sample_chart()
    assert 0 < c.left < c.right <= c.width and 0 < c.top < c.bottom <= c.height
    points = [p for s in c.series for p in s.points]
    assert len(points) == 7
    for p in points:
        assert c.left <= p.x <= c.right and c.top <= p.y <= c.bottom
    for p in points:
        for q in points:
            if p.year < q.year:
                assert p.x < q.x
            if p.value < q.value:
                assert p.y > q.y  # a larger value is drawn higher (smaller y)


def test_ticks_labelled_and_years_whole() -> None:
    c = sample_chart()
    assert all(isinstance(t.value, int) and t.label == str(t.value) for t in c.x_ticks)
    assert [t.value for t in c.x_ticks] == list(range(2016, 2023))
    assert [t.label for t in c.y_ticks] == ["-10.0", "0.0", "10.0", "20.0", "30.0"]
    assert all(c.top <= t.pos <= c.bottom for t in c.y_ticks)
    assert all(c.left <= t.pos <= c.right for t in c.x_ticks)


def test_series_classes_polyline_and_tooltips() -> None:
    c = sample_chart()
    assert [s.css for s in c.series] == ["s0", "s1", "regional"]
    mys = c.series[0]
    assert [p.year for p in mys.points] == [2016, 2019, 2022]  # sorted by year
    assert mys.polyline == " ".join(f"{p.x:.1f},{p.y:.1f}" for p in mys.points)
    assert mys.points[1].tooltip == "MYS 2019: 12.3 percent"
    many = [Series(f"C{i}", f"Country {i}", [(2020, float(i))]) for i in range(14)]
    wide = line_chart(many, title="t", unit="", decimals=None)
    assert wide is not None
    assert [s.css for s in wide.series][10:] == ["s10", "s11", "s0", "s1"]  # cycled
    fixed = [Series("VNM", "Viet Nam", [(2020, 1.0)], colour=9), Series("BRN", "B", [(2020, 2.0)])]
    placed = line_chart(fixed, title="t", unit="", decimals=None)
    assert placed is not None and [s.css for s in placed.series] == ["s9", "s1"]


def test_tiny_values_get_short_distinct_labels() -> None:
    c = line_chart(
        [Series("X", "X", [(2020, 1e-12), (2021, 3e-12)])], title="t", unit="", decimals=2
    )
    assert c is not None
    labels = [t.label for t in c.y_ticks]
    assert "1e-12" in labels and "3e-12" in labels and len(set(labels)) == len(labels)
    assert all(len(label) < 10 for label in labels)


def test_single_point_is_drawn_inside() -> None:
    c = line_chart([Series("MYS", "M", [(2020, 7.0)])], title="t", unit="u", decimals=None)
    assert c is not None
    (p,) = c.series[0].points
    assert c.left < p.x < c.right and c.top < p.y < c.bottom
    assert len(c.x_ticks) >= 2 and len(c.y_ticks) >= 2


years = st.integers(min_value=1990, max_value=2060)
points = st.lists(st.tuples(years, finite), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(points, min_size=1, max_size=4), st.sampled_from([None, 0, 2]))
def test_any_points_land_in_the_box(data: list[list[tuple[int, float]]], dec: int | None) -> None:
    series = [Series(f"C{i}", f"Country {i}", pts, regional=i == 3) for i, pts in enumerate(data)]
    c = line_chart(series, title="t", unit="u", decimals=dec)
    assert c is not None
    assert c == line_chart(series, title="t", unit="u", decimals=dec)  # deterministic
    drawn = [p for s in c.series for p in s.points]
    assert len(drawn) == sum(len(pts) for pts in data)
    for p in drawn:
        assert c.left <= p.x <= c.right and c.top <= p.y <= c.bottom
    for p in drawn:
        for q in drawn:
            assert (p.year < q.year) <= (p.x < q.x)
            assert (p.value < q.value) <= (p.y >= q.y)
    assert 2 <= len(c.x_ticks) <= 8 and 2 <= len(c.y_ticks) <= 7
    assert len({t.label for t in c.y_ticks}) == len(c.y_ticks)  # no two ticks read the same


# rendering


def test_rendering_is_deterministic() -> None:
    assert render_line(sample_chart()) == render_line(sample_chart())
    bars = [Bar("1.1", "A", 2020, 2023, "ongoing")]
    one = timeline(bars, title="t", first_year=2019, last_year=2026, as_of_year=2024.5)
    two = timeline(bars, title="t", first_year=2019, last_year=2026, as_of_year=2024.5)
    assert one is not None and two is not None
    assert render_timeline(one) == render_timeline(two)


def test_line_chart_svg_structure() -> None:
    html = render_line(sample_chart())
    figure = ET.fromstring(html)  # the whole figure is well-formed (XHTML-parseable)
    assert figure.tag == "figure" and "chart" in figure.attrib["class"].split()
    svg = svg_of(html)
    assert svg.tag == f"{SVG}svg"
    assert svg.attrib["role"] == "img"
    assert svg.attrib["aria-labelledby"] == "chart-x-title chart-x-desc"
    assert svg.attrib["viewBox"] == "0 0 640 320"
    assert svg[0].tag == f"{SVG}title" and svg[0].attrib["id"] == "chart-x-title"
    assert svg[0].text == "Share"
    assert svg[1].tag == f"{SVG}desc"
    polylines = svg.findall(f".//{SVG}polyline")
    assert [p.attrib["class"] for p in polylines] == [
        "series s0",
        "series s1",
        "series regional",
    ]
    circles = svg.findall(f".//{SVG}circle")
    given = [(s.key, y, v) for s in SAMPLE for y, v in s.points]
    assert len(circles) == len(given)
    found = [
        (c.attrib["data-series"], int(c.attrib["data-year"]), float(c.attrib["data-value"]))
        for c in circles
    ]
    assert sorted(found) == sorted(given)
    for circle in circles:
        (tip,) = circle.findall(f"{SVG}title")
        assert tip.text is not None and tip.text.startswith(circle.attrib["data-series"])
    labels = {t.text for t in svg.iter(f"{SVG}text")}
    assert {"2016", "2022", "0.0", "20.0", "percent"} <= labels
    assert 'fill="#' not in html and "style=" not in html and "|safe" not in html


def test_line_chart_legend_caption_and_table() -> None:
    figure = ET.fromstring(render_line(sample_chart()))
    legend = figure.find("ul")
    assert legend is not None
    assert [li.findtext("span") for li in legend] == ["Malaysia", "Thailand", "Region"]
    assert figure.findtext("figcaption") == "cap"
    details = figure.find("details")
    assert details is not None and details.findtext("summary") == "Data table"
    table = details.find("table")
    assert table is not None and table.findtext("caption") == "Share (percent)"
    assert [th.attrib["scope"] for th in table.iter("th")][:3] == ["col", "col", "col"]
    rows = table.findall("tbody/tr")
    assert len(rows) == 7
    assert [rows[0].findtext("th"), rows[0][1].text, rows[0][2].text] == [
        "Malaysia",
        "2016",
        "4.0 percent",
    ]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_labels_stay_text(text: str) -> None:
    series = [Series(text, text, [(2020, 1.0), (2021, 2.0)])]
    c = line_chart(series, title=text, unit=text, decimals=None)
    assert c is not None
    html = render_line(c)
    figure = ET.fromstring(html)
    tags = {e.tag.split("}")[-1] for e in figure.iter()}
    assert "script" not in tags and "img" not in tags
    assert "<script" not in html and "<img" not in html
    assert "\x00" not in html and "\u202e" not in html
    svg = svg_of(html)
    assert svg[0].text is not None and (
        "alert" in svg[0].text or "evil" in svg[0].text or "nul" in svg[0].text
    )
    t = timeline(
        [Bar(text, text, 2020, 2021, text)],
        title=text,
        first_year=2020,
        last_year=2022,
        as_of_year=None,
    )
    assert t is not None
    tl = render_timeline(t)
    tags = {e.tag.split("}")[-1] for e in ET.fromstring(tl).iter()}
    assert "script" not in tags and "img" not in tags and "\x00" not in tl
    assert t.bars[0].css == "status-other"


# timeline


BARS = [
    Bar("1.1.1", "Early start", 2015, 2021, "completed"),
    Bar("1.1.2", "Within", 2022, 2024, "ongoing"),
    Bar("1.2.1", "Runs past the end", 2025, 2035, "delayed"),
    Bar("2.1.1", "Outside", 2040, 2045, "not_started"),
]


def sample_timeline(as_of: float | None = 2023.5) -> Timeline:
    t = timeline(BARS, title="Lines", first_year=2020, last_year=2030, as_of_year=as_of)
    assert t is not None
    return t


def test_timeline_bars_inside_the_axis() -> None:
    t = sample_timeline()
    assert timeline([], title="t", first_year=2020, last_year=2030, as_of_year=None) is None
    assert [b.css for b in t.bars] == [
        "status-completed",
        "status-ongoing",
        "status-delayed",
        "status-not_started",
    ]
    for b in t.bars:
        assert t.left <= b.x and b.x + b.width <= t.right + 0.05
        assert t.top <= b.y and b.y + b.height <= t.bottom
    early, within, past, outside = t.bars
    assert early.x == t.left  # clipped at the start of the axis
    assert past.x + past.width == pytest.approx(t.right)  # clipped at its end
    assert outside.width == 0
    year = (t.right - t.left) / 11
    assert within.width == pytest.approx(3 * year, abs=0.2)  # start of 2022 to end of 2024
    assert within.y > early.y  # one row per bar, in order
    assert [k.value for k in t.ticks][0] == 2020 and len(t.ticks) <= 8


def test_timeline_as_of_marker_only_inside() -> None:
    t = sample_timeline(2023.5)
    assert t.as_of_x is not None and t.left < t.as_of_x < t.right
    assert t.as_of_label == "as of 2023"
    for outside in (None, 2019.9, 2031.0, 2050.0):
        hidden = sample_timeline(outside)
        assert hidden.as_of_x is None
        assert "as-of" not in render_timeline(hidden)
    svg = svg_of(render_timeline(t))
    markers = [g for g in svg.iter(f"{SVG}g") if g.attrib.get("class") == "as-of"]
    assert len(markers) == 1


def test_timeline_renders_status_as_text() -> None:
    html = render_timeline(sample_timeline())
    figure = ET.fromstring(html)
    svg = svg_of(html)
    assert svg[0].tag == f"{SVG}title" and svg[0].attrib["id"] == "tl-x-title"
    assert svg[1].tag == f"{SVG}desc"
    rects = svg.findall(f".//{SVG}rect")
    assert len(rects) == 3  # the bar outside the axis has no box
    tips = [r.findtext(f"{SVG}title") for r in rects]
    assert tips[0] == "1.1.1 Early start: 2015–2021, completed"
    assert tips[2] is not None and tips[2].endswith("delayed")
    rows = figure.findall("details/table/tbody/tr")
    assert [[c.text for c in row] for row in rows][3] == [
        "2.1.1",
        "Outside",
        "2040",
        "2045",
        "not started",
    ]
    assert [row[4].text for row in rows] == ["completed", "ongoing", "delayed", "not started"]
