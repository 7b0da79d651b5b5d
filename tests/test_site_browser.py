"""The website in a real browser: Debian's Chromium, driven by Playwright, opening the
folder `sapsmed site` wrote straight from the disk (file://), as a minister's laptop would."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import Cli
from .site_support import (
    ARTIFACTS,
    AS_OF,
    build_site,
    hostile_plan,
    plan_with_progress,
    png_colours,
    png_size,
    run,
)

# Every element of a page and what the browser said while loading it.
COLLECT = """() => ({
  ids: [...document.querySelectorAll("[id]")].map(e => e.id),
  links: [...document.querySelectorAll("a[href]")].map(a => a.href),
  headings: [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(h => +h.tagName[1]),
  lang: document.documentElement.lang,
  landmarks: ["header", "nav", "main", "footer"].filter(t => document.querySelector(t)),
  title: document.title,
  injected: [...document.querySelectorAll(
    "script, img, iframe, object, embed, textarea, form, input, base, a[href^='javascript']"
  )].map(e => e.outerHTML.slice(0, 80)).concat(
    [...document.querySelectorAll("*")]
      .filter(e => [...e.attributes].some(a => a.name.startsWith("on")))
      .map(e => e.outerHTML.slice(0, 80)),
    [...document.querySelectorAll("meta[http-equiv]")].slice(1).map(e => e.outerHTML)
  ),
  text: document.body.innerText,
})"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The plan (with progress recorded) and its site."""
    folder = tmp_path_factory.mktemp("site")
    cli = Cli()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        mp.setenv("NO_COLOR", "1")
        plan = plan_with_progress(folder, cli)
        return plan, build_site(cli, plan, folder / "public")


@pytest.fixture(scope="module")
def visited(built: tuple[Path, Path], browser: Any) -> dict[str, dict[str, Any]]:
    return visit(browser, built[1])


def visit(browser: Any, site: Path) -> dict[str, dict[str, Any]]:
    """Every page opened from file://, with what happened: console errors, page errors,
    dialogs, failed requests and requests for anything outside the site's folder (all
    refused)."""
    root = site.resolve().as_uri() + "/"
    page = browser.new_page()
    events: dict[str, list[str]] = {"console": [], "errors": [], "failed": [], "outside": []}

    def route(r: Any) -> None:
        if r.request.url.startswith(root):
            r.continue_()
        else:
            events["outside"].append(r.request.url)
            r.abort()

    page.route("**/*", route)

    def console(message: Any) -> None:
        if message.type == "error":
            events["console"].append(message.text)

    def dialog(d: Any) -> None:
        events["errors"].append(f"dialog: {d.message}")
        d.dismiss()

    page.on("console", console)
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.on("requestfailed", lambda r: events["failed"].append(r.url))
    page.on("dialog", dialog)
    seen: dict[str, dict[str, Any]] = {}
    for html in sorted(site.rglob("*.html")):
        for key in events:
            events[key].clear()
        page.goto(html.resolve().as_uri())
        found = page.evaluate(COLLECT)
        found.update({k: list(v) for k, v in events.items()})
        seen[html.relative_to(site).as_posix()] = found
    page.close()
    return seen


def test_every_page_loads_from_file_with_no_error_and_no_request_outside(
    visited: dict[str, dict[str, Any]],
) -> None:
    assert len(visited) == 1 + 5 + 12 + 10 + 10  # overview, goals, lines, KPIs, member states
    for name, page in visited.items():
        assert page["console"] == [] and page["errors"] == [], name
        assert page["failed"] == [] and page["outside"] == [], name
        assert page["injected"] == [], name


def test_hostile_plan_text_injects_nothing_and_runs_nothing(tmp_path: Path, browser: Any) -> None:
    """Every free-text field of the plan, and an update, output and risk, carry a script,
    an image with onerror, an attribute breakout and a javascript: link: each page shows
    them as text, no element or handler appears, no dialog opens, the console is quiet
    (a script the page's Content-Security-Policy had to stop would be reported there)."""
    cli = Cli()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        plan, count = hostile_plan(tmp_path, cli)
        site = build_site(cli, plan, tmp_path / "public")
    pages = visit(browser, site)
    assert len(pages) == 38
    shown = "".join(p["text"] for p in pages.values())
    for name, page in pages.items():
        assert page["injected"] == [], name
        assert page["console"] == [] and page["errors"] == [] and page["outside"] == [], name
    found = {n for n in range(1, count + 1) if f"<script>alert({n})</script>" in shown}
    # Not shown on any page: an outcome's printed title and the notes of readings files
    # (five fields); every other field is.
    assert len(found) == count - 5, sorted(set(range(1, count + 1)) - found)
    assert "\\u202e" in shown and "\u202e" not in shown  # shown as an escape


def test_every_link_resolves_to_a_page_of_the_site_and_its_anchor(
    built: tuple[Path, Path], visited: dict[str, dict[str, Any]]
) -> None:
    _, site = built
    root = site.resolve()
    checked = 0
    for name, page in visited.items():
        assert page["links"], name
        for link in page["links"]:
            parts = urlsplit(link)
            assert parts.scheme == "file", (name, link)
            target = Path(unquote(parts.path))
            relative = target.relative_to(root).as_posix()  # inside the site's folder
            assert relative in visited, (name, link)
            if parts.fragment:
                assert parts.fragment in visited[relative]["ids"], (name, link)
            checked += 1
    assert checked > 500


def test_pages_are_structured_for_screen_readers(visited: dict[str, dict[str, Any]]) -> None:
    for name, page in visited.items():
        assert page["lang"] == "en", name
        assert page["landmarks"] == ["header", "nav", "main", "footer"], name
        levels = page["headings"]
        assert levels.count(1) == 1 and levels[0] == 1, name
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (name, levels)
        assert len(set(page["ids"])) == len(page["ids"]), name
        assert page["title"], name


def test_goal_pages_list_exactly_the_plans_lines_with_their_statuses(
    built: tuple[Path, Path],
    browser: Any,
) -> None:
    plan, site = built
    cli = Cli()
    page = browser.new_page()
    every: set[str] = set()
    for goal in "ABCDE":
        data = run(cli, "--plan", str(plan), "status", "--goal", goal, "--as-of", AS_OF, "--json")
        expected = [(r["id"], r["status"]) for r in data["lines"]]
        page.goto((site / "goals" / f"{goal}.html").resolve().as_uri())
        shown = page.eval_on_selector_all(
            "table.lines tbody tr[data-line]",
            "rows => rows.map(r => [r.dataset.line, r.dataset.status,"
            " r.querySelector('.status').textContent])",
        )
        assert [(i, s) for i, s, _ in shown] == expected, goal
        assert [t for _, _, t in shown] == [s.replace("_", " ") for _, s in expected]
        every.update(s for _, s, _ in shown)
    page.close()
    assert {"ongoing", "completed", "on_hold", "not_started"} <= every  # the updates show


def test_each_kpi_chart_has_one_point_per_reading(
    built: tuple[Path, Path],
    browser: Any,
) -> None:
    plan, site = built
    cli = Cli()
    page = browser.new_page()
    with_points = 0
    for kpi in sorted(p.stem for p in (site / "kpis").glob("*.html")):
        data = run(cli, "--plan", str(plan), "kpi", "show", kpi, "--as-of", AS_OF, "--json")
        readings = sorted((r["country"], r["year"], r["value"]) for r in data["readings"])
        page.goto((site / "kpis" / f"{kpi}.html").resolve().as_uri())
        points = page.eval_on_selector_all(
            "figure.chart > svg circle.point",
            "cs => cs.map(c => [c.dataset.series, +c.dataset.year, +c.dataset.value])",
        )
        countries = sorted((s, y, v) for s, y, v in points if s != "region")
        assert countries == readings, kpi
        table = page.eval_on_selector_all(
            "table.readings tbody tr",
            "rs => rs.map(r => [r.dataset.country, +r.dataset.year, +r.dataset.value])",
        )
        assert sorted(tuple(t) for t in table) == readings, kpi
        regional = [p for p in points if p[0] == "region"]
        assert len(regional) == len(data["regional"]["series"]), kpi
        with_points += bool(readings)
    page.close()
    assert with_points >= 5


def test_overview_numbers_equal_the_scorecard(
    built: tuple[Path, Path],
    browser: Any,
) -> None:
    plan, site = built
    card = run(Cli(), "--plan", str(plan), "scorecard", "--as-of", AS_OF, "--json")
    page = browser.new_page()
    page.goto((site / "index.html").resolve().as_uri())
    for element, rate in (
        ("implementation-rate", "implementation_rate"),
        ("lenient-rate", "lenient_rate"),
    ):
        shown = page.eval_on_selector(
            f"#{element}", "e => [+e.value, +e.dataset.numerator, +e.dataset.denominator]"
        )
        expected = card["total"][rate]
        assert shown == [expected["value"], expected["numerator"], expected["denominator"]]
    rows = page.eval_on_selector_all(
        "table.scorecard tbody tr",
        "rs => rs.map(r => [r.dataset.goal, ...[...r.querySelectorAll('td.num')]"
        ".slice(0, 3).map(c => +c.textContent)])",
    )
    assert rows == [[g["group"], g["lines"], g["due"], g["completed"]] for g in card["groups"]]
    assert card["total"]["completed"] >= 1  # the fixture's completed line counts
    page.close()


SHOTS = {
    "overview": "index.html",
    "goal-B": "goals/B.html",
    "kpi": "kpis/KPI-A1.html",
    "country-MYS": "countries/MYS.html",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_screenshots_at_desktop_and_phone_width_are_not_blank(
    built: tuple[Path, Path],
    browser: Any,
    width: str,
) -> None:
    """Kept in .artifacts/screenshots for people to look at; on a phone nothing is wider
    than the screen but the tables' own scrolling boxes."""
    _, site = built
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in SHOTS.items():
        page.goto((site / path).resolve().as_uri())
        data = page.screenshot(full_page=False)
        (ARTIFACTS / f"{name}-{width}.png").write_bytes(data)
        assert png_size(data) == (w, h)
        assert png_colours(browser, data) > 8, (name, width)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (name, width, overflow)
    page.close()
