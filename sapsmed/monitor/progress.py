"""Progress monitoring (plan section 3.2): where each action line stands on a date, and why.

A line's status is its latest update's on or before the date, else the status written on the
line. A national-level line is carried out by every member state on its own: each has its own
status, and the line counts as completed only when every member state has completed it (the
AEC Scorecard's rule). The member states a line binds are those that were members at its due
date, or on the as-of date if that comes first (:func:`members_due`): a state that joined
later may report (the update stays in the log), but is neither counted nor shown in the line's
per-state picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sapsmed.domain.plan import LineRef, Plan
from sapsmed.domain.vocabulary import Status

if TYPE_CHECKING:  # types only: the shapes cost import time and do nothing at run time
    from sapsmed.domain.entities import Line, Update
    from sapsmed.domain.shapes_status import LineRow

DONE = frozenset({"completed", "cancelled"})
DUE_SOON = timedelta(days=183)  # "due within the next 6 months"


def due_date(line: Line) -> date:
    """A line due "by 2020" is due on the last day of 2020."""
    return date(line["due_year"], 12, 31)


def members_due(plan: Plan, line: Line, as_of: date) -> tuple[str, ...]:
    """The member states a line counts for: members at its due date, or on ``as_of`` if
    that comes first (a line due in a year counts a state that was a member at that year's
    end). The one rule behind national-level status, scorecards by country and duties."""
    return tuple(plan.members_at(min(due_date(line), as_of)))


def is_due(line: Line, status: str, day: date) -> bool:
    """Is a line in ``status`` due on ``day``: its due date passed, and not cancelled."""
    return due_date(line) <= day and status != "cancelled"


@dataclass
class LineState:
    """An action line on a date: status, percent complete, flags, per-country picture."""

    ref: LineRef
    status: Status
    percent: float | None
    last_update: Update | None
    completed_on: str | None
    countries: dict[str, Status] = field(default_factory=dict)  # national lines only
    flags: list[str] = field(default_factory=list)
    expected_percent: float | None = None
    members: tuple[str, ...] = ()  # the member states it counts for (:func:`members_due`)

    @property
    def id(self) -> str:
        return str(self.ref.line["id"])

    def as_dict(self) -> LineRow:
        line = self.ref.line
        return {
            "id": line["id"],
            "title": line["title"],
            "action": self.ref.action["id"],
            "outcome": self.ref.outcome["id"] if self.ref.outcome is not None else None,
            "goal": self.ref.goal["id"],
            "timeframe": line["timeframe"],
            "due_year": line["due_year"],
            "lead": list(line["lead"]),
            "level": line["level"],
            "status": self.status,
            "percent": self.percent,
            "expected_percent": self.expected_percent,
            "completed_on": self.completed_on,
            "overdue": "overdue" in self.flags,
            "flags": list(self.flags),
            "last_update": self.last_update,
            "countries": dict(self.countries) if line["level"] == "national" else None,
            "percent_basis": self.percent_basis(),
            "themes": list(line["themes"]),
            "budget": line.get("budget"),
            "personnel": line.get("personnel"),
            "outputs": list(line.get("outputs") or []),
            "risks": list(line.get("risks") or []),
        }

    def percent_basis(self) -> str:
        """What the percent is: the line's own, or a mean over the member states."""
        if not self.countries:
            return "the line's own"
        counts: dict[str, int] = {}
        for code in self.members:
            counts[self.countries[code]] = counts.get(self.countries[code], 0) + 1
        parts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items())
        return (
            f"mean over {len(self.members)} member states, one that reported no percent "
            f"counting as 0 ({parts})"
        )


def latest(updates: list[Update], as_of: date, country: str | None) -> Update | None:
    """The last update on or before ``as_of`` for ``country`` (None: the line as a whole)."""
    day = as_of.isoformat()
    found = None
    for update in updates:
        if update["date"] <= day and update.get("country") == country:
            found = update
    return found


