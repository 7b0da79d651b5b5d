"""Markdown progress reports and the mid-term review, built from the plan's data.

Deterministic: the same plan and as-of date give the same bytes (no clock is read here).
Every part is :class:`markdown.Md`: plan text enters only through :func:`markdown.md`,
:func:`markdown.text` or a table cell, all escaped, and :func:`markdown.doc` refuses anything
else, so plan text cannot break a table or inject markup, HTML or mermaid.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sapsmed.domain.plan import Plan, is_open
from sapsmed.domain.vocabulary import FLAGS, STATUSES
from sapsmed.monitor import progress
from sapsmed.monitor.grid import grid
from sapsmed.monitor.kpiviews import assessments, coverage, series_by_country
from sapsmed.monitor.progress import LineState
from sapsmed.monitor.queries import RULE, groups_of, rates, scorecard
from sapsmed.monitor.views import id_key
from sapsmed.render.grid import grid_markdown
from sapsmed.render.kpisection import kpi_section
from sapsmed.render.markdown import Md, doc, gantt, md, table
from sapsmed.render.markdown import code as code_span
from sapsmed.render.text import fmt_value, rate_text

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.entities import Action, Goal
    from sapsmed.domain.shapes import Rate


def fraction(r: Rate) -> str:
    return rate_text(r, nothing_due="0/0 (nothing due)")


@dataclass(frozen=True)
class Row:
    """A line in a report's scope: for a member state, as that state sees it."""

    state: LineState
    status: str
    percent: float | None
    flags: list[str]


def scoped(
    plan: Plan, states: dict[str, LineState], goal: str | None, country: str | None, as_of: date
) -> list[Row]:
    out = []
    for state in sorted(states.values(), key=lambda s: id_key(s.id)):
        if goal is not None and state.ref.goal["id"] != goal:
            continue
        if country is None:
            out.append(Row(state, state.status, state.percent, state.flags))
        elif any(group == country for group, _ in groups_of(plan, state, "country")):
            out.append(Row(state, *progress.for_country(state, country, states, as_of)))
    return out


def build(
    plan: Plan,
    as_of: date,
    goal: str | None = None,
    country: str | None = None,
    commit: str | None = None,
) -> Md:
    """The progress report of the whole plan, a goal or a member state."""
    states = progress.states(plan, as_of)
    lines = scoped(plan, states, goal, country, as_of)
    scope = (
        f"goal {goal}"
        if goal
        else f"{plan.countries[country]['name']} ({country})"
        if country
        else "the whole plan"
    )
    out = [
        md("# {}: progress report\n", plan.meta["short_title"]),
        md("As of {}, for {}.\n", as_of.isoformat(), scope),
    ]
    out.append(summary(plan, lines, as_of, goal, country))
    out.append(scorecards(plan, as_of, goal, country))
    for g in plan.goals:
        if goal is not None and g["id"] != goal:
            continue
        mine = [row for row in lines if row.state.ref.goal is g]
        if country is not None and not mine:
            continue
        out.append(goal_section(plan, g, mine, as_of, country))
    national = grid(plan, as_of, goal, states) if country is None else None
    if national and national["lines"]:  # the member states' own statuses, one column each
        out.append(grid_markdown(national))
    out.append(attention(plan, lines, as_of, goal, country))
    out.append(sources(plan, as_of, goal, commit, country))
    return doc(out)


def scorecards(plan: Plan, as_of: date, goal: str | None, country: str | None) -> Md:
    """The implementation rate by goal and by member state, with the attribution rule."""
    out = [Md("## Scorecard\n")]
    for by in ("goal", "country"):
        if by == "country" and country is not None:
            continue
        data = scorecard(plan, by, as_of, goal, country)
        rows = [
            [
                g["group"],
                g["lines"],
                g["due"],
                g["completed"],
                fraction(g["implementation_rate"]),
                fraction(g["lenient_rate"]),
            ]
            for g in [*data["groups"], data["total"]]
        ]
        out.append(md("By {} ({}):\n", by, data["attribution"]))
        out.append(
            table(
                [
                    by.capitalize(),
                    "Lines",
                    "Due",
                    "Completed",
                    "Implementation rate",
                    "Lenient rate",
                ],
                rows,
                "lrrrll",
            )
        )
    out.append(md("{}.\n", RULE[0].upper() + RULE[1:]))
    return doc(out)


