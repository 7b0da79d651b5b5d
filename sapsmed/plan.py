"""The plan as one object: validated files, an index of every entity by id, and its readings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PlanNotFound
from .models import (
    Action,
    ActionLine,
    CountriesFile,
    Country,
    Goal,
    Kpi,
    KpisFile,
    Outcome,
    PlanFile,
    Reading,
    ReadingsFile,
    Theme,
)

PLAN_FILE = "plan.yaml"


@dataclass(frozen=True)
class LineRef:
    """An action line with the entities above it."""

    line: ActionLine
    action: Action
    outcome: Outcome
    goal: Goal


@dataclass
class Plan:
    root: Path
    meta: PlanFile
    countries: dict[str, Country]
    goals: list[Goal]
    kpis: dict[str, Kpi]
    readings: list[Reading]
    # id -> (kind, entity); filled by index()
    entities: dict[str, tuple[str, object]] = field(default_factory=dict)
    lines: dict[str, LineRef] = field(default_factory=dict)

    @classmethod
    def assemble(
        cls,
        root: Path,
        meta: PlanFile,
        countries: CountriesFile,
        goals: list[Goal],
        kpis: KpisFile,
        readings: list[ReadingsFile],
    ) -> Plan:
        flat = [
            Reading(f.kpi, country, year, value, release.source, release.vintage)
            for f in readings
            for release in f.releases
            for country, year, value in release.readings
        ]
        plan = cls(
            root,
            meta,
            {c.id: c for c in countries.member_states},
            sorted(goals, key=lambda g: g.id),
            {k.id: k for k in kpis.kpis},
            flat,
        )
        plan.index()
        return plan

    def index(self) -> None:
        """Register every entity by id; the first of duplicate ids wins (validation reports it)."""
        add = self.entities.setdefault
        for goal in self.goals:
            add(goal.id, ("goal", goal))
            for outcome in goal.outcomes:
                add(outcome.id, ("outcome", outcome))
                for action in outcome.actions:
                    add(action.id, ("action", action))
                    for line in action.lines:
                        add(line.id, ("action_line", line))
                        self.lines.setdefault(line.id, LineRef(line, action, outcome, goal))
        for kpi in self.kpis.values():
            add(kpi.id, ("kpi", kpi))
        for country in self.countries.values():
            add(country.id, ("country", country))
        for theme in self.meta.themes:
            add(theme.id, ("theme", theme))

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.meta.themes if t.id == theme_id), None)

    def iter_lines(self, goal_id: str | None = None) -> Iterator[LineRef]:
        return (ref for ref in self.lines.values() if goal_id in (None, ref.goal.id))

    def readings_of(self, kpi_id: str) -> list[Reading]:
        return [r for r in self.readings if r.kpi == kpi_id]

    def latest_readings(self, kpi_id: str) -> dict[str, Reading]:
        """Each country's most recent reading of a KPI."""
        latest: dict[str, Reading] = {}
        for r in self.readings_of(kpi_id):
            if r.country not in latest or r.year > latest[r.country].year:
                latest[r.country] = r
        return latest


def find_plan_dir(explicit: Path | None = None, start: Path | None = None) -> Path:
    """--plan DIR, else $SAPSMED_PLAN, else the nearest plan/ upward, else the shipped plan."""
    if explicit is not None or os.environ.get("SAPSMED_PLAN"):
        chosen = explicit if explicit is not None else Path(os.environ["SAPSMED_PLAN"])
        if not (chosen / PLAN_FILE).is_file():
            raise PlanNotFound(f"no plan found: {chosen}/{PLAN_FILE} does not exist")
        return chosen
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PLAN_FILE).is_file() and folder.name == "plan":
            return folder
        if (folder / "plan" / PLAN_FILE).is_file():
            return folder / "plan"
    return shipped_plan_dir()


def shipped_plan_dir() -> Path:
    """The SAP SMED plan inside the installed package (or the checkout's plan/ when editable)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_plan", package.parent / "plan"):
        if (candidate / PLAN_FILE).is_file():
            return candidate
    raise PlanNotFound("no plan found: the shipped plan is missing from this installation")