def combine(statuses: list[Status]) -> Status:
    """A national-level line's status from its member states' statuses."""
    if all(s == "completed" for s in statuses):
        return "completed"
    if all(s == "cancelled" for s in statuses):
        return "cancelled"
    if any(s in ("ongoing", "completed") for s in statuses):
        return "ongoing"
    if any(s == "on_hold" for s in statuses):
        return "on_hold"
    return "not_started"


def base_state(plan: Plan, ref: LineRef, as_of: date) -> LineState:
    """Status and percent on ``as_of``, before flags (which need the other lines)."""
    line = ref.line
    members = members_due(plan, line, as_of)
    if line["level"] != "national":
        update = latest(line["updates"], as_of, None)
        status = update["status"] if update else line["status"]
        percent = update_percent(line["updates"], as_of, None)
        if status == "completed":
            percent = 100.0
        completed_on = update["date"] if update and status == "completed" else None
        return LineState(ref, status, percent, update, completed_on, members=members)
    countries: dict[str, Status] = {}
    percents: list[float | None] = []
    dates: list[str] = []
    last: Update | None = None
    for code in members:  # a state not bound by the line is not counted nor shown in it
        update = latest(line["updates"], as_of, code)
        countries[code] = update["status"] if update else line["status"]
        if update and (last is None or update["date"] >= last["date"]):
            last = update
        if countries[code] == "completed":
            percents.append(100.0)
            dates.append(update["date"] if update else "")
        else:
            percents.append(update_percent(line["updates"], as_of, code))
    status = combine([countries[c] for c in members]) if members else line["status"]
    completed_on = max(dates) if status == "completed" and dates and all(dates) else None
    # the mean over the member states it binds, a country that reported nothing counting as 0
    reported = [p for p in percents if p is not None]
    percent = round(sum(reported) / len(percents), 1) if reported else None
    return LineState(ref, status, percent, last, completed_on, countries, members=members)


def update_percent(updates: list[Update], as_of: date, country: str | None) -> float | None:
    """The latest percent complete reported on or before ``as_of``."""
    day = as_of.isoformat()
    found = None
    for update in updates:
        if (
            update["date"] <= day
            and update.get("country") == country
            and update.get("percent") is not None
        ):
            found = float(update["percent"] or 0)  # not None: checked above
    return found


def states(plan: Plan, as_of: date) -> dict[str, LineState]:
    """Every action line's state on ``as_of``, with its flags."""
    result = {line_id: base_state(plan, ref, as_of) for line_id, ref in plan.lines.items()}
    for state in result.values():
        state.flags, state.expected_percent = flags(
            state.ref.line, state.status, state.percent, result, as_of
        )
    return result


def for_country(
    state: LineState, code: str, others: dict[str, LineState], as_of: date
) -> tuple[Status, float | None, list[str]]:
    """A line as one member state sees it: its own status, percent and flags on a
    national-level line; the line's own on a regional one."""
    if code not in state.countries:
        return state.status, state.percent, state.flags
    status = state.countries[code]
    percent = (
        100.0 if status == "completed" else update_percent(state.ref.line["updates"], as_of, code)
    )
    return status, percent, flags(state.ref.line, status, percent, others, as_of)[0]


def flags(
    line: Line, status: str, percent: float | None, others: dict[str, LineState], as_of: date
) -> tuple[list[str], float | None]:
    """The flags of a line in ``status`` on ``as_of``, and the percent expected by then."""
    found: list[str] = []
    expected = None
    due = due_date(line)
    if status not in DONE:
        if as_of > due:
            found.append("overdue")
        elif due - as_of <= DUE_SOON:
            found.append("due_soon")
        if any(dep in others and others[dep].status != "completed" for dep in line["dependencies"]):
            found.append("blocked")
        start = line.get("planned_start")
        if start is not None:
            begun = date.fromisoformat(start)
            span = (due - begun).days
            elapsed = min(max((as_of - begun).days, 0), span) if span > 0 else 0
            expected = round(100 * elapsed / span, 1) if span > 0 else 100.0
            if (percent or 0.0) < expected:
                found.append("behind")
    budget = line.get("budget")
    if budget and budget["spent"] > budget["planned"]:
        found.append("over_budget")
    return found, expected
