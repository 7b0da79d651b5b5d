"""The shape of `grid --json`: national-level lines down, member states across, as
TypedDicts; :mod:`sapsmed.domain.shapes` lists it with the other `--json` outputs."""

from __future__ import annotations

from typing import TypedDict

from sapsmed.domain.vocabulary import Status


class GridCell(TypedDict):
    """One member state on one national-level line."""

    required: bool  # a member when the line fell due (or on the as-of date, if earlier)
    status: Status | None  # its own status; None: no duty and nothing reported
    percent: float | None  # its latest percent complete (100 when completed)


class GridLine(TypedDict):
    id: str
    title: str
    goal: str
    due_year: int
    status: Status  # the line's as a whole: completed only when every required state has
    countries: dict[str, GridCell]  # every member state of the plan, in plan order
    completed: int  # required states that have completed it
    required: int  # states that must carry it out


class GridCountry(TypedDict):
    id: str
    name: str
    completed: int  # national-level lines it must carry out and has completed
    required: int  # national-level lines it must carry out


class GridJson(TypedDict):
    as_of: str
    goal: str | None  # the goal asked for (--goal), else None
    countries: list[GridCountry]  # the columns, in plan order
    lines: list[GridLine]  # the national-level lines, by id
    rule: str
