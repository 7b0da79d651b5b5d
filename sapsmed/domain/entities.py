"""The validated plan as typed data: what each file's model holds once checked, in the
JSON-mode form the plan keeps (dates as ISO strings, every default filled in).

These are TypedDicts, not classes: the plan is cached as builtin data and read back without
building an object per entity (``status`` stays at the libraries' import time), yet mypy
checks every field read against these shapes, so a renamed field is a type error, not a
KeyError at run time. ``tests/test_entities.py`` keeps their fields equal to the models'
(``sapsmed.domain.models``), which stay the one place that says what a valid file is.
"""

from __future__ import annotations

from typing import TypedDict

from sapsmed.domain.vocabulary import (
    Direction,
    Level,
    Quality,
    RequiredTime,
    RiskLevel,
    Status,
)


class Phase(TypedDict):
    id: str
    name: str
    start_year: int
    end_year: int
    priority: str


class MidTermReview(TypedDict):
    due_year: int
    scope: str
    notes: str | None
    phase: str | None


class Pathway(TypedDict):
    id: str
    name: str
    description: str


class MeasureType(TypedDict):
    id: str
    number: int
    name: str


class Theme(TypedDict):
    id: str
    title: str


class Meta(TypedDict):
    """plan.yaml (a broken revision without one gives a stand-in holding only ``themes``)."""

    title: str
    short_title: str
    region: str | None
    levels: list[str]
    source_document: str
    start_year: int
    end_year: int
    base_year: int
    vision: str
    mission: str
    phases: list[Phase]
    mid_term_review: MidTermReview
    pathways: list[Pathway]
    types_of_measures: list[MeasureType]
    themes: list[Theme]


class Country(TypedDict):
    id: str
    name: str
    printed_as: list[str]
    joined: str | None  # ISO date; a member from that day (None: always)
    left: str | None  # ISO date; a member until the day before (None: still)


class Update(TypedDict):
    date: str
    status: Status
    percent: float | None
    country: str | None
    note: str | None
    by: str | None
    source: str | None


class Budget(TypedDict):
    currency: str
    planned: float
    spent: float


class Personnel(TypedDict):
    planned: float
    used: float


class Output(TypedDict):
    title: str
    delivered: str | None
    quality: Quality | None


class Risk(TypedDict):
    description: str
    level: RiskLevel
    mitigation: str | None
    closed: str | None


class Line(TypedDict):
    """An action line."""

    id: str
    title: str
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
    status: Status
    printed_as: dict[str, str]
    notes: str | None
    planned_start: str | None
    updates: list[Update]
    budget: Budget | None
    personnel: Personnel | None
    outputs: list[Output]
    risks: list[Risk]


class Action(TypedDict):
    id: str
    title: str
    printed_as: dict[str, str]
    lines: list[Line]


class Outcome(TypedDict):
    id: str
    title: str
    actions: list[Action]


class Goal(TypedDict):
    id: str
    title: str
    description: str | None
    champions: list[str]
    printed_as: dict[str, str]
    outcomes: list[Outcome]  # empty in a plan without outcomes
    actions: list[Action]  # empty in a plan with outcomes


class KpiTarget(TypedDict):
    country: str | None
    year: int
    value: float
    source: str | None


class Discontinued(TypedDict):
    ended: str
    last_data_year: int
    note: str | None


class Kpi(TypedDict):
    id: str
    goal: str
    name: str
    unit: str  # a built-in unit (vocabulary.Unit) or a declared one
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


class DeclaredUnit(TypedDict):
    id: str
    name: str
    min: float | None
    max: float | None
    decimals: int | None


Entity = Goal | Outcome | Action | Line | Kpi | Country | Theme
