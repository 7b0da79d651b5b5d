"""The mid-term review: a phase of the plan as it stood at its end, next to the as-of date.

Each line due in the phase is shown with its status at the end of the phase (from its log)
and on the as-of date, goal by goal, with a timeline; each KPI with its change from the
baseline to the phase's last year on the readings known on the as-of date, the region on its
constant panel. Deterministic, built from escaped markdown only (see :mod:`markdown`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sapsmed.domain.plan import Plan
from sapsmed.monitor import progress
from sapsmed.monitor.kpiviews import regional_view
from sapsmed.monitor.queries import rates
from sapsmed.monitor.views import id_key
from sapsmed.render.kpisection import point, verdict
from sapsmed.render.markdown import Md, doc, gantt, md, table
from sapsmed.render.report import fraction, sources

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.entities import Phase
    from sapsmed.domain.shapes import Rate


def phase_under_review(plan: Plan) -> Phase:
    """The phase ``mid_term_review.phase`` names, else the one its ``due_year`` falls in,
    else the first."""
    review, phases = plan.meta["mid_term_review"], plan.meta["phases"]
    named = next((p for p in phases if p["id"] == review["phase"]), None)
    due = review["due_year"]
    return named or next((p for p in phases if p["start_year"] <= due <= p["end_year"]), phases[0])


def mid_term(plan: Plan, as_of: date, commit: str | None = None) -> Md:
    """The review of the phase under review: achievements, lines due, KPIs, carry-over.

    The phase's lines are those due in its years (as `lines --phase`). On each date the rate
    is completed / due by that date (due date passed, cancelled lines not counted), as the
    scorecard counts."""
    phase = phase_under_review(plan)
    phase_end = date(phase["end_year"], 12, 31)
    end = min(phase_end, as_of)
    over = as_of >= phase_end
    at_end, now = progress.states(plan, end), progress.states(plan, as_of)
    ordered = sorted(now, key=id_key)
    mine = [
        i
        for i in ordered
        if phase["start_year"] <= now[i].ref.line["due_year"] <= phase["end_year"]
    ]
    out = [
        md(
            "# {}: mid-term review of the phase {} ({}-{})\n",
            plan.meta["short_title"],
            phase["name"],
            phase["start_year"],
            phase["end_year"],
        ),
        md("As of {}. {}\n", as_of.isoformat(), plan.meta["mid_term_review"]["scope"]),
        md("## The phase: {}\n", phase["name"]),
        md("Priority: {}.\n", phase["priority"].rstrip(".")),
        md("- Action lines due in the phase: {}.", len(mine)),
    ]
    if over:
        out.append(
            md(
                "- Completed by the end of the phase ({}): **{}** of the lines due by then.",
                phase_end.isoformat(),
                fraction(due_rate(at_end, mine, end)),
            )
        )
    out.append(
        md(
            "- Completed on {}{}: **{}** of the lines due by then (completed / due, "
            "cancelled lines not counted).\n",
            as_of.isoformat(),
            Md("" if over else " (the phase is not over)"),
            fraction(due_rate(now, mine, as_of)),
        )
    )
    out.append(Md("## Action lines due in the phase, goal by goal\n"))
    if not mine:
        out.append(Md("No action line is due in this phase.\n"))
    for goal in plan.goals:
        lines = [i for i in mine if now[i].ref.goal is goal]
        if not lines:
            continue
        head = ["Line", "Title", "Due"]
        head += [f"At the end of the phase ({phase_end.isoformat()})"] if over else []
        head += [f"On {as_of.isoformat()}", "Completed", "Flags"]
        rows = [
            [i, now[i].ref.line["title"], now[i].ref.line["due_year"]]
            + ([status(at_end[i])] if over else [])
            + [status(now[i]), now[i].completed_on or "-", ", ".join(now[i].flags) or "-"]
            for i in lines
        ]
        out.append(md("### Goal {}: {}\n", goal["id"], goal["title"]))
        out.append(table(head, rows, "llr" + "l" * (len(head) - 3)))
        sections: dict[str, list[tuple[str, str, str, str]]] = {}
        for i in lines:
            sections.setdefault(now[i].ref.action["id"], []).append(
                (
                    f"{i} {now[i].ref.line['title']}",
                    tag(now[i]),
                    start(plan, now[i]),
                    progress.due_date(now[i].ref.line).isoformat(),
                )
            )
        out.append(gantt(f"Goal {goal['id']}: lines due in the phase", list(sections.items())))
    out.append(kpis(plan, as_of, phase))
    later = [p for p in plan.meta["phases"] if p["start_year"] > phase["end_year"]]
    if later:
        carry = [i for i in mine if now[i].status not in progress.DONE]
        after = [i for i in ordered if now[i].ref.line["due_year"] > phase["end_year"]]
        out.append(Md("\n## Lines to carry into the next phase\n"))
        out.append(
            md("Unfinished lines of the phase ({}): {}.\n", len(carry), ", ".join(carry) or "none")
        )
        out.append(
            md("Lines due after the phase ({}): {}.\n", len(after), ", ".join(after) or "none")
        )
    out.append(sources(plan, as_of, None, commit))
    return doc(out)


def due_rate(states: dict[str, progress.LineState], lines: list[str], day: date) -> Rate:
    """Completed / due on ``day``: lines whose due date has passed, cancelled ones left out."""
    due = [
        s.status for s in (states[i] for i in lines) if progress.is_due(s.ref.line, s.status, day)
    ]
    return rates(due)[0]


def kpis(plan: Plan, as_of: date, phase: Phase) -> Md:
    out = [md("\n## KPIs: from the {} baseline to {}\n", plan.meta["base_year"], phase["end_year"])]
    rows = []
    for kpi in plan.kpis.values():
        region = regional_view(plan, kpi, as_of, phase["end_year"])
        statcan, unsd = region["assessments"]
        panel = [m["country"] for m in region["panel"]]
        rows.append(
            [
                kpi["id"],
                kpi["name"],
                f"{len(panel)} of {region['members']}"
                + (f" ({', '.join(panel)})" if panel else ""),
                point(statcan, "base", plan.decimals(kpi["unit"])),
                point(statcan, "latest", plan.decimals(kpi["unit"])),
                verdict(statcan, plan.decimals(kpi["unit"])),
                verdict(unsd, plan.decimals(kpi["unit"])),
            ]
        )
    out.append(
        md(
            "Regional verdicts on each KPI's constant panel (the member states with a "
            "baseline and a reading by {}; simple means), on the readings known on {}:"
            "\n",
            phase["end_year"],
            as_of.isoformat(),
        )
    )
    out.append(
        table(
            [
                "KPI",
                "Name",
                "Panel",
                "Baseline",
                f"Latest to {phase['end_year']}",
                "Statistics Canada",
                "UNSD",
            ],
            rows,
        )
    )
    return doc(out)


def status(state: progress.LineState) -> str:
    percent = (
        "" if state.percent is None or state.status == "completed" else (f" {state.percent:.0f}%")
    )
    return state.status.replace("_", " ") + percent


def tag(state: progress.LineState) -> str:
    return {"completed": "done", "ongoing": "active"}.get(state.status, "")


def start(plan: Plan, state: progress.LineState) -> str:
    return str(state.ref.line.get("planned_start") or f"{plan.meta['start_year']}-01-01")
