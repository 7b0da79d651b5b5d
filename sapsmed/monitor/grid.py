"""`grid`: the national-level lines down, the member states across, each cell a state's own
status on a date. A state that was not a member when a line fell due (:func:`progress.members_due`)
has no duty on it: its cell says so, and it counts in neither total."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sapsmed.domain.plan import Plan
from sapsmed.monitor import progress
from sapsmed.monitor.progress import LineState
from sapsmed.monitor.queries import LineQuery, resolve
from sapsmed.monitor.views import id_key

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.shapes_grid import GridCell, GridCountry, GridJson, GridLine

RULE = (
    "a national-level line is carried out by every member state, and is completed only when "
    "all of them have completed it"
)
DATED_RULE = (
    "a national-level line is carried out by every state that was a member when it fell due "
    "(or on the as-of date, if that comes first), and is completed only when all of them have "
    "completed it; a state that was not a member has no duty on it and counts in no total"
)


def cell(state: LineState, code: str, as_of: date) -> GridCell:
    status = state.countries.get(code)
    percent = None
    if status == "completed":
        percent = 100.0
    elif status is not None:
        percent = progress.update_percent(state.ref.line["updates"], as_of, code)
    return {"required": code in state.members, "status": status, "percent": percent}


def national(
    plan: Plan, as_of: date, goal: str | None = None, states: dict[str, LineState] | None = None
) -> list[LineState]:
    """The national-level lines (of ``goal``, an id) on ``as_of``, by id (``states``: the
    lines' states on ``as_of``, when the caller has them already)."""
    states = progress.states(plan, as_of) if states is None else states
    return [
        states[i]
        for i in sorted(states, key=id_key)
        if states[i].ref.line["level"] == "national" and goal in (None, states[i].ref.goal["id"])
    ]


def grid(
    plan: Plan, as_of: date, goal: str | None = None, states: dict[str, LineState] | None = None
) -> GridJson:
    """The grid of the national-level lines (of ``goal``: an id or title) on ``as_of``."""
    goal_id = resolve(plan, LineQuery(goal=goal)).goal  # by id or title, any case
    lines: list[GridLine] = []
    for state in national(plan, as_of, goal_id, states):
        cells = {code: cell(state, code, as_of) for code in plan.countries}
        lines.append(
            {
                "id": state.id,
                "title": state.ref.line["title"],
                "goal": state.ref.goal["id"],
                "due_year": state.ref.line["due_year"],
                "status": state.status,
                "countries": cells,
                "completed": sum(
                    c["required"] and c["status"] == "completed" for c in cells.values()
                ),
                "required": sum(c["required"] for c in cells.values()),
            }
        )
    countries: list[GridCountry] = []
    for code, country in plan.countries.items():
        mine = [line["countries"][code] for line in lines if line["countries"][code]["required"]]
        countries.append(
            {
                "id": code,
                "name": country["name"],
                "completed": sum(c["status"] == "completed" for c in mine),
                "required": len(mine),
            }
        )
    return {
        "as_of": as_of.isoformat(),
        "goal": goal_id,
        "countries": countries,
        "lines": lines,
        "rule": DATED_RULE if plan.dated_membership else RULE,
    }
