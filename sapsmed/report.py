"""Markdown progress reports and the mid-term review, built from the plan's data.

Deterministic: the same plan and as-of date give the same bytes (no clock is read here).
All user text goes through :func:`markdown.text`, so it cannot break a table or inject markup.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import assess, progress
from .kpiviews import assessments, coverage, series_by_country
from .markdown import gantt, line_chart, table, text
from .plan import Entity, Plan
from .progress import LineState
from .queries import groups_of, rate
from .render import countries_text, fmt_value
from .views import STATUSES, id_key

TREND_FROM = 2010  # trend charts start here: enough context before the 2016 baseline


def fraction(r: dict[str, Any]) -> str:
    if not r["denominator"]:
        return "0/0 (nothing due)"
    return f"{r['numerator']}/{r['denominator']} ({100 * r['value']:.1f}%)"


@dataclass(frozen=True)
class Row:
    """A line in a report's scope: for a member state, as that state sees it."""

    state: LineState
    status: str
    percent: float | None
    flags: list[str]


def scoped(plan: Plan, states: dict[str, LineState], goal: str | None,
           country: str | None, as_of: date) -> list[Row]:
    out = []
    for state in sorted(states.values(), key=lambda s: id_key(s.id)):
        if goal is not None and state.ref.goal["id"] != goal:
            continue
        if country is None:
            out.append(Row(state, state.status, state.percent, state.flags))
        elif any(group == country for group, _ in groups_of(plan, state, "country")):
            out.append(Row(state, *progress.for_country(state, country, states, as_of)))
    return out


def build(plan: Plan, as_of: date, goal: str | None = None, country: str | None = None,
          commit: str | None = None) -> str:
    """The progress report of the whole plan, a goal or a member state."""
    states = progress.states(plan, as_of)
    lines = scoped(plan, states, goal, country, as_of)
    scope = (f"goal {goal}" if goal else f"{plan.countries[country]['name']} ({country})"
             if country else "the whole plan")
    out = [f"# {text(plan.meta['short_title'])}: progress report\n",
           f"As of {as_of.isoformat()}, for {scope}.\n"]
    out.append(summary(plan, lines, as_of, goal, country))
    for g in plan.goals:
        if goal is not None and g["id"] != goal:
            continue
        mine = [row for row in lines if row.state.ref.goal is g]
        if country is not None and not mine:
            continue
        out.append(goal_section(plan, g, mine, as_of, country))
    out.append(attention(plan, lines, as_of, goal, country))
    out.append(sources(plan, as_of, goal, commit))
    return "\n".join(out)


def summary(plan: Plan, lines: list[Row], as_of: date, goal: str | None,
            country: str | None) -> str:
    due = [r for r in lines
           if progress.due_date(r.state.ref.line) <= as_of and r.status != "cancelled"]
    done = sum(r.status == "completed" for r in due)
    ongoing = sum(r.status == "ongoing" for r in due)
    counts = Counter(r.status for r in lines)
    flags = Counter(f for r in lines for f in r.flags)
    out = ["## Summary\n",
           f"- Implementation rate: **{fraction(rate(done, len(due)))}** of the action lines "
           f"due by {as_of.isoformat()} are completed (completed / due, as the AEC Scorecard "
           "counts; cancelled lines are not due"
           + ("; a national-level line counts with this member state's own status" if country
              else "; a national-level line is completed only when every member state has")
           + ").",
           f"- Lenient rate (completed or ongoing): {fraction(rate(done + ongoing, len(due)))}.",
           "- Flags: " + ", ".join(f"{flags.get(f, 0)} {f.replace('_', ' ')}"
                                   for f in progress.FLAGS) + ".\n",
           table(["Status", "Action lines"], [[s.replace("_", " "), counts.get(s, 0)]
                                              for s in STATUSES], "lr")]
    kpis = [k for k in plan.kpis.values() if goal is None or k["goal"] == goal]
    if kpis:
        where = plan.countries[country]["name"] if country else "ASEAN (mean of member states)"
        rows = []
        for kpi in kpis:
            a = assessments(plan, kpi, country, as_of.year)
            rows.append([kpi["id"], text(kpi["name"]), a[0]["status"], a[1]["status"],
                         a[0]["latest_year"] or "-"])
        out.append(f"\nKPI progress at a glance, {where}, since the {plan.meta['base_year']} "
                   "baseline:\n")
        out.append(table(["KPI", "Name", "Statistics Canada", "UNSD", "Latest year"], rows))
    return "\n".join(out)


