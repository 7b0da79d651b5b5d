"""What a member state reports on in a return: the national-level lines it must carry out
(it was a member when they fell due, :func:`progress.members_due`) and the lines it leads,
each with the status and percent recorded now (its own on a national-level line)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sapsmed.domain.plan import Plan
from sapsmed.monitor import progress
from sapsmed.monitor.views import id_key, involves


@dataclass(frozen=True)
class ReturnLine:
    id: str
    title: str
    due_year: int
    national: bool
    status: str
    percent: float | None


def return_lines(plan: Plan, country: str, as_of: date) -> list[ReturnLine]:
    """The lines ``country`` reports on, on ``as_of``, in id order."""
    plan.require_scope(None, country)
    states = progress.states(plan, as_of)
    found = []
    for line_id in sorted(plan.lines, key=id_key):
        state = states[line_id]
        if not involves(state, country):
            continue
        status, percent, _ = progress.for_country(state, country, states, as_of)
        line = state.ref.line
        found.append(
            ReturnLine(
                line_id,
                line["title"],
                line["due_year"],
                line["level"] == "national",
                status,
                percent,
            )
        )
    return found


def reports_on(plan: Plan, country: str, as_of: date) -> set[str]:
    """The ids of the lines ``country`` reports on."""
    return {line.id for line in return_lines(plan, country, as_of)}