def resources(lines: list[Row], as_of: date) -> Md:
    """Budget, personnel, outputs and the risks open on ``as_of`` of the lines that record
    any."""
    rows = []
    for r in lines:
        line = r.state.ref.line
        budget, staff = line.get("budget"), line.get("personnel")
        outputs = [f"{o['title']} ({o['quality'] or 'not rated'})" for o in line["outputs"]]
        risks = [f"{k['description']} ({k['level']})" for k in line["risks"] if is_open(k, as_of)]
        if not (budget or staff or outputs or risks):
            continue
        rows.append(
            [
                line["id"],
                f"{fmt_value(budget['spent'])} of {fmt_value(budget['planned'])} "
                f"{budget['currency']} spent"
                if budget
                else "-",
                f"{fmt_value(staff['used'])} of {fmt_value(staff['planned'])} person-months"
                if staff
                else "-",
                "; ".join(outputs) or "-",
                "; ".join(risks) or "-",
            ]
        )
    if not rows:
        return Md("\nNo budget, personnel, outputs or risks are recorded for these lines.\n")
    return doc(
        [
            Md("\nResources, outputs and risks recorded:\n"),
            table(["Line", "Budget", "Personnel", "Outputs", "Risks"], rows),
        ]
    )


def summary(plan: Plan, lines: list[Row], as_of: date, goal: str | None, country: str | None) -> Md:
    implementation, lenient = rates(
        [r.status for r in lines if progress.is_due(r.state.ref.line, r.status, as_of)]
    )
    counts = Counter(r.status for r in lines)
    flags = Counter(f for r in lines for f in r.flags)
    national = (
        "a national-level line counts with this member state's own status"
        if country
        else "a national-level line is completed only when every state that was a member "
        "when it fell due has"
        if plan.dated_membership
        else "a national-level line is completed only when every member state has"
    )
    out = [
        Md("## Summary\n"),
        md(
            "- Implementation rate: **{}** of the action lines due by {} are completed "
            "(completed / due, as the AEC Scorecard counts; cancelled lines are not due; {}).",
            fraction(implementation),
            as_of.isoformat(),
            national,
        ),
        md("- Lenient rate (completed or ongoing): {}.", fraction(lenient)),
        md(
            "- Flags: {}.\n",
            ", ".join(f"{flags.get(f, 0)} {f.replace('_', ' ')}" for f in FLAGS),
        ),
        table(
            ["Status", "Action lines"],
            [[s.replace("_", " "), counts.get(s, 0)] for s in STATUSES],
            "lr",
        ),
    ]
    kpis = [k for k in plan.kpis.values() if goal is None or k["goal"] == goal]
    if kpis:
        where = (
            plan.countries[country]["name"]
            if country
            else f"{plan.region} (each KPI on its constant panel of member states)"
        )
        rows = []
        for kpi in kpis:
            a = assessments(plan, kpi, country, as_of)
            years = [
                y
                for code, s in series_by_country(plan, kpi["id"], as_of).items()
                if country in (None, code)
                for y in s
            ]
            rows.append(
                [kpi["id"], kpi["name"], a[0]["status"], a[1]["status"], max(years, default="-")]
            )
        out.append(
            md(
                "\nKPI progress at a glance, {}, since the {} baseline:\n",
                where,
                plan.meta["base_year"],
            )
        )
        out.append(table(["KPI", "Name", "Statistics Canada", "UNSD", "Latest year"], rows))
    return doc(out)


def goal_section(plan: Plan, goal: Goal, lines: list[Row], as_of: date, country: str | None) -> Md:
    out = [
        md("## Goal {}: {}\n", goal["id"], goal["title"]),
        md("Country champions: {}.\n", ", ".join(goal["champions"])),
    ]
    ids = {r.state.id for r in lines}

    def actions(items: list[Action], indent: str) -> None:
        for action in items:
            held = [ln["id"] for ln in action["lines"] if ln["id"] in ids]
            suffix = md(" — lines {}", ", ".join(held)) if held else Md("")
            out.append(md(indent + "- {} {}{}", action["id"], action["title"], suffix))

    actions(goal["actions"], "")  # a plan without outcomes
    for outcome in goal["outcomes"]:
        out.append(md("- **{}** {}", outcome["id"], outcome["title"]))
        actions(outcome["actions"], "  ")
    out.append(Md(""))
    if lines:
        out.append(Md("### Action lines\n"))
        rows = []
        for r in lines:
            line, update = r.state.ref.line, r.state.last_update
            if country is not None and r.state.countries:  # the member state's own note
                update = progress.latest(line["updates"], as_of, country)
            note = update.get("note") if update else None
            if note and update and update.get("country"):
                note = f"{update['country']}: {note}"
            rows.append(
                [
                    line["id"],
                    line["title"],
                    r.status.replace("_", " "),
                    "-" if r.percent is None else f"{r.percent:.0f}%",
                    line["due_year"],
                    ", ".join(line["lead"]),
                    ", ".join(r.flags) or "-",
                    note if note else "-",
                ]
            )
        out.append(
            table(
                ["Line", "Title", "Status", "Done", "Due", "Lead", "Flags", "Latest note"],
                rows,
                "llllrlll",
            )
        )
        out.append(resources(lines, as_of))
        out.append(timeline(plan, goal, lines))
    kpis = [k for k in plan.kpis.values() if k["goal"] == goal["id"]]
    if kpis:
        out.append(Md("### KPIs\n"))
        for kpi in kpis:
            out.append(kpi_section(plan, kpi, as_of, country))
    return doc(out)