def goal_section(plan: Plan, goal: Entity, lines: list[Row], as_of: date,
                 country: str | None) -> str:
    out = [f"## Goal {goal['id']}: {text(goal['title'])}\n",
           f"Country champions: {', '.join(goal['champions'])}.\n"]
    ids = {r.state.id for r in lines}
    for outcome in goal["outcomes"]:
        out.append(f"- **{outcome['id']}** {text(outcome['title'])}")
        for action in outcome["actions"]:
            held = [ln["id"] for ln in action["lines"] if ln["id"] in ids]
            suffix = f" — lines {', '.join(held)}" if held else ""
            out.append(f"  - {action['id']} {text(action['title'])}{suffix}")
    out.append("")
    if lines:
        out.append("### Action lines\n")
        rows = []
        for r in lines:
            line, update = r.state.ref.line, r.state.last_update
            note = update.get("note") if update else None
            rows.append([line["id"], text(line["title"]), r.status.replace("_", " "),
                         "-" if r.percent is None else f"{r.percent:.0f}%",
                         line["due_year"], ", ".join(line["lead"]),
                         ", ".join(r.flags) or "-", text(note) if note else "-"])
        out.append(table(["Line", "Title", "Status", "Done", "Due", "Lead", "Flags",
                          "Latest note"], rows, "llllrlll"))
        national = [r for r in lines if r.state.countries and country is None]
        if national:
            out.append("\nNational-level lines, by member state (completed only when all "
                       "have):\n")
            out += [f"- {r.state.id}: {countries_text(r.state.countries)}" for r in national]
        out.append(timeline(plan, goal, lines))
    kpis = [k for k in plan.kpis.values() if k["goal"] == goal["id"]]
    if kpis:
        out.append("### KPIs\n")
        for kpi in kpis:
            out.append(kpi_section(plan, kpi, as_of, country))
    return "\n".join(out)


def timeline(plan: Plan, goal: Entity, lines: list[Row]) -> str:
    start = f"{plan.meta['start_year']}-01-01"
    sections: dict[str, list[tuple[str, str, str, str]]] = {}
    for r in lines:
        state, line = r.state, r.state.ref.line
        tag = {"completed": "done", "ongoing": "active"}.get(r.status, "")
        if "overdue" in r.flags:
            tag = ", ".join(t for t in (tag, "crit") if t)
        sections.setdefault(state.ref.action["id"], []).append(
            (f"{line['id']} {line['title']}", tag, line.get("planned_start") or start,
             progress.due_date(line).isoformat()))
    return ("\nTimeline (start of the plan or planned start, to the due date; done = "
            "completed, active = ongoing, crit = overdue):\n\n"
            + gantt(f"Goal {goal['id']} action lines", list(sections.items())))


def kpi_section(plan: Plan, kpi: Entity, as_of: date, country: str | None) -> str:
    code = f" ({kpi['indicator_code']})" if kpi["indicator_code"] else ""
    out = [f"#### {kpi['id']} {text(kpi['name'])}{code}\n",
           f"Unit: {kpi['unit'].replace('_', ' ')}; "
           f"{kpi['direction'].replace('_', ' ')}; source named by the plan: "
           f"{text(kpi['source'])}.\n"]
    by_country = series_by_country(plan, kpi["id"])
    if not by_country:
        out.append("No readings yet.\n")
        return "\n".join(out)
    rows = []
    for code_ in ([country] if country else [None, *plan.countries]):
        if code_ is not None and code_ not in by_country:
            continue
        statcan, unsd = assessments(plan, kpi, code_, as_of.year)
        label = plan.countries[code_]["name"] if code_ else "ASEAN mean"
        rows.append([label, point(statcan, "base"), point(statcan, "latest"),
                     "-" if statcan["change"] is None else fmt_value(statcan["change"]),
                     verdict(statcan), verdict(unsd)])
    out.append(table(["", "Baseline", "Latest", "Change", "Statistics Canada (Open SDG)",
                      "UNSD progress chart"], rows, "lrrrll"))
    series = by_country.get(country, {}) if country else assess.regional(by_country)[0]
    years = [y for y in sorted(series) if TREND_FROM <= y <= as_of.year]
    if len(years) >= 2:
        label = plan.countries[country]["name"] if country else "ASEAN mean"
        out.append("\n" + line_chart(f"{kpi['id']} {label}", kpi["unit"].replace("_", " "),
                                     years, [series[y] for y in years]))
    return "\n".join(out)


def point(a: dict[str, Any], which: str) -> str:
    year, value = a[f"{which}_year"], a[f"{which}_value"]
    return "-" if year is None else f"{fmt_value(value)} ({year})"


def verdict(a: dict[str, Any]) -> str:
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
        parts.append(f"projected {fmt_value(a['projected_value'])} in {a['target_year']} "
                     f"against {fmt_value(a['target_value'])}")
    if a["score"] is not None:
        parts.append(f"score {a['score']:.2f}")
    return f"{a['status']} ({', '.join(parts)})"


