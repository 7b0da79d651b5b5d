"""What each page of the site shows, computed once from the monitor layer's views: the same
data `status --json`, `show --json`, `scorecard --json`, `kpi show --json` and
`kpi coverage --json` print, so the site and the commands cannot disagree.

A page is a path (relative to the site's root), a template and its context; the templates
only lay the data out. Every link is made by :func:`path`, from an id the plan validated."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sapsmed.domain.plan import Plan
from sapsmed.domain.shapes_kpi import CoverageJson, CoverageRow, KpiShowJson
from sapsmed.domain.vocabulary import FLAGS, STATUSES
from sapsmed.monitor import progress
from sapsmed.monitor.kpiviews import coverage, kpi_show
from sapsmed.monitor.queries import scorecard
from sapsmed.monitor.views import id_key, show_country, show_line, status
from sapsmed.render.kpisection import region_label
from sapsmed.site import svg

FOLDERS = {"goal": "goals", "action_line": "lines", "kpi": "kpis", "country": "countries"}
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,80}")
ATTENTION_FLAGS = ("overdue", "blocked", "behind", "over_budget")


def path(kind: str, entity_id: str) -> str:
    """The page of an entity, relative to the site's root. An id that is not a plain file
    name (the plan's id rules make one unlikely) gets a name made from its hash."""
    name = entity_id if SAFE_NAME.fullmatch(entity_id) and ".." not in entity_id else None
    if name is None:
        name = "_" + hashlib.sha256(entity_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{FOLDERS[kind]}/{name}.html"


@dataclass
class Page:
    path: str  # relative to the site's root, with "/"
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> str:
        """The way back to the site's root from this page: "" or "../"."""
        return "../" * self.path.count("/")


@dataclass
class Site:
    """Everything the pages share, computed once."""

    plan: Plan
    as_of: date
    commit: str | None
    states: dict[str, progress.LineState]
    kpis: dict[str, KpiShowJson]
    cover: CoverageJson
    coverage_of: dict[str, CoverageRow]  # each KPI's row of ``cover``, by its id
    charts: dict[str, svg.LineChart | None] = field(default_factory=dict)

    @classmethod
    def compute(cls, plan: Plan, as_of: date, commit: str | None) -> Site:
        cover = coverage(plan, as_of)
        return cls(
            plan,
            as_of,
            commit,
            progress.states(plan, as_of),
            {k: kpi_show(plan, k, None, as_of) for k in plan.kpis},
            cover,
            {row["id"]: row for row in cover["kpis"]},
        )

    def shared(self) -> dict[str, Any]:
        """What every page's frame shows: the plan, the date, the commit, the navigation."""
        plan = self.plan
        return {
            "plan": plan.meta,
            "as_of": self.as_of.isoformat(),
            "commit": self.commit,
            "goals": [{"id": g["id"], "title": g["title"]} for g in plan.goals],
            "countries": [{"id": c, "name": v["name"]} for c, v in plan.countries.items()],
            "statuses": STATUSES,
            "flags": FLAGS,
        }

    def name(self, code: str) -> str:
        country = self.plan.countries.get(code)
        return country["name"] if country else code

    def unit(self, unit: str) -> str:
        return self.plan.unit_name(unit)

    def kpi_chart(self, kpi_id: str) -> svg.LineChart | None:
        """Every member state's readings and the region's mean on its constant panel (drawn
        once: the goal's page and the KPI's show the same chart)."""
        if kpi_id not in self.charts:
            self.charts[kpi_id] = self.draw_chart(kpi_id)
        return self.charts[kpi_id]

    def draw_chart(self, kpi_id: str) -> svg.LineChart | None:
        data = self.kpis[kpi_id]
        kpi = self.plan.kpis[kpi_id]
        series: dict[str, list[tuple[int, float]]] = {}
        for r in data["readings"]:
            series.setdefault(r["country"], []).append((r["year"], r["value"]))
        order = {code: i for i, code in enumerate(self.plan.countries)}
        lines = [  # a member state has the same colour on every chart
            svg.Series(code, self.name(code), sorted(points), colour=order.get(code))
            for code, points in series.items()
        ]
        regional = data.get("regional")
        if regional and regional["series"]:
            lines.append(
                svg.Series(
                    "region",
                    f"{region_label(regional)}: mean",
                    [(p["year"], p["mean"]) for p in regional["series"]],
                    regional=True,
                )
            )
        return svg.line_chart(
            lines,
            title=f"{kpi_id}: {kpi['name']}",
            unit=self.unit(kpi["unit"]),
            decimals=self.plan.decimals(kpi["unit"]),
            width=800,
        )


def overview(site: Site) -> Page:
    plan = site.plan
    by_goal = scorecard(plan, "goal", site.as_of, states=site.states)
    lines = [site.states[i] for i in sorted(site.states, key=id_key)]
    attention = [(flag, [s.id for s in lines if flag in s.flags]) for flag in ATTENTION_FLAGS]
    gaps = [
        (k["id"], code, cell)
        for k in site.cover["kpis"]
        for code, cell in k["countries"].items()
        if cell["state"] in ("missing", "stale")
    ]
    return Page(
        "index.html",
        "index.html.j2",
        plan.meta["title"],
        {
            "scorecard": by_goal,
            "kpis": [kpi_glance(site, k) for k in plan.kpis],
            "attention": attention,
            "gaps": gaps,
            "stale_years": site.cover["stale_after_years"],
            "region": plan.region,
            "theme_lines": {
                t["id"]: [i for i, r in plan.lines.items() if t["id"] in r.line["themes"]]
                for t in plan.meta["themes"]
            },
        },
    )


def kpi_glance(site: Site, kpi_id: str) -> dict[str, Any]:
    data = site.kpis[kpi_id]
    regional = data.get("regional")
    return {
        "id": kpi_id,
        "name": data["name"],
        "goal": data["goal"],
        "unit": site.unit(data["unit"]),
        "readings": len(data["readings"]),
        "latest_year": max((r["year"] for r in data["readings"]), default=None),
        "assessments": regional["assessments"] if regional else [],
        "panel": region_label(regional) if regional else "",
    }


def goal_page(site: Site, goal_id: str) -> Page:
    plan = site.plan
    data = status(plan, site.as_of, goal=goal_id, states=site.states)
    goal = plan.goal(goal_id)
    assert goal is not None
    start = plan.meta["start_year"]
    bars = [
        svg.Bar(
            row["id"],
            row["title"],
            int((site.plan.lines[row["id"]].line["planned_start"] or str(start))[:4]),
            row["due_year"],
            row["status"],
        )
        for row in data["lines"]
    ]
    timeline = svg.timeline(
        bars,
        title=f"Goal {goal_id}: action lines from their start to their due year",
        first_year=min([start, *(b.start for b in bars)]),
        last_year=max([plan.meta["end_year"], site.as_of.year, *(b.end for b in bars)]),
        as_of_year=site.as_of.year + (site.as_of.timetuple().tm_yday - 1) / 366,
    )
    kpis = [
        {"id": k["id"], "name": k["name"], "chart": site.kpi_chart(k["id"])} for k in data["kpis"]
    ]
    return Page(
        path("goal", goal_id),
        "goal.html.j2",
        f"Goal {goal_id}: {goal['title']}",
        {
            "goal": goal,
            "status": data,
            "timeline": timeline,
            "goal_kpis": kpis,
            "rate": scorecard(plan, "goal", site.as_of, goal=goal_id, states=site.states)["total"],
            "line_status": {r["id"]: r["status"] for r in data["lines"]},
            "line_title": {r["id"]: r["title"] for r in data["lines"]},
        },
    )


def line_page(site: Site, line_id: str) -> Page:
    data = show_line(site.plan, line_id, site.as_of, site.states)
    ref = site.plan.lines[line_id]
    state = site.states[line_id]
    members = [
        {"id": code, "name": site.name(code), "status": data["countries"][code]}
        for code in state.members
        if data["countries"] and code in data["countries"]
    ]
    return Page(
        path("action_line", line_id),
        "line.html.j2",
        f"{line_id}: {data['title']}",
        {
            "line": data,
            "goal": ref.goal,
            "outcome": ref.outcome,
            "action": ref.action,
            "members": members,
            "expected": state.expected_percent,
            "basis": state.percent_basis(),
            "names": vocabulary_names(site.plan),
        },
    )


def vocabulary_names(plan: Plan) -> dict[str, dict[str, str]]:
    """What a line's pathway, types of measures and themes are called in plan.yaml."""
    meta = plan.meta
    return {
        "pathway": {p["id"]: p["name"] for p in meta["pathways"]},
        "measure": {t["id"]: t["name"] for t in meta["types_of_measures"]},
        "theme": {t["id"]: t["title"] for t in meta["themes"]},
    }


def kpi_page(site: Site, kpi_id: str) -> Page:
    data = site.kpis[kpi_id]
    kpi = site.plan.kpis[kpi_id]
    row = site.coverage_of[kpi_id]
    return Page(
        path("kpi", kpi_id),
        "kpi.html.j2",
        f"{kpi_id}: {data['name']}",
        {
            "kpi": kpi,
            "data": data,
            "unit": site.unit(kpi["unit"]),
            "decimals": site.plan.decimals(kpi["unit"]),
            "chart": site.kpi_chart(kpi_id),
            "coverage": row,
            "panel": region_label(data["regional"]) if "regional" in data else "",
        },
    )


def country_page(site: Site, code: str) -> Page:
    plan = site.plan
    shown = show_country(plan, code, site.as_of, site.states)
    data = status(plan, site.as_of, country=code, states=site.states)
    verdicts = []
    for kpi_id, kpi in site.kpis.items():
        mine = next((c for c in kpi["countries"] if c["country"] == code), None)
        latest = [r for r in kpi["readings"] if r["country"] == code]
        verdicts.append(
            {
                "id": kpi_id,
                "name": kpi["name"],
                "unit": site.unit(kpi["unit"]),
                "decimals": plan.decimals(kpi["unit"]),
                "latest": latest[-1] if latest else None,
                "readings": len(latest),
                "assessments": mine["assessments"] if mine else [],
                "coverage": site.coverage_of[kpi_id]["countries"].get(code),
            }
        )
    return Page(
        path("country", code),
        "country.html.j2",
        f"{plan.countries[code]['name']}: report card",
        {
            "country": plan.countries[code],
            "shown": shown,
            "status": data,
            "leads": [r for r in data["lines"] if code in r["lead"]],
            "implements": shown["implements"],
            "verdicts": verdicts,
            "scorecard": scorecard(plan, "country", site.as_of, country=code, states=site.states)[
                "total"
            ],
        },
    )


Job = tuple[Callable[..., Page], tuple[str, ...]]  # a page's builder and its arguments


def jobs(site: Site) -> list[Job]:
    """Every page of the site, the overview first, as the calls that make them (so that
    they can be made where they are rendered: :func:`sapsmed.site.build.render_all`)."""
    plan = site.plan
    return [
        (overview, ()),
        *((goal_page, (g["id"],)) for g in plan.goals),
        *((line_page, (i,)) for i in sorted(plan.lines, key=id_key)),
        *((kpi_page, (k,)) for k in plan.kpis),
        *((country_page, (c,)) for c in plan.countries),
    ]


def pages(site: Site) -> list[Page]:
    """Every page of the site, the overview first."""
    return [make(site, *args) for make, args in jobs(site)]
