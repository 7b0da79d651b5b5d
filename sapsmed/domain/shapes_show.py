"""The shapes of `show --json`, one TypedDict per kind of entity (``kind`` says which);
:mod:`sapsmed.domain.shapes` lists them with the other `--json` outputs.

Every kind has ``id``, ``kind`` and ``title``. A ``printed_as`` key that is optional is
written only where the entity has printed forms."""

from __future__ import annotations

from typing import Literal, TypedDict

from sapsmed.domain.entities import (
    Budget,
    Discontinued,
    KpiTarget,
    Output,
    Personnel,
    Risk,
    Update,
)
from sapsmed.domain.vocabulary import Direction, Level, RequiredTime, Status


class ShowGoalAll(TypedDict):
    id: str
    kind: Literal["goal"]
    title: str
    champions: list[str]
    description: str | None
    outcomes: list[str]  # ids
    kpis: list[str]  # ids


class ShowGoal(ShowGoalAll, total=False):
    printed_as: dict[str, str]
    actions: list[str]  # ids, in a plan without outcomes (then ``outcomes`` is empty)


class ShowOutcome(TypedDict):
    id: str
    kind: Literal["outcome"]
    title: str
    goal: str
    actions: list[str]  # ids


class ShowActionAll(TypedDict):
    id: str
    kind: Literal["action"]
    title: str
    outcome: str | None  # None in a plan without outcomes
    goal: str
    lines: list[str]  # ids


class ShowAction(ShowActionAll, total=False):
    printed_as: dict[str, str]


class ShowLine(TypedDict):
    """An action line: its fields as in the plan file, its state on the date after them."""

    id: str
    kind: Literal["action_line"]
    title: str
    action: str
    outcome: str | None  # None in a plan without outcomes
    goal: str
    timeframe: str
    due_year: int
    lead: list[str]
    level: Level
    types_of_measures: list[str]
    pathway: str | None
    themes: list[str]
    proponents: list[str]
    required_time: RequiredTime | None
    dependencies: list[str]
    status: Status  # the status in force on the date
    printed_as: dict[str, str]
    notes: str | None
    planned_start: str | None
    updates: list[Update]  # those known on the date
    budget: Budget | None
    personnel: Personnel | None
    outputs: list[Output]
    risks: list[Risk]
    percent: float | None
    completed_on: str | None
    flags: list[str]
    countries: dict[str, Status] | None  # national-level lines: each member state's status


class ShowKpi(TypedDict):
    id: str
    kind: Literal["kpi"]
    title: str  # its name
    goal: str
    name: str
    unit: str  # a built-in unit or one kpis.yaml declares
    direction: Direction
    source: str
    indicator_code: str | None
    indicator_name: str | None
    available_for: list[str]
    availability_note: str | None
    notes: str | None
    printed_as: dict[str, str]
    targets: list[KpiTarget]
    discontinued: Discontinued | None
    readings: int  # how many readings are known on the date


class Implements(TypedDict):
    """A national-level line as one member state sees it."""

    id: str
    status: Status
    percent: float | None
    due_year: int
    flags: list[str]
    last_note: str | None  # the note of its latest update


class ShowCountryAll(TypedDict):
    id: str
    kind: Literal["country"]
    title: str  # its name
    name: str
    champion_of: list[str]  # goal ids
    leads: list[str]  # line ids
    implements: list[Implements]


class ShowCountry(ShowCountryAll, total=False):
    printed_as: list[str]


class ShowTheme(TypedDict):
    id: str
    kind: Literal["theme"]
    title: str
    lines: list[str]  # ids


ShowJson = ShowGoal | ShowOutcome | ShowAction | ShowLine | ShowKpi | ShowCountry | ShowTheme