def attention(plan: Plan, lines: list[Row], as_of: date, goal: str | None,
              country: str | None) -> str:
    out = ["## Needs attention\n"]
    for flag in ("overdue", "blocked", "behind", "over_budget"):
        hits = sorted({r.state.id for r in lines if flag in r.flags}, key=id_key)
        out.append(f"- {flag.replace('_', ' ').capitalize()}: "
                   f"{', '.join(hits) if hits else 'none'}.")
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
    out.append(f"- KPI data missing or stale (none in the {cover['stale_after_years']} years "
               f"before {as_of.year}): {', '.join(gaps) if gaps else 'none'}.")
    ended = [k["id"] for k in plan.kpis.values() if k["discontinued"]
             and (goal is None or k["goal"] == goal)]
    if ended:
        out.append(f"- Discontinued series (frozen at their last data year): "
                   f"{', '.join(ended)}.")
    return "\n".join(out) + "\n"


def sources(plan: Plan, as_of: date, goal: str | None, commit: str | None) -> str:
    rows = []
    for kpi in plan.kpis.values():
        if goal is not None and kpi["goal"] != goal:
            continue
        releases = sorted({(r.source, r.vintage or "unknown") for r in plan.readings_of(kpi["id"])})
        for source, vintage in releases or [("no readings", "-")]:
            rows.append([kpi["id"], kpi["indicator_code"] or "-", text(source), vintage])
    where = f"plan commit `{commit}`" if commit else "the plan is not in a git repository"
    return "\n".join(["## Sources\n", table(["KPI", "Series", "Source", "Vintage"], rows),
                      f"\nAs of {as_of.isoformat()}; {where}. Generated by sapsmed from "
                      f"{text(plan.meta['title'])}.\n"])


def mid_term(plan: Plan, as_of: date, commit: str | None = None) -> str:
    """The mid-term review of the first phase: achievements, lines due, KPIs, carry-over."""
    phase = plan.meta["phases"][0]
    end = date(phase["end_year"], 12, 31)
    states = progress.states(plan, as_of)
    ordered = sorted(states.values(), key=lambda s: id_key(s.id))
    due = [s for s in ordered if s.ref.line["due_year"] <= phase["end_year"]]
    counted = [s for s in due if s.status != "cancelled"]
    done = sum(s.status == "completed" for s in counted)
    by_end = [s for s in due if s.completed_on and s.completed_on <= end.isoformat()]
    out = [f"# {text(plan.meta['short_title'])}: mid-term review of the first phase "
           f"({phase['start_year']}-{phase['end_year']})\n",
           f"As of {as_of.isoformat()}. {text(plan.meta['mid_term_review']['scope'])}\n",
           f"## The first phase: {text(phase['name'])}\n",
           f"Priority: {text(phase['priority'])}.\n",
           f"- Action lines due by {phase['end_year']}: {len(due)}; completed: "
           f"**{fraction(rate(done, len(counted)))}** (cancelled lines not counted); "
           f"completed by the end of {phase['end_year']}: {len(by_end)}.\n"]
    rows = [[s.id, text(s.ref.line["title"]), s.ref.line["due_year"],
             s.status.replace("_", " "), s.completed_on or "-", ", ".join(s.flags) or "-"]
            for s in due]
    out += ["## Action lines due by the end of the first phase\n",
            table(["Line", "Title", "Due", "Status", "Completed", "Flags"], rows, "llrlll")]
    out.append(f"\n## KPIs: from the {plan.meta['base_year']} baseline to "
               f"{phase['end_year']}\n")
    rows = []
    for kpi in plan.kpis.values():
        statcan, unsd = assessments(plan, kpi, None, phase["end_year"])
        rows.append([kpi["id"], text(kpi["name"]), point(statcan, "base"),
                     point(statcan, "latest"), verdict(statcan), verdict(unsd)])
    out.append("ASEAN means (simple mean of the member states with data):\n")
    out.append(table(["KPI", "Name", "Baseline", f"Latest to {phase['end_year']}",
                      "Statistics Canada", "UNSD"], rows))
    carry = [s for s in ordered if s.status not in progress.DONE
             and s.ref.line["due_year"] <= phase["end_year"]]
    later = [s for s in ordered if s.ref.line["due_year"] > phase["end_year"]]
    out.append("\n## Lines to carry into the second phase\n")
    out.append(f"Unfinished lines of the first phase ({len(carry)}): "
               f"{', '.join(s.id for s in carry) or 'none'}.\n")
    out.append(f"Lines due in the second phase ({len(later)}): "
               f"{', '.join(s.id for s in later) or 'none'}.\n")
    out.append(sources(plan, as_of, None, commit))
    return "\n".join(out)