def timeline(plan: Plan, goal: Goal, lines: list[Row]) -> Md:
    start = f"{plan.meta['start_year']}-01-01"
    sections: dict[str, list[tuple[str, str, str, str]]] = {}
    for r in lines:
        state, line = r.state, r.state.ref.line
        tag = {"completed": "done", "ongoing": "active"}.get(r.status, "")
        if "overdue" in r.flags:
            tag = ", ".join(t for t in (tag, "crit") if t)
        sections.setdefault(state.ref.action["id"], []).append(
            (
                f"{line['id']} {line['title']}",
                tag,
                line.get("planned_start") or start,
                progress.due_date(line).isoformat(),
            )
        )
    return doc(
        [
            Md(
                "\nTimeline (start of the plan or planned start, to the due date; done = "
                "completed, active = ongoing, crit = overdue):\n"
            ),
            gantt(f"Goal {goal['id']} action lines", list(sections.items())),
        ]
    )


def attention(
    plan: Plan, lines: list[Row], as_of: date, goal: str | None, country: str | None
) -> Md:
    out = [Md("## Needs attention\n")]
    for flag in ("overdue", "blocked", "behind", "over_budget"):
        hits = sorted({r.state.id for r in lines if flag in r.flags}, key=id_key)
        out.append(
            md(
                "- {}: {}.",
                flag.replace("_", " ").capitalize(),
                ", ".join(hits) if hits else "none",
            )
        )
    cover = coverage(plan, as_of)
    gaps = []
    for kpi in cover["kpis"]:
        if goal is not None and plan.kpis[kpi["id"]]["goal"] != goal:
            continue
        for code, cell in kpi["countries"].items():
            if country not in (None, code):
                continue
            if cell["state"] in ("missing", "stale"):
                last = f", last {cell['last']}" if cell["last"] else ""
                gaps.append(f"{kpi['id']} {code} ({cell['state']}{last})")
    out.append(
        md(
            "- KPI data missing or stale (none in the {} years before {}): {}.",
            cover["stale_after_years"],
            as_of.year,
            ", ".join(gaps) if gaps else "none",
        )
    )
    ended = [
        k["id"]
        for k in plan.kpis.values()
        if k["discontinued"] and (goal is None or k["goal"] == goal)
    ]
    if ended:
        out.append(
            md("- Discontinued series (frozen at their last data year): {}.", ", ".join(ended))
        )
    return Md(doc(out) + "\n")


def sources(
    plan: Plan, as_of: date, goal: str | None, commit: str | None, country: str | None = None
) -> Md:
    rows = []
    for kpi in plan.kpis.values():
        if goal is not None and kpi["goal"] != goal:
            continue
        releases = sorted(
            {
                (r.source, r.vintage or "unknown")
                for r in plan.readings_of(kpi["id"], as_of)
                if country in (None, r.country)
            }
        )
        for source, vintage in releases or [("no readings", "-")]:
            rows.append([kpi["id"], kpi["indicator_code"] or "-", source, vintage])
    where = (
        md("plan commit {}", code_span(commit))
        if commit
        else Md("the plan is not in a git repository")
    )
    return doc(
        [
            Md("## Sources\n"),
            table(["KPI", "Series", "Source", "Vintage"], rows),
            md(
                "\nAs of {}; {}. Generated by sapsmed from {}.\n",
                as_of.isoformat(),
                where,
                plan.meta["title"],
            ),
        ]
    )
