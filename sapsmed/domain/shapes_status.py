"""The shapes of `status --json` and `lines --json` (and the rows `lines --csv` writes), as
TypedDicts; :mod:`sapsmed.domain.shapes` lists them with the other `--json` outputs."""

from __future__ import annotations

from typing import TypedDict

from sapsmed.domain.entities import Budget, Output, Personnel, Risk, Update
from sapsmed.domain.vocabulary import Direction, Level, Status


class LineRow(TypedDict):
    """An action line on a date (`lines --json`, each of `status --json`'s lines)."""

    id: str
    title: str
    action: str
    outcome: str | None  # None in a plan without outcomes
    goal: str
    timeframe: str
    due_year: int
    lead: list[str]
    level: Level
    status: Status
    percent: float | None
    expected_percent: float | None
    completed_on: str | None
    overdue: bool
    flags: list[str]
    last_update: Update | None
    countries: dict[str, Status] | None  # national-level lines: each member state's status
    percent_basis: str
    themes: list[str]
    budget: Budget | None
    personnel: Personnel | None
    outputs: list[Output]
    risks: list[Risk]


class CountryLineRow(LineRow):
    """A line as one member state sees it (with --country): ``status``, ``percent`` and
    ``flags`` are its own on a national-level line."""

    line_status: Status  # the line's as a whole
    line_percent: float | None
    role: list[str]  # "leads", "implements"
    country: str


class ActionTree(TypedDict):
    id: str
    title: str
    lines: list[str]  # the selected lines' ids


class OutcomeTree(TypedDict):
    id: str
    title: str
    actions: list[ActionTree]


class GoalTreeAll(TypedDict):
    id: str
    title: str
    champions: list[str]
    outcomes: list[OutcomeTree]  # empty in a plan without outcomes


class GoalTree(GoalTreeAll, total=False):
    actions: list[ActionTree]  # in a plan without outcomes: the goal's own actions


class KpiReading(TypedDict):
    country: str
    year: int
    value: float
    source: str
    vintage: str | None


class KpiRow(TypedDict):
    id: str
    goal: str
    name: str
    unit: str  # a built-in unit or one kpis.yaml declares
    direction: Direction
    indicator_code: str | None
    latest: list[KpiReading]  # each country's latest reading known on the date


class StatusScope(TypedDict):
    goal: str | None
    country: str | None


class StatusSummary(TypedDict):
    lines: int
    by_status: dict[str, int]  # every status, in vocabulary order
    overdue: int
    flags: dict[str, int]  # every flag, in vocabulary order


class StatusCountry(TypedDict):
    id: str
    name: str
    champion_of: list[str]  # the goals it champions


class StatusAll(TypedDict):
    as_of: str
    scope: StatusScope
    goals: list[GoalTree]
    lines: list[LineRow | CountryLineRow]  # CountryLineRow with --country
    kpis: list[KpiRow]
    summary: StatusSummary


class StatusJson(StatusAll, total=False):
    country: StatusCountry  # only with --country
